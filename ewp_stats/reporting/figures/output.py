"""Figure output shared by every analysis: deterministic PNG and SVG files.

Matplotlib embeds a creation date and software string in its files and salts SVG ids at
random; :func:`save_figure` removes both so the same figure gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ewp_stats._typing import PathLike

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["save_figure", "figure_path", "DPI"]

#: Resolution of PNG output.
DPI = 150


def figure_path(step: str, name: str, *, folder: PathLike = "figures", suffix: str = ".png") -> Path:
    """Where ``reproduce`` (under ``results/figures``) and ``publish`` write a figure.

    Parameters
    ----------
    step, name
        The step and the figure's name in its :class:`~ewp_stats.reporting.steps.StepOutput`.
    folder
        The figures folder.
    suffix
        ``".png"`` or ``".svg"``.

    Returns
    -------
    Path
        ``folder / "<step>__<name><suffix>"``.
    """
    return Path(folder) / f"{step}__{name}{suffix}"


def save_figure(fig: Figure, path: PathLike, *, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Check ``fig`` against the book's figure style, then save it as ``path`` with each suffix in
    ``formats``, without timestamps.

    Parameters
    ----------
    fig
        The figure.
    path
        Target path; its suffix (if any) is replaced by each format's.
    formats
        File formats to write.

    Returns
    -------
    list of Path
        The files written, in ``formats`` order.

    Raises
    ------
    ewp_stats.reporting.figures.style.FigureStyleError
        The figure is too wide for the book's column, has text under 9 pt, fractional year ticks or
        code identifiers as labels (:func:`~ewp_stats.reporting.figures.style.check_figure`);
        nothing is written.
    """
    import matplotlib as mpl

    from ewp_stats.reporting.figures.style import check_figure

    check_figure(fig, name=Path(path).stem)

    base = Path(path).with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    meta = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}
    with mpl.rc_context({"svg.hashsalt": "ewp_stats", "svg.fonttype": "path"}):
        for fmt in formats:
            out = base.with_suffix(f".{fmt}")
            fig.savefig(out, format=fmt, dpi=DPI, metadata=meta.get(fmt, {}), bbox_inches="tight")
            written.append(out)
    return written
