"""Provenance chains: recorded dataset loads, raw-file digests, provenance.json, the book's tooltips."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest

from ewp_stats import data
from ewp_stats.errors import InputError
from ewp_stats.reporting.provenance import (
    DatasetSource,
    RawFile,
    SeedFile,
    StepProvenance,
    anchor_id,
    anchor_ids,
    key_provenance,
    provenance_json,
    run_step,
    tooltip,
)
from ewp_stats.reporting.reproduce import reproduce

ROOT = Path(__file__).resolve().parents[2]


def _ext():
    spec = importlib.util.spec_from_file_location("ewp_glue", ROOT / "book" / "_ext" / "ewp_glue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# A planted chain: every expected string below is written out by hand from these fields.
CHAIN = StepProvenance(
    step="toy",
    function="pkg.steps.toy_step",
    datasets=(
        DatasetSource("alpha", "Alpha series",
                      (RawFile("src/a.csv", "owner/repo", "0123456789abcdef", "data/a.csv", "ab" * 32),),
                      (SeedFile("seeds/t.csv", "cd" * 32),)),
        DatasetSource("beta", "Beta series",
                      (RawFile("src/a.csv", "owner/repo", "0123456789abcdef", "data/a.csv", "ab" * 32),
                       RawFile("pages/p.txt", None, None, "http://example.org/p", None)), ()),
    ),
    tables=("chow",),
    values=("h", "growth/first=2001/last=2010"),
)


# --------------------------------------------------------------------------- the recorder


def _loads_two() -> None:
    data.load("regions")
    _helper()


def _helper() -> None:  # an indirect load, one call deeper
    data.load("funding")
    data.load("regions")


def test_the_recorder_sees_exactly_the_datasets_a_function_loads() -> None:
    data.load("personnel")  # outside every block: not recorded
    with data.record_loads() as outer:
        _loads_two()
        with data.record_loads() as inner:
            data.load("personnel")
    assert outer.names == ("regions", "funding", "personnel")
    assert inner.names == ("personnel",)
    with data.record_loads() as empty:
        pass
    assert empty.names == ()


def test_a_failing_load_is_not_recorded() -> None:
    with data.record_loads() as record, pytest.raises(LookupError):
        data.load("no_such_dataset")
    assert record.names == ()


# --------------------------------------------------------------------------- a real step


@pytest.fixture(scope="module")
def data_chain() -> StepProvenance:
    return run_step("data")[1]


def test_the_data_step_chain_names_its_function_and_the_datasets_it_loads(data_chain: StepProvenance) -> None:
    assert data_chain.function == "ewp_stats.reporting.steps.data_step"
    names = [d.name for d in data_chain.datasets]
    assert names == sorted(names)
    # steps.data_step loads these two by name (its source); more may come through the analyses
    assert {"east_west_ratio", "regions"} <= set(names)
    assert data_chain.datasets[names.index("regions")].title == data.metadata("regions")["title"]


@pytest.mark.skipif(not os.environ.get("EWP_RAW_DIR") or not Path(os.environ.get("EWP_RAW_DIR", "")).is_dir(),
                    reason="needs the raw data ($EWP_RAW_DIR)")
def test_the_chain_lists_raw_files_with_the_sha256_of_the_actual_files(data_chain: StepProvenance) -> None:
    raw_dir = Path(os.environ["EWP_RAW_DIR"])
    files = data_chain.raw_files()
    assert files
    for f in files:
        assert hashlib.sha256((raw_dir / f.file).read_bytes()).hexdigest() == f.sha256, f.file
    with_repo = [f for f in files if f.repository]
    assert with_repo and all(len(f.commit) == 40 and f.path for f in with_repo)


def test_provenance_json_is_deterministic_and_in_the_manifest(tmp_path: Path) -> None:
    first = reproduce(tmp_path / "a", steps=["data"], progress=False)
    reproduce(tmp_path / "b", steps=["data"], progress=False)
    one, two = ((tmp_path / d / "provenance.json").read_bytes() for d in "ab")
    assert one == two
    mode = (tmp_path / "a" / "values.json").stat().st_mode
    assert (tmp_path / "a" / "provenance.json").stat().st_mode == mode  # as readable as the other results
    assert "provenance.json" in first["files"]
    assert first["files"]["provenance.json"] == hashlib.sha256(one).hexdigest()
    stored = json.loads(one)["steps"]["data"]
    assert stored["function"] == "ewp_stats.reporting.steps.data_step"
    chain = StepProvenance.from_dict(stored)
    assert chain.step == "data"
    values = json.loads((tmp_path / "a" / "values.json").read_text(encoding="utf-8"))
    for key in values:  # every published key of the step reads back as a cell or headline value
        assert key_provenance(key, chain).key == key


# --------------------------------------------------------------------------- pure functions


def test_the_chain_round_trips_through_json() -> None:
    text = provenance_json([CHAIN])
    assert StepProvenance.from_dict(json.loads(text)["steps"]["toy"]) == CHAIN
    with pytest.raises(InputError, match="malformed"):
        StepProvenance.from_dict({"step": "toy"})


def test_keys_read_back_as_table_cells_or_headline_values() -> None:
    cell = key_provenance("toy/chow/vintage=nbs_2021/test=2008/F", CHAIN)
    assert (cell.kind, cell.name, cell.row, cell.column) == ("table", "chow", (("vintage", "nbs_2021"), ("test", "2008")), "F")
    assert cell.where() == "table chow, row vintage=nbs_2021, test=2008, column F"
    value = key_provenance("toy/growth/first=2001/last=2010", CHAIN)
    assert (value.kind, value.name, value.column) == ("value", "growth/first=2001/last=2010", None)
    for bad in ("other/h", "toy/nothing", "toy/chow/F", "toy/chow/a=1/b=2"):
        with pytest.raises(InputError):
            key_provenance(bad, CHAIN)


def test_the_tooltip_names_key_step_function_datasets_and_files() -> None:
    assert tooltip("toy/h", CHAIN) == (
        "values.json key: toy/h\n"
        "step: toy (pkg.steps.toy_step)\n"
        "datasets loaded by the step: alpha, beta\n"
        "raw files: pages/p.txt (sha256 not recorded); "
        "owner/repo@0123456:data/a.csv (sha256 abababababab…)\n"
        "seed files: seeds/t.csv (sha256 cdcdcdcdcdcd…)")


def test_anchor_ids_are_readable_and_unique() -> None:
    assert anchor_id("eras/chow/test=2008/F") == "v-eras-chow-test-2008-F"
    ids = anchor_ids(["a/b=c", "a/b/c", "a/d"])
    assert ids["a/d"] == "v-a-d"
    assert ids["a/b=c"] != ids["a/b/c"] and ids["a/b=c"].startswith("v-a-b-c-")


def test_the_span_keeps_newlines_of_its_title_and_escapes_quotes() -> None:
    ext = _ext()
    node = ext.glue_value("", "", glue_doc="analyses/eras", glue_key="toy/h", glue_fmt=".2f", glue_role="text")
    node["glue_step"], node["glue_function"] = "toy", "pkg.steps.toy_step"
    node["glue_title"] = 'line "one"\nline <two>'
    attrs = ext.span_attributes(node)
    assert attrs["data-glue-step"] == "toy" and attrs["data-glue-function"] == "pkg.steps.toy_step"
    assert ext._attribute(attrs["title"]) == "line &quot;one&quot;&#10;line &lt;two&gt;"
