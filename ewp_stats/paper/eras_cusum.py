"""CUSUM tests of the east/west GDP ratio: is one straight trend stable over each vintage?

The known-date tests of :mod:`ewp_stats.paper.eras_grid` ask whether the trend changes at the
paper's dates; a fluctuation test asks, without naming a date, whether the coefficients of one
straight trend ``ratio_t = a + b t + u_t`` are constant over the whole sample.  Two versions
(:func:`~ewp_stats.engines.breaks.cusum_test`):

* the OLS-CUSUM (Ploberger and Kraemer 1992): cumulated OLS residuals of the one trend, whose
  limit under the null is a Brownian bridge;
* the recursive CUSUM (Brown, Durbin and Evans 1975): cumulated one-step-ahead forecast errors,
  whose limit is a Brownian motion (boundaries linear in time).

Both p-values are asymptotic and assume serially uncorrelated errors; with 20-32 annual
observations and residual autocorrelation of about 0.6 (the diagnostics of
:mod:`ewp_stats.paper.eras`) neither holds, and persistence alone pushes the process towards
its boundary.  So each test also gets a sieve-bootstrap p-value: series are drawn from the fitted
straight trend plus AR errors fitted to its residuals (AIC order, Kilian bias correction, as
:func:`~ewp_stats.paper.eras_grid.known_date_test`), and the statistic is recomputed on each.
That bootstrap is the conservative one of the chapter: a real change of slope left in the
residuals looks like persistence and is reproduced, so it has little power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result
from ewp_stats.engines.breaks import cusum_test
from ewp_stats.engines.breaks._resample import bias_corrected, default_max_order, fit_sieve, residual_maker, sieve_errors
from ewp_stats.errors import InputError
from ewp_stats.paper.eras_grid import DEFAULT_B, cell_seed, grid_series

__all__ = ["KINDS", "VINTAGES", "SIZE_REPS", "CusumResult", "asymptotic_size", "bootstrap_pvalue", "cusum_statistics",
           "recursive_residual_matrix", "eras_cusum"]

#: The two CUSUM tests, by the engine's ``kind``.
KINDS = ("OLS-CUSUM", "Rec-CUSUM")
#: The multi-year vintages (the single first-release year has no time series).
VINTAGES = ("gcam_compendium", "nbs_2021")
#: Replications of the size check of the asymptotic test (Monte Carlo standard error at most 0.011).
SIZE_REPS = 2000


def recursive_residual_matrix(X: np.ndarray) -> np.ndarray:
    """The linear map from ``y`` to the scaled recursive residuals of the regression on ``X``.

    Parameters
    ----------
    X
        ``n x k`` regressors whose first ``k`` rows have full rank.

    Returns
    -------
    ndarray
        ``(n - k) x n`` matrix ``A`` with ``A @ y`` the residuals
        ``w_t = (y_t - x_t' b_{t-1}) / sqrt(1 + x_t' (X_{t-1}' X_{t-1})^{-1} x_t)``, ``t = k+1..n``,
        ``b_{t-1}`` the OLS fit to the first ``t - 1`` rows (Brown, Durbin and Evans 1975).

    Raises
    ------
    InputError
        The first ``k`` rows of ``X`` are singular.
    """
    n, k = X.shape
    if np.linalg.matrix_rank(X[:k]) < k:
        raise InputError(f"the first k = {k} rows of X are singular; recursive residuals are undefined")
    A = np.zeros((n - k, n))
    for t in range(k, n):
        Xp = X[:t]
        G = np.linalg.inv(Xp.T @ Xp)
        f = math.sqrt(1.0 + float(X[t] @ G @ X[t]))
        A[t - k, :t] = -(X[t] @ G @ Xp.T) / f
        A[t - k, t] = 1.0 / f
    return A


def cusum_statistics(Y: np.ndarray, X: np.ndarray, kind: str) -> np.ndarray:
    """The CUSUM statistic of every column of ``Y`` (as :func:`~ewp_stats.engines.breaks.cusum_test`).

    Parameters
    ----------
    Y
        ``n x B`` series (one per column) on the same regressors.
    X
        ``n x k`` regressors.
    kind
        ``"OLS-CUSUM"`` or ``"Rec-CUSUM"``.

    Returns
    -------
    ndarray
        ``B`` statistics: ``max |process|`` (OLS-CUSUM), ``max |process| / (1 + 2 t)`` (Rec-CUSUM).

    Raises
    ------
    InputError
        Unknown ``kind``.
    """
    n, k = X.shape
    if kind == "OLS-CUSUM":
        E = residual_maker(X) @ Y
        sigma = E.std(axis=0, ddof=1) * math.sqrt((n - 1) / (n - k))
        proc = np.cumsum(E, axis=0) / (sigma * math.sqrt(n))
        return np.abs(proc).max(axis=0)
    if kind == "Rec-CUSUM":
        W = recursive_residual_matrix(X) @ Y
        nw = n - k
        proc = np.cumsum(W, axis=0) / (W.std(axis=0, ddof=1) * math.sqrt(nw))
        j = np.arange(1, nw + 1)[:, None] / nw
        return np.abs(proc / (1 + 2 * j)).max(axis=0)
    raise InputError(f"kind must be one of {list(KINDS)}; got {kind!r}")


@dataclass(frozen=True)
class CusumResult(Result):
    """CUSUM tests of one straight trend of the GDP ratio, per vintage.

    Attributes
    ----------
    table
        One row per ``vintage`` and ``kind``: ``first``, ``last``, ``nobs``, ``statistic``,
        ``cv_5pct`` (asymptotic), ``p_asymptotic``, ``p_bootstrap`` (sieve, null residuals),
        ``ar_order`` of the sieve, ``B``, ``seed``, ``crossing_year``: the first year the
        process leaves its asymptotic 5% boundary (NaN: it stays inside), ``rho1``: the lag-one
        autocorrelation of the straight trend's residuals, and ``size_asymptotic_ar1``: how often
        the asymptotic test rejects at 5% when the straight trend is true and the errors are
        AR(1) with that ``rho1`` (:data:`SIZE_REPS` seeded replications).
    processes
        The fluctuation processes in long form: ``vintage``, ``kind``, ``year``, ``process``,
        ``boundary`` (the 5% boundary at that point, positive side).
    options
        B, seeds, model.
    """

    _title: ClassVar[str] = "CUSUM tests of one straight trend (GDP ratio)"

    table: pd.DataFrame
    processes: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The table of tests."""
        return self.table


def asymptotic_size(X: np.ndarray, rho: float, kind: str, *, reps: int = SIZE_REPS, seed: int) -> float:
    """Rejection rate at 5% of the asymptotic CUSUM test when the null is true and errors are AR(1).

    Parameters
    ----------
    X
        ``n x k`` regressors (the null model; its coefficients do not matter, the statistic is
        invariant to them and to the error scale).
    rho
        AR(1) coefficient of the errors, ``|rho| < 1`` (stationary start).
    kind
        ``"OLS-CUSUM"`` or ``"Rec-CUSUM"``.
    reps, seed
        Replications and seed.

    Returns
    -------
    float
        Share of ``reps`` samples whose statistic exceeds the asymptotic 5% critical value.

    Raises
    ------
    InputError
        ``|rho| >= 1``.
    """
    if not abs(rho) < 1:
        raise InputError(f"rho must lie in (-1, 1) for a stationary AR(1); got {rho!r}")
    n = X.shape[0]
    gen = np.random.default_rng(seed)
    eps = gen.standard_normal((n, reps))
    U = np.empty_like(eps)
    U[0] = eps[0] / math.sqrt(1 - rho**2)
    for t in range(1, n):
        U[t] = rho * U[t - 1] + eps[t]
    cv = cusum_test(U[:, 0], X, kind=kind).critical_values["5%"]
    return float(np.mean(cusum_statistics(U, X, kind) > cv))


def bootstrap_pvalue(y: np.ndarray, X: np.ndarray, kind: str, *, B: int, seed: int) -> tuple[float, int]:
    """Sieve-bootstrap p-value of the CUSUM statistic of ``y`` on ``X`` (null: constant coefficients).

    Parameters
    ----------
    y, X
        Series (length ``n``) and ``n x k`` regressors of the null model.
    kind
        ``"OLS-CUSUM"`` or ``"Rec-CUSUM"``.
    B, seed
        Draws and seed.

    Returns
    -------
    tuple
        ``(p, ar_order)``: ``p = (1 + #{T* >= T}) / (B + 1)`` with ``T*`` the statistic of series
        drawn from the OLS fit of the null model plus AR errors fitted (AIC, Kilian bias
        correction) to its residuals; ``ar_order`` the sieve's order.
    """
    n = len(y)
    M0 = residual_maker(X)
    gen = np.random.default_rng(seed)
    sieve = bias_corrected(fit_sieve((M0 @ y)[:, None], default_max_order(n)), M0, gen)
    Tstar = cusum_statistics((y - M0 @ y)[:, None] + sieve_errors(sieve, np.zeros(B, dtype=int), gen), X, kind)
    T = float(cusum_statistics(y[:, None], X, kind)[0])
    return (1 + int(np.sum(Tstar >= T - 1e-10 * max(1.0, T)))) / (B + 1), int(sieve.order[0])


def eras_cusum(*, B: int = DEFAULT_B) -> CusumResult:
    """OLS-CUSUM and recursive CUSUM tests of a straight trend of the GDP ratio in each vintage.

    Parameters
    ----------
    B
        Bootstrap draws per test (default 999).

    Returns
    -------
    CusumResult

    Raises
    ------
    InputError
        ``B`` is not a positive integer.

    Notes
    -----
    The null model is one straight trend over the vintage's years; the alternative is any change
    of its coefficients, at an unnamed date.  The OLS-CUSUM has its power mainly against a change
    of the mean level and little against a change of slope that leaves the residual mean near
    zero; the recursive CUSUM detects a change only once enough forecast errors have accumulated
    after it, so a change in the last few years of a short sample is hard to see.  Asymptotic
    p-values assume independent errors; the sieve bootstrap (AR fitted to the straight trend's
    residuals) reproduces the autocorrelation and so also much of any real change: it keeps its
    level but has little power.  The statistic of the bootstrap is the engine's
    (:func:`cusum_statistics` reproduces :func:`~ewp_stats.engines.breaks.cusum_test` exactly;
    the tests check it).

    References
    ----------
    Brown, R. L., Durbin, J. and Evans, J. M. (1975). Techniques for testing the constancy of
    regression relationships over time. *Journal of the Royal Statistical Society B* 37(2), 149-192.
    Ploberger, W. and Kraemer, W. (1992). The CUSUM test with OLS residuals. *Econometrica* 60(2),
    271-285.
    Buhlmann, P. (1997). Sieve bootstrap for time series. *Bernoulli* 3(2), 123-148.
    """
    if not isinstance(B, int | np.integer) or isinstance(B, bool) or B < 1:
        raise InputError(f"B must be a positive integer; got {B!r}")
    rows, procs = [], []
    for vintage in VINTAGES:
        s, note = grid_series(vintage, "ratio")
        if s is None:  # pragma: no cover - both vintages have long series
            raise InputError(f"eras_cusum: {note}")
        years = s.index.to_numpy().astype(float)
        y = s.to_numpy()
        n = len(y)
        X = np.column_stack([np.ones(n), years - years[0]])
        e0 = residual_maker(X) @ y
        rho1 = float(e0[1:] @ e0[:-1] / (e0 @ e0))
        for kind in KINDS:
            res = cusum_test(y, X, kind=kind, dates=years)
            seed = cell_seed("cusum", vintage, kind)
            p_boot, order = bootstrap_pvalue(y, X, kind, B=B, seed=seed)
            cv = res.critical_values["5%"]
            proc = np.asarray(res.process)
            pdates = np.asarray(res.process_dates, dtype=float)
            if kind == "OLS-CUSUM":
                bound = np.full(len(proc), cv)
            else:
                bound = cv * (1 + 2 * np.arange(len(proc)) / (len(proc) - 1))
            outside = np.flatnonzero(np.abs(proc) > bound)
            rows.append({"vintage": vintage, "kind": kind, "first": int(years[0]), "last": int(years[-1]), "nobs": n,
                         "statistic": res.statistic, "cv_5pct": cv, "p_asymptotic": res.pvalue, "p_bootstrap": p_boot,
                         "ar_order": order, "B": B, "seed": seed,
                         "crossing_year": float(pdates[outside[0]]) if len(outside) else float("nan"),
                         "rho1": rho1, "size_asymptotic_ar1": asymptotic_size(X, rho1, kind, seed=seed)})
            procs.append(pd.DataFrame({"vintage": vintage, "kind": kind, "year": pdates, "process": proc,
                                       "boundary": bound}))
    return CusumResult(table=pd.DataFrame(rows), processes=pd.concat(procs, ignore_index=True),
                       options={"B": B, "size_reps": SIZE_REPS, "model": "one straight trend (intercept, year)", "measure": "ratio",
                                "bootstrap": "sieve, AR on the null residuals (AIC), Kilian bias correction"})
