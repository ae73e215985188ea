"""Issue 23, item 2: numbers everywhere as in running text, measured on the PDFs.

The sample, examples/kakuu-city and examples/kpi-city, each as newsletter, handout and archive:
no gappy decimal point or comma (a point or comma between digits advances at most 0.35 em), a
value printed with the precision typed, rates with the configured digits, no line break inside a
figure's pieces (a number and its unit, 「達成率 99.7%」), no wrapped line starting with a blank.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from charts import ChartSpec
from charts.draw import render
from report.assets import FONTS_DIR
from report.commands.build import build
from report.compose.figures import measure_figures_of
from report.load.validate import load_project
from report.compose.rates import rate
from report.load.project.rate_settings import RateSettings
from report.load.values.numbers import format_number, parse_number

from .conftest import EXAMPLE, KINDS, ROOT, SAMPLE, ShippedBuilds, copy_project, pdf_text
from .makeup import runs_of
from .test_errors import replace_in

KPI = ROOT / "examples" / "kpi-city"
PROJECTS = {"sample": SAMPLE, "kakuu": EXAMPLE, "kpi": KPI}
TIGHT_EM = 0.35  # the most a point or comma between two digits may advance
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def builds(shipped_documents: ShippedBuilds) -> ShippedBuilds:
    """Every kind of the three projects (shared with other tests)."""
    return shipped_documents


CASES = [(name, kind) for name in PROJECTS for kind in KINDS]


def gappy_separators(pdf: Path) -> list[str]:
    """Every point or comma between two digits of a line that advances more than TIGHT_EM, with
    its page and neighbours: 「p2 0.50em 達成率 37.9%」."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            chars = page.chars
            for before, char, after in zip(chars, chars[1:], chars[2:]):
                if char["text"] not in ".," or not (before["text"].isdigit() and after["text"].isdigit()):
                    continue
                if abs(after["top"] - char["top"]) > char["size"] / 2:  # the next char is on another line
                    continue
                advance = (after["x0"] - char["x0"]) / char["size"]
                if advance > TIGHT_EM:
                    found.append(f"p{number} {advance:.2f}em {before['text']}{char['text']}{after['text']}")
    return found


@pytest.mark.parametrize("name, kind", CASES)
def test_no_gappy_point_or_comma(builds: dict, name: str, kind: str) -> None:
    """Figure boxes, tables, year lists, charts and captions: 「3.1%」「22,038」, never 「3. 1%」."""
    pdf = builds[(name, kind)].pdf
    with pdfplumber.open(pdf) as document:  # the test sees numbers with points at all
        assert any(c["text"] in ".," for page in document.pages for c in page.chars)
    assert gappy_separators(pdf) == []


def lines_of(page) -> list[list[dict]]:  # noqa: ANN001 - a pdfplumber page
    """The page's lines as runs of chars on one baseline, a run cut where a gap wider than 1.5 em
    opens (between the newsletter's columns, or a table's cells)."""
    rows: dict[tuple[int, float], list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault((round(char["bottom"]), char["size"] > 0), []).append(char)
    return runs_of(rows.values(), lambda before, char: char["x0"] - before["x1"] > 1.5 * char["size"])


def text_of(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


def key_target_lines(pdf: Path) -> list[tuple[list[dict], list[dict]]]:
    """(the key number's line, the line under it) of every figure box whose target wraps."""
    pairs = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = lines_of(page)
            for line in lines:
                if round(line[0]["size"]) != 16:  # the key number (styles/newsletter.css .key-number)
                    continue
                below = [other for other in lines if 0 < other[0]["top"] - line[-1]["bottom"] < 6
                         and other[0]["x0"] < line[-1]["x1"] and other[-1]["x1"] > line[0]["x0"]]
                pairs += [(line, min(below, key=lambda other: other[0]["top"]))] if below else []
    return pairs


@pytest.mark.parametrize("name", PROJECTS)
def test_key_figure_pieces_stay_whole(builds: dict, name: str) -> None:
    """「140 / 人」 and 「達成率 / 99.7%」 were split; a wrapped target line started with a blank."""
    pdf = builds[(name, "newsletter")].pdf
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for line in lines_of(page):
                text = text_of(line)
                assert not text.endswith(("達成率", "目標", "…")), text
    for key, under in key_target_lines(pdf):
        head, text = text_of(key), text_of(under)
        assert not text[:1].isdigit() and not text.startswith(("%", ".", ",")), (head, text)
        if not text.startswith(("令和", "平成", "20", "19")):  # the target wrapped, not the years' list
            assert under[0]["x0"] - key[0]["x0"] < 0.1 * under[0]["size"], (head, text)


@pytest.mark.parametrize("typed, printed", [("62.0", "62.0"), ("89.40", "89.40"), ("1,234.5", "1,234.5"), ("100", "100")])
def test_value_prints_with_the_precision_typed(typed: str, printed: str) -> None:
    assert format_number(parse_number(typed)[0]) == printed


@pytest.mark.parametrize("digits, printed", [(0, "99%"), (1, "99.0%"), (2, "99.00%")])
def test_rates_print_with_the_configured_digits(digits: int, printed: str) -> None:
    shown = rate(Decimal(99), Decimal(100), "up", "", None, RateSettings(digits=digits))
    assert shown.text == printed


def test_typed_precision_reaches_the_page(tmp_path: Path) -> None:
    """A value typed 868.60 prints 868.60 (not 868.6) and its rate against 860 以下 as 99.0%, the
    configured one decimal (not 99%), in the figure box and the chart."""
    project = copy_project(tmp_path, KPI)
    replace_in(project / "data" / "metrics.csv", "令和5年度,862,", "令和5年度,868.60,")
    printed = pdf_text(build(project, output=tmp_path / "out.pdf").pdf)
    assert "868.60g/人" in printed
    assert "達成率99.0%" in printed
    assert "868.6g" not in printed.replace("868.60", "")


# --- Charts: value labels clear of each other and of the target line; years in the document's style.

FOUR_WIDE = ChartSpec("bar", ("平成27年度", "令和元年度", "令和2年度", "令和3年度"), (21754.0, 22582.0, 22038.0, 21000.0),
                      ("21,754人/年", "22,582人/年", "22,038人/年", "21,000人/年"), "#005AFF", 25000.0,
                      "目標 25,000人/年")  # the four labels that read as one string 2 pt apart
NEAR_THE_LINE = ChartSpec("bar", ("令和4年度", "令和5年度"), (68.0, 70.0), ("68.0%", "70.0%"), "#03AF7A", 70.0,
                          "目標 70%超", key_above=True, baseline=62.0, baseline_label="基準 平成29年度",
                          baseline_value_label="62.0%")  # kpi-city's: 62% and 68% sat on the line


@cache
def _font(bold: bool) -> TTFont:
    return TTFont(FONTS_DIR / ("BIZUDPGothic-Bold.ttf" if bold else "BIZUDPGothic-Regular.ttf"))


def _advance_em(text: str, bold: bool) -> float:
    font = _font(bold)
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    return sum(metrics[cmap[ord(char)]][0] for char in text) / font["head"].unitsPerEm


def svg_labels(svg: bytes) -> list[tuple[str, float, float, float, float, float]]:
    """Every text of a chart's SVG as (text, left, right, top, bottom, size) in points, from its
    x, y, anchor and size and the font's advances (ascent 0.88 em, descent 0.12 em)."""
    boxes = []
    for node in ET.fromstring(svg).iter(f"{SVG_NS}text"):
        size = float(node.get("font-size").removesuffix("px"))
        text = "".join(node.itertext())
        width = _advance_em(text, node.get("font-weight") == "700") * size
        if node.get("x") is not None:
            x, y = float(node.get("x")), float(node.get("y"))
        else:  # a line of a year on two lines: placed by a translation, from its left
            x, y = map(float, node.get("transform").removeprefix("translate(").rstrip(")").split())
        left = {"start": x, "middle": x - width / 2, "end": x - width}[node.get("text-anchor", "start")]
        boxes.append((text, left, left + width, y - 0.88 * size, y + 0.12 * size, size))
    return boxes


def target_line_y(svg: bytes) -> float | None:
    """The dashed target line's height in the SVG (the long dashed path; the key's is short)."""
    for node in ET.fromstring(svg).iter(f"{SVG_NS}path"):
        if node.get("stroke-dasharray"):
            (x0, y0), (x1, _) = [tuple(map(float, point.split())) for point in node.get("d")[1:].split("L")]
            if x1 - x0 > 100:
                return y0
    return None


def label_clashes(spec: ChartSpec) -> list[str]:
    """Value labels nearer than a quarter em to another label or to the target line."""
    svg = render(spec, FONTS_DIR)
    values = set(spec.value_labels) | {spec.baseline_value_label}
    labels = [box for box in svg_labels(svg) if box[0] in values]
    line = target_line_y(svg)
    clashes = []
    for index, (text, left, right, top, bottom, size) in enumerate(labels):
        quarter = size / 4
        if line is not None and top - quarter < line < bottom + quarter:
            clashes.append(f"{text} on the target line")
        for other, o_left, o_right, o_top, o_bottom, _ in labels[index + 1:]:
            if top < o_bottom and o_top < bottom and left - quarter < o_right and o_left < right + quarter:
                clashes.append(f"{text} / {other}: {min(abs(o_left - right), abs(left - o_right)):.1f}pt apart")
    return clashes


def project_specs() -> list[ChartSpec]:
    specs = []
    for project in PROJECTS.values():
        for figures in measure_figures_of(load_project(project)).values():
            specs += [figure.spec for figure in figures if figure.spec is not None and figure.spec.kind == "bar"]
    return specs


@pytest.mark.parametrize("spec", [FOUR_WIDE, NEAR_THE_LINE, *project_specs()], ids=lambda s: "/".join(s.value_labels))
def test_value_labels_clear_of_the_line_and_of_each_other(spec: ChartSpec) -> None:
    assert label_clashes(spec) == []


def test_labels_that_cannot_be_clear_are_dropped_but_the_latest() -> None:
    """Ten wide labels cannot stand side by side at 7pt: only the latest is printed (the figure's
    list of years and the tables carry every value)."""
    values = tuple(float(20000 + 700 * i) for i in range(10))
    spec = replace(FOUR_WIDE, labels=tuple(f"令和{i}年度" for i in range(1, 11)), values=values,
                   value_labels=tuple(f"{v:,.0f}人/年" for v in values))
    printed = [box[0] for box in svg_labels(render(spec, FONTS_DIR)) if box[0] in spec.value_labels]
    assert printed == [spec.value_labels[-1]]
    assert label_clashes(spec) == []


@pytest.mark.parametrize("name", PROJECTS)
def test_charts_name_years_as_the_text_does(builds: dict, name: str) -> None:
    """One era style per document: no 「H27」「R3」 in a chart beside 平成27年度 and 令和3年度 in the text."""
    import re

    config_style = load_project(PROJECTS[name]).config.era_style
    for kind in KINDS:
        text = pdf_text(builds[(name, kind)].pdf)
        if config_style == "wareki":
            assert not re.search(r"(?<![A-Za-z])[HR]\d{1,2}(?![\d])", text), (kind, re.findall(r"[HR]\d{1,2}", text)[:5])
