"""The handout and the archive: one data set, three documents, all tagged; the archive kept for decades."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from report.commands.build import build
from report.load.validate import load_project

from .conftest import EXAMPLE, SAMPLE, pdf_text
from .makeup import text_lines

EPOCH = "1767225600"  # 2026-01-01


@pytest.fixture(scope="module")
def example_builds(kind_builds: dict) -> dict:
    return {kind: kind_builds["kakuu", kind] for kind in ("handout", "archive")}


def test_the_example_is_large_invented_and_multi_year() -> None:
    project = load_project(EXAMPLE)
    assert len(project.areas) >= 6 and len(project.measures) >= 60 and len(project.fiscal_years) >= 4
    assert "架空" in (EXAMPLE / "koho.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["newsletter", "handout", "archive"])
def test_the_sample_builds_every_kind_as_a_tagged_pdf(kind_builds: dict, kind: str) -> None:
    result = kind_builds["sample", kind]
    reader = PdfReader(result.pdf)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "ja"
    assert reader.metadata.title.startswith("市長マニフェスト")
    text = pdf_text(result.pdf)
    assert "草の根対話" in text
    if kind != "newsletter":  # every measure, featured or not
        for measure in load_project(SAMPLE).measures:
            assert "".join(measure.vision.split())[:20] in text.replace("ひびのば", "")


def _struct_elements(reader: PdfReader, kind: str) -> list:
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == kind:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_figures_carry_their_alt_text_and_tables_their_header_cells(example_builds) -> None:
    reader = PdfReader(example_builds["archive"].pdf)
    figures = _struct_elements(reader, "/Figure")
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert alts and all(alts), "every chart is described"
    assert any("令和4年度" in alt and "令和7年度" in alt for alt in alts)
    assert _struct_elements(reader, "/TH") and _struct_elements(reader, "/Table")
    assert _struct_elements(reader, "/H2") and _struct_elements(reader, "/H3")


def test_handout_lists_every_measure_once_with_the_header_on_every_page(example_builds) -> None:
    result = example_builds["handout"]
    project = result.project
    with pdfplumber.open(result.pdf) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        sizes = {round(c["size"], 1) for page in pdf.pages for c in page.chars}
        landscape = all(page.width > page.height for page in pdf.pages)
    assert landscape
    assert min(sizes) >= 12.0, sorted(sizes)[:5]
    for number, text in enumerate(pages, start=1):
        assert "施策番号" in text and "ビジョン内容" in text and "担当課" in text, f"page {number} has no header row"
        assert f"{number} / {len(pages)}" in text
    ids = re.findall(r"^(\d+-\d+) ", "\n".join(pages), re.MULTILINE)
    assert sorted(ids) == sorted(m.id for m in project.measures)  # one table row per measure
    assert "令和7年第4回" not in pages[0]  # no meeting configured


def test_handout_status_reads_without_colour_and_the_summary_counts(example_builds) -> None:
    result = example_builds["handout"]
    text = pdf_text(result.pdf)
    for mark in ("◎達成", "○実施中", "△着手", "×未着手"):
        assert mark in text
    assert "分野別の進捗状況" in text
    total = len(result.project.measures)
    assert re.search(rf"計\d+\d+\d+\d+{total}", text.split("施策番号")[0])


def test_handout_header_block_from_options(tmp_path: Path) -> None:
    result = build(SAMPLE, output=tmp_path / "h.pdf", kind="handout", meeting="令和6年第1回定例会", date="令和6年3月1日")
    text = pdf_text(result.pdf)
    assert "令和6年第1回定例会" in text and "令和6年3月1日" in text


def test_handout_status_scale_from_koho_toml(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[status]\n"達成" = "A"\n"実施中" = "B"\n"着手" = "C"\n"未着手" = "D"\n')
    text = pdf_text(build(project, output=tmp_path / "h.pdf", kind="handout").pdf)
    assert "A達成" in text and "B実施中" in text and "◎" not in text


def test_archive_has_outline_toc_pages_attachments_and_pdfa(example_builds) -> None:
    result = example_builds["archive"]
    reader = PdfReader(result.pdf)
    outline = reader.outline
    titles = [item["/Title"] for item in outline if not isinstance(item, list)]
    assert [t[:2] for t in titles[:6]] == ["01", "02", "03", "04", "05", "06"]
    children = [item for item in outline if isinstance(item, list)]
    assert sum(len(c) for c in children) == len(result.project.measures)
    # the table of contents names the page each area really starts on
    with pdfplumber.open(result.pdf) as pdf:
        rows: dict[int, list[dict]] = {}
        for word in pdf.pages[1].extract_words():
            rows.setdefault(round(word["top"]), []).append(word)
        toc = ["".join(w["text"] for w in sorted(words, key=lambda w: w["x0"])) for words in rows.values()]
    for area in result.project.areas:
        match = next((m for line in toc if (m := re.fullmatch(rf"{area.number:02d}{re.escape(area.title)}(\d+)", line))),
                     None)
        assert match, area.title
        page = int(match.group(1))
        heading = "".join(reader.pages[page - 1].extract_text().split())
        assert f"{area.number:02d}{area.title}" in heading
    # the source data travels inside the archive, byte for byte
    attachments = reader.attachments
    for path in result.project.files.inputs:
        assert attachments[path.name] == [path.read_bytes()]
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)A', xmp)
    info = reader.metadata
    assert info.title and info.author == "架空市" and info.subject and "子ども・子育て" in info["/Keywords"]


def test_archive_fonts_are_all_embedded(example_builds) -> None:
    from .test_sample_pdf import _fonts

    fonts = _fonts(PdfReader(example_builds["archive"].pdf))
    assert any("Mincho" in name for name in fonts)
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert any(k in descendant["/FontDescriptor"] for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_archive_is_byte_identical_when_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = build(SAMPLE, output=tmp_path / "a.pdf", kind="archive")
    second = build(SAMPLE, output=tmp_path / "b.pdf", kind="archive")
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert first.sha256 == hashlib.sha256(first.pdf.read_bytes()).hexdigest()
    assert PdfReader(first.pdf).metadata.creation_date.year == 2026


def test_build_prints_the_sha256_of_what_it_wrote(tmp_path: Path) -> None:
    koho = str(Path(sys.executable).parent / "koho")
    out = tmp_path / "n.pdf"
    result = subprocess.run([koho, "build", str(SAMPLE), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() in result.stdout


def test_newsletter_shows_its_period_and_the_others_every_year(tmp_path: Path, example_builds, kind_builds) -> None:
    newsletter = pdf_text(kind_builds["kakuu", "newsletter"].pdf)
    assert "令和6年度および令和7年度取組状況" in newsletter
    assert "令和4年度…" not in newsletter and "令和6年度…" in newsletter
    archive = pdf_text(example_builds["archive"].pdf)
    assert "令和4〜7年度取組状況" in archive and "令和4年度" in archive
    import shutil

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    toml = project / "koho.toml"
    toml.write_text('years = ["R4", "R5"]\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    chosen = pdf_text(build(project, output=tmp_path / "c.pdf").pdf)
    assert "令和4年度および令和5年度取組状況" in chosen and "令和7年度…" not in chosen


def _body_lines(page) -> list[tuple[float, float, str]]:  # noqa: ANN001 - pdfplumber page
    """The page's text lines between the running head and the folio: (top, size, text), top to bottom."""
    return text_lines(page, top=22 * 72 / 25.4, foot=18 * 72 / 25.4)


def test_archive_pages_end_and_start_well(example_builds) -> None:
    """A caption, its table and its chart stay together: no page ends with a caption or a heading,
    none starts with a chart."""
    project = example_builds["archive"].project
    labels = {metric.label for measure in project.measures for series in measure.metric_series.values()
              for metric in series}
    with pdfplumber.open(example_builds["archive"].pdf) as pdf:
        pages = [_body_lines(page) for page in pdf.pages[2:]]  # after the cover and the contents
    checked = 0
    for number, lines in enumerate(pages, start=3):
        if not lines:
            continue
        checked += 1
        last_top, last_size, last_text = lines[-1]
        caption = abs(last_size - 9.5) < 0.1 and any(last_text.startswith(label) for label in labels)
        assert not caption, (number, last_text)  # a lone caption (chart rows are named in 7.5pt)
        assert last_size < 11, (number, last_text)  # a heading (16pt area, 11.5pt measure)
        first_size = lines[0][1]
        assert first_size >= 9, (number, lines[0][2])  # chart text (7–8pt) opening a page
    assert checked > 20


def test_handout_leaves_out_empty_columns_and_keeps_header_words_whole(kind_builds: dict, example_builds) -> None:
    sample = kind_builds["sample", "handout"].pdf  # no 進捗, no 担当課 in the data
    with pdfplumber.open(sample) as pdf:
        first = pdf.pages[0].extract_text()
    assert "ビジョン内容" in first and "担当課" not in first and "進捗\n" not in first and " 進捗" not in first
    with pdfplumber.open(example_builds["handout"].pdf) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(keep_blank_chars=False)
        texts = [w["text"] for w in words]
    assert "担当課" in texts and "施策番号" in texts
    for header in ("達成", "実施中", "着手", "未着手"):
        assert any(header in text for text in texts), header  # each header on one line, not 「達/成」
