"""The newsletter feature made up as a whole (issue 23 item 1), measured on the PDFs of the sample, both
examples and a generated 40-measure project with long texts: the last page ends at the foot of the
type area (or the build says how many lines to cut or add), and both columns of every page keep one
baseline grid (continuing pages' column ends and pages opening with a figure: test_makeup_pages.py). Then the value labels of share, compare and progress charts: on their bars, a quarter em clear
of each other and of the target line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from charts import ChartSpec
from charts.draw import render
from report.assets import FONTS_DIR
from report.commands.build import BuildResult, build
from report.compose.figures import measure_figures_of
from report.load.validate import load_project
from tests.conftest import SAMPLE
from tests.ending import ending
from tests.makeup import empty_above_box, off_the_grid, read_pages
from tests.test_makeup_numbers import SVG_NS, label_clashes, svg_labels
from tests.test_makeup_pages import PROJECTS, _pitch, newsletters  # noqa: F401 - the fixture: the newsletters, built once


def _ends_a_spread(result: BuildResult) -> bool:
    """The last page is a right-hand page, or the feature's only page."""
    first = result.project.config.first_page
    return result.pages == 1 or (first + result.pages - 1) % 2 == 1


NAMES = [*PROJECTS, "long40"]


@pytest.mark.parametrize("name", NAMES)
def test_both_columns_of_every_page_keep_one_baseline_grid(newsletters: dict[str, BuildResult], name: str) -> None:
    """Every body line of both columns on one grid of lines a pitch apart, within 0.5 pt (the sample
    had 78 lines off it, the 40-measure project 247: headings, figure boxes and the 2 mm under a
    measure are no whole lines)."""
    result = newsletters[name]
    pages = read_pages(result.pdf)
    off = {page.number: off_the_grid(page, _pitch(result)) for page in pages}
    assert {number: lines for number, lines in off.items() if lines} == {}
    assert sum(len(column) for page in pages for column in page.baselines) >= 10  # body lines were read


@pytest.mark.parametrize("name", NAMES)
def test_a_last_page_ending_its_spread_ends_at_the_foot(newsletters: dict[str, BuildResult], name: str) -> None:
    """A last page that ends its spread (a right-hand page, or the only page) ends at the foot of the
    type area: its closing box pinned there, the other column within two lines of it. Else (a
    feature a page too long) the build says how many lines to cut."""
    result = newsletters[name]
    if not _ends_a_spread(result):
        assert any("削ると右ページ" in advice.message for advice in result.advice)
        return
    end = ending(result.pdf)
    assert end.foot - end.closing[3] < 1
    assert all(end.foot - bottom <= 2 * _pitch(result) for bottom in end.bottoms), end


@pytest.mark.parametrize("name", NAMES)
def test_the_room_left_on_a_last_page_is_said_in_lines(newsletters: dict[str, BuildResult], name: str) -> None:
    """When more than four lines stay empty on a last page at the foot (above the closing box, under
    the other column), the お知らせ says how many lines would fill them, as many as the PDF shows."""
    result = newsletters[name]
    if not _ends_a_spread(result):
        return
    last = read_pages(result.pdf)[-1]
    room = (last.short()[0] + empty_above_box(result.pdf)) / _pitch(result)
    said = [int(found.group(1)) for advice in result.advice if (found := re.search(r"約(\d+)行足す", advice.message))]
    if room > 5:
        assert said and abs(said[0] - room) <= 1.5, (result.advice, room)
    else:
        assert said == [], (result.advice, room)


# Value labels of row and progress charts: on their bars, clear of each other.

def _bars(svg: bytes, spec: ChartSpec) -> list[tuple[float, float, float, float]]:
    """The filled bars and segments of a chart (left, right, top, bottom), not the white tracks."""
    found = []
    for node in ET.fromstring(svg).iter(f"{SVG_NS}path"):
        fill = (node.get("fill") or "").lower()
        points = re.findall(r"(-?[\d.]+) (-?[\d.]+)", node.get("d") or "")
        if (fill == spec.color.lower() or fill.startswith("url(")) and len(points) == 4 and "M -36" not in node.get("d"):
            xs, ys = [float(x) for x, _ in points], [float(y) for _, y in points]
            found.append((min(xs), max(xs), min(ys), max(ys)))
    return found


def _value_labels(svg: bytes, spec: ChartSpec) -> list[tuple[str, float, float, float, float, float]]:
    """The texts of a chart that print a value (a progress segment's reads 「令和4年度 72自治会」)."""
    return [box for box in svg_labels(svg) if any(value in box[0] for value in spec.value_labels)]


def label_clashes_within(spec: ChartSpec) -> list[str]:
    """Value labels nearer than a quarter em to each other."""
    labels = _value_labels(render(spec, FONTS_DIR), spec)
    clashes = []
    for index, (text, left, right, top, bottom, size) in enumerate(labels):
        quarter = size / 4
        for other, o_left, o_right, o_top, o_bottom, _ in labels[index + 1:]:
            if top - quarter < o_bottom and o_top < bottom + quarter and left - quarter < o_right and o_left < right + quarter:
                clashes.append(f"{text} / {other}")
    return clashes


def label_off_its_bar(spec: ChartSpec) -> list[str]:
    """Value labels further than an em from the bar (or segment) they name, or beside no bar."""
    svg = render(spec, FONTS_DIR)
    bars = _bars(svg, spec)
    labels = _value_labels(svg, spec)
    assert labels
    wrong = []
    for text, left, right, top, bottom, size in labels:
        middle = (left + right) / 2

        def near(bar: tuple[float, float, float, float]) -> bool:
            vertical = min(abs(bar[2] - bottom), abs(top - bar[3]), 0 if bar[2] <= (top + bottom) / 2 <= bar[3] else 99)
            if spec.kind == "progress":
                return vertical <= size and bar[0] - 1 <= middle <= bar[1] + 1
            return vertical <= size and left >= bar[0] - 1
        if not any(near(bar) for bar in bars):
            wrong.append(text)
    return wrong


def project_row_specs() -> list[ChartSpec]:
    specs = []
    for project in [*PROJECTS.values()]:
        for figures in measure_figures_of(load_project(project)).values():
            specs += [f.spec for f in figures if f.spec is not None and f.spec.kind in ("share", "compare", "progress")]
    return specs


EDGE_SPECS = [
    ChartSpec("share", ("窓口の電子化率", "申請の電子化率", "決済の電子化率", "公開率"), (100.0, 0.5, 49.9, 99.9),
              ("100.0%", "0.5%", "49.9%", "99.9%"), "#005AFF"),
    ChartSpec("compare", ("出品数", "金賞数", "銀賞数"), (12000.0, 1.0, 350.0), ("12,000件", "1件", "350件"), "#F6AA00"),
    ChartSpec("progress", ("令和3年度", "令和4年度", "令和5年度", "令和6年度"), (12.0, 9.0, 140.0, 11.0),
              ("12人", "9人", "140人", "11人"), "#03AF7A", 500.0, "目標 500人"),
]


@pytest.mark.parametrize("spec", [*EDGE_SPECS, *project_row_specs()],
                         ids=lambda s: s.kind + ":" + "/".join(s.value_labels))
def test_row_and_progress_labels_sit_on_their_bars_clear_of_each_other(spec: ChartSpec) -> None:
    assert label_clashes(spec) == []  # exact value labels: clear of the target line and each other
    assert label_clashes_within(spec) == []
    assert label_off_its_bar(spec) == []


# The web version's table cells: points and commas tight, decimal points aligned down a column.

PAD_RE = re.compile(r'<span class="decimal-pad" aria-hidden="true">((?:<span class="latin">\.</span>)?0*)</span>')


def _visible(html: str) -> str:
    """A cell's text as shown: without its hidden pad and tags."""
    return re.sub(r"<[^>]+>", "", PAD_RE.sub("", html))


@pytest.mark.parametrize(("cell", "column", "pad"), [
    ("100%", ["100%", "89.4%"], ".0"), ("1,200人", ["1,200人", "3.25人"], ".00"), ("62.0", ["62.0", "7"], ""),
    ("7", ["62.0", "7"], ".0"), ("89.4%", ["100%", "89.4%"], ""), ("―", ["―", "1.5"], "")])
def test_a_column_number_is_padded_to_its_columns_decimals(cell: str, column: list[str], pad: str) -> None:
    from report.render.html.decimals import column_number

    html = str(column_number(cell, column))
    hidden = PAD_RE.findall(html)
    assert re.sub(r"<[^>]+>", "", "".join(hidden)) == pad, html
    assert _visible(html) == cell  # printed as typed
    assert not re.search(r"\d[.,]\d", _visible(re.sub(r'<span class="latin">[.,]</span>', "", html)))


def test_the_web_tables_align_their_decimals_and_set_points_tight(tmp_path) -> None:  # noqa: ANN001
    """The sample's web page: 「100%」 above 「89.4%」 carries a hidden 「.0」, every point or comma
    between digits in a number cell is in the proportional face, and the stylesheet hides the pad."""
    result = build(SAMPLE, kind="web", output=tmp_path / "web" / "index.html")
    page = result.web.read_text(encoding="utf-8")
    cells = re.findall(r'<td class="num">(.*?)</td>', page)
    assert any(_visible(cell) == "100%" and "decimal-pad" in cell for cell in cells)
    assert all(not re.search(r"\d[.,]\d", re.sub(r"<[^>]+>", "", re.sub(r'<span class="latin">[.,]</span>', "", cell)))
               for cell in cells)
    css = (tmp_path / "web" / "koho.css").read_text(encoding="utf-8") if (tmp_path / "web" / "koho.css").exists() else \
        next((tmp_path / "web").glob("*.css")).read_text(encoding="utf-8")
    assert re.search(r"\.decimal-pad\s*\{\s*visibility:\s*hidden", css)


# The handout's 分野 cell: its number never alone on the cell's first line.

@pytest.mark.parametrize(("title", "first"), [("景観・環境・防災", "07\u00a0景観・"), ("子ども・子育て", "07\u00a0子ども・"),
                                              ("地域福祉", "07\u00a0地域福祉")])
def test_an_area_number_is_kept_with_its_titles_first_phrase(title: str, first: str) -> None:
    from report.render.html.phrases import led_by, phrased_html

    html = str(led_by(phrased_html(title), "07"))
    assert re.sub(r"<[^>]+>", "", html) == f"07\u00a0{title}"  # the text as before, the space kept
    assert re.match(r'<span class="phrase">([^<]*)</span>', html).group(1) == first


def test_no_handout_area_number_stands_alone_on_its_line(tmp_path) -> None:  # noqa: ANN001
    """The sample's 07 景観・環境・防災 printed 「07」 alone above its title in the 分野 column."""
    import subprocess

    result = build(SAMPLE, kind="handout", output=tmp_path / "handout.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.findall(r"^\s*\d+-\d+\s+0\d \S", text, re.MULTILINE)  # rows read: a number, a space, its title
    assert re.findall(r"^\s*(\d+-\d+\s+0\d)(?: {2,}|\s*$)", text, re.MULTILINE) == []  # none alone
