"""What a printed figure stands for (ewp_stats.printed): the half-unit rule and the qualifiers."""

from __future__ import annotations

import math

import pytest

from ewp_stats.data.vocab import CLAIM_QUALIFIERS
from ewp_stats.errors import InputError
from ewp_stats.printed import (
    QUALIFIER_RULES,
    last_nonzero_decimals,
    printed_interval,
    reproduces,
)


@pytest.mark.parametrize(("value", "decimals", "lower", "upper", "qualifier", "expected"), [
    (80.3, 1, 80.32071, None, "", True),
    (80.3, 1, 80.36, None, "", False),
    # at the rounding bound: round(2.855, 2) gives 2.85 (binary floats), yet 2.855 is a value
    # that a printed 2.86 stands for
    (2.86, 2, 2.855, None, "", True),
    (2.86, 2, 2.865, None, "", True),
    (2.86, 2, 2.8549, None, "", False),
    (77, 0, 76.5, None, "", True),
    (230, -1, 234.9, None, "", True),  # rounded to tens
    (230, -1, 235.1, None, "", False),
    # an interval meets the printed one: (2.86 - 2.12) / 20 = 3.70 +- 0.05 covers a printed 3.71
    (3.71, 2, 3.65, 3.75, "", True),
    (3.71, 2, 3.60, 3.70, "", False),
    # "more than 100" / "less than 100": strict bounds
    (100, 0, 250.0, None, "over", True),
    (100, 0, 100.0, None, "over", False),
    (100, 0, 99.0, None, "over", False),
    (100, 0, 80.0, None, "under", True),
    (100, 0, 100.0, None, "under", False),
    (100, 0, 100.0, None, "at_least", True),
    (100, 0, 100.0, None, "at_most", True),
    (100, 0, 100.4, None, "at_most", False),
])
def test_reproduces(value, decimals, lower, upper, qualifier, expected) -> None:
    assert reproduces(value, decimals, lower, upper, qualifier=qualifier) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (7000, -3), (24000, -3), (170, -1), (150, -1), (3.23, 2), (0.36, 2), (2.0, 0), (0, 0), (815000, -3),
])
def test_last_nonzero_decimals(value: float, expected: int) -> None:
    assert last_nonzero_decimals(value) == expected


@pytest.mark.parametrize(("value", "decimals", "qualifier", "high", "lower", "upper", "lo_open", "hi_open"), [
    # plain: half a unit of the printed precision
    (2.86, 2, "", None, 2.855, 2.865, False, False),
    (24000, -3, "", None, 23500, 24500, False, False),
    # about: the round number at its last non-zero digit, even if printed with more digits
    (7000, -3, "about", None, 6500, 7500, False, False),
    (170, 0, "about", None, 165, 175, False, False),
    (3.23, 2, "about", None, 3.225, 3.235, False, False),
    # nearly: below the figure by one unit of the last digit, but never by more than 5%
    (140000, -4, "nearly", None, 133000, 140000, False, False),   # N2-06: 5% < one unit (10,000)
    (140000, -3, "nearly", None, 139000, 140000, False, False),
    (2991, 0, "nearly", None, 2990, 2991, False, False),
    (10.901, 3, "nearly", None, 10.900, 10.901, False, False),    # P22: just below a precise figure
    (2, 0, "nearly", None, 1.9, 2, False, False),                 # a coarse "nearly 2" is not [1, 2]
    # one-sided bounds
    (100, 0, "over", None, 100, math.inf, True, False),
    (100, 0, "at_least", None, 100, math.inf, False, False),
    (60000, -3, "under", None, -math.inf, 60000, False, True),
    (2000, -3, "at_most", None, -math.inf, 2000, False, False),
    # a range at its printed ends (the issue: 2-3 per mu is [2, 3], not 2.45-2.55)
    (2, 0, "range", 3, 2, 3, False, False),
    (25, 0, "range", 62, 25, 62, False, False),
    # a multiple within 10% of the factor (the issue: not 1.5x to 2.5x)
    (2, 0, "multiple", None, 1.8, 2.2, False, False),
    (3, 0, "multiple", None, 2.7, 3.3, False, False),
])
def test_printed_interval(value, decimals, qualifier, high, lower, upper, lo_open, hi_open) -> None:
    iv = printed_interval(value, decimals, qualifier=qualifier, value_high=high)
    assert iv.lower == pytest.approx(lower) and iv.upper == pytest.approx(upper)
    assert (iv.lower_open, iv.upper_open) == (lo_open, hi_open)


def test_doubled_is_not_anything_from_one_and_a_half_to_two_and_a_half() -> None:
    doubled = printed_interval(2, 0, qualifier="multiple")
    assert doubled.contains(1.9) and doubled.contains(2.2)
    assert not doubled.contains(1.6) and not doubled.contains(2.4)


def test_range_is_its_printed_ends() -> None:
    per_mu = printed_interval(2, 0, qualifier="range", value_high=3)
    assert per_mu.contains(2) and per_mu.contains(3) and per_mu.contains(2.2)
    assert not per_mu.contains(1.9) and not per_mu.contains(3.1)
    assert per_mu.meets(3.05, 4.0) is False and per_mu.meets(2.9, 4.0) is True


def test_bounds_meet_intervals_strictly() -> None:
    over = printed_interval(2, 0, qualifier="over")  # "more than doubled"
    assert over.meets(1.5, 2.0) is False and over.meets(1.5, 2.01) is True
    assert over.bound and not printed_interval(2, 0).bound
    assert over.text() == "(2, inf)"


def test_qualifiers_are_the_register_vocabulary() -> None:
    assert tuple(QUALIFIER_RULES) == CLAIM_QUALIFIERS


@pytest.mark.parametrize(("qualifier", "high", "match"), [
    ("roughly", None, "unknown qualifier"),
    ("range", None, "value_high"),
    ("", 3.0, "value_high"),
])
def test_printed_interval_rejects(qualifier, high, match) -> None:
    with pytest.raises(ValueError, match=match):
        printed_interval(2, 0, qualifier=qualifier, value_high=high)


def test_exact_integers_have_no_rounding_width() -> None:
    # a count, a year or a whole number of years stands for itself, not for x +- 0.5 (review A8)
    assert printed_interval(15, 0, exact=True).text() == "[15, 15]"
    assert not printed_interval(15, 0, exact=True).contains(15.4)
    assert printed_interval(15, 0).contains(15.4)
    # other qualifiers are unaffected by exactness
    assert printed_interval(3000, 0, qualifier="over", exact=True).text() == "(3000, inf)"
    with pytest.raises(InputError, match="exact figure"):
        printed_interval(2.5, 1, exact=True)


def test_about_adds_no_width_to_a_round_figure() -> None:
    # "about 7000" (P76) and "7000" (P80) read at the same last non-zero digit: the same interval
    assert printed_interval(7000, -3, qualifier="about").text() == printed_interval(7000, -3).text()
    # "about" still reads a figure whose decimals claim more precision at its last non-zero digit
    assert printed_interval(170, 0, qualifier="about").text() == "[165, 175]"


def test_a_range_needs_its_upper_end_above_its_lower_end() -> None:
    with pytest.raises(InputError, match="upper end"):
        printed_interval(3, 0, qualifier="range", value_high=2)


def test_the_words_of_each_qualifier_agree_between_code_and_documentation() -> None:
    """seeds/claims.md's qualifier table lists the same words as QUALIFIER_RULES (review B6)."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "seeds" / "claims.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", doc, flags=re.MULTILINE))
    for qualifier, rule in QUALIFIER_RULES.items():
        if qualifier in ("", "range"):  # no words: a plain figure, a printed "2-3"
            continue
        words = [w.strip().strip("'\"") for w in rows[qualifier].split(",")]
        code_words = rule.split(":")[0]
        for word in words:
            assert word in code_words, (qualifier, word, code_words)
