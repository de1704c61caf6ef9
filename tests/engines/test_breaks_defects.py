"""Regression tests for the defects of issue 11 in ewp_stats.engines.breaks.

One section per defect: integer (RangeIndex) dates; collinear and near-collinear
regressors; degenerate series (constant, noise-free step, values near 1e300); exp-F
without overflow; HAC ``maxlags`` validation; the two LWZ criteria; calendar
(PeriodIndex / DatetimeIndex) break dates.  Expected values are planted in the data,
taken from R strucchange (tests/engines/reference/strucchange_reference.json) or
computed by hand in the test, never copied from the package's output.
"""

from __future__ import annotations

import itertools
import json
import math
from decimal import Decimal, getcontext
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.engines.breaks.confint import break_confint
from ewp_stats.errors import InputError

REF = json.loads((Path(__file__).parent / "reference" / "strucchange_reference.json").read_text())


def _three_regimes(n_first: int = 15, n_mid: int = 6, n_last: int = 11, seed: int = 0) -> np.ndarray:
    """Mean 0, then 5, then 0, with noise of sd 0.3: breaks after n_first and n_first + n_mid."""
    rng = np.random.default_rng(seed)
    levels = np.r_[np.zeros(n_first), np.full(n_mid, 5.0), np.zeros(n_last)]
    return levels + 0.3 * rng.standard_normal(levels.size)


# --------------------------------------------------------------------------- 1. integer indexes
VALUES = _three_regimes()  # 32 observations, breaks after observations 15 and 21


@pytest.mark.parametrize(
    "index",
    [
        pytest.param(pd.RangeIndex(1978, 2010), id="RangeIndex"),
        pytest.param(pd.Index(np.arange(1978, 2010, dtype=np.int64)), id="int64-Index"),
        pytest.param(pd.Index(np.arange(1978, 2010, dtype=np.int32)), id="int32-Index"),
        pytest.param(pd.Index(np.arange(1978, 2010, dtype=np.uint16)), id="uint16-Index"),
    ],
)
def test_integer_index_gives_year_dates(index):
    y = pd.Series(VALUES, index=index)
    bp = B.breakpoints(y, h=5, max_breaks=2)
    assert bp.break_positions(2) == (15, 21)
    assert bp.break_dates(2) == (1992.0, 1998.0)
    assert bp.regime_starts(2) == (1993.0, 1999.0)
    assert all(type(v) is float for v in bp.break_dates(2))
    fs = B.fstats(y, trim=0.15)
    assert fs.candidate_dates[0] == 1978.0 + fs.from_ - 1
    chow = B.chow_test(y, None, 1992)
    assert chow.break_positions == (15,)
    assert chow.regime_starts == (1993.0,)


def test_numpy_array_still_gives_observation_numbers():
    bp = B.breakpoints(VALUES, h=5, max_breaks=2)
    assert bp.break_dates(2) == (15.0, 21.0)


# --------------------------------------------------------------------------- 2. collinear regressors
N = 60
T = np.arange(1.0, N + 1)
Y60 = np.r_[np.zeros(30), np.full(30, 2.0)] + np.random.default_rng(2).standard_normal(N)


def _near_collinear(eps: float, seed: int = 2) -> pd.DataFrame:
    """The seed-2 design on which breakpoints() crashed with 'math domain error' (eps = 1e-7)."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(30), np.full(30, 2.0)] + rng.standard_normal(N)
    return y, pd.DataFrame({"const": 1.0, "t": T, "t2": T + eps * rng.standard_normal(N)})


EXACT = pd.DataFrame({"const": 1.0, "t": T, "t_twice_plus_1": 2 * T + 1})
COLLINEAR_MSG = (
    r"the regressors are collinear \(rank 2 < k = 3 at relative tolerance 1e-07\): column\(s\) "
    r"\['(t|t_twice_plus_1|t2)'\] are \(numerically\) linear combinations of \[.*\]; drop them"
)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: B.breakpoints(Y60, EXACT, h=0.15), id="breakpoints-exact"),
        pytest.param(lambda: B.fstats(Y60, EXACT), id="fstats-exact"),
        pytest.param(lambda: B.cusum_test(Y60, EXACT.assign(t_twice_plus_1=2 * T + 1 + 1e-9 * np.sin(T))),
                     id="cusum-near"),
        pytest.param(lambda: B.breakpoints(*_near_collinear(1e-7), h=0.15), id="breakpoints-math-domain-case"),
        pytest.param(lambda: B.fstats(*_near_collinear(1e-7)), id="fstats-near"),
        pytest.param(lambda: B.breakpoints(*_near_collinear(1e-10), h=0.15), id="breakpoints-1e-10"),
    ],
)
def test_collinear_regressors_are_named(call):
    with pytest.raises(InputError, match=COLLINEAR_MSG):
        call()


def test_zero_column_is_named():
    X = pd.DataFrame({"const": 1.0, "zero": 0.0}, index=range(N))
    with pytest.raises(InputError, match=r"column\(s\) \['zero'\] are identically zero; drop them"):
        B.breakpoints(Y60, X)


def test_moderately_collinear_regressors_still_work():
    y, X = _near_collinear(1e-2)
    bp = B.breakpoints(y, X, h=0.15)
    assert all(math.isfinite(v) for v in bp.rss)
    # the RSS with one break equals direct least squares at the reported break
    (b,) = bp.break_positions(1)
    Xa = X.to_numpy()
    rss = 0.0
    for a, e in ((0, b), (b, N)):
        c, *_ = np.linalg.lstsq(Xa[a:e], y[a:e], rcond=None)
        r = y[a:e] - Xa[a:e] @ c
        rss += float(r @ r)
    assert bp.rss[1] == pytest.approx(rss, rel=1e-6)


def test_confint_with_non_positive_delta_q_delta_is_nan_not_a_crash():
    # regimes with exactly equal means: delta = 0, so delta' Q delta = 0 (was a
    # ZeroDivisionError); the interval is NaN with a note
    y = np.tile([1.0, -1.0], 10)
    ci = break_confint(y, np.ones((20, 1)), [10], np.arange(1.0, 21.0))
    assert math.isnan(ci.lower_positions[0]) and math.isnan(ci.upper_positions[0])
    assert len(ci.notes) == 1 and ci.notes[0].startswith("interval 1 cannot be computed")


# --------------------------------------------------------------------------- 3. degenerate series
CONSTANT = np.full(40, 3.0)
STEP = np.r_[np.zeros(20), np.ones(20)]
HUGE = 1e300 * (1 + 0.1 * np.random.default_rng(1).standard_normal(40))
NO_VARIATION = r"y has no residual variation: the model without breaks fits it exactly \(RSS = .*\)"
TOO_LARGE = r"y has values up to 1\.\d+e\+300 in absolute value; sums of squares of 40 such values overflow"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda: B.breakpoints(CONSTANT), NO_VARIATION, id="constant-breakpoints"),
        pytest.param(lambda: B.fstats(CONSTANT), NO_VARIATION, id="constant-fstats"),
        pytest.param(lambda: B.cusum_test(CONSTANT), NO_VARIATION, id="constant-ols-cusum"),
        pytest.param(lambda: B.cusum_test(CONSTANT, kind="Rec-CUSUM"), NO_VARIATION, id="constant-rec-cusum"),
        pytest.param(lambda: B.breakpoints(np.arange(40.0), np.column_stack([np.ones(40), np.arange(40.0)])),
                     NO_VARIATION, id="exact-trend-breakpoints"),
        pytest.param(lambda: B.breakpoints(HUGE), TOO_LARGE, id="huge-breakpoints"),
        pytest.param(lambda: B.fstats(HUGE), TOO_LARGE, id="huge-fstats"),
        pytest.param(lambda: B.cusum_test(HUGE), TOO_LARGE, id="huge-cusum"),
        pytest.param(lambda: B.chow_test(HUGE, None, 20), TOO_LARGE, id="huge-chow"),
    ],
)
def test_degenerate_series_raise_clear_errors(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_noise_free_step_is_dated_exactly():
    bp = B.breakpoints(STEP, h=5, max_breaks=3)
    assert bp.rss[0] == pytest.approx(10.0, rel=1e-12)  # 40 * 0.5 * 0.5
    assert bp.rss[1:] == (0.0, 0.0, 0.0)
    assert bp.bic[1] == -math.inf and bp.lwz[1] == -math.inf and bp.lwz_strucchange[1] == -math.inf
    assert bp.selected == 1
    assert bp.break_positions() == (20,)
    iv = bp.intervals
    assert math.isnan(iv.lower_positions[0]) and math.isnan(iv.upper_positions[0])
    assert "the error variance is zero in an adjacent segment" in iv.notes[0]
    fs = B.fstats(STEP)
    assert fs.break_position == 20
    assert fs.sup_f.statistic == math.inf and fs.sup_f.pvalue == 0.0
    assert fs.exp_f.statistic == math.inf and fs.exp_f.pvalue == 0.0


# --------------------------------------------------------------------------- 4. exp-F
def test_exp_f_does_not_overflow_for_a_strong_break():
    rng = np.random.default_rng(4)
    y = np.r_[np.zeros(50), np.full(50, 9.0)] + rng.standard_normal(100)
    fs = B.fstats(y)
    assert 1500 < fs.sup_f.statistic < 2500  # a strong break: exp(F/2) overflows float64
    getcontext().prec = 50
    mean = sum(Decimal(f / 2).exp() for f in fs.stats) / len(fs.stats)
    assert fs.exp_f.statistic == pytest.approx(float(mean.ln()), rel=1e-12)
    assert math.isfinite(fs.exp_f.pvalue) and 0.0 <= fs.exp_f.pvalue < 1e-3


def test_exp_f_matches_strucchange_on_ukdd():
    c = REF["ukdd"]
    y = np.asarray(c["y"])
    X = np.column_stack([np.ones(y.size), c["ylag1"], c["ylag12"]])
    fs = B.fstats(y, X, trim=0.1)
    assert fs.exp_f.statistic == pytest.approx(c["fstats"]["expF"], rel=1e-6)


# --------------------------------------------------------------------------- 5. HAC maxlags
Y40 = np.random.default_rng(5).standard_normal(40)


@pytest.mark.parametrize("maxlags", [-1, -5, 40, 41, 1000, 2.5, True, "3"])
def test_hac_maxlags_outside_range_is_refused(maxlags):
    msg = rf"maxlags must be an integer in 0\.\.39 \(0 <= maxlags < n = 40\); got {maxlags!r}"
    with pytest.raises(InputError, match=msg):
        B.chow_test(Y40, None, 20, cov_type="HAC", maxlags=maxlags)


@pytest.mark.parametrize("maxlags", [0, 3, 39])
def test_hac_maxlags_in_range_is_used(maxlags):
    res = B.chow_test(Y40, None, 20, cov_type="HAC", maxlags=maxlags)
    assert res.maxlags == maxlags


# --------------------------------------------------------------------------- 6. LWZ
def _ukdd_fit():
    c = REF["ukdd"]
    y = np.asarray(c["y"])
    X = np.column_stack([np.ones(y.size), c["ylag1"], c["ylag12"]])
    return c, B.breakpoints(y, X, h=0.1)


def test_lwz_both_forms_against_hand_computation_from_stored_rss():
    c, bp = _ukdd_fit()
    rss = c["breakpoints"]["rss"]  # strucchange 1.5-3's RSS for m = 0..8
    n, k = 180, 3
    assert bp.nobs == n and bp.nreg == k and len(bp.rss) == len(rss)
    bp2003, sc = [], []
    for m, r in enumerate(rss):
        p = (m + 1) * k + m
        bp2003.append(math.log(r / (n - p)) + p * 0.299 * math.log(n) ** 2.1 / n)
        loglik = -0.5 * n * (math.log(r) + 1 - math.log(n) + math.log(2 * math.pi))
        sc.append(-2 * loglik + 0.299 * math.log(n) ** 2.1 * (k + 1) * (m + 1))
    np.testing.assert_allclose(bp.lwz, bp2003, rtol=1e-8)
    np.testing.assert_allclose(bp.lwz_strucchange, sc, rtol=1e-8)
    m_bp, m_sc = int(np.argmin(bp2003)), int(np.argmin(sc))
    assert bp.select(criterion="LWZ") == bp.select(criterion="LWZ-BP2003") == m_bp
    assert bp.select(criterion="LWZ-strucchange") == m_sc
    table = bp.to_frame()
    assert list(table.columns) == ["RSS", "logLik", "BIC", "LWZ", "break_dates", "LWZ_strucchange"]


def test_the_two_lwz_forms_select_different_m():
    rng = np.random.default_rng(3)
    y = np.r_[np.zeros(20), np.full(20, 1.2), np.zeros(20)] + rng.standard_normal(60)
    bp = B.breakpoints(y, h=0.15)
    n, k = 60, 1
    # RSS by direct least squares (segment means) at the reported optimal breaks
    rss = []
    for m in range(bp.max_breaks + 1):
        cuts = [0, *bp.break_positions(m), n]
        rss.append(sum(float(np.sum((y[a:b] - y[a:b].mean()) ** 2)) for a, b in itertools.pairwise(cuts)))
    np.testing.assert_allclose(bp.rss, rss, rtol=1e-10)
    p = [(m + 1) * k + m for m in range(len(rss))]
    bp2003 = [math.log(r / (n - q)) + q * 0.299 * math.log(n) ** 2.1 / n for r, q in zip(rss, p)]
    sc = [n * (math.log(r) + 1 - math.log(n) + math.log(2 * math.pi)) + 0.299 * math.log(n) ** 2.1 * (k + 1) * (m + 1)
          for m, r in enumerate(rss)]
    assert (int(np.argmin(bp2003)), int(np.argmin(sc))) == (0, 2)
    assert bp.select(criterion="LWZ-BP2003") == 0
    assert bp.select(criterion="LWZ-strucchange") == 2
    assert bp.selected == bp.select(criterion="BIC") == 2  # the default criterion is BIC


@pytest.mark.parametrize(
    ("criterion", "field"),
    [("BIC", "bic"), ("LWZ", "lwz"), ("LWZ-BP2003", "lwz"), ("LWZ-strucchange", "lwz_strucchange")],
)
def test_criterion_selects_its_own_minimum(criterion, field):
    c = REF["ukdd"]
    y = np.asarray(c["y"])
    X = np.column_stack([np.ones(y.size), c["ylag1"], c["ylag12"]])
    bp = B.breakpoints(y, X, h=0.1, criterion=criterion)
    assert bp.criterion == criterion
    assert bp.selected == int(np.argmin(getattr(bp, field)))


def test_default_criterion_is_bic():
    _, bp = _ukdd_fit()
    assert bp.criterion == "BIC"
    assert bp.selected == REF["ukdd"]["breakpoints"]["selected_m"]  # strucchange's BIC choice


# --------------------------------------------------------------------------- 7. calendar dates
UKDD_Y = np.asarray(REF["ukdd"]["y"])
UKDD_X = np.column_stack([np.ones(UKDD_Y.size), REF["ukdd"]["ylag1"], REF["ukdd"]["ylag12"]])


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(pd.period_range("1970-01", periods=180, freq="M"),
                     (pd.Period("1973-10", "M"), pd.Period("1983-01", "M")), id="PeriodIndex-monthly"),
        pytest.param(pd.date_range("1970-01-01", periods=180, freq="MS"),
                     (pd.Timestamp("1973-10-01"), pd.Timestamp("1983-01-01")), id="DatetimeIndex-monthly"),
    ],
)
def test_monthly_calendar_index_gives_calendar_break_dates(index, expected):
    # strucchange: breakdates(bp) = 1973(10), 1983(1) for the log UK driver deaths model
    bp = B.breakpoints(pd.Series(UKDD_Y, index=index), UKDD_X, h=0.1)
    assert bp.break_positions(2) == (46, 157)
    assert bp.break_dates(2) == expected
    assert all(type(v) is type(expected[0]) for v in bp.break_dates(2))
    step = 1 if isinstance(index, pd.PeriodIndex) else pd.offsets.MonthBegin()
    assert bp.regime_starts(2) == (expected[0] + step, expected[1] + step)
    # strucchange confint(breaks = 2): positions 33..56 and 144..171
    ci = bp.confint(2)
    assert ci.break_dates == expected
    assert ci.lower_dates == (index[33 - 1], index[144 - 1])
    assert ci.upper_dates == (index[56 - 1], index[171 - 1])


QUARTERLY = pd.Series(_three_regimes(12, 10, 10, seed=3), index=pd.period_range("1990Q1", periods=32, freq="Q"))


def test_quarterly_period_index_in_every_function():
    bp = B.breakpoints(QUARTERLY, h=5, max_breaks=2)
    assert bp.break_dates(2) == (pd.Period("1992Q4", "Q"), pd.Period("1995Q2", "Q"))
    fs = B.fstats(QUARTERLY)
    assert isinstance(fs.break_date, pd.Period) and fs.break_date.freqstr.startswith("Q")
    assert fs.candidate_dates[0] == pd.Period("1990Q1", "Q") + (fs.from_ - 1)
    chow = B.chow_test(QUARTERLY, None, pd.Period("1992Q4", "Q"))
    assert chow.break_positions == (12,)
    assert chow.break_dates == (pd.Period("1992Q4", "Q"),)
    assert chow.regime_starts == (pd.Period("1993Q1", "Q"),)
    assert B.chow_test(QUARTERLY, None, "1992Q4").break_positions == (12,)
    with pytest.raises(InputError, match=r"break date '2020Q1' is outside the admissible range"):
        B.chow_test(QUARTERLY, None, "2020Q1")
    cus = B.cusum_test(QUARTERLY)
    assert cus.process_dates[0] == pd.Period("1989Q4", "Q")  # one period before the first
    assert cus.process_dates[-1] == pd.Period("1997Q4", "Q")
    assert "1992Q4" in bp.summary()
    assert bp.to_dict()["date_labels"][0] == "1990Q1"
