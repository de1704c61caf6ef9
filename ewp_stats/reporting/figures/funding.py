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

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

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
from ewp_stats.reporting.figures.style import RC, new_figure, year_axis

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
#: Accounting conventions in words (panel titles, legends).
CONVENTION_NAMES = {
    "as_printed": "As printed (the paper's total)",
    "sources": "Each source once, printed government subtotal",
    "sources_levels": "Each source once, government as sum of levels",
    "paid_in": "Each source once, real (paid-in) enterprise investment",
    "paid_in_levels": "Paid-in investment, government as sum of levels",
}
#: Short names of the conventions (legend entries).
CONVENTION_SHORT = {"as_printed": "as printed", "sources": "sources", "sources_levels": "sources, levels",
                    "paid_in": "paid-in", "paid_in_levels": "paid-in, levels"}
#: The paper's four shares in words.
CLAIM_NAMES = {
    "enterprise_share_of_all": "enterprise investment\nof all funds",
    "tax_share_of_government": "taxes relative to\ngovernment funds",
    "donations_share_of_all": "donations\nof all funds",
    "donations_share_of_government": "donations relative to\ngovernment funds",
}
#: Donor groups and GDP vintages in words.
DONOR_NAMES = {"paired": "paired donor provinces", "east": "the paper's eastern group"}
VINTAGE_NAMES = {"gcam_compendium": "GDP from the compendium", "nbs_2021": "GDP as revised by NBS in 2021"}


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


def _source_label(convention: str, source: str) -> str:
    """Display name of a source of ``convention`` (``rounding_residual`` has no printed rows)."""
    if source == "rounding_residual":
        return "rounding gap"
    return _series_label(dict(get_convention(convention).components)[source])


def _legend_below(fig: Figure, handles: list, labels: list[str], *, ncols: int) -> None:
    """A figure legend under the axes, within the figure's width (constrained layout makes room)."""
    fig.legend(handles, labels, frameon=False, loc="outside lower center", ncols=ncols)


def _plain_log_axis(axis) -> None:
    """Label a log axis at the powers of ten in plain numbers (0.1, 1, 10, 100), not as 10^k."""
    axis.set_major_locator(LogLocator(base=10))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.10g}"))
    axis.set_minor_formatter(NullFormatter())


def plot_composition(funding: pd.DataFrame | FundingTable | None = None, *,
                     conventions: tuple[str, ...] = ("as_printed", "sources", "paid_in")) -> Figure:
    """Amount of each source by year, one panel per convention (stacked), on a log scale.

    Enterprise money is about two orders of magnitude larger than the rest, so the y axis is
    logarithmic (million yuan). A series has the same colour in every panel; one legend below the
    panels names them all. The printed-rounding residual of ``as_printed`` is left out because it
    is not positive.
    """
    table = funding_table(funding)
    frames = []
    for name in conventions:
        comp = composition(table, convention=name).frame.reset_index()
        comp = comp[(comp["period"] != TOTAL_PERIOD) & (comp["source"] != "rounding_residual")]
        comp["series"] = [_source_label(name, s) for s in comp["source"]]
        frames.append(comp.assign(convention=name))
    data = pd.concat(frames, ignore_index=True)
    data["year"] = data["period"].astype(int)
    order = [o for o in (
        "government (printed subtotal)", "government (sum of levels)", "provincial level",
        "prefectural level", "county level", "enterprise, contracted",
        "enterprise, real (paid-in)", "tax payments", "social donations") if o in set(data["series"])]
    palette = dict(zip(order, sns.color_palette("tab10", n_colors=len(order)), strict=True))
    with mpl.rc_context(RC):
        fig, axes = new_figure(height=2.1 * len(conventions) + 1.2, nrows=len(conventions), sharex=True,
                               sharey=True, squeeze=False)
        handles: dict[str, object] = {}
        for ax, name in zip(axes[:, 0], conventions, strict=True):
            part = data[data["convention"] == name]
            for series in order:
                line = part[part["series"] == series]
                if not line.empty:
                    (handles[series],) = ax.plot(line["year"], line["amount"], marker="o",
                                                 color=palette[series], label=series)
            ax.set_yscale("log")
            _plain_log_axis(ax.yaxis)
            ax.set_ylabel("million yuan\n(log scale)")
            ax.set_title(CONVENTION_NAMES.get(name, name), loc="left")
            year_axis(ax)
        axes[-1, 0].set_xlabel("Year")
        _legend_below(fig, [handles[s] for s in order], [s for s in order], ncols=2)
    return fig


def plot_government_levels(funding: pd.DataFrame | FundingTable | None = None) -> Figure:
    """Government funds by level (stacked bars) against the printed subtotal (black marks).

    A gap between the top of a bar and the mark is a year in which the printed subtotal is not
    the sum of its levels (2003: -2.6; 2006: +231.1 million yuan).
    """
    gl = government_levels(funding_table(funding))
    wide = gl.frame["amount"].unstack("level").loc[_YEARS, list(LEVELS)]
    years = [int(y) for y in wide.index]
    colors = sns.color_palette("crest", n_colors=3)
    with mpl.rc_context(RC):
        fig, ax = new_figure(height=3.6)
        bottom = pd.Series(0.0, index=wide.index)
        for level, color in zip(LEVELS, colors, strict=True):
            ax.bar(years, wide[level], bottom=bottom, color=color, label=f"{_LEVEL_NAMES[level]} level")
            bottom = bottom + wide[level]
        sub = gl.gaps.loc[_YEARS, "subtotal"]
        ax.scatter(years, sub.to_numpy(), marker="_", s=900, color="black", linewidths=2.5,
                   label="printed subtotal", zorder=3)
        ax.set_xlabel("Year")
        ax.set_ylabel("Government funds (million yuan)")
        year_axis(ax)
        handles, labels = ax.get_legend_handles_labels()
        # the subtotal's wide bar marker would overrun the legend sample: a plain black line instead
        handles[labels.index("printed subtotal")] = Line2D([], [], color="black", linewidth=2.5)
        fig.legend(handles, labels, frameon=False, loc="outside lower center", ncols=2,
                   handlelength=2.0, handletextpad=0.6, borderaxespad=0.5, columnspacing=1.5)
    return fig


def _stacked(ax, pp: pd.DataFrame, colors: dict[str, object], labels: dict[str, str]) -> None:
    pos_base = pd.Series(0.0, index=pp.index)
    neg_base = pd.Series(0.0, index=pp.index)
    for source in pp.columns:
        v = pp[source]
        base = pos_base.where(v >= 0, neg_base)
        ax.bar(pp.index, v, bottom=base, color=colors[source], label=labels[source])
        pos_base = pos_base + v.clip(lower=0)
        neg_base = neg_base + v.clip(upper=0)
    ax.axhline(0, color="grey", linewidth=0.8)


def plot_contributions(funding: pd.DataFrame | FundingTable | None = None, *,
                       convention: str = DEFAULT_CONVENTION) -> Figure:
    """Contributions of each source to the year-on-year growth of total funds (two stacked panels).

    Bars are in percentage points of the previous year's total and add up to the total growth
    rate (black dots, upper panel). The lower panel zooms in on the sources other than
    enterprise investment, which the upper panel cannot show at its scale. The figure's title
    names the convention in words.
    """
    c = contributions(funding_table(funding), convention=convention)
    pp = c.frame["contribution_pp"].unstack("source")
    sources = [s for s in dict.fromkeys(c.frame.index.get_level_values("source"))
               if s != "rounding_residual"]
    pp = pp[sources]
    colors = dict(zip(sources, sns.color_palette("tab10", n_colors=len(sources)), strict=True))
    labels = {s: _source_label(c.convention, s) for s in sources}
    items = dict(get_convention(c.convention).components)
    small = [s for s in sources if not set(items[s]) <= _ENTERPRISE_ITEMS]
    with mpl.rc_context(RC):
        fig, (top, bottom) = new_figure(height=5.6, nrows=2, sharex=True)
        _stacked(top, pp, colors, labels)
        top.scatter(c.totals.index, c.totals["growth_pct"], color="black", zorder=3,
                    label="growth of total funds")
        top.set_ylabel("percentage points")
        top.set_title("All sources", loc="left")
        _stacked(bottom, pp[small], colors, labels)
        bottom.set_ylabel("percentage points")
        bottom.set_title("Without enterprise money (zoom)", loc="left")
        bottom.set_xlabel("Year-on-year step")
        fig.suptitle(f"Convention: {CONVENTION_NAMES.get(c.convention, c.convention).lower()}")
        handles, names = top.get_legend_handles_labels()
        _legend_below(fig, handles, names, ncols=2)
    return fig


def plot_intensity_scale(funding: pd.DataFrame | FundingTable | None = None, *,
                         convention: str = DEFAULT_CONVENTION, series: str = "government") -> Figure:
    """Aid per donor GDP by year (upper panel) and its change split into intensity and scale (lower).

    The lower panel shows the LMDI-I effects of
    :func:`~ewp_stats.paper.funding_decomposition.intensity_scale` for the four year-on-year
    steps and for 2003-2007 (million yuan); black dots mark the change in aid, which the two
    bars add up to. The 2003-2007 step is computed directly from the end years and set apart by
    a dashed line: LMDI-I is not chain-consistent, so it is not the sum of the yearly bars.
    """
    r = intensity_scale(funding_table(funding), convention=convention)
    levels = r.levels.xs(series, level="series")
    frame = r.frame.xs(series, level="series")
    colors = dict(zip(("intensity_effect", "scale_effect"), sns.color_palette("tab10", 2), strict=True))
    names = {"intensity_effect": "intensity effect", "scale_effect": "scale effect"}
    with mpl.rc_context(RC):
        fig, (top, bottom) = new_figure(height=6.0, nrows=2)
        top.plot([int(y) for y in levels.index], levels["intensity"], marker="o", color="black")
        year_axis(top)
        top.set_xlabel("Year")
        top.set_ylabel("yuan per 10,000 yuan\nof donor GDP")
        top.set_title(f"{series.capitalize()} aid per unit of donor GDP", loc="left")
        _stacked(bottom, frame[["intensity_effect", "scale_effect"]], colors, names)
        bottom.scatter(frame.index, frame["change"], color="black", zorder=3, label="change in aid")
        bottom.axvline(len(frame) - 1.5, color="grey", linestyle="--", linewidth=0.8)
        bottom.set_xticks(range(len(frame)), [*frame.index[:-1], f"{frame.index[-1]}\n(direct)"])
        bottom.set_ylabel("million yuan")
        bottom.set_xlabel("Step")
        bottom.set_title("Change in aid: intensity and scale effects (LMDI-I)", loc="left")
        fig.suptitle(f"{CONVENTION_NAMES.get(r.convention, r.convention)};\n"
                     f"{DONOR_NAMES.get(r.donors, r.donors)}, {VINTAGE_NAMES.get(r.vintage, r.vintage)}",
                     fontsize=RC["font.size"])
        handles, labels = bottom.get_legend_handles_labels()
        _legend_below(fig, handles, labels, ncols=3)
    return fig


def plot_paper_shares(funding: pd.DataFrame | FundingTable | None = None) -> Figure:
    """The paper's four shares (percent, log scale) under each convention, with the printed value."""
    result = paper_shares(funding_table(funding))
    ps = result.frame.reset_index()
    claims = list(dict.fromkeys(ps["claim"]))
    ps["share"] = ps["claim"].map(lambda c: CLAIM_NAMES.get(c, c))
    ps["convention"] = ps["convention"].map(lambda c: CONVENTION_SHORT.get(c, c))
    with mpl.rc_context(RC):
        fig, ax = new_figure(height=4.4)
        sns.stripplot(data=ps, y="share", x="percent", hue="convention", ax=ax, size=7, jitter=0.0,
                      dodge=True, legend=True)
        printed = result.printed.loc[claims, "value"].reset_index(drop=True)
        ax.vlines(printed.to_numpy(), printed.index - 0.45, printed.index + 0.45, color="black",
                  linewidth=2, label="printed in the paper", zorder=3)
        ax.set_xscale("log")
        _plain_log_axis(ax.xaxis)
        ax.set_xlabel("Share (percent, log scale)")
        ax.set_ylabel("")
        handles, labels = ax.get_legend_handles_labels()
        ax.get_legend().remove()
        _legend_below(fig, handles, labels, ncols=3)
    return fig
