"""Integrity of what ships and what is written: verified loads and an atomic ``build-data``."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ewp_stats import data
from ewp_stats._files import atomic_directory, atomic_write_text, sha256_of
from ewp_stats.data.integrity import check_file, file_record, read_checked
from ewp_stats.errors import ChecksumError, DataValidationError
from ewp_stats.pipeline import build
from ewp_stats.pipeline.build import build_all, default_out_dir
from fs_snapshot import snapshot

SHIPPED = default_out_dir()
NBS_NATIONAL = "nbs-easyquery-2021/国内生产总值_全国.csv"


def leftovers(folder: Path) -> list[str]:
    """Temporary directories of an atomic write left beside ``folder``."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.new-")
                  or p.name.startswith(f".{folder.name}.old-"))


# --- data.load checks size, sha256 and row count ----------------------------------------------

def _header_only(b: bytes) -> bytes:
    return b.split(b"\n", 1)[0] + b"\n"


def _truncated(b: bytes) -> bytes:
    return b[: len(b) // 2]


def _row_deleted(b: bytes) -> bytes:
    lines = b.splitlines(keepends=True)
    return b"".join(lines[:5] + lines[6:])


def _value_edited(b: bytes) -> bytes:
    return b.replace(b"Anhui,1996,2339.25", b"Anhui,1996,2339.35", 1)


def _row_added(b: bytes) -> bytes:
    lines = b.splitlines(keepends=True)
    return b"".join(lines + lines[-1:])


_BAD_SHIPPED = [
    ("header-only", "province_gdp", _header_only, r"size expected \d+ bytes, found \d+; rows expected 1703, found 0"),
    ("truncated-mid-line", "province_gdp", _truncated, r"rows expected 1703, found 785; hash expected sha256:"),
    ("row-deleted", "province_population", _row_deleted, r"rows expected 1581, found 1580"),
    ("row-duplicated", "regions", _row_added, r"rows expected 31, found 32"),
    ("value-edited", "province_gdp", _value_edited, r"hash expected sha256:[0-9a-f]{64}, found sha256:[0-9a-f]{64}"),
    ("not-utf8", "xinjiang", lambda b: b"\xff\xfe" + b[2:], r"rows expected 20, found unreadable CSV"),
]


@pytest.mark.parametrize(("name", "corrupt", "match"), [pytest.param(*c[1:], id=c[0]) for c in _BAD_SHIPPED])
def test_a_corrupted_shipped_file_is_refused_naming_file_and_difference(name: str, corrupt, match: str) -> None:
    before = snapshot(SHIPPED)
    res = data.metadata(name)
    blob = corrupt((SHIPPED / res["path"]).read_bytes())
    with pytest.raises(DataValidationError, match=match) as info:
        read_checked(res, blob, file=f"ewp_stats/data/{res['path']}")
    assert f"file 'ewp_stats/data/{name}.csv'" in str(info.value)
    assert "differs from datapackage.json" in str(info.value)
    assert snapshot(SHIPPED) == before


@pytest.mark.parametrize("missing", ["bytes", "hash", "coverage"])
def test_a_resource_without_integrity_fields_is_refused(missing: str) -> None:
    res = data.metadata("regions")
    res.pop(missing)
    with pytest.raises(DataValidationError, match=r"datapackage.json records no .*rebuild the data"):
        check_file(res, (SHIPPED / "regions.csv").read_bytes(), file="regions.csv")


def test_datapackage_records_bytes_hash_and_rows_of_every_shipped_file() -> None:
    for name in data.names():
        res = data.metadata(name)
        blob = (SHIPPED / res["path"]).read_bytes()
        assert res["bytes"] == len(blob)
        assert res["hash"] == f"sha256:{sha256_of(SHIPPED / res['path'])}"
        assert res["coverage"]["rows"] == file_record(blob)["rows"] == len(data.load(name))


def test_load_goes_through_the_integrity_check(monkeypatch: pytest.MonkeyPatch) -> None:
    package = json.loads((SHIPPED / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res["name"] == "xinjiang":
            res["coverage"]["rows"] = 21
    monkeypatch.setattr(data, "_package", lambda: package)
    data._load_validated.cache_clear()
    try:
        with pytest.raises(DataValidationError, match=r"file 'ewp_stats/data/xinjiang.csv'.*rows expected 21, found 20"):
            data.load("xinjiang")
    finally:
        data._load_validated.cache_clear()


# --- raw files: every one in sources.json is checked, the national GDP file included -----------

@pytest.mark.rawdata
def test_the_national_gdp_file_is_checked_before_anything_is_read(edited_raw, tmp_path: Path) -> None:
    raw, seeds = edited_raw(NBS_NATIONAL, lambda t: t.replace("2019", "2091", 1), update_manifest=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.csv").write_text("kept\n")
    before = snapshot(out)
    with pytest.raises(ChecksumError, match="国内生产总值_全国.csv: sha256 [0-9a-f]{64} differs from the manifest's"):
        build_all(raw, seeds_dir=seeds, out_dir=out)
    assert snapshot(out) == before and not leftovers(out)


# --- build-data is atomic ----------------------------------------------------------------------

@pytest.fixture
def previous(raw_dir: Path, tmp_path: Path) -> Path:
    """A built data directory marked as 'previous' (one CSV edited, a module beside the data)."""
    out = tmp_path / "data"
    build_all(raw_dir, out_dir=out)
    (out / "__init__.py").write_text("# a module that lives beside the data\n")
    with (out / "xinjiang.csv").open("a") as fh:
        fh.write("# previous build\n")
    return out


def _fail_on_call(n: int, error: BaseException):
    calls = {"n": 0}
    real = Path.write_bytes

    def write_bytes(self: Path, blob: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == n:
            with self.open("wb") as fh:
                fh.write(blob[: len(blob) // 2])  # a partial file, as on a full disk
            raise error
        return real(self, blob)
    return write_bytes


@pytest.mark.rawdata
@pytest.mark.parametrize(("n", "error"), [
    (1, OSError(28, "No space left on device")),
    (6, OSError(28, "No space left on device")),
    (11, KeyboardInterrupt()),
    (3, SystemExit(143)),
])
def test_a_write_failing_midway_leaves_the_previous_data(previous: Path, raw_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                         n: int, error: BaseException) -> None:
    before = snapshot(previous)
    monkeypatch.setattr(Path, "write_bytes", _fail_on_call(n, error))
    with pytest.raises(type(error)):
        build_all(raw_dir, out_dir=previous)
    assert snapshot(previous) == before
    assert not leftovers(previous)


@pytest.mark.rawdata
def test_a_result_failing_its_check_is_not_swapped_in(previous: Path, raw_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(previous)
    real = build.file_record
    monkeypatch.setattr(build, "file_record", lambda blob: dict(real(blob), bytes=real(blob)["bytes"] + 1))
    first = "claim_consistency.csv"  # the first file checked (alphabetical), unchanged
    size = (previous / first).stat().st_size
    with pytest.raises(DataValidationError,
                       match=rf"file {first!r}.*size expected {size + 1} bytes, found {size}"):
        build_all(raw_dir, out_dir=previous)
    assert snapshot(previous) == before and not leftovers(previous)


@pytest.mark.rawdata
def test_a_successful_build_keeps_other_entries_and_replaces_the_data(previous: Path, raw_dir: Path) -> None:
    build_all(raw_dir, out_dir=previous)
    assert (previous / "__init__.py").read_text() == "# a module that lives beside the data\n"
    for name in ("xinjiang.csv", "datapackage.json", "province_gdp.csv"):
        assert (previous / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    assert not leftovers(previous)


_CHILD = """
import sys
from ewp_stats.pipeline.build import build_all
print("ready", flush=True)
build_all(sys.argv[1], out_dir=sys.argv[2])
"""


@pytest.mark.rawdata
@pytest.mark.parametrize(("sig", "seed"), [(signal.SIGINT, 1), (signal.SIGTERM, 2), (signal.SIGINT, 3),
                                           (signal.SIGTERM, 4)])
def test_build_data_killed_at_a_random_point_leaves_old_or_new_data(previous: Path, raw_dir: Path, sig: int,
                                                                    seed: int) -> None:
    before = snapshot(previous)
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(raw_dir), str(previous)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(random.Random(seed).uniform(0.0, 0.9))
        child.send_signal(sig)
        child.wait(timeout=60)
    after = snapshot(previous)
    if after != before:  # the signal came after the swap: then the new data are complete
        build._check_written(previous)
        assert (previous / "xinjiang.csv").read_bytes() == (SHIPPED / "xinjiang.csv").read_bytes()
    assert not leftovers(previous)


# --- the helpers themselves ---------------------------------------------------------------------

def test_atomic_write_text_failing_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old\n")

    def boom(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_atomic_directory_refuses_a_file_and_does_not_follow_symlinks(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="exists and is not a directory"):
        with atomic_directory(tmp_path / "file"):
            pass
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(victim)
    with atomic_directory(out) as tmp:
        (tmp / "new.txt").write_text("new\n")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert victim.read_text() == "precious\n"
    shutil.rmtree(out)


@pytest.mark.rawdata
@pytest.mark.parametrize("seed", [21, 22, 23])
def test_build_data_sigkilled_at_a_random_point_leaves_old_or_new_data(previous: Path, raw_dir: Path,
                                                                       seed: int) -> None:
    """SIGKILL cannot be caught: no cleanup runs, yet the previous data survive (or the new, complete)."""
    before = snapshot(previous)
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(raw_dir), str(previous)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(random.Random(seed).uniform(0.0, 0.9))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    after = snapshot(previous)
    if after != before:
        build._check_written(previous)
        assert (previous / "xinjiang.csv").read_bytes() == (SHIPPED / "xinjiang.csv").read_bytes()
    build_all(raw_dir, out_dir=previous)  # a killed run never blocks the next one
    build._check_written(previous)


def test_atomic_writes_get_the_permissions_of_an_ordinary_write(tmp_path) -> None:
    """mkstemp creates 0600 files; an atomic write must not make a result unreadable to others."""
    import os

    from ewp_stats._files import atomic_write_text

    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        atomic_write_text(new, "a\n")
        assert new.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("old")
        kept.chmod(0o640)
        atomic_write_text(kept, "b\n")
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "b\n"
    finally:
        os.umask(umask)


def test_every_seed_file_a_dataset_cites_carries_its_true_sha256() -> None:
    """Provenance of transcribed and project files: each cited seed file has a checksum, and it is right."""
    from pathlib import Path

    from ewp_stats import data
    from ewp_stats._files import sha256_of

    root = Path(__file__).resolve().parents[2]
    cited = {src["file"]: src.get("sha256") for name in data.names() for src in data.metadata(name)["sources"]
             if src["file"].startswith("seeds/")}
    assert "seeds/regions.csv" in cited
    missing = sorted(f for f, sha in cited.items() if not sha)
    assert not missing, f"seed files cited without a sha256: {missing}"
    wrong = sorted(f for f, sha in cited.items() if sha256_of(root / f) != sha)
    assert not wrong, f"seed files whose recorded sha256 is not the file's: {wrong}"
