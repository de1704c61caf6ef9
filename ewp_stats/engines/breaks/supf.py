"""F-statistic sequence for a single break at an unknown date, and the
sup-F, ave-F and exp-F tests with Hansen (1997) approximate p-values.

References
----------
Andrews, D. W. K. (1993). Tests for parameter instability and structural
change with unknown change point. *Econometrica* 61(4), 821-856.

Andrews, D. W. K. and Ploberger, W. (1994). Optimal tests when a nuisance
parameter is present only under the alternative. *Econometrica* 62(6),
1383-1414.

Hansen, B. E. (1997). Approximate asymptotic p values for structural-change
tests. *Journal of Business & Economic Statistics* 15(1), 60-67.

Zeileis, A., Leisch, F., Hornik, K. and Kleiber, C. (2002). strucchange: An R
package for testing for structural change in linear regression models.
*Journal of Statistical Software* 7(2), 1-38.
"""

from __future__ import annotations

import functools
import math
from importlib import resources
from typing import Any

import numpy as np
from scipy import optimize, stats
from scipy.special import logsumexp

from ewp_stats.engines.breaks._validate import (
    EXACT_FIT_TOL,
    check_full_rank,
    check_variation,
    dates_of,
    labels_of,
    prepare,
)
from ewp_stats.engines.breaks.results import FStatsResult, TestResult
from ewp_stats.engines.breaks.segments import prefix_rss
from ewp_stats.errors import InputError

__all__ = ["fstats", "pvalue_fstats"]

_TYPES = {"supF": "sup", "aveF": "ave", "expF": "exp"}


@functools.cache
def _beta_table() -> dict[str, np.ndarray]:
    """Response-surface coefficients, keyed 'sup'/'ave'/'exp', each (40, 25, 5)."""
    text = resources.files("ewp_stats.engines.breaks").joinpath("hansen1997_beta.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out = {t: np.full((40, 25, 5), np.nan) for t in ("sup", "ave", "exp")}
    for ln in lines[1:]:
        parts = ln.split(",")
        typ, k, row = parts[0], int(parts[1]), int(parts[2])
        out[typ][k - 1, row - 1] = [float(v) if v else np.nan for v in parts[3:8]]
    return out


def pvalue_fstats(statistic: float, type: str, k: int, lambda_: float, *, monotone: bool = False) -> float:
    """Hansen (1997) approximate asymptotic p-value, as ``strucchange:::pvalue.Fstats``.

    Parameters
    ----------
    statistic
        The sup-F, ave-F or exp-F statistic (chi-square scale, i.e. *not*
        divided by ``k``; as strucchange's ``Fstats``).
    type
        ``"supF"``, ``"aveF"`` or ``"expF"``.
    k
        Number of regressors allowed to change (values above 40 use 40).
    lambda_
        ``((n - from) * to) / (from * (n - to))``; the trimming is
        ``tau = 1 / (1 + sqrt(lambda_))`` (or ``lambda_`` itself if below 1).

    Notes
    -----
    The response-surface coefficients were extracted from strucchange 1.5-3
    (``sc.beta.sup``, ``sc.beta.ave``, ``sc.beta.exp``) into
    ``ewp_stats/breaks/hansen1997_beta.csv`` by ``tests/r/strucchange_reference.R``.
    Between the tabulated trimmings (0.01, 0.03, ..., 0.49) the p-value is
    interpolated linearly, at ``tau = 0.5`` it is the chi-square(k) tail.

    The ave-F and exp-F surfaces are cubic polynomials that turn down far in
    the tail, so strucchange returns p = 1 for very large statistics (e.g.
    ave-F = 50 with k = 2).  With ``monotone=True`` the p-value is the smallest
    value over ``[0, statistic]`` (on a fine grid), which equals strucchange's
    wherever its p-value is still decreasing in the statistic.
    """
    if type not in _TYPES:
        raise InputError(f"type must be one of {sorted(_TYPES)}; got {type!r}")
    raw = float(_pvalues(np.asarray([float(statistic)]), type, k, lambda_)[0])
    if monotone:
        grid = np.linspace(0.0, float(statistic), 2001)[1:-1]
        return float(min(raw, _pvalues(grid, type, k, lambda_).min()))
    return raw


def _pvalues(x: np.ndarray, type: str, k: int, lambda_: float) -> np.ndarray:
    """Vectorised ``strucchange:::pvalue.Fstats`` over statistics ``x``."""
    k = min(int(k), 40)
    beta = _beta_table()[_TYPES[type]][k - 1]  # (25, 5)
    ncoef = int(np.sum(~np.isnan(beta[0, :4])))
    tau = lambda_ if lambda_ < 1 else 1.0 / (1.0 + math.sqrt(lambda_))
    powers = x[:, None] ** np.arange(ncoef)[None, :]  # (G, ncoef)
    dummy = powers @ beta[:, :ncoef].T  # (G, 25)
    dummy = dummy * (dummy > 0)
    pp = stats.chi2.sf(dummy, beta[None, :, 4])
    if tau == 0.5:
        return stats.chi2.sf(x, k)
    if tau <= 0.01:
        return pp[:, 24]
    if tau >= 0.49:
        return ((0.5 - tau) * pp[:, 0] + (tau - 0.49) * stats.chi2.sf(x, k)) * 100
    taua = (0.51 - tau) * 50
    tau1 = math.floor(taua)
    return (tau1 + 1 - taua) * pp[:, tau1 - 1] + (taua - tau1) * pp[:, tau1]


def _critical_values(type: str, k: int, lambda_: float) -> dict[str, float]:
    out = {}
    for label, alpha in (("10%", 0.10), ("5%", 0.05), ("1%", 0.01)):
        fun = lambda x, a=alpha: pvalue_fstats(x, type, k, lambda_) - a  # noqa: E731
        hi = 10.0
        while fun(hi) > 0 and hi < 1e4:
            hi *= 2
        try:
            out[label] = float(optimize.brentq(fun, 1e-8, hi, xtol=1e-10))
        except ValueError:
            out[label] = float("nan")
    return out


def fstats(
    y: Any, X: Any = None, *, trim: float | int = 0.15, to: float | int | None = None, dates: Any = None
) -> FStatsResult:
    """F statistics for a single break at every admissible date, and the
    sup-F, ave-F and exp-F tests.

    The model ``y = X b + e`` is fitted with all coefficients allowed to change
    at a break after observation ``i`` (``i`` = ``from``..``to``); the statistic
    is ``F_i = (RSS_0 - RSS_i) / (RSS_i / (n - 2k))`` on the chi-square scale,
    exactly as strucchange's ``Fstats`` (not divided by ``k``).

    Parameters
    ----------
    y, X, dates
        Response, regressors (``None``: intercept only) and dates; see
        :func:`ewp_stats.engines.breaks.breakpoints`.
    trim
        strucchange's ``from``: the first candidate break position, as a fraction
        (``from = floor(trim * n)``) or a number of observations.
    to
        strucchange's ``to``: the last candidate break position, a fraction (``floor(to * n)``)
        or a number of observations; default ``n - from`` (symmetric trimming).

    Returns
    -------
    FStatsResult
        The F sequence (with dates) and three :class:`~ewp_stats.engines.breaks.results.TestResult` objects.

    Raises
    ------
    InputError
        If ``trim`` or ``to`` is not a positive number, or the candidates leave fewer than
        ``k + 1`` observations on either side
        (strucchange would silently move the limits; we refuse); collinear
        regressors (the message names the columns, see
        ``_validate.check_full_rank``: a
        rank-revealing QR with column pivoting, ``scipy.linalg.qr(pivoting=True)``, of ``X``
        with unit-length columns; a pivot at most ``1e-7`` times the largest marks a
        collinear column); values whose sums of
        squares overflow; a series without residual variation (e.g. a constant series in a
        mean model: the statistic would be 0/0).

    Notes
    -----
    Verified against R strucchange 1.5-3 ``Fstats()`` and ``sctest()``
    (tests/engines/reference/strucchange_reference.json, and
    strucchange_extra_reference.json for separate ``from``/``to``) to 1e-6 relative.  Unlike
    ``sctest.Fstats`` we always use the asymptotic p-value (strucchange
    switches to an F distribution, applied to the undivided statistic, when
    only one candidate date remains).

    exp-F is ``log(mean(exp(F / 2)))`` computed as a log-sum-exp
    (``logsumexp(F / 2) - log(N)``), so it stays finite for strong breaks (sup-F
    in the thousands) where the literal formula overflows.  A candidate whose
    two-segment fit is exact (noise-free data: RSS at most
    ``EXACT_FIT_TOL * sum(y**2)``) has ``F = inf``; the three statistics are then
    ``inf`` with p-value 0.

    References
    ----------
    Andrews (1993); Andrews and Ploberger (1994); Hansen (1997).
    """
    d = prepare(y, X, dates)
    n, k = d.n, d.k
    if isinstance(trim, bool) or not isinstance(trim, (int, float, np.integer, np.floating)) or trim <= 0:
        raise InputError(f"trim must be a fraction in (0, 0.5) or a positive number of observations; got {trim!r}")
    frm = int(math.floor(trim * n)) if trim < 1 else int(trim)
    to_given = to
    if to is None:
        to = n - frm
    elif isinstance(to, bool) or not isinstance(to, (int, float, np.integer, np.floating)) or not to > 0:
        raise InputError(f"to must be a fraction in (0, 1) or a positive number of observations; got {to!r}")
    else:
        to = int(math.floor(to * n)) if to < 1 else int(to)
    if frm < k + 1 or to > n - k - 1 or frm > to:
        raise InputError(
            f"trim={trim!r}{' gives' if to_given is None else f', to={to_given!r} give'} candidate breaks "
            f"{frm}..{to} of n={n}; each side needs at least "
            f"k + 1 = {k + 1} observations and from <= to (use a larger trim, a smaller to or a longer series)"
        )
    check_full_rank(d.X, d.regressors)
    fwd = prefix_rss(d.y, d.X, k + 1)
    bwd = prefix_rss(d.y[::-1], d.X[::-1], k + 1)[::-1]  # bwd[i] = RSS of y[i:]
    rss0 = float(fwd[n - 1])
    check_variation(d.y, rss0)
    pts = np.arange(frm, to + 1)  # 1-based break positions: first segment = 1..i
    rss1 = fwd[pts - 1] + bwd[pts]
    exact = rss1 <= EXACT_FIT_TOL * float(d.y @ d.y)
    if exact.any():  # noise-free two-segment fit: F = inf there (see Notes)
        rss1 = np.where(exact, 0.0, rss1)
    with np.errstate(divide="ignore"):
        fseq = (rss0 - rss1) / (rss1 / (n - 2 * k))
    lam = ((n - frm) * to) / (frm * (n - to))
    sup, ave = float(fseq.max()), float(fseq.mean())
    expf = float(logsumexp(0.5 * fseq) - math.log(fseq.shape[0]))
    ibest = int(pts[int(np.argmax(fseq))])
    opts = {"trim": trim, "to_given": to_given, "from": frm, "to": to, "lambda": lam}

    def mk(name: str, stat: float, typ: str) -> TestResult:
        if math.isinf(stat):  # an exact fit with a break: the statistic is infinite
            raw = mono = 0.0
        else:
            raw = pvalue_fstats(stat, typ, k, lam)
            mono = pvalue_fstats(stat, typ, k, lam, monotone=True)
        extra = {"pvalue_strucchange": raw}
        if mono < raw:
            extra["note"] = (
                "statistic beyond the range of the Hansen (1997) response surface; strucchange reports "
                f"p = {raw:.4g}, the monotone p-value is {mono:.3g}"
            )
        return TestResult(
            name=name,
            statistic=stat,
            pvalue=mono,
            critical_values=_critical_values(typ, k, lam),
            null="no structural change in the coefficients",
            alternative="one break at an unknown date between the trimming limits",
            nobs=n,
            nreg=k,
            options=dict(
                opts, distribution="Hansen (1997) approximation", peer="R strucchange 1.5-3 sctest(Fstats)", **extra
            ),
        )

    return FStatsResult(
        stats=tuple(float(v) for v in fseq),
        candidate_positions=tuple(int(p) for p in pts),
        candidate_dates=dates_of(pts, d.dates) if d.labels is None else labels_of(pts, d.labels),
        trim=float(trim),
        from_=frm,
        to=to,
        lambda_=float(lam),
        nobs=n,
        nreg=k,
        rss_full=rss0,
        break_position=ibest,
        break_date=(dates_of([ibest], d.dates) if d.labels is None else labels_of([ibest], d.labels))[0],
        sup_f=mk("sup-F", sup, "supF"),
        ave_f=mk("ave-F", ave, "aveF"),
        exp_f=mk("exp-F", expf, "expF"),
    )
