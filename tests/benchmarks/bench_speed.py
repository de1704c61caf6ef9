"""Benchmark: import time, ``ewp-stats reproduce`` wall time, cold and warm book builds.

Run from the repository root::

    .venv/bin/python tests/bench_speed.py            # everything
    .venv/bin/python tests/bench_speed.py --no-book  # import and reproduce only

Each figure is the wall time of a fresh subprocess running the installed package, so
that imports and caches start cold.  ``import ewp_stats`` is the median of five runs.
The cold book build deletes the previous build and executes every notebook; the warm
build follows it with nothing changed.  Targets on the 2-core reference machine are
printed next to the measurements, as ratios (measured / target; below 1 is within).
Not collected by pytest (file name bench_*.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGETS = {"import ewp_stats": 0.5, "ewp-stats reproduce": 20.0, "book build, cold": 90.0,
           "book build, warm": 15.0}


def wall(cmd: list[str]) -> float:
    """Seconds taken by ``cmd`` (run from the repository root; fails loudly)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def import_time(repeats: int = 5) -> float:
    """Median seconds for ``import ewp_stats`` in a fresh interpreter, minus the bare start-up."""
    bare = statistics.median(wall([sys.executable, "-c", "pass"]) for _ in range(repeats))
    full = statistics.median(wall([sys.executable, "-c", "import ewp_stats"]) for _ in range(repeats))
    return full - bare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-book", action="store_true", help="skip the two book builds")
    args = ap.parse_args(argv)
    cli = [sys.executable, "-m", "ewp_stats.reporting.cli"]
    results = {"import ewp_stats": import_time()}
    with tempfile.TemporaryDirectory() as tmp:
        results["ewp-stats reproduce"] = wall([*cli, "reproduce", "--quiet", "--out", str(Path(tmp) / "results")])
        if not args.no_book:
            book = [sys.executable, "-c", "from ewp_stats.reporting.book import build_book as b; "
                    f"b(fresh={{fresh}}, output={str(Path(tmp))!r}, capture=True)"]
            results["book build, cold"] = wall([book[0], book[1], book[2].format(fresh=True)])
            results["book build, warm"] = wall([book[0], book[1], book[2].format(fresh=False)])
    head = f"{'measure':22} {'seconds':>8} {'target s':>9} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    for name, seconds in results.items():
        print(f"{name:22} {seconds:8.2f} {TARGETS[name]:9.1f} {seconds / TARGETS[name]:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
