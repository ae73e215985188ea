"""Copied text that reads as the sentence: what a reader gets when copying a line of the PDF.

Viewers do not read the text back from the source: they guess it from where the glyphs are. A gap
between two glyphs wider than about a tenth of an em becomes a space (poppler's pdftotext, pdf.js:
`TRACKING_SPACE_FACTOR = 0.102`), so a line justified between its characters (report/render/typeset/extensions/justify.py),
a 和欧間 opened to a quarter em, and ruby (the reading drawn before its base, above it) copy as
「紹 介 を実 施」「SNS を」「ひびのば日日nova」. Two measures, both invisible on the page:

- Each composed line (a justified paragraph's, or any line holding ruby or a 和欧間) is a marked-
  content sequence `/Span <</ActualText (…)>> BDC … EMC` around the line's own tagged content, its
  ActualText the line as typed: ruby as base(reading), a 和欧間 as nothing (or the space the city
  typed there). PDF/UA-1 allows this beside the tag tree (ISO 32000-1 14.9.4); poppler, PDFium and
  Acrobat copy the ActualText. pypdf ignores it.
- pdf.js (Firefox's viewer) ignores ActualText (mozilla/pdf.js PR #20014 is not merged), so its
  tenth-of-an-em guess is also widened for these lines: their text is drawn with horizontal
  scaling `Tz` 1/SCALE and a text matrix SCALE times wider, which draws every glyph exactly where it
  was (the two cancel) while pdf.js, which divides a gap by the text matrix's scale but not by Tz,
  reads a gap as SCALE times narrower. Real spaces are glyphs and still copy as spaces.

Lines without Japanese composition keep WeasyPrint's drawing. Like justify.py, `install()` patches
only the WeasyPrint code this was written against.
"""

from __future__ import annotations

from contextvars import ContextVar

from report.render.html.composition import TYPED_CLASS, WAOU_CLASS
from report.render.typeset.extensions.guard import source_sha256, unchanged

EXTENDED_SOURCE_SHA256 = {
    "weasyprint.draw.draw_inline_level": "068162a401d00efd3bc23a37df12a1c743cd8958cdbf4f03960a777760b1e01c",
    "weasyprint.draw.text.draw_first_line": "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
}
SCALE = 4  # pdf.js reads a gap under 0.4 em as no space, and a space glyph (a third of an em and more) still as one
RUBY, RUBY_BASE, RUBY_READING = "ruby", "rb", "rt"

_IN_LINE: ContextVar[bool] = ContextVar("koho_composed_line", default=False)
_upstream: dict[str, object] = {}


ZERO_WIDTH_SPACE = "\u200b"


def _classes(box) -> set[str]:  # noqa: ANN001 - weasyprint box
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None and hasattr(element, "get") else set()


def _is_ruby(box) -> bool:  # noqa: ANN001 - weasyprint box
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.InlineBlockBox) and RUBY in _classes(box)


def _is_waou(box) -> bool:  # noqa: ANN001 - weasyprint box
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.TextBox) and WAOU_CLASS in _classes(box) and not box.text.strip()


def ruby_text(element) -> str:  # noqa: ANN001 - the HTML element of a print ruby
    """A print ruby (report/render/html/markup.py) as read aloud: base(reading)."""
    parts = {name: "" for name in (RUBY_BASE, RUBY_READING)}
    for child in element:
        for name in set((child.get("class") or "").split()) & set(parts):
            parts[name] = "".join(child.itertext()).strip()
    return f"{parts[RUBY_BASE]}({parts[RUBY_READING]})" if parts[RUBY_READING] else parts[RUBY_BASE]


def line_text(line) -> tuple[str, bool]:  # noqa: ANN001 - weasyprint LineBox
    """The line's text as typed, and whether it holds ruby or a 和欧間 (text a viewer would misread)."""
    from weasyprint.formatting_structure import boxes

    parts: list[str] = []
    special = False

    def walk(box) -> None:  # noqa: ANN001
        nonlocal special
        for child in box.children:
            child = getattr(child, "box", child)  # an inline block is drawn as its stacking context
            if not child.is_in_normal_flow():
                continue
            if isinstance(child, boxes.InlineBox):
                walk(child)
            elif _is_waou(child):
                special = True
                parts.append(" " if TYPED_CLASS in _classes(child) else "")
            elif isinstance(child, boxes.TextBox):  # a <wbr> between phrases is drawn as U+200B: not text
                parts.append(child.text.replace(ZERO_WIDTH_SPACE, ""))
            elif _is_ruby(child):
                special = True
                parts.append(ruby_text(child.element))

    walk(line)
    return "".join(parts), special


def composed(line) -> str | None:  # noqa: ANN001 - weasyprint LineBox
    """The ActualText of a composed line (justified, or holding ruby or a 和欧間), else None."""
    text, special = line_text(line)
    if not text.strip() or not (special or line.style["text_align_all"] == "justify"):
        return None
    return text


def draw_inline_level(stream, page, box, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    """WeasyPrint's `draw_inline_level`; a composed line is drawn inside its ActualText span."""
    import pydyf
    from weasyprint.formatting_structure import boxes

    text = composed(box) if isinstance(box, boxes.LineBox) and not _IN_LINE.get() else None
    if text is None:
        return _upstream["draw_inline_level"](stream, page, box, *args, **kwargs)
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
    token = _IN_LINE.set(True)
    try:
        return _upstream["draw_inline_level"](stream, page, box, *args, **kwargs)
    finally:
        _IN_LINE.reset(token)
        stream.end_marked_content()


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):  # noqa: ANN001, ANN201
    """WeasyPrint's `draw_first_line`; inside a composed line, with the text matrix SCALE times wider
    and the horizontal scaling 1/SCALE (the glyphs land where they did)."""
    if not _IN_LINE.get():
        return _upstream["draw_first_line"](stream, textbox, text_overflow, block_ellipsis, matrix)
    from weasyprint.matrix import Matrix

    stream.stream.append(f"{100 / SCALE:g} Tz".encode())
    (a, b, _), (c, d, _), (e, f, _) = matrix
    wide = Matrix(a * SCALE, b * SCALE, c, d, e, f)
    try:
        return _upstream["draw_first_line"](stream, textbox, text_overflow, block_ellipsis, wide)
    finally:
        stream.stream.append(b"100 Tz")


def _targets() -> dict[str, tuple[object, str]]:
    from weasyprint import draw
    from weasyprint.draw import text

    return {"weasyprint.draw.draw_inline_level": (draw, "draw_inline_level"),
            "weasyprint.draw.text.draw_first_line": (text, "draw_first_line")}


def source_hashes() -> dict[str, str]:
    """SHA-256 of the installed WeasyPrint's source of every function this module extends."""
    return {name: source_sha256(_upstream.get(attribute) or getattr(owner, attribute))
            for name, (owner, attribute) in _targets().items()}


def install() -> bool:
    """Draw composed lines as above (once per process); False when WeasyPrint's code is not the tested code."""
    if _upstream:
        return True
    targets = _targets()
    if not unchanged(EXTENDED_SOURCE_SHA256, source_hashes(), "copied lines keep the viewers' spaces"):
        return False
    replacements = {"draw_inline_level": draw_inline_level, "draw_first_line": draw_first_line}
    for owner, attribute in targets.values():
        _upstream[attribute] = getattr(owner, attribute)
        setattr(owner, attribute, replacements[attribute])
    return True
