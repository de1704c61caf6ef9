"""Unit-root tests of the eras series: Zivot-Andrews against its published example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ewp_stats.errors import InputError
from ewp_stats.paper.eras_unitroot import unit_root_tests, zivot_andrews_test

PEER = Path(__file__).parent / "peer" / "nelson_plosser_real_gnp.csv"

#: Zivot and Andrews (1992), asymptotic critical values of the minimum t statistic
#: (Table 2: model A, Table 3: model B, Table 4: model C): 5% and 10%.
ZA_1992_CV = {"c": (-4.80, -4.58), "t": (-4.42, -4.11), "ct": (-5.08, -4.82)}


@pytest.fixture(scope="module")
def gnp() -> pd.Series:
    f = pd.read_csv(PEER, comment="#")
    return pd.Series(f["log_real_gnp"].to_numpy(), index=f["year"].to_numpy(), name="log real GNP")


def test_zivot_andrews_reproduces_the_published_real_gnp_result(gnp):
    # Zivot and Andrews (1992, Table 4), Nelson-Plosser real GNP, model A with k = 8 lags:
    # minimum t = -5.58 at TB = 1929 (the crash), a rejection at 5% (and 2.5%).
    r = zivot_andrews_test(gnp, model="c", lags=8)
    assert r["status"] == "ok"
    assert round(r["statistic"], 2) == -5.58
    assert r["break_year"] == 1929 and r["regime_start"] == 1930
    assert r["lags"] == 8
    assert r["statistic"] < r["cv_5pct"]


@pytest.mark.parametrize("model", ["c", "t", "ct"])
def test_critical_values_agree_with_zivot_andrews_1992(gnp, model):
    # statsmodels interpolates its own simulated critical values; they must match the paper's
    # asymptotic 5% and 10% values to within simulation error (0.03).
    r = zivot_andrews_test(gnp, model=model, lags=1)  # the critical values do not depend on the lags
    cv5, cv10 = ZA_1992_CV[model]
    assert r["cv_5pct"] == pytest.approx(cv5, abs=0.03)
    assert r["cv_10pct"] == pytest.approx(cv10, abs=0.03)


def test_planted_trend_break_is_dated_and_the_unit_root_rejected():
    # trend-stationary with a large slope and level break after 1960, i.i.d. errors, n = 80
    rng = np.random.default_rng(7)
    years = np.arange(1931, 2011)
    t = np.arange(len(years), dtype=float)
    y = 0.5 * t + 15.0 * (years > 1960) - 0.8 * np.maximum(years - 1960, 0) + rng.normal(size=len(years))
    r = zivot_andrews_test(pd.Series(y, index=years), model="ct", lags=1)
    assert r["statistic"] < r["cv_1pct"]
    assert abs(r["break_year"] - 1960) <= 1


def test_random_walk_is_not_rejected():
    rng = np.random.default_rng(11)
    years = np.arange(1950, 2010)
    y = np.cumsum(0.3 + rng.normal(size=len(years)))
    r = zivot_andrews_test(pd.Series(y, index=years), model="ct", lags=1)
    assert r["statistic"] > r["cv_5pct"]


def test_unit_root_table_covers_every_eras_series():
    res = unit_root_tests()
    tab = res.table
    assert set(tab["vintage"]) == {"gcam_compendium", "nbs_2021"}
    assert len(tab) == 2 * 2 * 2 * 4  # vintages x measures x transforms x tests
    ok = tab[tab["status"] == "ok"]
    assert (ok["reject_5pct"] == (ok["statistic"] < ok["cv_5pct"])).all()
    za = ok[ok["test"].str.startswith("za_")]
    assert (za["regime_start"] == za["break_year"] + 1).all()
    # every failure is stated, never silently dropped
    assert tab.loc[tab["status"] != "ok", "status"].str.startswith("not computable").all()
    assert res.to_frame() is tab and "Nunes" in " ".join(res.notes)


def test_bad_inputs_raise():
    s = pd.Series(np.arange(20.0), index=np.arange(2000, 2020))
    with pytest.raises(InputError, match="model must be one of"):
        zivot_andrews_test(s, model="x")
    with pytest.raises(InputError, match="consecutive years"):
        zivot_andrews_test(pd.Series(np.arange(20.0), index=np.arange(2000, 2040, 2)))
    with pytest.raises(InputError, match="max_lag"):
        unit_root_tests(max_lag=-1)
