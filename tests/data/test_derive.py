"""Derived series of the pipeline: the one chained real GDP and the shipped ``province_real_gdp``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewp_stats import data
from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline.derive import chain_real_gdp


def test_shipped_real_gdp_reproduces_nbs_indices_for_every_province() -> None:
    real = data.load("province_real_gdp")["real_gdp_2000"].unstack("province")
    idx = data.load("province_gdp_index")["gdp_index"].unstack("province")
    gdp = data.load("province_gdp").xs("nbs_2021", level="vintage")["gdp"].unstack("province")
    assert real.shape == (20, 31)
    ratio = 100.0 * real / real.shift(1)
    np.testing.assert_allclose(ratio.loc[2001:].to_numpy(), idx.loc[2001:, real.columns].to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(real.loc[2000].to_numpy(), gdp.loc[2000, real.columns].to_numpy())


def test_xinjiang_dataset_uses_the_shipped_real_gdp() -> None:
    xj = data.load("xinjiang")["real_gdp_2000"]
    real = data.load("province_real_gdp")["real_gdp_2000"].xs("Xinjiang", level="province")
    pd.testing.assert_series_equal(xj, real)


def test_chain_with_later_base_year_chains_backwards() -> None:
    idx = pd.Series([110.0, 105.0, 120.0], index=[2000, 2001, 2002])
    nominal = pd.Series([7.0, 50.0, 9.0], index=[2000, 2001, 2002])
    r = chain_real_gdp(nominal, idx, base_year=2001)
    # hand-computed: 50 in 2001, 50 * 1.2 in 2002, 50 / 1.05 in 2000
    np.testing.assert_allclose(r.to_numpy(), [50 / 1.05, 50.0, 60.0], rtol=1e-15)
    assert r.name == "real_gdp_2001"


@settings(max_examples=50, deadline=None)
@given(
    growth=st.lists(st.floats(90.0, 120.0), min_size=2, max_size=15),
    base_pos=st.integers(0, 14),
    level=st.floats(1.0, 1e5),
)
def test_chain_identity_property(growth: list[float], base_pos: int, level: float) -> None:
    years = list(range(2000, 2000 + len(growth)))
    base = years[min(base_pos, len(years) - 1)]
    idx = pd.Series(growth, index=years)
    nominal = pd.Series(level, index=years)
    r = chain_real_gdp(nominal, idx, base_year=base)
    assert r.loc[base] == level
    np.testing.assert_allclose((100 * r / r.shift(1)).iloc[1:], idx.iloc[1:], rtol=1e-10)


@pytest.mark.parametrize(
    ("nominal", "index", "base_year", "match"),
    [
        pytest.param([1.0], {2000: 105.0, 2001: 106.0, 2003: 107.0}, 2000,
                     r"index years must be consecutive", id="gap-in-years"),
        pytest.param([1.0], {2000: 105.0, 2001: 106.0}, 1999,
                     r"base year 1999 must be in both", id="base-year-outside"),
        pytest.param([1.0, 1.0], {2000: 105.0, 2001: np.nan}, 2000,
                     r"missing or non-positive", id="missing-index"),
        pytest.param([1.0, 1.0], {2000: 105.0, 2001: 0.0}, 2000,
                     r"missing or non-positive", id="zero-index"),
    ],
)
def test_chain_errors(nominal: list[float], index: dict[int, float], base_year: int, match: str) -> None:
    years = sorted(index)
    with pytest.raises(DataValidationError, match=match):
        chain_real_gdp(pd.Series(nominal, index=years[: len(nominal)]), pd.Series(index), base_year=base_year)
