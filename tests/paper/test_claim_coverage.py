"""Every number in the five seed documents is a registered claim or a named exclusion.

A number token is a run of digits (with inner ``.`` or ``,``) or a number word: one to twenty,
hundred(s), thousand(s), million(s), billion(s), trillion(s), dozen(s), double/doubled/doubles,
twice, triple/tripled/triples, half/halves. Each must lie inside a claim span of
``seeds/claims.csv`` or an exclusion span of ``seeds/claims_excluded.csv``, whose rules are
described in ``seeds/claims_exclusions.md``.

Order statements carry no number token ("the gap widened", "the differences are very large"), so
the same holds for comparative words (:data:`COMPARATIVE_TOKEN`: widened, narrowed, larger,
fastest, slowed, differences, ...): each occurrence is inside a claim (a testable one is checked
against the data, e.g. the east/west ratio's change over the stated period) or a named exclusion.

The seed documents are not shipped (the project transcribes figures, never sentences), so the test
reads them from ``../shared/seeds`` and is skipped where that folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
REGISTER = ROOT / "seeds" / "claims.csv"
EXCLUDED = ROOT / "seeds" / "claims_excluded.csv"
RULES = ROOT / "seeds" / "claims_exclusions.md"

EXCLUSION_COLUMNS = ["document", "line", "start", "end", "printed", "rule", "reason"]
NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|hundreds?|thousands?|millions?|"
                "billions?|trillions?|dozens?|double[sd]?|twice|tripled?|triples|half|halves|"
                # ordinals, "decade" and "several" (review D): orders, periods and vague counts
                "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                "firstly|secondly|thirdly|fourthly|decades?|several")
NUMBER_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{NUMBER_WORDS})\b", re.IGNORECASE)
#: Comparative words: an order or a change asserted without a figure (review of issue 15).
COMPARATIVE_WORDS = ("widen(?:s|ed|ing)?|narrow(?:s|ed|ing)?|larger|largest|bigger|biggest|smaller|smallest|"
                     "fast(?:er|est)|slow(?:s|ed|er|est)|accelerated|differences?|"
                     "declin(?:ed|ing)|dropped|outweigh(?:s|ed)?")
COMPARATIVE_TOKEN = re.compile(rf"\b(?:{COMPARATIVE_WORDS})\b", re.IGNORECASE)
#: Longest run of a document's words an exclusion row may repeat (longer would copy its text).
MAX_SHARED_WORDS = 7
MAX_PRINTED_CHARS = 60


def _documents() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0-4]_*.txt"))}


def _spans(frame: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for doc, start, end in frame[["document", "start", "end"]].itertuples(index=False):
        out.setdefault(doc, []).append((int(start), int(end)))
    return out


def _register() -> pd.DataFrame:
    return pd.read_csv(REGISTER, dtype=str, keep_default_na=False)


def _excluded() -> pd.DataFrame:
    return pd.read_csv(EXCLUDED, dtype=str, keep_default_na=False)


def _described_rules() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", RULES.read_text(encoding="utf-8"), flags=re.MULTILINE))


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.,%'-]+", text.lower())


def test_number_token_definition() -> None:
    found = [m.group() for m in NUMBER_TOKEN.finditer("In 2010, one-way aid of 7.86 billion, twice; "
                                                      "late1970s; someone; 2,592 and tenth; "
                                                      "firstly, over a decade, several; seconds")]
    assert found == ["2010", "one", "7.86", "billion", "twice", "1970", "2,592", "tenth", "firstly",
                     "decade", "several"]


def test_comparative_token_definition() -> None:
    found = [m.group() for m in COMPARATIVE_TOKEN.finditer("The gap widened, then narrowing; the fastest and "
                                                           "largest differences; it slowed; widely; fastener")]
    assert found == ["widened", "narrowing", "fastest", "largest", "differences", "slowed"]


def test_every_comparative_word_is_a_claim_or_an_exclusion() -> None:
    documents = _documents()
    claim_spans, excluded_spans = _spans(_register()), _spans(_excluded())
    missing = []
    for doc, text in documents.items():
        spans = claim_spans.get(doc, []) + excluded_spans.get(doc, [])
        for m in COMPARATIVE_TOKEN.finditer(text):
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                missing.append((doc, text.count("\n", 0, m.start()) + 1, m.group()))
    assert not missing, (f"{len(missing)} comparative words neither in a claim nor excluded "
                         f"(document, line, word): {missing}")


def test_the_widening_of_the_gap_is_checked_against_the_ratio() -> None:
    """The paper's qualitative statements on the east/west gap are claims checked against the data."""
    register = _register().set_index("id")
    for cid, period in {"P140": ("1979", "1997"), "P142": ("1998", "2007")}.items():
        check = register.loc[cid, "check"]
        assert check.startswith(f"ew_ratio({period[1]},") and f"- ew_ratio({period[0]}," in check
        assert register.loc[cid, "qualifier"] == "over" and register.loc[cid, "value"] == "0"


def test_exclusions_have_the_columns_and_described_rules() -> None:
    excluded = _excluded()
    assert list(excluded.columns) == EXCLUSION_COLUMNS
    assert (excluded[["printed", "rule", "reason"]] != "").all().all()
    rules = _described_rules()
    assert rules, f"no rules found in {RULES.name} (expected table rows starting with | `rule` |)"
    undescribed = sorted(set(excluded["rule"]) - rules)
    assert not undescribed, f"exclusion rules not described in {RULES.name}: {undescribed}"


def test_every_exclusion_anchor_points_at_its_printed_text() -> None:
    documents = _documents()
    wrong = []
    for row in _excluded().itertuples(index=False):
        text = documents[row.document]
        start, end = int(row.start), int(row.end)
        line = text.count("\n", 0, start) + 1
        if " ".join(text[start:end].split()) != " ".join(row.printed.split()) or line != int(row.line):
            wrong.append((row.document, row.line, row.printed, text[start:end], line))
    assert not wrong, f"exclusion anchors that miss their printed text (doc, line, printed, found, line): {wrong}"


def test_every_number_token_is_a_claim_or_an_exclusion() -> None:
    documents = _documents()
    claim_spans, excluded_spans = _spans(_register()), _spans(_excluded())
    missing = []
    for doc, text in documents.items():
        spans = claim_spans.get(doc, []) + excluded_spans.get(doc, [])
        for m in NUMBER_TOKEN.finditer(text):
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                line = text.count("\n", 0, m.start()) + 1
                missing.append((doc, line, m.group()))
    assert not missing, (f"{len(missing)} number tokens neither registered nor excluded "
                         f"(document, line, token): {missing}")


def test_every_exclusion_covers_a_number_token() -> None:
    documents = _documents()
    empty = [(row.document, row.line, row.printed) for row in _excluded().itertuples(index=False)
             if not (NUMBER_TOKEN.search(span := documents[row.document][int(row.start):int(row.end)])
                     or COMPARATIVE_TOKEN.search(span))]
    assert not empty, f"exclusions that cover no number token or comparative word (nothing to exclude): {empty}"


def test_no_claim_overlaps_an_exclusion_and_no_exclusions_overlap() -> None:
    claim_spans, excluded_spans = _spans(_register()), _spans(_excluded())
    overlaps = []
    for doc, spans in excluded_spans.items():
        for a, b in spans:
            overlaps += [(doc, "claim", (c, d), (a, b)) for c, d in claim_spans.get(doc, []) if c < b and a < d]
        ordered = sorted(spans)
        overlaps += [(doc, "exclusion", s, t) for s, t in zip(ordered, ordered[1:]) if t[0] < s[1]]
    assert not overlaps, f"overlapping spans (document, kind, span, exclusion span): {overlaps}"


def test_exclusions_do_not_copy_the_documents() -> None:
    documents = _documents()
    n = MAX_SHARED_WORDS + 1
    shingles = set()
    for text in documents.values():
        words = _words(text)
        shingles |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    long_printed, copied = [], []
    for row in _excluded().itertuples(index=False):
        if len(row.printed) > MAX_PRINTED_CHARS:
            long_printed.append((row.document, row.line, row.printed))
        for col in ("printed", "reason"):
            words = _words(getattr(row, col))
            if any(tuple(words[i:i + n]) in shingles for i in range(len(words) - n + 1)):
                copied.append((row.document, row.line, col))
    assert not long_printed, f"printed longer than {MAX_PRINTED_CHARS} characters: {long_printed}"
    assert not copied, f"exclusion rows repeating more than {MAX_SHARED_WORDS} words of a document: {copied}"


def _seed_shingles(n: int) -> set[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for text in _documents().values():
        words = _words(text)
        shingles |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    return shingles


@pytest.mark.parametrize(("path", "key"), [(REGISTER, "id"), (ROOT / "seeds" / "claim_consistency.csv", "id")])
def test_register_and_consistency_checks_do_not_copy_the_documents(path: Path, key: str) -> None:
    """No text cell of claims.csv or claim_consistency.csv repeats more than MAX_SHARED_WORDS
    words of a seed document (own words; ``printed`` holds only the qualifier and the figure)."""
    n = MAX_SHARED_WORDS + 1
    shingles = _seed_shingles(n)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    copied = []
    for _, row in frame.iterrows():
        for col, text in row.items():
            if col == "section":  # a section heading is a reference to the place, like a citation
                continue
            words = _words(text)
            if any(tuple(words[i:i + n]) in shingles for i in range(len(words) - n + 1)):
                copied.append((row[key], col))
    assert not copied, f"{path.name} cells repeating more than {MAX_SHARED_WORDS} words of a document: {copied}"
