"""Partial structural change: regressors whose coefficients stay fixed across regimes.

The model is ``y = W beta + Z delta_j + u`` in regime ``j``: ``Z`` (mbreaks' ``z``) breaks,
``W`` (mbreaks' ``x``) does not.  The global SSR minimiser has no closed dynamic programme;
Bai and Perron (2003, section 3.2) iterate between the break dates given ``beta`` and
``beta`` given the dates.  This module follows R mbreaks 1.0.1 line by line: ``nldat``
(dating), ``onebp`` (one break in a segment, for the sequential tests) and the variance of
the F statistic in ``pvdel`` (``p > 0``).

References
----------
Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural change models.
*Journal of Applied Econometrics* 18(1), 1-22.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ewp_stats.engines.breaks.streaming import optimal_partitions

__all__ = ["diag_par", "one_break", "partial_dating"]


def _ols(y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """mbreaks ``OLS``: ``(X'X)^{-1} X'y``."""
    return np.linalg.solve(X.T @ X, X.T @ y)


def diag_par(Z: np.ndarray, ends: list[int] | tuple[int, ...]) -> np.ndarray:
    """mbreaks ``diag_par``: ``Z`` spread over ``len(ends) + 1`` regime blocks of columns."""
    T, q = Z.shape
    bounds = [0, *ends, T]
    out = np.zeros((T, q * (len(ends) + 1)))
    for j, (a, b) in enumerate(pairwise(bounds)):
        out[a:b, j * q : (j + 1) * q] = Z[a:b]
    return out


def partial_dating(
    y: np.ndarray, Z: np.ndarray, W: np.ndarray, h: int, max_breaks: int, *, tol: float = 1e-5, max_iter: int = 10
) -> tuple[list[tuple[int, ...]], list[float], list[int]]:
    """Break dates of the partial-change model for m = 1..``max_breaks`` (mbreaks ``nldat``).

    For each m separately: start from the pure-change dates of ``[W, Z]`` (all coefficients
    breaking), estimate ``delta`` and then ``beta`` given ``delta``; then iterate
    ``dates = argmin SSR(y - W beta on Z)`` (the exact dynamic programme) and
    ``(beta, delta) = OLS(y on [W, Z split at dates])`` until the SSR changes by at most ``tol``.

    Returns
    -------
    break_positions, ssr, iterations
        Per m = 1..max_breaks: the 1-based break positions, the SSR at convergence and the
        number of iterations (``max_iter`` means it stopped without converging; mbreaks would
        loop on).
    """
    q = Z.shape[1]
    WZ = np.column_stack([W, Z])
    out_b, out_ssr, out_it = [], [], []
    for m in range(1, max_breaks + 1):
        date = optimal_partitions(y, WZ, h, m)[0][m]
        zbar, xbar = diag_par(Z, date), diag_par(W, date)
        teta = _ols(y, np.column_stack([zbar, xbar]))
        delta = teta[: q * (m + 1)]
        beta = _ols(y - zbar @ delta, W)
        r = y - W @ beta - zbar @ delta
        ssr1 = float(r @ r)
        it, change, best = 1, np.inf, (date, ssr1)
        while change > tol and it <= max_iter:
            date = optimal_partitions(y - W @ beta, Z, h, m)[0][m]
            reg = np.column_stack([W, diag_par(Z, date)])
            teta = _ols(y, reg)
            beta = teta[: W.shape[1]]
            r = y - reg @ teta
            ssrn = float(r @ r)
            change = abs(ssrn - ssr1)
            ssr1, best = ssrn, (date, ssrn)
            it += 1
        out_b.append(tuple(int(v) for v in best[0]))
        out_ssr.append(best[1])
        out_it.append(it - 1)
    return out_b, out_ssr, out_it


def one_break(y: np.ndarray, Z: np.ndarray, W: np.ndarray, h: int, start: int, last: int) -> tuple[float, int]:
    """mbreaks ``onebp``: the SSR-minimising single break of observations ``start..last``
    (1-based, inclusive) with ``W`` re-estimated in the segment; returns (SSR, 1-based break
    position in the full sample).  First minimum on ties."""
    ys, Zs, Ws = y[start - 1 : last], Z[start - 1 : last], W[start - 1 : last]
    best, where = np.inf, None
    for i in range(h, last - start + 2 - h):
        reg = np.column_stack([Ws, diag_par(Zs, [i])])
        r = ys - reg @ _ols(ys, reg)
        s = float(r @ r)
        if s < best:
            best, where = s, i
    return best, int(where) + start - 1
