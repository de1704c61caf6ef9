"""Bai (1997) confidence intervals for break dates, as strucchange ``confint(breakpoints)``.

The intervals are asymptotic: they assume a break whose magnitude is small relative to the
sample size but large relative to the noise (Bai's shrinking-shift asymptotics) and
stationary regressors with stable moments within each regime.  A trend regressor (``t``)
violates the second assumption, and a short series with a modest break the first, so their
coverage there is not the nominal one; every :class:`~ewp_stats.engines.breaks.confint.BreakConfint` carries this ``caveat``.
:func:`~ewp_stats.engines.breaks.break_date_set` gives a bootstrap confidence set for the date
of a single break (trend models included) that does not rest on them.

References
----------
Bai, J. (1997). Estimation of a change point in multiple regression models.
*Review of Economics and Statistics* 79(4), 551-563.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import log_ndtr

from ewp_stats._results import Result
from ewp_stats.engines.breaks._validate import dates_of, labels_of
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.errors import InputError

__all__ = ["BAI1997_CAVEAT", "BreakConfint", "break_confint", "pargmaxv"]

#: What Bai (1997) intervals assume; carried by every :class:`~ewp_stats.engines.breaks.confint.BreakConfint`.
BAI1997_CAVEAT = (
    "Bai (1997) intervals are asymptotic: they assume a large break magnitude relative to the noise "
    "and stationary regressors; a trend regressor violates the latter, so coverage in short trending "
    "series is not the nominal level (see break_date_set for a bootstrap alternative)"
)


@dataclass(frozen=True)
class BreakConfint(Result):
    """Confidence intervals for break dates (Bai 1997), as strucchange ``confint``.

    Attributes
    ----------
    level
        Confidence level.
    break_positions, lower_positions, upper_positions
        The breaks and the interval bounds as 1-based break positions (strucchange's
        ``confint(...)$confint``); bounds may lie outside 1..n, and are NaN where the
        interval cannot be computed.
    break_dates, lower_dates, upper_dates
        The matching dates (bounds extrapolated for equally spaced dates).
    lower_raw, upper_raw
        The unrounded distances (in observations) before ``ceiling``/``floor``.
    het_reg, het_err
        Whether regressor moments and error variances may differ between segments.
    notes
        Intervals that could not be computed, and why.
    caveat
        The assumptions behind the intervals (a large break, stationary regressors), shown in
        ``summary()``.
    """

    _title: ClassVar[str] = "Break-date confidence intervals"

    level: float
    break_positions: tuple[int, ...]
    lower_positions: tuple[float, ...]
    upper_positions: tuple[float, ...]
    break_dates: tuple[float, ...]
    lower_dates: tuple[float, ...]
    upper_dates: tuple[float, ...]
    lower_raw: tuple[float, ...]
    upper_raw: tuple[float, ...]
    het_reg: bool
    het_err: bool
    notes: tuple[str, ...] = ()
    caveat: str = BAI1997_CAVEAT

    def to_frame(self) -> pd.DataFrame:
        """One row per break: position, date, interval dates and interval positions."""
        a = (1 - self.level) / 2
        return pd.DataFrame(
            {
                "break_position": self.break_positions,
                "break_date": self.break_dates,
                f"lower_{100 * a:g}%": self.lower_dates,
                f"upper_{100 * (1 - a):g}%": self.upper_dates,
                "lower_position": self.lower_positions,
                "upper_position": self.upper_positions,
            },
            index=pd.RangeIndex(1, len(self.break_positions) + 1, name="break"),
        )

    def summary(self) -> str:
        """The level and options, the interval table and any notes."""
        head = (
            f"{100 * self.level:g}% confidence intervals for break dates (Bai 1997; "
            f"het.reg={self.het_reg}, het.err={self.het_err})\n"
        )
        body = self.to_frame().to_string(float_format=lambda x: f"{x:g}")
        return head + body + "".join(f"\n  note: {n}" for n in self.notes) + f"\n  caveat: {self.caveat}"

# ---------------------------------------------------------------------------
# Bai (1997) confidence intervals
# ---------------------------------------------------------------------------
def pargmaxv(x: float, *, xi: float = 1.0, phi1: float = 1.0, phi2: float = 1.0) -> float:
    """CDF of the argmax of the two-sided Brownian motion with drift (Bai 1997).

    Same closed form as ``strucchange:::pargmaxV``; ``xi`` is the ratio of the
    regressor second moments and ``phi1``, ``phi2`` the error scales before and
    after the break.
    """
    phi = xi * (phi2 / phi1) ** 2
    ax = abs(x)
    if x < 0:
        frac = xi / phi
        return float(
            -math.exp(math.log(ax) / 2 - ax / 8 - math.log(2 * math.pi) / 2)
            - (phi / xi * (phi + 2 * xi) / (phi + xi))
            * math.exp(frac * (1 + frac) * ax / 2 + log_ndtr(-(0.5 + frac) * math.sqrt(ax)))
            + math.exp(
                math.log(ax / 2 - 2 + ((phi + 2 * xi) ** 2) / ((phi + xi) * xi)) + log_ndtr(-math.sqrt(ax) / 2)
            )
        )
    frac = xi**2 / phi
    with np.errstate(divide="ignore"):
        t1 = math.sqrt(frac) * math.exp(math.log(ax) / 2 - frac * ax / 8 - math.log(2 * math.pi) / 2) if ax > 0 else 0.0
    return float(
        1
        + t1
        + (xi / phi * (2 * phi + xi) / (phi + xi))
        * math.exp((phi + xi) * ax / 2 + log_ndtr(-(phi + xi / 2) / math.sqrt(phi) * math.sqrt(ax)))
        - math.exp(math.log(((2 * phi + xi) ** 2) / ((phi + xi) * phi) - 2 + frac * ax / 2)
                   + log_ndtr(-math.sqrt(frac) * math.sqrt(ax) / 2))
    )


def break_confint(
    y: np.ndarray,
    X: np.ndarray,
    break_positions: Sequence[int],
    dates: np.ndarray,
    *,
    level: float = 0.95,
    het_reg: bool = True,
    het_err: bool = True,
) -> BreakConfint:
    """Bai (1997) confidence intervals for breaks at given positions.

    Parameters
    ----------
    y, X
        Validated response (n,) and regressors (n, k).
    break_positions
        1-based positions of the last observation before each break, increasing.
    dates
        Observation dates (n,), or a ``PeriodIndex``/``DatetimeIndex`` of length n (the
        dates in the result are then periods/timestamps, extrapolated for equally spaced
        labels and ``NaT`` where undefined).
    level
        Confidence level in (0, 1).
    het_reg, het_err
        Allow the regressor moments / error variances to differ between segments.

    Returns
    -------
    BreakConfint

    Raises
    ------
    InputError
        A level outside (0, 1) or no breaks.

    Notes
    -----
    The intervals assume a large break magnitude (relative to the noise) and stationary
    regressors (Bai 1997); a trend regressor violates the latter, so with ``X = [1, t]`` their
    coverage is not the nominal one.  The result says so in its ``caveat``; see
    :func:`~ewp_stats.engines.breaks.break_date_set` for a bootstrap confidence set.

    Follows ``strucchange:::confint.breakpointsfull`` line by line (without the
    ``vcov.`` option): the interval for break ``i`` uses the coefficient change
    ``delta``, the regressor moment matrices ``Q`` and error variances of the
    adjacent segments (``het_reg``/``het_err`` allow them to differ between
    segments; both ``True`` by default as in strucchange), and quantiles of the
    limiting distribution :func:`pargmaxv` found by root search.  The lower
    bound is ``bp - ceiling(upper root)``, the upper ``bp - floor(lower root)``.
    Where ``P(argmax V <= 0)`` is outside ``(a/2, 1 - a/2)`` the interval is NaN
    (strucchange warns).  It is also NaN, with a note, where the interval is
    undefined: a zero error variance in an adjacent segment (a noise-free fit), or
    a non-positive ``delta' Q delta`` (regressors numerically collinear in a segment).
    """
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1); got {level!r}")
    bps = tuple(int(b) for b in break_positions)
    if len(bps) == 0:
        raise InputError("cannot compute confidence intervals for zero breaks")
    n = y.shape[0]
    labels = None
    if isinstance(dates, (pd.PeriodIndex, pd.DatetimeIndex)):
        labels, dates = dates, np.arange(1, n + 1, dtype=float)
    a2 = (1 - level) / 2
    bounds = [0, *bps, n]
    resid = np.empty(n)
    fits = []
    for i in range(len(bounds) - 1):
        s, e = bounds[i], bounds[i + 1]
        c, r = segment_fit(y[s:e], X[s:e])
        resid[s:e] = r
        fits.append((c, r, X[s:e]))
    sigma_all = float(resid @ resid) / n
    Q_all = X.T @ X / n
    lower_raw, upper_raw, lo, up, notes = [], [], [], [], []

    def seg_moments(j: int) -> tuple[np.ndarray, float]:
        c, r, Xs = fits[j]
        Q = Xs.T @ Xs / Xs.shape[0] if het_reg else Q_all
        s2 = float(r @ r) / Xs.shape[0] if het_err else sigma_all
        return Q, s2

    for i in range(1, len(bounds) - 1):
        Q1, s1 = seg_moments(i - 1)
        Q2, s2 = seg_moments(i)
        if not het_reg:
            Q1 = Q2 = Q_all
        delta = fits[i][0] - fits[i - 1][0]
        qp1 = float(delta @ Q1 @ delta)
        qp2 = float(delta @ Q2 @ delta)
        xi = (qp2 / qp1 if qp1 != 0 else float("nan")) if het_reg else 1.0
        phi1, phi2 = math.sqrt(s1), math.sqrt(s2)
        bp = bounds[i]
        why = None
        if not (s1 > 0 and s2 > 0):
            why = "the error variance is zero in an adjacent segment (a noise-free fit)"
        elif not (qp1 > 0 and qp2 > 0 and math.isfinite(xi)):
            why = "delta' Q delta is not positive (regressors numerically collinear in a segment)"
        p0 = pargmaxv(0.0, xi=xi, phi1=phi1, phi2=phi2) if why is None else float("nan")
        if why is None and (not math.isfinite(p0) or p0 < a2 or p0 > 1 - a2):
            why = f"P(argmax V <= 0) = {p0:.4f}"
        if why is not None:
            notes.append(f"interval {i} cannot be computed: {why}")
            lower_raw.append(float("nan"))
            upper_raw.append(float("nan"))
            lo.append(float("nan"))
            up.append(float("nan"))
            continue
        ub = lb = 0.0
        while pargmaxv(ub, xi=xi, phi1=phi1, phi2=phi2) < 1 - a2:
            ub += 1000
        while pargmaxv(lb, xi=xi, phi1=phi1, phi2=phi2) > a2:
            lb -= 1000
        f = lambda x, target: pargmaxv(x, xi=xi, phi1=phi1, phi2=phi2) - target  # noqa: E731
        r_up = optimize.brentq(f, 0.0, ub, args=(1 - a2,), xtol=1e-12, rtol=1e-14, maxiter=500)
        r_lo = optimize.brentq(f, lb, 0.0, args=(a2,), xtol=1e-12, rtol=1e-14, maxiter=500)
        scale = phi1**2 / qp1
        upper_raw.append(r_up * scale)
        lower_raw.append(r_lo * scale)
        lo.append(float(bp - math.ceil(r_up * scale)))
        up.append(float(bp - math.floor(r_lo * scale)))
    return BreakConfint(
        level=level,
        break_positions=bps,
        lower_positions=tuple(lo),
        upper_positions=tuple(up),
        break_dates=labels_of(bps, labels) if labels is not None else dates_of(bps, dates),
        lower_dates=labels_of(lo, labels) if labels is not None else dates_of(lo, dates),
        upper_dates=labels_of(up, labels) if labels is not None else dates_of(up, dates),
        lower_raw=tuple(lower_raw),
        upper_raw=tuple(upper_raw),
        het_reg=het_reg,
        het_err=het_err,
        notes=tuple(notes),
    )
