"""Seeded planted-break series, identities and result objects of ewp_stats.engines.breaks."""

from __future__ import annotations

import dataclasses
import json
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats import breaks as B
from ewp_stats.engines.breaks.segments import rss_triangle


def planted(
    n: int = 120,
    breaks: tuple[int, ...] = (40, 80),
    levels: tuple[float, ...] = (0.0, 3.0, -1.0),
    slopes: tuple[float, ...] | None = None,
    sigma: float = 0.5,
    seed: int = 1,
    start: int = 1900,
) -> tuple[pd.Series, np.ndarray]:
    """Series with breaks after observations ``breaks`` (1-based), mean or trend shifts.

    Returns the series (indexed by year from ``start``) and the regressor
    matrix ``[1, t]`` (or ``[1]`` when ``slopes`` is None).
    """
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1, dtype=float)
    bounds = [0, *breaks, n]
    mu = np.empty(n)
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        mu[a:b] = levels[i] + (0.0 if slopes is None else slopes[i] * t[a:b])
    y = pd.Series(mu + sigma * rng.standard_normal(n), index=np.arange(start, start + n), name="y")
    X = np.ones((n, 1)) if slopes is None else np.column_stack([np.ones(n), t])
    return y, X


def test_planted_mean_shifts_are_found():
    y, _ = planted()
    res = B.breakpoints(y, h=0.1)
    assert res.selected == 2
    assert res.break_positions() == (40, 80)
    assert res.break_dates() == (1939.0, 1979.0)
    assert res.regime_starts() == (1940.0, 1980.0)
    ci = res.intervals
    assert ci is not None
    for lo, b, up in zip(ci.lower_positions, ci.break_positions, ci.upper_positions):
        assert lo <= b <= up


def test_planted_trend_breaks_are_found():
    y, X = planted(n=90, breaks=(30, 60), levels=(0.0, 14.0, 30.0), slopes=(0.3, 0.1, -0.2), sigma=0.3, seed=7)
    res = B.breakpoints(y, X, h=8)
    assert res.selected == 2
    assert res.break_positions() == (30, 60)
    coef = res.coef()
    np.testing.assert_allclose(coef["x2"].to_numpy(), [0.3, 0.1, -0.2], atol=0.05)


def test_no_break_selects_zero_and_lwz_agrees():
    y, _ = planted(breaks=(), levels=(1.0,), seed=3)
    res = B.breakpoints(y, h=0.15)
    assert res.selected == 0
    assert res.select(criterion="LWZ") == 0
    assert res.intervals is None
    assert res.break_dates() == ()
    sup = B.fstats(y)
    assert sup.sup_f.pvalue > 0.05


def test_rss_is_nonincreasing_in_m_when_feasible_and_fitted_matches():
    y, _ = planted(n=100, seed=11)
    res = B.breakpoints(y, h=10, max_breaks=4)
    assert all(a >= b - 1e-9 for a, b in zip(res.rss, res.rss[1:]))
    for m in range(res.max_breaks + 1):
        resid = y.to_numpy() - res.fitted(m)
        assert float(resid @ resid) == pytest.approx(res.rss[m], rel=1e-10)


def test_lwz_definition():
    y, _ = planted(seed=5)
    res = B.breakpoints(y, h=0.1, max_breaks=3)
    n, k = res.nobs, res.nreg
    for m in range(4):
        p = (m + 1) * k + m
        expect = math.log(res.rss[m] / (n - p)) + p * 0.299 * math.log(n) ** 2.1 / n
        assert res.lwz[m] == pytest.approx(expect, rel=1e-12)


def test_brute_force_two_breaks_small_series():
    y, X = planted(n=30, breaks=(9, 20), levels=(0, 1, 0.3), slopes=(0.1, -0.05, 0.2), sigma=0.4, seed=2)
    yv = y.to_numpy()
    h = 4

    def rss(a, b):
        c, *_ = np.linalg.lstsq(X[a:b], yv[a:b], rcond=None)
        r = yv[a:b] - X[a:b] @ c
        return float(r @ r)

    best = min(
        (rss(0, i) + rss(i, j) + rss(j, 30), (i, j)) for i in range(h, 31 - 2 * h) for j in range(i + h, 31 - h)
    )
    res = B.breakpoints(y, X, h=h, max_breaks=2)
    assert res.break_positions(2) == best[1]
    assert res.rss[2] == pytest.approx(best[0], rel=1e-10)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(12, 40),
    h=st.integers(3, 6),
    k=st.integers(1, 2),
)
def test_rss_triangle_equals_direct_least_squares(seed, n, h, k):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])[:, :k]
    y = rng.standard_normal(n) * 3 + 100
    T = rss_triangle(y, X, h)
    for i in range(0, n - h + 1, 3):
        for j in range(i, n, 2):
            if j - i + 1 < h:
                assert np.isinf(T[i, j])
                continue
            c, *_ = np.linalg.lstsq(X[i : j + 1], y[i : j + 1], rcond=None)
            r = y[i : j + 1] - X[i : j + 1] @ c
            assert T[i, j] == pytest.approx(float(r @ r), rel=1e-8, abs=1e-9)


def test_chow_f_equals_fstats_at_same_point():
    y, X = planted(n=60, breaks=(25,), levels=(0, 1), slopes=(0.1, 0.05), seed=9)
    fs = B.fstats(y, X)
    i = fs.candidate_positions.index(30)
    chow = B.chow_test(y, X, float(y.index[29]))
    assert chow.statistic * chow.df_num == pytest.approx(fs.stats[i], rel=1e-9)


def test_chow_exact_fit_segment_is_predictive_test():
    y, X = planted(n=25, breaks=(), levels=(1.0,), slopes=(0.2,), seed=4)
    res = B.chow_test(y, X, float(y.index[22]))  # last regime: 2 obs = k
    assert res.exact_fit_segments == (False, True)
    # Chow's predictive test: ((RSS_full - RSS_1) / n2) / (RSS_1 / (n1 - k))
    yv = y.to_numpy()
    c1, *_ = np.linalg.lstsq(X[:23], yv[:23], rcond=None)
    r1 = float(np.sum((yv[:23] - X[:23] @ c1) ** 2))
    c0, *_ = np.linalg.lstsq(X, yv, rcond=None)
    r0 = float(np.sum((yv - X @ c0) ** 2))
    assert res.statistic == pytest.approx(((r0 - r1) / 2) / (r1 / 21), rel=1e-10)


def test_chow_one_observation_regime_is_predictive_test():
    y, X = planted(n=25, breaks=(), levels=(1.0,), slopes=(0.2,), seed=4)
    res = B.chow_test(y, X, float(y.index[23]))  # last regime: 1 obs < k
    assert (res.df_num, res.df_denom) == (1, 22)
    yv = y.to_numpy()
    c1, *_ = np.linalg.lstsq(X[:24], yv[:24], rcond=None)
    r1 = float(np.sum((yv[:24] - X[:24] @ c1) ** 2))
    c0, *_ = np.linalg.lstsq(X, yv, rcond=None)
    r0 = float(np.sum((yv - X @ c0) ** 2))
    assert res.statistic == pytest.approx((r0 - r1) / (r1 / 22), rel=1e-10)


def test_hac_chow_with_zero_lags_is_white_wald():
    y, X = planted(n=80, breaks=(40,), levels=(0, 0.5), seed=12)
    res = B.chow_test(y, X, 1939, cov_type="HAC", maxlags=0)
    assert res.cov_type == "HAC" and res.maxlags == 0
    assert res.wald_chi2 == pytest.approx(res.statistic * res.df_num)
    # hand-made HC0 (small-sample corrected) Wald for a mean shift
    a, b = y.to_numpy()[:40], y.to_numpy()[40:]
    ea, eb = a - a.mean(), b - b.mean()
    v = (ea @ ea) / 40**2 + (eb @ eb) / 40**2
    assert res.wald_chi2 == pytest.approx((b.mean() - a.mean()) ** 2 / (v * 80 / 78), rel=1e-10)


def test_results_serialise_and_render():
    y, _ = planted()
    res = B.breakpoints(y, h=0.1)
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["selected"] == 2 and d["break_positions_by_m"][2] == [40, 80]
    assert "Bai-Perron" in res.summary() and "<pre>" in res._repr_html_()
    table = res.rss_table
    assert list(table.columns[:4]) == ["RSS", "logLik", "BIC", "LWZ"]
    assert table.loc[2, "break_dates"] == "1939, 1979"
    for obj in (B.fstats(y), B.cusum_test(y), B.chow_test(y, None, [1939, 1979]), res.intervals):
        json.dumps(obj.to_dict(), allow_nan=False)
        assert obj.summary() and obj._repr_html_().startswith("<div>")
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.h = 3  # frozen
    with pytest.raises(ValueError, match="read-only"):
        res.y[0] = 1.0  # the stored data cannot be changed either
    np.testing.assert_array_equal(d["y"], y.to_numpy())  # the data are public and serialised


def test_plot_returns_figure_with_intervals():
    from matplotlib.figure import Figure

    y, _ = planted()
    fig = B.plot_breakpoints(B.breakpoints(y, h=0.1), title="planted")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 2  # two shaded intervals
    import matplotlib.pyplot as plt

    plt.close(fig)
