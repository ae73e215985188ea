"""The newsletter as a printer and a PR office see it: spreads, folios, marks, proof, ruby, QR."""

from __future__ import annotations

import re

from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from report.commands.build import build

from .composition import glyph_span
from .conftest import EXAMPLE, SAMPLE, copy_project, pdf_text
from .icc import cmyk_profile
from .projects import make_project

A4 = (595.276, 841.89)
OUTER, INNER = 32.78, 42.5  # page margins in pt (styles/page-newsletter.css)
MM = 72 / 25.4


def body_words(page) -> list[dict]:  # noqa: ANN001 - pdfplumber page
    """Words inside the text area: not the running head nor the folio."""
    return [w for w in page.extract_words() if 18 * MM < w["top"] < page.height - 16 * MM]


def test_sample_fills_one_spread_left_then_right(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    assert len(reader.pages) == 2  # pages 2 and 3 of the issue: one spread
    assert reader.trailer["/Root"]["/PageLayout"] == "/TwoPageLeft"
    with pdfplumber.open(sample_build.pdf) as pdf:
        left, right = pdf.pages
        assert "市長マニフェスト(市政ビジョン)" in left.extract_text()
        assert "※なお、市長マニフェストは73施策あり" in "".join(right.extract_text().split())
        # the closing box ends the right page: nothing of the body comes after it
        closing_top = min(w["top"] for w in right.extract_words() if w["text"].startswith("※なお"))
        closing_x = min(w["x0"] for w in right.extract_words() if w["text"].startswith("※なお"))
        same_column = [w for w in body_words(right) if abs(w["x0"] - closing_x) < 60]
        assert all(w["top"] <= closing_top or w["top"] > closing_top for w in same_column)
        assert max(w["top"] for w in same_column) >= closing_top


def test_left_and_right_pages_mirror_their_margins(sample_build) -> None:
    with pdfplumber.open(sample_build.pdf) as pdf:
        for number, page in enumerate(pdf.pages, start=2):
            # glyphs, not advances: a bracket or 、。 at a line's edge has its blank past the column
            glyphs = [glyph_span(c) for c in page.chars if c["text"].strip() and 18 * MM < c["top"] < page.height - 16 * MM]
            left_edge = min(left for left, _ in glyphs)
            right_edge = max(right for _, right in glyphs)
            outer, inner = (left_edge, page.width - right_edge) if number % 2 == 0 else (
                page.width - right_edge, left_edge)
            assert outer == pytest.approx(OUTER, abs=2.5), (number, left_edge, right_edge)
            assert inner >= INNER - 0.5


def test_no_text_under_7pt_but_ruby(sample_build) -> None:
    """Ruby is half its base (JLREQ 3.3: 5pt over the 10pt body); every other text is 7pt or more."""
    with pdfplumber.open(sample_build.pdf) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    chars = [c for c in chars if c["text"].strip()]  # 和欧間 spaces are drawn without size
    assert "".join(c["text"] for c in chars if round(c["size"], 2) < 7) == "ひびのば"
    sizes = {round(c["size"], 2) for c in chars if c["text"] not in "ひびのば"}
    assert min(sizes) >= 7.0
    assert 10.0 in sizes  # the body


def test_copy_fitting_can_be_turned_off(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write("\nfit_spread = false\n")
    loose = build(project, output=tmp_path / "loose.pdf")
    assert loose.pages == 3  # at the stylesheet's own line spacing the feature runs onto page 4


def test_folios_follow_the_first_page_and_odd_starts_on_the_right(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", areas=3, measures_per_area=4, first_page=7)
    result = build(project, output=tmp_path / "odd.pdf")
    reader = PdfReader(result.pdf)
    assert reader.trailer["/Root"]["/PageLayout"] == "/TwoPageRight"
    with pdfplumber.open(result.pdf) as pdf:
        for number, page in enumerate(pdf.pages, start=7):
            folio = [w for w in page.extract_words() if w["top"] > page.height - 16 * MM]
            assert [w["text"] for w in folio] == [str(number)]
            right_page = number % 2 == 1
            assert (folio[0]["x0"] > page.width / 2) == right_page


def _overlaps(chars: list[dict]) -> list[tuple[str, str]]:
    """Pairs of glyphs whose boxes overlap by more than a sliver (a grid keeps this linear)."""
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    found = []
    for char in chars:
        if not char["text"].strip():
            continue
        cells = {(int(x // 20), int(y // 20)) for x in (char["x0"], char["x1"]) for y in (char["top"], char["bottom"])}
        for cell in cells:
            for other in grid[cell]:
                dx = min(char["x1"], other["x1"]) - max(char["x0"], other["x0"])
                dy = min(char["bottom"], other["bottom"]) - max(char["top"], other["top"])
                if dx > 1.0 and dy > 1.5 and other is not char:
                    found.append((char["text"], other["text"]))
            grid[cell].append(char)
    return found


@pytest.mark.parametrize("areas, per_area, first_page", [(6, 3, 2), (4, 10, 2), (8, 5, 3)],
                         ids=["6-areas", "40-measures", "40-measures-odd-start"])
def test_many_areas_and_measures_flow_without_clipping_or_overlap(tmp_path: Path, areas: int, per_area: int,
                                                                   first_page: int) -> None:
    project = make_project(tmp_path / "p", areas=areas, measures_per_area=per_area, first_page=first_page,
                           years=3, vision_repeat=2)
    result = build(project, output=tmp_path / "out.pdf")
    text = pdf_text(result.pdf)
    for a in range(1, areas + 1):
        assert f"{a:02d}分野その{a}" in text
        for m in range(1, per_area + 1):
            assert f"施策{a:02d}-{m}の目標です。" in text
    with pdfplumber.open(result.pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert 0 <= char["x0"] and char["x1"] <= page.width, char["text"]
                assert 0 <= char["top"] and char["bottom"] <= page.height, char["text"]
            assert _overlaps(page.chars) == []
            # no area heading is left alone at the bottom of a column
            words = body_words(page)
            for word in words:
                if word["text"] == "〔ビジョン内容→取り組み〕":
                    below = [w for w in words if w["top"] > word["bottom"] and abs(w["x0"] - word["x0"]) < 30]
                    assert below, "an area heading ends a column"


def test_print_version_has_bleed_crop_marks_and_boxes(tmp_path: Path, sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    for page in reader.pages:  # the reader's version: the page is the trim
        assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, *A4], abs=0.01)
        assert [float(v) for v in page.trimbox] == [float(v) for v in page.mediabox]
    printed = build(SAMPLE, output=tmp_path / "print.pdf", print_ready=True)
    for page in PdfReader(printed.pdf).pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
        assert [b - t for b, t in zip(bleed, trim)] == pytest.approx([-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.01)
        assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the crop marks outside the bleed
    # crop marks are drawn outside the trim: the page content has strokes beyond the TrimBox
    with pdfplumber.open(printed.pdf) as pdf:
        page = pdf.pages[0]
        trim_left = float(PdfReader(printed.pdf).pages[0].trimbox[0]) - float(PdfReader(printed.pdf).pages[0].mediabox[0])
        marks = [line for line in page.lines if min(line["x0"], line["x1"]) < trim_left - 1]
        assert len(marks) >= 2
    assert pdf_text(printed.pdf) == pdf_text(sample_build.pdf)


def test_printer_profile_makes_a_pdf_x4(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "JapanColorTest.icc").write_bytes(cmyk_profile())
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[print]\nenabled = true\nicc_profile = "JapanColorTest.icc"\n')
    result = build(project, output=tmp_path / "x4.pdf")
    reader = PdfReader(result.pdf)
    assert reader.pdf_header == "%PDF-1.6"
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object().get_data().startswith(cmyk_profile()[:4])
    assert b"PDF/X-4" in reader.xmp_metadata.stream.get_data()
    assert reader.pages[0].trimbox != reader.pages[0].mediabox


def test_missing_printer_profile_is_a_clean_error(tmp_path: Path) -> None:
    from report.problems import DataError

    project = copy_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[print]\nicc_profile = "nothere.icc"\n')
    with pytest.raises(DataError, match="ICCプロファイル"):
        build(project, output=tmp_path / "x.pdf", print_ready=True)


def test_spread_proof_puts_each_spread_on_an_a3_sheet(tmp_path: Path) -> None:
    result = build(SAMPLE, output=tmp_path / "n.pdf", spread=True)
    proof = PdfReader(result.spread)
    assert len(proof.pages) == 1
    sheet = proof.pages[0].mediabox
    assert (float(sheet.width), float(sheet.height)) == pytest.approx((2 * A4[0], A4[1]), abs=0.5)  # A3 landscape
    with pdfplumber.open(result.spread) as pdf:
        words = pdf.pages[0].extract_words()
        title = next(w for w in words if w["text"].startswith("市長マニフェスト"))
        closing = next(w for w in words if w["text"].startswith("※なお"))
        assert title["x0"] < A4[0] < closing["x0"]  # page 2 on the left half, page 3 on the right


def test_spread_proof_of_an_odd_start_leaves_the_first_left_side_empty(tmp_path: Path) -> None:
    from report.render.pdf.spread import spreads

    assert spreads(2, 2) == [(0, 1)]
    assert spreads(3, 2) == [(None, 0), (1, None)]
    assert spreads(2, 5) == [(0, 1), (2, 3), (4, None)]


def test_ruby_markup_never_opens_markup(tmp_path: Path) -> None:
    from report.render.html.markup import ruby_html

    assert str(ruby_html("{<b>x</b>|よみ}")) == (
        '<span class="ruby"><span class="rt">よみ</span><span class="rb">&lt;b&gt;x&lt;/b&gt;</span></span>')
    html = str(ruby_html("{{ config }} {% x|y %}"))  # template syntax stays text (in composition spans)
    assert re.sub(r"<[^>]+>", "", html) == "{{ config }} {% x|y %}"
    assert set(re.findall(r"<(\w+)", html)) == {"span"}


def test_text_hygiene_reaches_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("確実で迅速な新型コロナウイルス対策", "ｺﾛﾅ~対策"),
                    encoding="utf-8")
    text = pdf_text(build(project, output=tmp_path / "t.pdf").pdf)
    assert "〜コロナ〜対策" in text


def test_qr_code_decodes_to_the_url(sample_build) -> None:
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(str(sample_build.pdf))
    image = document[len(document) - 1].render(scale=200 / 72).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["https://www.city.hioki.kagoshima.jp/kikaku/mani.html"]


def test_contact_box_appears_when_configured(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[contact]\ndepartment = "企画課"\nphone = "099-248-9401"\n')
    text = pdf_text(build(project, output=tmp_path / "c.pdf").pdf)
    assert "お問い合わせ" in text and "企画課電話099-248-9401" in text


def test_metadata_title_author_language_and_date(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    info = reader.metadata
    assert info.title == "市長マニフェスト(市政ビジョン) 令和4年度および令和5年度取組状況"
    assert info.author == "鹿児島県日置市"
    assert info.creation_date is not None
    assert reader.trailer["/Root"]["/Lang"] == "ja"


def test_creation_date_follows_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710000000")
    result = build(SAMPLE, output=tmp_path / "d.pdf")
    assert PdfReader(result.pdf).metadata.creation_date.year == 2024


# ・ is left out: the data uses it as a bullet at the start of an action line.
NOT_AT_LINE_START = set("」』）〕】、。，．：；！？々ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ〜")
NOT_AT_LINE_END = set("「『（〔【")


def _lines(page) -> list[str]:  # noqa: ANN001 - pdfplumber page
    rows: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for char in page.chars:
        if round(char["size"]) == 10:  # body text
            rows[(round(char["top"]), 0 if char["x0"] < page.width / 2 else 1)].append(char)
    return ["".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])) for chars in rows.values()]


def test_line_breaking_follows_jlreq(sample_build, tmp_path: Path) -> None:
    long_project = make_project(tmp_path / "p", areas=3, measures_per_area=6, vision_repeat=3)
    for pdf_path in (sample_build.pdf, build(long_project, output=tmp_path / "l.pdf").pdf):
        with pdfplumber.open(pdf_path) as pdf:
            lines = [line for page in pdf.pages for line in _lines(page) if line.strip()]
        assert len(lines) > 50
        assert not [line for line in lines if line[0] in NOT_AT_LINE_START]
        assert not [line for line in lines if line[-1] in NOT_AT_LINE_END]


def test_closing_box_never_stands_alone_on_the_last_page(kind_builds) -> None:
    """kakuu-city's closing box does not fit under its last measure: the last measure goes over
    with it (report/render/typeset/closing.py), so the last page carries body text besides the box."""
    build_result = kind_builds["kakuu", "newsletter"]
    with pdfplumber.open(build_result.pdf) as pdf:
        assert len(pdf.pages) == 3  # the same page count as without the carry: it costs no page
        last = "".join(w["text"] for w in body_words(pdf.pages[-1]))
    assert "架空市企画課" in last  # the closing box's text is on the last page
    assert "○行政運営の分野で、施設の改修を充実させます。" in last  # and the last measure with it
    assert "455" in last


def test_closing_alone_tells_a_lone_closing_box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check the carry relies on: true for the layout without it, false for the one with it (the
    layout before its short column's charts are drawn taller, report/render/typeset/candidates.py: with
    them, page 5's right column is full and the closing box has company without the carry)."""
    from report.render.typeset import candidates
    from report.render.typeset.closing import CARRY_LAST_MEASURE_CSS, closing_alone
    from report.render.pdf.pdf import layout

    monkeypatch.setattr(candidates, "column_heights", lambda short, heights: {})
    html = build(EXAMPLE, output=tmp_path / "k.pdf", html_output=tmp_path / "k.html").html
    text = Path(html).read_text(encoding="utf-8")
    without = text.replace(CARRY_LAST_MEASURE_CSS, "")
    assert without != text  # the standalone HTML records the carry it was laid out with
    alone, _ = layout(without, EXAMPLE)
    carried, _ = layout(text, EXAMPLE)
    assert closing_alone(alone) and not closing_alone(carried)
    assert len(alone.pages) == len(carried.pages) == 3
