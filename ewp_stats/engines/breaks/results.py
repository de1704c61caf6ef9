"""Frozen result objects of the break tests.

Every result derives from :class:`ewp_stats._results.Result`: it is immutable, computed
eagerly, and offers ``summary()`` (plain text, also ``str()``), ``_repr_html_()`` (for
notebooks), ``to_dict()`` (JSON-serialisable) and, where tabular, ``to_frame()``.

Break locations use the vocabulary of :mod:`ewp_stats.engines.breaks`: a *break position* is
the 1-based number of the last observation before a break (strucchange's ``$breakpoints``),
a *break date* that observation's date (strucchange's ``breakdates()``) and a *regime start*
the first date of the new regime.

This module imports only the leaf modules :mod:`~ewp_stats.engines.breaks.confint` and
``ewp_stats.engines.breaks.segments`` (neither imports it), so no method here calls back
into a module that depends on the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result
from ewp_stats._results import fmt_date as _fmt_date
from ewp_stats._results import fmt_number as _fmt
from ewp_stats.engines.breaks._validate import check_criterion, date_of, label_of
from ewp_stats.engines.breaks.confint import BreakConfint, break_confint
from ewp_stats.engines.breaks.segments import segment_fit
from ewp_stats.errors import InputError

__all__ = [
    "TestResult",
    "ChowTestResult",
    "FStatsResult",
    "FluctuationTestResult",
    "BreakConfint",
    "BreakpointsResult",
]


def _critical_values_line(critical_values: dict[str, float]) -> str:
    return ", ".join(f"{k}: {_fmt(v)}" for k, v in critical_values.items())


@dataclass(frozen=True)
class TestResult(Result):
    """A test statistic with p-value and critical values.

    Attributes
    ----------
    name, statistic, pvalue
        Test name, statistic and (approximate) p-value.
    critical_values
        Critical values keyed ``"10%"``, ``"5%"``, ``"1%"`` (NaN if unavailable).
    null, alternative
        The hypotheses in words.
    nobs, nreg
        Number of observations and of regressors.
    options
        Every option used (trimming, distribution, peer package).
    """

    __test__: ClassVar[bool] = False  # not a pytest test class despite its name

    name: str
    statistic: float
    pvalue: float
    critical_values: dict[str, float]
    null: str
    alternative: str
    nobs: int
    nreg: int
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """``"<name> test"``."""
        return f"{self.name} test"

    def summary(self) -> str:
        """Statistic, p-value, critical values, hypotheses and options."""
        opts = ", ".join(f"{k}={v}" for k, v in self.options.items())
        return (
            f"{self.title}\n"
            f"  statistic = {_fmt(self.statistic)}, p-value = {_fmt(self.pvalue)}\n"
            f"  critical values: {_critical_values_line(self.critical_values)}\n"
            f"  H0: {self.null}\n  H1: {self.alternative}\n"
            f"  nobs = {self.nobs}, regressors = {self.nreg}; {opts}"
        )


@dataclass(frozen=True)
class ChowTestResult(Result):
    """Chow F test for structural change at known dates.

    Attributes
    ----------
    statistic, pvalue, df_num, df_denom
        F statistic and its p-value from F(df_num, df_denom).
    break_dates, break_positions, regime_starts
        The break dates (last date of each earlier regime), their 1-based
        positions, and the first date of each new regime.
    segment_nobs
        Observations in each regime.
    exact_fit_segments
        Regimes with ``k`` or fewer observations: they are fitted without
        error, so for them the test is Chow's predictive (forecast-failure) test.
    rss_restricted, rss_unrestricted
        RSS without breaks and with all coefficients changing at the breaks
        (``NaN`` for the HAC version, which is a Wald test).
    nobs, nreg
        Number of observations and of regressors.
    cov_type, maxlags
        ``"nonrobust"`` (classical F) or ``"HAC"`` (Newey-West Wald test
        reported as F = W / q); the Bartlett lag truncation for HAC.
    wald_chi2, pvalue_chi2
        The Wald statistic and its chi-square(q) p-value (equal to
        ``q * statistic`` for the classical test).
    null, alternative
        The hypotheses in words.
    """

    _title: ClassVar[str] = "Chow test"

    statistic: float
    pvalue: float
    df_num: int
    df_denom: int
    break_dates: tuple[float, ...]
    break_positions: tuple[int, ...]
    regime_starts: tuple[float, ...]
    segment_nobs: tuple[int, ...]
    exact_fit_segments: tuple[bool, ...]
    rss_restricted: float
    rss_unrestricted: float
    nobs: int
    nreg: int
    cov_type: str
    maxlags: int | None
    wald_chi2: float
    pvalue_chi2: float
    null: str = "coefficients equal in all regimes"
    alternative: str = "all coefficients change at the given break dates"

    @property
    def joint(self) -> bool:
        """True for a joint test of several break dates."""
        return len(self.break_positions) > 1

    def summary(self) -> str:
        """The test, its F statistic and p-value, the regimes and the hypotheses."""
        kind = "joint " if self.joint else ""
        cov = "classical F" if self.cov_type == "nonrobust" else f"HAC (Newey-West, {self.maxlags} lags) Wald/q"
        lines = [
            f"Chow {kind}test for breaks after {', '.join(_fmt_date(d) for d in self.break_dates)} ({cov})",
            f"  F({self.df_num}, {self.df_denom}) = {_fmt(self.statistic)}, p-value = {_fmt(self.pvalue)}",
            f"  regimes start {', '.join(_fmt_date(d) for d in self.regime_starts)}; observations per regime: "
            f"{', '.join(str(s) for s in self.segment_nobs)}",
        ]
        if any(self.exact_fit_segments):
            lines.append("  note: a regime with k or fewer observations is fitted exactly; the test is predictive there")
        lines.append(f"  H0: {self.null}; H1: {self.alternative}")
        return "\n".join(lines)


@dataclass(frozen=True)
class FStatsResult(Result):
    """F statistics over candidate break dates, and sup/ave/exp-F tests.

    Attributes
    ----------
    stats
        The F statistic (chi-square scale) of a break at each candidate.
    candidate_positions, candidate_dates
        Break position and break date of each candidate (same order as ``stats``).
    trim, from_, to, lambda_
        The trimming as given, the first and last candidate position, and
        ``lambda = ((n - from) to) / (from (n - to))`` of the Hansen (1997) p-values.
    nobs, nreg, rss_full
        Observations, regressors and the RSS without a break.
    break_position, break_date
        Position and date of the largest F statistic.
    sup_f, ave_f, exp_f
        The three tests.
    """

    _title: ClassVar[str] = "F statistics (single break)"

    stats: tuple[float, ...]
    candidate_positions: tuple[int, ...]
    candidate_dates: tuple[float, ...]
    trim: float
    from_: int
    to: int
    lambda_: float
    nobs: int
    nreg: int
    rss_full: float
    break_position: int
    break_date: float
    sup_f: TestResult
    ave_f: TestResult
    exp_f: TestResult

    def to_frame(self) -> pd.DataFrame:
        """The F sequence, one row per candidate break date."""
        return pd.DataFrame(
            {"break_position": self.candidate_positions, "F": self.stats},
            index=pd.Index(self.candidate_dates, name="break_date"),
        )

    def tests_frame(self) -> pd.DataFrame:
        """The sup-F, ave-F and exp-F tests: statistic, p-value and critical values."""
        rows = []
        for t in (self.sup_f, self.ave_f, self.exp_f):
            rows.append({"test": t.name, "statistic": t.statistic, "pvalue": t.pvalue, **t.critical_values})
        return pd.DataFrame(rows).set_index("test")

    def summary(self) -> str:
        """The candidate range, the date of the largest F and the three tests."""
        return (
            f"F statistics for one break, candidates {_fmt_date(self.candidate_dates[0])}.."
            f"{_fmt_date(self.candidate_dates[-1])} "
            f"(trim {self.trim:g}: break positions {self.from_}..{self.to} of {self.nobs})\n"
            f"  largest F at {_fmt_date(self.break_date)} (break position {self.break_position})\n"
            + self.tests_frame().to_string(float_format=lambda x: f"{x:.4f}")
        )


@dataclass(frozen=True)
class FluctuationTestResult(Result):
    """OLS-CUSUM or recursive-CUSUM fluctuation test with its process.

    Attributes
    ----------
    kind
        ``"OLS-CUSUM"`` or ``"Rec-CUSUM"``.
    statistic, pvalue, critical_values
        The test (critical values keyed ``"10%"``, ``"5%"``, ``"1%"``).
    process, process_dates
        The empirical fluctuation process and its dates.
    nobs, nreg, null, alternative, options
        As in :class:`TestResult`.
    """

    kind: str
    statistic: float
    pvalue: float
    critical_values: dict[str, float]
    process: tuple[float, ...]
    process_dates: tuple[float, ...]
    nobs: int
    nreg: int
    null: str
    alternative: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """``"<kind> test"``."""
        return f"{self.kind} test"

    def to_frame(self) -> pd.DataFrame:
        """The fluctuation process, indexed by date."""
        return pd.DataFrame({"process": self.process}, index=pd.Index(self.process_dates, name="date"))

    def summary(self) -> str:
        """Statistic, p-value, critical values and hypotheses."""
        return (
            f"{self.title}\n  statistic = {_fmt(self.statistic)}, p-value = {_fmt(self.pvalue)}\n"
            f"  critical values: {_critical_values_line(self.critical_values)}\n"
            f"  H0: {self.null}\n  H1: {self.alternative}\n"
            f"  nobs = {self.nobs}, regressors = {self.nreg}"
        )


@dataclass(frozen=True)
class BreakpointsResult(Result):
    """Bai-Perron global minimisers of the RSS for 0..max_breaks breaks.

    Attributes
    ----------
    nobs, nreg, h, max_breaks
        Sample size, number of regressors, minimum segment length (count) and
        the largest number of breaks searched.
    dates, response, regressors
        Observation dates and the names of the response and the regressors.
    rss, loglik, bic, lwz, lwz_strucchange
        Per number of breaks m = 0..max_breaks.  ``loglik`` and ``bic`` as in
        strucchange (``df = (k + 1)(m + 1)``); ``lwz`` the LWZ criterion in the form
        of Bai and Perron (2003) (criterion ``"LWZ"`` = ``"LWZ-BP2003"``);
        ``lwz_strucchange`` strucchange's ``LWZ()`` (strucchangeRcpp 1.5-4:
        ``-2 logLik + 0.299 (ln n)^2.1 (k + 1)(m + 1)``; criterion ``"LWZ-strucchange"``).
        See :func:`~ewp_stats.engines.breaks.breakpoints`.
    break_positions_by_m
        Optimal break positions (1-based) for every m; entry 0 is ``()``.
    criterion, selected
        The criterion used to pick the number of breaks and the m it picks.
    intervals
        Bai (1997) intervals at ``options["level"]`` for the selected breaks (``None`` if m = 0).
    y, X
        The response (n,) and regressor matrix (n, k) the breaks were estimated on
        (read-only copies); :meth:`coef`, :meth:`fitted` and :meth:`confint` use them.
    options
        Every option used.
    date_labels
        The calendar labels (``pd.Period`` or ``pd.Timestamp``) of the observations when
        ``y`` was indexed by a ``PeriodIndex`` or ``DatetimeIndex`` (``dates`` then holds
        the observation numbers 1..n); break dates and regime starts are then those labels.
        ``None`` for numeric dates.

    Notes
    -----
    Methods taking ``m`` default to the selected number of breaks.
    """

    _title: ClassVar[str] = "Bai-Perron break dating"

    nobs: int
    nreg: int
    h: int
    max_breaks: int
    dates: tuple[float, ...]
    response: str
    regressors: tuple[str, ...]
    rss: tuple[float, ...]
    loglik: tuple[float, ...]
    bic: tuple[float, ...]
    lwz: tuple[float, ...]
    lwz_strucchange: tuple[float, ...]
    break_positions_by_m: tuple[tuple[int, ...], ...]
    criterion: str
    selected: int
    intervals: BreakConfint | None
    y: np.ndarray = field(repr=False, compare=False)
    X: np.ndarray = field(repr=False, compare=False)
    options: dict[str, Any] = field(default_factory=dict)
    date_labels: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("y", "X"):
            arr = np.array(getattr(self, name), dtype=float)  # a private, read-only copy
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    # ---- access -----------------------------------------------------------
    def _m(self, m: int | None) -> int:
        if m is None:
            return self.selected
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 0 <= m <= self.max_breaks:
            raise InputError(f"number of breaks m must be an integer in 0..{self.max_breaks}; got {m!r}")
        return int(m)

    def break_positions(self, m: int | None = None) -> tuple[int, ...]:
        """1-based positions of the last observation before each break (strucchange ``breakpoints``)."""
        return self.break_positions_by_m[self._m(m)]

    def _labels(self) -> pd.Index | None:
        return None if self.date_labels is None else pd.Index(list(self.date_labels))

    def _date(self, i: int) -> Any:
        """Date of the 0-based observation ``i`` (a calendar label where there are labels)."""
        return self.date_labels[i] if self.date_labels is not None else float(self.dates[i])

    def break_dates(self, m: int | None = None) -> tuple[Any, ...]:
        """Break dates: the date of the last observation before each break (strucchange ``breakdates``).

        Floats for numeric dates; ``pd.Period``/``pd.Timestamp`` for a series indexed by periods.
        """
        return tuple(self._date(b - 1) for b in self.break_positions(m))

    def regime_starts(self, m: int | None = None) -> tuple[Any, ...]:
        """First date of each new regime."""
        return tuple(self._date(b) for b in self.break_positions(m))

    def regime_start_intervals(self) -> tuple[tuple[float, float], ...]:
        """The Bai (1997) ``intervals`` of the selected breaks as first dates of the new regime.

        Returns
        -------
        tuple of (float, float)
            Per selected break, the dates that follow the interval's lower and upper break-date
            bounds (extrapolated for equally spaced dates, as the interval's ``lower_dates``);
            NaN where a bound cannot be computed. Empty when no break is selected.
        """
        if self.intervals is None:
            return ()
        iv = self.intervals
        labels = self._labels()
        if labels is not None:
            return tuple((label_of(lo + 1, labels), label_of(up + 1, labels))
                         for lo, up in zip(iv.lower_positions, iv.upper_positions, strict=True))
        dates = np.asarray(self.dates)
        return tuple((date_of(lo + 1, dates), date_of(up + 1, dates))
                     for lo, up in zip(iv.lower_positions, iv.upper_positions, strict=True))

    def select(self, *, criterion: str = "BIC") -> int:
        """Number of breaks minimising a criterion (first minimum).

        ``"BIC"`` (the default), ``"LWZ"`` or ``"LWZ-BP2003"`` (the Bai-Perron 2003 form,
        the field ``lwz``) or ``"LWZ-strucchange"`` (strucchange's ``LWZ()``, the field ``lwz_strucchange``).
        """
        check_criterion(criterion)
        table = {"BIC": self.bic, "LWZ": self.lwz, "LWZ-BP2003": self.lwz, "LWZ-strucchange": self.lwz_strucchange}
        return int(np.nanargmin(np.asarray(table[criterion])))

    @property
    def rss_table(self) -> pd.DataFrame:
        """RSS, log-likelihood, BIC, LWZ and break dates for every m."""
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """RSS, log-likelihood, BIC, LWZ (Bai-Perron 2003 form), break dates and
        ``LWZ_strucchange`` (strucchange's ``LWZ()``), one row per number of breaks m."""
        return pd.DataFrame(
            {
                "RSS": self.rss,
                "logLik": self.loglik,
                "BIC": self.bic,
                "LWZ": self.lwz,
                "break_dates": [
                    ", ".join(_fmt_date(d) for d in self.break_dates(m)) for m in range(self.max_breaks + 1)
                ],
                "LWZ_strucchange": self.lwz_strucchange,
            },
            index=pd.RangeIndex(0, self.max_breaks + 1, name="m"),
        )

    def _bounds(self, m: int) -> list[tuple[int, int]]:
        bp = [0, *self.break_positions(m), self.nobs]
        return [(bp[i], bp[i + 1]) for i in range(len(bp) - 1)]

    def coef(self, m: int | None = None) -> pd.DataFrame:
        """OLS coefficients in each regime (rows: regimes, labelled by first-last date)."""
        m = self._m(m)
        rows = []
        for a, b in self._bounds(m):
            c, _ = segment_fit(self.y[a:b], self.X[a:b])
            rows.append(c)
        return pd.DataFrame(rows, index=pd.Index(self._regime_labels(m), name="regime"), columns=list(self.regressors))

    def fitted(self, m: int | None = None) -> np.ndarray:
        """Fitted values of the segmented regression with m breaks."""
        m = self._m(m)
        out = np.empty(self.nobs)
        for a, b in self._bounds(m):
            c, _ = segment_fit(self.y[a:b], self.X[a:b])
            out[a:b] = self.X[a:b] @ c
        return out

    def residuals(self, m: int | None = None) -> np.ndarray:
        """OLS residuals of the segmented regression with m breaks (strucchange ``residuals``)."""
        return np.asarray(self.y) - self.fitted(m)

    def _regime_labels(self, m: int) -> list[str]:
        return [f"{_fmt_date(self._date(a))} - {_fmt_date(self._date(b - 1))}" for a, b in self._bounds(m)]

    def vcov(
        self, m: int | None = None, *, het_reg: bool = True, het_err: bool = True
    ) -> dict[str, pd.DataFrame]:
        """Covariance matrix of each regime's coefficients (strucchange ``vcov(breakpoints)``).

        Parameters
        ----------
        m
            Number of breaks (default: the selected one).
        het_reg, het_err
            Regressor moments / error variance of the regime itself (``True``, strucchange's
            default) or of the full sample.

        Returns
        -------
        dict of pandas.DataFrame
            Keyed by regime (first - last date, as :meth:`coef`), ``k x k`` matrices.

        Notes
        -----
        As strucchange 1.5-3 (without ``vcov.``): ``sigma^2 Q^{-1} / n_j`` with maximum-likelihood
        variances (RSS over observations, no degrees-of-freedom correction).  With
        ``het_err=False`` every regime gets the full-sample ``sigma^2 (X'X / n)^{-1} / n``
        whatever ``het_reg`` says, exactly as strucchange (it only recomputes the matrix when
        the error variance is regime-specific).  The regime errors are taken as serially
        uncorrelated.
        """
        m = self._m(m)
        n = self.nobs
        X, y = np.asarray(self.X), np.asarray(self.y)
        res = self.residuals(m)
        q_all = X.T @ X / n
        omega_all = float(res @ res) / n * np.linalg.inv(q_all) / n
        out = {}
        for label, (a, b) in zip(self._regime_labels(m), self._bounds(m), strict=True):
            omega = omega_all
            if het_err:
                nj = b - a
                _, r = segment_fit(y[a:b], X[a:b])
                q = X[a:b].T @ X[a:b] / nj if het_reg else q_all
                omega = float(r @ r) / nj * np.linalg.inv(q) / nj
            out[label] = pd.DataFrame(omega, index=list(self.regressors), columns=list(self.regressors))
        return out

    def breakfactor(self, m: int | None = None, *, labels: Sequence[str] | None = None) -> pd.Series:
        """The regime of every observation (strucchange ``breakfactor``).

        Parameters
        ----------
        m
            Number of breaks (default: the selected one).
        labels
            Names of the m + 1 regimes; default ``"segment1"``, ``"segment2"``, ... as strucchange.

        Returns
        -------
        pandas.Series
            Categorical (categories in regime order), indexed by the observation dates.
        """
        m = self._m(m)
        names = [f"segment{i}" for i in range(1, m + 2)] if labels is None else [str(v) for v in labels]
        if len(names) != m + 1 or len(set(names)) != m + 1:
            raise InputError(f"labels must be {m + 1} distinct names (one per regime); got {labels!r}")
        codes = np.repeat(np.arange(m + 1), [b - a for a, b in self._bounds(m)])
        index = self._labels() if self.date_labels is not None else pd.Index(self.dates, name="date")
        return pd.Series(pd.Categorical.from_codes(codes, categories=names), index=index, name="regime")

    def confint(
        self, m: int | None = None, *, level: float = 0.95, het_reg: bool = True, het_err: bool = True
    ) -> BreakConfint:
        """Bai (1997) confidence intervals, as strucchange ``confint(breakpoints)``.

        See :func:`~ewp_stats.engines.breaks.confint.break_confint` for the options.
        """
        labels = self._labels()
        return break_confint(
            self.y, self.X, self.break_positions(self._m(m)), np.asarray(self.dates) if labels is None else labels,
            level=level, het_reg=het_reg, het_err=het_err,
        )

    # ---- display ----------------------------------------------------------
    def summary(self) -> str:
        """The model, the criteria for every m, the intervals and the regime coefficients."""
        m = self.selected
        lines = [
            f"Bai-Perron break dating: {self.response} on {', '.join(self.regressors)}",
            f"  n = {self.nobs} ({_fmt_date(self._date(0))}-{_fmt_date(self._date(self.nobs - 1))}), minimum segment h = {self.h}, "
            f"up to {self.max_breaks} breaks; {self.criterion} selects m = {m}",
            self.to_frame().to_string(float_format=lambda x: f"{x:.4f}"),
        ]
        if self.intervals is not None:
            lines.append(self.intervals.summary())
        if m > 0:
            lines.append("Regime coefficients:\n" + self.coef(m).to_string(float_format=lambda x: f"{x:.6g}"))
        return "\n".join(lines)
