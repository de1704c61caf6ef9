"""Shared fixtures: the raw-data directory and editable copies of it for defect tests."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ewp_stats._files import sha256_of

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _raw_dir() -> Path | None:
    env = os.environ.get("EWP_RAW_DIR")
    candidate = Path(env) if env else ROOT.parent / "shared" / "data" / "raw"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data directory (``$EWP_RAW_DIR`` or ``../shared/data/raw``); skip when absent."""
    path = _raw_dir()
    if path is None:
        pytest.skip("raw-data directory not available (set EWP_RAW_DIR)")
    return path


@pytest.fixture
def edited_raw(raw_dir: Path, tmp_path: Path) -> Callable[..., tuple[Path, Path]]:
    """Copy raw files and seeds to ``tmp_path``, apply an edit to one raw file.

    Returns a function ``edit(file, transform, update_manifest=True) -> (raw_dir, seeds_dir)``
    where ``transform(text) -> text``; with ``update_manifest`` the copied manifest records the
    edited file's new sha256 so that the edit reaches the parser instead of the checksum check.
    """

    def edit(file: str, transform: Callable[[str], str], update_manifest: bool = True) -> tuple[Path, Path]:
        raw, seeds = tmp_path / "raw", tmp_path / "seeds"
        shutil.copytree(raw_dir, raw)
        shutil.copytree(SEEDS, seeds)
        target = raw / file
        target.write_text(transform(target.read_text(encoding="utf-8")), encoding="utf-8")
        if update_manifest:
            manifest = json.loads((seeds / "sources.json").read_text(encoding="utf-8"))
            for rec in manifest["files"]:
                if rec["file"] == file:
                    rec["sha256"] = sha256_of(target)
            (seeds / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        return raw, seeds

    return edit
