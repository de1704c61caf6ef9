"""Counts the funding chapter quotes from the reconstruction (``Reconstruction`` properties)."""

from __future__ import annotations

import pandas as pd
import pytest

from ewp_stats.data.vocab import FUNDING_PERIODS
from ewp_stats.errors import InputError
from ewp_stats.paper.funding import Reconstruction


def _rec(derived: tuple[str, ...]) -> Reconstruction:
    # deliberately not sorted by fit: the derived identity is not the first row
    subsets = pd.DataFrame({"n_rows": [1, 2, 2], "n_periods_matched": [3, len(FUNDING_PERIODS), len(FUNDING_PERIODS)],
                            "max_abs_difference": [9.0, 0.25, 0.5]},
                           index=pd.Index(["a", "a + b", "a + c"], name="subset"))
    return Reconstruction(derived, False, subsets, pd.DataFrame())


def test_counts_subsets_that_match_in_every_period_of_the_vocabulary():
    assert len(FUNDING_PERIODS) == 6  # five years and the printed Total column
    assert _rec(("a", "c")).n_subsets_matching_every_period == 2


def test_the_derived_identity_is_selected_by_name_not_by_position():
    assert _rec(("a", "c")).derived_identity_max_abs_difference == 0.5
    assert _rec(("a", "b")).derived_identity_max_abs_difference == 0.25
    with pytest.raises(InputError, match="no subset"):
        _rec(()).derived_identity_max_abs_difference
