"""Figures of the Xinjiang chapter: growth against the control groups, the synthetic control
with its in-space placebos, and the effect path with its conformal intervals beside the synthetic
DiD averages."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ewp_stats.engines.conformal import ConformalResult
from ewp_stats.engines.did import DidResult
from ewp_stats.engines.sdid import SdidResult
from ewp_stats.engines.synth import PlaceboResult, SynthResult
from ewp_stats.engines.synth_plot import plot_synth_gaps, plot_synth_path
from ewp_stats.errors import InputError
from ewp_stats.paper import xinjiang

__all__ = ["plot_growth_comparison", "plot_xinjiang_synth_path", "plot_xinjiang_synth_gaps",
           "plot_effect_intervals"]


def plot_growth_comparison(west: DidResult, all_: DidResult, *, outcome: str = "real_growth") -> Figure:
    """Real growth of Xinjiang vs control means (left) and each unit's DiD estimate (right).

    Parameters
    ----------
    west, all_
        :func:`~ewp_stats.paper.xinjiang.growth_comparison` results for the western and the all-province control groups.
    outcome
        The growth outcome both were computed for (a key of
        :data:`~ewp_stats.paper.xinjiang.OUTCOMES`: ``"real_growth"`` or ``"real_per_capita_growth"``);
        its panel is drawn on the left.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if west.outcome != xinjiang.OUTCOMES.get(outcome) or all_.outcome != west.outcome:
        raise InputError(f"outcome {outcome!r} does not match the results' outcome {west.outcome!r}")
    panel = xinjiang.outcome_panel(outcome)
    years = list(west.years)
    fig = Figure(figsize=(10, 4.2))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
    ax1.plot(years, panel.loc[years, xinjiang.TREATED], color="black", lw=2.2, label=xinjiang.TREATED)
    ax1.plot(years, panel.loc[years, list(west.controls)].mean(axis=1), color="tab:orange", lw=1.6,
             label=f"western controls ({len(west.controls)})")
    ax1.plot(years, panel.loc[years, list(all_.controls)].mean(axis=1), color="tab:blue", lw=1.6, ls="--",
             label=f"all controls ({len(all_.controls)})")
    ax1.axvspan(west.post_period[0] - 0.5, west.post_period[1] + 0.5, color="0.92")
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel("year")
    ax1.set_ylabel(west.outcome)
    ax1.set_title("Growth: Xinjiang and control means")
    ax1.legend(frameon=False, fontsize=8)
    ax1.grid(alpha=0.3)

    pf = all_.placebo_frame().sort_values("estimate")
    colors = ["black" if t else ("tab:orange" if u in west.controls else "0.6") for u, t in pf["is_treated"].items()]
    ax2.barh(range(len(pf)), pf["estimate"], color=colors)
    ax2.set_yticks(range(len(pf)), pf.index, fontsize=7)
    ax2.axvline(0, color="black", lw=0.6)
    ax2.set_xlabel("change in mean growth vs other controls, pp")
    ax2.set_title("DiD of each province (post - pre)")
    ax2.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_xinjiang_synth_path(sc: SynthResult) -> Figure:
    """Xinjiang's real GDP per capita and its synthetic control."""
    return plot_synth_path(sc, ylabel="real GDP per capita, yuan (2000 prices)",
                           title="Xinjiang and synthetic Xinjiang")


def plot_xinjiang_synth_gaps(placebo: PlaceboResult) -> Figure:
    """Xinjiang's gap and the in-space placebo gaps; placebos fitted worse than
    :data:`~ewp_stats.paper.xinjiang.PLACEBO_MAX_PRE_RMSPE_MULTIPLE` times Xinjiang are hidden."""
    return plot_synth_gaps(placebo, max_pre_rmspe_multiple=xinjiang.PLACEBO_MAX_PRE_RMSPE_MULTIPLE,
                           ylabel="gap, yuan per person (2000 prices)",
                           title="Xinjiang's gap and in-space placebo gaps")


def plot_effect_intervals(conformal: ConformalResult, sdid: Mapping[str, SdidResult]) -> Figure:
    """The synthetic-control effect path with its pointwise conformal intervals (left) and the
    average effects of synthetic DiD, SC and DiD with their intervals (right).

    Parameters
    ----------
    conformal
        :func:`~ewp_stats.paper.xinjiang_estimators.xinjiang_conformal` (gap in the units of its
        outcome, yuan per person at 2000 prices for the default).
    sdid
        ``method -> result`` of :func:`~ewp_stats.paper.xinjiang_estimators.xinjiang_sdid` on a log
        outcome (log points, 100 x ln), drawn in the order given; at least one.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The conformal band is pointwise: each year's interval covers that year's effect at its level;
    the band as a whole is not a joint confidence set. The right panel's intervals are the
    placebo-variance normal intervals of the estimates (``SdidResult.ci``); the two panels are on
    different scales (a level gap and a log average) and are not meant to be compared by eye.
    """
    if not sdid:
        raise InputError("plot_effect_intervals(): sdid must hold at least one result, got none")
    fig = Figure(figsize=(10, 4.2))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
    years = list(conformal.post_years)
    kind = "refitted" if conformal.refit else "fixed"
    ax1.fill_between(years, conformal.lower, conformal.upper, color="tab:blue", alpha=0.2, lw=0,
                     label=f"{100 * conformal.level:.0f}% pointwise conformal interval ({kind} weights)")
    ax1.plot(years, conformal.gaps, color="black", lw=2, marker="o", ms=3,
             label=f"{conformal.treated} minus synthetic control")
    ax1.axhline(0, color="black", lw=0.6)
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel("year")
    ax1.set_ylabel("gap, yuan per person (2000 prices)")
    ax1.set_title("Effect path and conformal intervals")
    ax1.legend(frameon=False, fontsize=8, loc="best")
    ax1.grid(alpha=0.3)

    methods = list(sdid)
    est = [sdid[m].estimate for m in methods]
    err = [[sdid[m].estimate - sdid[m].ci[0] for m in methods],
           [sdid[m].ci[1] - sdid[m].estimate for m in methods]]
    colors = ["black" if m == "sdid" else "0.5" for m in methods]
    for i, m in enumerate(methods):
        ax2.errorbar([i], [est[i]], yerr=[[err[0][i]], [err[1][i]]], fmt="o", color=colors[i], capsize=4)
    levels = {sdid[m].level for m in methods}
    level = f"{100 * levels.pop():.0f}% " if len(levels) == 1 else ""
    ax2.axhline(0, color="black", lw=0.6)
    ax2.set_xticks(range(len(methods)), [m.upper() if m != "sdid" else "SDID" for m in methods])
    ax2.set_xlim(-0.6, len(methods) - 0.4)
    ax2.set_ylabel("average effect, log points (100 x ln)")
    ax2.set_title(f"Average effect and {level}placebo interval")
    ax2.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
