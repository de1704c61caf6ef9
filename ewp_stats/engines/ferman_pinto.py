"""Conley-Taber inference corrected for heteroskedasticity (Ferman and Pinto 2019), one treated unit.

Conley and Taber's interval takes the spread of the treated unit's error from the controls'
residuals, which assumes they are alike. When the error variance depends on a unit's size (a small
province's average is noisier), the controls say too little or too much about the treated unit.
Ferman and Pinto model the variance as ``var(eta | M) = A + B / M`` for a size ``M`` (e.g.
population), estimate ``A`` and ``B`` by regressing the controls' squared residuals on ``1 / M``,
and rescale each control's residual to the treated unit's size before taking order statistics:
``eta_j * sqrt(v(M_1) / v(M_j))``.

References
----------
Ferman, B. and Pinto, C. (2019). Inference in differences-in-differences with few treated groups and
heteroskedasticity. *Review of Economics and Statistics* 101(3), 452-467.
Conley, T. G. and Taber, C. R. (2011). Inference with "difference in differences" with a small
number of policy changes. *Review of Economics and Statistics* 93(1), 113-125.

Checked in ``tests/engines/test_ferman_pinto.py``: with a variance that does not depend on size the
interval is Conley-Taber's; under planted heteroskedasticity its coverage is near nominal where
Conley-Taber's is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result, fmt
from ewp_stats._typing import YearRange
from ewp_stats.engines.panel import validate_design
from ewp_stats.errors import InputError

__all__ = ["FermanPintoResult", "ferman_pinto_interval", "ferman_pinto_did"]


@dataclass(frozen=True)
class FermanPintoResult(Result):
    """Heteroskedasticity-corrected Conley-Taber inference for a DiD with one treated unit.

    Attributes
    ----------
    estimate
        The DiD estimate (treated change minus the controls' mean change).
    ci, coverage
        Order-statistic interval from the rescaled residuals and its exact coverage
        ``(J + 1 - 2k) / (J + 1)`` (the most central pair that reaches the level; the extreme pair
        when none does).
    ct_ci
        The same interval without rescaling (Conley-Taber's order-statistic interval).
    pvalue
        ``(1 + #{j: |rescaled eta_j| >= |estimate|}) / (J + 1)``.
    variance_intercept, variance_slope
        ``A`` and ``B`` of ``var(eta | M) = A + B / M`` (OLS on the controls).
    treated_scale
        ``sqrt(v(M_1) / mean_j v(M_j))``: how much noisier the treated unit is modelled to be.
    level
        Level asked for.
    """

    _title: ClassVar[str] = "Conley-Taber with the Ferman-Pinto heteroskedasticity correction"

    estimate: float
    ci: tuple[float, float]
    coverage: float
    ct_ci: tuple[float, float]
    pvalue: float
    variance_intercept: float
    variance_slope: float
    treated_scale: float
    level: float

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("estimate", fmt(self.estimate)),
            (f"corrected interval ({100 * self.coverage:.1f}%)", f"{fmt(self.ci[0])} to {fmt(self.ci[1])}"),
            ("Conley-Taber interval (same coverage)", f"{fmt(self.ct_ci[0])} to {fmt(self.ct_ci[1])}"),
            ("p-value (rescaled residuals)", fmt(self.pvalue)),
            ("var(eta | M) = A + B / M", f"A = {self.variance_intercept:.4g}, B = {self.variance_slope:.4g}"),
            ("treated unit's noise scale", fmt(self.treated_scale)),
        ]


def _order_stats(estimate: float, eta: np.ndarray, level: float) -> tuple[tuple[float, float], float]:
    """Most central pair of order statistics of ``eta`` whose coverage ``(J + 1 - 2k) / (J + 1)`` reaches ``level``."""
    j = len(eta)
    k = max(1, int(np.floor((j + 1) * (1 - level) / 2 + 1e-9)))
    srt = np.sort(eta)
    return (float(estimate - srt[j - k]), float(estimate - srt[k - 1])), float((j + 1 - 2 * k) / (j + 1))


def ferman_pinto_interval(
    treated_change: float, control_changes: Sequence[float], treated_size: float, control_sizes: Sequence[float],
    *, level: float = 0.95,
) -> FermanPintoResult:
    """The corrected interval from the units' before-after changes and sizes.

    Parameters
    ----------
    treated_change, control_changes
        Post-period mean minus pre-period mean of the outcome, for the treated unit and each control.
    treated_size, control_sizes
        Positive sizes ``M`` (e.g. mean population) in the same order.
    level
        Confidence level. As in :func:`~ewp_stats.engines.did.did_single_treated`, too few controls
        for it give the extreme pair (``k = 1``), whose lower coverage is reported.

    Returns
    -------
    FermanPintoResult

    Notes
    -----
    The fitted variance ``A + B / M`` is floored at one thousandth of the mean squared residual, so a
    negative fit cannot flip a sign. The correction assumes the variance depends on the size only
    through this form, and that the treated and control errors differ only through it. ``A`` and
    ``B`` are estimated from the controls' squared residuals, which are noisy: in the tests, with
    39 controls and a 90% level, the coverage is about 0.82 (Conley-Taber's about 0.52).
    """
    d = np.asarray(control_changes, dtype=float)
    m = np.asarray(control_sizes, dtype=float)
    if d.ndim != 1 or d.shape != m.shape:
        raise InputError(f"control_changes and control_sizes must be equal-length lists, got {d.shape} and {m.shape}")
    if not (np.all(m > 0) and treated_size > 0):
        raise InputError("sizes must be positive")
    if not np.all(np.isfinite(d)) or not np.isfinite(treated_change):
        raise InputError("changes must be finite")
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1), got {level!r}")
    j = len(d)
    if j < 3:
        raise InputError(f"{j} controls given; at least 3 are needed")
    estimate = float(treated_change - d.mean())
    eta = d - d.mean()
    X = np.column_stack([np.ones(j), 1 / m])
    (a, b), *_ = np.linalg.lstsq(X, eta ** 2, rcond=None)
    floor = 1e-3 * float(np.mean(eta ** 2))
    v = np.maximum(a + b / m, floor)
    v1 = max(a + b / treated_size, floor)
    scaled = eta * np.sqrt(v1 / v)
    ci, coverage = _order_stats(estimate, scaled, level)
    ct_ci, _ = _order_stats(estimate, eta, level)
    pvalue = float((1 + np.sum(np.abs(scaled) >= abs(estimate))) / (j + 1))
    return FermanPintoResult(estimate=estimate, ci=ci, coverage=coverage, ct_ci=ct_ci, pvalue=pvalue,
                             variance_intercept=float(a), variance_slope=float(b),
                             treated_scale=float(np.sqrt(v1 / v.mean())), level=level)


def ferman_pinto_did(
    panel: pd.DataFrame, treated: str, controls: Sequence[str], *, pre_period: YearRange, post_period: YearRange,
    sizes: Mapping[str, float], level: float = 0.95,
) -> FermanPintoResult:
    """:func:`ferman_pinto_interval` for a wide panel (index year, one column per unit).

    ``sizes`` maps every unit (treated and controls) to its size, e.g. its mean pre-period population.
    """
    validate_design(panel, treated, controls, pre_period, post_period, allow_more_donors_than_periods=True,
                    pool_name="control group")
    missing = [u for u in [treated, *controls] if u not in sizes]
    if missing:
        raise InputError(f"sizes has no entry for {missing}; expected one per unit")
    (p0, p1), (q0, q1) = pre_period, post_period
    sub = panel.loc[p0:q1, [treated, *controls]].astype(float)
    change = sub.loc[q0:q1].mean() - sub.loc[p0:p1].mean()
    return ferman_pinto_interval(float(change[treated]), change[list(controls)].to_numpy(), float(sizes[treated]),
                                 [float(sizes[c]) for c in controls], level=level)
