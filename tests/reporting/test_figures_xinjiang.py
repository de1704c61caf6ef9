"""The Xinjiang chapter's figures: the effect-path figure draws the intervals it is given (planted
results, so the test is about the drawing, not the estimators), and every figure of the step keeps
the book's figure style."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from ewp_stats.engines.conformal import ConformalResult
from ewp_stats.engines.sdid import SdidResult
from ewp_stats.errors import InputError
from ewp_stats.reporting.figures.style import MIN_FONT_PT, WIDTH, check_figure
from ewp_stats.reporting.figures.xinjiang import plot_effect_intervals

YEARS = (2011, 2012, 2013)
CONFORMAL = ConformalResult(treated="Xinjiang", post_years=YEARS, gaps=(10.0, -20.0, 30.0),
                            lower=(-100.0, -150.0, -50.0), upper=(40.0, 60.0, 900.0),
                            pvalues_zero=(0.5, 0.4, 0.09), level=0.9, n_pre=11, refit=True,
                            path_pvalue_zero=0.3, tol=0.01)


def _sdid(method: str, estimate: float, ci: tuple[float, float]) -> SdidResult:
    return SdidResult(method=method, treated="Xinjiang", donors=("A", "B"), pre_years=(2009, 2010),
                      post_years=YEARS, estimate=estimate, unit_weights=(0.5, 0.5), time_weights=(0.0, 1.0),
                      noise_level=1.0, zeta=1.0, placebo_estimates=(1.0, -1.0), se=1.0, level=0.95, ci=ci,
                      placebo_rank=1, pvalue=1 / 3)


SDID = {"sdid": _sdid("sdid", 2.0, (-1.0, 5.0)), "did": _sdid("did", -4.0, (-9.0, 0.5))}


def test_effect_figure_draws_the_path_the_band_and_the_averages() -> None:
    fig = plot_effect_intervals(CONFORMAL, SDID)
    ax1, ax2 = fig.axes
    np.testing.assert_allclose(ax1.lines[0].get_xdata(), YEARS)
    np.testing.assert_allclose(ax1.lines[0].get_ydata(), CONFORMAL.gaps)
    band = next(c for c in ax1.collections if isinstance(c, PolyCollection))
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(-150.0) and ys.max() == pytest.approx(900.0)
    assert "90% pointwise" in ax1.get_legend().get_texts()[0].get_text()
    # each average: a marker at the estimate and a horizontal bar from ci[0] to ci[1], one row each
    markers = [line for line in ax2.lines if line.get_marker() == "o"]
    np.testing.assert_allclose([m.get_xdata()[0] for m in markers], [2.0, -4.0])
    bars = [c for c in ax2.collections if c.get_segments()]
    spans = sorted(tuple(np.round(b.get_segments()[0][:, 0], 9)) for b in bars)
    assert spans == [(-9.0, 0.5), (-1.0, 5.0)]
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["Synthetic DiD", "DiD"]
    assert "95%" in ax2.get_title(loc="left")
    check_figure(fig, name="planted effect intervals")


def test_effect_figure_needs_an_average() -> None:
    with pytest.raises(InputError, match="at least one result"):
        plot_effect_intervals(CONFORMAL, {})


@pytest.fixture(scope="module")
def step_figures() -> dict:
    from ewp_stats.reporting.steps import xinjiang_step

    return xinjiang_step().figures


def test_every_figure_of_the_step_keeps_the_book_style(step_figures: dict) -> None:
    assert set(step_figures) == {"growth_comparison", "did_ranking", "synth_path", "synth_gaps", "effect_intervals"}
    for name, fig in step_figures.items():
        check_figure(fig, name=name)
        assert fig.get_size_inches()[0] == pytest.approx(WIDTH)


def test_the_ranking_has_one_readable_label_per_province(step_figures: dict) -> None:
    fig = step_figures["did_ranking"]
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Xinjiang and its all-province controls under the baseline rule: 31 minus Tibet and Qinghai
    assert len(labels) == 29 and "Xinjiang" in labels and "Tibet" not in labels
    assert min(t.get_fontsize() for t in ax.get_yticklabels()) >= MIN_FONT_PT
    # at least the label's own height (9 pt = 0.125 in) of figure per bar
    assert fig.get_size_inches()[1] / len(labels) >= 1.5 * MIN_FONT_PT / 72
