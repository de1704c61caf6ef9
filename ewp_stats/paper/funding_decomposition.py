"""How the change in the partnership's total funds splits into sources, 2003-2007.

Two decompositions of the total ``T = sum_i x_i`` of a convention's components
(``ewp_stats.paper.funding.component_amounts``):

* **additive year-on-year contributions** (:func:`contributions`): ``T_t - T_{t-1} =
  sum_i (x_it - x_i,t-1)``. Each source's change is its contribution. Divided by ``T_{t-1}``
  it gives the source's contribution to growth in percentage points. The contributions add up
  to the total change exactly, because the total is defined as the sum of its components;
  under ``as_printed`` the printed Total's rounding gap is a component of its own.
* **LMDI** (log-mean Divisia index, multiplicative form LMDI-I; :func:`lmdi`) between any two
  years ``s`` and ``t``: ``ln(T_t/T_s) = sum_i w_i ln(x_it/x_is)`` with
  ``w_i = L(x_it, x_is) / L(T_t, T_s)`` and the logarithmic mean
  ``L(a, b) = (a - b) / (ln a - ln b)`` (``L(a, a) = a``). The decomposition is exact by
  construction, because ``L(a, b) ln(a/b) = a - b``. The source effects ``w_i ln(x_it/x_is)``
  sum to the log change of the total, and the factors ``exp(effect)`` multiply to
  ``T_t/T_s``.

References
----------
- Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
  *Energy Policy* 33(7), 867-871.
- Ang, B. W. and Liu, F. L. (2001). A new energy decomposition method: perfect in
  decomposition and consistent in aggregation. *Energy* 26(6), 537-548.

Notes
-----
No peer package was run: the formulas are those of Ang (2005, table 1, multiplicative
LMDI-I). The tests check a hand-computed two-component example and, with hypothesis, the
exactness identities for arbitrary positive inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ewp_stats.errors import InputError
from ewp_stats.paper.funding import (
    YEARS,
    FundingTable,
    _Result,
    _resolve,
    component_amounts,
    get_convention,
)

__all__ = [
    "log_mean",
    "additive_contributions",
    "lmdi_effects",
    "Contributions",
    "contributions",
    "LMDIDecomposition",
    "lmdi",
]


def log_mean(a: float, b: float) -> float:
    """Logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)``, ``L(a, a) = a``, for a, b > 0."""
    if not (a > 0 and b > 0):
        raise InputError(f"log_mean needs positive arguments, got {a!r} and {b!r}")
    if a == b:
        return float(a)
    return (a - b) / (math.log(a) - math.log(b))


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


def _year(year: int | str, what: str) -> str:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise InputError(f"{what} {year!r} is not a year; Table 1 covers "
                         f"{YEARS[0]}-{YEARS[-1]}") from None
    if y not in YEARS:
        raise InputError(f"{what} {year!r} is outside Table 1; valid years: "
                         f"{', '.join(map(str, YEARS))}")
    return str(y)


# =============================================================================================
# results


@dataclass(frozen=True, eq=False)
class Contributions(_Result):
    """Year-on-year change of total funds split into additive source contributions.

    Attributes
    ----------
    convention
        The accounting convention.
    frame
        Index (``step`` e.g. ``"2003-2004"``, ``source``); columns ``start``, ``end``,
        ``change`` (million yuan), ``share_of_change`` and ``contribution_pp`` (percentage
        points of the total's growth).
    totals
        Index ``step``; columns ``total_start``, ``total_end``, ``total_change``,
        ``growth_pct``, ``sum_of_changes`` and ``discrepancy`` (sum of changes - total change,
        0 up to floating point).
    """

    convention: str
    frame: pd.DataFrame
    totals: pd.DataFrame
    title: str = "Year-on-year contributions to the change in total funds"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        pp = self.frame["contribution_pp"].unstack("step")
        pp = pp.loc[list(dict.fromkeys(self.frame.index.get_level_values("source")))]
        return "\n".join([
            f"{self.title} under {self.convention!r} (percentage points of growth)",
            pp.to_string(float_format=lambda v: f"{v:+.2f}"),
            "total growth (%): " + ", ".join(
                f"{k} {v:+.1f}" for k, v in self.totals["growth_pct"].items()),
            f"largest |sum of contributions - total change|: "
            f"{self.totals['discrepancy'].abs().max():.3g} million yuan",
        ])


def contributions(convention: str = "as_printed",
                  funding: pd.DataFrame | FundingTable | None = None) -> Contributions:
    """Additive contributions of each source to the year-on-year change in total funds.

    Parameters
    ----------
    convention
        A key of :data:`ewp_stats.paper.funding.CONVENTIONS`.
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    """
    conv = get_convention(convention)
    comp = component_amounts(conv, _resolve(funding))
    years = [str(y) for y in YEARS]
    frames, totals = [], []
    for a, b in zip(years[:-1], years[1:], strict=True):
        step = f"{a}-{b}"
        c = additive_contributions(comp[a], comp[b])
        c["contribution_pp"] = c["contribution_to_growth"] * 100
        frames.append(c.drop(columns="contribution_to_growth").assign(step=step))
        t_s, t_e = math.fsum(comp[a]), math.fsum(comp[b])
        total_change = t_e - t_s
        sum_changes = math.fsum(c["change"])
        totals.append({"step": step, "total_start": t_s, "total_end": t_e,
                       "total_change": total_change, "growth_pct": total_change / t_s * 100,
                       "sum_of_changes": sum_changes,
                       "discrepancy": sum_changes - total_change})
    frame = pd.concat(frames).rename_axis("source").reset_index()
    frame = frame.set_index(["step", "source"])
    return Contributions(conv.name, frame, pd.DataFrame(totals).set_index("step"))


@dataclass(frozen=True, eq=False)
class LMDIDecomposition(_Result):
    """LMDI-I decomposition of the growth of total funds between two years.

    Attributes
    ----------
    convention, start_year, end_year
        What was decomposed.
    frame
        Index ``source``; see :func:`lmdi_effects` for the columns.
    total_start, total_end
        Total funds in the two years (million yuan).
    log_change
        ``ln(total_end / total_start)``.
    sum_of_effects
        Sum of the source effects (equals ``log_change`` up to floating point).
    """

    convention: str
    start_year: int
    end_year: int
    frame: pd.DataFrame
    total_start: float
    total_end: float
    log_change: float
    sum_of_effects: float
    title: str = "LMDI decomposition of the change in total funds"

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def summary(self) -> str:
        cols = ["start", "end", "log_effect", "factor", "share_of_log_change"]
        return "\n".join([
            f"{self.title}, {self.start_year} -> {self.end_year}, convention "
            f"{self.convention!r}",
            f"total {self.total_start:.3f} -> {self.total_end:.3f} million yuan "
            f"(x{self.total_end / self.total_start:.4f}, log change {self.log_change:+.6f})",
            self.frame[cols].to_string(float_format=lambda v: f"{v:.6g}"),
            f"sum of effects {self.sum_of_effects:+.6f} "
            f"(gap {self.sum_of_effects - self.log_change:.2e})",
        ])


def lmdi(start_year: int | str, end_year: int | str, convention: str = "as_printed",
         funding: pd.DataFrame | FundingTable | None = None) -> LMDIDecomposition:
    """LMDI-I decomposition of the change in total funds between any two years of Table 1.

    Parameters
    ----------
    start_year, end_year
        Two different years in 2003-2007 (``end_year`` may precede ``start_year``).
    convention
        A key of :data:`ewp_stats.paper.funding.CONVENTIONS`.
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).

    Raises
    ------
    InputError
        A year outside Table 1, equal years, or an unknown convention.
    """
    s, e = _year(start_year, "start_year"), _year(end_year, "end_year")
    if s == e:
        raise InputError(f"start_year and end_year are both {s}; give two different years")
    conv = get_convention(convention)
    comp = component_amounts(conv, _resolve(funding))
    frame = lmdi_effects(comp[s], comp[e])
    t_s, t_e = math.fsum(comp[s]), math.fsum(comp[e])
    return LMDIDecomposition(conv.name, int(s), int(e), frame, t_s, t_e, math.log(t_e / t_s),
                             math.fsum(frame["log_effect"]))
