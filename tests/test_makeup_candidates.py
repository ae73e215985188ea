"""The newsletter's make-up chosen among candidates (issue 23 item 1, report/render/typeset/candidates.py),
measured on the PDFs: kpi-city's last page, which left 8 lines empty above its closing box, and the
sample, which ends well and must be laid out exactly as without candidates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from report.commands.build import BuildResult, Typesetter, build
from report.render.typeset import candidates
from report.render.typeset.candidates import Score
from report.render.typeset.fit import SHORT_BY_LINES
from tests.conftest import ROOT, SAMPLE
from charts.spec import BAR_HEIGHT_MM
from report.render.html.sizes import BAR_HEIGHT_RANGE_MM
from tests.ending import MM
from tests.makeup import BODY_SIZE, _figure_boxes, empty_above_box, read_pages

KPI = ROOT / "examples" / "kpi-city"
PITCH = BODY_SIZE * 1.5  # kpi-city and the check below are laid out at the stylesheet's line height


def _built(project: Path, output: Path, with_candidates: bool, **options: object) -> tuple[BuildResult, int]:
    """The build, and how many times it laid the document out."""
    calls = []
    with pytest.MonkeyPatch.context() as patch:
        if not with_candidates:
            patch.setattr(candidates, "MOST_CANDIDATES", 0)
        lay_out = Typesetter.lay_out
        patch.setattr(Typesetter, "lay_out", lambda self, css: calls.append(css) or lay_out(self, css))
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(project, output=output, **options), len(calls)


@pytest.fixture(scope="module")
def kpi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """kpi-city without candidates, and with them as the preview builds it (the first layout shown)."""
    out = tmp_path_factory.mktemp("kpi")
    shown: list[BuildResult] = []
    without, _ = _built(KPI, out / "off" / "kpi.pdf", with_candidates=False)
    chosen, _ = _built(KPI, out / "on" / "kpi.pdf", with_candidates=True, provisional=shown.append)
    yield {"without": without, "chosen": chosen, "shown": shown}


def _empty_lines(pdf: Path) -> float:
    """The lines left empty on the last page: above the closing box, and under the first column."""
    [page] = read_pages(pdf)[-1:]
    return (empty_above_box(pdf) + page.short()[0]) / PITCH


def test_kpi_city_ends_nearer_the_foot(kpi: dict) -> None:
    """Without candidates the page leaves about 8 lines empty (and says so); the chosen layout, its bar
    charts drawn taller, ends within two lines of the foot a column, and says nothing."""
    without, chosen = kpi["without"], kpi["chosen"]
    before, after = _empty_lines(without.pdf), _empty_lines(chosen.pdf)
    assert before >= 6
    assert after < before - 3
    assert after <= 2 * SHORT_BY_LINES + 0.5
    assert without.advice and not chosen.advice
    assert chosen.pages == without.pages


def test_the_advice_counts_the_lines_of_the_layout_printed(kpi: dict) -> None:
    """The お知らせ of the layout without candidates tells the lines its PDF leaves empty."""
    said = int(re.search(r"約(\d+)行", kpi["without"].advice[0].message).group(1))
    assert abs(said - _empty_lines(kpi["without"].pdf)) <= 1.5


def test_the_preview_shows_the_first_layout_then_the_chosen(kpi: dict) -> None:
    """koho serve shows the first layout (with its お知らせ) before the candidates are laid out, then
    the chosen one replaces it."""
    [first] = kpi["shown"]
    assert first.provisional and first.advice
    assert not kpi["chosen"].provisional
    assert first.sha256 != kpi["chosen"].sha256
    assert first.sha256 == kpi["without"].sha256  # the first layout is the one without candidates


def test_a_sample_that_ends_well_is_laid_out_as_without_candidates(tmp_path: Path) -> None:
    """The sample ends at the foot of its right-hand page: nothing more is laid out, the same bytes."""
    on, layouts_on = _built(SAMPLE, tmp_path / "on" / "sample.pdf", with_candidates=True)
    off, layouts_off = _built(SAMPLE, tmp_path / "off" / "sample.pdf", with_candidates=False)
    assert layouts_on == layouts_off
    assert on.pdf.read_bytes() == off.pdf.read_bytes()


def test_the_score_ranks_as_a_designer_does() -> None:
    """Ending at the foot of a right-hand page first, then fewer pages, fewer empty lines, fewer moves."""
    at_foot = Score(misses_foot=False, pages=4, empty=2, moves=12)
    assert at_foot < Score(misses_foot=True, pages=3, empty=0, moves=0)
    assert Score(True, 3, 30, 5) < Score(True, 4, 0, 0)
    assert Score(True, 3, 4, 5) < Score(True, 3, 8, 0)
    assert Score(False, 1, 2, 3) < Score(False, 1, 2, 4)
    ranked = sorted([Score(True, 1, 8, 0), Score(False, 1, 2, 3), Score(True, 1, 5, 3)])
    assert ranked[0] == Score(False, 1, 2, 3) and ranked[-1] == Score(True, 1, 8, 0)


KAKUU = ROOT / "examples" / "kakuu-city"


def _figure_heights(pdf: Path, page: int) -> list[tuple[bool, float]]:
    """The figure boxes of a page, top down per column: (in the right column, height in mm)."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        shown = document.pages[page - 1]
        return sorted((box["x0"] > shown.width / 2, round(box["height"] / MM, 1)) for box in _figure_boxes(shown))


def _inside_lines(project: Path, output: Path, heights: bool = True) -> tuple[BuildResult, int, int]:
    """The build, how many layouts it made, and how many lines the chosen layout's continuing pages
    opened inside measures (report/render/typeset/fill.py); `heights=False`: no short column's charts
    drawn taller."""
    import report.commands.build as building

    ended = []
    with pytest.MonkeyPatch.context() as patch:
        complete = building.complete
        patch.setattr(building, "complete", lambda setter, laid, *args, **kw: ended.append(laid)
                      or complete(setter, laid, *args, **kw))
        if not heights:
            patch.setattr(candidates, "column_heights", lambda short, found: {})
        result, layouts = _built(project, output, with_candidates=True)
    return result, layouts, sum(column.inside for column in ended[-1].filled)


@pytest.fixture(scope="module")
def kakuu(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[BuildResult, int, int]]:
    """kakuu-city with its short columns filled by taller charts, and without (the heights found none)."""
    out = tmp_path_factory.mktemp("kakuu")
    return {"filled": _inside_lines(KAKUU, out / "on" / "kakuu.pdf"),
            "left": _inside_lines(KAKUU, out / "off" / "kakuu.pdf", heights=False)}


def test_a_short_column_of_a_continuing_page_takes_taller_charts(kakuu: dict) -> None:
    """kakuu-city's page 5 holds all but its last measure, carried to page 6 to keep the closing box
    company: its right column ended 33 mm short after its openings took a line each, six of them
    inside measures (between a vision and its actions). Its bar charts, and those of the columns that
    opened two lines or more inside measures, drawn taller in one more layout, take the room: the
    column ends within two lines of the foot, fewer lines open inside measures, the pages and the
    lines to cut (the お知らせ) stay as they were, and only the boxes of those columns change."""
    (filled, layouts, inside), (left, layouts_left, inside_left) = kakuu["filled"], kakuu["left"]
    assert layouts == layouts_left + 1
    before, after = read_pages(left.pdf)[1], read_pages(filled.pdf)[1]
    assert before.short()[1] > 2 * SHORT_BY_LINES * PITCH
    assert max(after.short()) <= SHORT_BY_LINES * PITCH
    assert inside_left >= 10 and inside <= inside_left - 6, (inside_left, inside)
    assert filled.pages == left.pages and [a.message for a in filled.advice] == [a.message for a in left.advice]
    high, low = BAR_HEIGHT_RANGE_MM[1], BAR_HEIGHT_MM
    for page in (1, 2):
        grown = [(b, a) for b, a in zip(_figure_heights(left.pdf, page), _figure_heights(filled.pdf, page)) if a != b]
        assert grown and all(0 < a[1] - b[1] <= high - low + 0.5 for b, a in grown)
    assert _figure_heights(left.pdf, 3) == _figure_heights(filled.pdf, 3)


def test_column_heights_share_the_room_within_the_range() -> None:
    """The room a short column leaves is shared by its bar charts evenly, rounded down to whole mm (so
    nothing is pushed on to the next column), never above the range; a column without one is left."""
    heights = {"a": (26.0, 1), "b": (26.0, 2), "c": None}
    mm = 96 / 25.4
    short = [candidates.ShortColumn(0, 30 * mm, ("a", "b", "c")), candidates.ShortColumn(1, 90 * mm, ("d",))]
    assert candidates.column_heights(short, lambda m: heights.get(m)) == {"a": 36.0, "b": 36.0}
    assert candidates.column_heights([candidates.ShortColumn(0, 20 * mm, ("a", "b"))],
                                     lambda m: heights.get(m)) == {"a": 32.0, "b": 32.0}
    assert candidates.column_heights([candidates.ShortColumn(0, 2 * mm, ("a", "b"))], lambda m: heights.get(m)) == {}


def test_lines_opened_inside_measures_alone_are_not_worth_a_layout(tmp_path: Path) -> None:
    """A generated feature whose columns all end within two lines of the foot, one of them after two
    lines opened inside its measures: nothing more is laid out (one more layout would cost a small
    feature 20–60% more time for two lines), the same bytes as without short-column charts."""
    from tests.projects import make_project

    project = make_project(tmp_path / "p", areas=3, measures_per_area=2)
    on, layouts_on, inside = _inside_lines(project, tmp_path / "on" / "p.pdf")
    off, layouts_off, _ = _inside_lines(project, tmp_path / "off" / "p.pdf", heights=False)
    assert inside >= candidates.INSIDE_LINES_WORTH  # the case: lines opened inside measures
    assert all(gap <= SHORT_BY_LINES * PITCH for page in read_pages(on.pdf)[:-1] for gap in page.short())
    assert layouts_on == layouts_off
    assert on.pdf.read_bytes() == off.pdf.read_bytes()
