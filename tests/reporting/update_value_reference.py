"""Write ``ewp_stats/reference/values.json``: every value ``reproduce`` publishes.

Run it after a deliberate change of a published value, read ``git diff`` of the file (every
changed number is a change the commit must explain), and commit it with the change;
``ewp-stats verify`` then compares a fresh run against it::

    MPLBACKEND=Agg .venv/bin/python tests/reporting/update_value_reference.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "ewp_stats" / "reference" / "values.json"


def main() -> int:
    from ewp_stats.reporting.reproduce import reproduce

    with tempfile.TemporaryDirectory() as tmp:
        reproduce(tmp, progress=False)
        shutil.copyfile(Path(tmp) / "values.json", TARGET)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
