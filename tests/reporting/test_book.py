"""The built book, read in a real browser.

One session fixture builds the book (clean, ``-W -n --keep-going``, fresh notebook
execution) into a temporary folder, serves ``_build/html`` on a loopback port and
opens every page in headless Debian Chromium through Playwright. For each page:

* no console errors and no uncaught page errors;
* no failed request, no HTTP error, and no request of any frame leaving the loopback server
  (fonts, MathJax and scripts must all be local; every request is recorded, then routed);
* math is typeset by the bundled MathJax;
* every ``<img>`` is loaded with a non-zero natural width;
* every glued value has its key in the ``values.json`` of a fresh ``ewp-stats reproduce`` run and
  shows that value in the span's format (the ``_ext/ewp_glue.py`` extension tags each glued span
  with its page and key), so ``ewp-stats verify`` guards every number of the book;
* every image the book shows is byte-identical to the figure of the same name that ``reproduce``
  writes (sha256 against its ``manifest.json``);
* every internal link answers HTTP 200 and its ``#anchor`` exists in the target;
* what a reader sees (rules and exemptions in ``book_page_checks.py``): nothing reaches past the
  content column and no table, output, code block or equation needs horizontal scrolling; every
  figure is displayed at >= 70% of its natural width; no visible code cell has more than 15 lines;
  every data table has a caption;
* a full-page screenshot is saved to ``tests/artifacts/screenshots/`` and the per-page measurements
  (page height, widest element, image display ratios, code-cell lines, tables and captions, every
  problem found) to ``tests/artifacts/book_report.json``.

All of a page's measurements come from one ``page.evaluate`` during its one visit.

Set ``EWP_BOOK_HTML`` to an existing ``_build/html`` to test that build instead
of building a new one, and ``EWP_RESULTS`` to an existing ``reproduce`` output folder to
compare with it instead of running ``reproduce`` again.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.reporting.book_page_checks import (
    READER_JS,
    code_cell_problems,
    image_problems,
    overflow_problems,
    page_report,
    table_problems,
)

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
REPORT = ROOT / "tests" / "artifacts" / "book_report.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


# --------------------------------------------------------------------------- build and serve


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory) -> Path:
    """``_build/html`` of a clean build (or ``$EWP_BOOK_HTML``)."""
    given = os.environ.get("EWP_BOOK_HTML")
    if given:
        path = Path(given)
        assert (path / "index.html").is_file(), f"EWP_BOOK_HTML={given} has no index.html"
        return path
    from ewp_stats.reporting.book import build_book

    out = tmp_path_factory.mktemp("book")
    index = build_book(fresh=True, output=out, capture=True)
    return index.parent


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser may drop a connection it no longer needs (a broken pipe): not a failure.
        pass


@pytest.fixture(scope="session")
def server(html_dir: Path):
    """Base URL of a loopback HTTP server for ``html_dir``."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _pages(html_dir: Path) -> list[str]:
    """Every HTML page of the build, relative to its root (``intro.html``, ``analyses/eras.html``)."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if rel.parts[0] in SKIP_DIRS:
            continue
        pages.append(rel.as_posix())
    return pages


# --------------------------------------------------------------------------- expected values and figures


@pytest.fixture(scope="session")
def reproduced(tmp_path_factory) -> Path:
    """The output folder of a fresh ``ewp-stats reproduce`` run (or ``$EWP_RESULTS``)."""
    given = os.environ.get("EWP_RESULTS")
    if given:
        path = Path(given)
        assert (path / "values.json").is_file(), f"EWP_RESULTS={given} has no values.json"
        return path
    from ewp_stats.reporting.reproduce import reproduce

    out = tmp_path_factory.mktemp("results")
    reproduce(out, progress=False)
    return out


@pytest.fixture(scope="session")
def values(reproduced: Path) -> dict[str, float]:
    """``values.json`` of the fresh ``reproduce`` run."""
    return json.loads((reproduced / "values.json").read_text(encoding="utf-8"))


def _expected_text(value: float, role: str, fmt: str) -> str:
    """What a glue role shows for ``value``: myst-nb formats the text/plain repr of the glued float."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(repr(value), fmt) if role == "text" else repr(value)


def _source_glue_roles(doc: str) -> int:
    """Number of ``{glue}``, ``{glue:any}`` and ``{glue:text}`` roles in a page's prose."""
    text = (BOOK / f"{doc}.md").read_text(encoding="utf-8")
    text = re.sub(r"^(`{3,}|~{3,})\{code-cell\}.*?^\1\s*$", "", text, flags=re.S | re.M)
    return len(re.findall(r"\{glue(?::text|:any)?\}`", text))


# --------------------------------------------------------------------------- links and anchors


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids_of(path: str) -> frozenset[str]:
    parser = _Ids()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser_context():
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="ewp-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
                service_workers="block",
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


_PAGE_STATE = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(img => { img.loading = "eager"; return img.decode().catch(() => null); }));
  return {
    images: imgs.map(img => ({src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth})),
    glue: Array.from(document.querySelectorAll("span.glue-value")).map(s => ({
      doc: s.dataset.glueDoc, key: s.dataset.glueKey, fmt: s.dataset.glueFmt, role: s.dataset.glueRole,
      text: s.textContent.trim()})),
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href")),
    math: document.querySelectorAll("div.math, span.math").length,
    typeset: document.querySelectorAll("mjx-container").length,
    mathErrors: document.querySelectorAll("mjx-merror").length,
    tracebacks: document.querySelectorAll(".cell_output .traceback, .output.traceback, .output.stderr").length,
    title: document.title,
    reader: (READER_JS)(),
  };
}
""".replace("READER_JS", READER_JS)


def _visit(context, base: str, page: str) -> dict:
    """Open one page; return what the browser saw."""
    seen: dict[str, list] = {"console": [], "failed": [], "http_errors": [], "external": [], "requests": []}
    # Every request while the page is open, recorded before routing decides: the context's "request"
    # event covers the page, its iframes and workers, and any popup it opens.
    # test_no_request_leaves_the_machine asserts on the full list.
    def record(request):
        seen["requests"].append(request.url)

    context.on("request", record)
    tab = context.new_page()

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            seen["external"].append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: seen["console"].append(f"uncaught: {e}"))
    tab.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} ({r.failure})"))
    tab.on("response", lambda r: seen["http_errors"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        response = tab.goto(base + page, wait_until="load")
        assert response is not None and response.status == 200, f"{page}: HTTP {response and response.status}"
        if page == "index.html":  # a redirect to the root page
            tab.wait_for_url(re.compile(r".*/intro\.html$"))
        tab.wait_for_load_state("networkidle")
        started = time.perf_counter()
        state = tab.evaluate(_PAGE_STATE)
        state["url"] = tab.url
        state["seconds"] = {"measure": round(time.perf_counter() - started, 2)}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        # The API page is ~285,000 px tall: its full-page screenshot takes long on a loaded machine.
        tab.screenshot(path=str(SCREENSHOTS / (page.replace("/", "__").removesuffix(".html") + ".png")),
                       full_page=True, timeout=120_000)
        state["seconds"]["screenshot"] = round(time.perf_counter() - started, 2)
        state["frames"] = len(tab.frames)
    finally:
        tab.close()
        context.remove_listener("request", record)
    state.update(seen)
    return state


@pytest.fixture(scope="session")
def visits(html_dir: Path, server: str, browser_context) -> dict[str, dict]:
    """What the browser saw on every page (one visit each); writes ``tests/artifacts/book_report.json``."""
    seen = {page: _visit(browser_context, server, page) for page in _pages(html_dir)}
    report = {page: page_report(page, v["reader"]) | {"seconds": v["seconds"], "frames": v["frames"],
                                                      "requests": len(v["requests"])}
              for page, v in seen.items()}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return seen


# --------------------------------------------------------------------------- the tests


def test_book_has_the_expected_pages(html_dir: Path):
    pages = set(_pages(html_dir))
    for page in ("index.html", "intro.html", "data.html", "methods.html", "bibliography.html", "api.html"):
        assert page in pages, f"{page} missing from the build"
    for nb in sorted((ROOT / "analyses").glob("*.md")):
        toc = (BOOK / "_toc.yml").read_text(encoding="utf-8")
        if f"analyses/{nb.stem}" in toc:
            assert f"analyses/{nb.stem}.html" in pages


def test_html_references_nothing_external(html_dir: Path):
    """No script, stylesheet, font or image is loaded from another host (static check)."""
    pattern = re.compile(r"""<(?:script|img|link|iframe|source)\b[^>]*?\b(?:src|href)=["'](https?:)?//""", re.I)
    offenders = {}
    for page in _pages(html_dir):
        text = (html_dir / page).read_text(encoding="utf-8")
        hits = [m.group(0) for m in pattern.finditer(text)]
        if hits:
            offenders[page] = hits
    assert not offenders, f"external resources referenced: {offenders}"
    assert (html_dir / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not bundled"


def test_pages_load_without_errors(visits: dict[str, dict]):
    problems = {}
    for page, v in visits.items():
        issues = {k: v[k] for k in ("console", "failed", "http_errors", "external") if v[k]}
        if v["tracebacks"]:
            issues["tracebacks"] = v["tracebacks"]
        if issues:
            problems[page] = issues
    assert not problems, f"problems while loading pages: {problems}"


def test_math_is_typeset_offline(visits: dict[str, dict]):
    assert visits["methods.html"]["math"] > 10
    for page, v in visits.items():
        if v["math"]:
            assert v["typeset"] >= v["math"], f"{page}: {v['math']} math elements, {v['typeset']} typeset"
        assert v["mathErrors"] == 0, f"{page}: MathJax reported {v['mathErrors']} errors"


def test_every_image_is_loaded(visits: dict[str, dict]):
    broken = {page: [i for i in v["images"] if not (i["complete"] and i["width"] > 0)] for page, v in visits.items()}
    broken = {page: imgs for page, imgs in broken.items() if imgs}
    assert not broken, f"images not loaded: {broken}"
    assert any(v["images"] for v in visits.values()), "the book has no images at all"


def test_glued_values_equal_values_json(visits: dict[str, dict], values: dict[str, float]):
    """Every glued span of the book names a ``values.json`` key and shows that value."""
    checked, mismatches = 0, []
    for page, v in visits.items():
        for g in v["glue"]:
            if g["key"] not in values:
                mismatches.append(f"{page}: glued key {g['doc']}::{g['key']} is not in values.json")
                continue
            checked += 1
            expected = _expected_text(values[g["key"]], g["role"], g["fmt"])
            if g["text"] != expected:
                mismatches.append(f"{page}: {g['doc']}::{g['key']} shows {g['text']!r}, values.json gives {expected!r}")
    assert not mismatches, "\n".join(mismatches)
    assert checked >= 200, f"only {checked} glued values found"


def test_book_figures_are_the_reproduce_figures(visits: dict[str, dict], html_dir: Path, reproduced: Path):
    """Every image on a page is, byte for byte, the ``results/figures`` file of the same name."""
    manifest = json.loads((reproduced / "manifest.json").read_text(encoding="utf-8"))["files"]
    shown, problems = set(), []
    for page, v in visits.items():
        for img in v["images"]:
            path = urlsplit(img["src"]).path
            if "/_images/" not in path:
                continue  # theme assets (logos, icons), not figures
            name = unquote(path.rsplit("/", 1)[1])
            shown.add(name)
            digest = hashlib.sha256((html_dir / "_images" / name).read_bytes()).hexdigest()
            expected = manifest.get(f"figures/{name}")
            if expected is None:
                problems.append(f"{page}: {name} is not a figure that reproduce writes")
            elif digest != expected:
                problems.append(f"{page}: {name} differs from results/figures/{name}")
    assert not problems, "\n".join(problems)
    pngs = {k.removeprefix("figures/") for k in manifest if k.startswith("figures/") and k.endswith(".png")}
    assert shown == pngs, f"figures not in the book: {sorted(pngs - shown)}; unexpected: {sorted(shown - pngs)}"


def test_every_glue_role_is_rendered(visits: dict[str, dict]):
    for page, v in visits.items():
        assert not v["reader"]["unrenderedGlue"], f"{page}: glue roles shown as source: {v['reader']['unrenderedGlue']}"
        doc = page.removesuffix(".html")
        if (BOOK / f"{doc}.md").is_file():
            assert len(v["glue"]) == _source_glue_roles(doc), f"{page}: glued spans differ from glue roles in source"


def test_no_request_leaves_the_machine(visits: dict[str, dict], server: str):
    """Every request any frame of any page made went to the loopback server (or was inline data)."""
    outside = {}
    for page, v in visits.items():
        assert v["requests"], f"{page}: no request recorded (the request listener is not working)"
        leaving = [u for u in v["requests"] if not u.startswith((server, "data:", "blob:"))]
        if leaving or v["external"]:
            outside[page] = sorted(set(leaving) | set(v["external"]))
    assert not outside, f"requests leaving the machine: {outside}"


# --------------------------------------------------------------------------- what a reader sees


def _all(visits: dict[str, dict], check) -> list[str]:
    return [problem for page, v in visits.items() for problem in check(page, v["reader"])]


def test_nothing_overflows_the_content_column(visits: dict[str, dict]):
    """No element reaches past the article column; no table, output or equation needs horizontal scrolling."""
    problems = _all(visits, overflow_problems)
    assert not problems, "\n".join(problems)


def test_figures_are_displayed_large_enough(visits: dict[str, dict]):
    """Every figure is shown at >= 70% of its natural width (icons and logos < 100 px excepted)."""
    problems = _all(visits, image_problems)
    assert not problems, "\n".join(problems)


def test_visible_code_cells_are_short(visits: dict[str, dict]):
    """No code cell a reader sees without opening a toggle has more than 15 lines."""
    problems = _all(visits, code_cell_problems)
    assert not problems, "\n".join(problems)


def test_every_table_has_a_caption(visits: dict[str, dict]):
    """Every data table has a caption (Sphinx's index, autosummary and field-list tables excepted)."""
    problems = _all(visits, table_problems)
    assert not problems, "\n".join(problems)
    assert sum(len(v["reader"]["tables"]) for v in visits.values()) > 0, "no table measured at all"


def test_book_report_written(visits: dict[str, dict]):
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    assert set(report) == set(visits)
    assert all(r["page_height_px"] > 0 for r in report.values())


def test_internal_links_resolve(visits: dict[str, dict], server: str, html_dir: Path):
    bad, checked = [], set()
    for page, v in visits.items():
        page_url = v["url"]  # after redirects (index.html -> intro.html)
        for href in v["links"]:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) and not href.startswith(server):
                continue  # http(s) to other sites, mailto: ... are not navigation inside the book
            target = urljoin(page_url, href)
            parts = urlsplit(target)
            key = (parts.path, parts.fragment)
            if key in checked:
                continue
            checked.add(key)
            status = _status(f"{parts.scheme}://{parts.netloc}{parts.path}")
            if status != 200:
                bad.append(f"{page}: {href} -> HTTP {status}")
                continue
            if parts.fragment:
                rel = unquote(parts.path.lstrip("/")) or "index.html"
                file = html_dir / rel
                if file.is_dir():
                    file = file / "index.html"
                if file.suffix == ".html" and unquote(parts.fragment) not in _ids_of(str(file)):
                    bad.append(f"{page}: {href} -> no anchor #{parts.fragment} in {rel}")
    assert not bad, "\n".join(bad)
    assert len(checked) > 50


def test_screenshots_saved(visits: dict[str, dict]):
    for page in visits:
        shot = SCREENSHOTS / (page.replace("/", "__").removesuffix(".html") + ".png")
        assert shot.is_file() and shot.stat().st_size > 10_000, f"no screenshot for {page}"
