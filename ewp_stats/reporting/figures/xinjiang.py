"""Figures of the Xinjiang chapter, in the book's style (``ewp_stats.reporting.figures.style``):
growth against the control groups, the ranking of every province's difference-in-differences
(the permutation test's placebos), the synthetic control with its in-space placebos, and the
effect path with its conformal intervals above the synthetic DiD averages."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.patches import Patch

from ewp_stats.engines.conformal import ConformalResult
from ewp_stats.engines.did import DidResult
from ewp_stats.engines.sdid import SdidResult
from ewp_stats.engines.synth import PlaceboResult, SynthResult
from ewp_stats.errors import InputError
from ewp_stats.paper import xinjiang
from ewp_stats.reporting.figures.style import new_figure, year_axis

__all__ = ["plot_growth_comparison", "plot_did_ranking", "plot_xinjiang_synth_path", "plot_xinjiang_synth_gaps",
           "plot_effect_intervals", "ESTIMATOR_NAMES"]

#: How the estimators of the synthetic-DiD family are named on the page.
ESTIMATOR_NAMES: dict[str, str] = {"sdid": "Synthetic DiD", "sc": "Synthetic control", "did": "DiD"}

#: The growth outcomes in words, for axis labels.
_GROWTH_WORDS: dict[str, str] = {"real_growth": "real GDP growth", "real_per_capita_growth": "real GDP growth per person"}

#: Tick labels with thousands separators (30,000 rather than 30000).
_THOUSANDS = FuncFormatter(lambda v, _: f"{v:,.0f}")


def _sentence_case(words: str) -> str:
    """The first letter capitalised, the rest kept (``str.capitalize`` would write "Gdp")."""
    return words[:1].upper() + words[1:]

#: Height per bar of the ranking figure, inches: room for a 9 pt province label.
_BAR_HEIGHT_IN = 0.2


def _check_outcome(west: DidResult, all_: DidResult, outcome: str) -> None:
    if west.outcome != xinjiang.OUTCOMES.get(outcome) or all_.outcome != west.outcome:
        raise InputError(f"outcome {outcome!r} does not match the results' outcome {west.outcome!r}")


def plot_growth_comparison(west: DidResult, all_: DidResult, *, outcome: str = "real_growth") -> Figure:
    """Real growth of Xinjiang against the means of the western and the all-province controls.

    Parameters
    ----------
    west, all_
        :func:`~ewp_stats.paper.xinjiang.growth_comparison` results for the western and the
        all-province control groups.
    outcome
        The growth outcome both were computed for (a key of
        :data:`~ewp_stats.paper.xinjiang.OUTCOMES`: ``"real_growth"`` or ``"real_per_capita_growth"``).

    Returns
    -------
    matplotlib.figure.Figure
        One panel, 6 in wide; the programme years shaded; the legend below the axes, clear of the
        lines.

    Raises
    ------
    InputError
        ``outcome`` is not the results' outcome.
    """
    _check_outcome(west, all_, outcome)
    panel = xinjiang.outcome_panel(outcome)
    years = list(west.years)
    fig, ax = new_figure(height=4.2)
    ax.plot(years, panel.loc[years, xinjiang.TREATED], color="black", lw=2.2, label=xinjiang.TREATED)
    ax.plot(years, panel.loc[years, list(west.controls)].mean(axis=1), color="tab:orange",
            label=f"Mean of the western controls ({len(west.controls)})")
    ax.plot(years, panel.loc[years, list(all_.controls)].mean(axis=1), color="tab:blue", ls="--",
            label=f"Mean of all controls ({len(all_.controls)})")
    ax.axvspan(west.post_period[0] - 0.5, west.post_period[1] + 0.5, color="0.92", lw=0, label="Programme years",
               zorder=0)
    year_axis(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel(f"{_sentence_case(_GROWTH_WORDS.get(outcome, 'growth'))} (% a year)")
    ax.legend(frameon=False, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    return fig


def plot_did_ranking(west: DidResult, all_: DidResult, *, outcome: str = "real_growth") -> Figure:
    """Every province's difference-in-differences against the other controls, sorted: the units
    of the permutation test, with Xinjiang among them.

    Parameters
    ----------
    west, all_
        As for :func:`plot_growth_comparison`; the bars are ``all_``'s units, the western controls
        coloured.
    outcome
        As for :func:`plot_growth_comparison`.

    Returns
    -------
    matplotlib.figure.Figure
        6 in wide and tall enough for one 9 pt label per province.

    Raises
    ------
    InputError
        ``outcome`` is not the results' outcome.
    """
    _check_outcome(west, all_, outcome)
    pf = all_.placebo_frame().sort_values("estimate", kind="mergesort")
    colors = ["black" if t else ("tab:orange" if u in west.controls else "0.65") for u, t in pf["is_treated"].items()]
    fig, ax = new_figure(height=1.1 + _BAR_HEIGHT_IN * len(pf))
    ax.barh(range(len(pf)), pf["estimate"], color=colors, height=0.7)
    ax.set_yticks(range(len(pf)), list(pf.index))
    ax.set_ylim(-0.6, len(pf) - 0.4)
    ax.axvline(0, color="black", lw=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"Change in mean {_GROWTH_WORDS.get(outcome, 'growth')}, {west.post_period[0]}-{west.post_period[1]} minus "
                  f"{west.pre_period[0]}-{west.pre_period[1]},\nrelative to the other controls (percentage points)")
    handles = [Patch(color=c, label=lab) for c, lab in
               (("black", xinjiang.TREATED), ("tab:orange", "Western control"), ("0.65", "Other control"))]
    ax.legend(handles=handles, frameon=False, loc="lower right")
    return fig


def plot_xinjiang_synth_path(sc: SynthResult) -> Figure:
    """Xinjiang's real GDP per capita and its synthetic control, with the start of the programme marked.

    Parameters
    ----------
    sc
        :func:`~ewp_stats.paper.xinjiang.xinjiang_synth` (real GDP per capita, yuan at 2000 prices).

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame = sc.to_frame()
    fig, ax = new_figure(height=3.4)
    ax.plot(frame.index, frame["treated"], color="black", lw=2.2, label=sc.treated)
    ax.plot(frame.index, frame["synthetic"], color="tab:blue", ls="--", label=f"Synthetic {sc.treated}")
    ax.axvline(sc.treatment_year - 0.5, color="grey", ls=":", lw=1.2, label="Start of the programme years")
    year_axis(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Real GDP per person\n(yuan, 2000 prices)")
    ax.yaxis.set_major_formatter(_THOUSANDS)
    ax.legend(frameon=False, loc="upper left")
    return fig


def plot_xinjiang_synth_gaps(placebo: PlaceboResult) -> Figure:
    """Xinjiang's gap to its synthetic control and the in-space placebo gaps.

    Placebos fitted more than :data:`~ewp_stats.paper.xinjiang.PLACEBO_MAX_PRE_RMSPE_MULTIPLE` times
    worse than Xinjiang before the programme (pre-period RMSPE) are left out of the figure, as in
    Abadie, Diamond and Hainmueller (2010); all of them count in the p-value.

    Parameters
    ----------
    placebo
        :func:`~ewp_stats.paper.xinjiang.xinjiang_placebo`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    gaps = placebo.gaps_frame()
    shown = placebo.well_fitted(xinjiang.PLACEBO_MAX_PRE_RMSPE_MULTIPLE)
    fig, ax = new_figure(height=3.6)
    for unit in shown:
        ax.plot(gaps.index, gaps[unit], color="0.7", lw=1)
    ax.plot([], [], color="0.7", lw=1, label=f"Placebo provinces ({len(shown)})")
    ax.plot(gaps.index, gaps[placebo.treated], color="black", lw=2.2, label=placebo.treated)
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(placebo.treatment_year - 0.5, color="grey", ls=":", lw=1.2)
    year_axis(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Gap to the synthetic control\n(yuan per person, 2000 prices)")
    ax.yaxis.set_major_formatter(_THOUSANDS)
    ax.legend(frameon=False, loc="upper left")
    return fig


def plot_effect_intervals(conformal: ConformalResult, sdid: Mapping[str, SdidResult]) -> Figure:
    """The synthetic-control effect path with its pointwise conformal intervals (top) and the
    average effects of synthetic DiD, SC and DiD with their intervals (bottom), stacked.

    Parameters
    ----------
    conformal
        :func:`~ewp_stats.paper.xinjiang_estimators.xinjiang_conformal` (gap in the units of its
        outcome, yuan per person at 2000 prices for the default).
    sdid
        ``method -> result`` of :func:`~ewp_stats.paper.xinjiang_estimators.xinjiang_sdid` on a log
        outcome (log points, 100 × ln), drawn in the order given; at least one.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        ``sdid`` is empty.

    Notes
    -----
    The conformal band is pointwise: each year's interval covers that year's effect at its level;
    the band as a whole is not a joint confidence set. The lower panel's intervals are the
    placebo-variance normal intervals of the estimates (``SdidResult.ci``); the two panels are on
    different scales (a level gap and a log average) and are not meant to be compared by eye.
    """
    if not sdid:
        raise InputError("plot_effect_intervals(): sdid must hold at least one result, got none")
    fig, (ax1, ax2) = new_figure(height=7.0, nrows=2, gridspec_kw={"height_ratios": [1.5, 1]})
    years = list(conformal.post_years)
    kind = "weights refitted" if conformal.refit else "fixed weights"
    ax1.fill_between(years, conformal.lower, conformal.upper, color="tab:blue", alpha=0.2, lw=0,
                     label=f"{100 * conformal.level:.0f}% pointwise conformal interval ({kind})")
    ax1.plot(years, conformal.gaps, color="black", lw=2, marker="o", ms=3,
             label=f"{conformal.treated} minus its synthetic control")
    ax1.axhline(0, color="black", lw=0.6)
    year_axis(ax1)
    ax1.set_xlabel("Year")
    ax1.set_ylabel("Gap (yuan per person,\n2000 prices)")
    ax1.yaxis.set_major_formatter(_THOUSANDS)
    ax1.set_title("Effect in each programme year", loc="left")
    ax1.legend(frameon=False, ncol=1, loc="upper center", bbox_to_anchor=(0.5, -0.22))

    methods = list(sdid)
    for i, m in enumerate(methods):
        r = sdid[m]
        ax2.errorbar([r.estimate], [i], xerr=[[r.estimate - r.ci[0]], [r.ci[1] - r.estimate]], fmt="o",
                     color="black" if m == "sdid" else "0.45", capsize=4)
    levels = {sdid[m].level for m in methods}
    level = f"{100 * levels.pop():.0f}% " if len(levels) == 1 else ""
    ax2.axvline(0, color="black", lw=0.6)
    ax2.set_yticks(range(len(methods)), [ESTIMATOR_NAMES.get(m, m) for m in methods])
    ax2.set_ylim(len(methods) - 0.4, -0.6)
    ax2.grid(axis="y", visible=False)
    ax2.set_xlabel("Average effect on real GDP per person (log points, 100 × ln)")
    ax2.set_title(f"Average effect with its {level}placebo interval", loc="left")
    return fig
