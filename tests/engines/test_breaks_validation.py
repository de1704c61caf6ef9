"""Every validation path of ewp_stats.engines.breaks raises InputError with a precise message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.errors import InputError

RNG = np.random.default_rng(0)
Y = pd.Series(RNG.standard_normal(40), index=np.arange(1980, 2020), name="y")
TREND = np.column_stack([np.ones(40), np.arange(40.0)])


def test_too_few_observations_for_requested_breaks():
    with pytest.raises(InputError, match=r"too few observations for 5 breaks with minimum segment length h = 10"):
        B.breakpoints(Y, h=10, max_breaks=5)


def test_h_not_larger_than_number_of_regressors():
    with pytest.raises(InputError, match=r"h = 2 observations must be larger than the number of regressors k = 2"):
        B.breakpoints(Y, TREND, h=2)
    with pytest.raises(InputError, match=r"h = 2 observations must be larger"):
        B.breakpoints(Y, TREND, h=0.06)  # floor(40 * 0.06) = 2


def test_h_above_half_the_sample():
    with pytest.raises(InputError, match=r"at most half the number of observations"):
        B.breakpoints(Y, h=25)


def test_h_bad_type():
    with pytest.raises(InputError, match=r"h must be a fraction"):
        B.breakpoints(Y, h="5")
    with pytest.raises(InputError, match=r"must be an integer"):
        B.breakpoints(Y, h=5.5)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_missing_or_nonfinite_y(bad):
    y = Y.copy()
    y.iloc[7] = bad
    with pytest.raises(InputError, match=r"y has 1 missing or non-finite value\(s\), first at 1987"):
        B.breakpoints(y)
    with pytest.raises(InputError, match=r"missing or non-finite"):
        B.fstats(y)
    with pytest.raises(InputError, match=r"missing or non-finite"):
        B.chow_test(y, None, 1990)
    with pytest.raises(InputError, match=r"missing or non-finite"):
        B.cusum_test(y)


def test_missing_in_X():
    X = TREND.copy()
    X[3, 1] = np.nan
    with pytest.raises(InputError, match=r"X has 1 missing or non-finite value\(s\), first at row 3, column 'x2'"):
        B.breakpoints(Y, X)


def test_non_numeric_y_and_X():
    with pytest.raises(InputError, match=r"y must be numeric"):
        B.breakpoints(pd.Series(["a"] * 40))
    with pytest.raises(InputError, match=r"X must be numeric; column\(s\) \['c'\]"):
        B.breakpoints(Y, pd.DataFrame({"c": ["x"] * 40}, index=Y.index))


def test_length_mismatch():
    with pytest.raises(InputError, match=r"X has 39 rows but y has 40 observations"):
        B.breakpoints(Y, TREND[:39])


def test_non_numeric_date_index():
    y = pd.Series(Y.to_numpy(), index=[f"y{i}" for i in range(40)])
    with pytest.raises(InputError, match=r"the index of y must be numeric"):
        B.breakpoints(y)
    with pytest.raises(InputError, match=r"dates must be numeric"):
        B.breakpoints(Y.to_numpy(), dates=pd.Index([f"d{i}" for i in range(40)]))


def test_unsorted_date_index():
    y = Y.iloc[::-1]
    with pytest.raises(InputError, match=r"dates must be strictly increasing .* position 1 has 2018.0 after 2019.0"):
        B.breakpoints(y)
    dup = np.arange(40.0)
    dup[5] = dup[4]
    with pytest.raises(InputError, match=r"strictly increasing"):
        B.fstats(Y.to_numpy(), dates=dup)


def test_known_break_date_outside_admissible_range():
    with pytest.raises(InputError, match=r"break date 2030 is outside the admissible range: it is not a date"):
        B.chow_test(Y, TREND, 2030)
    with pytest.raises(InputError, match=r"outside the admissible range: regime 2 \(empty\) has 0 observation"):
        B.chow_test(Y, TREND, 2019)
    with pytest.raises(InputError, match=r"regime 1 \(1980-1980\) has 1 observation\(s\), needs at least 3 \(HAC"):
        B.chow_test(Y, TREND, 1980, cov_type="HAC")
    with pytest.raises(InputError, match=r"needs at least 3 .*HAC needs residuals"):
        B.chow_test(Y, TREND, 2017, cov_type="HAC")
    with pytest.raises(InputError, match=r"strictly increasing without duplicates"):
        B.chow_test(Y, TREND, [2000, 1990])


def test_fstats_trimming_outside_admissible_range():
    with pytest.raises(InputError, match=r"each side needs at least k \+ 1 = 3 observations"):
        B.fstats(Y, TREND, trim=0.05)


def test_singular_regressor_matrix_in_a_segment():
    # a regressor that is zero before 2000: singular in early segments
    X = np.column_stack([np.ones(40), (Y.index >= 2000).astype(float)])
    with pytest.raises(InputError, match=r"regressor matrix is singular \(rank < 2\) in \d+ segment\(s\) .* first in dates 1980"):
        B.breakpoints(Y, X, h=6)
    with pytest.raises(InputError, match=r"singular in regime 1 \(1980-1994\)"):
        B.chow_test(Y, X, 1994)


def test_bad_options():
    with pytest.raises(InputError, match=r"criterion must be 'BIC' or 'LWZ'"):
        B.breakpoints(Y, criterion="AIC")
    with pytest.raises(InputError, match=r"cov_type must be 'nonrobust' or 'HAC'"):
        B.chow_test(Y, None, 1990, cov_type="HC3")
    with pytest.raises(InputError, match=r"kind must be 'OLS-CUSUM' or 'Rec-CUSUM'"):
        B.cusum_test(Y, kind="MOSUM")
    with pytest.raises(InputError, match=r"break_dates is required"):
        B.chow_test(Y)
    res = B.breakpoints(Y, h=8)
    with pytest.raises(InputError, match=r"number of breaks m must be an integer in 0\.\.3"):
        res.breaks(7)
    with pytest.raises(InputError, match=r"level must be in \(0, 1\)"):
        res.confint(1, level=95)
