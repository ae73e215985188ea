"""Where the handout's pages end (issue 23 item 4), measured on the PDFs of the sample, both examples,
a generated 40-measure project with long texts and a measure with eight indicators.

A measure's row is kept whole unless that would leave more than a quarter of the page's type area
empty; then it is split between lines (two at least at the foot and at the head) or between its
indicators, and its rest opens the next page with its 施策番号 again
(report/render/typeset/extensions/row_breaks.py, styles/handout.css). The table's last row is kept
whole, so that the last page never holds only the tail of a measure.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pdfplumber
import pytest

from report.commands.build import BuildResult, build
from report.render.typeset.extensions import row_breaks
from tests.conftest import EXAMPLE, SAMPLE
from tests.ending import MM
from tests.handout_pages import HandoutPage, read_handout
from tests.pdfcheck import Checked, structure_problems
from tests.projects import make_project, write_csv

QUARTER = 0.25
INDICATORS = 8  # the indicators of the generated project's measure 01-2


def _value(indicator: int, year: int) -> int:
    return 7000 + 100 * indicator + year


def many_indicators(folder: Path) -> Path:
    """Three measures; 01-2 has eight indicators of three years each, so its row is taller than a page
    and splits between them (where, without `break-inside: avoid` on each, the fourth's label would
    be cut from its values)."""
    project = make_project(folder, areas=1, measures_per_area=3)
    with (project / "metrics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows += [["01-2", f"指標その{i}", 2022 + year, _value(i, year), "件", 9000, ""]
             for i in range(1, INDICATORS + 1) for year in range(3)]
    write_csv(project / "metrics.csv", rows)
    return project


def one_line_actions(folder: Path) -> Path:
    """Three measures; 01-2 has nineteen actions of one line each, one more than the foot of the
    first page holds: the last would open the next page alone."""
    project = make_project(folder, areas=1, measures_per_area=3)
    with (project / "measures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for row in rows:
        if row[0] == "01-2":
            row[3] = "\n".join(f"取り組みその{i}を実施" for i in range(19))
    write_csv(project / "measures.csv", rows)
    return project


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """The handout of each project, with its HTML."""
    out = tmp_path_factory.mktemp("handout-pages")
    projects = {"sample": SAMPLE, "kakuu": EXAMPLE, "kpi": EXAMPLE.parent / "kpi-city",
                "long40": make_project(out / "long40", areas=4, measures_per_area=10, vision_repeat=3),
                "many": many_indicators(out / "many"), "actions": one_line_actions(out / "actions")}
    return {name: build(project, kind="handout", output=out / f"{name}.pdf", html_output=out / f"{name}.html")
            for name, project in projects.items()}


def _splits(pages: list[HandoutPage]) -> list[tuple[HandoutPage, HandoutPage]]:
    """Each page ending with a split row, with the page its rest opens."""
    return [(before, after) for before, after in zip(pages, pages[1:]) if after.continues(before)]


def _column(pdf_path: Path, page: HandoutPage, head: str) -> tuple[float, float]:
    """The left and right edges (pt) of the table's column headed `head`, from the header row."""
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for c in pdf.pages[page.number - 1].chars if page.rules[0] < c["top"] < page.rules[1]]
        edges = [e["x0"] for e in pdf.pages[page.number - 1].edges
                 if e["orientation"] == "v" and e["top"] <= page.rules[0] + 1 and e["bottom"] >= page.rules[1] - 1]
    text = "".join(c["text"] for c in chars)
    start = chars[text.index(head)]["x0"]
    return max(x for x in edges if x < start), min(x for x in edges if x > start)


def _lines(pdf_path: Path, page: HandoutPage, column: tuple[float, float], top: float, bottom: float) -> int:
    """How many lines of 12 pt text the column holds between two heights of the page."""
    with pdfplumber.open(pdf_path) as pdf:
        chars = [c for c in pdf.pages[page.number - 1].chars if column[0] < c["x0"] < column[1]
                 and top < c["top"] < bottom and abs(c["size"] - 12) < 0.1 and c["text"].strip()]
    baselines: list[float] = []
    for y in sorted(c["bottom"] for c in chars):
        if not baselines or y - baselines[-1] > 3:
            baselines.append(y)
    return len(baselines)


@pytest.mark.parametrize("name", ["sample", "kakuu", "kpi", "long40", "many"])
def test_no_page_but_the_last_ends_a_quarter_above_the_foot(handouts: dict[str, BuildResult], name: str) -> None:
    """Unless the next page opens with the table's last row, kept whole (it could split: the last
    page would then hold only its tail). Before this, long40's first page ended 40% above the foot."""
    pages = read_handout(handouts[name].pdf)
    last_id = pages[-1].ids[-1]
    short = {page.number: round(page.short / page.height, 2) for page, after in zip(pages, pages[1:])
             if page.short > QUARTER * page.height + 1 and not (after is pages[-1] and after.ids == (last_id,))}
    assert short == {}


@pytest.mark.parametrize("name", ["long40", "many"])
def test_a_tall_row_is_split_at_the_foot_of_a_roomy_page(handouts: dict[str, BuildResult], name: str) -> None:
    """long40's first page holds the summary and one measure; the next (42% of the page) is split."""
    pages = read_handout(handouts[name].pdf)
    assert _splits(pages), [(page.number, page.ids) for page in pages]
    assert pages[0].short < 0.05 * pages[0].height


@pytest.mark.parametrize("name", ["sample", "kakuu", "kpi", "long40", "many"])
def test_a_row_is_split_only_where_keeping_it_whole_leaves_a_quarter_empty(handouts: dict[str, BuildResult],
                                                                          name: str) -> None:
    """A split row starts more than a quarter of the type area above the foot; its rest repeats its
    施策番号. kakuu-city's rows all fit that way: none is split."""
    pages = read_handout(handouts[name].pdf)
    for before, after in _splits(pages):
        assert before.foot - before.rules[-1] > QUARTER * before.height, before.number
        assert after.ids[0] == before.ids[-1] != "", (before.number, before.ids, after.ids)
    if name == "kakuu":
        assert _splits(pages) == []


def test_a_split_row_keeps_each_indicator_whole(handouts: dict[str, BuildResult]) -> None:
    """Measure 01-2's eight indicators run over three pages, each label on the page of its values."""
    pdf_path = handouts["many"].pdf
    with pdfplumber.open(pdf_path) as pdf:
        texts = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
    pages_of = {}
    for i in range(1, INDICATORS + 1):
        [label_page] = [n for n, text in enumerate(texts) if f"指標その{i}(件)" in text]
        assert all(f"{_value(i, year):,}" in texts[label_page] for year in range(3)), i
        pages_of[i] = label_page
    assert len(set(pages_of.values())) >= 2, pages_of


@pytest.mark.parametrize("name", ["long40", "many", "actions"])
def test_a_split_row_leaves_two_lines_of_its_text_at_the_foot_and_head(handouts: dict[str, BuildResult],
                                                                         name: str) -> None:
    """The ビジョン内容 and 取組内容 of a split row: none or two lines at least on each side of the break
    (an action of one line first or last is kept with the next or the one before)."""
    pdf_path = handouts[name].pdf
    pages = read_handout(pdf_path)
    for before, after in _splits(pages):
        for head_text in ("ビジョン内容", "取組内容"):
            column = _column(pdf_path, before, head_text)
            foot = _lines(pdf_path, before, column, before.rules[-1], before.foot)
            head = _lines(pdf_path, after, column, after.rules[1],
                          after.rules[2] if len(after.rules) > 2 else after.foot)
            assert foot != 1 and head != 1, (before.number, head_text, foot, head)
            assert foot + head > 0


@pytest.mark.parametrize("name", ["long40", "many"])
def test_a_split_row_is_one_row_of_the_tag_tree(handouts: dict[str, BuildResult], name: str) -> None:
    """The parts of a split row's cells are one TD each (report/render/pdf/tagging.py merges them);
    its 施策番号 printed again is an artifact, as the repeated column headings are."""
    result = handouts[name]
    checked = Checked(result.pdf)
    html = result.html.read_text(encoding="utf-8")
    assert _splits(read_handout(result.pdf))
    assert structure_problems(checked) == []
    assert len(checked.elements("/TD")) == html.count("<td")
    assert len(checked.elements("/TH")) == len(re.findall(r"<th[ >]", html))
    assert len(checked.elements("/TR")) == html.count("<tr")


def test_the_row_break_extension_is_installed_on_the_tested_weasyprint() -> None:
    assert row_breaks.source_hashes() == row_breaks.EXTENDED_SOURCE_SHA256, (
        "WeasyPrint's table layout changed: check report/render/typeset/extensions/row_breaks.py against it, "
        "then update EXTENDED_SOURCE_SHA256")
    assert row_breaks.install()


@pytest.mark.parametrize("name", ["sample", "long40"])
def test_an_archive_table_of_one_value_is_as_wide_as_its_content(tmp_path: Path, name: str) -> None:
    """In the archive (issue 23 item 3; kakuu-city's in tests/test_makeup_tables.py): a table of one
    year's value (its row heading and the value) is as wide as its caption on one line — never
    narrower, at most an em (of 9.5 pt) wider, less than the type area (A4 portrait,
    margins 18 and 20 mm: styles/page-archive.css); the tables of several years fill it. The handout
    sets one value as a line of text; kpi-city has no table of one value."""
    project = SAMPLE if name == "sample" else make_project(tmp_path / "long40", areas=4, measures_per_area=10,
                                                            vision_repeat=3)
    pdf_path = build(project, kind="archive", output=tmp_path / "archive.pdf").pdf
    widths: dict[bool, set[float]] = {True: set(), False: set()}
    beyond: list[tuple[str, float, float]] = []
    checked = 0
    type_area = 210 * MM - 38 * MM
    with pdfplumber.open(pdf_path) as pdf:
        index = next(i for i, page in enumerate(pdf.pages)
                     if i >= 2 and "施策一覧(索引)" in (page.extract_text() or ""))  # not the contents page
        for page in pdf.pages[2:index]:
            for table in page.find_tables():
                one = len(table.extract()[0]) == 2
                width = table.bbox[2] - table.bbox[0]
                widths[one].add(round(width))
                above = [c for c in page.chars if table.bbox[1] - 5 * MM < c["bottom"] <= table.bbox[1] + 0.5
                         and c["x0"] >= table.bbox[0] - 0.5 and abs(c["size"] - 9.5) < 0.1]
                last = max((round(c["top"]) for c in above), default=None)
                caption = [c for c in above if round(c["top"]) == last]  # a caption names a unit or a date
                if one and ("(単位:" in "".join(c["text"] for c in caption) or "時点" in "".join(c["text"] for c in caption)):
                    checked += 1
                    line = max(c["x1"] for c in caption) - table.bbox[0]
                    if not line - 1 <= width <= line + 9.5:
                        beyond.append(("".join(c["text"] for c in caption), round(line), round(width)))
    assert widths[True] and max(widths[True]) < type_area - 2, widths
    assert checked >= 3 and beyond == [], (checked, beyond)
    assert all(abs(width - type_area) < 2 for width in widths[False]), widths