"""The web version (koho build --kind web): its files, its text, its figures and its open data.

The sample (data/) is built with its PDF; a generated project of six areas, three fiscal years,
ruby and hostile text is built without. Checks in a browser are in test_web_browser.py.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from report.commands.build import BuildResult, build
from report.kinds import KINDS
from report.render.html.markup import plain_text
from report.load.model import Measure, Project
from report.render.web.web import CSV_NAME

from .conftest import ROOT, SAMPLE
from .projects import make_project, write_csv

KPI_CITY = ROOT / "examples" / "kpi-city"  # targets with 以上/以下, baselines, directions
HOSTILE = '<script>alert("x")</script>&amp;'


def generated_project(folder: Path) -> Path:
    """Six areas of four measures over three fiscal years, with ruby and markup in the text."""
    project = make_project(folder, areas=6, measures_per_area=4, years=3)
    rows = list(csv.reader((project / "measures.csv").open(encoding="utf-8")))
    rows[1][2] = "{日日nova|ひびのば}を拠点に、" + rows[1][2]
    rows[2][3] = HOSTILE + "\n" + rows[2][3]
    write_csv(project / "measures.csv", rows)
    return project


@pytest.fixture(scope="session")
def sample_web(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(SAMPLE, output=tmp_path_factory.mktemp("web") / "site" / "index.html", kind="web")


@pytest.fixture(scope="session")
def generated_web(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    project = generated_project(tmp_path_factory.mktemp("generated") / "kakuu")
    return build(project, kind="web", pdf=False)


@pytest.fixture(scope="session")
def kpi_web(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(KPI_CITY, kind="web", pdf=False, output=tmp_path_factory.mktemp("kpi") / "web")


def shown_measures(project: Project) -> list[Measure]:
    return [m for m in project.measures if m.appears_in(KINDS["newsletter"])]


def shown_figures(project: Project) -> list[tuple[str, str, int, Decimal, str, Decimal | None]]:
    """Every figure of the measures the page shows, all years: the open data the page links."""
    return sorted((m.measure, m.label, m.fiscal_year, m.value, m.unit, m.target)
                  for measure in shown_measures(project) for m in measure.metrics)


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with `caption`, as the text of each cell."""
    table = html[html.index(f"<caption>{caption}"):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


class _Elements(HTMLParser):
    """Tags, text and attributes of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(result: BuildResult) -> _Elements:
    elements = _Elements()
    elements.feed(result.web.read_text(encoding="utf-8"))
    return elements


def test_the_folder_holds_everything_the_page_links(sample_web: BuildResult) -> None:
    folder = sample_web.web.parent
    assert sample_web.web.name == "index.html" and sample_web.kind.name == "web"
    links = [attrs.get("href") or attrs.get("src") for tag, attrs in parsed(sample_web).tags
             if tag in ("link", "a", "img", "script", "source")]
    local = [link for link in links if link and not link.startswith(("#", "https://", "http://", "tel:", "mailto:"))]
    assert {"style.css", CSV_NAME, "newsletter.pdf"} <= set(local)
    for link in local:
        assert ":" not in link and not link.startswith("/"), f"relative links only: {link}"
        assert (folder / link).is_file(), link
    css = (folder / "style.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert fonts and all((folder / name).is_file() and name.endswith(".woff2") for name in fonts)
    assert "file:" not in css and "http" not in css.replace("https://", "").lower()
    assert (folder / "fonts" / "OFL.txt").is_file(), "the fonts travel with their licence"
    assert sample_web.pdf == folder / "newsletter.pdf" and sample_web.pdf.read_bytes().startswith(b"%PDF-")


def test_the_page_is_semantic_japanese_html_without_script(sample_web: BuildResult) -> None:
    html = sample_web.web.read_text(encoding="utf-8")
    tags = [tag for tag, _ in parsed(sample_web).tags]
    assert re.search(r'<html lang="ja">', html)
    assert tags.count("h1") == 1 and "h2" in tags and "h3" in tags
    assert "script" not in tags and "file:" not in html
    photos = [m for m in shown_measures(sample_web.project) if m.photo is not None]
    assert tags.count("img") == tags.count("picture") == len(photos)  # charts are inline SVG: images are photos
    areas = len(sample_web.project.areas)
    assert tags.count("section") == areas
    assert tags.count("h3") == len(shown_measures(sample_web.project))
    assert 'name="viewport"' in html


def test_every_chart_is_an_inline_svg_named_by_its_alt_text_with_a_table(sample_web: BuildResult) -> None:
    elements = parsed(sample_web)
    svgs = [attrs for tag, attrs in elements.tags if tag == "svg"]
    assert svgs, "the sample has charts"
    for attrs in svgs:
        assert attrs["role"] == "img" and len(attrs["aria-label"] or "") > 10
    tags = [tag for tag, attrs in elements.tags if "photo" not in (attrs.get("class") or "")]  # photos are figures too
    assert tags.count("figure") == len(svgs) == tags.count("table") == tags.count("figcaption")
    ids = [attrs["id"] for _, attrs in elements.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "chart ids are unique on the page"
    assert "草の根対話ミーティング実施自治会数:令和4年度72自治会、令和5年度104自治会" in " ".join(
        a["aria-label"] for a in svgs)


def test_tables_hold_the_datas_numbers(sample_web: BuildResult) -> None:
    html = sample_web.web.read_text(encoding="utf-8")
    rows = table_rows(html, "草の根対話ミーティング実施自治会数の数値")
    assert [row[:2] for row in rows] == [["令和4年度", "72自治会"], ["令和5年度", "104自治会"]]
    assert [row[2] for row in rows] == ["72自治会", "176自治会"], "the running total of a 累計 indicator"
    assert all("176自治会" in row for row in rows), "the target"
    assert '<span class="nobr">104</span>自治会' in html, "a number is never split across lines"


def test_tables_say_baselines_targets_with_qualifiers_and_rates(kpi_web: BuildResult) -> None:
    html = kpi_web.web.read_text(encoding="utf-8")
    rows = table_rows(html, "1人1日あたりのごみ排出量の数値")
    assert rows[0][:2] == ["基準値(平成27年度)", "950g/人"], "the baseline the chart draws"
    assert [row[0] for row in rows[1:]] == ["令和4年度", "令和5年度"]
    assert [row[1:3] for row in rows[1:]] == [["875g/人", "880g/人以下"], ["862g/人", "860g/人以下"]]
    assert all(row[3].endswith("%") or row[3] in ("達成", "未達成") for row in rows[1:])
    progress = table_rows(html, "移住者数の数値")
    assert [row[:3] for row in progress[1:]] == [["令和3年度", "120人", "120人"], ["令和4年度", "150人", "270人"],
                                                 ["令和5年度", "140人", "410人"]], "every year of a running total"


def test_the_csv_read_back_equals_the_datas_figures(sample_web: BuildResult, generated_web: BuildResult) -> None:
    for result in (sample_web, generated_web):
        data = (result.web.parent / CSV_NAME).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads the Japanese"
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert list(rows[0]) == ["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "目標年度", "基準値", "基準年度",
                                 "方向", "累計", "時点", "備考"]
        read_back = sorted((r["施策番号"], r["指標名"], int(r["年度"]), Decimal(r["実績値"]), r["単位"],
                            Decimal(r["目標値"]) if r["目標値"] else None) for r in rows)
        assert read_back == shown_figures(result.project)
        assert read_back, "the projects have figures"


@pytest.mark.parametrize("source", [SAMPLE, KPI_CITY], ids=["sample", "kpi-city"])
def test_the_csv_is_a_koho_metrics_table(source: Path, tmp_path: Path) -> None:
    """The open data reads back into koho itself as the same metrics: targets with 以上/以下,
    target years, baselines, directions and 累計 included (the chart column is koho's, not data)."""
    from report.load.validate import load_project

    result = build(source, kind="web", pdf=False, output=tmp_path / "web")
    project = tmp_path / "again"
    shutil.copytree(source, project)
    metrics = next(project.rglob("metrics.csv"))
    metrics.write_bytes((result.web.parent / CSV_NAME).read_bytes())
    def shown(loaded: Project) -> dict[str, tuple]:
        return {m.id: tuple(replace(x, chart="") for x in m.metrics) for m in shown_measures(loaded)}

    again = load_project(project)
    assert shown(again) == shown(result.project)
    assert any(x.target_qualifier or x.baseline is not None for ms in shown(again).values() for x in ms) or \
        source == SAMPLE


def test_every_vision_and_action_is_in_the_text_with_ruby_and_escaped(generated_web: BuildResult) -> None:
    html = generated_web.web.read_text(encoding="utf-8")
    elements = parsed(generated_web)
    text = "".join(elements.text)
    for measure in shown_measures(generated_web.project):
        assert plain_text(measure.vision) in text
        for action in measure.actions:
            assert plain_text(action) in text
    assert "<ruby>日日nova<rp>(</rp><rt>ひびのば</rt><rp>)</rp></ruby>" in html
    assert HOSTILE in text, "cell text is printed as text"
    assert "script" not in [tag for tag, _ in elements.tags]
    assert generated_web.pdf is None and not (generated_web.web.parent / "newsletter.pdf").exists()
    assert "PDF版" not in text, "no link to a PDF that was not built"


def test_the_fonts_are_small_subsets_covering_every_character(sample_web: BuildResult) -> None:
    folder = sample_web.web.parent
    elements = parsed(sample_web)
    shown = {c for c in "".join(elements.text) if not c.isspace()}
    regular = TTFont(folder / "fonts" / "BIZUDPGothic-Regular.subset.woff2")
    bold = TTFont(folder / "fonts" / "BIZUDPGothic-Bold.subset.woff2")
    assert all(p.read_bytes()[:4] == b"wOF2" for p in (folder / "fonts").glob("*.woff2"))
    for font in (regular, bold):
        missing = {c for c in shown if ord(c) not in font.getBestCmap()}
        assert not missing, f"characters without a glyph (tofu): {sorted(missing)}"
    sizes = sum(p.stat().st_size for p in (folder / "fonts").glob("*.woff2"))
    assert sizes < 1_000_000, f"fonts total {sizes} bytes"
    assert len(regular.getBestCmap()) < 2000, "a subset, not the whole font"


def test_chart_text_asks_for_the_pages_font_with_a_generic_fallback(sample_web: BuildResult) -> None:
    html = sample_web.web.read_text(encoding="utf-8")
    families = set(re.findall(r"font-family(?:: |=\")([^;\"]+)", html))
    assert families == {"'BIZ UDPGothic', sans-serif"}
    css = (sample_web.web.parent / "style.css").read_text(encoding="utf-8")
    assert 'font-family: "BIZ UDPGothic"; src: url("fonts/BIZUDPGothic-Regular.subset.woff2")' in css


def test_a_failed_web_build_writes_nothing(tmp_path: Path) -> None:
    from report.problems import DataError

    project = generated_project(tmp_path / "broken")
    (project / "metrics.csv").write_text("施策番号,指標名,年度,実績値,単位\n01-1,x,2023,たくさん,人\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(project, kind="web", pdf=False)
    assert not (project / "build").exists()


def test_koho_build_kind_web_writes_the_folder_named_by_o(tmp_path: Path) -> None:
    from .test_cli import run

    project = generated_project(tmp_path / "cli")
    folder = tmp_path / "site"
    result = run("build", str(project), "--kind", "web", "--no-pdf", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"ウェブ版: {folder / 'index.html'}" in result.stdout and "PDF:" not in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["fonts", "index.html", "metrics.csv", "style.css"]
    refused = run("build", str(project), "--no-pdf")
    assert refused.returncode == 2 and "--no-pdf" in refused.stderr and "web(ウェブ版)" in refused.stderr
    assert not (project / "build").exists()


def test_the_pdf_link_says_what_it_downloads(sample_web: BuildResult) -> None:
    html = sample_web.web.read_text(encoding="utf-8")
    size = round(sample_web.pdf.stat().st_size / 1024)
    assert f'<a href="newsletter.pdf" type="application/pdf">PDF版({sample_web.pages}ページ、{size}KB)</a>' in html


def test_inline_svg_is_named_prefixed_and_keeps_text_as_text() -> None:
    from report.render.web.inline_svg import inline_svg

    svg = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
           ' width="10pt" height="5pt" viewBox="0 0 10 5"><metadata>x</metadata><defs><style>*{stroke:red}</style>'
           '<clipPath id="p1"><rect/></clipPath></defs><g id="figure_1" clip-path="url(#p1)"><use xlink:href="#p1"/>'
           '<text style="font-size: 8px; font-family: \'BIZ UDPGothic\'">&lt;script&gt;alert(1)&lt;/script&gt;</text>'
           '</g></svg>')
    html = str(inline_svg(svg, '名前 "引用" <b>', "c1-"))
    assert html.startswith('<svg viewBox="0 0 10 5" role="img" aria-label="名前 &quot;引用&quot; &lt;b&gt;"')
    assert "<title>名前 \"引用\" &lt;b&gt;</title>" in html
    assert 'id="c1-p1"' in html and 'clip-path="url(#c1-p1)"' in html and 'href="#c1-p1"' in html
    assert "<style" not in html and "<metadata" not in html and "width=" not in html and "xmlns" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "font-family: 'BIZ UDPGothic', sans-serif" in html
