"""The benchmark tables the methods page shows (``book/generated``, written by
``tests/benchmarks/bench_break_size.py --write book/generated``) are complete and coherent."""

from __future__ import annotations

import csv
import math
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[2] / "book" / "generated"
METHODS = ["asymptotic", "sieve bootstrap (default)", "sieve, alternative residuals", "sieve, no bias correction",
           "wild bootstrap"]


def _rows(name: str) -> list[dict[str, str]]:
    with (GENERATED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_design_table_states_the_monte_carlo_error_of_its_replications() -> None:
    design = {r["Setting"]: r["Value"] for r in _rows("break_mc_design.csv")}
    reps = int(design["replications per cell"])
    se = float(design["Monte Carlo standard error of a 5% rate (percentage points)"])
    assert se == round(100 * math.sqrt(0.05 * 0.95 / reps), 2)


def test_size_and_power_tables_cover_the_grid_with_rates_in_percent() -> None:
    for name in ("break_test_size.csv", "break_test_power.csv"):
        rows = _rows(name)
        assert list(rows[0]) == ["Years", "Test", "AR coefficient", *METHODS]
        grid = {(r["Years"], r["AR coefficient"]) for r in rows}
        assert grid == {(n, rho) for n in ("20", "32") for rho in ("0.00", "0.50", "0.67", "0.90")}
        for r in rows:
            for m in METHODS:
                if r[m] != "–":  # not computed for that test
                    assert 0.0 <= float(r[m]) <= 100.0, (name, r)
    size = _rows("break_test_size.csv")
    # the point of the bootstrap: at rho = 0.67 the default sieve is far closer to 5% than the asymptotic sup-F
    sup = next(r for r in size if (r["Years"], r["Test"], r["AR coefficient"]) == ("32", "sup-F", "0.67"))
    assert abs(float(sup["sieve bootstrap (default)"]) - 5) < abs(float(sup["asymptotic"]) - 5)


def test_coverage_table_is_in_percent() -> None:
    rows = _rows("break_date_coverage.csv")
    assert [r["AR coefficient"] for r in rows] == ["0.00", "0.50", "0.67", "0.90"]
    assert all(0 <= float(r[c]) <= 100 for r in rows for c in ("inverted bootstrap LR set", "Bai (1997) interval"))
