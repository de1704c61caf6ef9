"""Bootstrap p-values for the break tests, for short and autocorrelated series.

The asymptotic null distributions of the Chow, sup/ave/exp-F and Bai-Perron tests are poor
approximations with a few dozen observations, and badly wrong with autocorrelated errors
(the classical statistics assume i.i.d. errors; the HAC Chow test's Newey-West variance is
far from its limit at n = 32).  Here the null distribution of the statistic is simulated by
drawing new series from the estimated null model with the *same* regressors (fixed design)
and recomputing the statistic exactly as the engine does.

Two error schemes:

``"sieve"`` (default)
    AR(p) sieve bootstrap (Kreiss 1992; Buhlmann 1997): an AR(p) without intercept is fitted
    by least squares to the null model's residuals, p chosen by AIC from 0 to ``max_ar_order``
    (default ``floor(n^(1/3))``), roots shrunk into the unit circle if needed; bootstrap errors
    follow that AR recursion with innovations drawn with replacement from its centred
    residuals.  It reproduces serial correlation, which the statistics are sensitive to.
``"wild"``
    Fixed-design wild bootstrap (Wu 1986; Liu 1988; Davidson and Flachaire 2008): the null
    residuals times i.i.d. Rademacher (or Mammen) weights.  The residuals are raw, not rescaled
    by their leverage (``1 / sqrt(1 - h_t)``, Davidson and Flachaire's preferred variant); at
    n = 20-32 with two or four regressors that shrinks the bootstrap variance slightly.  It reproduces heteroskedasticity
    but *not* serial correlation, so with autocorrelated errors it is no better than the
    asymptotic test (the size benchmark shows this).

The bootstrap p-value is ``(1 + #{T* >= T}) / (B + 1)`` (Davison and Hinkley 1997, eq. 4.11).
It would be exact for a Monte Carlo test of a fully known null; here the null's nuisance
parameters (trend, AR coefficients) are estimated, so the test is only approximately of its
level (the size benchmark measures how approximately).

Which residuals the sieve is fitted to decides what the test can say (``residuals``): the null
model's (default) keeps the size close to nominal but has little power at n = 20-32, even
against a large break; the alternative model's has power but is oversized under
autocorrelation.  Report both as a bracket when the answer matters
(``tests/benchmarks/mc_residual_choice.py`` measures both).  Everything is seeded by ``rng`` and identical
for identical inputs.

References
----------
Kreiss, J.-P. (1992). Bootstrap procedures for AR(infinity) processes. In *Bootstrapping and
Related Techniques*, Lecture Notes in Economics and Mathematical Systems 376, 107-113.

Buhlmann, P. (1997). Sieve bootstrap for time series. *Bernoulli* 3(2), 123-148.

Davidson, R. and Flachaire, E. (2008). The wild bootstrap, tamed at last. *Journal of
Econometrics* 146(1), 162-169.

Davison, A. C. and Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
Cambridge University Press.

Diebold, F. X. and Chen, C. (1996). Testing structural stability with endogenous breakpoint:
a size comparison of analytic and bootstrap procedures. *Journal of Econometrics* 70(1),
221-241.

Kilian, L. (1998). Small-sample confidence intervals for impulse response functions. *Review
of Economics and Statistics* 80(2), 218-230 (the bootstrap bias correction of the AR, with its
stepwise shrinkage when the corrected AR is not stationary).

Hansen, B. E. (2000). Testing for structural change in conditional models. *Journal of
Econometrics* 97(1), 93-115 (the fixed-regressor bootstrap).

Boldea, O., Cornea-Madeira, A. and Hall, A. R. (2019). Bootstrapping structural change tests.
*Journal of Econometrics* 213(2), 359-397 (bootstrapping sup-F(l+1|l) under the l-break null).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result, fmt_number
from ewp_stats.engines.breaks._batch import Batch
from ewp_stats.engines.breaks._resample import (
    bias_corrected,
    default_max_order,
    fit_sieve,
    residual_maker,
    sieve_errors,
    wild_errors,
)
from ewp_stats.engines.breaks._validate import check_full_rank, prepare
from ewp_stats.engines.breaks.bai_perron_tests import bai_perron_tests
from ewp_stats.engines.breaks.chow import _locate, chow_test
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.engines.breaks.supf import fstats
from ewp_stats.errors import InputError

__all__ = [
    "BootstrapSequentialResult",
    "BootstrapTestResult",
    "bootstrap_sequential",
    "bootstrap_test",
    "check_rng",
]

STATISTICS = ("chow", "chow_hac", "supF", "aveF", "expF", "UDmax", "WDmax", "supF_next")
METHODS = ("sieve", "wild")
WEIGHTS = ("rademacher", "mammen")
_NAMES = {
    "chow": "Chow F", "chow_hac": "HAC Chow F", "supF": "sup-F", "aveF": "ave-F", "expF": "exp-F",
    "UDmax": "UDmax", "WDmax": "WDmax (5% weights)", "supF_next": "sup-F(l+1|l)",
}


# --------------------------------------------------------------------------- validation
def check_rng(rng: Any) -> tuple[np.random.Generator, int | None]:
    """A ``numpy.random.Generator`` and the seed it came from (``None`` for a given Generator).

    ``rng`` must be a non-negative int (a seed) or a ``numpy.random.Generator``; anything else
    (``None``, a float, a legacy ``RandomState``) is refused so that every result is reproducible.
    """
    if isinstance(rng, np.random.Generator):
        return rng, None
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng)), int(rng)
    raise InputError(
        f"rng must be a non-negative int seed or a numpy.random.Generator (results must be reproducible); "
        f"got {rng!r} of type {type(rng).__name__}"
    )


def _check_int(value: Any, name: str, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo or (
        hi is not None and value > hi
    ):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise InputError(f"{name} must be an integer {rng}; got {value!r}")
    return int(value)


def _check_choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InputError(f"{name} must be one of {list(allowed)}; got {value!r}")
    return value


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class BootstrapTestResult(Result):
    """A break test with its asymptotic and bootstrap p-values.

    Attributes
    ----------
    name, statistic
        The test and its value on the data (as the engine's own function reports it).
    pvalue
        Bootstrap p-value ``(1 + #{T* >= T}) / (B + 1)``.
    pvalue_asymptotic
        The engine's asymptotic p-value (NaN for UDmax, WDmax and sup-F(l+1|l), which have
        only tabulated critical values).
    critical_values, critical_values_asymptotic
        Bootstrap quantiles of ``T*`` and the asymptotic critical values, keyed by level.
    B, n_exceed
        Number of bootstrap draws and how many of them were at least ``statistic``.
    method, weights
        ``"sieve"`` or ``"wild"``; the wild weights (``None`` for the sieve).
    ar_order, ar_coefficients, max_ar_order, stationarity_adjusted, bias_corrected
        The sieve's AIC order, its coefficients (after any bias correction), the largest order
        tried, whether the first fit's roots were shrunk to modulus 0.99 (then, as Kilian, not
        bias-corrected), and whether the coefficients were
        bias-corrected (``None``/empty/``False`` for the wild bootstrap).
    seed
        The int seed, or ``None`` when a ``Generator`` was passed.
    null_model
        The model the bootstrap series were drawn from.
    nobs, nreg
        Observations and regressors.
    options
        Every option used; ``undefined_draws`` counts bootstrap statistics that were undefined
        (NaN, a degenerate draw), counted as exceedances (conservative).
    """

    name: str
    statistic: float
    pvalue: float
    pvalue_asymptotic: float
    critical_values: dict[str, float]
    critical_values_asymptotic: dict[str, float]
    B: int
    n_exceed: int
    method: str
    weights: str | None
    ar_order: int | None
    ar_coefficients: tuple[float, ...]
    max_ar_order: int | None
    stationarity_adjusted: bool
    bias_corrected: bool
    seed: int | None
    null_model: str
    nobs: int
    nreg: int
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """``"<name> test, <method> bootstrap"``."""
        return f"{self.name} test, {self.method} bootstrap"

    def _rows(self) -> list[tuple[str, str]]:
        scheme = (
            f"AR({self.ar_order}) sieve (AIC, max {self.max_ar_order})"
            + (", bias-corrected" if self.bias_corrected else "")
            + (", roots shrunk to 0.99" if self.stationarity_adjusted else "")
            if self.method == "sieve" else f"wild, {self.weights} weights"
        )
        return [
            ("statistic", fmt_number(self.statistic)),
            ("bootstrap p-value", f"{fmt_number(self.pvalue)} (B = {self.B}, {scheme})"),
            ("asymptotic p-value", fmt_number(self.pvalue_asymptotic)),
            ("5% critical value, bootstrap / asymptotic",
             f"{fmt_number(self.critical_values['5%'])} / {fmt_number(self.critical_values_asymptotic.get('5%'))}"),
            ("null model", self.null_model),
            ("seed", "a given Generator" if self.seed is None else str(self.seed)),
        ]


@dataclass(frozen=True)
class BootstrapSequentialResult(Result):
    """The Bai-Perron sequential procedure with bootstrap p-values at every step.

    Attributes
    ----------
    n_breaks
        Number of breaks: the first l whose sup-F(l+1|l) bootstrap p-value is at least ``level``
        (or ``max_breaks``).
    break_positions
        The global SSR minimisers for that number of breaks (1-based last observations).
    steps
        One :class:`~ewp_stats.engines.breaks.BootstrapTestResult` per test carried out (l = 0, 1, ...).
    level, max_breaks, trim, nobs
        Test level, largest number of breaks, trimming, observations.
    """

    _title: ClassVar[str] = "Sequential sup-F(l+1|l) procedure with bootstrap p-values"

    n_breaks: int
    break_positions: tuple[int, ...]
    steps: tuple[BootstrapTestResult, ...]
    level: float
    max_breaks: int
    trim: float
    nobs: int

    def to_frame(self) -> pd.DataFrame:
        """One row per step l: statistic, bootstrap and tabulated 5% critical values, p-value."""
        return pd.DataFrame(
            {
                "supF(l+1|l)": [s.statistic for s in self.steps],
                "cv_5%_bootstrap": [s.critical_values["5%"] for s in self.steps],
                "cv_5%_asymptotic": [s.critical_values_asymptotic["5%"] for s in self.steps],
                "pvalue": [s.pvalue for s in self.steps],
            },
            index=pd.RangeIndex(0, len(self.steps), name="l"),
        )

    def summary(self) -> str:
        """The headline rows and the per-step table."""
        table = self.to_frame().to_string(float_format=lambda x: f"{x:.4f}")
        return f"{super().summary()}\n{table}"

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("breaks", str(self.n_breaks)),
            ("break positions", ", ".join(map(str, self.break_positions)) or "none"),
            ("level, B, method", f"{self.level:g}, {self.steps[0].B}, {self.steps[0].method}"),
        ]


# --------------------------------------------------------------------------- machinery
def _errors(
    E: np.ndarray, B: int, method: str, weights: str, max_order: int, rng: np.random.Generator,
    M: np.ndarray | None = None,
):
    """``B`` bootstrap error vectors for the single residual vector ``E`` (n, 1), and the sieve
    fit (bias-corrected through the residual-maker ``M`` unless ``M`` is ``None``)."""
    col = np.zeros(B, dtype=int)
    if method == "wild":
        return wild_errors(E, col, rng, weights), None
    fit = fit_sieve(E, max_order)
    if M is not None:
        fit = bias_corrected(fit, M, rng)
    return sieve_errors(fit, col, rng), fit


def _quantiles(tstar: np.ndarray) -> dict[str, float]:
    return {lv: float(np.quantile(tstar, 1 - a)) for lv, a in (("10%", 0.10), ("5%", 0.05), ("1%", 0.01))}


class _Spec:
    """Everything needed to compute one statistic on a batch of series (fixed design)."""

    def __init__(self, statistic: str, X: np.ndarray, h_min: int, **kw: Any) -> None:
        self.statistic, self.kw = statistic, kw
        self.batch = Batch(X, h_min)

    def __call__(self, Y: np.ndarray) -> np.ndarray:
        bt, kw, s = self.batch, self.kw, self.statistic
        Yt = bt.residualise(Y)
        if s == "chow":
            return bt.chow(Yt, kw["bounds"])
        if s == "chow_hac":
            return bt.chow_hac(Yt, kw["bounds"], kw["lags"])
        R = bt.rss_table(Yt)
        if s in ("supF", "aveF", "expF"):
            return bt.sup_ave_exp(bt.fseq(R, kw["frm"], kw["to"]))[s]
        if s in ("UDmax", "WDmax"):
            sm, _ = bt.supf_m(Yt, R, kw["h"], kw["max_breaks"], kw["het_data"], kw["het_var"])
            if s == "UDmax":
                return sm[:5].max(axis=0)
            w = np.asarray(kw["wd_weights"])[:, None]
            return (w * sm).max(axis=0)
        # supF_next: l breaks at the global minimisers, then the best additional split
        l_ = kw["l"]
        if l_ == 0:
            sm, _ = bt.supf_m(Yt, R, kw["h"], 1, kw["het_data"], kw["het_var"])
            return sm[0]
        glob = bt.dp(R, kw["h"], l_)
        return bt.seq_next(Yt, R, glob[l_ - 1], kw["h"], kw["het_data"], kw["het_var"])


def bootstrap_test(
    statistic: str,
    y: Any,
    X: Any = None,
    break_dates: Any = None,
    *,
    rng: Any,
    method: str = "sieve",
    B: int = 999,
    weights: str = "rademacher",
    max_ar_order: int | None = None,
    bias_correction: bool = True,
    residuals: str = "null",
    trim: float | int = 0.15,
    maxlags: int | None = None,
    max_breaks: int = 5,
    l: int = 0,  # noqa: E741
    het_var: bool = True,
    het_data: bool = True,
    dates: Any = None,
) -> BootstrapTestResult:
    """Bootstrap p-value of a break test under its null model (fixed design).

    Parameters
    ----------
    statistic
        ``"chow"`` / ``"chow_hac"`` (:func:`~ewp_stats.engines.breaks.chow_test`, classical or
        HAC, at ``break_dates``); ``"supF"``, ``"aveF"``, ``"expF"``
        (:func:`~ewp_stats.engines.breaks.fstats` with ``trim``); ``"UDmax"``, ``"WDmax"`` and
        ``"supF_next"`` (sup-F(l+1|l) with ``l`` breaks under the null) of
        :func:`~ewp_stats.engines.breaks.bai_perron_tests` with ``trim``, ``max_breaks``,
        ``het_var``, ``het_data``.
    y, X, break_dates, dates
        Data as for the engine's functions; ``break_dates`` only for the Chow tests.
    rng
        A non-negative int seed or a ``numpy.random.Generator`` (required: results are
        reproducible).
    method
        ``"sieve"`` (AR sieve, default) or ``"wild"`` (fixed-design wild bootstrap).
    B
        Number of bootstrap draws, a positive integer (999 by default).
    weights
        Wild weights: ``"rademacher"`` (default) or ``"mammen"``.
    max_ar_order
        Largest sieve order tried by AIC, ``0 <= max_ar_order <= n / 4``; default
        ``floor(n^(1/3))``.
    bias_correction
        Correct the sieve's AR coefficients for their small-sample bias by Kilian's (1998)
        bootstrap (200 series through the null model's residual-maker); default ``True``.
    residuals
        Where the bootstrap errors come from: ``"null"`` (default) the null model's residuals;
        ``"alternative"`` the residuals of the model with the tested break(s) (the Chow dates;
        the least-squares break for sup/ave/exp-F, UDmax and WDmax; ``l + 1`` breaks for
        sup-F(l+1|l)).  The series are drawn from the null model either way.  With a real break
        the null residuals look persistent, the sieve then mimics that and loses most of its
        power; alternative residuals avoid it (Hansen 2000 uses them for the same reason) but
        are oversized under autocorrelation (Notes).
    trim, maxlags, max_breaks, l, het_var, het_data
        Options of the underlying test (see above); ``maxlags`` is the HAC lag truncation.

    Returns
    -------
    BootstrapTestResult

    Raises
    ------
    InputError
        An unknown statistic, method or weights; ``B`` not a positive integer; an ``rng`` that
        is not an int seed or a ``Generator``; ``l`` not in ``0..max_breaks - 1``; a bad
        ``max_ar_order``; and every error of the underlying test.

    Notes
    -----
    The null model is the regression of ``y`` on ``X`` without a break (for sup-F(l+1|l) with
    ``l > 0``: the ``l``-break model at the global SSR minimisers, as in Boldea et al. 2019), fitted
    by OLS; its fitted values plus bootstrap errors give each bootstrap series, and the statistic
    is recomputed on it with the regressors held fixed (breaks re-estimated where the statistic
    estimates them).  The bootstrap statistics are computed by a vectorised implementation
    (``_batch.Batch``) that is checked to equal the engine's functions.

    The sieve fits its AR to the null model's residuals; least-squares AR estimates are biased
    towards zero in short samples (by about ``(1 + 3 rho) / n`` for an AR(1) with a mean, more
    around a fitted trend), so without correction the sieve under-reproduces the
    autocorrelation and the test is oversized.  ``bias_correction`` (Kilian 1998) removes most
    of that bias; what remains (order selection, a random bias estimate, roots near one) leaves
    most cells of ``tests/benchmarks/bench_break_size.py`` (size and power at n = 20 and 32) near
    the nominal 5%, but not all: sup-F(l+1|l) under an l-break null (what
    :func:`~ewp_stats.engines.breaks.bootstrap_sequential` uses beyond its first step) rejects
    in 6-14% of samples at n = 20 and 7-11% at n = 32 (rho 0-0.9), and the HAC Chow test is
    oversized at n = 20 (7.3% and 9.5% at rho 0.5 and 0.9); the Monte Carlo standard error of
    a 5% rate is 0.7 pp.

    With ``residuals="null"`` (the default) the price is power, and it is a property of the
    method, not of the data: under a break, the null model's residuals contain it and look
    persistent; the sieve reproduces that persistence (at worst a root near 0.99) and the
    bootstrap critical values grow with it.  With i.i.d. errors, n = 32 and a level shift of 3
    sd plus a slope change of 0.5 per period, sup-F rejects in about 43% of samples and UDmax in
    16%, where the alternative residuals and the wild bootstrap reject in nearly all
    (``tests/benchmarks/mc_residual_choice.py``); against the smaller kink of the size seen in
    the paper's data UDmax rejects no more often than under the null (about 4% at n = 32, rho
    = 0, ``bench_break_size.py``).  A non-rejection by the
    default therefore carries almost no information at this length.  ``residuals="alternative"``
    takes the errors from the model with the break and has the power, but is oversized when the
    errors are autocorrelated, because the fitted break absorbs part of the persistence: about
    8-52% rejections of a true null at AR(1) coefficients 0.5-0.9 (6-10% at 0).  Neither choice is right at
    n = 20-32; report both.  arch's bootstraps are not used:
    they resample observations or blocks (no sieve, no wild scheme), and 20 to 32 observations
    give too few blocks.

    References
    ----------
    Kreiss (1992); Buhlmann (1997); Davidson and Flachaire (2008); Hansen (2000); Boldea,
    Cornea-Madeira and Hall (2019); see the module docstring.
    """
    statistic = _check_choice(statistic, "statistic", STATISTICS)
    method = _check_choice(method, "method", METHODS)
    weights = _check_choice(weights, "weights", WEIGHTS)
    residuals = _check_choice(residuals, "residuals", ("null", "alternative"))
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise InputError(f"bias_correction must be True or False; got {bias_correction!r}")
    B = _check_int(B, "B (the number of bootstrap draws)", 1)
    gen, seed = check_rng(rng)
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    max_order = default_max_order(n) if max_ar_order is None else _check_int(max_ar_order, "max_ar_order", 0, n // 4)
    check_full_rank(d.X, d.regressors)
    opts: dict[str, Any] = {"method": method, "residuals": residuals}
    null_cuts = [0, n]
    null_fit = d.X @ np.linalg.lstsq(d.X, d.y, rcond=None)[0]
    null_model = "no break: y = X b + u, OLS"
    cva: dict[str, float] = {}
    if statistic in ("chow", "chow_hac"):
        cov = "HAC" if statistic == "chow_hac" else "nonrobust"
        res = chow_test(y, X, break_dates, dates=dates, cov_type=cov, maxlags=maxlags)
        bps = _locate(break_dates, d.dates, d.labels)
        kw = {"bounds": [0, *bps, n]}
        alt = list(bps)
        if cov == "HAC":
            kw["lags"] = res.maxlags
        opts.update(break_positions=tuple(bps), cov_type=cov, maxlags=res.maxlags)
        stat, pasym, h_min = res.statistic, res.pvalue, k + 1
        from scipy import stats as _st

        cva = {lv: float(_st.f.isf(a, res.df_num, res.df_denom)) for lv, a in (("10%", .1), ("5%", .05), ("1%", .01))}
    elif statistic in ("supF", "aveF", "expF"):
        fs = fstats(y, X, trim=trim, dates=dates)
        tr = {"supF": fs.sup_f, "aveF": fs.ave_f, "expF": fs.exp_f}[statistic]
        stat, pasym, cva = tr.statistic, tr.pvalue, dict(tr.critical_values)
        kw = {"frm": fs.from_, "to": fs.to}
        alt = [fs.break_position]
        h_min = k + 1
        opts.update(trim=trim, from_=fs.from_, to=fs.to)
    else:
        max_breaks = _check_int(max_breaks, "max_breaks", 1)
        bp = bai_perron_tests(y, X, max_breaks=max_breaks, trim=trim, het_var=het_var, het_data=het_data, dates=dates)
        kw = {"h": bp.h, "max_breaks": max_breaks, "het_data": het_data, "het_var": het_var}
        h_min = k + 1
        pasym = float("nan")
        alt = list(bp.break_positions[0])
        opts.update(trim=bp.trim, h=bp.h, max_breaks=max_breaks, het_var=het_var, het_data=het_data)
        if statistic == "UDmax":
            stat, cva = bp.udmax, dict(bp.udmax_critical_values)
        elif statistic == "WDmax":
            stat, cva = bp.wdmax["5%"], dict(bp.wdmax_critical_values)
            c5 = bp.supf_critical_values["5%"]
            kw["wd_weights"] = [c5[0] / c for c in c5]
        else:
            l_ = _check_int(l, "l (breaks under the null)", 0, max_breaks - 1)
            kw["l"] = l_
            stat = bp.seq_supf[l_]
            cva = {lv: v[l_] for lv, v in bp.seq_critical_values.items()}
            opts["l"] = l_
            alt = list(bp.break_positions[l_])
            if l_ > 0:
                ends = list(bp.break_positions[l_ - 1])
                bounds = np.asarray([[0, *ends, n]])
                bt = Batch(d.X, k + 1)
                null_fit = bt.segmented_fit(d.y[:, None], bounds)[:, 0]
                null_cuts = [0, *ends, n]
                null_model = f"{l_} break(s) at positions {tuple(ends)} (global SSR minimisers), OLS per regime"
    spec = _Spec(statistic, d.X, h_min, **kw)
    if residuals == "alternative":
        cuts = [0, *alt, n]
        E = np.concatenate([segment_fit(d.y[a:b], d.X[a:b])[1] for a, b in zip(cuts[:-1], cuts[1:], strict=True)])
        E = E[:, None]
        opts["alternative_break_positions"] = tuple(int(a) for a in alt)
        null_cuts = cuts
    else:
        E = (d.y - null_fit)[:, None]
    M = residual_maker(d.X, bounds=np.asarray(null_cuts)) if (bias_correction and method == "sieve") else None
    U, sfit = _errors(E, B, method, weights, max_order, gen, M)
    tstar = spec(null_fit[:, None] + U)
    n_nan = int(np.isnan(tstar).sum())
    if n_nan:  # a degenerate draw (e.g. an exact fit): counted as exceeding, i.e. against rejection
        opts["undefined_draws"] = n_nan
        tstar = np.where(np.isnan(tstar), np.inf, tstar)
    n_exceed = int(np.sum(tstar >= stat - 1e-10 * max(1.0, abs(stat))))
    return BootstrapTestResult(
        name=_NAMES[statistic] if statistic != "supF_next" else f"sup-F({kw['l'] + 1}|{kw['l']})",
        statistic=float(stat),
        pvalue=(1 + n_exceed) / (B + 1),
        pvalue_asymptotic=float(pasym),
        critical_values=_quantiles(tstar),
        critical_values_asymptotic=cva,
        B=B,
        n_exceed=n_exceed,
        method=method,
        weights=weights if method == "wild" else None,
        ar_order=int(sfit.order[0]) if sfit else None,
        ar_coefficients=tuple(float(c) for c in sfit.coefs[0, : sfit.order[0]]) if sfit else (),
        max_ar_order=max_order if sfit else None,
        stationarity_adjusted=bool(sfit.adjusted[0]) if sfit else False,
        bias_corrected=M is not None,
        seed=seed,
        null_model=null_model,
        nobs=n,
        nreg=k,
        options=opts,
    )


def bootstrap_sequential(
    y: Any,
    X: Any = None,
    *,
    rng: Any,
    level: float = 0.05,
    max_breaks: int = 5,
    trim: float = 0.15,
    method: str = "sieve",
    B: int = 999,
    weights: str = "rademacher",
    max_ar_order: int | None = None,
    bias_correction: bool = True,
    residuals: str = "null",
    het_var: bool = True,
    het_data: bool = True,
    dates: Any = None,
) -> BootstrapSequentialResult:
    """Number of breaks by sequential sup-F(l+1|l) tests with bootstrap p-values.

    For l = 0, 1, ...: test l against l + 1 breaks by :func:`~ewp_stats.engines.breaks.bootstrap_test` with
    ``statistic="supF_next"`` (null model: l breaks at the global SSR minimisers); stop at the
    first l not rejected at ``level``.  All steps draw from one generator made from ``rng``.

    Parameters
    ----------
    y, X, dates
        Data, as for :func:`~ewp_stats.engines.breaks.bai_perron_tests`.
    rng
        A non-negative int seed or a ``numpy.random.Generator`` (required).
    level
        Test level in (0, 1).
    max_breaks, trim, het_var, het_data
        As for :func:`~ewp_stats.engines.breaks.bai_perron_tests`.
    method, B, weights, max_ar_order, bias_correction, residuals
        As for :func:`~ewp_stats.engines.breaks.bootstrap_test`.

    Returns
    -------
    BootstrapSequentialResult

    Raises
    ------
    InputError
        A level outside (0, 1), and every error of :func:`~ewp_stats.engines.breaks.bootstrap_test`.

    Notes
    -----
    The statistic at step l uses the l global minimisers (mbreaks ``doseqtests``), as
    :func:`~ewp_stats.engines.breaks.bai_perron_tests` reports ``seq_supf``; mbreaks' own
    ``sequa`` instead adds one break at a time.
    """
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise InputError(f"level must be in (0, 1); got {level!r}")
    gen, seed = check_rng(rng)
    steps = []
    n_breaks = None
    for l_ in range(max_breaks):
        r = bootstrap_test(
            "supF_next", y, X, rng=gen, method=method, B=B, weights=weights, max_ar_order=max_ar_order,
            bias_correction=bias_correction, residuals=residuals,
            trim=trim, max_breaks=max_breaks, l=l_, het_var=het_var, het_data=het_data, dates=dates,
        )
        steps.append(r if seed is None else _with_seed(r, seed))
        if r.pvalue >= level:
            n_breaks = l_
            break
    if n_breaks is None:
        n_breaks = max_breaks
    if n_breaks:
        bp = bai_perron_tests(y, X, max_breaks=max_breaks, trim=trim, het_var=het_var, het_data=het_data,
                              dates=dates)
        positions = tuple(int(p) for p in bp.break_positions[n_breaks - 1])
    else:
        positions = ()
    n = steps[0].nobs
    return BootstrapSequentialResult(
        n_breaks=n_breaks, break_positions=positions, steps=tuple(steps), level=float(level),
        max_breaks=int(max_breaks), trim=float(trim), nobs=n,
    )


def _with_seed(r: BootstrapTestResult, seed: int) -> BootstrapTestResult:
    from dataclasses import replace

    return replace(r, seed=seed, options={**r.options, "seed_note": "one generator for all steps"})

