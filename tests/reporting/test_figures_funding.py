"""The funding chapter's figures (ewp_stats.reporting.figures.funding)."""

from __future__ import annotations

import inspect
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ewp_stats import funding as F
from ewp_stats.reporting.figures import funding as G
from ewp_stats.reporting.figures.output import save_figure
from ewp_stats.reporting.figures.style import check_figure
from ewp_stats.reporting.steps import funding_step

FIGURES = (G.plot_composition, G.plot_government_levels, G.plot_contributions, G.plot_paper_shares,
           G.plot_intensity_scale)


@pytest.fixture(scope="module")
def table() -> F.FundingTable:
    return F.funding_table()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("fn", FIGURES, ids=lambda f: f.__name__)
def test_data_first_options_by_keyword_no_saving(fn) -> None:
    params = list(inspect.signature(fn).parameters.values())
    assert params[0].name == "funding"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:])
    assert "path" not in inspect.signature(fn).parameters  # reproduce saves the figures


@pytest.mark.parametrize("fn", FIGURES, ids=lambda f: f.__name__)
def test_figures_are_deterministic(fn, table: F.FundingTable, tmp_path: Path) -> None:
    for name in ("a", "b"):
        fig = fn(table)
        assert fig.axes
        save_figure(fig, tmp_path / f"{name}.png")
    for ext in ("png", "svg"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext


def _legend(fig) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


def test_composition_names_each_series_by_the_rows_it_adds(table: F.FundingTable) -> None:
    fig = G.plot_composition(table, conventions=("sources_levels", "paid_in"))
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "Each source once, government as sum of levels",
        "Each source once, real (paid-in) enterprise investment"]
    # sources_levels: government = the three levels, contracted enterprise investment;
    # paid_in: the printed government subtotal and real (paid-in) investment.
    assert _legend(fig) == ["government (printed subtotal)", "government (sum of levels)",
                            "enterprise, contracted", "enterprise, real (paid-in)", "social donations"]


def test_composition_as_printed_shows_every_printed_row(table: F.FundingTable) -> None:
    labels = _legend(G.plot_composition(table, conventions=("as_printed",)))
    assert labels == ["government (printed subtotal)", "provincial level", "prefectural level",
                           "county level", "enterprise, contracted", "enterprise, real (paid-in)",
                           "tax payments", "social donations"]


@pytest.mark.parametrize(("convention", "zoomed"), [
    ("as_printed", ["government (printed subtotal)", "provincial level", "prefectural level",
                    "county level", "tax payments", "social donations"]),
    ("paid_in", ["government (printed subtotal)", "social donations"]),
])
def test_contributions_zoom_leaves_out_enterprise_money(table: F.FundingTable, convention: str,
                                                        zoomed: list[str]) -> None:
    fig = G.plot_contributions(table, convention=convention)
    left, right = fig.axes
    assert [left.get_title(loc="left"), right.get_title(loc="left")] == [
        "All sources", "Without enterprise money (zoom)"]
    assert fig.texts[0].get_text().startswith("Convention: ")
    n_steps = 4  # 2003-2004 .. 2006-2007
    assert len(right.patches) == n_steps * len(zoomed)
    assert [c.get_label() for c in right.containers] == zoomed


def test_paper_shares_marks_the_printed_figures(table: F.FundingTable) -> None:
    fig = G.plot_paper_shares(table)
    marks = fig.axes[0].collections[-1]  # the printed figures, drawn last
    xs = sorted({round(float(seg[0][0]), 10) for seg in marks.get_segments()})
    assert xs == [0.08, 16.8, 60.3, 80.3]


def test_intensity_scale_bars_add_up_to_the_change(table: F.FundingTable) -> None:
    from ewp_stats.paper.funding_decomposition import intensity_scale

    fig = G.plot_intensity_scale(table)
    left, right = fig.axes
    gov = intensity_scale(table).levels.xs("government", level="series")
    assert list(left.lines[0].get_ydata()) == list(gov["intensity"])
    assert [c.get_label() for c in right.containers] == ["intensity effect", "scale effect"]
    n_steps = 5  # four year-on-year steps and 2003-2007
    assert len(right.patches) == 2 * n_steps
    # 2003-2007: scale effect positive, intensity effect negative (aid grew slower than GDP)
    heights = [p.get_height() for p in right.patches]
    assert heights[n_steps - 1] < 0 < heights[2 * n_steps - 1]
    assert fig.texts[0].get_text() == ("Each source once, printed government subtotal;\n"
                                       "paired donor provinces, GDP from the compendium")


def test_the_steps_figures_keep_the_book_style() -> None:
    """Every figure the funding step publishes fits the column, with readable text and whole years."""
    figures = funding_step().figures
    assert set(figures) == {"composition", "government_levels", "contributions", "intensity_scale",
                            "paper_shares"}
    for name, fig in figures.items():
        check_figure(fig, name=name)


def test_legends_stay_within_the_column(tmp_path: Path) -> None:
    """``bbox_inches="tight"`` grows a saved figure by any legend outside it: none may pass 6.4 in."""
    from PIL import Image

    from ewp_stats.reporting.figures.output import DPI
    from ewp_stats.reporting.figures.style import MAX_WIDTH

    for name, fig in funding_step().figures.items():
        (png,) = save_figure(fig, tmp_path / name, formats=("png",))
        with Image.open(png) as image:
            assert image.size[0] <= MAX_WIDTH * DPI, name


def test_log_axes_are_labelled_in_plain_numbers(table: F.FundingTable) -> None:
    """The log axes read 0.1, 1, 10, 100 (and 1,000, ...), not as powers of ten."""
    shares = G.plot_paper_shares(table)
    shares.canvas.draw()
    labels = [t.get_text() for t in shares.axes[0].get_xticklabels() if t.get_text()]
    assert {"0.1", "1", "10", "100"} <= set(labels)
    comp = G.plot_composition(table)
    comp.canvas.draw()
    ylabels = [t.get_text() for ax in comp.axes for t in ax.get_yticklabels() if t.get_text()]
    assert ylabels and not any("^" in y or "$" in y for y in ylabels)
    assert "100,000" in ylabels
    plt.close(shares)
    plt.close(comp)


def test_government_levels_legend_sample_is_a_line(table: F.FundingTable) -> None:
    """The printed subtotal's legend sample is a short line, not the wide bar marker."""
    fig = G.plot_government_levels(table)
    legend = fig.legends[0]
    handles = dict(zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True))
    assert handles["printed subtotal"].__class__.__name__ == "Line2D"
    plt.close(fig)
