"""Funding of the East-West partnership, 2003-2007: accounting, composition and stability.

Longer than most modules, but one cohesive thing: the analyses of the validated Table 1, each a function and
its result class (the table and conventions are in :mod:`ewp_stats.paper.funding_table`).

The paper's Table 1 is the only record of how the partnership was financed in 2003-2007, and
its arithmetic does not hold together (see :func:`reconstruct`). This module never corrects the
table silently. Under the named *accounting conventions* of
:mod:`ewp_stats.paper.funding_table` (:data:`~ewp_stats.paper.funding_table.CONVENTIONS`) it computes composition shares,
government funds by level and the range and trend of each source, and reproduces the paper's four
headline shares (:func:`paper_shares`).

Every function takes the tidy ``funding`` frame (index ``item``, ``period``; column ``amount``
in million yuan, as built by :func:`ewp_stats.pipeline.paper_tables.build_funding`) or a
:class:`FundingTable` as its optional first argument. The default is
``ewp_stats.data.load("funding")``. Item names and the Table 1 identities are those of
:mod:`ewp_stats.data.vocab`.

The change decompositions (additive year-on-year contributions, LMDI) are in
:mod:`ewp_stats.paper.funding_decomposition` and the figures in
:mod:`ewp_stats.reporting.figures.funding`.

References
----------
The East-West Partnership for Poverty Reduction paper (``seeds/004_de9daaf1b232b997``),
section 3.1 and Table 1 "Funding Situation of EW Partnerships (2003~2007)".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result
from ewp_stats.data.vocab import (
    FUNDING_ITEM_IDS as ITEMS,
    FUNDING_PERIODS,
    FUNDING_ROWS,
    FUNDING_TOTAL_PERIOD as TOTAL_PERIOD,
    FUNDING_YEARS as YEARS,
    GOVERNMENT_LEVELS as LEVELS,
    RECONSTRUCTION_IDENTITIES,
    TABLE1_IDENTITIES,
    check_identity,
    row_sum_identity,
)
from ewp_stats.errors import DataValidationError, InputError
from ewp_stats.paper.funding_table import (
    CONVENTIONS,
    DEFAULT_CONVENTION,
    Convention,
    FundingTable,
    component_amounts,
    funding_table,
    get_convention,
    list_conventions,
    total_funds,
)
from ewp_stats.printed import reproduces

_REGISTER = "claims_register"

__all__ = [
    "ITEMS",
    "LEVELS",
    "YEARS",
    "TOTAL_PERIOD",
    "CONVENTIONS",
    "DEFAULT_CONVENTION",
    "Convention",
    "get_convention",
    "list_conventions",
    "component_amounts",
    "total_funds",
    "FundingTable",
    "funding_table",
    "Reconstruction",
    "reconstruct",
    "Composition",
    "composition",
    "shares_by_convention",
    "GovernmentLevels",
    "government_levels",
    "PaperShares",
    "paper_shares",
    "Stability",
    "stability",
    "kendall_trend",
    "aggregate_cross_checks",
]


# =============================================================================================
# reconstruction


@dataclass(frozen=True, eq=False)
class Reconstruction(Result):
    """Which identities Table 1 satisfies.

    Attributes
    ----------
    derived_identity
        The rows whose sum equals the printed Total in every period within rounding, found by
        searching all 255 non-empty subsets of the eight printed rows.
    subsets
        The search: one row per subset that matches the printed Total in at least one period,
        with ``n_periods_matched`` and ``max_abs_difference``.
    identities
        Named identities checked per period: ``lhs``, ``rhs``, ``difference`` (lhs - rhs),
        ``relative_difference`` (to lhs), ``tolerance`` (worst-case printed rounding) and
        ``holds``.
    """

    derived_identity: tuple[str, ...]
    unique: bool
    subsets: pd.DataFrame
    identities: pd.DataFrame
    _title: ClassVar[str] = "Accounting reconstruction of Table 1"

    @property
    def failures(self) -> pd.DataFrame:
        """The identities that fail, with their size."""
        return self.identities[~self.identities["holds"]]

    @property
    def n_subsets_matching_every_period(self) -> int:
        """How many subsets of the printed rows add up to the printed Total in every period."""
        return int((self.subsets["n_periods_matched"] == len(FUNDING_PERIODS)).sum())

    @property
    def derived_identity_max_abs_difference(self) -> float:
        """The largest gap, over the periods, between the printed Total and the derived identity's
        sum (its row of :attr:`subsets`, selected by name).

        Raises
        ------
        ewp_stats.errors.InputError
            No subset matches in every period (there is no derived identity).
        """
        if not self.derived_identity:
            raise InputError("no subset of the printed rows matches the printed Total in every period")
        return float(self.subsets.loc[" + ".join(self.derived_identity), "max_abs_difference"])

    def to_frame(self) -> pd.DataFrame:
        return self.identities

    def summary(self) -> str:
        lines = [self.title, "=" * len(self.title),
                 "Printed Total = " + " + ".join(self.derived_identity)
                 + (" (the only subset of rows that matches in every period)" if self.unique
                    else " (other subsets match too)"),
                 "", "Failing identities (difference = lhs - rhs, million yuan):"]
        for (ident, period), r in self.failures.iterrows():
            lines.append(f"  {ident:<34} {period:>9}  lhs {r['lhs']:>12.4f}  rhs "
                         f"{r['rhs']:>12.4f}  diff {r['difference']:>+12.4f} "
                         f"({r['relative_difference']:+.2%})")
        return "\n".join(lines)


def reconstruct(funding: pd.DataFrame | FundingTable | None = None) -> Reconstruction:
    """Derive from the figures alone which identity the printed totals satisfy.

    Every non-empty subset of the eight printed rows is summed and compared with the printed
    Total in each of the six periods (five years and the Total column). A subset *matches* a
    period when the gap is within the worst-case printed rounding: half a unit in the last
    printed decimal of the Total and of every row in the subset. Then the identities of
    :data:`~ewp_stats.data.vocab.RECONSTRUCTION_IDENTITIES` and the row sums are checked
    (:func:`~ewp_stats.data.vocab.check_identity`), and every failure is reported with its size.

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).

    Returns
    -------
    Reconstruction

    Notes
    -----
    On the printed table only the full set of eight rows matches, and it matches in all six
    periods. Every reading that removes some double counting misses the printed Total: leaving
    out the levels misses by their sum (0.3-1.2 % of the Total), government + enterprise +
    donations by 6-32 %, and the paid-in reading by 68-94 %.
    """
    table = funding_table(funding)
    a, h = table.amounts, table.half_units
    rows = []
    for r in range(1, len(FUNDING_ROWS) + 1):
        for subset in itertools.combinations(FUNDING_ROWS, r):
            diffs = a.loc["total"] - a.loc[list(subset)].sum()
            tol = h.loc["total"] + h.loc[list(subset)].sum()
            matched = diffs.abs() <= tol
            if matched.any():
                rows.append({"subset": " + ".join(subset), "n_rows": r,
                             "n_periods_matched": int(matched.sum()),
                             "periods_matched": ", ".join(matched[matched].index),
                             "max_abs_difference": float(diffs.abs().max())})
    subsets = pd.DataFrame(rows, columns=["subset", "n_rows", "n_periods_matched",
                                          "periods_matched", "max_abs_difference"])
    subsets = subsets.sort_values(["n_periods_matched", "max_abs_difference", "subset"],
                                  ascending=[False, True, True], kind="mergesort")
    subsets = subsets.set_index("subset")
    full = subsets[subsets["n_periods_matched"] == len(table.periods)]
    if len(full) == 0:
        derived: tuple[str, ...] = ()
    else:
        derived = tuple(full.index[0].split(" + "))
    checked = [(TABLE1_IDENTITIES[k], p) for k in RECONSTRUCTION_IDENTITIES for p in table.periods]
    checked += [(row_sum_identity(item), TOTAL_PERIOD) for item in ITEMS]
    identities = pd.DataFrame([
        {k: v for k, v in check_identity(ident, a, h, p).items() if k != "relation"}
        for ident, p in checked]).set_index(["identity", "period"])
    return Reconstruction(derived, len(full) == 1, subsets, identities)


# =============================================================================================
# composition


@dataclass(frozen=True, eq=False)
class Composition(Result):
    """Shares of each source of funds under one convention, by year and for 2003-2007.

    Attributes
    ----------
    convention
        The convention's name.
    frame
        Index (``period``, ``source``); columns ``amount`` (million yuan), ``total`` and
        ``share`` (amount / total). Shares sum to 1 in every period.
    memo
        Index (``period``, ``item``): memo items left out of total funds, with their ratio to
        total funds (``ratio_to_total``).
    """

    convention: str
    frame: pd.DataFrame
    memo: pd.DataFrame
    _title: ClassVar[str] = "Composition of funds"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def shares(self) -> pd.DataFrame:
        """Wide shares: rows sources, columns periods."""
        return self.frame["share"].unstack("period")[
            list(dict.fromkeys(self.frame.index.get_level_values("period")))
        ].loc[list(dict.fromkeys(self.frame.index.get_level_values("source")))]

    def summary(self) -> str:
        lines = [f"{self.title} under {self.convention!r} (percent of total funds)"]
        shares = (self.shares() * 100).round(3)
        lines.append(shares.to_string())
        return "\n".join(lines)


def composition(funding: pd.DataFrame | FundingTable | None = None, *,
                convention: str = DEFAULT_CONVENTION) -> Composition:
    """Composition shares of total funds by year and for 2003-2007 under a convention.

    For the ``"2003-2007"`` period each row's printed Total column is used, and for
    ``as_printed`` total funds are the printed Total. The printed Total column agrees with the
    sum of the years within 0.004 million yuan for every row.

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS`; default
        :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION` (each source counted once).
        The paper's reading is ``"as_printed"``.

    Raises
    ------
    InputError
        Unknown convention.
    """
    conv = get_convention(convention)
    table = funding_table(funding)
    comp = component_amounts(table, convention=conv)
    total = total_funds(table, convention=conv)
    long = comp.T.stack().rename("amount").to_frame()  # (period, source)
    long = long.reorder_levels(["period", "source"])
    long["total"] = total.reindex(long.index.get_level_values("period")).to_numpy()
    long["share"] = long["amount"] / long["total"]
    memo_items = conv.memo_items()
    memo = table.amounts.loc[memo_items].T.stack().rename("amount").to_frame()
    memo.index = memo.index.set_names(["period", "item"])
    memo["ratio_to_total"] = memo["amount"] / total.reindex(
        memo.index.get_level_values("period")).to_numpy()
    return Composition(conv.name, long, memo)


def shares_by_convention(funding: pd.DataFrame | FundingTable | None = None, *,
                         period: str | int = TOTAL_PERIOD) -> pd.DataFrame:
    """Shares of government, enterprise and donations in total funds under every convention.

    Returns
    -------
    DataFrame
        Rows ``government``, ``enterprise``, ``donations`` and ``other_printed_rows`` (levels,
        the other enterprise row and taxes, counted only by ``as_printed``, plus its rounding
        residual); columns the conventions. Each column sums to 1.
    """
    table = funding_table(funding)
    p = table.check_period(period)
    out = {}
    for conv in CONVENTIONS.values():
        total = total_funds(table, convention=conv)[p]
        gov = conv.government_amounts(table)[p]
        ent = table.amounts.loc[list(conv.enterprise), p].sum()
        don = table.amounts.at["social_donations", p]
        counted = {*conv.government, *conv.enterprise, "social_donations"}
        comp = component_amounts(table, convention=conv)[p]
        other = math.fsum(v for k, v in comp.items() if k not in counted
                          and k not in ("government", "enterprise", "donations"))
        out[conv.name] = {"government": gov / total, "enterprise": ent / total,
                          "donations": don / total, "other_printed_rows": other / total}
    frame = pd.DataFrame(out)
    frame.index.name = "source"
    frame.columns.name = "convention"
    return frame


# =============================================================================================
# government by level


@dataclass(frozen=True, eq=False)
class GovernmentLevels(Result):
    """Government funds by administrative level.

    Attributes
    ----------
    frame
        Index (``period``, ``level``) for the three levels; columns ``amount``,
        ``share_of_levels`` (of the sum of the three levels) and ``share_of_subtotal`` (of the
        printed government subtotal).
    gaps
        Index ``period``; columns ``subtotal`` (printed), ``sum_of_levels``, ``gap`` (subtotal -
        sum of levels), ``tolerance`` (printed rounding) and ``consistent``.
    """

    frame: pd.DataFrame
    gaps: pd.DataFrame
    _title: ClassVar[str] = "Government funds by level"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        lines = [self.title, "Share of the sum of levels (%):",
                 (self.frame["share_of_levels"].unstack("level")[list(LEVELS)] * 100)
                 .round(1).to_string(), "", "Printed subtotal vs sum of levels (million yuan):",
                 self.gaps.to_string(float_format=lambda v: f"{v:.4f}")]
        return "\n".join(lines)


def government_levels(funding: pd.DataFrame | FundingTable | None = None) -> GovernmentLevels:
    """Government funds by level (provincial, prefectural, county), with the subtotal gaps.

    The printed subtotal is not the sum of its levels in 2003 (gap -2.6176) and 2006 (gap
    +231.1), so shares are given against both denominators and the gap is reported, not
    allocated to any level. The gaps are the identity ``government.levels`` of
    :data:`~ewp_stats.data.vocab.TABLE1_IDENTITIES`, checked by
    :func:`~ewp_stats.data.vocab.check_identity` in every period.
    """
    table = funding_table(funding)
    a, h = table.amounts, table.half_units
    levels = a.loc[list(LEVELS)]
    sub = a.loc["government_funds"]
    long = levels.T.stack().rename("amount").to_frame()
    long.index = long.index.set_names(["period", "level"])
    per = long.index.get_level_values("period")
    long["share_of_levels"] = long["amount"] / levels.sum().reindex(per).to_numpy()
    long["share_of_subtotal"] = long["amount"] / sub.reindex(per).to_numpy()
    checks = pd.DataFrame([check_identity(TABLE1_IDENTITIES["government.levels"], a, h, p)
                           for p in table.periods]).set_index("period")
    gaps = checks[["lhs", "rhs", "difference", "tolerance", "holds"]].set_axis(
        ["subtotal", "sum_of_levels", "gap", "tolerance", "consistent"], axis=1)
    return GovernmentLevels(long, gaps)


# =============================================================================================
# the paper's four shares


@dataclass(frozen=True)
class _PaperShare:
    claim: str
    claim_id: str  # the printed figure: its row in the claims register
    description: str
    numerator: str  # "enterprise", "tax", "donations"
    denominator: str  # "total", "government"


#: The four shares quoted in section 3.1 for 2003-2007. The printed figures (80.3 %, 60.3 %,
#: 0.08 %, 16.8 %) are those of claims P35, P37, P38 and P39 of the claims register.
PAPER_SHARES: tuple[_PaperShare, ...] = (
    _PaperShare("enterprise_share_of_all", "P35", "enterprise investment / all funds",
                "enterprise", "total"),
    _PaperShare("tax_share_of_government", "P37", "tax payments / government funds", "tax",
                "government"),
    _PaperShare("donations_share_of_all", "P38", "social donations / all funds", "donations",
                "total"),
    _PaperShare("donations_share_of_government", "P39", "social donations / government funds",
                "donations", "government"),
)


def _printed_claims(ids: list[str], register: pd.DataFrame | None) -> pd.DataFrame:
    """Rows ``ids`` of the claims register (columns ``printed``, ``value``, ``decimals``, ``unit``)."""
    if register is None:
        from ewp_stats import data

        register = data.load(_REGISTER)
    reg = register if register.index.name == "id" else register.set_index("id")
    missing = [i for i in ids if i not in reg.index]
    if missing:
        raise DataValidationError(f"claims {missing} are not in the register; the funding "
                                  "analysis compares Table 1 with them", file=_REGISTER,
                                  column="id")
    out = reg.loc[ids, ["printed", "value", "decimals", "unit"]].copy()
    out["value"] = out["value"].astype("float64")
    out["decimals"] = out["decimals"].astype("int64")
    return out


@dataclass(frozen=True, eq=False)
class PaperShares(Result):
    """The paper's four 2003-2007 shares, recomputed under every convention.

    Attributes
    ----------
    frame
        Index (``claim``, ``convention``); columns ``description``, ``printed``,
        ``numerator``, ``denominator`` (million yuan), ``share`` (fraction), ``percent``,
        ``rounded`` (percent at the printed number of decimals) and ``matches_printed``
        (:func:`~ewp_stats.printed.reproduces`: within half a unit of the printed figure).
    printed
        Index ``claim``: the printed figures as read from the claims register, columns
        ``claim_id``, ``printed`` (text), ``value`` (percent) and ``decimals``.
    """

    frame: pd.DataFrame
    printed: pd.DataFrame
    _title: ClassVar[str] = "The paper's four shares under each convention"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def table(self) -> pd.DataFrame:
        """Wide: rows claims (with the printed figure), columns conventions, values percent."""
        wide = self.frame["percent"].unstack("convention")[list(CONVENTIONS)]
        wide = wide.loc[list(self.printed.index)]
        wide.insert(0, "printed", self.printed["printed"])
        return wide

    def summary(self) -> str:
        ok = self.frame.xs("as_printed", level="convention")["matches_printed"]
        return "\n".join([
            self.title + " (percent)",
            self.table().to_string(float_format=lambda v: f"{v:.3f}"),
            f"as_printed reproduces {int(ok.sum())} of {len(ok)} printed shares at the printed "
            "rounding.",
        ])


def paper_shares(funding: pd.DataFrame | FundingTable | None = None, *,
                 register: pd.DataFrame | None = None) -> PaperShares:
    """Reproduce the paper's 80.3 %, 60.3 %, 0.08 % and 16.8 % and recompute them per convention.

    The shares use the printed Total column (2003-2007). "All funds" is the convention's
    total, "government funds" its government figure (printed subtotal or sum of levels), and
    "enterprise investment" its enterprise row (contracted or paid-in). Tax payments are always
    the printed tax row. A share matches the printed figure when it is within half a unit of
    its last printed decimal (:func:`~ewp_stats.printed.reproduces`, the rule of the claims
    audit).

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    register
        The claims register that holds the printed figures (claims P35, P37, P38, P39; index
        ``id``, columns ``printed``, ``value``, ``decimals``); default the shipped
        ``claims_register``.

    Raises
    ------
    DataValidationError
        A claim is missing from the register.
    """
    table = funding_table(funding)
    a = table.amounts
    p = TOTAL_PERIOD
    claims = _printed_claims([c.claim_id for c in PAPER_SHARES], register)
    printed = claims[["printed", "value", "decimals"]].rename_axis("claim_id").reset_index()
    printed.index = pd.Index([c.claim for c in PAPER_SHARES], name="claim")
    rows = []
    for conv in CONVENTIONS.values():
        parts = {"enterprise": a.loc[list(conv.enterprise), p].sum(),
                 "tax": a.at["tax_payments", p], "donations": a.at["social_donations", p],
                 "total": total_funds(table, convention=conv)[p], "government": conv.government_amounts(table)[p]}
        for c in PAPER_SHARES:
            fig = printed.loc[c.claim]
            share = parts[c.numerator] / parts[c.denominator]
            decimals = int(fig["decimals"])
            rows.append({"claim": c.claim, "convention": conv.name, "description": c.description,
                         "printed": fig["printed"], "numerator": float(parts[c.numerator]),
                         "denominator": float(parts[c.denominator]), "share": float(share),
                         "percent": float(share * 100), "rounded": round(share * 100, decimals),
                         "matches_printed": reproduces(fig["value"], decimals, float(share * 100))})
    return PaperShares(pd.DataFrame(rows).set_index(["claim", "convention"]), printed)


# =============================================================================================
# stability


#: Series examined for stability: the printed rows plus the sum of the three levels.
STABILITY_SERIES: tuple[str, ...] = (
    "government_funds", "government_levels_sum", *LEVELS, "enterprise_investments",
    "real_investments", "tax_payments", "social_donations", "total",
)


def kendall_trend(values: pd.Series | np.ndarray | list[float]) -> dict[str, float]:
    """Kendall's tau of a short series against time, with its exact permutation p-values.

    Parameters
    ----------
    values
        The series in time order (at least 3 values, no ties).

    Returns
    -------
    dict
        ``n``, ``kendall_tau``, ``p_increasing`` (exact one-sided p for an upward trend),
        ``p_decreasing`` and ``p_two_sided``, and ``p_min_one_sided`` = ``1 / n!``, the smallest
        one-sided p-value any series of length ``n`` can reach.

    Raises
    ------
    InputError
        Fewer than 3 values, a missing value or a tie.

    Notes
    -----
    Under the null hypothesis every order of the ``n`` values is equally likely, and the exact
    p-value counts the orders whose tau is at least as extreme (scipy's exact distribution).
    With ``n = 5`` there are 120 orders: a series that rises every year has tau = 1 and
    one-sided p = 1/120 (two-sided 1/60), the strongest evidence five points can give. The test
    says whether the order is trending, not how fast, and nothing about a "stable base".

    References
    ----------
    Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika* 30, 81-93. Computed
    with :func:`scipy.stats.kendalltau` (``method="exact"``); the tests check it against an
    enumeration of all permutations.
    """
    from scipy import stats

    v = np.asarray(values, dtype="float64")
    if v.ndim != 1 or len(v) < 3:
        raise InputError(f"kendall_trend needs a 1-d series of at least 3 values, got shape {v.shape}")
    if not np.isfinite(v).all():
        raise InputError("kendall_trend: the series has a missing or non-finite value")
    if len(np.unique(v)) < len(v):
        raise InputError("kendall_trend: the series has tied values; the exact test needs none")
    t = np.arange(len(v))
    res = {alt: stats.kendalltau(t, v, method="exact", alternative=alt)
           for alt in ("greater", "less", "two-sided")}
    return {"n": float(len(v)), "kendall_tau": float(res["two-sided"].statistic),
            "p_increasing": float(res["greater"].pvalue), "p_decreasing": float(res["less"].pvalue),
            "p_two_sided": float(res["two-sided"].pvalue),
            "p_min_one_sided": 1.0 / math.factorial(len(v))}


@dataclass(frozen=True, eq=False)
class Stability(Result):
    """Range, year-on-year swings and trend of each source over 2003-2007.

    Attributes
    ----------
    frame
        Index ``series``; columns ``mean``, ``min``, ``max``, ``max_over_min``,
        ``max_abs_growth`` (largest year-on-year change, fraction), ``n_declines``,
        ``decline_years``, ``monotone_increasing``, and the exact Kendall trend test of
        :func:`kendall_trend`: ``kendall_tau``, ``p_increasing``, ``p_two_sided``.
    yoy
        Index (``series``, ``year``) for 2004-2007; columns ``amount``, ``change`` and
        ``growth`` (fraction of the previous year).
    government_monotone
        Whether the printed government subtotal rises every year.
    government_levels_sum_monotone
        Whether the sum of the three levels rises every year.
    level_declines
        Level -> the years in which it fell.
    p_min_one_sided
        The smallest one-sided trend p-value five observations allow (1/120).
    """

    frame: pd.DataFrame
    yoy: pd.DataFrame
    government_monotone: bool
    government_levels_sum_monotone: bool
    level_declines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    p_min_one_sided: float = 1.0 / 120
    _title: ClassVar[str] = "Stability of funding sources, 2003-2007"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        cols = ["min", "max", "max_over_min", "n_declines", "decline_years", "kendall_tau",
                "p_increasing"]
        lines = [self.title, self.frame[cols].to_string(float_format=lambda v: f"{v:.3f}"), "",
                 "Printed government subtotal rises every year: "
                 f"{self.government_monotone}; sum of the three levels rises every year: "
                 f"{self.government_levels_sum_monotone}.",
                 f"Five observations: the smallest attainable one-sided trend p-value is "
                 f"{self.p_min_one_sided:.4f}; no dispersion statistic is estimated."]
        for level, years in self.level_declines.items():
            lines.append(f"  {level} falls in {', '.join(map(str, years)) or 'no year'}")
        return "\n".join(lines)


def stability(funding: pd.DataFrame | FundingTable | None = None) -> Stability:
    """Range, year-on-year swings, monotonicity and exact trend test of each source.

    Notes
    -----
    The paper says government aid was meant to rise every year from a stable base. The printed
    government subtotal does rise every year, but only because of its 2006 figure: the sum of
    the three levels falls in 2006, and every level falls in at least one year.

    Five annual observations cannot estimate a dispersion statistic with any precision (a
    standard deviation from 5 points has a 95 % interval of roughly 0.6 to 2.9 times its value
    under normality), so none is reported; the range and the year-on-year changes are the data
    themselves. The trend is judged by Kendall's tau with its exact permutation p-value
    (:func:`kendall_trend`), whose smallest one-sided value at n = 5 is 1/120.
    """
    table = funding_table(funding)
    years = [str(y) for y in YEARS]
    a = table.amounts[years]
    series = {s: (a.loc[list(LEVELS)].sum() if s == "government_levels_sum" else a.loc[s])
              for s in STABILITY_SERIES}
    rows, yoy_rows = [], []
    for name, s in series.items():
        values = s.to_numpy(dtype="float64")
        change = np.diff(values)
        growth = change / values[:-1]
        declines = tuple(int(y) for y, c in zip(years[1:], change, strict=True) if c < 0)
        trend = kendall_trend(values)
        rows.append({"series": name, "mean": float(values.mean()), "min": float(values.min()),
                     "max": float(values.max()),
                     "max_over_min": float(values.max() / values.min()),
                     "max_abs_growth": float(np.abs(growth).max()),
                     "n_declines": len(declines),
                     "decline_years": ", ".join(map(str, declines)),
                     "monotone_increasing": bool((change > 0).all()),
                     "kendall_tau": trend["kendall_tau"], "p_increasing": trend["p_increasing"],
                     "p_two_sided": trend["p_two_sided"]})
        for y, amt, ch, g in zip(years[1:], values[1:], change, growth, strict=True):
            yoy_rows.append({"series": name, "year": int(y), "amount": float(amt),
                             "change": float(ch), "growth": float(g)})
    frame = pd.DataFrame(rows).set_index("series")
    yoy = pd.DataFrame(yoy_rows).set_index(["series", "year"])
    level_declines = {lv: tuple(int(y) for y in frame.at[lv, "decline_years"].split(", ") if y)
                      for lv in LEVELS}
    return Stability(frame, yoy, bool(frame.at["government_funds", "monotone_increasing"]),
                     bool(frame.at["government_levels_sum", "monotone_increasing"]),
                     level_declines, 1.0 / math.factorial(len(years)))


# =============================================================================================
# cross-checks with the paper's other aggregates


#: Aggregates printed elsewhere in the paper (sections 2.1 and 2.2, billion yuan): check name ->
#: (claim id in the claims register, description).
PAPER_AGGREGATES: dict[str, tuple[str, str]] = {
    "free_aid_1996_2010": ("P16", "free financial aid from east to west, 1996-2010"),
    "enterprise_1996_2010": ("P17", "enterprise investment from east to west, 1996-2010"),
    "enterprise_2010": ("P32", "new enterprise investment in 2010"),
}
#: The paper's share of 2010 in the 1996-2010 enterprise investment (10.3 %), quoted in a check.
_ENTERPRISE_2010_SHARE_CLAIM = "P33"


def aggregate_cross_checks(funding: pd.DataFrame | FundingTable | None = None, *,
                           register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare Table 1 (2003-2007) with the paper's 1996-2010 aggregates (billion yuan).

    The aggregates are the printed figures named in ``PAPER_AGGREGATES`` (claims P16, P17 and
    P32, and the share P33 quoted in a description), read from the claims register.

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    register
        The claims register (index ``id``, columns ``printed``, ``value``, ``decimals``,
        ``unit``); default the shipped ``claims_register``.

    Returns
    -------
    DataFrame
        Index ``check``; columns ``description``, ``value`` (billion yuan or a ratio),
        ``reference`` (the aggregate compared with), ``ratio`` (value / reference) and
        ``note``.

    Raises
    ------
    DataValidationError
        A claim is missing from the register, or an aggregate is not in billion yuan.

    Notes
    -----
    Table 1 covers five of the fifteen years, so the checks are bounds, not identities: a
    2003-2007 amount must not exceed the 1996-2010 aggregate of the same kind.
    """
    table = funding_table(funding)
    a = table.amounts[TOTAL_PERIOD] / 1000.0  # million -> billion
    claims = _printed_claims([*(i for i, _ in PAPER_AGGREGATES.values()),
                              _ENTERPRISE_2010_SHARE_CLAIM], register)
    for claim_id, _ in PAPER_AGGREGATES.values():
        if claims.at[claim_id, "unit"] != "billion yuan":
            raise DataValidationError(f"unit {claims.at[claim_id, 'unit']!r}; the aggregate is "
                                      "compared in billion yuan", file=_REGISTER, row=claim_id,
                                      column="unit")
    free, ent, ent10 = (float(claims.at[PAPER_AGGREGATES[k][0], "value"]) for k in
                        ("free_aid_1996_2010", "enterprise_1996_2010", "enterprise_2010"))
    share_2010 = claims.at[_ENTERPRISE_2010_SHARE_CLAIM, "printed"]
    levels = float(a.loc[list(LEVELS)].sum())
    rows = [
        ("enterprise_2010_share", "2010 new enterprise investment / 1996-2010 enterprise "
         f"investment (paper: {share_2010})", ent10, ent, "paper's own arithmetic"),
        ("enterprise_contracted_2003_2007", "Contracted enterprise investment in the paper's funding table, 2003-2007",
         float(a["enterprise_investments"]), ent, "part of the 1996-2010 aggregate"),
        ("enterprise_paid_in_2003_2007", "Real enterprise investment in the paper's funding table, 2003-2007",
         float(a["real_investments"]), ent, "part of the 1996-2010 aggregate"),
        ("enterprise_rest_of_1996_2010", "1996-2010 enterprise investment left for 1996-2002 and "
         "2008-2009 after the paper's funding table (contracted) and 2010", ent - float(a["enterprise_investments"])
         - ent10, ent, "non-negative: the figures are compatible"),
        ("government_2003_2007", "Government funds (printed subtotal) in the paper's funding table, 2003-2007",
         float(a["government_funds"]), free, "part of the 1996-2010 free aid"),
        ("government_levels_2003_2007", "Sum of government levels in the paper's funding table, 2003-2007", levels,
         free, "part of the 1996-2010 free aid"),
        ("government_and_donations_2003_2007", "Government funds + social donations in the paper's "
         "funding table, 2003-2007", float(a["government_funds"] + a["social_donations"]), free,
         "if free aid includes donations"),
    ]
    frame = pd.DataFrame(rows, columns=["check", "description", "value", "reference", "note"])
    frame["ratio"] = frame["value"] / frame["reference"]
    return frame.set_index("check")[["description", "value", "reference", "ratio", "note"]]
