"""What "reproduced" means (ewp_stats.printed.reproduces): the half-unit rule."""

from __future__ import annotations

import pytest

from ewp_stats.printed import reproduces


@pytest.mark.parametrize(("value", "decimals", "lower", "upper", "relation", "expected"), [
    (80.3, 1, 80.32071, None, "=", True),
    (80.3, 1, 80.36, None, "=", False),
    # at the rounding bound: round(2.855, 2) gives 2.85 (binary floats), yet 2.855 is a value
    # that a printed 2.86 stands for
    (2.86, 2, 2.855, None, "=", True),
    (2.86, 2, 2.865, None, "=", True),
    (2.86, 2, 2.8549, None, "=", False),
    (77, 0, 76.5, None, "=", True),
    (230, -1, 234.9, None, "=", True),  # rounded to tens
    (230, -1, 235.1, None, "=", False),
    # an interval meets the printed one: (2.86 - 2.12) / 20 = 3.70 +- 0.05 covers a printed 3.71
    (3.71, 2, 3.65, 3.75, "=", True),
    (3.71, 2, 3.60, 3.70, "=", False),
    # bounds in the text: "more than 100" / "less than 100"
    (100, 0, 250.0, None, ">=", True),
    (100, 0, 99.0, None, ">=", False),
    (100, 0, 80.0, None, "<=", True),
    (100, 0, 100.4, None, "<=", False),
])
def test_reproduces(value, decimals, lower, upper, relation, expected) -> None:
    assert reproduces(value, decimals, lower, upper, relation=relation) is expected
