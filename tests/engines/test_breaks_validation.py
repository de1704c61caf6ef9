"""Every validation path of ewp_stats.engines.breaks raises InputError with a precise message.

One table: each row plants one defect in the input (or an option) and names the exact error
type and the message it must carry.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.errors import InputError

RNG = np.random.default_rng(0)
Y = pd.Series(RNG.standard_normal(40), index=np.arange(1980, 2020), name="y")
TREND = np.column_stack([np.ones(40), np.arange(40.0)])


def _with(values: pd.Series, position: int, value: float) -> pd.Series:
    out = values.copy()
    out.iloc[position] = value
    return out


def _x_with_nan() -> np.ndarray:
    X = TREND.copy()
    X[3, 1] = np.nan
    return X


def _duplicated_dates() -> np.ndarray:
    dup = np.arange(40.0)
    dup[5] = dup[4]
    return dup


#: a regressor that is zero before 2000: singular in early segments
STEP = np.column_stack([np.ones(40), (Y.index >= 2000).astype(float)])
STRING_INDEX = pd.Series(Y.to_numpy(), index=[f"y{i}" for i in range(40)])
FIT = B.breakpoints(Y, h=8)

CASES = [
    # ---- sample size and minimum segment length
    pytest.param(lambda: B.breakpoints(Y, h=10, max_breaks=5),
                 r"too few observations for 5 breaks with minimum segment length h = 10", id="too-many-breaks"),
    pytest.param(lambda: B.breakpoints(Y, TREND, h=2),
                 r"h = 2 observations must be larger than the number of regressors k = 2", id="h-not-above-k"),
    pytest.param(lambda: B.breakpoints(Y, TREND, h=0.06),  # floor(40 * 0.06) = 2
                 r"h = 2 observations must be larger than the number of regressors k = 2", id="h-fraction-not-above-k"),
    pytest.param(lambda: B.breakpoints(Y, h=25),
                 r"h = 25 must be at most half the number of observations \(n = 40, so h <= 20\)", id="h-above-half"),
    pytest.param(lambda: B.breakpoints(Y, h="5"),
                 r"h must be a fraction in \(0, 1\) or a number of observations; got '5'", id="h-string"),
    pytest.param(lambda: B.breakpoints(Y, h=5.5),
                 r"h >= 1 is a number of observations and must be an integer; got 5\.5", id="h-non-integer"),
    pytest.param(lambda: B.breakpoints(Y, max_breaks=0),
                 r"max_breaks must be a positive integer; got 0", id="max-breaks-zero"),
    pytest.param(lambda: B.fstats(Y, TREND, trim=0.05),
                 r"trim=0\.05 gives candidate breaks 2\.\.38 of n=40; each side needs at least k \+ 1 = 3 observations",
                 id="fstats-trim-too-small"),
    pytest.param(lambda: B.fstats(Y, trim=0),
                 r"trim must be a fraction in \(0, 0\.5\) or a positive number of observations; got 0",
                 id="fstats-trim-zero"),
    # ---- missing, non-finite and non-numeric data
    pytest.param(lambda: B.breakpoints(_with(Y, 7, np.nan)),
                 r"y has 1 missing or non-finite value\(s\), first at 1987", id="y-nan-breakpoints"),
    pytest.param(lambda: B.breakpoints(_with(Y, 7, np.inf)),
                 r"y has 1 missing or non-finite value\(s\), first at 1987", id="y-inf-breakpoints"),
    pytest.param(lambda: B.fstats(_with(Y, 7, np.nan)),
                 r"y has 1 missing or non-finite value\(s\), first at 1987", id="y-nan-fstats"),
    pytest.param(lambda: B.chow_test(_with(Y, 7, np.nan), None, 1990),
                 r"y has 1 missing or non-finite value\(s\), first at 1987", id="y-nan-chow"),
    pytest.param(lambda: B.cusum_test(_with(Y, 7, np.inf)),
                 r"y has 1 missing or non-finite value\(s\), first at 1987", id="y-inf-cusum"),
    pytest.param(lambda: B.breakpoints(Y, _x_with_nan()),
                 r"X has 1 missing or non-finite value\(s\), first at row 3, column 'x2'", id="X-nan"),
    pytest.param(lambda: B.breakpoints(pd.Series(["a"] * 40)), r"y must be numeric; got dtype (object|str)", id="y-strings"),
    pytest.param(lambda: B.breakpoints(Y, pd.DataFrame({"c": ["x"] * 40}, index=Y.index)),
                 r"X must be numeric; column\(s\) \['c'\] are not", id="X-strings"),
    pytest.param(lambda: B.breakpoints(Y, TREND[:39]),
                 r"X has 39 rows but y has 40 observations; they must match", id="X-length"),
    # ---- dates
    pytest.param(lambda: B.breakpoints(STRING_INDEX),
                 r"the index of y must be numeric \(e\.g\. integer years\), a PeriodIndex or a DatetimeIndex to serve as dates", id="index-strings"),
    pytest.param(lambda: B.breakpoints(Y.to_numpy(), dates=pd.Index([f"d{i}" for i in range(40)])),
                 r"dates must be numeric \(e\.g\. integer years\); got dtype (object|str)", id="dates-strings"),
    pytest.param(lambda: B.breakpoints(Y.iloc[::-1]),
                 r"dates must be strictly increasing .* position 1 has 2018\.0 after 2019\.0", id="index-reversed"),
    pytest.param(lambda: B.fstats(Y.to_numpy(), dates=_duplicated_dates()),
                 r"dates must be strictly increasing \(sorted, no duplicates\); position 5 has 4\.0 after 4\.0",
                 id="dates-duplicated"),
    # ---- known break dates of the Chow test
    pytest.param(lambda: B.chow_test(Y, TREND, 2030),
                 r"break date 2030 is outside the admissible range: it is not a date of the sample \(1980\.\.2019\)",
                 id="chow-date-not-in-sample"),
    pytest.param(lambda: B.chow_test(Y, TREND, 2019),
                 r"outside the admissible range: regime 2 \(empty\) has 0 observation\(s\), needs at least 1",
                 id="chow-empty-regime"),
    pytest.param(lambda: B.chow_test(Y, TREND, 1980, cov_type="HAC"),
                 r"regime 1 \(1980-1980\) has 1 observation\(s\), needs at least 3 \(HAC needs residuals",
                 id="chow-hac-short-first-regime"),
    pytest.param(lambda: B.chow_test(Y, TREND, 2017, cov_type="HAC"),
                 r"regime 2 \(2018-2019\) has 2 observation\(s\), needs at least 3 \(HAC needs residuals",
                 id="chow-hac-short-last-regime"),
    pytest.param(lambda: B.chow_test(Y, TREND, [2000, 1990]),
                 r"break dates must be strictly increasing without duplicates; got \[2000, 1990\]",
                 id="chow-dates-unsorted"),
    pytest.param(lambda: B.chow_test(Y, TREND, "1990a"),
                 r"break date '1990a' is not numeric", id="chow-date-not-numeric"),
    pytest.param(lambda: B.chow_test(Y),
                 r"break_dates is required: the last date of each earlier regime", id="chow-no-dates"),
    # ---- singular regressors
    pytest.param(lambda: B.breakpoints(Y, STEP, h=6),
                 r"regressor matrix is singular \(rank < 2\) in \d+ segment\(s\) .* first in dates 1980",
                 id="singular-segment"),
    pytest.param(lambda: B.chow_test(Y, STEP, 1994),
                 r"the regressor matrix is singular in regime 1 \(1980-1994\)", id="chow-singular-regime"),
    # ---- options
    pytest.param(lambda: B.breakpoints(Y, criterion="AIC"), r"criterion must be one of 'BIC', 'LWZ', 'LWZ-BP2003', 'LWZ-strucchange'; got 'AIC'",
                 id="criterion"),
    pytest.param(lambda: B.chow_test(Y, None, 1990, cov_type="HC3"),
                 r"cov_type must be 'nonrobust' or 'HAC'; got 'HC3'", id="cov-type"),
    pytest.param(lambda: B.cusum_test(Y, kind="MOSUM"),
                 r"kind must be 'OLS-CUSUM' or 'Rec-CUSUM'; got 'MOSUM'", id="cusum-kind"),
    pytest.param(lambda: B.pvalue_fstats(10.0, "maxF", 2, 40.0),
                 r"type must be one of \['aveF', 'expF', 'supF'\]; got 'maxF'", id="pvalue-type"),
    pytest.param(lambda: B.fstats(Y, trim=0.15, to=0.99),
                 r"trim=0\.15, to=0\.99 give candidate breaks 6\.\.39 of n=40", id="fstats-to-too-large"),
    pytest.param(lambda: B.fstats(Y, trim=0.5, to=0.3), r"from <= to", id="fstats-from-after-to"),
    pytest.param(lambda: B.mosum_test(Y, h=0), r"h must be a fraction of the sample in \(0, 1\); got 0", id="mosum-h"),
    pytest.param(lambda: B.mosum_test(Y.iloc[:10], h=0.05), r"gives a window of floor\(10 \* 0\.05\) = 0",
                 id="mosum-empty-window"),
    pytest.param(lambda: B.bai_perron_tests(Y, TREND, fixed=TREND[:, 1:]),
                 r"collinear|linearly dependent", id="bp-tests-fixed-collinear"),
    pytest.param(lambda: B.bai_perron_tests(Y, max_breaks=2, robust=True, het_data=False),
                 r"het_data=False is not available with robust=True or fixed regressors", id="bp-tests-robust-hetdat"),
    pytest.param(lambda: B.bai_perron_tests(Y, max_breaks=2, prewhit=True),
                 r"prewhit=True only applies to the HAC variance", id="bp-tests-prewhit"),
    pytest.param(lambda: B.bai_perron_confint(Y, None, [20, 20]),
                 r"break_positions must be increasing positions in 1\.\.39; got \[20, 20\]", id="bp-confint-positions"),
    pytest.param(lambda: B.bai_perron_confint(Y, None, [20], level=1.5), r"level must be in \(0, 1\); got 1\.5",
                 id="bp-confint-level"),
    pytest.param(lambda: FIT.breakfactor(1, labels=["a", "a"]), r"labels must be 2 distinct names", id="result-breakfactor"),
    # ---- methods of a fitted result
    pytest.param(lambda: FIT.break_dates(7), r"number of breaks m must be an integer in 0\.\.3; got 7",
                 id="result-m-too-large"),
    pytest.param(lambda: FIT.break_positions(True), r"number of breaks m must be an integer in 0\.\.3; got True",
                 id="result-m-bool"),
    pytest.param(lambda: FIT.confint(1, level=95), r"level must be in \(0, 1\); got 95", id="result-level"),
    pytest.param(lambda: FIT.confint(0), r"cannot compute confidence intervals for zero breaks", id="result-zero-breaks"),
    pytest.param(lambda: FIT.select(criterion="AIC"), r"criterion must be one of 'BIC', 'LWZ', 'LWZ-BP2003', 'LWZ-strucchange'; got 'AIC'",
                 id="result-select-criterion"),
]


@pytest.mark.parametrize(("call", "match"), CASES)
def test_invalid_input_is_refused(call: Callable[[], object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        call()


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: B.breakpoints(Y, None, 5), id="breakpoints-h"),
        pytest.param(lambda: B.fstats(Y, None, 0.15), id="fstats-trim"),
        pytest.param(lambda: B.cusum_test(Y, None, "OLS-CUSUM"), id="cusum-kind"),
        pytest.param(lambda: B.chow_test(Y, None, 1990, None), id="chow-dates"),
        pytest.param(lambda: FIT.confint(1, 0.9), id="confint-level"),
    ],
)
def test_options_are_keyword_only(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match=r"positional argument"):
        call()
