"""Bai-Perron dating of multiple structural breaks, and Bai (1997) intervals.

References
----------
Bai, J. (1997). Estimation of a change point in multiple regression models.
*Review of Economics and Statistics* 79(4), 551-563.

Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural
change models. *Journal of Applied Econometrics* 18(1), 1-22.

Liu, J., Wu, S. and Zidek, J. V. (1997). On segmented multivariate
regression. *Statistica Sinica* 7, 497-525.

Zeileis, A., Kleiber, C., Kraemer, W. and Hornik, K. (2003). Testing and
dating of structural changes in practice. *Computational Statistics & Data
Analysis* 44, 109-123.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ewp_stats.engines.breaks._validate import (
    EXACT_FIT_TOL,
    check_criterion,
    check_full_rank,
    check_variation,
    prepare,
    resolve_h,
)
from ewp_stats.engines.breaks.confint import break_confint
from ewp_stats.engines.breaks.results import BreakpointsResult
from ewp_stats.engines.breaks.streaming import optimal_partitions
from ewp_stats.errors import InputError

__all__ = ["breakpoints"]

#: Liu-Wu-Zidek constants as used by Bai and Perron (2003).
LWZ_C0, LWZ_DELTA0 = 0.299, 0.1


def breakpoints(
    y: Any,
    X: Any = None,
    *,
    h: float | int = 0.15,
    max_breaks: int | None = None,
    dates: Any = None,
    criterion: str = "BIC",
    level: float = 0.95,
) -> BreakpointsResult:
    """Date multiple structural breaks by global RSS minimisation (Bai-Perron).

    For every number of breaks ``m = 0..max_breaks`` the break dates minimise
    the total residual sum of squares of the segmented regression
    ``y = X b_j + e`` (all coefficients change), subject to at least ``h``
    observations per segment, by dynamic programming over the RSS of all
    admissible segments.

    Parameters
    ----------
    y
        Response (array or pandas Series; the index of a Series gives the
        dates: a numeric index, ``RangeIndex`` included, e.g. years, or a
        ``PeriodIndex``/``DatetimeIndex``, whose periods are then the break dates).
    X
        Regressors (n x k); ``None`` for an intercept-only (mean-shift) model.
        For a segmented linear trend pass ``[1, t]``.
    h
        Minimum segment length: a fraction of n (``floor(n * h)``, as
        strucchange) or a number of observations; must exceed ``k``.
    max_breaks
        Largest number of breaks; default ``ceil(n / h) - 2`` (strucchange).
    dates
        Numeric, strictly increasing observation dates (overrides the index).
    criterion
        Criterion that selects m; the default is ``"BIC"`` (strucchange's default,
        ``-2 logLik + log(n) (k + 1)(m + 1)``).  ``"LWZ"`` or its explicit name
        ``"LWZ-BP2003"``: Liu, Wu and Zidek (1997) in the form of Bai and Perron (2003),
        column ``LWZ``; ``"LWZ-strucchange"``: strucchange's ``LWZ()`` (strucchangeRcpp
        1.5-4, ``AIC(k = 0.299 log(n)^2.1)``), column ``LWZ_strucchange``.  See Notes.
    level
        Confidence level of the intervals stored for the selected breaks.

    Returns
    -------
    BreakpointsResult

    Raises
    ------
    InputError
        Invalid data or dates; ``h`` not larger than the number of regressors
        or above ``n / 2``; more breaks requested than ``h`` allows
        (``(max_breaks + 1) * h > n``); a singular regressor matrix in some
        segment of length ``h``; collinear regressors (the message names the
        columns; rank-revealing QR, see
        ``_validate.check_full_rank``: a
        rank-revealing QR with column pivoting, ``scipy.linalg.qr(pivoting=True)``, of ``X``
        with unit-length columns; a pivot at most ``1e-7`` times the largest marks a
        collinear column); values so large that
        sums of squares overflow; a series without residual variation (the model without
        breaks fits it exactly, e.g. a constant series in a mean model).

    Notes
    -----
    The dynamic programme is exact and streams: the RSS of the segments ending in a block
    of at most ``h`` consecutive observations are computed from prefix sums of cross
    products when the block is reached and dropped after it, so time is O(n^2 (k^2 + M))
    and memory O(n (k^2 + M)) (see ``ewp_stats.engines.breaks.streaming``); the RSS of the
    chosen partitions are recomputed by direct least squares.  Verified against R strucchange 1.5-3 ``breakpoints()``,
    ``summary()`` (RSS, BIC), ``logLik()``, ``coef()`` and ``confint()`` on the
    Nile, a segmented-trend series and the UK driver deaths model
    (tests/data/strucchange_reference.json): identical breaks, values to
    1e-6 relative.

    Two LWZ criteria (Liu, Wu and Zidek 1997) are reported; they can select
    different m (1 and 2 on the log UK driver deaths model):

    * ``lwz`` / ``"LWZ-BP2003"`` (also ``"LWZ"``): the form of Bai and Perron (2003),
      section 4, ``ln(RSS / (n - p*)) + p* c0 (ln n)^(2 + d0) / n`` with
      ``p* = (m + 1) k + m``, ``c0 = 0.299``, ``d0 = 0.1`` (as mbreaks' ``doorder(ic = "LWZ")``);
    * ``lwz_strucchange`` / ``"LWZ-strucchange"``: strucchange's ``LWZ()`` (strucchangeRcpp
      1.5-4, ``LWZ.breakpointsfull``), ``-2 logLik + 0.299 (ln n)^2.1 (k + 1)(m + 1)``,
      i.e. the BIC with the penalty ``ln n`` replaced by ``0.299 (ln n)^2.1``.

    A segmentation that fits ``y`` exactly (noise-free data; RSS at most
    ``EXACT_FIT_TOL * sum(y**2)``) has RSS 0, an infinite log-likelihood and
    criteria ``-inf``: the smallest such m is selected, and its Bai (1997)
    intervals are NaN (the error variance is zero), with a note.

    References
    ----------
    Bai and Perron (2003); Liu, Wu and Zidek (1997); Zeileis et al. (2003).
    """
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    hh = resolve_h(h, n, k)
    limit = math.ceil(n / hh) - 2
    if max_breaks is None:
        max_breaks = max(limit, 1)
    if isinstance(max_breaks, bool) or not isinstance(max_breaks, (int, np.integer)) or max_breaks < 1:
        raise InputError(f"max_breaks must be a positive integer; got {max_breaks!r}")
    max_breaks = int(max_breaks)
    if (max_breaks + 1) * hh > n:
        raise InputError(
            f"too few observations for {max_breaks} breaks with minimum segment length h = {hh}: "
            f"{max_breaks + 1} segments need at least {(max_breaks + 1) * hh} observations, have n = {n} "
            f"(at most {n // hh - 1} breaks fit)"
        )
    check_criterion(criterion)
    check_full_rank(d.X, d.regressors)
    bps, rss = optimal_partitions(d.y, d.X, hh, max_breaks, dates=d.dates)
    check_variation(d.y, rss[0])
    ms = np.arange(max_breaks + 1)
    rss_a = np.asarray(rss)
    exact = rss_a <= EXACT_FIT_TOL * float(d.y @ d.y)
    if exact.any():  # noise-free segmentation: RSS 0, criteria -inf (see Notes)
        rss_a = np.where(exact, 0.0, rss_a)
    pstar = (ms + 1) * k + ms
    with np.errstate(divide="ignore"):  # log(0) = -inf for an exact fit
        loglik = -0.5 * n * (np.log(rss_a) + 1 - math.log(n) + math.log(2 * math.pi))
        lwz = np.log(rss_a / (n - pstar)) + pstar * LWZ_C0 * math.log(n) ** (2 + LWZ_DELTA0) / n
    bic = -2 * loglik + math.log(n) * (k + 1) * (ms + 1)
    lwz_sc = -2 * loglik + LWZ_C0 * math.log(n) ** (2 + LWZ_DELTA0) * (k + 1) * (ms + 1)
    crit = {"BIC": bic, "LWZ": lwz, "LWZ-BP2003": lwz, "LWZ-strucchange": lwz_sc}[criterion]
    sel = int(np.argmin(crit))
    iv_dates = d.labels if d.labels is not None else d.dates
    ci = break_confint(d.y, d.X, bps[sel], iv_dates, level=level) if sel > 0 else None
    return BreakpointsResult(
        nobs=n,
        nreg=k,
        h=hh,
        max_breaks=max_breaks,
        dates=tuple(float(v) for v in d.dates),
        response=d.response,
        regressors=d.regressors,
        rss=tuple(float(v) for v in rss_a),
        loglik=tuple(float(v) for v in loglik),
        bic=tuple(float(v) for v in bic),
        lwz=tuple(float(v) for v in lwz),
        lwz_strucchange=tuple(float(v) for v in lwz_sc),
        break_positions_by_m=tuple(bps),
        criterion=criterion,
        selected=sel,
        intervals=ci,
        options={"h": h, "h_obs": hh, "max_breaks": max_breaks, "criterion": criterion, "level": level},
        y=d.y,
        X=d.X,
        date_labels=tuple(d.labels) if d.labels is not None else None,
    )
