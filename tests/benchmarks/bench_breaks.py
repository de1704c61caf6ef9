"""Benchmark: ewp_stats.engines.breaks.breakpoints vs ruptures Dynp vs R strucchange.

Run from the repository root::

    python tests/bench_breaks.py                 # n = 500, 1000, 2000, with R if Rscript exists
    python tests/bench_breaks.py --skip-r --sizes 500 1000

Same seeded series for all three: five planted breaks plus Gaussian noise,
intercept-only ("mean") and linear-trend ("trend") models, minimum segment
length h = 5% of n, exactly 5 breaks.  Prints seconds, speed ratios, and
whether the 5-break split and its RSS agree (RSS to 1e-6 relative).
Not collected by pytest (file name bench_*.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ewp_stats.engines.breaks import breakpoints  # noqa: E402

R_CODE = r"""
suppressMessages(library(strucchange))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1]); h <- as.integer(a[2]); model <- a[3]
y <- d$y; tt <- seq_along(y)
t0 <- proc.time()[["elapsed"]]
bp <- if (model == "mean") breakpoints(y ~ 1, h = h, breaks = 5) else breakpoints(y ~ tt, h = h, breaks = 5)
b5 <- breakpoints(bp, breaks = 5)
el <- proc.time()[["elapsed"]] - t0
cat(sprintf("%.6f\n%s\n%.17g\n", el, paste(b5$breakpoints, collapse = " "), b5$RSS))
"""


def make_series(n: int, model: str, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1, dtype=float)
    cuts = (np.array([0.15, 0.33, 0.5, 0.68, 0.85]) * n).astype(int)
    seg = np.searchsorted(cuts, np.arange(n), side="right")
    levels = np.array([0.0, 2.0, -1.0, 1.5, 3.0, 0.5])
    slopes = np.array([0.01, -0.02, 0.03, 0.0, -0.01, 0.02]) * (1000 / n)
    mu = levels[seg] + (slopes[seg] * t if model == "trend" else 0.0)
    y = mu + rng.standard_normal(n)
    X = np.ones((n, 1)) if model == "mean" else np.column_stack([np.ones(n), t])
    return y, X


def seg_rss(y: np.ndarray, X: np.ndarray, bps: list[int]) -> float:
    b = [0, *bps, len(y)]
    tot = 0.0
    for i in range(len(b) - 1):
        c, *_ = np.linalg.lstsq(X[b[i] : b[i + 1]], y[b[i] : b[i + 1]], rcond=None)
        r = y[b[i] : b[i + 1]] - X[b[i] : b[i + 1]] @ c
        tot += float(r @ r)
    return tot


def run_ours(y, X, h):
    t0 = time.perf_counter()
    res = breakpoints(y, X, h=h, max_breaks=5)
    el = time.perf_counter() - t0
    return el, list(res.break_positions(5)), res.rss[5]


def run_ruptures(y, X, h, model):
    import ruptures as rpt

    if model == "mean":
        algo = rpt.Dynp(model="l2", min_size=h, jump=1)
        signal = y
    else:
        algo = rpt.Dynp(custom_cost=rpt.costs.CostLinear(), min_size=h, jump=1)
        signal = np.column_stack([y, X])
    t0 = time.perf_counter()
    bk = algo.fit(signal).predict(n_bkps=5)
    el = time.perf_counter() - t0
    bps = [int(b) for b in bk[:-1]]
    return el, bps, seg_rss(y, X, bps)


def run_r(y, h, model):
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "y.csv"
        script = Path(tmp) / "bench.R"
        np.savetxt(data, y, header="y", comments="", fmt="%.17g")
        script.write_text(R_CODE)
        out = subprocess.run(
            ["Rscript", str(script), str(data), str(h), model], capture_output=True, text=True, check=True
        ).stdout.split("\n")
    return float(out[0]), [int(v) for v in out[1].split()], float(out[2])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--skip-r", action="store_true", help="do not run R strucchange")
    ap.add_argument("--skip-ruptures", action="store_true", help="do not run ruptures Dynp")
    args = ap.parse_args(argv)
    use_r = not args.skip_r and shutil.which("Rscript") is not None
    if not args.skip_r and not use_r:
        print("Rscript not found: skipping R strucchange")
    try:
        import ruptures  # noqa: F401

        use_rpt = not args.skip_ruptures
    except ImportError:
        print("ruptures not installed: skipping it")
        use_rpt = False
    # warm-up (imports, numpy dispatch)
    run_ours(*make_series(200, "trend"), 10)
    head = f"{'model':6} {'n':>5} {'h':>4} {'ours s':>8} {'ruptures s':>10} {'R s':>8} {'rpt/ours':>9} {'R/ours':>8}  same breaks+RSS"
    print(head)
    print("-" * len(head))
    for model in ("mean", "trend"):
        for n in args.sizes:
            y, X = make_series(n, model)
            h = int(0.05 * n)
            ours = run_ours(y, X, h)
            rp = run_ruptures(y, X, h, model) if use_rpt else None
            rr = run_r(y, h, model) if use_r else None
            agree = []
            for name, other in (("ruptures", rp), ("R", rr)):
                if other is not None:
                    ok = other[1] == ours[1] and abs(other[2] - ours[2]) <= 1e-6 * abs(ours[2])
                    agree.append(f"{name}: {'yes' if ok else 'NO ' + str(other[1])}")
            fmt = lambda v: f"{v:8.3f}" if v is not None else f"{'-':>8}"  # noqa: E731
            print(
                f"{model:6} {n:5d} {h:4d} {ours[0]:8.3f} {fmt(rp[0] if rp else None):>10} {fmt(rr[0] if rr else None)} "
                f"{(rp[0] / ours[0]) if rp else float('nan'):9.1f} {(rr[0] / ours[0]) if rr else float('nan'):8.1f}  "
                f"{'; '.join(agree)}  breaks {ours[1]}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
