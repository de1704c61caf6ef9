"""The strucchange peer series (Nile, UK driver deaths with lags, a trend) shared by the peer tests.

``reference/strucchange_reference.json`` holds each series and what R strucchange 1.5-3 computes
on it (``tests/r/strucchange_reference.R``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

REFERENCE = json.loads((Path(__file__).parent / "reference" / "strucchange_reference.json").read_text())


def peer_case(name: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, float]:
    """``(y, X, dates, h)`` of one peer series as the R script fits it (X None: intercept only)."""
    c = REFERENCE[name]
    y = np.asarray(c["y"], dtype=float)
    n = y.size
    if name == "nile":
        return y, None, np.arange(1871, 1871 + n, dtype=float), 0.15
    if name == "trend":
        return y, np.column_stack([np.ones(n), np.arange(1, n + 1)]), np.arange(1965, 1965 + n, dtype=float), 5
    X = np.column_stack([np.ones(n), c["ylag1"], c["ylag12"]])
    return y, X, c["start"] + np.arange(n) / c["frequency"], 0.1
