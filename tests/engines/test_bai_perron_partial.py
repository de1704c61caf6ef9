"""Partial structural change (fixed-coefficient regressors, mbreaks' x) and mbreaks' HAC options
in ewp_stats.engines.breaks.bai_perron_tests, against R mbreaks 1.0.1.

Expected values: tests/engines/reference/mbreaks_partial_reference.json, made by
``Rscript tests/r/mbreaks_partial_reference.R tests/engines/reference/mbreaks_partial_reference.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ewp_stats import breaks as B
from ewp_stats.errors import InputError

REF = json.loads((Path(__file__).parent / "reference" / "mbreaks_partial_reference.json").read_text())
CASES = {c["label"]: c for c in REF["cases"]}
RTOL = 1e-9


def _data(c):
    y = np.asarray(c["y"], dtype=float)
    n = y.size
    Z = np.column_stack([np.ones(n)] + [np.asarray(v, dtype=float) for v in (c["z"] or {}).values()])
    W = None if not c["x"] else np.column_stack([np.asarray(v, dtype=float) for v in c["x"].values()])
    return y, Z, W


def _run(c):
    y, Z, W = _data(c)
    kw = {}
    if c["robust"]:
        kw = {"robust": True, "prewhit": bool(c["prewhit"])}
    return B.bai_perron_tests(y, Z, fixed=W, max_breaks=c["m"], trim=c["eps1"], het_var=bool(c["hetvar"]),
                              het_data=bool(c["hetdat"]), **kw)


PARTIAL = [k for k, c in CASES.items() if c["x"] and not c["robust"]]


@pytest.mark.parametrize("label", PARTIAL)
def test_partial_change_matches_mbreaks(label):
    c = CASES[label]
    r = _run(c)
    assert [list(b) for b in r.break_positions] == [list(np.atleast_1d(b)) for b in c["break_positions"]]
    np.testing.assert_allclose(r.options["dating_ssr"], c["ssr"], rtol=RTOL)
    np.testing.assert_allclose(r.supf, c["supf"], rtol=RTOL)
    np.testing.assert_allclose(r.seq_supf, c["seq_supf"], rtol=RTOL)
    assert [r.n_breaks_sequential[lv] for lv in ("10%", "5%", "2.5%", "1%")] == c["n_breaks_sequential"]
    for lv, want in zip(("10%", "5%", "2.5%", "1%"), c["sequential_break_positions"], strict=True):
        assert list(r.sequential_break_positions[lv]) == list(np.atleast_1d(want))
    assert r.nreg == 1 + len(c["z"] or {})  # q counts the breaking regressors only


def test_fixed_regressor_planted_case_recovers_breaks():
    # const breaks after 50 and 100, the slope on x is fixed: the two-break dating finds both
    c = CASES["partial_const_breaks_x_fixed"]
    r = _run(c)
    assert abs(r.break_positions[1][0] - 50) <= 2 and abs(r.break_positions[1][1] - 100) <= 2


def test_partial_change_refuses_het_data_false_and_collinear_fixed():
    y, Z, W = _data(CASES["partial_const_breaks_x_fixed"])
    with pytest.raises(InputError, match="het_data=False is not available"):
        B.bai_perron_tests(y, Z, fixed=W, max_breaks=2, het_data=False)
    with pytest.raises(InputError, match="collinear|linearly dependent|rank"):
        B.bai_perron_tests(y, Z, fixed=np.ones((y.size, 1)), max_breaks=2)


HAC = [k for k, c in CASES.items() if c["robust"]]


@pytest.mark.parametrize("label", HAC)
def test_hac_options_match_mbreaks(label):
    c = CASES[label]
    r = _run(c)
    assert r.options["robust"] and r.options["prewhit"] == bool(c["prewhit"])
    assert [list(b) for b in r.break_positions] == [list(np.atleast_1d(b)) for b in c["break_positions"]]
    np.testing.assert_allclose(r.supf, c["supf"], rtol=RTOL)
    np.testing.assert_allclose(r.seq_supf, c["seq_supf"], rtol=RTOL)
    assert [r.n_breaks_sequential[lv] for lv in ("10%", "5%", "2.5%", "1%")] == c["n_breaks_sequential"]
    for lv, want in zip(("10%", "5%", "2.5%", "1%"), c["sequential_break_positions"], strict=True):
        assert list(r.sequential_break_positions[lv]) == list(np.atleast_1d(want))


def test_hac_option_combinations_refused():
    y, Z, _ = _data(CASES["hac_pure_robust"])
    with pytest.raises(InputError, match="het_data=False is not available"):
        B.bai_perron_tests(y, Z, max_breaks=2, robust=True, het_data=False)
    with pytest.raises(InputError, match="prewhit=True only applies"):
        B.bai_perron_tests(y, Z, max_breaks=2, prewhit=True)


def test_hac_without_autocorrelation_is_close_to_the_white_noise_variance():
    # iid errors: the HAC sup-F is near the non-robust one (same dates, a consistent variance)
    rng = np.random.default_rng(4)
    n = 400
    y = rng.standard_normal(n) + 1.0 * (np.arange(n) >= 200)
    plain = B.bai_perron_tests(y, max_breaks=2)
    hac = B.bai_perron_tests(y, max_breaks=2, robust=True)
    assert hac.break_positions == plain.break_positions
    assert hac.supf[0] == pytest.approx(plain.supf[0], rel=0.25)


INTERVALS = [(k, j) for k, c in CASES.items() for j in range(len(c["intervals"]))]


@pytest.mark.parametrize(("label", "j"), INTERVALS)
def test_intervals_match_mbreaks(label, j):
    c = CASES[label]
    iv = c["intervals"][j]
    y, Z, W = _data(c)
    dates = list(np.atleast_1d(iv["dates"]))
    m = iv["m"]
    for level, (col_lo, col_up) in ((0.95, (0, 1)), (0.90, (2, 3))):
        r = B.bai_perron_confint(y, Z, dates, fixed=W, level=level, robust=bool(c["robust"]),
                                 prewhit=bool(c["prewhit"]), het_omega=bool(iv["hetomega"]), het_q=bool(iv["hetq"]))
        assert r.break_positions == tuple(dates)
        for i, want in enumerate(iv["bound"]):
            assert r.lower_positions[i] == want[col_lo]
            # mbreaks 1.0.1 adds its "+ 1" to every earlier row once per later break (see Notes)
            assert r.upper_positions[i] == want[col_up] - (m - 1 - i)


def test_interval_contains_planted_break_and_narrows_with_the_shift():
    rng = np.random.default_rng(8)
    n = 300
    e = rng.standard_normal(n)
    widths = []
    for shift in (0.8, 2.0):
        y = e + shift * (np.arange(n) >= 150)
        r = B.bai_perron_confint(y, None, [150])
        assert r.lower_positions[0] <= 150 <= r.upper_positions[0]
        widths.append(r.upper_positions[0] - r.lower_positions[0])
    assert widths[1] < widths[0]


def test_interval_bad_input():
    y = np.arange(40.0) % 7
    with pytest.raises(InputError, match="break_positions must be increasing"):
        B.bai_perron_confint(y, None, [30, 20])
    with pytest.raises(InputError, match="prewhit=True only applies"):
        B.bai_perron_confint(y, None, [20], prewhit=True)
