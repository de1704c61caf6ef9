"""Shared by the fault and bad-input tests: what a folder holds, to assert that nothing changed."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (not following symlinks) and its bytes (a link: its target)."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = Path(root, name)
            out[p.relative_to(folder).as_posix()] = os.readlink(p).encode() if p.is_symlink() else p.read_bytes()
    return out
