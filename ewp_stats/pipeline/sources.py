"""The sources manifest and checksum-verified access to raw files.

The raw third-party files are not part of the project: ``seeds/sources.json`` records where each
comes from (repository, commit, path, git blob, sha256, units, vintage, coverage, known defects)
and :func:`verified_path` refuses to hand out a file whose sha256 differs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ewp_stats._files import decode_json, read_text, sha256_of
from ewp_stats._typing import PathLike
from ewp_stats.errors import ChecksumError, DataValidationError, EwpStatsError

__all__ = ["RAW_DIR_ENV", "Source", "load_manifest", "resolve_raw_dir", "verified_path"]

#: Environment variable naming the raw-data directory when no argument is given.
RAW_DIR_ENV = "EWP_RAW_DIR"


@dataclass(frozen=True)
class Source:
    """One raw file of the manifest (``file`` is its path relative to the raw-data directory)."""

    file: str
    sha256: str
    record: dict[str, Any]

    def citation(self) -> dict[str, Any]:
        """The provenance fields carried into dataset metadata."""
        keys = ("file", "origin_repository", "commit", "repo_path", "git_blob", "sha256", "producer",
                "vintage", "units")
        return {k: self.record.get(k) for k in keys}


def load_manifest(seeds_dir: Path) -> dict[str, Source]:
    """Read ``sources.json`` from ``seeds_dir``, keyed by relative file path."""
    path = Path(seeds_dir) / "sources.json"
    if not path.is_file():
        raise FileNotFoundError(f"sources manifest {path} not found; pass the project's seeds/ directory")
    doc = decode_json(read_text(path, file=str(path)), file=str(path))
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise DataValidationError("expected a JSON object with a 'files' list of raw-file records",
                                  file=str(path))
    out: dict[str, Source] = {}
    for i, rec in enumerate(doc["files"]):
        if not isinstance(rec, dict):
            raise DataValidationError(f"entry {i} of 'files' is not an object", file=str(path))
        for key in ("file", "sha256"):
            if not rec.get(key):
                raise EwpStatsError(f"{path}: entry {i} has no {key!r}")
        out[rec["file"]] = Source(rec["file"], rec["sha256"].lower(), rec)
    return out


def resolve_raw_dir(raw_dir: PathLike | None = None) -> Path:
    """The raw-data directory: the argument, else ``$EWP_RAW_DIR``.

    Raises
    ------
    EwpStatsError
        When neither is given or the directory does not exist.
    """
    chosen = raw_dir if raw_dir is not None else os.environ.get(RAW_DIR_ENV)
    if not chosen:
        raise EwpStatsError(f"no raw-data directory: pass one or set {RAW_DIR_ENV} "
                            "(e.g. ../shared/data/raw)")
    path = Path(chosen).expanduser().resolve()
    if not path.is_dir():
        raise EwpStatsError(f"raw-data directory {path} does not exist or is not a directory")
    return path


def verified_path(raw_dir: Path, source: Source) -> Path:
    """Path of ``source`` under ``raw_dir`` after checking its sha256.

    Raises
    ------
    FileNotFoundError
        The file is absent.
    ChecksumError
        Its sha256 differs from the manifest's: the file is another version or was edited.
    """
    path = Path(raw_dir) / source.file
    if not path.is_file():
        raise FileNotFoundError(f"raw file {source.file!r} not found under {raw_dir}")
    actual = sha256_of(path)
    if actual != source.sha256:
        raise ChecksumError(f"raw file {path}: sha256 {actual} differs from the manifest's {source.sha256}; "
                            "it is not the file the manifest records (see seeds/sources.json)")
    return path
