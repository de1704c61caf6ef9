"""Audit of every numeric claim in the five source documents.

The register ``seeds/claims.csv`` (shipped as the dataset ``claims_register``; layout and check
language in ``seeds/claims.md``) holds one row per printed figure. Each row either carries a
machine-readable *check*, an expression that recomputes the figure from the shipped data or from
other printed figures, or says why it cannot be checked. :func:`audit` evaluates every check and
gives each claim one status:

``reproduced``
    the recomputed value agrees with the printed one within the printed rounding;
``discrepant``
    it does not; the result gives the gap and the most likely explanation (an alternative
    computation that does reproduce the figure, or the register's note, e.g. a data vintage);
``not_checkable``
    the register gives no check, only the data that would be needed.

Check language
--------------
A check is a Python *expression* parsed with :mod:`ast` and evaluated by a small interpreter that
accepts only numbers, string literals (as function arguments), ``+ - * / **``, unary ``+``/``-``,
parentheses and calls of the registered functions by bare name (positional arguments only).
Anything else (names, attribute access, subscripts, keyword arguments, comparisons, lambdas,
comprehensions) is rejected before evaluation, so a register row cannot run arbitrary code.

Rounding
--------
A printed figure stands for an interval: ``2.86`` means [2.855, 2.865]. ``claim()`` and
``table1()`` return such intervals (:class:`Bounded`), arithmetic propagates them (interval
arithmetic), and data functions return exact points. A claim is reproduced when the interval of its
printed figure (half a unit of its last printed decimal, column ``decimals``) meets the interval of
the recomputed value. With data-only checks this is exactly ``|recomputed - value| <= half unit``;
with checks on other printed figures it also allows for *their* rounding (e.g. (2.86 - 2.12) / 20
is 3.70 +- 0.05 percentage points, which covers a printed 3.71).

References
----------
.. [1] The research paper on the East-West Partnership for Poverty Reduction,
   ``seeds/004_de9daaf1b232b997.txt``; the four news items ``seeds/000_*`` to ``003_*``
   (see ``seeds/bibliography.csv``).
.. [2] R. E. Moore, R. B. Kearfott and M. J. Cloud, *Introduction to Interval Analysis*,
   SIAM, 2009 (interval arithmetic used for the rounding bounds).
"""

from __future__ import annotations

import ast
import html
import io
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ewp_stats.errors import DataValidationError, InputError, UnknownDatasetError
from ewp_stats.printed import half_unit, printed_decimals

__all__ = [
    "STATUSES",
    "REGISTER_COLUMNS",
    "Bounded",
    "CheckExpressionError",
    "CheckFunction",
    "ParsedCheck",
    "DOCUMENTS",
    "RELATIONS",
    "ClaimAudit",
    "AuditResult",
    "register_function",
    "check_functions",
    "parse_check",
    "evaluate_check",
    "read_register",
    "load_register",
    "validate_register",
    "audit",
    "claims_cli",
]

#: The three statuses, in display order.
STATUSES: tuple[str, ...] = ("reproduced", "discrepant", "not_checkable")

#: Columns of the register, in file order (all are text in the CSV).
REGISTER_COLUMNS: tuple[str, ...] = (
    "id", "document", "location", "printed", "value", "unit", "period", "quantity", "relation",
    "decimals", "check", "check_label", "alt_check", "alt_explanation", "discrepancy_explanation",
    "context", "context_label", "not_checkable_reason",
)

#: Document ids of the five source documents (seeds/bibliography.csv).
DOCUMENTS: tuple[str, ...] = ("000", "001", "002", "003", "004")

#: ``relation`` values: "=" (the figure is a rounded value), ">=" (the text says "more than",
#: "over", "at least": the true figure is at least the printed one), "<=" ("less than", "within",
#: "no more than").
RELATIONS: tuple[str, ...] = ("=", ">=", "<=")

_MAX_EXPRESSION_LENGTH = 1000
_EXPRESSION_COLUMNS = ("check", "alt_check", "context")
_REGISTER_NAME = "claims_register"


class CheckExpressionError(InputError):
    """A check expression that the safe evaluator refuses or cannot evaluate."""


# --------------------------------------------------------------------------------------------
# interval numbers


@dataclass(frozen=True)
class Bounded:
    """A number with rounding bounds: ``lower <= value <= upper``.

    ``value`` is computed from the printed (nominal) figures, the bounds from the ends of their
    rounding intervals. Exact numbers have ``lower == value == upper``.
    """

    value: float
    lower: float
    upper: float

    @classmethod
    def exact(cls, x: float) -> Bounded:
        """An exact number (no rounding)."""
        x = float(x)
        return cls(x, x, x)

    @classmethod
    def rounded(cls, x: float, decimals: int) -> Bounded:
        """A figure printed with ``decimals`` decimals (negative: rounded to tens, hundreds...)."""
        h = half_unit(decimals)
        x = float(x)
        return cls(x, x - h, x + h)

    @property
    def exact_value(self) -> bool:
        """True if the bounds collapse to the value."""
        return self.lower == self.upper

    def _corners(self, other: Bounded, op: Callable[[float, float], float]) -> Bounded:
        corners = [op(a, b) for a in (self.lower, self.upper) for b in (other.lower, other.upper)]
        return Bounded(op(self.value, other.value), min(corners), max(corners))

    def __add__(self, other: Bounded) -> Bounded:
        return Bounded(self.value + other.value, self.lower + other.lower, self.upper + other.upper)

    def __sub__(self, other: Bounded) -> Bounded:
        return Bounded(self.value - other.value, self.lower - other.upper, self.upper - other.lower)

    def __mul__(self, other: Bounded) -> Bounded:
        return self._corners(other, lambda a, b: a * b)

    def __truediv__(self, other: Bounded) -> Bounded:
        if other.lower <= 0.0 <= other.upper:
            raise CheckExpressionError(
                f"division by a value whose rounding interval [{other.lower}, {other.upper}] "
                "contains zero")
        return self._corners(other, lambda a, b: a / b)

    def __pow__(self, other: Bounded) -> Bounded:
        if self.lower <= 0.0 and not (other.exact_value and float(other.value).is_integer()):
            raise CheckExpressionError(
                "a power with a non-integer exponent needs a positive base; got base interval "
                f"[{self.lower}, {self.upper}]")
        if self.lower <= 0.0 <= self.upper and other.value < 0:
            raise CheckExpressionError("a negative power of a value whose interval contains zero")
        try:
            corners = [a ** b for a in (self.lower, self.upper) for b in (other.lower, other.upper)]
            # a power of a sign-changing base with an even exponent has its minimum at 0
            if self.lower < 0.0 < self.upper:
                corners.append(0.0 ** other.value)
            return Bounded(self.value ** other.value, min(corners), max(corners))
        except OverflowError as exc:
            raise CheckExpressionError(f"numeric overflow in a power: {exc}") from None

    def __neg__(self) -> Bounded:
        return Bounded(-self.value, -self.upper, -self.lower)


def _as_bounded(x: Any, where: str) -> Bounded:
    if isinstance(x, Bounded):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise CheckExpressionError(f"{where}: expected a number, got {type(x).__name__} {x!r}")
    if not math.isfinite(float(x)):
        raise CheckExpressionError(f"{where}: non-finite number {x!r}")
    return Bounded.exact(float(x))


# --------------------------------------------------------------------------------------------
# evaluation context (datasets and register) and the function registry


@dataclass
class _Context:
    """What a check can see: the register (by id) and a loader of datasets by name."""

    register: pd.DataFrame
    loader: Callable[[str], pd.DataFrame]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def dataset(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = self.loader(name)
        return self._cache[name]


@dataclass(frozen=True)
class CheckFunction:
    """A function callable from check expressions.

    Attributes
    ----------
    name
        Name used in expressions.
    signature
        How it is called, e.g. ``ew_ratio(year, vintage)``.
    description
        What it returns, in which unit, from which dataset.
    basis
        ``"data"`` (shipped datasets), ``"printed"`` (figures printed in the documents) or
        ``"count"`` (counts items named in the check itself); sets the audit's ``basis`` column.
    func
        The implementation. It is called as ``func(context, *args)`` where numbers arrive as
        :class:`Bounded` if ``interval_aware`` else as ``float`` (the nominal value), strings as
        ``str``; it returns a ``float`` or a :class:`Bounded`.
    interval_aware
        Whether ``func`` takes :class:`Bounded` arguments and propagates their bounds.
    """

    name: str
    signature: str
    description: str
    basis: str
    func: Callable[..., Any] = field(repr=False)
    interval_aware: bool = False


_FUNCTIONS: dict[str, CheckFunction] = {}


def register_function(
    name: str,
    func: Callable[..., Any],
    *,
    signature: str,
    description: str,
    basis: str = "data",
    interval_aware: bool = False,
    replace: bool = False,
) -> CheckFunction:
    """Make a function callable from register checks (e.g. an analysis module's helper).

    Parameters
    ----------
    name
        Name used in expressions; a Python identifier.
    func
        Called as ``func(context, *args)``; ``context.dataset(name)`` loads a shipped dataset
        (or the override given to :func:`audit`). Must return a float or :class:`Bounded`.
    signature, description
        Documentation shown by :func:`check_functions` and in ``seeds/claims.md``.
    basis
        ``"data"``, ``"printed"`` or ``"count"`` (see :class:`CheckFunction`).
    interval_aware
        If True, numeric arguments arrive as :class:`Bounded`.
    replace
        Allow replacing an existing function of the same name.

    Returns
    -------
    CheckFunction

    Raises
    ------
    InputError
        If ``name`` is not an identifier, is already registered (and ``replace`` is False), or
        ``basis`` is unknown.
    """
    if not name.isidentifier():
        raise InputError(f"function name {name!r} is not a Python identifier")
    if name in _FUNCTIONS and not replace:
        raise InputError(f"check function {name!r} is already registered; pass replace=True")
    if basis not in ("data", "printed", "count"):
        raise InputError(f"basis {basis!r} unknown; expected 'data', 'printed' or 'count'")
    spec = CheckFunction(name, signature, description, basis, func, interval_aware)
    _FUNCTIONS[name] = spec
    return spec


def check_functions() -> pd.DataFrame:
    """The functions available to check expressions: name, signature, basis, description."""
    rows = [{"name": f.name, "signature": f.signature, "basis": f.basis,
             "description": f.description} for f in _FUNCTIONS.values()]
    return pd.DataFrame(rows).set_index("name")


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


def _claim(ctx: _Context, claim_id: str) -> Bounded:
    reg = ctx.register
    if not isinstance(claim_id, str) or claim_id not in reg.index:
        raise CheckExpressionError(f"claim(): unknown claim id {claim_id!r}")
    row = reg.loc[claim_id]
    return Bounded.rounded(float(row["value"]), int(row["decimals"]))


def _table1(ctx: _Context, item: str, period: str) -> Bounded:
    frame = ctx.dataset("funding")
    amount = _lookup(frame, (item, period), "amount", "table1", "funding")
    printed = frame.loc[(item, period), "printed"] if "printed" in frame.columns else None
    if printed is None or pd.isna(printed) or printed == "":
        return Bounded.exact(amount)
    return Bounded.rounded(amount, printed_decimals(printed))


def _table2(ctx: _Context, item: str, period: str) -> float:
    frame = ctx.dataset("personnel")
    return _lookup(frame, (item, period), "count", "table2", "personnel")


def _ew(ctx: _Context, column: str, year: float, vintage: str) -> float:
    frame = ctx.dataset("east_west_ratio")
    vintages = sorted(frame.index.get_level_values(0).unique())
    if vintage not in vintages:
        raise CheckExpressionError(f"ew(): unknown vintage {vintage!r}; valid: {vintages}")
    return _lookup(frame, (vintage, _year(year, "ew")), column, "ew", "east_west_ratio")


def _ew_ratio(ctx: _Context, year: float, vintage: str) -> float:
    return _ew(ctx, "ratio", year, vintage)


def _xj(ctx: _Context, column: str, year: float) -> float:
    return _lookup(ctx.dataset("xinjiang"), _year(year, "xj"), column, "xj", "xinjiang")


def _cagr(ctx: _Context, start: Bounded, end: Bounded, years: Bounded) -> Bounded:
    if not years.exact_value or years.value <= 0:
        raise CheckExpressionError(f"cagr(): years must be an exact positive number, got {years}")
    return (end / start) ** Bounded.exact(1.0 / years.value) - Bounded.exact(1.0)


def _listed(ctx: _Context, items: str) -> float:
    if not isinstance(items, str):
        raise CheckExpressionError("listed(): expected one string of items separated by ';'")
    parts = [p.strip() for p in items.split(";")]
    if any(not p for p in parts):
        raise CheckExpressionError(f"listed(): empty item in {items!r}")
    return float(len(parts))


register_function(
    "claim", _claim, signature='claim("P05")', basis="printed", interval_aware=True,
    description="the printed value of another register row, with its rounding interval")
register_function(
    "table1", _table1, signature='table1(item, period)', basis="printed",
    description=("a cell of the paper's Table 1 (dataset 'funding', million yuan), e.g. "
                 'table1("tax_payments", "2003-2007"); carries the rounding of the printed cell'))
register_function(
    "table2", _table2, signature='table2(item, period)', basis="printed",
    description=("a cell of the paper's Table 2 (dataset 'personnel', counts), e.g. "
                 'table2("cadre_east_to_west", "2003-2010")'))
register_function(
    "ew", _ew, signature="ew(column, year, vintage)", basis="data",
    description=("a column of dataset 'east_west_ratio' (east_gdp, west_gdp, ratio, "
                 "east_population, west_population, per_capita_ratio) for a year and vintage"))
register_function(
    "ew_ratio", _ew_ratio, signature="ew_ratio(year, vintage)", basis="data",
    description="east/west nominal GDP ratio (paper's 10 east / 12 west provinces) of a vintage")
register_function(
    "xj", _xj, signature="xj(column, year)", basis="data",
    description="a column of dataset 'xinjiang' (gdp, gdp_index, real_gdp_2000, ...) for a year")
register_function(
    "cagr", _cagr, signature="cagr(start, end, years)", basis="printed", interval_aware=True,
    description="compound annual growth rate (end/start)**(1/years) - 1, as a fraction")
register_function(
    "listed", _listed, signature='listed("a; b; c")', basis="count",
    description="number of ';'-separated items: a count of things the source names, written out")

# cagr adds no basis of its own: the basis of an expression is that of its other functions.
_NEUTRAL = {"cagr"}


# --------------------------------------------------------------------------------------------
# parsing and evaluation


@dataclass(frozen=True)
class ParsedCheck:
    """A validated check expression: its tree, the functions it calls and the claims it cites."""

    expression: str
    tree: ast.Expression = field(repr=False)
    functions: frozenset[str]
    claims: frozenset[str]

    @property
    def basis(self) -> str:
        """'data', 'printed', 'count' or 'arithmetic' (numbers only, e.g. year differences)."""
        bases = {_FUNCTIONS[f].basis for f in self.functions if f not in _NEUTRAL}
        for b in ("data", "printed", "count"):
            if b in bases:
                return b
        return "arithmetic"


_BINOPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def parse_check(expression: str) -> ParsedCheck:
    """Parse and validate a check expression without evaluating it.

    Parameters
    ----------
    expression
        The expression text, e.g. ``'100 * cagr(claim("N2-08"), claim("N2-09"), 6)'``.

    Returns
    -------
    ParsedCheck

    Raises
    ------
    CheckExpressionError
        On a syntax error, a disallowed construct (attribute access, subscripts, names other than
        called functions, keyword arguments, comparisons, ...), an unknown function or a
        ``claim()`` argument that is not a string literal.
    """
    if not isinstance(expression, str) or not expression.strip():
        raise CheckExpressionError("empty check expression")
    if len(expression) > _MAX_EXPRESSION_LENGTH:
        raise CheckExpressionError(
            f"check expression longer than {_MAX_EXPRESSION_LENGTH} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise CheckExpressionError(f"syntax error in {expression!r}: {exc.msg}") from None
    functions: set[str] = set()
    claims: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Expression):
            visit(node.body)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float, str)):
                raise CheckExpressionError(
                    f"constant {node.value!r} not allowed in {expression!r}; only numbers and strings")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise CheckExpressionError(
                    f"operator {type(node.op).__name__} not allowed in {expression!r}; "
                    "allowed: + - * / **")
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise CheckExpressionError(
                    f"unary operator {type(node.op).__name__} not allowed in {expression!r}")
            visit(node.operand)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise CheckExpressionError(
                    f"only registered functions may be called, by bare name, in {expression!r} "
                    f"(found a call of {type(node.func).__name__})")
            name = node.func.id
            if name not in _FUNCTIONS:
                raise CheckExpressionError(
                    f"unknown function {name!r} in {expression!r}; known: {sorted(_FUNCTIONS)}")
            if node.keywords:
                raise CheckExpressionError(
                    f"keyword arguments not allowed in {expression!r} (function {name!r})")
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise CheckExpressionError(f"starred arguments not allowed in {expression!r}")
                visit(arg)
            if name == "claim":
                if len(node.args) != 1 or not (
                        isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    raise CheckExpressionError(
                        f"claim() takes one string literal, the claim id, in {expression!r}")
                claims.add(node.args[0].value)
            functions.add(name)
        elif isinstance(node, ast.Name):
            raise CheckExpressionError(
                f"name {node.id!r} not allowed in {expression!r}; only numbers, strings and calls "
                "of registered functions")
        elif isinstance(node, ast.Attribute):
            raise CheckExpressionError(f"attribute access not allowed in {expression!r}")
        else:
            raise CheckExpressionError(
                f"{type(node).__name__} not allowed in {expression!r}; only numbers, strings, "
                "+ - * / **, parentheses and calls of registered functions")

    visit(tree)
    return ParsedCheck(expression, tree, frozenset(functions), frozenset(claims))


def _evaluate(parsed: ParsedCheck, ctx: _Context) -> Bounded:
    expr = parsed.expression

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else Bounded.exact(float(node.value))
        if isinstance(node, ast.UnaryOp):
            v = _as_bounded(ev(node.operand), expr)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a = _as_bounded(ev(node.left), expr)
            b = _as_bounded(ev(node.right), expr)
            op = _BINOPS[type(node.op)]
            try:
                if op == "+":
                    return a + b
                if op == "-":
                    return a - b
                if op == "*":
                    return a * b
                if op == "/":
                    return a / b
                return a ** b
            except (OverflowError, ZeroDivisionError) as exc:
                raise CheckExpressionError(f"arithmetic error in {expr!r}: {exc}") from None
        if isinstance(node, ast.Call):
            spec = _FUNCTIONS[node.func.id]  # type: ignore[attr-defined]
            args = []
            for a in node.args:
                v = ev(a)
                if isinstance(v, Bounded) and not spec.interval_aware:
                    v = v.value
                args.append(v)
            try:
                out = spec.func(ctx, *args)
            except CheckExpressionError:
                raise
            except TypeError as exc:
                raise CheckExpressionError(
                    f"bad arguments to {spec.signature} in {expr!r}: {exc}") from None
            return _as_bounded(out, f"{spec.name}() in {expr!r}")
        raise CheckExpressionError(f"{type(node).__name__} not allowed in {expr!r}")  # pragma: no cover

    result = ev(parsed.tree)
    if isinstance(result, str):
        raise CheckExpressionError(f"{expr!r} evaluates to a string, not a number")
    if not all(math.isfinite(x) for x in (result.value, result.lower, result.upper)):
        raise CheckExpressionError(f"{expr!r} evaluates to a non-finite number")
    return result


def _default_loader(name: str) -> pd.DataFrame:
    from ewp_stats import data

    return data.load(name)


def _make_context(register: pd.DataFrame, datasets: Mapping[str, pd.DataFrame] | None) -> _Context:
    def loader(name: str) -> pd.DataFrame:
        if datasets is not None and name in datasets:
            return datasets[name]
        return _default_loader(name)

    return _Context(register=register, loader=loader)


def evaluate_check(
    expression: str,
    *,
    register: pd.DataFrame | None = None,
    datasets: Mapping[str, pd.DataFrame] | None = None,
) -> Bounded:
    """Evaluate one check expression.

    Parameters
    ----------
    expression
        A check expression (see the module docstring and ``seeds/claims.md``).
    register
        The register that ``claim()`` reads; default: the shipped ``claims_register``.
    datasets
        Optional ``name -> DataFrame`` overrides of the shipped datasets.

    Returns
    -------
    Bounded
        The value and its rounding bounds.

    Raises
    ------
    CheckExpressionError
        If the expression is refused by the safe parser or cannot be evaluated.
    """
    parsed = parse_check(expression)
    reg = load_register(register) if (register is not None or "claim" in parsed.functions) else None
    ctx = _make_context(reg if reg is not None else pd.DataFrame(), datasets)
    return _evaluate(parsed, ctx)


# --------------------------------------------------------------------------------------------
# register I/O and validation


def read_register(path: str | Path) -> pd.DataFrame:
    """Read a register CSV (e.g. ``seeds/claims.csv``) and return it validated, indexed by id."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return validate_register(frame, source=str(path))


def _normalise(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    frame = frame.copy()
    if "id" not in frame.columns:
        frame = frame.reset_index()
    missing = [c for c in REGISTER_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"missing columns {missing}; the register needs {list(REGISTER_COLUMNS)}", file=source)
    frame = frame[list(REGISTER_COLUMNS)]
    text = {c: frame[c].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v))
                            else str(v).strip()) for c in REGISTER_COLUMNS}
    return pd.DataFrame(text)


def validate_register(frame: pd.DataFrame, *, source: str = _REGISTER_NAME) -> pd.DataFrame:
    """Validate a register and return it typed (``value`` float, ``decimals`` int) indexed by id.

    Every row must have a unique id, a known document, a numeric value, an integer ``decimals``,
    a known ``relation``, and either a ``check`` or a ``not_checkable_reason`` (not both). Every
    expression (``check``, ``alt_check``, ``context``) must pass the safe parser, call only known
    functions and cite only existing claim ids; a check may not cite its own claim.

    Raises
    ------
    DataValidationError
        Naming the register, the claim id (row) and the column.
    """
    flat = _normalise(frame, source)
    dup = flat["id"][flat["id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"duplicated claim ids {dup}; ids must be unique",
                                  file=source, column="id")
    ids = set(flat["id"])
    values, decimals = [], []
    for _, row in flat.iterrows():
        cid = row["id"]

        def bad(msg: str, column: str, cid: str = cid) -> DataValidationError:
            return DataValidationError(msg, file=source, row=cid, column=column)

        if not cid:
            raise bad("empty claim id", "id")
        if row["document"] not in DOCUMENTS:
            raise bad(f"unknown document {row['document']!r}; expected one of {list(DOCUMENTS)}",
                      "document")
        for col in ("location", "printed", "unit", "quantity"):
            if not row[col]:
                raise bad(f"empty {col}; every claim needs it", col)
        try:
            value = float(row["value"])
        except ValueError:
            raise bad(f"value {row['value']!r} is not a number", "value") from None
        if not math.isfinite(value):
            raise bad(f"value {row['value']!r} is not finite", "value")
        try:
            dec = int(row["decimals"])
        except ValueError:
            raise bad(f"decimals {row['decimals']!r} is not an integer", "decimals") from None
        rel = row["relation"] or "="
        if rel not in RELATIONS:
            raise bad(f"relation {rel!r} unknown; expected one of {list(RELATIONS)}", "relation")
        has_check, has_reason = bool(row["check"]), bool(row["not_checkable_reason"])
        if not has_check and not has_reason:
            raise bad("neither a check nor a not_checkable_reason; every claim needs one",
                      "check")
        if has_check and has_reason:
            raise bad("both a check and a not_checkable_reason; give exactly one", "check")
        if row["alt_check"] and not row["alt_explanation"]:
            raise bad("alt_check without alt_explanation", "alt_explanation")
        if row["context"] and not row["context_label"]:
            raise bad("context without context_label", "context_label")
        for col in _EXPRESSION_COLUMNS:
            if not row[col]:
                continue
            try:
                parsed = parse_check(row[col])
            except CheckExpressionError as exc:
                raise bad(str(exc), col) from None
            unknown = sorted(parsed.claims - ids)
            if unknown:
                raise bad(f"claim() cites unknown ids {unknown}", col)
            if col == "check" and cid in parsed.claims:
                raise bad("a check may not cite its own claim", col)
        values.append(value)
        decimals.append(dec)
    out = flat.assign(value=values, decimals=decimals,
                      relation=flat["relation"].replace("", "="))
    return out.set_index("id")


def _dev_register_path() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds" / "claims.csv"


def load_register(register: pd.DataFrame | None = None) -> pd.DataFrame:
    """The validated register: ``register`` if given, else the shipped ``claims_register``.

    When the package data do not (yet) include ``claims_register``, a checkout's
    ``seeds/claims.csv`` is read instead.
    """
    if register is not None:
        return validate_register(register, source="register argument")
    from ewp_stats import data

    try:
        frame = data.load(_REGISTER_NAME)
    except UnknownDatasetError:
        path = _dev_register_path()
        if not path.is_file():
            raise
        return read_register(path)
    return validate_register(frame)


# --------------------------------------------------------------------------------------------
# the audit


@dataclass(frozen=True)
class ClaimAudit:
    """The audit of one claim (one row of :meth:`AuditResult.to_frame`)."""

    id: str
    document: str
    location: str
    quantity: str
    printed: str
    value: float
    unit: str
    period: str
    relation: str
    decimals: int
    status: str
    basis: str
    recomputed: float | None
    recomputed_lower: float | None
    recomputed_upper: float | None
    difference: float | None
    relative_difference: float | None
    alt_value: float | None
    alt_reproduces: bool | None
    context_value: float | None
    check: str
    explanation: str


def _fmt(x: float, decimals: int = 2) -> str:
    """A number shown two decimals finer than a figure printed with ``decimals`` decimals."""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:.0f}"
    if abs(x) < 1e-3 or abs(x) >= 1e12:
        return f"{x:.4g}"
    return f"{x:.{max(int(decimals), 0) + 2}f}"


def _fmt_bounded(b: Bounded, decimals: int) -> str:
    """Value, plus its range when the inputs' rounding makes it inexact."""
    text, lo, hi = (_fmt(x, decimals) for x in (b.value, b.lower, b.upper))
    if lo != hi:
        text += f" ({lo} to {hi} given the inputs' rounding)"
    return text


def _consistent(claim: Bounded, rec: Bounded, relation: str) -> bool:
    eps = 1e-9 * max(1.0, abs(claim.value))
    if relation == ">=":
        return rec.upper >= claim.value - eps
    if relation == "<=":
        return rec.lower <= claim.value + eps
    return rec.lower <= claim.upper + eps and rec.upper >= claim.lower - eps


def _audit_row(cid: str, row: pd.Series, ctx: _Context) -> ClaimAudit:
    printed_b = Bounded.rounded(row["value"], row["decimals"])
    rel = row["relation"]

    def run(col: str) -> Bounded:
        try:
            return _evaluate(parse_check(row[col]), ctx)
        except CheckExpressionError as exc:
            raise CheckExpressionError(f"claim {cid}, column {col}: {exc}") from None

    dec = int(row["decimals"])
    context_value = run("context").value if row["context"] else None
    context_text = (f" Context: {row['context_label']} = {_fmt(context_value, dec)}."
                    if context_value is not None else "")
    base = dict(id=cid, document=row["document"], location=row["location"],
                quantity=row["quantity"], printed=row["printed"], value=float(row["value"]),
                unit=row["unit"], period=row["period"], relation=rel, decimals=dec,
                context_value=context_value, check=row["check"])
    if not row["check"]:
        return ClaimAudit(**base, status="not_checkable", basis="none", recomputed=None,
                          recomputed_lower=None, recomputed_upper=None, difference=None,
                          relative_difference=None, alt_value=None, alt_reproduces=None,
                          explanation=f"Not checkable: {row['not_checkable_reason']}.{context_text}")
    parsed = parse_check(row["check"])
    rec = run("check")
    diff = round(rec.value - float(row["value"]), 12) + 0.0
    reldiff = diff / float(row["value"]) if float(row["value"]) != 0 else None
    alt_value = alt_ok = None
    alt_text = ""
    if row["alt_check"]:
        alt = run("alt_check")
        alt_value, alt_ok = alt.value, _consistent(printed_b, alt, rel)
        alt_text = _fmt_bounded(alt, dec)
    computed = f"{row['check_label']} = {_fmt_bounded(rec, dec)}"
    if _consistent(printed_b, rec, rel):
        status = "reproduced"
        how = "within the printed rounding" if rel == "=" else f"(the text gives a bound, {rel})"
        explanation = f"Reproduced {how}: {computed}."
    else:
        status = "discrepant"
        gap = f"{diff:+.4g}" + (f", {reldiff:+.1%}" if reldiff is not None else "")
        explanation = f"Recomputed minus printed = {gap}: {computed}."
        if alt_ok:
            explanation += f" Reproduced instead by {row['alt_explanation']} = {alt_text}."
        elif alt_value is not None:
            explanation += (f" The alternative ({row['alt_explanation']}) gives {alt_text}, "
                            "which does not reproduce it either.")
        if row["discrepancy_explanation"] and not alt_ok:
            explanation += f" Most likely: {row['discrepancy_explanation']}."
    return ClaimAudit(**base, status=status, basis=parsed.basis, recomputed=rec.value,
                      recomputed_lower=rec.lower, recomputed_upper=rec.upper, difference=diff,
                      relative_difference=reldiff, alt_value=alt_value, alt_reproduces=alt_ok,
                      explanation=explanation + context_text)


_FRAME_COLUMNS = ("id", "document", "location", "quantity", "printed", "value", "unit", "period",
                  "relation", "recomputed", "difference", "relative_difference", "status", "basis",
                  "explanation", "recomputed_lower", "recomputed_upper", "alt_value",
                  "alt_reproduces", "context_value", "check")


@dataclass(frozen=True)
class AuditResult:
    """The audit of the claims register.

    Attributes
    ----------
    claims
        One :class:`ClaimAudit` per claim, in register order (after filtering).
    document, status
        The filters applied (None = all).
    n_register
        Number of claims in the register before filtering.
    """

    claims: tuple[ClaimAudit, ...]
    document: str | None
    status: str | None
    n_register: int

    @property
    def counts(self) -> dict[str, int]:
        """Number of claims by status (all three statuses, in display order)."""
        return {s: sum(c.status == s for c in self.claims) for s in STATUSES}

    @property
    def counts_by_document(self) -> pd.DataFrame:
        """Claims by document (rows) and status (columns)."""
        frame = self.to_frame()
        table = pd.crosstab(frame["document"], frame["status"]).reindex(columns=list(STATUSES),
                                                                         fill_value=0)
        table.columns.name = None
        return table

    def to_frame(self) -> pd.DataFrame:
        """One row per claim, indexed by ``id`` (columns as in :class:`ClaimAudit`)."""
        rows = [{k: getattr(c, k) for k in _FRAME_COLUMNS} for c in self.claims]
        frame = pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))
        for col in ("recomputed", "difference", "relative_difference", "recomputed_lower",
                    "recomputed_upper", "alt_value", "context_value"):
            frame[col] = frame[col].astype("float64")
        return frame.set_index("id")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict: filters, counts and one record per claim (NaN -> None)."""
        def clean(v: Any) -> Any:
            return None if isinstance(v, float) and math.isnan(v) else v

        return {
            "filters": {"document": self.document, "status": self.status},
            "n_register": self.n_register,
            "counts": self.counts,
            "claims": [{k: clean(getattr(c, k)) for k in _FRAME_COLUMNS} for c in self.claims],
        }

    def _filters_text(self) -> str:
        parts = [f"document {self.document}" if self.document else "",
                 f"status {self.status}" if self.status else ""]
        parts = [p for p in parts if p]
        return f" (filtered: {', '.join(parts)})" if parts else ""

    def summary(self) -> str:
        """Plain-text report: counts by status, then one line per claim."""
        counts = self.counts
        lines = [f"Claims audit: {len(self.claims)} of {self.n_register} claims{self._filters_text()}",
                 "  " + ", ".join(f"{s}: {n}" for s, n in counts.items()), ""]
        width = max([len(c.printed) for c in self.claims] + [7])
        width = min(width, 32)
        for c in self.claims:
            rec = "" if c.recomputed is None else _fmt(c.recomputed, c.decimals)
            printed = c.printed if len(c.printed) <= width else c.printed[: width - 1] + "~"
            lines.append(f"{c.id:<6} {c.document}  {printed:<{width}} {rec:>10}  {c.status}")
        discrepant = [c for c in self.claims if c.status == "discrepant"]
        if discrepant:
            lines += ["", "Discrepancies:"]
            lines += [f"  {c.id}: {c.explanation}" for c in discrepant]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        counts = ", ".join(f"{s}: {n}" for s, n in self.counts.items())
        cols = ["document", "location", "quantity", "printed", "recomputed", "difference",
                "status", "explanation"]
        table = self.to_frame()[cols].to_html(
            escape=True, na_rep="", float_format=lambda x: f"{x:.4g}", border=0)
        head = html.escape(f"Claims audit: {len(self.claims)} of {self.n_register} claims"
                           f"{self._filters_text()}")
        return f"<div><p><strong>{head}</strong><br>{html.escape(counts)}</p>{table}</div>"


def audit(
    document: str | None = None,
    status: str | None = None,
    *,
    register: pd.DataFrame | None = None,
    datasets: Mapping[str, pd.DataFrame] | None = None,
) -> AuditResult:
    """Audit every claim of the register (or those of one document / one status).

    Parameters
    ----------
    document
        Only claims of this document id ("000" .. "004"); None for all.
    status
        Only claims with this status ("reproduced", "discrepant", "not_checkable"); None for all.
    register
        A register frame to audit instead of the shipped ``claims_register`` (for tests).
    datasets
        Optional ``name -> DataFrame`` overrides of the shipped datasets used by the checks.

    Returns
    -------
    AuditResult

    Raises
    ------
    InputError
        Unknown document id or status.
    DataValidationError
        The register breaks its rules (see :func:`validate_register`).
    CheckExpressionError
        A check cannot be evaluated (e.g. it asks for a year outside a dataset).

    Notes
    -----
    Every claim is evaluated (filters apply afterwards), so a broken check anywhere fails the
    audit loudly rather than silently losing a status.
    """
    if document is not None and document not in DOCUMENTS:
        raise InputError(f"unknown document {document!r}; expected one of {list(DOCUMENTS)}")
    if status is not None and status not in STATUSES:
        raise InputError(f"unknown status {status!r}; expected one of {list(STATUSES)}")
    reg = load_register(register)
    ctx = _make_context(reg, datasets)
    rows = tuple(_audit_row(str(cid), row, ctx) for cid, row in reg.iterrows())
    kept = tuple(c for c in rows if (document is None or c.document == document)
                 and (status is None or c.status == status))
    return AuditResult(claims=kept, document=document, status=status, n_register=len(rows))


def claims_cli(
    document: str | None = None,
    status: str | None = None,
    csv_path: str | Path | None = None,
    *,
    stream: TextIO | None = None,
) -> int:
    """Back end of ``ewp-stats claims [--document D] [--status S] [--csv PATH]``.

    Prints the audit (counts, one line per claim, the explanations of discrepancies) and, with
    ``csv_path``, writes the full audit table as CSV (UTF-8, ``\\n`` line ends). Returns the exit
    code: 0, or 2 for an unknown document or status (the message goes to stderr).
    """
    out = stream if stream is not None else sys.stdout
    try:
        result = audit(document=document, status=status)
    except InputError as exc:
        print(f"ewp-stats claims: {exc}", file=sys.stderr)
        return 2
    print(result.summary(), file=out)
    if csv_path is not None:
        buf = io.StringIO()
        result.to_frame().reset_index().to_csv(buf, index=False, lineterminator="\n")
        Path(csv_path).write_text(buf.getvalue(), encoding="utf-8")
        print(f"\nwrote {len(result.claims)} rows to {csv_path}", file=out)
    return 0
