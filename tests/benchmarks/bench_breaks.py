"""Benchmark: ewp_stats.engines.breaks.breakpoints vs R strucchange and ruptures Dynp.

Run from the repository root::

    python tests/benchmarks/bench_breaks.py                       # n = 2000 vs R and ruptures, n = 10000 ours
    python tests/benchmarks/bench_breaks.py --repeats 5 --sizes 500 2000 --large 5000 10000
    python tests/benchmarks/bench_breaks.py --skip-r --skip-ruptures  # ours only
    python tests/benchmarks/bench_breaks.py --baseline-src /path/to/old/checkout  # import time vs another tree

Every run is a fresh process: ``python`` (this checkout on ``PYTHONPATH``) for ewp_stats and
ruptures, ``Rscript`` for strucchange.  Each process times its own call (``perf_counter`` in
Python, ``system.time`` in R: the "call" columns); the parent times the whole process
(interpreter start-up, imports, reading the series, the call: the "process" columns) and reads
its peak resident memory from ``os.wait4`` (``ru_maxrss``).  All tools see the same seeded
series (five planted breaks plus Gaussian noise; intercept-only "mean" and linear-trend
"trend" models), minimum segment length h = 5% of n, exactly 5 breaks.  The runs are
interleaved (tool order rotated each repeat) and the table reports medians, because the
machine may be shared: single timings are noisy, the medians and ratios much less so.
The last column says whether the 5-break split and its RSS (1e-6 relative) agree with ours.

Not collected by pytest (file name bench_*.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]

R_CODE = r"""
suppressMessages(library(strucchange))
a <- commandArgs(trailingOnly = TRUE)
y <- scan(a[1], quiet = TRUE); h <- as.integer(a[2]); model <- a[3]
tt <- seq_along(y)
el <- system.time({
  bp <- if (model == "mean") breakpoints(y ~ 1, h = h, breaks = 5) else breakpoints(y ~ tt, h = h, breaks = 5)
  b5 <- breakpoints(bp, breaks = 5)
})[["elapsed"]]
cat(sprintf('{"call_s": %.6f, "breaks": [%s], "rss": %.17g}\n', el, paste(b5$breakpoints, collapse = ", "), b5$RSS))
"""

OURS_CODE = r"""
import json, sys, time
import numpy as np
from ewp_stats.engines.breaks import breakpoints
y = np.loadtxt(sys.argv[1]); h = int(sys.argv[2]); model = sys.argv[3]
n = y.shape[0]
X = np.ones((n, 1)) if model == "mean" else np.column_stack([np.ones(n), np.arange(1, n + 1.0)])
t0 = time.perf_counter()
res = breakpoints(y, X, h=h, max_breaks=5)
el = time.perf_counter() - t0
print(json.dumps({"call_s": el, "breaks": list(res.break_positions(5)), "rss": res.rss[5]}))
"""

RUPTURES_CODE = r"""
import json, sys, time
import numpy as np
import ruptures as rpt
y = np.loadtxt(sys.argv[1]); h = int(sys.argv[2]); model = sys.argv[3]
n = y.shape[0]
X = np.ones((n, 1)) if model == "mean" else np.column_stack([np.ones(n), np.arange(1, n + 1.0)])
if model == "mean":
    algo, signal = rpt.Dynp(model="l2", min_size=h, jump=1), y
else:
    algo, signal = rpt.Dynp(custom_cost=rpt.costs.CostLinear(), min_size=h, jump=1), np.column_stack([y, X])
t0 = time.perf_counter()
bk = algo.fit(signal).predict(n_bkps=5)
el = time.perf_counter() - t0
bps = [int(b) for b in bk[:-1]]
b = [0, *bps, n]
rss = 0.0
for i in range(len(b) - 1):
    c, *_ = np.linalg.lstsq(X[b[i]:b[i + 1]], y[b[i]:b[i + 1]], rcond=None)
    r = y[b[i]:b[i + 1]] - X[b[i]:b[i + 1]] @ c
    rss += float(r @ r)
print(json.dumps({"call_s": el, "breaks": bps, "rss": rss}))
"""

IMPORT_CODE = "import time; t = time.perf_counter(); from ewp_stats import breaks; print(time.perf_counter() - t)"


def make_series(n: int, model: str, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """The benchmark series: five planted breaks (at 15, 33, 50, 68, 85% of n) plus N(0, 1) noise."""
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


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Run ``cmd``; return its stdout, wall seconds and peak resident memory (MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
        return out.read().decode(), wall, usage.ru_maxrss / 1024  # Linux: KiB


def python_env(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def run_tool(tool: str, data: Path, h: int, model: str, tmp: Path) -> dict:
    if tool == "R":
        script = tmp / "bench.R"
        script.write_text(R_CODE)
        cmd, env = ["Rscript", str(script), str(data), str(h), model], None
    else:
        script = tmp / f"bench_{tool}.py"
        script.write_text(OURS_CODE if tool == "ours" else RUPTURES_CODE)
        cmd, env = [sys.executable, str(script), str(data), str(h), model], python_env(ROOT)
    out, wall, mem = run_process(cmd, env)
    res = json.loads(out.strip().splitlines()[-1])
    res.update(process_s=wall, peak_mib=mem)
    return res


def import_time(src: Path, repeats: int) -> float:
    return statistics.median(
        float(run_process([sys.executable, "-c", IMPORT_CODE], python_env(src))[0]) for _ in range(repeats)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000], help="n compared with R and ruptures")
    ap.add_argument("--large", type=int, nargs="*", default=[10000], help="n run with ewp_stats only")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved runs per tool (medians reported)")
    ap.add_argument("--skip-r", action="store_true", help="do not run R strucchange")
    ap.add_argument("--skip-ruptures", action="store_true", help="do not run ruptures Dynp")
    ap.add_argument("--baseline-src", type=Path, help="another checkout: compare the import time with it")
    args = ap.parse_args(argv)
    tools = ["ours"]
    if not args.skip_r:
        if shutil.which("Rscript"):
            tools.append("R")
        else:
            print("Rscript not found: skipping R strucchange")
    if not args.skip_ruptures:
        try:
            import ruptures  # noqa: F401

            tools.append("ruptures")
        except ImportError:
            print("ruptures not installed: skipping it")
    jobs = [(model, n, tools) for model in ("mean", "trend") for n in args.sizes]
    jobs += [(model, n, ["ours"]) for model in ("mean", "trend") for n in args.large]
    runs: dict[tuple[str, int, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        files = {}
        for model, n, _ in jobs:
            files[model, n] = tmp / f"y_{model}_{n}.txt"
            np.savetxt(files[model, n], make_series(n, model)[0], fmt="%.17g")
        for rep in range(args.repeats):
            for model, n, tl in jobs:
                order = tl[rep % len(tl) :] + tl[: rep % len(tl)]  # rotate the order each repeat
                for tool in order:
                    r = run_tool(tool, files[model, n], int(0.05 * n), model, tmp)
                    runs.setdefault((model, n, tool), []).append(r)
                    print(f"  [{rep + 1}/{args.repeats}] {model:5} n={n:<6} {tool:8} call {r['call_s']:9.4f} s  "
                          f"process {r['process_s']:8.3f} s  {r['peak_mib']:7.1f} MiB", flush=True)

    def med(model: str, n: int, tool: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[model, n, tool])

    print(f"\nmedians of {args.repeats} interleaved runs per tool (each run a fresh process); "
          "ratio = other / ewp_stats; 'call' timed inside the process, 'process' = whole process")
    head = (f"{'model':6} {'n':>6} {'tool':9} {'call s':>9} {'process s':>10} {'peak MiB':>9} "
            f"{'call ratio':>11} {'process ratio':>14}  same 5 breaks + RSS")
    print(head)
    print("-" * len(head))
    for model, n, tl in jobs:
        ours = runs[model, n, "ours"][0]
        for tool in tl:
            c, p, m = med(model, n, tool, "call_s"), med(model, n, tool, "process_s"), med(model, n, tool, "peak_mib")
            if tool == "ours":
                ratios, agree = f"{'':>11} {'':>14}", f"breaks {ours['breaks']}"
            else:
                rc = c / med(model, n, "ours", "call_s")
                rp = p / med(model, n, "ours", "process_s")
                other = runs[model, n, tool][0]
                ok = other["breaks"] == ours["breaks"] and abs(other["rss"] - ours["rss"]) <= 1e-6 * abs(ours["rss"])
                ratios = f"{rc:10.0f}x {rp:13.1f}x"
                agree = "yes" if ok else f"NO: {other['breaks']} RSS {other['rss']:.10g} vs {ours['rss']:.10g}"
            label = "ewp_stats" if tool == "ours" else ("strucchange" if tool == "R" else tool)
            print(f"{model:6} {n:6d} {label:11} {c:9.4f} {p:10.3f} {m:9.1f} {ratios}  {agree}")
    t_imp = import_time(ROOT, max(args.repeats, 5))
    line = f"\nimport time of `from ewp_stats import breaks` (median of {max(args.repeats, 5)} fresh processes): {t_imp:.3f} s"
    if args.baseline_src is not None:
        t_base = import_time(args.baseline_src, max(args.repeats, 5))
        line += f"; baseline {args.baseline_src}: {t_base:.3f} s"
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
