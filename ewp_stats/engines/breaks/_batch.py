"""Break statistics for many response vectors at once, with a fixed design.

A bootstrap (or a Monte Carlo) evaluates the same statistic on ``B`` responses that share
the regressor matrix ``X``.  Every statistic of the break engine is a function of segment
residual sums of squares and segment coefficients, so ``Batch`` precomputes, once per
design, the prefix sums of ``q_t q_t'`` of an orthonormal basis ``Q`` of ``X`` and the inverse
moment matrix of every segment; a batch of responses then needs only the prefix sums of
``q_t y_t`` and ``y_t^2``, and all ``B`` statistics come out of a few array operations.

Conditioning: the responses are first replaced by their full-sample OLS residuals.  That
leaves the residuals (and RSS) of every segment regression unchanged, because the full-sample
fit lies in the span of every segment's regressors, and it removes the trend before the sums
of squares are differenced (no cancellation for trending series).

Each statistic here is checked, in ``tests/engines/test_breaks_bootstrap.py``, to equal the
engine's own function (:func:`~ewp_stats.engines.breaks.chow_test`,
:func:`~ewp_stats.engines.breaks.fstats`, :func:`~ewp_stats.engines.breaks.bai_perron_tests`)
on single series.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

__all__ = ["Batch"]


class Batch:
    """Fixed-design precomputation for batched break statistics.

    Parameters
    ----------
    X
        Validated full-rank regressors, shape ``(n, k)``.
    h_min
        Shortest segment whose RSS is tabulated (at least ``k + 1``).
    """

    def __init__(self, X: np.ndarray, h_min: int) -> None:
        n, k = X.shape
        self.n, self.k, self.h_min = n, k, int(h_min)
        self.X = X
        self.Q = np.linalg.qr(X)[0]
        qq = self.Q[:, :, None] * self.Q[:, None, :]
        self.G = np.concatenate([np.zeros((1, k, k)), np.cumsum(qq, axis=0)])  # (n+1, k, k)
        a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        self.valid = (b - a) >= self.h_min  # segment [a, b) is tabulated
        A = self.G[None, :, :, :] - self.G[:, None, :, :]  # A[a, b] = Q[a:b]' Q[a:b]
        eye = np.broadcast_to(np.eye(k), A.shape)
        self.Ainv = np.linalg.inv(np.where(self.valid[:, :, None, None], A, eye))

    # ------------------------------------------------------------------ building blocks
    def residualise(self, Y: np.ndarray) -> np.ndarray:
        """Full-sample OLS residuals of each column of ``Y`` (n, B)."""
        return Y - self.Q @ (self.Q.T @ Y)

    def sums(self, Yt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Prefix sums ``Syy`` (n+1, B) of ``y^2`` and ``Sqy`` (n+1, k, B) of ``q y``."""
        B = Yt.shape[1]
        syy = np.concatenate([np.zeros((1, B)), np.cumsum(Yt * Yt, axis=0)])
        sqy = np.concatenate([np.zeros((1, self.k, B)), np.cumsum(self.Q[:, :, None] * Yt[:, None, :], axis=0)])
        return syy, sqy

    def rss_table(self, Yt: np.ndarray) -> np.ndarray:
        """``R[a, b, :]`` = RSS of segment ``a..b-1`` (0-based) per column; ``inf`` if shorter than ``h_min``."""
        syy, sqy = self.sums(Yt)
        c = sqy[None, :, :, :] - sqy[:, None, :, :]  # (n+1, n+1, k, B)
        fit = np.einsum("abkB,abkl,ablB->abB", c, self.Ainv, c, optimize=True)
        R = (syy[None, :, :] - syy[:, None, :]) - fit
        R = np.maximum(R, 0.0)
        R[~self.valid] = np.inf
        return R

    def coefs(self, Yt: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Coefficients (in the ``Q`` basis) of segments ``[a[j], b[j])`` for column ``j``: (B, k)."""
        _, sqy = self.sums(Yt)
        cols = np.arange(Yt.shape[1])
        c = sqy[b, :, cols] - sqy[a, :, cols]  # (B, k)
        return np.einsum("Bkl,Bl->Bk", self.Ainv[a, b], c)

    def segmented_fit(self, Yt: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Fitted values of the segmented regression with regimes ``bounds`` (B, m + 2) per column."""
        n, B = Yt.shape
        fitted = np.empty_like(Yt)
        t = np.arange(n)
        for j in range(bounds.shape[1] - 1):
            a, b = bounds[:, j], bounds[:, j + 1]
            g = self.coefs(Yt, a, b)  # (B, k)
            mask = (t[:, None] >= a[None, :]) & (t[:, None] < b[None, :])
            fitted = np.where(mask, self.Q @ g.T, fitted)
        return fitted

    # ------------------------------------------------------------------ Chow tests
    def chow(self, Yt: np.ndarray, bounds: list[int]) -> np.ndarray:
        """Classical Chow F at fixed regimes ``bounds`` = [0, p1, ..., n] (as ``chow_test``)."""
        k = self.k
        rss_u = np.zeros(Yt.shape[1])
        n_par = 0
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            s = b - a
            n_par += min(k, s)
            if s <= k:
                continue  # fitted exactly (observation dummies when s < k)
            Qs = self.Q[a:b]
            r = Yt[a:b] - Qs @ np.linalg.lstsq(Qs, Yt[a:b], rcond=None)[0]
            rss_u += np.einsum("tB,tB->B", r, r)
        rss_r = np.einsum("tB,tB->B", Yt, Yt)
        q, df = n_par - k, self.n - n_par
        with np.errstate(divide="ignore", invalid="ignore"):
            return ((rss_r - rss_u) / q) / (rss_u / df)

    def chow_hac(self, Yt: np.ndarray, bounds: list[int], lags: int) -> np.ndarray:
        """HAC (Newey-West, Bartlett, small-sample factor ``n / (n - K)``) Chow F = W / q,
        as ``chow_test(cov_type="HAC")`` (statsmodels ``cov_type="HAC", use_correction=True``)."""
        n, k = self.n, self.k
        m = len(bounds) - 2
        K = (m + 1) * k
        Z = np.zeros((n, K))
        for i in range(m + 1):
            Z[bounds[i] : bounds[i + 1], i * k : (i + 1) * k] = self.Q[bounds[i] : bounds[i + 1]]
        H = np.linalg.inv(Z.T @ Z)
        beta = H @ (Z.T @ Yt)  # (K, B)
        E = Yt - Z @ beta
        g = Z[:, :, None] * E[:, None, :]  # (n, K, B)
        S = np.einsum("tkB,tjB->Bkj", g, g)
        for lag in range(1, lags + 1):
            w = 1.0 - lag / (lags + 1.0)
            s = np.einsum("tkB,tjB->Bkj", g[lag:], g[:-lag])
            S += w * (s + np.swapaxes(s, 1, 2))
        V = H[None] @ S @ H[None] * (n / (n - K))
        Rm = np.zeros((m * k, K))
        for i in range(m):
            Rm[i * k : (i + 1) * k, (i + 1) * k : (i + 2) * k] = np.eye(k)
            Rm[i * k : (i + 1) * k, i * k : (i + 1) * k] = -np.eye(k)
        d = (Rm @ beta).T  # (B, q)
        RVR = Rm[None] @ V @ Rm.T[None]
        W = np.einsum("Bq,Bq->B", d, np.linalg.solve(RVR, d[:, :, None])[:, :, 0])
        return W / (m * k)

    # ------------------------------------------------------------------ Andrews tests
    def fseq(self, R: np.ndarray, frm: int, to: int) -> np.ndarray:
        """The F sequence of :func:`~ewp_stats.engines.breaks.fstats` (chi-square scale), (to-frm+1, B)."""
        n, k = self.n, self.k
        pts = np.arange(frm, to + 1)
        rss1 = R[0, pts] + R[pts, n]
        with np.errstate(divide="ignore"):
            return (R[0, n][None, :] - rss1) / (rss1 / (n - 2 * k))

    @staticmethod
    def sup_ave_exp(F: np.ndarray) -> dict[str, np.ndarray]:
        """sup-F, ave-F and exp-F (log-sum-exp) of an F sequence (G, B)."""
        return {
            "supF": F.max(axis=0),
            "aveF": F.mean(axis=0),
            "expF": logsumexp(0.5 * F, axis=0) - np.log(F.shape[0]),
        }

    # ------------------------------------------------------------------ Bai-Perron
    def dp(self, R: np.ndarray, h: int, max_breaks: int) -> list[np.ndarray]:
        """Global SSR minimisers for 1..max_breaks breaks per column: list of (B, m) arrays of
        1-based break positions (ties to the earliest break, as the engine's ``_dp``)."""
        n = self.n
        a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        Rh = np.where(((b - a) >= h)[:, :, None], R, np.inf)
        C = Rh[0]  # (n+1, B): RSS of 0..j-1 without a break
        args = []
        for _ in range(max_breaks):
            M = C[:, None, :] + Rh  # [start, end, B]
            arg = np.argmin(M, axis=0)  # (n+1, B)
            C = np.take_along_axis(M, arg[None], axis=0)[0]
            args.append(arg)
        cols = np.arange(R.shape[2])
        out = []
        for m in range(1, max_breaks + 1):
            bps = [args[m - 1][n, cols]]
            for mm in range(m - 1, 0, -1):
                bps.insert(0, args[mm - 1][bps[0], cols])
            out.append(np.stack(bps, axis=1))
        return out

    def wald_f(
        self, Yt: np.ndarray, R: np.ndarray, bounds: np.ndarray, het_data: bool, het_var: bool,
        sub: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """mbreaks ``pftest`` (as the engine's ``_wald_f``) per column at regimes ``bounds`` (B, i + 2).

        With ``sub = (lo, hi)`` the statistic is computed on the sub-sample ``lo..hi-1`` of each
        column (``bounds`` then run from ``lo`` to ``hi``), as the sequential test does.
        """
        B = Yt.shape[1]
        cols = np.arange(B)
        k = self.k
        i = bounds.shape[1] - 2
        lo, hi = (bounds[:, 0], bounds[:, -1]) if sub is None else sub
        T = (hi - lo).astype(float)
        g, rss, Minv = [], [], []
        for j in range(i + 1):
            a, b = bounds[:, j], bounds[:, j + 1]
            g.append(self.coefs(Yt, a, b))
            rss.append(R[a, b, cols])
            Minv.append(self.Ainv[a, b])
        if het_var:
            sig = [rss[0] / (bounds[:, 1] - bounds[:, 0])]
            for j in range(1, i):
                a, b = bounds[:, j], bounds[:, j + 1]
                e_prev = Yt[a - 1, cols] - np.einsum("Bk,Bk->B", self.Q[a - 1], g[j - 1])
                sig.append((rss[j] + e_prev**2) / (b - a))
            sig.append(rss[i] / (bounds[:, i + 1] - bounds[:, i]))
        else:
            s = sum(rss) / T
            sig = [s] * (i + 1)
        if not het_data:
            zz_inv = np.linalg.inv(self.G[hi] - self.G[lo])  # (B, k, k)
            Minv = [zz_inv * (T / (bounds[:, j + 1] - bounds[:, j]))[:, None, None] for j in range(i + 1)]
        V = [sig[j][:, None, None] * Minv[j] for j in range(i + 1)]
        rd = np.concatenate([g[j + 1] - g[j] for j in range(i)], axis=1)  # (B, i k)
        RVR = np.zeros((B, i * k, i * k))
        for j in range(i):
            s1 = slice(j * k, (j + 1) * k)
            RVR[:, s1, s1] = V[j] + V[j + 1]
            if j + 1 < i:
                s2 = slice((j + 1) * k, (j + 2) * k)
                RVR[:, s1, s2] = -V[j + 1]
                RVR[:, s2, s1] = -V[j + 1]
        fstar = np.einsum("Bq,Bq->B", rd, np.linalg.solve(RVR, rd[:, :, None])[:, :, 0])
        return (T - (i + 1) * k) * fstar / (T * i)

    def supf_m(self, Yt: np.ndarray, R: np.ndarray, h: int, max_breaks: int, het_data: bool, het_var: bool):
        """sup-F(m) for m = 1..max_breaks at the global minimisers: (max_breaks, B) and the minimisers."""
        n, B = Yt.shape
        glob = self.dp(R, h, max_breaks)
        out = []
        for m in range(1, max_breaks + 1):
            bounds = np.concatenate([np.zeros((B, 1), int), glob[m - 1], np.full((B, 1), n)], axis=1)
            out.append(self.wald_f(Yt, R, bounds, het_data, het_var))
        return np.stack(out), glob

    def seq_next(self, Yt: np.ndarray, R: np.ndarray, ends: np.ndarray, h: int, het_data: bool, het_var: bool):
        """sup-F(l+1|l) given l breaks ``ends`` (B, l) per column (mbreaks ``spflp1``): the largest
        one-break F over the regimes, 0 where no regime can be split."""
        n, B = Yt.shape
        cols = np.arange(B)
        bounds = np.concatenate([np.zeros((B, 1), int), ends, np.full((B, 1), n)], axis=1)
        best = np.zeros(B)
        s_all = np.arange(n + 1)
        for j in range(bounds.shape[1] - 1):
            a, b = bounds[:, j], bounds[:, j + 1]
            ok = (b - a) >= 2 * h
            if not ok.any():
                continue
            feasible = (s_all[None, :] >= (a + h)[:, None]) & (s_all[None, :] <= (b - h)[:, None])
            cost = R[a[:, None], s_all[None, :], cols[:, None]] + R[s_all[None, :], b[:, None], cols[:, None]]
            cost = np.where(feasible, cost, np.inf)
            s = np.argmin(cost, axis=1)
            idx = np.flatnonzero(ok)
            sub_b = np.stack([a[idx], s[idx], b[idx]], axis=1)
            f = self.wald_f(Yt[:, idx], R[:, :, idx], sub_b, het_data, het_var, sub=(a[idx], b[idx]))
            best[idx] = np.maximum(best[idx], f)
        return best
