"""Type aliases shared across the layers."""

from __future__ import annotations

import os
from typing import TypeAlias

__all__ = ["PathLike", "YearRange"]

#: A file-system path as callers give it, a string or any ``os.PathLike``.
PathLike: TypeAlias = str | os.PathLike[str]

#: An inclusive range of calendar years, ``(first, last)``, e.g. a pre-treatment period.
YearRange: TypeAlias = tuple[int, int]
