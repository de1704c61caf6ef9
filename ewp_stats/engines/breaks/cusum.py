"""OLS-CUSUM and recursive-CUSUM fluctuation tests.

References
----------
Brown, R. L., Durbin, J. and Evans, J. M. (1975). Techniques for testing the
constancy of regression relationships over time. *Journal of the Royal
Statistical Society B* 37(2), 149-192.

Ploberger, W. and Kraemer, W. (1992). The CUSUM test with OLS residuals.
*Econometrica* 60(2), 271-285.

Zeileis, A. (2004). Alternative boundaries for CUSUM tests. *Statistical
Papers* 45, 123-131.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import optimize
from scipy.stats import norm

from ewp_stats.engines.breaks._validate import (
    check_full_rank,
    check_variation,
    labels_of,
    prepare,
)
from ewp_stats.engines.breaks.results import FluctuationTestResult
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.errors import InputError

__all__ = ["cusum_test", "pvalue_brownian_bridge", "pvalue_brownian_motion"]


def pvalue_brownian_bridge(x: float) -> float:
    """P(sup |B(t)| > x) for a Brownian bridge; strucchange's 100-term series."""
    if x < 0.1:
        return 1.0
    i = np.arange(1, 101)
    s = float(np.sum(np.exp(-2.0 * i**2 * x**2) * (-1.0) ** i))
    return 1.0 - (1.0 + 2.0 * s)


def pvalue_brownian_motion(x: float) -> float:
    """P(sup |W(t)| / (1 + 2t) > x) for a Brownian motion (as strucchange)."""
    if x < 0.3:
        return 1.0 - 0.1465 * x
    return 2.0 * (
        1.0
        - norm.cdf(3 * x)
        + math.exp(-4 * x**2) * (norm.cdf(x) + norm.cdf(5 * x) - 1.0)
        - math.exp(-16 * x**2) * (1.0 - norm.cdf(x))
    )


def _crit(pfun: Any) -> dict[str, float]:
    return {
        label: float(optimize.brentq(lambda x, a=a: pfun(x) - a, 0.31, 10.0, xtol=1e-12))
        for label, a in (("10%", 0.10), ("5%", 0.05), ("1%", 0.01))
    }


def cusum_test(y: Any, X: Any = None, *, kind: str = "OLS-CUSUM", dates: Any = None) -> FluctuationTestResult:
    """CUSUM test for parameter constancy.

    Parameters
    ----------
    y, X, dates
        Response, regressors (``None``: intercept only) and dates.
    kind
        ``"OLS-CUSUM"`` (Ploberger-Kraemer; cumulated OLS residuals, limiting
        Brownian bridge) or ``"Rec-CUSUM"`` (Brown-Durbin-Evans; cumulated
        recursive residuals, Brownian motion with linear boundaries).

    Returns
    -------
    FluctuationTestResult
        Statistic (maximum absolute value of the standardised process; for
        Rec-CUSUM divided by ``1 + 2t``), p-value, critical values and the
        process with its dates (as strucchange ``efp``: the OLS-CUSUM process
        starts with 0 one period before the first date).

    Notes
    -----
    Recursive residuals come from ``statsmodels.stats.diagnostic.
    recursive_olsresiduals`` (which agrees with strucchange's R engine of
    ``recresid``).  The OLS-CUSUM scale is ``sd(e) * sqrt((n - 1)/(n - k))`` as
    strucchange ``efp``; statsmodels' ``breaks_cusumolsresid`` uses the
    uncentred residual variance, which differs for models without an
    intercept, so the few lines are re-implemented here.  p-values use
    strucchange's formulas (``pvalue.efp``).  Verified against strucchange
    1.5-3 ``sctest(efp(...))``.

    A series without residual variation (the model fits it exactly, e.g. a
    constant series in a mean model) raises :class:`~ewp_stats.errors.InputError`:
    the process would be 0/0 (strucchange returns an infinite statistic with
    p = 0).  Collinear regressors raise an error naming the columns.  For a
    ``PeriodIndex``/``DatetimeIndex`` the process dates are those periods (the
    OLS-CUSUM starting point one period before the first).
    """
    if kind not in ("OLS-CUSUM", "Rec-CUSUM"):
        raise InputError(f"kind must be 'OLS-CUSUM' or 'Rec-CUSUM'; got {kind!r}")
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    if n <= k + 1:
        raise InputError(f"need more than k + 1 = {k + 1} observations; have n = {n}")
    if np.linalg.matrix_rank(d.X) < k:
        raise InputError(f"the regressor matrix is singular (rank < {k})")
    check_full_rank(d.X, d.regressors)
    step = float(d.dates[1] - d.dates[0])
    _, e0 = segment_fit(d.y, d.X)
    check_variation(d.y, float(e0 @ e0))
    if kind == "OLS-CUSUM":
        e = e0
        sigma = float(np.std(e, ddof=1) * math.sqrt((n - 1) / (n - k)))
        proc = np.concatenate([[0.0], np.cumsum(e)]) / (sigma * math.sqrt(n))
        stat = float(np.max(np.abs(proc[1:])))
        pvalue = pvalue_brownian_bridge(stat)
        pdates = np.concatenate([[d.dates[0] - step], d.dates])
        crit = _crit(pvalue_brownian_bridge)
        alt = "coefficients not constant (power mainly against shifts in the mean)"
    else:
        import statsmodels.api as sm
        from statsmodels.stats.diagnostic import recursive_olsresiduals

        if np.linalg.matrix_rank(d.X[:k]) < k:
            raise InputError(f"the first k = {k} rows of X are singular; recursive residuals are undefined")
        res = sm.OLS(d.y, d.X).fit()
        w = recursive_olsresiduals(res, skip=k)[4][k:]  # scaled recursive residuals, n - k of them
        sigma = float(np.std(w, ddof=1))
        nw = n - k
        proc = np.concatenate([[0.0], np.cumsum(w)]) / (sigma * math.sqrt(nw))
        j = np.arange(1, nw + 1) / nw
        stat = float(np.max(np.abs(proc[1:] / (1 + 2 * j))))
        pvalue = pvalue_brownian_motion(stat)
        pdates = d.dates[k - 1 :]
        crit = _crit(pvalue_brownian_motion)
        alt = "coefficients not constant (recursive residuals drift)"
    return FluctuationTestResult(
        kind=kind,
        statistic=stat,
        pvalue=float(pvalue),
        critical_values=crit,
        process=tuple(float(v) for v in proc),
        process_dates=tuple(float(v) for v in pdates) if d.labels is None else labels_of(pdates, d.labels),
        nobs=n,
        nreg=k,
        null="constant coefficients",
        alternative=alt,
        options={"kind": kind, "peer": "R strucchange 1.5-3 sctest(efp(...))"},
    )
