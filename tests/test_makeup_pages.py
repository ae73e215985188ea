"""Page make-up of the newsletter (issue 23 items 1 and 4), measured on the PDFs of the sample, both
examples and a generated 40-measure project with long texts (tests/makeup.py reads them)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from report.commands.build import BuildResult, build
from report.render.typeset.closing import BETWEEN_BLOCKS, INSIDE_MEASURE, _halves
from tests.conftest import EXAMPLE, ROOT, SAMPLE, ShippedBuilds, copy_project
from tests.ending import MM, RULE_GREY, ending
from tests.makeup import BODY_SIZE, empty_above_box, read_pages, text_lines
from tests.projects import make_project
from tests.test_photos_data import without_photos

PROJECTS = {"sample": SAMPLE, "kakuu": EXAMPLE, "kpi": ROOT / "examples" / "kpi-city"}


@pytest.fixture(scope="module")
def newsletters(tmp_path_factory: pytest.TempPathFactory,
                shipped_documents: ShippedBuilds) -> dict[str, BuildResult]:
    """The newsletter of each project (shared with other modules), and of 40 measures with visions
    three sentences long."""
    out = tmp_path_factory.mktemp("makeup")
    projects = {"long40": make_project(out / "long40", areas=4, measures_per_area=10, vision_repeat=3),
                "sample-text": without_photos(copy_project(out / "text"))}
    return {**{name: shipped_documents[name, "newsletter"] for name in PROJECTS},
            **{name: build(project, output=out / f"{name}.pdf") for name, project in projects.items()}}


def _pitch(result: BuildResult) -> float:
    """One line of body text (pt) at the line height the build chose."""
    return BODY_SIZE * (result.line_height or 1.5)


def _lines_said(result: BuildResult) -> int:
    [advice] = result.advice
    return int(re.search(r"あと約(\d+)行", advice.message).group(1))


@pytest.mark.parametrize("name", [*PROJECTS, "long40"])
def test_no_page_opens_with_a_figure_cut_from_its_text(newsletters: dict[str, BuildResult], name: str) -> None:
    pages = read_pages(newsletters[name].pdf)
    assert [page.number for page in pages[1:] if page.opens_with_figure] == []


def test_the_column_rule_ends_with_the_closing_box(newsletters: dict[str, BuildResult]) -> None:
    """The rule stops at the box, not below it; the sample's last page (a right-hand page) now ends at
    the foot of the type area, its box pinned there (report/render/typeset/makeup.py)."""
    pdf_path = newsletters["sample"].pdf
    box_bottom = ending(pdf_path).closing[3]
    with pdfplumber.open(pdf_path) as pdf:
        rules = [r for r in pdf.pages[-1].rects if r["width"] < 1 and r["height"] > 40
                 and abs(r["non_stroking_color"][0] - RULE_GREY) < 0.01]
    assert rules and max(r["bottom"] for r in rules) <= box_bottom + 1
    assert ending(pdf_path).foot - box_bottom < 1


def test_a_short_last_page_says_how_many_lines_would_fill_it(newsletters: dict[str, BuildResult]) -> None:
    """kpi-city's one page ends at the foot, its box pinned there: its first layout left room its
    columns could not take (8 lines), so its bar charts are drawn taller (report/render/typeset/
    candidates.py; tests/test_makeup_candidates.py). What room is left is within two lines a column,
    or the build says how many lines of text would fill it, as many as the room left under the left
    column and above the box holds."""
    result = newsletters["kpi"]
    last = read_pages(result.pdf)[-1]
    room = (last.short()[0] + empty_above_box(result.pdf)) / _pitch(result)
    if not result.advice:
        assert room <= 4.5
        return
    assert abs(_lines_said(result) - room) <= 1.5, (result.advice, room)
    assert "足すと" in result.advice[0].message and "(2ページ)" in result.advice[0].message


def test_a_feature_ending_on_a_left_page_says_how_many_lines_to_cut(newsletters: dict[str, BuildResult]) -> None:
    """kakuu-city ends on a left page (6) holding one measure and the closing box: the build says how
    many lines to cut for it to end on page 5, as many as the last page holds."""
    result = newsletters["kakuu"]
    last = read_pages(result.pdf)[-1]
    held = sum(bottom - last.top for bottom in last.bottoms) / _pitch(result)
    assert "削ると右ページ(5ページ)" in result.advice[0].message
    assert abs(_lines_said(result) - held) <= 1.5, (result.advice, held)


def test_a_feature_that_fills_its_pages_says_nothing(newsletters: dict[str, BuildResult]) -> None:
    result = newsletters["long40"]
    pages = read_pages(result.pdf)
    if len(pages) % 2 == 1 and max(pages[-1].short()) <= 2 * _pitch(result):  # ends on a full right page
        assert result.advice == ()
    else:
        assert len(result.advice) == 1


def test_space_added_to_level_a_column_comes_in_whole_lines() -> None:
    """A whole line at each opening, block boundaries first, then inside measures, top down: what
    follows an opening stays on the baseline grid."""
    openings = [(object(), kind) for kind in (INSIDE_MEASURE, BETWEEN_BLOCKS, INSIDE_MEASURE, BETWEEN_BLOCKS,
                                              INSIDE_MEASURE)]
    assert _halves(openings, 2) == [0, 2, 0, 2, 0]
    assert _halves(openings, 3) == [2, 2, 0, 2, 0]
    for lines in range(7):
        halves = _halves(openings, lines)
        assert set(halves) <= {0, 2} and sum(halves) == 2 * min(lines, len(openings))


def test_a_generated_project_builds(tmp_path: Path) -> None:
    """The helpers read a one-page feature: one page, two columns."""
    result = build(make_project(tmp_path / "p", areas=1, measures_per_area=2), output=tmp_path / "p.pdf")
    [page] = read_pages(result.pdf)
    assert len(page.bottoms) == 2


@pytest.mark.parametrize("name", ["sample", "kakuu", "long40"])
def test_columns_of_continuing_pages_end_near_the_foot(newsletters: dict[str, BuildResult], name: str) -> None:
    """A column a kept-whole figure box left short is opened between its blocks, in whole lines, down
    to within two lines of the foot; what its openings cannot take, its bar charts do, drawn taller
    (report/render/typeset/candidates.py `column_heights`): kakuu-city's page 5, before the last
    measure carried to keep the closing box company on page 6, ended 33 mm short."""
    result = newsletters[name]
    pages = read_pages(result.pdf)
    short = {(page.number, column): round(gap / MM, 1) for page in pages[:-1]
             for column, gap in enumerate(page.short()) if gap > 2 * _pitch(result)}
    assert short == {}


ARCHIVE_HEADINGS = (16.0, 11.5)  # an area's and a measure's heading sizes (styles/archive.css)


def _tails(pdf_path: Path) -> list[tuple[int, float]]:
    """The archive's measure pages that hold no heading and end above half the page: the tail of a
    measure alone on its page (page number, how far down its content ends). The cover, the table of
    contents and the index are not measure pages."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        text = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
        index = next(i for i, page in enumerate(text) if i >= 2 and "施策一覧(索引)" in page)
        for page in pdf.pages[2:index]:
            body = [c for c in page.chars if 20 * MM < c["top"] < page.height - 18 * MM]
            headed = any(round(c["size"], 1) in ARCHIVE_HEADINGS for c in body)
            drawn = [o["bottom"] for o in (*body, *page.rects, *page.images)
                     if 20 * MM < o["top"] and o["bottom"] < page.height - 18 * MM]
            if not headed and max(drawn, default=0) < page.height / 2:
                found.append((page.page_number, round(max(drawn, default=0) / page.height, 2)))
    return found


@pytest.mark.parametrize("name", ["kakuu", "long40"])
def test_no_archive_page_holds_only_the_tail_of_a_measure(tmp_path: Path, name: str) -> None:
    """Each area starts a page; its last measure moves to the next page whole rather than leave a
    table or a few lines alone on a page before that break (kakuu-city's pages 27 and 32 held one
    table each)."""
    project = EXAMPLE if name == "kakuu" else make_project(tmp_path / "long40", areas=4, measures_per_area=10,
                                                            vision_repeat=3)
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    assert _tails(result.pdf) == []


def _archive_openings(pdf_path: Path) -> list[tuple[int, str, str, str | None, bool]]:
    """Each measure page of an archive: (page number, the head at its left, its first body line,
    the measure it opens inside (None when it opens with a heading), whether that measure's first
    figure (a table with its 「実績」 row) was printed on an earlier page)."""
    found, measure, figured = [], None, set()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[2:]:
            chars = page.chars
            if "施策一覧(索引)" in "".join(c["text"] for c in chars):
                break
            head = "".join(c["text"] for c in chars if c["top"] < 20 * MM and c["x0"] < page.width / 2)
            lines = text_lines(page, top=20 * MM, foot=18 * MM, spaces=True)
            _, size, first = lines[0]
            headed = round(size, 1) in ARCHIVE_HEADINGS
            found.append((page.page_number, head, first, None if headed else measure, measure in figured))
            for _, size, text in lines:
                if round(size, 1) == ARCHIVE_HEADINGS[1] and (named := re.match(r"\d+-\d+", text)):
                    measure = named.group(0)  # a heading's first line: 「1-10 子ども・子育ての…」
                elif round(size, 1) == ARCHIVE_HEADINGS[0]:
                    measure = None
                elif text.startswith("実績") and measure is not None:
                    figured.add(measure)
    return found


@pytest.mark.parametrize("name", ["kakuu", "long40"])
def test_an_archive_page_opening_inside_a_measure_names_it(tmp_path: Path, name: str) -> None:
    """A page of the archive that opens inside a measure — the rest of its actions, a later figure —
    names it at its head left, 「施策 1-10(続き)」, and a page opening with a heading names none; no
    page opens with a measure's first figure, cut from its text (the figure keeps the line before it)."""
    project = EXAMPLE if name == "kakuu" else make_project(tmp_path / "long40", areas=4, measures_per_area=10,
                                                            vision_repeat=3)
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    openings = _archive_openings(result.pdf)
    inside = [(number, head, measure) for number, head, _, measure, _ in openings if measure is not None]
    assert inside or name == "long40", openings  # kakuu-city has such pages (long40's all open with a heading)
    assert all(head == f"施策 {measure}(続き)" for _, head, measure in inside), inside
    assert all(head == "" for _, head, _, measure, _ in openings if measure is None)
    cut = [(number, line) for number, _, line, measure, figured in openings
           if measure is not None and not figured and not line.startswith(("→", "・", "●", "-"))]
    assert cut == []


def test_koho_build_says_the_lines_to_cut(tmp_path: Path) -> None:
    """`koho build` prints the advice among its お知らせ, and still writes the PDF (exit status 0)."""
    from click.testing import CliRunner

    import cli

    out = tmp_path / "kakuu.pdf"
    result = CliRunner().invoke(cli.cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    said = r"お知らせ: kakuu\.pdf: 特集が左ページ\(6ページ\)で終わり.*あと約\d+行削ると右ページ\(5ページ\)に収まります"
    assert re.search(said, result.output)
