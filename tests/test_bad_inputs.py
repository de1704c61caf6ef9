"""The bad-input table (issue 10): one row per bad input, across the pipeline, the loader, the
CLI, the API, ``reproduce`` and ``verify``. Each row asserts the exception type (or the CLI exit
code), the message, and that nothing on disk changed.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ewp_stats import data
from ewp_stats._files import sha256_of
from ewp_stats.data.integrity import file_record
from ewp_stats.engines.did import did_single_treated
from ewp_stats.engines.synth import synth_control
from ewp_stats.errors import (
    ChecksumError,
    DataValidationError,
    EwpStatsError,
    InputError,
    UnknownDatasetError,
)
from ewp_stats.paper import xinjiang
from ewp_stats.pipeline.build import build_all, default_out_dir
from ewp_stats.reporting import reproduce
from ewp_stats.reporting.cli import main
from fs_snapshot import snapshot

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = default_out_dir()
GCAM_GDP = "gcam-china/GDP_raw.csv"
GCAM_POP = "gcam-china/China_Compendium_of_Statistics.csv"
NBS_GDP = "nbs-easyquery-2021/地区生产总值.csv"
NBS_POP = "nbs-easyquery-2021/总人口.csv"
CSY2009 = "nbs-yearbook-pages/CSY2009_C0216e_income_approach_GRP_2007.txt"


# --- edits -------------------------------------------------------------------------------------

Edit = Callable[[bytes], bytes]


def sub(old: str, new: str | bytes, count: int = 1) -> Edit:
    def edit(blob: bytes) -> bytes:
        o = old.encode()
        assert o in blob, f"planted defect {old!r} must match"
        return blob.replace(o, new if isinstance(new, bytes) else new.encode(), count)
    return edit


def drop_line(prefix: str) -> Edit:
    def edit(blob: bytes) -> bytes:
        lines = blob.splitlines(keepends=True)
        kept = [ln for ln in lines if not ln.startswith(prefix.encode())]
        assert len(kept) == len(lines) - 1, prefix
        return b"".join(kept)
    return edit


def dup_line(prefix: str) -> Edit:
    def edit(blob: bytes) -> bytes:
        lines = blob.splitlines(keepends=True)
        i = next(i for i, ln in enumerate(lines) if ln.startswith(prefix.encode()))
        return b"".join(lines[: i + 1] + lines[i:])
    return edit


def keep_comments(blob: bytes) -> bytes:
    return b"".join(ln for ln in blob.splitlines(keepends=True) if ln.startswith(b"#"))


def truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def gbk(blob: bytes) -> bytes:
    return blob.decode("utf-8").encode("gbk")


empty: Edit = lambda blob: b""  # noqa: E731
bom: Edit = lambda blob: b"\xef\xbb\xbf" + blob  # noqa: E731
header_only: Edit = lambda blob: blob.splitlines(keepends=True)[0]  # noqa: E731


# --- 1. the pipeline: (id, file, edit, update the manifest's sha256, error, match) ---------------

_PIPELINE = [
    ("gcam-not-utf8", GCAM_GDP, sub("Tianjin", b"Tianj\xefn"), True, DataValidationError,
     r"file 'gcam-china/GDP_raw\.csv', line \d+: not UTF-8 text \(byte 0xef"),
    ("gcam-empty", GCAM_GDP, empty, True, DataValidationError, r"GDP_raw\.csv'.*the file is empty"),
    ("gcam-only-comments", GCAM_GDP, keep_comments, True, DataValidationError, "only comment lines"),
    ("gcam-bom", GCAM_GDP, bom, True, DataValidationError, "line 1: starts with a byte-order mark"),
    ("gcam-duplicated-row", GCAM_GDP, dup_line("Tianjin,"), True, DataValidationError,
     r"line \d+: duplicated row 'Tianjin' \(first on line \d+\)"),
    ("gcam-missing-province", GCAM_GDP, drop_line("Tianjin,"), True, DataValidationError,
     r"missing province row\(s\) \['Tianjin'\]"),
    ("gcam-unknown-province", GCAM_GDP, sub("Tianjin,", "Tianjn,"), True, DataValidationError,
     r"column 'label': unknown province\(s\) \['Tianjn'\]"),
    ("gcam-empty-cell", GCAM_GDP, sub("120.11,139.1,", "120.11,,"), True, DataValidationError,
     r"line \d+, column '1980': empty cell in row 'Beijing'"),
    ("gcam-no-sum-row", GCAM_GDP, drop_line("sum,"), True, DataValidationError, "no 'sum' row"),
    ("gcam-sum-row-differs", GCAM_GDP, sub("120.11,139.1,", "120.11,239.1,"), True, DataValidationError,
     r"line \d+, column '1980': 'sum' row differs from the sum of provinces in 1980"),
    ("gcam-text-in-cell", GCAM_GDP, sub("120.11,139.1,", "120.11,n/a,"), True, DataValidationError,
     r"line \d+, column '1980': expected a number, found 'n/a'"),
    ("gcam-bad-header-year", GCAM_GDP, sub(",1976,", ",19x6,"), True, DataValidationError,
     "header years are not all integers"),
    ("gcam-short-row", GCAM_GDP, sub("Beijing,91.25,", "Beijing,"), True, DataValidationError,
     r"line \d+: expected \d+ cells, found \d+"),
    ("gcam-pop-missing-province", GCAM_POP, drop_line("Xinjiang,"), True, DataValidationError,
     r"Compendium_of_Statistics\.csv'.*missing province row\(s\) \['Xinjiang'\]"),
    ("checksum-mismatch", GCAM_GDP, sub("Beijing,91.25", "Beijing,91.26"), False, ChecksumError,
     r"GDP_raw\.csv: sha256 [0-9a-f]{64} differs from the manifest's"),
    ("nbs-gbk-encoded", NBS_GDP, gbk, True, DataValidationError,
     r"地区生产总值\.csv', line 1: not UTF-8 text"),
    ("nbs-bom", NBS_GDP, bom, True, DataValidationError, "byte-order mark"),
    ("nbs-empty", NBS_GDP, empty, True, DataValidationError, "the file is empty"),
    ("nbs-header-only", NBS_GDP, header_only, True, DataValidationError,
     r"missing \d+ expected \(vintage, province, year\) key\(s\)"),
    ("nbs-missing-column", NBS_GDP, sub("地区生产总值(亿元)", "地区生产总值"), True, DataValidationError,
     r"line 1: column '地区生产总值\(亿元\)' not found"),
    ("nbs-negative", NBS_GDP, sub("110000,北京市,2019,35445.1", "110000,北京市,2019,-35445.1"), True,
     DataValidationError, r"line 2, column '地区生产总值\(亿元\)': negative value -35445.1"),
    ("nbs-empty-value", NBS_GDP, sub("110000,北京市,2019,35445.1", "110000,北京市,2019,"), True,
     DataValidationError, r"line 2, column '地区生产总值\(亿元\)': empty cell where a number is required"),
    ("nbs-text-value", NBS_GDP, sub("110000,北京市,2019,35445.1", "110000,北京市,2019,35,445.1x"), True,
     DataValidationError, r"地区生产总值\.csv', line 2: expected 17 cells, found 18 \(a stray or missing comma\)"),
    ("nbs-name-mismatch", NBS_GDP, sub("110000,北京市,2019", "110000,天津市,2019"), True, DataValidationError,
     r"line 2, column '省份': name '天津市' does not match code 110000"),
    ("nbs-duplicated-key", NBS_POP, dup_line("110000,北京市,2019"), True, DataValidationError,
     r"line 3, column '省份编码, 年份': duplicated key \(province code 110000, year 2019\)"),
    ("nbs-unknown-code", NBS_POP, sub("110000,北京市,2019", "990000,北京市,2019"), True, DataValidationError,
     r"unknown province code\(s\) \[990000\]"),
    ("nbs-missing-year", NBS_GDP, drop_line("650000,新疆维吾尔自治区,2005,"), True, DataValidationError,
     re.escape("missing 1 expected (vintage, province, year) key(s): ('nbs_2021', 'Xinjiang', 2005)")),
    ("population-cross-check", NBS_POP, sub("110000,北京市,2019,2154,", "110000,北京市,2019,2254,"), True,
     DataValidationError, r"disagree \(>1\) at \[\('Beijing', 2019\), \('Heilongjiang', 2013\)\]"),
    ("csy2009-short-row", CSY2009, sub("Beijing 9353.32 4071.70", "Beijing 9353.32"), True, DataValidationError,
     r"line 8: expected 5 numbers"),
    ("csy2009-not-utf8", CSY2009, sub("Beijing", b"Beij\xffing"), True, DataValidationError,
     r"line 8: not UTF-8 text \(byte 0xff"),
    ("sources-truncated", "seeds/sources.json", truncate, False, DataValidationError,
     r"sources\.json', line \d+: not valid JSON \(.*\); the file is truncated or edited"),
    ("sources-empty", "seeds/sources.json", empty, False, DataValidationError, r"sources\.json'.*the file is empty"),
    ("sources-not-utf8", "seeds/sources.json", lambda b: b.replace(b'"files"', b'"fil\xe9s"', 1), False,
     DataValidationError, r"sources\.json', line \d+: not UTF-8 text"),
    ("sources-no-files-list", "seeds/sources.json", lambda b: b"{}\n", False, DataValidationError,
     "expected a JSON object with a 'files' list"),
    ("regions-not-utf8", "seeds/regions.csv", sub("Beijing", b"Beij\xe9ing"), False, DataValidationError,
     r"file 'seeds/regions\.csv', line 2: not UTF-8 text"),
    ("regions-empty", "seeds/regions.csv", empty, False, DataValidationError,
     r"file 'seeds/regions\.csv'.*the file is empty"),
    ("claims-seed-not-utf8", "seeds/claims.csv", lambda b: b[:40] + b"\xff" + b[40:], False, DataValidationError,
     r"file 'seeds/claims\.csv', line 1: not UTF-8 text"),
]


def _prepare(raw_dir: Path, tmp: Path, file: str, edit: Edit, update_manifest: bool) -> tuple[Path, Path]:
    raw, seeds = tmp / "raw", tmp / "seeds"
    shutil.copytree(raw_dir, raw)
    shutil.copytree(ROOT / "seeds", seeds)
    target = seeds / file.removeprefix("seeds/") if file.startswith("seeds/") else raw / file
    target.write_bytes(edit(target.read_bytes()))
    if update_manifest:
        manifest = json.loads((seeds / "sources.json").read_text(encoding="utf-8"))
        for rec in manifest["files"]:
            if rec["file"] == file:
                rec["sha256"] = sha256_of(target)
        (seeds / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return raw, seeds


@pytest.mark.rawdata
@pytest.mark.parametrize(("file", "edit", "update_manifest", "error", "match"),
                         [pytest.param(*c[1:], id=c[0]) for c in _PIPELINE])
def test_pipeline_bad_input(raw_dir: Path, tmp_path: Path, file: str, edit: Edit, update_manifest: bool,
                            error: type[Exception], match: str) -> None:
    raw, seeds = _prepare(raw_dir, tmp_path, file, edit, update_manifest)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.csv").write_text("kept\n")
    before = snapshot(tmp_path)
    with pytest.raises(error, match=match):
        build_all(raw, seeds_dir=seeds, out_dir=out)
    assert snapshot(tmp_path) == before


@pytest.mark.rawdata
def test_pipeline_missing_raw_file_and_manifest(raw_dir: Path, tmp_path: Path) -> None:
    raw, seeds = _prepare(raw_dir, tmp_path, NBS_POP, lambda b: b, False)
    (raw / NBS_POP).unlink()
    before = snapshot(tmp_path)
    with pytest.raises(FileNotFoundError, match="总人口.csv' not found"):
        build_all(raw, seeds_dir=seeds, out_dir=tmp_path / "out")
    (seeds / "sources.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"sources manifest .*sources\.json not found"):
        build_all(raw, seeds_dir=seeds, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    del before


# --- 2. the loader: a copy of the shipped data, corrupted -----------------------------------------

def _with_record(name: str, edit: Edit) -> Callable[[Path], None]:
    """Corrupt ``name.csv`` and record the corrupted file's size, hash and rows, so that the
    edit passes the integrity check and reaches the schema check."""
    def apply(folder: Path) -> None:
        path = folder / f"{name}.csv"
        blob = edit(path.read_bytes())
        path.write_bytes(blob)
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for res in package["resources"]:
            if res["name"] == name:
                rec = file_record(blob)
                res["bytes"], res["hash"], res["coverage"]["rows"] = rec["bytes"], rec["hash"], rec["rows"]
        (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return apply


def _file_edit(file: str, edit: Edit) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / file).write_bytes(edit((folder / file).read_bytes()))
    return apply


def _drop_key(name: str, key: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for res in package["resources"]:
            if res["name"] == name:
                del res[key]
        (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return apply


_LOADER = [
    ("header-only", "province_gdp", _file_edit("province_gdp.csv", header_only), DataValidationError,
     r"file 'ewp_stats/data/province_gdp\.csv'.*rows expected \d+, found 0"),
    ("truncated-mid-line", "xinjiang", _file_edit("xinjiang.csv", lambda b: b[:-7]), DataValidationError,
     r"xinjiang\.csv'.*size expected \d+ bytes, found \d+"),
    ("row-deleted", "regions", _file_edit("regions.csv", drop_line("Tianjin,")), DataValidationError,
     r"regions\.csv'.*rows expected 31, found 30"),
    ("not-utf8", "regions", _file_edit("regions.csv", sub("Beijing", b"Beij\xe9ing")), DataValidationError,
     r"regions\.csv'.*rows expected 31, found unreadable CSV"),
    ("package-truncated", "xinjiang", _file_edit("datapackage.json", truncate), DataValidationError,
     r"file 'ewp_stats/data/datapackage\.json', line \d+: not valid JSON"),
    ("package-empty", "xinjiang", _file_edit("datapackage.json", empty), DataValidationError,
     r"datapackage\.json'.*the file is empty"),
    ("package-not-utf8", "xinjiang", _file_edit("datapackage.json", lambda b: b.replace(b"resources", b"r\xe9sources", 1)),
     DataValidationError, r"datapackage\.json', line \d+: not UTF-8 text"),
    ("package-no-resources", "xinjiang", _file_edit("datapackage.json", lambda b: b"[]\n"), DataValidationError,
     "expected a JSON object with a 'resources' list"),
    ("no-hash-recorded", "xinjiang", _drop_key("xinjiang", "hash"), DataValidationError,
     "datapackage.json records no hash for this file"),
    ("text-in-numeric", "province_gdp",
     _with_record("province_gdp", sub("csy2000_first_release,Anhui,1996,2339.25", "csy2000_first_release,Anhui,1996,approx")),
     DataValidationError, r"province_gdp\.csv', line 2, column 'gdp': expected a number, found text 'approx'"),
    ("unknown-vintage", "province_gdp",
     _with_record("province_gdp", sub("csy2000_first_release,Anhui,1996", "nbs_2030,Anhui,1996")),
     DataValidationError, r"line 2, column 'vintage': unknown value 'nbs_2030'"),
    ("negative-value", "province_gdp", _with_record("province_gdp", sub("Anhui,1996,2339.25", "Anhui,1996,-2339.25")),
     DataValidationError, r"line 2, column 'gdp': value -2339.25 is below the minimum 0"),
    ("missing-required", "xinjiang", _with_record("xinjiang", sub("2001,1491.6,", "2001,,")), DataValidationError,
     r"xinjiang\.csv', line 3, column 'gdp': missing value where none is allowed"),
    ("duplicated-key", "regions", _with_record("regions", dup_line("Beijing,")), DataValidationError,
     r"regions\.csv', line 3, column 'province': duplicated key \('Beijing',\)"),
    ("renamed-column", "xinjiang", _with_record("xinjiang", sub("gdp_per_capita", "gdp_pc")), DataValidationError,
     r"missing \['gdp_per_capita'\], unexpected \['gdp_pc'\]"),
    ("unknown-name", "xinjang", lambda folder: None, UnknownDatasetError, "unknown dataset 'xinjang'; valid names: "),
]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "data"
    folder.mkdir()
    for p in SHIPPED.iterdir():
        if p.suffix in (".csv", ".json"):
            shutil.copy2(p, folder / p.name)
    monkeypatch.setattr(data.resources, "files", lambda _name: folder)
    data._package.cache_clear()
    data._load_validated.cache_clear()
    yield folder
    monkeypatch.undo()
    data._package.cache_clear()
    data._load_validated.cache_clear()


@pytest.mark.parametrize(("name", "corrupt", "error", "match"), [pytest.param(*c[1:], id=c[0]) for c in _LOADER])
def test_loader_bad_input(data_copy: Path, name: str, corrupt, error: type[Exception], match: str) -> None:
    corrupt(data_copy)
    before = snapshot(data_copy)
    with pytest.raises(error, match=match):
        data.load(name)
    assert snapshot(data_copy) == before


# --- 3. the CLI: exit code and one line on stderr, no traceback -----------------------------------

def _raise(exc: BaseException):
    def run(*_a, **_k):
        raise exc
    return run


_CLI = [
    ("unknown-dataset", ["show", "xinjang"], None, 2, "ewp-stats show: error: unknown dataset 'xinjang'"),
    ("csv-into-missing-dir", ["show", "xinjiang", "--csv", "{tmp}/no/such/dir/x.csv"], None, 2,
     "ewp-stats show: error: "),
    ("rows-not-a-number", ["show", "xinjiang", "--rows", "many"], None, 2, "invalid int value: 'many'"),
    ("unknown-command", ["frobnicate"], None, 2, "invalid choice: 'frobnicate'"),
    ("unknown-document", ["claims", "--document", "999"], None, 2, "unknown document '999'"),
    ("raw-dir-missing", ["build-data", "--raw-dir", "{tmp}/no-raw"], None, 2,
     "ewp-stats build-data: error: raw-data directory"),
    ("ctrl-c", ["datasets"], KeyboardInterrupt(), 130, "ewp-stats datasets: interrupted"),
    ("disk-full", ["datasets"], OSError(errno.ENOSPC, "No space left on device", "/x/out.csv"), 2,
     "ewp-stats datasets: error: No space left on device: /x/out.csv; free disk space"),
    ("permission-denied", ["datasets"], PermissionError(errno.EACCES, "Permission denied", "/x/out.csv"), 2,
     "ewp-stats datasets: error: permission denied: /x/out.csv; check the file's permissions"),
    ("is-a-directory", ["datasets"], IsADirectoryError(errno.EISDIR, "Is a directory", "/x"), 2,
     "ewp-stats datasets: error: Is a directory: /x; check the path"),
    ("console-cannot-encode", ["datasets"], UnicodeEncodeError("ascii", "北京", 0, 1, "ordinal not in range(128)"), 2,
     "ewp-stats datasets: error: text encoding error"),
    ("internal-error", ["datasets"], RuntimeError("boom"), 3,
     "ewp-stats datasets: internal error: RuntimeError: boom; rerun with --debug"),
]


@pytest.mark.parametrize(("argv", "fault", "code", "message"), [pytest.param(*c[1:], id=c[0]) for c in _CLI])
def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                       argv: list[str], fault: BaseException | None, code: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    if fault is not None:
        import ewp_stats.reporting.cli as cli
        monkeypatch.setattr(cli, "_cmd_datasets", _raise(fault))
    before = snapshot(tmp_path)
    try:
        rc = main([a.format(tmp=tmp_path) for a in argv])
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == code
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
    assert snapshot(tmp_path) == before


def test_cli_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import ewp_stats.reporting.cli as cli
    monkeypatch.setattr(cli, "_cmd_datasets", _raise(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(OSError, match="No space left"):
        main(["--debug", "datasets"])


def test_cli_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "130" in out and "--debug" in out


# --- 4. the API: typed errors naming the argument and the expected value --------------------------

def _panel(index=None) -> pd.DataFrame:
    years = list(range(2000, 2012)) if index is None else index
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.uniform(1, 2, (len(years), 5)).cumsum(axis=0), index=years,
                        columns=["T", "A", "B", "C", "D"])


_DESIGN = dict(pre_period=(2000, 2007), post_period=(2008, 2011))

_API = [
    ("exclude-misspelt", lambda: xinjiang.xinjiang_synth(exclude=["Beijng"]), InputError,
     r"exclude names \['Beijng'\], which are not in the donor pool"),
    ("exclude-a-string", lambda: xinjiang.xinjiang_placebo(exclude="Beijing"), InputError,
     "exclude must be a list of province names, got the string 'Beijing'"),
    ("donor-misspelt", lambda: synth_control(_panel(), "T", ["A", "Bb"], **_DESIGN), InputError,
     r"donor pool units \['Bb'\] are not in the panel"),
    ("donors-a-string", lambda: synth_control(_panel(), "T", "ABC", **_DESIGN), InputError,
     "donor pool must be a list of unit names, got the string 'ABC'"),
    ("control-misspelt", lambda: did_single_treated(_panel(), "T", ["A", "B", "Cc"], **_DESIGN), InputError,
     r"control group units \['Cc'\] are not in the panel"),
    ("float-year-in-period", lambda: synth_control(_panel(), "T", ["A", "B"], pre_period=(2000.0, 2007),
                                                   post_period=(2008, 2011)), InputError,
     r"pre_period must be a pair of integer years \(first, last\), got \(2000.0, 2007\)"),
    ("string-year-index", lambda: synth_control(_panel([str(y) for y in range(2000, 2012)]), "T", ["A", "B"],
                                                **_DESIGN), InputError,
     "panel index must hold integer years, got dtype"),
    ("one-year-post-period", lambda: synth_control(_panel(), "T", ["A", "B"], pre_period=(2000, 2010),
                                                   post_period=(2011, 2011)), InputError,
     r"post_period \(2011, 2011\) has 1 year; expected at least 2"),
    ("did-one-year-post-period", lambda: did_single_treated(_panel(), "T", ["A", "B", "C"], pre_period=(2000, 2010),
                                                            post_period=(2011, 2011)), InputError,
     r"post_period \(2011, 2011\) has 1 year"),
    ("did-level", lambda: did_single_treated(_panel(), "T", ["A", "B", "C"], level=1.5, **_DESIGN), InputError,
     r"level must be in \(0, 1\), got 1.5"),
    ("years-zero", lambda: xinjiang.real_multiple_at_average_growth(years=0), InputError,
     "years must be a positive number of years, got 0"),
    ("aid-years-zero", lambda: xinjiang.aid_share_of_gdp(years=0), InputError,
     "years must be a positive number of years, got 0"),
    ("annualised-years-negative", lambda: xinjiang.annualised_growth(2.0, -3), InputError,
     "years must be a positive number of years, got -3"),
    ("float-first-year", lambda: xinjiang.average_real_growth(2000.5, 2005), InputError,
     "first year must be an integer year, got 2000.5"),
    ("string-end-year", lambda: xinjiang.real_gdp_multiple(end_year="2019"), InputError,
     "end year must be an integer year, got '2019'"),
    ("year-outside-data", lambda: xinjiang.real_gdp_multiple(base_year=1990), InputError,
     r"base year 1990 is outside the data \(Xinjiang 2000-2019\)"),
    ("growth-year-not-in-index", lambda: xinjiang.average_growth(xinjiang.population_panel(), 1990, 2000),
     InputError, r"years \[1989\] are not in the levels' index"),
    ("growth-float-year", lambda: xinjiang.average_growth(xinjiang.population_panel(), 2001.0, 2005), InputError,
     "first_year must be an integer year, got 2001.0"),
    ("donor-region", lambda: xinjiang.donor_pool(region="east"), InputError,
     "region must be 'west' or 'all', got 'east'"),
    ("unknown-outcome", lambda: xinjiang.outcome_panel("gdp_pc"), InputError, "unknown outcome 'gdp_pc'"),
    ("verify-rtol", lambda: reproduce.compare({}, {}, rtol=-1.0), InputError,
     "rtol must be a finite number >= 0, got -1.0"),
]


@pytest.mark.parametrize(("call", "error", "match"), [pytest.param(*c[1:], id=c[0]) for c in _API])
def test_api_bad_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call, error: type[Exception],
                          match: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=match):
        call()
    assert list(tmp_path.iterdir()) == []
    assert issubclass(error, EwpStatsError)


# --- 5. reproduce and verify ---------------------------------------------------------------------

#: reproduce and verify: bad --out and tolerance arguments.
_BAD_CLI = [
    ("out-empty", ["reproduce", "--out", ""], "--out is empty"),
    ("out-is-file", ["reproduce", "--out", "{tmp}/file.txt"], "is an existing file, not a directory"),
    ("out-foreign-dir", ["reproduce", "--out", "{tmp}/foreign"], "non-empty directory without an ewp-stats "
                                                                  "reproduce manifest.json"),
    ("verify-out-empty", ["verify", "--out", ""], "--out is empty"),
    ("rtol-negative", ["verify", "--out", "{tmp}/v", "--rtol=-1e-9"], "--rtol must be a finite number >= 0, got -1e-09"),
    ("rtol-nan", ["verify", "--out", "{tmp}/v", "--rtol", "nan"], "--rtol must be a finite number >= 0, got nan"),
    ("rtol-inf", ["verify", "--out", "{tmp}/v", "--rtol", "inf"], "--rtol must be a finite number >= 0, got inf"),
    ("atol-negative", ["verify", "--out", "{tmp}/v", "--atol=-1"], "--atol must be a finite number >= 0, got -1.0"),
    ("atol-nan", ["verify", "--out", "{tmp}/v", "--atol", "nan"], "--atol must be a finite number >= 0, got nan"),
]


@pytest.mark.parametrize(("argv", "message"), [pytest.param(*c[1:], id=f"reproduce-{c[0]}") for c in _BAD_CLI])
def test_reproduce_and_verify_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str) -> None:
    (tmp_path / "file.txt").write_text("a user's file\n")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("not results\n")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith(f"ewp-stats {argv[0]}: error: ") and "Traceback" not in err
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "foreign"]


def test_the_table_has_at_least_60_distinct_cases() -> None:
    ids = [c[0] for table in (_PIPELINE, _LOADER, _CLI, _API) for c in table] + [f"r-{c[0]}" for c in _BAD_CLI]
    assert len(ids) == len(set(ids)) >= 60
