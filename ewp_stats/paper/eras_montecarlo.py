"""Monte Carlo of the eras procedures at the data's length, autocorrelation and era dates.

The question: with 32 (compendium) or 20 (NBS) annual observations and residuals as
autocorrelated as the data's, how often would the procedures of the eras chapter find the
paper's eras if there were none (size), and how often if they were there (power)?

Design, for each long vintage (the GDP ratio in levels):

* **errors** -- AR(1), ``u_t = rho u_{t-1} + e_t``, ``e_t ~ N(0, sigma^2)``, stationary start, with
  ``rho`` and ``sigma`` fitted (OLS, no intercept) to the residuals of the segmented trend at the
  paper's eras (``ar1_paper_eras``) or at the eras the BIC search estimates
  (``ar1_estimated_breaks``); and a random walk with the same ``sigma``, ``u_0 = 0``
  (``random_walk``: the ratio is I(1)).
* **dgp** -- the mean is the fitted no-break linear trend (``no_break``: the size) or the fitted
  segmented trend at the paper's eras (``paper_eras``: the power against the breaks as large as
  the data's).
* **procedures** -- as the chapter runs them: the Chow F test at the paper's era starts with its
  F p-value (``chow_f``), with Newey-West variance (``chow_hac``; only where every era has more
  than two years) and with the sieve-bootstrap p-value of
  :func:`~ewp_stats.engines.breaks.bootstrap_test` (``chow_bootstrap``: AR sieve on the null
  model's residuals, Kilian bias correction); the sup-F test (trim 0.15, Hansen 1997 p-value);
  the BIC search of :func:`~ewp_stats.engines.breaks.breakpoints` with the grid's minimum regime
  length and break limit (:func:`~ewp_stats.paper.eras_grid.trimming_for`: h = 6 at n = 32, 5 at n = 20): at least one break
  (``bic_any_break``) and an estimated regime start within 2 years of the paper's
  (``bic_found``); the Bai-Perron sequential procedure (5%, at most two breaks):
  at least one break and a break within 2 years of the paper's date; and the Zivot-Andrews test
  (model C), rejection of a unit root.

Every rate is the share of replications at nominal 5%; its Monte Carlo standard error is
``sqrt(rate (1 - rate) / reps)``.  The bootstrap rates use the warp-speed method (one
bootstrap draw per replication; Giacomini, Politis and White 2013).  Statistics are the break
engine's vectorised ones (``_batch.Batch``, checked equal to the public functions in the
engine's tests); ``tests/paper/test_eras_montecarlo.py`` re-runs the chapter's procedures with
the public functions on fresh draws and checks the rates.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ewp_stats._results import Result
from ewp_stats.engines.breaks import bai_perron_critical_values, breakpoints, fstats
from ewp_stats.engines.breaks._batch import Batch
from ewp_stats.engines.breaks._resample import (
    bias_corrected,
    default_max_order,
    fit_sieve,
    residual_maker,
    sieve_errors,
)
from ewp_stats.engines.breaks.chow import newey_west_lags
from ewp_stats.errors import InputError
from ewp_stats.paper.eras import era_series, paper_era_trend
from ewp_stats.paper.eras_grid import trimming_for

__all__ = [
    "N_REPS",
    "N_REPS_ZA",
    "SEED",
    "TESTS",
    "ErasMonteCarloResult",
    "eras_montecarlo",
    "fit_ar1",
    "rate_se",
    "simulate",
]

#: Seed of ``np.random.default_rng``; every run with the same settings gives the same tables.
SEED = 20261201
#: Replications per design cell (MC standard error at most 0.5 / sqrt(N_REPS) = 1.6 pp).
N_REPS = 1000
#: Replications of the Zivot-Andrews test (a loop over statsmodels; MC standard error at most 5 pp).
N_REPS_ZA = 100
#: Draws per replication of the Kilian bias correction (``bootstrap_test`` uses 200; the pooled
#: warp-speed quantile averages the extra noise of fewer draws over all replications).
BIAS_SIMS = 25
#: Distance (years) within which an estimated regime start "finds" the paper's.
TOLERANCE = 2
#: The Chow tests run on each series (the GDP ratio in levels, by vintage), each label with its regime starts.
TESTS: dict[str, dict[str, tuple[int, ...]]] = {
    "gcam_compendium": {"1998": (1998,), "2008": (2008,), "1998 and 2008": (1998, 2008)},
    "nbs_2021": {"2008": (2008,), "2011": (2011,)},
}
#: Regime starts planted under ``dgp="paper_eras"`` (the paper's, inside each sample).
PLANTED: dict[str, tuple[int, ...]] = {"gcam_compendium": (1998, 2008), "nbs_2021": (2008,)}
ERRORS = ("ar1_paper_eras", "ar1_estimated_breaks", "random_walk")
DGPS = ("no_break", "paper_eras")
#: Sequential Bai-Perron trimming by sample size, and the largest number of breaks.
SEQ_TRIM = {32: 0.20, 20: 0.25}
SEQ_MAX_BREAKS = 2


def fit_ar1(resid: np.ndarray, *, n_par: int) -> tuple[float, float]:
    """OLS AR(1) coefficient (no intercept) and innovation sd of regression residuals.

    ``sigma^2`` is the AR residual sum of squares over ``n - 1 - n_par`` (``n_par`` coefficients
    of the trend model that produced ``resid``, plus ``rho``).  Least-squares residuals are less
    persistent than the errors, so ``rho`` is biased towards zero at this length (the
    ``random_walk`` cell shows what happens at the other extreme).
    """
    e = np.asarray(resid, dtype=float)
    rho = float(e[1:] @ e[:-1] / (e[:-1] @ e[:-1]))
    v = e[1:] - rho * e[:-1]
    return rho, float(np.sqrt(v @ v / (len(e) - 1 - n_par)))


def simulate(mean: np.ndarray, rho: float, sigma: float, reps: int, rng: np.random.Generator) -> np.ndarray:
    """``reps`` series (n, reps): ``mean`` plus AR(1) errors (stationary start; ``rho = 1``: ``u_0 = 0``)."""
    n = len(mean)
    e = rng.normal(scale=sigma, size=(n, reps))
    u = np.empty((n, reps))
    u[0] = e[0] / np.sqrt(1 - rho**2) if abs(rho) < 1 else e[0]
    for t in range(1, n):
        u[t] = rho * u[t - 1] + e[t]
    return mean[:, None] + u


def rate_se(rate: float, reps: int) -> float:
    """Monte Carlo standard error of a rejection rate."""
    return float(np.sqrt(rate * (1 - rate) / reps))


def _bounds(years: np.ndarray, starts: tuple[int, ...]) -> list[int]:
    return [0, *(int(np.searchsorted(years, s)) for s in starts), len(years)]


class _Design:
    """Everything fixed for one series: regressors, batch tables, critical values."""

    def __init__(self, s: pd.Series) -> None:
        self.years = s.index.to_numpy().astype(int)
        n = self.n = len(s)
        t = np.arange(1.0, n + 1)
        self.X = np.column_stack([np.ones(n), t])
        self.k = 2
        self.bt = Batch(self.X, self.k + 1)
        self.M0 = residual_maker(self.X)
        _, self.h, self.max_breaks = trimming_for(n)  # the grid's dating (eras_grid)
        fs = fstats(s, self.X, trim=0.15)
        self.f_from, self.f_to, self.supf_cv = fs.from_, fs.to, fs.sup_f.critical_values["5%"]
        self.seq_trim = SEQ_TRIM.get(n, 0.25)
        self.seq_h = int(np.floor(self.seq_trim * n))
        self.seq_cv = [bai_perron_critical_values("supF_next", trim=self.seq_trim, q=self.k, m=m)["5%"]
                       for m in (1, 2)]
        self.lags = newey_west_lags(n)

    def chow_df(self, bounds: list[int]) -> tuple[int, int]:
        n_par = sum(min(self.k, b - a) for a, b in itertools.pairwise(bounds))
        return n_par - self.k, self.n - n_par


def _chow(d: _Design, R: np.ndarray, bounds: list[int], q: int, df: int) -> np.ndarray:
    """Classical Chow F (as ``chow_test``) from the segment RSS table; a regime of at most ``k``
    observations is fitted exactly (Chow's predictive test)."""
    rss_u = sum(R[a, b] for a, b in itertools.pairwise(bounds) if b - a > d.k)
    return ((R[0, d.n] - rss_u) / q) / (rss_u / df)


def _bic_starts(d: _Design, R: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """BIC-selected number of breaks (B,) and the 0-based regime-start indices for m = 1..M."""
    n, B = d.n, R.shape[2]
    cols = np.arange(B)
    glob = d.bt.dp(R, d.h, d.max_breaks)
    rss = [R[0, n]]
    for m, pos in enumerate(glob, start=1):
        b = np.concatenate([np.zeros((B, 1), int), pos, np.full((B, 1), n)], axis=1)
        rss.append(sum(R[b[:, j], b[:, j + 1], cols] for j in range(m + 1)))
    ms = np.arange(d.max_breaks + 1)
    bic = n * np.log(np.stack(rss) / n) + np.log(n) * (d.k + 1) * (ms[:, None] + 1)
    return np.argmin(bic, axis=0), glob


def _sequential(d: _Design, Yt: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sequential count (B,) and the 0-based regime starts of the first and second breaks (-1: none)."""
    B = Yt.shape[1]
    R = d.bt.rss_table(Yt)
    one = d.bt.dp(R, d.seq_h, 1)[0]  # (B, 1)
    b1 = np.concatenate([np.zeros((B, 1), int), one, np.full((B, 1), d.n)], axis=1)
    f1 = d.bt.wald_f(Yt, R, b1, True, True)
    count = (f1 >= d.seq_cv[0]).astype(int)
    f2 = d.bt.seq_next(Yt, R, one, d.seq_h, True, True)
    count += (count == 1) & (f2 >= d.seq_cv[1])
    # location of the second break: the best split of the regime holding the largest F
    second = np.full(B, -1)
    idx = np.flatnonzero(count == 2)
    if idx.size:
        s_all = np.arange(d.n + 1)
        best_f = np.full(idx.size, -np.inf)
        for j in range(2):
            a, b = b1[idx, j], b1[idx, j + 1]
            ok = (b - a) >= 2 * d.seq_h
            feasible = (s_all[None, :] >= (a + d.seq_h)[:, None]) & (s_all[None, :] <= (b - d.seq_h)[:, None])
            cost = np.where(feasible, R[a[:, None], s_all[None, :], idx[:, None]] + R[s_all[None, :], b[:, None],
                                                                                        idx[:, None]], np.inf)
            s = np.argmin(cost, axis=1)
            f = np.full(idx.size, -np.inf)
            okk = np.flatnonzero(ok)
            if okk.size:
                sub = np.stack([a[okk], s[okk], b[okk]], axis=1)
                f[okk] = d.bt.wald_f(Yt[:, idx[okk]], R[:, :, idx[okk]], sub, True, True, sub=(a[okk], b[okk]))
            better = f > best_f
            second[idx[better]] = s[better]
            best_f = np.maximum(best_f, f)
    first = np.where(count >= 1, one[:, 0], -1)
    return count, first, second


def _za_rate(d: _Design, Y: np.ndarray, lags: int) -> float:
    from statsmodels.tsa.stattools import zivot_andrews

    rej = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j in range(Y.shape[1]):
            stat, _, cv, _, _ = zivot_andrews(Y[:, j], trim=0.15, maxlag=lags, regression="ct", autolag=None)
            rej.append(stat < cv["5%"])
    return float(np.mean(rej))


def _cell(d: _Design, vintage: str, Y: np.ndarray, rng: np.random.Generator, za_reps: int, za_lags: int) -> list[dict]:
    """All procedures on replications ``Y`` (n, R): rows (procedure, target, rate, reps)."""
    n, reps = Y.shape
    bt = d.bt
    Yt = bt.residualise(Y)
    rows = []

    def add(procedure: str, target: str, hits: np.ndarray | float, r: int = reps) -> None:
        rate = float(np.mean(hits))
        rows.append({"procedure": procedure, "target": target, "rate": rate, "mc_se": rate_se(rate, r), "reps": r})

    # bootstrap draws from each replication's fitted null model (warp-speed: one per replication)
    null_fit = Y - Yt
    sieve = bias_corrected(fit_sieve(Yt, default_max_order(n)), d.M0, rng, sims=BIAS_SIMS)
    Ystar_t = bt.residualise(null_fit + sieve_errors(sieve, np.arange(reps), rng))
    R, Rstar = bt.rss_table(Yt), bt.rss_table(Ystar_t)
    for label, starts in TESTS[vintage].items():
        bounds = _bounds(d.years, starts)
        q, df = d.chow_df(bounds)
        F = _chow(d, R, bounds, q, df)
        add("chow_f", label, F > stats.f.isf(0.05, q, df))
        if all(b - a > d.k for a, b in itertools.pairwise(bounds)):
            add("chow_hac", label, bt.chow_hac(Yt, bounds, d.lags) > stats.f.isf(0.05, q, df))
        add("chow_bootstrap", label, F > np.quantile(_chow(d, Rstar, bounds, q, df), 0.95))
    F = bt.fseq(R, d.f_from, d.f_to)
    add("sup_f", "any", F.max(axis=0) > d.supf_cv)
    m_bic, glob = _bic_starts(d, R)
    add("bic_any_break", "any", m_bic >= 1)
    starts_of = {m: d.years[glob[m - 1]] for m in range(1, d.max_breaks + 1)}  # (B, m) regime-start years
    count, first, second = _sequential(d, Yt)
    add("sequential_any_break", "any", count >= 1)
    targets = sorted({s for st in TESTS[vintage].values() for s in st})
    for year in targets:
        near = np.zeros(reps, dtype=bool)
        for m in range(1, d.max_breaks + 1):
            sel = m_bic == m
            near[sel] = (np.abs(starts_of[m][sel] - year) <= TOLERANCE).any(axis=1)
        add("bic_found", str(year), near)
        seq_years = [np.where(p >= 0, d.years[np.clip(p, 0, n - 1)], -10**4) for p in (first, second)]
        add("sequential_found", str(year), (np.abs(seq_years[0] - year) <= TOLERANCE)
            | (np.abs(seq_years[1] - year) <= TOLERANCE))
    if za_reps:
        add("zivot_andrews_ct", "unit_root_rejected", _za_rate(d, Y[:, :za_reps], za_lags), za_reps)
    return rows


@dataclass(frozen=True)
class ErasMonteCarloResult(Result):
    """Size and power of the eras procedures at the data's design.

    Attributes
    ----------
    rates
        One row per ``vintage``, ``errors``, ``dgp``, ``procedure`` and ``target`` (the tested
        regime starts, a year for the "found" procedures, ``any`` for tests at an unknown date):
        ``rate`` (share of replications rejecting at 5%, or finding the date), ``mc_se`` and
        ``reps``.
    design
        One row per vintage: ``nobs``, the fitted ``rho`` and ``sigma`` of each error design, the
        planted eras and their slope changes, ``h`` and the sequential trimming.
    options
        Seed, replications, tolerance and the procedures' settings.
    """

    _title: ClassVar[str] = "Monte Carlo of the eras procedures (size and power at 5%)"

    rates: pd.DataFrame
    design: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The rates table."""
        return self.rates

    def rate(self, vintage: str, errors: str, dgp: str, procedure: str, target: str) -> float:
        """One rate of the ``rates`` table; raises :class:`~ewp_stats.errors.InputError` if no such cell."""
        r = self.rates
        hit = r[(r.vintage == vintage) & (r.errors == errors) & (r.dgp == dgp) & (r.procedure == procedure)
                & (r.target == target)]
        if len(hit) != 1:
            raise InputError(f"no Monte Carlo cell vintage={vintage!r}, errors={errors!r}, dgp={dgp!r}, "
                             f"procedure={procedure!r}, target={target!r}; see the rates table")
        return float(hit["rate"].iloc[0])

    def summary(self) -> str:
        """The rates as a wide table (procedures by design cell)."""
        wide = self.rates.pivot_table(index=["vintage", "procedure", "target"], columns=["errors", "dgp"],
                                      values="rate", sort=False)
        return "\n".join([f"{self.title}; seed {self.options.get('seed')}, {self.options.get('reps')} replications",
                          wide.to_string(float_format=lambda x: f"{x:.3f}")])


def eras_montecarlo(frame: pd.DataFrame | None = None, *, reps: int = N_REPS, za_reps: int = N_REPS_ZA,
                    seed: int = SEED) -> ErasMonteCarloResult:
    """Size and power of the eras chapter's procedures at the data's length and autocorrelation.

    Parameters
    ----------
    frame
        The ``east_west_ratio`` frame; default ``ewp_stats.data.load("east_west_ratio")``.
    reps
        Replications per design cell (default 1000).
    za_reps
        Replications of the Zivot-Andrews test per cell (at most ``reps``; 0 skips it).
    seed
        Seed of ``np.random.default_rng``.

    Returns
    -------
    ErasMonteCarloResult

    Notes
    -----
    Series: the GDP ratio in levels of the ``gcam_compendium`` (1978-2009) and ``nbs_2021``
    (2000-2019) vintages.  The planted eras are the fitted segmented trend at the paper's era
    starts inside the sample (1998 and 2008; 2008); the compendium's third era has two years,
    fitted exactly, so its planted "break" is the data's own departure from the 1998-2007 trend.
    With ``h = 6`` the last regime start the compendium's BIC search can estimate is 2004, so
    ``bic_found`` for 2008 there is zero by construction.  All draws come from one generator in
    a fixed order (vintage, errors, dgp): the result is deterministic.

    References
    ----------
    Giacomini, R., Politis, D. N. and White, H. (2013). *Econometric Theory* 29(3), 567-589.
    Kilian, L. (1998). *Review of Economics and Statistics* 80(2), 218-230.
    Nunes, L. C., Kuan, C.-M. and Newbold, P. (1995). Spurious break. *Econometric Theory* 11(4),
    736-749.
    """
    for name, v in (("reps", reps), ("za_reps", za_reps), ("seed", seed)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise InputError(f"{name} must be a non-negative integer, not {v!r}")
    if reps < 100:
        raise InputError(f"reps must be at least 100 for a rate with a useful standard error, not {reps}")
    if za_reps > reps:
        raise InputError(f"za_reps ({za_reps}) cannot exceed reps ({reps})")
    from ewp_stats.paper.eras_unitroot import zivot_andrews_test

    if frame is None:
        from ewp_stats import data

        frame = data.load("east_west_ratio")
    rng = np.random.default_rng(seed)
    rows, design_rows = [], []
    for vintage in TESTS:
        s = era_series(frame, vintage, "ratio", "level")
        d = _Design(s)
        y = s.to_numpy()
        null_mean = y - d.M0 @ y
        paper_mean = paper_era_trend(s, starts=PLANTED[vintage]).to_numpy()
        bp = breakpoints(s, d.X, h=d.h, max_breaks=d.max_breaks)  # the grid's search
        est = tuple(int(v) for v in bp.regime_starts())
        n_par_paper = 2 * (len(PLANTED[vintage]) + 1)
        rho_p, sig_p = fit_ar1(y - paper_mean, n_par=n_par_paper)
        rho_e, sig_e = fit_ar1(y - paper_era_trend(s, starts=est).to_numpy(), n_par=2 * (len(est) + 1))
        err = {"ar1_paper_eras": (rho_p, sig_p), "ar1_estimated_breaks": (rho_e, sig_e), "random_walk": (1.0, sig_p)}
        za = zivot_andrews_test(s, model="ct")
        za_lags = int(za["lags"]) if za.get("status") == "ok" else 1
        slopes = np.diff(paper_mean)[np.array(_bounds(d.years, PLANTED[vintage])[1:-1])[:, None] + [-2, 0]]
        design_rows.append({
            "vintage": vintage, "nobs": d.n, "first": int(d.years[0]), "last": int(d.years[-1]),
            "rho_paper_eras": rho_p, "sigma_paper_eras": sig_p, "rho_estimated_breaks": rho_e,
            "sigma_estimated_breaks": sig_e, "estimated_regime_starts": ", ".join(map(str, est)),
            "planted_regime_starts": ", ".join(map(str, PLANTED[vintage])),
            "slope_changes": ", ".join(f"{b - a:.4g}" for a, b in slopes),
            "h": d.h, "bic_max_breaks": d.max_breaks, "seq_trim": d.seq_trim, "seq_h": d.seq_h,
            "hac_lags": d.lags, "za_lags": za_lags})
        for errors in ERRORS:
            rho, sigma = err[errors]
            for dgp in DGPS:
                mean = null_mean if dgp == "no_break" else paper_mean
                Y = simulate(mean, rho, sigma, reps, rng)
                for r in _cell(d, vintage, Y, rng, za_reps, za_lags):
                    rows.append({"vintage": vintage, "errors": errors, "dgp": dgp, **r})
    rates = pd.DataFrame(rows)
    rates["reps"] = rates["reps"].astype("int64")
    return ErasMonteCarloResult(
        rates=rates, design=pd.DataFrame(design_rows),
        options={"seed": seed, "reps": reps, "za_reps": za_reps, "tolerance_years": TOLERANCE, "level": 0.05,
                 "tests": {v: {k: list(t) for k, t in ts.items()} for v, ts in TESTS.items()},
                 "planted": {v: list(t) for v, t in PLANTED.items()}, "bootstrap": "warp-speed sieve, bias-corrected",
                 "bias_correction_draws": BIAS_SIMS,
                 "series": "GDP ratio, level", "sequential_max_breaks": SEQ_MAX_BREAKS})
