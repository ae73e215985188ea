"""Measuring Japanese composition on a PDF's characters: paragraph lines and where they end."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
CLOSING = set("」』）〕】、。，．)")
RUBY_MARKUP = re.compile(r"\{([^{}|\n]+)\|[^{}]+\}")


@dataclass
class Line:
    page: int
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def end(self) -> float:
        """Where the line's last character ends; a closing mark may end at its half (約物の詰め)."""
        return self.chars[-1]["x1"]


def paragraphs(project: Path) -> list[str]:
    """Every vision and action of a project, as printed (ruby reduced to its base), without spaces."""
    folder = project / "data" if (project / "data" / "measures.csv").exists() else project
    with (folder / "measures.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    texts = []
    for row in rows:
        texts.append(row["ビジョン内容"])
        texts.extend(row["取組内容"].splitlines())
    return ["".join(RUBY_MARKUP.sub(r"\1", t).split()) for t in texts if t.strip()]


def body_chars(pdf_path: Path, size: float) -> list[tuple[int, dict]]:
    """The characters of one size, in the order they are drawn, with their page index."""
    with pdfplumber.open(pdf_path) as pdf:
        return [(number, char) for number, page in enumerate(pdf.pages) for char in page.chars
                if abs(char["size"] - size) < 0.05 and char["text"].strip()]


def paragraph_lines(pdf_path: Path, texts: list[str], size: float) -> list[list[Line]]:
    """Each text found in the PDF, split into the lines it was set in (first to last)."""
    chars = body_chars(pdf_path, size)
    stream = "".join(c["text"] for _, c in chars)
    found = []
    for text in texts:
        start = stream.find(text)
        if start < 0:
            continue
        lines: list[Line] = []
        for number, char in chars[start:start + len(text)]:
            last = lines[-1] if lines else None
            if last and last.page == number and abs(last.chars[-1]["top"] - char["top"]) < size / 2 \
                    and char["x0"] >= last.chars[-1]["x0"]:
                last.chars.append(char)
            else:
                lines.append(Line(number, [char]))
        found.append(lines)
    return found


def newsletter_column_edges(pdf_path: Path) -> list[tuple[float, float]]:
    """Per page, the right edges of the newsletter's two columns (25em, 2em apart, at 10pt)."""
    with pdfplumber.open(pdf_path) as pdf:
        lefts = [min(c["x0"] for c in page.chars if abs(c["size"] - 10) < 0.05) for page in pdf.pages]
    return [(left + 250, left + 520) for left in lefts]


@dataclass
class Float:
    """A photo the newsletter floats at a column's right, its caption and credit under it."""

    page: int
    left: float
    top: float
    bottom: float


def newsletter_floats(pdf_path: Path, body: float = 10) -> list[Float]:
    """Every photo of the newsletter, from its picture down to the last line of the smaller text
    (caption, credit) set under it within its width, each line at most a line of that text below."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages):
            for image in page.images:
                under = sorted((c for c in page.chars if c["size"] < body - 0.05 and c["top"] >= image["bottom"]
                                and c["x0"] >= image["x0"] - 0.5 and c["x1"] <= image["x1"] + 0.5),
                               key=lambda c: c["top"])
                bottom = image["bottom"]
                for char in under:
                    if char["top"] - bottom > char["size"]:
                        break
                    bottom = max(bottom, char["bottom"])
                found.append(Float(number, image["x0"], image["top"], bottom))
    return found


def newsletter_edges(edges: list[tuple[float, float]], line: Line, floats: list[Float] = (),
                     em: float = 10) -> list[float]:
    """Where a line may end: one em before a photo floated beside it (JLREQ: flush at the figure's edge
    less the gap), else at the right edge of the column it is in; either for a line in the one line's
    pitch under a photo's caption, which its margin and leading may still reach or not."""
    first, second = edges[line.page]
    edge = first if line.chars[0]["x0"] < first + 5 else second
    top = line.chars[0]["top"]
    placed = [f for f in floats if f.page == line.page and line.chars[0]["x0"] < f.left <= edge
              and line.chars[0]["bottom"] > f.top and top < f.bottom + 1.5 * em]
    beside = [f.left - em for f in placed if top < f.bottom]
    return beside or [*(f.left - em for f in placed), edge]


def newsletter_edge(edges: list[tuple[float, float]], line: Line) -> float:
    """The right edge of the column a line is in."""
    return newsletter_edges(edges, line)[-1]


def short_of_edge(line: Line, edge: float, em: float) -> float:
    """How far (in em) a line ends before the edge; a closing mark counts at its half (行末の約物)."""
    end = line.end
    if line.chars[-1]["text"] in CLOSING and end > edge + em / 4:
        end -= em / 2
    return (edge - end) / em


_COMPOSITION_SPAN = re.compile(r'<span class="(?:latin|nobr|tsume-end|tsume-start)">([^<]*)</span>')


def without_composition(html: str) -> str:
    """HTML with koho's composition spans (numbers, Latin, 約物, 和欧間) unwrapped: the escaped text."""
    html = html.replace('<span class="waou"> </span>', "")
    while (unwrapped := _COMPOSITION_SPAN.sub(r"\1", html)) != html:
        html = unwrapped
    return html


LINE_END_MARKS = "」』）〕］｝〉》】、。，．"


def lone_last_lines(pdf_path: Path, texts: list[str], size: float) -> tuple[int, list[str]]:
    """How many of the texts were found set in two lines or more, and the last lines of those that end
    with a single character (and any closing marks after it): 「…を実 / 施」, 「…し / た。」."""
    found = [lines for lines in paragraph_lines(pdf_path, texts, size) if len(lines) > 1]
    return len(found), [lines[-1].text for lines in found if len(lines[-1].text.rstrip(LINE_END_MARKS)) <= 1]


LINE_START_MARKS = "「『（〔［｛〈《【"


def glyph_span(char: dict) -> tuple[float, float]:
    """Where a character's glyph is, left to right: a bracket or 、。 takes half an em of glyph (in
    BIZ UDGothic, half an em of blank besides, which may overlap the next character when 約物 are set
    tight; the proportional BIZ UDP fonts have none or little)."""
    x0, x1, half = char["x0"], char["x1"], char["size"] / 2
    if char["text"] in LINE_END_MARKS:
        return x0, min(x1, x0 + half)
    if char["text"] in LINE_START_MARKS:
        return max(x0, x1 - half), x1
    if char["text"] == "・":
        middle = (x0 + x1) / 2
        return middle - half / 2, middle + half / 2
    return x0, x1
