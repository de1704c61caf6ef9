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
break_confint
    Bai (1997) confidence intervals for breaks at given positions.
bai_perron_tests
    Bai-Perron (1998, 2003) sup-F(m), UDmax, WDmax and sequential sup-F(l+1|l) tests with
    their published critical values (:func:`~ewp_stats.engines.breaks.bai_perron_critical_values`),
    and the sequential estimate of the number of breaks; checked against R mbreaks 1.0.1.
bai_perron_confint
    Break-date intervals as R mbreaks (``interval``), with its HAC (``robust``, ``prewhit``) and
    heterogeneity (``het_omega``, ``het_q``) options and fixed-coefficient regressors.
bootstrap_test, bootstrap_sequential
    Sieve (AR) and wild bootstrap p-values for the Chow, sup/ave/exp-F, UDmax, WDmax and
    sup-F(l+1|l) tests, and the sequential procedure with bootstrap p-values.
break_date_set
    Confidence set for a single break date by inverting a bootstrap likelihood-ratio test
    (no large-break or stationary-regressor assumption, unlike Bai 1997).
cusum_test
    OLS-CUSUM and recursive-CUSUM fluctuation tests.
mosum_test
    OLS-MOSUM fluctuation test (strucchange ``efp(type = "OLS-MOSUM")``) with its tabulated p-value.
plot_breakpoints
    Series, fitted regimes, break dates and their intervals.

Vocabulary (the same in every function, field and column)
---------------------------------------------------------
``breakpoints``
    Only the name of the Bai-Perron estimator (strucchange's ``breakpoints()``) and of its
    result, :class:`~ewp_stats.engines.breaks.results.BreakpointsResult`; no field or method is called ``breakpoints``.
*break position* (``break_positions``, ``break_position``)
    The 1-based number of the last observation before a break: a break at position 28
    means the first regime is observations 1..28.  This is what strucchange stores in
    ``$breakpoints`` and returns from ``breakpoints(bp)``.
*break date* (``break_dates``, ``break_date``)
    The date of that last observation (strucchange's ``breakdates()``): a break "at 1997"
    ends the old regime with 1997.
*regime start* (``regime_starts``)
    The first date of the new regime, the date after the break date (1998 in the example).

Data arguments (``y``, ``X``, and the tested ``break_dates`` of :func:`chow_test`) may be
passed by position; every option (``h``, ``trim``, ``level``, ``criterion``, ``dates``,
``het_reg``, ...) is keyword-only.  Every result derives from
:class:`ewp_stats._results.Result` and has ``pvalue`` where it has a p-value.
Every function was checked against R strucchange 1.5-3, and the Bai-Perron tests against R
mbreaks 1.0.1.
"""

from ewp_stats.engines.breaks.bai_perron import breakpoints
from ewp_stats.engines.breaks.bai_perron_tests import (
    BaiPerronTestsResult,
    bai_perron_critical_values,
    bai_perron_tests,
)
from ewp_stats.engines.breaks.bootstrap import (
    BootstrapSequentialResult,
    BootstrapTestResult,
    bootstrap_sequential,
    bootstrap_test,
)
from ewp_stats.engines.breaks.bp_intervals import bai_perron_confint
from ewp_stats.engines.breaks.chow import chow_test
from ewp_stats.engines.breaks.confint import BreakConfint, break_confint, pargmaxv
from ewp_stats.engines.breaks.cusum import cusum_test
from ewp_stats.engines.breaks.date_set import BreakDateSetResult, break_date_set
from ewp_stats.engines.breaks.mosum import mosum_test, pvalue_mosum
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
    "bai_perron_confint",
    "bai_perron_critical_values",
    "bai_perron_tests",
    "bootstrap_sequential",
    "bootstrap_test",
    "breakpoints",
    "break_confint",
    "break_date_set",
    "chow_test",
    "cusum_test",
    "fstats",
    "mosum_test",
    "pargmaxv",
    "plot_breakpoints",
    "pvalue_fstats",
    "pvalue_mosum",
    "BaiPerronTestsResult",
    "BootstrapSequentialResult",
    "BootstrapTestResult",
    "BreakDateSetResult",
    "BreakConfint",
    "BreakpointsResult",
    "ChowTestResult",
    "FluctuationTestResult",
    "FStatsResult",
    "TestResult",
]
