"""Is the east/west GDP ratio trend-stationary? Unit-root tests that allow a break.

The eras tests of :mod:`ewp_stats.paper.eras` model the ratio as a segmented linear trend with
stationary errors.  If the ratio is instead integrated (I(1), a random walk with drift), trend
regressions find "significant" breaks that are not there (Nunes, Kuan and Newbold 1995): the
break-date estimate then settles in the interior of the sample and the F statistics grow with
``n``.  This module runs, on every series the eras analysis uses:

* the augmented Dickey-Fuller test with constant and trend (no break; ``statsmodels``
  ``adfuller``);
* the Zivot and Andrews (1992) test, whose alternative is a trend-stationary series with one
  break at an unknown date: in the intercept (model A, ``"c"``), the slope (model B, ``"t"``)
  or both (model C, ``"ct"``) (``statsmodels`` ``zivot_andrews``).

With 20-32 annual observations these tests have little power (the Monte Carlo of
:mod:`ewp_stats.paper.eras_montecarlo` measures it at the data's design), so a non-rejection
says that the data cannot tell I(0) around a broken trend from I(1), not that the ratio has a
unit root.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ewp_stats._results import Result
from ewp_stats.errors import InputError
from ewp_stats.paper.eras import MEASURES, TRANSFORMS, era_series

__all__ = ["ZA_MODELS", "UnitRootResult", "unit_root_tests", "zivot_andrews_test"]

#: The Zivot-Andrews models, by statsmodels ``regression`` code, and what breaks under the alternative.
ZA_MODELS: dict[str, str] = {"c": "intercept", "t": "slope", "ct": "intercept and slope"}
#: Largest augmentation lag searched (AIC); 20-32 observations leave room for little more.
MAX_LAG = 2
#: Trimming of the Zivot-Andrews break search (share of the sample at each end).
TRIM = 0.15


def zivot_andrews_test(s: pd.Series, *, model: str = "ct", lags: int | None = None, max_lag: int = MAX_LAG,
                       trim: float = TRIM) -> dict[str, Any]:
    """The Zivot-Andrews test of one annual series (``statsmodels.tsa.stattools.zivot_andrews``).

    Parameters
    ----------
    s
        Series indexed by consecutive years.
    model
        ``"c"`` (break in the intercept), ``"t"`` (in the slope) or ``"ct"`` (both).
    lags
        Number of augmentation lags; ``None``: chosen by the AIC up to ``max_lag`` (statsmodels
        chooses it on the ADF regression with trend, as ``autolag="AIC"``).
    max_lag
        Largest lag searched when ``lags`` is ``None``.
    trim
        Share of the sample excluded at each end of the break search.

    Returns
    -------
    dict
        ``statistic`` (the minimum t statistic), ``pvalue`` and ``cv_1pct``/``cv_5pct``/``cv_10pct``
        (statsmodels' interpolated critical values), ``lags``, ``break_year`` (Zivot and Andrews'
        ``TB``: the last year before the break) and ``regime_start`` (the year after it), or
        ``status`` explaining why it could not be computed.

    Raises
    ------
    InputError
        Unknown ``model`` or a series whose years are not consecutive.

    Notes
    -----
    Checked against the published result of Zivot and Andrews (1992, Table 4) for the
    Nelson-Plosser real GNP series: ``t = -5.58``, break 1929, 8 lags, model A
    (``tests/paper/test_eras_unitroot.py``).  statsmodels' critical values are asymptotic
    (interpolated from its own simulation); at n = 20-32 the test's finite-sample size differs.

    References
    ----------
    Zivot, E. and Andrews, D. W. K. (1992). Further evidence on the great crash, the oil-price
    shock, and the unit-root hypothesis. *Journal of Business & Economic Statistics* 10(3), 251-270.
    """
    from statsmodels.tsa.stattools import zivot_andrews

    if model not in ZA_MODELS:
        raise InputError(f"model must be one of {sorted(ZA_MODELS)} (what breaks: {ZA_MODELS}), not {model!r}")
    years = _years(s)
    x = s.to_numpy(dtype=float)
    kw = {"maxlag": lags, "autolag": None} if lags is not None else {"maxlag": max_lag, "autolag": "AIC"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels warns before it raises on a rank-deficient design
            stat, pvalue, cv, used, bpidx = zivot_andrews(x, trim=trim, regression=model, **kw)
    except ValueError as exc:
        return {"status": f"not computable: {str(exc).splitlines()[0]}", "nobs": len(x)}
    return {"status": "ok", "nobs": len(x), "statistic": float(stat), "pvalue": float(pvalue),
            "cv_1pct": float(cv["1%"]), "cv_5pct": float(cv["5%"]), "cv_10pct": float(cv["10%"]),
            "lags": int(used), "break_year": int(years[bpidx]), "regime_start": int(years[bpidx]) + 1}


def _years(s: pd.Series) -> np.ndarray:
    years = np.asarray(s.index, dtype=int)
    if len(years) > 1 and np.any(np.diff(years) != 1):
        raise InputError(f"series {s.name!r} must be indexed by consecutive years; got {list(years)}")
    return years


def _adf(s: pd.Series, max_lag: int) -> dict[str, Any]:
    from statsmodels.tsa.stattools import adfuller

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # statsmodels 0.15 announces a result object; the tuple stays
        stat, pvalue, used, _, cv, _ = adfuller(s.to_numpy(dtype=float), maxlag=max_lag, regression="ct",
                                                autolag="AIC")
    return {"status": "ok", "nobs": len(s), "statistic": float(stat), "pvalue": float(pvalue),
            "cv_1pct": float(cv["1%"]), "cv_5pct": float(cv["5%"]), "cv_10pct": float(cv["10%"]), "lags": int(used)}


@dataclass(frozen=True)
class UnitRootResult(Result):
    """Unit-root tests of every series of the eras analysis.

    Attributes
    ----------
    table
        One row per series (``vintage``, ``measure``, ``transform``) and ``test`` (``adf_ct``,
        ``za_c``, ``za_t``, ``za_ct``): ``statistic``, ``pvalue``, 5% critical value, lags,
        ``reject_5pct`` (unit root rejected at 5%), and for Zivot-Andrews the break year and
        regime start; ``status`` says when a test could not be computed.
    options, notes
        Settings and what a rejection or non-rejection means here.
    """

    _title: ClassVar[str] = "Unit-root tests (ADF with trend; Zivot-Andrews with one break)"

    table: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The table of tests."""
        return self.table

    def summary(self) -> str:
        """The tests and the notes."""
        cols = ["vintage", "measure", "transform", "test", "statistic", "cv_5pct", "pvalue", "regime_start", "status"]
        return "\n".join([self.title, self.table[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}"),
                          *(f"note: {n}" for n in self.notes)])


def unit_root_tests(frame: pd.DataFrame | None = None, *, max_lag: int = MAX_LAG, trim: float = TRIM) -> UnitRootResult:
    """ADF and Zivot-Andrews tests of every series of :func:`~ewp_stats.paper.eras.eras_analysis`.

    Parameters
    ----------
    frame
        The ``east_west_ratio`` frame; default ``ewp_stats.data.load("east_west_ratio")``.
    max_lag
        Largest augmentation lag (chosen by the AIC); default 2.
    trim
        Trimming of the Zivot-Andrews break search; default 0.15.

    Returns
    -------
    UnitRootResult

    Notes
    -----
    The null of every test is a unit root.  Vintages with fewer than 15 years of a measure are
    skipped (as in the eras analysis, which needs three eras of a trend).  The tests are
    asymptotic; their size and power at n = 20 and 32 are measured by
    :func:`~ewp_stats.paper.eras_montecarlo.eras_montecarlo` (Zivot-Andrews model C).
    """
    if frame is None:
        from ewp_stats import data

        frame = data.load("east_west_ratio")
    if not isinstance(max_lag, int) or max_lag < 0:
        raise InputError(f"max_lag must be a non-negative integer, not {max_lag!r}")
    rows = []
    for vintage in frame.index.get_level_values("vintage").unique():
        for measure in MEASURES:
            if frame.loc[vintage, measure].notna().sum() < 15:
                continue
            for transform in TRANSFORMS:
                s = era_series(frame, vintage, measure, transform)
                key = {"vintage": vintage, "measure": measure, "transform": transform}
                rows.append({**key, "test": "adf_ct", **_adf(s, max_lag)})
                for model in ZA_MODELS:
                    rows.append({**key, "test": f"za_{model}", **zivot_andrews_test(s, model=model, max_lag=max_lag,
                                                                                     trim=trim)})
    table = pd.DataFrame(rows)
    table["reject_5pct"] = (table["statistic"] < table["cv_5pct"]).where(table["status"] == "ok")
    for col in ("lags", "break_year", "regime_start", "nobs"):
        table[col] = table[col].astype("Int64")
    notes = (
        ("null hypothesis: a unit root; Zivot-Andrews' alternative is a trend-stationary series with one break at an "
        "unknown date, ADF's a trend-stationary series without a break"),
        ("with 20-32 observations a non-rejection means the data cannot tell I(0) around a broken trend from I(1); "
        "the Monte Carlo (eras_montecarlo) gives the tests' power at the data's design"),
        ("if the ratio is I(1), the trend-break tests of the eras analysis are not valid: with integrated errors "
        "Chow and sup-F tests in a trend regression reject far more often than their nominal level and the "
        "break-date estimate falls inside the sample even without a break (Nunes, Kuan and Newbold 1995)"),
    )
    return UnitRootResult(table=table, options={"max_lag": max_lag, "lag_selection": "AIC", "trim": trim,
                                                "adf_regression": "ct", "za_models": dict(ZA_MODELS)}, notes=notes)
