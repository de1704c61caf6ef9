"""Table 1 as a validated table, and the named accounting conventions that read it.

:func:`funding_table` validates the tidy ``funding`` frame (index ``item``, ``period``; column
``amount`` in million yuan, as built by :mod:`ewp_stats.pipeline.paper_tables`) into a
:class:`FundingTable` of amounts and printed rounding bounds. :data:`CONVENTIONS` are the named
readings of which rows make up "all funds" (the rows themselves are those of
:data:`~ewp_stats.data.vocab.FUNDING_CONVENTIONS`); :func:`component_amounts` and :func:`total_funds`
apply one. The analyses built on them are in :mod:`ewp_stats.paper.funding`.

References
----------
The East-West Partnership for Poverty Reduction paper (``seeds/004_de9daaf1b232b997``),
section 3.1 and Table 1 "Funding Situation of EW Partnerships (2003~2007)".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ewp_stats.data.vocab import (
    FUNDING_CONVENTIONS,
    FUNDING_ITEM_IDS,
    FUNDING_PERIODS,
    FUNDING_ROWS,
    GOVERNMENT_LEVELS,
)
from ewp_stats.errors import DataValidationError, InputError
from ewp_stats.printed import float_half_unit, printed_half_unit

__all__ = [
    "FundingTable",
    "funding_table",
    "Convention",
    "CONVENTIONS",
    "DEFAULT_CONVENTION",
    "get_convention",
    "list_conventions",
    "component_amounts",
    "total_funds",
]

_DATASET = "funding"


@dataclass(frozen=True, eq=False)
class FundingTable:
    """Table 1 as a validated wide table.

    Attributes
    ----------
    amounts
        Million yuan; rows are :data:`~ewp_stats.data.vocab.FUNDING_ITEM_IDS`, columns the periods ``"2003"`` .. ``"2007"`` and
        ``"2003-2007"`` (the printed Total column).
    half_units
        Half a unit in the last printed decimal of each cell (its rounding bound), same shape.
    """

    amounts: pd.DataFrame
    half_units: pd.DataFrame

    @property
    def periods(self) -> list[str]:
        """The periods of Table 1 (the years and the printed Total column)."""
        return list(FUNDING_PERIODS)

    def value(self, item: str, period: str) -> float:
        """One amount (million yuan)."""
        return float(self.amounts.at[item, period])

    def check_period(self, period: str | int) -> str:
        """``period`` as a column label of the table.

        Raises
        ------
        InputError
            ``period`` is not a period of Table 1; the message lists the valid ones.
        """
        p = str(period)
        if p not in self.periods:
            raise InputError(
                f"period {period!r} is outside Table 1; valid periods: {', '.join(self.periods)}")
        return p


def funding_table(funding: pd.DataFrame | FundingTable | None = None) -> FundingTable:
    """Validate the tidy ``funding`` frame and return it as a :class:`FundingTable`.

    Parameters
    ----------
    funding
        Tidy Table 1 (index ``item``, ``period``; column ``amount``; optional column ``printed``
        used for rounding bounds), or a :class:`FundingTable` (returned as is). Default:
        ``ewp_stats.data.load("funding")``.

    Raises
    ------
    DataValidationError
        Missing index levels or ``amount`` column, duplicated keys, missing or negative amounts,
        a missing item or period, or a subtotal (government funds) without its three levels.
    """
    if isinstance(funding, FundingTable):
        return funding
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
    periods = list(FUNDING_PERIODS)
    wide = amount.unstack("period")
    if "government_funds" in items:
        for level in GOVERNMENT_LEVELS:
            have = wide.loc[level].dropna().index if level in wide.index else []
            lacking = [p for p in periods if p not in have and
                       p in wide.columns and not pd.isna(wide.at["government_funds", p])]
            if lacking:
                raise DataValidationError(
                    f"subtotal 'government_funds' without its component {level!r} in periods "
                    f"{lacking}; the subtotal needs all of {list(GOVERNMENT_LEVELS)}",
                    file=_DATASET, row=f"{level}/{lacking[0]}", column="amount")
    missing_items = [i for i in FUNDING_ITEM_IDS if i not in items]
    if missing_items:
        raise DataValidationError(f"missing items {missing_items}; Table 1 has {list(FUNDING_ITEM_IDS)}",
                                  file=_DATASET, column="item")
    missing_periods = [p for p in periods if p not in wide.columns]
    if missing_periods:
        raise DataValidationError(
            f"missing periods {missing_periods}; expected {periods}", file=_DATASET,
            column="period")
    wide = wide.loc[list(FUNDING_ITEM_IDS), periods]
    holes = wide.isna().stack()
    if holes.any():
        item, period = holes[holes].index[0]
        raise DataValidationError("missing cell; every item has every period",
                                  file=_DATASET, row=f"{item}/{period}", column="amount")
    if "printed" in funding.columns:
        printed = funding["printed"].unstack("period").loc[list(FUNDING_ITEM_IDS), periods]
        half = printed.map(lambda s: printed_half_unit(str(s)))
    else:  # infer printed precision from the shortest float repr
        half = wide.map(float_half_unit)
    wide.columns.name = half.columns.name = "period"
    wide.index.name = half.index.name = "item"
    return FundingTable(wide.astype("float64"), half.astype("float64"))


# =============================================================================================
# conventions


@dataclass(frozen=True)
class Convention:
    """A named reading of Table 1: which rows make up "all funds".

    ``components``, ``government``, ``enterprise`` and ``printed_total`` are those of the
    convention's :class:`~ewp_stats.data.vocab.ConventionItems` in
    :data:`~ewp_stats.data.vocab.FUNDING_CONVENTIONS`; this class adds the title and the evidence.

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

    def government_amounts(self, table: FundingTable) -> pd.Series:
        """Government funds by period in this reading (million yuan)."""
        return table.amounts.loc[list(self.government)].sum()

    def memo_items(self) -> list[str]:
        """Printed rows that this reading leaves out of total funds."""
        used = {i for _, items in self.components for i in items}
        return [i for i in FUNDING_ROWS if i not in used]


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

_TITLES_AND_EVIDENCE: dict[str, tuple[str, str]] = {
    "as_printed": ("The paper's totals: all eight printed rows added up", _AS_PRINTED_EVIDENCE),
    "sources": ("Government (printed subtotal) + contracted enterprise investment + donations",
                _SOURCES_EVIDENCE),
    "sources_levels": ("Government (sum of levels) + contracted enterprise investment + donations",
                       _SOURCES_EVIDENCE + _LEVELS_EVIDENCE),
    "paid_in": ("Government (printed subtotal) + real (paid-in) enterprise investment + donations",
                _PAID_IN_EVIDENCE),
    "paid_in_levels": ("Government (sum of levels) + real (paid-in) enterprise investment + "
                       "donations", _PAID_IN_EVIDENCE + _LEVELS_EVIDENCE),
}

#: The named accounting conventions, keyed by name (see :class:`Convention`): the items of
#: :data:`~ewp_stats.data.vocab.FUNDING_CONVENTIONS` with a title and the evidence for the reading.
CONVENTIONS: dict[str, Convention] = {
    name: Convention(name, title, items.components, items.government, items.enterprise,
                     items.printed_total, evidence)
    for name, items in FUNDING_CONVENTIONS.items()
    for title, evidence in [_TITLES_AND_EVIDENCE[name]]
}


#: The convention every function uses unless told otherwise, ``"sources"``, which counts each
#: source of funds once (government subtotal, contracted enterprise investment, donations).
#: The paper's double-counted reading is available explicitly as ``convention="as_printed"``.
DEFAULT_CONVENTION = "sources"


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
    """The conventions with their components, memo items and evidence (one row each).

    Column ``default`` marks :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION`, the reading used when none is given.
    """
    rows = []
    for c in CONVENTIONS.values():
        rows.append({
            "convention": c.name, "title": c.title,
            "components": "; ".join(f"{n} = {' + '.join(i)}" for n, i in c.components),
            "total": "printed Total row" if c.printed_total else "sum of components",
            "memo_items": ", ".join(c.memo_items()), "evidence": c.evidence,
            "default": c.name == DEFAULT_CONVENTION,
        })
    return pd.DataFrame(rows).set_index("convention")


def component_amounts(funding: pd.DataFrame | FundingTable | None = None, *,
                      convention: str | Convention = DEFAULT_CONVENTION) -> pd.DataFrame:
    """Amounts of each component of total funds under a convention.

    Parameters
    ----------
    funding
        Tidy Table 1 or a :class:`FundingTable` (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS` (default
        :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION`, each source once).

    Returns
    -------
    DataFrame
        Rows: the convention's sources (plus ``rounding_residual`` for ``as_printed``); columns:
        the periods. The column sums equal the convention's total exactly (up to floating point).
    """
    conv = get_convention(convention)
    table = funding_table(funding)
    a = table.amounts
    rows = {name: a.loc[list(items)].sum() for name, items in conv.components}
    out = pd.DataFrame(rows).T
    if conv.printed_total:
        out.loc["rounding_residual"] = a.loc["total"] - out.sum()
    out.index.name = "source"
    out.columns.name = "period"
    return out


def total_funds(funding: pd.DataFrame | FundingTable | None = None, *,
                convention: str | Convention = DEFAULT_CONVENTION) -> pd.Series:
    """Total funds by period under a convention (million yuan).

    The default convention is :data:`~ewp_stats.paper.funding_table.DEFAULT_CONVENTION`.
    """
    conv = get_convention(convention)
    table = funding_table(funding)
    if conv.printed_total:
        return table.amounts.loc["total"].rename("total")
    return component_amounts(table, convention=conv).sum().rename("total")
