"""xj_release(): Xinjiang's own 2020-2022 releases (dataset ``xinjiang_official``), a source kept
apart from the NBS vintages of xj()."""

from __future__ import annotations

import pytest

from ewp_stats import claims, data
from ewp_stats.paper.claims import CheckExpressionError


def test_xj_release_returns_the_published_figures() -> None:
    # CGTN 2022-09-03 (Foreign Ministry briefing): 2021 GDP 1,598 billion yuan, growth 3.4% (2020)
    # and 7.0% (2021); the 2020 white paper figure (Xinhua 2021-07-14) is 1.4 trillion.
    assert claims.evaluate_check('xj_release("gdp", 2021)').value == 1598
    assert claims.evaluate_check('xj_release("gdp_growth", 2020)').value == pytest.approx(3.4)
    assert claims.evaluate_check('xj_release("gdp_growth", 2021)').value == pytest.approx(7.0)
    assert claims.evaluate_check('xj_release("gdp", 2020)').value == 1400


def test_2021_industries_add_up_to_the_2021_level() -> None:
    # China Daily 2022-01-30: 235.6 + 596.7 + 766 billion yuan; CGTN prints 1,598 billion
    total = claims.evaluate_check('xj_release("value_added_primary", 2021) + '
                                  'xj_release("value_added_secondary", 2021) + '
                                  'xj_release("value_added_tertiary", 2021)').value
    assert total == pytest.approx(1598.3)
    assert abs(total - claims.evaluate_check('xj_release("gdp", 2021)').value) < 0.5


def test_every_year_and_quantity_has_one_primary_row_with_url_and_date() -> None:
    frame = data.load("xinjiang_official").reset_index()
    primaries = frame[frame["primary"] == 1].groupby(["year", "quantity"]).size()
    assert (primaries == 1).all()
    assert len(primaries) == frame.groupby(["year", "quantity"]).ngroups
    assert frame["source_url"].str.match(r"https?://").all()
    assert frame["published"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_xj_release_unknown_pair_is_a_clear_error() -> None:
    with pytest.raises(CheckExpressionError, match=r"0 primary rows for \('gdp', 2019\).*known"):
        claims.evaluate_check('xj_release("gdp", 2019)')
