"""Tests of the generic decompositions (ewp_stats.engines.decompose): hand-computed values,
the exactness identities (hypothesis) and the input validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats.engines.decompose import additive_contributions, lmdi_effects, log_mean
from ewp_stats.errors import InputError


def test_lmdi_hand_computed() -> None:
    # x = (1, 3) -> (2, 6): T 4 -> 8; L(8, 4) = 4/ln 2; w_1 = L(2,1)/L(8,4) = (1/ln2)/(4/ln2)
    res = lmdi_effects(pd.Series([1.0, 3.0], index=["a", "b"]), pd.Series([2.0, 6.0], index=["a", "b"]))
    assert res.at["a", "weight"] == pytest.approx(0.25)
    assert res.at["b", "weight"] == pytest.approx(0.75)
    assert res.at["a", "log_effect"] == pytest.approx(0.25 * math.log(2))
    assert res["log_effect"].sum() == pytest.approx(math.log(2))
    assert log_mean(2.0, 2.0) == 2.0
    assert log_mean(math.e, 1.0) == pytest.approx(math.e - 1)


def test_additive_hand_computed() -> None:
    c = additive_contributions(pd.Series([1.0, 3.0], index=["a", "b"]), pd.Series([2.0, 6.0], index=["a", "b"]))
    assert c["change"].tolist() == [1.0, 3.0]
    assert c["share_of_change"].tolist() == [0.25, 0.75]
    assert c["contribution_to_growth"].tolist() == [0.25, 0.75]  # of the start total 4


def test_log_mean_of_nearly_equal_values() -> None:
    # found by hypothesis: 1e6 and its float neighbour have the same logarithm
    a = 1e6
    b = math.nextafter(a, 2 * a)
    assert math.log(a) == math.log(b)
    assert log_mean(a, b) == pytest.approx(a, rel=1e-15)


def test_lmdi_limit_form_for_non_positive_component() -> None:
    res = lmdi_effects(pd.Series([10.0, -0.5]), pd.Series([20.0, 0.0]))
    lt = log_mean(20.0, 9.5)
    assert math.isnan(res.at[1, "weight"])
    assert res.at[1, "log_effect"] == pytest.approx(0.5 / lt)
    assert res["log_effect"].sum() == pytest.approx(math.log(20.0 / 9.5))


_amount = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def _pairs(draw):
    n = draw(st.integers(min_value=1, max_value=9))
    start = draw(st.lists(_amount, min_size=n, max_size=n))
    end = draw(st.lists(_amount, min_size=n, max_size=n))
    idx = [f"s{i}" for i in range(n)]
    return pd.Series(start, index=idx), pd.Series(end, index=idx)


@settings(max_examples=300, deadline=None)
@given(_pairs())
def test_property_additive_contributions_sum_to_change(pair) -> None:
    start, end = pair
    c = additive_contributions(start, end)
    total_change = math.fsum(end) - math.fsum(start)
    assert math.isclose(math.fsum(c["change"]), total_change, rel_tol=1e-9,
                        abs_tol=1e-9 * max(math.fsum(end), math.fsum(start)))
    assert math.isclose(math.fsum(c["contribution_to_growth"]), total_change / math.fsum(start),
                        rel_tol=1e-9, abs_tol=1e-9 * math.fsum(end) / math.fsum(start))


@settings(max_examples=300, deadline=None)
@given(_pairs())
def test_property_lmdi_effects_sum_to_log_change(pair) -> None:
    start, end = pair
    res = lmdi_effects(start, end)
    log_change = math.log(math.fsum(end) / math.fsum(start))
    assert math.isclose(math.fsum(res["log_effect"]), log_change, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(math.prod(res["factor"]), math.fsum(end) / math.fsum(start), rel_tol=1e-9)
    assert (res["weight"] > 0).all()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda: additive_contributions(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"])),
                     "same components", id="different-components"),
        pytest.param(lambda: additive_contributions(pd.Series([], dtype=float), pd.Series([], dtype=float)),
                     "no components", id="empty"),
        pytest.param(lambda: additive_contributions([1.0], [2.0]), "must be pandas Series", id="not-series"),
        pytest.param(lambda: lmdi_effects(pd.Series([1.0], index=["a"]), pd.Series([np.nan], index=["a"])),
                     "end amount of component 'a' is missing", id="missing-end"),
        pytest.param(lambda: lmdi_effects(pd.Series([1.0, -1.0]), pd.Series([2.0, 0.0])),
                     "LMDI needs positive totals", id="non-positive-total"),
        pytest.param(lambda: log_mean(0.0, 1.0), "log_mean needs positive arguments", id="log-mean-zero"),
    ],
)
def test_invalid_inputs(call, match: str) -> None:
    with pytest.raises(InputError, match=match):
        call()
