"""``reproduce`` and ``verify`` under bad arguments and faults: atomic, locked, pinned style."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import pytest

from ewp_stats import data
from ewp_stats._files import LockedError, directory_lock
from ewp_stats.errors import InputError
from ewp_stats.reporting import reproduce
from ewp_stats.reporting.figures import output
from fs_snapshot import snapshot


@pytest.fixture(scope="module")
def data_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data_run") / "results"
    reproduce.reproduce(out, progress=False, steps=["data"])
    return out


@pytest.fixture
def previous(data_run: Path, tmp_path: Path) -> Path:
    """A copy of an earlier run with a stale file the next run does not write."""
    import shutil

    out = tmp_path / "results"
    shutil.copytree(data_run, out)
    (out / "tables" / "stale__old.csv").write_text("from an earlier version\n")
    return out


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rtol": -0.1}, "rtol must be a finite number >= 0, got -0.1"),
    ({"rtol": float("nan")}, "rtol must be a finite number >= 0, got nan"),
    ({"atol": float("inf")}, "atol must be a finite number >= 0, got inf"),
    ({"atol": "1e-9"}, "atol must be a finite number >= 0, got '1e-9'"),
    ({"rtol": True}, "rtol must be a finite number >= 0, got True"),
])
def test_verify_validates_tolerances_before_running(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        reproduce.verify(tmp_path / "out", steps=["data"], progress=False, **kwargs)
    with pytest.raises(InputError, match=message):
        reproduce.compare({}, {}, **kwargs)
    assert not (tmp_path / "out").exists()


# --- atomic: complete or nothing ---------------------------------------------------------------

def test_manifest_covers_every_file_and_stale_files_are_removed(previous: Path) -> None:
    manifest = reproduce.reproduce(previous, progress=False, steps=["data"])
    on_disk = set(snapshot(previous)) - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    assert "tables/stale__old.csv" not in on_disk
    assert json.loads((previous / "manifest.json").read_text()) == manifest


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt(), SystemExit(143)])
def test_a_write_failing_midway_leaves_the_earlier_run(previous: Path, monkeypatch: pytest.MonkeyPatch,
                                                       error: BaseException) -> None:
    before = snapshot(previous)
    real = output.save_figure
    calls = {"n": 0}

    def failing(fig, path, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise error
        return real(fig, path, **kw)

    monkeypatch.setattr(output, "save_figure", failing)
    with pytest.raises(type(error)):
        reproduce.reproduce(previous, progress=False, steps=["data"])
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir() if p.name.startswith(".results")] == []


def test_a_symlink_inside_out_is_never_followed(previous: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.csv"
    victim.write_text("precious\n")
    link = previous / "tables" / "data__east_west_ratio.csv"
    link.unlink()
    link.symlink_to(victim)
    (previous / "figures_link").symlink_to(tmp_path)
    reproduce.reproduce(previous, progress=False, steps=["data"])
    assert victim.read_text() == "precious\n"
    assert not link.is_symlink() and link.stat().st_size > 100
    assert not (previous / "figures_link").exists()


def test_a_concurrent_run_is_refused_naming_the_lock(previous: Path) -> None:
    before = snapshot(previous)
    with directory_lock(previous, command="ewp-stats reproduce") as lock:
        with pytest.raises(LockedError, match=rf"being written by another ewp-stats reproduce .*the lock "
                                              rf"{lock}; wait for it to finish, or, if no such process is running, "
                                              rf"delete"):
            reproduce.reproduce(previous, progress=False, steps=["data"])
    assert snapshot(previous) == before
    reproduce.reproduce(previous, progress=False, steps=["data"])  # free again once released
    assert not lock.exists()


_CHILD = """
import sys
from ewp_stats.reporting.reproduce import reproduce
print("ready", flush=True)
reproduce(sys.argv[1], progress=False, steps=["data"])
"""


@pytest.mark.parametrize(("sig", "seed"), [(signal.SIGINT, 11), (signal.SIGTERM, 12)])
def test_reproduce_killed_at_a_random_point_leaves_old_or_complete_results(previous: Path, sig: int,
                                                                           seed: int) -> None:
    before = snapshot(previous)
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(previous)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(random.Random(seed).uniform(0.0, 1.5))
        child.send_signal(sig)
        child.wait(timeout=60)
    after = snapshot(previous)
    if after != before:  # the signal came after the swap: then the results are complete
        manifest = json.loads(after.pop("manifest.json"))
        assert set(manifest["files"]) == set(after)
    assert [p.name for p in previous.parent.iterdir() if p.name.startswith(".results")] == []


# --- verify: lost rows are drift; the figure style is pinned -------------------------------------

def test_a_dataset_with_lost_rows_is_reported_as_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_load = data.load

    def lost(name: str):
        frame = real_load(name)
        return frame.drop(frame.index[0]) if name == "east_west_ratio" else frame

    monkeypatch.setattr(data, "load", lost)
    report = reproduce.verify(tmp_path / "out", steps=["data"], progress=False)
    assert not report.ok
    assert report.steps_failed and report.steps_failed[0][0] == "data"
    assert "KeyError" in report.steps_failed[0][1]
    assert report.drifted and all(k.startswith("data/") for k, _, _ in report.drifted)
    assert "STEP FAILED data: KeyError" in report.summary()


def test_a_users_matplotlib_style_does_not_change_the_figures(tmp_path: Path) -> None:
    with matplotlib.rc_context({"lines.linewidth": 7.0, "font.size": 20, "axes.facecolor": "black",
                                "figure.dpi": 50, "axes.prop_cycle": matplotlib.cycler(color=["red"])}):
        report = reproduce.verify(tmp_path / "out", steps=["data"], progress=False)
        assert matplotlib.rcParams["lines.linewidth"] == 7.0  # the user's settings are restored
    assert report.ok, report.summary()
    assert len(report.figures_matched) >= 2


@pytest.mark.parametrize("seed", [31, 32])
def test_reproduce_sigkilled_at_a_random_point_leaves_old_or_complete_results(previous: Path, seed: int) -> None:
    """SIGKILL cannot be caught: no cleanup runs, yet the earlier run survives (or the new, complete)."""
    before = snapshot(previous)
    with subprocess.Popen([sys.executable, "-c", _CHILD, str(previous)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as child:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(random.Random(seed).uniform(0.0, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    after = snapshot(previous)
    if after != before:
        manifest = json.loads(after.pop("manifest.json"))
        assert set(manifest["files"]) == set(after)
    reproduce.reproduce(previous, progress=False, steps=["data"])  # the lock of a killed run is not held
    files = snapshot(previous)
    assert set(json.loads(files.pop("manifest.json"))["files"]) == set(files)
