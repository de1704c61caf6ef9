"""Write ``ewp_stats/reference/figures.json``: the sha256 of every figure ``reproduce`` writes.

Run it after a deliberate change of a figure (or of the pinned matplotlib), and commit the file
with the change; ``ewp-stats verify`` then guards the new figures byte for byte::

    MPLBACKEND=Agg .venv/bin/python tests/reporting/update_figure_reference.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "ewp_stats" / "reference" / "figures.json"


def main() -> int:
    from ewp_stats.reporting.reproduce import figure_digests, reproduce

    with tempfile.TemporaryDirectory() as tmp:
        digests = figure_digests(reproduce(tmp, progress=False))
    TARGET.write_text(json.dumps(dict(sorted(digests.items())), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(digests)} figure digests to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
