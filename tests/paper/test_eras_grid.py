"""The eras specification grid: statsmodels refits, the mbreaks reference, seeds, the cells."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ewp_stats.engines.breaks import bootstrap_test
from ewp_stats.engines.breaks.chow import newey_west_lags
from ewp_stats.paper.eras_grid import (
    MEASURES,
    MODELS,
    READINGS,
    VINTAGES,
    cell_seed,
    eras_grid,
    grid_series,
    known_date_test,
    trend_design,
)

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def grid():
    return eras_grid(B=199)


def _refit(s: pd.Series, null: tuple, alt: tuple, model: str):
    years = s.index.to_numpy().astype(float)
    X0, _ = trend_design(years, null, model)
    X1, _ = trend_design(years, alt, model)
    y = s.to_numpy()
    full = sm.OLS(y, X1).fit()
    F, p, _ = full.compare_f_test(sm.OLS(y, X0).fit())
    q = X1.shape[1] - X0.shape[1]
    R = np.zeros((q, X1.shape[1]))
    R[:, -q:] = np.eye(q)
    hac = sm.OLS(y, X1).fit(cov_type="HAC", cov_kwds={"maxlags": newey_west_lags(len(y)), "use_correction": True})
    w = hac.wald_test(R, use_f=True, scalar=True)
    return F, p, float(w.statistic), float(w.pvalue)


@pytest.mark.parametrize(("vintage", "measure", "model", "reading", "test", "null", "alt"), [
    ("gcam_compendium", "ratio", "jump", "1998_2008", "first", (), (1998,)),
    ("gcam_compendium", "ratio", "kink", "1998_2008", "joint", (), (1998, 2008)),
    ("gcam_compendium", "ratio", "kink", "1998_2008", "second", (1998,), (1998, 2008)),
    ("nbs_2021", "ratio", "jump", "1998_2011", "second", (), (2011,)),
    ("nbs_2021", "real_ratio", "kink", "1998_2008", "second", (), (2008,)),
    ("nbs_2021", "per_capita_ratio", "jump", "1998_2008", "second", (), (2008,)),
])
def test_known_date_tests_equal_statsmodels_refits(grid, vintage, measure, model, reading, test, null, alt):
    s, _ = grid_series(vintage, measure)
    F, p, F_hac, p_hac = _refit(s, null, alt, model)
    row = grid.tests.loc[(vintage, measure, model, reading, test)]
    assert row["F"] == pytest.approx(F, rel=1e-10)
    assert row["p_asymptotic"] == pytest.approx(p, rel=1e-8)
    assert row["F_hac"] == pytest.approx(F_hac, rel=1e-8)
    assert row["p_hac"] == pytest.approx(p_hac, rel=1e-6)
    assert grid.grid.loc[(vintage, measure, model, reading), f"{test}_p_bootstrap"] == row["p_bootstrap"]


def test_the_jump_models_single_date_bootstrap_is_the_engines_chow_bootstrap():
    """Same null model, same sieve, same draws from the same seed: the same p-value."""
    s, _ = grid_series("nbs_2021", "ratio")
    years = s.index.to_numpy().astype(float)
    X0, _ = trend_design(years, (), "jump")
    X1, _ = trend_design(years, (2008,), "jump")
    mine = known_date_test(s.to_numpy(), X0, X1, B=499, seed=7)
    engine = bootstrap_test("chow", s, X0, [2007], dates=s.index, rng=7, B=499)
    assert mine["F"] == pytest.approx(engine.statistic, rel=1e-10)
    assert mine["p_bootstrap"] == engine.pvalue
    alt = bootstrap_test("chow", s, X0, [2007], dates=s.index, rng=7, B=499, residuals="alternative")
    assert mine["p_bootstrap_alt"] == alt.pvalue and mine["ar_order_alt"] == alt.ar_order


def test_bootstrap_p_values_are_reproducible_from_the_seed(grid):
    s, _ = grid_series("gcam_compendium", "ratio")
    years = s.index.to_numpy().astype(float)
    X0, _ = trend_design(years, (1998,), "kink")
    X1, _ = trend_design(years, (1998, 2008), "kink")
    seed = cell_seed("gcam_compendium", "ratio", "kink", "kink at 2008 given 1998")
    a = known_date_test(s.to_numpy(), X0, X1, B=199, seed=seed)
    assert a["seed"] == seed and a == known_date_test(s.to_numpy(), X0, X1, B=199, seed=seed)
    assert grid.tests.loc[("gcam_compendium", "ratio", "kink", "1998_2008", "second"), "p_bootstrap"] == a["p_bootstrap"]
    again = eras_grid(B=199)
    pd.testing.assert_frame_equal(again.tests, grid.tests)
    pd.testing.assert_frame_equal(again.grid, grid.grid)


@pytest.mark.parametrize("case", json.loads((REFERENCE / "eras_mbreaks_reference.json").read_text()),
                         ids=lambda c: c["vintage"])
def test_sequential_tests_equal_mbreaks(grid, case):
    row = grid.grid.loc[(case["vintage"], "ratio", "jump", "1998_2008")]
    assert (row["trim"], row["h"], row["max_breaks"]) == (case["eps1"], case["h"], case["m"])
    for l_, value in enumerate(case["seq_supf"]):
        assert row[f"supF_{l_ + 1}_{l_}"] == pytest.approx(value, rel=1e-8)
        assert row[f"supF_{l_ + 1}_{l_}_cv5"] == case["seq_cv"][1][l_]
    assert row["udmax"] == pytest.approx(case["udmax"], rel=1e-8)
    years = grid_series(case["vintage"], "ratio")[0].index
    m = int(row["m_sequential_asymptotic"])
    pos = case["break_positions"][m - 1]
    assert row["regime_starts_sequential_asymptotic"] == ", ".join(str(years[p]) for p in np.atleast_1d(pos))


def test_every_cell_is_a_row_with_a_reason_when_empty(grid):
    assert len(grid.grid) == len(VINTAGES) * len(MEASURES) * len(MODELS) * len(READINGS)
    assert len(grid.tests) == 3 * len(grid.grid)
    cell = grid.grid.loc[("csy2009_first_release", "ratio", "kink", "1998_2011")]
    assert "1 year(s)" in cell["note"] and np.isnan(cell["nobs"])
    assert "no real-terms series" in grid.grid.loc[("gcam_compendium", "real_ratio", "jump", "1998_2008"), "note"]
    t = grid.tests.sort_index().loc[("nbs_2021", "ratio", "jump", "1998_2008")]
    assert t.loc["first", "note"] == "1998 outside 2000-2019" and np.isnan(t.loc["first", "F"])
    assert "before the sample" in t.loc["second", "hypothesis"]
    assert grid.tests.loc[("gcam_compendium", "ratio", "jump", "1998_2011", "second"), "note"] == \
        "2011 outside 1978-2009"
    # the compendium's two years after 2007 cannot carry a HAC test of a new intercept and slope
    assert np.isnan(grid.tests.loc[("gcam_compendium", "ratio", "jump", "1998_2008", "second"), "p_hac"])


def test_trimming_boundary_and_bic_flags(grid):
    g = grid.grid.loc[("gcam_compendium", "ratio", "jump", "1998_2008")]
    # h = floor(0.2 * 32) = 6: the last regime may start no later than 2004, and it does
    assert g["latest_regime_start_allowed"] == 2004 and g["last_regime_start_bic"] == 2004
    assert g["last_break_at_trim_boundary"] == 1.0
    n = grid.grid.loc[("nbs_2021", "ratio", "jump", "1998_2008")]
    assert n["m_bic"] == n["bic_max_breaks"] == 2 and n["bic_at_max"] == 1.0


def test_kink_search_recovers_planted_kinks():
    from ewp_stats.paper.eras_grid import _kink_search

    years = np.arange(1978, 2010)
    X, _ = trend_design(years.astype(float), (1990, 2001), "kink")
    y = X @ np.array([1.0, 0.02, 0.05, -0.09])
    out = _kink_search(y + 1e-9 * np.sin(years), years, 6)
    assert (out["kink_2_first"], out["kink_2_second"]) == (1990, 2001) and out["m_kink_bic"] == 2


def test_holm_adjustment_of_the_headline_family(grid):
    head = grid.tests[grid.tests["headline"]]
    assert len(head) == grid.counts()["headline"] == 10
    assert set(head.index.get_level_values("measure")) == {"ratio"}
    p = np.sort(head["p_bootstrap"].to_numpy())
    holm = np.maximum.accumulate(np.minimum(1, p * np.arange(len(p), 0, -1)))
    np.testing.assert_allclose(np.sort(head["p_bootstrap_holm"].to_numpy()), holm)
    assert grid.tests.loc[~grid.tests["headline"], "p_bootstrap_holm"].isna().all()
    p = np.sort(head["p_bootstrap_alt"].to_numpy())
    holm = np.maximum.accumulate(np.minimum(1, p * np.arange(len(p), 0, -1)))
    np.testing.assert_allclose(np.sort(head["p_bootstrap_alt_holm"].to_numpy()), holm)


def test_date_set_columns_are_the_engines_date_set_from_the_cells_seed(grid):
    from ewp_stats.engines.breaks import break_date_set

    s, _ = grid_series("nbs_2021", "ratio")
    X, _ = trend_design(s.index.to_numpy().astype(float), (), "jump")
    ds = break_date_set(s, X, rng=cell_seed("nbs_2021", "ratio", "date_set"), B=199, trim=0.25, dates=s.index)
    row = grid.grid.loc[("nbs_2021", "ratio", "kink", "1998_2011")]
    assert row["date_set_estimate"] == ds.break_date + 1 and row["date_set_size"] == sum(ds.in_set)
    assert (row["date_set_lower"], row["date_set_upper"]) == (ds.lower_date + 1, ds.upper_date + 1)
    assert np.isnan(row["date_set_holds_1998"])  # 1998 is not a candidate date of a 2000-2019 series


def test_the_pvalue_figure_has_one_row_per_distinct_test(grid):
    import matplotlib.pyplot as plt

    from ewp_stats.reporting.figures.eras import plot_grid_pvalues

    fig = plot_grid_pvalues(grid.tests)
    assert sum(len(ax.get_yticks()) for ax in fig.axes) == grid.counts()["known_date"]
    asym, boot = (np.concatenate([ax.collections[i].get_offsets()[:, 0] for ax in fig.axes]) for i in (0, 1))
    assert sorted(boot) == sorted(grid.tests.reset_index().dropna(subset=["F"]).drop_duplicates(
        ["vintage", "measure", "model", "hypothesis"])["p_bootstrap"])
    assert (asym < boot).sum() >= len(boot) - 1  # the bootstrap is the more cautious almost everywhere
    plt.close(fig)
