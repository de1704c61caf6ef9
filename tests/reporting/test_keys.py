"""``values.json`` keys: readable, stable, unique, and the shipped key mapping is complete."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ewp_stats.reporting.reproduce import KeyCollisionError, flatten_tables, step_values
from ewp_stats.reporting.steps import StepOutput, key_part, value_key

REFERENCE = Path(__file__).resolve().parents[2] / "ewp_stats" / "reference"


@pytest.mark.parametrize(
    ("label", "part"),
    [
        ("nbs_2021", "nbs_2021"),
        (1998.0, "1998"),
        (1998, "1998"),
        (0.5, "0.5"),
        (True, "True"),
        ("1998 and 2008", "1998_and_2008"),
        ("Conley-Taber t, 95%", "Conley-Taber_t_95"),
        ("government.levels", "government.levels"),
        ("(none)", "(none)"),
        ("a/b:c=d", "a_b_c_d"),
    ],
)
def test_key_part_keeps_only_safe_characters(label, part):
    assert key_part(label) == part


def test_key_part_refuses_an_empty_label():
    with pytest.raises(ValueError, match="empty key part"):
        key_part(" % ")


def test_value_key_names_parameters_in_order():
    assert value_key("average_real_growth", first=2001, last=2010) == "average_real_growth/first=2001/last=2010"
    assert value_key("n_datasets") == "n_datasets"


def test_declared_key_columns_name_the_rows():
    frame = pd.DataFrame({"vintage": ["a", "a", "b"], "test": ["1998", "2008", "2008"],
                          "F": [1.5, 2.5, float("nan")], "note": ["x", "y", "z"]})
    got = flatten_tables("eras", {"chow": frame}, keys={"chow": ("vintage", "test")})
    assert got == {"eras/chow/vintage=a/test=1998/F": 1.5, "eras/chow/vintage=a/test=2008/F": 2.5}


def test_named_index_levels_name_the_rows():
    index = pd.MultiIndex.from_tuples([("2003", "government"), ("2003-2007", "government")], names=["period", "source"])
    frame = pd.DataFrame({"amount": [343.795, 2377.197]}, index=index)
    assert flatten_tables("funding", {"composition": frame}) == {
        "funding/composition/period=2003/source=government/amount": 343.795,
        "funding/composition/period=2003-2007/source=government/amount": 2377.197,
    }


def test_a_positional_index_is_refused():
    with pytest.raises(KeyCollisionError, match="positional or unnamed index"):
        flatten_tables("eras", {"chow": pd.DataFrame({"F": [1.0, 2.0]})})


def test_key_columns_that_do_not_identify_the_rows_are_refused():
    frame = pd.DataFrame({"vintage": ["a", "a"], "F": [1.0, 2.0]})
    with pytest.raises(KeyCollisionError, match="not identified by their key"):
        flatten_tables("eras", {"chow": frame}, keys={"chow": ("vintage",)})


def test_labels_that_collide_after_cleaning_are_refused():
    frame = pd.DataFrame({"test": ["1998 and 2008", "1998_and_2008"], "F": [1.0, 2.0]})
    with pytest.raises(KeyCollisionError):
        flatten_tables("eras", {"chow": frame}, keys={"chow": ("test",)})


def test_a_headline_value_may_not_shadow_a_table_cell():
    out = StepOutput(tables={"t": pd.DataFrame({"x": [1.0]}, index=pd.Index(["a"], name="k"))},
                     values={"t/k=a/x": 2.0})
    with pytest.raises(KeyCollisionError, match="collide"):
        step_values("s", out)


def test_step_values_joins_headline_values_and_cells():
    out = StepOutput(tables={"t": pd.DataFrame({"x": [1.0]}, index=pd.Index(["a"], name="k"))},
                     values={"n": 3, "skip": float("nan")})
    assert step_values("s", out) == {"s/n": 3.0, "s/t/k=a/x": 1.0}


# --------------------------------------------------------------------------- the shipped reference


@pytest.fixture(scope="module")
def reference() -> dict[str, float]:
    return json.loads((REFERENCE / "values.json").read_text(encoding="utf-8"))


def test_no_reference_key_is_positional(reference):
    """Between the table name and the column every part is ``key=value``; no ``:`` anywhere."""
    bad = [k for k in reference if ":" in k or any("=" not in part for part in k.split("/")[2:-1])]
    assert not bad, bad[:10]
    assert not [k for k in reference if re.search(r"/\d+/", k)], "a bare row number in a key"


def test_reference_names_rows_semantically(reference):
    chow = "eras/grid_tests/vintage=nbs_2021/measure=ratio/model=jump/reading=1998_2008/test=second/F"
    assert chow in reference
    assert 15 < reference[chow] < 25  # a clear break: F(2, 16) far above its 1% critical value (6.2)
    assert reference["data/east_west_ratio/vintage=gcam_compendium/year=1979/ratio"] == pytest.approx(2.1065, abs=5e-5)
    assert reference["data/n_provinces/group=east"] + reference["data/n_provinces/group=west"] \
        + reference["data/n_provinces/group=other"] == 31


def test_key_mapping_is_complete_and_one_to_one(reference):
    with (REFERENCE / "KEY_MAPPING.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    old = [r["old_key"] for r in rows]
    new = [r["new_key"] for r in rows]
    assert len(set(old)) == len(old) and len(set(new)) == len(new)
    assert "eras/chow/0/F" in old and "data/ratio_gcam_compendium_1979" in old
    assert dict(zip(old, new))["data/ratio_gcam_compendium_1979"] == "data/ratio/vintage=gcam_compendium/year=1979"
    with (REFERENCE / "RETIRED_KEYS.csv").open(encoding="utf-8", newline="") as fh:
        retired = {r["key"] for r in csv.DictReader(fh)}  # removed later, deliberately, with a reason
    assert not retired & set(reference), "a retired key is still published"
    assert set(new) - retired <= set(reference), sorted(set(new) - retired - set(reference))[:5]
    assert not set(old) & set(reference) - set(new), "an old key survives in the reference"


def test_declared_key_columns_are_not_values_of_their_own():
    frame = pd.DataFrame({"vintage": ["a", "a"], "h": [4, 5], "m_bic": [2, 3]})
    assert flatten_tables("eras", {"robustness": frame}, keys={"robustness": ("vintage", "h")}) == {
        "eras/robustness/vintage=a/h=4/m_bic": 2.0, "eras/robustness/vintage=a/h=5/m_bic": 3.0}


def test_no_reference_key_repeats_its_row_key_as_a_value(reference):
    """A cell ``.../h=5/h`` would only repeat the key: key columns are not values."""
    repeated = [k for k in reference if "/" in k and any(p.split("=")[0] == k.rsplit("/", 1)[1]
                                                          for p in k.split("/")[2:-1])]
    assert not repeated, repeated[:5]


def test_removed_old_keys_were_key_columns_whose_value_is_in_the_row_key(reference):
    reference = set(reference)
    with (REFERENCE / "KEY_MAPPING.removed.csv").open(encoding="utf-8", newline="") as fh:
        removed = list(csv.DictReader(fh))
    with (REFERENCE / "KEY_MAPPING.csv").open(encoding="utf-8", newline="") as fh:
        mapped = {r["old_key"] for r in csv.DictReader(fh)}
    assert removed, "the eras robustness and trends tables had key columns written as values"
    assert "eras/robustness/0/h" in {r["old_key"] for r in removed}
    with (REFERENCE / "RETIRED_KEYS.csv").open(encoding="utf-8", newline="") as fh:
        retired = {r["key"] for r in csv.DictReader(fh)}  # rows of a table a later change removed
    for r in removed:
        assert r["old_key"] not in mapped and r["old_key"] not in reference
        assert f"{key_part(r['column'])}={key_part(float(r['value']))}" in r["row_key"].split("/")
        assert any(k.startswith(r["row_key"] + "/") for k in reference | retired), r["row_key"]
