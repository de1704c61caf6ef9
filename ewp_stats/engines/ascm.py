"""Augmented (ridge) synthetic control (Ben-Michael, Feller and Rothstein 2021) for one treated unit.

The synthetic control's weights are corrected by a ridge regression of the treated unit's remaining
pre-period imbalance on the donors' pre-period outcomes (centred at the donor mean per year):

``w_aug = w_sc + B' (B B' + lambda I)^{-1} (x_1 - X_0 w_sc)``, with ``B`` the centred donor outcomes
(years x donors). The correction sums to zero, so the weights still sum to one, but they can be
negative: the estimator extrapolates to reduce the pre-period bias. ``lambda`` is chosen by
leave-one-year-out cross-validation over a geometric grid, taking the largest ``lambda`` within one
standard error of the smallest error (the R package ``augsynth``'s rule, as ported by ``pysyncon``).

Inference is the in-space placebo ratio test of :mod:`ewp_stats.engines.synth`, each donor refitted
(``lambda`` re-chosen) as if treated.

References
----------
Ben-Michael, E., Feller, A. and Rothstein, J. (2021). The augmented synthetic control method.
*Journal of the American Statistical Association* 116(536), 1789-1803.

Verified against ``pysyncon`` 1.7.0 ``AugSynth`` (no covariates; its own cross-validated and a fixed
``lambda``) in ``tests/engines/test_ascm.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result, fmt
from ewp_stats._typing import YearRange
from ewp_stats.engines.panel import validate_design
from ewp_stats.engines.synth import permutation_pvalue, simplex_lstsq
from ewp_stats.errors import InputError

__all__ = ["AscmResult", "augmented_synth", "ridge_lambda_cv"]


@dataclass(frozen=True)
class AscmResult(Result):
    """An augmented (ridge) synthetic control with its placebo test.

    Attributes
    ----------
    treated, donors
        The treated unit and the donors (same order as ``weights`` and ``sc_weights``).
    years, treatment_year
        All years of the window and the first post year.
    weights, sc_weights
        Augmented weights (sum to one, may be negative) and the synthetic control's weights.
    lambda_
        The ridge penalty used.
    gaps
        Treated minus augmented synthetic control, one per year.
    pre_rmspe, sc_pre_rmspe
        Pre-period RMSPE of the augmented and of the plain synthetic control.
    mean_post_gap
        Mean gap over the post years: the estimate.
    placebo_rank, n_units, pvalue
        Rank of the treated unit's post/pre RMSPE ratio among all units (1 = largest), the number
        of units and ``rank / n_units``.
    """

    _title: ClassVar[str] = "Augmented (ridge) synthetic control"

    treated: str
    donors: tuple[str, ...]
    years: tuple[int, ...]
    treatment_year: int
    weights: tuple[float, ...]
    sc_weights: tuple[float, ...]
    lambda_: float
    gaps: tuple[float, ...]
    pre_rmspe: float
    sc_pre_rmspe: float
    mean_post_gap: float
    placebo_rank: int
    n_units: int
    pvalue: float

    def to_frame(self) -> pd.DataFrame:
        """One row per year: the gap and the period."""
        return pd.DataFrame({"gap": self.gaps, "period": ["pre" if y < self.treatment_year else "post" for y in self.years]},
                            index=pd.Index(self.years, name="year"))

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("treated unit", self.treated),
            ("ridge lambda", f"{self.lambda_:.4g}"),
            ("pre-period RMSPE (augmented / SC)", f"{fmt(self.pre_rmspe)} / {fmt(self.sc_pre_rmspe)}"),
            ("mean post-period gap", fmt(self.mean_post_gap)),
            ("negative weights", str(sum(w < -1e-8 for w in self.weights))),
            ("placebo rank / p-value", f"{self.placebo_rank} of {self.n_units} / {fmt(self.pvalue)}"),
        ]


def _ridge_correction(B: np.ndarray, resid: np.ndarray, lam: float) -> np.ndarray:
    """``B' (B B' + lam I)^{-1} resid``: the ridge adjustment of the weights (length = columns of B)."""
    return B.T @ np.linalg.solve(B @ B.T + lam * np.eye(B.shape[0]), resid)


def _lambda_grid(B: np.ndarray, *, min_ratio: float = 1e-8, n: int = 20) -> np.ndarray:
    """Geometric grid from ``s_1^2 / scaler`` down to ``s_1^2 * min_ratio`` (augsynth's grid)."""
    top = float(np.linalg.svd(B, compute_uv=False)[0] ** 2)
    scaler = min_ratio ** (1 / n)
    return top * scaler ** (np.arange(n + 1) - 1.0)


def ridge_lambda_cv(X0: np.ndarray, x1: np.ndarray) -> float:
    """Cross-validated ridge penalty: hold out each pre-period year but the last, refit, predict it.

    Parameters
    ----------
    X0
        Centred donor pre-period outcomes, years x donors.
    x1
        Centred treated pre-period outcomes.

    Returns
    -------
    float
        The largest ``lambda`` of the grid whose mean squared error is within one standard error
        (ddof 1) of the smallest.
    """
    lams = _lambda_grid(X0)
    t0 = X0.shape[0]
    errs = np.empty((t0 - 1, len(lams)))
    for i in range(t0 - 1):
        keep = np.arange(t0) != i
        w, _ = simplex_lstsq(X0[keep], x1[keep])
        resid = x1[keep] - X0[keep] @ w
        for k, lam in enumerate(lams):
            w_aug = w + _ridge_correction(X0[keep], resid, lam)
            errs[i, k] = (x1[i] - X0[i] @ w_aug) ** 2
    mean, se = errs.mean(axis=0), errs.std(axis=0, ddof=1) / np.sqrt(t0 - 1)
    best = int(np.argmin(mean))
    return float(lams[mean <= mean[best] + se[best]].max())


def _fit(values: np.ndarray, i: int, pool: list[int], n_pre: int, lam: float | None) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Augmented weights, SC weights, lambda and the gap path of column ``i`` from columns ``pool``."""
    Y0, y1 = values[:, pool], values[:, i]
    centre = Y0[:n_pre].mean(axis=1)
    B, b = Y0[:n_pre] - centre[:, None], y1[:n_pre] - centre
    w, _ = simplex_lstsq(B, b)
    lam = ridge_lambda_cv(B, b) if lam is None else lam
    w_aug = w + _ridge_correction(B, b - B @ w, lam)
    return w_aug, w, lam, y1 - Y0 @ w_aug


def _rmspe(g: np.ndarray) -> float:
    return float(np.sqrt(np.mean(g ** 2)))


def _ratio(g: np.ndarray, n_pre: int) -> float:
    pre = _rmspe(g[:n_pre])
    return _rmspe(g[n_pre:]) / pre if pre > 0 else float("inf")


def augmented_synth(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    lambda_: float | None = None,
) -> AscmResult:
    """Ridge-augmented synthetic control with an in-space placebo test.

    Parameters
    ----------
    panel, treated, donors, pre_period, post_period
        As in :func:`~ewp_stats.engines.synth.synth_control` (more donors than years are allowed).
    lambda_
        Ridge penalty; ``None`` (default) chooses it by :func:`ridge_lambda_cv`, separately for
        the treated unit and for each placebo.

    Returns
    -------
    AscmResult

    Raises
    ------
    InputError
        A bad design, fewer than three donors or pre-period years, or a non-positive ``lambda_``.

    Notes
    -----
    Without covariates. Small ``lambda`` removes more of the pre-period imbalance at the price of
    extrapolation (negative weights); large ``lambda`` returns the synthetic control.
    """
    validate_design(panel, treated, donors, pre_period, post_period, allow_more_donors_than_periods=True)
    if lambda_ is not None and not (np.isfinite(lambda_) and lambda_ > 0):
        raise InputError(f"lambda_ must be a positive number or None, got {lambda_!r}")
    donors = list(donors)
    (p0, p1), (q0, q1) = pre_period, post_period
    n_pre = p1 - p0 + 1
    if len(donors) < 3 or n_pre < 3:
        raise InputError(f"{len(donors)} donors and {n_pre} pre-period years; the augmented synthetic control "
                         "and its cross-validation need at least 3 of each")
    years = list(range(p0, q1 + 1))
    values = panel.loc[years, [treated, *donors]].to_numpy(dtype=float)
    cols = list(range(1, len(donors) + 1))
    w_aug, w, lam, gap = _fit(values, 0, cols, n_pre, lambda_)
    sc_gap = values[:, 0] - values[:, cols] @ w
    ratios = {treated: _ratio(gap, n_pre)}
    for j in cols:
        g = _fit(values, j, [c for c in cols if c != j], n_pre, lambda_)[3]
        ratios[donors[j - 1]] = _ratio(g, n_pre)
    rank, p = permutation_pvalue(ratios, treated)
    return AscmResult(
        treated=treated, donors=tuple(donors), years=tuple(years), treatment_year=q0,
        weights=tuple(float(v) for v in w_aug), sc_weights=tuple(float(v) for v in w), lambda_=lam,
        gaps=tuple(float(v) for v in gap), pre_rmspe=_rmspe(gap[:n_pre]), sc_pre_rmspe=_rmspe(sc_gap[:n_pre]),
        mean_post_gap=float(gap[n_pre:].mean()), placebo_rank=rank, n_units=len(ratios), pvalue=p,
    )
