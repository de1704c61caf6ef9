"""Tests of ewp_stats.paper.xinjiang_estimators: identities with the chapter's other estimators,
the live peer (synthdid-py 0.1.0) on Xinjiang's own panel, what the data cannot give (95%
conformal intervals), and the power table's arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from ewp_stats.engines.synth import synth_control
from ewp_stats.errors import InputError
from ewp_stats.paper import xinjiang as xj
from ewp_stats.paper import xinjiang_estimators as xe


@pytest.mark.parametrize("outcome", ["log_real_gdp", "log_real_gdp_per_capita"])
def test_sdid_engines_did_is_the_chapters_did(outcome):
    """Equal weights in the synthetic DiD engine give the did engine's estimate on the same design."""
    assert xe.xinjiang_sdid(outcome=outcome, method="did").estimate == pytest.approx(
        xj.did_comparison(region="all", outcome=outcome).estimate, abs=1e-9)


def test_sc_weights_match_the_chapters_synthetic_control_on_logs():
    """The synthetic DiD engine's SC (tiny ridge) fits Xinjiang's log per-capita path like synth_control does."""
    r = xe.xinjiang_sdid(method="sc")
    panel = xj.outcome_panel("log_real_gdp_per_capita")
    sc = synth_control(panel, xj.TREATED, list(r.donors), pre_period=(2000, 2010), post_period=(2011, 2019),
                       allow_more_donors_than_periods=True)
    assert r.estimate == pytest.approx(sc.mean_post_gap, abs=0.05)


def test_live_peer_on_xinjiang_panel():
    sd = pytest.importorskip("synthdid")
    r = xe.xinjiang_sdid()
    panel = xj.outcome_panel("log_real_gdp_per_capita").loc[2000:2019, [*r.donors, xj.TREATED]]
    Y = panel.to_numpy(dtype=float).T
    assert float(sd.synthdid_estimate(Y, len(r.donors), 11)) == pytest.approx(r.estimate, abs=0.02)
    assert float(sd.did_estimate(Y, len(r.donors), 11)) == pytest.approx(
        xe.xinjiang_sdid(method="did").estimate, abs=1e-6)


def test_sdid_sensitivity_grid_and_in_time_placebo():
    grid = xe.sdid_sensitivity(rules=("baseline",))
    assert len(grid) == 3 * 2 * 3  # timings x outcomes x methods
    base = grid.query("method == 'sdid' and outcome == 'log_real_gdp_per_capita' and treatment_year == 2011")
    assert base["estimate"].item() == pytest.approx(xe.xinjiang_sdid().estimate)
    np.testing.assert_allclose(grid["mde"], 2.801585 * grid["se"], rtol=1e-6)
    placebo = grid[grid["treatment_year"] == xj.IN_TIME_PLACEBO_YEAR]
    assert (placebo["last_year"] == 2009).all()


def test_conformal_95_percent_is_beyond_eleven_pre_years():
    with pytest.raises(InputError, match="needs at least 19 pre-period years"):
        xe.xinjiang_conformal(level=0.95)
    r = xe.xinjiang_conformal()
    assert r.min_pvalue == pytest.approx(1 / 12) and r.post_years == tuple(range(2011, 2020))
    sc = xj.xinjiang_synth()
    np.testing.assert_allclose(r.gaps, sc.gap.loc[2011:].to_numpy(), atol=1e-6)
    assert all(lo < g < hi for lo, g, hi in zip(r.lower, r.gaps, r.upper))


def test_design_power_table():
    t = xe.design_power()
    aid = xj.aid_share_of_gdp()
    sdid = t.loc["sdid_log_real_gdp_per_capita"]
    assert sdid["mde"] == pytest.approx(2.801585 * sdid["se"], rel=1e-6)
    assert sdid["mde_over_aid"] == pytest.approx(sdid["mde"] / aid)
    d = xj.did_comparison(region="all", outcome="real_growth")
    assert t.loc["did_real_growth", "se"] == pytest.approx(d.ct_se) and np.isnan(t.loc["did_real_growth", "mde_over_aid"])


def test_injection_power_grows_with_the_effect():
    r = xe.xinjiang_injection_power(effects=(0.05, 0.2, 1.0))
    assert r.power[0] <= r.power[1] <= r.power[2]
    assert r.n_units == len(xj.donor_pool(region="all", rule="baseline"))
    with pytest.raises(InputError, match="synthetic DiD outcome"):
        xe.xinjiang_sdid(outcome="real_growth")


def test_ascm_is_close_to_the_synthetic_control_when_its_fit_is_close():
    r = xe.xinjiang_ascm()
    sc = xj.xinjiang_synth()
    assert r.sc_pre_rmspe == pytest.approx(sc.pre_rmspe, rel=1e-6)
    assert r.pre_rmspe <= r.sc_pre_rmspe + 1e-9
    assert r.n_units == len(sc.donors) + 1 and sum(r.weights) == pytest.approx(1.0)


@pytest.mark.parametrize("outcome", ["real_growth", "log_real_gdp"])
def test_ferman_pinto_unscaled_interval_is_the_chapters_conley_taber(outcome):
    fp = xe.xinjiang_ferman_pinto(outcome=outcome)
    d = xj.did_comparison(region="all", outcome=outcome)
    assert fp.estimate == pytest.approx(d.estimate)
    assert fp.ct_ci == pytest.approx(d.ct_np_ci) and fp.coverage == pytest.approx(d.ct_np_coverage)
