"""Tests of ewp_stats.engines.ferman_pinto: identities with Conley-Taber (engines.did) and the
correction's purpose, coverage under planted heteroskedasticity (Ferman and Pinto 2019, section 3:
Conley-Taber under-covers for a small treated unit; the rescaled residuals restore the level)."""

import numpy as np
import pandas as pd
import pytest

from ewp_stats.engines.did import did_single_treated
from ewp_stats.engines.ferman_pinto import ferman_pinto_did, ferman_pinto_interval
from ewp_stats.errors import InputError


def test_unscaled_interval_is_conley_tabers_order_statistic_interval():
    rng = np.random.default_rng(5)
    years = range(2000, 2012)
    units = ["T", *(f"C{j}" for j in range(20))]
    panel = pd.DataFrame(rng.normal(size=(12, 21)), index=pd.Index(years), columns=units)
    kw = dict(pre_period=(2000, 2005), post_period=(2006, 2011), level=0.9)
    d = did_single_treated(panel, "T", units[1:], **kw)
    fp = ferman_pinto_did(panel, "T", units[1:], sizes={u: 1.0 + i for i, u in enumerate(units)}, **kw)
    assert fp.estimate == pytest.approx(d.estimate)
    assert fp.ct_ci == pytest.approx(d.ct_np_ci) and fp.coverage == pytest.approx(d.ct_np_coverage)


def test_equal_variance_model_leaves_the_residuals_alone():
    d = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, -2.0, -1.0, 0.0, 1.0, 2.0])
    m = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0])  # same squares at both sizes: B = 0
    r = ferman_pinto_interval(0.5, d, 1.5, m, level=0.8)
    assert r.variance_slope == pytest.approx(0.0, abs=1e-12)
    assert r.ci == pytest.approx(r.ct_ci) and r.treated_scale == pytest.approx(1.0)


def test_coverage_under_planted_heteroskedasticity():
    rng = np.random.default_rng(8)
    n_sims, j, level = 2000, 39, 0.9
    m = np.linspace(1.0, 20.0, j)
    fp_cover = ct_cover = 0
    for _ in range(n_sims):
        d = rng.normal(size=j) / np.sqrt(m)
        treated = rng.normal() / np.sqrt(1.0)  # the smallest, noisiest unit, no effect
        r = ferman_pinto_interval(treated, d, 1.0, m, level=level)
        fp_cover += r.ci[0] <= 0 <= r.ci[1]
        ct_cover += r.ct_ci[0] <= 0 <= r.ct_ci[1]
    # nominal 0.9 (exact with J = 39 and a known variance); estimating A and B from 39 squared
    # residuals costs some coverage (0.82 here), Conley-Taber's falls to about one half
    assert 0.78 < fp_cover / n_sims < 0.95
    assert ct_cover / n_sims < 0.6


def test_bad_inputs():
    with pytest.raises(InputError, match="positive"):
        ferman_pinto_interval(0.0, [1.0, 2.0, 3.0], 0.0, [1.0, 1.0, 1.0])
    with pytest.raises(InputError, match="equal-length"):
        ferman_pinto_interval(0.0, [1.0, 2.0, 3.0], 1.0, [1.0, 1.0])
    with pytest.raises(InputError, match="at least 3"):
        ferman_pinto_interval(0.0, [1.0, 2.0], 1.0, [1.0, 1.0])
    with pytest.raises(InputError, match="level"):
        ferman_pinto_interval(0.0, [1.0, 2.0, 3.0, 4.0], 1.0, [1.0, 2.0, 3.0, 4.0], level=1.5)
