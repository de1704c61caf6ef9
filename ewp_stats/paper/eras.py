"""Do the east/west GDP ratio series break where the paper's eras begin?

The paper divides East-West relations into three eras: the late 1970s to
1997, 1998 to 2007, and 2008 on.  This module tests that periodisation on the
``east_west_ratio`` dataset, each data vintage separately, for the ratio of
east to west GDP (level and log) and the per-capita ratio:

* Chow tests for a change of the linear trend at the start of 1998 and of
  2008, singly and jointly, classical and Newey-West (HAC);
* sup-F test for one break at an unknown date;
* an unconstrained Bai-Perron search with minimum era length ``h`` and the
  BIC, with Bai (1997) 95% intervals for the dates;
* the trend within each era (average annual change and compound rate with
  confidence intervals);
* residual diagnostics (Durbin-Watson, Breusch-Godfrey, Ljung-Box);
* a robustness table over vintage, level/log, GDP/per-capita and ``h``.

Break dates follow strucchange: the *break date* is the last year of the old
regime and ``regime start`` the first year of the new one; the paper's eras
start in 1998 and 2008, i.e. break dates 1997 and 2007.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ewp_stats._results import Result
from ewp_stats.engines.breaks import BreakpointsResult, breakpoints, chow_test, fstats
from ewp_stats.engines.breaks.chow import newey_west_lags
from ewp_stats.errors import InputError
from ewp_stats.paper.eras_grid import trimming_for

__all__ = ["PAPER_ERA_STARTS", "ErasResult", "eras_analysis", "era_series", "paper_era_trend"]

#: First years of the paper's second and third eras.
PAPER_ERA_STARTS: tuple[int, int] = (1998, 2008)
#: Values of h in the robustness table.
ROBUST_H: tuple[int, ...] = (4, 5, 6, 8)
MEASURES = {"ratio": "GDP ratio", "per_capita_ratio": "per-capita GDP ratio"}
TRANSFORMS = ("level", "log")


def era_series(frame: pd.DataFrame, vintage: str, measure: str, transform: str) -> pd.Series:
    """One analysis series, indexed by year, NaN years dropped."""
    s = frame.loc[vintage, measure].dropna().astype(float)
    s.index = s.index.astype(int)
    if transform == "log":
        s = np.log(s)
    s.name = f"{'log ' if transform == 'log' else ''}{measure} ({vintage})"
    return s


def _trend_X(years: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(len(years)), years - years[0] + 1.0])


def _segments(years: np.ndarray, starts: tuple[int, ...]) -> list[tuple[int, int]]:
    """Index ranges of the eras beginning at ``starts`` (only starts inside the sample)."""
    cuts = [int(np.searchsorted(years, s)) for s in starts if years[0] < s <= years[-1]]
    b = [0, *cuts, len(years)]
    return [(b[i], b[i + 1]) for i in range(len(b) - 1)]


def _segment_design(years: np.ndarray, segs: list[tuple[int, int]]) -> np.ndarray:
    n = len(years)
    t = years - years[0] + 1.0
    cols = []
    for a, b in segs:
        c = np.zeros(n)
        c[a:b] = 1.0
        cols.append(c)
        if b - a >= 2:  # a one-year era gets its own intercept only (fitted exactly)
            c = np.zeros(n)
            c[a:b] = t[a:b]
            cols.append(c)
    return np.column_stack(cols)


def paper_era_trend(s: pd.Series, *, starts: tuple[int, ...] = PAPER_ERA_STARTS) -> pd.Series:
    """OLS fit of a separate linear trend (intercept and slope) in each of the paper's eras.

    Parameters
    ----------
    s
        An analysis series indexed by year (see :func:`era_series`).
    starts
        First years of the eras after the first (default: the paper's 1998 and 2008); starts
        outside the sample are ignored, and a one-year era gets an intercept only.

    Returns
    -------
    pandas.Series
        Fitted values, same index as ``s``.
    """
    years = s.index.to_numpy().astype(float)
    Z = _segment_design(years, _segments(years, starts))
    coef, *_ = np.linalg.lstsq(Z, s.to_numpy(), rcond=None)
    return pd.Series(Z @ coef, index=s.index, name=f"{s.name}, paper's era trends")


# ---------------------------------------------------------------------------
def _chow_rows(s: pd.Series, key: dict) -> list[dict]:
    years = s.index.to_numpy()
    X = _trend_X(years.astype(float))
    rows = []
    for label, starts in (("1998", (1998,)), ("2008", (2008,)), ("1998 and 2008", PAPER_ERA_STARTS)):
        bds = [st - 1 for st in starts]
        row = dict(key, test=label, regime_starts=", ".join(str(v) for v in starts))
        outside = [st for st in starts if not years[0] < st <= years[-1]]
        if outside:
            row.update(status=f"not testable: {', '.join(map(str, outside))} is outside {years[0]}-{years[-1]}")
            rows.append(row)
            continue
        res = chow_test(s, X, bds)
        short = [n for n, e in zip(res.segment_nobs, res.exact_fit_segments) if e]
        row.update(
            status="predictive (a regime has <= 2 years)" if short else "ok",
            regime_nobs="/".join(map(str, res.segment_nobs)),
            F=res.statistic,
            df_num=res.df_num,
            df_denom=res.df_denom,
            pvalue=res.pvalue,
        )
        try:
            hac = chow_test(s, X, bds, cov_type="HAC")
            row.update(F_hac=hac.statistic, pvalue_hac=hac.pvalue, hac_lags=hac.maxlags)
        except InputError:
            row.update(F_hac=float("nan"), pvalue_hac=float("nan"), hac_lags=None)
        rows.append(row)
    return rows


def _trend_rows(level: pd.Series, key: dict, starts: tuple[int, ...], which: str, level_ci: float) -> list[dict]:
    """Average annual change (level) and compound rate (log) within each era."""
    years = level.index.to_numpy().astype(float)
    logs = np.log(level.to_numpy())
    yv = level.to_numpy()
    rows = []
    for a, b in _segments(years, starts):
        yr, n = years[a:b], b - a
        row = dict(key, eras=which, first=int(yr[0]), last=int(yr[-1]), nobs=n,
                   start_value=float(yv[a]), end_value=float(yv[b - 1]))
        if n >= 2:
            span = yr[-1] - yr[0]
            row["endpoint_change_per_year"] = float((yv[b - 1] - yv[a]) / span)
            row["endpoint_rate"] = float(math.exp((logs[b - 1] - logs[a]) / span) - 1)
        for name, vals in (("change", yv[a:b]), ("log", logs[a:b])):
            if n < 2:
                continue
            Xs = _trend_X(yr)
            c, *_ = np.linalg.lstsq(Xs, vals, rcond=None)
            slope, lo, hi, lo_hac, hi_hac = float(c[1]), *(float("nan"),) * 4
            if n > 2:
                r = vals - Xs @ c
                s2 = float(r @ r) / (n - 2)
                se = math.sqrt(s2 / float(np.sum((yr - yr.mean()) ** 2)))
                tq = stats.t.ppf(0.5 + level_ci / 2, n - 2)
                lo, hi = slope - tq * se, slope + tq * se
                if n >= 5:
                    import statsmodels.api as sm

                    fit = sm.OLS(vals, Xs).fit(
                        cov_type="HAC", cov_kwds={"maxlags": newey_west_lags(n), "use_correction": True}
                    )
                    se_h = float(fit.bse[1])
                    lo_hac, hi_hac = slope - tq * se_h, slope + tq * se_h
            if name == "change":
                row.update(change_per_year=slope, change_lo=lo, change_hi=hi, change_hac_lo=lo_hac, change_hac_hi=hi_hac,
                           hac_lags=float(newey_west_lags(n)) if n >= 5 else float("nan"))
            else:
                tr = lambda v: math.exp(v) - 1 if math.isfinite(v) else float("nan")  # noqa: E731
                row.update(rate=tr(slope), rate_lo=tr(lo), rate_hi=tr(hi), rate_hac_lo=tr(lo_hac), rate_hac_hi=tr(hi_hac))
        rows.append(row)
    return rows


def _diagnostics(s: pd.Series, key: dict, starts: tuple[int, ...], which: str) -> dict:
    import statsmodels.api as sm
    from statsmodels.stats.diagnostic import acorr_breusch_godfrey, acorr_ljungbox
    from statsmodels.stats.stattools import durbin_watson

    years = s.index.to_numpy().astype(float)
    segs = [(a, b) for a, b in _segments(years, starts)]
    Z = _segment_design(years, segs)
    fit = sm.OLS(s.to_numpy(), Z).fit()
    resid = fit.resid
    n = len(resid)
    lb_lag = max(1, min(4, n // 5))
    lb = acorr_ljungbox(resid, lags=[lb_lag], return_df=True)
    bg = acorr_breusch_godfrey(fit, nlags=2, result_object=False)
    r1 = float(np.corrcoef(resid[:-1], resid[1:])[0, 1])
    return dict(
        key, eras=which, regimes="/".join(str(b - a) for a, b in segs), nobs=n,
        durbin_watson=float(durbin_watson(resid)), rho1=r1,
        bg_lm=float(bg[0]), bg_pvalue=float(bg[1]),
        ljung_box_lag=lb_lag, ljung_box=float(lb["lb_stat"].iloc[0]), ljung_box_pvalue=float(lb["lb_pvalue"].iloc[0]),
    )


def _search_row(s: pd.Series, key: dict, h: int, level: float, trim: float) -> tuple[dict, BreakpointsResult | None]:
    years = s.index.to_numpy().astype(float)
    X = _trend_X(years)
    row = dict(key, h=h, trim=trim, nobs=len(s))
    try:
        bp = breakpoints(s, X, h=h, level=level)
    except InputError as exc:
        row.update(status=f"not searchable: {exc}")
        return row, None
    m = bp.selected
    row.update(status="ok", max_breaks=bp.max_breaks, m_bic=m, m_lwz=bp.select(criterion="LWZ"))
    starts = bp.regime_starts(m)
    row["regime_starts"] = ", ".join(str(int(v)) for v in starts) or "none"
    if m:
        ci = bp.intervals
        row["intervals"] = "; ".join(
            f"{int(b) + 1} [{_yr(lo, 1)}, {_yr(up, 1)}]" for b, lo, up in zip(ci.break_dates, ci.lower_dates, ci.upper_dates)
        )
        paper_in = []
        for st in PAPER_ERA_STARTS:
            hit = [lo + 1 <= st <= up + 1 for lo, up in zip(ci.lower_dates, ci.upper_dates) if np.isfinite(lo) and np.isfinite(up)]
            paper_in.append(any(hit))
        row["covers_1998"], row["covers_2008"] = paper_in
    else:
        row["intervals"] = ""
        row["covers_1998"] = row["covers_2008"] = False
    try:
        fs = fstats(s, X, trim=trim)
        row.update(sup_f=fs.sup_f.statistic, sup_f_pvalue=fs.sup_f.pvalue, sup_f_regime_start=int(fs.break_date) + 1)
    except InputError:
        pass
    return row, bp


def _yr(v: float, add: int = 0) -> str:
    return str(int(v) + add) if np.isfinite(v) else "NA"


def _case_key(vintage: str, measure: str, transform: str) -> str:
    return f"{vintage}|{measure}|{transform}"


@dataclass(frozen=True)
class ErasResult(Result):
    """All results of the eras analysis (tidy frames, one row per case).

    Attributes
    ----------
    chow
        Chow tests at the paper's era starts (single and joint; classical and
        HAC), per vintage x measure x transform; ``status`` says what is
        testable.
    search
        Unconstrained Bai-Perron searches (default ``h``): selected number of
        breaks (BIC, LWZ), regime starts with 95% intervals, whether the
        intervals cover 1998 / 2008, and the sup-F test.
    trends
        Per era (the paper's and the estimated): average annual change of the
        ratio and compound annual rate with confidence intervals (classical t
        and Newey-West, whose Bartlett lag ``hac_lags`` is ``newey_west_lags(nobs)``; eras of
        fewer than five years get no Newey-West interval).
    diagnostics
        Serial-correlation diagnostics of the segmented-trend residuals.
    robustness
        The search over vintages, level/log, GDP/per-capita and several ``h``.
    fits
        The Bai-Perron search of every analysed series at the default ``h``, keyed
        ``"vintage|measure|transform"`` (``None`` where the series is too short to search);
        read them with :meth:`fit`.
    case_series
        Every analysed series (indexed by year), same keys as ``fits``; read them with
        :meth:`series`.
    options, notes
        Options used and caveats (e.g. vintages without a time series).
    """

    _title: ClassVar[str] = "Eras analysis"

    chow: pd.DataFrame
    search: pd.DataFrame
    trends: pd.DataFrame
    diagnostics: pd.DataFrame
    robustness: pd.DataFrame
    fits: dict[str, BreakpointsResult | None] = field(default_factory=dict, repr=False, compare=False)
    case_series: dict[str, pd.Series] = field(default_factory=dict, repr=False, compare=False)
    options: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def _lookup(self, table: dict[str, Any], what: str, vintage: str, measure: str, transform: str) -> Any:
        key = _case_key(vintage, measure, transform)
        if key not in table:
            raise InputError(
                f"no {what} for vintage={vintage!r}, measure={measure!r}, transform={transform!r}; "
                f"the analysed cases are {sorted(table)}"
            )
        return table[key]

    def fit(self, vintage: str, *, measure: str = "ratio", transform: str = "level") -> BreakpointsResult | None:
        """The Bai-Perron search (default ``h``) of one series; ``None`` if it could not be searched."""
        return self._lookup(self.fits, "break search", vintage, measure, transform)

    def vintages(self, *, measure: str = "ratio", transform: str = "level") -> list[str]:
        """The vintages whose ``measure``/``transform`` series has a break search, in fit order."""
        out = []
        for key, bp in self.fits.items():
            vintage, meas, tr = key.split("|")
            if meas == measure and tr == transform and bp is not None:
                out.append(vintage)
        return out

    def series(self, vintage: str, *, measure: str = "ratio", transform: str = "level") -> pd.Series:
        """One analysed series, indexed by year (see :func:`era_series`)."""
        return self._lookup(self.case_series, "series", vintage, measure, transform)

    def break_table(self) -> pd.DataFrame:
        """The estimated breaks of every searched series, one row per break, as regime starts.

        Returns
        -------
        DataFrame
            Columns ``vintage``, ``measure``, ``transform`` (the series), ``break`` (1, 2, ...
            in date order), ``regime_start`` (the first year of the new regime,
            :meth:`~ewp_stats.engines.breaks.results.BreakpointsResult.regime_starts`)
            and ``lower``, ``upper`` (its Bai 1997 interval at ``options["level"]``, as first years
            of a regime:
            :meth:`~ewp_stats.engines.breaks.results.BreakpointsResult.regime_start_intervals`). The three years
            are nullable integers: a bound that cannot be computed is missing (``<NA>``), never
            a made-up year. Series that could not be searched, or without a selected break,
            have no row.
        """
        rows = []
        for key, bp in self.fits.items():
            if bp is None:
                continue
            vintage, measure, transform = key.split("|")
            for j, (start, (lo, up)) in enumerate(
                    zip(bp.regime_starts(), bp.regime_start_intervals(), strict=True), start=1):
                rows.append({"vintage": vintage, "measure": measure, "transform": transform, "break": j,
                             "regime_start": start, "lower": lo, "upper": up})
        table = pd.DataFrame(rows, columns=["vintage", "measure", "transform", "break", "regime_start",
                                            "lower", "upper"])
        table["break"] = table["break"].astype("int64")
        for col in ("regime_start", "lower", "upper"):
            table[col] = table[col].astype("float64").round().astype("Int64")
        return table

    def summary(self) -> str:
        """The Chow tests at the paper's era starts and the unconstrained searches, with notes."""
        fmt = lambda x: f"{x:.4g}"  # noqa: E731
        parts = [
            f"Eras analysis of the east/west GDP ratio (paper's eras start {PAPER_ERA_STARTS[0]} and "
            f"{PAPER_ERA_STARTS[1]}; segmented linear trends; h = {self.options.get('h')})",
            "Chow tests:",
            self.chow[["vintage", "measure", "transform", "test", "status", "F", "pvalue", "pvalue_hac"]].to_string(
                index=False, float_format=fmt
            ),
            "Unconstrained search:",
            self.search[["vintage", "measure", "transform", "m_bic", "m_lwz", "intervals", "sup_f_pvalue"]].to_string(
                index=False, float_format=fmt
            ),
        ]
        parts += [f"note: {n}" for n in self.notes]
        return "\n".join(parts)


def eras_analysis(frame: pd.DataFrame | None = None, *, h: int | None = None, level: float = 0.95) -> ErasResult:
    """Test the paper's periodisation on every vintage of ``east_west_ratio``.

    Parameters
    ----------
    frame
        The ``east_west_ratio`` frame; default ``ewp_stats.data.load("east_west_ratio")``.
    h
        Minimum era length in years for the unconstrained Bai-Perron search. Default ``None``:
        the trimming of the specification grid,
        :func:`~ewp_stats.paper.eras_grid.trimming_for` of each series' length (the smallest
        tabulated trimming that leaves at least five years per regime: 0.20 and h = 6 for the
        32-year compendium, 0.25 and h = 5 for the 20-year NBS 2021), so that the break dates,
        figures and estimated-era rows agree with the grid's dating.  The sup-F test uses the
        same trimming (``h / n`` when ``h`` is given).  The robustness table repeats the
        search with h = 4, 5, 6 and 8.
    level
        Confidence level of break-date and trend intervals.

    Returns
    -------
    ErasResult
    """
    if frame is None:
        from ewp_stats import data

        frame = data.load("east_west_ratio")
    chow_rows, search_rows, trend_rows, diag_rows, robust_rows = [], [], [], [], []
    fits, series, notes = {}, {}, []
    for vintage in frame.index.get_level_values("vintage").unique():
        for measure in MEASURES:
            level_s = frame.loc[vintage, measure].dropna()
            if len(level_s) < 3 * (2 + 1):
                if measure == "ratio":
                    notes.append(
                        f"vintage {vintage} has {len(level_s)} year(s) of the ratio: no time-series test is possible"
                    )
                continue
            for transform in TRANSFORMS:
                s = era_series(frame, vintage, measure, transform)
                key = {"vintage": vintage, "measure": measure, "transform": transform}
                series[_case_key(vintage, measure, transform)] = s
                chow_rows += _chow_rows(s, key)
                trim, hs = (trimming_for(len(s))[:2] if h is None else (h / len(s), h))
                row, bp = _search_row(s, key, hs, level, trim)
                search_rows.append(row)
                fits[_case_key(vintage, measure, transform)] = bp
                for hh in ROBUST_H:
                    robust_rows.append(_search_row(s, key, hh, level, trim)[0] if hh != hs else row)
                diag_rows.append(_diagnostics(s, key, PAPER_ERA_STARTS, "paper"))
                if bp is not None and bp.selected:
                    est = tuple(int(v) for v in bp.regime_starts())
                    diag_rows.append(_diagnostics(s, key, est, "estimated"))
            lv = era_series(frame, vintage, measure, "level")
            key = {"vintage": vintage, "measure": measure}
            trend_rows += _trend_rows(lv, key, PAPER_ERA_STARTS, "paper", level)
            bp = fits.get(_case_key(vintage, measure, "level"))
            if bp is not None and bp.selected:
                trend_rows += _trend_rows(lv, key, tuple(int(v) for v in bp.regime_starts()), "estimated", level)
    notes.append(
        "gcam_compendium ends in 2009 (per-capita: 2008), so its third era has 2 (1) year(s): the single-date 2008 "
        "test there is Chow's predictive test of one break at 2008 against the 1978-2007 trend (not the 1998-2007 "
        "trend, and not a test of a new trend); ewp_stats.paper.eras_grid tests 2008 given 1998"
    )
    notes.append("nbs_2021 starts in 2000: the 1998 break is outside its sample and only the 2008 break is testable")
    return ErasResult(
        chow=pd.DataFrame(chow_rows),
        search=pd.DataFrame(search_rows),
        trends=pd.DataFrame(trend_rows),
        diagnostics=pd.DataFrame(diag_rows),
        robustness=pd.DataFrame(robust_rows),
        options={"h": "per series (trimming_for)" if h is None else h, "level": level, "robust_h": list(ROBUST_H), "model": "segmented linear trend [1, t]",
                 "criterion": "BIC", "paper_era_starts": list(PAPER_ERA_STARTS)},
        notes=tuple(notes),
        fits=fits,
        case_series=series,
    )
