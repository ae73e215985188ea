"""Inter-character justification (JLREQ 3.8, CSS `text-justify: inter-character`) for WeasyPrint.

WeasyPrint justifies a line only at spaces (U+0020, U+00A0): `layout/inline.py`'s `justify_line`
counts them and `add_word_spacing` re-lays each text box so that Pango's letter spacing widens them
when the text is drawn (`Layout.set_text(justify=True)`). Japanese has no spaces, so its lines stay
ragged. This module extends those two steps, and nothing else:

- `justify_line` also counts the gaps between characters where Japanese text may stretch: next to
  a kana, kanji or full-width character, but never inside a Latin word or a number, never after an
  opening bracket or before a closing one or 、。 (so 約物 pairs keep their width), never inside
  —— or ……; an inline block (ruby) counts as one ideograph. Gaps across inline boxes (a ruby, a
  span) move the following boxes; gaps inside a text box go to Pango.
- `text_align` first opens the 和欧間 spaces report/render/html/composition.py marks (zero-width while lines
  are broken) to a quarter em, as far as the line has room, on every line.
- `Layout.set_text(justify=True)` gives each character the letter spacing that makes every gap in
  its text exactly as wide as planned (Pango splits a character's letter spacing half before, half
  after it and trims the halves at the ends of the line). A gap may also be narrowed: 追い込み
  (report/render/typeset/extensions/line_adjust.py) squeezes a line with negative amounts.

report/render/typeset/extensions/line_adjust.py adds what JLREQ does at a line's edges and at a paragraph's end: brackets
half-width at a line's start and end (3.1.4), and a paragraph's lone last character pulled back or
joined by one more (3.8, 追い込み / 追い出し).

Lines without Japanese, right-to-left lines, and text with CSS `letter-spacing` or `word-spacing`
keep WeasyPrint's own behaviour. japanese_lines.py's `install()` patches only when the extended
functions (here and in line_adjust.py) are the code this was written against (their source's SHA-256 there); otherwise
it logs a warning and leaves WeasyPrint alone, so a newer WeasyPrint degrades to its ragged lines
instead of misplacing text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from report.render.html.composition import WAOU_CLASS, WAOU_EM

SPACES = " \u00a0"
OPENING = "「『（〔【〈《［｛〘〖｟“‘([{"
CLOSING = "」』）〕】〉》］｝〙〗｠”’)]}、。，．,.・：；！？!?"
NO_SPLIT = "—―…‥"  # ——, …… never open
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Mn", "Me", "Zl", "Zp")
INLINE_BLOCK = "\ufffc"  # stands for an atomic inline box (a ruby, an image) in the line's text

upstream: dict[str, object] = {}  # the replaced WeasyPrint functions, by attribute name


def is_japanese(char: str) -> bool:
    """A character that takes a full em in Japanese text: kana, kanji, full-width forms, symbols."""
    if char == INLINE_BLOCK:
        return True
    width = unicodedata.east_asian_width(char)
    return width in ("W", "F") or (width == "A" and ord(char) >= 0x2000)


def is_latin_side(char: str, other: str) -> bool:
    """Punctuation of ambiguous width (’ – — …) next to a Latin letter or digit belongs to the Latin
    word or number range (don’t, 10–12), where nothing stretches."""
    return (other.isascii() and other.isalnum() and unicodedata.east_asian_width(char) == "A"
            and unicodedata.category(char).startswith("P"))


def is_gap(before: str, after: str) -> bool:
    """Whether the line may stretch between two adjacent characters (JLREQ 3.8.3)."""
    if before in SPACES or after in SPACES:
        return False  # a space stretches by itself
    if unicodedata.category(before) in INVISIBLE_CATEGORIES or unicodedata.category(after) in INVISIBLE_CATEGORIES:
        return False
    if not (is_japanese(before) or is_japanese(after)):
        return False  # inside a Latin word or a number
    if is_latin_side(before, after) or is_latin_side(after, before):
        return False  # don’t, 10–12: Latin punctuation inside a word or a range
    if before in OPENING or after in CLOSING or (before in CLOSING and after in OPENING):
        return False  # 約物 pairs keep their (reduced) width
    if before == after and before in NO_SPLIT:
        return False
    return True


def gaps(text: str) -> list[float]:
    """How many units of stretch go between each pair of adjacent characters of a text box.

    A space stretches by one unit, half on either side (the whole unit inward at the text's ends);
    a space typed between two Japanese characters (a name: 日置 太郎) stays as typed.
    """
    result = [1.0 if is_gap(a, b) else 0.0 for a, b in zip(text, text[1:])]
    for index, char in enumerate(text):
        if char not in SPACES or len(text) < 2 or between_japanese(text, index):
            continue
        if index == 0:
            result[0] += 1
        elif index == len(text) - 1:
            result[index - 1] += 1
        else:
            result[index - 1] += 0.5
            result[index] += 0.5
    return result


def between_japanese(text: str, index: int) -> bool:
    """Whether the space at `index` stands between two Japanese characters."""
    return 0 < index < len(text) - 1 and is_japanese(text[index - 1]) and is_japanese(text[index + 1])


def letter_spacings(text: str) -> list[float]:
    """Letter spacing per character (in stretch units) that makes each gap what `gaps` says."""
    return spacings_for(gaps(text))


def spacings_for(amounts: list[float]) -> list[float]:
    """Letter spacing per character that makes gap i between characters i and i+1 exactly amounts[i].

    Pango puts half of a character's letter spacing before it and half after, so gap i is
    (w[i] + w[i+1]) / 2, and trims the halves at the two ends of the text. That leaves one choice
    free (a spacing added to the even characters and taken from the odd ones): it is made so that
    no character's spacing is larger than needed, because WeasyPrint 70 writes the half before a
    character (Pango's x offset) 2.4% too wide (it divides Pango units by the font size without
    scaling them to thousandths of an em), and that error grows with the spacing.
    """
    if not amounts:
        return [0.0]
    alternating = [0.0]  # the solution whose first spacing is 0, sign-flipped on odd characters
    for index, gap in enumerate(amounts):
        alternating.append(alternating[-1] + 2 * gap * (-1) ** (index + 1))
    centre = (max(alternating) + min(alternating)) / 2
    return [(value - centre) * (-1) ** index for index, value in enumerate(alternating)]


def plain_spacing(style) -> bool:  # noqa: ANN001 - weasyprint style
    return style["letter_spacing"] == "normal" and not style["word_spacing"] and style["direction"] == "ltr"


def _has_inner_gaps(text: str) -> bool:
    return any(is_gap(a, b) for a, b in zip(text, text[1:]))


def _spaced_by_gaps(box) -> bool:  # noqa: ANN001 - weasyprint TextBox
    """Whether a text box is justified between its characters (else only at its spaces, as WeasyPrint does)."""
    return plain_spacing(box.style) and _has_inner_gaps(box.text)


def _inner_count(box) -> float:  # noqa: ANN001 - weasyprint TextBox
    """Stretch units inside one text box."""
    if not _spaced_by_gaps(box):
        return box.text.count(" ") + box.text.count("\u00a0")
    return sum(gaps(box.text))


def leaves(box) -> Iterator:  # noqa: ANN001 - weasyprint boxes
    """The line's text boxes and atomic inline boxes, in order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from leaves(child)
    else:
        yield box


def edges(box) -> tuple[str, str] | None:  # noqa: ANN001 - weasyprint boxes
    """The first and last character a leaf shows (an atomic box is one ideograph)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return (box.text[0], box.text[-1]) if box.text else None
    return INLINE_BLOCK, INLINE_BLOCK


def _boundary_gaps(line) -> dict[int, int]:  # noqa: ANN001 - weasyprint LineBox
    """Gaps between adjacent leaves, keyed by the id of the leaf after the gap."""
    result: dict[int, int] = {}
    previous = None
    for leaf in leaves(line):
        ends = edges(leaf)
        if ends is None:
            continue
        if previous is not None and plain_spacing(leaf.style) and is_gap(previous, ends[0]):
            result[id(leaf)] = 1
        previous = ends[1]
    return result


def expandable_count(line) -> float:  # noqa: ANN001 - weasyprint LineBox
    """Stretch units in a line: its spaces and the gaps between its Japanese characters."""
    from weasyprint.formatting_structure import boxes

    inner = sum(_inner_count(leaf) for leaf in leaves(line)
                if isinstance(leaf, boxes.TextBox) and not is_waou(leaf))
    return inner + sum(_boundary_gaps(line).values())


def justify_line(context, line, extra_width: float) -> None:  # noqa: ANN001 - weasyprint objects
    """Spread `extra_width` over the line's spaces and the gaps between its Japanese characters."""
    if line.style["direction"] != "ltr":
        return upstream["justify_line"](context, line, extra_width)
    count = expandable_count(line)
    if count:
        spacing = extra_width / count
        between = {key: units * spacing for key, units in _boundary_gaps(line).items()}
        respace(context, line, lambda box: _stretch(box, spacing), between)
    return None


def _stretch(box, spacing: float) -> tuple[list[float] | None, float]:  # noqa: ANN001 - weasyprint TextBox
    """How a text box is justified: per-gap amounts, or WeasyPrint's spacing at its spaces."""
    if is_waou(box):
        return None, 0.0
    if _spaced_by_gaps(box):
        return [spacing * units for units in gaps(box.text)], 0.0
    return None, spacing


def is_waou(box) -> bool:  # noqa: ANN001 - weasyprint boxes
    """A 和欧間 space that report/render/html/composition.py put between Japanese and Latin text."""
    element = getattr(box, "element", None)
    return (getattr(box, "element_tag", None) == "span" and element is not None
            and WAOU_CLASS in (element.get("class") or "").split() and not box.text.strip())


def space_waou(context, line, available_width: float) -> None:  # noqa: ANN001 - weasyprint objects
    """Open each 和欧間 space inside the line to a quarter em, as far as the line has room.

    The spaces take no width while lines are broken, so 和欧間 never pushes text to another line;
    it vanishes at a line's start and end, and shrinks when a line is nearly full (JLREQ 3.2.2).
    """
    shown = [leaf for leaf in leaves(line) if edges(leaf) is not None]
    spaces = [leaf for leaf in shown[1:-1] if is_waou(leaf)]
    room = available_width - line.width
    if not spaces or room <= 0:
        return
    amount = min(line.style["font_size"] * WAOU_EM, room / len(spaces))
    chosen = {id(leaf) for leaf in spaces}
    respace(context, line, lambda box: (None, amount if id(box) in chosen else 0.0), {})


def _first_leaf_id(box) -> int | None:  # noqa: ANN001 - weasyprint boxes
    for leaf in leaves(box):
        if edges(leaf) is not None:
            return id(leaf)
    return None


Plan = Callable[[object], tuple[list[float] | None, float]]


def respace(context, box, inner: Plan, between: dict[int, float], x_advance: float = 0.0) -> float:  # noqa: ANN001
    """WeasyPrint's `add_word_spacing`, generalised: `inner(text_box)` gives the amounts (points) to
    add to each gap inside a text box, or a spacing for each of its spaces (WeasyPrint's own way);
    `between` gives the amount before a leaf (by id), moving it and everything after it. Amounts may
    be negative (a squeezed line). Returns the x advance after the box."""
    from weasyprint.formatting_structure import boxes

    first = _first_leaf_id(box)
    if first in between:
        x_advance += between.pop(first)
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        amounts, spacing = inner(box)
        added = _relayout(context, box, amounts, spacing)
        x_advance += added
        box.width += added
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        previous = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = respace(context, child, inner, between, x_advance)
        box.width += x_advance - previous
    else:
        box.translate(x_advance, 0)
    return x_advance


def _relayout(context, box, amounts: list[float] | None, spacing: float) -> float:  # noqa: ANN001
    """Give a text box a layout drawn with the gaps widened by `amounts` (or its spaces by `spacing`);
    returns the width it gained."""
    from weasyprint.text.line_break import create_layout

    if amounts is not None and any(amounts):
        layout = create_layout(box.text, box.style, context, max_width=None, justification_spacing=0)
        layout.gap_amounts = amounts  # read by set_text when the text is drawn
        added = sum(amounts)
    else:
        spaces = box.text.count(" ") + box.text.count("\u00a0")
        if not spacing or not spaces:
            return 0.0
        box.justification_spacing = spacing
        layout = create_layout(box.text, box.style, context, max_width=None, justification_spacing=spacing)
        added = spacing * spaces
    layout.deactivate()
    box.pango_layout = layout
    return added


def set_text(self, text: str, justify: bool = False) -> None:  # noqa: ANN001 - weasyprint Layout
    """WeasyPrint's `Layout.set_text`; when drawing a text with planned gaps, give each its amount."""
    amounts = getattr(self, "gap_amounts", None)
    if not (justify and amounts is not None and len(amounts) == len(text) - 1 and "\n" not in text):
        return upstream["set_text"](self, text, justify)
    upstream["set_text"](self, text, False)
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    attributes = pango.pango_layout_get_attributes(self.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    start = 0
    units, joints = clusters(text, amounts)
    for unit, weight in zip(units, spacings_for(joints)):
        end = start + len(unit.encode())
        if weight:
            attribute = pango.pango_attr_letter_spacing_new(round(weight * TO_UNITS))
            attribute.start_index, attribute.end_index = start, end
            pango.pango_attr_list_change(attributes, attribute)
        start = end
    pango.pango_layout_set_attributes(self.layout, attributes)
    return None


def clusters(text: str, amounts: list[float]) -> tuple[list[str], list[float]]:
    """The text's characters with each combining mark (a variation selector: 葛 + U+E0100, a
    combining 濁点) joined to the character before it, and the gaps between those units. One
    letter-spacing attribute per unit: an attribute that changed between a kanji and its
    selector split them into two runs, and the font's variant glyph (cmap format 14) was lost."""
    units: list[str] = []
    joints: list[float] = []
    for index, char in enumerate(text):
        if units and unicodedata.category(char) in ("Mn", "Me"):
            units[-1] += char
        else:
            if units:
                joints.append(amounts[index - 1])
            units.append(char)
    return units, joints
