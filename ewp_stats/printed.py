"""What a printed figure means: its decimals and its rounding bound (half a unit of the last digit).

A figure printed as ``2.86`` stands for any value in [2.855, 2.865]. Every module that compares a
printed figure with a computed one (the Table 1 identities, the funding shares, the claims audit)
uses these rules, so the half-unit is defined once.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["printed_decimals", "half_unit", "half_unit_decimal", "printed_half_unit", "float_half_unit"]


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
