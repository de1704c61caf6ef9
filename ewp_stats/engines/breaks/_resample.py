"""Residual resampling for the break bootstraps: an AR sieve and a fixed-design wild bootstrap.

Both work on a matrix of null-model residuals ``E`` of shape ``(n, R)`` (one column per
series, ``R = 1`` for a single bootstrap, ``R`` = replications in a warp-speed Monte Carlo)
and draw bootstrap errors for columns ``col`` of it, vectorised over draws.

Why not a library: statsmodels ``AutoReg``/``ar_select_order`` fit one series per call (a
Monte Carlo of thousands of series would loop in Python), and arch's bootstraps
(``IIDBootstrap``, ``StationaryBootstrap``, block bootstraps) resample observations, not AR
innovations, and have no wild bootstrap; with 20 to 32 observations a block bootstrap has too
few blocks.  The AR fits here are plain least squares and are checked against
``statsmodels.tsa.ar_model.ar_select_order`` / ``AutoReg`` (order and coefficients) in
``tests/engines/test_breaks_bootstrap.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "SieveFit",
    "bias_corrected",
    "default_max_order",
    "fit_sieve",
    "residual_maker",
    "sieve_errors",
    "wild_errors",
]

#: Largest modulus allowed for a root of the fitted AR polynomial's companion matrix.
MAX_ROOT = 0.99
#: Shortest burn-in of the AR recursion (the first draws are discarded).
BURN_IN = 100
#: The burn-in grows with the largest root ``r`` until the start's share of the error variance,
#: ``r^(2 burn-in)``, is at most this (344 draws at ``r = 0.99``; 100 draws leave 13% there).
START_SHARE = 1e-3


def default_max_order(n: int) -> int:
    """``floor(n^(1/3))``: 2 at n = 20, 3 at n = 32."""
    return int(np.floor(n ** (1 / 3) + 1e-12))


@dataclass(frozen=True)
class SieveFit:
    """AR(p) sieve fitted to each column of a residual matrix.

    ``order[r]`` is the AIC order, ``coefs[r, :order[r]]`` its coefficients (zero beyond),
    ``innovations[:count[r], r]`` the centred AR residuals, ``adjusted[r]`` whether the roots
    were shrunk to ``MAX_ROOT`` to enforce stationarity.
    """

    order: np.ndarray
    coefs: np.ndarray
    innovations: np.ndarray
    count: np.ndarray
    adjusted: np.ndarray
    max_order: int


def _lagged(E: np.ndarray, p: int, start: int) -> tuple[np.ndarray, np.ndarray]:
    """Response ``E[start:]`` and its lags 1..p, shapes (N, R) and (R, N, p)."""
    n = E.shape[0]
    yv = E[start:]
    L = np.stack([E[start - j : n - j] for j in range(1, p + 1)], axis=-1) if p else np.zeros((n - start, E.shape[1], 0))
    return yv, np.transpose(L, (1, 0, 2))


def _ols(yv: np.ndarray, L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched OLS of each column of ``yv`` on its lags ``L``; coefficients (R, p) and residuals (N, R)."""
    if L.shape[2] == 0:
        return np.zeros((yv.shape[1], 0)), yv.copy()
    coef = np.linalg.solve(np.einsum("rnp,rnq->rpq", L, L), np.einsum("rnp,nr->rp", L, yv)[:, :, None])[:, :, 0]
    return coef, yv - np.einsum("rnp,rp->nr", L, coef)


def fit_sieve(E: np.ndarray, max_order: int) -> SieveFit:
    """Fit AR(p), p = 0..max_order, without intercept, by OLS to each column of ``E``.

    The order minimises ``N log(RSS_p / N) + 2 p`` on the common sample ``t > max_order``
    (as ``ar_select_order(..., ic="aic", trend="n")``); the chosen order is then refitted on
    all ``n - p`` usable observations (as ``AutoReg(e, p, trend="n")``).  If the fit is not
    stationary, the coefficients ``phi_j`` are replaced by ``phi_j lambda^j``, which scales every
    root of the companion matrix by ``lambda``, so the largest has modulus ``MAX_ROOT``.
    """
    n, R = E.shape
    aic = np.empty((max_order + 1, R))
    N = n - max_order
    for p in range(max_order + 1):
        yv, L = _lagged(E, p, max_order)
        _, res = _ols(yv, L)
        aic[p] = N * np.log(np.einsum("nr,nr->r", res, res) / N) + 2 * p
    order = np.argmin(aic, axis=0)
    coefs = np.zeros((R, max_order))
    innov = np.zeros((n, R))
    count = n - order
    adjusted = np.zeros(R, dtype=bool)
    for p in np.unique(order):
        cols = np.flatnonzero(order == p)
        yv, L = _lagged(E[:, cols], int(p), int(p))
        c, _ = _ols(yv, L)
        c, adjusted[cols] = _shrink(c)
        res = yv - np.einsum("rnp,rp->nr", L, c)
        innov[: n - p, cols] = res - res.mean(axis=0)
        coefs[cols, :p] = c
    return SieveFit(order=order, coefs=coefs, innovations=innov, count=count, adjusted=adjusted, max_order=max_order)


def _shrink(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale the roots of AR coefficients ``c`` (R, p) into modulus ``MAX_ROOT`` where needed."""
    p = c.shape[1]
    if p == 0:
        return c, np.zeros(c.shape[0], dtype=bool)
    comp = np.zeros((c.shape[0], p, p))
    comp[:, 0, :] = c
    comp[:, np.arange(1, p), np.arange(p - 1)] = 1.0
    rmax = np.abs(np.linalg.eigvals(comp)).max(axis=1)
    bad = rmax >= MAX_ROOT
    lam = np.where(bad, MAX_ROOT / np.where(bad, rmax, 1.0), 1.0)
    return c * lam[:, None] ** np.arange(1, p + 1)[None, :], bad


def residual_maker(X: np.ndarray, *, bounds: np.ndarray | None = None) -> np.ndarray:
    """``M = I - P``: the residual-maker of the (segmented, at ``bounds`` [0, ..., n]) regression on ``X``."""
    n = X.shape[0]
    bounds = np.array([0, n]) if bounds is None else np.asarray(bounds)
    M = np.eye(n)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        Xs = X[a:b]
        M[a:b, a:b] -= Xs @ np.linalg.pinv(Xs)
    return M


def _max_root(c: np.ndarray) -> np.ndarray:
    """Largest companion-matrix root modulus of AR coefficients ``c`` (R, p); 0 for p = 0."""
    p = c.shape[1]
    if p == 0:
        return np.zeros(c.shape[0])
    comp = np.zeros((c.shape[0], p, p))
    comp[:, 0, :] = c
    comp[:, np.arange(1, p), np.arange(p - 1)] = 1.0
    return np.abs(np.linalg.eigvals(comp)).max(axis=1)


def bias_corrected(fit: SieveFit, M: np.ndarray, rng: np.random.Generator, *, sims: int = 200) -> SieveFit:
    """The sieve with its AR coefficients corrected for small-sample bias (Kilian 1998).

    For each column, ``sims`` error series are drawn from the fitted AR, passed through the
    null model's residual-maker ``M`` ((n, n), or (R, n, n): one per column) -- least-squares residuals are less persistent
    than the errors, most of all around a fitted trend -- and refitted with the same order;
    the mean shift of the coefficients is the estimated bias.  As in Kilian (1998): a fit that
    was not stationary (its roots were shrunk, ``adjusted``) is not corrected; otherwise the
    bias is subtracted, and if that makes the AR non-stationary (a root of modulus at least
    ``MAX_ROOT``; Kilian uses 1) the correction is shrunk stepwise, ``delta`` = 1, 0.99, ...,
    until it is not.
    """
    R = fit.order.shape[0]
    col = np.repeat(np.arange(R), sims)
    U = sieve_errors(fit, col, rng)  # (n, R * sims), column-major by series
    if M.ndim == 2:
        U = M @ U
    else:  # one residual-maker per series, (R, n, n)
        n = U.shape[0]
        U = np.einsum("rij,jrs->irs", M, U.reshape(n, R, sims)).reshape(n, R * sims)
    coefs = fit.coefs.copy()
    for p in np.unique(fit.order):
        if p == 0:
            continue
        cols = np.flatnonzero(fit.order == p)
        draws = np.flatnonzero(np.isin(col, cols))
        yv, L = _lagged(U[:, draws], int(p), int(p))
        c, _ = _ols(yv, L)
        phi = fit.coefs[cols, :p]
        bias = c.reshape(cols.size, sims, p).mean(axis=1) - phi
        bias[fit.adjusted[cols]] = 0.0  # Kilian: no correction of a non-stationary first estimate
        delta = np.ones(cols.size)
        corrected = phi - bias
        for _ in range(100):
            bad = _max_root(corrected) >= MAX_ROOT
            if not bad.any():
                break
            delta[bad] = np.maximum(delta[bad] - 0.01, 0.0)
            corrected = phi - delta[:, None] * bias
        coefs[cols, :p] = corrected
    return SieveFit(order=fit.order, coefs=coefs, innovations=fit.innovations, count=fit.count,
                    adjusted=fit.adjusted.copy(), max_order=fit.max_order)


def sieve_errors(fit: SieveFit, col: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap errors (n, D): the AR recursion of column ``col[d]`` driven by innovations drawn
    with replacement from its centred AR residuals, started at zero and run through a burn-in of
    at least ``BURN_IN`` draws, longer near a unit root (``START_SHARE``), so that the kept
    errors are close to stationary."""
    n = fit.innovations.shape[0]
    D = col.shape[0]
    r = float(_max_root(fit.coefs[np.unique(col)]).max()) if fit.max_order else 0.0
    burn = BURN_IN if r <= 0 else max(BURN_IN, int(np.ceil(np.log(START_SHARE) / (2 * np.log(r)))))
    T = n + burn
    idx = np.floor(rng.random((T, D)) * fit.count[col][None, :]).astype(int)
    eps = fit.innovations[idx, col[None, :]]
    p = fit.max_order
    phi = fit.coefs[col].T  # (p, D)
    u = np.zeros((T + p, D))
    for t in range(T):
        u[t + p] = eps[t] + (np.einsum("jd,jd->d", phi, u[t + p - 1 :: -1][:p]) if p else 0.0)
    return u[p + burn :]


def wild_errors(E: np.ndarray, col: np.ndarray, rng: np.random.Generator, weights: str) -> np.ndarray:
    """Wild bootstrap errors (n, D): ``E[:, col[d]]`` times i.i.d. Rademacher (+-1, equal
    probability) or Mammen (two-point, mean 0, variance 1, third moment 1) weights."""
    n, D = E.shape[0], col.shape[0]
    if weights == "rademacher":
        w = rng.integers(0, 2, size=(n, D)) * 2.0 - 1.0
    else:
        s5 = np.sqrt(5.0)
        lo, hi = -(s5 - 1) / 2, (s5 + 1) / 2
        w = np.where(rng.random((n, D)) < (s5 + 1) / (2 * s5), lo, hi)
    return E[:, col] * w
