"""The cleaning pipeline: byte-identical rebuild, checksums, and every validation path."""

from __future__ import annotations

import filecmp
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


def test_checksum_mismatch_is_refused_before_reading(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(GCAM_GDP, lambda t: t.replace("Beijing,91.25", "Beijing,91.26"), update_manifest=False)
    with pytest.raises(ChecksumError, match=r"GDP_raw\.csv: sha256 [0-9a-f]{64} differs from the manifest's 8460"):
        build_all(raw, seeds, tmp_path / "out")


def test_missing_raw_file(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_POP, lambda t: t)
    (raw / NBS_POP).unlink()
    with pytest.raises(FileNotFoundError, match="总人口.csv' not found"):
        build_all(raw, seeds, tmp_path / "out")


def test_text_in_numeric_column_names_file_row_and_column(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(GCAM_GDP, lambda t: t.replace("Tianjin,69.73,65.25", "Tianjin,69.73,n/a"))
    with pytest.raises(DataValidationError, match=re.escape("file 'gcam-china/GDP_raw.csv', row 11, column '1976': "
                                                            "expected a number, found 'n/a'")):
        build_all(raw, seeds, tmp_path / "out")


def test_negative_gdp_is_rejected(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_GDP, lambda t: t.replace("110000,北京市,2019,35445.1", "110000,北京市,2019,-35445.1"))
    with pytest.raises(DataValidationError, match=r"row 2, column '地区生产总值\(亿元\)': negative value -35445.1"):
        build_all(raw, seeds, tmp_path / "out")


def test_missing_province_year_is_reported(edited_raw, tmp_path: Path) -> None:
    def drop_xinjiang_2005(text: str) -> str:
        return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("650000,新疆维吾尔自治区,2005,"))

    raw, seeds = edited_raw(NBS_GDP, drop_xinjiang_2005)
    with pytest.raises(DataValidationError, match=re.escape("missing 1 expected (vintage, province, year) key(s): "
                                                            "('nbs_2021', 'Xinjiang', 2005)")):
        build_all(raw, seeds, tmp_path / "out")


def test_missing_year_column_is_reported(edited_raw, tmp_path: Path) -> None:
    def drop_1990(text: str) -> str:
        out = []
        for line in text.splitlines(keepends=True):
            if line.startswith("#"):
                out.append(line)
                continue
            import csv
            import io
            cells = next(csv.reader([line]))
            del cells[16]  # 1975 is column 1, so 1990 is column 16
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow(cells)
            out.append(buf.getvalue())
        return "".join(out)

    raw, seeds = edited_raw(GCAM_GDP, drop_1990)
    with pytest.raises(DataValidationError, match=r"missing 31 expected .*\('gcam_compendium', 'Anhui', 1990\)"):
        build_all(raw, seeds, tmp_path / "out")


def test_duplicated_key_is_reported(edited_raw, tmp_path: Path) -> None:
    def duplicate_first_row(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return "".join(lines[:2] + lines[1:])

    raw, seeds = edited_raw(NBS_POP, duplicate_first_row)
    with pytest.raises(DataValidationError, match=r"row 3, column '省份编码, 年份': duplicated key \(province code 110000, year 2019\)"):
        build_all(raw, seeds, tmp_path / "out")


def test_unknown_province_code(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_POP, lambda t: t.replace("110000,北京市,2019", "990000,北京市,2019"))
    with pytest.raises(DataValidationError, match=r"unknown province code\(s\) \[990000\]"):
        build_all(raw, seeds, tmp_path / "out")


def test_sum_row_check(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(GCAM_GDP, lambda t: t.replace("120.11,139.1,", "120.11,239.1,"))
    with pytest.raises(DataValidationError, match="'sum' row differs from the sum of provinces in 1980"):
        build_all(raw, seeds, tmp_path / "out")


def test_population_cross_check_catches_a_new_disagreement(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_POP, lambda t: t.replace("110000,北京市,2019,2154,", "110000,北京市,2019,2254,"))
    with pytest.raises(DataValidationError, match=r"disagree \(>1\) at \[\('Beijing', 2019\), \('Heilongjiang', 2013\)\]"):
        build_all(raw, seeds, tmp_path / "out")
