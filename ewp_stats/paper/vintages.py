"""How the data vintages differ: the 2007 GDP revision and the overlap of the long ratio series.

The data chapter compares the vintages of the shipped provincial GDP before the eras analysis
uses them: how much the revised compilation moved each province's 2007 GDP from its first
release, and how far the two long east/west ratio series (the GCAM compilation and the NBS 2021
vintage) lie apart where they overlap.
"""

from __future__ import annotations

import pandas as pd

from ewp_stats import data

__all__ = ["gdp_revision", "vintage_overlap", "ratio_spread"]

#: The revised vintage and the first release compared by :func:`gdp_revision`.
REVISED, FIRST_RELEASE = "gcam_compendium", "csy2009_first_release"


def gdp_revision(*, year: int = 2007, revised: str = REVISED, first_release: str = FIRST_RELEASE) -> pd.DataFrame:
    """Each province's GDP in ``year`` in every vintage, and the revision from the first release.

    Parameters
    ----------
    year
        A year that both ``revised`` and ``first_release`` cover (default 2007, the year of the
        first release in the 2009 China Statistical Yearbook).
    revised, first_release
        The two vintages compared.

    Returns
    -------
    DataFrame
        Index ``province``; one column of GDP (100 million yuan) per vintage with data for
        ``year``, then ``revision_pct``: ``100 * (revised / first_release - 1)``.
    """
    gdp = data.load("province_gdp").reset_index()
    table = gdp[gdp["year"] == year].pivot(index="province", columns="vintage", values="gdp")
    table.columns.name = None
    table["revision_pct"] = 100 * (table[revised] / table[first_release] - 1)
    return table


def vintage_overlap(wide: pd.DataFrame, old: str, new: str) -> dict[str, float]:
    """Where two vintages of a series overlap, and how far apart they are there.

    Parameters
    ----------
    wide
        Index year, one column per vintage (e.g. the east/west ratio by vintage).
    old, new
        The two vintages.

    Returns
    -------
    dict
        ``first_year`` and ``last_year`` of the years both cover, ``max_abs_gap`` (the largest
        ``|new - old|``) and ``max_abs_gap_year`` (its year, the first if tied).
    """
    both = wide[[old, new]].dropna()
    gap = (both[new] - both[old]).abs()
    return {"first_year": float(both.index.min()), "last_year": float(both.index.max()),
            "max_abs_gap": float(gap.max()), "max_abs_gap_year": float(gap.idxmax())}


def ratio_spread(wide: pd.DataFrame, year: int) -> float:
    """The range (largest minus smallest) across vintages of a series in one year.

    Parameters
    ----------
    wide
        Index year, one column per vintage.
    year
        The year compared.
    """
    return float(wide.loc[year].max() - wide.loc[year].min())
