"""Size and power of the asymptotic and bootstrap break tests in short autocorrelated series.

Run: ``PYTHONPATH=. python tests/benchmarks/bench_break_size.py [--reps 1000] [--seed 2026] [--write book/generated]``
(about 4 minutes on one core; a script, not collected by pytest: its name does not start with ``test_``).
``--write DIR`` also writes the tables as CSV files (``break_test_size.csv``, ``break_test_power.csv``,
``break_date_coverage.csv``) that the book's methods page shows; with the default seed and reps they
are byte-identical from run to run.

Columns: ``asym`` the asymptotic test; ``s-bc`` the sieve bootstrap as ``bootstrap_test`` runs it
by default (null-model residuals, Kilian bias correction); ``s-alt`` the same with residuals from
the alternative (``residuals="alternative"``); ``s-raw`` the sieve without bias correction;
``wild`` the Rademacher wild bootstrap.  Power is raw (not size-adjusted).

Design: ``y_t = 1 + 0.3 t + u_t``, ``u_t = rho u_{t-1} + e_t``, ``e_t ~ N(0, 1)``, stationary start,
``X = [1, t]``, n = 20 and 32, rho in {0, 0.5, 0.67, 0.9}.  Every rate is the share of
replications rejecting at 5%; the bootstrap rates use the warp-speed method (one bootstrap
draw per replication, Giacomini, Politis and White 2013), with the null model's residuals.
Power: a slope break (kink) of the size and position seen in the data (``BREAKS``): the change
of the segmented-trend slope at the paper's 1998 (n = 32, ``gcam_compendium``, ratio, level) and
2008 (n = 20, ``nbs_2021``) era starts, divided by the AR(1) innovation standard deviation of the
two-regime residuals (``--calibrate`` recomputes it from the raw data).  The Chow tests are at
those dates, the planted kink of the coverage table too.
Statistics are computed by the engine's vectorised code (``_batch.Batch``), which the tests check
equal to ``chow_test``, ``fstats`` and ``bai_perron_tests``; asymptotic rejection uses the
engine's critical values (F for Chow, Hansen 1997 for sup/ave/exp-F, Bai-Perron tables).
"""

from __future__ import annotations

import argparse
import csv
import io
import time
from pathlib import Path

import numpy as np
from scipy import stats

from ewp_stats._files import atomic_write_text
from ewp_stats.engines.breaks import (
    bai_perron_critical_values,
    bootstrap_sequential,
    breakpoints,
    fstats,
)
from ewp_stats.engines.breaks._batch import Batch
from ewp_stats.engines.breaks._resample import (
    bias_corrected,
    default_max_order,
    fit_sieve,
    residual_maker,
    sieve_errors,
)
from ewp_stats.engines.breaks._warp import warp_reject
from ewp_stats.engines.breaks.chow import newey_west_lags
from ewp_stats.engines.breaks.date_set import lr_date_statistics

#: n -> (break position, |slope change| in innovation sd per period), from ``calibrate()``.
BREAKS = {32: (20, 0.43), 20: (8, 1.32)}
RHOS = (0.0, 0.5, 0.67, 0.9)
#: Column labels of the written tables, in the order of the printed columns.
METHODS = ("asymptotic", "sieve bootstrap (default)", "sieve, alternative residuals", "sieve, no bias correction",
           "wild bootstrap")


def write_tables(directory: Path, size: list[list], power: list[list], cover: list[list], reps: int,
                 seed: int) -> None:
    """Write the size, power and coverage tables as CSV (percent, one decimal) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    head = ["Years", "Test", "AR coefficient", *METHODS]
    design = [
        ["replications per cell", str(reps)],
        ["seed", str(seed)],
        ["Monte Carlo standard error of a 5% rate (percentage points)", f"{100 * np.sqrt(0.05 * 0.95 / reps):.2f}"],
        ["bootstrap draws per replication (warp-speed)", "1"],
        *([f"slope break, n = {n}: position; size (innovation sd per year)", f"{pos}; {size_:.2f}"]
          for n, (pos, size_) in sorted(BREAKS.items())),
    ]
    for name, rows, header in (
            ("break_mc_design.csv", design, ["Setting", "Value"]),
            ("break_test_size.csv", size, head),
            ("break_test_power.csv", power, head),
            ("break_date_coverage.csv", cover, ["AR coefficient", "inverted bootstrap LR set", "Bai (1997) interval", "Bai (1997) replications with an interval"])):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        atomic_write_text(directory / name, buf.getvalue())
    print(f"wrote the size, power and coverage tables ({reps} replications) to {directory}")


def calibrate() -> None:
    """Print the data's slope changes in innovation-sd units (needs the raw data)."""
    from ewp_stats.paper.eras import eras_analysis

    r = eras_analysis()
    for key, last in (("gcam_compendium|ratio|level", 1997), ("nbs_2021|ratio|level", 2007)):
        s = r.case_series[key]
        yrs, y = s.index.to_numpy().astype(float), s.to_numpy()
        X = np.column_stack([np.ones_like(yrs), yrs - yrs[0]])
        m = yrs <= last
        c1 = np.linalg.lstsq(X[m], y[m], rcond=None)[0]
        c2 = np.linalg.lstsq(X[~m], y[~m], rcond=None)[0]
        res = np.concatenate([y[m] - X[m] @ c1, y[~m] - X[~m] @ c2])
        r1 = np.corrcoef(res[:-1], res[1:])[0, 1]
        innov = res.std(ddof=4) * np.sqrt(1 - r1**2)
        print(f"{key}: n = {len(y)}, break position {int(m.sum())}, slopes {c1[1]:.4f} -> {c2[1]:.4f}, "
              f"residual r1 {r1:.2f}, |change| / innovation sd = {abs(c2[1] - c1[1]) / innov:.2f}")


def ar1(n: int, rho: float, reps: int, rng: np.random.Generator) -> np.ndarray:
    e = np.empty((n, reps))
    e[0] = rng.normal(size=reps) / np.sqrt(1 - rho**2)
    for t in range(1, n):
        e[t] = rho * e[t - 1] + rng.normal(size=reps)
    return e


def design(n: int) -> dict:
    t = np.arange(1.0, n + 1)
    X = np.column_stack([np.ones(n), t])
    trim_bp, mb = (0.2, 3) if n >= 30 else (0.25, 2)
    fs = fstats(1 + t + np.sin(t), X)  # only for the trimming limits and Hansen critical values
    return {"t": t, "X": X, "bt": Batch(X, 3), "M0": residual_maker(X), "half": BREAKS[n][0],
            "delta": BREAKS[n][1], "lags": newey_west_lags(n), "fs": fs,
            "h": int(np.floor(trim_bp * n)), "trim_bp": trim_bp, "mb": mb}


def alternative(d: dict, Y: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Residuals of the one-break model at ``positions`` (R,) and its residual-makers (R, n, n)."""
    n = Y.shape[0]
    makers = {int(p): residual_maker(d["X"], bounds=np.array([0, p, n])) for p in np.unique(positions)}
    M = np.stack([makers[int(p)] for p in positions])
    return np.einsum("rij,jr->ir", M, Y), M


def statistics(d: dict) -> dict:
    """name -> (statistic on a batch, asymptotic 5% critical value, locator of the alternative's break)."""
    bt, n, half, fs = d["bt"], len(d["t"]), d["half"], d["fs"]

    def andrews(which):
        return lambda Y: bt.sup_ave_exp(bt.fseq(bt.rss_table(bt.residualise(Y)), fs.from_, fs.to))[which]

    def udmax(Y):
        Yt = bt.residualise(Y)
        return bt.supf_m(Yt, bt.rss_table(Yt), d["h"], d["mb"], True, True)[0].max(axis=0)

    def at_half(Y):
        return np.full(Y.shape[1], half)

    def argmax_f(Y):
        F = bt.fseq(bt.rss_table(bt.residualise(Y)), fs.from_, fs.to)
        return fs.from_ + np.argmax(F, axis=0)

    def bp1(Y):
        return bt.dp(bt.rss_table(bt.residualise(Y)), d["h"], 1)[0][:, 0]

    k = 2
    return {
        "Chow": (lambda Y: bt.chow(bt.residualise(Y), [0, half, n]), stats.f.isf(0.05, k, n - 2 * k), at_half),
        "HAC Chow": (lambda Y: bt.chow_hac(bt.residualise(Y), [0, half, n], d["lags"]),
                     stats.f.isf(0.05, k, n - 2 * k), at_half),
        "sup-F": (andrews("supF"), fs.sup_f.critical_values["5%"], argmax_f),
        "ave-F": (andrews("aveF"), fs.ave_f.critical_values["5%"], argmax_f),
        "exp-F": (andrews("expF"), fs.exp_f.critical_values["5%"], argmax_f),
        "UDmax": (udmax, bai_perron_critical_values("UDmax", trim=d["trim_bp"], q=k)["5%"], bp1),
    }


def seq21(d: dict, Y: np.ndarray, rng: np.random.Generator, method: str) -> tuple[float, float]:
    """Asymptotic and bootstrap rejection of sup-F(2|1) under a one-break DGP (null: one break)."""
    bt, n, h = d["bt"], Y.shape[0], d["h"]

    def stat(Ym):
        Yt = bt.residualise(Ym)
        R = bt.rss_table(Yt)
        return bt.seq_next(Yt, R, bt.dp(R, h, 1)[0], h, True, True)

    Yt = bt.residualise(Y)
    ends = bt.dp(bt.rss_table(Yt), h, 1)[0]
    bounds = np.concatenate([np.zeros((Y.shape[1], 1), int), ends, np.full((Y.shape[1], 1), n)], axis=1)
    fitted = Y - Yt + bt.segmented_fit(Yt, bounds)
    cv = bai_perron_critical_values("supF_next", trim=d["trim_bp"], q=2, m=2)["5%"]
    asym = float(np.mean(stat(Y) > cv))
    M = alternative(d, Y, ends[:, 0])[1] if method == "sieve" else None
    boot = float(np.mean(warp_reject(stat, Y, fitted, rng, method=method, max_order=default_max_order(n), M=M)))
    return asym, boot


def coverage(d: dict, reps: int, rho: float, rng: np.random.Generator) -> tuple[float, float, float, float]:
    """Coverage of a planted kink at the data's position: the inverted bootstrap LR set (warp-speed) and Bai (1997)."""
    bt, t, half, fs = d["bt"], d["t"], d["half"], d["fs"]
    n = len(t)
    Y = 1 + 0.3 * t[:, None] - d["delta"] * np.maximum(t - half, 0)[:, None] + ar1(n, rho, reps, rng)
    pts = np.arange(fs.from_, fs.to + 1)
    at = np.full(reps, half)
    lr = lr_date_statistics(bt, Y, pts, at)
    bounds = np.tile([0, half, n], (reps, 1))
    Yt = bt.residualise(Y)
    fitted = Y - Yt + bt.segmented_fit(Yt, bounds)
    M = residual_maker(d["X"], bounds=np.array([0, half, n]))
    fit = bias_corrected(fit_sieve(Y - fitted, default_max_order(n)), M, rng)
    U = sieve_errors(fit, np.arange(reps), rng)
    lr_star = lr_date_statistics(bt, fitted + U, pts, at)
    cov_lr = float(np.mean(lr <= np.quantile(lr_star, 0.95)))
    bai_reps = min(reps, 400)
    hits, valid = 0, 0
    for j in range(bai_reps):
        ci = breakpoints(Y[:, j], d["X"], h=fs.from_, max_breaks=1).confint(1)
        lo, up = ci.lower_positions[0], ci.upper_positions[0]
        if np.isfinite(lo) and np.isfinite(up):
            valid += 1
            hits += lo <= half <= up
    return cov_lr, reps, hits / max(valid, 1), valid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--calibrate", action="store_true", help="print the data's break sizes and exit")
    ap.add_argument("--write", type=Path, default=None, help="also write the tables as CSV into this folder")
    a = ap.parse_args()
    if a.calibrate:
        calibrate()
        return
    rng = np.random.default_rng(a.seed)
    R = a.reps
    t0 = time.perf_counter()
    size_rows: list[list] = []
    power_rows: list[list] = []
    cover_rows: list[list] = []

    def pct(v: float) -> str:
        return f"{100 * v:.1f}"

    print(f"Rejection rates at nominal 5% (%), {R} replications, warp-speed bootstrap; "
          f"MC standard error at 5%: {100 * np.sqrt(0.05 * 0.95 / R):.2f} pp (at 50%: "
          f"{100 * np.sqrt(0.25 / R):.2f} pp); power: slope break (position, innovation sd per period) {BREAKS}")
    for n in (20, 32):
        d = design(n)
        st = statistics(d)
        print(f"\nn = {n}  (Chow and kink at position {d['half']}, HAC lags {d['lags']}, sup/ave/exp-F trim 0.15, "
              f"UDmax trim {d['trim_bp']} max {d['mb']} breaks, sieve max order {default_max_order(n)})")
        hdr = f"{'asym':>6s} {'s-bc':>6s} {'s-alt':>6s} {'s-raw':>6s} {'wild':>6s}"
        print(f"{'':16s} | {'size':^34s} | {'power':^34s}")
        print(f"{'test':10s} {'rho':>5s} | {hdr} | {hdr}")
        for rho in RHOS:
            u = ar1(n, rho, R, rng)
            Y0 = 1 + 0.3 * d["t"][:, None] + u
            Y1 = Y0 - d["delta"] * np.maximum(d["t"] - d["half"], 0)[:, None]
            rows = {}
            po = default_max_order(n)
            for name, (fn, cv, locate) in st.items():
                cells = []
                for Y in (Y0, Y1):
                    Yt = d["bt"].residualise(Y)
                    fitted = Y - Yt
                    E_alt, M_alt = alternative(d, Y, locate(Y))
                    cells += [
                        np.mean(fn(Y) > cv),
                        np.mean(warp_reject(fn, Y, fitted, rng, method="sieve", max_order=po, M=d["M0"])),
                        np.mean(warp_reject(fn, Y, fitted, rng, method="sieve", max_order=po,
                                            residuals=E_alt, M=M_alt)),
                        np.mean(warp_reject(fn, Y, fitted, rng, method="sieve", max_order=po)),
                        np.mean(warp_reject(fn, Y, fitted, rng, method="wild", max_order=po)),
                    ]
                rows[name] = cells
            for name, c in rows.items():
                size_rows.append([n, name, f"{rho:.2f}", *(pct(v) for v in c[:5])])
                power_rows.append([n, name, f"{rho:.2f}", *(pct(v) for v in c[5:])])
                print(f"{name:10s} {rho:5.2f} | " + " ".join(f"{100 * v:6.1f}" for v in c[:5]) + " | "
                      + " ".join(f"{100 * v:6.1f}" for v in c[5:]))
            a21, s21 = seq21(d, Y1, rng, "sieve")
            _, w21 = seq21(d, Y1, rng, "wild")
            size_rows.append([n, "sup-F(2|1) given one kink", f"{rho:.2f}", pct(a21), pct(s21), "–", "–", pct(w21)])
            print(f"{'F(2|1)':10s} {rho:5.2f} | {100 * a21:6.1f} {100 * s21:6.1f} {'':6s} {'':6s} {100 * w21:6.1f} |"
                  "  size under the power DGP (one kink), null model: one break")
    print(f"\nCoverage of a planted kink at position {BREAKS[32][0]} (n = 32, size {BREAKS[32][1]}), nominal 95%:")
    d = design(32)
    for rho in RHOS:
        c_lr, r_lr, c_bai, v_bai = coverage(d, R, rho, rng)
        cover_rows.append([f"{rho:.2f}", pct(c_lr), pct(c_bai), str(v_bai)])
        print(f"  rho {rho:4.2f}: inverted bootstrap LR set (sieve) {100 * c_lr:5.1f}% ({r_lr} reps, warp); "
              f"Bai (1997) {100 * c_bai:5.1f}% ({v_bai} reps with a computable interval)")
    if a.write is not None:
        write_tables(a.write, size_rows, power_rows, cover_rows, R, a.seed)
    n = 32
    t = np.arange(1.0, n + 1)
    X = np.column_stack([np.ones(n), t])
    y = 1 + 0.3 * t + ar1(n, 0.67, 1, np.random.default_rng(1))[:, 0]
    bootstrap_sequential(y, X, rng=0, trim=0.2, max_breaks=3, B=99)  # warm-up
    s = time.perf_counter()
    r = bootstrap_sequential(y, X, rng=0, trim=0.2, max_breaks=3, B=999)
    el = time.perf_counter() - s
    print(f"\nTiming: bootstrap_sequential, n = 32, B = 999, {len(r.steps)} step(s): {el:.3f} s")
    s = time.perf_counter()
    y2 = y + (t > 16) * (3.0 + 0.5 * (t - 16))
    r = bootstrap_sequential(y2, X, rng=0, trim=0.2, max_breaks=3, B=999)
    print(f"Timing: bootstrap_sequential, n = 32, B = 999, {len(r.steps)} step(s): {time.perf_counter() - s:.3f} s")
    print(f"Total runtime {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
