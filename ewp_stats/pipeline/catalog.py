"""What each shipped dataset is: title, description, unit, coverage and schema.

The build writes these into ``datapackage.json``; the loader reads them back from there, so the
installed package needs nothing from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ewp_stats.data.schema import Field, Schema

__all__ = ["DatasetSpec", "SPECS", "GDP_VINTAGES", "POPULATION_VINTAGES"]

GDP_VINTAGES = ("gcam_compendium", "nbs_2021", "csy2009_first_release", "csy2000_first_release")
POPULATION_VINTAGES = ("gcam_compendium", "nbs_2021")
_YUAN100M = "100 million yuan, current prices"


@dataclass(frozen=True)
class DatasetSpec:
    """Static description of a dataset (its build adds sources, rules and coverage)."""

    name: str
    title: str
    description: str
    unit: str
    schema: Schema
    notes: tuple[str, ...] = field(default_factory=tuple)


def _f(name: str, type_: str, description: str, unit: str = "", required: bool = True,
       minimum: float | None = None) -> Field:
    return Field(name, type_, description, unit, required, minimum)


_PROV = _f("province", "string", "Province-level division (English name, see `regions`)")
_YEAR = _f("year", "integer", "Calendar year", minimum=1978)

SPECS: dict[str, DatasetSpec] = {s.name: s for s in [
    DatasetSpec(
        "regions", "Region classification of the 31 provinces",
        "NBS four-way division and the paper's east (10) / west (12) groups.", "",
        Schema((
            _PROV,
            _f("province_zh", "string", "Official Chinese name"),
            _f("code", "integer", "NBS 6-digit division code", minimum=110000),
            _f("abbrev", "string", "Two-letter abbreviation"),
            _f("nbs_region", "string", "NBS division: east, central, west, northeast"),
            _f("paper_group", "string", "The paper's group: east, west or other"),
        ), ("province",), {"nbs_region": ("east", "central", "west", "northeast"),
                           "paper_group": ("east", "west", "other")}),
        ("Transcribed in seeds/regions.csv from the NBS division and the paper's footnote 1.",)),
    DatasetSpec(
        "province_gdp", "Nominal gross regional product by province, by data vintage",
        "Province-year nominal GRP, one vintage per source; vintages are never mixed inside a series.",
        _YUAN100M,
        Schema((
            _f("vintage", "string", "Data vintage (source and revision state)"),
            _PROV, _YEAR,
            _f("gdp", "number", "Nominal gross regional product", _YUAN100M, minimum=0),
        ), ("vintage", "province", "year"), {"vintage": GDP_VINTAGES}),
        ("gcam_compendium: NBS 60-year compendium and yearbooks via GCAM-China, 1978-2009 (revised 1990s, "
         "pre-2020-revision 2004-2009).",
         "nbs_2021: NBS data portal as served around 2021, post-2020 unified-accounting revision, 2000-2019.",
         "csy2009_first_release: first-release 2007 GRP from China Statistical Yearbook 2009 table 2-16.",
         "csy2000_first_release: first-release 1996-1999 GRP from China Statistical Yearbook 2000 table 3-8, "
         "15 provinces only (the stored excerpt is truncated after Shandong).")),
    DatasetSpec(
        "province_population", "Year-end population by province, by data vintage",
        "Province-year year-end population.", "10 000 persons",
        Schema((
            _f("vintage", "string", "Data vintage"), _PROV, _YEAR,
            _f("population", "number", "Year-end population", "10 000 persons", minimum=0),
        ), ("vintage", "province", "year"), {"vintage": POPULATION_VINTAGES}),
        ("gcam_compendium: 60-year compendium 1978-2008; series breaks at 2000 (census) and 2005 "
         "(usual residents from 2005), and Chongqing 1995-1996.",
         "nbs_2021: year-end usual-resident population 2000-2019 from the NBS data portal.")),
    DatasetSpec(
        "province_gdp_index", "Real GRP growth index by province (previous year = 100)",
        "NBS real growth index of gross regional product at comparable prices, NBS 2021 vintage.",
        "index, previous year = 100",
        Schema((
            _PROV, _f("year", "integer", "Calendar year", minimum=2000),
            _f("gdp_index", "number", "Real GRP index, previous year = 100", "index", minimum=0),
        ), ("province", "year"))),
    DatasetSpec(
        "east_west_ratio", "East/west GDP ratio by vintage (the paper's groups)",
        "Sum of GRP of the paper's 10 eastern provinces over that of its 12 western provinces, per vintage; "
        "per-capita ratio where the vintage has a matching population series.", "ratio",
        Schema((
            _f("vintage", "string", "GDP vintage"), _YEAR,
            _f("east_gdp", "number", "GRP of the 10 eastern provinces", _YUAN100M, minimum=0),
            _f("west_gdp", "number", "GRP of the 12 western provinces", _YUAN100M, minimum=0),
            _f("ratio", "number", "east_gdp / west_gdp", "ratio", minimum=0),
            _f("east_population", "number", "Population of the eastern group", "10 000 persons", False, 0),
            _f("west_population", "number", "Population of the western group", "10 000 persons", False, 0),
            _f("per_capita_ratio", "number", "East per-capita GRP / west per-capita GRP", "ratio", False, 0),
        ), ("vintage", "year"), {"vintage": ("gcam_compendium", "nbs_2021", "csy2009_first_release")}),
        ("Populations: gcam_compendium GDP uses the compendium population (to 2008), nbs_2021 uses nbs_2021 "
         "population; csy2009_first_release has no matching population (per-capita NaN).",
         "csy2000_first_release covers 15 provinces only and yields no ratio.")),
    DatasetSpec(
        "xinjiang", "Xinjiang: nominal, real and per-capita GDP, 2000-2019",
        "Xinjiang's series from the NBS 2021 vintage; real GDP chained from the previous-year index.",
        "see columns",
        Schema((
            _f("year", "integer", "Calendar year", minimum=2000),
            _f("gdp", "number", "Nominal GRP", _YUAN100M, minimum=0),
            _f("gdp_index", "number", "Real GRP index, previous year = 100", "index", minimum=0),
            _f("real_gdp_2000", "number", "Real GRP chained from gdp_index, 2000 prices",
               "100 million yuan, 2000 prices", minimum=0),
            _f("real_growth", "number", "Real growth rate (gdp_index - 100)", "percent"),
            _f("population", "number", "Year-end usual-resident population", "10 000 persons", minimum=0),
            _f("gdp_per_capita", "number", "Per-capita GRP as published by NBS (average population)",
               "yuan per person", minimum=0),
        ), ("year",)),
        ("gdp_per_capita is NBS's published figure (based on average population); gdp / population uses "
         "year-end population and differs slightly.",)),
]}
