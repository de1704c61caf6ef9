"""What a printed figure means: its decimals, its rounding bound and the interval its qualifier gives.

A figure printed as ``2.86`` stands for any value in [2.855, 2.865]. Every module that compares a
printed figure with a computed one (the Table 1 identities, the funding shares, the claims audit)
uses these rules, so the half-unit is defined once, and so is what "reproduced" means
(:func:`reproduces`).

A printed figure often comes with an approximate word ("about 7000", "nearly 140,000", "more than
doubled", "2-3 per mu"). :func:`printed_interval` gives the interval each such *qualifier* stands
for; the choices are stated once, here (:data:`QUALIFIER_RULES`), and documented for the register in
``seeds/claims.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ewp_stats.errors import InputError

__all__ = ["printed_decimals", "half_unit", "half_unit_decimal", "printed_half_unit", "float_half_unit",
           "last_nonzero_decimals", "PrintedInterval", "printed_interval", "QUALIFIERS",
           "QUALIFIER_RULES", "BOUND_QUALIFIERS", "NEARLY_BAND", "MULTIPLE_BAND", "reproduces"]


def printed_decimals(text: str) -> int:
    """Number of decimals printed in ``text``; a trailing full stop (``"83.2521."``) is ignored.

    >>> printed_decimals("83.2521."), printed_decimals("77"), printed_decimals(" 2.86 ")
    (4, 0, 2)
    """
    s = str(text).strip().rstrip(".")
    return len(s.split(".")[1]) if "." in s else 0


def half_unit(decimals: int) -> float:
    """Half a unit of the last place of a figure printed with ``decimals`` decimals.

    Negative ``decimals`` mean a figure rounded to tens (-1), hundreds (-2), ...

    >>> half_unit(2), half_unit(0), half_unit(-1)
    (0.005, 0.5, 5.0)
    """
    return 0.5 * 10.0 ** (-int(decimals))


def half_unit_decimal(text: str) -> Decimal:
    """:func:`printed_half_unit` as an exact :class:`~decimal.Decimal` (for sums of many bounds)."""
    return Decimal(5) / Decimal(10) ** (printed_decimals(text) + 1)


def printed_half_unit(text: str) -> float:
    """Half a unit in the last printed decimal place of a printed number (its rounding bound).

    >>> printed_half_unit("83.2521."), printed_half_unit("77"), printed_half_unit("2377.197")
    (5e-05, 0.5, 0.0005)
    """
    return float(half_unit_decimal(text))


def float_half_unit(value: float) -> float:
    """The rounding bound implied by the shortest ``repr`` of a float, for a figure whose printed
    text is not known (``83.25`` -> 0.005)."""
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return half_unit(decimals)


def last_nonzero_decimals(value: float) -> int:
    """The position of the last non-zero digit of ``value`` (decimals, negative for tens, hundreds...).

    A round number is read at its last non-zero digit: 7000 -> -3, 170 -> -1, 3.23 -> 2, 0 -> 0.

    >>> last_nonzero_decimals(7000), last_nonzero_decimals(170), last_nonzero_decimals(3.23)
    (-3, -1, 2)
    """
    d = Decimal(repr(float(value))).normalize()
    if d == 0:
        return 0
    return -int(d.as_tuple().exponent)


#: The widest band of "nearly" as a fraction of the figure x. "Nearly x" lies just below x, by at
#: most one unit of its last printed digit and never by more than this fraction of x.
NEARLY_BAND: float = 0.05
#: The band of a multiple such as "doubled", "tripled" or "N-fold", as a fraction of the factor k;
#: the true factor lies within k (1 - band) to k (1 + band).
MULTIPLE_BAND: float = 0.10

#: The register's qualifiers and the interval each gives a figure x printed with d decimals
#: (h = half a unit of the last printed digit, u = one unit).
QUALIFIER_RULES: dict[str, str] = {
    "": "a plain rounded figure: [x - h, x + h]",
    "about": ("about/around/approximately/some: [x - h, x + h] with h the half unit of the coarser of "
              "the printed precision and the last non-zero digit (about 7000 = [6500, 7500], about 170 "
              "= [165, 175]); since the register already reads a round figure at its last non-zero "
              "digit, 'about' adds no width to it: 'about 7000' and '7000' stand for the same interval"),
    "nearly": (f"nearly/almost/close to: just below x, [x - min(u, {NEARLY_BAND:g} x), x] "
               f"(nearly 140,000 = [133,000, 140,000]; nearly 2,991 = [2990, 2991]; nearly 2 = [1.9, 2])"),
    "over": "more than/over/exceeded/above: (x, inf), strict",
    "at_least": "at least: [x, inf)",
    "under": "less than/fewer than/below: (-inf, x), strict",
    "at_most": "within/no more than/up to: (-inf, x]",
    "range": "a printed range low-high: [low, high], the ends as printed (2-3 = [2, 3])",
    "multiple": (f"doubled/tripled/N-fold/'k times', factor k: [k (1 - {MULTIPLE_BAND:g}), "
                 f"k (1 + {MULTIPLE_BAND:g})] (doubled = 2 times = [1.8, 2.2])"),
}
#: The qualifiers that print a bound rather than a value (their check is "bound satisfied").
BOUND_QUALIFIERS: frozenset[str] = frozenset({"over", "at_least", "under", "at_most"})
#: The qualifiers, in the register's order.
QUALIFIERS: tuple[str, ...] = tuple(QUALIFIER_RULES)


@dataclass(frozen=True)
class PrintedInterval:
    """The interval a printed figure stands for; an end may be open (strict) or infinite.

    Attributes
    ----------
    lower, upper
        The ends (``-inf``/``inf`` for a one-sided bound).
    lower_open, upper_open
        Whether the end itself is excluded ("more than 100" excludes 100).
    qualifier
        The qualifier that gave the interval.
    """

    lower: float
    upper: float
    lower_open: bool = False
    upper_open: bool = False
    qualifier: str = ""

    def meets(self, lower: float, upper: float | None = None) -> bool:
        """Whether [``lower``, ``upper``] (a point when ``upper`` is None) shares a value with this interval.

        Ends are compared with a slack of ``1e-9 * max(1, |end|)`` for floating-point noise; an
        open end excludes a point that equals it beyond that slack.
        """
        upper = lower if upper is None else upper
        lo_ok = _above(upper, self.lower, self.lower_open)
        hi_ok = _above(self.upper, lower, self.upper_open)
        return lo_ok and hi_ok

    def contains(self, x: float) -> bool:
        """Whether the point ``x`` lies in the interval."""
        return self.meets(x)

    @property
    def bound(self) -> bool:
        """True for a one-sided interval (the figure is a bound, not a value)."""
        return math.isinf(self.lower) or math.isinf(self.upper)

    def text(self, digits: int = 12) -> str:
        """The interval as text, ends to ``digits`` significant digits: ``[2, 3]``, ``(100, inf)``."""
        def num(x: float) -> str:
            return "inf" if x == math.inf else "-inf" if x == -math.inf else f"{x:.{digits}g}"
        return (("(" if self.lower_open or math.isinf(self.lower) else "[") + num(self.lower) + ", "
                + num(self.upper) + (")" if self.upper_open or math.isinf(self.upper) else "]"))


def _above(a: float, b: float, strict: bool) -> bool:
    """``a > b`` (strict) or ``a >= b``, with a relative slack of 1e-9 for floating-point noise."""
    if math.isinf(a) or math.isinf(b):
        return a > b or (a == b and not strict)
    eps = 1e-9 * max(1.0, abs(a), abs(b))
    return a > b + eps if strict else a >= b - eps


def printed_interval(value: float, decimals: int, *, qualifier: str = "",
                     value_high: float | None = None, exact: bool = False) -> PrintedInterval:
    """The interval a figure printed as ``value`` with ``decimals`` decimals and a qualifier stands for.

    Parameters
    ----------
    value
        The printed number (the lower end of a range; the factor of a ``multiple``).
    decimals
        The printed precision (negative for tens, hundreds, ...).
    qualifier
        One of :data:`QUALIFIERS`; the rules are :data:`QUALIFIER_RULES`.
    value_high
        The upper end of a ``range`` (required for it, refused otherwise); at least ``value``.
    exact
        The figure is an exact integer (a count of named things, a year, a whole number of years,
        a plan number): a plain one stands for itself, [x, x], not for x +- 0.5. Other qualifiers
        are unaffected.

    Returns
    -------
    PrintedInterval

    Raises
    ------
    InputError
        An unknown qualifier, ``value_high`` given without ``range`` (or missing with it, or below
        ``value``), or ``exact`` for a figure that is not a whole number printed without decimals.

    Notes
    -----
    The choices are conventions, not facts about the documents: "nearly" is read as within
    one unit of the last printed digit below the figure, but never more than :data:`NEARLY_BAND` of
    it (so a precise "nearly 10.901" is just below 10.901 and a coarse "nearly 2" not as far as 1); a
    multiple as within :data:`MULTIPLE_BAND` of the factor, whether printed as "doubled" or "2
    times". A range is taken at its printed ends, without widening them by their rounding (a range
    says where the value lies; its ends are not rounded measurements). "about" adds no width to a
    figure that is already read at its last non-zero digit.

    >>> printed_interval(2, 0, qualifier="range", value_high=3).text()
    '[2, 3]'
    >>> printed_interval(2, 0, qualifier="multiple").text(), printed_interval(100, 0, qualifier="over").text()
    ('[1.8, 2.2]', '(100, inf)')
    >>> printed_interval(7000, -3, qualifier="about").text()
    '[6500, 7500]'
    >>> printed_interval(140000, -4, qualifier="nearly").text(), printed_interval(15, 0, exact=True).text()
    ('[133000, 140000]', '[15, 15]')
    """
    if qualifier not in QUALIFIER_RULES:
        raise InputError(f"unknown qualifier {qualifier!r}; expected one of {list(QUALIFIER_RULES)}")
    if (qualifier == "range") != (value_high is not None and not _nan(value_high)):
        raise InputError("value_high is given exactly when the qualifier is 'range'")
    x = float(value)
    d = int(decimals)
    if exact and (d != 0 or not x.is_integer()):
        raise InputError(f"an exact figure is a whole number printed without decimals; got {x!r} "
                         f"with decimals {d}")
    if qualifier == "range" and not float(value_high) >= x:  # type: ignore[arg-type]
        raise InputError(f"range {x:g}-{value_high}: the upper end must be at least the lower end")
    if qualifier == "" and exact:
        return PrintedInterval(x, x, qualifier=qualifier)
    if qualifier == "":
        h = half_unit(d)
        return PrintedInterval(x - h, x + h, qualifier=qualifier)
    if qualifier == "about":
        h = half_unit(min(d, last_nonzero_decimals(x)))
        return PrintedInterval(x - h, x + h, qualifier=qualifier)
    if qualifier == "nearly":
        return PrintedInterval(x - min(10.0 ** -d, NEARLY_BAND * abs(x)), x, qualifier=qualifier)
    if qualifier == "over":
        return PrintedInterval(x, math.inf, lower_open=True, qualifier=qualifier)
    if qualifier == "at_least":
        return PrintedInterval(x, math.inf, qualifier=qualifier)
    if qualifier == "under":
        return PrintedInterval(-math.inf, x, upper_open=True, qualifier=qualifier)
    if qualifier == "at_most":
        return PrintedInterval(-math.inf, x, qualifier=qualifier)
    if qualifier == "range":
        return PrintedInterval(x, float(value_high), qualifier=qualifier)  # type: ignore[arg-type]
    return PrintedInterval(x * (1 - MULTIPLE_BAND), x * (1 + MULTIPLE_BAND), qualifier=qualifier)


def _nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def reproduces(value: float, decimals: int, lower: float, upper: float | None = None, *,
               qualifier: str = "", value_high: float | None = None) -> bool:
    """Whether a recomputed figure agrees with a figure printed as ``value`` with ``decimals`` decimals.

    The printed figure stands for :func:`printed_interval` (``value``, ``decimals``, ``qualifier``);
    the recomputed figure is the interval [``lower``, ``upper``] (a point when ``upper`` is None),
    the spread its inputs' rounding gives it. They agree when the two intervals meet
    (:meth:`PrintedInterval.meets`): for a plain figure and a point x, ``|x - value| <= h``; for
    "more than" (``over``), ``upper > value``. This is the rule of the claims audit
    (:func:`~ewp_stats.paper.claims.audit`) and of the funding shares
    (:func:`~ewp_stats.paper.funding.paper_shares`).

    >>> reproduces(80.3, 1, 80.3207), reproduces(80.3, 1, 80.36), reproduces(3.71, 2, 3.65, 3.75)
    (True, False, True)
    """
    interval = printed_interval(value, decimals, qualifier=qualifier, value_high=value_high)
    return interval.meets(lower, upper)
