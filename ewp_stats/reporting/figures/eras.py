"""Figures of the eras chapter: each vintage's east/west ratio with its estimated breaks, their
95% intervals and the paper's era trends."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ewp_stats.engines.breaks import plot_breakpoints
from ewp_stats.paper.eras import MEASURES, PAPER_ERA_STARTS, ErasResult, paper_era_trend

__all__ = ["plot_era_breaks", "make_figures"]


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
