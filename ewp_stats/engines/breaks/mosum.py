"""OLS-based MOSUM fluctuation test (strucchange ``efp(type = "OLS-MOSUM")``).

References
----------
Chu, C.-S. J., Hornik, K. and Kuan, C.-M. (1995). MOSUM tests for parameter constancy.
*Biometrika* 82(3), 603-617.

Zeileis, A., Leisch, F., Hornik, K. and Kleiber, C. (2002). strucchange: An R package for
testing for structural change in linear regression models. *Journal of Statistical
Software* 7(2), 1-38.
"""

from __future__ import annotations

import functools
import math
from importlib import resources
from typing import Any

import numpy as np

from ewp_stats.engines.breaks._validate import (
    check_full_rank,
    check_variation,
    dates_of,
    labels_of,
    prepare,
)
from ewp_stats.engines.breaks.results import FluctuationTestResult
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.errors import InputError

__all__ = ["mosum_test", "pvalue_mosum"]

#: Levels of the tabulated critical values (columns of strucchange's ``sc.me``).
LEVELS = (("10%", 0.10), ("5%", 0.05), ("2.5%", 0.025), ("1%", 0.01))


@functools.cache
def _sc_me() -> np.ndarray:
    """strucchange's ``sc.me`` for a one-dimensional process: (10 window sizes, 4 levels)."""
    text = resources.files("ewp_stats.engines.breaks").joinpath("strucchange_sc_me.csv").read_text(encoding="utf-8")
    rows = [ln.split(",") for ln in text.splitlines() if ln and not ln.startswith("#")][1:]
    return np.array([[float(v) for v in r[2:]] for r in rows if int(r[0]) == 1])


def mosum_critical_values(h: float) -> dict[str, float]:
    """Critical values of the OLS-MOSUM test with window ``h`` (a fraction of n).

    Linear interpolation of strucchange's table ``sc.me`` over h = 0.05, 0.10, ..., 0.50,
    constant outside (``approx(..., rule = 2)``), as ``strucchange:::pvalue.efp``.
    """
    tab = _sc_me()
    grid = np.arange(1, 11) * 0.05
    return {label: float(np.interp(h, grid, tab[:, j])) for j, (label, _) in enumerate(LEVELS)}


def pvalue_mosum(statistic: float, h: float) -> float:
    """p-value of the OLS-MOSUM statistic, as ``strucchange:::pvalue.efp``.

    Linear interpolation in the table of critical values between (0, p = 1) and the
    tabulated levels 10%, 5%, 2.5% and 1%; 0.01 for any statistic beyond the 1% value.

    Notes
    -----
    A rough p-value: above 0.10 it interpolates linearly towards p = 1 at a statistic of 0,
    and it cannot go below 0.01 (strucchange reports 0.01 there; read it as ``p <= 0.01``).
    """
    cv = mosum_critical_values(h)
    xs = [0.0, *cv.values()]
    ps = [1.0, *(a for _, a in LEVELS)]
    return float(np.interp(statistic, xs, ps))


def mosum_test(y: Any, X: Any = None, *, h: float = 0.15, dates: Any = None) -> FluctuationTestResult:
    """OLS-based MOSUM test for parameter constancy (Chu, Hornik and Kuan 1995).

    The process is the moving sum of ``floor(n h)`` consecutive OLS residuals of the full-sample
    fit, scaled by ``sigma sqrt(n)``; the statistic is its largest absolute value.

    Parameters
    ----------
    y, X, dates
        Response, regressors (``None``: intercept only) and dates, as for
        :func:`~ewp_stats.engines.breaks.cusum_test`.
    h
        Window width as a fraction of n, in (0, 1); the p-value table covers 0.05..0.50
        (values outside use its nearest end, as strucchange).

    Returns
    -------
    FluctuationTestResult
        ``kind = "OLS-MOSUM"``; critical values at 10%, 5%, 2.5% and 1%; the process (n - nh + 1
        values) with strucchange's dates: value ``i`` (the window of observations
        ``i .. i + nh - 1``) sits at observation ``nh - floor(0.5 + nh / 2) + i - 1``, about the
        window's middle.

    Raises
    ------
    InputError
        ``h`` not in (0, 1) or a window of fewer than one observation; too few observations;
        collinear regressors; a series without residual variation.

    Notes
    -----
    ``sigma = sd(e) sqrt((n - 1) / (n - k))`` as strucchange's ``efp``; the p-value is
    :func:`~ewp_stats.engines.breaks.pvalue_mosum` (the table of Chu, Hornik and Kuan 1995 as shipped by strucchange,
    interpolated; bounded below by 0.01).  Verified against R strucchange 1.5-3
    ``sctest(efp(..., type = "OLS-MOSUM"))`` (tests/engines/reference/strucchange_extra_reference.json).
    The MOSUM has power against breaks that are reversed later (a temporary shift), where the
    CUSUM's cumulated residuals cancel.
    """
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)) or not 0 < h < 1:
        raise InputError(f"h must be a fraction of the sample in (0, 1); got {h!r}")
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    if n <= k + 1:
        raise InputError(f"need more than k + 1 = {k + 1} observations; have n = {n}")
    nh = int(math.floor(n * h))
    if nh < 1:
        raise InputError(f"h = {h!r} gives a window of floor({n} * {h!r}) = 0 observations; use a larger h")
    check_full_rank(d.X, d.regressors)
    _, e = segment_fit(d.y, d.X)
    check_variation(d.y, float(e @ e))
    sigma = float(np.std(e, ddof=1) * math.sqrt((n - 1) / (n - k)))
    cs = np.concatenate([[0.0], np.cumsum(e)])
    proc = (cs[nh:] - cs[: n - nh + 1]) / (sigma * math.sqrt(n))
    stat = float(np.max(np.abs(proc)))
    pos = nh - math.floor(0.5 + nh / 2) + np.arange(proc.shape[0])  # 1-based observation of each value
    return FluctuationTestResult(
        kind="OLS-MOSUM",
        statistic=stat,
        pvalue=pvalue_mosum(stat, h),
        critical_values=mosum_critical_values(h),
        process=tuple(float(v) for v in proc),
        process_dates=dates_of(pos, d.dates) if d.labels is None else labels_of(pos, d.labels),
        nobs=n,
        nreg=k,
        null="constant coefficients",
        alternative="coefficients not constant (moving sums of residuals drift, also for temporary shifts)",
        options={
            "kind": "OLS-MOSUM",
            "h": h,
            "window": nh,
            "pvalue": "interpolated in strucchange's sc.me table; 0.01 means p <= 0.01",
            "peer": "R strucchange 1.5-3 sctest(efp(type = 'OLS-MOSUM'))",
        },
    )
