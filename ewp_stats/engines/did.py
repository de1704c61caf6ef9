"""Difference-in-differences for a single treated unit, with inference that suits one treated unit.

With one treated unit, cluster-robust standard errors are not valid: the
treated unit's own idiosyncratic change does not average out. This module
reports three kinds of uncertainty for the estimate

    beta = (mean_post(y_T) - mean_pre(y_T)) - (mean_post(ybar_C) - mean_pre(ybar_C)),

where ``ybar_C`` is the equally weighted mean of the control units (with a
balanced panel this equals the two-way fixed-effects OLS estimate):

1. **Conley-Taber (2011)**: the distribution of the treated unit's noise is
   estimated from the control units' own pre/post changes relative to the
   control mean. Reported both as the non-parametric interval from order
   statistics (its exact coverage is stated, since with J controls only the
   levels (J + 1 - 2k) / (J + 1) are attainable) and as a t-interval that
   assumes normal, homoskedastic unit noise (``beta_hat +- t_{J-1} s sqrt(1 + 1/J)``).
2. **Permutation (placebo in space)**: each control is treated as if it were
   the treated unit (against the other controls); the p-value is the share of
   units whose absolute estimate is at least the treated unit's.
3. **Time-series** intervals for the mean yearly gap (treated minus control mean)
   before and after, and a Welch interval for their difference. These treat the
   yearly gaps as independent draws and ignore cross-sectional uncertainty.

References
----------
Conley, T. G. and Taber, C. R. (2011). Inference with "difference in differences"
with a small number of policy changes. *Review of Economics and Statistics* 93(1), 113-125.
Abadie, A., Diamond, A. and Hainmueller, J. (2010). Synthetic control methods for
comparative case studies. *JASA* 105(490), 493-505 (placebo-in-space logic).
Ferman, B. and Pinto, C. (2019). Inference in differences-in-differences with few
treated groups and heteroskedasticity. *Review of Economics and Statistics* 101(3), 452-467.

The point estimate equals ``statsmodels`` OLS with unit and year fixed effects
on the balanced panel (checked in ``tests/engines/test_synth.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ewp_stats._results import Result, fmt
from ewp_stats._typing import YearRange
from ewp_stats.engines.panel import validate_design
from ewp_stats.errors import InputError

__all__ = ["DidResult", "did_single_treated"]


@dataclass(frozen=True)
class DidResult(Result):
    """Difference-in-differences estimate for one treated unit.

    Attributes
    ----------
    treated, controls, outcome
        Treated unit, control units and outcome label.
    pre_period, post_period
        Inclusive year ranges.
    level
        Target confidence level of the intervals.
    pre_gap, post_gap
        Mean yearly gap (treated minus control mean) before and after.
    pre_gap_ci, post_gap_ci
        t-intervals of those means over the years.
    estimate
        ``post_gap - pre_gap`` (the DiD estimate).
    welch_ci
        Welch interval of ``estimate`` from the yearly gaps (time-series inference).
    ct_ci
        Conley-Taber t-interval (normal, homoskedastic unit noise).
    ct_se
        Its standard error ``s sqrt(1 + 1/J)``.
    ct_np_ci, ct_np_coverage
        Conley-Taber order-statistic interval and its exact nominal coverage.
    placebo_estimates
        DiD estimate of each control against the other controls (same order as ``controls``).
    permutation_rank, pvalue
        Number of units whose absolute estimate is >= the treated unit's, and that number
        divided by the number of units: the two-sided permutation p-value (placebo in space).
    years, gap_path
        The yearly gap (treated minus control mean).
    """

    _title: ClassVar[str] = "Difference-in-differences, one treated unit"

    treated: str
    controls: tuple[str, ...]
    outcome: str
    pre_period: YearRange
    post_period: YearRange
    level: float
    pre_gap: float
    post_gap: float
    pre_gap_ci: tuple[float, float]
    post_gap_ci: tuple[float, float]
    estimate: float
    welch_ci: tuple[float, float]
    ct_ci: tuple[float, float]
    ct_se: float
    ct_np_ci: tuple[float, float]
    ct_np_coverage: float
    placebo_estimates: tuple[float, ...]
    permutation_rank: int
    pvalue: float
    years: tuple[int, ...]
    gap_path: tuple[float, ...]

    @property
    def n_units(self) -> int:
        return len(self.controls) + 1

    @property
    def ct_np_bounding_controls(self) -> tuple[str, str]:
        """The two controls whose residuals fix the order-statistic interval, (lower end, upper end).

        The interval is ``estimate - eta_(J+1-k)`` to ``estimate - eta_(k)``; each end is set by one
        control's residual ``eta_j``. With one treated unit and few controls ``k`` is 1, so the
        interval is fixed by the two most extreme controls (the largest and the smallest change)
        and says nothing that these two provinces do not. The placebo estimates are
        ``J / (J - 1)`` times the residuals, so they have the same order.
        """
        j = len(self.controls)
        k = int(round((j + 1) * (1 - self.ct_np_coverage) / 2))
        order = np.argsort(np.asarray(self.placebo_estimates), kind="mergesort")
        return self.controls[order[j - k]], self.controls[order[k - 1]]

    def to_frame(self) -> pd.DataFrame:
        """One row per quantity: estimate and interval, with the inference method."""
        pct = f"{100 * self.level:g}%"
        rows = [
            ("pre-period gap", self.pre_gap, *self.pre_gap_ci, f"t over years, {pct}"),
            ("post-period gap", self.post_gap, *self.post_gap_ci, f"t over years, {pct}"),
            ("DiD", self.estimate, *self.welch_ci, f"Welch over years, {pct}"),
            ("DiD", self.estimate, *self.ct_ci, f"Conley-Taber t, {pct}"),
            ("DiD", self.estimate, *self.ct_np_ci, f"Conley-Taber order statistics, {100 * self.ct_np_coverage:.1f}%"),
        ]
        return pd.DataFrame(rows, columns=["quantity", "estimate", "lower", "upper", "method"])

    def placebo_frame(self) -> pd.DataFrame:
        """DiD estimate of every unit against the controls (treated first)."""
        return pd.DataFrame(
            {"estimate": [self.estimate, *self.placebo_estimates]},
            index=pd.Index([self.treated, *self.controls], name="unit"),
        ).assign(is_treated=lambda d: d.index == self.treated)

    def _rows(self) -> list[tuple[str, str]]:
        ci = lambda c: f"[{fmt(c[0])}, {fmt(c[1])}]"  # noqa: E731
        pct = f"{100 * self.level:g}%"
        return [
            ("treated unit", self.treated),
            ("controls", f"{len(self.controls)}: {', '.join(self.controls)}"),
            ("outcome", self.outcome),
            ("pre / post", f"{self.pre_period[0]}-{self.pre_period[1]} / {self.post_period[0]}-{self.post_period[1]}"),
            (f"pre-period gap ({pct} CI over years)", f"{fmt(self.pre_gap)} {ci(self.pre_gap_ci)}"),
            (f"post-period gap ({pct} CI over years)", f"{fmt(self.post_gap)} {ci(self.post_gap_ci)}"),
            ("DiD estimate", fmt(self.estimate)),
            (f"  Conley-Taber t {pct} CI", ci(self.ct_ci)),
            (f"  Conley-Taber order-stat CI ({100 * self.ct_np_coverage:.1f}%)", ci(self.ct_np_ci)),
            (f"  Welch {pct} CI (yearly gaps)", ci(self.welch_ci)),
            ("  permutation p (|DiD|, placebo in space)",
             f"{fmt(self.pvalue)} (rank {self.permutation_rank} of {self.n_units})"),
        ]


def _t_ci(x: np.ndarray, level: float) -> tuple[float, float]:
    n = len(x)
    m, se = float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(n))
    q = float(stats.t.ppf(0.5 + level / 2, n - 1))
    return m - q * se, m + q * se


def _order_stat_ci(estimate: float, eta: np.ndarray, level: float) -> tuple[tuple[float, float], float]:
    """Conley-Taber interval from order statistics of the control residuals."""
    j = len(eta)
    srt = np.sort(eta)
    # largest k (most central pair) whose coverage (J + 1 - 2k) / (J + 1) still reaches the level
    k = 1
    while k + 1 <= j // 2 and (j + 1 - 2 * (k + 1)) / (j + 1) >= level:
        k += 1
    coverage = (j + 1 - 2 * k) / (j + 1)
    lo_eta, hi_eta = srt[k - 1], srt[j - k]
    return (float(estimate - hi_eta), float(estimate - lo_eta)), float(coverage)


def did_single_treated(
    panel: pd.DataFrame,
    treated: str,
    controls: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    outcome: str = "outcome",
    level: float = 0.95,
) -> DidResult:
    """Difference-in-differences of one treated unit against equally weighted controls.

    Parameters
    ----------
    panel
        Wide panel: index year (int), one column per unit.
    treated
        The treated unit.
    controls
        Control units (must not include ``treated``); at least 3 for the Conley-Taber interval.
    pre_period, post_period
        Inclusive year ranges.
    outcome
        Label of the outcome (e.g. "real GDP growth, percent").
    level
        Confidence level of the intervals.

    Returns
    -------
    DidResult

    Raises
    ------
    InputError
        Treated unit not in the panel, controls that include the treated unit,
        missing years or values, fewer than 3 controls, or a level outside (0, 1).

    Notes
    -----
    Conley-Taber residuals: ``eta_j = (post_j - pre_j) - mean_C(post - pre)`` for each
    control ``j``. Under the assumption that the treated unit's noise is drawn
    from the same distribution as the controls' (no heteroskedasticity by unit
    size or volatility; see Ferman and Pinto 2019), ``beta_hat - beta`` is
    distributed like ``eta``.

    References
    ----------
    Conley and Taber (2011); Abadie, Diamond and Hainmueller (2010).
    """
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1), got {level}")
    validate_design(
        panel, treated, controls, pre_period, post_period, allow_more_donors_than_periods=True,
        pool_name="control group",
    )
    controls = list(controls)
    if len(controls) < 3:
        raise InputError(f"{len(controls)} control units given; at least 3 are needed for Conley-Taber inference")
    (p0, p1), (q0, q1) = pre_period, post_period
    sub = panel.loc[p0:q1, [treated, *controls]].astype(float)
    pre, post = sub.loc[p0:p1], sub.loc[q0:q1]
    change = post.mean() - pre.mean()  # per unit
    c_change = change[controls]
    estimate = float(change[treated] - c_change.mean())

    gap = sub[treated] - sub[controls].mean(axis=1)
    g_pre, g_post = gap.loc[p0:p1].to_numpy(), gap.loc[q0:q1].to_numpy()
    welch = stats.ttest_ind(g_post, g_pre, equal_var=False)
    welch_ci = welch.confidence_interval(confidence_level=level)

    eta = (c_change - c_change.mean()).to_numpy()
    n_c = len(controls)
    s = float(np.sqrt(np.sum(eta**2) / (n_c - 1)))
    se = s * np.sqrt(1 + 1 / n_c)
    q = float(stats.t.ppf(0.5 + level / 2, n_c - 1))
    np_ci, coverage = _order_stat_ci(estimate, eta, level)

    # each control against the other controls, all at once: change_c - (sum - change_c) / (J - 1)
    cc = c_change.to_numpy()
    placebo = [float(v) for v in cc - (cc.sum() - cc) / (n_c - 1)]
    all_est = np.abs(np.array([estimate, *placebo]))
    rank = int(np.sum(all_est >= abs(estimate) - 1e-12))

    return DidResult(
        treated=treated,
        controls=tuple(controls),
        outcome=outcome,
        pre_period=(p0, p1),
        post_period=(q0, q1),
        level=level,
        pre_gap=float(g_pre.mean()),
        post_gap=float(g_post.mean()),
        pre_gap_ci=_t_ci(g_pre, level),
        post_gap_ci=_t_ci(g_post, level),
        estimate=estimate,
        welch_ci=(float(welch_ci.low), float(welch_ci.high)),
        ct_ci=(float(estimate - q * se), float(estimate + q * se)),
        ct_se=float(se),
        ct_np_ci=np_ci,
        ct_np_coverage=coverage,
        placebo_estimates=tuple(placebo),
        permutation_rank=rank,
        pvalue=rank / (n_c + 1),
        years=tuple(int(y) for y in sub.index),
        gap_path=tuple(float(v) for v in gap.to_numpy()),
    )
