"""The newsletter's pages end well (issue 12 item 6): the last page ends level, with the closing
box at the foot of its column or across the foot of the columns, and no page opens with a chart
cut off from its measure. Read from the PDFs (tests/ending.py); see report/render/typeset/closing.py."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from report.commands import build as build_module
from report.commands.build import BuildResult, build
from report.render.pdf.pdf import layout

from .ending import FOOT, TOP, ending, ends_well
from .pdfcheck import Checked, structure_problems
from .projects import make_project

TINT = (0.952941, 0.952941, 0.956863)  # --paper-tint: the background of a measure's figures box
LEGEND = "〔ビジョン内容→取り組み〕"  # the line under an area's heading


def pitch(result: BuildResult) -> float:
    """One line of the body (10pt) at the line height the build chose, in pt."""
    return 10 * (result.line_height or 1.5)


def _tinted(page) -> list[dict]:  # noqa: ANN001 - pdfplumber page
    return [r for r in page.rects if isinstance(r["non_stroking_color"], tuple)
            and tuple(round(c, 6) for c in r["non_stroking_color"]) == TINT]


def pages_opening_with_a_chart(pdf_path: Path) -> list[int]:
    """Pages (after the first) whose first column opens with a figures box: a chart without a line
    of its measure above it."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages[1:], start=2):
            inside = [o for o in (*page.chars, *page.rects) if o["top"] > TOP - 1
                      and o["bottom"] < page.height - FOOT + 1 and o["width"] > 1]
            left = min(o["x0"] for o in inside)
            first = min((o for o in inside if o["x0"] < left + 100), key=lambda o: o["top"])
            if any(r["x0"] < left + 100 and r["top"] <= first["top"] + 1 for r in _tinted(page)):
                found.append(number)
    return found


def columns_ending_with_a_heading(pdf_path: Path) -> list[tuple[int, str]]:
    """(page, line) for each column whose last line is an area's heading or its legend."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = [w for w in page.extract_words() if TOP < w["top"] < page.height - FOOT]
            middle = (min(w["x0"] for w in words) + max(w["x1"] for w in words)) / 2
            for column in ([w for w in words if w["x1"] < middle], [w for w in words if w["x0"] > middle]):
                if column:
                    last = max(column, key=lambda w: w["bottom"])
                    if last["text"] == LEGEND or "分野その" in last["text"]:
                        found.append((number, last["text"]))
    return found


def test_the_sample_ends_level_with_the_closing_box_at_the_foot_of_the_last_column(sample_build: BuildResult) -> None:
    """As on the printed 広報ひおき page, the box closes the right-hand column: its bottom level with
    the left column's last line (on the foot of the type area when that line is within a line of
    it), not under the last measure where column balancing set it."""
    end = ending(sample_build.pdf)
    line = pitch(sample_build)
    assert end.closing_column == 1 and not end.spans
    expected = end.foot if end.foot - end.bottoms[0] <= line else end.bottoms[0]
    assert end.closing[3] == pytest.approx(expected, abs=4)
    assert ends_well(end, line) == "level", end


def test_the_sample_closing_link_moved_with_its_box(sample_build: BuildResult) -> None:
    """The URL's link annotation is where the URL is printed, after the box moved down."""
    url = sample_build.project.config.url
    end = ending(sample_build.pdf)
    with pdfplumber.open(sample_build.pdf) as pdf:
        page = pdf.pages[-1]
        links = [a for a in page.annots if (a.get("uri") or "") == url]
        printed = [w for w in page.extract_words() if w["text"].startswith("https://")]
    assert links and printed
    for link in links:
        assert end.closing[1] <= link["top"] and link["bottom"] <= end.closing[3]
        assert any(abs(link["top"] - w["top"]) < 12 for w in printed)


def test_kakuu_ends_level_and_no_page_opens_with_a_chart(kind_builds: dict) -> None:
    result = kind_builds["kakuu", "newsletter"]
    end = ending(result.pdf, mark="※")
    assert ends_well(end, pitch(result)) == "level", end
    assert pages_opening_with_a_chart(result.pdf) == []
    assert columns_ending_with_a_heading(result.pdf) == []
    assert structure_problems(Checked(result.pdf)) == []


# Generated features whose last pages ask for each way of ending: the box pinned level with the
# other column (4×2), the other column opened between its blocks (1×3, long visions), the box alone
# in the last column of a short page (2×4), the box across the foot of the columns (4×3, long
# visions), a page opening with a chart (3×5).
SIZES = [(4, 2, 1), (1, 3, 2), (2, 4, 1), (4, 3, 2), (3, 5, 1)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int, int], tuple[BuildResult, list[str]]]:
    """Each size built once, with the generated CSS of each layout its build made."""
    laid_out: list[str] = []
    real = build_module.layout
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "layout", lambda html, root, css, cmyk, **kw: laid_out.append(css)
                      or real(html, root, css, cmyk, **kw))
        for areas, per_area, repeat in SIZES:
            folder = tmp_path_factory.mktemp(f"ending-{areas}-{per_area}-{repeat}")
            project = make_project(folder / "p", areas=areas, measures_per_area=per_area, vision_repeat=repeat)
            laid_out.clear()
            results[areas, per_area, repeat] = (build(project, output=folder / "out.pdf"), list(laid_out))
    return results


@pytest.mark.parametrize("size", SIZES, ids=["x".join(map(str, size)) for size in SIZES])
def test_generated_features_end_well(generated: dict, size: tuple[int, int, int]) -> None:
    result, layouts = generated[size]
    end = ending(result.pdf)
    assert ends_well(end, pitch(result)) is not None, end
    assert pages_opening_with_a_chart(result.pdf) == []
    assert columns_ending_with_a_heading(result.pdf) == []
    assert len(layouts) <= 3  # the first layout, at most one to repair breaks and one to arrange the box
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[-1]
        tinted = _tinted(page)
        labels = [c for c in page.chars if c["size"] < 8.5 and c["text"] in "参加者数達成率"]
        # every figure's label is inside its tinted box: backgrounds moved with their boxes
        assert all(any(r["x0"] <= c["x0"] and c["x1"] <= r["x1"] and r["top"] <= c["top"] and c["bottom"] <= r["bottom"]
                       for r in tinted) for c in labels)
    assert structure_problems(Checked(result.pdf)) == []


def test_the_generated_sizes_use_every_way_of_ending(generated: dict) -> None:
    """The sizes above still exercise what they are there for (each extra layout's CSS says why
    it was made), and only the first layout of the others was needed."""
    from report.render.typeset.closing import BOX_STARTS_COLUMN_CSS, SPAN_CLOSING_CSS

    extra = [css for _, layouts in generated.values() for css in layouts[1:]]
    assert any(SPAN_CLOSING_CSS in css for css in extra)
    assert any(BOX_STARTS_COLUMN_CSS in css for css in extra)
    assert any("break-before: avoid" in css for css in extra)  # a chart kept with its measure
    assert [len(layouts) for _, layouts in generated.values()].count(1) >= 2  # pinned or opened in place
    assert any(ending(result.pdf).spans for result, _ in generated.values())


def test_a_moved_box_moves_its_background_and_what_follows(tmp_path: Path) -> None:
    """report/render/typeset/settle.py on a plain two-column page: a box with a background and the boxes
    after it move down, their parent grows, and the drawn page shows the backgrounds moved."""
    from report.render.typeset.flow import _children, page_columns
    from report.render.typeset.settle import move_down, settle

    html = ('<div style="columns: 2; column-fill: auto; height: 200px">'
            '<section><p style="background: #00f">一</p><p style="background: #f00">二</p></section>'
            '<p>三</p></div>')
    document, _ = layout(html, tmp_path)

    def drawn() -> list[float]:  # the tops of the blue and the red background, in pt
        document.write_pdf(tmp_path / "moved.pdf")
        with pdfplumber.open(tmp_path / "moved.pdf") as pdf:
            return [r["top"] for r in sorted(pdf.pages[0].rects, key=lambda r: r["non_stroking_color"])]

    column = _children(page_columns(document.pages[0])[1])[0]
    section = _children(column)[0]
    first, second = _children(section)
    third = _children(column)[1]
    before, tops = (first.position_y, second.position_y, third.position_y, section.height), drawn()
    move_down(column, first, 30)
    settle(document, 0, [column])
    assert (first.position_y, second.position_y, third.position_y, section.height) == pytest.approx(
        tuple(value + 30 for value in before))
    assert drawn() == pytest.approx([top + 30 * 0.75 for top in tops])


@pytest.mark.parametrize("measure_id", ["01-1", 'a"b', "a\\b", "施策 1"])
def test_the_chart_repair_names_any_measure(measure_id: str) -> None:
    """A measure number is the data's: the rule that keeps its chart matches it whatever it holds."""
    import cssselect2
    import tinycss2
    from xml.etree import ElementTree

    from report.render.typeset.breaks import keep_chart_css

    rule = tinycss2.parse_stylesheet(keep_chart_css(f"measure-{measure_id}"))[0]
    match = cssselect2.compile_selector_list(rule.prelude)
    root = ElementTree.fromstring('<div><article class="measure"><div class="figures"/></article>'
                                  '<article class="measure" id="measure-x"><div class="figures"/></article></div>')
    root[0].set("id", f"measure-{measure_id}")
    found = [element.etree_element for element in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree()
             if any(selector.test(element) for selector in match)]
    assert found == [root[0][0]]
