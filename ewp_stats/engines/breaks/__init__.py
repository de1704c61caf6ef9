"""Structural-break tests and dating (a Python counterpart of R strucchange).

Public functions
----------------
chow_test
    Chow F test at one or several known break dates (classical or HAC).
fstats
    F statistics over all candidate dates; sup-F, ave-F and exp-F tests with
    Hansen (1997) p-values.
breakpoints
    Bai-Perron global RSS minimisation for 0..M breaks with BIC/LWZ selection
    and Bai (1997) confidence intervals.
cusum_test
    OLS-CUSUM and recursive-CUSUM fluctuation tests.
plot_breakpoints
    Series, fitted regimes, break dates and their intervals.

Conventions: a *breakpoint* is the 1-based position of the last observation
before a break; a *break date* is that observation's date (strucchange's
``breakdates``); ``regime_starts`` are the first dates of the new regimes.
Every function was checked against R strucchange 1.5-3.
"""

from ewp_stats.engines.breaks.bai_perron import breakpoints
from ewp_stats.engines.breaks.chow import chow_test
from ewp_stats.engines.breaks.confint import BreakConfint, break_confint, pargmaxv
from ewp_stats.engines.breaks.cusum import cusum_test
from ewp_stats.engines.breaks.plot import plot_breakpoints
from ewp_stats.engines.breaks.results import (
    BreakpointsResult,
    ChowTestResult,
    FluctuationTestResult,
    FStatsResult,
    TestResult,
)
from ewp_stats.engines.breaks.supf import fstats, pvalue_fstats

__all__ = [
    "breakpoints",
    "break_confint",
    "chow_test",
    "cusum_test",
    "fstats",
    "pargmaxv",
    "plot_breakpoints",
    "pvalue_fstats",
    "BreakConfint",
    "BreakpointsResult",
    "ChowTestResult",
    "FluctuationTestResult",
    "FStatsResult",
    "TestResult",
]
