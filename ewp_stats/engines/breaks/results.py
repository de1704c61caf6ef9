"""Frozen result objects of the break tests.

Each result is immutable, computed eagerly, and offers ``summary()`` (plain
text), ``_repr_html_()`` (for notebooks), ``to_dict()`` (JSON-serialisable)
and, where tabular, ``to_frame()``.  Break positions are given both as
strucchange-style *breakpoints* (the number of observations up to and
including the last observation before the break, 1-based) and as *dates*
(the date of that last observation, strucchange's ``breakdates``); the
first date of the new regime is given as ``regime_starts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats._results import fmt_number as _fmt
from ewp_stats._results import html_block as _html_block
from ewp_stats._results import public_dict as _public_dict
from ewp_stats._results import fmt_date as _fmt_date
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


@dataclass(frozen=True)
class TestResult:
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

    name: str
    statistic: float
    pvalue: float
    critical_values: dict[str, float]
    null: str
    alternative: str
    nobs: int
    nreg: int
    options: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        cv = ", ".join(f"{k}: {_fmt(v)}" for k, v in self.critical_values.items())
        opts = ", ".join(f"{k}={v}" for k, v in self.options.items())
        return (
            f"{self.name} test\n"
            f"  statistic = {_fmt(self.statistic)}, p-value = {_fmt(self.pvalue)}\n"
            f"  critical values: {cv}\n"
            f"  H0: {self.null}\n  H1: {self.alternative}\n"
            f"  nobs = {self.nobs}, regressors = {self.nreg}; {opts}"
        )

    def _repr_html_(self) -> str:
        return _html_block(f"{self.name} test", self.summary())

    def to_dict(self) -> dict:
        return _public_dict(self)


@dataclass(frozen=True)
class ChowTestResult:
    """Chow F test for structural change at known dates.

    Attributes
    ----------
    statistic, pvalue, df_num, df_denom
        F statistic and its p-value from F(df_num, df_denom).
    break_dates, breakpoints, regime_starts
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
    cov_type, maxlags
        ``"nonrobust"`` (classical F) or ``"HAC"`` (Newey-West Wald test
        reported as F = W / q); the Bartlett lag truncation for HAC.
    wald_chi2, pvalue_chi2
        The Wald statistic and its chi-square(q) p-value (equal to
        ``q * statistic`` for the classical test).
    """

    statistic: float
    pvalue: float
    df_num: int
    df_denom: int
    break_dates: tuple[float, ...]
    breakpoints: tuple[int, ...]
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
        return len(self.breakpoints) > 1

    def summary(self) -> str:
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

    def _repr_html_(self) -> str:
        return _html_block("Chow test", self.summary())

    def to_dict(self) -> dict:
        return _public_dict(self)


@dataclass(frozen=True)
class FStatsResult:
    """F statistics over candidate break dates, and sup/ave/exp-F tests."""

    stats: tuple[float, ...]
    breakpoints: tuple[int, ...]
    dates: tuple[float, ...]
    trim: float
    from_: int
    to: int
    lambda_: float
    nobs: int
    nreg: int
    rss_full: float
    breakpoint: int
    break_date: float
    sup_f: TestResult
    ave_f: TestResult
    exp_f: TestResult

    def to_frame(self) -> pd.DataFrame:
        """The F sequence, one row per candidate break date."""
        return pd.DataFrame(
            {"breakpoint": self.breakpoints, "F": self.stats},
            index=pd.Index(self.dates, name="break_date"),
        )

    def tests_frame(self) -> pd.DataFrame:
        rows = []
        for t in (self.sup_f, self.ave_f, self.exp_f):
            rows.append({"test": t.name, "statistic": t.statistic, "pvalue": t.pvalue, **t.critical_values})
        return pd.DataFrame(rows).set_index("test")

    def summary(self) -> str:
        return (
            f"F statistics for one break, candidates {_fmt_date(self.dates[0])}..{_fmt_date(self.dates[-1])} "
            f"(trim {self.trim:g}: breakpoints {self.from_}..{self.to} of {self.nobs})\n"
            f"  largest F at {_fmt_date(self.break_date)} (breakpoint {self.breakpoint})\n"
            + self.tests_frame().to_string(float_format=lambda x: f"{x:.4f}")
        )

    def _repr_html_(self) -> str:
        return _html_block("F statistics (single break)", self.summary())

    def to_dict(self) -> dict:
        return _public_dict(self)


@dataclass(frozen=True)
class FluctuationTestResult:
    """OLS-CUSUM or recursive-CUSUM fluctuation test with its process."""

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

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"process": self.process}, index=pd.Index(self.process_dates, name="date"))

    def summary(self) -> str:
        cv = ", ".join(f"{k}: {_fmt(v)}" for k, v in self.critical_values.items())
        return (
            f"{self.kind} test\n  statistic = {_fmt(self.statistic)}, p-value = {_fmt(self.pvalue)}\n"
            f"  critical values: {cv}\n  H0: {self.null}\n  H1: {self.alternative}\n"
            f"  nobs = {self.nobs}, regressors = {self.nreg}"
        )

    def _repr_html_(self) -> str:
        return _html_block(f"{self.kind} test", self.summary())

    def to_dict(self) -> dict:
        return _public_dict(self)


@dataclass(frozen=True)
class BreakpointsResult:
    """Bai-Perron global minimisers of the RSS for 0..max_breaks breaks.

    Attributes
    ----------
    nobs, nreg, h, max_breaks
        Sample size, number of regressors, minimum segment length (count) and
        the largest number of breaks searched.
    dates, response, regressors
        Observation dates and names.
    rss, loglik, bic, lwz
        Per number of breaks m = 0..max_breaks.  ``loglik`` and ``bic`` as in
        strucchange (``df = (k + 1)(m + 1)``); ``lwz`` as defined by Bai and
        Perron (2003) (strucchange has no LWZ).
    breaks_by_m
        Optimal breakpoints (1-based positions) for every m.
    criterion, selected
        The criterion used to pick the number of breaks and the m it picks.
    intervals
        95% Bai (1997) intervals for the selected breaks (``None`` if m = 0).
    """

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
    breaks_by_m: tuple[tuple[int, ...], ...]
    criterion: str
    selected: int
    intervals: BreakConfint | None
    options: dict[str, Any] = field(default_factory=dict)
    _y: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _X: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    # ---- access -----------------------------------------------------------
    def _m(self, m: int | None) -> int:
        if m is None:
            return self.selected
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 0 <= m <= self.max_breaks:
            raise InputError(f"number of breaks m must be an integer in 0..{self.max_breaks}; got {m!r}")
        return int(m)

    def breakpoints(self, m: int | None = None) -> tuple[int, ...]:
        """1-based positions of the last observation before each break (default: selected m)."""
        return self.breaks_by_m[self._m(m)]

    def breaks(self, m: int | None = None) -> tuple[float, ...]:
        """Break dates (date of the last observation before each break)."""
        return tuple(float(self.dates[b - 1]) for b in self.breakpoints(m))

    def regime_starts(self, m: int | None = None) -> tuple[float, ...]:
        """First date of each new regime."""
        return tuple(float(self.dates[b]) for b in self.breakpoints(m))

    def select(self, criterion: str = "BIC") -> int:
        """Number of breaks minimising ``"BIC"`` or ``"LWZ"`` (first minimum)."""
        table = {"BIC": self.bic, "LWZ": self.lwz}
        if criterion not in table:
            raise InputError(f"criterion must be 'BIC' or 'LWZ'; got {criterion!r}")
        return int(np.nanargmin(np.asarray(table[criterion])))

    @property
    def rss_table(self) -> pd.DataFrame:
        """RSS, log-likelihood, BIC, LWZ and break dates for every m."""
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "RSS": self.rss,
                "logLik": self.loglik,
                "BIC": self.bic,
                "LWZ": self.lwz,
                "break_dates": [", ".join(_fmt_date(d) for d in self.breaks(m)) for m in range(self.max_breaks + 1)],
            },
            index=pd.RangeIndex(0, self.max_breaks + 1, name="m"),
        )

    def _bounds(self, m: int) -> list[tuple[int, int]]:
        bp = [0, *self.breakpoints(m), self.nobs]
        return [(bp[i], bp[i + 1]) for i in range(len(bp) - 1)]

    def coef(self, m: int | None = None) -> pd.DataFrame:
        """OLS coefficients in each regime (rows: regimes, labelled by first-last date)."""
        m = self._m(m)
        rows, labels = [], []
        for a, b in self._bounds(m):
            c, _ = segment_fit(self._y[a:b], self._X[a:b])
            rows.append(c)
            labels.append(f"{_fmt_date(self.dates[a])} - {_fmt_date(self.dates[b - 1])}")
        return pd.DataFrame(rows, index=pd.Index(labels, name="regime"), columns=list(self.regressors))

    def fitted(self, m: int | None = None) -> np.ndarray:
        """Fitted values of the segmented regression with m breaks."""
        m = self._m(m)
        out = np.empty(self.nobs)
        for a, b in self._bounds(m):
            c, _ = segment_fit(self._y[a:b], self._X[a:b])
            out[a:b] = self._X[a:b] @ c
        return out

    def confint(
        self, m: int | None = None, level: float = 0.95, het_reg: bool = True, het_err: bool = True
    ) -> BreakConfint:
        """Bai (1997) confidence intervals, as strucchange ``confint(breakpoints)``."""

        m = self._m(m)
        return break_confint(self._y, self._X, self.breakpoints(m), np.asarray(self.dates), level, het_reg, het_err)

    # ---- display ----------------------------------------------------------
    def summary(self) -> str:
        m = self.selected
        lines = [
            f"Bai-Perron break dating: {self.response} on {', '.join(self.regressors)}",
            f"  n = {self.nobs} ({_fmt_date(self.dates[0])}-{_fmt_date(self.dates[-1])}), minimum segment h = {self.h}, "
            f"up to {self.max_breaks} breaks; {self.criterion} selects m = {m}",
            self.to_frame().to_string(float_format=lambda x: f"{x:.4f}"),
        ]
        if self.intervals is not None:
            lines.append(self.intervals.summary())
        if m > 0:
            lines.append("Regime coefficients:\n" + self.coef(m).to_string(float_format=lambda x: f"{x:.6g}"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return _html_block("Bai-Perron break dating", self.summary())

    def to_dict(self) -> dict:
        return _public_dict(self)
