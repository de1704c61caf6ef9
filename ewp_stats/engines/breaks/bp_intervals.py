"""Bai-Perron confidence intervals for break dates as R mbreaks 1.0.1 computes them
(``interval``, ``cvg``, ``funcg``), with its HAC and heterogeneity options.

The limiting distribution is Bai's (1997) for shrinking shifts, allowing the regressor moments
(``het_q``, mbreaks ``hetq``) and the error variance or long-run covariance (``het_omega``,
mbreaks ``hetomega``) to differ on the two sides of a break; with ``robust`` the latter is
mbreaks' HAC estimate (:func:`~ewp_stats.engines.breaks.hac.long_run_covariance`).  The
strucchange form without HAC is :func:`~ewp_stats.engines.breaks.confint.break_confint`.

References
----------
Bai, J. (1997). Estimation of a change point in multiple regression models.
*Review of Economics and Statistics* 79(4), 551-563.

Bai, J. and Perron, P. (1998). Estimating and testing linear models with multiple structural
changes. *Econometrica* 66(1), 47-78.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from scipy.stats import norm

from ewp_stats.engines.breaks._validate import (
    check_full_rank,
    dates_of,
    labels_of,
    prepare,
)
from ewp_stats.engines.breaks.confint import BreakConfint
from ewp_stats.engines.breaks.hac import long_run_covariance
from ewp_stats.engines.breaks.partial import diag_par
from ewp_stats.errors import InputError

__all__ = ["bai_perron_confint", "break_date_quantile"]


def _funcg(x: float, bet: float, alph: float, b: float, deld: float, gam: float) -> float:
    """mbreaks ``funcg``: CDF of the limiting break-date distribution at ``x``."""
    if x <= 0:
        xb = bet * math.sqrt(abs(x))
        if abs(xb) <= 30:
            return float(
                -math.sqrt(-x / (2 * math.pi)) * math.exp(x / 8)
                - (bet / alph) * math.exp(-alph * x) * norm.cdf(-bet * math.sqrt(abs(x)))
                + ((2 * bet * bet / alph) - 2 - x / 2) * norm.cdf(-math.sqrt(abs(x)) / 2)
            )
        aa = math.log(bet / alph) - alph * x - xb**2 / 2 - math.log(math.sqrt(2 * math.pi)) - math.log(xb)
        return float(
            -math.sqrt(-x / (2 * math.pi)) * math.exp(x / 8)
            - math.exp(aa) * norm.cdf(-math.sqrt(abs(x)) / 2)
            + ((2 * bet * bet / alph) - 2 - x / 2) * norm.cdf(-math.sqrt(abs(x)) / 2)
        )
    xb = deld * math.sqrt(x)
    if abs(xb) <= 30:
        return float(
            1
            + (b / math.sqrt(2 * math.pi)) * math.sqrt(x) * math.exp(-b * b * x / 8)
            + (b * deld / gam) * math.exp(gam * x) * norm.cdf(-deld * math.sqrt(x))
            + (2 - b * b * x / 2 - 2 * deld * deld / gam) * norm.cdf(-b * math.sqrt(x) / 2)
        )
    aa = math.log(b * deld / gam) + gam * x - xb**2 / 2 - math.log(math.sqrt(2 * math.pi)) - math.log(xb)
    return float(
        1
        + (b / math.sqrt(2 * math.pi)) * math.sqrt(x) * math.exp(-b * b * x / 8)
        + math.exp(aa)
        + (2 - b * b * x / 2 - 2 * deld * deld / gam) * norm.cdf(-b * math.sqrt(x) / 2)
    )


def break_date_quantile(prob: float, *, eta: float, phi1s: float, phi2s: float) -> tuple[float, bool]:
    """Quantile of the limiting break-date distribution (mbreaks ``cvg``, one level).

    Bisection on [-2000, 2000] until the CDF is within 1e-6 of ``prob``, at most 99 steps,
    exactly as mbreaks.  Returns the quantile and whether the bisection converged.
    """
    a = phi1s / phi2s
    gam = ((phi2s / phi1s) + 1) * eta / 2
    b = math.sqrt(phi1s * eta / phi2s)
    deld = math.sqrt(phi2s * eta / phi1s) + b / 2
    alph = a * (1 + a) / 2
    bet = (1 + 2 * a) / 2
    upb, lwb, crit, cct, xx = 2000.0, -2000.0, 999999.0, 1, 0.0
    while abs(crit) >= 1e-6:
        cct += 1
        if cct > 100:
            return xx, False
        xx = lwb + (upb - lwb) / 2
        crit = _funcg(xx, bet, alph, b, deld, gam) - prob
        if crit <= 0:
            lwb = xx
        else:
            upb = xx
    return xx, True


def bai_perron_confint(
    y: Any,
    X: Any,
    break_positions: Sequence[int],
    *,
    fixed: Any = None,
    level: float = 0.95,
    robust: bool = False,
    prewhit: bool = False,
    het_omega: bool = True,
    het_q: bool = True,
    dates: Any = None,
) -> BreakConfint:
    """Confidence intervals for break dates as R mbreaks 1.0.1 (``interval``).

    Parameters
    ----------
    y, X
        Response and breaking regressors (``X = None``: intercept only; mbreaks ``z``).
    break_positions
        1-based last observations of each regime but the last, increasing (e.g. the
        ``break_positions`` of :func:`~ewp_stats.engines.breaks.bai_perron_tests`).
    fixed
        Fixed-coefficient regressors (mbreaks ``x``), included in the fit of the residuals.
    level
        Confidence level; mbreaks reports 0.95 and 0.90.
    robust, prewhit
        Long-run covariance of ``z_t u_t`` by mbreaks' HAC estimate (optionally prewhitened)
        instead of the error variance.
    het_omega, het_q
        Error variance / long-run covariance (mbreaks ``hetomega``) and regressor moments
        (``hetq``) estimated separately on the two sides of each break (``True``, mbreaks'
        default) or from the full sample.
    dates
        Observation dates (as :func:`~ewp_stats.engines.breaks.breakpoints`).

    Returns
    -------
    BreakConfint
        Bounds as 1-based break positions and dates; ``het_reg``/``het_err`` hold
        ``het_q``/``het_omega``; ``lower_raw``/``upper_raw`` the unrounded quantiles divided
        by the scale (the bounds are ``round(b - upper_raw)`` and ``round(b - lower_raw) + 1``).

    Raises
    ------
    InputError
        No or unsorted break positions, a regime without observations, a level outside (0, 1),
        ``prewhit`` without ``robust`` or collinear regressors.

    Notes
    -----
    Verified against R mbreaks 1.0.1 ``interval()`` (tests/r/mbreaks_partial_reference.R) for
    all four ``hetomega``/``hetq`` combinations, with and without ``robust``/``prewhit`` and
    fixed regressors.  One deliberate difference: mbreaks 1.0.1 adds the ``+ 1`` of the upper
    bounds to *every* row of its table once per break, so with m breaks the upper bound of
    break ``i`` comes out ``m - i`` observations later than its own formula; here each bound
    gets it once (equal to mbreaks for the last break and for m = 1).  The intervals rest on
    the shrinking-shift asymptotics: with few observations per regime or large shifts they can
    be too narrow or too wide, and a break date at a regime's edge is not covered well.
    """
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1); got {level!r}")
    if prewhit and not robust:
        raise InputError("prewhit=True only applies to the HAC estimate; pass robust=True as well")
    d = prepare(y, X, dates)
    yv, Z = d.y, d.X
    T, q = Z.shape
    bps = [int(b) for b in break_positions]
    if not bps or any(b1 >= b2 for b1, b2 in pairwise([0, *bps, T])):
        raise InputError(
            f"break_positions must be increasing positions in 1..{T - 1}; got {list(break_positions)!r}"
        )
    W = None
    if fixed is not None:
        W = prepare(yv, fixed).X
        check_full_rank(np.column_stack([W, Z]), tuple(f"x{j + 1}" for j in range(W.shape[1])) + d.regressors)
    else:
        check_full_rank(Z, d.regressors)
    m = len(bps)
    zbar = diag_par(Z, bps)
    full = zbar if W is None else np.column_stack([zbar, W])
    coef = np.linalg.solve(full.T @ full, full.T @ yv)
    res = yv - full @ coef
    delta = coef[: (m + 1) * q]
    bf = [0, *bps, T]
    a2 = (1 - level) / 2
    lo, up, lo_raw, up_raw = [], [], [], []
    notes = [
        f"mbreaks interval(): het.reg = hetq = {bool(het_q)}, het.err = hetomega = {bool(het_omega)}, "
        f"robust = {bool(robust)}, prewhit = {bool(prewhit)}" + (", fixed regressors" if W is not None else "")
    ]
    for i in range(1, m + 1):
        delv = delta[i * q : (i + 1) * q] - delta[(i - 1) * q : i * q]
        left, right = slice(bf[i - 1], bf[i]), slice(bf[i], bf[i + 1])
        if het_q:
            qmat = Z[left].T @ Z[left] / (bf[i] - bf[i - 1])
            qmat1 = Z[right].T @ Z[right] / (bf[i + 1] - bf[i])
        else:
            qmat = qmat1 = Z.T @ Z / T
        dq = float(delv @ qmat @ delv)
        eta = float(delv @ qmat1 @ delv) / dq
        if not robust:
            if het_omega:
                phi1s = float(res[left] @ res[left]) / (bf[i] - bf[i - 1])
                phi2s = float(res[right] @ res[right]) / (bf[i + 1] - bf[i])
            else:
                phi1s = phi2s = float(res @ res) / T
            scale = dq / phi1s
        else:
            if het_omega:
                om = long_run_covariance(Z[left], res[left], prewhit=prewhit)
                om1 = long_run_covariance(Z[right], res[right], prewhit=prewhit)
            else:
                om = om1 = long_run_covariance(Z, res, prewhit=prewhit)
            phi1s = float(delv @ om @ delv) / dq
            phi2s = float(delv @ om1 @ delv) / dq
            scale = dq**2 / float(delv @ om @ delv)
        c_lo, ok_lo = break_date_quantile(a2, eta=eta, phi1s=phi1s, phi2s=phi2s)
        c_hi, ok_hi = break_date_quantile(1 - a2, eta=eta, phi1s=phi1s, phi2s=phi2s)
        if not (ok_lo and ok_hi):
            msg = f"interval {i}: the quantile search did not converge (as mbreaks warns); the bounds are unreliable"
            notes.append(msg)
            warnings.warn(msg, RuntimeWarning, stacklevel=2)
        b = bf[i]
        lo_raw.append(c_lo / scale)
        up_raw.append(c_hi / scale)
        lo.append(float(np.round(b - c_hi / scale)))
        up.append(float(np.round(b - c_lo / scale) + 1))
    return BreakConfint(
        level=level,
        break_positions=tuple(bps),
        lower_positions=tuple(lo),
        upper_positions=tuple(up),
        break_dates=labels_of(bps, d.labels) if d.labels is not None else dates_of(bps, d.dates),
        lower_dates=labels_of(lo, d.labels) if d.labels is not None else dates_of(lo, d.dates),
        upper_dates=labels_of(up, d.labels) if d.labels is not None else dates_of(up, d.dates),
        lower_raw=tuple(lo_raw),
        upper_raw=tuple(up_raw),
        het_reg=bool(het_q),
        het_err=bool(het_omega),
        notes=tuple(notes),
    )
