"""How the change in the partnership's total funds splits into sources, 2003-2007.

Two decompositions of the total ``T = sum_i x_i`` of a convention's components
(:func:`ewp_stats.paper.funding_table.component_amounts`), computed by the generic
:mod:`ewp_stats.engines.decompose`:

* **additive year-on-year contributions** (:func:`contributions`): ``T_t - T_{t-1} =
  sum_i (x_it - x_i,t-1)``. Each source's change is its contribution. Divided by ``T_{t-1}``
  it gives the source's contribution to growth in percentage points. The contributions add up
  to the total change exactly, because the total is defined as the sum of its components;
  under ``as_printed`` the printed Total's rounding gap is a component of its own.
* **LMDI** (log-mean Divisia index, multiplicative LMDI-I; :func:`lmdi`) between any two
  years: the log change of total funds split into source effects that sum to it exactly (the
  formulas are in :mod:`ewp_stats.engines.decompose`).

References
----------
Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
*Energy Policy* 33(7), 867-871 (see :mod:`ewp_stats.engines.decompose`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from ewp_stats._results import Result
from ewp_stats.data.vocab import FUNDING_YEARS as YEARS
from ewp_stats.engines.decompose import additive_contributions, lmdi_effects
from ewp_stats.errors import InputError
from ewp_stats.paper.funding_table import FundingTable, component_amounts, funding_table, get_convention

__all__ = [
    "Contributions",
    "contributions",
    "LMDIDecomposition",
    "lmdi",
]


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
class Contributions(Result):
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
    _title: ClassVar[str] = "Year-on-year contributions to the change in total funds"

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


def contributions(funding: pd.DataFrame | FundingTable | None = None, *,
                  convention: str = "as_printed") -> Contributions:
    """Additive contributions of each source to the year-on-year change in total funds.

    Parameters
    ----------
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS`.
    """
    conv = get_convention(convention)
    comp = component_amounts(funding_table(funding), convention=conv)
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
class LMDIDecomposition(Result):
    """LMDI-I decomposition of the growth of total funds between two years.

    Attributes
    ----------
    convention, start_year, end_year
        What was decomposed.
    frame
        Index ``source``; see :func:`ewp_stats.engines.decompose.lmdi_effects` for the columns.
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
    _title: ClassVar[str] = "LMDI decomposition of the change in total funds"

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


def lmdi(start_year: int | str, end_year: int | str,
         funding: pd.DataFrame | FundingTable | None = None, *,
         convention: str = "as_printed") -> LMDIDecomposition:
    """LMDI-I decomposition of the change in total funds between any two years of Table 1.

    Parameters
    ----------
    start_year, end_year
        Two different years in 2003-2007 (``end_year`` may precede ``start_year``).
    funding
        Tidy Table 1 (default ``ewp_stats.data.load("funding")``).
    convention
        A key of :data:`~ewp_stats.paper.funding_table.CONVENTIONS`.

    Raises
    ------
    InputError
        A year outside Table 1, equal years, or an unknown convention.
    """
    s, e = _year(start_year, "start_year"), _year(end_year, "end_year")
    if s == e:
        raise InputError(f"start_year and end_year are both {s}; give two different years")
    conv = get_convention(convention)
    comp = component_amounts(funding_table(funding), convention=conv)
    frame = lmdi_effects(comp[s], comp[e])
    t_s, t_e = math.fsum(comp[s]), math.fsum(comp[e])
    return LMDIDecomposition(conv.name, int(s), int(e), frame, t_s, t_e, math.log(t_e / t_s),
                             math.fsum(frame["log_effect"]))
