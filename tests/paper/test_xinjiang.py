"""Tests of the Xinjiang analysis (ewp_stats.paper.xinjiang) on the shipped NBS 2021-vintage data.

Pinned values were computed by this package (ewp_stats.engines.synth / ewp_stats.engines.did) on the
shipped datasets; the peer cross-check of the synthetic control on the same problem
uses pysyncon 1.7.0 (nested V, Nelder-Mead, equal start), run outside the repository::

    from pysyncon import Synth
    from ewp_stats import xinjiang as x
    pc = x.outcome_panel("real_gdp_per_capita"); donors = x.donor_pool(region="all")
    pre = pc.loc[2000:2010]; X0, X1 = pre[donors], pre["Xinjiang"]
    s = Synth(); s.fit(X0=X0, X1=X1, Z0=X0, Z1=X1)     # about 90 s
    s.W, s.loss_V ** 0.5
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats import xinjiang as xj
from ewp_stats.errors import InputError

# pysyncon 1.7.0 nested-V fit of the main specification (see module docstring)
PYSYNCON_XJ_NESTED_RMSPE = 83.18286990916543
PYSYNCON_XJ_NESTED_TOP = {"Hebei", "Yunnan", "Ningxia"}  # its three largest weights


# --------------------------------------------------------------------------- chaining
def test_chained_real_gdp_reproduces_nbs_indices_for_every_province():
    real = xj.real_gdp_panel(base_year=2000)
    idx = data.load("province_gdp_index")["gdp_index"].unstack("province")
    gdp = data.load("province_gdp").xs("nbs_2021", level="vintage")["gdp"].unstack("province")
    assert real.shape == (20, 31)
    ratio = 100.0 * real / real.shift(1)
    np.testing.assert_allclose(ratio.loc[2001:].to_numpy(), idx.loc[2001:, real.columns].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(real.loc[2000].to_numpy(), gdp.loc[2000, real.columns].to_numpy(), rtol=0)


def test_rebased_panel_equals_nominal_gdp_in_its_base_year():
    idx = data.load("province_gdp_index")["gdp_index"].xs("Gansu", level="province")
    gdp = data.load("province_gdp").xs(("nbs_2021", "Gansu"), level=("vintage", "province"))["gdp"]
    r = xj.real_gdp_panel(base_year=2010)["Gansu"]
    assert r.loc[2010] == pytest.approx(gdp.loc[2010], rel=1e-15)
    np.testing.assert_allclose((100 * r / r.shift(1)).loc[2001:], idx.loc[2001:], rtol=1e-12)
    with pytest.raises(InputError, match=r"base year 1999 is outside 2000-2019"):
        xj.real_gdp_panel(base_year=1999)


def test_chained_series_equals_the_shipped_xinjiang_dataset():
    s = xj.outcome_series()
    shipped = data.load("xinjiang")
    np.testing.assert_allclose(s["real_gdp_2000"], shipped["real_gdp_2000"], rtol=1e-12)
    np.testing.assert_allclose(s["real_growth"], shipped["gdp_index"] - 100, atol=1e-12)
    np.testing.assert_allclose(s["gdp"], shipped["gdp"], rtol=0)
    assert s.loc[2019, "real_gdp_2000"] == pytest.approx(7852.2328342933415, rel=1e-12)
    assert s.loc[2000, "real_gdp_2000"] == s.loc[2000, "gdp"] == 1363.6
    # per-capita identities (100 million yuan / 10 000 persons = 10 000 yuan per person)
    # per capita on the spliced population (the default; 2010-census basis, so 2010-2019 as published)
    np.testing.assert_allclose(s["real_gdp_per_capita"], s["real_gdp_2000"] * 1e4 / s["population_spliced"], rtol=1e-12)
    spliced = data.load("province_population_spliced").xs(("nbs_2021", "Xinjiang"), level=("vintage", "province"))
    np.testing.assert_allclose(s["population_spliced"], spliced["population_spliced"], rtol=0)
    np.testing.assert_allclose(s["population"], spliced["population"], rtol=0)
    assert (s.loc[2010:, "population_spliced"] == s.loc[2010:, "population"]).all()
    assert (s.loc[:2009, "population_spliced"] > s.loc[:2009, "population"]).all()
    assert s.loc[2019, "real_gdp_per_capita"] == pytest.approx(7852.2328342933415 * 1e4 / 2523.0, rel=1e-12)
    # year-end population vs NBS's average-population figure: within 1.5 %
    assert (s["gdp_per_capita"] / s["gdp_per_capita_nbs"] - 1).abs().max() < 0.015


# --------------------------------------------------------------------------- donor rule
def test_donor_rule_excludes_comparable_programmes():
    for region in ("west", "all"):
        for rule in ("baseline", "strict"):
            pool = xj.donor_pool(region=region, rule=rule)
            assert "Xinjiang" not in pool
            assert not set(xj.COMPARABLE_PROGRAMMES) & set(pool), (region, rule)
        assert set(xj.PARTLY_COVERED) <= set(xj.donor_pool(region=region, rule="baseline"))
        assert not set(xj.PARTLY_COVERED) & set(xj.donor_pool(region=region, rule="strict"))
        assert set(xj.donor_pool(region=region, rule="strict")) < set(xj.donor_pool(region=region, rule="baseline"))
        assert {"Tibet", "Qinghai"} <= set(xj.donor_pool(region=region, rule="none"))
    assert set(xj.COMPARABLE_PROGRAMMES) == {"Tibet", "Qinghai"}
    assert set(xj.PARTLY_COVERED) == {"Sichuan", "Gansu", "Yunnan"}
    sizes = {(r, k): len(xj.donor_pool(region=r, rule=k)) for r in ("west", "all") for k in ("baseline", "strict", "none")}
    assert sizes == {("west", "baseline"): 9, ("west", "strict"): 6, ("west", "none"): 11,
                     ("all", "baseline"): 28, ("all", "strict"): 25, ("all", "none"): 30}
    assert xj.donor_pool(region="west") == ["Inner Mongolia", "Guangxi", "Chongqing", "Sichuan", "Guizhou", "Yunnan",
                                     "Shaanxi", "Gansu", "Ningxia"]


def test_donor_rule_errors():
    with pytest.raises(InputError, match=r"rule must be one of \['baseline', 'strict', 'assisting', 'pairing_change', 'none'\], got 'loose'"):
        xj.donor_pool(region="all", rule="loose")
    with pytest.raises(InputError, match=r"region must be 'west' or 'all', got 'east'"):
        xj.donor_pool(region="east")


# --------------------------------------------------------------------------- peers (DiD)
def test_growth_comparison_west_pinned():
    r = xj.growth_comparison(region="west")
    assert r.controls == tuple(xj.donor_pool(region="west"))
    assert r.pre_period == (2000, 2010) and r.post_period == (2011, 2019)
    assert r.pre_gap == pytest.approx(-1.605050505050504, abs=1e-9)
    assert r.post_gap == pytest.approx(-0.3345679012345695, abs=1e-9)
    assert r.estimate == pytest.approx(1.2704826038159345, abs=1e-9)
    assert r.ct_ci == pytest.approx((-4.17051572894626, 6.711480936578129), abs=1e-9)
    assert r.ct_np_ci == pytest.approx((-1.238383838383843, 6.450505050505047), abs=1e-9)
    assert r.ct_np_coverage == pytest.approx(0.8)
    assert r.welch_ci == pytest.approx((0.2716882588448364, 2.2692769487870326), abs=1e-9)
    assert (r.permutation_rank, r.pvalue) == (4, 0.4)


def test_growth_comparison_all_pinned():
    r = xj.growth_comparison(region="all")
    assert len(r.controls) == 28
    assert r.estimate == pytest.approx(1.8896464646464621, abs=1e-9)
    assert r.ct_ci == pytest.approx((-1.3202760957786066, 5.099569025071531), abs=1e-9)
    assert r.ct_np_coverage == pytest.approx(27 / 29)
    assert r.welch_ci == pytest.approx((1.0755334441031845, 2.7037594851897415), abs=1e-9)
    assert (r.permutation_rank, r.pvalue) == (4, pytest.approx(4 / 29))
    # by hand: Xinjiang's change in mean growth minus the controls' mean change
    g = xj.outcome_panel("real_growth")
    change = g.loc[2011:2019].mean() - g.loc[2000:2010].mean()
    assert r.estimate == pytest.approx(change["Xinjiang"] - change[list(r.controls)].mean(), abs=1e-12)


def test_growth_comparison_per_capita_and_errors():
    r = xj.growth_comparison(region="all", outcome="real_per_capita_growth")
    assert r.pre_period == (2001, 2010)
    # by hand from the growth of real GDP per spliced head
    pc = xj.real_gdp_panel() * 1e4 / xj.population_panel()[xj.real_gdp_panel().columns]
    g = 100 * pc.pct_change()
    change = g.loc[2011:2019].mean() - g.loc[2001:2010].mean()
    assert r.estimate == pytest.approx(change["Xinjiang"] - change[list(r.controls)].mean(), abs=1e-12)
    assert r.estimate == pytest.approx(1.7153699158056157, abs=1e-9)
    with pytest.raises(InputError, match=r"outcome must be a growth rate"):
        xj.growth_comparison(region="all", outcome="real_gdp_per_capita")
    with pytest.raises(InputError, match=r"unknown outcome 'gdp'"):
        xj.outcome_panel("gdp")


# --------------------------------------------------------------------------- synthetic control
def _slsqp_pre_rmspe(donors: list[str]) -> float:
    """The smallest pre-period RMSPE over simplex weights, found by scipy's SLSQP (independent of the engine)."""
    from scipy.optimize import minimize

    pc = xj.outcome_panel("real_gdp_per_capita").loc[xj.PRE_PERIOD[0]:xj.PRE_PERIOD[1]]
    scale = float(pc["Xinjiang"].mean())  # the solver needs a well-scaled objective
    y, X = pc["Xinjiang"].to_numpy() / scale, pc[donors].to_numpy() / scale
    k = len(donors)
    res = minimize(lambda w: np.mean((y - X @ w) ** 2), np.full(k, 1 / k),
                   jac=lambda w: -2 * X.T @ (y - X @ w) / len(y), method="SLSQP", bounds=[(0, 1)] * k,
                   constraints=({"type": "eq", "fun": lambda w: w.sum() - 1},),
                   options={"ftol": 1e-16, "maxiter": 5000})
    assert res.success, res.message
    return float(np.sqrt(res.fun)) * scale


@pytest.fixture(scope="module")
def main_fit():
    return xj.xinjiang_synth()


def test_synth_main_specification_pinned(main_fit):
    w = main_fit.weight_series
    w = w[w > 0]
    assert list(w.index) == ["Hebei", "Yunnan", "Jilin", "Shanghai", "Shanxi"]
    np.testing.assert_allclose(
        w.to_numpy(), [0.5900090724680331, 0.18310435054732438, 0.15355236599325492, 0.03860789102594395,
                       0.0347263199654437], atol=1e-6)
    # the pre-period fit is the optimum an independent solver finds on the same problem
    assert main_fit.pre_rmspe == pytest.approx(_slsqp_pre_rmspe(xj.donor_pool(region="all")), rel=1e-6)
    assert main_fit.pre_rmspe == pytest.approx(60.399660393287185, rel=1e-7)
    assert main_fit.mean_post_gap == pytest.approx(820.5838102127839, rel=1e-6)
    assert main_fit.rmspe_ratio == pytest.approx(15.33742585308542, rel=1e-6)
    assert float(main_fit.gap.loc[2019]) == pytest.approx(234.4102548020055, rel=1e-5)
    assert "Tibet" not in main_fit.donors and "Qinghai" not in main_fit.donors


def test_synth_no_worse_than_pysyncon_on_the_same_problem(main_fit):
    # pysyncon's nested V minimises the same pre-period loss over a restricted family;
    # our V = I fit is the exact minimiser, so its pre-RMSPE cannot be larger
    assert main_fit.pre_rmspe <= PYSYNCON_XJ_NESTED_RMSPE
    top3 = set(main_fit.weight_series.index[:3])
    assert len(top3 & PYSYNCON_XJ_NESTED_TOP) >= 2


def test_western_pool_cannot_fit_pre_period(main_fit):
    pc = xj.outcome_panel("real_gdp_per_capita")
    west = xj.donor_pool(region="west")
    # Xinjiang is outside the western donors' range in 2000 and grew slowest in 2000-2010
    assert pc.loc[2000, "Xinjiang"] > pc.loc[2000, west].max()
    growth = pc.loc[2010] / pc.loc[2000]
    assert growth["Xinjiang"] < growth[west].min()
    r = xj.xinjiang_synth(region="west")
    assert r.pre_rmspe == pytest.approx(_slsqp_pre_rmspe(west), rel=1e-6)
    assert r.pre_rmspe == pytest.approx(1086.5824771514017, rel=1e-6)
    assert r.pre_rmspe > 10 * main_fit.pre_rmspe


def test_placebo_p_value_main_specification():
    p = xj.xinjiang_placebo()
    assert p.n_units == 29 and p.units[0] == "Xinjiang"
    assert (p.rank, p.pvalue) == (14, pytest.approx(14 / 29))
    ratios = np.asarray(p.ratios)
    assert p.rank == int(np.sum(ratios >= ratios[0]))
    # no placebo fit uses Xinjiang as a donor: refit Hebei by hand
    hebei = xj.synth_control(xj.outcome_panel("real_gdp_per_capita"), "Hebei",
                             [d for d in xj.donor_pool(region="all") if d != "Hebei"], pre_period=xj.PRE_PERIOD,
                             post_period=xj.POST_PERIOD, allow_more_donors_than_periods=True)
    assert p.ratios[p.units.index("Hebei")] == pytest.approx(hebei.rmspe_ratio, rel=1e-12)


def test_leave_one_out_main_specification(main_fit):
    loo = xj.xinjiang_leave_one_out()
    assert loo.dropped == ("Hebei", "Shanxi", "Jilin", "Shanghai", "Yunnan")
    assert loo.gap_range == pytest.approx((-271.3494529419226, 1235.8699854494428), rel=1e-5)
    assert loo.baseline.to_dict() == main_fit.to_dict()


def test_real_gdp_index_specification():
    p = xj.xinjiang_placebo(outcome="real_gdp_index")
    assert (p.rank, p.n_units) == (9, 29)
    with pytest.raises(InputError, match=r"synthetic control outcome must be"):
        xj.xinjiang_synth(outcome="real_growth")


# --------------------------------------------------------------------------- claims
def test_claim_numbers():
    # inside the data
    assert xj.average_real_growth(2013, 2019) == pytest.approx(8.15781001683511, rel=1e-10)
    assert xj.real_gdp_multiple(base_year=2012, end_year=2019) == pytest.approx(1.7314310261584513, rel=1e-10)
    assert xj.nominal_gdp_multiple(base_year=2012, gdp_end=None, end_year=2019) == pytest.approx(13597.1 / 7411.8, rel=1e-12)
    # outside the data: what the 2022 claims would require
    assert xj.nominal_gdp_multiple(base_year=2012) == pytest.approx(17000 / 7411.8, rel=1e-12)
    assert xj.nominal_gdp_multiple(base_year=2013) == pytest.approx(17000 / 8392.6, rel=1e-12)
    assert xj.implied_nominal_growth_2020_2022() == pytest.approx(100 * ((17000 / 13597.1) ** (1 / 3) - 1), rel=1e-12)
    assert xj.implied_real_growth_2020_2022() == pytest.approx(3.0518083392678363, rel=1e-10)
    assert xj.implied_real_growth_2020_2022(base_year=2013) == pytest.approx(4.45058463058754, rel=1e-10)
    assert xj.implied_real_growth_for_real_doubling() == pytest.approx(4.924022856636068, rel=1e-10)
    assert xj.aid_share_of_gdp() == pytest.approx(1.7365643266556947, rel=1e-10)


def test_implied_growth_matches_claims_register_formula():
    # claims.csv N3-10: 100 * (((1 + 6.6/100) ** 10 / (real_2019 / real_2012)) ** (1/3) - 1)
    r = data.load("xinjiang")["real_gdp_2000"]
    expected = 100 * (((1 + 6.6 / 100) ** 10 / (r.loc[2019] / r.loc[2012])) ** (1 / 3) - 1)
    assert xj.implied_real_growth_2020_2022(claimed_average=6.6, base_year=2012) == pytest.approx(expected, rel=1e-12)
    # identity: the implied 2020-2022 growth and the data's 2013-2019 growth give 6.6 % over ten years
    g = xj.implied_real_growth_2020_2022(claimed_average=6.6, base_year=2012) / 100
    total = xj.real_gdp_multiple(base_year=2012, end_year=2019) * (1 + g) ** 3
    assert total ** (1 / 10) - 1 == pytest.approx(0.066, rel=1e-12)


def test_claim_function_errors():
    with pytest.raises(InputError, match=r"base year 1999 is outside the data \(Xinjiang 2000-2019\)"):
        xj.real_gdp_multiple(base_year=1999)
    with pytest.raises(InputError, match=r"last year 2001 is before first year 2005"):
        xj.average_real_growth(2005, 2001)
    with pytest.raises(InputError, match=r"end year 2022 is outside the data"):
        xj.nominal_gdp_multiple(base_year=2012, gdp_end=None, end_year=2022)


# --------------------------------------------------------------------------- figures, serialisation
def test_growth_figure_and_serialisation():
    from matplotlib.figure import Figure

    west, all_ = xj.growth_comparison(region="west"), xj.growth_comparison(region="all")
    from ewp_stats.reporting.figures.xinjiang import plot_did_ranking, plot_growth_comparison

    fig = plot_growth_comparison(west, all_)
    assert isinstance(fig, Figure)
    (ax1,) = fig.axes
    np.testing.assert_allclose(ax1.lines[0].get_ydata(), xj.outcome_panel("real_growth")["Xinjiang"])
    (ax2,) = plot_did_ranking(west, all_).axes
    assert len(ax2.patches) == 29  # Xinjiang and its 28 controls, one bar each, sorted by the estimate
    widths = [p.get_width() for p in ax2.patches]
    np.testing.assert_allclose(widths, sorted([all_.estimate, *all_.placebo_estimates]))
    assert widths.index(all_.estimate) == [t.get_text() for t in ax2.get_yticklabels()].index("Xinjiang")
    assert json.loads(json.dumps(west.to_dict()))["estimate"] == pytest.approx(west.estimate)


def test_growth_figure_draws_the_outcome_it_is_given():
    from ewp_stats.reporting.figures.xinjiang import plot_growth_comparison

    kw = dict(outcome="real_per_capita_growth")
    west, all_ = xj.growth_comparison(region="west", **kw), xj.growth_comparison(region="all", **kw)
    fig = plot_growth_comparison(west, all_, outcome="real_per_capita_growth")
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(),
                               xj.outcome_panel("real_per_capita_growth")["Xinjiang"])
    with pytest.raises(InputError, match="does not match"):
        plot_growth_comparison(west, all_, outcome="real_growth")


# --------------------------------------------------------------------------- growth helpers of the step
def test_one_compound_growth_formula():
    levels = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2009, 2010, 2011, 2012])
    assert xj.annualised_growth(2.0, 1) == pytest.approx(100.0)
    assert xj.average_growth(levels, 2010, 2012) == pytest.approx(10.0)
    assert xj.average_growth(levels, 2012, 2012) == pytest.approx(10.0)
    panel = pd.DataFrame({"a": levels, "b": 2 * levels ** 0})  # b constant: 0 growth
    np.testing.assert_allclose(xj.average_growth(panel, 2010, 2012).to_numpy(), [10.0, 0.0], atol=1e-12)
    with pytest.raises(InputError, match="before first year"):
        xj.average_growth(levels, 2012, 2010)
    assert xj.real_multiple_at_average_growth(rate_pct=10, years=2) == pytest.approx(1.21)
    assert xj.real_multiple_at_average_growth() == pytest.approx(1.066 ** 10)  # the news item's 6.6%
    # the index-based average (previous year = 100) agrees with the chained levels
    real = data.load("xinjiang")["real_gdp_2000"]
    assert xj.average_real_growth(2011, 2019) == pytest.approx(xj.average_growth(real, 2011, 2019), rel=1e-9)


def test_population_growth_reads_the_shipped_population():
    pop = data.load("province_population").xs("nbs_2021", level="vintage")["population"].unstack("province")
    controls = xj.donor_pool(region="all")
    by_hand = sorted(100 * ((pop.loc[2019, p] / pop.loc[2010, p]) ** (1 / 9) - 1) for p in controls)
    n = len(by_hand)
    median = by_hand[n // 2] if n % 2 else (by_hand[n // 2 - 1] + by_hand[n // 2]) / 2
    assert xj.median_population_growth(2011, 2019) == pytest.approx(median, rel=1e-12)
    assert xj.population_panel().loc[2019, "Xinjiang"] == pop.loc[2019, "Xinjiang"]


def test_provinces_slowed_compares_the_period_means():
    idx = data.load("province_gdp_index")["gdp_index"].unstack("province") - 100
    slowed = xj.provinces_slowed()
    assert len(slowed) == 31
    assert bool(slowed["Inner Mongolia"]) is bool(idx.loc[2011:2019, "Inner Mongolia"].mean()
                                                  < idx.loc[2000:2010, "Inner Mongolia"].mean())


def test_growth_change_rank_correlation_is_the_correlation_of_ranks():
    # Spearman's rho as the Pearson correlation of the ranks, from the raw NBS index (no ties here)
    idx = data.load("province_gdp_index")["gdp_index"].unstack("province") - 100
    pre = idx.loc[2000:2010].mean()
    change = idx.loc[2011:2019].mean() - pre
    rho, p, n = xj.growth_change_rank_correlation()
    assert n == 31
    assert rho == pytest.approx(pre.rank().corr(change.rank()), rel=1e-12)
    # the t approximation's two-sided p-value
    from scipy import stats
    t = rho * np.sqrt((n - 2) / (1 - rho**2))
    assert p == pytest.approx(2 * stats.t.sf(abs(t), n - 2), rel=1e-9)


def test_news_claims_table_lists_the_functions_values():
    t = xj.news_claims()
    assert t.index.name == "claim" and t.index.is_unique and list(t.columns) == ["description", "value"]
    gdp = data.load("xinjiang")["gdp"]
    assert t.loc["nominal_gdp_2022_over_2012", "value"] == pytest.approx(17000 / gdp.loc[2012])
    assert t.loc["nominal_growth_needed_2020_2022", "value"] == pytest.approx(
        100 * ((17000 / gdp.loc[2019]) ** (1 / 3) - 1))


# --------------------------------------------------------------------------- design (issue 13)
def _seeds_assisting() -> pd.DataFrame:
    from pathlib import Path

    return pd.read_csv(Path(__file__).resolve().parents[2] / "seeds" / "xinjiang_assisting_provinces.csv")


def test_assisting_provinces_match_the_sourced_seeds_file():
    seeds = _seeds_assisting()
    assert len(seeds) == 19  # the programme's 19 partners: 18 provinces and Shenzhen
    assert seeds.loc[seeds["unit_named"] == "Shenzhen", "province"].tolist() == ["Guangdong"]
    assert set(seeds["province"]) == set(xj.ASSISTING_PROVINCES)
    assert set(seeds["province"]) <= set(data.load("regions").index)
    assert seeds["source_url"].str.startswith("http").all() and seeds["source_title"].str.len().gt(0).all()
    assert set(seeds.loc[seeds["evidence"] == "inferred", "province"]) == set(xj.ASSISTING_INFERRED)
    assert set(seeds["evidence"]) == {"named", "inferred"}
    # the assisting provinces are outside the west (the programme's partners are eastern and central)
    assert not set(xj.ASSISTING_PROVINCES) & set(xj.donor_pool(region="west", rule="none"))


def test_new_donor_rules():
    base = xj.donor_pool(region="all")
    assert xj.donor_pool(region="all", rule="assisting") == [p for p in base if p not in xj.ASSISTING_PROVINCES]
    assert xj.donor_pool(region="all", rule="assisting") == [
        "Inner Mongolia", "Guangxi", "Hainan", "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Shaanxi", "Gansu",
        "Ningxia"]
    assert xj.donor_pool(region="west", rule="assisting") == xj.donor_pool(region="west")
    assert set(xj.PAIRING_CHANGED_2010) == {"Chongqing", "Sichuan", "Gansu"}
    assert xj.donor_pool(region="west", rule="pairing_change") == ["Inner Mongolia", "Guangxi", "Guizhou", "Yunnan",
                                                                 "Shaanxi", "Ningxia"]
    assert len(xj.donor_pool(region="all", rule="pairing_change")) == 25


def test_design_periods_and_errors():
    assert xj.design_periods(2011) == ((2000, 2010), (2011, 2019))
    assert xj.design_periods(2010) == ((2000, 2009), (2010, 2019))
    assert xj.design_periods(xj.IN_TIME_PLACEBO_YEAR, last_year=2009) == ((2000, 2005), (2006, 2009))
    with pytest.raises(InputError, match=r"in-time placebo from 2006 must end before the programme \(2010\)"):
        xj.design_periods(2006, last_year=2010)
    with pytest.raises(InputError, match=r"treatment year 2019 leaves fewer than two pre or post years"):
        xj.design_periods(2019)
    with pytest.raises(InputError, match=r"treatment_year must be an integer year"):
        xj.design_periods(2010.5)


def _did_by_hand(outcome: str, controls: list[str], treatment_year: int, last_year: int) -> float:
    """The DiD from the panel with pandas alone: Xinjiang's change in mean minus the controls' mean change."""
    if outcome in ("log_real_gdp", "log_real_gdp_per_capita"):
        real = data.load("province_real_gdp")["real_gdp_2000"].unstack("province")
        if outcome == "log_real_gdp_per_capita":
            pop = data.load("province_population_spliced").xs("nbs_2021", level="vintage")[
                "population_spliced"].unstack("province")
            real = real / pop[real.columns]
        y = 100 * np.log(real)  # the units (and the base-year rebasing) cancel in the DiD
    else:
        y = xj.outcome_panel(outcome)
    pre, post = y.loc[:treatment_year - 1], y.loc[treatment_year:last_year]
    change = post.mean() - pre.mean()
    return float(change["Xinjiang"] - change[controls].mean())


@pytest.fixture(scope="module")
def grid():
    return xj.design_sensitivity()


def test_design_grid_is_complete_and_keyed(grid):
    keys = ["estimator", "outcome", "region", "rule", "treatment_year"]
    assert not grid.duplicated(keys).any()
    assert len(grid) == 3 * len(xj.RULES) * (len(xj.DID_OUTCOMES) * 2 + 2 * len(xj.SYNTH_OUTCOMES))
    assert set(grid["treatment_year"]) == {2010, 2011, xj.IN_TIME_PLACEBO_YEAR}
    assert set(grid.loc[grid["treatment_year"] == xj.IN_TIME_PLACEBO_YEAR, "last_year"]) == {2009}


@pytest.mark.parametrize("rule", ["baseline", "strict", "assisting", "pairing_change"])
@pytest.mark.parametrize("timing", [(2011, 2019), (2010, 2019), (2006, 2009)])
def test_did_rows_equal_a_direct_fit(grid, rule, timing):
    excluded = {"baseline": set(), "strict": {"Sichuan", "Gansu", "Yunnan"},
                "assisting": set(_seeds_assisting()["province"]), "pairing_change": {"Chongqing", "Sichuan", "Gansu"}}
    reg = data.load("regions")
    for region in ("west", "all"):
        units = reg.index[reg["nbs_region"] == "west"] if region == "west" else reg.index
        controls = [u for u in units if u not in {"Xinjiang", "Tibet", "Qinghai"} | excluded[rule]]
        for outcome in xj.DID_OUTCOMES:
            row = grid.query("estimator == 'did' and outcome == @outcome and region == @region and rule == @rule "
                             "and treatment_year == @timing[0]").iloc[0]
            assert row["last_year"] == timing[1] and row["n_units"] == len(controls) + 1
            assert row["estimate"] == pytest.approx(_did_by_hand(outcome, controls, *timing), abs=1e-9), \
                (region, outcome)


@pytest.mark.parametrize("rule", ["baseline", "assisting", "pairing_change"])
@pytest.mark.parametrize("timing", [(2011, 2019), (2010, 2019), (2006, 2009)])
def test_synth_rows_equal_a_direct_refit(grid, rule, timing):
    donors = xj.donor_pool(region="all", rule=rule)
    pc = xj.outcome_panel("real_gdp_per_capita")
    fit = xj.synth_control(pc, "Xinjiang", donors, pre_period=(2000, timing[0] - 1), post_period=timing,
                           allow_more_donors_than_periods=True)
    row = grid.query("estimator == 'synth' and outcome == 'real_gdp_per_capita' and rule == @rule "
                     "and treatment_year == @timing[0]").iloc[0]
    assert row["estimate"] == pytest.approx(fit.mean_post_gap, rel=1e-9)
    assert row["pre_rmspe"] == pytest.approx(fit.pre_rmspe, rel=1e-9)
    assert row["n_units"] == len(donors) + 1


def test_assisting_rule_synth_is_the_optimum_of_an_independent_solver(grid):
    # the pool without the assisting provinces fits Xinjiang's pre-period path far worse
    donors = xj.donor_pool(region="all", rule="assisting")
    row = grid.query("estimator == 'synth' and outcome == 'real_gdp_per_capita' and rule == 'assisting' "
                     "and treatment_year == 2011").iloc[0]
    assert row["pre_rmspe"] == pytest.approx(_slsqp_pre_rmspe(donors), rel=1e-5)
    base = grid.query("estimator == 'synth' and outcome == 'real_gdp_per_capita' and rule == 'baseline' "
                      "and treatment_year == 2011").iloc[0]
    assert row["pre_rmspe"] > 5 * base["pre_rmspe"]


def test_assisting_provinces_carry_most_of_the_baseline_weight(main_fit):
    w = main_fit.weight_series
    assert xj.synth_weight_share(main_fit, xj.ASSISTING_PROVINCES) == pytest.approx(
        w[["Hebei", "Jilin", "Shanghai", "Shanxi"]].sum(), rel=1e-12)
    assert xj.synth_weight_share(main_fit, xj.ASSISTING_PROVINCES) > 0.5
    # the 2010 pairing-change provinces have no weight, so that rule leaves the fit as it is
    assert xj.synth_weight_share(main_fit, xj.PAIRING_CHANGED_2010) == 0.0


def test_levels_did_and_its_errors():
    r = xj.did_comparison(region="all", outcome="log_real_gdp")
    assert r.pre_period == (2000, 2010)
    assert r.estimate == pytest.approx(_did_by_hand("log_real_gdp", list(r.controls), 2011, 2019), abs=1e-9)
    with pytest.raises(InputError, match=r"outcome must be one of .* \(a growth rate or a log level\), got 'gdp'"):
        xj.did_comparison(outcome="gdp")
    with pytest.raises(InputError, match=r"outcome must be a growth rate"):
        xj.growth_comparison(outcome="log_real_gdp")


def test_bounding_controls_of_the_headline_did():
    r = xj.growth_comparison(region="west")
    g = xj.outcome_panel("real_growth")
    change = g.loc[2011:2019].mean() - g.loc[2000:2010].mean()
    c = change[list(r.controls)]
    assert r.ct_np_bounding_controls == (c.idxmax(), c.idxmin()) == ("Guizhou", "Inner Mongolia")


def test_sector_shares_by_hand():
    va = data.load("province_value_added")
    x = va.xs("Xinjiang", level="province").loc[2000:2010]
    shares = xj.sector_shares(2000, 2010)
    assert list(shares.index) == ["primary_share", "secondary_share"] and shares.shape[1] == 31
    assert shares.loc["secondary_share", "Xinjiang"] == pytest.approx((100 * x["secondary"] / x["gdp"]).mean(),
                                                                      rel=1e-12)
    assert shares.loc["primary_share", "Xinjiang"] == pytest.approx((100 * x["primary"] / x["gdp"]).mean(),
                                                                    rel=1e-12)
    with pytest.raises(InputError, match=r"last year 2020 is outside the data"):
        xj.sector_shares(2000, 2020)


@pytest.mark.parametrize("timing", [(2011, 2019), (2006, 2009)])
def test_sectoral_synth_rows_equal_a_direct_refit(grid, timing):
    donors = xj.donor_pool(region="all")
    pc = xj.outcome_panel("real_gdp_per_capita")
    pre = (2000, timing[0] - 1)
    va = data.load("province_value_added").loc[(slice(None), slice(*pre)), :]
    predictors = (100 * va[["primary", "secondary"]].div(va["gdp"], axis=0)).groupby(level="province").mean().T
    fit = xj.synth_control(pc, "Xinjiang", donors, pre_period=pre, post_period=timing,
                           allow_more_donors_than_periods=True, predictors=predictors)
    row = grid.query("estimator == 'synth_sectoral' and outcome == 'real_gdp_per_capita' and rule == 'baseline' "
                     "and treatment_year == @timing[0]").iloc[0]
    assert row["estimate"] == pytest.approx(fit.mean_post_gap, rel=1e-9)
    assert row["pre_rmspe"] == pytest.approx(fit.pre_rmspe, rel=1e-9)
    # the sectoral fit trades some of the outcome fit for the structure: never a better outcome fit
    plain = grid.query("estimator == 'synth' and outcome == 'real_gdp_per_capita' and rule == 'baseline' "
                       "and treatment_year == @timing[0]").iloc[0]
    assert row["pre_rmspe"] >= plain["pre_rmspe"] - 1e-9
