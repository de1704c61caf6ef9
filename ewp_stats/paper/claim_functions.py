"""The paper's functions of the claims check language: ``claim``, ``table1``, ``table2``, ``ew``,
``ew_ratio``, ``xj``, ``cagr`` and ``listed``, registered in :data:`~ewp_stats.paper.claim_functions.LANGUAGE`.

The language itself (parser, interval evaluator, registry) is generic and lives in
:mod:`ewp_stats.engines.checklang`; here it gets the functions that read the shipped datasets and
the register, and the context (:class:`CheckContext`) every function receives. The audit is in
:mod:`ewp_stats.paper.claims`. The last section holds the arithmetic on register values that the claims
chapter quotes (:func:`~ewp_stats.paper.claim_functions.alt_value_years`,
:func:`~ewp_stats.paper.claim_functions.table2_subset_sums`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ewp_stats.engines.checklang import Bounded, CheckExpressionError, CheckLanguage
from ewp_stats.printed import printed_decimals

__all__ = ["LANGUAGE", "CheckContext", "make_context", "alt_value_years", "table2_subset_sums",
           "n_table2_subset_sums_equal"]


# --------------------------------------------------------------------------------------------
# evaluation context (datasets and register) and the function registry


@dataclass
class CheckContext:
    """What a check can see: the register (by id) and a loader of datasets by name."""

    register: pd.DataFrame
    loader: Callable[[str], pd.DataFrame]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def dataset(self, name: str) -> pd.DataFrame:
        """A dataset by name, loaded once."""
        if name not in self._cache:
            self._cache[name] = self.loader(name)
        return self._cache[name]


#: The check language of the register; its functions are registered below.
LANGUAGE: CheckLanguage = CheckLanguage(bases=("data", "printed", "count"))


def _year(x: float, fn: str) -> int:
    if not float(x).is_integer():
        raise CheckExpressionError(f"{fn}(): year must be a whole number, got {x!r}")
    return int(x)


def _lookup(frame: pd.DataFrame, key: tuple[Any, ...], column: str, fn: str, dataset: str) -> float:
    if column not in frame.columns:
        raise CheckExpressionError(
            f"{fn}(): unknown column {column!r} of dataset {dataset!r}; valid: {list(frame.columns)}")
    try:
        value = frame.loc[key, column]
    except KeyError:
        levels = [sorted(map(str, frame.index.get_level_values(i).unique()))
                  for i in range(frame.index.nlevels)]
        raise CheckExpressionError(
            f"{fn}(): no row {key!r} in dataset {dataset!r} (index {list(frame.index.names)}; "
            f"values {levels})") from None
    value = float(value)
    if not math.isfinite(value):
        raise CheckExpressionError(f"{fn}(): dataset {dataset!r} has no value at {key!r}, {column!r}")
    return value


def _claim(ctx: CheckContext, claim_id: str) -> Bounded:
    reg = ctx.register
    if not isinstance(claim_id, str) or claim_id not in reg.index:
        raise CheckExpressionError(f"claim(): unknown claim id {claim_id!r}")
    row = reg.loc[claim_id]
    return Bounded.rounded(float(row["value"]), int(row["decimals"]))


def _table1(ctx: CheckContext, item: str, period: str) -> Bounded:
    frame = ctx.dataset("funding")
    amount = _lookup(frame, (item, period), "amount", "table1", "funding")
    printed = frame.loc[(item, period), "printed"] if "printed" in frame.columns else None
    if printed is None or pd.isna(printed) or printed == "":
        return Bounded.exact(amount)
    return Bounded.rounded(amount, printed_decimals(printed))


def _table2(ctx: CheckContext, item: str, period: str) -> float:
    frame = ctx.dataset("personnel")
    return _lookup(frame, (item, period), "count", "table2", "personnel")


def _ew(ctx: CheckContext, column: str, year: float, vintage: str) -> float:
    frame = ctx.dataset("east_west_ratio")
    vintages = sorted(frame.index.get_level_values(0).unique())
    if vintage not in vintages:
        raise CheckExpressionError(f"ew(): unknown vintage {vintage!r}; valid: {vintages}")
    return _lookup(frame, (vintage, _year(year, "ew")), column, "ew", "east_west_ratio")


def _ew_ratio(ctx: CheckContext, year: float, vintage: str) -> float:
    return _ew(ctx, "ratio", year, vintage)


def _xj(ctx: CheckContext, column: str, year: float) -> float:
    return _lookup(ctx.dataset("xinjiang"), _year(year, "xj"), column, "xj", "xinjiang")


def _cagr(ctx: CheckContext, start: Bounded, end: Bounded, years: Bounded) -> Bounded:
    if not years.exact_value or years.value <= 0:
        raise CheckExpressionError(f"cagr(): years must be an exact positive number, got {years}")
    return (end / start) ** Bounded.exact(1.0 / years.value) - Bounded.exact(1.0)


def _listed(ctx: CheckContext, items: str) -> float:
    if not isinstance(items, str):
        raise CheckExpressionError("listed(): expected one string of items separated by ';'")
    parts = [p.strip() for p in items.split(";")]
    if any(not p for p in parts):
        raise CheckExpressionError(f"listed(): empty item in {items!r}")
    return float(len(parts))


LANGUAGE.register(
    "claim", _claim, signature='claim("P05")', basis="printed", interval_aware=True, cites=True,
    description="the printed value of another register row, with its rounding interval")
LANGUAGE.register(
    "table1", _table1, signature='table1(item, period)', basis="printed",
    description=("a cell of the paper's Table 1 (dataset 'funding', million yuan), e.g. "
                 'table1("tax_payments", "2003-2007"); carries the rounding of the printed cell'))
LANGUAGE.register(
    "table2", _table2, signature='table2(item, period)', basis="printed",
    description=("a cell of the paper's Table 2 (dataset 'personnel', counts), e.g. "
                 'table2("cadre_east_to_west", "2003-2010")'))
LANGUAGE.register(
    "ew", _ew, signature="ew(column, year, vintage)", basis="data",
    description=("a column of dataset 'east_west_ratio' (east_gdp, west_gdp, ratio, "
                 "east_population, west_population, per_capita_ratio) for a year and vintage"))
LANGUAGE.register(
    "ew_ratio", _ew_ratio, signature="ew_ratio(year, vintage)", basis="data",
    description="east/west nominal GDP ratio (paper's 10 east / 12 west provinces) of a vintage")
LANGUAGE.register(
    "xj", _xj, signature="xj(column, year)", basis="data",
    description="a column of dataset 'xinjiang' (gdp, gdp_index, real_gdp_2000, ...) for a year")
LANGUAGE.register(
    "cagr", _cagr, signature="cagr(start, end, years)", basis=None, interval_aware=True,
    description="compound annual growth rate (end/start)**(1/years) - 1, as a fraction")
LANGUAGE.register(
    "listed", _listed, signature='listed("a; b; c")', basis="count",
    description="number of ';'-separated items: a count of things the source names, written out")

# --------------------------------------------------------------------------------------------
# contexts


def _default_loader(name: str) -> pd.DataFrame:
    from ewp_stats import data

    return data.load(name)


def make_context(register: pd.DataFrame, datasets: Mapping[str, pd.DataFrame] | None) -> CheckContext:
    """A context over ``register`` whose datasets are the ``datasets`` overrides, else the shipped ones."""
    def loader(name: str) -> pd.DataFrame:
        if datasets is not None and name in datasets:
            return datasets[name]
        return _default_loader(name)

    return CheckContext(register=register, loader=loader)


# --------------------------------------------------------------------------------------------
# arithmetic on register values that the claims chapter quotes


def alt_value_years(frame: pd.DataFrame, claim_id: str, start_id: str, end_id: str) -> int:
    """The number of years over which a rate claim's alternative reading spreads a change.

    A stated "rate a year" of ``claim_id`` reproduces as the change from claim ``start_id`` to
    claim ``end_id`` (in percentage points of the ratio) divided by a number of years; this is that
    number: ``round(100 * (value[end_id] - value[start_id]) / alt_value[claim_id])``.

    Parameters
    ----------
    frame
        The audit table (:func:`~ewp_stats.paper.claims.audit`'s ``to_frame()``): index ``id``,
        columns ``value`` and ``alt_value``.
    claim_id, start_id, end_id
        The rate claim and the claims of the level at the start and the end of its period.

    Returns
    -------
    int
        The years, to the nearest whole year.
    """
    years = 100 * (frame.loc[end_id, "value"] - frame.loc[start_id, "value"]) / frame.loc[claim_id, "alt_value"]
    return round(float(years))


def table2_subset_sums(personnel: pd.DataFrame, *, period: str = "2003-2010") -> list[float]:
    """The sum of every non-empty subset of the counts of Table 2 in one period.

    Used to ask whether a printed count that Table 2 does not show could be a sum of its cells.

    Parameters
    ----------
    personnel
        The ``personnel`` dataset (index ``item``, ``period``; column ``count``).
    period
        The period column of Table 2.

    Returns
    -------
    list of float
        ``2 ** n - 1`` sums for the ``n`` items of the period, by subset size, then in item order.
    """
    from itertools import combinations

    counts = personnel.xs(period, level="period")["count"].tolist()
    return [sum(c) for r in range(1, len(counts) + 1) for c in combinations(counts, r)]


def n_table2_subset_sums_equal(personnel: pd.DataFrame, value: float, *, period: str = "2003-2010") -> int:
    """How many of the :func:`~ewp_stats.paper.claim_functions.table2_subset_sums` equal ``value`` exactly.

    Parameters
    ----------
    personnel
        The ``personnel`` dataset.
    value
        A printed count.
    period
        The period column of Table 2.
    """
    return sum(x == value for x in table2_subset_sums(personnel, period=period))
