"""Warp-speed Monte Carlo of a bootstrap test (Giacomini, Politis and White 2013).

Each replication draws *one* bootstrap series from its own fitted null model; replication r
rejects when its statistic exceeds the ``1 - alpha`` quantile of the pooled bootstrap
statistics of all replications.  This estimates the bootstrap test's rejection rate at the
cost of two statistic evaluations per replication (used by the size benchmark and tests).

References
----------
Giacomini, R., Politis, D. N. and White, H. (2013). A warp-speed method for conducting Monte
Carlo experiments involving bootstrap estimators. *Econometric Theory* 29(3), 567-589.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ewp_stats.engines.breaks._resample import bias_corrected, fit_sieve, sieve_errors, wild_errors

__all__ = ["warp_reject"]


def warp_reject(
    statistic: Callable[[np.ndarray], np.ndarray],
    Y: np.ndarray,
    fitted: np.ndarray,
    rng: np.random.Generator,
    *,
    method: str,
    max_order: int,
    alpha: float = 0.05,
    weights: str = "rademacher",
    residuals: np.ndarray | None = None,
    M: np.ndarray | None = None,
) -> np.ndarray:
    """Rejections (R,) of the bootstrap test for replications ``Y`` (n, R) with null fits ``fitted``.

    ``residuals`` (default ``Y - fitted``) feed the error scheme; ``M`` (n, n) or (R, n, n), if
    given, bias-corrects the sieve through that residual-maker (as ``bootstrap_test``).
    """
    R = Y.shape[1]
    E = Y - fitted if residuals is None else residuals
    col = np.arange(R)
    if method == "wild":
        U = wild_errors(E, col, rng, weights)
    else:
        fit = fit_sieve(E, max_order)
        if M is not None:
            fit = bias_corrected(fit, M, rng)
        U = sieve_errors(fit, col, rng)
    t = statistic(Y)
    tstar = statistic(fitted + U)
    return t > np.quantile(tstar, 1 - alpha)
