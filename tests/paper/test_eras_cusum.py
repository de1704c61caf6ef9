"""CUSUM tests of the eras chapter (ewp_stats.paper.eras_cusum): the batch statistics reproduce the
engine (itself checked against R strucchange), recursive residuals match statsmodels, the bootstrap
is seeded and detects a planted break, the size check reproduces known behaviour."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import recursive_olsresiduals

from ewp_stats.engines.breaks import cusum_test
from ewp_stats.errors import InputError
from ewp_stats.paper.eras_cusum import (
    KINDS,
    asymptotic_size,
    bootstrap_pvalue,
    cusum_statistics,
    eras_cusum,
    recursive_residual_matrix,
)
from ewp_stats.paper.eras_grid import grid_series


@pytest.fixture(scope="module")
def result():
    return eras_cusum(B=199)


def _trend(n: int) -> np.ndarray:
    return np.column_stack([np.ones(n), np.arange(n, dtype=float)])


def test_recursive_residual_matrix_matches_statsmodels() -> None:
    rng = np.random.default_rng(3)
    X = _trend(18)
    y = 0.4 + 0.1 * X[:, 1] + rng.normal(size=18)
    w = recursive_residual_matrix(X) @ y
    expected = recursive_olsresiduals(sm.OLS(y, X).fit(), skip=2)[4][2:]
    np.testing.assert_allclose(w, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_batch_statistics_reproduce_the_engine(kind: str) -> None:
    rng = np.random.default_rng(5)
    X = _trend(24)
    Y = rng.normal(size=(24, 4)).cumsum(axis=0)
    expected = [cusum_test(Y[:, j], X, kind=kind).statistic for j in range(4)]
    np.testing.assert_allclose(cusum_statistics(Y, X, kind), expected, rtol=1e-12)


def test_the_table_is_the_engine_on_the_data(result) -> None:
    t = result.table
    assert list(t["vintage"]) == ["gcam_compendium", "gcam_compendium", "nbs_2021", "nbs_2021"]
    for r in t.itertuples():
        s, _ = grid_series(r.vintage, "ratio")
        years = s.index.to_numpy().astype(float)
        X = np.column_stack([np.ones(len(s)), years - years[0]])
        eng = cusum_test(s.to_numpy(), X, kind=r.kind)
        assert (r.statistic, r.p_asymptotic) == (pytest.approx(eng.statistic, rel=1e-12), pytest.approx(eng.pvalue))
        assert r.nobs == len(s) and r.first == years[0] and r.last == years[-1]
        assert 1 / 200 <= r.p_bootstrap <= 1
    # the NBS recursive CUSUM leaves its asymptotic 5% band, in the year the table names
    nbs = t[(t["vintage"] == "nbs_2021") & (t["kind"] == "Rec-CUSUM")].iloc[0]
    assert nbs.p_asymptotic < 0.05 and np.isfinite(nbs.crossing_year)
    p = result.processes
    g = p[(p["vintage"] == "nbs_2021") & (p["kind"] == "Rec-CUSUM")]
    first_out = g.loc[g["process"].abs() > g["boundary"], "year"].min()
    assert first_out == nbs.crossing_year


def test_seeded_and_deterministic(result) -> None:
    again = eras_cusum(B=199)
    assert again.table.equals(result.table)
    assert result.table["seed"].nunique() == len(result.table)


def test_the_bootstrap_detects_a_planted_level_shift() -> None:
    """OLS-CUSUM on one trend: a level shift of five error standard deviations a third of the way in
    is detected; the same errors without the shift are not rejected."""
    rng = np.random.default_rng(11)
    n = 30
    X = _trend(n)
    e = 0.2 * rng.normal(size=n)
    p_shift, _ = bootstrap_pvalue(1 + 0.02 * X[:, 1] + 1.0 * (X[:, 1] >= 10) + e, X, "OLS-CUSUM", B=399, seed=1)
    p_null, _ = bootstrap_pvalue(1 + 0.02 * X[:, 1] + e, X, "OLS-CUSUM", B=399, seed=1)
    assert p_shift < 0.01 < 0.1 < p_null


def test_asymptotic_size_is_nominal_for_a_mean_and_iid_errors_and_grows_with_rho() -> None:
    """With a constant mean and i.i.d. errors the asymptotic OLS-CUSUM is close to (below) 5% at
    n = 200 (Ploberger-Kraemer); recursive CUSUM rejects more often as the errors become persistent."""
    assert asymptotic_size(np.ones((200, 1)), 0.0, "OLS-CUSUM", seed=1) == pytest.approx(0.05, abs=0.015)
    X = _trend(32)
    sizes = [asymptotic_size(X, rho, "Rec-CUSUM", seed=2) for rho in (0.0, 0.5, 0.8)]
    assert sizes[0] == pytest.approx(0.05, abs=0.02) and sizes[0] < sizes[1] < sizes[2]


def test_bad_input() -> None:
    with pytest.raises(InputError, match="B must be a positive integer"):
        eras_cusum(B=0)
    with pytest.raises(InputError, match="stationary"):
        asymptotic_size(_trend(10), 1.0, "OLS-CUSUM", seed=1)
    with pytest.raises(InputError, match="kind"):
        cusum_statistics(np.zeros((5, 1)), _trend(5), "MOSUM")
    with pytest.raises(InputError, match="singular"):
        recursive_residual_matrix(np.column_stack([np.ones(5), np.r_[0.0, 0.0, 1, 2, 3]]))
