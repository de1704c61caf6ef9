"""Figures of the eras chapter: each vintage's east/west ratio with its estimated breaks, their
95% intervals and the paper's era trends; the grid's asymptotic against bootstrap p-values."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ewp_stats.engines.breaks import plot_breakpoints
from ewp_stats.paper.eras import MEASURES, PAPER_ERA_STARTS, ErasResult, paper_era_trend

__all__ = ["plot_era_breaks", "make_figures", "plot_grid_pvalues"]


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
    """
    bp = result.fit(vintage, measure=measure, transform=transform)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    plot_breakpoints(bp, ax=ax, level=result.options["level"],
                     ylabel=("log " if transform == "log" else "") + MEASURES[measure] + " (east / west)")
    s = result.series(vintage, measure=measure, transform=transform)
    trend = paper_era_trend(s)
    years = s.index.to_numpy().astype(float)
    starts = [st for st in PAPER_ERA_STARTS if years[0] < st <= years[-1]]
    bounds = [0, *[int((years < st).sum()) for st in starts], len(years)]
    for j, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        ax.plot(years[a:b], trend.to_numpy()[a:b], ":", color="C2", lw=2, label="paper's eras" if j == 0 else None)
    for st in starts:
        ax.axvline(st - 0.5, color="C2", lw=0.8, alpha=0.7)
    ax.set_title(f"{MEASURES[measure]}, vintage {vintage}")
    ax.set_xlabel("year")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
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


def plot_grid_pvalues(tests: pd.DataFrame) -> Figure:
    """Asymptotic and bootstrap p-values of every testable known-date test of the eras grid.

    Parameters
    ----------
    tests
        :attr:`ewp_stats.paper.eras_grid.GridResult.tests`.

    Returns
    -------
    matplotlib.figure.Figure
        One row per test (vintage, measure, model, hypothesis; a test shared by both readings
        once), the classical p-value (open circle) and the sieve-bootstrap p-value (filled), on a
        log scale with the 5% line.
    """
    t = tests.reset_index()
    t = t[t["F"].notna()].drop_duplicates(["vintage", "measure", "model", "hypothesis"])
    labels = [f"{r.vintage}, {r.measure}, {r.model}: {r.hypothesis}" for r in t.itertuples()]
    ypos = np.arange(len(t))[::-1]
    fig, ax = plt.subplots(figsize=(8.5, 0.28 * len(t) + 1.2))
    ax.scatter(t["p_asymptotic"], ypos, facecolors="none", edgecolors="C0", label="asymptotic (classical F)")
    ax.scatter(t["p_bootstrap"], ypos, color="C3", label="sieve bootstrap")
    for y, a, b in zip(ypos, t["p_asymptotic"], t["p_bootstrap"], strict=True):
        ax.plot([a, b], [y, y], color="0.7", lw=0.8, zorder=0)
    ax.axvline(0.05, color="k", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(ypos, labels, fontsize=7)
    ax.set_xlabel("p-value (log scale; dashed: 0.05)")
    ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    fig.tight_layout()
    return fig
