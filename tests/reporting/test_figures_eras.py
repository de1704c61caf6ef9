"""The eras chapter's figures (ewp_stats.reporting.figures.eras) keep the book's figure style."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ewp_stats.paper.eras_cusum import eras_cusum
from ewp_stats.reporting.figures.eras import plot_cusum
from ewp_stats.reporting.figures.output import save_figure
from ewp_stats.reporting.figures.style import MAX_WIDTH, check_figure
from ewp_stats.reporting.steps import eras_step


@pytest.fixture(scope="module")
def figures():
    figs = eras_step().figures
    yield figs
    for fig in figs.values():
        plt.close(fig)


def test_the_step_has_the_chapters_figures(figures) -> None:
    assert set(figures) == {"ratio_gcam_compendium", "ratio_nbs_2021", "grid_pvalues", "cusum"}


@pytest.mark.parametrize("name", ["ratio_gcam_compendium", "ratio_nbs_2021", "grid_pvalues", "cusum"])
def test_every_figure_passes_the_style_check(figures, name: str) -> None:
    fig = figures[name]
    check_figure(fig, name=name)
    assert fig.get_size_inches()[0] <= MAX_WIDTH
    texts = [t.get_text() for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)]
    assert not any("gcam" in t or "nbs_" in t for t in texts)


def test_the_cusum_figure_is_deterministic(tmp_path: Path) -> None:
    processes = eras_cusum(B=19).processes
    for name in ("a", "b"):
        fig = plot_cusum(processes)
        save_figure(fig, tmp_path / f"{name}.png")
        plt.close(fig)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_grid_pvalues_labels_are_words(figures) -> None:
    fig = figures["grid_pvalues"]
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Compendium", "NBS 2021"]
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert "GDP ratio: kink at 2008 given 1998" in labels and "real ratio: break at 2011" in labels
