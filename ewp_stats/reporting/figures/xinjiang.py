"""Figures of the Xinjiang chapter: growth against the control groups, and the synthetic control
with its in-space placebos."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ewp_stats.engines.did import DidResult
from ewp_stats.engines.synth import PlaceboResult, SynthResult
from ewp_stats.engines.synth_plot import plot_synth_gaps, plot_synth_path
from ewp_stats.errors import InputError
from ewp_stats.paper import xinjiang

__all__ = ["plot_growth_comparison", "plot_xinjiang_synth_path", "plot_xinjiang_synth_gaps"]


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
