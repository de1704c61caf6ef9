"""Every claim's anchor (line and character span in the seed file) points at its printed figure.

The seed documents are not shipped (the project transcribes figures, never sentences), so the test
reads them from ``../shared/seeds`` and is skipped where that folder is absent; CI has it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ewp_stats.paper import claims

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _documents() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0-4]_*.txt"))}


def test_every_anchor_points_at_the_printed_figure() -> None:
    documents = _documents()
    register = claims.load_register()
    wrong = []
    for cid, row in register.iterrows():
        text = documents[row["document"]]
        span = text[int(row["start"]):int(row["end"])]
        line = text.count("\n", 0, int(row["start"])) + 1
        if " ".join(span.split()) != " ".join(row["printed"].split()) or line != int(row["line"]):
            wrong.append((cid, row["printed"], span, line, int(row["line"])))
    assert not wrong, f"anchors that miss their printed figure (id, printed, found, line, recorded): {wrong}"


def test_no_two_claims_share_an_anchor() -> None:
    register = claims.load_register()
    spans = register.groupby(["document", "start"]).size()
    assert spans.max() == 1, spans[spans > 1]
