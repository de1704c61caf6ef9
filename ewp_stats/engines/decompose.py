"""Index decompositions of a change: a sum into its parts, a product identity into its factors.

Two decompositions of a total ``T = sum_i x_i`` between two dates ``s`` and ``t``:

* **additive contributions** (:func:`additive_contributions`): ``T_t - T_s = sum_i (x_it - x_is)``.
  Each part's change is its contribution; divided by ``T_s`` it is the part's contribution to
  growth. The contributions add up to the total change exactly.
* **LMDI** (log-mean Divisia index, multiplicative form LMDI-I; :func:`lmdi_effects`):
  ``ln(T_t/T_s) = sum_i w_i ln(x_it/x_is)`` with ``w_i = L(x_it, x_is) / L(T_t, T_s)`` and the
  logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)`` (``L(a, a) = a``; :func:`log_mean`).
  The decomposition is exact by construction, because ``L(a, b) ln(a/b) = a - b``: the effects
  ``w_i ln(x_it/x_is)`` sum to the log change of the total and the factors ``exp(effect)``
  multiply to ``T_t/T_s``.

A third one splits an aggregate defined by a **product identity**, ``V = sum_i prod_k x_ik``
(e.g. aid = (aid / GDP) x GDP, one term and two factors), into factor effects
(:func:`lmdi_product_effects`, LMDI-I of Ang 2004, 2015):

* additive: ``dV_k = sum_i L(V_it, V_is) ln(x_ikt / x_iks)``, and ``sum_k dV_k = V_t - V_s``;
* multiplicative: ``ln D_k = sum_i L(V_it, V_is) / L(V_t, V_s) ln(x_ikt / x_iks)``, and
  ``prod_k D_k = V_t / V_s``.

Both are exact: ``sum_k ln(x_ikt/x_iks) = ln(V_it/V_is)`` and ``L(a, b) ln(a/b) = a - b``. For
a plain sum (one factor per term) the LMDI source shares equal the additive shares of the change
(``w_i ln(x_it/x_is) = (x_it - x_is) / L(T_t, T_s)``); only a product identity gives LMDI
something to add.

References
----------
- Ang, B. W. (2004). Decomposition analysis for policymaking in energy: which is the preferred
  method? *Energy Policy* 32(9), 1131-1139.
- Ang, B. W. (2015). LMDI decomposition approach: a guide for implementation. *Energy Policy*
  86, 233-238.
- Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
  *Energy Policy* 33(7), 867-871.
- Ang, B. W. and Liu, F. L. (2001). A new energy decomposition method: perfect in
  decomposition and consistent in aggregation. *Energy* 26(6), 537-548.

Notes
-----
No peer package was run: the formulas are those of Ang (2005, table 1, multiplicative
LMDI-I; Ang 2015, tables 1 and 2, for the product identity). The tests check hand-computed
examples and, with hypothesis, the exactness identities for arbitrary positive inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ewp_stats.errors import InputError

__all__ = ["log_mean", "additive_contributions", "lmdi_effects", "lmdi_product_effects"]


def log_mean(a: float, b: float) -> float:
    """Logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)``, ``L(a, a) = a``, for a, b > 0."""
    if not (a > 0 and b > 0):
        raise InputError(f"log_mean needs positive arguments, got {a!r} and {b!r}")
    if a == b:
        return float(a)
    d = math.log(a) - math.log(b)
    if d == 0.0:  # a and b differ by less than the resolution of their logarithms: L -> (a + b) / 2
        return (a + b) / 2
    return (a - b) / d


def _pair(start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    if not isinstance(start, pd.Series) or not isinstance(end, pd.Series):
        raise InputError("start and end must be pandas Series of component amounts")
    if not start.index.equals(end.index):
        raise InputError(
            f"start and end must have the same components in the same order; got "
            f"{list(start.index)} and {list(end.index)}")
    if len(start) == 0:
        raise InputError("no components to decompose")
    s = pd.to_numeric(start, errors="coerce").astype("float64")
    e = pd.to_numeric(end, errors="coerce").astype("float64")
    for name, v in (("start", s), ("end", e)):
        bad = ~np.isfinite(v.to_numpy())
        if bad.any():
            raise InputError(f"{name} amount of component {v.index[bad][0]!r} is missing or not "
                             "finite")
    return s, e


def additive_contributions(start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """Split the change of a sum into the changes of its parts.

    Parameters
    ----------
    start, end
        Component amounts at the two dates (same index). Any finite values.

    Returns
    -------
    DataFrame
        Index: the components. Columns ``start``, ``end``, ``change`` (end - start),
        ``share_of_change`` (change / total change; NaN if the total does not change) and
        ``contribution_to_growth`` (change / start total, a fraction; NaN if the start total is
        0). ``change`` sums to ``sum(end) - sum(start)``.
    """
    s, e = _pair(start, end)
    change = e - s
    total_start, total_end = math.fsum(s), math.fsum(e)
    total_change = total_end - total_start
    out = pd.DataFrame({"start": s, "end": e, "change": change})
    out["share_of_change"] = change / total_change if total_change != 0 else np.nan
    out["contribution_to_growth"] = change / total_start if total_start != 0 else np.nan
    return out


def lmdi_effects(start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """LMDI-I decomposition of the log change of a sum into component effects.

    Parameters
    ----------
    start, end
        Component amounts at the two dates (same index). The totals must be positive.
        Components should be positive. A component that is zero or negative at either date (only
        the printed-rounding residual in practice) gets the limit form of its effect,
        ``(x_it - x_is) / L(T_t, T_s)``, which equals ``w_i ln(x_it/x_is)`` whenever both are
        positive.

    Returns
    -------
    DataFrame
        Index: the components. Columns ``start``, ``end``, ``weight`` (``L(x_it, x_is) /
        L(T_t, T_s)``, NaN for non-positive components), ``log_ratio`` (``ln(x_it/x_is)``),
        ``log_effect``, ``factor`` (``exp(log_effect)``), ``additive_effect``
        (``L(x_it, x_is) ln(x_it/x_is)``, which equals the change) and
        ``share_of_log_change`` (NaN if the total does not change). ``log_effect`` sums to
        ``ln(T_t/T_s)`` and ``factor`` multiplies to ``T_t/T_s``.

    Raises
    ------
    InputError
        Missing or non-finite amounts, different components, or non-positive totals.
    """
    s, e = _pair(start, end)
    t_s, t_e = math.fsum(s), math.fsum(e)
    if not (t_s > 0 and t_e > 0):
        raise InputError(f"LMDI needs positive totals, got {t_s!r} and {t_e!r}")
    lt = log_mean(t_e, t_s)
    weight, log_ratio, effect, additive = [], [], [], []
    for a, b in zip(e.to_numpy(), s.to_numpy(), strict=True):
        if a > 0 and b > 0:
            lx = log_mean(a, b)
            r = math.log(a / b)
            weight.append(lx / lt)
            log_ratio.append(r)
            effect.append(lx / lt * r)
            additive.append(lx * r)
        else:  # limit form: L(a, b) ln(a/b) -> a - b
            weight.append(np.nan)
            log_ratio.append(np.nan)
            effect.append((a - b) / lt)
            additive.append(a - b)
    out = pd.DataFrame({"start": s, "end": e, "weight": weight, "log_ratio": log_ratio,
                        "log_effect": effect, "additive_effect": additive}, index=s.index)
    out["factor"] = np.exp(out["log_effect"])
    total_log = math.log(t_e / t_s)
    out["share_of_log_change"] = out["log_effect"] / total_log if total_log != 0 else np.nan
    return out[["start", "end", "weight", "log_ratio", "log_effect", "factor",
                "additive_effect", "share_of_log_change"]]


def _factors(x: pd.Series | pd.DataFrame, name: str) -> pd.DataFrame:
    if isinstance(x, pd.Series):
        x = x.to_frame().T
    if not isinstance(x, pd.DataFrame):
        raise InputError(f"{name} must be a pandas Series (factors) or DataFrame (terms x "
                         f"factors), got {type(x).__name__}")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise InputError(f"{name} has no terms or no factors to decompose")
    v = x.apply(pd.to_numeric, errors="coerce").astype("float64")
    arr = v.to_numpy()
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        i, k = (int(j[0]) for j in np.nonzero(bad))
        raw = x.iat[i, k]
        shown = raw if isinstance(raw, str) or raw is None else float(v.iat[i, k])
        raise InputError(f"{name} factor {v.columns[k]!r} of term {v.index[i]!r} is "
                         f"{shown!r}; LMDI-I needs finite positive factors (zeros need "
                         "the small-value replacement of Ang 2015, which is not implemented)")
    return v


def lmdi_product_effects(start: pd.Series | pd.DataFrame,
                         end: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """LMDI-I decomposition of the change of ``V = sum_i prod_k x_ik`` into factor effects.

    Parameters
    ----------
    start, end
        The factors at the two dates: a Series (index: the factors ``k``) for a single product
        ``V = prod_k x_k``, or a DataFrame (rows: the terms ``i``, columns: the factors ``k``).
        Same labels in the same order at both dates; every factor finite and positive.

    Returns
    -------
    DataFrame
        Index: the factors. Columns ``additive_effect`` (``dV_k``, in the units of ``V``),
        ``share_of_change`` (``dV_k / (V_t - V_s)``; NaN if ``V`` does not change),
        ``log_effect`` (``ln D_k``) and ``factor`` (``D_k``). ``additive_effect`` sums to ``V_t - V_s`` and ``factor``
        multiplies to ``V_t / V_s`` (up to floating point).

    Raises
    ------
    InputError
        Not a Series/DataFrame, different labels, or a factor that is missing, non-finite, zero
        or negative.

    Notes
    -----
    LMDI-I is exact for any two dates, but it is not chain-consistent: the effects from ``s`` to
    ``u`` are not, in general, the sum of those from ``s`` to ``t`` and ``t`` to ``u``.

    References
    ----------
    Ang, B. W. (2015). LMDI decomposition approach: a guide for implementation. *Energy Policy*
    86, 233-238 (the general formulas, tables 1 and 2). Ang (2004) for why LMDI-I is the
    preferred method: exact, no residual, and consistent in aggregation.
    """
    s, e = _factors(start, "start"), _factors(end, "end")
    if not (s.index.equals(e.index) and s.columns.equals(e.columns)):
        raise InputError(
            f"start and end must have the same terms and factors in the same order; got terms "
            f"{list(s.index)} / {list(e.index)} and factors {list(s.columns)} / {list(e.columns)}")
    v_s = s.prod(axis=1).to_numpy()
    v_e = e.prod(axis=1).to_numpy()
    total_s, total_e = math.fsum(v_s), math.fsum(v_e)
    weights = np.array([log_mean(a, b) for a, b in zip(v_e, v_s, strict=True)])
    log_ratio = np.log(e.to_numpy() / s.to_numpy())  # terms x factors
    additive = weights @ log_ratio
    log_effect = additive / log_mean(total_e, total_s)
    change = total_e - total_s
    out = pd.DataFrame({"additive_effect": additive,
                        "share_of_change": additive / change if change != 0 else np.nan,
                        "log_effect": log_effect, "factor": np.exp(log_effect)},
                       index=s.columns)
    out.index.name = "effect" if s.columns.name is None else s.columns.name
    return out
