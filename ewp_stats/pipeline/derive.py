"""Derived series: the east/west GDP ratio, chained real GDP and Xinjiang's outcome series.

Pure functions of the cleaned province frames and the region classification. This is the one
home of :func:`chain_real_gdp`; the analyses read its result from the shipped
``province_real_gdp`` dataset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ewp_stats.data.vocab import RATIO_VINTAGES, REAL_GDP_BASE_YEAR, REAL_GDP_VINTAGE
from ewp_stats.errors import DataValidationError

__all__ = ["east_west_ratio", "chain_real_gdp", "real_gdp_panel", "xinjiang_series"]


def _group_sums(values: pd.Series, regions: pd.DataFrame, name: str) -> pd.DataFrame:
    """Sum a (vintage, province, year) series over the paper's east and west groups.

    Raises
    ------
    DataValidationError
        A province of either group is missing in some year, so the sum would be partial.
    """
    groups = regions["paper_group"]
    out = {}
    for side in ("east", "west"):
        members = set(groups.index[groups == side])
        sub = values[values.index.get_level_values("province").isin(members)]
        counts = sub.groupby(level=["vintage", "year"]).size()
        short = counts[counts != len(members)]
        if not short.empty:
            (vintage, year), n = next(iter(short.items()))
            raise DataValidationError(f"{side} group has {n} of {len(members)} provinces in {vintage} {year}; "
                                      "a partial sum would bias the ratio", file=name)
        # inputs carry at most 4 decimals: round away float summation noise
        out[side] = sub.groupby(level=["vintage", "year"]).sum().round(6)
    return pd.DataFrame(out)


def east_west_ratio(gdp: pd.DataFrame, population: pd.DataFrame, regions: pd.DataFrame,
                    spliced: pd.DataFrame) -> pd.DataFrame:
    """East/west GDP ratio (and per-capita ratio) by vintage and year.

    Parameters
    ----------
    gdp
        ``province_gdp`` frame indexed by (vintage, province, year), column ``gdp``.
    population
        ``province_population`` frame indexed the same way, column ``population`` (as published).
    regions
        ``regions`` frame indexed by province, column ``paper_group``.
    spliced
        ``province_population_spliced`` frame indexed the same way, column ``population_spliced``
        (each vintage's population on one definition basis; rule ``population_splice_neighbour_growth``).

    Returns
    -------
    DataFrame
        Indexed by (vintage, year) for the vintages of :data:`~ewp_stats.data.vocab.RATIO_VINTAGES`; columns
        ``east_gdp``, ``west_gdp``, ``ratio``, ``east_population``, ``west_population`` (sums of the
        spliced population), ``per_capita_ratio`` (on the spliced population: the default) and
        ``per_capita_ratio_unspliced`` (on the population as published); NaN where the vintage has no
        population for that year.

    Notes
    -----
    The published populations change definition (compendium: usual residents from 2005; NBS 2021: 2005
    and the 2010 census level), so a per-capita ratio on them jumps at each break for reasons that are not
    economic; the spliced series removes those jumps and is the default. Both ratios equal
    ``ratio * west_population / east_population`` for their own population.
    """
    g = gdp["gdp"][gdp.index.get_level_values("vintage").isin(list(RATIO_VINTAGES))]
    sums = _group_sums(g, regions, "province_gdp")
    out = pd.DataFrame({"east_gdp": sums["east"], "west_gdp": sums["west"]})
    out["ratio"] = out["east_gdp"] / out["west_gdp"]

    def group_population(series: pd.Series, what: str) -> pd.DataFrame:
        parts = []
        for gv, pv in RATIO_VINTAGES.items():
            if pv is None:
                continue
            p = series.xs(pv, level="vintage", drop_level=False)
            parts.append(p.rename(index={pv: gv}, level="vintage"))
        return _group_sums(pd.concat(parts), regions, what)

    psums = group_population(spliced["population_spliced"], "province_population_spliced")
    published = group_population(population["population"], "province_population")
    out["east_population"] = psums["east"].reindex(out.index)
    out["west_population"] = psums["west"].reindex(out.index)
    out["per_capita_ratio"] = out["ratio"] * out["west_population"] / out["east_population"]
    out["per_capita_ratio_unspliced"] = (out["ratio"] * published["west"].reindex(out.index)
                                         / published["east"].reindex(out.index))
    return out.sort_index()


def chain_real_gdp(nominal: pd.Series, index: pd.Series, *, base_year: int = REAL_GDP_BASE_YEAR) -> pd.Series:
    """Chain real GDP at ``base_year`` prices from a previous-year = 100 real index.

    Parameters
    ----------
    nominal
        Nominal GDP indexed by year (only the base year's value is used).
    index
        Real growth index, previous year = 100, indexed by consecutive years.
    base_year
        Year whose prices are used; the chained level equals nominal GDP there.

    Returns
    -------
    Series
        ``real_gdp_<base_year>`` for every year of ``index``: ``real_t = real_{t-1} * index_t / 100``
        forward and ``real_{t-1} = real_t / (index_t / 100)`` backward from the base year, so
        ``100 * real_t / real_{t-1} == index_t`` for every year after the first.

    Raises
    ------
    DataValidationError
        Years not consecutive, the base year missing from either series, or missing or
        non-positive index values.
    """
    idx = index.astype(float).sort_index()
    years = [int(y) for y in idx.index]
    if years != list(range(years[0], years[-1] + 1)):
        raise DataValidationError(f"index years must be consecutive, got {years}", file="province_gdp_index")
    if base_year not in years or base_year not in {int(y) for y in nominal.index}:
        raise DataValidationError(f"base year {base_year} must be in both the index ({years[0]}-{years[-1]}) "
                                  "and the nominal series", file="province_gdp_index")
    if idx.isna().any() or (idx <= 0).any():
        raise DataValidationError("the real index has missing or non-positive values; expected positive "
                                  "previous-year = 100 values", file="province_gdp_index")
    factor = (idx / 100.0).to_numpy()
    b = years.index(base_year)
    level = np.empty(len(years))
    level[b] = float(nominal.loc[base_year])
    for i in range(b + 1, len(years)):
        level[i] = level[i - 1] * factor[i]
    for i in range(b - 1, -1, -1):
        level[i] = level[i + 1] / factor[i + 1]
    return pd.Series(level, index=pd.Index(years, name="year"), name=f"real_gdp_{base_year}")


def real_gdp_panel(gdp: pd.DataFrame, index: pd.DataFrame) -> pd.DataFrame:
    """The ``province_real_gdp`` dataset: every province's real GDP at 2000 prices.

    Parameters
    ----------
    gdp
        ``province_gdp`` frame (the :data:`~ewp_stats.data.vocab.REAL_GDP_VINTAGE` is used).
    index
        ``province_gdp_index`` frame indexed by (province, year).

    Returns
    -------
    DataFrame
        Indexed by (province, year); column ``real_gdp_2000`` (:func:`chain_real_gdp`).
    """
    nominal = gdp["gdp"].xs(REAL_GDP_VINTAGE, level="vintage")
    idx = index["gdp_index"]
    parts = []
    for province in idx.index.get_level_values("province").unique():
        real = chain_real_gdp(nominal.xs(province, level="province"), idx.xs(province, level="province"))
        parts.append(real.rename("real_gdp_2000").to_frame().assign(province=province))
    return pd.concat(parts).reset_index().set_index(["province", "year"]).sort_index()


def xinjiang_series(gdp: pd.DataFrame, index: pd.DataFrame, population: pd.DataFrame,
                    per_capita: pd.Series, real_gdp: pd.DataFrame, *, province: str = "Xinjiang") -> pd.DataFrame:
    """Xinjiang's nominal, real and per-capita GDP 2000-2019 from the NBS 2021 vintage.

    Parameters
    ----------
    gdp, index, population
        ``province_gdp``, ``province_gdp_index`` and ``province_population`` frames.
    per_capita
        NBS published per-capita GRP (yuan) for the province, indexed by year.
    real_gdp
        ``province_real_gdp`` frame (:func:`real_gdp_panel`).
    province
        Province name (default Xinjiang).

    Returns
    -------
    DataFrame
        Indexed by ``year``; see the ``xinjiang`` dataset's schema.
    """
    nominal = gdp["gdp"].xs((REAL_GDP_VINTAGE, province), level=("vintage", "province"))
    idx = index["gdp_index"].xs(province, level="province")
    pop = population["population"].xs((REAL_GDP_VINTAGE, province), level=("vintage", "province"))
    out = pd.DataFrame({
        "gdp": nominal,
        "gdp_index": idx,
        "real_gdp_2000": real_gdp["real_gdp_2000"].xs(province, level="province"),
        "real_growth": (idx - 100.0).round(6),
        "population": pop,
        "gdp_per_capita": per_capita,
    })
    out.index.name = "year"
    return out
