"""The ewp-stats console command (data and claims subcommands) and the installed wheel."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats.reporting.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_datasets_lists_every_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in data.names():
        assert f"{name}\n  title:" in out
    assert "coverage: 31 provinces; csy2000_first_release 1996-1999" in out


def test_show_writes_csv_identical_to_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ratio.csv"
    assert main(["show", "east_west_ratio", "--csv", str(target)]) == 0
    back = pd.read_csv(target).set_index(["vintage", "year"])
    pd.testing.assert_frame_equal(back, data.load("east_west_ratio"), check_dtype=False, check_index_type=False)
    assert "wrote 53 rows" in capsys.readouterr().out


def test_show_prints_table_and_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "xinjiang", "--rows", "5"]) == 0
    assert "real_gdp_2000" in capsys.readouterr().out
    assert main(["show", "regions", "--metadata"]) == 0
    assert '"primaryKey": [\n      "province"\n    ]' in capsys.readouterr().out


def test_unknown_dataset_exits_2_with_valid_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown dataset 'nope'; valid names: claim_consistency, claims_register, east_west_ratio" in err


def test_claims_prints_and_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.csv"
    n = int((data.load("claims_register")["document"] == "002").sum())
    assert main(["claims", "--document", "002", "--csv", str(out)]) == 0
    captured = capsys.readouterr()
    text = captured.out
    assert text.startswith(f"Claims audit: {n} of ") and "Scorecard" in text
    # each claim: its full printed text, the recomputed value with its interval, verdict, reason
    assert "nearly 140,000" in text and "consistent_with_claim" in text and "35.6 percent -> 35.55" in text
    assert f"wrote {n} rows to {out}" in captured.err
    written = pd.read_csv(out, dtype={"document": str})
    assert len(written) == n and set(written["document"]) == {"002"}
    for col in ("precision", "tolerance", "printed_interval", "verdict", "reason"):
        assert col in written.columns
    assert out.read_bytes().count(b"\r") == 0
    assert main(["claims", "--document", "999"]) == 2
    assert "ewp-stats claims: unknown document '999'" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_claims_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "--document", "001", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        frame = pd.read_csv(io.StringIO(out), dtype={"document": str})
        assert set(frame["document"]) == {"001"} and "verdict" in frame.columns
        assert frame.set_index("id").loc["N1-01", "recomputed"] == 30
    else:
        payload = json.loads(out)
        assert payload["document"] == "001" and sum(payload["counts"].values()) == len(payload["claims"])
        assert payload["scorecard"]["all"]["total"] == len(payload["claims"])
        assert payload["consistency"] and {"id", "consistent"} <= set(payload["consistency"][0])


def test_claims_filters_by_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "--verdict", "discrepant_explained"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Claims audit: ") and first.endswith("(filtered: verdict discrepant_explained)")
    assert main(["claims", "--verdict", "discrepant"]) == 2
    assert "unknown verdict 'discrepant'" in capsys.readouterr().err


@pytest.mark.rawdata
def test_build_data_check_passes_on_shipped_data(raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build-data", "--raw-dir", str(raw_dir), "--check"]) == 0
    assert "byte-identical" in capsys.readouterr().out


@pytest.mark.slow
def test_wheel_ships_the_data_and_loads_from_any_directory(tmp_path: Path) -> None:
    """Build the wheel, unpack it alone on sys.path, load every dataset from an unrelated cwd."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True)
    wheel = next((tmp_path / "dist").glob("ewp_stats-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import ewp_stats, ewp_stats.data as d; "
            "assert ewp_stats.__file__.startswith(sys.argv[1]), ewp_stats.__file__; "
            "print(sum(len(d.load(n)) for n in d.names()), len(d.names())); "
            # package data beyond the datasets: the reference results and the Hansen (1997) table
            "from ewp_stats import reproduce, breaks; print(len(reproduce.reference_values())); "
            "print(round(breaks.pvalue_fstats(10.0, 'supF', 2, 0.15 * 0.85 / 0.15 ** 2), 6))")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(site)], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout.split()
    expected_rows = sum(len(data.load(n)) for n in data.names())
    from ewp_stats import breaks, reproduce

    lam = 0.15 * 0.85 / 0.15 ** 2
    assert out == [str(expected_rows), str(len(data.names())), str(len(reproduce.reference_values())),
                   str(round(breaks.pvalue_fstats(10.0, "supF", 2, lam), 6))]


@pytest.mark.parametrize(("flags", "fresh"), [([], False), (["--fresh"], True), (["--keep"], False)])
def test_book_is_incremental_unless_fresh(flags: list[str], fresh: bool, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from ewp_stats.reporting import book

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(book, "build_book", lambda **kw: calls.append(kw) or Path("/x/_build/html/index.html"))
    assert main(["book", *flags]) == 0
    assert calls == [{"fresh": fresh}]
    captured = capsys.readouterr()
    assert captured.out == "/x/_build/html/index.html\n"  # stdout: only the path (.ci/main reads it)
    assert ("--keep is deprecated" in captured.err) == ("--keep" in flags)


def test_book_help_documents_incremental_builds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["book", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Builds are incremental" in text and "--fresh" in text and ".ewp_inputs_key" in text
    assert "deprecated" in text
