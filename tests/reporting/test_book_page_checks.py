"""The reader rules of ``book_page_checks`` on hand-made measurements (no browser).

The measurements have the shape ``READER_JS`` returns; each rule must fail on a bad element, pass on
a good one, and leave hidden elements, icons and Sphinx's own tables alone.
"""

from __future__ import annotations

from tests.reporting.book_page_checks import (
    MAX_CODE_LINES,
    code_cell_problems,
    code_lines,
    image_problems,
    overflow_problems,
    page_report,
    table_exempt,
    table_problems,
)


def _measure(**kw) -> dict:
    m = {"column": {"left": 288, "right": 976, "width": 688}, "viewportWidth": 1280, "scrollWidth": 1280,
         "pageHeight": 5000, "widest": {"element": "p", "right": 976}, "overflowing": [], "scrolling": [],
         "images": [], "codeCells": [], "tables": [], "unrenderedGlue": []}
    m.update(kw)
    return m


def test_code_lines_counts_blank_lines_but_not_the_final_newline():
    assert code_lines("a = 1\n\nb = 2\n") == 3
    assert code_lines("x") == 1
    assert code_lines("") == 0
    assert code_lines("\n") == 0


def test_a_long_visible_cell_fails_a_hidden_or_short_one_passes():
    long = "\n".join(f"x{i} = {i}" for i in range(MAX_CODE_LINES + 1))
    short = "\n".join(f"x{i} = {i}" for i in range(MAX_CODE_LINES))
    m = _measure(codeCells=[{"element": "div.cell in section#a", "visible": True, "source": long},
                            {"element": "div.cell in section#b", "visible": False, "source": long},
                            {"element": "div.cell in section#c", "visible": True, "source": short + "\n"}])
    problems = code_cell_problems("p.html", m)
    assert problems == [f"p.html: visible code cell div.cell in section#a has {MAX_CODE_LINES + 1} lines (at most 15)"]


def test_a_figure_shown_at_40_percent_fails_one_at_75_percent_and_an_icon_pass():
    m = _measure(images=[
        {"element": "img[src=funding__composition.png]", "src": "a.png", "visible": True, "natural": 1682, "displayed": 672},
        {"element": "img[src=b.png]", "src": "b.png", "visible": True, "natural": 900, "displayed": 672},
        {"element": "img[src=minus.png]", "src": "minus.png", "visible": True, "natural": 11, "displayed": 5},
        {"element": "img[src=hidden.png]", "src": "hidden.png", "visible": False, "natural": 1682, "displayed": 0},
    ])
    problems = image_problems("f.html", m)
    assert len(problems) == 1 and "funding__composition.png" in problems[0] and "40%" in problems[0]


def test_overflow_past_the_column_and_a_scrolling_table_fail():
    m = _measure(
        overflowing=[{"element": "code.literal", "right": 996.0, "width": 300.0}],
        scrolling=[{"element": "div.output.text_html", "overflow": "auto", "scrollWidth": 1528, "clientWidth": 688},
                   {"element": "span.math", "overflow": "hidden", "scrollWidth": 215, "clientWidth": 201}],
        scrollWidth=1300,
    )
    problems = overflow_problems("e.html", m)
    assert "20.0 px past the content column's right edge" in problems[0]
    assert "needs horizontal scrolling: content 1528 px wide in a box 688 px wide" in problems[1]
    assert "clips its content" in problems[2]
    assert "document is 1300 px wide" in problems[3]
    assert len(problems) == 4
    assert overflow_problems("e.html", _measure()) == []
    assert overflow_problems("genindex.html", m) == []  # machinery page


def test_tables_need_a_caption_unless_they_are_sphinx_machinery():
    m = _measure(tables=[
        {"element": "table.dataframe in section#chow", "classes": ["dataframe"], "visible": True, "caption": "", "figcaption": ""},
        {"element": "table#t1", "classes": ["table"], "visible": True, "caption": "Table 1 Size", "figcaption": ""},
        {"element": "table#t2", "classes": [], "visible": True, "caption": "", "figcaption": "Figure 2 shares"},
        {"element": "table.autosummary", "classes": ["autosummary", "longtable"], "visible": True, "caption": "",
         "figcaption": ""},
        {"element": "table", "classes": ["display"], "visible": True, "caption": "", "figcaption": "",
         "datatablesClone": True},
        {"element": "table in div#itables_fallback", "classes": [], "visible": False, "caption": "",
         "figcaption": "", "hiddenAttribute": True},
        {"element": "table in details.dropdown", "classes": ["table"], "visible": False, "caption": "",
         "figcaption": ""},
    ])
    problems = table_problems("eras.html", m)
    expected = "eras.html: table.dataframe in section#chow has no caption (neither <caption> nor an enclosing figure's"
    assert problems == [expected + " <figcaption>)",
                        "eras.html: table in details.dropdown has no caption (neither <caption> nor an enclosing"
                        " figure's <figcaption>)"]
    assert table_exempt("genindex.html", ["dataframe"]) and not table_exempt("api.html", ["dataframe"])


def test_the_report_lists_the_problems_and_ratios():
    m = _measure(images=[{"element": "img", "src": "a.png", "visible": True, "natural": 1000, "displayed": 500}])
    report = page_report("a.html", m)
    assert report["images"][0]["ratio"] == 0.5 and len(report["problems"]) == 1
