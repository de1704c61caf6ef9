"""H1 Monte Carlo: size and power of the sieve bootstrap with null vs alternative residuals (warp-speed).

Run: ``PYTHONPATH=. python tests/benchmarks/mc_residual_choice.py [reps]`` (about 1 minute at 1000).
Power: level shift 3 plus slope change 0.5 after n / 2, i.i.d.-innovation sd 1 (the test file's example).
"""
import sys, time
import numpy as np
sys.path.insert(0, ".")
sys.path.insert(0, "tests/benchmarks")
import bench_break_size as bb
from ewp_stats.engines.breaks._resample import default_max_order
from ewp_stats.engines.breaks._warp import warp_reject

R = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rng = np.random.default_rng(11)
t0 = time.time()
print(f"R = {R} replications per cell, warp-speed, rejection % at 5%; MC s.e. at 5%: {100*np.sqrt(.05*.95/R):.2f} pp")
for n in (20, 32):
    d = bb.design(n)
    st = bb.statistics(d)
    po = default_max_order(n)
    t = d["t"]
    half = n // 2
    for rho in (0.0, 0.5, 0.67, 0.9):
        u = bb.ar1(n, rho, R, rng)
        Y0 = 1 + 0.3 * t[:, None] + u
        # planted break of the test file: level shift 3 sd + slope change 0.5 per period after n/2 (sd of e = 1)
        Y1 = Y0 + (t > half)[:, None] * (3.0 + 0.5 * (t - half))[:, None]
        out = []
        for name in ("sup-F", "UDmax"):
            fn, cv, locate = st[name]
            for Y in (Y0, Y1):
                fitted = Y - d["bt"].residualise(Y)
                E_alt, M_alt = bb.alternative(d, Y, locate(Y))
                rn = np.mean(warp_reject(fn, Y, fitted, rng, method="sieve", max_order=po, M=d["M0"]))
                ra = np.mean(warp_reject(fn, Y, fitted, rng, method="sieve", max_order=po, residuals=E_alt, M=M_alt))
                rw = np.mean(warp_reject(fn, Y, fitted, rng, method="wild", max_order=po))
                out.append((name, "size" if Y is Y0 else "power", rn, ra, rw))
        print(f"n={n} rho={rho:.2f} " + "; ".join(f"{a} {b}: null {100*x:5.1f} alt {100*y:5.1f} wild {100*z:5.1f}" for a, b, x, y, z in out), flush=True)
print(f"{time.time()-t0:.0f} s")
