"""The Monte Carlo of the eras procedures: its vectorised procedures equal the public engine
functions, and a fresh planted-break simulation run through those public functions finds the
paper's eras at the rates the Monte Carlo reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats.engines.breaks import bai_perron_tests, breakpoints, chow_test
from ewp_stats.errors import InputError
from ewp_stats.paper import eras_montecarlo as mc
from ewp_stats.paper.eras_grid import trimming_for
from ewp_stats.paper.eras import era_series, paper_era_trend


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return data.load("east_west_ratio")


@pytest.fixture(scope="module")
def result():
    return mc.eras_montecarlo()


def _ar1(n: int, rho: float, sigma: float, reps: int, rng: np.random.Generator) -> np.ndarray:
    """AR(1) errors written out independently of the module (stationary start)."""
    u = np.zeros((n, reps))
    u[0] = rng.normal(scale=sigma / np.sqrt(1 - rho**2), size=reps)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + rng.normal(scale=sigma, size=reps)
    return u


def _design(result, vintage: str) -> pd.Series:
    return result.design.set_index("vintage").loc[vintage]


@pytest.mark.parametrize("vintage", ["gcam_compendium", "nbs_2021"])
def test_vectorised_procedures_equal_the_public_functions(frame, vintage):
    s = era_series(frame, vintage, "ratio", "level")
    d = mc._Design(s)
    rng = np.random.default_rng(3)
    mean = paper_era_trend(s, starts=mc.PLANTED[vintage]).to_numpy()
    Y = mc.simulate(mean, 0.5, 0.05, 12, rng)
    Yt = d.bt.residualise(Y)
    R = d.bt.rss_table(Yt)
    m_bic, glob = mc._bic_starts(d, R)
    count, first, second = mc._sequential(d, Yt)
    for j in range(Y.shape[1]):
        y = pd.Series(Y[:, j], index=s.index)
        for starts in mc.TESTS[vintage].values():
            bounds = mc._bounds(d.years, starts)
            q, df = d.chow_df(bounds)
            ref = chow_test(y, d.X, [st - 1 for st in starts])
            assert mc._chow(d, R, bounds, q, df)[j] == pytest.approx(ref.statistic, rel=1e-9)
            assert (q, df) == (ref.df_num, ref.df_denom)
        bp = breakpoints(y, d.X, h=d.h, max_breaks=d.max_breaks)
        assert m_bic[j] == bp.selected
        if bp.selected:
            assert list(d.years[glob[bp.selected - 1][j]]) == [int(v) for v in bp.regime_starts()]
        seq = bai_perron_tests(Y[:, j], d.X, trim=d.seq_trim, max_breaks=mc.SEQ_MAX_BREAKS)
        assert count[j] == seq.n_breaks_sequential["5%"]
        assert sorted(p for p in (first[j], second[j]) if p >= 0) == sorted(seq.sequential_break_positions["5%"])


def test_f_test_size_is_exact_with_independent_normal_errors(frame):
    # identity: with i.i.d. normal errors the Chow F test is exact, whatever the mean trend
    s = era_series(frame, "nbs_2021", "ratio", "level")
    d = mc._Design(s)
    reps = 4000
    rng = np.random.default_rng(5)
    Y = mc.simulate(s.to_numpy() - d.M0 @ s.to_numpy(), 0.0, 1.0, reps, rng)
    rows = pd.DataFrame(mc._cell(d, "nbs_2021", Y, rng, 0, 1)).set_index(["procedure", "target"])
    se = np.sqrt(0.05 * 0.95 / reps)
    for target in ("2008", "2011"):
        assert abs(rows.loc[("chow_f", target), "rate"] - 0.05) < 4 * se
        assert abs(rows.loc[("chow_bootstrap", target), "rate"] - 0.05) < 4 * se + 0.01


@pytest.mark.parametrize("vintage, errors, dgp, test, start", [
    ("nbs_2021", "ar1_paper_eras", "paper_eras", "2008", 2008),
    ("nbs_2021", "ar1_paper_eras", "no_break", "2008", 2008),
    ("gcam_compendium", "ar1_paper_eras", "paper_eras", "1998", 1998),
    ("gcam_compendium", "ar1_paper_eras", "no_break", "1998", 1998),
])
def test_planted_breaks_are_found_at_the_reported_rate(frame, result, vintage, errors, dgp, test, start):
    """Fresh draws at the data's length and fitted AR(1), run through the public chow_test and
    breakpoints one series at a time, reproduce the Monte Carlo's rates (4 combined SEs)."""
    s = era_series(frame, vintage, "ratio", "level")
    years = s.index.to_numpy()
    X = np.column_stack([np.ones(len(s)), np.arange(1.0, len(s) + 1)])
    des = _design(result, vintage)
    if dgp == "paper_eras":
        mean = paper_era_trend(s, starts=mc.PLANTED[vintage]).to_numpy()
    else:
        mean = X @ np.linalg.lstsq(X, s.to_numpy(), rcond=None)[0]
    reps = 300
    U = _ar1(len(s), des["rho_paper_eras"], des["sigma_paper_eras"], reps, np.random.default_rng(99))
    chow_hits, hac_hits, found = 0, 0, 0
    for j in range(reps):
        y = pd.Series(mean + U[:, j], index=years)
        chow_hits += chow_test(y, X, [start - 1]).pvalue < 0.05
        hac_hits += chow_test(y, X, [start - 1], cov_type="HAC").pvalue < 0.05
        _, h, max_breaks = trimming_for(len(years))
        bp = breakpoints(y, X, h=h, max_breaks=max_breaks)
        found += any(abs(int(v) - start) <= mc.TOLERANCE for v in bp.regime_starts())
    for procedure, target, hits in (("chow_f", test, chow_hits), ("chow_hac", test, hac_hits),
                                    ("bic_found", str(start), found)):
        rate = result.rate(vintage, errors, dgp, procedure, target)
        fresh = hits / reps
        se = np.sqrt(mc.rate_se(rate, mc.N_REPS) ** 2 + max(fresh * (1 - fresh), 0.25 / reps) / reps)
        assert abs(fresh - rate) < 4 * se, (procedure, target, fresh, rate)


def test_autocorrelation_inflates_the_classical_test_and_the_bootstrap_corrects_it(result):
    # what the chapter needs to know: at the fitted rho the asymptotic Chow test at 1998 rejects
    # a no-break trend far more often than 5%, the bootstrap close to 5% (Monte Carlo error)
    r = result.rates.set_index(["vintage", "errors", "dgp", "procedure", "target"])
    cell = ("gcam_compendium", "ar1_paper_eras", "no_break")
    assert r.loc[(*cell, "chow_f", "1998"), "rate"] > 0.25
    boot = r.loc[(*cell, "chow_bootstrap", "1998")]
    assert abs(boot["rate"] - 0.05) < 4 * boot["mc_se"] + 0.02


def test_result_is_deterministic_and_tidy(frame):
    a = mc.eras_montecarlo(frame, reps=100, za_reps=10)
    b = mc.eras_montecarlo(frame, reps=100, za_reps=10)
    pd.testing.assert_frame_equal(a.rates, b.rates)
    keys = ["vintage", "errors", "dgp", "procedure", "target"]
    assert not a.rates.duplicated(keys).any()
    assert np.allclose(a.rates["mc_se"], np.sqrt(a.rates["rate"] * (1 - a.rates["rate"]) / a.rates["reps"]))
    # with h = 5 the compendium's last admissible regime start is 2005: 2008 cannot be "found"
    gc = a.rates[(a.rates.vintage == "gcam_compendium") & (a.rates.procedure == "bic_found") & (a.rates.target == "2008")]
    assert (gc["rate"] == 0).all()
    with pytest.raises(InputError, match="no Monte Carlo cell"):
        a.rate("nbs_2021", "ar1_paper_eras", "no_break", "chow_f", "1998")


def test_bad_inputs_raise(frame):
    with pytest.raises(InputError, match="reps must be at least 100"):
        mc.eras_montecarlo(frame, reps=10, za_reps=0)
    with pytest.raises(InputError, match="cannot exceed"):
        mc.eras_montecarlo(frame, reps=100, za_reps=200)
    with pytest.raises(InputError, match="non-negative integer"):
        mc.eras_montecarlo(frame, reps=100, seed=-1)
