"""Bai-Perron (1998, 2003) tests against R mbreaks 1.0.1.

Reference values: tests/engines/reference/mbreaks_reference.json, made by tests/r/mbreaks_reference.R
(mbreaks ``dotest``, ``doseqtests`` and ``dosequa`` with ``prewhit = 0, robust = 0``) on the Nile
series, log UK driver deaths, a constant + trend series with a planted break after observation 70
and a series with a regressor and planted breaks after observations 50 and 100.  R is not needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ewp_stats.engines.breaks import (
    BaiPerronTestsResult,
    bai_perron_critical_values,
    bai_perron_tests,
)
from ewp_stats.engines.breaks.bai_perron_tests import LEVELS, TRIMS
from ewp_stats.errors import InputError

REF = json.loads(
    (Path(__file__).parent / "reference" / "mbreaks_reference.json").read_text()
)
CASES = {c["label"]: c for c in REF["cases"]}
RTOL = 1e-6


def _vec(v) -> list[int]:
    return [int(x) for x in np.atleast_1d(v)]


def _fit(case: dict) -> BaiPerronTestsResult:
    y = np.asarray(case["y"], float)
    X = np.ones((y.size, 1))
    if case["regressors"]:
        X = np.column_stack(
            [X] + [np.asarray(v, float) for v in case["regressors"].values()]
        )
    return bai_perron_tests(
        y,
        X,
        max_breaks=case["m"],
        trim=case["eps1"],
        het_var=bool(case["hetvar"]),
        het_data=bool(case["hetdat"]),
    )


def test_reference_provenance():
    assert REF["mbreaks_version"] == "1.0.1"
    assert REF["r_version"].startswith("R version")
    assert {
        "nile",
        "uk_driver_deaths",
        "trend_break_at_70",
        "regressor_breaks_at_50_100",
    } <= set(CASES)


@pytest.mark.parametrize("label", sorted(CASES))
def test_statistics_equal_mbreaks(label):
    case = CASES[label]
    r = _fit(case)
    assert r.h == case["h"]
    np.testing.assert_allclose(r.supf, case["supf"], rtol=RTOL)
    np.testing.assert_allclose(r.seq_supf, case["seq_supf"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(r.udmax, case["udmax"], rtol=RTOL)
    np.testing.assert_allclose([r.wdmax[lv] for lv in LEVELS], case["wdmax"], rtol=RTOL)
    assert [list(b) for b in r.break_positions] == [
        _vec(b) for b in case["break_positions"]
    ]


@pytest.mark.parametrize("label", sorted(CASES))
def test_critical_values_equal_mbreaks(label):
    case = CASES[label]
    r = _fit(case)
    np.testing.assert_allclose(
        [r.supf_critical_values[lv] for lv in LEVELS], case["supf_cv"], rtol=RTOL
    )
    np.testing.assert_allclose(
        [r.seq_critical_values[lv] for lv in LEVELS], case["seq_cv"], rtol=RTOL
    )
    np.testing.assert_allclose(
        [r.udmax_critical_values[lv] for lv in LEVELS], case["udmax_cv"], rtol=RTOL
    )


@pytest.mark.parametrize("label", sorted(CASES))
def test_sequential_number_of_breaks_equals_mbreaks(label):
    case = CASES[label]
    r = _fit(case)
    assert [r.n_breaks_sequential[lv] for lv in LEVELS] == [
        int(v) for v in case["n_breaks_sequential"]
    ]
    got = [list(r.sequential_break_positions[lv]) for lv in LEVELS]
    assert got == [
        _vec(d) if d is not None else [] for d in case["sequential_break_positions"]
    ]


def test_planted_breaks_are_found():
    found = _fit(CASES["regressor_breaks_at_50_100"]).sequential_break_positions["5%"]
    assert len(found) == 2 and abs(found[0] - 50) <= 3 and abs(found[1] - 100) <= 4
    assert (
        abs(_fit(CASES["trend_break_at_70"]).sequential_break_positions["5%"][0] - 70)
        <= 3
    )


def test_csv_equals_the_tables_mbreaks_ships():
    """Every entry of the shipped CSV equals mbreaks' sysdata objects (supFcv<i>, supF_next_cv<i>, Dmax_cv<i>)."""
    for i, trim in enumerate(sorted(TRIMS), 1):
        for obj, table in (("supFcv", "supF"), ("supF_next_cv", "supF_next")):
            mat = np.asarray(REF["tables"][f"{obj}{i}"], float)
            assert mat.shape[0] == 40
            for row in range(40):
                lv, q = LEVELS[row // 10], row % 10 + 1
                for m in range(1, mat.shape[1] + 1):
                    assert (
                        bai_perron_critical_values(table, trim=trim, q=q, m=m)[lv]
                        == mat[row, m - 1]
                    )
        mat = np.asarray(REF["tables"][f"Dmax_cv{i}"], float)
        for row in range(40):
            lv, q = LEVELS[row // 10], row % 10 + 1
            assert (
                bai_perron_critical_values("UDmax", trim=trim, q=q)[lv] == mat[row, 0]
            )
            assert (
                bai_perron_critical_values("WDmax", trim=trim, q=q)[lv] == mat[row, 1]
            )


def test_published_values_spot_check():
    # Bai and Perron (2003, Econometrics Journal), Table 1, trim 0.15, q = 1: sup-F(1) at 5% is 8.58, UDmax 8.88
    assert bai_perron_critical_values("supF", trim=0.15, q=1, m=1)["5%"] == 8.58
    assert bai_perron_critical_values("UDmax", trim=0.15, q=1)["5%"] == 8.88


def test_result_api_and_validation():
    r = _fit(CASES["nile"])
    assert list(r.supf_critical_values) == ["10%", "5%", "2.5%", "1%"]
    assert "UDmax" in r.summary()
    json.dumps(r.to_dict())
    y = np.asarray(CASES["nile"]["y"])
    with pytest.raises(InputError):
        bai_perron_tests(y, trim=0.12)
    with pytest.raises(InputError):
        bai_perron_tests(y, trim=0.20, max_breaks=4)
    with pytest.raises(InputError):
        bai_perron_tests(y, max_breaks=0)
    with pytest.raises(InputError):
        bai_perron_critical_values("sup", trim=0.15, q=1)
