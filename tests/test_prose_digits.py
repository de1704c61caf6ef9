"""No number is typed into the prose: every digit a reader sees comes from code or is a year.

Scans the markdown prose of ``README.md``, ``book/*.md`` and ``analyses/*.md`` and fails on any
digit outside the places where a digit is not a typed result: glue roles (the number is computed),
inline code (unless it is nothing but a number), math notation, code cells and fenced code, directive options and the path arguments of
``{figure}``/``{include}`` (a ``{csv-table}`` argument is its caption, and is scanned), MyST labels and comments, cross-reference and citation
roles (an explicit title of a cross-reference is prose and is scanned), link targets, HTML comments, YAML front matter, and years 1900-2099 (also as ranges and
decades). The few further names that contain digits are the named rules of ``NAMED``, each with
its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([ROOT / "README.md", *(ROOT / "book").glob("*.md"), *(ROOT / "analyses").glob("*.md")])

# Roles whose argument is a computed value, a target or a citation key, not prose.
EXEMPT_ROLES = re.compile(r"^(glue(:\w+)?|numref|ref|doc|eq|download|math|cite(:\w+)?|"
                          r"(py:)?(func|class|mod|meth|attr|data|obj|exc|const))$")
# Fenced blocks whose whole content is code, math or a list of targets.
CODE_BLOCKS = re.compile(r"^(\{(code-cell|code-block|code|sourcecode|math|eval-rst|raw|toctree|bibliography|"
                         r"literalinclude|glue(:\w+)?)\}.*|[\w+-]*)$")
# Directives whose argument is a path or a key.
PATH_ARGUMENT = re.compile(r"^\{(figure|image|include|literalinclude|glue(:\w+)?)\}")  # a csv-table argument is its caption: prose

NAMED: dict[str, tuple[str, str]] = {
    # name -> (pattern, reason)
    "paper tables": (r"\bTables? [12](?:(?: and |, |-)[12])*\b",
                     "the paper's Table 1 and Table 2 are names of the printed tables, not results"),
    "plan ordinals": (r"\b\d{1,2}(?:st|nd|rd|th)\s+Five-Year\s+Plan",
                      "Five-Year Plans are named by their ordinal (the 12th Five-Year Plan)"),
    "claim identifiers": (r"\b(?:P\d{2,3}|N\d-\d{2}|C\d{2})\b",
                          "identifiers of the claims register and its consistency checks (P05, N3-10, C01)"),
    "names with digits": (r"(?i)\b(?:sha-?256|utf-8|x86_64)\b", "names of a hash, an encoding, a platform"),
    "python version": (r"Python\s*(?:≥|>=)\s*\d+(?:\.\d+)*", "the Python the project needs (README set-up)"),
}

YEAR = r"(?:19|20)\d{2}"
YEARS = re.compile(rf"(?<![\w.]){YEAR}(?:s|\s*[-–]\s*{YEAR})?(?!\w|[.,]\d)")
TOKEN = re.compile(r"[\w.,%+−-]*\d[\w.,%+−-]*")
LIST_MARKER = re.compile(r"^\s*\d+[.)]\s")  # markdown syntax of an ordered list, not a number

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
LABEL = re.compile(r"^\s*\([^)]+\)=\s*$")
ROLE = re.compile(r"\{(?P<role>[\w:.+-]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\\w])\$[^$\s](?:[^$]*[^$\s])?\$(?!\w)")
IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*\S+")
URL = re.compile(r"<?https?://[^\s>)]+>?")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
ATTRIBUTES = re.compile(r"\{[#.][^}]*\}")
SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, prose)`` for every line of a MyST file, with everything exempt removed."""
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.DOTALL)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        start = end + 1
    out: list[tuple[int, str]] = []
    fences: list[tuple[str, bool]] = []  # (fence, is code) of the open blocks
    in_math = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if in_math is not None:
            if re.search(in_math, line):
                in_math = None
            continue
        fence = FENCE.match(line)
        if fence:
            mark, info = fence.group(2), fence.group(3).strip()
            if fences and mark[0] == fences[-1][0][0] and len(mark) >= len(fences[-1][0]) and not info:
                fences.pop()
                continue
            if not (fences and fences[-1][1]):
                code = bool(CODE_BLOCKS.match(info)) and not info.startswith("{") or \
                    bool(re.match(r"^\{(code-cell|code-block|code|sourcecode|math|eval-rst|raw|toctree|"
                                  r"bibliography|literalinclude|glue(:\w+)?)\}", info))
                fences.append((mark, code))
                if not code and not PATH_ARGUMENT.match(info):
                    out.append((number, _strip_inline(re.sub(r"^\{[^}]*\}", "", info))))  # a title is prose
                continue
        if fences and fences[-1][1]:
            continue
        if line.strip() == "$$":
            in_math = r"^\s*\$\$\s*(\(.*\))?\s*$"  # a closing $$ may carry the equation's label
            continue
        if re.match(r"^\s*\$\$.*\$\$\s*$", line):
            continue
        begin = re.match(r"^\s*\\begin\{(\w+\*?)\}", line)
        if begin:
            in_math = re.escape(rf"\end{{{begin.group(1)}}}")
            continue
        if fences and OPTION.match(line) or LABEL.match(line) or line.lstrip().startswith("%") \
                or LINK_DEFINITION.match(line) or line.strip() == "+++":
            continue
        out.append((number, _strip_inline(LIST_MARKER.sub(" ", line))))
    return out


#: Cross-reference roles whose explicit title (``{ref}`the title <target>```) is prose a reader sees.
TITLED_ROLES = re.compile(r"^(numref|ref|doc|eq|download)$")
#: A code span that is nothing but a number (```8.5%```): a typed number in disguise.
BARE_NUMBER = re.compile(r"^\s*[−-]?\d[\d,]*(?:\.\d+)?\s*%?\s*$")


def _role(m: re.Match) -> str:
    role, body = m.group("role"), m.group("body")
    if TITLED_ROLES.match(role):
        titled = re.match(r"^(.*?)\s*<[^<>]*>\s*$", body, flags=re.DOTALL)
        return f" {titled.group(1)} " if titled else " "
    return " " if EXEMPT_ROLES.match(role) else body


def _keep_bare_numbers(m: re.Match, inner: str) -> str:
    return f" {inner} " if BARE_NUMBER.match(inner) else " "


def _strip_inline(line: str) -> str:
    line = ROLE.sub(_role, line)
    line = INLINE_CODE.sub(lambda m: _keep_bare_numbers(m, m.group(0).strip("`")), line)
    line = INLINE_MATH.sub(" ", line)  # notation: model orders, design settings ($n = 32$, $\\rho = 0.9$)
    line = IMAGE_OR_LINK.sub(lambda m: m.group(1) if not m.group(0).startswith("!") else " ", line)
    for pattern in (URL, HTML_TAG, ATTRIBUTES, SUBSTITUTION):
        line = pattern.sub(" ", line)
    return line


def offending(text: str) -> list[tuple[int, str]]:
    """``(line, token)`` for every digit left in the prose after the exemptions."""
    found = []
    for number, line in prose_lines(text):
        for pattern, _ in NAMED.values():
            line = re.sub(pattern, " ", line)
        line = YEARS.sub(" ", line)
        found += [(number, m.group().strip(".,")) for m in TOKEN.finditer(line)]
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_typed_number_in_prose(path: Path) -> None:
    found = offending(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT).as_posix()
    assert not found, "digits typed into prose (glue them, write them as words, or drop them):\n" + \
        "\n".join(f"{rel}:{line}: {token}" for line, token in found)


@pytest.mark.parametrize(("text", "tokens"), [
    ("Growth was 8.5% in 2008.", ["8.5%"]),
    ("From 1998-2007 and in the 1990s, see Table 1 and P05.", []),
    ("It is {glue:text}`eras/h:.2f` (see {numref}`fig-2` and {cite:p}`wang2010`).", []),
    ("`x = 3` and $y_2$ and [a link](https://x.org/v2) and <!-- 7 -->", []),
    (("---\nyear: 4\n---\n(sec-3)=\n# Title\n```{code-cell}\nx = 5\n```\n```{figure} figures/f1.png\n:name: fig-1\n"
      "Caption with 6 items.\n```\n$$\na_1\n$$\n"), [(11, "6")]),
    ("the 12th Five-Year Plan had 12 targets", ["12"]),
    ("a code span `8.5%` is still a number, {ref}`as is 1.26 <sec-x>` in a title", ["8.5%", "1.26"]),
])
def test_the_scan_itself(text: str, tokens: list) -> None:
    found = offending(text)
    if tokens and isinstance(tokens[0], tuple):
        assert found == tokens
    else:
        assert [t for _, t in found] == tokens
