"""Exact Bai-Perron dynamic programme in O(n k^2 + M n) memory.

The triangle of ``segments.rss_triangle`` holds the RSS of
every admissible segment, O(n^2) numbers (2.3 GiB at n = 10,000).  The dynamic programme
never needs them all at once: the best RSS of the first ``e`` observations with ``m``
breaks,

    C[m, e] = min over s of  C[m - 1, s] + RSS(s + 1 .. e),      m h <= s <= e - h,

only reads ``C[m - 1, s]`` for ``s <= e - h``.  So the ends ``e`` are processed in blocks of
at most ``h`` consecutive values: every ``C[m - 1, s]`` a block reads was finished by an
earlier block, and each block's segment RSS are computed on the fly from prefix sums of
the cross products and dropped after use.  Memory is the prefix sums (O(n k^2)), the tables
``C`` and their arg-minima (O(M n)) and one block (bounded by ``BLOCK_ELEMENTS``).

Numerics
--------
The regressors are orthonormalised (thin QR) and the response replaced by its full-sample
OLS residual scaled to unit mean square; neither changes any segment's RSS beyond the
common scale (the full-sample fit lies in every segment's column space).  The prefix sums
are accumulated in extended precision (``numpy.longdouble``) and rounded once, so a
segment's cross products carry a relative error of about ``eps * n / length``; the segment
RSS ``y'y - y'X (X'X)^{-1} X'y`` follows by a symmetric Gaussian elimination vectorised
over the block.  The RSS reported for the optimal partitions are recomputed by direct
least squares on the chosen segments.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ewp_stats.engines.breaks.segments import (
    check_minimal_segments,
    rss_triangle,
    segment_fit,
    triangle_dp,
)

__all__ = ["SegmentRSS", "optimal_partitions"]

#: Largest number of segment RSS held at once (one block of ends times its starts); about
#: 0.5 MiB per temporary array, small enough to stay in cache (fastest in tests/benchmarks/bench_breaks.py).
BLOCK_ELEMENTS = 1 << 16

#: ``kappa`` (see ``optimal_partitions``) above which double precision is not trusted.
ILL_CONDITIONED = 1e6

#: Largest n for which ill-conditioned cases use the O(n^2) recursive-residual triangle.
TRIANGLE_MAX_N = 3000


class SegmentRSS:
    """RSS of the OLS fit of any segment, from prefix sums of cross products.

    Parameters
    ----------
    y, X
        Validated response (n,) and regressors (n, k).
    h
        Minimum segment length; every window of ``h`` observations is checked for a
        singular regressor matrix.
    dates
        Only used in the error message for a singular window.
    extended
        Keep the prefix sums and do the arithmetic in ``numpy.longdouble`` (about 1000 times
        more precise on x86, several times slower).

    Raises
    ------
    InputError
        If the regressors are singular in some window of ``h`` observations.
    """

    def __init__(
        self, y: np.ndarray, X: np.ndarray, h: int, *, dates: np.ndarray | None = None, extended: bool = False
    ) -> None:
        n, k = X.shape
        q, _ = np.linalg.qr(X)
        e = y - q @ (q.T @ y)  # full-sample OLS residual
        scale = float(np.sqrt(np.mean(e * e))) or float(np.sqrt(np.mean(y * y))) or 1.0
        e = e / scale
        self.n, self.k, self.scale = n, k, scale
        pairs = [(a, b) for a in range(k) for b in range(a + 1)]
        cols = [q[:, a] * q[:, b] for a, b in pairs] + [q[:, a] * e for a in range(k)] + [e * e]
        P = np.zeros((n + 1, len(cols)), dtype=np.longdouble)
        np.cumsum(np.column_stack(cols).astype(np.longdouble), axis=0, out=P[1:])
        _check_windows((P[h:, : len(pairs)] - P[:-h, : len(pairs)]).astype(float), pairs, k, h, dates)
        self._P = np.ascontiguousarray((P if extended else P.astype(float)).T)  # (moments, n + 1)
        self._pairs = {p: i for i, p in enumerate(pairs)}

    def rss(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """RSS of observations ``starts + 1 .. ends`` (1-based, i.e. 0-based ``starts:ends``).

        ``starts`` and ``ends`` broadcast against each other; segments shorter than ``k``
        give meaningless values (the caller masks them).
        """
        return self._rss(starts, ends) * self.scale**2

    def _rss(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Unscaled RSS (the DP compares these)."""
        P, k, npairs = self._P, self.k, len(self._pairs)

        def seg(i: int) -> np.ndarray:
            return np.subtract(P[i][ends], P[i][starts])

        A = {p: seg(i) for p, i in self._pairs.items()}
        s = [seg(npairs + a) for a in range(k)]
        rss = seg(npairs + k)
        tmp = np.empty_like(rss)
        for p in range(k):  # eliminate regressor p: rss -= s_p^2 / pivot_p
            piv = A[(p, p)]
            np.multiply(s[p], s[p], out=tmp)
            tmp /= piv
            rss -= tmp
            for r in range(p + 1, k):
                f = A[(r, p)] / piv
                np.multiply(f, s[p], out=tmp)
                s[r] -= tmp
                for c in range(p + 1, r + 1):
                    np.multiply(f, A[(c, p)], out=tmp)
                    A[(r, c)] -= tmp
        return rss


def _check_windows(
    moments: np.ndarray, pairs: list[tuple[int, int]], k: int, h: int, dates: np.ndarray | None
) -> None:
    """Refuse a singular regressor matrix in any window of ``h`` observations.

    ``moments[i]`` holds the window's cross products ``X'X`` (orthonormalised regressors)
    in the order of ``pairs``.
    """
    xtx = np.empty((moments.shape[0], k, k))
    for j, (a, b) in enumerate(pairs):
        xtx[:, a, b] = xtx[:, b, a] = moments[:, j]
    check_minimal_segments(xtx, h, dates)


def optimal_partitions(
    y: np.ndarray,
    X: np.ndarray,
    h: int,
    max_breaks: int,
    *,
    dates: np.ndarray | None = None,
    segments: SegmentRSS | None = None,
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Global RSS minimisers for 0..``max_breaks`` breaks (Bai and Perron 2003).

    Parameters
    ----------
    y, X
        Validated response (n,) and regressors (n, k).
    h
        Minimum segment length (count).
    max_breaks
        Largest number of breaks; ``(max_breaks + 1) * h <= n``.
    dates
        Only used in the error message for a singular window.
    segments
        A :class:`~ewp_stats.engines.breaks.streaming.SegmentRSS` of ``y``, ``X`` and ``h`` to reuse.

    Returns
    -------
    break_positions, rss
        Per m = 0..max_breaks the 1-based break positions (last observation of each regime
        but the last) and the RSS of that partition (direct least squares).

    Notes
    -----
    Ties go to the earliest break, as ``which.min`` in strucchange.  The breaks equal those
    of the full RSS triangle (``segments.triangle_dp`` on ``segments.rss_triangle``); tested on
    the peer cases and on random series.

    A segment's RSS is a difference of sums of squares, so its relative rounding error grows
    with ``kappa = RSS(no break) / RSS(max_breaks) * n / h`` (about ``eps * kappa``).  For
    near noise-free data (``kappa > ILL_CONDITIONED``, noise some 1e-5 of the break sizes or
    less) the partitions are recomputed by the recursive-residual triangle when
    ``n <= TRIANGLE_MAX_N`` (its O(n^2) memory is then small), else by this programme in
    extended precision.
    """
    n = y.shape[0]
    seg = segments if segments is not None else SegmentRSS(y, X, h, dates=dates)
    bps = _stream(seg, n, h, max_breaks)
    rss = [partition_rss(y, X, b) for b in bps]
    kappa = rss[0] / rss[-1] * n / h if rss[-1] > 0 else np.inf
    if kappa > ILL_CONDITIONED:  # near noise-free data: see Notes
        if n <= TRIANGLE_MAX_N:
            bps = triangle_dp(rss_triangle(y, X, h), n, h, max_breaks)[0]
        else:
            bps = _stream(SegmentRSS(y, X, h, extended=True), n, h, max_breaks)
        rss = [partition_rss(y, X, b) for b in bps]
    return bps, rss


def _stream(seg: SegmentRSS, n: int, h: int, M: int) -> list[tuple[int, ...]]:
    """The blocked dynamic programme; returns the break positions for m = 0..M."""
    C = np.full((M + 1, n + 1), np.inf, dtype=seg._P.dtype)
    arg = np.zeros((M + 1, n + 1), dtype=np.int64)
    # C[m, e] is read later only for e <= n - h (as a start) or e = n (the answer)
    ends_all = np.concatenate([np.arange(h, n - h + 1), [n]]) if n - h >= h else np.array([n])
    block = max(1, min(h, BLOCK_ELEMENTS // max(n - h + 1, 1)))
    C[0, h:] = seg._rss(np.array(0), np.arange(h, n + 1))
    for b0 in range(0, ends_all.shape[0] if M > 1 else 0, block):
        es = ends_all[b0 : b0 + block]
        smax = int(es[-1]) - h  # largest admissible start of this block
        if smax < h:
            continue
        starts = np.arange(h, smax + 1)  # a start s is the end of the previous regime
        with np.errstate(divide="ignore", invalid="ignore"):  # too-short segments, masked next
            S = seg._rss(starts[None, :], es[:, None])  # (block, smax + 1 - h)
        # a start s > e - h leaves fewer than h observations: only in the last block - 1 columns
        tail = max(int(es[0]) - h + 1 - h, 0)
        S[:, tail:][starts[None, tail:] > (es[:, None] - h)] = np.inf
        rows = np.arange(es.shape[0])
        for m in range(1, M):
            lo = m * h
            if lo > smax:
                break
            cand = S[:, lo - h :] + C[m - 1, lo : smax + 1]
            a = np.argmin(cand, axis=1)
            C[m, es] = cand[rows, a]
            arg[m, es] = a + lo
    # M breaks: only the full sample (the last end) is needed
    lo = M * h
    cand = seg._rss(np.arange(lo, n - h + 1), np.array(n)) + C[M - 1, lo : n - h + 1]
    a = int(np.argmin(cand))
    C[M, n], arg[M, n] = cand[a], a + lo
    bps: list[tuple[int, ...]] = [()]
    for m in range(1, M + 1):
        b = [int(arg[m, n])]
        for mm in range(m - 1, 0, -1):
            b.insert(0, int(arg[mm, b[0]]))
        bps.append(tuple(b))
    return bps


def partition_rss(y: np.ndarray, X: np.ndarray, break_positions: tuple[int, ...]) -> float:
    """RSS of the segmented regression with the given 1-based break positions (least squares)."""
    bounds = [0, *break_positions, y.shape[0]]
    total = 0.0
    for a, b in pairwise(bounds):
        _, r = segment_fit(y[a:b], X[a:b])
        total += float(r @ r)
    return total
