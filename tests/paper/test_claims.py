"""Tests of the claims register and its audit (ewp_stats.paper.claims).

Expected values are computed independently here from the printed figures (plain float arithmetic)
or taken from the cross-checks recorded in ../shared/data/raw/PROVENANCE.md (east/west ratio,
paper's groups: compendium 1979 = 2.107, 1997 = 2.862, 1998 = 2.889, revised 2007 = 3.132;
first-release 2007 = 3.183).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewp_stats import claims, data
from ewp_stats.paper.claims import Bounded, CheckExpressionError
from ewp_stats.errors import DataValidationError, InputError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REGISTER_CSV = SEEDS / "claims.csv"


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return claims.read_register(REGISTER_CSV)


@pytest.fixture(scope="module")
def raw_register() -> pd.DataFrame:
    return pd.read_csv(REGISTER_CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def result(register: pd.DataFrame) -> claims.AuditResult:
    return claims.audit(register=register)


@pytest.fixture(scope="module")
def frame(result: claims.AuditResult) -> pd.DataFrame:
    return result.to_frame()


# ---------------------------------------------------------------------------------------------
# the register itself


def test_register_rows_all_have_check_or_reason(raw_register: pd.DataFrame) -> None:
    has_check = raw_register["check"].str.strip() != ""
    has_reason = raw_register["not_checkable_reason"].str.strip() != ""
    assert (has_check ^ has_reason).all()
    assert raw_register["id"].is_unique
    assert list(raw_register.columns) == list(claims.REGISTER_COLUMNS)


def test_register_covers_every_document_and_key_figures(register: pd.DataFrame) -> None:
    counts = register["document"].value_counts().to_dict()
    assert set(counts) == {"000", "001", "002", "003", "004"}
    assert len(register) >= 60
    printed = set(register["printed"])
    for figure in ("2.12", "2.86", "2.89", "3.18", "3.71%", "2.96%", "80.3%", "60.3%", "0.08%",
                   "16.8%", "10.3%", "71.79 billion", "697.27 billion", "7.86 billion",
                   "22.89 billion yuan", "1.7 trillion yuan", "6.6 percent", "35.6 percent",
                   "3.9 billion yuan", "24.2 billion yuan"):
        assert figure in printed, figure


def test_register_functions_are_all_known(raw_register: pd.DataFrame) -> None:
    known = set(claims.check_functions().index)
    for col in ("check", "alt_check", "context"):
        for expr in raw_register[col]:
            if expr:
                assert claims.parse_check(expr).functions <= known


def test_shipped_register_equals_seeds_file(raw_register: pd.DataFrame) -> None:
    shipped = data.load("claims_register").reset_index()[list(claims.REGISTER_COLUMNS)]
    # numbers are typed in the shipped dataset, text in seeds/claims.csv
    assert shipped["value"].dtype == "float64" and shipped["decimals"].dtype == "int64"
    assert shipped["value"].tolist() == [float(v) for v in raw_register["value"]]
    for col in ("decimals", "line", "start", "end"):
        assert shipped[col].tolist() == [int(v) for v in raw_register[col]], col
    high = shipped["value_high"]
    assert [("" if pd.isna(v) else v) for v in high] == [float(v) if v else "" for v in raw_register["value_high"]]
    numeric = ("value", "value_high", "decimals", "line", "start", "end")
    text = [c for c in claims.REGISTER_COLUMNS if c not in numeric]
    shipped_text = shipped[text].astype(object)
    shipped_text = shipped_text.where(shipped_text.notna(), "").map(str)
    pd.testing.assert_frame_equal(shipped_text, raw_register[text], check_dtype=False)
    # the typed register validates as the text one does
    pd.testing.assert_frame_equal(claims.validate_register(data.load("claims_register")),
                                  claims.validate_register(raw_register))


def _with_row(raw: pd.DataFrame, **changes: str) -> pd.DataFrame:
    row = raw.iloc[[0]].copy()
    for k, v in changes.items():
        row[k] = v
    return pd.concat([raw, row], ignore_index=True)


# (id, changes to a copy of row P01 appended to the register, match); the error is always a
# DataValidationError naming the register, the row and the column
_BAD_ROWS = [
    ("duplicate-id", {}, r"duplicated claim ids \['P01'\]"),
    ("neither-check-nor-reason", {"id": "P999", "check": "", "not_checkable_reason": ""},
     r"row 'P999'.*neither a check nor a not_checkable_reason"),
    ("check-and-reason", {"id": "P999", "check": "1", "not_checkable_reason": "x"},
     r"both a check and a not_checkable_reason"),
    ("unknown-function", {"id": "P999", "check": "gdp_growth(2007)"},
     r"column 'check'.*unknown function 'gdp_growth'"),
    ("unknown-function-alt", {"id": "P999", "alt_check": "mystery(1)", "alt_explanation": "x"},
     r"column 'alt_check'.*unknown function 'mystery'"),
    ("unknown-claim", {"id": "P999", "check": 'claim("P000")'}, r"cites unknown ids \['P000'\]"),
    ("self-reference", {"id": "P999", "check": 'claim("P999")'}, r"may not cite its own claim"),
    ("alt-without-explanation", {"id": "P999", "alt_check": "1"}, r"alt_check without alt_explanation"),
    ("context-without-label", {"id": "P999", "context": "1"}, r"context without context_label"),
    ("unknown-document", {"id": "P999", "document": "4"}, r"unknown document '4'"),
    ("value-not-a-number", {"id": "P999", "value": "2,12"}, r"value '2,12' is not a number"),
    ("value-not-finite", {"id": "P999", "value": "inf"}, r"value 'inf' is not finite"),
    ("decimals-not-integer", {"id": "P999", "decimals": "two"}, r"decimals 'two' is not an integer"),
    ("unknown-qualifier", {"id": "P999", "qualifier": "roughly"}, r"qualifier 'roughly' unknown"),
    ("anchor-not-integer", {"id": "P999", "line": "1.5"}, r"row 'P999', column 'line': line '1.5' is not an integer"),
    ("anchor-not-a-span", {"id": "P999", "start": "9", "end": "9"}, r"is not a span"),
    ("range-without-high", {"id": "P999", "qualifier": "range"}, r"value_high is given exactly when"),
    ("high-without-range", {"id": "P999", "value_high": "9"}, r"value_high is given exactly when"),
    ("empty-quantity", {"id": "P999", "quantity": ""}, r"empty quantity"),
    ("empty-id", {"id": ""}, r"empty claim id"),
]


@pytest.mark.parametrize(("changes", "match"), [pytest.param(c, m, id=i) for i, c, m in _BAD_ROWS])
def test_bad_register_rows_fail(raw_register: pd.DataFrame, changes: dict[str, str], match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        claims.validate_register(_with_row(raw_register, **changes))


def _set(frame: pd.DataFrame, column: str, value: float) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].astype("float64")
    out.loc[out.index[0], column] = value
    return out


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [pytest.param("decimals", 2.5, r"decimals 2.5 is not an integer", id="fractional-decimals"),
     pytest.param("value", float("nan"), r"value nan is not finite", id="nan-value")],
)
def test_bad_typed_register_fails(column: str, value: float, match: str) -> None:
    typed = data.load("claims_register").reset_index()
    with pytest.raises(DataValidationError, match=match):
        claims.validate_register(_set(typed, column, value))


def test_missing_column_fails(raw_register: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match=r"missing columns \['decimals'\]"):
        claims.validate_register(raw_register.drop(columns="decimals"))


# ---------------------------------------------------------------------------------------------
# pinned audit results


def test_every_claim_has_a_status(result: claims.AuditResult, register: pd.DataFrame) -> None:
    assert len(result.claims) == len(register) == result.n_register
    assert {c.status for c in result.claims} <= set(claims.STATUSES)
    counts = result.counts
    assert sum(counts.values()) == len(register)
    # regression pin of the closing note's counts; update deliberately with the register
    assert counts == {"reproduced": 44, "discrepant": 9, "not_checkable": 80}


def test_ratio_1979_is_discrepant_by_vintage(frame: pd.DataFrame) -> None:
    row = frame.loc["P04"]
    assert row["status"] == "discrepant"
    assert row["recomputed"] == pytest.approx(2.107, abs=5e-4)
    assert row["difference"] == pytest.approx(2.107 - 2.12, abs=5e-4)
    assert "vintage" in row["explanation"]
    assert row["basis"] == "data"


@pytest.mark.parametrize(("cid", "expected"),
                         [("P05", 2.862), ("P08", 2.889), ("P09", 3.183)])
def test_ratio_endpoints_reproduced(frame: pd.DataFrame, cid: str, expected: float) -> None:
    assert frame.loc[cid, "status"] == "reproduced"
    assert frame.loc[cid, "recomputed"] == pytest.approx(expected, abs=5e-4)
    assert abs(frame.loc[cid, "difference"]) <= 0.005


def test_ratio_2007_other_vintage_shown(frame: pd.DataFrame) -> None:
    assert frame.loc["P09", "context_value"] == pytest.approx(3.132, abs=5e-4)
    assert "revised compendium" in frame.loc["P09", "explanation"]


def test_stated_ratio_growth_371_is_change_over_20(frame: pd.DataFrame) -> None:
    row = frame.loc["P06"]
    compound = 100 * ((2.86 / 2.12) ** (1 / 18) - 1)
    assert row["status"] == "discrepant"
    assert row["recomputed"] == pytest.approx(compound, rel=1e-12)
    assert row["alt_value"] == pytest.approx(100 * (2.86 - 2.12) / 20, rel=1e-12)
    assert row["alt_reproduces"]
    assert "divided by 20" in row["explanation"]


def test_stated_ratio_growth_296_is_change_over_10(frame: pd.DataFrame) -> None:
    row = frame.loc["P10"]
    assert row["status"] == "discrepant"
    assert row["recomputed"] == pytest.approx(100 * ((3.18 / 2.89) ** (1 / 9) - 1), rel=1e-12)
    assert row["alt_value"] == pytest.approx(100 * (3.18 - 2.89) / 10, rel=1e-12)
    assert row["alt_reproduces"]


@pytest.mark.parametrize(
    ("cid", "expected"),
    [("P35", 100 * 391739.39 / 487719.01),   # 80.3%
     ("P37", 100 * 1433.13 / 2377.197),      # 60.3%
     ("P38", 100 * 399.34 / 487719.01),      # 0.08%
     ("P39", 100 * 399.34 / 2377.197),       # 16.8%
     ("P33", 100 * 71.79 / 697.27),          # 10.3%
     ("N2-10", 100 * ((24.2 / 3.9) ** (1 / 6) - 1)),  # 35.6%
     ("P36", 1433.13), ("P26", 2592), ("P34", 5249)],
)
def test_shares_and_restatements_reproduced(frame: pd.DataFrame, cid: str, expected: float) -> None:
    assert frame.loc[cid, "status"] == "reproduced"
    assert frame.loc[cid, "recomputed"] == pytest.approx(expected, rel=1e-12)


def test_table1_totals_reproduced_within_cell_rounding(frame: pd.DataFrame) -> None:
    totals = [f"P{i}" for i in range(40, 54)]
    assert (frame.loc[totals, "status"] == "reproduced").all()
    # government funds: cells sum to 2377.198, printed 2377.197: inside the cells' rounding
    assert frame.loc["P40", "recomputed"] == pytest.approx(2377.198, abs=1e-9)
    assert frame.loc["P40", "recomputed_upper"] - frame.loc["P40", "recomputed_lower"] == \
        pytest.approx(5 * 0.001, abs=1e-9)


def test_government_subtotal_mismatches(frame: pd.DataFrame) -> None:
    assert frame.loc["P57", "status"] == "discrepant"
    assert frame.loc["P57", "difference"] == pytest.approx(303.453 - 534.553, abs=1e-9)
    assert frame.loc["P54", "status"] == "discrepant"
    assert frame.loc["P54", "difference"] == pytest.approx(2.6176, abs=1e-9)
    assert (frame.loc[["P55", "P56", "P58"], "status"] == "reproduced").all()


def test_table2_totals_not_checkable_with_lower_bound(frame: pd.DataFrame) -> None:
    row = frame.loc["P59"]
    assert row["status"] == "not_checkable"
    assert row["context_value"] == 167 + 191
    assert "2003-2008" in row["explanation"]


def test_not_checkable_rows_have_no_numbers(frame: pd.DataFrame) -> None:
    nc = frame[frame["status"] == "not_checkable"]
    assert nc["recomputed"].isna().all() and nc["difference"].isna().all()
    assert nc["explanation"].str.startswith("Not checkable: ").all()


def test_xinjiang_implied_growth_context(frame: pd.DataFrame) -> None:
    xj = data.load("xinjiang")
    factor = xj.loc[2019, "real_gdp_2000"] / xj.loc[2012, "real_gdp_2000"]
    expected = 100 * ((1.066 ** 10 / factor) ** (1 / 3) - 1)
    assert frame.loc["N3-10", "status"] == "not_checkable"
    assert frame.loc["N3-10", "context_value"] == pytest.approx(expected, rel=1e-12)
    assert frame.loc["N0-03", "context_value"] == pytest.approx(22.89 / 3.23, rel=1e-12)


def test_bound_claim_uses_relation(frame: pd.DataFrame) -> None:
    assert frame.loc["N2-07", "status"] == "reproduced"
    assert frame.loc["N2-07", "recomputed"] == pytest.approx(140000 / 60000, rel=1e-12)


def test_audit_uses_the_data_it_is_given(register: pd.DataFrame) -> None:
    ratio = data.load("east_west_ratio").copy()
    ratio.loc[("gcam_compendium", 1997), "ratio"] = 2.80
    res = claims.audit(register=register, datasets={"east_west_ratio": ratio})
    f = res.to_frame()
    assert f.loc["P05", "status"] == "discrepant"
    assert f.loc["P05", "difference"] == pytest.approx(-0.06, abs=1e-12)


def test_audit_filters(register: pd.DataFrame) -> None:
    res = claims.audit(document="003", register=register)
    assert {c.id for c in res.claims} == {f"N3-{i:02d}" for i in range(1, 11)}
    res = claims.audit(status="discrepant", register=register)
    assert {c.id for c in res.claims} == {"P04", "P06", "P10", "P12", "P13", "P29", "P54",
                                          "P57", "P93"}
    assert res.n_register == len(register)


def test_audit_rejects_unknown_filters(register: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"unknown document '4'; expected one of"):
        claims.audit(document="4", register=register)
    with pytest.raises(InputError, match=r"unknown status 'ok'"):
        claims.audit(status="ok", register=register)


def test_result_outputs(result: claims.AuditResult, frame: pd.DataFrame) -> None:
    for col in ("document", "location", "quantity", "printed", "value", "recomputed",
                "difference", "relative_difference", "status", "explanation"):
        assert col in frame.columns
    text = result.summary()
    assert "reproduced: 44, discrepant: 9, not_checkable: 80" in text
    assert "P06" in text.split("Discrepancies:")[1]
    html_text = result._repr_html_()
    assert "<table" in html_text and "￥230 million" in html_text
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert payload["counts"] == {"reproduced": 44, "discrepant": 9, "not_checkable": 80}
    assert (payload["document"], payload["status"], payload["n_register"]) == (None, None, 133)
    assert len(payload["claims"]) == len(frame)
    p35 = next(c for c in payload["claims"] if c["id"] == "P35")
    assert (p35["printed"], p35["value"], p35["decimals"], p35["status"]) == ("80.3%", 80.3, 1, "reproduced")
    assert p35["recomputed"] == pytest.approx(100 * 391739.39 / 487719.01)
    by_doc = result.counts_by_document
    assert by_doc.sum().sum() == len(frame) and by_doc.loc["003", "not_checkable"] == 10


def test_audit_is_deterministic(register: pd.DataFrame) -> None:
    a = claims.audit(register=register).to_frame().to_csv(lineterminator="\n")
    b = claims.audit(register=register).to_frame().to_csv(lineterminator="\n")
    assert a == b


def test_filtered_audit_serialises_its_filters(register: pd.DataFrame) -> None:
    payload = claims.audit(document="002", register=register).to_dict()
    assert (payload["document"], payload["status"], payload["n_register"]) == ("002", None, 133)
    assert sum(payload["counts"].values()) == len(payload["claims"]) == 15
    assert {c["document"] for c in payload["claims"]} == {"002"}


# ---------------------------------------------------------------------------------------------
# the safe evaluator


@pytest.mark.parametrize(
    ("expression", "message"),
    [('__import__("os").system("true")', r"attribute access not allowed|only registered functions"),
     ('open("/etc/passwd")', r"unknown function 'open'"),
     ("().__class__", r"Attribute|attribute access not allowed"),
     ("ew_ratio.__globals__", r"attribute access not allowed"),
     ("x + 1", r"name 'x' not allowed"),
     ('claim(id="P01")', r"keyword arguments not allowed"),
     ("[1, 2][0]", r"Subscript not allowed"),
     ("1 if 1 else 2", r"IfExp not allowed"),
     ("lambda: 1", r"Lambda not allowed"),
     ("1 < 2", r"Compare not allowed"),
     ("7 // 2", r"operator FloorDiv not allowed"),
     ("not 1", r"unary operator Not not allowed"),
     ("True + 1", r"constant True not allowed"),
     ("claim(some_id)", r"name 'some_id' not allowed"),
     ('claim("P0" + "1")', r"claim\(\) takes one string literal"),
     ("1 +", r"syntax error"),
     ("", r"empty check expression"),
     ("1" + " + 1" * 400, r"longer than 1000 characters")],
)
def test_safe_evaluator_refuses(expression: str, message: str) -> None:
    with pytest.raises(CheckExpressionError, match=message):
        claims.parse_check(expression)


@pytest.mark.parametrize(
    ("expression", "message"),
    [("10.0 ** 10 ** 10", r"overflow"),
     ("1 / 0", r"contains zero"),
     ('"a" + 1', r"expected a number, got str"),
     ('listed("a; ; b")', r"empty item"),
     ('ew_ratio(1979, "no_such_vintage")', r"unknown vintage 'no_such_vintage'"),
     ('ew_ratio(1850, "gcam_compendium")', r"no row \('gcam_compendium', 1850\)"),
     ('xj("gdp", 2022)', r"no row 2022 in dataset 'xinjiang'"),
     ('xj("gdp", 2010.5)', r"year must be a whole number"),
     ('table1("government_funds", "2008")', r"no row \('government_funds', '2008'\)"),
     ('xj("gdp")', r"bad arguments to xj\(column, year\)"),
     ('cagr(1, 2, claim("P04"))', r"years must be an exact positive number"),
     ('"text"', r"evaluates to a string")],
)
def test_evaluation_errors(expression: str, message: str) -> None:
    with pytest.raises(CheckExpressionError, match=message):
        claims.evaluate_check(expression)


def test_evaluate_check_values() -> None:
    assert claims.evaluate_check('listed("a; b; c")').value == 3
    got = claims.evaluate_check("100 * cagr(3.9, 24.2, 6)")
    assert got.value == pytest.approx(100 * ((24.2 / 3.9) ** (1 / 6) - 1), rel=1e-12)
    assert got.lower == got.upper == got.value  # literals are exact
    assert claims.evaluate_check('table2("cadre_east_to_west", "2009")').value == 167
    cell = claims.evaluate_check('table1("county_level", "2007")')  # printed '83.2521.'
    assert (cell.value, cell.lower, cell.upper) == pytest.approx((83.2521, 83.25205, 83.25215))
    ref = claims.evaluate_check('claim("P05")')
    assert (ref.lower, ref.value, ref.upper) == pytest.approx((2.855, 2.86, 2.865))


def test_register_function_extends_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claims.LANGUAGE, "_functions", dict(claims.LANGUAGE._functions))
    claims.register_function("xj_growth", lambda ctx, y: ctx.dataset("xinjiang").loc[int(y), "real_growth"],
                             signature="xj_growth(year)", description="real growth, percent")
    assert claims.evaluate_check("xj_growth(2010)").value == pytest.approx(10.6)
    assert "xj_growth" in claims.check_functions().index
    with pytest.raises(InputError, match="already registered"):
        claims.register_function("xj_growth", lambda ctx: 0.0, signature="", description="")
    with pytest.raises(InputError, match="not a Python identifier"):
        claims.register_function("x-y", lambda ctx: 0.0, signature="", description="")
    with pytest.raises(InputError, match="basis 'web' unknown"):
        claims.register_function("z", lambda ctx: 0.0, signature="", description="", basis="web")


# ---------------------------------------------------------------------------------------------
# interval arithmetic (hypothesis)

_pos = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
_half = st.floats(min_value=0.0, max_value=0.005, allow_nan=False)
_frac = st.floats(min_value=0.0, max_value=1.0)


def _b(x: float, h: float) -> Bounded:
    return Bounded(x, x - h, x + h)


@given(_pos, _half, _pos, _half, _frac, _frac)
def test_interval_ops_contain_every_point(x: float, hx: float, y: float, hy: float,
                                          u: float, v: float) -> None:
    a, b = _b(x, hx), _b(y, hy)
    px, py = x - hx + 2 * hx * u, y - hy + 2 * hy * v  # any points inside the intervals
    for op, f in (("+", lambda p, q: p + q), ("-", lambda p, q: p - q),
                  ("*", lambda p, q: p * q), ("/", lambda p, q: p / q)):
        r = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
        val = f(px, py)
        tol = 1e-9 * max(1.0, abs(val))
        assert r.lower - tol <= val <= r.upper + tol, op
        assert r.value == pytest.approx(f(x, y), rel=1e-12, abs=1e-12)


@given(_pos, _half, st.floats(min_value=-3, max_value=3), _frac)
def test_interval_power_contains_every_point(x: float, hx: float, e: float, u: float) -> None:
    a = _b(x, hx)
    px = max(x - hx + 2 * hx * u, 1e-12)
    if a.lower <= 0:
        return
    r = a ** Bounded.exact(e)
    val = px ** e
    assert r.lower * (1 - 1e-9) <= val <= r.upper * (1 + 1e-9)
    assert math.isclose(r.value, x ** e, rel_tol=1e-12)


def test_reproduce_step_and_figure() -> None:
    from ewp_stats.reporting.steps import claims_step

    step = claims_step()
    counts = {k: step.values[k] for k in ("n_reproduced", "n_discrepant", "n_not_checkable", "n_claims")}
    assert counts == {"n_reproduced": 44.0, "n_discrepant": 9.0, "n_not_checkable": 80.0, "n_claims": 133.0}
    audit_table = step.tables["audit"]
    assert audit_table.loc["P06", "alt_reproduces"] == "True"
    fig = step.figures["status_by_document"]
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == 133  # every claim drawn once
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "004 (paper)"
    import matplotlib.pyplot as plt

    plt.close(fig)


# --------------------------------------------------------------------------- arithmetic the chapter quotes
def test_alt_value_years_spreads_the_change_over_whole_years():
    from ewp_stats.paper.claim_functions import alt_value_years

    frame = pd.DataFrame({"value": [2.0, 2.9, 1.5], "alt_value": [None, None, 5.0]}, index=["S", "E", "R"])
    assert alt_value_years(frame, "R", "S", "E") == 18  # 100 * 0.9 / 5


def test_table2_subset_sums_cover_every_non_empty_subset():
    from ewp_stats.paper.claim_functions import n_table2_subset_sums_equal, table2_subset_sums

    idx = pd.MultiIndex.from_tuples([("a", "p"), ("b", "p"), ("c", "p"), ("a", "q")], names=["item", "period"])
    personnel = pd.DataFrame({"count": [1, 2, 4, 100]}, index=idx)
    assert sorted(table2_subset_sums(personnel, period="p")) == [1, 2, 3, 4, 5, 6, 7]
    assert n_table2_subset_sums_equal(personnel, 3, period="p") == 1
    assert n_table2_subset_sums_equal(personnel, 100, period="p") == 0
    shipped = data.load("personnel").xs("2003-2010", level="period")
    assert len(table2_subset_sums(data.load("personnel"))) == 2 ** len(shipped) - 1


# ---------------------------------------------------------------------------------------------
# the check functions added for the coverage of the register (issue 14)

_SOURCES = "government_funds; enterprise_investments; social_donations"


@pytest.mark.parametrize(("expression", "expected"), [
    # printed Table 1 totals: enterprise 391739.39 > government 2377.197 > donations 399.34
    (f'table1_rank("enterprise_investments", "2003-2007", "{_SOURCES}")', 1.0),
    (f'table1_rank("government_funds", "2003-2007", "{_SOURCES}")', 2.0),
    (f'table1_rank("social_donations", "2003-2007", "{_SOURCES}")', 3.0),
    # 2003: real investments 3457.66 > government 343.795 > tax 96.75
    ('table1_rank("tax_payments", "2003", "government_funds; real_investments; tax_payments")', 3.0),
    # donations 50.463 < 55.028 < 80.154 < 92.225 < 121.47: rising every year
    ('table1_increasing("social_donations")', 1.0),
    # government 343.795 < 468.659 < 482.952 < 534.553 < 547.239
    ('table1_increasing("government_funds")', 1.0),
    # taxes 96.75, 122.23, 77: falls in 2005
    ('table1_increasing("tax_payments")', 0.0),
    # enterprise investments 105759.07 in 2004, then 64724.714
    ('table1_increasing("enterprise_investments")', 0.0),
    # datelines of seeds/bibliography.csv; the paper's convention year 2011
    ('reference_year("001") - 1996', 30.0),
    ('reference_year("004") - 1996', 15.0),
])
def test_new_check_functions(expression: str, expected: float) -> None:
    assert claims.evaluate_check(expression).value == expected


def test_prov_agrees_with_the_xinjiang_dataset() -> None:
    """prov() reads the provincial datasets; Xinjiang's NBS 2021 values are the xinjiang dataset's."""
    xj = data.load("xinjiang")
    for year in (2007, 2012, 2019):
        assert claims.evaluate_check(f'prov("gdp", "Xinjiang", {year}, "nbs_2021")').value == \
            pytest.approx(xj.loc[year, "gdp"])
        assert claims.evaluate_check(f'prov("population", "Xinjiang", {year}, "nbs_2021")').value == \
            pytest.approx(xj.loc[year, "population"])
        assert claims.evaluate_check(f'prov("real_gdp", "Xinjiang", {year}, "")').value == \
            pytest.approx(xj.loc[year, "real_gdp_2000"], rel=1e-6)
    # 2007: Xinjiang's first release (CSY 2009) equals the compendium value (PROVENANCE.md, 3a)
    first = claims.evaluate_check('prov("gdp", "Xinjiang", 2007, "csy2009_first_release")').value
    assert first == claims.evaluate_check('prov("gdp", "Xinjiang", 2007, "gcam_compendium")').value
    assert first != xj.loc[2007, "gdp"]  # the NBS 2021 vintage revised it


def test_reference_years_are_the_datelines() -> None:
    from ewp_stats.paper.claim_functions import REFERENCE_YEARS

    bib = pd.read_csv(SEEDS / "bibliography.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    for doc, year in REFERENCE_YEARS.items():
        if bib.loc[doc, "kind"] == "news":
            assert year == int(bib.loc[doc, "date"][:4])
    assert REFERENCE_YEARS["004"] == 2011
    assert set(REFERENCE_YEARS) == set(claims.DOCUMENTS)


@pytest.mark.parametrize(("expression", "message"), [
    ('prov("gdp", "Atlantis", 2007, "nbs_2021")', "unknown province"),
    ('prov("gdp", "Xinjiang", 2007, "nope")', "unknown vintage"),
    ('prov("wealth", "Xinjiang", 2007, "nbs_2021")', "unknown column"),
    ('prov("real_gdp", "Xinjiang", 2007, "nbs_2021")', "one vintage only"),
    ('prov("gdp", "Xinjiang", 1950, "nbs_2021")', "no row"),
    ('table1_rank("total", "2003", "government_funds; tax_payments")', "not among"),
    ('table1_rank("tax_payments", "2003", "tax_payments; ; total")', "empty item"),
    ('table1_increasing("nothing")', "no row"),
    ('reference_year("009")', "unknown document"),
])
def test_new_check_function_errors(expression: str, message: str) -> None:
    with pytest.raises(CheckExpressionError, match=message):
        claims.evaluate_check(expression)
