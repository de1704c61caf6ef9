"""A safe expression language over interval numbers, for checks that recompute printed figures.

A check is a Python *expression* parsed with :mod:`ast` and evaluated by a small interpreter that
accepts only numbers, string literals (as function arguments), ``+ - * / **``, unary ``+``/``-``,
parentheses and calls of registered functions by bare name (positional arguments only).
Anything else (names, attribute access, subscripts, keyword arguments, comparisons, lambdas,
comprehensions) is rejected before evaluation, so an expression cannot run arbitrary code.

Numbers are :class:`Bounded` intervals: a figure printed as ``2.86`` stands for [2.855, 2.865]
(:meth:`Bounded.rounded`, with the half unit of :mod:`ewp_stats.printed`), arithmetic propagates
the bounds (interval arithmetic) and literals are exact. A :class:`CheckLanguage` holds the
registry of callable functions; a user (e.g. :mod:`ewp_stats.paper.claims`) registers its own
and passes its own evaluation context, which every function receives as its first argument.

References
----------
R. E. Moore, R. B. Kearfott and M. J. Cloud, *Introduction to Interval Analysis*, SIAM, 2009.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ewp_stats.errors import InputError
from ewp_stats.printed import half_unit

__all__ = ["Bounded", "CheckExpressionError", "CheckFunction", "CheckLanguage", "ParsedCheck", "as_bounded"]


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

    @classmethod
    def at_least(cls, x: Bounded) -> Bounded:
        """The bound "at least ``x``": [``x.lower``, inf), valued at ``x.value``."""
        return cls(x.value, x.lower, math.inf)

    @classmethod
    def at_most(cls, x: Bounded) -> Bounded:
        """The bound "at most ``x``": (-inf, ``x.upper``], valued at ``x.value``."""
        return cls(x.value, -math.inf, x.upper)

    @property
    def one_sided(self) -> bool:
        """True for a bound (an infinite end)."""
        return math.isinf(self.lower) or math.isinf(self.upper)

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
        if other.lower == 0.0 < other.upper and self.lower >= 0.0 and other.value > 0.0:
            # a non-negative quantity over an upper bound [0, b] ("less than b"): at least a / b
            return Bounded(self.value / other.value, self.lower / other.upper, math.inf)
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


def as_bounded(x: Any, where: str) -> Bounded:
    """``x`` as a :class:`Bounded` (numbers become exact); ``where`` names it in errors."""
    if isinstance(x, Bounded):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise CheckExpressionError(f"{where}: expected a number, got {type(x).__name__} {x!r}")
    if not math.isfinite(float(x)):
        raise CheckExpressionError(f"{where}: non-finite number {x!r}")
    return Bounded.exact(float(x))


# --------------------------------------------------------------------------------------------
# the registry, parsing and evaluation


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
        What the function's value rests on: one of the language's bases, or None for a function
        that adds no basis of its own (e.g. a growth-rate formula).
    func
        The implementation. It is called as ``func(context, *args)`` where numbers arrive as
        :class:`Bounded` if ``interval_aware`` else as ``float`` (the nominal value), strings as
        ``str``; it returns a ``float`` or a :class:`Bounded`.
    interval_aware
        Whether ``func`` takes :class:`Bounded` arguments and propagates their bounds.
    cites
        Whether the function takes exactly one string literal, the id of another figure it
        cites (collected in :attr:`ParsedCheck.references`).
    one_sided
        Whether the function returns a one-sided interval (a bound: ``lower`` or ``upper`` is
        infinite). Such a function may only be the whole expression, never an operand.
    """

    name: str
    signature: str
    description: str
    basis: str | None
    func: Callable[..., Any] = field(repr=False)
    interval_aware: bool = False
    cites: bool = False
    one_sided: bool = False


@dataclass(frozen=True)
class ParsedCheck:
    """A validated expression: its tree, the functions it calls, the ids it cites, its basis.

    Attributes
    ----------
    expression
        The text.
    functions
        Names of the functions called.
    references
        The ids cited by functions registered with ``cites=True``.
    basis
        The first of the language's bases that a called function has, or the language's
        ``default_basis`` (numbers only).
    one_sided
        Whether the expression is a call of a one-sided function (its value is a bound).
    """

    expression: str
    tree: ast.Expression = field(repr=False)
    functions: frozenset[str]
    references: frozenset[str]
    basis: str
    one_sided: bool = False


_BINOPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class CheckLanguage:
    """A registry of functions callable from check expressions, with its parser and evaluator.

    Parameters
    ----------
    bases
        The bases a function may declare, in order of precedence: a parsed expression's basis
        is the first of them that one of its functions has.
    default_basis
        The basis of an expression that calls no function with a basis.
    max_length
        Longest expression accepted, in characters.
    """

    def __init__(self, *, bases: tuple[str, ...], default_basis: str = "arithmetic",
                 max_length: int = 1000) -> None:
        self.bases = tuple(bases)
        self.default_basis = default_basis
        self.max_length = int(max_length)
        self._functions: dict[str, CheckFunction] = {}

    def register(
        self,
        name: str,
        func: Callable[..., Any],
        *,
        signature: str,
        description: str,
        basis: str | None = "data",
        interval_aware: bool = False,
        cites: bool = False,
        one_sided: bool = False,
        replace: bool = False,
    ) -> CheckFunction:
        """Make a function callable from expressions.

        Parameters
        ----------
        name
            Name used in expressions; a Python identifier.
        func
            Called as ``func(context, *args)`` with the context given to :meth:`evaluate`; must
            return a float or :class:`Bounded`.
        signature, description
            Documentation shown by :meth:`functions`.
        basis
            One of the language's ``bases``, or None for a function that adds no basis of its own.
        interval_aware
            If True, numeric arguments arrive as :class:`Bounded`.
        cites
            If True, the function takes one string literal, the id of a figure it cites.
        one_sided
            If True, the function returns a bound (an infinite end) and may only be called as
            the whole expression.
        replace
            Allow replacing an existing function of the same name.

        Returns
        -------
        CheckFunction

        Raises
        ------
        InputError
            If ``name`` is not an identifier, is already registered (and ``replace`` is False),
            or ``basis`` is unknown.
        """
        if not name.isidentifier():
            raise InputError(f"function name {name!r} is not a Python identifier")
        if name in self._functions and not replace:
            raise InputError(f"check function {name!r} is already registered; pass replace=True")
        if basis is not None and basis not in self.bases:
            raise InputError(f"basis {basis!r} unknown; expected one of {list(self.bases)} or None")
        spec = CheckFunction(name, signature, description, basis, func, interval_aware, cites, one_sided)
        self._functions[name] = spec
        return spec

    def functions(self) -> pd.DataFrame:
        """The registered functions: name, signature, basis, description."""
        rows = [{"name": f.name, "signature": f.signature, "basis": f.basis or "",
                 "description": f.description} for f in self._functions.values()]
        return pd.DataFrame(rows).set_index("name")

    def parse(self, expression: str) -> ParsedCheck:
        """Parse and validate an expression without evaluating it.

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
            On a syntax error, a disallowed construct (attribute access, subscripts, names other
            than called functions, keyword arguments, comparisons, ...), an unknown function or
            an argument of a citing function that is not a string literal.
        """
        if not isinstance(expression, str) or not expression.strip():
            raise CheckExpressionError("empty check expression")
        if len(expression) > self.max_length:
            raise CheckExpressionError(
                f"check expression longer than {self.max_length} characters")
        try:
            tree = ast.parse(expression.strip(), mode="eval")
        except SyntaxError as exc:
            raise CheckExpressionError(f"syntax error in {expression!r}: {exc.msg}") from None
        functions: set[str] = set()
        references: set[str] = set()

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
                if name not in self._functions:
                    raise CheckExpressionError(
                        f"unknown function {name!r} in {expression!r}; known: {sorted(self._functions)}")
                if self._functions[name].one_sided and node is not tree.body:
                    raise CheckExpressionError(
                        f"{name}() gives a bound and must be the whole expression in {expression!r}")
                if node.keywords:
                    raise CheckExpressionError(
                        f"keyword arguments not allowed in {expression!r} (function {name!r})")
                for arg in node.args:
                    if isinstance(arg, ast.Starred):
                        raise CheckExpressionError(f"starred arguments not allowed in {expression!r}")
                    visit(arg)
                if self._functions[name].cites:
                    if len(node.args) != 1 or not (
                            isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                        raise CheckExpressionError(
                            f"{name}() takes one string literal, the id it cites, in {expression!r}")
                    references.add(node.args[0].value)
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
        bases = {self._functions[f].basis for f in functions} - {None}
        basis = next((b for b in self.bases if b in bases), self.default_basis)
        body = tree.body
        one_sided = (isinstance(body, ast.Call) and isinstance(body.func, ast.Name)
                     and self._functions[body.func.id].one_sided)
        return ParsedCheck(expression, tree, frozenset(functions), frozenset(references), basis,
                           one_sided)

    def evaluate(self, parsed: ParsedCheck, context: Any) -> Bounded:
        """Evaluate a parsed expression; every function is called with ``context`` first.

        Raises
        ------
        CheckExpressionError
            Arithmetic errors, bad arguments, or a result that is a string or not finite.
        """
        expr = parsed.expression

        def ev(node: ast.AST) -> Any:
            if isinstance(node, ast.Expression):
                return ev(node.body)
            if isinstance(node, ast.Constant):
                return node.value if isinstance(node.value, str) else Bounded.exact(float(node.value))
            if isinstance(node, ast.UnaryOp):
                v = as_bounded(ev(node.operand), expr)
                return -v if isinstance(node.op, ast.USub) else v
            if isinstance(node, ast.BinOp):
                a = as_bounded(ev(node.left), expr)
                b = as_bounded(ev(node.right), expr)
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
                spec = self._functions[node.func.id]  # type: ignore[attr-defined]
                args = []
                for a in node.args:
                    v = ev(a)
                    if isinstance(v, Bounded) and not spec.interval_aware:
                        v = v.value
                    args.append(v)
                try:
                    out = spec.func(context, *args)
                except CheckExpressionError:
                    raise
                except TypeError as exc:
                    raise CheckExpressionError(
                        f"bad arguments to {spec.signature} in {expr!r}: {exc}") from None
                if spec.one_sided:
                    return out
                return as_bounded(out, f"{spec.name}() in {expr!r}")
            raise CheckExpressionError(f"{type(node).__name__} not allowed in {expr!r}")  # pragma: no cover

        result = ev(parsed.tree)
        if isinstance(result, str):
            raise CheckExpressionError(f"{expr!r} evaluates to a string, not a number")
        # a bound cited through claim() may leave one end infinite; the value must be finite
        if not math.isfinite(result.value) or any(math.isnan(x) for x in (result.lower, result.upper)):
            raise CheckExpressionError(f"{expr!r} evaluates to a non-finite number")
        return result
