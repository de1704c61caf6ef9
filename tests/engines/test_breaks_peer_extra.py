"""Fstats with separate from/to, per-regime residuals/fitted/vcov, breakfactor and the
OLS-MOSUM test against R strucchange 1.5-3.

Expected values: tests/engines/reference/strucchange_extra_reference.json, made by
``Rscript tests/r/strucchange_extra_reference.R tests/engines/reference/strucchange_extra_reference.json
ewp_stats/engines/breaks/strucchange_sc_me.csv``.  Numbers to 1e-6 relative.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ewp_stats import breaks as B
from ewp_stats.engines.breaks.mosum import mosum_critical_values
from ewp_stats.errors import InputError
from strucchange_cases import REFERENCE, peer_case

HERE = Path(__file__).parent / "reference"
REF = json.loads((HERE / "strucchange_extra_reference.json").read_text())
BASE = REFERENCE
RTOL = 1e-6
PTOL = dict(rtol=1e-6, atol=1e-14)


FSTATS = [("nile", "fstats_from_to", 0.1, 0.7), ("nile", "fstats_counts", 20, 60),
          ("trend", "fstats_from_to", 8, 30), ("ukdd", "fstats_from_to", 0.2, 0.6)]


@pytest.mark.parametrize(("name", "key", "frm", "to"), FSTATS)
def test_fstats_from_to_match_strucchange(name, key, frm, to):
    y, X, dates, _ = peer_case(name)
    r = REF[name][key]
    fs = B.fstats(y, X, trim=frm, to=to, dates=dates)
    assert (fs.from_, fs.to) == (r["first"], r["last"])
    np.testing.assert_allclose(fs.stats, r["stats"], rtol=RTOL)
    assert fs.lambda_ == pytest.approx(r["lambda"], rel=1e-12)
    assert fs.break_position == r["breakpoint"]
    for t, s in ((fs.sup_f, "supF"), (fs.ave_f, "aveF"), (fs.exp_f, "expF")):
        assert t.statistic == pytest.approx(r[s], rel=RTOL)
        np.testing.assert_allclose(t.options["pvalue_strucchange"], r[s + "_p"], **PTOL)


def test_fstats_to_out_of_range_is_refused():
    y, X, dates, _ = peer_case("nile")
    with pytest.raises(InputError, match="candidate breaks 15..99"):
        B.fstats(y, X, trim=0.15, to=99)
    with pytest.raises(InputError, match="to must be"):
        B.fstats(y, X, to=-0.5)


REGIMES = [("nile", "regimes_m1", 1), ("nile", "regimes_m2", 2), ("trend", "regimes_m2", 2), ("ukdd", "regimes_m2", 2)]


@pytest.mark.parametrize(("name", "key", "m"), REGIMES)
def test_regime_residuals_fitted_vcov_breakfactor_match_strucchange(name, key, m):
    y, X, dates, h = peer_case(name)
    r = REF[name][key]
    bp = B.breakpoints(y, X, h=h, dates=dates)
    np.testing.assert_allclose(bp.residuals(m), r["residuals"], rtol=RTOL, atol=1e-9 * np.abs(y).max())
    np.testing.assert_allclose(bp.fitted(m), r["fitted"], rtol=RTOL)
    for key_ref, kw in (("vcov", {}), ("vcov_homo", dict(het_reg=False, het_err=False)),
                        ("vcov_hetreg_only", dict(het_err=False)), ("vcov_heterr_only", dict(het_reg=False))):
        got = bp.vcov(m, **kw)
        assert len(got) == m + 1
        for mat, want in zip(got.values(), r[key_ref].values(), strict=True):
            np.testing.assert_allclose(mat.to_numpy().T.ravel(), want, rtol=RTOL)  # R stores column-major
    if name != "ukdd":  # monthly labels are formatted differently; the order is what counts
        assert list(bp.vcov(m)) == r["vcov_names"]
    bf = bp.breakfactor(m)
    assert list(bf.cat.categories) == r["breakfactor_levels"]
    np.testing.assert_array_equal(bf.cat.codes.to_numpy() + 1, r["breakfactor_codes"])
    np.testing.assert_array_equal(bf.index.to_numpy(), dates)


def test_breakfactor_labels_and_period_index():
    y = pd.Series(np.r_[np.zeros(20), np.ones(20)] + np.sin(np.arange(40)) * 0.1,
                  index=pd.period_range("2001Q1", periods=40, freq="Q"))
    bp = B.breakpoints(y, h=5)
    bf = bp.breakfactor(1, labels=["before", "after"])
    assert bf.index.equals(y.index)
    assert bf.iloc[19] == "before" and bf.iloc[20] == "after"
    with pytest.raises(InputError, match="2 distinct names"):
        bp.breakfactor(1, labels=["a"])


MOSUM = [("nile", "mosum", 0.15), ("nile", "mosum_h03", 0.3), ("trend", "mosum", 0.15),
         ("trend", "mosum_h02", 0.2), ("ukdd", "mosum", 0.15), ("ukdd", "mosum_h05", 0.5)]


@pytest.mark.parametrize(("name", "key", "h"), MOSUM)
def test_mosum_matches_strucchange(name, key, h):
    y, X, dates, _ = peer_case(name)
    r = REF[name][key]
    res = B.mosum_test(y, X, h=h, dates=dates)
    assert res.kind == "OLS-MOSUM"
    assert res.statistic == pytest.approx(r["stat"], rel=RTOL)
    assert res.pvalue == pytest.approx(r["p"], rel=RTOL, abs=1e-14)
    np.testing.assert_allclose(res.process, r["process"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(res.process_dates, r["time"], rtol=1e-12)


def test_mosum_pvalue_table_points():
    # at a tabulated window the critical values give exactly the tabulated levels
    cv = mosum_critical_values(0.15)
    for label, p in (("10%", 0.10), ("5%", 0.05), ("2.5%", 0.025), ("1%", 0.01)):
        assert B.pvalue_mosum(cv[label], 0.15) == pytest.approx(p, rel=1e-12)
    assert B.pvalue_mosum(100.0, 0.15) == 0.01
    assert B.pvalue_mosum(0.0, 0.15) == 1.0


def test_mosum_detects_temporary_shift_cusum_misses():
    rng = np.random.default_rng(11)
    n = 200
    y = rng.standard_normal(n) * 0.5
    y[80:120] += 1.5  # a shift that is reversed
    mos = B.mosum_test(y, h=0.15)
    assert mos.pvalue <= 0.01
    peak = int(np.argmax(np.abs(mos.process)))
    assert 70 <= mos.process_dates[peak] <= 130


def test_mosum_bad_h():
    with pytest.raises(InputError, match="h must be a fraction"):
        B.mosum_test(np.arange(30.0), h=1.5)
