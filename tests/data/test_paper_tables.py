"""Tests of the as-printed Table 1/Table 2 transcriptions and their tidy builders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ewp_stats.errors import DataValidationError
from ewp_stats.pipeline.paper_tables import (
    FUNDING_FILE,
    PERSONNEL_FILE,
    build_funding,
    build_personnel,
    parse_printed_number,
)
from ewp_stats.pipeline.catalog import SPECS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
YEARS = ["2003", "2004", "2005", "2006", "2007"]

# Table 1 as printed (transcribed independently here, as floats) -- the peer values.
PRINTED_T1 = {
    "government_funds": [343.795, 468.659, 482.952, 534.553, 547.239, 2377.197],
    "provincial_level": [144.35, 289.69, 274.02, 169.59, 354.559, 1232.209],
    "prefectural_level": [117.93, 97.24, 136.631, 91.113, 109.428, 552.343],
    "county_level": [84.1326, 81.7289, 72.301, 42.75, 83.2521, 364.1646],
    "enterprise_investments": [24877.58, 105759.07, 64724.714, 41031.87, 155346.16, 391739.39],
    "real_investments": [3457.66, 5991.5, 30138.4, 10092.459, 39941.216, 89621.235],
    "tax_payments": [96.75, 122.23, 77.0, 110.38, 1026.77, 1433.13],
    "social_donations": [50.463, 55.028, 80.154, 92.225, 121.47, 399.34],
    "total": [29172.66, 112865.15, 95986.17, 52164.94, 197530.09, 487719.01],
}


@pytest.fixture(scope="module")
def funding() -> tuple[pd.DataFrame, pd.DataFrame]:
    return build_funding(SEEDS)


def _planted(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """Copy the seed CSVs to tmp_path and replace one exact substring in `name`."""
    for f in (FUNDING_FILE, PERSONNEL_FILE):
        shutil.copy(SEEDS / f, tmp_path / f)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"planted defect {old!r} must match exactly once"
    (tmp_path / name).write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- as printed


def test_table1_as_printed_strings() -> None:
    raw = pd.read_csv(SEEDS / FUNDING_FILE, dtype=str, keep_default_na=False)
    assert list(raw.columns) == ["Categories", *YEARS, "Total"]
    assert raw.loc[3, "2007"] == "83.2521."  # the artefact is kept
    assert raw.loc[6, "Categories"] == "Taxes Payments"
    assert raw.loc[6, "2005"] == "77"


def test_funding_amounts_equal_printed(funding) -> None:
    df, _ = funding
    for item, values in PRINTED_T1.items():
        got = df.loc[item, "amount"].tolist()
        assert got == values, item
    assert df.index.get_level_values("period").unique().tolist() == [*YEARS, "2003-2007"]
    assert df.loc[("county_level", "2007"), "printed"] == "83.2521."
    assert df.loc[("county_level", "2007"), "rule"] == "strip_trailing_period"
    assert (df["rule"] != "").sum() == 1


def test_funding_hierarchy(funding) -> None:
    df, _ = funding
    first = df.xs("2003", level="period")
    assert first.loc["provincial_level", "parent"] == "government_funds"
    assert first.loc["real_investments", "parent"] == "enterprise_investments"
    assert first.loc["real_investments", "role"] == "memo"
    assert first.loc["tax_payments", "role"] == "memo"
    assert first.loc["government_funds", "role"] == "subtotal"
    assert first.loc["total", "role"] == "total"
    total_rows = df[df["period_type"] == "printed_total"]
    assert set(total_rows.index.get_level_values("period")) == {"2003-2007"}
    assert (total_rows["first_year"] == 2003).all() and (total_rows["last_year"] == 2007).all()


# ---------------------------------------------------------------- identities


def test_row_sums_equal_printed_total_column(funding) -> None:
    df, checks = funding
    years = df[df["period_type"] == "year"]
    sums = years.groupby(level="item", sort=False)["amount"].sum()
    printed = df.xs("2003-2007", level="period")["amount"]
    diff = (sums - printed).abs()
    # largest gap 0.004 (enterprise investments), within the rounding of 2-decimal figures
    assert diff.max() == pytest.approx(0.004, abs=1e-9)
    assert (diff < 0.005).all()
    row_checks = checks[checks.index.get_level_values("id").str.startswith("row_sum.")]
    assert len(row_checks) == 9 and row_checks["holds"].all()


def test_printed_total_row_is_sum_of_all_eight_rows(funding) -> None:
    df, checks = funding
    parts = df[df.index.get_level_values("item") != "total"]
    col = parts.groupby(level="period", sort=False)["amount"].sum()
    total = df.xs("total", level="item")["amount"]
    assert ((col - total).abs() < 0.005).all()  # below half a unit of the Total's 2nd decimal
    c = checks.xs("total.all_rows", level="id")
    assert c["holds"].all()
    assert c.loc["2004", "difference"] == pytest.approx(0.0041, abs=1e-9)
    assert c.loc["2003-2007", "difference"] == pytest.approx(0.0014, abs=1e-9)


def test_government_mismatch_flagged_not_fixed(funding) -> None:
    df, checks = funding
    gov = checks.xs("government.levels", level="id")
    assert gov.loc["2006", "lhs"] == 534.553
    assert gov.loc["2006", "rhs"] == pytest.approx(303.453, abs=1e-9)
    assert gov.loc["2006", "difference"] == pytest.approx(231.1, abs=1e-9)
    assert gov.loc["2003", "difference"] == pytest.approx(-2.6176, abs=1e-9)
    assert gov.loc["2003-2007", "difference"] == pytest.approx(228.4804, abs=1e-9)
    assert gov["holds"].tolist() == [False, True, True, False, True, False]
    # not fixed: the amount is the printed one, and it carries the flag
    assert df.loc[("government_funds", "2006"), "amount"] == 534.553
    assert df.loc[("government_funds", "2006"), "failed_checks"] == "government.levels"
    flagged = df[df["failed_checks"] != ""]
    assert set(flagged.index.get_level_values("period")) == {"2003", "2006", "2003-2007"}
    assert set(flagged.index.get_level_values("item")) == {
        "government_funds", "provincial_level", "prefectural_level", "county_level"}


def test_real_investments_below_contracted(funding) -> None:
    _, checks = funding
    c = checks.xs("real_le_enterprise", level="id")
    assert c["holds"].all() and (c["difference"] < 0).all()


def test_tolerance_is_worst_case_rounding(funding) -> None:
    _, checks = funding
    # 2006 government: 534.553 (0.0005) + 169.59 (0.005) + 91.113 (0.0005) + 42.75 (0.005)
    assert checks.loc[("government.levels", "2006"), "tolerance"] == pytest.approx(0.011)
    # 2005 column sum includes the integer-printed tax figure 77 (+-0.5)
    assert checks.loc[("total.all_rows", "2005"), "tolerance"] == pytest.approx(0.5625)


def test_build_is_deterministic(funding, tmp_path: Path) -> None:
    df, checks = funding
    df2, checks2 = build_funding(SEEDS)
    assert df.to_csv() == df2.to_csv() and checks.to_csv() == checks2.to_csv()


def test_declared_schema_describes_every_column(funding) -> None:
    df, checks = funding
    pers = build_personnel(SEEDS)
    for frame, name in ((df, "funding"), (checks, "funding_checks"), (pers, "personnel")):
        schema = SPECS[name].schema
        assert list(frame.index.names) == list(schema.primary_key)
        assert list(frame.reset_index().columns) == schema.names
        assert all(f.description for f in schema.fields)
        json.dumps(schema.to_dict())  # JSON-serialisable


# ---------------------------------------------------------------- personnel


def test_personnel_values(tmp_path: Path) -> None:
    p = build_personnel(SEEDS)
    assert len(p) == 33
    assert p.loc[("cadre_east_to_west", "2009"), "count"] == 167
    assert p.loc[("technician_east_to_west", "2003-2010"), "count"] == 5249
    assert p.loc[("technician_training_terms", "2009"), "unit"] == "Terms"
    assert p.loc[("technician_attendees_agriculture", "2003-2010"), "count"] == 141160
    assert p.loc[("management_attendees", "2010"), "count"] == 3863
    assert p.loc[("technician_attendees_doctor", "2009"), "group"] == "attendees"
    assert p["count"].dtype == "int64"
    wide = p["count"].unstack("period")
    # an eight-year total is at least its 2009 + 2010 cells
    assert (wide["2003-2010"] >= wide["2009"] + wide["2010"]).all()
    attendees = p[p["group"] == "attendees"]["count"].unstack("period")
    assert attendees.sum().to_dict() == {"2009": 14325, "2010": 11031, "2003-2010": 211409}


# ---------------------------------------------------------------- parse rules


@pytest.mark.parametrize(
    ("text", "value", "rule"),
    [("83.2521.", 83.2521, "strip_trailing_period"), ("77", 77.0, ""), ("0.5", 0.5, "")],
)
def test_parse_rules(text: str, value: float, rule: str) -> None:
    assert parse_printed_number(text, file="f", row=1, column="c") == (value, rule)


@pytest.mark.parametrize(
    ("text", "match"),
    [("", "missing cell"), ("-3.2", "negative amount"), ("83.2521..", "text '83.2521..'"),
     ("1,234.5", "text '1,234.5'"), ("n/a", "text 'n/a'"), (" 12", "text ' 12'"),
     (".5.", "text '.5.'")],
)
def test_parse_errors(text: str, match: str) -> None:
    with pytest.raises(DataValidationError, match=rf"file 'f', line 3, column 'c': {match}"):
        parse_printed_number(text, file="f", row=3, column="c")


def test_parse_integer_rule() -> None:
    assert parse_printed_number("12", file="f", row=1, column="c", integer=True) == (12.0, "")
    with pytest.raises(DataValidationError, match="expected a non-negative integer"):
        parse_printed_number("12.0", file="f", row=1, column="c", integer=True)


# ---------------------------------------------------------------- planted defects: Table 1

T1 = f"file '{FUNDING_FILE}'"


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("Social Donations,50.463", "Social Donations,about 50",
         rf"{T1}, line 9, column '2003': text 'about 50' in a numeric cell"),
        ("Social Donations,50.463", "Social Donations,-50.463",
         rf"{T1}, line 9, column '2003': negative amount"),
        ("Real investments,3457.66,5991.5", "Real investments,3457.66,",
         rf"{T1}, line 7, column '2004': missing cell"),
        ("Prefectural level,", "Provincial level,",
         rf"{T1}, line 4, column 'Categories': duplicated key: row label 'Provincial level' "
         r"already on line 3"),
        ("Prefectural level,", "Prefecture level,",
         rf"{T1}, line 4, column 'Categories': unknown row label 'Prefecture level'"),
        ("Categories,2003", "Category,2003", rf"{T1}, line 1: unexpected header"),
        (",364.1646\n", ",364.1646,1\n", rf"{T1}, line 5: 8 cells; expected 7"),
        ("Social Donations,50.463,55.028,80.154,92.225,121.47,399.34\n", "",
         rf"{T1}, column 'Categories': missing rows \['Social Donations'\]"),
    ],
)
def test_funding_planted_defects(tmp_path: Path, old: str, new: str, match: str) -> None:
    seeds = _planted(tmp_path, FUNDING_FILE, old, new)
    with pytest.raises(DataValidationError, match=match):
        build_funding(seeds)


def test_funding_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match=rf"{T1}: file not found"):
        build_funding(tmp_path)


# ---------------------------------------------------------------- planted defects: Table 2

T2 = f"file '{PERSONNEL_FILE}'"


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (",Doctor,Person-time,998,", ",Doctor,Person-time,99 8,",
         rf"{T2}, line 9, column '2009': text '99 8'"),
        (",Doctor,Person-time,998,", ",Doctor,Person-time,-998,",
         rf"{T2}, line 9, column '2009': negative amount"),
        (",Doctor,Person-time,998,424,", ",Doctor,Person-time,998,,",
         rf"{T2}, line 9, column '2010': missing cell"),
        (",Doctor,Person-time", ",Teacher,Person-time",
         rf"{T2}, line 9, column 'Item': duplicated key"),
        (",Doctor,Person-time", ",Nurse,Person-time",
         rf"{T2}, line 9, column 'Item': unknown row"),
        (",Doctor,Person-time", ",Doctor,Persons",
         rf"{T2}, line 9, column 'Unit': unknown unit 'Persons'"),
        ("Management Personnel Exchange,,Attendees,Person-time,1505,3863,12025\n", "",
         rf"{T2}, column 'Item': missing rows \['management_attendees'\]"),
    ],
)
def test_personnel_planted_defects(tmp_path: Path, old: str, new: str, match: str) -> None:
    seeds = _planted(tmp_path, PERSONNEL_FILE, old, new)
    with pytest.raises(DataValidationError, match=match):
        build_personnel(seeds)


def test_seed_datasets_round_trip_through_schema() -> None:
    import io

    from ewp_stats.pipeline.paper_tables import paper_table_datasets
    from ewp_stats.data.schema import Schema, coerce_and_validate

    out = paper_table_datasets(SEEDS)
    assert sorted(out) == ["funding", "funding_checks", "personnel"]
    for name, (frame, prov) in out.items():
        text = frame.reset_index().to_csv(index=False, lineterminator="\n")
        back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        typed = coerce_and_validate(back, Schema.from_dict(SPECS[name].schema.to_dict()), name)
        assert list(typed.index.names) == list(frame.index.names)
        assert len(typed) == len(frame)
        assert len(prov["sources"][0]["sha256"]) == 64
        if name == "funding":  # floats survive the CSV round trip exactly
            assert typed["amount"].tolist() == frame["amount"].tolist()
    assert out["funding"][1]["rules"][0]["values_affected"] == 1
