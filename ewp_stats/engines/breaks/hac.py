"""HAC variance of the Bai-Perron F statistics, as R mbreaks 1.0.1 (``robust = 1``).

mbreaks estimates the long-run covariance of ``z_t u_t`` with the quadratic-spectral kernel and
Andrews' (1991) automatic bandwidth from AR(1) approximations of each column, optionally after
prewhitening by a VAR(1) (Andrews and Monahan 1992), with the small-sample correction
``1 / (T - d)`` (functions ``correct``, ``jhatpr``, ``bandw``, ``kern`` and the ``robust = 1``
branch of ``pvdel``).  This module follows that code line by line.

References
----------
Andrews, D. W. K. (1991). Heteroskedasticity and autocorrelation consistent covariance matrix
estimation. *Econometrica* 59(3), 817-858.

Andrews, D. W. K. and Monahan, J. C. (1992). An improved heteroskedasticity and autocorrelation
consistent covariance matrix estimator. *Econometrica* 60(4), 953-966.

Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural change models.
*Journal of Applied Econometrics* 18(1), 1-22.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

__all__ = ["HacOptions", "andrews_bandwidth", "long_run_covariance", "qs_kernel"]


def qs_kernel(x: np.ndarray) -> np.ndarray:
    """Quadratic-spectral kernel (mbreaks ``kern``), for ``x > 0``."""
    d = 6 * np.pi * x / 5
    return 3 * (np.sin(d) / d - np.cos(d)) / (d * d)


def andrews_bandwidth(v: np.ndarray) -> float:
    """Andrews (1991) AR(1) plug-in bandwidth for the QS kernel (mbreaks ``bandw``).

    Each column is fitted by an AR(1) without intercept; ``st = 1.3221 (a2 T)^(1/5)``.
    """
    nt = v.shape[0]
    a2n = a2d = 0.0
    for i in range(v.shape[1]):
        yy, dy = v[1:, i], v[:-1, i]
        b = float(dy @ yy) / float(dy @ dy)
        r = yy - b * dy
        sig = float(r @ r) / (nt - 1)
        a2n += 4 * b * b * sig * sig / (1 - b) ** 8
        a2d += sig * sig / (1 - b) ** 4
    return 1.3221 * (a2n / a2d * nt) ** 0.2


def _jhat(v: np.ndarray) -> np.ndarray:
    """mbreaks ``jhatpr``: kernel-weighted autocovariances of ``v`` over all lags, / (T - d)."""
    nt, d = v.shape
    st = andrews_bandwidth(v)
    jhat = v.T @ v
    for j in range(1, nt):
        g = v[j:].T @ v[: nt - j]
        jhat = jhat + float(qs_kernel(np.asarray(j / st))) * (g + g.T)
    return jhat / (nt - d)


def long_run_covariance(reg: np.ndarray, res: np.ndarray, *, prewhit: bool) -> np.ndarray:
    """Long-run covariance of ``reg_t * res_t`` (mbreaks ``correct``).

    With ``prewhit`` each column is regressed on the lagged vector (a VAR(1) without intercept),
    the kernel estimate is formed from the VAR residuals and recoloured by
    ``(I - B)^{-1} J (I - B)^{-1}'``.
    """
    v = reg * res[:, None]
    if not prewhit:
        return _jhat(v)
    lag, cur = v[:-1], v[1:]
    B = np.linalg.solve(lag.T @ lag, lag.T @ cur).T  # row i: coefficients of column i
    vstar = cur - lag @ B.T
    inv = np.linalg.inv(np.eye(v.shape[1]) - B)
    return inv @ _jhat(vstar) @ inv.T


@dataclass(frozen=True)
class HacOptions:
    """mbreaks' ``robust = 1`` variance of the regime coefficients in the F statistics.

    Attributes
    ----------
    prewhit
        VAR(1) prewhitening before the kernel estimate (mbreaks ``prewhit``).
    het_var
        Regime-specific long-run covariances (mbreaks ``hetvar = 1``); else one full-sample
        long-run covariance scaled by each regime's share.  Without fixed regressors only
        (with them mbreaks uses the partialled-out regressors over the full sample).
    """

    prewhit: bool
    het_var: bool

    def vdel(self, Z: np.ndarray, reg: np.ndarray, res: np.ndarray, bounds: list[int], p: int) -> np.ndarray:
        """Covariance of the stacked regime coefficients (the ``robust = 1`` branch of ``pvdel``)."""
        T, q = Z.shape
        ainv = np.linalg.inv(reg.T @ reg)
        if p > 0:
            return T * ainv @ long_run_covariance(reg, res, prewhit=self.prewhit) @ ainv
        m1 = len(bounds) - 1
        mid = np.zeros((m1 * q, m1 * q))
        if self.het_var:
            for j, (a, b) in enumerate(pairwise(bounds)):
                s = slice(j * q, (j + 1) * q)
                mid[s, s] = (b - a) * long_run_covariance(Z[a:b], res[a:b], prewhit=self.prewhit)
            return ainv @ mid @ ainv
        hac = long_run_covariance(Z, res, prewhit=self.prewhit)
        for j, (a, b) in enumerate(pairwise(bounds)):
            s = slice(j * q, (j + 1) * q)
            mid[s, s] = (b - a) / T * hac
        return T * ainv @ mid @ ainv
