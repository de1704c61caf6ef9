"""Power of the comparative-case-study designs: minimum detectable effects and placebo injection.

Two questions a p-value alone does not answer: how large an effect would the design have found
(the minimum detectable effect of an estimator with a known standard error), and how often the
synthetic control's placebo test detects an effect of a given size planted in units that did not
have one (placebo-injection power: each control in turn is treated, its post-period outcome
raised by the effect, and the in-space placebo test run among the other controls).

References
----------
Bloom, H. S. (1995). Minimum detectable effects: a simple way to report the statistical power of
experimental designs. *Evaluation Review* 19(5), 547-556.
Abadie, A. (2021). Using synthetic controls: feasibility, data requirements, and methodological
aspects. *Journal of Economic Literature* 59(2), 391-425 (section on power, placebo studies).
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
from ewp_stats.engines.synth import simplex_lstsq
from ewp_stats.errors import InputError

__all__ = ["InjectionPowerResult", "minimum_detectable_effect", "placebo_injection_power"]


def minimum_detectable_effect(se: float, *, alpha: float = 0.05, power: float = 0.8, df: int | None = None) -> float:
    """The effect a two-sided test at ``alpha`` detects with probability ``power``.

    Parameters
    ----------
    se
        Standard error of the estimator (positive).
    alpha, power
        Size of the two-sided test and the power wanted, each in (0, 1).
    df
        Degrees of freedom of a t reference distribution; ``None`` for the normal.

    Returns
    -------
    float
        ``(q_{1 - alpha/2} + q_{power}) * se`` (2.80 se for the normal at 5% and 80%).

    Notes
    -----
    Ignores the (negligible) chance of rejecting on the wrong side, as Bloom (1995) does.
    """
    if not (np.isfinite(se) and se > 0):
        raise InputError(f"se must be a positive finite number, got {se!r}")
    for name, v in (("alpha", alpha), ("power", power)):
        if not 0 < v < 1:
            raise InputError(f"{name} must be in (0, 1), got {v!r}")
    if df is not None and (not isinstance(df, int | np.integer) or df < 1):
        raise InputError(f"df must be a positive integer or None, got {df!r}")
    dist = stats.norm if df is None else stats.t(df)
    return float((dist.ppf(1 - alpha / 2) + dist.ppf(power)) * se)


@dataclass(frozen=True)
class InjectionPowerResult(Result):
    """Placebo-injection power of the synthetic control's in-space placebo test.

    Attributes
    ----------
    units
        The pseudo-treated units (the controls), same order as the rows of ``pvalues``.
    effects
        The planted effects, as fractions of each unit's own post-period outcome (0.1 = +10%).
    pvalues
        ``pvalues[i][k]``: the placebo p-value of unit ``i`` with effect ``effects[k]`` planted.
    alpha
        Rejection threshold (``p <= alpha``).
    n_units
        Units in each pseudo test (the pseudo-treated unit and the other controls).
    power
        Share of pseudo-treated units rejected, per effect.
    size
        Share rejected with nothing planted (the test's size on these data).
    """

    _title: ClassVar[str] = "Placebo-injection power of the synthetic control"

    units: tuple[str, ...]
    effects: tuple[float, ...]
    pvalues: tuple[tuple[float, ...], ...]
    alpha: float
    n_units: int
    power: tuple[float, ...]
    size: float

    def to_frame(self) -> pd.DataFrame:
        """One row per effect: the effect (percent) and the power."""
        return pd.DataFrame({"effect_pct": [100 * e for e in self.effects], "power": self.power}).set_index("effect_pct")

    def _rows(self) -> list[tuple[str, str]]:
        return [
            ("pseudo-treated units", str(len(self.units))),
            ("units per test / smallest p-value", f"{self.n_units} / {fmt(1 / self.n_units)}"),
            ("rejection at", f"p <= {fmt(self.alpha)}"),
            ("size (nothing planted)", fmt(self.size)),
            *((f"power, effect {100 * e:g}%", fmt(p)) for e, p in zip(self.effects, self.power)),
        ]


def _fit_gap(values: np.ndarray, i: int, pool: list[int], n_pre: int) -> np.ndarray:
    w, _ = simplex_lstsq(values[:n_pre, pool], values[:n_pre, i])
    return values[:, i] - values[:, pool] @ w


def _ratio(gap: np.ndarray, n_pre: int) -> float:
    pre = float(np.sqrt(np.mean(gap[:n_pre] ** 2)))
    post = float(np.sqrt(np.mean(gap[n_pre:] ** 2)))
    return post / pre if pre > 0 else float("inf")


def placebo_injection_power(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    effects: Sequence[float] = (0.05, 0.10, 0.20),
    alpha: float = 0.05,
) -> InjectionPowerResult:
    """Power of the in-space placebo test (post/pre RMSPE ratio) against planted effects.

    Parameters
    ----------
    panel, treated, donors, pre_period, post_period
        As in :func:`~ewp_stats.engines.synth.placebo_in_space`; ``treated`` is left out of every
        pseudo test (it is the unit whose effect is in question).
    effects
        Planted effects as fractions of the pseudo-treated unit's post-period outcome.
    alpha
        Reject when the pseudo-treated unit's p-value (rank / units) is at most ``alpha``.

    Returns
    -------
    InjectionPowerResult

    Notes
    -----
    For each control ``i``: its synthetic control from the other controls (weights fitted on the
    pre-period, so unaffected by the planted effect), and the placebo ratio of every other control
    ``j`` from the controls other than ``i`` and ``j`` (these do not see ``i``'s outcome and are
    computed once). Planting the effect multiplies ``i``'s post-period outcome by ``1 + effect``.
    The power is the share of controls whose p-value is at most ``alpha``: the design's power
    for a unit like the typical control, which need not be Xinjiang's.
    """
    validate_design(panel, treated, donors, pre_period, post_period, allow_more_donors_than_periods=True)
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be in (0, 1), got {alpha!r}")
    effects = tuple(float(e) for e in effects)
    if not effects or not all(np.isfinite(effects)):
        raise InputError(f"effects must be a non-empty list of finite fractions, got {effects!r}")
    donors = list(donors)
    if len(donors) < 3:
        raise InputError(f"{len(donors)} donors; placebo-injection power needs at least 3")
    (p0, p1), (q0, q1) = pre_period, post_period
    n_pre = p1 - p0 + 1
    values = panel.loc[p0:q1, donors].to_numpy(dtype=float)
    n = len(donors)
    pvals = []
    for i in range(n):
        pool = [c for c in range(n) if c != i]
        gap = _fit_gap(values, i, pool, n_pre)
        others = np.array([_ratio(_fit_gap(values, j, [c for c in pool if c != j], n_pre), n_pre) for j in pool])
        row = []
        for e in (0.0, *effects):
            g = gap.copy()
            g[n_pre:] += e * values[n_pre:, i]
            r = _ratio(g, n_pre)
            row.append(float((1 + np.sum(others >= r)) / n))
        pvals.append(row)
    P = np.asarray(pvals)
    rejected = P <= alpha + 1e-12
    return InjectionPowerResult(
        units=tuple(donors), effects=effects, pvalues=tuple(tuple(r[1:]) for r in pvals), alpha=alpha, n_units=n,
        power=tuple(float(v) for v in rejected[:, 1:].mean(axis=0)), size=float(rejected[:, 0].mean()),
    )
