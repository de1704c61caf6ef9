"""Tests of the funding analysis (Table 1): identities, the paper's shares, decompositions."""

from __future__ import annotations

import inspect
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ewp_stats import funding as F
from ewp_stats.paper import funding_decomposition as D
from ewp_stats.errors import DataValidationError, InputError
from ewp_stats.pipeline.paper_tables import build_funding

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_funding(SEEDS)[0]


@pytest.fixture(scope="module")
def table(tidy: pd.DataFrame) -> F.FundingTable:
    return F.funding_table(tidy)


# ---------------------------------------------------------------- data


def test_shipped_dataset_matches_builder(tidy: pd.DataFrame) -> None:
    from ewp_stats import data

    shipped = data.load("funding")
    assert shipped["amount"].to_dict() == tidy["amount"].to_dict()
    assert F.funding_table().amounts.equals(F.funding_table(tidy).amounts)


def test_half_units_from_printed_or_inferred(tidy: pd.DataFrame, table: F.FundingTable) -> None:
    assert table.half_units.at["county_level", "2007"] == pytest.approx(0.00005)  # '83.2521.'
    assert table.half_units.at["tax_payments", "2005"] == pytest.approx(0.5)  # '77'
    inferred = F.funding_table(tidy.drop(columns="printed"))
    assert inferred.half_units.at["county_level", "2007"] == pytest.approx(0.00005)
    assert inferred.half_units.at["tax_payments", "2005"] == pytest.approx(0.05)  # '77.0'


# ---------------------------------------------------------------- reconstruction


def test_reconstruction_derives_all_eight_rows(table: F.FundingTable) -> None:
    r = F.reconstruct(table)
    assert r.derived_identity == F.ITEMS[:-1]
    assert r.unique
    assert r.subsets.iloc[0]["n_periods_matched"] == 6
    assert r.subsets.iloc[0]["max_abs_difference"] == pytest.approx(0.0041, abs=1e-9)
    assert (r.subsets["n_periods_matched"] < 6).iloc[1:].all()


def test_reconstruction_failures_and_sizes(table: F.FundingTable) -> None:
    r = F.reconstruct(table)
    ids = r.identities
    assert ids.xs("total.all_rows", level="identity")["holds"].all()
    gov = ids.xs("government.levels", level="identity")
    assert gov["holds"].tolist() == [False, True, True, False, True, False]
    assert gov.loc["2006", "difference"] == pytest.approx(231.1, abs=1e-9)
    assert gov.loc["2003", "difference"] == pytest.approx(-2.6176, abs=1e-9)
    assert gov.loc["2003-2007", "difference"] == pytest.approx(228.4804, abs=1e-9)
    src = ids.xs("total.sources", level="identity")
    assert not src["holds"].any()
    assert src.loc["2003-2007", "difference"] == pytest.approx(93203.083, abs=1e-6)
    # leaving out the levels misses by exactly their sum (within rounding)
    wl = ids.xs("total.without_levels", level="identity")
    assert wl.loc["2006", "difference"] == pytest.approx(303.453, abs=1e-6)
    rows = ids[ids.index.get_level_values("identity").str.startswith("row_sum.")]
    assert len(rows) == 9 and rows["holds"].all()
    failing = set(r.failures.index.get_level_values("identity"))
    assert failing == {"total.sources", "total.sources_levels", "total.paid_in",
                       "total.contracted_and_paid_in", "total.without_levels",
                       "government.levels"}
    assert "231.1000" in r.summary()


# ---------------------------------------------------------------- the paper's shares

PRINTED = {"enterprise_share_of_all": 80.3, "tax_share_of_government": 60.3,
           "donations_share_of_all": 0.08, "donations_share_of_government": 16.8}


def test_paper_shares_reproduced_as_printed(table: F.FundingTable) -> None:
    ps = F.paper_shares(table).frame.xs("as_printed", level="convention")
    for claim, printed in PRINTED.items():
        decimals = len(str(printed).split(".")[1])
        assert round(ps.at[claim, "percent"], decimals) == printed, claim
        assert ps.at[claim, "matches_printed"]
    assert ps.at["enterprise_share_of_all", "percent"] == pytest.approx(80.32071, abs=1e-5)
    assert ps.at["tax_share_of_government", "percent"] == pytest.approx(60.28655, abs=1e-5)
    assert ps.at["donations_share_of_all", "percent"] == pytest.approx(0.0818791, abs=1e-7)
    assert ps.at["donations_share_of_government", "percent"] == pytest.approx(16.79878, abs=1e-5)


@pytest.fixture()
def register() -> pd.DataFrame:
    from ewp_stats import data

    return data.load("claims_register").copy()


def test_paper_shares_read_the_printed_figures_from_the_register(table: F.FundingTable,
                                                                 register: pd.DataFrame) -> None:
    ps = F.paper_shares(table, register=register)
    assert ps.printed["claim_id"].tolist() == ["P35", "P37", "P38", "P39"]
    assert ps.printed["printed"].tolist() == ["80.3%", "60.3%", "0.08%", "16.8%"]
    register.loc["P35", ["printed", "value"]] = ["80.4%", 80.4]
    ps = F.paper_shares(table, register=register).frame.xs("enterprise_share_of_all", level="claim")
    assert set(ps["printed"]) == {"80.4%"}
    assert not ps["matches_printed"].any()  # 80.3207 is 0.079 from 80.4, more than 0.05
    with pytest.raises(DataValidationError, match=r"claims \['P37'\] are not in the register"):
        F.paper_shares(table, register=register.drop(index="P37"))


@pytest.mark.parametrize(("value", "decimals", "matches"), [
    (80.32, 2, True),  # 80.3207 is within 0.005 of 80.32
    (80.33, 2, False),  # 0.0093 away
    (80.0, 0, True),  # a figure printed as "80%" stands for [79.5, 80.5]
    (80.37, 1, True),  # a printed value need not be rounded itself: half a unit of 0.1 is 0.05
    (80.38, 1, False),
])
def test_paper_shares_match_within_half_a_unit(table: F.FundingTable, register: pd.DataFrame,
                                               value: float, decimals: int, matches: bool) -> None:
    register.loc["P35", ["value", "decimals"]] = [value, decimals]
    ps = F.paper_shares(table, register=register).frame
    assert bool(ps.at[("enterprise_share_of_all", "as_printed"), "matches_printed"]) is matches


def test_paper_shares_under_other_conventions(table: F.FundingTable) -> None:
    wide = F.paper_shares(table).table()
    assert wide.loc["enterprise_share_of_all", "sources"] == pytest.approx(99.29622, abs=1e-5)
    assert wide.loc["enterprise_share_of_all", "paid_in"] == pytest.approx(96.99502, abs=1e-5)
    assert wide.loc["tax_share_of_government", "sources_levels"] == pytest.approx(66.69702,
                                                                                abs=1e-5)
    assert wide.loc["donations_share_of_all", "paid_in"] == pytest.approx(0.4321966, abs=1e-7)
    assert wide.loc["donations_share_of_government", "paid_in_levels"] == pytest.approx(
        18.58505, abs=1e-5)  # 399.34 / 2148.7166
    matches = F.paper_shares(table).frame["matches_printed"]
    assert matches.groupby(level="convention").sum().to_dict() == {
        "as_printed": 4, "paid_in": 2, "paid_in_levels": 0, "sources": 2, "sources_levels": 0}


# ---------------------------------------------------------------- composition


@pytest.mark.parametrize("name", list(F.CONVENTIONS))
def test_composition_shares_sum_to_one(table: F.FundingTable, name: str) -> None:
    comp = F.composition(table, convention=name)
    sums = comp.frame["share"].groupby(level="period").sum()
    assert np.allclose(sums.to_numpy(), 1.0, rtol=0, atol=1e-12)
    amounts = comp.frame["amount"].groupby(level="period").sum()
    totals = F.total_funds(table, convention=name)
    assert np.allclose(amounts.reindex(totals.index), totals, rtol=1e-13, atol=0)


def test_composition_values(table: F.FundingTable) -> None:
    c = F.composition(table, convention="sources").frame
    assert c.loc[("2003-2007", "enterprise"), "share"] == pytest.approx(0.9929622, abs=1e-7)
    assert c.loc[("2006", "government"), "amount"] == 534.553
    c2 = F.composition(table, convention="sources_levels").frame
    assert c2.loc[("2006", "government"), "amount"] == pytest.approx(303.453, abs=1e-9)
    memo = F.composition(table, convention="paid_in").memo
    assert set(memo.index.get_level_values("item")) == {
        "provincial_level", "prefectural_level", "county_level", "enterprise_investments",
        "tax_payments"}
    residual = F.composition(table, convention="as_printed").frame.xs("rounding_residual", level="source")
    assert residual["amount"].abs().max() == pytest.approx(0.0041, abs=1e-9)


def test_shares_by_convention(table: F.FundingTable) -> None:
    s = F.shares_by_convention(table)
    assert np.allclose(s.sum().to_numpy(), 1.0, atol=1e-12)
    assert s.at["other_printed_rows", "as_printed"] == pytest.approx(0.1911, abs=1e-4)
    assert (s.loc["other_printed_rows"].drop("as_printed") == 0).all()
    s06 = F.shares_by_convention(table, period=2006)
    assert s06.at["government", "sources"] == pytest.approx(534.553 / 41658.648)


def test_government_levels(table: F.FundingTable) -> None:
    g = F.government_levels(table)
    shares = g.frame["share_of_levels"].groupby(level="period").sum()
    assert np.allclose(shares.to_numpy(), 1.0, atol=1e-12)
    assert g.gaps["consistent"].to_dict() == {"2003": False, "2004": True, "2005": True,
                                              "2006": False, "2007": True, "2003-2007": False}
    assert g.gaps.at["2006", "gap"] == pytest.approx(231.1, abs=1e-9)
    assert g.gaps.at["2003", "gap"] == pytest.approx(343.795 - (144.35 + 117.93 + 84.1326), abs=1e-9)
    # printed 343.795, 144.35, 117.93 and 84.1326: half units 0.0005 + 0.005 + 0.005 + 0.00005
    assert g.gaps.at["2003", "tolerance"] == pytest.approx(0.01055, abs=1e-15)
    assert g.gaps.at["2006", "sum_of_levels"] == pytest.approx(169.59 + 91.113 + 42.75, abs=1e-9)
    assert g.frame.at[("2003-2007", "provincial_level"), "share_of_levels"] == pytest.approx(
        1232.209 / 2148.7166)


def test_stability(table: F.FundingTable) -> None:
    s = F.stability(table)
    assert s.government_monotone  # printed subtotal rises every year
    assert not s.government_levels_sum_monotone  # ... the sum of the levels falls in 2006
    assert dict(s.level_declines) == {"provincial_level": (2005, 2006),
                                      "prefectural_level": (2004, 2006),
                                      "county_level": (2004, 2005, 2006)}
    assert s.frame.at["government_levels_sum", "decline_years"] == "2006"
    assert "cv" not in s.frame.columns and "std" not in s.frame.columns  # not from 5 points
    # printed subtotal rises every year: tau = 1, exact one-sided p = 1/5! (two-sided 2/5!)
    assert s.frame.at["government_funds", "kendall_tau"] == pytest.approx(1.0, abs=1e-12)
    assert s.frame.at["government_funds", "p_increasing"] == pytest.approx(1 / 120, rel=1e-12)
    assert s.frame.at["government_funds", "p_two_sided"] == pytest.approx(1 / 60, rel=1e-12)
    assert s.p_min_one_sided == pytest.approx(1 / 120)
    # county level 84.1326, 81.7289, 72.301, 42.75, 83.2521: 3 concordant, 7 discordant pairs
    assert s.frame.at["county_level", "kendall_tau"] == pytest.approx(-0.4, abs=1e-12)
    assert s.frame.at["government_funds", "max_over_min"] == pytest.approx(547.239 / 343.795)
    assert s.yoy.at[("government_levels_sum", 2006), "growth"] == pytest.approx(
        303.453 / 482.952 - 1, abs=1e-12)
    assert s.frame.at["tax_payments", "max_abs_growth"] == pytest.approx(1026.77 / 110.38 - 1)


def test_aggregate_cross_checks(table: F.FundingTable) -> None:
    x = F.aggregate_cross_checks(table)
    assert round(x.at["enterprise_2010_share", "ratio"] * 100, 1) == 10.3
    assert x.at["enterprise_contracted_2003_2007", "value"] == pytest.approx(391.73939)
    assert x.at["enterprise_rest_of_1996_2010", "value"] == pytest.approx(233.74061)
    assert x.at["government_2003_2007", "ratio"] == pytest.approx(2.377197 / 7.86)
    assert x.at["enterprise_2010_share", "description"].endswith("(paper: 10.3%)")


def test_aggregate_cross_checks_read_the_register(table: F.FundingTable,
                                                  register: pd.DataFrame) -> None:
    register.loc["P16", "value"] = 8.0
    x = F.aggregate_cross_checks(table, register=register)
    assert x.at["government_2003_2007", "reference"] == 8.0
    assert x.at["government_2003_2007", "ratio"] == pytest.approx(2.377197 / 8.0)
    register.loc["P17", "unit"] = "million yuan"
    with pytest.raises(DataValidationError, match=r"unit 'million yuan'"):
        F.aggregate_cross_checks(table, register=register)


def _exact_kendall_p(values: list[float]) -> tuple[float, float]:
    """Exact one-sided p-values by enumerating all orders of the values (independent of scipy)."""
    def tau(v):
        n = len(v)
        s = sum(np.sign(v[j] - v[i]) for i in range(n) for j in range(i + 1, n))
        return s / (n * (n - 1) / 2)
    t0 = tau(values)
    taus = [tau(p) for p in itertools.permutations(values)]
    return (sum(t >= t0 - 1e-12 for t in taus) / len(taus),
            sum(t <= t0 + 1e-12 for t in taus) / len(taus))


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0, 4.0, 5.0], [84.1326, 81.7289, 72.301, 42.75, 83.2521],
                                    [0.4563, 0.5196, 0.4486, 0.4243, 0.3640], [3.0, 1.0, 2.0, 5.0]])
def test_kendall_trend_matches_enumeration(values: list[float]) -> None:
    k = F.kendall_trend(values)
    up, down = _exact_kendall_p(values)
    assert k["p_increasing"] == pytest.approx(up, rel=1e-12)
    assert k["p_decreasing"] == pytest.approx(down, rel=1e-12)
    assert k["p_min_one_sided"] == pytest.approx(1 / math.factorial(len(values)))


@pytest.mark.parametrize(("values", "match"), [([1.0, 2.0], "at least 3 values"),
                                               ([1.0, 1.0, 2.0], "tied values"),
                                               ([1.0, np.nan, 2.0], "non-finite")])
def test_kendall_trend_invalid(values: list[float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        F.kendall_trend(values)


# ---------------------------------------------------------------- default convention


def test_default_convention_counts_each_source_once(table: F.FundingTable) -> None:
    assert F.DEFAULT_CONVENTION == "sources"
    lc = F.list_conventions()
    assert lc.index[lc["default"]].tolist() == ["sources"]
    # government subtotal + contracted enterprise + donations, 2003: no double counting
    assert F.total_funds(table)["2003"] == pytest.approx(343.795 + 24877.58 + 50.463, abs=1e-9)
    assert F.composition(table).convention == "sources"
    assert D.contributions(table).convention == "sources"
    assert D.lmdi(2003, 2007, table).convention == "sources"
    assert list(F.component_amounts(table).index) == ["government", "enterprise", "donations"]
    # real investments are not a source under the default: they cannot "explain" growth
    assert "real_investments" not in D.contributions(table).frame.index.get_level_values("source")
    # the paper's reading is still there when asked for
    assert F.total_funds(table, convention="as_printed")["2003"] == 29172.66


def test_every_convention_parameter_defaults_to_the_meaningful_one() -> None:
    from ewp_stats.paper import funding_table as T
    from ewp_stats.reporting.figures import funding as G

    checked = []
    for module in (F, T, D, G):
        for name in getattr(module, "__all__", []):
            fn = getattr(module, name)
            if callable(fn) and not isinstance(fn, type):
                p = inspect.signature(fn).parameters.get("convention")
                if p is not None:
                    checked.append(name)
                    assert p.default == "sources", f"{module.__name__}.{name}"
    assert {"composition", "component_amounts", "total_funds", "contributions", "lmdi",
            "intensity_scale", "plot_contributions"} <= set(checked)


# ---------------------------------------------------------------- intensity and scale


def test_donor_sets() -> None:
    assert len(D.PAIRED_DONORS) == 9
    assert "Liaoning" in D.PAIRED_DONORS and "Hebei" not in D.PAIRED_DONORS
    east = D.donor_provinces(donors="east")
    assert set(east) == {"Beijing", "Tianjin", "Hebei", "Shanghai", "Jiangsu", "Zhejiang",
                         "Fujian", "Shandong", "Guangdong", "Hainan"}
    assert set(east) - set(D.PAIRED_DONORS) == {"Hebei", "Hainan"}


def test_intensity_units() -> None:
    # 1 million yuan of aid against 1 (100 million yuan) of GDP: 1e6 / 1e8 * 1e4 = 100 yuan
    assert D.aid_intensity(1.0, 1.0) == pytest.approx(100.0)
    assert D.INTENSITY_UNIT == "yuan per 10,000 yuan of donor GDP"


def _flat_gdp(per_province: dict[int, float], provinces=D.PAIRED_DONORS) -> pd.DataFrame:
    rows = [{"vintage": "test", "province": p, "year": y, "gdp": v}
            for p in provinces for y, v in per_province.items()]
    return pd.DataFrame(rows).set_index(["vintage", "province", "year"])


def test_intensity_in_yuan_per_10000_yuan_of_gdp(table: F.FundingTable) -> None:
    gdp = _flat_gdp({y: 1000.0 for y in F.YEARS})  # 9 donors x 1000 (100 million yuan) each
    r = D.intensity_scale(table, vintage="test", gdp=gdp)
    aid_yuan, gdp_yuan = 343.795e6, 9 * 1000.0 * 1e8
    assert r.levels.at[("government", 2003), "intensity"] == pytest.approx(aid_yuan / gdp_yuan * 1e4)
    assert r.levels.at[("government", 2003), "donor_gdp"] == 9000.0
    # constant donor GDP: no scale effect, the whole change is intensity
    row = r.frame.loc[("government", "2003-2007")]
    assert row["scale_effect"] == pytest.approx(0.0, abs=1e-12)
    assert row["intensity_effect"] == pytest.approx(547.239 - 343.795, rel=1e-12)


def test_intensity_scale_planted_proportional_growth(table: F.FundingTable) -> None:
    # donor GDP planted to grow exactly like government aid: intensity constant, all scale
    gov = table.amounts.loc["government_funds", [str(y) for y in F.YEARS]]
    gdp = _flat_gdp({y: float(gov[str(y)]) * 7.0 for y in F.YEARS})
    r = D.intensity_scale(table, vintage="test", gdp=gdp)
    g = r.frame.xs("government", level="series")
    assert np.allclose(g["intensity_effect"], 0.0, atol=1e-9)
    assert np.allclose(g["scale_effect"], g["change"], rtol=1e-12)
    assert np.allclose(g["intensity_factor"], 1.0, rtol=1e-12)


def test_intensity_scale_on_shipped_gdp(table: F.FundingTable) -> None:
    r = D.intensity_scale(table)
    assert (r.convention, r.donors, r.vintage) == ("sources", "paired", "gcam_compendium")
    f = r.frame
    assert list(f.index.get_level_values("step").unique()) == [
        "2003-2004", "2004-2005", "2005-2006", "2006-2007", "2003-2007"]
    assert np.allclose(f["intensity_effect"] + f["scale_effect"], f["change"], rtol=0, atol=1e-9)
    assert np.allclose(f["intensity_factor"] * f["scale_factor"], f["aid_factor"], rtol=1e-12)
    assert f.at[("government", "2003-2007"), "change"] == pytest.approx(547.239 - 343.795)
    assert f.at[("enterprise", "2003-2004"), "aid_start"] == 24877.58
    gdp = D.donor_gdp()
    assert r.levels.at[("government", 2007), "intensity"] == pytest.approx(100 * 547.239 / gdp[2007])
    # paid-in enterprise money under paid_in; levels' sum under sources_levels
    assert D.intensity_scale(table, convention="paid_in").frame.at[
        ("enterprise", "2003-2004"), "aid_start"] == 3457.66
    assert D.intensity_scale(table, convention="sources_levels").frame.at[
        ("government", "2005-2006"), "aid_end"] == pytest.approx(169.59 + 91.113 + 42.75)
    assert r.trend.at["government", "n_intensity_declines"] == (
        np.diff(r.levels.xs("government", level="series")["intensity"].to_numpy()) < 0).sum()


def test_intensity_chain_and_counterfactual_on_shipped_gdp(table: F.FundingTable) -> None:
    # review of issue 14 (measured independently): the yearly LMDI-I effects of government aid
    # under `sources` sum to 332.2 (scale) and -128.8 (intensity) million yuan against 302.4
    # and -98.9 for the direct 2003-2007 step; the constant-intensity change is
    # 343.795 x (1.9955 - 1) = 342.2, not the LMDI scale effect
    r = D.intensity_scale(table)
    f = r.frame.xs("government", level="series")
    yearly = f.drop(index="2003-2007")
    ch = r.chain.loc["government"]
    assert ch["scale_effect_chained"] == pytest.approx(yearly["scale_effect"].sum(), rel=1e-12)
    assert ch["intensity_effect_chained"] == pytest.approx(yearly["intensity_effect"].sum(), rel=1e-12)
    assert ch["scale_effect_chained"] == pytest.approx(332.2, abs=0.05)
    assert ch["scale_effect_direct"] == pytest.approx(302.4, abs=0.05)
    assert ch["intensity_effect_chained"] == pytest.approx(-128.8, abs=0.05)
    assert ch["intensity_effect_direct"] == pytest.approx(-98.9, abs=0.05)
    # both splits add up to the same change, so the chain gaps cancel
    assert ch["scale_chain_gap"] + ch["intensity_chain_gap"] == pytest.approx(0.0, abs=1e-9)
    assert ch["scale_chain_gap"] == pytest.approx(ch["scale_effect_chained"] - ch["scale_effect_direct"])
    # LMDI-I scale effect by hand: L(aid_2007, aid_2003) ln(G_2007 / G_2003)
    gdp = D.donor_gdp()
    a0, a1 = 343.795, 547.239
    lm = (a1 - a0) / math.log(a1 / a0)
    direct = f.loc["2003-2007"]
    assert direct["scale_effect"] == pytest.approx(lm * math.log(gdp[2007] / gdp[2003]), rel=1e-12)
    assert direct["scale_factor"] == pytest.approx(1.9955, abs=5e-5)
    assert direct["constant_intensity_change"] == pytest.approx(a0 * (gdp[2007] / gdp[2003] - 1), rel=1e-12)
    assert direct["constant_intensity_change"] == pytest.approx(342.2, abs=0.05)
    assert direct["constant_intensity_change"] - direct["scale_effect"] > 39


def test_constant_intensity_change_planted_proportional_growth(table: F.FundingTable) -> None:
    # planted: donor GDP grows exactly like aid, so intensity is constant: the counterfactual,
    # the LMDI scale effect and the change coincide in every step, and the chain has no gap
    gov = table.amounts.loc["government_funds", [str(y) for y in F.YEARS]]
    gdp = _flat_gdp({y: float(gov[str(y)]) * 3.0 for y in F.YEARS})
    r = D.intensity_scale(table, vintage="test", gdp=gdp)
    g = r.frame.xs("government", level="series")
    assert np.allclose(g["constant_intensity_change"], g["change"], rtol=1e-12)
    assert np.allclose(g["scale_effect"], g["change"], rtol=1e-12)
    assert r.chain.at["government", "intensity_chain_gap"] == pytest.approx(0.0, abs=1e-9)


def test_intensity_trend_with_the_sum_of_levels(table: F.FundingTable) -> None:
    # review of issue 14: with the sum of the levels the intensity falls in 2 of 4 steps,
    # the 2006-07 intensity effect is +170.8, tau = -0.6 with exact p 0.233 (two-sided) and
    # 0.117 (one-sided, fall); scipy's exact Kendall test is the peer
    from scipy.stats import kendalltau

    r = D.intensity_scale(table, convention="sources_levels")
    t = r.trend.loc["government"]
    assert t["n_intensity_declines"] == 2 and t["n_intensity_rises"] == 2
    assert t["kendall_tau"] == pytest.approx(-0.6, abs=1e-12)
    lv = r.levels.xs("government", level="series")["intensity"].to_numpy()
    peer = kendalltau(np.arange(5), lv, method="exact")
    assert t["p_two_sided"] == pytest.approx(peer.pvalue, rel=1e-9)
    assert t["p_two_sided"] == pytest.approx(0.233, abs=5e-4)
    assert t["p_decreasing"] == pytest.approx(0.117, abs=5e-4)
    assert r.frame.at[("government", "2006-2007"), "intensity_effect"] == pytest.approx(170.8, abs=0.05)
    # under the printed subtotal: 3 declines, tau -0.8
    s = D.intensity_scale(table).trend.loc["government"]
    assert s["n_intensity_declines"] == 3 and s["kendall_tau"] == pytest.approx(-0.8, abs=1e-12)


def test_donor_gdp_sums_the_donors() -> None:
    from ewp_stats import data

    g = data.load("province_gdp")
    for donors in D.DONOR_SETS:
        provinces = D.donor_provinces(donors=donors)
        total = D.donor_gdp(donors=donors, vintage="nbs_2021")
        assert list(total.index) == list(F.YEARS)
        assert total[2005] == pytest.approx(sum(g.at[("nbs_2021", p, 2005), "gdp"] for p in provinces))


def test_intensity_sensitivity_grid(table: F.FundingTable) -> None:
    s = D.intensity_sensitivity(table)
    assert list(s.index) == [("paired", "gcam_compendium"), ("paired", "nbs_2021"),
                             ("east", "gcam_compendium"), ("east", "nbs_2021")]
    assert np.allclose(s["intensity_effect"] + s["scale_effect"], 547.239 - 343.795, atol=1e-9)


# ---------------------------------------------------------------- decompositions


@pytest.mark.parametrize("name", list(F.CONVENTIONS))
def test_contributions_sum_to_total_change(table: F.FundingTable, name: str) -> None:
    c = D.contributions(table, convention=name)
    sums = c.frame["change"].groupby(level="step").sum()
    assert np.allclose(sums.reindex(c.totals.index), c.totals["total_change"], rtol=0, atol=1e-9)
    pp = c.frame["contribution_pp"].groupby(level="step").sum()
    assert np.allclose(pp.reindex(c.totals.index), c.totals["growth_pct"], rtol=0, atol=1e-9)


def test_contributions_as_printed_use_printed_total(table: F.FundingTable) -> None:
    c = D.contributions(table, convention="as_printed")
    assert c.totals.at["2005-2006", "total_change"] == pytest.approx(52164.94 - 95986.17,
                                                                     abs=1e-9)
    assert c.frame.at[("2003-2004", "enterprise_investments"), "change"] == pytest.approx(
        105759.07 - 24877.58, abs=1e-9)


@pytest.mark.parametrize("name", list(F.CONVENTIONS))
def test_lmdi_exact_on_table(table: F.FundingTable, name: str) -> None:
    for s, e in [(2003, 2007), (2005, 2006), (2007, 2004)]:
        r = D.lmdi(s, e, table, convention=name)
        assert r.sum_of_effects == pytest.approx(r.log_change, abs=1e-12)
        assert math.prod(r.frame["factor"]) == pytest.approx(r.total_end / r.total_start,
                                                             rel=1e-12)
        assert np.allclose(r.frame["additive_effect"], r.frame["end"] - r.frame["start"],
                           rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------- results objects


def test_results_serialise_and_render(table: F.FundingTable) -> None:
    results = [F.reconstruct(table), F.composition(table, convention="paid_in"), F.government_levels(table),
               F.paper_shares(table), F.stability(table), D.contributions(table, convention="sources"),
               D.lmdi(2003, 2007, table, convention="sources"), D.intensity_scale(table)]
    for r in results:
        json.dumps(r.to_dict(), allow_nan=False)
        assert r.title in r.summary() or r.title in r._repr_html_()
        assert r._repr_html_().startswith(("<table", "<div>"))
        assert isinstance(r.to_frame(), pd.DataFrame)
    assert "as_printed reproduces 4 of 4" in F.paper_shares(table).summary()
    with pytest.raises(AttributeError):
        results[0].unique = False  # frozen


def test_list_conventions() -> None:
    lc = F.list_conventions()
    assert list(lc.index) == ["as_printed", "sources", "sources_levels", "paid_in",
                              "paid_in_levels"]
    assert lc.at["paid_in", "memo_items"] == (
        "provincial_level, prefectural_level, county_level, enterprise_investments, "
        "tax_payments")
    assert "231.1" in F.CONVENTIONS["sources_levels"].evidence


# ---------------------------------------------------------------- errors


def _edit(tidy: pd.DataFrame, key: tuple[str, str], value: object) -> pd.DataFrame:
    out = tidy.copy()
    out["amount"] = out["amount"].astype(object)
    out.loc[key, "amount"] = value
    return out


# (id, make the input from the tidy table, call, error type, match)
_INVALID = [
    ("unknown-convention", lambda t: t, lambda x: F.composition(x, convention="gross"), InputError,
     r"unknown accounting convention 'gross'; valid conventions: as_printed, sources, "
     r"sources_levels, paid_in, paid_in_levels"),
    ("unknown-convention-lmdi", lambda t: t, lambda x: D.lmdi(2003, 2004, x, convention="gross"),
     InputError, r"unknown accounting convention"),
    ("period-outside-table", lambda t: t, lambda x: F.shares_by_convention(x, period=2008),
     InputError, r"period 2008 is outside Table 1; valid periods: 2003, .*2003-2007"),
    ("negative-amount", lambda t: _edit(t, ("social_donations", "2005"), -80.154),
     lambda x: F.composition(x, convention="sources"), DataValidationError,
     r"file 'funding', row 'social_donations/2005', column 'amount': negative amount -80.154"),
    *[(f"missing-amount-{v}", lambda t, v=v: _edit(t, ("tax_payments", "2004"), v), F.reconstruct,
       DataValidationError, r"row 'tax_payments/2004', column 'amount': missing amount")
      for v in (np.nan, None, "n/a")],
    ("subtotal-without-level", lambda t: t.drop(index="prefectural_level", level="item"),
     F.government_levels, DataValidationError,
     r"subtotal 'government_funds' without its component 'prefectural_level' in periods \['2003'"),
    ("subtotal-without-level-cell", lambda t: t.drop(index=[("county_level", "2006")]),
     lambda x: F.composition(x, convention="sources_levels"), DataValidationError,
     r"row 'county_level/2006', column 'amount': subtotal 'government_funds' without its "
     r"component 'county_level' in periods \['2006'\]"),
    ("missing-item", lambda t: t.drop(index="social_donations", level="item"), F.funding_table,
     DataValidationError, r"missing items \['social_donations'\]"),
    ("duplicated-key", lambda t: pd.concat([t, t.loc[[("total", "2007")]]]), F.funding_table,
     DataValidationError, r"duplicated key \('total', '2007'\)"),
    ("index-levels", lambda t: t.reset_index("period"), F.funding_table, DataValidationError,
     r"index levels \['item'\]"),
    ("no-amount-column", lambda t: t.drop(columns="amount"), F.funding_table, DataValidationError,
     r"no 'amount' column"),
    ("missing-period", lambda t: t.drop(index="2003-2007", level="period"), F.funding_table,
     DataValidationError, r"missing periods \['2003-2007'\]"),
    ("not-a-frame", lambda t: [1, 2, 3], F.funding_table, InputError, "must be a pandas DataFrame"),
    ("unknown-donors", lambda t: t, lambda x: D.intensity_scale(x, donors="west"), InputError,
     r"unknown donor set 'west'; valid: paired, east"),
    ("unknown-vintage", lambda t: t, lambda x: D.intensity_scale(x, vintage="nbs_1999"),
     InputError, r"unknown GDP vintage 'nbs_1999'"),
    ("vintage-without-2003", lambda t: t,
     lambda x: D.intensity_scale(x, vintage="csy2009_first_release"), DataValidationError,
     r"no GDP for donor Beijing in 2003 \(vintage 'csy2009_first_release'\)"),
    ("unknown-series", lambda t: t, lambda x: D.intensity_sensitivity(x, series="taxes"),
     InputError, r"unknown series 'taxes'; valid: government, enterprise"),
    *[(f"lmdi-years-{start}-{end}", lambda t: t,
       lambda x, s=start, e=end: D.lmdi(s, e, x, convention="sources"), InputError, match)
      for start, end, match in [
          (2002, 2007, r"start_year 2002 is outside Table 1; valid years: 2003, 2004, 2005, 2006, 2007"),
          (2003, 2010, r"end_year 2010 is outside Table 1"),
          ("2003-2007", 2005, r"start_year '2003-2007' is not a year"),
          (2005, 2005, r"start_year and end_year are both 2005")]],
]


@pytest.mark.parametrize(("make", "call", "error", "match"), [pytest.param(*c[1:], id=c[0]) for c in _INVALID])
def test_invalid_inputs(tidy: pd.DataFrame, make, call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(make(tidy))


def test_the_step_publishes_the_counts_the_chapter_quotes() -> None:
    """The chapter glues these counts instead of typing them: eight printed rows give 2**8 - 1 subsets."""
    from ewp_stats.reporting.steps import funding_step

    values = funding_step().values
    assert values["n_subsets_tested"] == 255
    assert values["n_rows_in_identity"] == 8
    assert (values["n_years"], values["n_periods"], values["n_steps"]) == (5, 6, 4)
    assert values["n_paper_shares"] == len(PRINTED) == 4
