"""Input checks shared by the break tests.

Every public function in :mod:`ewp_stats.engines.breaks` goes through :func:`prepare`
first, so bad input fails early with an :class:`~ewp_stats.errors.InputError`
that says what is wrong, where, and what was expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ewp_stats.errors import InputError

__all__ = ["Prepared", "prepare", "resolve_h", "date_of", "dates_of"]


@dataclass(frozen=True)
class Prepared:
    """Validated model data: response, regressors, dates and names."""

    y: np.ndarray
    X: np.ndarray
    dates: np.ndarray
    regressors: tuple[str, ...]
    response: str

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def k(self) -> int:
        return int(self.X.shape[1])


def _as_float_array(values: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be numeric; could not convert it to float ({exc})") from None
    return arr


def prepare(y: Any, X: Any = None, dates: Any = None) -> Prepared:
    """Validate ``y``, ``X`` and ``dates`` and return them as float arrays.

    Parameters
    ----------
    y
        Response, one-dimensional (array or pandas Series).  A Series with a
        numeric index supplies the dates unless ``dates`` is given.
    X
        Regressor matrix (n x k array or DataFrame).  ``None`` means an
        intercept only (a model for the mean).
    dates
        Numeric, strictly increasing labels of the observations (e.g. years).
        Default: the index of a Series ``y`` if it is numeric and not a default
        ``RangeIndex``, else the observation numbers 1..n.

    Raises
    ------
    InputError
        Non-numeric or non-finite values, mismatched lengths, a non-numeric or
        unsorted date index.
    """
    response = "y"
    index = None
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InputError(f"y must be one-dimensional; got a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        response = str(y.name) if y.name is not None else "y"
        if not isinstance(y.index, pd.RangeIndex):
            index = y.index
        if not pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype):
            raise InputError(f"y must be numeric; got dtype {y.dtype}")
    yarr = _as_float_array(y, "y")
    if yarr.ndim != 1:
        raise InputError(f"y must be one-dimensional; got shape {yarr.shape}")
    n = yarr.shape[0]
    bad = np.flatnonzero(~np.isfinite(yarr))
    if bad.size:
        where = index[bad[0]].item() if index is not None and hasattr(index[bad[0]], "item") else (index[bad[0]] if index is not None else int(bad[0]))
        raise InputError(
            f"y has {bad.size} missing or non-finite value(s), first at {where!r}; "
            "drop or fill them before testing for breaks"
        )

    if X is None:
        Xarr = np.ones((n, 1))
        names: tuple[str, ...] = ("(Intercept)",)
    else:
        if isinstance(X, pd.Series):
            X = X.to_frame()
        if isinstance(X, pd.DataFrame):
            names = tuple(str(c) for c in X.columns)
            nonnum = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c].dtype)]
            if nonnum:
                raise InputError(f"X must be numeric; column(s) {nonnum} are not")
        Xarr = _as_float_array(X, "X")
        if Xarr.ndim == 1:
            Xarr = Xarr[:, None]
        if Xarr.ndim != 2:
            raise InputError(f"X must be a 2-d array (n x k); got shape {Xarr.shape}")
        if not isinstance(X, pd.DataFrame):
            names = tuple(f"x{j + 1}" for j in range(Xarr.shape[1]))
        if Xarr.shape[0] != n:
            raise InputError(f"X has {Xarr.shape[0]} rows but y has {n} observations; they must match")
        badx = np.argwhere(~np.isfinite(Xarr))
        if badx.size:
            r, c = badx[0]
            raise InputError(
                f"X has {len(badx)} missing or non-finite value(s), first at row {int(r)}, column {names[c]!r}"
            )
    if Xarr.shape[1] < 1:
        raise InputError("X must have at least one column")

    if dates is None and index is not None:
        if isinstance(index, pd.MultiIndex) or not pd.api.types.is_numeric_dtype(index.dtype):
            raise InputError(
                f"the index of y must be numeric (e.g. integer years) to serve as dates; got {index.dtype}; "
                "pass dates= explicitly or reset the index"
            )
        dates = index
    if dates is None:
        darr = np.arange(1, n + 1, dtype=float)
    else:
        if isinstance(dates, (pd.Index, pd.Series)) and (
            not pd.api.types.is_numeric_dtype(dates.dtype) or pd.api.types.is_bool_dtype(dates.dtype)
        ):
            raise InputError(f"dates must be numeric (e.g. integer years); got dtype {dates.dtype}")
        darr = _as_float_array(dates, "dates")
        if darr.ndim != 1 or darr.shape[0] != n:
            raise InputError(f"dates must be one-dimensional with {n} values; got shape {darr.shape}")
        if not np.all(np.isfinite(darr)):
            raise InputError("dates contain missing or non-finite values")
        steps = np.diff(darr)
        if np.any(steps <= 0):
            i = int(np.flatnonzero(steps <= 0)[0])
            raise InputError(
                f"dates must be strictly increasing (sorted, no duplicates); "
                f"position {i + 1} has {float(darr[i + 1])!r} after {float(darr[i])!r}"
            )
    return Prepared(y=yarr, X=Xarr, dates=darr, regressors=names, response=response)


def resolve_h(h: float | int, n: int, k: int) -> int:
    """Minimum segment length as a count, strucchange's rule for fractions.

    A fraction ``0 < h < 1`` means ``floor(n * h)`` observations.  The result
    must exceed the number of regressors ``k`` and be at most ``floor(n / 2)``.
    """
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)):
        raise InputError(f"h must be a fraction in (0, 1) or a number of observations; got {h!r}")
    if not math.isfinite(h) or h <= 0:
        raise InputError(f"h must be positive; got {h!r}")
    if h < 1:
        count = int(math.floor(n * h))
    else:
        if float(h) != int(h):
            raise InputError(f"h >= 1 is a number of observations and must be an integer; got {h!r}")
        count = int(h)
    if count <= k:
        raise InputError(
            f"minimum segment length h = {count} observations must be larger than the number of "
            f"regressors k = {k} (h={h!r}, n={n})"
        )
    if count > n // 2:
        raise InputError(
            f"minimum segment length h = {count} must be at most half the number of observations "
            f"(n = {n}, so h <= {n // 2})"
        )
    return count


def date_of(index_1based: float, dates: np.ndarray) -> float:
    """Date of observation ``index_1based`` (1..n); extrapolated outside the sample
    when the dates are equally spaced, NaN otherwise."""
    if not np.isfinite(index_1based):
        return float("nan")
    i = int(index_1based)
    n = dates.shape[0]
    if 1 <= i <= n:
        return float(dates[i - 1])
    steps = np.diff(dates)
    if n >= 2 and np.allclose(steps, steps[0], rtol=1e-9, atol=0):
        return float(dates[0] + (i - 1) * steps[0])
    return float("nan")


def dates_of(indices: Any, dates: np.ndarray) -> tuple[float, ...]:
    return tuple(date_of(i, dates) for i in indices)
