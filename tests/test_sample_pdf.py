"""The sample newsletter, checked on the PDF itself: text, figures, fonts, size, metadata."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from report.load.values.text import normalize_text

from .composition import body_chars
from .conftest import SEED

A4 = (595.28, 841.89)


def seed_items() -> list[str]:
    """Every vision and action line of the seed article, as printed there."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    items: list[str] = []
    in_measure = False
    for line in (l.strip() for l in lines):
        if line.startswith("【"):
            in_measure = False
        elif line.startswith("○"):
            in_measure = True
            items.append(line[1:])
        elif line.startswith("※"):
            in_measure = False
        elif in_measure and line and not line.startswith(("実績", "令和")):
            items.append(line.removeprefix("→"))
    return items


RUBY = {"日日nova(ひびのば)": ("日日nova", "ひびのば")}  # set as ruby: the reading prints above


def squash(text: str) -> str:
    """Compare as printed: koho's text hygiene applied, ruby readings dropped, whitespace removed."""
    text = normalize_text(text).replace("→ひおき特産品コンクール」", "「ひおき特産品コンクール」")
    for written, (base, _) in RUBY.items():
        text = text.replace(written, base)
    return "".join(text.split())


def test_seed_has_the_expected_shape() -> None:
    items = seed_items()
    assert sum(1 for line in SEED.read_text(encoding="utf-8").splitlines() if line.startswith("○")) == 16
    assert len(items) >= 40


@pytest.fixture(scope="module")
def body_text(sample_build) -> str:  # noqa: ANN001 - BuildResult
    """The 10pt body text in reading order: a paragraph that runs from one page onto the next reads
    on, without the folio, the running head and the charts' labels drawn in between."""
    return "".join(char["text"] for _, char in body_chars(sample_build.pdf, 10))


@pytest.mark.parametrize("item", seed_items())
def test_every_vision_and_action_of_the_seed_is_printed(item: str, body_text: str) -> None:
    expected = squash(item)
    if expected.startswith("ひおき特産品コンクール」"):
        expected = "「" + expected
    assert expected in body_text


@pytest.mark.parametrize("figure", [
    "72自治会", "104自治会", "176自治会", "令和4年度…72自治会", "令和5年度…104自治会",
    "100%", "89.4%", "令和5年11月1日時点", "24人", "10人", "令和5年12月22日時点",
    "16事業者", "25商品", "5商品", "3回", "3件",
])
def test_figures_of_the_seed_are_printed(figure: str, sample_text: str) -> None:
    assert figure in sample_text


def test_areas_appear_in_order_with_their_numbers(sample_text: str) -> None:
    headings = ["01コロナ対策", "02地域福祉", "03子育て支援", "04全世代の教育・学び", "05産業活性化",
                "06オール日置", "07景観・環境・防災", "08財政・行政運営"]
    positions = [sample_text.find(h) for h in headings]
    assert all(p >= 0 for p in positions), dict(zip(headings, positions))
    assert positions == sorted(positions)
    assert sample_text.count("〔ビジョン内容→取り組み〕") == 8
    assert "〜確実で迅速な新型コロナウイルス対策" in sample_text


def test_title_lead_and_closing_note(sample_text: str) -> None:
    assert "市長マニフェスト(市政ビジョン)" in sample_text
    assert "令和4年度および令和5年度取組状況" in sample_text
    assert "令和4年度から令和5年度で取り組んだ市長マニフェストについて一部を次のとおり報告します。" in sample_text
    assert "※なお、市長マニフェストは73施策あり" in sample_text
    assert "https://www.city.hioki.kagoshima.jp/kikaku/mani.html" in sample_text


def test_nothing_from_the_web_viewer(sample_text: str) -> None:
    for chrome in ("文字サイズ", "マイ広報紙", "MENU", "東京都港区", "アンケート"):
        assert chrome not in sample_text


def test_pages_are_a4_portrait(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    assert len(reader.pages) == sample_build.pages >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4[0], abs=0.5)
        assert height == pytest.approx(A4[1], abs=0.5)


def test_folios_start_at_the_configured_page_on_the_outer_edge(sample_build) -> None:
    import pdfplumber

    with pdfplumber.open(sample_build.pdf) as pdf:
        for number, page in enumerate(pdf.pages, start=2):
            margin_top = page.height - 16 / 25.4 * 72  # the bottom page margin (16mm) holds the folio
            bottom = [w for w in page.extract_words() if w["top"] > margin_top]
            assert [w["text"] for w in bottom] == [str(number)]
            folio = bottom[0]
            if number % 2 == 0:  # left page: folio at the left (outer) edge
                assert folio["x1"] < page.width * 0.2
            else:
                assert folio["x0"] > page.width * 0.8
            head = "".join(w["text"] for w in page.extract_words() if w["bottom"] < 18 / 25.4 * 72)
            assert head == "広報ひおき令和6年3月号"


def _fonts(reader: PdfReader) -> dict[str, dict]:
    fonts: dict[str, dict] = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_every_font_is_embedded_and_subset(sample_build) -> None:
    fonts = _fonts(PdfReader(sample_build.pdf))
    assert fonts
    families = set()
    for name, font in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
        families.add(name.split("+", 1)[1])
    assert {"BIZ-UDGothic", "BIZ-UDPGothic-Bold"} <= families


def test_metadata(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    assert reader.metadata.title.startswith("市長マニフェスト(市政ビジョン)")
    assert reader.metadata.author == "鹿児島県日置市"
    assert reader.trailer["/Root"]["/Lang"] == "ja"


def test_a_chart_is_drawn_as_vector_graphics_with_text(sample_build) -> None:
    html = sample_build.html.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') >= 2
    assert 'alt="草の根対話ミーティング実施自治会数:令和4年度72自治会、令和5年度104自治会、累計176自治会、目標176自治会(達成率100.0%)"' in html


def test_html_is_the_document_laid_out(sample_build) -> None:
    html = sample_build.html.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ja"' in html
    assert "@font-face" in html and "BIZUDGothic-Regular.ttf" in html
    assert "<link" not in html  # styles are inlined
