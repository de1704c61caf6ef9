"""One figure style for the book: sizes designed for the page they are shown on, readable text.

The book's content column shows an image at most about 672 CSS px wide (sphinx-book-theme at a
1280 px window). A PNG written at :data:`~ewp_stats.reporting.figures.output.DPI` = 150 and
:data:`WIDTH` inches wide is about 900 px, so it is shown at about 75% of its natural size and a
:data:`MIN_FONT_PT` font appears at about 9 pt on the page. :func:`new_figure` makes figures of
that width with the book's fonts; :func:`check_figure` (called by
:func:`~ewp_stats.reporting.figures.output.save_figure` for every published figure) refuses a
figure that is too wide, has text below :data:`MIN_FONT_PT`, fractional year ticks or a code
identifier (``p_bootstrap``, ``nbs_2021``) as a label.

Usage::

    fig, ax = new_figure(height=3.4)
    ax.plot(years, values)
    year_axis(ax)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ewp_stats.errors import EwpStatsError

__all__ = ["WIDTH", "MAX_WIDTH", "MIN_FONT_PT", "RC", "new_figure", "year_axis", "check_figure",
           "FigureStyleError"]

#: Width of a full-column figure, inches.
WIDTH = 6.0
#: Widest accepted figure, inches (before ``bbox_inches="tight"`` trims or grows it).
MAX_WIDTH = 6.4
#: Smallest font accepted anywhere in a figure, points at the figure's own size.
MIN_FONT_PT = 9.0
#: The book's matplotlib settings, in force while :func:`new_figure` makes the figure and its axes
#: (tick labels, axis labels, spines, grid). Artists added later (titles, legends, lines) follow
#: the caller's settings; :func:`check_figure` still holds every text to :data:`MIN_FONT_PT`.
RC: dict[str, Any] = {
    "font.size": 10.0,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.title_fontsize": 9.0,
    "figure.titlesize": 11.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.6,
}

#: A label that reads like a Python name (two or more lower-case words joined by ``_``).
_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
#: Mathtext spans (``$\hat\beta_1$``), where ``_`` is a subscript, not part of a name.
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")
#: A tick label that is a year with a fraction, such as ``2002.5``.
_FRACTIONAL_YEAR = re.compile(r"^(19|20)\d\d\.\d+$")


class FigureStyleError(EwpStatsError, ValueError):
    """A figure breaks the book's figure style (size, font, ticks or labels)."""


def new_figure(
    *, height: float = 3.6, nrows: int = 1, ncols: int = 1, width: float = WIDTH, **subplots: Any
) -> tuple[Figure, Any]:
    """A figure in the book's style and its axes (not attached to pyplot, so nothing leaks).

    Parameters
    ----------
    height
        Height in inches.
    nrows, ncols
        Grid of axes, as for :meth:`matplotlib.figure.Figure.subplots`.
    width
        Width in inches, at most :data:`MAX_WIDTH`.
    **subplots
        Passed on to :meth:`~matplotlib.figure.Figure.subplots` (``sharex``, ``gridspec_kw``, ...).

    Returns
    -------
    tuple
        ``(figure, axes)``, ``axes`` as returned by ``Figure.subplots``.

    Raises
    ------
    FigureStyleError
        ``width`` is above :data:`MAX_WIDTH`.
    """
    import matplotlib as mpl

    if width > MAX_WIDTH:
        raise FigureStyleError(f"figure width {width} in is above the book's maximum of {MAX_WIDTH} in")
    with mpl.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, **subplots)
    return fig, axes


def year_axis(ax: Axes, *, axis: str = "x", max_ticks: int = 8) -> None:
    """Year ticks on ``ax``: whole years only, printed without a decimal point.

    Parameters
    ----------
    ax
        The axes.
    axis
        ``"x"`` or ``"y"``.
    max_ticks
        At most this many ticks.
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=max_ticks, integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))


def _visible_texts(fig: Figure) -> Iterator[Text]:
    """Every visible, non-empty text of ``fig`` (titles, labels, tick labels, legends, annotations)."""
    for text in fig.findobj(Text):
        axes = text.axes
        if text.get_visible() and text.get_text().strip() and (axes is None or axes.get_visible()):
            yield text


def check_figure(fig: Figure, *, name: str = "figure") -> None:
    """Raise unless ``fig`` keeps the book's figure style.

    Parameters
    ----------
    fig
        The figure, fully drawn (labels and ticks final).
    name
        Its name in error messages.

    Raises
    ------
    FigureStyleError
        The figure is wider than :data:`MAX_WIDTH`; a visible text is smaller than
        :data:`MIN_FONT_PT`; a tick label is a fractional year; a label is a code identifier.
        The message lists every problem.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()  # ticks and their labels exist only once drawn
    problems = []
    width = float(fig.get_size_inches()[0])
    # save_figure writes with bbox_inches="tight": a legend outside the axes widens the saved image
    saved = fig.get_tightbbox(fig.canvas.get_renderer()).width
    for what, inches in (("width", width), ("saved width", saved)):
        if inches > MAX_WIDTH + 1e-9:
            problems.append(f"{what} {inches:.2f} in > {MAX_WIDTH} in (shown below 70% of its size in the book)")
    for text in _visible_texts(fig):
        label = text.get_text()
        if text.get_fontsize() < MIN_FONT_PT - 1e-9:
            problems.append(f"text {label[:40]!r} at {text.get_fontsize():.1f} pt < {MIN_FONT_PT} pt")
        if _FRACTIONAL_YEAR.match(label.replace("\u2212", "-").strip()):
            problems.append(f"fractional year tick {label!r}")
        if _IDENTIFIER.search(_MATH.sub(" ", label)):
            problems.append(f"code identifier as label: {label[:60]!r}")
    if problems:
        raise FigureStyleError(f"{name}: " + "; ".join(dict.fromkeys(problems)))

