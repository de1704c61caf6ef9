"""Tests of the conformal inference engine (ewp_stats.engines.conformal).

Peer: pysyncon 1.7.0 ``ConformalInference`` (live; its weights come from the pre-period alone, our
``refit=False``). Identities: the fixed-weight interval is the gap plus or minus the largest
pre-period residual at 90% with 12 pre-period years. Size: the refitted test (CWZ Theorem 1) on
simulated panels with exchangeable errors. Planted effect: the panel of tests/engines/test_synth.py
(effect 3.0 from 2012, noise sd 0.2).
"""

import io

import numpy as np
import pandas as pd
import pytest

from ewp_stats.engines.conformal import conformal_intervals, conformal_pvalue, path_pvalue
from ewp_stats.engines.synth import synth_control
from ewp_stats.errors import InputError
from tests.engines.test_synth import DONORS, PEER_PANEL, POST, PRE


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(PEER_PANEL), index_col="year")


def test_fixed_weights_interval_is_gap_plus_minus_largest_pre_residual(panel):
    r = conformal_intervals(panel, "T", DONORS, pre_period=PRE, post_period=POST, level=0.9, refit=False)
    sc = synth_control(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    c = float(np.abs(sc.gap.loc[: PRE[1]]).max())
    np.testing.assert_allclose(r.gaps, sc.gap.loc[POST[0]:].to_numpy(), atol=1e-6)
    np.testing.assert_allclose(np.subtract(r.upper, r.gaps), c, atol=2 * r.tol)
    np.testing.assert_allclose(np.subtract(r.gaps, r.lower), c, atol=2 * r.tol)


def test_matches_pysyncon_conformal_without_refit(panel):
    pysyncon = pytest.importorskip("pysyncon")
    from pysyncon.inference import ConformalInference

    pre_years, post = list(range(PRE[0], PRE[1] + 1)), [2012, 2015]
    X0, X1 = panel.loc[pre_years, DONORS], panel.loc[pre_years, "T"]
    sd = pd.concat([X0, X1], axis=1).std(axis=1).to_numpy()
    V = sd ** 2 / np.sum(sd ** 2)  # V = I on the raw outcomes (as in test_synth)
    scm = pysyncon.Synth()
    scm.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=V)
    ci = ConformalInference().confidence_intervals(
        alpha=0.1, scm=scm, Z0=panel[DONORS], Z1=panel["T"], pre_periods=pre_years, post_periods=post,
        tol=0.001, verbose=False, scm_fit_args=dict(X0=X0, X1=X1, custom_V=V))
    ours = conformal_intervals(panel, "T", DONORS, pre_period=PRE, post_period=POST, level=0.9, refit=False,
                               tol=1e-4).to_frame()
    for year in post:  # pysyncon stops inside the interval, within its tol of the endpoint
        assert ours.loc[year, "lower"] == pytest.approx(ci.loc[year, "lower_ci"], abs=0.01)
        assert ours.loc[year, "upper"] == pytest.approx(ci.loc[year, "upper_ci"], abs=0.01)


def test_planted_effect_is_covered_and_zero_rejected(panel):
    r = conformal_intervals(panel, "T", DONORS, pre_period=PRE, post_period=POST, level=0.9)
    f = r.to_frame()
    assert ((f["lower"] < 3.0) & (3.0 < f["upper"])).all()
    assert (f["lower"] > 0).all()
    np.testing.assert_allclose(f["pvalue_zero"], r.min_pvalue)
    # the whole-path test refits on all 20 years: the trending donors D1 and D4 absorb much of a
    # step, so it does not reject (a power limit of refitting, not of the pointwise tests)
    assert path_pvalue(panel[DONORS].to_numpy(), panel["T"].to_numpy(), 12, theta=3.0) > 0.1


def test_refitted_test_has_its_size_under_exchangeable_errors():
    rng = np.random.default_rng(11)
    n_pre, n_sims, alpha = 19, 400, 0.1
    rejections = paths = 0
    for _ in range(n_sims):
        X = np.cumsum(rng.normal(size=(n_pre + 1, 5)), axis=0) + 10
        y = X @ np.array([0.5, 0.3, 0.2, 0.0, 0.0]) + rng.normal(scale=0.5, size=n_pre + 1)
        rejections += conformal_pvalue(X, y, n_pre, 0.0) <= alpha
        paths += path_pvalue(X, y, n_pre - 4, theta=0.0) <= alpha
    # binomial(400, 0.1): sd 0.015; the test is exact, so its size is at most 0.1 up to Monte Carlo error
    assert rejections / n_sims < alpha + 0.04
    assert paths / n_sims < alpha + 0.04


def test_level_the_pre_period_cannot_reach_is_refused(panel):
    with pytest.raises(InputError, match="needs at least 19 pre-period years"):
        conformal_intervals(panel, "T", DONORS, pre_period=PRE, post_period=POST, level=0.95)
    with pytest.raises(InputError, match="level must be in"):
        conformal_intervals(panel, "T", DONORS, pre_period=PRE, post_period=POST, level=90)
