"""Tests of the synthetic control estimator (ewp_stats.engines.synth) and single-treated DiD (ewp_stats.engines.did).

Peer values were produced with pysyncon 1.7.0 on the panel ``PEER_PANEL`` below
(script, run outside the repository)::

    import io, numpy as np, pandas as pd
    from pysyncon import Synth, Dataprep
    from pysyncon.utils import PlaceboTest
    panel = pd.read_csv(io.StringIO(PEER_PANEL), index_col="year")
    donors = [f"D{j}" for j in range(6)]
    pre = panel.loc[2000:2011]; X0, X1 = pre[donors], pre["T"]
    sd = pd.concat([X0, X1], axis=1).std(axis=1).to_numpy()
    s = Synth(); s.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=sd**2 / np.sum(sd**2))  # V = I on raw outcomes
    s.W, s.loss_V ** 0.5
    s2 = Synth(); s2.fit(X0=X0, X1=X1, Z0=X0, Z1=X1)                                  # nested V
    s2.W, s2.loss_V ** 0.5
    long = panel.reset_index().melt(id_vars="year", var_name="unit", value_name="y")
    dp = Dataprep(foo=long, predictors=[], predictors_op="mean", dependent="y", unit_variable="unit",
                  time_variable="year", treatment_identifier="T", controls_identifier=donors,
                  time_predictors_prior=range(2000, 2012),
                  special_predictors=[("y", [y], "mean") for y in range(2000, 2012)],
                  time_optimize_ssr=range(2000, 2012))
    pt = PlaceboTest(); pt.fit(dataprep=dp, scm=Synth(), max_workers=2, verbose=False)
    pt.pvalue(treatment_time=2012)

The panel itself was drawn once (numpy default_rng(7): donors are random walks,
the treated unit is 0.5 D0 + 0.3 D1 + 0.2 D2 + N(0, 0.2) noise, plus 3.0 from 2012)
and rounded to 3 decimals, so the test does not depend on numpy's generator.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats.engines.did import did_single_treated
from ewp_stats.errors import InputError
from ewp_stats.engines.synth_plot import plot_synth_gaps, plot_synth_path
from ewp_stats.engines.synth import (
    leave_one_out,
    permutation_pvalue,
    placebo_in_space,
    simplex_lstsq,
    synth_control,
)

PEER_PANEL = """year,D0,D1,D2,D3,D4,D5,T
2000,10.564,12.736,9.185,7.208,9.626,7.882,10.514
2001,11.169,12.306,9.656,8.403,8.782,7.924,11.377
2002,9.768,11.516,8.314,8.668,8.014,8.696,9.653
2003,10.425,11.83,6.298,8.629,8.466,9.309,10.172
2004,9.395,11.852,5.819,8.32,10.027,9.001,9.248
2005,9.862,13.236,5.736,8.709,10.637,9.565,10.205
2006,9.137,13.812,7.594,7.662,11.996,10.185,10.257
2007,8.996,16.313,8.857,6.962,12.571,11.261,10.856
2008,9.307,17.496,9.29,8.13,14.509,11.086,12.01
2009,10.01,17.532,9.917,7.442,14.43,11.389,12.536
2010,11.409,19.178,9.094,7.148,15.577,9.897,13.263
2011,11.446,19.58,10.851,8.337,15.75,10.028,13.712
2012,11.695,21.604,10.923,8.533,16.602,10.408,17.481
2013,11.998,20.99,11.411,8.59,18.269,11.561,17.383
2014,12.474,22.158,11.571,10.142,18.763,12.644,18.418
2015,11.683,23.005,10.383,8.607,18.959,12.244,17.711
2016,12.347,25.75,10.051,8.483,19.664,13.237,18.898
2017,12.671,26.044,11.254,9.503,19.13,13.658,19.241
2018,13.206,25.489,12.014,9.145,20.602,14.351,19.527
2019,13.795,25.398,12.395,7.647,19.971,15.214,19.741
"""
DONORS = [f"D{j}" for j in range(6)]
PRE, POST = (2000, 2011), (2012, 2019)

# pysyncon 1.7.0, Synth with custom V equal to the identity on the raw outcomes
PYSYNCON_W_IDENTITY_V = [0.473094, 0.276869, 0.167056, 0.026605, 0.056374, 0.0]
PYSYNCON_RMSPE_IDENTITY_V = 0.21565103551766093
# pysyncon 1.7.0, Synth with its nested V optimisation (Nelder-Mead, equal start)
PYSYNCON_W_NESTED_V = [0.501336, 0.258959, 0.167065, 0.0, 0.07264, 0.0]
PYSYNCON_RMSPE_NESTED_V = 0.21682073929452622
# pysyncon 1.7.0, PlaceboTest.pvalue(treatment_time=2012): counts placebos only, (rank - 1) / n
PYSYNCON_PLACEBO_P = 0.0


@pytest.fixture(scope="module")
def peer_panel() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(PEER_PANEL), index_col="year")


def exact_panel(effect: float = 2.5, n_years: int = 20, n_donors: int = 6, seed: int = 3) -> pd.DataFrame:
    """Treated unit = 0.6 D0 + 0.4 D3 exactly in every year, plus ``effect`` from 2012."""
    rng = np.random.default_rng(seed)
    years = np.arange(2000, 2000 + n_years)
    y = 20 + rng.normal(0, 5, n_donors) + np.cumsum(rng.normal(0.3, 1.0, (n_years, n_donors)), axis=0)
    panel = pd.DataFrame(y, index=pd.Index(years, name="year"), columns=[f"D{j}" for j in range(n_donors)])
    panel["T"] = 0.6 * panel["D0"] + 0.4 * panel["D3"] + np.where(years >= 2012, effect, 0.0)
    return panel


# --------------------------------------------------------------------------- known answers
def test_exact_convex_combination_recovers_weights_and_effect():
    panel = exact_panel(effect=2.5)
    r = synth_control(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    np.testing.assert_allclose(r.weights, [0.6, 0, 0, 0.4, 0, 0], atol=1e-9)
    assert r.pre_rmspe < 1e-9
    np.testing.assert_allclose(r.gap.loc[2012:].to_numpy(), 2.5, atol=1e-9)
    np.testing.assert_allclose(r.gap.loc[:2011].to_numpy(), 0.0, atol=1e-9)
    assert r.mean_post_gap == pytest.approx(2.5, abs=1e-9)
    assert r.post_rmspe == pytest.approx(2.5, abs=1e-9)
    assert r.solver == "nnls+kkt"


def test_no_effect_gives_zero_gap_everywhere():
    panel = exact_panel(effect=0.0)
    r = synth_control(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    np.testing.assert_allclose(r.gap.to_numpy(), 0.0, atol=1e-9)


def test_weights_match_pysyncon_identity_v(peer_panel):
    r = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    # same problem; pysyncon's SLSQP stops at ftol 1e-6, so agreement is to about 5e-4
    np.testing.assert_allclose(r.weights, PYSYNCON_W_IDENTITY_V, atol=1e-3)
    assert r.pre_rmspe == pytest.approx(PYSYNCON_RMSPE_IDENTITY_V, rel=1e-5)
    # ours is the exact minimiser: never worse than the peer's fit, nor than the nested-V fit
    assert r.pre_rmspe <= PYSYNCON_RMSPE_IDENTITY_V + 1e-12
    assert r.pre_rmspe <= PYSYNCON_RMSPE_NESTED_V
    # our values, pinned
    np.testing.assert_allclose(
        r.weights, [0.472707660, 0.277247860, 0.167198761, 0.026927994, 0.055917725, 0.0], atol=1e-7
    )
    assert r.pre_rmspe == pytest.approx(0.21565066325466903, rel=1e-7)
    # the planted effect of 3.0 is recovered within the noise
    assert r.mean_post_gap == pytest.approx(3.0, abs=0.2)


def test_live_pysyncon_agrees_when_installed(peer_panel):
    pysyncon = pytest.importorskip("pysyncon")
    pre = peer_panel.loc[2000:2011]
    X0, X1 = pre[DONORS], pre["T"]
    sd = pd.concat([X0, X1], axis=1).std(axis=1).to_numpy()
    s = pysyncon.Synth()
    s.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=sd**2 / np.sum(sd**2))
    # the stored constants are printed to 6 decimals; SLSQP itself moves by a few 1e-6 between builds
    np.testing.assert_allclose(s.W, PYSYNCON_W_IDENTITY_V, atol=1e-5)
    r = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    np.testing.assert_allclose(r.weights, s.W, atol=1e-3)
    # ours is the exact minimiser of the same objective: its fit is never worse than the peer's
    peer_rmspe = float(np.sqrt(np.mean((X1.to_numpy() - X0.to_numpy() @ np.asarray(s.W)) ** 2)))
    assert r.pre_rmspe <= peer_rmspe + 1e-12


# --------------------------------------------------------------------------- covariates
def test_covariates_pick_the_donor_combination_that_matches_them():
    panel = exact_panel(effect=2.5)
    panel["D4"] = panel["T"] - np.where(panel.index >= 2012, 2.5, 0.0)  # a donor with T's exact outcome path
    x = pd.DataFrame([[1.0, 5.0, 5.0, 2.0, 9.0, 5.0, 0.6 * 1.0 + 0.4 * 2.0]], index=["share"],
                     columns=[*DONORS, "T"])
    # outcome alone: D4 alone is an exact fit too, so the covariate has to decide
    r = synth_control(panel, "T", DONORS, pre_period=PRE, post_period=POST, predictors=x)
    np.testing.assert_allclose(r.weights, [0.6, 0, 0, 0.4, 0, 0], atol=1e-7)
    assert r.mean_post_gap == pytest.approx(2.5, abs=1e-6)
    assert (r.v_method, r.predictors) == ("identity+predictors", ("share",))


def test_covariate_fit_is_the_optimum_of_the_stacked_loss(peer_panel):
    from scipy.optimize import minimize

    rng = np.random.default_rng(11)
    units = [*DONORS, "T"]
    x = pd.DataFrame(rng.normal(30, 8, (2, 7)), index=["a", "b"], columns=units)
    r = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST, predictors=x)
    pre = peer_panel.loc[PRE[0]:PRE[1], units]
    # by hand: each covariate row scaled to the mean cross-unit spread of the pre-period outcome
    scaled = x.mul(pre.std(axis=1, ddof=0).mean() / x.std(axis=1, ddof=0), axis=0)
    A = np.vstack([pre[DONORS].to_numpy(), scaled[DONORS].to_numpy()])
    b = np.append(pre["T"].to_numpy(), scaled["T"].to_numpy())
    loss = lambda w: float(np.sum((A @ w - b) ** 2))  # noqa: E731
    res = minimize(loss, np.full(6, 1 / 6), jac=lambda w: 2 * A.T @ (A @ w - b), method="SLSQP",
                   bounds=[(0, 1)] * 6, constraints=({"type": "eq", "fun": lambda w: w.sum() - 1},),
                   options={"ftol": 1e-15, "maxiter": 5000})
    assert loss(np.asarray(r.weights)) <= res.fun * (1 + 1e-9)
    np.testing.assert_allclose(r.weights, res.x, atol=1e-4)
    # the pre-period RMSPE is still the outcome's alone, so it is no better than without covariates
    plain = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert r.pre_rmspe >= plain.pre_rmspe - 1e-12
    # the placebo test carries the covariates into every fit
    p = placebo_in_space(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST, predictors=x)
    assert p.ratios[0] == pytest.approx(r.rmspe_ratio, rel=1e-12)


def test_covariate_errors(peer_panel):
    kw = dict(pre_period=PRE, post_period=POST)
    x = pd.DataFrame([[1.0] * 7], index=["flat"], columns=[*DONORS, "T"])
    with pytest.raises(InputError, match=r"predictor rows \['flat'\] are the same for every unit"):
        synth_control(peer_panel, "T", DONORS, predictors=x, **kw)
    with pytest.raises(InputError, match=r"predictors have no column for units \['T'\]"):
        synth_control(peer_panel, "T", DONORS, predictors=x.drop(columns="T"), **kw)
    gap = pd.DataFrame([[1.0, 2, 3, 4, 5, np.nan, 7]], index=["g"], columns=[*DONORS, "T"])
    with pytest.raises(InputError, match=r"predictor rows \['g'\] have missing or infinite values"):
        synth_control(peer_panel, "T", DONORS, predictors=gap, **kw)


# --------------------------------------------------------------------------- placebo p-value
def test_permutation_pvalue_definition():
    ratios = {"T": 5.0, "A": 7.0, "B": 5.0, "C": 1.0, "D": 0.5}
    # units with ratio >= 5.0: A, B (tie counts against T) and T itself -> rank 3
    assert permutation_pvalue(ratios, "T") == (3, 3 / 5)
    assert permutation_pvalue({"T": 9.0, "A": 1.0, "B": 2.0, "C": 3.0}, "T") == (1, 0.25)
    assert permutation_pvalue({"T": 0.1, "A": 1.0, "B": 2.0, "C": 3.0}, "T") == (4, 1.0)
    with pytest.raises(InputError, match="treated unit 'X' has no ratio"):
        permutation_pvalue(ratios, "X")


def test_placebo_in_space_peer_panel(peer_panel):
    p = placebo_in_space(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert p.units == ("T", *DONORS)
    assert p.n_units == 7
    assert p.rank == 1
    assert p.pvalue == pytest.approx(1 / 7)
    # pysyncon's convention leaves the treated unit out of the count: (rank - 1) / n
    assert (p.rank - 1) / p.n_units == PYSYNCON_PLACEBO_P
    # the p-value is recomputed from the stored ratios by the documented rule
    assert (p.rank, p.pvalue) == permutation_pvalue(dict(zip(p.units, p.ratios)), "T")
    # a placebo fit never uses the treated unit: D0's placebo equals a fit on the other donors
    d0 = synth_control(peer_panel, "D0", DONORS[1:], pre_period=PRE, post_period=POST)
    assert p.ratios[1] == pytest.approx(d0.rmspe_ratio, rel=1e-12)
    np.testing.assert_allclose(p.gaps_frame()["D0"], d0.gap.to_numpy(), atol=1e-12)


def test_placebo_rank_when_treated_has_no_effect():
    panel = exact_panel(effect=0.0)
    panel["T"] = panel["T"] + np.random.default_rng(1).normal(0, 0.5, len(panel))
    p = placebo_in_space(panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert p.rank > 1
    assert p.pvalue == p.rank / 7


def test_leave_one_out_drops_each_positive_weight_donor(peer_panel):
    loo = leave_one_out(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert loo.dropped == ("D0", "D1", "D2", "D3", "D4")
    for d, fit in zip(loo.dropped, loo.fits):
        assert d not in fit.donors
        assert fit.pre_rmspe >= loo.baseline.pre_rmspe - 1e-12  # fewer donors never fit better
    lo, hi = loo.gap_range
    assert lo <= loo.baseline.mean_post_gap <= hi
    assert list(loo.to_frame().index) == ["(none)", "D0", "D1", "D2", "D3", "D4"]


# --------------------------------------------------------------------------- solver properties
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_donors=st.integers(2, 8),
    n_support=st.integers(1, 3),
)
def test_simplex_lstsq_recovers_planted_weights(seed, n_donors, n_support):
    rng = np.random.default_rng(seed)
    n_t = n_donors + 5
    A = rng.normal(0, 1, (n_t, n_donors)) * 100 + 1000
    k = min(n_support, n_donors)
    w = np.zeros(n_donors)
    w[rng.choice(n_donors, k, replace=False)] = rng.dirichlet(np.ones(k))
    got, _ = simplex_lstsq(A, A @ w)
    np.testing.assert_allclose(got, w, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n_donors=st.integers(2, 30), n_t=st.integers(3, 15))
def test_simplex_lstsq_satisfies_kkt(seed, n_donors, n_t):
    # the problem is convex, so the KKT conditions certify a global minimum:
    # gradient equal (= lambda) on the support and >= lambda off it
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(n_t, n_donors)), rng.normal(size=n_t) * 2
    w, _ = simplex_lstsq(A, b)
    assert np.all(w >= 0) and w.sum() == pytest.approx(1.0, abs=1e-12)
    g = 2 * A.T @ (A @ w - b)
    on = w > 1e-12
    lam = g[on].mean()
    tol = 1e-7 * max(1.0, np.abs(g).max())
    assert np.all(np.abs(g[on] - lam) <= tol)
    assert np.all(g[~on] >= lam - tol)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_simplex_lstsq_no_worse_than_slsqp(seed):
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(11, 28)), rng.normal(size=11) * 2
    w, _ = simplex_lstsq(A, b)
    f = lambda x: float(np.sum((A @ x - b) ** 2))  # noqa: E731
    ref = minimize(f, np.full(28, 1 / 28), jac=lambda x: 2 * A.T @ (A @ x - b), method="SLSQP", bounds=[(0, 1)] * 28,
                   constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1, "jac": lambda x: np.ones(28)}],
                   options={"ftol": 1e-14, "maxiter": 1000})
    assert f(w) <= ref.fun * (1 + 1e-8) + 1e-12


def test_deterministic_output(peer_panel):
    a = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    b = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())


# --------------------------------------------------------------------------- result objects
def test_result_objects_render_and_serialise(peer_panel):
    r = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST, outcome="y")
    d = json.loads(json.dumps(r.to_dict()))
    assert dict(zip(d["donors"], d["weights"]))["D0"] == pytest.approx(r.weights[0])
    assert d["treatment_year"] == 2012
    assert "pre-period RMSPE" in r.summary() and "0.216" in r.summary()
    assert r._repr_html_().startswith("<table>")
    f = r.to_frame()
    assert list(f["period"].unique()) == ["pre", "post"]
    np.testing.assert_allclose(f["treated"] - f["synthetic"], f["gap"])
    p = placebo_in_space(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    assert json.loads(json.dumps(p.to_dict()))["pvalue"] == pytest.approx(1 / 7)
    assert "1 of 7" in p.summary() and "permutation p-value (rank / units)  0.143" in p.summary()
    assert p.to_frame().iloc[0].name == "T"


def test_figures_return_figures(peer_panel):
    from matplotlib.figure import Figure

    r = synth_control(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    p = placebo_in_space(peer_panel, "T", DONORS, pre_period=PRE, post_period=POST)
    f1, f2 = plot_synth_path(r), plot_synth_gaps(p, max_pre_rmspe_multiple=5)
    assert isinstance(f1, Figure) and isinstance(f2, Figure)
    lines = f1.axes[0].lines
    np.testing.assert_allclose(lines[0].get_ydata(), r.treated_path)
    np.testing.assert_allclose(lines[1].get_ydata(), r.synthetic_path)
    # grey lines = placebos whose pre-RMSPE is at most 5 x the treated unit's
    kept = sum(1 for v in p.pre_rmspe[1:] if v <= 5 * p.pre_rmspe[0])
    grey = [ln for ln in f2.axes[0].lines if ln.get_color() == "0.7" and len(ln.get_xdata()) > 0]
    assert len(grey) == kept


# --------------------------------------------------------------------------- bad input
def _gappy(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.drop(index=[2005, 2006])


def _holes(panel: pd.DataFrame) -> pd.DataFrame:
    out = panel.copy()
    out.loc[2003, "D2"] = np.nan
    return out


def _duplicated_unit(panel: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([panel, panel[["D1"]]], axis=1)


#: one planted defect per row: (call on the peer panel, message the InputError must carry)
SYNTH_DEFECTS = [
    pytest.param(lambda pn: synth_control(pn, "Xinjiang", DONORS, pre_period=PRE, post_period=POST),
                 r"treated unit 'Xinjiang' is not in the panel; the panel's units are \['D0', ", id="treated-unknown"),
    pytest.param(lambda pn: synth_control(pn, "T", [*DONORS, "T"], pre_period=PRE, post_period=POST),
                 r"the donor pool includes the treated unit 'T'; it must list untreated units", id="pool-has-treated"),
    pytest.param(lambda pn: synth_control(pn, "T", DONORS, pre_period=(2000, 2003), post_period=(2004, 2019)),
                 r"the pre-period 2000-2003 has 4 years, too short for 6 donors", id="pre-period-short"),
    pytest.param(lambda pn: synth_control(pn, "T", DONORS[:1], pre_period=(2000, 2000), post_period=(2001, 2019)),
                 r"the pre-period 2000-2000 has 1 year; at least 2 pre-period years are needed", id="single-pre-year"),
    pytest.param(lambda pn: synth_control(_gappy(pn), "T", DONORS, pre_period=PRE, post_period=POST),
                 r"years missing from the panel: \[2005, 2006\]; the panel must contain every year from 2000 to 2019",
                 id="missing-years"),
    pytest.param(lambda pn: synth_control(_holes(pn), "T", DONORS, pre_period=PRE, post_period=POST),
                 r"missing outcome values in the panel for \['D2 2003'\]; expected complete data 2000-2019",
                 id="missing-values"),
    pytest.param(lambda pn: synth_control(pn, "T", [*DONORS, "Z9"], pre_period=PRE, post_period=POST),
                 r"donor pool units \['Z9'\] are not in the panel", id="donor-unknown"),
    pytest.param(lambda pn: synth_control(pn, "T", [*DONORS, "D1"], pre_period=PRE, post_period=POST),
                 r"the donor pool lists \['D1'\] more than once; expected distinct units", id="donor-twice"),
    pytest.param(lambda pn: synth_control(pn, "T", [], pre_period=PRE, post_period=POST),
                 r"the donor pool is empty; expected at least one unit", id="pool-empty"),
    pytest.param(lambda pn: synth_control(pn, "T", DONORS, pre_period=(2000, 2012), post_period=(2012, 2019)),
                 r"periods must be ordered pre_start <= pre_end < post_start <= post_end, got pre=\(2000, 2012\)",
                 id="periods-overlap"),
    pytest.param(lambda pn: synth_control(pn.to_numpy(), "T", DONORS, pre_period=PRE, post_period=POST),
                 r"panel must be a pandas DataFrame \(index year, one column per unit\), got ndarray", id="not-a-frame"),
    pytest.param(lambda pn: synth_control(_duplicated_unit(pn), "T", DONORS, pre_period=PRE, post_period=POST),
                 r"panel has duplicated unit columns \['D1'\]; expected one column per unit", id="unit-twice"),
    pytest.param(lambda pn: placebo_in_space(pn, "T", [*DONORS, "T"], pre_period=PRE, post_period=POST),
                 r"the donor pool includes the treated unit 'T'", id="placebo-pool-has-treated"),
    pytest.param(lambda pn: leave_one_out(pn, "T", DONORS, pre_period=(2000, 2003), post_period=(2004, 2019)),
                 r"the pre-period 2000-2003 has 4 years, too short for 6 donors", id="loo-pre-period-short"),
    pytest.param(lambda pn: permutation_pvalue({"T": 1.0, "A": 2.0}, "X"),
                 r"treated unit 'X' has no ratio; units are \['A', 'T'\]", id="pvalue-treated-unknown"),
]


@pytest.mark.parametrize(("call", "match"), SYNTH_DEFECTS)
def test_synth_refuses_invalid_design(peer_panel, call, match):
    with pytest.raises(InputError, match=match):
        call(peer_panel)


def test_more_donors_than_pre_years_when_allowed(peer_panel):
    r = synth_control(peer_panel, "T", DONORS, pre_period=(2000, 2003), post_period=(2004, 2019),
                      allow_more_donors_than_periods=True)
    assert sum(r.weights) == pytest.approx(1.0)


# --------------------------------------------------------------------------- DiD
def did_panel() -> pd.DataFrame:
    """Unit effects + year effects + unit noise; the treated unit gets +2.0 from 2011."""
    rng = np.random.default_rng(11)
    years = np.arange(2000, 2020)
    units = [f"C{j}" for j in range(12)] + ["T"]
    y = rng.normal(8, 1, len(units))[None, :] + rng.normal(0, 1, len(years))[:, None]
    y = y + rng.normal(0, 0.3, y.shape)
    panel = pd.DataFrame(y, index=pd.Index(years, name="year"), columns=units)
    panel.loc[2011:, "T"] += 2.0
    return panel


def test_did_equals_twfe_ols_and_recovers_effect():
    import statsmodels.formula.api as smf

    panel = did_panel()
    controls = [c for c in panel.columns if c != "T"]
    r = did_single_treated(panel, "T", controls, pre_period=(2000, 2010), post_period=(2011, 2019))
    long = panel.reset_index().melt(id_vars="year", var_name="unit", value_name="y")
    long["d"] = ((long["unit"] == "T") & (long["year"] >= 2011)).astype(float)
    ols = smf.ols("y ~ d + C(unit) + C(year)", data=long).fit()
    assert r.estimate == pytest.approx(ols.params["d"], abs=1e-10)
    assert r.estimate == pytest.approx(2.0, abs=0.4)
    assert r.ct_ci[0] < 2.0 < r.ct_ci[1]
    assert r.estimate == pytest.approx(r.post_gap - r.pre_gap, abs=1e-12)


def test_did_conley_taber_and_permutation_by_hand():
    panel = did_panel()
    controls = [c for c in panel.columns if c != "T"]
    r = did_single_treated(panel, "T", controls, pre_period=(2000, 2010), post_period=(2011, 2019))
    change = panel.loc[2011:].mean() - panel.loc[:2010].mean()
    eta = change[controls] - change[controls].mean()
    se = np.sqrt((eta**2).sum() / 11) * np.sqrt(1 + 1 / 12)
    from scipy import stats

    q = stats.t.ppf(0.975, 11)
    assert r.ct_se == pytest.approx(se, rel=1e-12)
    assert r.ct_ci == pytest.approx((r.estimate - q * se, r.estimate + q * se), rel=1e-12)
    # 12 controls: k = 1 gives coverage 11/13 < 0.95 is the best attainable -> k = 1, coverage 11/13
    assert r.ct_np_coverage == pytest.approx(11 / 13)
    assert r.ct_np_ci == pytest.approx((r.estimate - eta.max(), r.estimate - eta.min()), rel=1e-12)
    placebo = [change[c] - change[[o for o in controls if o != c]].mean() for c in controls]
    assert r.placebo_estimates == pytest.approx(tuple(placebo), rel=1e-12)
    rank = 1 + sum(abs(v) >= abs(r.estimate) for v in placebo)
    assert (r.permutation_rank, r.pvalue) == (rank, rank / 13)
    assert r.permutation_rank == 1  # a 2.0 effect with noise 0.3 beats every placebo


def test_did_order_stat_interval_is_fixed_by_two_controls():
    panel = did_panel()
    controls = [c for c in panel.columns if c != "T"]
    r = did_single_treated(panel, "T", controls, pre_period=(2000, 2010), post_period=(2011, 2019))
    change = panel.loc[2011:].mean() - panel.loc[:2010].mean()
    eta = change[controls] - change[controls].mean()
    # k = 1: the lower end is set by the control with the largest change, the upper by the smallest
    assert r.ct_np_bounding_controls == (eta.idxmax(), eta.idxmin())
    lo, hi = r.ct_np_bounding_controls
    assert r.ct_np_ci == pytest.approx((r.estimate - eta[lo], r.estimate - eta[hi]), rel=1e-12)
    # moving another control inside the extremes leaves the same two controls at the ends
    other = next(c for c in controls if c not in (lo, hi))
    moved = panel.copy()
    moved.loc[2011:, other] += 0.5 * (eta[lo] - eta[other])  # stays inside the extremes
    r2 = did_single_treated(moved, "T", controls, pre_period=(2000, 2010), post_period=(2011, 2019))
    assert r2.ct_np_bounding_controls == (lo, hi)


def test_did_order_stat_level_with_many_controls():
    rng = np.random.default_rng(5)
    panel = pd.DataFrame(rng.normal(size=(10, 60)), index=pd.Index(range(2000, 2010), name="year"),
                         columns=[f"C{j}" for j in range(59)] + ["T"])
    r = did_single_treated(panel, "T", [f"C{j}" for j in range(59)], pre_period=(2000, 2004), post_period=(2005, 2009))
    # J = 59: k = 1 -> 58/60 = 0.967 >= 0.95; k = 2 -> 56/60 = 0.933 < 0.95
    assert r.ct_np_coverage == pytest.approx(58 / 60)


_DID = dict(pre_period=(2000, 2010), post_period=(2011, 2019))

#: one planted defect per row: (call on the DiD panel, message the InputError must carry)
DID_DEFECTS = [
    pytest.param(lambda pn: did_single_treated(pn, "T", ["C0", "C1", "T"], **_DID),
                 r"the control group includes the treated unit 'T'", id="controls-have-treated"),
    pytest.param(lambda pn: did_single_treated(pn, "X", ["C0", "C1", "C2"], **_DID),
                 r"treated unit 'X' is not in the panel", id="treated-unknown"),
    pytest.param(lambda pn: did_single_treated(pn, "T", ["C0", "C1"], **_DID),
                 r"2 control units given; at least 3 are needed for Conley-Taber inference", id="two-controls"),
    pytest.param(lambda pn: did_single_treated(pn.drop(index=2015), "T", ["C0", "C1", "C2"], **_DID),
                 r"years missing from the panel: \[2015\]", id="missing-year"),
    pytest.param(lambda pn: did_single_treated(pn, "T", ["C0", "C1", "C2"], **_DID, level=95),
                 r"level must be in \(0, 1\), got 95", id="level-percent"),
    pytest.param(lambda pn: did_single_treated(pn, "T", ["C0", "C1", "C99"], **_DID),
                 r"control group units \['C99'\] are not in the panel", id="control-unknown"),
]


@pytest.mark.parametrize(("call", "match"), DID_DEFECTS)
def test_did_refuses_invalid_design(call, match):
    with pytest.raises(InputError, match=match):
        call(did_panel())


def test_did_result_renders():
    panel = did_panel()
    r = did_single_treated(panel, "T", [c for c in panel.columns if c != "T"], pre_period=(2000, 2010),
                           post_period=(2011, 2019), outcome="growth")
    assert json.loads(json.dumps(r.to_dict()))["estimate"] == pytest.approx(r.estimate)
    assert "Conley-Taber t 95% CI" in r.summary()
    assert r._repr_html_().startswith("<table>")
    f = r.to_frame()
    assert list(f["quantity"]) == ["pre-period gap", "post-period gap", "DiD", "DiD", "DiD"]
    assert r.placebo_frame().loc["T", "estimate"] == pytest.approx(r.estimate)


def test_placebo_result_helpers_on_hand_made_numbers():
    from ewp_stats.engines.synth import PlaceboResult

    pr = PlaceboResult(treated="T", units=("A", "T", "B", "C"), pre_rmspe=(1.0, 2.0, 10.0, 11.0),
                       post_rmspe=(3.0, 4.0, 10.0, 44.0), ratios=(3.0, 2.0, 1.0, 4.0), years=(1, 2),
                       treatment_year=2, gaps=((0.0, 0.0),) * 4, rank=3, n_units=4, pvalue=0.75)
    assert pr.treated_ratio == 2.0 and pr.treated_pre_rmspe == 2.0
    assert pr.placebo_ratios == (3.0, 1.0, 4.0)
    assert pr.min_pvalue == 0.25
    assert pr.detectable_post_rmspe == 8.0  # a ratio above 4 with a pre-period RMSPE of 2
    assert pr.well_fitted(5) == ("A", "B")  # C: 11 > 5 * 2
    assert pr.well_fitted(100) == ("A", "B", "C")
