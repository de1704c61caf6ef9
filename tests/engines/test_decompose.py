"""Tests of the generic decompositions (ewp_stats.engines.decompose): hand-computed values,
the exactness identities (hypothesis) and the input validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats.engines.decompose import additive_contributions, lmdi_effects, lmdi_product_effects, log_mean
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


# ---------------------------------------------------------------- product identity (LMDI-I)


def test_lmdi_product_hand_computed() -> None:
    # V = intensity x scale: (2 x 10 = 20) -> (1 x 40 = 40). L(40, 20) = 20 / ln 2.
    # intensity: L ln(1/2) = -20; scale: L ln 4 = +40; sum +20 = 40 - 20.
    res = lmdi_product_effects(pd.Series({"intensity": 2.0, "scale": 10.0}),
                               pd.Series({"intensity": 1.0, "scale": 40.0}))
    assert res.at["intensity", "additive_effect"] == pytest.approx(-20.0, rel=1e-14)
    assert res.at["scale", "additive_effect"] == pytest.approx(40.0, rel=1e-14)
    assert res.at["intensity", "factor"] == pytest.approx(0.5, rel=1e-14)
    assert res.at["scale", "factor"] == pytest.approx(4.0, rel=1e-14)
    assert res.at["scale", "share_of_change"] == pytest.approx(2.0, rel=1e-14)
    assert list(res.index) == ["intensity", "scale"]


def test_lmdi_product_two_terms_hand_computed() -> None:
    # V = a1 b1 + a2 b2: term 1 (1 x 2 -> 2 x 2), term 2 (1 x 1 -> 1 x e) -> V 3 -> 4 + e.
    start = pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 1.0]}, index=["t1", "t2"])
    end = pd.DataFrame({"a": [2.0, 1.0], "b": [2.0, math.e]}, index=["t1", "t2"])
    res = lmdi_product_effects(start, end)
    # a: only term 1 moves, L(4, 2) ln 2 = 2; b: only term 2, L(e, 1) ln e = e - 1
    assert res.at["a", "additive_effect"] == pytest.approx(2.0, rel=1e-14)
    assert res.at["b", "additive_effect"] == pytest.approx(math.e - 1, rel=1e-14)
    lt = log_mean(4 + math.e, 3.0)
    assert res.at["b", "log_effect"] == pytest.approx((math.e - 1) / lt, rel=1e-14)


_pos = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def _product_pairs(draw):
    n_terms = draw(st.integers(1, 4))
    n_factors = draw(st.integers(1, 3))
    cols = [f"f{k}" for k in range(n_factors)]
    idx = [f"t{i}" for i in range(n_terms)]
    grid = st.lists(st.lists(_pos, min_size=n_factors, max_size=n_factors), min_size=n_terms,
                    max_size=n_terms)
    return (pd.DataFrame(draw(grid), index=idx, columns=cols),
            pd.DataFrame(draw(grid), index=idx, columns=cols))


@settings(max_examples=200, deadline=None)
@given(_product_pairs())
def test_property_lmdi_product_is_exact(pair) -> None:
    start, end = pair
    res = lmdi_product_effects(start, end)
    v_s, v_e = start.prod(axis=1).sum(), end.prod(axis=1).sum()
    assert math.fsum(res["additive_effect"]) == pytest.approx(v_e - v_s, rel=1e-9,
                                                             abs=1e-9 * max(v_s, v_e))
    assert math.prod(res["factor"]) == pytest.approx(v_e / v_s, rel=1e-9)


@pytest.mark.parametrize(("start", "end", "match"), [
    pytest.param(pd.Series({"a": 1.0, "b": 0.0}), pd.Series({"a": 1.0, "b": 1.0}),
                 r"start factor 'b' of term 0 is 0.0; LMDI-I needs finite positive factors",
                 id="zero-factor"),
    pytest.param(pd.Series({"a": 1.0}), pd.Series({"a": -2.0}), r"end factor 'a' .* is -2.0",
                 id="negative-factor"),
    pytest.param(pd.Series({"a": 1.0}), pd.Series({"b": 1.0}), r"same terms and factors",
                 id="different-factors"),
    pytest.param([1.0], pd.Series({"a": 1.0}), r"start must be a pandas Series", id="not-pandas"),
    pytest.param(pd.Series(dtype=float), pd.Series(dtype=float), r"no terms or no factors",
                 id="empty"),
])
def test_lmdi_product_invalid(start, end, match: str) -> None:
    with pytest.raises(InputError, match=match):
        lmdi_product_effects(start, end)
