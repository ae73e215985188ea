"""The web version without rough edges, in a real browser (Debian's chromium, Playwright): axe-core
(WCAG 2.1 AA and best practice) finds nothing at 320, 375, 768 and 1280 px; nothing scrolls sideways
at 320 px nor at 1280 px zoomed to 200%; the focus outline has 3:1 against every background it is
drawn on; chart text is at least 12 CSS px on a 375 px phone; a figure's table sits below its chart
where both do not fit, and never breaks inside a year, a value or a grade."""

from __future__ import annotations

import re

import pytest

from report.render.web.web import SCREEN_CHART_WIDTH_MM

from .accessibility import WIDTHS, ZOOMED, axe_source, axe_violations, focus_outlines, sideways
from .test_web import generated_web, kpi_web, sample_web  # noqa: F401 - fixtures

PROJECTS = ["sample_web", "generated_web", "kpi_web"]
PHONE = 375
YEAR_RE = re.compile(r"(令和|平成|昭和)(\d+|元)年度?|\d{4}年度?")


def open_web(browser, result, **context):  # noqa: ANN001, ANN003, ANN201 - playwright objects
    page = browser.new_context(**context).new_page()
    page.goto(result.web.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


@pytest.mark.parametrize("which", PROJECTS)
def test_axe_finds_nothing_and_nothing_scrolls_sideways(browser, which: str,  # noqa: ANN001
                                                        request: pytest.FixtureRequest) -> None:
    result, source = request.getfixturevalue(which), axe_source()
    for width in WIDTHS:
        page = open_web(browser, result, viewport={"width": width, "height": 800})
        try:
            assert axe_violations(page, source) == [], f"{which} at {width}px"
            assert sideways(page) == [], f"{which} at {width}px"
        finally:
            page.context.close()
    page = open_web(browser, result, **ZOOMED)  # 1280 px at 200%
    try:
        assert page.evaluate("window.devicePixelRatio") == 2 and page.evaluate("innerWidth") == 640
        assert sideways(page) == [], f"{which} at 1280px zoomed to 200%"
    finally:
        page.context.close()


@pytest.mark.parametrize("which", ["sample_web", "kpi_web"])
def test_the_focus_outline_has_3_to_1_on_every_background(browser, which: str,  # noqa: ANN001
                                                          request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(which)
    page = open_web(browser, result, viewport={"width": PHONE, "height": 800})
    try:
        outlines = focus_outlines(page)
        backgrounds = {o["background"] for o in outlines}
        assert len(outlines) > 3 and len(backgrounds) >= 2, outlines  # white and the contents box at least
        for outline in outlines:
            assert outline["style"] == "solid" and outline["width"] >= 2, outline
            assert outline["ratio"] >= 3, outline
    finally:
        page.context.close()


@pytest.mark.parametrize("which", PROJECTS)
def test_chart_text_is_at_least_12_css_px_on_a_phone(browser, which: str,  # noqa: ANN001
                                                     request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(which)
    page = open_web(browser, result, viewport={"width": PHONE, "height": 800})
    try:
        sizes = page.evaluate("""() => [...document.querySelectorAll('.chart svg text')].map(t => {
            const svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale];
        })""")
        widths = page.evaluate("[...document.querySelectorAll('.chart svg')].map(s => s.viewBox.baseVal.width)")
    finally:
        page.context.close()
    assert sizes and widths
    assert all(width <= SCREEN_CHART_WIDTH_MM / 25.4 * 72 + 0.01 for width in widths), "drawn for the screen"
    small = [(text, round(size, 1)) for text, size in sizes if size < 12]
    assert small == [], small


@pytest.mark.parametrize("width", [320, PHONE, 1280])
def test_tables_go_below_their_chart_and_never_break_a_year_or_a_value(browser, width: int,  # noqa: ANN001
                                                                       kpi_web, sample_web) -> None:  # noqa: ANN001, F811
    sides: list[bool] = []  # on a wide screen: whether each table sits beside its chart
    for result in (sample_web, kpi_web):
        page = open_web(browser, result, viewport={"width": width, "height": 800})
        try:
            places = page.evaluate("""() => [...document.querySelectorAll('figure')].filter(f => f.querySelector('.chart') && f.querySelector('table')).map(f => {
                const chart = f.querySelector('.chart').getBoundingClientRect();
                const table = f.querySelector('table').getBoundingClientRect();
                return [table.top >= chart.bottom, table.left >= chart.right];
            })""")
            # Each cell's text, and the line tops of the years and values in it.
            cells = page.evaluate("""() => [...document.querySelectorAll('.numbers td.num, .numbers .year, .numbers .grade')].map(c => {
                const text = c.textContent, range = document.createRange();
                const lines = (start, end) => {  // how many lines the characters start..end lie on
                    const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), tops = new Set();
                    let offset = 0;
                    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                        const from = Math.max(start - offset, 0), to = Math.min(end - offset, n.length);
                        if (from < to) {
                            range.setStart(n, from); range.setEnd(n, to);
                            for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
                        }
                        offset += n.length;
                    }
                    return tops.size;
                };
                return {text, numeric: c.classList.contains('num'), whole: lines(0, text.length),
                        years: [...text.matchAll(YEAR)].map(m => lines(m.index, m.index + m[0].length)),
                        words: c.classList.contains('grade')  // 「◎ 達成」: each word whole
                            ? [...text.matchAll(/\\S+/g)].map(m => lines(m.index, m.index + m[0].length)) : []};
            })""".replace("YEAR", f"/{YEAR_RE.pattern}/g"))  # the same years as YEAR_RE
        finally:
            page.context.close()
        assert places and cells
        if width <= PHONE:
            assert all(below for below, _ in places), f"the tables go below their charts at {width}px"
        else:
            sides += [beside for _, beside in places]
        broken = [c["text"] for c in cells
                  if (c["numeric"] and c["whole"] > 1) or any(n > 1 for n in c["years"] + c["words"])]
        assert broken == [], f"{width}px: {broken}"
        assert any(c["years"] for c in cells)
    assert width <= PHONE or any(sides), "where both fit, a table sits beside its chart"
