"""What a reader sees on a book page: measurements taken in the browser, judged in Python.

``READER_JS`` is a JavaScript function (no arguments) that ``test_book.py`` calls inside its one
``page.evaluate`` per page. It only measures: the content column, elements that reach past it,
horizontally scrollable or clipping containers whose content is wider than they are, every image's
displayed and natural width, every code cell's source and whether a reader sees it, every table's
caption. The functions below turn those measurements into failure messages (page, element,
measurement), so the rules are plain Python and are unit-tested without a browser
(``tests/reporting/test_book_page_checks.py``).

Rules
-----
* **Overflow**: no visible element inside ``article.bd-article`` reaches more than
  ``OVERFLOW_TOLERANCE_PX`` past the right edge of the column's content box, and the document is no
  wider than the viewport. An element inside a container that scrolls or clips horizontally
  (``overflow-x`` other than ``visible``; pydata's ``.pst-scrollable-table-container``,
  ``div.cell_output .output``, MathJax's ``mjx-container``) does not overflow the column itself;
  the container fails instead when its content is wider than its box (``scrollWidth >
  clientWidth``): the reader has to scroll, or loses the clipped part.
* **Figures**: every visible ``<img>`` with a natural width of at least ``ICON_MAX_PX`` is displayed
  at no less than ``MIN_IMAGE_RATIO`` of its natural width (the figures are 150-dpi PNGs about
  6 in wide; shown smaller, their 8-9 pt text becomes unreadable).
* **Code cells**: no code cell whose source a reader sees (not removed, not inside a collapsed
  ``<details>`` of a ``hide-input``/``hide-cell`` toggle) has more than ``MAX_CODE_LINES`` lines.
  Machinery pages (``EXEMPT_PAGES``) are not checked: their layout is the theme's, not the book's.
* **Captions**: every ``<table>`` of the article has a non-empty ``<caption>`` or sits in a
  ``<figure>`` with a non-empty ``<figcaption>``. Exempt (``EXEMPT_TABLE_CLASSES``,
  ``EXEMPT_PAGES``) are tables the Sphinx machinery generates for navigation, not data: the general
  and module indexes and the search page, autosummary lists (``api.html``), field lists, and
  line-number tables of highlighted code; and the header/footer copies DataTables (itables) makes of a
  scrolling table (the caption stays on the original table, which is checked). A table under a
  ``hidden`` attribute is never shown (itables' static fallback, hidden once its script has run);
  tables in collapsed dropdowns are checked like any other.
"""

from __future__ import annotations

OVERFLOW_TOLERANCE_PX = 2.0
MIN_IMAGE_RATIO = 0.70
ICON_MAX_PX = 100
MAX_CODE_LINES = 15

#: Table classes Sphinx/docutils/pygments generate for navigation or layout, not for data.
EXEMPT_TABLE_CLASSES = frozenset(
    {"indextable", "genindextable", "modindextable", "autosummary", "field-list", "highlighttable"}
)
#: Pages that are machinery only (indexes, search): their tables are not checked for captions.
EXEMPT_PAGES = frozenset({"genindex.html", "py-modindex.html", "search.html"})

READER_JS = r"""
() => {
  const TOL = __TOLERANCE__;
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const box = article.getBoundingClientRect();
  const style = getComputedStyle(article);
  const column = {left: box.left + parseFloat(style.paddingLeft), right: box.right - parseFloat(style.paddingRight)};

  // Hidden: display none, visibility hidden, zero size, or inside a collapsed <details>
  // (myst-nb renders hide-input / hide-output / hide-cell as <details class="hide ...">).
  const visible = el => {
    if (el.closest("details:not([open]) > :not(summary)")) return false;
    if (el.checkVisibility && !el.checkVisibility({checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const clipsOrScrolls = el => !["visible", ""].includes(getComputedStyle(el).overflowX);
  // The nearest ancestor strictly inside the article that scrolls or clips horizontally
  // (memoised per parent: the API page has tens of thousands of elements).
  const containers = new Map();
  const containerOf = el => {
    const p = el.parentElement;
    if (!p || p === article) return null;
    if (!containers.has(p)) containers.set(p, clipsOrScrolls(p) ? p : containerOf(p));
    return containers.get(p);
  };
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const classes = Array.from(el.classList).slice(0, 3);
    if (classes.length) s += "." + classes.join(".");
    if (el.tagName === "IMG") s += `[src=${(el.getAttribute("src") || "").split("/").pop()}]`;
    const section = el.closest("section[id]");
    if (section) s += ` in section#${section.id}`;
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    if (text) s += ` ("${text}")`;
    return s;
  };
  const round = x => Math.round(x * 10) / 10;
  // How wide a container's content is. For math, the typeset mjx-math boxes: MathJax's screen-reader
  // copy (mjx-assistive-mml, absolutely positioned and clipped on purpose) inflates scrollWidth.
  const contentWidth = el => {
    if (!el.matches("span.math, div.math, mjx-container")) return el.scrollWidth;
    const left = el.getBoundingClientRect().left;
    const rights = Array.from(el.querySelectorAll("mjx-math"), m => Math.ceil(m.getBoundingClientRect().right - left));
    return Math.max(el.clientWidth, ...rights);
  };
  // Glue roles left as source text in prose (not in code, where the API docs show the syntax).
  const unrenderedGlue = () => {
    const found = [];
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("code, pre, .highlight")) continue;
      found.push(...(node.textContent.match(/\{glue(:[a-z]+)?\}`[^`]*`/g) || []));
    }
    return found;
  };

  // 1. Elements past the column's right edge, outermost only; containers wider inside than outside.
  const overflowing = [], scrolling = [];
  let widest = {element: null, right: column.left};
  for (const el of article.querySelectorAll("*")) {
    if (!visible(el)) continue;
    // MathJax's own boxes (stretchy delimiters, assistive MathML) clip by design: only the
    // mjx-container of an equation, and the span.math/div.math around it, are judged.
    const mathjaxInternal = el.tagName.startsWith("MJX-") && el.tagName !== "MJX-CONTAINER";
    if (!mathjaxInternal && clipsOrScrolls(el) && contentWidth(el) > el.clientWidth + TOL) {
      scrolling.push({element: describe(el), overflow: getComputedStyle(el).overflowX,
                      scrollWidth: contentWidth(el), clientWidth: el.clientWidth});
      // Where its content would end if it were not scrolled: the reader's widest element.
      const right = el.getBoundingClientRect().left + contentWidth(el);
      if (right > widest.right) widest = {element: describe(el), right: round(right)};
    }
    if (containerOf(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > widest.right) widest = {element: describe(el), right: round(r.right)};
    if (r.right > column.right + TOL && !overflowing.some(o => o.node.contains(el))) {
      overflowing.push({node: el, element: describe(el), right: round(r.right), width: round(r.width)});
    }
  }

  // 2. Images: displayed against natural width.
  const images = Array.from(article.querySelectorAll("img")).map(img => ({
    element: describe(img), src: (img.getAttribute("src") || "").split("/").pop(), visible: visible(img),
    natural: img.naturalWidth, displayed: round(img.getBoundingClientRect().width)}));

  // 3. Code cells: the source text and whether a reader sees it.
  const codeCells = Array.from(article.querySelectorAll("div.cell_input")).map(cell => ({
    element: describe(cell.closest("div.cell") || cell), visible: visible(cell),
    source: Array.from(cell.querySelectorAll("pre")).map(p => p.textContent).join("\n")}));

  // 4. Tables: caption, or the caption of an enclosing <figure>.
  const tables = Array.from(article.querySelectorAll("table")).map(t => {
    const figure = t.closest("figure");
    const figcaption = figure && figure.querySelector("figcaption");
    return {element: describe(t), classes: Array.from(t.classList), visible: visible(t),
            // DataTables (itables) with scrollX clones the header row into a table of its own;
            // the caption stays on the original table, which is checked.
            datatablesClone: !!t.closest(".dt-scroll-head, .dt-scroll-foot, .dataTables_scrollHead, .dataTables_scrollFoot"),
            // a table under a hidden="hidden" attribute is never shown (itables' static fallback,
            // hidden once its script runs); a table in a collapsed dropdown is not exempt.
            hiddenAttribute: !!t.closest("[hidden]"),
            caption: t.caption ? t.caption.textContent.trim() : "",
            figcaption: figcaption ? figcaption.textContent.trim() : ""};
  });

  const doc = document.documentElement;
  return {
    column: {left: round(column.left), right: round(column.right), width: round(column.right - column.left)},
    viewportWidth: doc.clientWidth, scrollWidth: doc.scrollWidth, pageHeight: doc.scrollHeight,
    widest, overflowing: overflowing.map(({node, ...rest}) => rest), scrolling, images, codeCells, tables,
    unrenderedGlue: unrenderedGlue(),
  };
}
""".replace("__TOLERANCE__", str(OVERFLOW_TOLERANCE_PX))


def code_lines(source: str) -> int:
    """Lines a reader sees in a code block: every line, blank ones too, without the final newline."""
    source = source.rstrip("\n")
    return source.count("\n") + 1 if source.strip() else 0


def overflow_problems(page: str, m: dict) -> list[str]:
    """Elements past the column, containers that need horizontal scrolling, a page wider than the window."""
    if page in EXEMPT_PAGES:
        return []
    right = m["column"]["right"]
    problems = [
        f"{page}: {o['element']} reaches x={o['right']} px, {o['right'] - right:.1f} px past the content "
        f"column's right edge (x={right} px, column {m['column']['width']} px wide)"
        for o in m["overflowing"]
    ]
    for s in m["scrolling"]:
        verb = "needs horizontal scrolling" if s["overflow"] in ("auto", "scroll") else "clips its content"
        problems.append(
            f"{page}: {s['element']} {verb}: content {s['scrollWidth']} px wide in a box {s['clientWidth']} px wide"
        )
    if m["scrollWidth"] > m["viewportWidth"] + OVERFLOW_TOLERANCE_PX:
        problems.append(f"{page}: the document is {m['scrollWidth']} px wide, the viewport {m['viewportWidth']} px")
    return problems


def image_ratio(img: dict) -> float | None:
    """Displayed over natural width, ``None`` for hidden images, icons and logos."""
    if not img["visible"] or img["natural"] < ICON_MAX_PX:
        return None
    return img["displayed"] / img["natural"]


def image_problems(page: str, m: dict) -> list[str]:
    """Figures shown at less than ``MIN_IMAGE_RATIO`` of their natural width."""
    problems = []
    for img in m["images"]:
        ratio = image_ratio(img)
        if ratio is not None and ratio < MIN_IMAGE_RATIO:
            problems.append(
                f"{page}: {img['element']} is displayed {img['displayed']} px wide, {ratio:.0%} of its natural "
                f"{img['natural']} px (at least {MIN_IMAGE_RATIO:.0%} needed)"
            )
    return problems


def code_cell_problems(page: str, m: dict) -> list[str]:
    """Visible code cells longer than ``MAX_CODE_LINES`` lines."""
    return [
        f"{page}: visible code cell {c['element']} has {code_lines(c['source'])} lines (at most {MAX_CODE_LINES})"
        for c in m["codeCells"]
        if c["visible"] and code_lines(c["source"]) > MAX_CODE_LINES
    ]


def table_exempt(page: str, classes: list[str]) -> bool:
    """Whether a table is Sphinx machinery (index, search, autosummary, field list, line numbers)."""
    return page in EXEMPT_PAGES or bool(EXEMPT_TABLE_CLASSES.intersection(classes))


def table_problems(page: str, m: dict) -> list[str]:
    """Data tables with neither a ``<caption>`` nor a figure caption."""
    return [
        f"{page}: {t['element']} has no caption (neither <caption> nor an enclosing figure's <figcaption>)"
        for t in m["tables"]
        if not table_exempt(page, t["classes"]) and not t.get("datatablesClone")
        and not t.get("hiddenAttribute") and not (t["caption"] or t["figcaption"])
    ]


def page_report(page: str, m: dict) -> dict:
    """The measurements of one page a reviewer reads in ``tests/artifacts/book_report.json``."""
    return {
        "page_height_px": m["pageHeight"],
        "document_width_px": m["scrollWidth"],
        "viewport_width_px": m["viewportWidth"],
        "column": m["column"],
        "widest_element": m["widest"],
        "overflowing": m["overflowing"],
        "needs_scrolling": m["scrolling"],
        "images": [
            {"src": i["src"], "natural_px": i["natural"], "displayed_px": i["displayed"],
             "ratio": None if image_ratio(i) is None else round(image_ratio(i), 3)}
            for i in m["images"]
        ],
        "code_cells": [{"cell": c["element"][:80], "lines": code_lines(c["source"]), "visible": c["visible"]}
                       for c in m["codeCells"]],
        "tables": {
            "count": len(m["tables"]),
            "exempt": sum(table_exempt(page, t["classes"]) for t in m["tables"]),
            "captions": [t["caption"] or t["figcaption"] for t in m["tables"]],
        },
        "problems": overflow_problems(page, m) + image_problems(page, m) + code_cell_problems(page, m)
        + table_problems(page, m),
    }
