"""Corrections a user must be told about, built as data beside the series they correct.

None of these replaces a shipped series: the published values stay in ``province_population``,
``province_gdp`` and ``east_west_ratio``, and the analyses keep reading them. This module adds

* :func:`~ewp_stats.pipeline.corrections.population_spliced`: the ``population_basis`` of every population value and a spliced
  series (rule ``population_splice_neighbour_growth``, see :func:`~ewp_stats.pipeline.corrections.splice_series`);
* :func:`~ewp_stats.pipeline.corrections.vintage_seam`: per year, how many provinces of the compendium GDP match the NBS 2021 vintage;
* :func:`~ewp_stats.pipeline.corrections.gdp_dips`: one-year dips of nominal GRP (e.g. Chongqing 1999) and their effect on the ratio;
* :func:`~ewp_stats.pipeline.corrections.east_west_real_ratio`: the east/west ratio of GRP at 2000 prices (NBS 2021 vintage);
* :func:`~ewp_stats.pipeline.corrections.gdp_per_capita`: per-capita GRP on average population (NBS definition) and on year-end
  population (the documented alternative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline.plausibility import POPULATION_BREAKS, PopulationBreak

__all__ = [
    "SPLICE_RULE",
    "POPULATION_BASES",
    "SEAM_TOLERANCE",
    "population_basis",
    "splice_series",
    "population_spliced",
    "vintage_seam",
    "gdp_dips",
    "east_west_real_ratio",
    "gdp_per_capita",
]

#: The splicing rule of ``province_population_spliced``.
SPLICE_RULE = (
    "population_splice_neighbour_growth: at each named definition break (first year b on the new basis), the "
    "jump from b-1 to b is replaced by the mean of the neighbouring growth rates (b-2 -> b-1 and b -> b+1), and "
    "every year before b is rescaled by the one factor that does this, so growth inside each basis segment is "
    "unchanged; breaks are processed newest first, so each vintage's series is on its latest basis "
    "(compendium: usual residents 2005; NBS 2021: 2010-census level).")

#: Every ``population_basis`` label, in order of the breaks.
POPULATION_BASES: tuple[str, ...] = tuple(dict.fromkeys(
    label for b in POPULATION_BREAKS for label in (b.before, b.after)))

#: Two GDP values of the same province-year match when they differ by at most this many 100 million yuan.
SEAM_TOLERANCE = 0.05


def _breaks(vintage: str, province: str) -> list[PopulationBreak]:
    return [b for b in POPULATION_BREAKS if b.vintage == vintage and (not b.provinces or province in b.provinces)]


def population_basis(vintage: str, province: str, year: int) -> str:
    """The ``population_basis`` label of one population value (see :data:`~ewp_stats.pipeline.plausibility.POPULATION_BREAKS`)."""
    breaks = _breaks(vintage, province)
    if not breaks:
        raise KeyError(f"no population basis for vintage {vintage!r}")
    label = breaks[0].before
    for b in breaks:
        if year >= b.year:
            label = b.after
    # a province-specific break before an all-province one: its 'after' is the general label
    return label


def splice_series(values: pd.Series, break_years: list[int]) -> tuple[pd.Series, pd.Series]:
    """Splice one province's series at ``break_years`` (see :data:`~ewp_stats.pipeline.corrections.SPLICE_RULE`).

    Parameters
    ----------
    values
        Levels indexed by consecutive years.
    break_years
        First years on a new basis.

    Returns
    -------
    (Series, Series)
        The spliced levels and the factor applied to each year (1 on the latest basis).
    """
    s = values.astype(float).sort_index()
    factor = pd.Series(1.0, index=s.index)
    for b in sorted(break_years, reverse=True):
        if not {b - 2, b - 1, b, b + 1} <= set(s.index):
            raise DataValidationError(f"cannot splice at {b}: years {b - 2}-{b + 1} are needed", file="population")
        g = ((s[b - 1] / s[b - 2] - 1.0) + (s[b + 1] / s[b] - 1.0)) / 2.0
        f = s[b] / (1.0 + g) / s[b - 1]
        before = s.index < b
        s[before] = s[before] * f
        factor[before] = factor[before] * f
    return s, factor


def population_spliced(population: pd.DataFrame) -> pd.DataFrame:
    """The ``province_population_spliced`` dataset.

    Parameters
    ----------
    population
        ``province_population`` frame indexed by (vintage, province, year).

    Returns
    -------
    DataFrame
        Indexed by (vintage, province, year); columns ``population`` (as published),
        ``population_basis``, ``population_spliced`` and ``splice_factor``.
    """
    parts = []
    pop = population["population"]
    for (vintage, province), s in pop.groupby(level=["vintage", "province"]):
        s = s.droplevel(["vintage", "province"])
        spliced, factor = splice_series(s, [b.year for b in _breaks(str(vintage), str(province))])
        parts.append(pd.DataFrame({
            "vintage": vintage, "province": province, "year": s.index.astype(int),
            "population": s.to_numpy(),
            "population_basis": [population_basis(str(vintage), str(province), int(y)) for y in s.index],
            "population_spliced": spliced.round(4).to_numpy(), "splice_factor": factor.round(8).to_numpy()}))
    return pd.concat(parts, ignore_index=True).set_index(["vintage", "province", "year"]).sort_index()


def vintage_seam(gdp: pd.DataFrame, *, compendium: str = "gcam_compendium", reference: str = "nbs_2021"
                 ) -> dict[str, object]:
    """Per year, how many provinces of ``compendium`` GDP match ``reference`` (within :data:`~ewp_stats.pipeline.corrections.SEAM_TOLERANCE`).

    Returns
    -------
    dict
        ``rule``, ``tolerance``, ``matching_provinces`` (year -> count), ``provinces`` (31),
        ``matching`` (year -> names) and a ``note``.
    """
    g = gdp["gdp"]
    a = g.xs(compendium, level="vintage")
    b = g.xs(reference, level="vintage")
    both = pd.concat({"a": a, "b": b}, axis=1).dropna()
    match = (both["a"] - both["b"]).abs() <= SEAM_TOLERANCE
    counts = match.groupby(level="year").sum()
    names = {str(int(y)): sorted(p for (p, yy), m in match.items() if m and yy == y) for y in counts.index}
    n_prov = int(both.index.get_level_values("province").nunique())
    per_year = {str(int(y)): int(n) for y, n in counts.items()}
    first_low = [y for y, n in per_year.items() if n < n_prov / 2]
    return {
        "rule": f"a province matches when |{compendium} - {reference}| <= {SEAM_TOLERANCE} (100 million yuan)",
        "tolerance": SEAM_TOLERANCE, "provinces": n_prov, "matching_provinces": per_year, "matching": names,
        "note": (f"{compendium} GDP is a mix of vintages: in the years shared with {reference} "
                 f"({min(per_year)}-{max(per_year)}) the number of identical provinces falls to under half from "
                 f"{first_low[0] if first_low else 'no year'}; a {compendium} series crossing that seam mixes "
                 "first-release/unrevised values with pre-2020-revision ones.")}


def _ratio(values: pd.Series, groups: pd.Series) -> float:
    east = values[values.index.isin(groups.index[groups == "east"])].sum()
    west = values[values.index.isin(groups.index[groups == "west"])].sum()
    return float(east / west)


def gdp_dips(gdp: pd.DataFrame, regions: pd.DataFrame, vintages: tuple[str, ...]) -> list[dict[str, object]]:
    """Province-years whose nominal GRP is below both neighbouring years, with the effect on the ratio.

    Returns
    -------
    list of dict
        ``vintage``, ``province``, ``year``, ``gdp``, ``previous``, ``next``, ``ratio`` (as shipped),
        ``ratio_with_neighbour_mean`` (dip replaced by the geometric mean of its neighbours) and
        ``effect_on_ratio`` (ratio minus that).
    """
    groups = regions["paper_group"]
    out: list[dict[str, object]] = []
    for vintage in vintages:
        g = gdp["gdp"].xs(vintage, level="vintage")
        wide = g.unstack("year")
        for province, row in wide.iterrows():
            for year in row.index[1:-1]:
                prev, cur, nxt = row.get(year - 1), row[year], row.get(year + 1)
                if pd.notna(prev) and pd.notna(nxt) and cur < prev and cur < nxt:
                    year_values = wide[year]
                    fixed = year_values.copy()
                    fixed[province] = float(np.sqrt(prev * nxt))
                    r0, r1 = _ratio(year_values, groups), _ratio(fixed, groups)
                    out.append({"vintage": vintage, "province": str(province), "year": int(year),
                                "gdp": float(cur), "previous": float(prev), "next": float(nxt),
                                "group": str(groups[province]), "ratio": round(r0, 6),
                                "ratio_with_neighbour_mean": round(r1, 6), "effect_on_ratio": round(r0 - r1, 6)})
    return out


def east_west_real_ratio(real_gdp: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """The ``east_west_real_ratio`` dataset: east/west ratio of GRP at 2000 prices.

    Parameters
    ----------
    real_gdp
        ``province_real_gdp`` frame indexed by (province, year), column ``real_gdp_2000``.
    regions
        ``regions`` frame, column ``paper_group``.

    Returns
    -------
    DataFrame
        Indexed by ``year``; columns ``east_real_gdp_2000``, ``west_real_gdp_2000``, ``real_ratio``.
    """
    groups = regions["paper_group"]
    r = real_gdp["real_gdp_2000"]
    sides = {}
    for side in ("east", "west"):
        members = set(groups.index[groups == side])
        sub = r[r.index.get_level_values("province").isin(members)]
        n = sub.groupby(level="year").size()
        if (n != len(members)).any():
            raise DataValidationError(f"{side} group incomplete in province_real_gdp", file="province_real_gdp")
        sides[side] = sub.groupby(level="year").sum().round(6)
    out = pd.DataFrame({"east_real_gdp_2000": sides["east"], "west_real_gdp_2000": sides["west"]})
    out["real_ratio"] = out["east_real_gdp_2000"] / out["west_real_gdp_2000"]
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out


def gdp_per_capita(gdp: pd.DataFrame, spliced: pd.DataFrame, vintages: tuple[str, ...]) -> pd.DataFrame:
    """The ``province_gdp_per_capita`` dataset (yuan per person).

    ``population_average`` is (previous year-end + year-end) / 2, the NBS definition; it is missing in a
    vintage's first year and where the previous year-end is on another ``population_basis`` (a break).

    Parameters
    ----------
    gdp
        ``province_gdp`` frame.
    spliced
        :func:`~ewp_stats.pipeline.corrections.population_spliced` frame (its published ``population`` and ``population_basis``).
    vintages
        Vintages present in both.
    """
    parts = []
    for vintage in vintages:
        g = gdp["gdp"].xs(vintage, level="vintage")
        p = spliced.xs(vintage, level="vintage")
        d = pd.DataFrame({"gdp": g}).join(p[["population", "population_basis"]], how="inner").reset_index()
        d = d.sort_values(["province", "year"])
        prev = d.groupby("province")["population"].shift(1)
        prev_basis = d.groupby("province")["population_basis"].shift(1)
        prev_year = d.groupby("province")["year"].shift(1)
        ok = (prev_year == d["year"] - 1) & (prev_basis == d["population_basis"])
        d["population_average"] = ((prev + d["population"]) / 2.0).where(ok)
        d["gdp_per_capita_average"] = (d["gdp"] / d["population_average"] * 1e4).round(2)
        d["gdp_per_capita_year_end"] = (d["gdp"] / d["population"] * 1e4).round(2)
        d = d.rename(columns={"population": "population_year_end"}).assign(vintage=vintage)
        parts.append(d.drop(columns=["population_basis"]))
    return pd.concat(parts, ignore_index=True).set_index(["vintage", "province", "year"]).sort_index()
