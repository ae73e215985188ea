"""Copied text reads as the sentence, and text prints as typed (issue 23, items 5 and 6).

Measured on the PDFs of the sample, the kakuu example and a project written for it, with the two
extractors readers meet: poppler's pdftotext (Evince, most Linux viewers; it reads /ActualText)
and pdf.js (Firefox's viewer; pinned in package.json, run by tests/pdfjs_text.mjs; it ignores
/ActualText). pypdf, which ignores /ActualText too, is recorded as it is.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from report.commands.build import build
from report.load.values.text import normalize_text, split_lines
from report.render.html.markup import RUBY_RE, plain_text

from .conftest import EXAMPLE, ROOT, SAMPLE, ShippedBuilds
from .pdfcheck import Checked, structure_problems
from .projects import LONG, make_project, write_csv

PDFJS_SCRIPT = ROOT / "tests" / "pdfjs_text.mjs"
PDFJS = ROOT / "node_modules" / "pdfjs-dist" / "package.json"

# Texts that exercise every case: ruby, a typed space before 「 and after ・, Japanese and Latin with
# and without a typed space, a name with its space, Latin punctuation, a number range, long lines.
RUBY_ACTION = ("サテライトオフィスの整備を支援し、旧日吉小学校を活用したワーク&コミュニティ施設 "
               "「{日日nova|ひびのば}」の開設を支援しました。" + LONG)
NAME_VISION = ("市長日置 太郎が、市民の声を聞く場を日置 太郎の名で毎月開き、地域の課題を日置 太郎と"
               "ともに考えます。" + LONG + LONG)
LATIN_ACTION = ("説明会は毎週土曜日10:00–12:00に開き、英語の案内 “Don’t miss it” を添えて、"
                "参加者の声をまとめた報告書を 10–12月に公開しました。" + LONG + "受付は10:00–12:00です。")
ICT_ACTIONS = "・ ICT担当者研修会を年3回実施し、日本 ICT 推進の計画をSNSで発信しました。" + LONG
MEASURES = [
    ["施策番号", "分野番号", "ビジョン内容", "取組内容", "掲載"],
    ["01-1", 1, NAME_VISION, f"{ICT_ACTIONS}\n{RUBY_ACTION}", 1],
    ["01-2", 1, "一人ひとりに寄り添う窓口をつくります。" + LONG, f"{LATIN_ACTION}\n● 窓口の案内を改善", 1],
]


@pytest.fixture(scope="module")
def typed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_project(tmp_path_factory.mktemp("typed") / "p", areas=1, measures_per_area=2)
    write_csv(folder / "measures.csv", MEASURES)
    return folder


@pytest.fixture(scope="module")
def typed_builds(typed_project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("typed-out")
    return {kind: build(typed_project, kind=kind, output=out / f"{kind}.pdf",
                        web_output=out / "web" / "index.html" if kind == "newsletter" else None).pdf
            for kind in ("newsletter", "handout", "archive")}


@pytest.fixture(scope="module")
def shipped_builds(kind_builds: ShippedBuilds) -> dict[str, tuple[Path, Path]]:
    """The sample's and the kakuu example's newsletters, with their project folders."""
    return {name: (project, kind_builds[name, "newsletter"].pdf)
            for name, project in (("sample", SAMPLE), ("kakuu", EXAMPLE))}


# --- reading the PDFs ----------------------------------------------------------------------------

RUBY_HINT = "ひびのば"  # the reading of the ruby in the texts above and in the sample


def sources(project: Path) -> list[str]:
    """Every vision and action line of a project as a reader should copy it: cleaned as koho reads
    it, ruby as base(reading)."""
    folder = project / "data" if (project / "data" / "measures.csv").exists() else project
    with (folder / "measures.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    texts = []
    for row in rows:
        texts.append(normalize_text(row["ビジョン内容"]))
        texts.extend(split_lines(normalize_text(row["取組内容"])))
    return [plain_text(text) for text in texts if text]


def _strip_readings(text: str) -> str:
    for match in RUBY_RE.finditer(text):
        text = text.replace(match.group(), match.group(1))
    return text


def loose(text: str) -> str:
    return "".join(text.split())


def shown_chars(pdf: Path) -> list[tuple[int, float, dict]]:
    """The glyphs as drawn (page, page height, char), ruby readings (6 pt and smaller) and spaces left out."""
    with pdfplumber.open(pdf) as document:
        return [(number, page.height, c) for number, page in enumerate(document.pages) for c in page.chars
                if c["size"] > 6 and c["text"].strip()]


def drawn_text(pdf: Path) -> str:
    return "".join(c["text"] for _, _, c in shown_chars(pdf))


Region = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom (pdfplumber's points)


def regions(chars: list[tuple[int, float, dict]]) -> list[Region]:
    """Where a paragraph's glyphs are: one rectangle per column or page it runs through, with room
    above for ruby readings and before for the mark that starts the paragraph (poppler crops a line
    copied as one /ActualText whole or not at all)."""
    groups: list[list[tuple[int, float, dict]]] = []
    for item in chars:
        last = groups[-1][-1] if groups else None
        if last is None or item[0] != last[0] or item[2]["top"] < last[2]["top"] - 1:
            groups.append([])
        groups[-1].append(item)
    found = []
    for group in groups:
        size = group[0][2]["size"]
        found.append((group[0][0], min(c["x0"] for _, _, c in group) - 1.2 * size,  # and the ○ or → before it
                      min(c["top"] for _, _, c in group) - 0.45 * size,
                      max(c["x1"] for _, _, c in group) + 0.1 * size,
                      max(c["bottom"] for _, _, c in group) + 0.1 * size))
    return found


def paragraphs(project: Path, pdf: Path) -> list[tuple[str, list[Region]]]:
    """Every vision and action line the PDF shows, as a reader should copy it (cleaned as koho reads
    it, ruby as base(reading)), with where its glyphs are."""
    chars = shown_chars(pdf)
    stream = "".join(c["text"] for _, _, c in chars)
    folder = project / "data" if (project / "data" / "measures.csv").exists() else project
    found = []
    with (folder / "measures.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            for cell in [row["ビジョン内容"], *split_lines(row["取組内容"])]:
                cleaned = normalize_text(cell)
                start = stream.find(loose(_strip_readings(cleaned))) if cleaned else -1
                if start >= 0:
                    span = chars[start:start + len(loose(_strip_readings(cleaned)))]
                    found.append((plain_text(cleaned), regions(span)))
    return found


def pdftotext(pdf: Path, region: Region | None = None) -> str:
    """What poppler copies: of the whole PDF, or of one region."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (Debian: poppler-utils)")
    crop = []
    if region is not None:
        page, x0, top, x1, bottom = region
        crop = ["-f", str(page + 1), "-l", str(page + 1), "-r", "72", "-x", f"{x0:.0f}", "-y", f"{top:.0f}",
                "-W", f"{x1 - x0:.0f}", "-H", f"{bottom - top:.0f}"]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdfjs_items(pdf: Path) -> list[list[list]]:
    """pdf.js's text items per page: [str, x, y, hasEOL], x and y in PDF points from the bottom left."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the pdf.js copy test needs it (Debian: nodejs)")
    if not PDFJS.exists():
        pytest.skip("pdfjs-dist is not installed: run scripts/ensure-axe (make test does)")
    return json.loads(_pdfjs_json(node, pdf, *_version(pdf)))


def _version(pdf: Path) -> tuple[int, int]:
    """Which bytes of the file were read: a PDF written again is read again."""
    stat = pdf.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.cache
def _pdfjs_json(node: str, pdf: Path, mtime_ns: int, size: int) -> str:
    """pdf.js's items of one version of a PDF, as JSON: node runs once per file, not per paragraph."""
    return subprocess.run([node, str(PDFJS_SCRIPT), str(pdf)], check=True, capture_output=True,
                          text=True, cwd=ROOT).stdout


@functools.cache
def _page_heights(pdf: Path, mtime_ns: int, size: int) -> tuple[float, ...]:
    with pdfplumber.open(pdf) as document:
        return tuple(page.height for page in document.pages)


def pdfjs(pdf: Path, region: Region | None = None, items: list | None = None, height: float = 0) -> str:
    """What pdf.js copies: of the whole PDF, or of the items that start inside one region."""
    pages = items if items is not None else pdfjs_items(pdf)
    if region is None:
        return "\f".join("".join(s + ("\n" if eol else "") for s, _, _, eol in page) for page in pages)
    page, x0, top, x1, bottom = region
    return "".join(s + ("\n" if eol else "") for s, x, y, eol in pages[page]
                   if x0 <= x <= x1 and top <= height - y <= bottom + 2)


def copied(extract, pdf: Path, where: list[Region]) -> str:  # noqa: ANN001
    """A paragraph as an extractor copies it, line breaks removed."""
    if extract is pdfjs:
        items = pdfjs_items(pdf)
        heights = _page_heights(pdf, *_version(pdf))
        return joined("".join(pdfjs(pdf, region, items, heights[region[0]]) for region in where))
    return joined("".join(pdftotext(pdf, region) for region in where))


def joined(text: str) -> str:
    """Copied text with its line breaks removed (pages too)."""
    return text.replace("\n", "").replace("\f", "")


def miscopied(extract, project: Path, pdf: Path, skip_ruby: bool = False) -> list[tuple[str, str]]:  # noqa: ANN001
    """The paragraphs whose copy is not their source: (source, copy)."""
    found = paragraphs(project, pdf)
    assert len(found) >= 3
    return [(text, copy) for text, where in found if not (skip_ruby and "(" in text and RUBY_HINT in text)
            for copy in [copied(extract, pdf, where)] if not as_typed(text).search(copy)]


def as_typed(text: str) -> re.Pattern[str]:
    """The source, each typed space optional (a line broken at a space drops it in every viewer);
    no space where the source has none."""
    return re.compile("".join(" ?" if char == " " else re.escape(char) for char in text))


# --- copied text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("extract", [pdftotext, pdfjs], ids=["pdftotext", "pdfjs"])
def test_copied_paragraphs_equal_their_source(extract, typed_project: Path,  # noqa: ANN001
                                              typed_builds: dict[str, Path]) -> None:
    """Every vision and action, copied from each kind, is its source: no space where justification,
    a 和欧間 or 約物の詰め spread the glyphs, a typed space kept, ruby as base(reading) (pdftotext)."""
    for kind, pdf in typed_builds.items():
        assert len(paragraphs(typed_project, pdf)) == len(sources(typed_project)), kind  # all on the page
        # pdf.js ignores /ActualText: its ruby reading stays where it is drawn (recorded below).
        assert miscopied(extract, typed_project, pdf, skip_ruby=extract is pdfjs) == [], kind


@pytest.mark.parametrize("extract", [pdftotext, pdfjs], ids=["pdftotext", "pdfjs"])
@pytest.mark.parametrize("name", ["sample", "kakuu"])
def test_shipped_newsletters_copy_as_their_source(extract, name: str,  # noqa: ANN001
                                                  shipped_builds: dict[str, tuple[Path, Path]]) -> None:
    project, pdf = shipped_builds[name]
    assert miscopied(extract, project, pdf, skip_ruby=extract is pdfjs) == []


def test_the_ruby_reading_follows_its_base_in_parentheses(typed_project: Path, typed_builds: dict[str, Path]) -> None:
    """The ruby's paragraph as poppler copies it (its own area: a handout row's cells sit side by
    side, and a whole-page copy interleaves their lines)."""
    for kind, pdf in typed_builds.items():
        [where] = [where for text, where in paragraphs(typed_project, pdf) if RUBY_HINT in text]
        copy = copied(pdftotext, pdf, where)
        assert "施設「日日nova(ひびのば)」の開設" in copy, kind
        assert "ひびのば日日nova" not in copy, kind


def test_what_pdfjs_and_pypdf_copy_is_recorded(typed_builds: dict[str, Path],
                                              shipped_builds: dict[str, tuple[Path, Path]]) -> None:
    """pdf.js and pypdf ignore /ActualText: they give the glyphs as drawn, the ruby reading (drawn
    first, above its base) before the base; pypdf also still reads the gaps of a loosely justified
    line as spaces (it sees through the horizontal scaling). Recorded so that a change shows here."""
    pdf = typed_builds["newsletter"]
    assert re.search("施設「 ?ひびのば日日nova」", joined(pdfjs(pdf)))  # a space where the reading is centred
    pypdf_text = loose("".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "ひびのば日日nova" in pypdf_text
    sample = "".join(page.extract_text() for page in PdfReader(shipped_builds["sample"][1]).pages)
    # The sample's loosely justified lines: pypdf reads their gaps as spaces (「新 た な 市 場 へ の 展 開」),
    # pdf.js copies the same words without them.
    spaced = re.findall(r"(?:[\u3040-\u30ff\u4e00-\u9fff] ){3,}[\u3040-\u30ff\u4e00-\u9fff]", sample)
    assert spaced, "no loosely justified line in the sample: this records nothing"
    copied = joined(pdfjs(shipped_builds["sample"][1]))
    assert all(words.replace(" ", "") in copied for words in spaced), spaced


def test_composed_lines_carry_their_text_as_actual_text(typed_builds: dict[str, Path]) -> None:
    """Each composed line is one /Span with /ActualText around its tagged content, and the PDF/UA
    clauses koho checks still hold."""
    pdf = typed_builds["newsletter"]
    with pikepdf.open(pdf) as document:
        texts = [str(operands[1].ActualText) for page in document.pages
                 for operands, operator in pikepdf.parse_content_stream(page)
                 if str(operator) == "BDC" and len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary)
                 and "/ActualText" in operands[1]]
    assert any(text.startswith("○市長日置 太郎が") for text in texts)
    assert any("「日日nova(ひびのば)」" in text for text in texts)
    assert structure_problems(Checked(pdf)) == []


# --- text as typed ---------------------------------------------------------------------------------

def chars_of(pdf: Path) -> list[list[dict]]:
    with pdfplumber.open(pdf) as document:
        return [[c for c in page.chars if c["size"] > 6] for page in document.pages]


def occurrences(pdf: Path, word: str) -> list[list[dict]]:
    """Every place `word` is drawn (its glyphs, spaces included)."""
    found = []
    for chars in chars_of(pdf):
        text = "".join(c["text"] for c in chars)
        start = text.find(word)
        while start >= 0:
            found.append(chars[start:start + len(word)])
            start = text.find(word, start + 1)
    return found


def gaps_em(chars: list[dict]) -> list[float]:
    """The blank between each glyph and the next, in ems of the first."""
    return [(b["x0"] - a["x1"]) / a["size"] for a, b in zip(chars, chars[1:])]


@pytest.mark.parametrize("word", ["Don’t", "10:00–12:00", "10–12"])
def test_latin_words_and_ranges_keep_their_punctuation_unstretched(word: str, typed_builds: dict[str, Path]) -> None:
    """’ and – inside an English word or a number range are Latin: set in the Latin font, never
    stretched like a Japanese mark (「Don’ t」「10:00 – 12:00」)."""
    for kind, pdf in typed_builds.items():
        found = occurrences(pdf, word)
        assert found, kind
        for chars in found:
            assert max(gaps_em(chars)) < 0.02, (kind, word, gaps_em(chars))
            mark = next(c for c in chars if c["text"] in "’–")
            assert (mark["x1"] - mark["x0"]) / mark["size"] < 0.75, (kind, word)


def test_a_space_typed_by_a_bracket_or_a_middle_dot_adds_no_hole(typed_builds: dict[str, Path]) -> None:
    """「施設 「」 and 「・ ICT」: the bracket's (the dot's) own blank is the only one."""
    for kind, pdf in typed_builds.items():
        for word in ("施設「", "・ICT"):
            found = occurrences(pdf, word)
            assert found, (kind, word)
            for chars in found:
                assert max(gaps_em(chars)) < 0.2, (kind, word, gaps_em(chars))


def test_a_space_typed_between_japanese_and_latin_is_the_waou_alone(typed_builds: dict[str, Path]) -> None:
    """「日本 ICT 推進」: one quarter em at most (the 和欧間), not a space and a 和欧間 (copied with the
    space the city typed: test_copied_paragraphs_equal_their_source)."""
    for kind, pdf in typed_builds.items():
        found = occurrences(pdf, "日本ICT推進")
        assert found, kind
        for chars in found:
            assert all(gap <= 0.25 + 0.1 for gap in gaps_em(chars)), (kind, gaps_em(chars))


def test_a_space_typed_between_japanese_words_stays_as_typed(typed_builds: dict[str, Path]) -> None:
    """「日置 太郎」 on a justified line: the space keeps its own width while the line's other gaps
    stretch."""
    for kind, pdf in typed_builds.items():
        found = occurrences(pdf, "日置 太郎")
        assert len(found) >= 3, kind
        for chars in found:
            space = chars[2]
            assert space["text"] == " "
            blank = (chars[3]["x0"] - chars[1]["x1"]) / chars[1]["size"]
            natural = (space["x1"] - space["x0"]) / space["size"]
            assert abs(blank - natural) < 0.02, (kind, blank, natural)


def test_a_list_mark_typed_at_an_action_replaces_the_arrow(typed_builds: dict[str, Path]) -> None:
    for kind, pdf in typed_builds.items():
        shown = drawn_text(pdf)
        assert "→・" not in shown and "→●" not in shown, kind
        assert "・ICT担当者研修会" in shown and "●窓口の案内" in shown, kind
    assert "→サテライト" not in drawn_text(typed_builds["newsletter"])  # only the first action has one
    assert "→説明会は" in drawn_text(typed_builds["newsletter"])  # an action without its own mark keeps →
    web = (typed_builds["newsletter"].parent / "web" / "index.html").read_text(encoding="utf-8")
    assert '<li class="marked">・ICT' in web and '<li class="marked">● 窓口' in web
    assert "<li>説明会は" in web  # the page's → (list-style-type) stays on the others


@pytest.mark.parametrize(("typed", "read"), [
    ("施設 「ひびのば」 です", "施設「ひびのば」です"), ("・ ICT担当者", "・ICT担当者"), ("（ 仮称 ）、 次へ", "（仮称）、次へ"),
    ("日置 太郎", "日置 太郎"), ("Hello world", "Hello world"), ("10:00 – 12:00", "10:00 – 12:00"),
])
def test_spaces_typed_next_to_a_full_width_mark_are_dropped_on_reading(typed: str, read: str) -> None:
    assert normalize_text(typed) == read


def test_the_extended_weasyprint_drawing_code_is_the_code_it_was_written_for() -> None:
    """Fails the moment WeasyPrint's drawing code changes: re-check report/render/typeset/extensions/copytext.py then."""
    from report.render.typeset.extensions import copytext

    assert copytext.source_hashes() == copytext.EXTENDED_SOURCE_SHA256
    assert copytext.install()
