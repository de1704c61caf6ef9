"""The paper's functions of the claims check language: ``claim``, ``table1``, ``table2``, ``ew``,
``ew_ratio``, ``xj``, ``xj_release``, ``cagr``, ``listed``, ``table1_rank``, ``table1_increasing``, ``prov``,
``reference_year``, ``at_least`` and ``at_most``, registered in :data:`~ewp_stats.paper.claim_functions.LANGUAGE`.

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
from itertools import pairwise
from typing import Any

import pandas as pd

from ewp_stats.data.vocab import CLAIM_EXACT_UNITS
from ewp_stats.engines.checklang import Bounded, CheckExpressionError, CheckLanguage
from ewp_stats.printed import (
    BOUND_QUALIFIERS,
    printed_decimals,
    printed_interval,
)

__all__ = ["LANGUAGE", "REFERENCE_YEARS", "PAPER_REFERENCE_CONVENTION", "CheckContext", "make_context", "is_exact_figure", "alt_value_years", "table2_subset_sums",
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


def is_exact_figure(unit: str, decimals: int, value: float) -> bool:
    """Whether a register figure is an exact integer: a whole ``value`` printed without decimals
    in one of :data:`~ewp_stats.data.vocab.CLAIM_EXACT_UNITS` (a count, a year, a number of years)."""
    return unit in CLAIM_EXACT_UNITS and int(decimals) == 0 and float(value).is_integer()


def _claim(ctx: CheckContext, claim_id: str) -> Bounded:
    reg = ctx.register
    if not isinstance(claim_id, str) or claim_id not in reg.index:
        raise CheckExpressionError(f"claim(): unknown claim id {claim_id!r}")
    row = reg.loc[claim_id]
    value, decimals, qualifier = float(row["value"]), int(row["decimals"]), row["qualifier"]
    if qualifier in BOUND_QUALIFIERS:
        # a bound enters as the side it states: "more than 3000" as [3000, inf); "less than 60,000"
        # as [0, 60000] (the register's figures are non-negative quantities)
        if qualifier in ("over", "at_least"):
            return Bounded(value, value, math.inf)
        return Bounded(value, min(0.0, value), value)
    high = row["value_high"] if qualifier == "range" else None
    exact = is_exact_figure(row["unit"], decimals, value)
    interval = printed_interval(value, decimals, qualifier=qualifier, value_high=high, exact=exact)
    return Bounded(value, interval.lower, interval.upper)


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


def _xj_release(ctx: CheckContext, quantity: str, year: float) -> float:
    """The region's own released figure (dataset ``xinjiang_official``, its ``primary`` row).

    Notes
    -----
    A separate source from the NBS vintages of ``xj``: press and government releases, levels in
    billion yuan, growth in percent (seeds/xinjiang_official_2020_2022.md).
    """
    frame = ctx.dataset("xinjiang_official").reset_index()
    year_ = _year(year, "xj_release")
    rows = frame[(frame["quantity"] == quantity) & (frame["year"] == year_) & (frame["primary"] == 1)]
    if len(rows) != 1:
        known = sorted({(str(q), int(y)) for q, y in zip(frame["quantity"], frame["year"], strict=True)})
        raise CheckExpressionError(
            f"xj_release(): {len(rows)} primary rows for ({quantity!r}, {year_}) in dataset "
            f"'xinjiang_official' (expected exactly 1); known (quantity, year): {known}")
    return float(rows["value"].iloc[0])


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


_TABLE1_YEARS = ("2003", "2004", "2005", "2006", "2007")


def _items(items: str, fn: str) -> list[str]:
    if not isinstance(items, str):
        raise CheckExpressionError(f"{fn}(): expected one string of items separated by ';'")
    parts = [p.strip() for p in items.split(";")]
    if any(not p for p in parts):
        raise CheckExpressionError(f"{fn}(): empty item in {items!r}")
    if len(set(parts)) != len(parts):
        raise CheckExpressionError(f"{fn}(): repeated item in {items!r}")
    return parts


def _table1_rank(ctx: CheckContext, item: str, period: str, items: str) -> float:
    others = _items(items, "table1_rank")
    if item not in others:
        raise CheckExpressionError(f"table1_rank(): {item!r} is not among the ranked items {others}")
    frame = ctx.dataset("funding")
    amounts = {i: _lookup(frame, (i, period), "amount", "table1_rank", "funding") for i in others}
    return float(1 + sum(a > amounts[item] for a in amounts.values()))


def _table1_increasing(ctx: CheckContext, item: str) -> float:
    frame = ctx.dataset("funding")
    amounts = [_lookup(frame, (item, y), "amount", "table1_increasing", "funding") for y in _TABLE1_YEARS]
    return float(all(b > a for a, b in pairwise(amounts)))


#: ``prov()`` columns: (dataset, column, whether the dataset has vintages).
_PROV_COLUMNS: dict[str, tuple[str, str, bool]] = {
    "gdp": ("province_gdp", "gdp", True),
    "population": ("province_population", "population", True),
    "population_spliced": ("province_population_spliced", "population_spliced", True),
    "real_gdp": ("province_real_gdp", "real_gdp_2000", False),
}


def _prov(ctx: CheckContext, column: str, province: str, year: float, vintage: str) -> float:
    if column not in _PROV_COLUMNS:
        raise CheckExpressionError(f"prov(): unknown column {column!r}; valid: {sorted(_PROV_COLUMNS)}")
    dataset, col, has_vintage = _PROV_COLUMNS[column]
    frame = ctx.dataset(dataset)
    provinces = sorted(frame.index.get_level_values("province").unique())
    if province not in provinces:
        raise CheckExpressionError(f"prov(): unknown province {province!r} in {dataset!r}; valid: {provinces}")
    y = _year(year, "prov")
    if not has_vintage:
        if vintage != "":
            raise CheckExpressionError(
                f"prov(): {column!r} ({dataset!r}) has one vintage only; pass \"\" as vintage, got {vintage!r}")
        return _lookup(frame, (province, y), col, "prov", dataset)
    vintages = sorted(frame.index.get_level_values("vintage").unique())
    if vintage not in vintages:
        raise CheckExpressionError(f"prov(): unknown vintage {vintage!r} of {dataset!r}; valid: {vintages}")
    return _lookup(frame, (vintage, province, y), col, "prov", dataset)


def _west_per_capita_spread(ctx: CheckContext, year: float, vintage: str) -> float:
    """Highest over lowest GDP per head among the paper's western provinces (``paper_group`` west
    of dataset ``regions``) in a year and vintage of ``province_gdp`` and ``province_population``."""
    regions = ctx.dataset("regions").reset_index()
    west = sorted(regions.loc[regions["paper_group"] == "west", "province"])
    per_head = [_prov(ctx, "gdp", p, year, vintage) / _prov(ctx, "population", p, year, vintage) for p in west]
    return max(per_head) / min(per_head)


#: The year each document speaks from (the check function ``reference_year``), the news items' datelines
#: (seeds/bibliography.csv, column ``date``); the paper prints no date, and by convention speaks
#: from 2011, the latest year its text cites (the Twelfth Five-Year Plan outline, March 2011).
REFERENCE_YEARS: dict[str, int] = {"000": 2025, "001": 2026, "002": 2025, "003": 2023, "004": 2011}
#: The convention behind the paper's reference year, as the audit states it.
PAPER_REFERENCE_CONVENTION = ("the paper prints no date; it is read as written in 2011, the latest "
                              "year its text cites")


def _reference_year(ctx: CheckContext, document: str) -> float:
    if document not in REFERENCE_YEARS:
        raise CheckExpressionError(
            f"reference_year(): unknown document {document!r}; valid: {sorted(REFERENCE_YEARS)}")
    return float(REFERENCE_YEARS[document])


LANGUAGE.register(
    "claim", _claim, signature='claim("P05")', basis="printed", interval_aware=True, cites=True,
    description=("the printed value of another register row, with the interval its precision and "
                 "qualifier give it (a bound, e.g. 'more than 3000', enters as 3000 +- its rounding)"))
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
    "xj_release", _xj_release, signature="xj_release(quantity, year)", basis="data",
    description=("Xinjiang's own released figure for 2020-2022 (dataset 'xinjiang_official': "
                 "gdp and value_added_* in billion yuan, gdp_growth in percent, ...), a source "
                 "separate from the NBS vintages of xj"))
LANGUAGE.register(
    "cagr", _cagr, signature="cagr(start, end, years)", basis=None, interval_aware=True,
    description="compound annual growth rate (end/start)**(1/years) - 1, as a fraction")
LANGUAGE.register(
    "listed", _listed, signature='listed("a; b; c")', basis="count",
    description="number of ';'-separated items: a count of things the source names, written out")

LANGUAGE.register(
    "table1_rank", _table1_rank, signature='table1_rank(item, period, "a; b; c")', basis="printed",
    description=("rank (1 = largest) of a Table 1 item among the ';'-separated items by printed "
                 'amount in a period, e.g. table1_rank("enterprise_investments", "2003-2007", '
                 '"government_funds; enterprise_investments; social_donations")'))
LANGUAGE.register(
    "table1_increasing", _table1_increasing, signature="table1_increasing(item)", basis="printed",
    description="1 if the item's printed Table 1 amounts rise every year 2003 -> 2007, else 0")
LANGUAGE.register(
    "prov", _prov, signature="prov(column, province, year, vintage)", basis="data",
    description=("a province value: gdp (province_gdp, 100 million yuan), population "
                 "(province_population, 10,000 persons), population_spliced "
                 "(province_population_spliced), real_gdp (province_real_gdp, 100 million yuan at "
                 "2000 prices; vintage \"\"); provinces as in seeds/regions.csv"))
LANGUAGE.register(
    "west_per_capita_spread", _west_per_capita_spread, signature="west_per_capita_spread(year, vintage)",
    basis="data",
    description=("highest over lowest GDP per head among the paper's western provinces (seeds/regions.csv) "
                 "in a year and vintage of province_gdp and province_population"))
LANGUAGE.register(
    "reference_year", _reference_year, signature="reference_year(document)", basis=None,
    description=("the year a document speaks from: a news item's dateline; the paper (no printed "
                 "date) 2011, the latest year its text cites"))

LANGUAGE.register(
    "at_least", lambda ctx, x: Bounded.at_least(x), signature="at_least(x)", basis=None,
    interval_aware=True, one_sided=True,
    description=("a lower bound: the figure is at least x (e.g. a 2003-2010 total is at least its "
                 "printed 2009 and 2010 cells); only as the whole check"))
LANGUAGE.register(
    "at_most", lambda ctx, x: Bounded.at_most(x), signature="at_most(x)", basis=None,
    interval_aware=True, one_sided=True,
    description=("an upper bound: the figure is at most x (e.g. people reached in a province are "
                 "at most its population); only as the whole check"))

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
