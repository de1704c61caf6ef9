"""What each shipped dataset is: title, description, unit, notes and its declared schema.

Every dataset, the raw-data series and the ones built from ``seeds/`` alike, has its schema
declared here (types, units, requirements, minimums, allowed values); nothing is inferred from a
built frame. The build validates each frame against it and writes it into ``datapackage.json``;
the loader reads it back from there, so the installed package needs nothing from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ewp_stats.data import vocab
from ewp_stats.data.schema import Field, Schema
from ewp_stats.data.vocab import GDP_VINTAGES, POPULATION_VINTAGES, RATIO_VINTAGES
from ewp_stats.pipeline.corrections import POPULATION_BASES, SPLICE_RULE

__all__ = ["DatasetSpec", "SPECS"]

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

#: The declared schema and metadata of every shipped dataset, keyed by dataset name.
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
         "nbs_2021: year-end population 2000-2019 from the NBS data portal, not on one basis: usual residents "
         "from 2005 and on the 2010-census level from 2010; 2000-2004 are not usual residents for every province "
         "(2004 -> 2005: -4.7% Guangxi, -5.6% Hunan, -4.5% Guizhou, -3.5% Henan).",
         "The basis of every value and a spliced series are in province_population_spliced "
         "(rule population_splice_neighbour_growth); the values here are as published.")),
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
            _f("east_population", "number", "Population of the eastern group (spliced series)", "10 000 persons",
               False, 0),
            _f("west_population", "number", "Population of the western group (spliced series)", "10 000 persons",
               False, 0),
            _f("per_capita_ratio", "number", "East per-capita GRP / west per-capita GRP, spliced population",
               "ratio", False, 0),
            _f("per_capita_ratio_unspliced", "number",
               "East per-capita GRP / west per-capita GRP, population as published", "ratio", False, 0),
        ), ("vintage", "year"), {"vintage": tuple(RATIO_VINTAGES)}),
        ("Populations: gcam_compendium GDP uses the compendium population (to 2008), nbs_2021 uses nbs_2021 "
         "population; csy2009_first_release has no matching population (per-capita NaN).",
         "Populations and per_capita_ratio are on the spliced population of province_population_spliced (rule "
         "population_splice_neighbour_growth: one definition basis per vintage); per_capita_ratio_unspliced uses "
         "the population as published, with its definition breaks (compendium 2005; NBS 2021 2005 and 2010).",
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
    DatasetSpec(
        "province_real_gdp", "Real GRP by province at 2000 prices, chained from the real index",
        "Real gross regional product of every province, chained from the NBS previous-year index "
        "(province_gdp_index) starting at nominal GRP in 2000 (province_gdp, nbs_2021 vintage).",
        "100 million yuan, 2000 prices",
        Schema((
            _PROV, _f("year", "integer", "Calendar year", minimum=2000),
            _f("real_gdp_2000", "number", "Real GRP at 2000 prices; equals nominal GRP in 2000",
               "100 million yuan, 2000 prices", minimum=0),
        ), ("province", "year")),
        ("100 * real_gdp_2000[t] / real_gdp_2000[t-1] equals gdp_index[t] for every later year "
         "(ewp_stats.pipeline.derive.chain_real_gdp).",)),
    DatasetSpec(
        "province_value_added", "Value added of the three industries by province (NBS 2021 vintage)",
        "Nominal GRP and the value added of the primary, secondary and tertiary industries of every province, "
        "2000-2019, from the NBS easyquery table (the same file as the nbs_2021 vintage of province_gdp).",
        _YUAN100M,
        Schema((
            _PROV, _f("year", "integer", "Calendar year", minimum=2000),
            _f("gdp", "number", "Nominal GRP (equals province_gdp, nbs_2021)", _YUAN100M, minimum=0),
            _f("primary", "number", "Value added of the primary industry (agriculture, forestry, husbandry, "
               "fishery)", _YUAN100M, minimum=0),
            _f("secondary", "number", "Value added of the secondary industry (industry incl. mining, and "
               "construction)", _YUAN100M, minimum=0),
            _f("tertiary", "number", "Value added of the tertiary industry (services)", _YUAN100M, minimum=0),
        ), ("province", "year")),
        ("primary + secondary + tertiary equals gdp within 0.1% in every province-year (rule "
         "value_added_sums_to_gdp; the largest gap is a rounding difference of the published figures).",
         "The secondary industry includes mining (oil and gas extraction), which the NBS table does not show "
         "separately.")),
    DatasetSpec(
        "province_population_spliced", "Year-end population with its definition basis and a spliced series",
        "province_population as published, the population_basis of every value, and a series spliced at the "
        "named definition breaks so that growth is comparable across them.", "10 000 persons",
        Schema((
            _f("vintage", "string", "Population vintage"), _PROV, _YEAR,
            _f("population", "number", "Year-end population as published (province_population)",
               "10 000 persons", minimum=0),
            _f("population_basis", "string", "Definition basis of the published value"),
            _f("population_spliced", "number", "Population rescaled to the vintage's latest basis",
               "10 000 persons", minimum=0),
            _f("splice_factor", "number", "population_spliced / population", "ratio", minimum=0),
        ), ("vintage", "province", "year"), {"vintage": POPULATION_VINTAGES, "population_basis": POPULATION_BASES}),
        ("Splicing rule: " + SPLICE_RULE,
         "Breaks (first year on the new basis): gcam_compendium Chongqing 1996, all provinces 2000 (census) and "
         "2005 (usual residents); nbs_2021 2005 (usual residents) and 2010 (2010 census).",
         "The analyses still use the published series; the spliced one is shipped beside it.")),
    DatasetSpec(
        "east_west_real_ratio", "East/west ratio of real GRP at 2000 prices (NBS 2021 vintage)",
        "Sum of the 10 eastern provinces' GRP at 2000 prices over that of the 12 western provinces; each "
        "province's GRP is chained from its previous-year index (province_real_gdp).", "ratio",
        Schema((
            _f("year", "integer", "Calendar year", minimum=2000),
            _f("east_real_gdp_2000", "number", "Real GRP of the 10 eastern provinces", "100 million yuan, 2000 prices",
               minimum=0),
            _f("west_real_gdp_2000", "number", "Real GRP of the 12 western provinces", "100 million yuan, 2000 prices",
               minimum=0),
            _f("real_ratio", "number", "east_real_gdp_2000 / west_real_gdp_2000", "ratio", minimum=0),
        ), ("year",)),
        ("Equals the nominal nbs_2021 ratio in 2000 by construction; the nominal ratio is in east_west_ratio.",)),
    DatasetSpec(
        "province_gdp_per_capita", "Per-capita GRP on average and on year-end population",
        "Per-capita GRP with the NBS definition (average of the previous and the current year-end population) "
        "where the data allow, and on year-end population as the documented alternative.", "yuan per person",
        Schema((
            _f("vintage", "string", "GDP and population vintage"), _PROV, _YEAR,
            _f("gdp", "number", "Nominal GRP", _YUAN100M, minimum=0),
            _f("population_year_end", "number", "Year-end population as published", "10 000 persons", minimum=0),
            _f("population_average", "number", "(previous year-end + year-end) / 2", "10 000 persons", False, 0),
            _f("gdp_per_capita_average", "number", "gdp / population_average (NBS definition)", "yuan per person",
               False, 0),
            _f("gdp_per_capita_year_end", "number", "gdp / population_year_end (alternative)", "yuan per person",
               minimum=0),
        ), ("vintage", "province", "year"), {"vintage": POPULATION_VINTAGES}),
        ("population_average is missing in each vintage's first year (no previous year-end) and in a year whose "
         "previous year-end is on another population_basis (a definition break), where an average would mix "
         "bases.",
         "Yuan per person = gdp (100 million yuan) / population (10 000 persons) * 10 000, rounded to 0.01.",
         "Check: for nbs_2021, gdp_per_capita_average is closer than gdp_per_capita_year_end to the per-capita GRP "
         "NBS publishes (人均地区生产总值) in 519 of 527 province-years (median gap 0.001% vs 0.3%), which confirms "
         "that NBS divides by average population.")),
    DatasetSpec(
        "funding", "Funding of the East-West partnership by source, 2003-2007 (paper Table 1, tidy)",
        "Funding of the East-West partnership by source, 2003-2007 (paper Table 1, tidy)",
        "million yuan (nominal; Table 1 'Unit: Million')",
        Schema((
            _f("item", "string", "row id: " + ", ".join(vocab.FUNDING_ITEM_IDS)),
            _f("period", "string",
               "'2003'..'2007' for the year columns, '2003-2007' for the printed Total column"),
            _f("label", "string", "row label exactly as printed"),
            _f("parent", "string",
               "item this row is a part of ('' if none): levels -> government_funds; "
               "government_funds, enterprise_investments, social_donations -> total; "
               "real_investments -> enterprise_investments (paid-in part of contracted "
               "investment; a memo item); tax_payments -> '' (taxes paid by the investing "
               "enterprises; a memo item)", required=False),
            _f("role", "string",
               "'subtotal' (has components), 'component', 'memo' (not a source of funds, "
               "shown for information) or 'total' (the printed Total row)"),
            _f("period_type", "string", "'year' or 'printed_total' (the printed Total column; not a year)"),
            _f("first_year", "integer", "first year covered by the period (int)", minimum=2003),
            _f("last_year", "integer", "last year covered by the period (int)", minimum=2003),
            _f("amount", "number", "amount in million yuan (float), parsed from 'printed' under 'rule'",
               "million yuan", minimum=0),
            _f("printed", "string", "the cell exactly as printed"),
            _f("rule", "string", "parsing rule applied ('' = plain number)", required=False),
            _f("failed_checks", "string",
               "';'-separated ids of funding_checks identities that fail and involve this cell "
               "('' = none)", required=False),
        ), ("item", "period"), {"item": vocab.FUNDING_ITEM_IDS, "role": vocab.FUNDING_ROLES,
                                "period_type": vocab.PERIOD_TYPES}),
        ("The printed Total row equals the column sum of all eight printed rows within "
         "rounding, i.e. it counts the government subtotal and its three levels, and real "
         "investments and tax payments next to enterprise investments (see funding_checks "
         "'total.all_rows').",
         "Government funds differ from the sum of their three levels in 2003 (-2.6176) and "
         "2006 (+231.1, 534.553 vs 303.453); both are flagged, not corrected.",
         "Real investments are below enterprise investments in every period, consistent with "
         "a paid-in part of contracted investment.",
         "The printed Total column equals the sum of the year columns within rounding for "
         "every row.")),
    DatasetSpec(
        "funding_checks", "Accounting identities of paper Table 1 checked on the printed figures",
        "Accounting identities of paper Table 1 checked on the printed figures",
        "million yuan (lhs, rhs, difference, tolerance)",
        Schema((
            _f("id", "string", "identity id: " + ", ".join(vocab.RECORDED_IDENTITIES)
               + ", row_sum.<item> (ewp_stats.data.vocab)"),
            _f("period", "string", "'2003'..'2007' or '2003-2007' (the printed Total column)"),
            _f("relation", "string", "'=' (identity) or '<=' (inequality lhs <= rhs)"),
            _f("description", "string", "what is checked"),
            _f("lhs", "number", "left-hand side (the printed aggregate)", "million yuan"),
            _f("rhs", "number", "right-hand side (computed from printed components)", "million yuan"),
            _f("difference", "number", "lhs - rhs", "million yuan"),
            _f("tolerance", "number",
               "worst-case rounding bound: sum of half a unit in the last printed decimal of "
               "every printed figure in the identity", "million yuan", minimum=0),
            _f("holds", "boolean",
               "True if |difference| <= tolerance ('=') or difference <= tolerance ('<=')"),
        ), ("id", "period"), {"relation": ("=", "<=")}),
        ("Failing identities are reported, never corrected.",)),
    DatasetSpec(
        "personnel",
        "Personnel exchange and training under the East-West partnership (paper Table 2, tidy)",
        "Personnel exchange and training under the East-West partnership (paper Table 2, tidy)",
        "person-times or training terms (column 'unit')",
        Schema((
            _f("item", "string", "row id, e.g. cadre_east_to_west, technician_attendees_teacher"),
            _f("period", "string",
               "'2009', '2010' or '2003-2010' (the printed 'Total of 2003-2010' column)"),
            _f("category", "string", "cadre_exchange, technician_exchange or management_exchange"),
            _f("group", "string", "'attendees' for the rows printed under the 'Attendees' group, else ''",
               required=False),
            _f("label", "string", "item label as printed (line wraps joined with one space)"),
            _f("unit", "string", "unit as printed: 'Person-time' or 'Terms'"),
            _f("period_type", "string", "'year' or 'printed_total'"),
            _f("first_year", "integer", "first year covered by the period (int)", minimum=2003),
            _f("last_year", "integer", "last year covered by the period (int)", minimum=2003),
            _f("count", "integer", "the printed count (int)", minimum=0),
            _f("printed", "string", "the cell exactly as printed"),
            _f("rule", "string", "parsing rule applied ('' = plain integer)", required=False),
        ), ("item", "period"), {"item": tuple(p.item for p in vocab.PERSONNEL_ITEMS),
                                "category": tuple(vocab.PERSONNEL_CATEGORIES.values()),
                                "unit": vocab.PERSONNEL_UNITS, "period_type": vocab.PERIOD_TYPES}),
        ("Only 2009, 2010 and the 2003-2010 total are printed; 2003-2008 cannot be recovered "
         "individually.",
         "The three 'Attendees' rows of technician exchange do not add up to the technician "
         "'Training Course' row (different units: person-times vs terms); no identity is "
         "asserted between them.")),
    DatasetSpec(
        "claims_register", "Register of every numeric claim in the five source documents",
        "seeds/claims.csv, typed: one row per printed figure with its location, unit, period and, "
        "where checkable, a machine-readable check.",
        "see column 'unit'",
        Schema((
            _f("id", "string", "claim id: P.. for the paper, N<doc>-.. for news items"),
            _f("document", "string", "document id 000-004 (seeds/bibliography.csv)"),
            _f("section", "string", "section heading of the document (a table, or '(main text)')"),
            _f("location", "string", "paragraph, or table row and column, inside the section"),
            _f("line", "integer", "line of the seed file where the printed figure starts (1-based)", minimum=1),
            _f("start", "integer", "character offset of the printed figure in the seed file (0-based)", minimum=0),
            _f("end", "integer", "character offset just after the printed figure", minimum=1),
            _f("printed", "string", "the figure(s) exactly as printed (whitespace normalised)"),
            _f("value", "number", "the number in `unit` (the lower end for a printed range)", minimum=0),
            _f("value_high", "number", "upper end of a printed range (qualifier 'range')", required=False,
               minimum=0),
            _f("unit", "string", "unit of value"),
            _f("period", "string", "period or date the figure refers to", required=False),
            _f("quantity", "string", "what the figure measures"),
            _f("qualifier", "string",
               "the approximate word of the printed figure ('' for a plain rounded figure; "
               "vocabulary and semantics in seeds/claims.md)", required=False),
            _f("decimals", "integer",
               "printed precision (decimals; negative for rounding to tens, hundreds, ...)"),
            *(_f(name, "string", text, required=False) for name, text in (
                ("check", "check-language expression recomputing the figure ('' when not checkable)"),
                ("check_label", "what the check computes"),
                ("convention", "the named convention under which the check reproduces the figure"),
                ("alt_check", "alternative computation that may explain a discrepancy"),
                ("alt_explanation", "what alt_check computes"),
                ("discrepancy_explanation",
                 "most likely explanation of a discrepancy when no alternative reproduces it"),
                ("discrepancy_kind",
                 "why the claim is expected to be discrepant: vintage, formula, convention, "
                 "definition, misprint or unknown ('' when it is not)"),
                ("context", "expression shown next to the verdict (other vintage, implied rate, ...)"),
                ("context_label", "what context computes"),
                ("not_checkable_reason",
                 "why the claim cannot be checked and what data would be needed"),
            )),
        ), ("id",), {"document": vocab.CLAIM_DOCUMENTS, "qualifier": vocab.CLAIM_QUALIFIERS,
                 "discrepancy_kind": vocab.CLAIM_DISCREPANCY_KINDS}),
        ("Layout and check language: seeds/claims.md.",)),
    DatasetSpec(
        "claim_consistency", "Checks between claims of the register",
        "seeds/claim_consistency.csv: one row per check that compares claims with each other "
        "(periodisations, partner counts, programme ages, Table 2 ratios).",
        "see column 'expected'",
        Schema((
            _f("id", "string", "check id: C01, C02, ..."),
            _f("claims", "string", "the claim ids compared, separated by ';' (empty: table cells only)",
               required=False),
            _f("expression", "string", "check-language expression over the claims"),
            _f("expected", "string", "the number or interval ('[25, 62]', '(1, inf)') it must meet"),
            _f("description", "string", "what is compared"),
        ), ("id",)),
        ("Evaluated by ewp_stats.paper.claim_consistency.check_consistency.",)),
    DatasetSpec(
        "xinjiang_official", "Xinjiang's 2020-2022 GDP as released by the region and the press",
        "seeds/xinjiang_official_2020_2022.csv: figures for Xinjiang's 2020-2022 GDP, growth and "
        "industries from government work reports, white papers and press conferences, each with "
        "its URL and date. A source of its own, never merged into the NBS vintages of 'xinjiang'.",
        "see column 'unit'",
        Schema((
            _f("source", "string", "short id of the source page (one page, one id)"),
            _f("year", "integer", "year the figure refers to", minimum=2020),
            _f("quantity", "string", "what the figure measures"),
            _f("value", "number", "the figure in `unit` (levels converted from the printed unit)"),
            _f("unit", "string", "unit of value: billion yuan, percent or yuan"),
            _f("printed", "string", "the figure as the page prints it"),
            _f("primary", "integer",
               "1 for the one row per (year, quantity) that xj_release() returns", minimum=0),
            _f("source_kind", "string", "kind of source"),
            _f("source_title", "string", "title of the page"),
            _f("source_url", "string", "address of the page"),
            _f("published", "string", "publication date of the page (ISO)"),
            _f("note", "string", "what the figure is and what to keep in mind", required=False),
        ), ("source", "year", "quantity"),
            {"source_kind": ("government_work_report", "white_paper", "press_conference",
                             "press_secondary"),
             "unit": ("billion yuan", "percent", "yuan")}),
        ("Read from stored copies of public pages through the project's search tool; the sources "
         "and what each leaves out are described in seeds/xinjiang_official_2020_2022.md.",
         "Not a vintage of the NBS series: the official 2020-2022 provincial accounts are not "
         "shipped, and these releases (preliminary, rounded, some secondary) are not spliced "
         "onto them.")),
]}
