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

from ewp_stats.engines.breaks._resample import fit_sieve, sieve_errors, wild_errors

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
) -> np.ndarray:
    """Rejections (R,) of the bootstrap test for replications ``Y`` (n, R) with null fits ``fitted``."""
    R = Y.shape[1]
    E = Y - fitted
    col = np.arange(R)
    U = wild_errors(E, col, rng, weights) if method == "wild" else sieve_errors(fit_sieve(E, max_order), col, rng)
    t = statistic(Y)
    tstar = statistic(fitted + U)
    return t > np.quantile(tstar, 1 - alpha)
