"""The eras analysis on the packaged east_west_ratio dataset."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.errors import InputError
from ewp_stats.paper.eras import PAPER_ERA_STARTS, era_series, eras_analysis
from ewp_stats.reporting.figures.eras import make_figures


@pytest.fixture(scope="module")
def res():
    return eras_analysis()


def _row(frame: pd.DataFrame, **kw) -> pd.Series:
    sel = np.ones(len(frame), dtype=bool)
    for k, v in kw.items():
        sel &= frame[k].to_numpy() == v
    assert sel.sum() == 1, kw
    return frame[sel].iloc[0]


def test_what_is_testable(res):
    nbs98 = _row(res.chow, vintage="nbs_2021", measure="ratio", transform="level", test="1998")
    assert nbs98["status"].startswith("not testable: 1998 is outside 2000-2019")
    g08 = _row(res.chow, vintage="gcam_compendium", measure="ratio", transform="level", test="2008")
    assert g08["status"].startswith("predictive") and g08["regime_nobs"] == "30/2"
    assert np.isnan(g08["pvalue_hac"])  # HAC needs > k years per era
    assert any("csy2009_first_release" in n for n in res.notes)
    assert set(res.search["vintage"]) == {"gcam_compendium", "nbs_2021"}


def test_chow_rows_equal_direct_calls(res):
    from ewp_stats import data

    s = era_series(data.load("east_west_ratio"), "gcam_compendium", "ratio", "level")
    X = np.column_stack([np.ones(len(s)), np.arange(1, len(s) + 1.0)])
    direct = B.chow_test(s, X, [1997, 2007])
    row = _row(res.chow, vintage="gcam_compendium", measure="ratio", transform="level", test="1998 and 2008")
    assert row["F"] == pytest.approx(direct.statistic, rel=1e-12)
    assert (row["df_num"], row["df_denom"]) == (4, 26)


def test_unconstrained_dates(res):
    g = _row(res.search, vintage="gcam_compendium", measure="ratio", transform="level")
    # the grid's trimming (0.20, h = 6 at 32 years): the last regime cannot start after 2004
    assert (g["h"], g["trim"]) == (6, 0.2)
    assert g["m_bic"] == 3 and g["regime_starts"] == "1990, 1996, 2004"
    n = _row(res.search, vintage="nbs_2021", measure="ratio", transform="level")
    assert n["regime_starts"] == "2007, 2015" and bool(n["covers_2008"])
    fit = res.fit("nbs_2021")
    assert fit.h == 5 and fit.break_dates() == (2006.0, 2014.0)  # 0.25 trimming at 20 years
    assert _row(res.search, vintage="nbs_2021", measure="ratio", transform="level")["trim"] == 0.25
    assert fit.regime_starts() == (2007.0, 2015.0)
    # the fit is on exactly the series the result keeps, and that series is the dataset's
    from ewp_stats import data

    s = res.series("nbs_2021")
    np.testing.assert_array_equal(fit.y, s.to_numpy())
    pd.testing.assert_series_equal(s, era_series(data.load("east_west_ratio"), "nbs_2021", "ratio", "level"))
    assert res.fit("nbs_2021", measure="per_capita_ratio", transform="log") is res.fits[
        "nbs_2021|per_capita_ratio|log"]
    assert res.vintages(measure="ratio", transform="level") == ["gcam_compendium", "nbs_2021"]
    with pytest.raises(InputError, match=r"no break search for vintage='csy2009_first_release', measure='ratio', "
                                         r"transform='level'; the analysed cases are \['gcam_compendium\|"):
        res.fit("csy2009_first_release")


def test_era_trends_identities(res):
    t = res.trends
    r = _row(t, vintage="gcam_compendium", measure="ratio", eras="paper", first=1998)
    assert r["last"] == 2007 and r["nobs"] == 10
    assert r["change_lo"] < r["change_per_year"] < r["change_hi"]
    assert r["rate_lo"] < r["rate"] < r["rate_hi"]
    assert r["endpoint_change_per_year"] == pytest.approx((r["end_value"] - r["start_value"]) / 9)
    short = _row(t, vintage="gcam_compendium", measure="ratio", eras="paper", first=2008)
    assert short["nobs"] == 2 and np.isnan(short["change_lo"])


def test_robustness_and_serialisation(res):
    assert set(res.robustness["h"]) == {4, 5, 6, 8}
    assert len(res.robustness) == 2 * 2 * 2 * 4
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert set(d) == {"chow", "search", "trends", "diagnostics", "robustness", "fits", "case_series", "options",
                      "notes"}
    assert d["fits"]["nbs_2021|ratio|level"]["break_positions_by_m"][2] == [7, 15]  # 2006, 2014 in 2000..2019
    assert "Eras analysis" in res.summary() and res._repr_html_().startswith("<div>")
    d = res.diagnostics
    assert (d["durbin_watson"].between(0, 4)).all()
    assert PAPER_ERA_STARTS == (1998, 2008)


def test_figures(res, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    figs = make_figures(res)
    assert set(figs) == {"gcam_compendium", "nbs_2021"}
    assert not list(tmp_path.iterdir()), "make_figures saves nothing: reproduce/publish save figures"
    import matplotlib.pyplot as plt

    for f in figs.values():
        plt.close(f)


def test_era_trend_matches_statsmodels_ols(res):
    """Within-era trend and both intervals, recomputed independently with statsmodels."""
    import statsmodels.api as sm

    from ewp_stats import data

    s = era_series(data.load("east_west_ratio"), "gcam_compendium", "ratio", "level").loc[1978:1997]
    X = sm.add_constant(np.arange(len(s), dtype=float))
    ols = sm.OLS(s.to_numpy(), X).fit()
    r = _row(res.trends, vintage="gcam_compendium", measure="ratio", eras="paper", first=1978)
    assert r["last"] == 1997 and r["nobs"] == 20
    assert r["change_per_year"] == pytest.approx(ols.params[1], rel=1e-12)
    lo, hi = ols.conf_int(alpha=0.05)[1]
    assert (r["change_lo"], r["change_hi"]) == (pytest.approx(lo, rel=1e-10), pytest.approx(hi, rel=1e-10))
    # HAC: Newey-West with floor(4 (20/100)^(2/9)) = 2 lags, small-sample corrected, t(18) quantiles
    hac = sm.OLS(s.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True}, use_t=True)
    lo_h, hi_h = hac.conf_int(alpha=0.05)[1]
    assert (r["change_hac_lo"], r["change_hac_hi"]) == (pytest.approx(lo_h, rel=1e-10), pytest.approx(hi_h, rel=1e-10))
    # compound rate: exp of the log-trend slope, minus one
    log_fit = sm.OLS(np.log(s.to_numpy()), X).fit()
    assert r["rate"] == pytest.approx(np.expm1(log_fit.params[1]), rel=1e-12)


def test_break_table_gives_regime_starts_and_keeps_missing_bounds_missing(res):
    t = res.break_table()
    bp = res.fit("nbs_2021")
    rows = t[(t["vintage"] == "nbs_2021") & (t["measure"] == "ratio") & (t["transform"] == "level")]
    assert list(rows["regime_start"]) == [int(d) + 1 for d in bp.break_dates()]  # yearly data: the next year
    assert (rows["lower"] <= rows["regime_start"]).all() and (rows["regime_start"] <= rows["upper"]).all()

    class _Fit:  # a search whose second interval has no upper bound
        def regime_starts(self):
            return (1990.0, 2005.0)

        def regime_start_intervals(self):
            return ((1989.0, 1991.0), (2003.0, float("nan")))

    fake = dataclasses.replace(res, fits={"v|ratio|level": _Fit(), "w|ratio|level": None})
    t = fake.break_table()
    assert list(t["break"]) == [1, 2] and list(t["regime_start"]) == [1990, 2005]
    assert t.loc[1, "upper"] is pd.NA and t.loc[1, "lower"] == 2003
