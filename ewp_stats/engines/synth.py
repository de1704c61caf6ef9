"""Synthetic control estimator (Abadie, Diamond and Hainmueller) for one treated unit.

Longer than most modules, but one cohesive thing: the simplex least-squares solver, the estimator, its placebo and
leave-one-out inference, and their three result classes (plots in :mod:`ewp_stats.engines.synth_plot`,
the design checks in :mod:`ewp_stats.engines.panel`).

The estimator matches the treated unit's pre-period outcome path with a convex
combination of donor units. The predictors are the pre-period outcomes
themselves and the predictor weights are the identity (``V = I``), so the donor
weights minimise the pre-period mean squared prediction error directly. With
every pre-period outcome used as a predictor this is the solution the nested
ADH optimisation of ``V`` reaches as well (Kaul et al. 2022), without its
numerical fragility.

Covariates (e.g. a unit's industrial structure) can be added as further predictors
(:func:`synth_control`'s ``predictors``): each covariate row is rescaled so that its spread across
the units equals the mean spread of the pre-period outcomes, and then counts like one more
pre-period year (V stays the identity on the rescaled rows). Without covariates the fit is
exactly the outcome-only one.

Inference is by placebos in space: the estimator is re-run with every donor in
the treated unit's place, and the treated unit's ratio of post- to pre-period
RMSPE is ranked among all units (Abadie, Diamond and Hainmueller 2010, 2015).
The rank divided by the number of units is a permutation p-value.

References
----------
Abadie, A., Diamond, A. and Hainmueller, J. (2010). Synthetic control methods for
comparative case studies. *JASA* 105(490), 493-505.
Abadie, A., Diamond, A. and Hainmueller, J. (2015). Comparative politics and the
synthetic control method. *AJPS* 59(2), 495-510.
Abadie, A. (2021). Using synthetic controls: feasibility, data requirements, and
methodological aspects. *Journal of Economic Literature* 59(2), 391-425.
Kaul, A., Kloessner, S., Pfeifer, G. and Schieler, M. (2022). Standard synthetic
control methods: the case of using all preintervention outcomes together with
covariates. *Journal of Business & Economic Statistics* 40(3), 1362-1376.
Lawson, C. L. and Hanson, R. J. (1974). *Solving Least Squares Problems*, ch. 20-23.

Cross-checked against the Python package ``pysyncon`` 1.7.0 (``Synth`` with a
custom ``V`` and with its nested ``V`` optimisation; ``PlaceboTest``); see
``tests/engines/test_synth.py`` for the stored reference values and the differences in
the placebo p-value convention.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy.optimize import minimize, nnls

from ewp_stats._results import Result, fmt
from ewp_stats._typing import YearRange
from ewp_stats.engines.panel import validate_design
from ewp_stats.errors import InputError

__all__ = [
    "SynthResult",
    "PlaceboResult",
    "LeaveOneOutResult",
    "simplex_lstsq",
    "synth_control",
    "placebo_in_space",
    "permutation_pvalue",
    "leave_one_out",
]

#: Weights below this are reported as zero (numerical noise of the solver).
WEIGHT_TOL = 1e-8


# --------------------------------------------------------------------------- solver
def simplex_lstsq(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, str]:
    """Least squares over the unit simplex: ``min ||A w - b||^2`` s.t. ``w >= 0, sum(w) = 1``.

    Parameters
    ----------
    A
        Matrix of shape (T, J): one column per donor.
    b
        Vector of length T: the treated unit.

    Returns
    -------
    weights, solver
        The weights (length J, non-negative, summing to one) and the name of the
        solver that produced them (``"nnls+kkt"`` or ``"slsqp"``).

    Notes
    -----
    The sum-to-one constraint is imposed by the weighting method: a row of ones
    with a large weight is appended and the problem is solved with the
    Lawson-Hanson non-negative least squares algorithm (deterministic, no
    starting values). The support found is then polished by solving the
    equality-constrained problem on it exactly, and the Karush-Kuhn-Tucker
    conditions are checked for the donors outside the support. If they fail,
    SLSQP is run from the polished weights (deterministic start).
    """
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    n_t, n_j = A.shape
    if n_j == 1:
        return np.ones(1), "nnls+kkt"
    scale = max(float(np.abs(A).max()), float(np.abs(b).max()), 1e-300)
    A_s, b_s = A / scale, b / scale
    big = 1e4 * max(1.0, float(np.linalg.norm(A_s, 2)))
    w, _ = nnls(np.vstack([A_s, np.full((1, n_j), big)]), np.append(b_s, big), maxiter=50 * n_j)
    w = np.clip(w, 0.0, None)
    w = w / w.sum()

    support = np.flatnonzero(w > 1e-10)
    polished = _polish(A_s, b_s, support, n_j)
    if polished is not None and _kkt_ok(A_s, b_s, polished):
        return polished, "nnls+kkt"

    start = polished if polished is not None else w
    res = minimize(
        lambda x: float(np.sum((A_s @ x - b_s) ** 2)),
        start,
        jac=lambda x: 2.0 * A_s.T @ (A_s @ x - b_s),
        method="SLSQP",
        bounds=[(0.0, 1.0)] * n_j,
        constraints=[{"type": "eq", "fun": lambda x: np.sum(x) - 1.0, "jac": lambda x: np.ones(n_j)}],
        options={"ftol": 1e-15, "maxiter": 10_000},
    )
    x = np.clip(res.x, 0.0, None)
    return x / x.sum(), "slsqp"


def _polish(A: np.ndarray, b: np.ndarray, support: np.ndarray, n_j: int) -> np.ndarray | None:
    """Solve min ||A_S w_S - b|| s.t. sum(w_S) = 1 on the support S (KKT system)."""
    A_sup = A[:, support]
    k = len(support)
    kkt = np.zeros((k + 1, k + 1))
    kkt[:k, :k] = 2.0 * A_sup.T @ A_sup
    kkt[:k, k] = 1.0
    kkt[k, :k] = 1.0
    rhs = np.append(2.0 * A_sup.T @ b, 1.0)
    sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0]
    w_s = sol[:k]
    if np.any(w_s < -1e-12) or abs(w_s.sum() - 1.0) > 1e-9:
        return None
    w = np.zeros(n_j)
    w[support] = np.clip(w_s, 0.0, None)
    return w / w.sum()


def _kkt_ok(A: np.ndarray, b: np.ndarray, w: np.ndarray) -> bool:
    """Check first-order optimality on the simplex: grad_j >= lambda off support, = on it."""
    grad = 2.0 * A.T @ (A @ w - b)
    on = w > 1e-12
    lam = float(np.mean(grad[on]))
    tol = 1e-9 * max(1.0, float(np.abs(grad).max()))
    return bool(np.all(np.abs(grad[on] - lam) <= tol) and np.all(grad[~on] >= lam - tol))


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class SynthResult(Result):
    """A fitted synthetic control.

    Attributes
    ----------
    treated
        Name of the treated unit.
    outcome
        Name (and unit) of the outcome variable.
    donors, weights
        Donor names and their weights (non-negative, sum to one), same order.
    years
        All years of the fitted window (pre and post).
    treatment_year
        First post-treatment year.
    treated_path, synthetic_path
        Outcome of the treated unit and of its synthetic control, one per year.
    pre_rmspe, post_rmspe
        Root mean squared gap over the pre and post years.
    rmspe_ratio
        ``post_rmspe / pre_rmspe`` (``inf`` when the pre-period fit is exact).
    mean_post_gap
        Mean of treated minus synthetic over the post years.
    solver
        The inner solver used (see :func:`simplex_lstsq`).
    v_method
        Predictor weighting: ``"identity"`` (pre-period outcomes, equal weights) or
        ``"identity+predictors"`` (covariate rows rescaled to the outcome's spread, equal weights).
    predictors
        Names of the covariates used besides the pre-period outcomes (empty: none).
    """

    _title: ClassVar[str] = "Synthetic control"

    treated: str
    outcome: str
    donors: tuple[str, ...]
    weights: tuple[float, ...]
    years: tuple[int, ...]
    treatment_year: int
    treated_path: tuple[float, ...]
    synthetic_path: tuple[float, ...]
    pre_rmspe: float
    post_rmspe: float
    rmspe_ratio: float
    mean_post_gap: float
    solver: str
    v_method: str = "identity"
    predictors: tuple[str, ...] = ()

    @property
    def weight_series(self) -> pd.Series:
        """Donor weights as a Series, largest first (ties by name)."""
        s = pd.Series(self.weights, index=pd.Index(self.donors, name="donor"), name="weight")
        return s.iloc[np.lexsort((s.index.to_numpy(), -s.to_numpy()))]

    @property
    def gap(self) -> pd.Series:
        """Treated minus synthetic, indexed by year."""
        return pd.Series(
            np.subtract(self.treated_path, self.synthetic_path), index=pd.Index(self.years, name="year"), name="gap"
        )

    @property
    def pre_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.years if y < self.treatment_year)

    @property
    def post_years(self) -> tuple[int, ...]:
        return tuple(y for y in self.years if y >= self.treatment_year)

    def to_frame(self) -> pd.DataFrame:
        """Yearly paths: treated, synthetic, gap and period ("pre"/"post")."""
        idx = pd.Index(self.years, name="year")
        return pd.DataFrame(
            {
                "treated": self.treated_path,
                "synthetic": self.synthetic_path,
                "gap": self.gap.to_numpy(),
                "period": ["pre" if y < self.treatment_year else "post" for y in self.years],
            },
            index=idx,
        )

    def _rows(self) -> list[tuple[str, str]]:
        w = self.weight_series
        w = w[w > 0.001]
        return [
            ("treated unit", self.treated),
            ("outcome", self.outcome),
            ("pre-period", f"{self.pre_years[0]}-{self.pre_years[-1]} ({len(self.pre_years)} years)"),
            ("post-period", f"{self.post_years[0]}-{self.post_years[-1]} ({len(self.post_years)} years)"),
            ("donors", f"{len(self.donors)} ({sum(np.asarray(self.weights) > 0.001)} with weight > 0.001)"),
            ("weights", ", ".join(f"{k} {fmt(v)}" for k, v in w.items())),
            ("pre-period RMSPE", fmt(self.pre_rmspe)),
            ("post-period RMSPE", fmt(self.post_rmspe)),
            ("post/pre RMSPE ratio", fmt(self.rmspe_ratio)),
            ("mean post-period gap", fmt(self.mean_post_gap)),
            (f"gap in {self.years[-1]}", fmt(float(self.gap.iloc[-1]))),
            ("V / solver", f"{self.v_method} / {self.solver}"),
            *([("covariates", ", ".join(self.predictors))] if self.predictors else []),
        ]


@dataclass(frozen=True)
class PlaceboResult(Result):
    """In-space placebo inference for a synthetic control.

    Attributes
    ----------
    treated
        The actually treated unit (its fit uses the full donor pool).
    units
        Treated unit first, then every donor refitted as a placebo with the
        other donors (the treated unit is never a donor in a placebo fit).
    pre_rmspe, post_rmspe, ratios
        Per unit, same order as ``units``.
    years, treatment_year
        Years of the gap paths; first post year.
    gaps
        One gap path per unit (same order as ``units``).
    rank
        Number of units whose post/pre RMSPE ratio is at least the treated
        unit's (1 = the treated unit has the largest ratio; ties count against it).
    n_units
        Number of units in the test (donors + 1).
    pvalue
        ``rank / n_units``, the permutation p-value.
    """

    _title: ClassVar[str] = "Placebo-in-space test"

    treated: str
    units: tuple[str, ...]
    pre_rmspe: tuple[float, ...]
    post_rmspe: tuple[float, ...]
    ratios: tuple[float, ...]
    years: tuple[int, ...]
    treatment_year: int
    gaps: tuple[tuple[float, ...], ...]
    rank: int
    n_units: int
    pvalue: float

    @property
    def min_pvalue(self) -> float:
        """The smallest attainable p-value, ``1 / n_units`` (the treated unit ranked first)."""
        return 1 / self.n_units

    @property
    def treated_ratio(self) -> float:
        """The treated unit's post/pre RMSPE ratio."""
        return self.ratios[self.units.index(self.treated)]

    @property
    def treated_pre_rmspe(self) -> float:
        """The treated unit's pre-period RMSPE."""
        return self.pre_rmspe[self.units.index(self.treated)]

    @property
    def placebo_ratios(self) -> tuple[float, ...]:
        """The post/pre RMSPE ratios of the placebo units (every unit but the treated one)."""
        i0 = self.units.index(self.treated)
        return tuple(r for i, r in enumerate(self.ratios) if i != i0)

    @property
    def detectable_post_rmspe(self) -> float:
        """The post-period RMSPE the treated unit needs for the smallest p-value.

        Its ratio must exceed the largest placebo ratio, so with its own pre-period RMSPE the
        post-period RMSPE must exceed ``max(placebo_ratios) * treated_pre_rmspe``.
        """
        return float(np.max(self.placebo_ratios) * self.treated_pre_rmspe)

    def well_fitted(self, max_pre_rmspe_multiple: float) -> tuple[str, ...]:
        """The placebo units fitted well before treatment.

        Parameters
        ----------
        max_pre_rmspe_multiple
            Keep placebos whose pre-period RMSPE is at most this multiple of the treated
            unit's (Abadie, Diamond and Hainmueller 2010 drop the others from their figures;
            every placebo still counts in the p-value).

        Returns
        -------
        tuple of str
            The placebo units kept, in ``units`` order.
        """
        limit = max_pre_rmspe_multiple * self.treated_pre_rmspe
        return tuple(u for u, pre in zip(self.units, self.pre_rmspe, strict=True)
                     if u != self.treated and pre <= limit)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: pre/post RMSPE, ratio and its rank (1 = largest)."""
        df = pd.DataFrame(
            {"pre_rmspe": self.pre_rmspe, "post_rmspe": self.post_rmspe, "ratio": self.ratios},
            index=pd.Index(self.units, name="unit"),
        )
        df["rank"] = df["ratio"].rank(ascending=False, method="max").astype(int)
        df["is_treated"] = df.index == self.treated
        return df.sort_values(["rank", "pre_rmspe"], kind="mergesort")

    def gaps_frame(self) -> pd.DataFrame:
        """Gap paths, index year, one column per unit."""
        return pd.DataFrame(
            np.asarray(self.gaps).T, index=pd.Index(self.years, name="year"), columns=pd.Index(self.units, name="unit")
        )

    def _rows(self) -> list[tuple[str, str]]:
        i = self.units.index(self.treated)
        return [
            ("treated unit", self.treated),
            ("units in test", str(self.n_units)),
            ("treated post/pre RMSPE ratio", fmt(self.ratios[i])),
            ("rank (1 = largest ratio)", f"{self.rank} of {self.n_units}"),
            ("permutation p-value (rank / units)", fmt(self.pvalue)),
            ("smallest attainable p-value", fmt(self.min_pvalue)),
        ]


@dataclass(frozen=True)
class LeaveOneOutResult(Result):
    """Leave-one-donor-out robustness: refits without each donor of positive weight.

    Attributes
    ----------
    baseline
        The fit with the full donor pool.
    dropped
        The donor left out in each refit.
    fits
        The refits, same order as ``dropped``.
    """

    _title: ClassVar[str] = "Leave-one-donor-out"

    baseline: SynthResult
    dropped: tuple[str, ...]
    fits: tuple[SynthResult, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per refit (and the baseline): pre-RMSPE, mean post gap, last-year gap, top donor."""
        rows = []
        for name, fit in (("(none)", self.baseline), *zip(self.dropped, self.fits)):
            w = fit.weight_series
            rows.append(
                {
                    "dropped": name,
                    "pre_rmspe": fit.pre_rmspe,
                    "mean_post_gap": fit.mean_post_gap,
                    "last_gap": float(fit.gap.iloc[-1]),
                    "top_donor": w.index[0],
                    "top_weight": float(w.iloc[0]),
                }
            )
        return pd.DataFrame(rows).set_index("dropped")

    @property
    def gap_range(self) -> tuple[float, float]:
        """Smallest and largest mean post gap over the baseline and all refits."""
        g = [self.baseline.mean_post_gap, *(f.mean_post_gap for f in self.fits)]
        return float(min(g)), float(max(g))

    def _rows(self) -> list[tuple[str, str]]:
        lo, hi = self.gap_range
        return [
            ("refits", str(len(self.fits))),
            ("donors dropped", ", ".join(self.dropped)),
            ("mean post gap, baseline", fmt(self.baseline.mean_post_gap)),
            ("mean post gap, range over refits", f"{fmt(lo)} to {fmt(hi)}"),
        ]


# --------------------------------------------------------------------------- estimator
def synth_control(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    outcome: str = "outcome",
    allow_more_donors_than_periods: bool = False,
    predictors: pd.DataFrame | None = None,
) -> SynthResult:
    """Fit a synthetic control for one treated unit.

    Parameters
    ----------
    panel
        Wide panel: index = year (int), one column per unit, values = outcome.
    treated
        Column name of the treated unit.
    donors
        Column names of the donor pool (must not include ``treated``).
    pre_period, post_period
        Inclusive year ranges ``(first, last)``; the pre-period is used for fitting.
    outcome
        Label of the outcome (for summaries and figures).
    allow_more_donors_than_periods
        By default a pre-period with fewer years than donors is refused, since
        the weights then need not be unique. Pass ``True`` to fit anyway (the
        solver returns one solution; check the leave-one-out robustness).
    predictors
        Optional covariates: index = predictor names, one column per unit (at least the treated
        unit and the donors), e.g. pre-period mean sector shares. Each row is rescaled to the
        outcome's spread across the units and added to the fit (see Notes).

    Returns
    -------
    SynthResult

    Raises
    ------
    InputError
        Treated unit not in the panel, donor pool that includes the treated
        unit or names unknown units, missing years or values, unordered periods,
        or a pre-period too short for the number of donors.

    Notes
    -----
    Weights solve ``min_w sum_{t in pre} (y_1t - sum_j w_j y_jt)^2`` with
    ``w_j >= 0`` and ``sum_j w_j = 1`` (V = identity over the pre-period outcomes).
    With ``predictors``, each covariate row ``x_k`` is multiplied by ``s_Y / sd(x_k)`` (``sd`` across
    the treated unit and the donors; ``s_Y`` the mean over pre-period years of the outcome's
    standard deviation across the same units) and its squared gap is added to the loss with weight
    one, like one more pre-period year. This fixes V instead of optimising it: Kaul et al. (2022)
    show that a V optimised on the pre-period outcome fit gives covariates no weight when every
    pre-period outcome is a predictor. The pre-period RMSPE is still that of the outcome alone.
    The solution is deterministic (no random starts).

    References
    ----------
    Abadie, Diamond and Hainmueller (2010); Abadie (2021). Verified against
    pysyncon 1.7.0 ``Synth`` (see module docstring).
    """
    validate_design(
        panel, treated, donors, pre_period, post_period,
        allow_more_donors_than_periods=allow_more_donors_than_periods,
    )
    (p0, p1), (q0, q1) = pre_period, post_period
    years = list(range(p0, q1 + 1))
    units = [treated, *donors]
    values = panel.loc[years, units].to_numpy(dtype=float)
    is_pre = np.array([yr <= p1 for yr in years])
    cov = _scaled_predictors(predictors, units, values[is_pre])
    names = () if predictors is None else tuple(str(r) for r in predictors.index)
    return _fit(values, 0, list(range(1, len(donors) + 1)), treated, tuple(donors), years, p1, q0, outcome,
                cov, names)


def _scaled_predictors(predictors: pd.DataFrame | None, units: Sequence[str], pre_values: np.ndarray) -> np.ndarray | None:
    """Covariate rows (one per predictor, one column per unit of ``units``) rescaled so that each row's
    standard deviation across the units equals the mean across pre-period years of the outcome's."""
    if predictors is None:
        return None
    if not isinstance(predictors, pd.DataFrame) or predictors.empty:
        raise InputError("predictors must be a non-empty DataFrame (index predictor names, one column per unit)")
    missing = [u for u in units if u not in predictors.columns]
    if missing:
        raise InputError(f"predictors have no column for units {missing}; expected one column per unit")
    P = predictors[list(units)].to_numpy(dtype=float)
    if not np.isfinite(P).all():
        bad = [str(r) for r, ok in zip(predictors.index, np.isfinite(P).all(axis=1)) if not ok]
        raise InputError(f"predictor rows {bad} have missing or infinite values; expected finite values for every unit")
    spread = P.std(axis=1)
    if np.any(spread == 0):
        flat = [str(r) for r, sd in zip(predictors.index, spread) if sd == 0]
        raise InputError(f"predictor rows {flat} are the same for every unit; they cannot inform the weights")
    target = float(np.mean(pre_values.std(axis=1)))
    return P * (target / spread)[:, None]


def _fit(values: np.ndarray, i_treated: int, i_donors: list[int], treated: str, donors: tuple[str, ...],
         years: list[int], p1: int, q0: int, outcome: str, covariates: np.ndarray | None = None,
         predictor_names: tuple[str, ...] = ()) -> SynthResult:
    """The synthetic control of column ``i_treated`` of ``values`` (rows = ``years``) from columns
    ``i_donors``, with optional rescaled covariate rows (same columns as ``values``); the design is
    validated by the caller."""
    is_pre = np.array([yr <= p1 for yr in years])
    X = values[:, i_donors]
    y = values[:, i_treated]
    A, b = X[is_pre], y[is_pre]
    if covariates is not None:
        A, b = np.vstack([A, covariates[:, i_donors]]), np.append(b, covariates[:, i_treated])
    w, solver = simplex_lstsq(A, b)
    w = np.where(w < WEIGHT_TOL, 0.0, w)
    w = w / w.sum()
    synth = X @ w
    gap = y - synth
    pre_r = float(np.sqrt(np.mean(gap[is_pre] ** 2)))
    post_r = float(np.sqrt(np.mean(gap[~is_pre] ** 2)))
    ratio = post_r / pre_r if pre_r > 0 else float("inf")
    return SynthResult(
        treated=treated,
        outcome=outcome,
        donors=donors,
        weights=tuple(float(v) for v in w),
        years=tuple(years),
        treatment_year=q0,
        treated_path=tuple(float(v) for v in y),
        synthetic_path=tuple(float(v) for v in synth),
        pre_rmspe=pre_r,
        post_rmspe=post_r,
        rmspe_ratio=ratio,
        mean_post_gap=float(np.mean(gap[~is_pre])),
        solver=solver,
        v_method="identity" if covariates is None else "identity+predictors",
        predictors=predictor_names,
    )


def permutation_pvalue(ratios: Mapping[str, float], treated: str) -> tuple[int, float]:
    """Rank of the treated unit's post/pre RMSPE ratio and the permutation p-value.

    Parameters
    ----------
    ratios
        Post/pre RMSPE ratio of every unit in the test, including ``treated``.
    treated
        The treated unit.

    Returns
    -------
    rank, pvalue
        ``rank`` = number of units whose ratio is >= the treated unit's
        (so 1 when the treated unit's ratio is strictly the largest; ties count
        against the treated unit); ``pvalue = rank / len(ratios)``.

    Notes
    -----
    This is the p-value of Abadie, Diamond and Hainmueller (2010, 2015): under
    the null of no effect and random assignment of the treatment among the
    units, each unit is equally likely to have the largest ratio. pysyncon's
    ``PlaceboTest.pvalue`` counts only the placebos at or above the treated unit
    (not the treated unit itself), giving ``(rank - 1) / n``.
    """
    if treated not in ratios:
        raise InputError(f"treated unit {treated!r} has no ratio; units are {sorted(ratios)}")
    r0 = ratios[treated]
    rank = int(sum(1 for v in ratios.values() if v >= r0))
    return rank, rank / len(ratios)


def placebo_in_space(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    allow_more_donors_than_periods: bool = False,
    predictors: pd.DataFrame | None = None,
) -> PlaceboResult:
    """In-space placebo test: refit with each donor as if it were treated.

    Each placebo unit's donor pool is the other donors; the treated unit is
    left out of every placebo pool (ADH 2010). The p-value is the rank of the
    treated unit's post/pre RMSPE ratio among all units divided by the number
    of units (see :func:`permutation_pvalue`).

    Parameters
    ----------
    panel, treated, donors, pre_period, post_period, allow_more_donors_than_periods, predictors
        As in :func:`synth_control` (the covariates are rescaled once, over all units of the test).

    Returns
    -------
    PlaceboResult
    """
    validate_design(
        panel, treated, donors, pre_period, post_period,
        allow_more_donors_than_periods=allow_more_donors_than_periods,
    )
    (p0, p1), (q0, q1) = pre_period, post_period
    years = list(range(p0, q1 + 1))
    donors = list(donors)
    units = tuple([treated, *donors])
    # one array for all fits: column 0 the treated unit, then the donors; the placebo of donor i
    # uses the other donor columns (never column 0), so the design checked once holds for every fit
    values = panel.loc[years, list(units)].to_numpy(dtype=float)
    is_pre = np.array([yr <= p1 for yr in years])
    cov = _scaled_predictors(predictors, units, values[is_pre])
    names = () if predictors is None else tuple(str(r) for r in predictors.index)
    cols = list(range(1, len(units)))
    main = _fit(values, 0, cols, treated, tuple(donors), years, p1, q0, "outcome", cov, names)
    fits = [main]
    for i, d in enumerate(donors, start=1):
        others = [c for c in cols if c != i]
        fits.append(_fit(values, i, others, d, tuple(units[c] for c in others), years, p1, q0, "outcome",
                         cov, names))
    ratios = {u: f.rmspe_ratio for u, f in zip(units, fits)}
    rank, p = permutation_pvalue(ratios, treated)
    return PlaceboResult(
        treated=treated,
        units=units,
        pre_rmspe=tuple(f.pre_rmspe for f in fits),
        post_rmspe=tuple(f.post_rmspe for f in fits),
        ratios=tuple(f.rmspe_ratio for f in fits),
        years=main.years,
        treatment_year=main.treatment_year,
        gaps=tuple(tuple(float(v) for v in f.gap.to_numpy()) for f in fits),
        rank=rank,
        n_units=len(units),
        pvalue=p,
    )


def leave_one_out(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    *,
    pre_period: YearRange,
    post_period: YearRange,
    outcome: str = "outcome",
    allow_more_donors_than_periods: bool = False,
    min_weight: float = 0.001,
    predictors: pd.DataFrame | None = None,
) -> LeaveOneOutResult:
    """Refit the synthetic control leaving out, in turn, each donor with weight > ``min_weight``.

    Parameters
    ----------
    panel, treated, donors, pre_period, post_period, outcome, allow_more_donors_than_periods, predictors
        As in :func:`synth_control`.
    min_weight
        Donors with a baseline weight above this are dropped one at a time.

    Returns
    -------
    LeaveOneOutResult

    References
    ----------
    Abadie, Diamond and Hainmueller (2015), section on robustness (leave-one-out).
    """
    kw = dict(pre_period=pre_period, post_period=post_period, outcome=outcome,
              allow_more_donors_than_periods=allow_more_donors_than_periods, predictors=predictors)
    base = synth_control(panel, treated, donors, **kw)
    dropped = tuple(d for d, w in zip(base.donors, base.weights) if w > min_weight)
    fits = tuple(synth_control(panel, treated, [o for o in donors if o != d], **kw) for d in dropped)
    return LeaveOneOutResult(baseline=base, dropped=dropped, fits=fits)
