"""What JLREQ does at a line's edges and at a paragraph's end, on top of report/render/typeset/extensions/justify.py.

- Line-edge brackets (JLREQ 3.1.4, 3.1.5, 3.1.9). An opening bracket that starts a wrapped line is
  set half-width (its blank half em removed: the ink starts at the column edge, 天付き); the first
  line of a paragraph keeps the full width after its indent, as JLREQ's commonest convention does. A
  closing bracket or 、。 that ends a justified line is set half-width: its blank half em hangs past
  the column edge and justification fills what that frees, so the ink ends flush. When kinsoku sent
  such a mark down with the character before it (「…で / 、」) and the two fit with the mark
  half-width, the line is laid out again to keep them. The blank is measured in the font: half an
  em in BIZ UDGothic, none (brackets) or a tenth (、。) in the proportional BIZ UDP fonts.
- A paragraph's lone last character (JLREQ 3.5.4 widow adjustment, 3.8 line adjustment). When the
  line before the last would leave one character (with any closing marks after it) on the last
  line, that line is laid out again with room for it and squeezed (追い込み), in JLREQ's order of
  priority (3.8.3, Appendix D, JIS X 4051's table): first the half em after closing brackets and
  、，, and before opening brackets, down to nothing (not the half em after 。, which JLREQ keeps);
  then, beyond JLREQ, at most `PULL_GAP_EM` between other characters. When that is not enough, one
  more character goes down (追い出し), as JLREQ does when a line cannot be squeezed, so the last line
  has two; unless the line it leaves would stretch more than `PUSH_GAP_EM` a gap, in which case the
  lone character stays. Only justified paragraphs are adjusted, and only the line before the last
  is laid out again: one or two more lines per paragraph that needs it, never a second layout.

A squeezed line's gaps are drawn with Pango letter spacing (justify.py's `spacings_for`): a glyph
may sit up to 0.02 em off (WeasyPrint writes the half of a spacing before a glyph 2.4% too wide).

WeasyPrint lays a paragraph out line by line in `get_next_linebox`; koho wraps it (and
`split_inline_box`, which is given the widened line) and its `text_align`, where a laid-out line's
edges are known. `install()` in japanese_lines.py patches them with the rest, after checking their source.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.render.typeset.extensions.justify import (INLINE_BLOCK, OPENING, edges, expandable_count, is_gap, is_waou, leaves,
                                   plain_spacing, respace, space_waou, upstream)

LINE_START_OPENING = "「『（〔［｛〈《【〘〖｟"  # set half-width at the start of a wrapped line
LINE_END_CLOSING = "」』）〕］｝〉》】〙〗｠、。，．"  # set half-width at the end of a justified line
SQUEEZABLE_AFTER = "」』）〕］｝〉》】〙〗｠、，"  # the half em after them may go (not after 。．: JLREQ 3.1.4)
FULL_STOPS = "。．"
MIDDLE_DOTS = "・"  # a quarter em on either side, which may go
CLOSING_MARKS = LINE_END_CLOSING + "・：；！？"
# At most this much off a gap between other characters: beyond JLREQ, which never narrows kana and
# kanji set solid; about the -30/1000 em tracking a designer gives a line by hand to pull a character in.
PULL_GAP_EM = 1 / 32
PUSH_GAP_EM = 1 / 4  # a line left by 追い出し stretches at most this much a gap (JLREQ Appendix E, table 6)
LONE_LIMIT = 4  # characters after a line break worth looking at (a lone character and closing marks)
STATE = "koho_line_state"  # attribute of WeasyPrint's layout context: the line being laid out


@dataclass
class LineState:
    """What koho knows about the line `get_next_linebox` is laying out, and what `text_align` found."""

    wrapped: bool  # not the paragraph's first line
    mode: str = ""  # "pull" (追い込み), "push" (追い出し) or "hang" (a closing mark kept) when laid out again
    allowance: float = 0.0  # added to the line's width while it is broken
    justified: bool = False  # the paragraph is justified
    last: bool = True  # text_align set it as a last line (the paragraph's, or before a forced break)
    slack: float = 0.0  # the line's room before it was aligned
    fits: bool = False  # the adjustment asked for keeps within JLREQ's (and koho's) limits


def split_inline_box(context, box, position_x, max_x, *args):  # noqa: ANN001, ANN002, ANN201 - weasyprint
    """WeasyPrint's `split_inline_box`, with the line widened while koho lays it out again."""
    from weasyprint.formatting_structure import boxes

    state = getattr(context, STATE, None)
    if state is not None and state.allowance and isinstance(box, boxes.LineBox):
        max_x += state.allowance
    return upstream["split_inline_box"](context, box, position_x, max_x, *args)


def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack, containing_block,  # noqa: ANN001, ANN201
                     absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
    """WeasyPrint's `get_next_linebox`; a line that would leave a lone character to the paragraph's
    last line is laid out again, squeezed to take it (追い込み) or giving one more (追い出し)."""

    def lay_out(state: LineState) -> tuple:
        outer = getattr(context, STATE, None)
        setattr(context, STATE, state)  # inline blocks in the line lay their own lines out in between
        try:
            return upstream["get_next_linebox"](
                context, linebox, position_y, bottom_space, skip_stack, containing_block, absolute_boxes,
                fixed_boxes, first_letter_style, first_line_style)
        finally:
            setattr(context, STATE, outer)

    wrapped = skip_stack is not None
    outside = len(absolute_boxes), len(fixed_boxes)
    first = LineState(wrapped)
    line, resume_at = lay_out(first)
    if (resume_at is None or first.last or not first.justified or first_letter_style is not None
            or context.excluded_shapes or outside != (len(absolute_boxes), len(fixed_boxes))):
        return line, resume_at
    shown, complete = rest_start(linebox, resume_at, LONE_LIMIT)
    em = linebox.style["font_size"]
    if complete and len(shown.rstrip(CLOSING_MARKS)) == 1:
        pull = LineState(wrapped, "pull", allowance=(len(shown) + 1) * em)
        pulled, pulled_resume = lay_out(pull)
        if pulled_resume is None and pull.fits:
            return pulled, None
        push = LineState(wrapped, "push", allowance=-(first.slack + em / 2))
        pushed, pushed_resume = lay_out(push)
        if pushed_resume is not None and push.fits:
            return pushed, pushed_resume
    elif (len(shown) > 1 and shown[1] in LINE_END_CLOSING and first.slack >= 1.5 * em - 0.01
          and not (complete and len(shown[2:].rstrip(CLOSING_MARKS)) == 1)):
        # 「…で / 、」: the mark could not start a line, so it went down with the character before it;
        # set half-width at this line's end, the two fit here (unless that left one character alone).
        hang = LineState(wrapped, "hang", allowance=blank(context, linebox.style, shown[1]))
        if hang.allowance:
            hung, hung_resume = lay_out(hang)
            if hang.fits:
                return hung, hung_resume
    return line, resume_at


def rest_start(box, skip_stack: dict | None, limit: int) -> tuple[str, bool]:  # noqa: ANN001 - weasyprint boxes
    """The first characters shown from `skip_stack` on in `box` (an atomic box is one ideograph), up
    to one more than `limit`, and whether they are all there is (nothing out of the flow either)."""
    from weasyprint.formatting_structure import boxes

    shown: list[str] = []

    def walk(box, skip_stack: dict | None) -> bool:  # noqa: ANN001 - True while there may be more
        (skip, child_skip), = skip_stack.items() if skip_stack else ((0, None),)
        if isinstance(box, boxes.TextBox):
            text = box.text.encode()[skip:].decode() if skip else box.text
            shown.extend("".join(text[:4 * limit].split()))
            return len(shown) <= limit and len(text) <= 4 * limit
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for index, child in enumerate(box.children[skip:]):
                if not child.is_in_normal_flow() or not walk(child, child_skip if index == 0 else None):
                    return False
            return True
        shown.append(INLINE_BLOCK)
        return len(shown) <= limit

    complete = walk(box, skip_stack)
    return "".join(shown[:limit + 1]), complete


def text_align(context, line, available_width: float, last: bool) -> float:  # noqa: ANN001 - weasyprint objects
    """WeasyPrint's `text_align`, after the line's edge brackets are set half-width and its 和欧間
    spaces opened; a line laid out again to take a lone character is squeezed to fit."""
    state = getattr(context, STATE, None)
    if line.style["direction"] != "ltr" or state is None:
        return upstream["text_align"](context, line, available_width, last)
    style = line.style
    align = style["text_align_all"]
    if last and style["text_align_last"] != "auto":
        align = style["text_align_last"]
    justify = align == "justify" and style["white_space"] in ("normal", "nowrap", "pre-line")
    state.justified, state.last = style["text_align_all"] == "justify", last
    state.slack = available_width - line.width
    hanging = trim_edges(context, line, start=state.wrapped, end=justify or state.mode == "pull")
    if state.mode == "hang":
        state.fits = hanging > 0 and line.width <= available_width + 0.01
    if state.mode == "pull":
        state.fits = squeeze(context, line, line.width - available_width)
        return 0
    space_waou(context, line, available_width)
    if state.mode == "push":
        room = available_width - line.width
        count = expandable_count(line)
        state.fits = bool(count) and 0 <= room / count <= style["font_size"] * PUSH_GAP_EM
    return upstream["text_align"](context, line, available_width, last)


def _shown_leaves(line) -> list[tuple[object, tuple]]:  # noqa: ANN001 - weasyprint LineBox
    """The line's leaves that show something, each with the inline boxes it is in."""
    from weasyprint.formatting_structure import boxes

    found: list[tuple[object, tuple]] = []

    def walk(box, ancestors: tuple) -> None:  # noqa: ANN001
        for child in box.children:
            if not child.is_in_normal_flow():
                continue
            if isinstance(child, boxes.InlineBox):
                walk(child, (*ancestors, child))
            elif not isinstance(child, boxes.TextBox) or child.text.strip():
                found.append((child, ancestors))

    walk(line, ())
    return found


def blank(context, style, mark: str) -> float:  # noqa: ANN001 - weasyprint objects
    """The blank of a bracket or 、。 in its font, in points: what its advance has beyond the half em its
    glyph takes (half an em in BIZ UDGothic; nothing, or a tenth for 、。, in the proportional
    BIZ UDP fonts, whose brackets are half-width already). Measured once per font and mark."""
    from weasyprint.text.line_break import create_layout, line_size

    cache = context.__dict__.setdefault("koho_blanks", {})
    key = (style["font_family"], style["font_weight"], style["font_style"], style["font_stretch"],
           style["font_size"], style["lang"], str(style["font_feature_settings"]), mark)
    if key not in cache:
        layout = create_layout(mark, style, context, max_width=None, justification_spacing=0)
        width, _ = line_size(layout.get_first_line()[0], style)
        cache[key] = max(0.0, width - style["font_size"] / 2)
    return cache[key]


def trim_edges(context, line, start: bool, end: bool) -> float:  # noqa: ANN001 - weasyprint objects
    """Set an opening bracket at the line's start (`start`) and a closing bracket or 、。 at its end
    (`end`) half-width: the first moves the line's content back by its blank, the second lets the
    line's content run its blank past the line's width. Returns the blank that hangs at the end."""
    from weasyprint.formatting_structure import boxes

    shown = _shown_leaves(line)
    if not shown:
        return 0.0
    first, _ = shown[0]
    if start and isinstance(first, boxes.TextBox) and (mark := first.text.lstrip()[0]) in LINE_START_OPENING:
        if shift := blank(context, first.style, mark):
            for child in line.children:
                if child.is_in_normal_flow():
                    child.translate(-shift, 0)
            line.width -= shift
    last, ancestors = shown[-1]
    if (end and isinstance(last, boxes.TextBox) and (mark := last.text.rstrip()[-1]) in LINE_END_CLOSING
            and not any(box.margin_right < 0 for box in ancestors)):  # not a mark already set tight
        hanging = blank(context, last.style, mark)
        line.width -= hanging
        return hanging
    return 0.0


def squeeze_room(before: str, after: str) -> tuple[str, float, int]:
    """What may go from the gap between two adjacent characters when a line is squeezed: the mark
    whose blank may go and how much of it ("" and 0 for none), and whether (1) or not (0) the gap
    may narrow by koho's `PULL_GAP_EM`."""
    if before in FULL_STOPS:
        return "", 0.0, 0
    if after in LINE_START_OPENING and before not in OPENING:
        return after, 1.0, 0
    if before in SQUEEZABLE_AFTER and after not in CLOSING_MARKS and after not in OPENING:
        return before, 1.0, 0
    if before in MIDDLE_DOTS or after in MIDDLE_DOTS:  # a quarter em either side of ・
        return (before if before in MIDDLE_DOTS else after), 0.5, 0
    return "", 0.0, int(is_gap(before, after))


def squeeze(context, line, excess: float) -> bool:  # noqa: ANN001 - weasyprint objects
    """Take `excess` points out of the line: from the 約物's blanks first, then up to `PULL_GAP_EM`
    from every other gap between characters. False (and the line left as it is) when that is not
    enough."""
    from weasyprint.formatting_structure import boxes

    if excess <= 0:
        return True

    def room(before: str, after: str, before_style, after_style) -> tuple[float, int]:  # noqa: ANN001
        mark, share, narrow = squeeze_room(before, after)
        return (share * blank(context, before_style if mark == before else after_style, mark) if mark else 0.0), narrow

    inner: dict[int, list[tuple[float, int]]] = {}
    between: dict[int, tuple[float, int]] = {}
    previous = None  # the last character before this leaf, and its leaf's style
    for leaf in leaves(line):
        ends = edges(leaf)
        if ends is None or is_waou(leaf):  # a closed 和欧間 space: the characters either side meet
            continue
        if not plain_spacing(leaf.style):
            previous = None
            continue
        if previous is not None:
            between[id(leaf)] = room(previous[0], ends[0], previous[1], leaf.style)
        if isinstance(leaf, boxes.TextBox):
            inner[id(leaf)] = [room(a, b, leaf.style, leaf.style) for a, b in zip(leaf.text, leaf.text[1:])]
        previous = ends[1], leaf.style
    rooms = [gap for gaps in inner.values() for gap in gaps] + list(between.values())
    blanks = sum(gap for gap, _ in rooms)
    narrows = sum(narrow for _, narrow in rooms)
    share = min(1.0, excess / blanks) if blanks else 0.0
    narrowing = (excess - share * blanks) / narrows if narrows else 0.0
    if share * blanks + narrowing * narrows < excess - 0.01 or narrowing > line.style["font_size"] * PULL_GAP_EM:
        return False

    def amount(gap: tuple[float, int]) -> float:
        return -(share * gap[0] + narrowing * gap[1])

    respace(context, line, lambda box: ([amount(gap) for gap in inner[id(box)]] if id(box) in inner else None, 0.0),
            {key: amount(gap) for key, gap in between.items()})
    return True
