"""Checks shared by the panel estimators (synthetic control, difference-in-differences).

A *panel* here is a wide DataFrame: index year, one column per unit, one outcome.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ewp_stats._typing import YearRange
from ewp_stats.errors import InputError

__all__ = ["validate_design"]


def _check_period(name: str, period: object) -> None:
    """A period is a pair of integer years ``(first, last)``."""
    ok = (isinstance(period, tuple | list) and len(period) == 2
          and all(isinstance(y, int | np.integer) and not isinstance(y, bool) for y in period))
    if not ok:
        raise InputError(f"{name} must be a pair of integer years (first, last), got {period!r}")


def validate_design(
    panel: pd.DataFrame,
    treated: str,
    donors: Sequence[str],
    pre_period: YearRange,
    post_period: YearRange,
    *,
    allow_more_donors_than_periods: bool = False,
    pool_name: str = "donor pool",
) -> None:
    """Check a wide panel (index year, columns units) and the design; raise InputError.

    Parameters
    ----------
    panel
        Wide panel: index year, one column per unit.
    treated, donors
        The treated unit and the comparison units.
    pre_period, post_period
        Inclusive year ranges ``(first, last)``.
    allow_more_donors_than_periods
        Accept a pre-period with fewer years than donors.
    pool_name
        What the comparison units are called in error messages.

    Raises
    ------
    InputError
        Naming what is wrong with the panel or the design, and what was expected.
    """
    if not isinstance(panel, pd.DataFrame):
        raise InputError(f"panel must be a pandas DataFrame (index year, one column per unit), got {type(panel).__name__}")
    if panel.columns.has_duplicates:
        dup = sorted(set(panel.columns[panel.columns.duplicated()]))
        raise InputError(f"panel has duplicated unit columns {dup}; expected one column per unit")
    units = list(panel.columns)
    if treated not in units:
        raise InputError(f"treated unit {treated!r} is not in the panel; the panel's units are {sorted(map(str, units))}")
    if isinstance(donors, str):
        raise InputError(f"the {pool_name} must be a list of unit names, got the string {donors!r}; "
                         f"write [{donors!r}]")
    donors = list(donors)
    if treated in donors:
        raise InputError(
            f"the {pool_name} includes the treated unit {treated!r}; it must list untreated units other than {treated!r}"
        )
    if len(donors) == 0:
        raise InputError(f"the {pool_name} is empty; expected at least one unit")
    if len(set(donors)) != len(donors):
        dup = sorted({d for d in donors if donors.count(d) > 1})
        raise InputError(f"the {pool_name} lists {dup} more than once; expected distinct units")
    missing_donors = [d for d in donors if d not in units]
    if missing_donors:
        raise InputError(f"{pool_name} units {missing_donors} are not in the panel; the panel's units are {sorted(map(str, units))}")
    for name, period in (("pre_period", pre_period), ("post_period", post_period)):
        _check_period(name, period)
    if not (pd.api.types.is_integer_dtype(panel.index) or panel.index.empty):
        raise InputError(f"panel index must hold integer years, got dtype {panel.index.dtype} "
                         f"(e.g. {panel.index[0]!r}); convert it with panel.index = panel.index.astype(int)")
    (p0, p1), (q0, q1) = pre_period, post_period
    if not (p0 <= p1 < q0 <= q1):
        raise InputError(
            f"periods must be ordered pre_start <= pre_end < post_start <= post_end, got pre={pre_period}, post={post_period}"
        )
    if panel.index.has_duplicates:
        raise InputError("panel index has duplicated years; expected one row per year")
    years = set(int(y) for y in panel.index)
    need = range(p0, q1 + 1)
    gone = [y for y in need if y not in years]
    if gone:
        raise InputError(
            f"years missing from the panel: {gone}; the panel must contain every year from {p0} to {q1}"
        )
    sub = panel.loc[list(need), [treated, *donors]]
    if sub.isna().to_numpy().any():
        bad = sub.isna().stack()
        cells = [f"{u} {y}" for (y, u), v in bad.items() if v][:10]
        raise InputError(f"missing outcome values in the panel for {cells}; expected complete data {p0}-{q1}")
    if q1 - q0 + 1 < 2:
        raise InputError(f"post_period {post_period} has 1 year; expected at least 2 post-period years "
                         "(a post-period RMSPE or a t-interval needs two)")
    n_pre = p1 - p0 + 1
    if n_pre < 2:
        raise InputError(f"the pre-period {p0}-{p1} has {n_pre} year; at least 2 pre-period years are needed")
    if n_pre < len(donors) and not allow_more_donors_than_periods:
        raise InputError(
            f"the pre-period {p0}-{p1} has {n_pre} years, too short for {len(donors)} donors: with fewer "
            "pre-period years than donors the weights need not be unique. Use a smaller donor pool or pass "
            "allow_more_donors_than_periods=True"
        )
