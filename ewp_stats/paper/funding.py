"""Funding of the East-West partnership, 2003-2007: accounting, composition and stability.

The paper's Table 1 is the only record of how the partnership was financed in 2003-2007, and
its arithmetic does not hold together (see :func:`reconstruct`). This module never corrects the
table silently. It offers named *accounting conventions* (:data:`CONVENTIONS`), computes
composition shares, government funds by level and the stability of each source under each of
them, and reproduces the paper's four headline shares (:func:`paper_shares`).

Every function takes the tidy ``funding`` frame (index ``item``, ``period``; column ``amount``
in million yuan, as built by :func:`ewp_stats.pipeline.paper_tables.build_funding`) as an
optional argument. The default is ``ewp_stats.data.load("funding")``.

The change decompositions (additive year-on-year contributions, LMDI) are in
:mod:`ewp_stats.paper.funding_decomposition` and the figures in :mod:`ewp_stats.reporting.figures.funding`.

References
----------
The East-West Partnership for Poverty Reduction paper (``seeds/004_de9daaf1b232b997``),
section 3.1 and Table 1 "Funding Situation of EW Partnerships (2003~2007)".
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats.errors import DataValidationError, InputError
from ewp_stats.printed import float_half_unit, printed_half_unit

__all__ = [
    "ITEMS",
    "LEVELS",
    "YEARS",
    "TOTAL_PERIOD",
    "CONVENTIONS",
    "Convention",
    "get_convention",
    "list_conventions",
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
    "aggregate_cross_checks",
]

#: The eight printed rows of Table 1 plus its printed Total row, in printed order.
ITEMS: tuple[str, ...] = (
    "government_funds", "provincial_level", "prefectural_level", "county_level",
    "enterprise_investments", "real_investments", "tax_payments", "social_donations", "total",
)
#: The three government levels (components of ``government_funds``).
LEVELS: tuple[str, ...] = ("provincial_level", "prefectural_level", "county_level")
#: The years of Table 1.
YEARS: tuple[int, ...] = (2003, 2004, 2005, 2006, 2007)
#: The period label of the printed Total column.
TOTAL_PERIOD = "2003-2007"
_ROWS = ITEMS[:-1]  # the eight printed rows that the printed Total adds up
_DATASET = "funding"


# =============================================================================================
# results: shared behaviour


class _Result:
    """Mixin: ``to_dict`` / ``_repr_html_`` / ``to_frame`` for frozen result dataclasses.

    Subclasses define ``title``, ``summary()`` and ``to_frame()``; every DataFrame field is
    serialised as a list of records.
    """

    title: str = ""

    def summary(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable content (frames as lists of records, NaN as None)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:  # type: ignore[attr-defined]
            out[name] = _jsonable(getattr(self, name))
        json.dumps(out, allow_nan=False)
        return out

    def _repr_html_(self) -> str:
        return (f"<h4>{html.escape(self.title)}</h4><pre>{html.escape(self.summary())}</pre>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:.6g}"))

    def __str__(self) -> str:
        return self.summary()


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        flat = value.reset_index() if _has_named_index(value) else value
        return [{k: _jsonable(v) for k, v in rec.items()} for rec in flat.to_dict("records")]
    if isinstance(value, pd.Series):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Convention):
        return value.name
    return str(value) if not isinstance(value, str) else value


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(n is not None for n in frame.index.names)


# =============================================================================================
# the validated table


@dataclass(frozen=True, eq=False)
class FundingTable:
    """Table 1 as a validated wide table.

    Attributes
    ----------
    amounts
        Million yuan; rows are :data:`ITEMS`, columns the periods ``"2003"`` .. ``"2007"`` and
        ``"2003-2007"`` (the printed Total column).
    half_units
        Half a unit in the last printed decimal of each cell (its rounding bound), same shape.
    """

    amounts: pd.DataFrame
    half_units: pd.DataFrame

    @property
    def periods(self) -> list[str]:
        return [str(y) for y in YEARS] + [TOTAL_PERIOD]

    def value(self, item: str, period: str) -> float:
        return float(self.amounts.at[item, period])


def funding_table(funding: pd.DataFrame | None = None) -> FundingTable:
    """Validate the tidy ``funding`` frame and return it as a :class:`FundingTable`.

    Parameters
    ----------
    funding
        Tidy Table 1 (index ``item``, ``period``; column ``amount``; optional column ``printed``
        used for rounding bounds). Default: ``ewp_stats.data.load("funding")``.

    Raises
    ------
    DataValidationError
        Missing index levels or ``amount`` column, duplicated keys, missing or negative amounts,
        a missing item or period, or a subtotal (government funds) without its three levels.
    """
    if funding is None:
        from ewp_stats import data

        funding = data.load(_DATASET)
    if not isinstance(funding, pd.DataFrame):
        raise InputError(f"funding must be a pandas DataFrame, got {type(funding).__name__}")
    if list(funding.index.names) != ["item", "period"]:
        raise DataValidationError(
            f"index levels {list(funding.index.names)!r}; expected ['item', 'period']",
            file=_DATASET)
    if "amount" not in funding.columns:
        raise DataValidationError("no 'amount' column (million yuan)", file=_DATASET,
                                  column="amount")
    dup = funding.index.duplicated()
    if dup.any():
        key = funding.index[dup][0]
        raise DataValidationError(f"duplicated key {key!r}; (item, period) must be unique",
                                  file=_DATASET, row=f"{key[0]}/{key[1]}", column="item")
    amount = pd.to_numeric(funding["amount"], errors="coerce")
    for key, value in amount.items():
        row = f"{key[0]}/{key[1]}"
        if pd.isna(value):
            raise DataValidationError(
                f"missing amount (found {funding['amount'].get(key)!r}); every cell of Table 1 "
                "is printed", file=_DATASET, row=row, column="amount")
        if value < 0:
            raise DataValidationError(f"negative amount {value!r}; amounts are >= 0",
                                      file=_DATASET, row=row, column="amount")
    items = set(funding.index.get_level_values("item"))
    periods = [str(y) for y in YEARS] + [TOTAL_PERIOD]
    wide = amount.unstack("period")
    if "government_funds" in items:
        for level in LEVELS:
            have = wide.loc[level].dropna().index if level in wide.index else []
            lacking = [p for p in periods if p not in have and
                       p in wide.columns and not pd.isna(wide.at["government_funds", p])]
            if lacking:
                raise DataValidationError(
                    f"subtotal 'government_funds' without its component {level!r} in periods "
                    f"{lacking}; the subtotal needs all of {list(LEVELS)}",
                    file=_DATASET, row=f"{level}/{lacking[0]}", column="amount")
    missing_items = [i for i in ITEMS if i not in items]
    if missing_items:
        raise DataValidationError(f"missing items {missing_items}; Table 1 has {list(ITEMS)}",
                                  file=_DATASET, column="item")
    missing_periods = [p for p in periods if p not in wide.columns]
    if missing_periods:
        raise DataValidationError(
            f"missing periods {missing_periods}; expected {periods}", file=_DATASET,
            column="period")
    wide = wide.loc[list(ITEMS), periods]
    holes = wide.isna().stack()
    if holes.any():
        item, period = holes[holes].index[0]
        raise DataValidationError("missing cell; every item has every period",
                                  file=_DATASET, row=f"{item}/{period}", column="amount")
    if "printed" in funding.columns:
        printed = funding["printed"].unstack("period").loc[list(ITEMS), periods]
        half = printed.map(lambda s: printed_half_unit(str(s)))
    else:  # infer printed precision from the shortest float repr
        half = wide.map(float_half_unit)
    wide.columns.name = half.columns.name = "period"
    wide.index.name = half.index.name = "item"
    return FundingTable(wide.astype("float64"), half.astype("float64"))


def _resolve(funding: pd.DataFrame | FundingTable | None) -> FundingTable:
    return funding if isinstance(funding, FundingTable) else funding_table(funding)


def _check_period(period: str | int, table: FundingTable) -> str:
    p = str(period)
    if p not in table.periods:
        raise InputError(
            f"period {period!r} is outside Table 1; valid periods: {', '.join(table.periods)}")
    return p


# =============================================================================================
# conventions


@dataclass(frozen=True)
class Convention:
    """A named reading of Table 1: which rows make up "all funds".

    Attributes
    ----------
    name
        Identifier used throughout the package.
    title
        One-line description.
    components
        ``source -> items``: the additive parts of total funds and the printed rows each adds.
    government, enterprise
        Items whose sum is "government funds" and "enterprise investment" in this reading.
    printed_total
        If True, total funds are the printed Total row, and the gap between it and the sum of
        the components (printed rounding, at most 0.0041 million yuan) is a component
        ``rounding_residual``. If False, total funds are the sum of the components.
    evidence
        Why the reading is defensible, from the figures and the paper.
    """

    name: str
    title: str
    components: tuple[tuple[str, tuple[str, ...]], ...]
    government: tuple[str, ...]
    enterprise: tuple[str, ...]
    printed_total: bool
    evidence: str

    @property
    def sources(self) -> list[str]:
        """Component names, plus ``rounding_residual`` for a printed total."""
        names = [name for name, _ in self.components]
        return [*names, "rounding_residual"] if self.printed_total else names

    def memo_items(self) -> list[str]:
        """Printed rows that this reading leaves out of total funds."""
        used = {i for _, items in self.components for i in items}
        return [i for i in _ROWS if i not in used]


_AS_PRINTED_EVIDENCE = (
    "The printed Total equals the column sum of all eight printed rows in every year and in the "
    "Total column, to within 0.0041 million yuan (below half a unit of its second decimal); no "
    "other subset of rows does (see reconstruct()). The paper's four shares are computed on "
    "these totals. The reading counts government funds twice (subtotal and its three levels) "
    "and enterprise money twice (contracted and real investments), and it adds enterprise tax "
    "payments, which are not a source of funds.")
_SOURCES_EVIDENCE = (
    "Section 3.1 of the paper lists the partnership's funds as government financial aid, "
    "enterprise investment and social donations. The levels are a breakdown of government "
    "funds. Real investments are below enterprise investments in every period, so they are part "
    "of them rather than a further source. Tax payments are taxes the investing enterprises "
    "paid; they exceed government funds in 2007 (1026.77 vs 547.239), and the paper compares "
    "them with government funds instead of adding them. Levels, real investments and taxes are "
    "memo items.")
_LEVELS_EVIDENCE = (
    " Government funds are the sum of the three printed levels instead of the printed subtotal. "
    "The two agree within rounding in 2004, 2005 and 2007, but the levels add up to 2.6176 more "
    "than the subtotal in 2003 and to 231.1 less in 2006 (303.453 vs 534.553). Nothing in the "
    "table says which figure is right, so both readings are exposed.")
_PAID_IN_EVIDENCE = (
    "Like 'sources', but enterprise money is 'Real investments', read as paid-in (actually "
    "arrived) investment. Evidence: it is below contracted enterprise investment in every year "
    "(ratio 0.06-0.47, 0.23 over 2003-2007), as paid-in investment must be, and LGOP reports "
    "enterprise investment as a contracted figure and an arrived one. Contracted investment "
    "includes money that never arrived, so the paid-in reading measures funds that reached the "
    "west. The evidence is indirect: the paper never defines 'Real investments'.")

#: The named accounting conventions, keyed by name (see :class:`Convention`).
CONVENTIONS: dict[str, Convention] = {c.name: c for c in (
    Convention(
        "as_printed", "The paper's totals: all eight printed rows added up",
        tuple((i, (i,)) for i in _ROWS), ("government_funds",), ("enterprise_investments",),
        True, _AS_PRINTED_EVIDENCE),
    Convention(
        "sources", "Government (printed subtotal) + contracted enterprise investment + donations",
        (("government", ("government_funds",)), ("enterprise", ("enterprise_investments",)),
         ("donations", ("social_donations",))),
        ("government_funds",), ("enterprise_investments",), False, _SOURCES_EVIDENCE),
    Convention(
        "sources_levels", "Government (sum of levels) + contracted enterprise investment + "
        "donations",
        (("government", LEVELS), ("enterprise", ("enterprise_investments",)),
         ("donations", ("social_donations",))),
        LEVELS, ("enterprise_investments",), False, _SOURCES_EVIDENCE + _LEVELS_EVIDENCE),
    Convention(
        "paid_in", "Government (printed subtotal) + real (paid-in) enterprise investment + "
        "donations",
        (("government", ("government_funds",)), ("enterprise", ("real_investments",)),
         ("donations", ("social_donations",))),
        ("government_funds",), ("real_investments",), False, _PAID_IN_EVIDENCE),
    Convention(
        "paid_in_levels", "Government (sum of levels) + real (paid-in) enterprise investment + "
        "donations",
        (("government", LEVELS), ("enterprise", ("real_investments",)),
         ("donations", ("social_donations",))),
        LEVELS, ("real_investments",), False, _PAID_IN_EVIDENCE + _LEVELS_EVIDENCE),
)}


def get_convention(name: str | Convention) -> Convention:
    """Look up a convention by name.

    Raises
    ------
    InputError
        Unknown name; the message lists the valid ones.
    """
    if isinstance(name, Convention):
        return name
    if name not in CONVENTIONS:
        raise InputError(
            f"unknown accounting convention {name!r}; valid conventions: {', '.join(CONVENTIONS)}")
    return CONVENTIONS[name]


def list_conventions() -> pd.DataFrame:
    """The conventions with their components, memo items and evidence (one row each)."""
    rows = []
    for c in CONVENTIONS.values():
        rows.append({
            "convention": c.name, "title": c.title,
            "components": "; ".join(f"{n} = {' + '.join(i)}" for n, i in c.components),
            "total": "printed Total row" if c.printed_total else "sum of components",
            "memo_items": ", ".join(c.memo_items()), "evidence": c.evidence,
        })
    return pd.DataFrame(rows).set_index("convention")


def component_amounts(convention: str | Convention = "as_printed",
                      funding: pd.DataFrame | FundingTable | None = None) -> pd.DataFrame:
    """Amounts of each component of total funds under a convention.

    Returns
    -------
    DataFrame
        Rows: the convention's sources (plus ``rounding_residual`` for ``as_printed``); columns:
        the periods. The column sums equal the convention's total exactly (up to floating point).
    """
    conv = get_convention(convention)
    table = _resolve(funding)
    a = table.amounts
    rows = {name: a.loc[list(items)].sum() for name, items in conv.components}
    out = pd.DataFrame(rows).T
    if conv.printed_total:
        out.loc["rounding_residual"] = a.loc["total"] - out.sum()
    out.index.name = "source"
    out.columns.name = "period"
    return out


def total_funds(convention: str | Convention = "as_printed",
                funding: pd.DataFrame | FundingTable | None = None) -> pd.Series:
    """Total funds by period under a convention (million yuan)."""
    conv = get_convention(convention)
    table = _resolve(funding)
    if conv.printed_total:
        return table.amounts.loc["total"].rename("total")
    return component_amounts(conv, table).sum().rename("total")


def _government(conv: Convention, table: FundingTable) -> pd.Series:
    return table.amounts.loc[list(conv.government)].sum()


# =============================================================================================
# reconstruction


@dataclass(frozen=True, eq=False)
class Reconstruction(_Result):
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
    title: str = "Accounting reconstruction of Table 1"

    @property
    def failures(self) -> pd.DataFrame:
        """The identities that fail, with their size."""
        return self.identities[~self.identities["holds"]]

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


#: Named identities: id -> (description, lhs items, rhs items).
IDENTITIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "total.all_rows": ("printed Total = all eight printed rows", ("total",), _ROWS),
    "total.sources": ("printed Total = government + enterprise + donations", ("total",),
                      ("government_funds", "enterprise_investments", "social_donations")),
    "total.sources_levels": ("printed Total = three levels + enterprise + donations", ("total",),
                             (*LEVELS, "enterprise_investments", "social_donations")),
    "total.paid_in": ("printed Total = government + real investments + donations", ("total",),
                      ("government_funds", "real_investments", "social_donations")),
    "total.contracted_and_paid_in": (
        "printed Total = government + enterprise + real investments + donations", ("total",),
        ("government_funds", "enterprise_investments", "real_investments", "social_donations")),
    "total.without_levels": (
        "printed Total = all rows except the three levels", ("total",),
        tuple(i for i in _ROWS if i not in LEVELS)),
    "government.levels": ("government funds = provincial + prefectural + county",
                          ("government_funds",), LEVELS),
}


def _identity_rows(table: FundingTable) -> list[dict[str, Any]]:
    a, h = table.amounts, table.half_units
    rows = []
    for ident, (desc, lhs_items, rhs_items) in IDENTITIES.items():
        for p in table.periods:
            lhs = math.fsum(a.loc[list(lhs_items), p])
            rhs = math.fsum(a.loc[list(rhs_items), p])
            tol = math.fsum(h.loc[list(lhs_items + rhs_items), p])
            diff = round(lhs - rhs, 10) + 0.0
            rows.append({"identity": ident, "period": p, "description": desc, "lhs": lhs,
                         "rhs": rhs, "difference": diff, "relative_difference": diff / lhs,
                         "tolerance": tol, "holds": abs(diff) <= tol})
    for item in ITEMS:  # the printed Total column against the year columns
        years = [str(y) for y in YEARS]
        lhs = float(a.at[item, TOTAL_PERIOD])
        rhs = math.fsum(a.loc[item, years])
        tol = float(h.at[item, TOTAL_PERIOD]) + math.fsum(h.loc[item, years])
        diff = round(lhs - rhs, 10) + 0.0
        rows.append({"identity": f"row_sum.{item}", "period": TOTAL_PERIOD,
                     "description": f"printed Total column of {item} = sum of 2003-2007",
                     "lhs": lhs, "rhs": rhs, "difference": diff,
                     "relative_difference": diff / lhs, "tolerance": tol,
                     "holds": abs(diff) <= tol})
    return rows


def reconstruct(funding: pd.DataFrame | FundingTable | None = None) -> Reconstruction:
    """Derive from the figures alone which identity the printed totals satisfy.

    Every non-empty subset of the eight printed rows is summed and compared with the printed
    Total in each of the six periods (five years and the Total column). A subset *matches* a
    period when the gap is within the worst-case printed rounding: half a unit in the last
    printed decimal of the Total and of every row in the subset. Then the named
    ``IDENTITIES`` and the row sums are checked, and every failure is reported with its
    size.

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
    table = _resolve(funding)
    a, h = table.amounts, table.half_units
    rows = []
    for r in range(1, len(_ROWS) + 1):
        for subset in itertools.combinations(_ROWS, r):
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
    identities = pd.DataFrame(_identity_rows(table)).set_index(["identity", "period"])
    return Reconstruction(derived, len(full) == 1, subsets, identities)


# =============================================================================================
# composition


@dataclass(frozen=True, eq=False)
class Composition(_Result):
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
    title: str = "Composition of funds"

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


def composition(convention: str = "as_printed",
                funding: pd.DataFrame | FundingTable | None = None) -> Composition:
    """Composition shares of total funds by year and for 2003-2007 under a convention.

    For the ``"2003-2007"`` period each row's printed Total column is used, and for
    ``as_printed`` total funds are the printed Total. The printed Total column agrees with the
    sum of the years within 0.004 million yuan for every row.

    Parameters
    ----------
    convention
        A key of :data:`CONVENTIONS`.
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).

    Raises
    ------
    InputError
        Unknown convention.
    """
    conv = get_convention(convention)
    table = _resolve(funding)
    comp = component_amounts(conv, table)
    total = total_funds(conv, table)
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


def shares_by_convention(period: str | int = TOTAL_PERIOD,
                         funding: pd.DataFrame | FundingTable | None = None) -> pd.DataFrame:
    """Shares of government, enterprise and donations in total funds under every convention.

    Returns
    -------
    DataFrame
        Rows ``government``, ``enterprise``, ``donations`` and ``other_printed_rows`` (levels,
        the other enterprise row and taxes, counted only by ``as_printed``, plus its rounding
        residual); columns the conventions. Each column sums to 1.
    """
    table = _resolve(funding)
    p = _check_period(period, table)
    out = {}
    for conv in CONVENTIONS.values():
        total = total_funds(conv, table)[p]
        gov = _government(conv, table)[p]
        ent = table.amounts.loc[list(conv.enterprise), p].sum()
        don = table.amounts.at["social_donations", p]
        counted = {*conv.government, *conv.enterprise, "social_donations"}
        comp = component_amounts(conv, table)[p]
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
class GovernmentLevels(_Result):
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
    title: str = "Government funds by level"

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
    allocated to any level.
    """
    table = _resolve(funding)
    a, h = table.amounts, table.half_units
    levels = a.loc[list(LEVELS)]
    level_sum = levels.sum()
    sub = a.loc["government_funds"]
    long = levels.T.stack().rename("amount").to_frame()
    long.index = long.index.set_names(["period", "level"])
    per = long.index.get_level_values("period")
    long["share_of_levels"] = long["amount"] / level_sum.reindex(per).to_numpy()
    long["share_of_subtotal"] = long["amount"] / sub.reindex(per).to_numpy()
    tol = h.loc["government_funds"] + h.loc[list(LEVELS)].sum()
    gap = (sub - level_sum).round(10) + 0.0
    gaps = pd.DataFrame({"subtotal": sub, "sum_of_levels": level_sum, "gap": gap,
                         "tolerance": tol, "consistent": gap.abs() <= tol})
    gaps.index.name = "period"
    return GovernmentLevels(long, gaps)


# =============================================================================================
# the paper's four shares


@dataclass(frozen=True)
class _PaperClaim:
    claim: str
    description: str
    printed: str
    numerator: str  # "enterprise", "tax", "donations"
    denominator: str  # "total", "government"


#: The four shares quoted in section 3.1 for 2003-2007 (printed as percentages).
PAPER_SHARES: tuple[_PaperClaim, ...] = (
    _PaperClaim("enterprise_share_of_all", "enterprise investment / all funds", "80.3%",
                "enterprise", "total"),
    _PaperClaim("tax_share_of_government", "tax payments / government funds", "60.3%",
                "tax", "government"),
    _PaperClaim("donations_share_of_all", "social donations / all funds", "0.08%",
                "donations", "total"),
    _PaperClaim("donations_share_of_government", "social donations / government funds", "16.8%",
                "donations", "government"),
)


@dataclass(frozen=True, eq=False)
class PaperShares(_Result):
    """The paper's four 2003-2007 shares, recomputed under every convention.

    Attributes
    ----------
    frame
        Index (``claim``, ``convention``); columns ``description``, ``printed``,
        ``numerator``, ``denominator`` (million yuan), ``share`` (fraction), ``percent``,
        ``rounded`` (percent at the printed number of decimals) and ``matches_printed``.
    """

    frame: pd.DataFrame
    title: str = "The paper's four shares under each convention"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def table(self) -> pd.DataFrame:
        """Wide: rows claims (with the printed figure), columns conventions, values percent."""
        wide = self.frame["percent"].unstack("convention")[list(CONVENTIONS)]
        wide = wide.loc[[c.claim for c in PAPER_SHARES]]
        wide.insert(0, "printed", [c.printed for c in PAPER_SHARES])
        return wide

    def summary(self) -> str:
        ok = self.frame.xs("as_printed", level="convention")["matches_printed"]
        return "\n".join([
            self.title + " (percent)",
            self.table().to_string(float_format=lambda v: f"{v:.3f}"),
            f"as_printed reproduces {int(ok.sum())} of {len(ok)} printed shares at the printed "
            "rounding.",
        ])


def paper_shares(funding: pd.DataFrame | FundingTable | None = None) -> PaperShares:
    """Reproduce the paper's 80.3 %, 60.3 %, 0.08 % and 16.8 % and recompute them per convention.

    The shares use the printed Total column (2003-2007). "All funds" is the convention's
    total, "government funds" its government figure (printed subtotal or sum of levels), and
    "enterprise investment" its enterprise row (contracted or paid-in). Tax payments are always
    the printed tax row.
    """
    table = _resolve(funding)
    a = table.amounts
    p = TOTAL_PERIOD
    rows = []
    for conv in CONVENTIONS.values():
        parts = {"enterprise": a.loc[list(conv.enterprise), p].sum(),
                 "tax": a.at["tax_payments", p], "donations": a.at["social_donations", p],
                 "total": total_funds(conv, table)[p], "government": _government(conv, table)[p]}
        for c in PAPER_SHARES:
            share = parts[c.numerator] / parts[c.denominator]
            decimals = len(c.printed.rstrip("%").split(".")[1])
            rounded = round(share * 100, decimals)
            rows.append({"claim": c.claim, "convention": conv.name, "description": c.description,
                         "printed": c.printed, "numerator": float(parts[c.numerator]),
                         "denominator": float(parts[c.denominator]), "share": float(share),
                         "percent": float(share * 100), "rounded": rounded,
                         "matches_printed": f"{rounded:.{decimals}f}%" == c.printed})
    return PaperShares(pd.DataFrame(rows).set_index(["claim", "convention"]))


# =============================================================================================
# stability


#: Series examined for stability: the printed rows plus the sum of the three levels.
STABILITY_SERIES: tuple[str, ...] = (
    "government_funds", "government_levels_sum", *LEVELS, "enterprise_investments",
    "real_investments", "tax_payments", "social_donations", "total",
)


@dataclass(frozen=True, eq=False)
class Stability(_Result):
    """Volatility of each source over 2003-2007 and the monotonicity of government aid.

    Attributes
    ----------
    frame
        Index ``series``; columns ``mean``, ``std`` (ddof=1), ``cv`` (std / mean), ``min``,
        ``max``, ``max_over_min``, ``max_abs_growth`` (largest year-on-year change, fraction),
        ``n_declines``, ``decline_years`` and ``monotone_increasing``.
    yoy
        Index (``series``, ``year``) for 2004-2007; columns ``amount``, ``change`` and
        ``growth`` (fraction of the previous year).
    government_monotone
        Whether the printed government subtotal rises every year.
    government_levels_sum_monotone
        Whether the sum of the three levels rises every year.
    level_declines
        Level -> the years in which it fell.
    """

    frame: pd.DataFrame
    yoy: pd.DataFrame
    government_monotone: bool
    government_levels_sum_monotone: bool
    level_declines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    title: str = "Stability of funding sources, 2003-2007"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        cols = ["mean", "cv", "max_abs_growth", "n_declines", "decline_years",
                "monotone_increasing"]
        lines = [self.title, self.frame[cols].to_string(float_format=lambda v: f"{v:.3f}"), "",
                 "Printed government subtotal rises every year: "
                 f"{self.government_monotone}; sum of the three levels rises every year: "
                 f"{self.government_levels_sum_monotone}."]
        for level, years in self.level_declines.items():
            lines.append(f"  {level} falls in {', '.join(map(str, years)) or 'no year'}")
        return "\n".join(lines)


def stability(funding: pd.DataFrame | FundingTable | None = None) -> Stability:
    """Coefficient of variation, year-on-year swings and monotonicity of each source.

    Notes
    -----
    The paper says government aid was meant to rise every year from a stable base. The printed
    government subtotal does rise every year, but only because of its 2006 figure: the sum of
    the three levels falls in 2006, and every level falls in at least one year.
    """
    table = _resolve(funding)
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
        std = float(np.std(values, ddof=1))
        rows.append({"series": name, "mean": float(values.mean()), "std": std,
                     "cv": std / float(values.mean()), "min": float(values.min()),
                     "max": float(values.max()),
                     "max_over_min": float(values.max() / values.min()),
                     "max_abs_growth": float(np.abs(growth).max()),
                     "n_declines": len(declines),
                     "decline_years": ", ".join(map(str, declines)),
                     "monotone_increasing": bool((change > 0).all())})
        for y, amt, ch, g in zip(years[1:], values[1:], change, growth, strict=True):
            yoy_rows.append({"series": name, "year": int(y), "amount": float(amt),
                             "change": float(ch), "growth": float(g)})
    frame = pd.DataFrame(rows).set_index("series")
    yoy = pd.DataFrame(yoy_rows).set_index(["series", "year"])
    level_declines = {lv: tuple(int(y) for y in frame.at[lv, "decline_years"].split(", ") if y)
                      for lv in LEVELS}
    return Stability(frame, yoy, bool(frame.at["government_funds", "monotone_increasing"]),
                     bool(frame.at["government_levels_sum", "monotone_increasing"]),
                     level_declines)


# =============================================================================================
# cross-checks with the paper's other aggregates


#: Aggregates printed elsewhere in the paper (section 2.1 and 2.2), in billion yuan.
PAPER_AGGREGATES: dict[str, tuple[float, str]] = {
    "free_aid_1996_2010": (7.86, "free financial aid from east to west, 1996-2010"),
    "enterprise_1996_2010": (697.27, "enterprise investment from east to west, 1996-2010"),
    "enterprise_2010": (71.79, "new enterprise investment in 2010"),
}


def aggregate_cross_checks(funding: pd.DataFrame | FundingTable | None = None) -> pd.DataFrame:
    """Compare Table 1 (2003-2007) with the paper's 1996-2010 aggregates (billion yuan).

    Returns
    -------
    DataFrame
        Index ``check``; columns ``description``, ``value`` (billion yuan or a ratio),
        ``reference`` (the aggregate compared with), ``ratio`` (value / reference) and
        ``note``.

    Notes
    -----
    Table 1 covers five of the fifteen years, so the checks are bounds, not identities: a
    2003-2007 amount must not exceed the 1996-2010 aggregate of the same kind.
    """
    table = _resolve(funding)
    a = table.amounts[TOTAL_PERIOD] / 1000.0  # million -> billion
    free, ent, ent10 = (PAPER_AGGREGATES[k][0] for k in
                        ("free_aid_1996_2010", "enterprise_1996_2010", "enterprise_2010"))
    levels = float(a.loc[list(LEVELS)].sum())
    rows = [
        ("enterprise_2010_share", "2010 new enterprise investment / 1996-2010 enterprise "
         "investment (paper: 10.3%)", ent10, ent, "paper's own arithmetic"),
        ("enterprise_contracted_2003_2007", "Table 1 enterprise investments 2003-2007",
         float(a["enterprise_investments"]), ent, "part of the 1996-2010 aggregate"),
        ("enterprise_paid_in_2003_2007", "Table 1 real investments 2003-2007",
         float(a["real_investments"]), ent, "part of the 1996-2010 aggregate"),
        ("enterprise_rest_of_1996_2010", "1996-2010 enterprise investment left for 1996-2002 and "
         "2008-2009 after Table 1 (contracted) and 2010", ent - float(a["enterprise_investments"])
         - ent10, ent, "non-negative: the figures are compatible"),
        ("government_2003_2007", "Table 1 government funds (printed subtotal) 2003-2007",
         float(a["government_funds"]), free, "part of the 1996-2010 free aid"),
        ("government_levels_2003_2007", "Table 1 sum of government levels 2003-2007", levels,
         free, "part of the 1996-2010 free aid"),
        ("government_and_donations_2003_2007", "Table 1 government funds + social donations "
         "2003-2007", float(a["government_funds"] + a["social_donations"]), free,
         "if free aid includes donations"),
    ]
    frame = pd.DataFrame(rows, columns=["check", "description", "value", "reference", "note"])
    frame["ratio"] = frame["value"] / frame["reference"]
    return frame.set_index("check")[["description", "value", "reference", "ratio", "note"]]
