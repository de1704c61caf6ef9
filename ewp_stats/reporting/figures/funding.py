"""Figures for the funding analysis (seaborn), one function each.

Each function takes the funding data first (the tidy ``funding`` frame or a
:class:`~ewp_stats.paper.funding_table.FundingTable`; default the shipped dataset), its options
by keyword, and returns a :class:`matplotlib.figure.Figure`. Saving is the job of
:mod:`ewp_stats.reporting.reproduce` (:func:`ewp_stats.reporting.figures.output.save_figure`,
byte-identical files for identical input). Series are named from the printed rows that each
component of a :class:`~ewp_stats.paper.funding_table.Convention` adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ewp_stats.paper.funding import (
    CONVENTIONS,
    DEFAULT_CONVENTION,
    LEVELS,
    TOTAL_PERIOD,
    YEARS,
    FundingTable,
    composition,
    funding_table,
    get_convention,
    government_levels,
    paper_shares,
)
from ewp_stats.paper.funding_decomposition import INTENSITY_UNIT, contributions, intensity_scale

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "plot_composition",
    "plot_government_levels",
    "plot_contributions",
    "plot_intensity_scale",
    "plot_paper_shares",
]

_YEARS = [str(y) for y in YEARS]
_LEVEL_NAMES = {"provincial_level": "provincial", "prefectural_level": "prefectural",
                "county_level": "county"}


#: Display names of the printed rows, shared by all panels, so that a series has the same name
#: (and colour) in every convention.
_ITEM_LABELS = {
    "government_funds": "government (printed subtotal)", "provincial_level": "provincial level",
    "prefectural_level": "prefectural level", "county_level": "county level",
    "enterprise_investments": "enterprise, contracted",
    "real_investments": "enterprise, real (paid-in)", "tax_payments": "tax payments",
    "social_donations": "social donations",
}
#: Display names of components that add several printed rows.
_SUM_LABELS = {tuple(LEVELS): "government (sum of levels)"}
#: Enterprise money in any convention (the rows a convention counts as enterprise investment).
_ENTERPRISE_ITEMS = frozenset(i for c in CONVENTIONS.values() for i in c.enterprise)


def _series_label(items: tuple[str, ...]) -> str:
    """Display name of a component of total funds, from the printed rows it adds."""
    if len(items) == 1:
        return _ITEM_LABELS[items[0]]
    return _SUM_LABELS.get(tuple(items), " + ".join(_ITEM_LABELS[i] for i in items))


def plot_composition(funding: pd.DataFrame | FundingTable | None = None, *,
                     conventions: tuple[str, ...] = ("as_printed", "sources", "paid_in")) -> Figure:
    """Amount of each source by year, one panel per convention, on a log scale.

    Enterprise money is about two orders of magnitude larger than the rest, so the y axis is
    logarithmic (million yuan). A series has the same colour in every panel. The
    printed-rounding residual of ``as_printed`` is left out because it is not positive.
    """
    table = funding_table(funding)
    frames = []
    for name in conventions:
        comp = composition(table, convention=name).frame.reset_index()
        comp = comp[(comp["period"] != TOTAL_PERIOD) & (comp["source"] != "rounding_residual")]
        items = dict(get_convention(name).components)
        comp["series"] = [_series_label(items[s]) for s in comp["source"]]
        frames.append(comp.assign(convention=name))
    data = pd.concat(frames, ignore_index=True)
    data["year"] = data["period"].astype(int)
    order = list(dict.fromkeys([
        "government (printed subtotal)", "government (sum of levels)", "provincial level",
        "prefectural level", "county level", "enterprise, contracted",
        "enterprise, real (paid-in)", "tax payments", "social donations"]))
    order = [o for o in order if o in set(data["series"])]
    palette = dict(zip(order, sns.color_palette("tab10", n_colors=len(order)), strict=True))
    with sns.axes_style("whitegrid"):
        grid = sns.relplot(data=data, x="year", y="amount", hue="series", hue_order=order,
                           palette=palette, col="convention", kind="line", marker="o",
                           height=3.4, aspect=0.9, facet_kws={"sharey": True})
    grid.set(yscale="log", xticks=list(YEARS))
    grid.set_axis_labels("year", "million yuan (log scale)")
    grid.set_titles("{col_name}")
    return grid.figure


def plot_government_levels(funding: pd.DataFrame | FundingTable | None = None) -> Figure:
    """Government funds by level (stacked bars) against the printed subtotal (black marks).

    A gap between the top of a bar and the mark is a year in which the printed subtotal is not
    the sum of its levels (2003: -2.6; 2006: +231.1 million yuan).
    """
    gl = government_levels(funding_table(funding))
    wide = gl.frame["amount"].unstack("level").loc[_YEARS, list(LEVELS)]
    colors = sns.color_palette("crest", n_colors=3)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    bottom = pd.Series(0.0, index=wide.index)
    for level, color in zip(LEVELS, colors, strict=True):
        ax.bar(wide.index, wide[level], bottom=bottom, color=color, label=_LEVEL_NAMES[level])
        bottom = bottom + wide[level]
    sub = gl.gaps.loc[_YEARS, "subtotal"]
    ax.scatter(sub.index, sub.to_numpy(), marker="_", s=900, color="black", linewidths=2.5,
               label="printed subtotal", zorder=3)
    ax.set_xlabel("year")
    ax.set_ylabel("million yuan")
    ax.legend(frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    sns.despine(fig=fig)
    return fig


def _stacked(ax, pp: pd.DataFrame, colors: dict[str, object]) -> None:
    pos_base = pd.Series(0.0, index=pp.index)
    neg_base = pd.Series(0.0, index=pp.index)
    for source in pp.columns:
        v = pp[source]
        base = pos_base.where(v >= 0, neg_base)
        ax.bar(pp.index, v, bottom=base, color=colors[source], label=source)
        pos_base = pos_base + v.clip(lower=0)
        neg_base = neg_base + v.clip(upper=0)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("year-on-year step")


def plot_contributions(funding: pd.DataFrame | FundingTable | None = None, *,
                       convention: str = DEFAULT_CONVENTION) -> Figure:
    """Contributions of each source to the year-on-year growth of total funds.

    Bars are in percentage points of the previous year's total and add up to the total growth
    rate (black dots, left panel). The right panel zooms in on the sources other than
    enterprise investment, which the left panel cannot show at its scale.
    """
    c = contributions(funding_table(funding), convention=convention)
    pp = c.frame["contribution_pp"].unstack("source")
    sources = [s for s in dict.fromkeys(c.frame.index.get_level_values("source"))
               if s != "rounding_residual"]
    pp = pp[sources]
    colors = dict(zip(sources, sns.color_palette("tab10", n_colors=len(sources)), strict=True))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    _stacked(left, pp, colors)
    left.scatter(c.totals.index, c.totals["growth_pct"], color="black", zorder=3,
                 label="total growth")
    left.set_ylabel("percentage points")
    left.set_title("all sources")
    items = dict(get_convention(c.convention).components)
    small = [s for s in sources if not set(items[s]) <= _ENTERPRISE_ITEMS]
    _stacked(right, pp[small], colors)
    right.set_title("without enterprise money (zoom)")
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, fontsize="small", loc="upper center",
               bbox_to_anchor=(0.5, 0.0), ncols=min(5, len(labels)))
    fig.suptitle(f"convention: {c.convention}")
    sns.despine(fig=fig)
    return fig


def plot_intensity_scale(funding: pd.DataFrame | FundingTable | None = None, *,
                         convention: str = DEFAULT_CONVENTION, series: str = "government") -> Figure:
    """Aid per donor GDP by year (left) and its change split into intensity and scale (right).

    The right panel shows the LMDI-I effects of
    :func:`~ewp_stats.paper.funding_decomposition.intensity_scale` for the four year-on-year
    steps and for 2003-2007 (million yuan); black dots mark the change in aid, which the two
    bars add up to. The 2003-2007 step is computed directly from the end years and set apart by
    a dashed line: LMDI-I is not chain-consistent, so it is not the sum of the yearly bars.
    """
    r = intensity_scale(funding_table(funding), convention=convention)
    levels = r.levels.xs(series, level="series")
    frame = r.frame.xs(series, level="series")
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(levels.index, levels["intensity"], marker="o", color="black")
    left.set_xticks(list(levels.index))
    left.set_ylabel(INTENSITY_UNIT.replace(" of ", "\nof "))
    left.set_title(f"{series} aid per donor GDP")
    colors = dict(zip(("intensity_effect", "scale_effect"), sns.color_palette("tab10", 2),
                      strict=True))
    effects = frame[["intensity_effect", "scale_effect"]].rename(
        columns={"intensity_effect": "intensity effect", "scale_effect": "scale effect"})
    _stacked(right, effects, {"intensity effect": colors["intensity_effect"],
                              "scale effect": colors["scale_effect"]})
    right.scatter(frame.index, frame["change"], color="black", zorder=3, label="change in aid")
    right.axvline(len(frame) - 1.5, color="grey", linestyle="--", linewidth=0.8)
    right.set_xticks(range(len(frame)), [*frame.index[:-1], f"{frame.index[-1]}\n(direct)"])
    right.set_ylabel("million yuan")
    right.set_title("LMDI-I: intensity and scale effects")
    right.set_xlabel("step")
    right.tick_params(axis="x", labelsize="small")
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, fontsize="small", loc="upper center",
               bbox_to_anchor=(0.5, 0.0), ncols=3)
    fig.suptitle(f"convention: {r.convention}, donors: {r.donors}, GDP vintage: {r.vintage}", y=1.03)
    sns.despine(fig=fig)
    return fig


def plot_paper_shares(funding: pd.DataFrame | FundingTable | None = None) -> Figure:
    """The paper's four shares (percent, log scale) under each convention, with the printed value."""
    result = paper_shares(funding_table(funding))
    ps = result.frame.reset_index()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    sns.stripplot(data=ps, y="claim", x="percent", hue="convention", ax=ax, size=7, jitter=0.0,
                  dodge=True)
    printed = result.printed.loc[list(dict.fromkeys(ps["claim"])), "value"].reset_index(drop=True)
    ax.vlines(printed.to_numpy(), printed.index - 0.45, printed.index + 0.45, color="black",
              linewidth=2, label="printed", zorder=3)
    ax.set_xscale("log")
    ax.set_xlabel("percent (log scale)")
    ax.set_ylabel("")
    ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    sns.despine(fig=fig)
    return fig
