"""ewp_stats.engines.breaks against R strucchange 1.5-3.

Expected values: tests/engines/reference/strucchange_reference.json, made by
``Rscript tests/r/strucchange_reference.R tests/engines/reference/strucchange_reference.json
ewp_stats/breaks/hansen1997_beta.csv`` (R 4.2.2, strucchange 1.5-3, recresid
R engine).  Breaks must agree exactly; numbers to 1e-6 relative.  p-values
are compared with an absolute floor of 1e-14 because strucchange computes them
as ``1 - pchisq(...)``, which has absolute (not relative) precision.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.engines.breaks.supf import pvalue_fstats
from strucchange_cases import REFERENCE, peer_case

REF = REFERENCE
RTOL = 1e-6
PTOL = dict(rtol=1e-6, atol=1e-14)


CASES = ["nile", "trend", "ukdd"]


def test_reference_metadata():
    assert REF["meta"]["strucchange_version"] == "1.5.3"
    assert REF["meta"]["recresid_engine"] == "R"
    assert REF["meta"]["r_version"].startswith("R version 4.")


@pytest.mark.parametrize("name", CASES)
def test_breakpoints_match_strucchange(name):
    y, X, dates, h = peer_case(name)
    ref = REF[name]["breakpoints"]
    res = B.breakpoints(y, X, h=h, dates=dates)
    assert res.max_breaks == ref["max_breaks"]
    assert [list(b) for b in res.break_positions_by_m[1:]] == ref["breaks_by_m"]
    np.testing.assert_allclose(res.rss, ref["rss"], rtol=RTOL)
    np.testing.assert_allclose(res.bic, ref["bic"], rtol=RTOL)
    np.testing.assert_allclose(res.loglik, ref["loglik"], rtol=RTOL)
    assert res.selected == ref["selected_m"]


def test_nile_break_is_1898():
    y, _, dates, _ = peer_case("nile")
    res = B.breakpoints(pd.Series(y, index=dates.astype(int), name="Nile"))
    assert res.selected == 1
    assert res.break_positions() == (28,)
    assert res.break_dates() == (1898.0,)
    assert res.regime_starts() == (1899.0,)
    assert res.intervals is not None and res.intervals.lower_dates == (1895.0,)
    assert res.intervals.upper_dates == (1902.0,)


@pytest.mark.parametrize(
    "name,key,kw",
    [
        ("nile", "confint", {}),
        ("nile", "confint_homo", {"het_reg": False, "het_err": False}),
        ("nile", "confint_m2", {}),
        ("trend", "confint", {}),
        ("trend", "confint_homo", {"het_reg": False, "het_err": False}),
        ("trend", "confint_hetreg_only", {"het_err": False}),
        ("ukdd", "confint", {}),
    ],
)
def test_confint_matches_strucchange(name, key, kw):
    y, X, dates, h = peer_case(name)
    ref = REF[name][key]
    ci = B.breakpoints(y, X, h=h, dates=dates).confint(ref["breaks"], **kw)
    assert list(ci.break_positions) == ref["point"]
    assert list(ci.lower_positions) == ref["lower"]
    assert list(ci.upper_positions) == ref["upper"]


@pytest.mark.parametrize("name,m", [("nile", 1), ("trend", 2), ("ukdd", 2)])
def test_segment_coefficients(name, m):
    y, X, dates, h = peer_case(name)
    coef = B.breakpoints(y, X, h=h, dates=dates).coef(m)
    np.testing.assert_allclose(coef.to_numpy().ravel(), REF[name][f"coef_m{m}"], rtol=RTOL)


@pytest.mark.parametrize("name", CASES)
def test_fstats_match_strucchange(name):
    y, X, dates, _ = peer_case(name)
    ref = REF[name]["fstats"]
    res = B.fstats(y, X, trim=0.1 if name == "ukdd" else 0.15, dates=dates)
    np.testing.assert_allclose(res.stats, ref["stats"], rtol=RTOL)
    assert res.break_position == ref["breakpoint"]
    assert res.lambda_ == pytest.approx(ref["lambda"], rel=1e-12)
    for test, key in ((res.sup_f, "supF"), (res.ave_f, "aveF"), (res.exp_f, "expF")):
        assert test.statistic == pytest.approx(ref[key], rel=RTOL)
        np.testing.assert_allclose(test.options["pvalue_strucchange"], ref[f"{key}_p"], **PTOL)


def test_ukdd_sup_f_pvalue_and_date():
    y, X, dates, _ = peer_case("ukdd")
    res = B.fstats(y, X, trim=0.1, dates=dates)
    assert res.sup_f.pvalue == pytest.approx(REF["ukdd"]["fstats"]["supF_p"], rel=RTOL)
    assert res.break_date == pytest.approx(1973 + 9 / 12)  # 1973(10)


def test_hansen_pvalue_grid():
    g = REF["pvalue_grid"]
    for key in ("supF", "aveF", "expF"):
        mine = [pvalue_fstats(x, key, int(k), lam) for x, k, lam in zip(g["x"], g["k"], g["lambda"])]
        np.testing.assert_allclose(mine, g[key], **PTOL)


def test_monotone_pvalue_only_changes_the_downturn():
    # ave-F = 50 (k = 2, trim 0.15) is beyond the cubic surface: strucchange says 1
    assert pvalue_fstats(50.69, "aveF", 2, 42.25) == pytest.approx(1.0)
    assert pvalue_fstats(50.69, "aveF", 2, 42.25, monotone=True) < 1e-3
    for x in (2.0, 5.0, 8.0):
        assert pvalue_fstats(x, "aveF", 2, 42.25, monotone=True) == pvalue_fstats(x, "aveF", 2, 42.25)


def test_pargmaxv():
    g = REF["pargmaxv"]
    mine = [B.pargmaxv(x, xi=xi, phi1=p1, phi2=p2) for x, xi, p1, p2 in zip(g["x"], g["xi"], g["phi1"], g["phi2"])]
    np.testing.assert_allclose(mine, g["value"], rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("name", CASES)
def test_cusum_match_strucchange(name):
    y, X, dates, _ = peer_case(name)
    ref = REF[name]["efp"]
    ols = B.cusum_test(y, X, kind="OLS-CUSUM", dates=dates)
    rec = B.cusum_test(y, X, kind="Rec-CUSUM", dates=dates)
    assert ols.statistic == pytest.approx(ref["ols_stat"], rel=RTOL)
    assert rec.statistic == pytest.approx(ref["rec_stat"], rel=RTOL)
    np.testing.assert_allclose(ols.pvalue, ref["ols_p"], **PTOL)
    np.testing.assert_allclose(rec.pvalue, ref["rec_p"], **PTOL)
    np.testing.assert_allclose(ols.process, ref["ols_process"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(rec.process, ref["rec_process"], rtol=RTOL, atol=1e-7)


def test_chow_single_and_joint_match_r():
    y, X, dates, _ = peer_case("trend")
    one = B.chow_test(y, X, 1979, dates=dates)  # point 15 = 1979
    assert one.break_positions == (15,)
    assert one.statistic == pytest.approx(REF["trend"]["chow_1979"]["F"], rel=RTOL)
    assert one.pvalue == pytest.approx(REF["trend"]["chow_1979"]["p"], rel=RTOL)
    ref = REF["trend"]["chow_joint"]
    both = B.chow_test(y, X, [1979, 1994], dates=dates)
    assert (both.df_num, both.df_denom) == (ref["df1"], ref["df2"])
    assert both.statistic == pytest.approx(ref["F"], rel=RTOL)
    assert both.pvalue == pytest.approx(ref["p"], rel=RTOL)
    assert both.regime_starts == (1980.0, 1995.0)
