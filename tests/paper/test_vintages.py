"""The data chapter's vintage comparisons (``ewp_stats.paper.vintages``)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats.paper import vintages


def test_gdp_revision_is_the_revised_over_the_first_release():
    gdp = data.load("province_gdp")["gdp"]
    t = vintages.gdp_revision(year=2007)
    assert t.index.name == "province" and len(t) == 31
    first = gdp.loc[("csy2009_first_release", "Guangdong", 2007)]
    revised = gdp.loc[("gcam_compendium", "Guangdong", 2007)]
    assert t.loc["Guangdong", "revision_pct"] == pytest.approx(100 * (revised / first - 1))


def test_overlap_and_spread_on_a_small_frame():
    wide = pd.DataFrame({"old": [1.0, 2.0, 3.0, math.nan], "new": [math.nan, 2.5, 2.0, 4.0]},
                        index=pd.Index([2000, 2001, 2002, 2003], name="year"))
    assert vintages.vintage_overlap(wide, "old", "new") == {
        "first_year": 2001.0, "last_year": 2002.0, "max_abs_gap": 1.0, "max_abs_gap_year": 2002.0}
    assert vintages.ratio_spread(wide, 2001) == 0.5
