"""Tests of the augmented synthetic control (ewp_stats.engines.ascm).

Peer values: pysyncon 1.7.0 ``AugSynth`` (no covariates) on the panel of tests/engines/test_synth.py,
script (run outside the repository, and live below when pysyncon is installed)::

    long = panel.reset_index().melt(id_vars="year", var_name="unit", value_name="y")
    dp = Dataprep(foo=long, predictors=[], predictors_op="mean", dependent="y", unit_variable="unit",
                  time_variable="year", treatment_identifier="T", controls_identifier=DONORS,
                  time_predictors_prior=range(2000, 2012), time_optimize_ssr=range(2000, 2012))
    a = AugSynth(); a.fit(dataprep=dp, lambda_=lam, use_covariates=False)   # lam = None, 1.0
    a.lambda_, a.W, (Z1 - Z0 @ a.W).mean()                                  # Z: 2012-2019 outcomes
"""

import io

import numpy as np
import pandas as pd
import pytest

from ewp_stats.engines.ascm import augmented_synth
from ewp_stats.engines.synth import synth_control
from ewp_stats.errors import InputError
from tests.engines.test_synth import DONORS, PEER_PANEL, POST, PRE

PEER_CV_LAMBDA = 1151.7573256367161
PEER_CV_MEAN_POST_GAP = 2.8678505792777296
PEER_W_LAMBDA_1 = [0.46313, 0.28353, 0.16748, 0.04839, 0.06027, -0.0228]
PEER_MEAN_POST_GAP_LAMBDA_1 = 2.8571754562759297


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(PEER_PANEL), index_col="year")


def test_matches_pysyncon_cross_validated(panel):
    r = augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert r.lambda_ == pytest.approx(PEER_CV_LAMBDA, rel=1e-9)
    assert r.mean_post_gap == pytest.approx(PEER_CV_MEAN_POST_GAP, abs=1e-6)


def test_matches_pysyncon_fixed_lambda(panel):
    r = augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=1.0)
    np.testing.assert_allclose(r.weights, PEER_W_LAMBDA_1, atol=1e-5)
    assert r.mean_post_gap == pytest.approx(PEER_MEAN_POST_GAP_LAMBDA_1, abs=1e-6)
    assert sum(r.weights) == pytest.approx(1.0) and min(r.weights) < 0  # extrapolates
    assert r.pre_rmspe < r.sc_pre_rmspe


def test_live_pysyncon(panel):
    pysyncon = pytest.importorskip("pysyncon")
    long = panel.reset_index().melt(id_vars="year", var_name="unit", value_name="y")
    dp = pysyncon.Dataprep(foo=long, predictors=[], predictors_op="mean", dependent="y", unit_variable="unit",
                           time_variable="year", treatment_identifier="T", controls_identifier=DONORS,
                           time_predictors_prior=range(2000, 2012), time_optimize_ssr=range(2000, 2012))
    a = pysyncon.AugSynth()
    a.fit(dataprep=dp, lambda_=0.3, use_covariates=False)
    r = augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=0.3)
    np.testing.assert_allclose(r.weights, a.W, atol=1e-5)


def test_large_lambda_is_the_synthetic_control_and_planted_effect(panel):
    r = augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=1e12)
    sc = synth_control(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    np.testing.assert_allclose(r.weights, sc.weights, atol=1e-6)
    assert r.mean_post_gap == pytest.approx(3.0, abs=0.3)  # the panel's planted effect
    shifted = panel.copy()
    shifted.loc[2012:, "T"] += 5.0
    base = augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=1.0)
    moved = augmented_synth(shifted, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=1.0)
    assert moved.mean_post_gap - base.mean_post_gap == pytest.approx(5.0, abs=1e-9)


def test_bad_inputs(panel):
    with pytest.raises(InputError, match="lambda_"):
        augmented_synth(panel, "T", DONORS, pre_period=PRE, post_period=POST, lambda_=0.0)
    with pytest.raises(InputError, match="at least 3"):
        augmented_synth(panel, "T", DONORS[:2], pre_period=PRE, post_period=POST)
