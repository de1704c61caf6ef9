"""Figure of the data chapter: the east/west ratio of GDP and of GDP per person in the two long
vintages, with the single 2007 value of the first release."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ewp_stats import data
from ewp_stats.reporting.figures.style import new_figure, year_axis

__all__ = ["plot_ratio_vintages"]

#: Colour, line style and legend label of each long vintage.
_STYLES = {
    "gcam_compendium": ("C0", "-", "GCAM compilation (older vintage)"),
    "nbs_2021": ("C1", "--", "NBS 2021 (revised vintage)"),
}


def plot_ratio_vintages(ratio: pd.DataFrame | None = None) -> Figure:
    """East/west ratio of GDP (top) and of GDP per person (bottom) by vintage.

    Parameters
    ----------
    ratio
        The ``east_west_ratio`` dataset (default: ``data.load("east_west_ratio")``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    ratio = data.load("east_west_ratio") if ratio is None else ratio
    wide = ratio["ratio"].unstack("vintage")
    per_capita = ratio["per_capita_ratio"].unstack("vintage")
    fig, axes = new_figure(height=5.4, nrows=2, sharex=True)
    for ax, frame, title in ((axes[0], wide, "GDP, east / west"),
                             (axes[1], per_capita, "GDP per person, east / west")):
        for vintage, (colour, line, label) in _STYLES.items():
            series = frame[vintage].dropna()
            ax.plot(series.index, series.values, color=colour, linestyle=line, label=label)
        ax.set_title(title, loc="left")
        ax.set_ylabel("ratio (times)")
        year_axis(ax)
    axes[0].plot([2007], [wide.loc[2007, "csy2009_first_release"]], "kD", label="2007, first release")
    axes[0].legend(loc="upper left")
    axes[1].set_xlabel("Year")
    return fig
