"""Figures of the eras chapter, in the book's style (:mod:`ewp_stats.reporting.figures.style`).

Each vintage's east/west ratio with its estimated breaks, their intervals and the paper's era
trends; the grid's classical against bootstrap p-values; the CUSUM processes with their 5%
boundaries.  Labels are words (vintages and measures by :data:`VINTAGE_LABELS` and
:data:`MEASURE_LABELS`), never code names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ewp_stats.engines.breaks import plot_breakpoints
from ewp_stats.paper.eras import MEASURES, PAPER_ERA_STARTS, ErasResult, paper_era_trend
from ewp_stats.reporting.figures.style import new_figure, year_axis

__all__ = ["VINTAGE_LABELS", "MEASURE_LABELS", "plot_era_breaks", "make_figures", "plot_grid_pvalues",
           "plot_cusum"]

#: Vintages in words.
VINTAGE_LABELS = {"gcam_compendium": "Compendium", "nbs_2021": "NBS 2021",
                  "csy2009_first_release": "First release (2009 yearbook)"}
#: Measures in words, short (figure labels).
MEASURE_LABELS = {"ratio": "GDP ratio", "per_capita_ratio": "per-capita ratio", "real_ratio": "real ratio"}


def plot_era_breaks(result: ErasResult, vintage: str, *, measure: str = "ratio", transform: str = "level") -> Figure:
    """The series of one vintage, its Bai-Perron fit with break intervals, and the paper's eras.

    Parameters
    ----------
    result
        :func:`ewp_stats.paper.eras.eras_analysis`.
    vintage, measure, transform
        Which series (a key of ``result``'s fits).

    Returns
    -------
    matplotlib.figure.Figure
        6 in wide; the engine's :func:`~ewp_stats.engines.breaks.plot_breakpoints` draws on the
        styled axes, then the labels are put into words and the legend redrawn at the book's size.
    """
    bp = result.fit(vintage, measure=measure, transform=transform)
    fig, ax = new_figure(height=3.8)
    fig.set_layout_engine("none")  # plot_breakpoints calls tight_layout; the book's layout is restored below
    plot_breakpoints(bp, ax=ax, level=result.options["level"],
                     ylabel=("log " if transform == "log" else "") + MEASURES[measure] + " (east / west)")
    fig.set_layout_engine("constrained")
    ax.lines[0].set_label("data")
    s = result.series(vintage, measure=measure, transform=transform)
    trend = paper_era_trend(s)
    years = s.index.to_numpy().astype(float)
    starts = [st for st in PAPER_ERA_STARTS if years[0] < st <= years[-1]]
    bounds = [0, *[int((years < st).sum()) for st in starts], len(years)]
    for j, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        ax.plot(years[a:b], trend.to_numpy()[a:b], ":", color="C2", lw=2, label="paper's eras" if j == 0 else None)
    for st in starts:
        ax.axvline(st - 0.5, color="C2", lw=0.8, alpha=0.7)
    ax.set_xlabel("Year")
    year_axis(ax)
    ax.legend(frameon=False, fontsize=9, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    return fig


def make_figures(result: ErasResult, *, measure: str = "ratio", transform: str = "level") -> dict[str, Figure]:
    """:func:`plot_era_breaks` for every vintage with a fit.

    The figures are not saved here: ``reproduce`` and ``publish`` save every step's figures
    under one name scheme (:func:`~ewp_stats.reporting.figures.output.figure_path`).

    Returns
    -------
    dict
        ``{vintage: Figure}``.
    """
    return {vintage: plot_era_breaks(result, vintage, measure=measure, transform=transform)
            for vintage in result.vintages(measure=measure, transform=transform)}


def _short_hypothesis(text: str) -> str:
    """``"kink at 2011 (1998 is before the sample)"`` -> ``"kink at 2011"``."""
    return text.split(" (")[0]


def plot_grid_pvalues(tests: pd.DataFrame) -> Figure:
    """Asymptotic and bootstrap p-values of every testable known-date test of the eras grid.

    Parameters
    ----------
    tests
        :attr:`ewp_stats.paper.eras_grid.GridResult.tests`.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per vintage (stacked), one row per test (measure and hypothesis; a test shared
        by both readings once), the classical p-value (open circle) and the conservative
        sieve-bootstrap p-value (filled), on a log scale with the 5% line.
    """
    t = tests.reset_index()
    t = t[t["F"].notna()].drop_duplicates(["vintage", "measure", "model", "hypothesis"])
    vintages = list(dict.fromkeys(t["vintage"]))
    sizes = [int((t["vintage"] == v).sum()) for v in vintages]
    fig, axes = new_figure(height=0.24 * sum(sizes) + 1.6, nrows=len(vintages), sharex=True,
                           gridspec_kw={"height_ratios": sizes})
    axes = np.atleast_1d(axes)
    for ax, vintage in zip(axes, vintages, strict=True):
        part = t[t["vintage"] == vintage]
        labels = [f"{MEASURE_LABELS[r.measure]}: {_short_hypothesis(r.hypothesis)}" for r in part.itertuples()]
        ypos = np.arange(len(part))[::-1]
        # the open circle is larger and drawn on top, so it stays visible where the two coincide
        ax.scatter(part["p_asymptotic"], ypos, s=64, facecolors="none", edgecolors="C0", linewidths=1.2,
                   zorder=3, label="classical F (asymptotic)")
        ax.scatter(part["p_bootstrap"], ypos, s=20, color="C3", zorder=2, label="sieve bootstrap (conservative)")
        for y, a, b in zip(ypos, part["p_asymptotic"], part["p_bootstrap"], strict=True):
            ax.plot([a, b], [y, y], color="0.7", lw=0.8, zorder=0)
        ax.axvline(0.05, color="k", lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.set_yticks(ypos, labels)
        ax.set_ylim(-0.7, len(part) - 0.3)
        ax.set_title(VINTAGE_LABELS[vintage], loc="left")
        ax.grid(axis="y", visible=False)
    axes[-1].set_xlabel("p-value (log scale; dashed line at 0.05)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, loc="outside upper center", ncol=2)
    return fig


def plot_cusum(processes: pd.DataFrame) -> Figure:
    """The CUSUM processes of each vintage with their asymptotic 5% boundaries.

    Parameters
    ----------
    processes
        :attr:`ewp_stats.paper.eras_cusum.CusumResult.processes`.

    Returns
    -------
    matplotlib.figure.Figure
        Two stacked panels (OLS-CUSUM, recursive CUSUM), one line per vintage, its boundary dashed
        in the same colour (the recursive boundary widens linearly; both boundaries assume
        independent errors).
    """
    kinds = {"OLS-CUSUM": "OLS-CUSUM (cumulated residuals of one trend)",
             "Rec-CUSUM": "Recursive CUSUM (cumulated forecast errors)"}
    fig, axes = new_figure(height=5.4, nrows=2, sharex=True)
    for ax, (kind, title) in zip(axes, kinds.items(), strict=True):
        part = processes[processes["kind"] == kind]
        for j, (vintage, g) in enumerate(part.groupby("vintage", sort=False)):
            colour = f"C{j}"
            ax.plot(g["year"], g["process"], color=colour, label=VINTAGE_LABELS[vintage])
            ax.plot(g["year"], g["boundary"], color=colour, ls="--", lw=1.0,
                    label=f"{VINTAGE_LABELS[vintage]}: 5% boundary")
            ax.plot(g["year"], -g["boundary"], color=colour, ls="--", lw=1.0)
        ax.axhline(0, color="0.5", lw=0.6)
        ax.set_title(title, loc="left")
        ax.set_ylabel("Standardised sum")
    axes[0].legend(frameon=False, ncol=2, loc="lower left", bbox_to_anchor=(0.0, 1.12))
    axes[-1].set_xlabel("Year")
    year_axis(axes[-1])
    return fig
