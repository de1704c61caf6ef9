"""What a printed figure means: its decimals and its rounding bound (half a unit of the last digit).

A figure printed as ``2.86`` stands for any value in [2.855, 2.865]. Every module that compares a
printed figure with a computed one (the Table 1 identities, the funding shares, the claims audit)
uses these rules, so the half-unit is defined once, and so is what "reproduced" means
(:func:`reproduces`).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["printed_decimals", "half_unit", "half_unit_decimal", "printed_half_unit", "float_half_unit",
           "reproduces"]


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


def reproduces(value: float, decimals: int, lower: float, upper: float | None = None, *,
               relation: str = "=") -> bool:
    """Whether a recomputed figure reproduces a figure printed as ``value`` with ``decimals`` decimals.

    The printed figure stands for [``value`` - h, ``value`` + h], h = :func:`half_unit` of
    ``decimals``. The recomputed figure is the interval [``lower``, ``upper``] (a point when
    ``upper`` is None). It reproduces the printed one when

    * ``relation="="``: the two intervals meet (for a point x: ``|x - value| <= h``);
    * ``relation=">="`` (the text says "more than", "at least"): ``upper >= value``;
    * ``relation="<="`` (the text says "less than", "within"): ``lower <= value``;

    each with a slack of ``1e-9 * max(1, |value|)`` for floating-point noise. This is the rule of
    the claims audit (:func:`~ewp_stats.paper.claims.audit`) and of the funding shares
    (:func:`~ewp_stats.paper.funding.paper_shares`).

    >>> reproduces(80.3, 1, 80.3207), reproduces(80.3, 1, 80.36), reproduces(3.71, 2, 3.65, 3.75)
    (True, False, True)
    """
    upper = lower if upper is None else upper
    value = float(value)
    eps = 1e-9 * max(1.0, abs(value))
    if relation == ">=":
        return upper >= value - eps
    if relation == "<=":
        return lower <= value + eps
    h = half_unit(decimals)
    return lower <= value + h + eps and upper >= value - h - eps
