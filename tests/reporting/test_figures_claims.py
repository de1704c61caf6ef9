"""The claims chapter's figure (ewp_stats.reporting.figures.claims) keeps the book's figure style."""

from __future__ import annotations

import pytest

from ewp_stats.paper import claims
from ewp_stats.reporting.figures import claims as G
from ewp_stats.reporting.figures.style import MAX_WIDTH, check_figure
from ewp_stats.reporting.steps import claims_step


@pytest.fixture(scope="module")
def result() -> claims.AuditResult:
    return claims.audit()


def test_every_figure_of_the_claims_step_passes_check_figure() -> None:
    figures = claims_step().figures
    assert set(figures) == {"status_by_document"}
    for name, fig in figures.items():
        check_figure(fig, name=name)  # raises FigureStyleError on any problem
        assert fig.get_figwidth() <= MAX_WIDTH


def test_bars_add_up_to_the_claims_per_document(result: claims.AuditResult) -> None:
    fig = G.plot_status_by_document(result)
    ax = fig.axes[0]
    per_document = result.to_frame().groupby("document").size()
    ends = {}
    for patch in ax.patches:  # stacked bars: the right end of the last one is the document's total
        y = round(patch.get_y() + patch.get_height() / 2, 6)
        ends[y] = max(ends.get(y, 0.0), patch.get_x() + patch.get_width())
    assert sorted(ends.values()) == sorted(float(n) for n in per_document)


def test_legend_names_every_verdict_in_words(result: claims.AuditResult) -> None:
    fig = G.plot_status_by_document(result)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [G.VERDICT_WORDS[v] for v in claims.VERDICTS]
    assert not any("_" in label for label in labels)
