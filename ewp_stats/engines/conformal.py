"""Conformal inference for a synthetic control (Chernozhukov, Wuethrich and Zhu 2021).

Under the null that the effect in post year ``t`` is ``theta``, the treated unit's outcome without
the programme is known in that year (``y_t - theta``). The synthetic control is refitted on the
pre-period and that year together, which treats all these years alike, and the residual of year
``t`` is ranked among the residuals of all of them (the moving-block permutations of the paper
with one post year): ``p(theta)`` is the share of years whose absolute residual is at least year
``t``'s. The pointwise interval collects the ``theta`` not rejected at level ``alpha``.
For the whole path (no effect in any post year, or a given path) the statistic is the mean
absolute post-period residual and the permutations are the cyclic shifts of all years.

With ``T0`` pre-period years the smallest attainable pointwise p-value is ``1 / (T0 + 1)``; a level
whose ``alpha`` is below it cannot reject anything, and is refused.

References
----------
Chernozhukov, V., Wuethrich, K. and Zhu, Y. (2021). An exact and robust conformal inference method
for counterfactual and synthetic controls. *Journal of the American Statistical Association*
116(536), 1849-1864.

Verified against ``pysyncon`` 1.7.0 ``ConformalInference`` for its variant without refitting (the
weights then come from the pre-period alone) in ``tests/engines/test_conformal.py``; the refitted
test is checked for its size on simulated exchangeable panels and on a planted effect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result, fmt
from ewp_stats._typing import YearRange
from ewp_stats.engines.panel import validate_design
from ewp_stats.engines.synth import simplex_lstsq
from ewp_stats.errors import InputError

__all__ = ["ConformalResult", "conformal_intervals", "conformal_pvalue", "path_pvalue"]


@dataclass(frozen=True)
class ConformalResult(Result):
    """Pointwise conformal intervals for the effect path of a synthetic control.

    Attributes
    ----------
    treated
        The treated unit.
    post_years
        The post years, same order as the other tuples.
    gaps
        Treated minus synthetic control (weights fitted on the pre-period): the point estimates.
    lower, upper
        Interval endpoints: the first ``theta`` below and above the estimate rejected at ``1 - level``,
        to within ``tol``.
    pvalues_zero
        Pointwise p-value of no effect in each year.
    level
        Nominal level (the test has size at most ``1 - level`` under exchangeable errors).
    n_pre
        Number of pre-period years (the smallest pointwise p-value is ``1 / (n_pre + 1)``).
    refit
        Whether the weights were refitted under each null (the paper's method) or fixed.
    path_pvalue_zero
        Whole-path p-value of no effect in any post year.
    tol
        Accuracy of the endpoints.
    """

    _title: ClassVar[str] = "Conformal inference for the synthetic control (CWZ 2021)"

    treated: str
    post_years: tuple[int, ...]
    gaps: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    pvalues_zero: tuple[float, ...]
    level: float
    n_pre: int
    refit: bool
    path_pvalue_zero: float
    tol: float

    @property
    def min_pvalue(self) -> float:
        """The smallest attainable pointwise p-value, ``1 / (n_pre + 1)``."""
        return 1 / (self.n_pre + 1)

    def to_frame(self) -> pd.DataFrame:
        """One row per post year: gap, interval and the p-value of no effect."""
        return pd.DataFrame({"gap": self.gaps, "lower": self.lower, "upper": self.upper,
                             "pvalue_zero": self.pvalues_zero}, index=pd.Index(self.post_years, name="year"))

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("treated unit", self.treated),
            ("level", f"{100 * self.level:.0f}% (pointwise; smallest p-value {fmt(self.min_pvalue)})"),
            ("weights", "refitted under each null" if self.refit else "fitted on the pre-period only"),
            ("p-value of no effect (whole path)", fmt(self.path_pvalue_zero)),
        ]


def _residuals(X: np.ndarray, y: np.ndarray, fit_rows: np.ndarray) -> np.ndarray:
    """``y - X w`` with simplex weights ``w`` fitted on the rows ``fit_rows``."""
    w, _ = simplex_lstsq(X[fit_rows], y[fit_rows])
    return y - X @ w


def conformal_pvalue(X: np.ndarray, y: np.ndarray, n_pre: int, theta: float, *, refit: bool = True) -> float:
    """Pointwise p-value of ``H0: effect = theta`` in the one post period of ``y``.

    Parameters
    ----------
    X
        Donor outcomes, shape (n_pre + 1, J): the pre-period rows, then the post period tested.
    y
        Treated unit's outcomes, length ``n_pre + 1``.
    n_pre
        Number of pre-period rows.
    theta
        Hypothesised effect in the post period.
    refit
        Refit the weights on all ``n_pre + 1`` rows with the post outcome set to ``y - theta``
        (CWZ); ``False`` keeps the pre-period weights.

    Returns
    -------
    float
        Share of the ``n_pre + 1`` periods whose absolute residual is at least the post period's.
    """
    y0 = np.array(y, dtype=float)
    y0[n_pre] -= theta
    rows = np.arange(n_pre + 1) if refit else np.arange(n_pre)
    u = np.abs(_residuals(X, y0, rows))
    return float(np.mean(u >= u[n_pre]))


def path_pvalue(X: np.ndarray, y: np.ndarray, n_pre: int, *, theta: float | Sequence[float] = 0.0) -> float:
    """Whole-path p-value of ``H0: effect_t = theta_t`` in every post period (refitted weights).

    The statistic is the mean absolute residual of the post periods; the permutations are the
    ``T`` cyclic shifts of all periods (moving blocks, CWZ section 2).
    """
    y0 = np.array(y, dtype=float)
    y0[n_pre:] -= np.broadcast_to(np.asarray(theta, dtype=float), y0[n_pre:].shape)
    u = np.abs(_residuals(X, y0, np.arange(len(y0))))
    n_t = len(u)
    idx = (np.arange(n_pre, n_t)[None, :] + np.arange(n_t)[:, None]) % n_t
    stats = u[idx].mean(axis=1)
    return float(np.mean(stats >= stats[0] - 1e-12 * max(1.0, abs(stats[0]))))


def _invert(pvalue: Callable[[float], float], start: float, step: float, alpha: float, tol: float,
            direction: float) -> float:
    """The first ``theta`` from ``start`` in ``direction`` with ``pvalue(theta) <= alpha``, to ``tol``."""
    inside, out = start, start + direction * step
    for _ in range(60):
        if pvalue(out) <= alpha:
            break
        inside, step = out, 2 * step
        out = start + direction * step
    else:  # pragma: no cover - a p-value that never falls means the residuals do not grow with theta
        raise InputError("the conformal p-value does not fall below alpha; the interval is unbounded")
    while abs(out - inside) > tol:
        mid = 0.5 * (inside + out)
        inside, out = (mid, out) if pvalue(mid) > alpha else (inside, mid)
    return out


def conformal_intervals(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    level: float = 0.9,
    refit: bool = True,
    tol: float | None = None,
) -> ConformalResult:
    """Pointwise conformal intervals for each post year, and the whole-path test of no effect.

    Parameters
    ----------
    panel, treated, donors, pre_period, post_period
        As in :func:`~ewp_stats.engines.synth.synth_control` (more donors than years are allowed).
    level
        Confidence level; ``1 - level`` must be at least ``1 / (T0 + 1)``.
    refit
        Refit the weights under each null (default, CWZ) or keep the pre-period weights.
    tol
        Accuracy of the endpoints; default one thousandth of the pre-period RMSPE.

    Returns
    -------
    ConformalResult

    Raises
    ------
    InputError
        A bad design, or a level the pre-period is too short for.

    Notes
    -----
    The test is exact when the errors of the counterfactual model are exchangeable over years
    (CWZ Theorem 1) and approximately valid under weak dependence with a consistent estimator;
    with ten-odd pre-period years neither can be checked. The endpoints are the first rejections
    outward from the estimate (the accepted set is assumed to be an interval). With more donors
    than years the refitted weights can absorb much of a hypothesised effect, so the exact test
    has little power; the fixed-weight variant (``refit=False``) is then anti-conservative, since
    pre-period residuals of an overfitted control understate post-period errors. Whole-path
    intervals (a constant effect) are not offered: with refitting the accepted set need not be an
    interval.
    """
    validate_design(panel, treated, donors, pre_period, post_period, allow_more_donors_than_periods=True)
    (p0, p1), (q0, q1) = pre_period, post_period
    n_pre = p1 - p0 + 1
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1), got {level!r}")
    alpha = 1 - level
    if alpha < 1 / (n_pre + 1):
        raise InputError(f"a {100 * level:g}% conformal interval needs at least {int(np.ceil(1 / alpha)) - 1} "
                         f"pre-period years; {p0}-{p1} has {n_pre} (smallest p-value 1/{n_pre + 1}). "
                         "Lower the level")
    years = list(range(p0, q1 + 1))
    X = panel.loc[years, list(donors)].to_numpy(dtype=float)
    y = panel.loc[years, treated].to_numpy(dtype=float)
    gap = _residuals(X, y, np.arange(n_pre))
    pre_rmspe = float(np.sqrt(np.mean(gap[:n_pre] ** 2)))
    tol = 1e-3 * max(pre_rmspe, 1e-12) if tol is None else float(tol)
    step = max(pre_rmspe, 10 * tol)
    lower, upper, p_zero = [], [], []
    for k in range(n_pre, len(years)):
        rows = [*range(n_pre), k]
        Xk, yk = X[rows], y[rows]

        def pv(theta: float, Xk: np.ndarray = Xk, yk: np.ndarray = yk) -> float:
            return conformal_pvalue(Xk, yk, n_pre, theta, refit=refit)

        lower.append(_invert(pv, gap[k], step, alpha, tol, -1.0))
        upper.append(_invert(pv, gap[k], step, alpha, tol, 1.0))
        p_zero.append(pv(0.0))
    return ConformalResult(
        treated=treated, post_years=tuple(range(q0, q1 + 1)), gaps=tuple(float(v) for v in gap[n_pre:]),
        lower=tuple(float(v) for v in lower), upper=tuple(float(v) for v in upper),
        pvalues_zero=tuple(p_zero), level=level, n_pre=n_pre, refit=refit,
        path_pvalue_zero=path_pvalue(X, y, n_pre, theta=0.0), tol=tol,
    )
