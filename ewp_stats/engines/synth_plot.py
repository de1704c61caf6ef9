"""Plots of synthetic-control results: the treated path against its synthetic control, and
the gaps of the treated unit and of its in-space placebos (Abadie, Diamond and Hainmueller 2010,
figures 2 and 4)."""

from __future__ import annotations

from ewp_stats.engines.synth import PlaceboResult, SynthResult

__all__ = ["plot_synth_path", "plot_synth_gaps"]


def _finish_axes(ax, treatment_year: int, ylabel: str, title: str) -> None:
    """Common styling: a dotted line before the first treated year, integer years, labels, legend."""
    from matplotlib.ticker import MaxNLocator

    ax.axvline(treatment_year - 0.5, color="grey", ls=":", lw=1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)


def plot_synth_path(result: SynthResult, *, ylabel: str | None = None, title: str | None = None):
    """Treated unit vs its synthetic control over time.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    df = result.to_frame()
    ax.plot(df.index, df["treated"], color="black", lw=2, label=result.treated)
    ax.plot(df.index, df["synthetic"], color="tab:blue", lw=2, ls="--", label=f"synthetic {result.treated}")
    _finish_axes(ax, result.treatment_year, ylabel or result.outcome,
                 title or f"{result.treated} and its synthetic control")
    fig.tight_layout()
    return fig


def plot_synth_gaps(
    placebo: PlaceboResult, *, max_pre_rmspe_multiple: float | None = None, ylabel: str | None = None,
    title: str | None = None,
):
    """Gap of the treated unit (black) and of every placebo (grey).

    Parameters
    ----------
    placebo
        Result of :func:`~ewp_stats.engines.synth.placebo_in_space`.
    max_pre_rmspe_multiple
        If given, hide placebos whose pre-period RMSPE exceeds this multiple of
        the treated unit's (ADH 2010 drop placebos that are poorly fitted).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    gaps = placebo.gaps_frame()
    shown = placebo.well_fitted(max_pre_rmspe_multiple) if max_pre_rmspe_multiple is not None else \
        tuple(u for u in placebo.units if u != placebo.treated)
    for u in shown:
        ax.plot(gaps.index, gaps[u], color="0.7", lw=1)
    ax.plot(gaps.index, gaps[placebo.treated], color="black", lw=2.2, label=placebo.treated)
    ax.plot([], [], color="0.7", lw=1, label=f"placebos ({len(shown)})")
    ax.axhline(0, color="black", lw=0.6)
    _finish_axes(ax, placebo.treatment_year, ylabel or "gap (treated - synthetic)",
                 title or f"Gap for {placebo.treated} and in-space placebos")
    fig.tight_layout()
    return fig
