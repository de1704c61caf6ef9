"""Chow F tests for structural change at known dates, classical and HAC.

References
----------
Chow, G. C. (1960). Tests of equality between sets of coefficients in two
linear regressions. *Econometrica* 28(3), 591-605.

Newey, W. K. and West, K. D. (1987). A simple, positive semi-definite,
heteroskedasticity and autocorrelation consistent covariance matrix.
*Econometrica* 55(3), 703-708.

Newey, W. K. and West, K. D. (1994). Automatic lag selection in covariance
matrix estimation. *Review of Economic Studies* 61(4), 631-653.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ewp_stats.engines.breaks._validate import labels_of, prepare
from ewp_stats.engines.breaks.results import ChowTestResult
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.errors import InputError

__all__ = ["chow_test", "newey_west_lags"]


def newey_west_lags(n: int) -> int:
    """Bartlett-kernel lag truncation ``floor(4 (n / 100)^(2/9))`` (Newey-West 1994)."""
    return int(math.floor(4 * (n / 100) ** (2 / 9)))


def _locate(break_dates: Any, dates: np.ndarray, labels: Any = None) -> list[int]:
    if np.isscalar(break_dates) or isinstance(break_dates, (pd.Period, pd.Timestamp)):
        break_dates = [break_dates]
    if not isinstance(break_dates, Iterable):
        raise InputError(f"break_dates must be a date or a sequence of dates; got {break_dates!r}")
    out = []
    for bd in break_dates:
        if labels is not None:  # calendar dates: a Period, Timestamp or string such as "1990Q2"
            try:
                loc = labels.get_loc(bd)
            except (KeyError, TypeError, ValueError):
                loc = None
            if not isinstance(loc, (int, np.integer)):
                raise InputError(
                    f"break date {bd!r} is outside the admissible range: it is not a date of the sample "
                    f"({labels[0]}..{labels[-1]})"
                )
            out.append(int(loc) + 1)
            continue
        try:
            v = float(bd)
        except (TypeError, ValueError):
            raise InputError(f"break date {bd!r} is not numeric; dates are numeric (e.g. years)") from None
        hit = np.flatnonzero(np.isclose(dates, v, rtol=0, atol=1e-9 * max(1.0, abs(v))))
        if hit.size == 0:
            raise InputError(
                f"break date {bd!r} is outside the admissible range: it is not a date of the sample "
                f"({dates[0]:g}..{dates[-1]:g})"
            )
        out.append(int(hit[0]) + 1)  # 1-based break position
    if len(out) == 0:
        raise InputError("break_dates is empty; give at least one break date")
    if sorted(set(out)) != out:
        raise InputError(f"break dates must be strictly increasing without duplicates; got {list(break_dates)!r}")
    return out


def chow_test(
    y: Any,
    X: Any = None,
    break_dates: Any = None,
    *,
    dates: Any = None,
    cov_type: str = "nonrobust",
    maxlags: int | None = None,
) -> ChowTestResult:
    """Chow test for breaks at known dates, all coefficients allowed to change.

    With one date this is the classical Chow (1960) F test; with several it is
    the joint F test of equal coefficients in all regimes against a segmented
    regression with a separate coefficient vector in each regime.

    Parameters
    ----------
    y, X, dates
        Response, regressors (``None``: intercept only) and dates; see
        :func:`ewp_stats.engines.breaks.breakpoints`.  For a segmented linear trend
        pass ``X = [1, t]``.
    break_dates
        One date or a sequence of dates, each the *last* date of the earlier
        regime (strucchange's convention: a break "at 1997" means the new
        regime starts with the next observation, e.g. 1998).
    cov_type
        ``"nonrobust"``: the classical F test (i.i.d. errors).  ``"HAC"``: a Wald
        test of the same restrictions with a Newey-West (Bartlett) covariance
        of the segmented regression, reported as ``F = W / q`` with
        ``F(q, n - (m + 1) k)`` and chi-square(q) p-values.
    maxlags
        HAC lag truncation, an integer in ``0..n - 1``; default
        ``floor(4 (n / 100)^(2/9))``.  Only used with ``cov_type="HAC"``.

    Returns
    -------
    ChowTestResult

    Raises
    ------
    InputError
        A break date that is not a sample date, or that leaves a regime
        empty (or, for HAC, with ``k`` or fewer observations); ``maxlags`` not
        an integer in ``0..n - 1``; no
        residual degrees of freedom left; a singular regressor matrix in a
        regime; invalid data.

    Notes
    -----
    A regime with ``k`` or fewer observations is fitted without error (with
    fewer than ``k``, by one dummy per observation, so it adds only that many
    restrictions); the F test then coincides with Chow's predictive
    (forecast-failure) test for those observations (Chow 1960, second test),
    flagged in ``exact_fit_segments``.  The HAC version needs more than ``k``
    observations in every regime.  Checked against R strucchange 1.5-3
    ``sctest(type = "Chow")`` for one date and ``anova()`` of nested ``lm``
    fits for several.
    """
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    if break_dates is None:
        raise InputError("break_dates is required: the last date of each earlier regime")
    if cov_type not in ("nonrobust", "HAC"):
        raise InputError(f"cov_type must be 'nonrobust' or 'HAC'; got {cov_type!r}")
    if maxlags is not None and (
        isinstance(maxlags, bool) or not isinstance(maxlags, (int, np.integer)) or not 0 <= maxlags <= n - 1
    ):
        raise InputError(f"maxlags must be an integer in 0..{n - 1} (0 <= maxlags < n = {n}); got {maxlags!r}")
    bps = _locate(break_dates, d.dates, d.labels)
    bounds = [0, *bps, n]
    nseg = [bounds[i + 1] - bounds[i] for i in range(len(bounds) - 1)]
    min_seg = k + 1 if cov_type == "HAC" else 1
    for i, s in enumerate(nseg):
        if s < min_seg:
            span = f"{d.dates[bounds[i]]:g}-{d.dates[bounds[i + 1] - 1]:g}" if s else "empty"
            raise InputError(
                f"break dates {list(np.atleast_1d(break_dates))!r} are outside the admissible range: regime {i + 1} "
                f"({span}) has {s} observation(s), needs at least {min_seg}"
                + (f" (HAC needs residuals in every regime: more than k = {k})" if cov_type == "HAC" else "")
            )
    m = len(bps)
    # parameters of the unrestricted model: k per regime, or one dummy per
    # observation in a regime shorter than k (Chow's predictive test there)
    n_par = sum(min(k, s) for s in nseg)
    q = n_par - k
    df_denom = n - n_par
    if df_denom <= 0:
        raise InputError(f"no residual degrees of freedom: n = {n} observations, {n_par} coefficients")
    rss_u = 0.0
    for i in range(m + 1):
        Xs = d.X[bounds[i] : bounds[i + 1]]
        if nseg[i] < k:
            continue  # fitted exactly by observation dummies
        if np.linalg.matrix_rank(Xs) < k:
            raise InputError(
                f"the regressor matrix is singular in regime {i + 1} "
                f"({d.dates[bounds[i]]:g}-{d.dates[bounds[i + 1] - 1]:g}); every regime must identify all "
                f"{k} coefficients"
            )
        _, r = segment_fit(d.y[bounds[i] : bounds[i + 1]], Xs)
        rss_u += float(r @ r)
    if np.linalg.matrix_rank(d.X) < k:
        raise InputError(f"the regressor matrix is singular over the whole sample (rank < {k})")
    _, r0 = segment_fit(d.y, d.X)
    rss_r = float(r0 @ r0)
    lags = None
    if cov_type == "nonrobust":
        F = ((rss_r - rss_u) / q) / (rss_u / df_denom)
        W = F * q
    else:
        import statsmodels.api as sm

        lags = newey_west_lags(n) if maxlags is None else int(maxlags)
        Z = np.zeros((n, (m + 1) * k))
        for i in range(m + 1):
            Z[bounds[i] : bounds[i + 1], i * k : (i + 1) * k] = d.X[bounds[i] : bounds[i + 1]]
        fit = sm.OLS(d.y, Z).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})
        R = np.zeros((q, (m + 1) * k))
        for i in range(m):
            R[i * k : (i + 1) * k, (i + 1) * k : (i + 2) * k] = np.eye(k)
            R[i * k : (i + 1) * k, i * k : (i + 1) * k] = -np.eye(k)
        diff = R @ fit.params
        V = R @ fit.cov_params() @ R.T
        W = float(diff @ np.linalg.solve(V, diff))
        F = W / q
        rss_u = float(np.sum(fit.resid**2))
    return ChowTestResult(
        statistic=float(F),
        pvalue=float(stats.f.sf(F, q, df_denom)),
        df_num=q,
        df_denom=df_denom,
        break_dates=tuple(float(d.dates[b - 1]) for b in bps) if d.labels is None else labels_of(
            [b for b in bps], d.labels),
        break_positions=tuple(bps),
        regime_starts=tuple(float(d.dates[b]) for b in bps) if d.labels is None else labels_of(
            [b + 1 for b in bps], d.labels),
        segment_nobs=tuple(nseg),
        exact_fit_segments=tuple(s <= k for s in nseg),
        rss_restricted=rss_r,
        rss_unrestricted=rss_u,
        nobs=n,
        nreg=k,
        cov_type=cov_type,
        maxlags=lags,
        wald_chi2=float(W),
        pvalue_chi2=float(stats.chi2.sf(W, q)),
    )
