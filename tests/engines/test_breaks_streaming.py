"""The streaming dynamic programme equals the O(n^2) RSS triangle, in O(n) memory.

``ewp_stats.engines.breaks.streaming.optimal_partitions`` (what ``breakpoints`` and
``bai_perron_tests`` use) against the reference route ``segments.triangle_dp`` on
``segments.rss_triangle``, on the strucchange peer series and on random series; and the
segment RSS against direct least squares.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats.engines.breaks.segments import rss_triangle, triangle_dp
from ewp_stats.engines.breaks.streaming import SegmentRSS, optimal_partitions
from ewp_stats.errors import InputError

REF = json.loads((Path(__file__).parent / "reference" / "strucchange_reference.json").read_text())


def _triangle_route(y, X, h, m):
    return triangle_dp(rss_triangle(y, X, h), y.shape[0], h, m)


def _peer(name):
    c = REF[name]
    y = np.asarray(c["y"], dtype=float)
    n = y.size
    if name == "nile":
        return y, np.ones((n, 1)), int(np.floor(0.15 * n))
    if name == "trend":
        return y, np.column_stack([np.ones(n), np.arange(1, n + 1)]), 5
    return y, np.column_stack([np.ones(n), c["ylag1"], c["ylag12"]]), int(np.floor(0.1 * n))


@pytest.mark.parametrize("name", ["nile", "trend", "ukdd"])
def test_peer_series_same_breaks_and_rss_as_triangle(name):
    y, X, h = _peer(name)
    m = y.size // h - 1
    ref_b, ref_r = _triangle_route(y, X, h, m)
    b, r = optimal_partitions(y, X, h, m)
    assert b == ref_b
    np.testing.assert_allclose(r, ref_r, rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(15, 160),
    k=st.integers(1, 3),
    hfrac=st.floats(0.05, 0.3),
    shift=st.floats(0, 1e3),
)
def test_random_series_same_breaks_and_rss_as_triangle(seed, n, k, hfrac, shift):
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1, dtype=float)
    X = np.column_stack([np.ones(n), t, rng.standard_normal(n)])[:, :k]
    h = max(k + 1, int(hfrac * n))
    if 2 * h > n:
        return
    m = min(6, n // h - 1)
    y = shift + rng.standard_normal(n) + 3.0 * (t > n / 3) - 0.05 * t * (t > 2 * n / 3)
    ref_b, ref_r = _triangle_route(y, X, h, m)
    b, r = optimal_partitions(y, X, h, m)
    assert b == ref_b
    np.testing.assert_allclose(r, ref_r, rtol=1e-8)


def test_segment_rss_equals_direct_least_squares():
    rng = np.random.default_rng(5)
    n = 300
    X = np.column_stack([np.ones(n), np.arange(n) * 10.0, rng.standard_normal(n)])
    y = 1e3 + X @ [1.0, 0.02, -1] + rng.standard_normal(n) * 0.1
    seg = SegmentRSS(y, X, 10)
    starts = np.array([0, 0, 17, 150, 280, 40])
    ends = np.array([300, 10, 60, 151 + 20, 300, 250])
    got = seg.rss(starts, ends)
    for s, e, g in zip(starts, ends, got, strict=True):
        c, *_ = np.linalg.lstsq(X[s:e], y[s:e], rcond=None)
        r = y[s:e] - X[s:e] @ c
        assert g == pytest.approx(float(r @ r), rel=1e-9)


def test_singular_window_is_refused_with_its_location():
    n = 40
    d = np.zeros(n)
    d[25:] = 1.0
    X = np.column_stack([np.ones(n), d * np.arange(n)])  # zero in 1..25
    with pytest.raises(InputError, match=r"singular .* observations 1 to 8"):
        SegmentRSS(np.arange(n, dtype=float) ** 0.5, X, 8)


def test_memory_is_linear_in_n():
    # the triangle of n = 4000 alone would take 4000^2 * 8 bytes = 122 MiB
    rng = np.random.default_rng(3)
    n = 4000
    X = np.column_stack([np.ones(n), np.arange(n, dtype=float)])
    y = rng.standard_normal(n) + (np.arange(n) > 1300)
    tracemalloc.start()
    optimal_partitions(y, X, 200, 5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 12 * 2**20


def _near_noise_free(seed):
    rng = np.random.default_rng(seed)
    n, h = 240, 24
    t = np.arange(n, dtype=float) + 1978
    y = 1e3 + 1.0 * (t > t[70]) - 2.5 * (t > t[160]) + 1e-7 * rng.standard_normal(n)
    return y, np.ones((n, 1)), h


@pytest.mark.parametrize("triangle_max_n", [3000, 0])  # recursive triangle / extended-precision stream
def test_near_noise_free_series_fall_back_to_a_precise_route(monkeypatch, triangle_max_n):
    import ewp_stats.engines.breaks.streaming as S

    monkeypatch.setattr(S, "TRIANGLE_MAX_N", triangle_max_n)
    for seed in range(6):
        y, X, h = _near_noise_free(seed)
        ref_b, _ = _triangle_route(y, X, h, 4)
        b, _ = optimal_partitions(y, X, h, 4)
        assert b == ref_b  # plain double precision gets m = 3, 4 (splits of pure noise) wrong here
        assert b[2] == (71, 161)
