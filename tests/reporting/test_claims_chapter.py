"""The claims chapter (analyses/claims.md) reads as a document: answer first, code hidden, the
interactive table offline."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "analyses" / "claims.md"
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.DOTALL)
EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']?https?://|import[^;'\"]*from\s*['\"]https?://", re.IGNORECASE)


def _cells() -> list[str]:
    return CELL.findall(CHAPTER.read_text(encoding="utf-8"))


def test_the_chapter_opens_with_the_answer_and_the_limits_box() -> None:
    text = CHAPTER.read_text(encoding="utf-8")
    body = text.split("\n# ", 1)[1]
    title, rest = body.split("\n", 1)
    assert title.endswith("?")
    prose = [block for block in re.split(r"\n\s*\n", CELL.sub("", rest)) if block.strip()]
    assert prose[0].startswith("**Answer.**")
    assert prose[1].startswith(":::{admonition} What these data cannot tell")


def test_at_most_one_short_visible_code_cell() -> None:
    visible = [c for c in _cells() if not re.search(r":tags: \[remove-(cell|input)\]", c)]
    assert len(visible) <= 1
    assert all(len(c.strip().splitlines()) <= 10 for c in visible)


def test_the_interactive_table_embeds_its_javascript() -> None:
    """itables runs offline (connected=False): the page loads nothing from a CDN."""
    itables = pytest.importorskip("itables")
    from itables.javascript import generate_init_offline_itables_html
    from itables.options import dt_bundle

    source = CHAPTER.read_text(encoding="utf-8")
    assert "init_notebook_mode(all_interactive=False, connected=False)" in source
    assert "connected=False" in source.split("show(", 1)[1]
    html = generate_init_offline_itables_html(dt_bundle) + itables.to_html_datatable(
        pd.DataFrame({"a": [1.0]}), connected=False, display_logo_when_loading=False)
    assert not EXTERNAL_SCRIPT.search(html)


def test_agreements_on_evidence_and_on_the_documents_add_up() -> None:
    """The opening's split of the agreements: resting on data or tables, or on the documents."""
    from ewp_stats.reporting.steps import claims_step
    v = claims_step().values
    on_evidence = v["n_reproduced"] + v["n_reproduced_under_convention"] + v["n_bound_satisfied"]
    on_documents = v["n_consistent_with_claim"] + v["n_arithmetic_agrees"] + v["n_count_matches_listing"]
    assert v["n_agreeing/basis=data_or_tables"] == on_evidence
    assert on_evidence + on_documents == v["n_agreeing"]
    assert v["n_agreeing"] + v["n_discrepant"] + v["n_not_checkable"] == v["n_claims"]
