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

__all__ = [
    "CRITERIA",
    "EXACT_FIT_TOL",
    "RANK_TOL",
    "Prepared",
    "check_criterion",
    "check_full_rank",
    "check_variation",
    "date_of",
    "dates_of",
    "label_of",
    "labels_of",
    "prepare",
    "resolve_h",
]

#: Relative tolerance of the rank check: after scaling every column of ``X`` to unit length,
#: a pivoted (rank-revealing) QR decomposition ``X P = Q R`` declares column ``P[j]``
#: dependent on the columns before it when ``|R[j, j]| <= RANK_TOL * |R[0, 0]|`` (the same
#: tolerance as R's ``lm.fit`` and strucchange's ``recresid(qr.tol = 1e-7)``).
RANK_TOL = 1e-7

#: A residual sum of squares at most ``EXACT_FIT_TOL * sum(y**2)`` (a residual norm below
#: ``1e-10 ||y||``, at the limit of double precision) counts as an exact (noise-free) fit.
EXACT_FIT_TOL = 1e-20


@dataclass(frozen=True)
class Prepared:
    """Validated model data: response, regressors, dates and names."""

    y: np.ndarray
    X: np.ndarray
    dates: np.ndarray
    regressors: tuple[str, ...]
    response: str
    labels: pd.Index | None = None
    """Calendar labels (a ``PeriodIndex`` or ``DatetimeIndex``) when the dates are periods or
    timestamps; then ``dates`` holds the observation numbers 1..n and :func:`label_of` maps
    them (and extrapolated positions) back to periods."""

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
        Response, one-dimensional (array or pandas Series).  The index of a Series
        supplies the dates unless ``dates`` is given: any numeric index, a
        ``RangeIndex`` included (``pd.RangeIndex(1978, 2010)`` gives the years
        1978..2009), or a ``PeriodIndex``/``DatetimeIndex`` (the dates are then those
        periods, as strucchange does with ``ts`` objects; see ``Prepared.labels``).
        A NumPy array has the observation numbers 1..n as dates.
    X
        Regressor matrix (n x k array or DataFrame).  ``None`` means an
        intercept only (a model for the mean).
    dates
        Numeric, strictly increasing labels of the observations (e.g. years), or a
        ``PeriodIndex``/``DatetimeIndex``.  Default: the index of a Series ``y``,
        else the observation numbers 1..n.

    Raises
    ------
    InputError
        Non-numeric or non-finite values, values whose sums of squares overflow
        double precision, mismatched lengths, an unsorted date index or one that is
        neither numeric nor calendar periods/timestamps.
    """
    response = "y"
    index = None
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InputError(f"y must be one-dimensional; got a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        response = str(y.name) if y.name is not None else "y"
        index = y.index  # every index supplies dates, RangeIndex included
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

    _check_magnitude(yarr, "y")
    _check_magnitude(Xarr, "X")
    if dates is None and index is not None:
        if isinstance(index, pd.MultiIndex) or not (
            pd.api.types.is_numeric_dtype(index.dtype) or isinstance(index, (pd.PeriodIndex, pd.DatetimeIndex))
        ):
            raise InputError(
                f"the index of y must be numeric (e.g. integer years), a PeriodIndex or a DatetimeIndex "
                f"to serve as dates; got {index.dtype}; pass dates= explicitly or reset the index"
            )
        dates = index
    labels = None
    if isinstance(dates, (pd.Series, list, tuple)) and not isinstance(dates, pd.Index):
        as_index = pd.Index(dates) if not isinstance(dates, pd.Series) else pd.Index(dates.to_numpy())
        if isinstance(as_index, (pd.PeriodIndex, pd.DatetimeIndex)):
            dates = as_index
    if isinstance(dates, (pd.PeriodIndex, pd.DatetimeIndex)):
        labels = _calendar_labels(dates, n)
        dates = None
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
    return Prepared(y=yarr, X=Xarr, dates=darr, regressors=names, response=response, labels=labels)


def _check_magnitude(arr: np.ndarray, what: str) -> None:
    """Refuse values whose sums of squares overflow float64 (an InputError, not NaN RSS)."""
    if arr.size == 0:
        return
    big = float(np.max(np.abs(arr)))
    limit = math.sqrt(np.finfo(float).max / max(arr.size, 1)) / 1e3
    if big > limit:
        raise InputError(
            f"{what} has values up to {big:.3g} in absolute value; sums of squares of {arr.shape[0]} such "
            f"values overflow double precision (|values| must stay below {limit:.3g}); rescale {what} "
            "(e.g. divide by a power of ten) before testing for breaks"
        )


def _calendar_labels(index: pd.Index, n: int) -> pd.Index:
    """Validate a PeriodIndex/DatetimeIndex of dates (length n, no missing values, increasing)."""
    if len(index) != n:
        raise InputError(f"dates must be one-dimensional with {n} values; got {len(index)}")
    if index.hasnans:
        raise InputError("dates contain missing values (NaT)")
    if not (index.is_monotonic_increasing and index.is_unique):
        pos = next(i for i in range(1, n) if not index[i] > index[i - 1])
        raise InputError(
            f"dates must be strictly increasing (sorted, no duplicates); "
            f"position {pos} has {index[pos]} after {index[pos - 1]}"
        )
    return index


def _calendar_step(labels: pd.Index) -> Any:
    """The fixed step of equally spaced calendar labels (``None`` if they are not)."""
    if isinstance(labels, pd.PeriodIndex):
        ords = labels.asi8
        if len(ords) >= 2 and np.all(np.diff(ords) == ords[1] - ords[0]):
            return int(ords[1] - ords[0])
        return None
    freq = labels.freq or (pd.infer_freq(labels) if len(labels) >= 3 else None)
    return pd.tseries.frequencies.to_offset(freq) if freq is not None else None


def label_of(position: float, labels: pd.Index) -> Any:
    """The calendar label (``pd.Period`` or ``pd.Timestamp``) of observation ``position``
    (1..n; extrapolated outside the sample for equally spaced labels, ``NaT`` otherwise)."""
    if position is None or not np.isfinite(position):
        return pd.NaT
    i = int(position)
    n = len(labels)
    if 1 <= i <= n:
        return labels[i - 1]
    step = _calendar_step(labels)
    if step is None:
        return pd.NaT
    if isinstance(labels, pd.PeriodIndex):
        return labels[0] + (i - 1) * step
    return labels[0] + (i - 1) * step


def labels_of(values: Any, labels: pd.Index | None) -> tuple[Any, ...]:
    """``values`` (observation numbers as floats) as calendar labels; unchanged without labels."""
    if labels is None:
        return tuple(values)
    return tuple(label_of(v, labels) for v in values)


def check_full_rank(X: np.ndarray, names: tuple[str, ...]) -> None:
    """Raise :class:`~ewp_stats.errors.InputError` naming the collinear columns of ``X``.

    Rank-revealing QR with column pivoting (``scipy.linalg.qr(..., pivoting=True)``) of ``X``
    with unit-length columns; a column is collinear when its pivot is at most
    ``RANK_TOL`` times the largest (see there).
    """
    from scipy.linalg import qr

    k = X.shape[1]
    norms = np.linalg.norm(X, axis=0)
    zero = [names[j] for j in range(k) if norms[j] == 0]
    if zero:
        raise InputError(
            f"the regressors are exactly collinear: column(s) {zero} are identically zero; drop them"
        )
    if k == 1:
        return
    R, piv = qr(X / norms, mode="r", pivoting=True)
    diag = np.abs(np.diag(R))
    rank = int(np.sum(diag > RANK_TOL * diag[0]))
    if rank < k:
        dependent = [names[j] for j in piv[rank:]]
        basis = [names[j] for j in piv[:rank]]
        raise InputError(
            f"the regressors are collinear (rank {rank} < k = {k} at relative tolerance {RANK_TOL:g}): "
            f"column(s) {dependent} are (numerically) linear combinations of {basis}; drop them"
        )


#: Accepted ``criterion`` names of :func:`~ewp_stats.engines.breaks.breakpoints`; ``"LWZ"`` is
#: the Bai-Perron (2003) form, also called ``"LWZ-BP2003"``.
CRITERIA = ("BIC", "LWZ", "LWZ-BP2003", "LWZ-strucchange")


def check_criterion(criterion: Any) -> str:
    """Validate a ``criterion`` name (one of ``CRITERIA``) and return it."""
    if not isinstance(criterion, str) or criterion not in CRITERIA:
        raise InputError(f"criterion must be one of {', '.join(repr(c) for c in CRITERIA)}; got {criterion!r}")
    return criterion


def check_variation(y: np.ndarray, rss0: float) -> None:
    """Raise :class:`~ewp_stats.errors.InputError` when ``X`` fits ``y`` exactly without a break
    (e.g. a constant series in a mean model): no residual variation, nothing to test or date."""
    if rss0 <= EXACT_FIT_TOL * float(y @ y):
        raise InputError(
            "y has no residual variation: the model without breaks fits it exactly "
            f"(RSS = {rss0:.3g}, e.g. a constant series in a mean model); break tests and "
            "dating are undefined"
        )


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
