"""Derived series: the east/west GDP ratio and Xinjiang's outcome series.

Pure functions of the cleaned province frames and the region classification.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ewp_stats.errors import DataValidationError

__all__ = ["RATIO_VINTAGES", "east_west_ratio", "chain_real_gdp", "xinjiang_series"]

#: For each GDP vintage, the population vintage used for per-capita ratios (None when there is none).
RATIO_VINTAGES: dict[str, str | None] = {
    "gcam_compendium": "gcam_compendium",
    "nbs_2021": "nbs_2021",
    "csy2009_first_release": None,
}


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


def east_west_ratio(gdp: pd.DataFrame, population: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """East/west GDP ratio (and per-capita ratio) by vintage and year.

    Parameters
    ----------
    gdp
        ``province_gdp`` frame indexed by (vintage, province, year), column ``gdp``.
    population
        ``province_population`` frame indexed the same way, column ``population``.
    regions
        ``regions`` frame indexed by province, column ``paper_group``.

    Returns
    -------
    DataFrame
        Indexed by (vintage, year) for the vintages of :data:`RATIO_VINTAGES`; columns
        ``east_gdp``, ``west_gdp``, ``ratio``, ``east_population``, ``west_population``,
        ``per_capita_ratio`` (NaN where the vintage has no population for that year).
    """
    g = gdp["gdp"][gdp.index.get_level_values("vintage").isin(list(RATIO_VINTAGES))]
    sums = _group_sums(g, regions, "province_gdp")
    out = pd.DataFrame({"east_gdp": sums["east"], "west_gdp": sums["west"]})
    out["ratio"] = out["east_gdp"] / out["west_gdp"]
    pop_parts = []
    for gv, pv in RATIO_VINTAGES.items():
        if pv is None:
            continue
        p = population["population"].xs(pv, level="vintage", drop_level=False)
        p = p.rename(index={pv: gv}, level="vintage")
        pop_parts.append(p)
    psums = _group_sums(pd.concat(pop_parts), regions, "province_population")
    out["east_population"] = psums["east"].reindex(out.index)
    out["west_population"] = psums["west"].reindex(out.index)
    out["per_capita_ratio"] = out["ratio"] * out["west_population"] / out["east_population"]
    return out.sort_index()


def chain_real_gdp(nominal_base: float, index_prev_year: pd.Series) -> pd.Series:
    """Chain a previous-year=100 real index into a real level at base-year prices.

    Parameters
    ----------
    nominal_base
        Nominal GDP in the first year of ``index_prev_year`` (the base year).
    index_prev_year
        Real index by year (previous year = 100); the base year's own index is not used.

    Returns
    -------
    Series
        Real GDP at base-year prices; equals ``nominal_base`` in the base year, and
        ``100 * level[t] / level[t-1] == index_prev_year[t]`` for every later year.
    """
    idx = index_prev_year.sort_index()
    years = idx.index.to_numpy()
    if np.any(np.diff(years) != 1):
        raise DataValidationError(f"index years are not consecutive: {list(years)}", file="province_gdp_index")
    factors = (idx / 100.0).to_numpy().copy()
    factors[0] = 1.0
    return pd.Series(nominal_base * np.cumprod(factors), index=idx.index, name="real_gdp")


def xinjiang_series(gdp: pd.DataFrame, index: pd.DataFrame, population: pd.DataFrame,
                    per_capita: pd.Series, province: str = "Xinjiang") -> pd.DataFrame:
    """Xinjiang's nominal, real and per-capita GDP 2000-2019 from the NBS 2021 vintage.

    Parameters
    ----------
    gdp, index, population
        ``province_gdp``, ``province_gdp_index`` and ``province_population`` frames.
    per_capita
        NBS published per-capita GRP (yuan) for the province, indexed by year.
    province
        Province name (default Xinjiang).

    Returns
    -------
    DataFrame
        Indexed by ``year``; see the ``xinjiang`` dataset's schema.
    """
    nominal = gdp["gdp"].xs(("nbs_2021", province), level=("vintage", "province"))
    idx = index["gdp_index"].xs(province, level="province")
    pop = population["population"].xs(("nbs_2021", province), level=("vintage", "province"))
    real = chain_real_gdp(float(nominal.iloc[0]), idx)
    out = pd.DataFrame({
        "gdp": nominal,
        "gdp_index": idx,
        "real_gdp_2000": real,
        "real_growth": (idx - 100.0).round(6),
        "population": pop,
        "gdp_per_capita": per_capita,
    })
    out.index.name = "year"
    return out
