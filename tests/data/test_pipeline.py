"""The cleaning pipeline: byte-identical rebuild, checksums, and every validation path."""

from __future__ import annotations

import csv
import filecmp
import io
import re
from pathlib import Path

import pytest

from ewp_stats.errors import ChecksumError, DataValidationError, EwpStatsError
from ewp_stats.pipeline.build import build_all, default_out_dir
from ewp_stats.pipeline.sources import resolve_raw_dir

GCAM_GDP = "gcam-china/GDP_raw.csv"
NBS_GDP = "nbs-easyquery-2021/地区生产总值.csv"
NBS_POP = "nbs-easyquery-2021/总人口.csv"

pytestmark = pytest.mark.rawdata


def test_rebuild_is_byte_identical_to_shipped_data(raw_dir: Path, tmp_path: Path) -> None:
    build_all(raw_dir, out_dir=tmp_path)
    shipped = default_out_dir()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(p.name for p in shipped.iterdir() if p.suffix in (".csv", ".json"))
    for name in names:
        assert filecmp.cmp(tmp_path / name, shipped / name, shallow=False), name


def test_two_builds_are_byte_identical(raw_dir: Path, tmp_path: Path) -> None:
    build_all(raw_dir, out_dir=tmp_path / "a")
    build_all(raw_dir, out_dir=tmp_path / "b")
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_raw_dir_from_environment(raw_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EWP_RAW_DIR", str(raw_dir))
    assert resolve_raw_dir() == raw_dir.resolve()
    monkeypatch.delenv("EWP_RAW_DIR")
    with pytest.raises(EwpStatsError, match="no raw-data directory: pass one or set EWP_RAW_DIR"):
        resolve_raw_dir()
    with pytest.raises(EwpStatsError, match="does not exist"):
        resolve_raw_dir("/nonexistent/raw")


def _drop_lines(prefix: str):
    def edit(text: str) -> str:
        return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(prefix))
    return edit


def _drop_gcam_1990(text: str) -> str:
    """Delete the 1990 column of a GCAM wide file (1975 is column 1, so 1990 is column 16)."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#"):
            out.append(line)
            continue
        cells = next(csv.reader([line]))
        del cells[16]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(cells)
        out.append(buf.getvalue())
    return "".join(out)


def _duplicate_first_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:2] + lines[1:])


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert text.count(old) >= 1, f"planted defect {old!r} must match"
        return text.replace(old, new)
    return edit


# (id, raw file, edit, update the manifest's sha256?, error type, match)
_PLANTED = [
    ("checksum-mismatch", GCAM_GDP, _replace("Beijing,91.25", "Beijing,91.26"), False, ChecksumError,
     r"GDP_raw\.csv: sha256 [0-9a-f]{64} differs from the manifest's 8460"),
    ("text-in-numeric-column", GCAM_GDP, _replace("Tianjin,69.73,65.25", "Tianjin,69.73,n/a"), True,
     DataValidationError,
     re.escape("file 'gcam-china/GDP_raw.csv', line 11, column '1976': expected a number, found 'n/a'")),
    ("negative-gdp", NBS_GDP, _replace("110000,北京市,2019,35445.1", "110000,北京市,2019,-35445.1"), True,
     DataValidationError, r"line 2, column '地区生产总值\(亿元\)': negative value -35445.1"),
    ("missing-province-year", NBS_GDP, _drop_lines("650000,新疆维吾尔自治区,2005,"), True, DataValidationError,
     re.escape("missing 1 expected (vintage, province, year) key(s): ('nbs_2021', 'Xinjiang', 2005)")),
    ("missing-year-column", GCAM_GDP, _drop_gcam_1990, True, DataValidationError,
     r"missing 31 expected .*\('gcam_compendium', 'Anhui', 1990\)"),
    ("duplicated-key", NBS_POP, _duplicate_first_row, True, DataValidationError,
     r"line 3, column '省份编码, 年份': duplicated key \(province code 110000, year 2019\)"),
    ("unknown-province-code", NBS_POP, _replace("110000,北京市,2019", "990000,北京市,2019"), True,
     DataValidationError, r"unknown province code\(s\) \[990000\]"),
    ("sum-row", GCAM_GDP, _replace("120.11,139.1,", "120.11,239.1,"), True, DataValidationError,
     "'sum' row differs from the sum of provinces in 1980"),
    ("population-cross-check", NBS_POP, _replace("110000,北京市,2019,2154,", "110000,北京市,2019,2254,"), True,
     DataValidationError, r"disagree \(>1\) at \[\('Beijing', 2019\), \('Heilongjiang', 2013\)\]"),
]


@pytest.mark.parametrize(("file", "edit", "update_manifest", "error", "match"),
                         [pytest.param(*c[1:], id=c[0]) for c in _PLANTED])
def test_planted_raw_defect_is_reported(edited_raw, tmp_path: Path, file: str, edit, update_manifest: bool,
                                        error: type[Exception], match: str) -> None:
    raw, seeds = edited_raw(file, edit, update_manifest=update_manifest)
    with pytest.raises(error, match=match):
        build_all(raw, seeds_dir=seeds, out_dir=tmp_path / "out")


def test_missing_raw_file(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_POP, lambda t: t)
    (raw / NBS_POP).unlink()
    with pytest.raises(FileNotFoundError, match="总人口.csv' not found"):
        build_all(raw, seeds_dir=seeds, out_dir=tmp_path / "out")
