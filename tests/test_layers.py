"""The import layers of ewp_stats/ (reporting -> paper -> engines -> core; paper -> data -> core;
pipeline -> data -> core), checked by the project's layer tool ``../shared/tools/layers.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "layers.py"


def test_imports_flow_one_way_between_layers() -> None:
    if not TOOL.is_file():
        pytest.fail(f"the layer checker {TOOL} is missing; it comes with ../shared beside the checkout")
    proc = subprocess.run([sys.executable, str(TOOL), str(ROOT / "ewp_stats")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith(" 0 violation(s)"), proc.stdout
    for layer in ("core", "data", "engines", "paper", "pipeline", "reporting"):
        assert layer in proc.stdout.splitlines()[-1], f"layer {layer} missing: {proc.stdout}"
