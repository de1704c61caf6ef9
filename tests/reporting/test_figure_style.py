"""The book's figure style (ewp_stats.reporting.figures.style): planted violations are caught."""

from __future__ import annotations

import pytest

from ewp_stats.reporting.figures.style import MAX_WIDTH, FigureStyleError, check_figure, new_figure, year_axis


def _good_figure():
    fig, ax = new_figure(height=3.0)
    ax.plot([2001, 2002, 2003, 2004], [1.0, 2.0, 1.5, 2.5], label="Xinjiang")
    ax.set_xlabel("Year")
    ax.set_ylabel("GDP per person (yuan)")
    ax.legend()
    year_axis(ax)
    return fig, ax


def test_a_figure_in_the_book_style_passes() -> None:
    fig, ax = _good_figure()
    check_figure(fig)
    assert all("." not in t.get_text() for t in ax.get_xticklabels())


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda fig, ax: fig.set_size_inches(10, 4), "width 10.00 in"),
        (lambda fig, ax: ax.set_xlabel("Year", fontsize=6), "'Year' at 6.0 pt"),
        (lambda fig, ax: ax.set_title("p_bootstrap by cell"), "code identifier as label: 'p_bootstrap by cell'"),
        (lambda fig, ax: ax.xaxis.set_major_locator(__import__("matplotlib").ticker.MultipleLocator(0.5)),
         "fractional year tick"),
    ],
)
def test_style_violations_are_refused(spoil, message: str) -> None:
    fig, ax = _good_figure()
    spoil(fig, ax)
    if "fractional" in message:
        ax.xaxis.set_major_formatter(__import__("matplotlib").ticker.ScalarFormatter())
    with pytest.raises(FigureStyleError, match=message):
        check_figure(fig, name="planted")


def test_new_figure_refuses_a_width_the_page_cannot_show() -> None:
    with pytest.raises(FigureStyleError, match="above the book's maximum"):
        new_figure(width=MAX_WIDTH + 1)


def test_save_figure_refuses_a_figure_out_of_style_and_writes_nothing(tmp_path) -> None:
    from ewp_stats.reporting.figures.output import save_figure

    fig, ax = _good_figure()
    ax.set_ylabel("nbs_2021")
    with pytest.raises(FigureStyleError, match="code identifier as label: 'nbs_2021'"):
        save_figure(fig, tmp_path / "bad.png")
    assert not any(tmp_path.iterdir())


def test_math_subscripts_are_not_identifiers_but_upper_case_names_are() -> None:
    fig, ax = _good_figure()
    ax.set_ylabel(r"$\hat\beta_1$ and $y_t$ (yuan)")
    check_figure(fig)
    ax.set_ylabel("NBS_2021")
    with pytest.raises(FigureStyleError, match="code identifier as label: 'NBS_2021'"):
        check_figure(fig)


def test_a_legend_outside_the_axes_that_widens_the_saved_image_is_refused() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(MAX_WIDTH, 3.0))  # no constrained layout: nothing makes room for the legend
    ax = fig.add_subplot()
    ax.plot([1, 2], [1, 2], label="a label long enough to stick out of the figure")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=10)
    with pytest.raises(FigureStyleError, match="saved width"):
        check_figure(fig)
