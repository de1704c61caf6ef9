"""File helpers shared by every layer: the one sha256 of a file's bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ewp_stats._typing import PathLike

__all__ = ["sha256_of"]


def sha256_of(path: PathLike) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        64 lower-case hex digits.
    """
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
