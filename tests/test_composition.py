"""Japanese composition measured on the PDF's characters: justified lines, 約物の詰め, numbers kept
with their units, ruby in the line gap (JLREQ; see docs/composition.md "Japanese composition")."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.commands.build import build

from .composition import (MM, glyph_span, newsletter_column_edges, newsletter_edge, newsletter_edges,
                          newsletter_floats, paragraph_lines, paragraphs, short_of_edge)
from .conftest import SAMPLE, copy_project
from .projects import make_project


@pytest.fixture(scope="module")
def long_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several areas of long visions and actions: many lines, numbers, breaks at every position."""
    folder = tmp_path_factory.mktemp("long") / "p"
    return make_project(folder, areas=3, measures_per_area=6, vision_repeat=3)


@pytest.fixture(scope="module")
def long_builds(long_project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("long-out")
    return {kind: build(long_project, output=out / f"{kind}.pdf", kind=kind).pdf
            for kind in ("newsletter",)}


def test_the_extended_weasyprint_code_is_the_code_it_was_written_for() -> None:
    """Fails the moment WeasyPrint's justification code changes: re-check report/render/typeset/extensions/justify.py and line_adjust.py then."""
    import weasyprint

    from report.render.typeset.extensions import japanese_lines

    assert weasyprint.__version__ in japanese_lines.TESTED_VERSIONS
    assert japanese_lines.source_hashes() == japanese_lines.EXTENDED_SOURCE_SHA256
    assert japanese_lines.install()


@pytest.mark.parametrize(("text", "stretchable"), [
    ("あい", [1]), ("SNSを", [0, 0, 1]), ("89.4%", [0, 0, 0, 0]), ("「日本」は", [0, 1, 0, 1]),
    ("——", [0]), ("10月", [0, 1]), ("a b", [0.5, 0.5]), ("」「", [0]),
])
def test_lines_stretch_between_japanese_characters_only(text: str, stretchable: list[float]) -> None:
    from report.render.typeset.extensions.justify import gaps, letter_spacings

    assert gaps(text) == stretchable
    weights = letter_spacings(text)
    # Pango gives each character half its letter spacing on either side: the gaps come out exact.
    assert [(a + b) / 2 for a, b in zip(weights, weights[1:])] == stretchable


def _inner_lines(pdf: Path, project: Path, size: float) -> list:
    found = paragraph_lines(pdf, paragraphs(project), size)
    assert len(found) > 10  # the texts were found in the PDF
    return [line for lines in found for line in lines[:-1]]


@pytest.mark.parametrize("which", ["sample", "long"])
def test_every_inner_line_of_a_paragraph_fills_its_column(which: str, sample_build, long_project: Path,
                                                           long_builds: dict[str, Path]) -> None:
    pdf, project = (sample_build.pdf, SAMPLE) if which == "sample" else (long_builds["newsletter"], long_project)
    edges, floats = newsletter_column_edges(pdf), newsletter_floats(pdf)
    lines = _inner_lines(pdf, project, 10)
    assert len(lines) > 20
    shorts = [[short_of_edge(line, edge, 10) for edge in newsletter_edges(edges, line, floats)] for line in lines]
    ragged = [(round(min(short, key=abs), 2), line.text) for line, short in zip(lines, shorts)
              if min(abs(s) for s in short) > 0.3]
    assert not ragged
    # the sample's photos: 4, 5 and 2 lines beside them end one em before each (none in the long project)
    beside = [line for line in lines if newsletter_edge(edges, line) not in newsletter_edges(edges, line, floats)]
    assert len(beside) >= (8 if which == "sample" else 0)


def test_archive_lines_fill_the_text_block(kind_builds: dict) -> None:
    import pdfplumber

    pdf = kind_builds["sample", "archive"].pdf
    with pdfplumber.open(pdf) as document:
        edge = document.pages[0].width - 18 * MM  # the archive's right margin
    lines = _inner_lines(pdf, SAMPLE, 10.5)
    assert len(lines) >= 8
    assert not [line.text for line in lines if abs(short_of_edge(line, edge, 10.5)) > 0.3]


@pytest.mark.parametrize("which", ["sample", "long"])
def test_no_inner_line_ends_on_a_digit(which: str, sample_build, long_project: Path,
                                       long_builds: dict[str, Path]) -> None:
    pdf, project = (sample_build.pdf, SAMPLE) if which == "sample" else (long_builds["newsletter"], long_project)
    lines = _inner_lines(pdf, project, 10)
    assert not [line.text for line in lines if line.text[-1] in "0123456789０１２３４５６７８９"]


PAIRS = "」「 、「 ）、 」。 。」 「『 』」"


def test_numbers_stay_with_their_units_and_punctuation_pairs_take_a_em_and_a_half(tmp_path: Path) -> None:
    """Pairs of marks and numbers with units at every position of the line, in a copy of the sample."""
    import pdfplumber

    project = copy_project(tmp_path)
    path = project / "measures.csv"
    text = path.read_text(encoding="utf-8")
    filler = "".join(f"令和{n}年{n + 2}月から就職{n * 7}人、{pair[0]}説明{pair}会{n * 11}.5%を実施。"
                     for n, pair in enumerate(PAIRS.split() * 3, start=1))
    path.write_text(text.replace("を実施\n", f"を実施\n{filler}\n", 1), encoding="utf-8")
    pdf = build(project, output=tmp_path / "p.pdf").pdf
    with pdfplumber.open(pdf) as document:
        chars = [c for page in document.pages for c in page.chars if abs(c["size"] - 10) < 0.05]
    widths = [(a["text"] + b["text"], (b["x1"] - a["x0"]) / 10) for a, b in zip(chars, chars[1:])
              if a["text"] + b["text"] in PAIRS.split() and abs(a["top"] - b["top"]) < 1]
    assert len(widths) >= 15
    assert not [pair for pair in widths if pair[1] > 1.5 + 0.02]
    lines = _inner_lines(pdf, project, 10)
    assert not [line.text for line in lines if line.text[-1].isdigit()]


RUBY_ACTION = "サテライトオフィス整備支援"  # the sample's action with {日日nova|ひびのば}


@pytest.mark.parametrize(("kind", "size"), [("newsletter", 10), ("handout", 12), ("archive", 10.5)])
def test_ruby_sits_in_the_line_gap_centred_over_its_base(kind: str, size: float, kind_builds: dict) -> None:
    import pdfplumber

    pdf = kind_builds["sample", kind].pdf
    with pdfplumber.open(pdf) as document:
        chars = [c for page in document.pages for c in page.chars]
    stream = "".join(c["text"] for c in chars)
    start = stream.index("ひびのば日日nova")  # the reading, then its base: read in that order
    reading, base = chars[start:start + 4], chars[start + 4:start + 10]
    assert {round(c["size"], 2) for c in reading} == {size / 2}  # half the base size (JLREQ)
    assert {round(c["size"], 2) for c in base} == {size}
    assert (reading[0]["x0"] + reading[-1]["x1"]) / 2 == pytest.approx((base[0]["x0"] + base[-1]["x1"]) / 2, abs=0.3)
    assert all(base[0]["top"] - 0.5 <= c["bottom"] <= base[0]["top"] + 0.5 for c in reading)  # just above
    text = next(t for t in paragraphs(SAMPLE) if t.startswith(RUBY_ACTION))
    lines = paragraph_lines(pdf, [text], size)[0]
    assert len(lines) >= 2 and any("日日nova" in line.text for line in lines)
    tops = [line.chars[0]["top"] for line in lines]
    pitches = {round(b - a, 1) for a, b in zip(tops, tops[1:])}
    assert len(pitches) == 1  # the ruby's line keeps the paragraph's pitch


def _one_line(chars: list[dict]) -> bool:
    """Whether the characters are set in one line, left to right."""
    return all(abs(a["top"] - b["top"]) < 1 and b["x0"] > a["x0"] for a, b in zip(chars, chars[1:]))


def test_a_quarter_em_between_japanese_and_latin_letters(sample_build) -> None:
    import pdfplumber

    with pdfplumber.open(sample_build.pdf) as document:
        chars = [c for page in document.pages for c in page.chars if abs(c["size"] - 10) < 0.05]
    stream = "".join(c["text"] for c in chars)
    for word in ("のSNSを", "やPRを", "LGBTQを"):  # 「特産品の / PRを」 breaks between its lines since issue 27
        start = stream.index(word)
        group = chars[start:start + len(word)]
        assert _one_line(group), word
        latin = [i for i, c in enumerate(group) if c["text"].isascii()]
        gaps = [group[latin[0]]["x0"] - group[latin[0] - 1]["x1"] if latin[0] else None,
                group[latin[-1] + 1]["x0"] - group[latin[-1]]["x1"]]
        for gap in filter(None, gaps):
            assert 0.2 <= gap / 10 <= 0.5, (word, gap)
    latin_inside = [a["x1"] - b["x0"] for a, b in zip(chars, chars[1:])
                    if a["text"].isalpha() and a["text"].isascii() and b["text"].isalpha() and b["text"].isascii()
                    and abs(a["top"] - b["top"]) < 1]
    assert latin_inside and all(abs(gap) < 0.05 for gap in latin_inside)  # words are never spaced out


def _overlapping_chars(pdf: Path) -> list[tuple[int, str, str]]:
    """Pairs of printed characters whose glyphs overlap by more than a point both ways (a collision);
    the blank half of a bracket or 、。 may overlap (約物の詰め, 追い込み)."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["top"])
            for index, char in enumerate(chars):
                for other in chars[index + 1:]:
                    if other["top"] > char["bottom"] - 1:
                        break
                    (left, right), (other_left, other_right) = glyph_span(char), glyph_span(other)
                    wide = min(right, other_right) - max(left, other_left)
                    tall = min(char["bottom"], other["bottom"]) - max(char["top"], other["top"])
                    if wide > 1 and tall > 1:
                        found.append((number, char["text"], other["text"]))
    return found


@pytest.mark.parametrize("name", ["sample", "kakuu"])
@pytest.mark.parametrize("kind", ["newsletter", "handout", "archive"])
def test_no_two_printed_labels_overlap(name: str, kind: str, kind_builds: dict) -> None:
    """Chart labels, values, keys and text: no character is printed over another."""
    assert not _overlapping_chars(kind_builds[name, kind].pdf)


def test_chart_labels_clear_each_other_when_values_sit_at_the_target(tmp_path: Path) -> None:
    """Values at the target and thin progress segments: what made labels collide before."""
    from .projects import write_csv

    project = make_project(tmp_path / "p", areas=1, measures_per_area=2, years=3)
    rows = [["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "時点"]]
    rows += [["01-1", "参加者数", year, value, "人", 1000, ""] for year, value in zip((2022, 2023, 2024), (996, 1000, 1003))]
    rows += [["01-2", "実施自治会数", year, value, "自治会", 176, ""] for year, value in zip((2022, 2023, 2024), (10, 12, 150))]
    write_csv(project / "metrics.csv", rows)
    pdf = build(project, output=tmp_path / "c.pdf").pdf
    assert not _overlapping_chars(pdf)
