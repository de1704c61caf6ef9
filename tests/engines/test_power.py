"""Tests of ewp_stats.engines.power: the normal and t minimum detectable effects (published
multiplier 2.80 at 5% and 80%, Bloom 1995), the placebo-injection p-values against a direct
placebo_in_space run, and power on a planted effect."""

import numpy as np
import pandas as pd
import pytest

from ewp_stats.engines.power import minimum_detectable_effect, placebo_injection_power
from ewp_stats.engines.synth import placebo_in_space
from ewp_stats.errors import InputError


def test_mde_multipliers():
    assert minimum_detectable_effect(1.0) == pytest.approx(2.80, abs=0.005)  # Bloom (1995), Table 1
    assert minimum_detectable_effect(2.0, alpha=0.1, power=0.5) == pytest.approx(2 * 1.644854, rel=1e-6)
    assert minimum_detectable_effect(1.0, df=27) == pytest.approx(2.0518 + 0.8551, abs=2e-4)  # t tables
    for bad in (dict(se=0.0), dict(se=1.0, alpha=1.5), dict(se=1.0, power=0), dict(se=1.0, df=0)):
        with pytest.raises(InputError):
            minimum_detectable_effect(**bad)


@pytest.fixture(scope="module")
def factor_panel() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    years = range(2000, 2020)
    f = np.cumsum(rng.normal(0.05, 0.02, size=(20, 2)), axis=0)
    load = rng.uniform(0.5, 1.5, size=(2, 13))
    Y = 100 * np.exp(f @ load + rng.normal(scale=0.01, size=(20, 13)))
    return pd.DataFrame(Y, index=pd.Index(years), columns=["X", *(f"U{j}" for j in range(12))])


def test_unplanted_pvalues_equal_direct_placebo_tests(factor_panel):
    donors = [f"U{j}" for j in range(12)]
    kw = dict(pre_period=(2000, 2010), post_period=(2011, 2019))
    r = placebo_injection_power(factor_panel, "X", donors, effects=(0.0,), **kw)
    for i, u in enumerate(donors):
        direct = placebo_in_space(factor_panel, u, [d for d in donors if d != u],
                                  allow_more_donors_than_periods=True, **kw)
        assert r.pvalues[i][0] == pytest.approx(direct.pvalue)
    assert r.size == pytest.approx(r.power[0])


def test_planted_effects_raise_power_to_one(factor_panel):
    donors = [f"U{j}" for j in range(12)]
    r = placebo_injection_power(factor_panel, "X", donors, pre_period=(2000, 2010), post_period=(2011, 2019),
                                effects=(0.02, 0.5), alpha=0.1)
    # a 50% jump against 1% noise is the largest ratio except for a unit outside the hull of the others
    assert r.power[1] >= 11 / 12
    assert r.power[0] <= r.power[1]  # (the size need not be <= alpha: each pseudo test has its own pool)
    assert r.to_frame().index.tolist() == [2.0, 50.0]
    with pytest.raises(InputError, match="alpha"):
        placebo_injection_power(factor_panel, "X", donors, pre_period=(2000, 2010), post_period=(2011, 2019), alpha=5)
    with pytest.raises(InputError, match="effects"):
        placebo_injection_power(factor_panel, "X", donors, pre_period=(2000, 2010), post_period=(2011, 2019), effects=())
