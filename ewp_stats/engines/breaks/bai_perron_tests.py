"""Bai-Perron tests for multiple structural breaks: sup-F(m), UDmax, WDmax and sup-F(l+1|l).

The statistics, the break dates they are evaluated at and the sequential estimate of the
number of breaks follow R mbreaks 1.0.1 (Nguyen, Yamamoto and Perron; functions ``dotest``,
``doseqtests``, ``pftest``, ``spflp1``, ``sequa`` and ``pvdel``): the pure structural-change
model (every coefficient breaks) or, with ``fixed`` regressors (mbreaks ``x``), the partial one
(:mod:`~ewp_stats.engines.breaks.partial`); serially uncorrelated errors (``robust = 0``) or
mbreaks' HAC variance (``robust = 1``, optionally ``prewhit = 1``;
:mod:`~ewp_stats.engines.breaks.hac`).  The critical values are the published asymptotic ones that mbreaks ships
(``bai_perron1998_cv.csv`` in this package, see its header).

References
----------
Bai, J. and Perron, P. (1998). Estimating and testing linear models with multiple structural
changes. *Econometrica* 66(1), 47-78.

Bai, J. and Perron, P. (2003). Computation and analysis of multiple structural change models.
*Journal of Applied Econometrics* 18(1), 1-22.

Bai, J. and Perron, P. (2003). Critical values for multiple structural change tests.
*Econometrics Journal* 6, 72-78.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats._results import Result, fmt_number
from ewp_stats.engines.breaks._validate import check_full_rank, check_variation, prepare
from ewp_stats.engines.breaks.hac import HacOptions
from ewp_stats.engines.breaks.partial import diag_par, one_break, partial_dating
from ewp_stats.engines.breaks.streaming import SegmentRSS, optimal_partitions
from ewp_stats.errors import InputError

__all__ = ["BaiPerronTestsResult", "bai_perron_critical_values", "bai_perron_tests"]

#: Trimmings with tabulated critical values, and the largest number of breaks each allows.
TRIMS = {0.05: 10, 0.10: 8, 0.15: 5, 0.20: 3, 0.25: 2}
LEVELS = ("10%", "5%", "2.5%", "1%")


@functools.cache
def _cv_table() -> dict[tuple[str, float, str, int, int], float]:
    text = (
        resources.files("ewp_stats.engines.breaks")
        .joinpath("bai_perron1998_cv.csv")
        .read_text(encoding="utf-8")
    )
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out = {}
    for ln in lines[1:]:
        t, trim, level, q, m, v = ln.split(",")
        out[(t, float(trim), level, int(q), int(m))] = float(v)
    return out


def bai_perron_critical_values(
    table: str, *, trim: float, q: int, m: int = 0
) -> dict[str, float]:
    """Asymptotic critical values of Bai and Perron (1998, 2003), as shipped by R mbreaks 1.0.1.

    Parameters
    ----------
    table
        ``"supF"`` (sup-F(m) against no break), ``"supF_next"`` (sup-F(l+1|l), with ``m = l + 1``),
        ``"UDmax"`` or ``"WDmax"``.
    trim
        Trimming: 0.05, 0.10, 0.15, 0.20 or 0.25.
    q
        Number of regressors whose coefficients break (1..10).
    m
        Number of breaks under the alternative (ignored for UDmax and WDmax).

    Returns
    -------
    dict
        Critical values keyed ``"10%"``, ``"5%"``, ``"2.5%"``, ``"1%"`` (NaN where not tabulated).
    """
    if table not in ("supF", "supF_next", "UDmax", "WDmax"):
        raise InputError(
            f"table must be 'supF', 'supF_next', 'UDmax' or 'WDmax', not {table!r}"
        )
    trim = _check_trim(trim)
    mm = 0 if table in ("UDmax", "WDmax") else int(m)
    tab = _cv_table()
    return {lv: tab.get((table, trim, lv, int(q), mm), float("nan")) for lv in LEVELS}


def _check_trim(trim: Any) -> float:
    for t in TRIMS:
        if isinstance(trim, (int, float)) and abs(float(trim) - t) < 1e-12:
            return t
    raise InputError(
        f"trim must be one of {sorted(TRIMS)} (the tabulated trimmings), not {trim!r}"
    )


# --------------------------------------------------------------------------- the F statistic
def _regime_variances(res: np.ndarray, bounds: list[int]) -> list[float]:
    """mbreaks ``psigmq``: the error variance of each regime.  The middle regimes sum the
    residuals ``b[k-1]..b[k]`` (1-based, one more than the regime holds) over
    ``b[k] - b[k-1]``, exactly as mbreaks (and Bai-Perron's GAUSS code) do."""
    T, i = res.shape[0], len(bounds) - 2
    sig = [float(res[: bounds[1]] @ res[: bounds[1]]) / bounds[1]]
    for k in range(2, i + 1):
        bf, bl = bounds[k - 1], bounds[k]
        r = res[bf - 1 : bl]
        sig.append(float(r @ r) / (bl - bf))
    r = res[bounds[i] :]
    sig.append(float(r @ r) / (T - bounds[i]))
    return sig


def _wald_f(
    y: np.ndarray,
    Z: np.ndarray,
    ends: list[int],
    het_data: bool,
    het_var: bool,
    W: np.ndarray | None = None,
    hac: Any = None,
) -> float:
    """mbreaks ``pftest`` (with ``pvdel``): the scaled Wald statistic for equal coefficients
    across the ``len(ends) + 1`` regimes given the 1-based last observations ``ends``.

    ``W`` holds the fixed-coefficient regressors (mbreaks ``x``; ``None`` for ``p = 0``);
    ``hac`` a :class:`~ewp_stats.engines.breaks.hac.HacOptions` for ``robust = 1``."""
    T, q = Z.shape
    p = 0 if W is None else W.shape[1]
    i = len(ends)
    bounds = [0, *ends, T]
    zbar = diag_par(Z, ends)
    full = zbar if W is None else np.column_stack([zbar, W])
    coef = np.linalg.solve(full.T @ full, full.T @ y)
    res = y - full @ coef
    delta = coef[: (i + 1) * q]
    reg = zbar if W is None else zbar - W @ np.linalg.solve(W.T @ W, W.T @ zbar)
    if hac is not None:
        vdel = hac.vdel(Z, reg, res, bounds, p)
    elif W is None:
        sig = _regime_variances(res, bounds) if het_var else [float(res @ res) / T] * (i + 1)
        zz = Z.T @ Z
        vdel = np.zeros(((i + 1) * q, (i + 1) * q))
        for j, (a, b) in enumerate(pairwise(bounds)):
            M = Z[a:b].T @ Z[a:b] if het_data else (b - a) / T * zz
            vdel[j * q : (j + 1) * q, j * q : (j + 1) * q] = sig[j] * np.linalg.inv(M)
    else:
        ainv = np.linalg.inv(reg.T @ reg)
        if het_var:
            sig = _regime_variances(res, bounds)
            gg = sum(sig[j] * (reg[a:b].T @ reg[a:b]) for j, (a, b) in enumerate(pairwise(bounds)))
            vdel = ainv @ gg @ ainv
        else:
            vdel = float(res @ res) / T * ainv
    R = np.zeros((i * q, (i + 1) * q))
    for j in range(i):
        R[j * q : (j + 1) * q, j * q : (j + 1) * q] = -np.eye(q)
        R[j * q : (j + 1) * q, (j + 1) * q : (j + 2) * q] = np.eye(q)
    rd = R @ delta
    fstar = float(rd @ np.linalg.solve(R @ vdel @ R.T, rd))
    return (T - (i + 1) * q - p) * fstar / (T * i)


def _best_split(R: SegmentRSS, a: int, b: int, h: int) -> int | None:
    """1-based last observation of the first part of the SSR-minimising split of observations
    ``a + 1 .. b`` (1-based) into two segments of at least ``h`` (first minimum, as ``which.min``)."""
    if b - a < 2 * h:
        return None
    js = np.arange(a + h, b - h + 1)  # 1-based ends of the first part
    ssr = R.rss(np.array(a), js) + R.rss(js, np.array(b))
    return int(js[int(np.argmin(ssr))])


def _seq_next(y, Z, R, ends, h, het_data, het_var, W=None, hac=None) -> tuple[float, int | None]:
    """mbreaks ``spflp1``: the largest one-break F over the regimes of ``ends``, and its date."""
    T = y.shape[0]
    bounds = [0, *ends, T]
    best, where = 0.0, None
    for a, b in pairwise(bounds):
        if W is None:
            d = _best_split(R, a, b, h)
        else:
            d = one_break(y, Z, W, h, a + 1, b)[1] if b - a >= 2 * h else None
        if d is None:
            continue
        f = _wald_f(y[a:b], Z[a:b], [d - a], het_data, het_var, None if W is None else W[a:b], hac)
        if f > best:
            best, where = f, d
    return best, where


@dataclass(frozen=True)
class BaiPerronTestsResult(Result):
    """Bai-Perron (1998, 2003) tests for multiple breaks, as R mbreaks 1.0.1 computes them.

    Attributes
    ----------
    supf
        sup-F(m) against no break for m = 1..``max_breaks`` (mbreaks ``dotest()$ftest``), each at
        the global SSR minimisers for m breaks.
    supf_critical_values
        Their critical values keyed ``"10%"``, ``"5%"``, ``"2.5%"``, ``"1%"``, a tuple over m.
    udmax, udmax_critical_values
        UDmax = the largest sup-F(m) over m <= 5 (as mbreaks), and its critical values.
    wdmax, wdmax_critical_values
        WDmax per level (weights c(1)/c(m) of that level's sup-F critical values) and its
        critical values, both keyed by level.
    seq_supf
        sup-F(l+1|l) for l = 0..``max_breaks - 1`` (mbreaks ``doseqtests()$supfl``), l breaks
        at the global minimisers; the l = 0 entry is sup-F(1).
    seq_critical_values
        Their critical values keyed by level, a tuple over l.
    break_positions
        Global SSR-minimising break positions (1-based last observations of a regime) for
        m = 1..``max_breaks``.
    n_breaks_sequential
        Number of breaks chosen by mbreaks' sequential procedure (``sequa``; ``mdl()``'s
        ``SEQ``) at each level.
    sequential_break_positions
        The break positions of that procedure, keyed by level.
    nobs, nreg, h, trim, max_breaks
        Sample size, number of (breaking) regressors, minimum segment length
        ``floor(trim * nobs)``, trimming and largest number of breaks.
    options
        The options used and the peer package.
    """

    supf: tuple[float, ...]
    supf_critical_values: dict[str, tuple[float, ...]]
    udmax: float
    udmax_critical_values: dict[str, float]
    wdmax: dict[str, float]
    wdmax_critical_values: dict[str, float]
    seq_supf: tuple[float, ...]
    seq_critical_values: dict[str, tuple[float, ...]]
    break_positions: tuple[tuple[int, ...], ...]
    n_breaks_sequential: dict[str, int]
    sequential_break_positions: dict[str, tuple[int, ...]]
    nobs: int
    nreg: int
    h: int
    trim: float
    max_breaks: int
    options: dict[str, Any] = field(default_factory=dict)

    _title = "Bai-Perron tests for multiple structural breaks"

    def to_frame(self) -> pd.DataFrame:
        """One row per number of breaks m: sup-F(m), sup-F(m|m-1) and their 5% critical values."""
        m = np.arange(1, self.max_breaks + 1)
        return pd.DataFrame(
            {
                "supF": self.supf,
                "supF_cv_5%": self.supf_critical_values["5%"],
                "seq_supF": self.seq_supf,
                "seq_supF_cv_5%": self.seq_critical_values["5%"],
            },
            index=pd.Index(m, name="m"),
        )

    def _rows(self) -> list[tuple[str, str]]:
        return [
            (
                "UDmax",
                f"{fmt_number(self.udmax)} (5% cv {fmt_number(self.udmax_critical_values['5%'])})",
            ),
            (
                "WDmax (5%)",
                f"{fmt_number(self.wdmax['5%'])} (5% cv {fmt_number(self.wdmax_critical_values['5%'])})",
            ),
            ("breaks, sequential at 5%", str(self.n_breaks_sequential["5%"])),
            ("nobs, h, trim", f"{self.nobs}, {self.h}, {self.trim:g}"),
        ]

    def summary(self) -> str:
        """The headline numbers and the per-m table."""
        rows = "\n".join(f"  {k}: {v}" for k, v in self._rows())
        return f"{self._title}\n{rows}\n{self.to_frame().to_string(float_format=lambda x: f'{x:.4f}')}"


def bai_perron_tests(
    y: Any,
    X: Any = None,
    *,
    max_breaks: int = 5,
    trim: float = 0.15,
    het_var: bool = True,
    het_data: bool = True,
    fixed: Any = None,
    robust: bool = False,
    prewhit: bool = False,
    tol: float = 1e-5,
    max_iter: int = 10,
    dates: Any = None,
) -> BaiPerronTestsResult:
    """Bai-Perron sup-F(m), UDmax, WDmax and sequential sup-F(l+1|l) tests.

    Every coefficient of ``X`` may break (mbreaks' ``z``); the regressors in ``fixed``
    (mbreaks' ``x``) keep one coefficient over the whole sample (a partial structural-change
    model; without them a pure one); the errors are taken as serially uncorrelated (mbreaks
    ``robust = 0``, ``prewhit = 0``).  The F statistics are Wald statistics scaled by
    ``(T - (m + 1) q) / (T m)`` as in mbreaks' ``pftest``, evaluated at the global SSR
    minimisers (Bai and Perron 2003), with the minimum segment length ``h = floor(trim * T)``.
    With ``robust=True`` the variance inside every statistic is mbreaks' HAC estimate.

    Parameters
    ----------
    y, X
        Response and regressors (``None``: intercept only), as for
        :func:`~ewp_stats.engines.breaks.breakpoints`.
    max_breaks
        Largest number of breaks m (mbreaks ``m``); at most 10, 8, 5, 3, 2 for the trimmings
        0.05 .. 0.25 and at most ``floor(T / h) - 1``.
    trim
        Trimming (mbreaks ``eps1``): 0.05, 0.10, 0.15 (default), 0.20 or 0.25.
    het_var
        Allow a different error variance in each regime (mbreaks ``hetvar = 1``, its default).
        The middle regimes' variances are computed exactly as mbreaks does (the residual sum
        runs from the previous regime's last observation).
    het_data
        Allow different regressor moment matrices across regimes (mbreaks ``hetdat = 1``, its
        default); ``False`` uses the full-sample moments times the regime's share.
    fixed
        Regressors whose coefficients do not break (n x p array or DataFrame; mbreaks ``x``).
        The break dates are then found by mbreaks' iterative procedure (``nldat``, Bai and
        Perron 2003, section 3.2; see :func:`~ewp_stats.engines.breaks.partial.partial_dating`)
        and the one-break searches of the sequential tests re-estimate their coefficients in
        each segment (``onebp``).  Requires ``het_data=True`` (mbreaks' variance is zero, and
        its test undefined, otherwise).
    robust
        Allow heteroskedastic and serially correlated errors (mbreaks ``robust = 1``): the
        variance in every F statistic is a HAC estimate (quadratic-spectral kernel, Andrews 1991
        AR(1) bandwidth; :mod:`~ewp_stats.engines.breaks.hac`), regime by regime with
        ``het_var`` (mbreaks ``hetvar``).  Requires ``het_data=True``.  Do not use with lagged
        dependent variables among the regressors (mbreaks' advice).
    prewhit
        VAR(1) prewhitening of the HAC estimate (mbreaks ``prewhit = 1``; Andrews and Monahan
        1992); only with ``robust``.
    tol, max_iter
        Convergence criterion on the SSR and the largest number of iterations of that
        procedure (mbreaks ``eps`` and ``maxi``); only used with ``fixed``.
    dates
        Observation labels (only validated here; the positions are 1-based observation numbers).

    Returns
    -------
    BaiPerronTestsResult
        The statistics, critical values and the sequential number of breaks per level.

    Raises
    ------
    InputError
        Untabulated trimming, too many breaks for the sample or trimming, more than 10
        regressors, a minimum segment length below 5, collinear regressors (breaking and fixed
        together), ``het_data=False`` with ``robust`` or ``fixed``, or ``prewhit`` without
        ``robust``.

    Notes
    -----
    Checked against R mbreaks 1.0.1 (``dotest``, ``doseqtests`` and ``dosequa``): with
    ``prewhit = 0, robust = 0`` on the Nile series and simulated series with regressors
    (``tests/r/mbreaks_reference.R``); with fixed regressors and with ``robust = 1``
    (``prewhit = 0, 1``; ``hetvar = 0, 1``) on simulated series, AR(1) errors for the HAC cases
    (``tests/r/mbreaks_partial_reference.R``), statistics to 1e-9 relative and identical dates.

    With fixed regressors the dates are mbreaks' iterative estimate, a local minimiser of the
    SSR that need not be the global one (Bai and Perron 2003 discuss this); the iterations used
    and the SSR are in ``options["dating_iterations"]`` and ``options["dating_ssr"]``.  The
    critical values are the asymptotic ones for ``q`` breaking regressors in either case; with
    few observations per regime, or strongly autocorrelated errors under ``robust``, the
    asymptotic sizes can be far off (bootstrap them instead).

    References
    ----------
    Bai, J. and Perron, P. (1998). *Econometrica* 66(1), 47-78.
    Bai, J. and Perron, P. (2003). *Journal of Applied Econometrics* 18(1), 1-22, and
    *Econometrics Journal* 6, 72-78.
    Andrews, D. W. K. (1991). *Econometrica* 59(3), 817-858.
    Andrews, D. W. K. and Monahan, J. C. (1992). *Econometrica* 60(4), 953-966.
    """
    prep = prepare(y, X, dates)
    yv, Z = prep.y, prep.X
    W = None
    if fixed is None:
        check_full_rank(Z, prep.regressors)
    else:
        pw = prepare(yv, fixed)
        W = pw.X
        names = tuple(f"fixed:{n}" for n in pw.regressors)
        check_full_rank(np.column_stack([W, Z]), names + prep.regressors)
    if (robust or fixed is not None) and not het_data:
        raise InputError(
            "het_data=False is not available with robust=True or fixed regressors: mbreaks' "
            "variance of the test is then zero and the statistic undefined; use het_data=True"
        )
    if prewhit and not robust:
        raise InputError("prewhit=True only applies to the HAC variance; pass robust=True as well")
    hac = HacOptions(prewhit=bool(prewhit), het_var=bool(het_var)) if robust else None
    if fixed is not None and not (isinstance(max_iter, (int, np.integer)) and max_iter >= 1 and tol > 0):
        raise InputError(f"max_iter must be a positive integer and tol positive; got {max_iter!r}, {tol!r}")
    T, q = Z.shape
    trim = _check_trim(trim)
    if q > 10:
        raise InputError(
            f"the critical values are tabulated for at most 10 breaking regressors, not {q}"
        )
    h = int(np.floor(trim * T))
    if h <= 4 or h <= q:
        raise InputError(
            f"the minimum segment length floor({trim:g} * {T}) = {h} is too small (it must exceed 4 and "
            f"the {q} regressors); use a larger trim"
        )
    if (
        isinstance(max_breaks, bool)
        or not isinstance(max_breaks, (int, np.integer))
        or max_breaks < 1
    ):
        raise InputError(f"max_breaks must be a positive integer, not {max_breaks!r}")
    max_breaks = int(max_breaks)
    if max_breaks > TRIMS[trim]:
        raise InputError(
            f"with trim = {trim:g} the critical values allow at most {TRIMS[trim]} breaks"
        )
    if max_breaks > T // h - 1:
        raise InputError(
            f"{T} observations with h = {h} allow at most {T // h - 1} breaks, not {max_breaks}"
        )
    R = SegmentRSS(yv, Z if W is None else np.column_stack([W, Z]), h, dates=prep.dates)
    iterations: list[int] = []
    if W is None:
        bps, rss = optimal_partitions(yv, Z, h, max_breaks, segments=R)
        check_variation(yv, rss[0])
        glob = [list(b) for b in bps[1:]]
    else:
        full = np.column_stack([W, Z])
        r0 = yv - full @ np.linalg.lstsq(full, yv, rcond=None)[0]
        check_variation(yv, float(r0 @ r0))
        dated, ssr, iterations = partial_dating(yv, Z, W, h, max_breaks, tol=tol, max_iter=max_iter)
        glob = [list(b) for b in dated]
        rss = [float(r0 @ r0), *ssr]

    supf = tuple(
        _wald_f(yv, Z, glob[m - 1], het_data, het_var, W, hac) for m in range(1, max_breaks + 1)
    )
    cvs = {lv: [] for lv in LEVELS}
    for m in range(1, max_breaks + 1):
        for lv, v in bai_perron_critical_values("supF", trim=trim, q=q, m=m).items():
            cvs[lv].append(v)
    supf_cv = {lv: tuple(v) for lv, v in cvs.items()}
    udmax = max(supf[:5])
    ud_cv = bai_perron_critical_values("UDmax", trim=trim, q=q)
    wd_cv = bai_perron_critical_values("WDmax", trim=trim, q=q)
    wdmax = {
        lv: max(supf_cv[lv][0] * supf[m] / supf_cv[lv][m] for m in range(max_breaks))
        for lv in LEVELS
    }

    seq = [supf[0]]
    for l_ in range(1, max_breaks):
        seq.append(_seq_next(yv, Z, R, glob[l_ - 1], h, het_data, het_var, W, hac)[0])
    scv = {lv: [] for lv in LEVELS}
    for m in range(1, max_breaks + 1):
        for lv, v in bai_perron_critical_values(
            "supF_next", trim=trim, q=q, m=m
        ).items():
            scv[lv].append(v)
    seq_cv = {lv: tuple(v) for lv, v in scv.items()}

    nseq, seqpos = {}, {}
    for lv in LEVELS:
        ends = _sequential(yv, Z, R, h, max_breaks, seq_cv[lv], het_data, het_var, W, hac)
        nseq[lv], seqpos[lv] = len(ends), tuple(ends)

    return BaiPerronTestsResult(
        supf=supf,
        supf_critical_values=supf_cv,
        udmax=float(udmax),
        udmax_critical_values=ud_cv,
        wdmax=wdmax,
        wdmax_critical_values=wd_cv,
        seq_supf=tuple(float(v) for v in seq),
        seq_critical_values=seq_cv,
        break_positions=tuple(tuple(b) for b in glob),
        n_breaks_sequential=nseq,
        sequential_break_positions=seqpos,
        nobs=T,
        nreg=q,
        h=h,
        trim=trim,
        max_breaks=max_breaks,
        options={
            "het_var": het_var,
            "het_data": het_data,
            "robust": bool(robust),
            "prewhit": bool(prewhit),
            "fixed_regressors": [] if fixed is None else list(pw.regressors),
            "dating_iterations": iterations,
            "dating_ssr": [float(v) for v in rss[1:]],
            "peer": "R mbreaks 1.0.1 (dotest, doseqtests, dosequa)",
        },
    )


def _sequential(yv, Z, R, h, max_breaks, cv, het_data, het_var, W=None, hac=None) -> list[int]:
    """mbreaks ``sequa``: add the break of the largest one-break F while sup-F(l+1|l) rejects."""
    T = yv.shape[0]
    d = _best_split(R, 0, T, h) if W is None else one_break(yv, Z, W, h, 1, T)[1]
    if d is None or _wald_f(yv, Z, [d], het_data, het_var, W, hac) < cv[0]:
        return []
    ends = [d]
    while len(ends) < max_breaks:
        f, where = _seq_next(yv, Z, R, ends, h, het_data, het_var, W, hac)
        if where is None or f < cv[len(ends)]:
            break
        ends = sorted([*ends, where])
    return ends
