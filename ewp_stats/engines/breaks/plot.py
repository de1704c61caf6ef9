"""Plot a series with its fitted regimes, break dates and their intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ewp_stats.engines.breaks.results import BreakpointsResult

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_breakpoints"]


def plot_breakpoints(
    result: BreakpointsResult,
    *,
    m: int | None = None,
    level: float = 0.95,
    ax: "Axes | None" = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> "Figure":
    """Series, fitted segmented regression, break dates and shaded intervals.

    Parameters
    ----------
    result
        Output of :func:`ewp_stats.engines.breaks.breakpoints`.
    m
        Number of breaks to show (default: the selected number).
    level
        Confidence level of the shaded Bai (1997) intervals.
    ax
        Axes to draw on; a new figure is made if ``None``.
    title, ylabel
        Optional labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
    else:
        fig = ax.figure
    m = result.selected if m is None else m
    x = np.asarray(result.dates)
    ax.plot(x, result.y, "o", ms=3.5, color="0.35", label=result.response, zorder=3)
    fit = result.fitted(m)
    bounds = [0, *result.break_positions(m), result.nobs]
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        ax.plot(x[a:b], fit[a:b], "-", color="C0", lw=2, label="fitted regimes" if i == 0 else None)
    if m > 0:
        ci = result.confint(m, level=level)
        step = float(x[1] - x[0]) if len(x) > 1 else 1.0
        for j, bd in enumerate(ci.break_dates):
            lo, up = ci.lower_dates[j], ci.upper_dates[j]
            # the break lies between the break date and the next observation
            mid = bd + step / 2
            ax.axvline(mid, color="C3", ls="--", lw=1.2, label="estimated break" if j == 0 else None)
            if np.isfinite(lo) and np.isfinite(up):
                ax.axvspan(lo + step / 2, up + step / 2, color="C3", alpha=0.15,
                           label=f"{100 * level:g}% interval" if j == 0 else None)
    ax.set_xlabel("date")
    ax.set_ylabel(ylabel or result.response)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
