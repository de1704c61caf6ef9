"""Residual sums of squares of all admissible segments in O(n^2 k^2).

``rss_triangle`` returns the matrix ``R[i, j]`` = RSS of the OLS fit of
``y[i:j+1]`` on ``X[i:j+1]`` (0-based, ``j`` inclusive) for every segment of
at least ``h`` observations.  It is the building block of the Bai-Perron
dynamic programme and of the F-statistic sequence.

Method
------
For every admissible start ``i`` the first ``h`` observations are fitted
directly (batched normal equations on a globally orthonormalised regressor
matrix), then the segment is extended one observation at a time with the
recursive-residual update (Brown, Durbin and Evans 1975)::

    f = 1 + x' P x,   e = y - x' b,   RSS += e^2 / f,
    b += P x e / f,   P -= (P x)(P x)' / f,

vectorised over all starts at once: step ``L`` updates every segment of
current length ``L``.  This is the same identity strucchange uses (the RSS of a
segment is the sum of its squared recursive residuals), with numpy doing the
``n - h + 1`` recursions in parallel instead of one ``recresid()`` call per
start.  Replacing ``X`` by ``X R^{-1}`` (thin QR) and scaling ``y`` leaves every
segment's RSS unchanged (up to the scale factor), and keeps the updates well
conditioned for trend regressors such as ``t = 1..n``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ewp_stats.errors import InputError

__all__ = ["rss_triangle", "prefix_rss", "segment_fit", "triangle_dp"]

#: Windows whose smallest/largest eigenvalue of X'X falls below this are singular.
SINGULAR_TOL = 1e-12


def check_minimal_segments(xtx: np.ndarray, h: int, dates: np.ndarray | None) -> None:
    """Raise when any minimal segment's cross-product matrix (``xtx``, shape (N, k, k)) is singular.

    Singular means the smallest eigenvalue is at most :data:`SINGULAR_TOL` times the largest; the
    error names the first such segment by its dates (or observation numbers) and the count.
    """
    k = xtx.shape[-1]
    eig = np.linalg.eigvalsh(xtx)
    bad = np.flatnonzero(eig[:, 0] <= SINGULAR_TOL * np.maximum(eig[:, -1], np.finfo(float).tiny))
    if bad.size:
        i = int(bad[0])
        where = (
            f"dates {dates[i]:g} to {dates[i + h - 1]:g}" if dates is not None else f"observations {i + 1} to {i + h}"
        )
        raise InputError(
            f"the regressor matrix is singular (rank < {k}) in {bad.size} segment(s) of the minimum length h = {h}, "
            f"first in {where}; every segment must identify all {k} coefficients "
            "(drop collinear or segment-constant regressors, or increase h)"
        )


def _condition(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    q, _ = np.linalg.qr(X)
    scale = float(np.sqrt(np.mean(y * y))) or 1.0
    return y / scale, q, scale


def _recursive_rss(
    ys: np.ndarray, q: np.ndarray, h: int, nstarts: int, dates: np.ndarray | None = None
) -> np.ndarray:
    """Core recursion on conditioned data.

    Returns ``D`` with shape ``(n + 1, nstarts)``: ``D[L, i]`` is the RSS of the
    ``L`` observations starting at ``i`` (``inf`` if ``L < h`` or past the end).
    """
    n, k = q.shape
    # direct fit of the first h observations of every start
    W = sliding_window_view(q, (h, k))[:nstarts, 0]  # (N, h, k), a view
    Yw = sliding_window_view(ys, h)[:nstarts]  # (N, h)
    xtx = np.einsum("nhk,nhl->nkl", W, W)
    check_minimal_segments(xtx, h, dates)
    P0 = np.linalg.inv(xtx)
    b0 = np.einsum("nkl,nl->nk", P0, np.einsum("nhk,nh->nk", W, Yw))
    resid = Yw - np.einsum("nhk,nk->nh", W, b0)
    rss = np.einsum("nh,nh->n", resid, resid)
    # component-major layout: every update below works on contiguous vectors over starts
    P = np.ascontiguousarray(P0.transpose(1, 2, 0))  # (k, k, N)
    b = np.ascontiguousarray(b0.T)  # (k, N)
    qT = np.ascontiguousarray(q.T)  # (k, n)
    D = np.full((n + 1, nstarts), np.inf)
    D[h] = rss
    for L in range(h, n):  # add observation i + L to the segment starting at i
        m = min(nstarts, n - L)
        x = qT[:, L : L + m]
        Pm = P[:, :, :m]
        bm = b[:, :m]
        px = np.einsum("klm,lm->km", Pm, x)
        f = 1.0 + np.einsum("km,km->m", x, px)
        e = ys[L : L + m] - np.einsum("km,km->m", x, bm)  # one-step prediction error
        ef = e / f
        bm += px * ef
        Pm -= px[:, None, :] * (px / f)[None, :, :]
        r = rss[:m]
        r += e * ef  # squared recursive residual e^2 / f
        D[L + 1, :m] = r
    return D


def rss_triangle(y: np.ndarray, X: np.ndarray, h: int, *, dates: np.ndarray | None = None) -> np.ndarray:
    """RSS of every segment with at least ``h`` observations.

    Parameters
    ----------
    y, X
        Validated response (n,) and regressors (n, k).
    h
        Minimum segment length (count, ``h > k``).
    dates
        Only used in the error message for a singular segment.

    Returns
    -------
    numpy.ndarray
        ``(n - h + 1, n)`` array; entry ``[i, j]`` is the RSS of observations
        ``i..j`` (0-based, inclusive) when ``j - i + 1 >= h``, else ``inf``.

    Raises
    ------
    InputError
        If the regressors are singular in some window of ``h`` observations.
    """
    n = y.shape[0]
    nstarts = n - h + 1
    ys, q, scale = _condition(y, X)
    D = _recursive_rss(ys, q, h, nstarts, dates)
    # re-index D[L, i] (length, start) to T[i, j] (start, end): with A = D.T of
    # shape (N, n + 1), T[i, j] = A[i, j - i + 1] sits at flat offset i * n + j + 1
    # of A; entries with j < i read unfilled (inf) cells of the previous row.
    A = np.ascontiguousarray(D.T)
    T = as_strided(A.reshape(-1)[1:], shape=(nstarts, n), strides=(n * A.itemsize, A.itemsize))
    return T * scale**2


def prefix_rss(y: np.ndarray, X: np.ndarray, h: int, *, dates: np.ndarray | None = None) -> np.ndarray:
    """RSS of ``y[:j+1]`` for every ``j`` (inf for fewer than ``h`` observations)."""
    ys, q, scale = _condition(y, X)
    return _recursive_rss(ys, q, h, 1, dates)[1:, 0] * scale**2


def segment_fit(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and residuals of one segment (least squares via QR/SVD)."""
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return coef, y - X @ coef


def triangle_dp(T: np.ndarray, n: int, h: int, max_breaks: int) -> tuple[list[tuple[int, ...]], list[float]]:
    """Dynamic programme over the RSS triangle ``T[start, end]`` (0-based, inclusive).

    The O(n^2)-memory reference route of
    :func:`~ewp_stats.engines.breaks.streaming.optimal_partitions` (which the estimators
    use, and which falls back to it for near noise-free series).

    ``C[m][j]`` is the smallest RSS of observations 1..j (1-based) split by
    ``m`` breaks; ``arg[m][j]`` the last of those breaks.  Ties go to the
    earliest break, as ``which.min`` in strucchange.
    """
    N = T.shape[0]  # starts 0..n-h
    C = [np.full(n + 1, np.inf)]
    C[0][1:] = T[0]  # no break: RSS of 1..j
    args: list[np.ndarray] = [np.zeros(n + 1, dtype=int)]
    for _m in range(1, max_breaks + 1):
        prev = C[-1][:N]  # previous break b = new segment's 0-based start
        M = prev[:, None] + T  # [b, end]
        a = np.argmin(M, axis=0)
        c = np.full(n + 1, np.inf)
        c[1:] = M[a, np.arange(n)]
        C.append(c)
        args.append(np.concatenate([[0], a]))
    out_bp: list[tuple[int, ...]] = [()]
    out_rss = [float(C[0][n])]
    for m in range(1, max_breaks + 1):
        bps = [int(args[m][n])]  # last break; segment bps[-1]+1..n has >= h obs
        for mm in range(m - 1, 0, -1):
            bps.insert(0, int(args[mm][bps[0]]))
        out_bp.append(tuple(bps))
        out_rss.append(float(C[m][n]))
    return out_bp, out_rss
