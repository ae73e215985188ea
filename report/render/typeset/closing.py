"""How the newsletter's feature ends: its last page ends level, with the closing box (お知らせ・
お問い合わせ, the QR code) at the foot of the last column (issue 12 item 6).

On the printed 広報ひおき page the box closes the right-hand column at the foot of the type area.
Column balancing sets it under the last measure instead, leaving a gap below it; so, in the
laid-out page (no new layout: only positions change, report/render/typeset/settle.py):

- **Pin.** The box moves down until its bottom is level with the longest column of the page, or
  with the foot of the type area when that column ends within a line of it.
- **Open.** A column ending more than a line short takes the difference where a designer adds
  行取り, a whole line at each place: above an area's heading and between measures first, then
  above a measure's figures box, then between its vision and actions, between two actions last;
  never inside a paragraph, nor between a heading and what it heads (`_halves`). So what follows
  an opening stays on the baseline grid of the lines above it; the column rule then ends with the
  columns (`_rule_to`), not on below the box.

When the box itself makes its column the longest by more than a line (the other column ends
short because what follows must keep together), no move can end the page level: `rearrangement`
names one more layout to try, the box alone in the last column beside a short page, or across
the foot of the columns (`column-span: all`). The carry for a box that would stand alone on the
last page is in report/render/typeset/breaks.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.render.typeset.flow import _children, classes, content_bottom, flowing, page_columns
from report.render.typeset.settle import after, move_down, path_to, settle

CLOSING_CLASS = "closing"

# The last measure of the last area starts a page, so the closing box has company there.
CARRY_LAST_MEASURE_CSS = ".areas > .area:last-of-type > .measure:last-of-type { break-before: page; }"
# The closing box across the foot of the columns, under the balanced columns of the last page.
SPAN_CLOSING_CSS = ".areas > .closing { column-span: all; }"
# The closing box alone in the last column, beside the rest of a short last page.
BOX_STARTS_COLUMN_CSS = ".areas > .closing { break-before: column; }"


def _is_closing(box) -> bool:  # noqa: ANN001
    return CLOSING_CLASS in classes(box)


def closing_alone(document) -> bool:  # noqa: ANN001 - weasyprint.Document
    """True when the last page's columns hold the closing box and nothing else."""
    if len(document.pages) < 2:
        return False
    found = page_columns(document.pages[-1])
    if found is None:
        return False
    boxes = [child for column in _children(found[1]) for child in flowing(column)]
    return bool(boxes) and all(_is_closing(child) for child in boxes)


@dataclass
class LastPage:
    """The last page's columns, where each one's content ends, and the closing box that ends the
    last of them (CSS px down the page)."""

    columns: list  # the column boxes, in order (a box spanning the columns is not one)
    bottoms: list[float]  # where each column's content ends (its top when it is empty)
    closing: object | None  # the closing box, when it ends the last column holding anything
    foot: float  # the lowest its content may reach: the foot of the type area, or of the columns

    @property
    def others(self) -> list[float]:
        """Where the columns before the closing box's end."""
        return self.bottoms[:-1]

    def closing_bottom(self) -> float:
        return self.closing.border_box_y() + self.closing.border_height()


def _follows(box, root) -> bool:  # noqa: ANN001
    """True when anything in normal flow comes after `box` under `root`, at any level."""
    path = path_to(root, box) or []
    return any(later.is_in_normal_flow() for parent, child in zip(path, path[1:]) for later in after(parent, child))


def last_page(document) -> LastPage | None:  # noqa: ANN001 - weasyprint.Document
    """The last page's columns; None when it has no columns, or fewer than two hold anything."""
    found = page_columns(document.pages[-1]) if document.pages else None
    if found is None:
        return None
    page_box, columns_box = found
    columns = [child for child in _children(columns_box) if not _is_closing(child)]
    spanned = len(columns) < len(_children(columns_box))  # the closing box runs across the columns
    bottoms = [content_bottom(column) for column in columns]
    while bottoms and bottoms[-1] is None:
        bottoms.pop()
    if len(bottoms) < 2:
        return None
    columns = columns[:len(bottoms)]
    last = flowing(columns[-1])
    closing = last[-1] if last and _is_closing(last[-1]) else None
    bottoms = [column.content_box_y() if bottom is None else bottom for column, bottom in zip(columns, bottoms)]
    if spanned or _follows(columns_box, _children(page_box)[0]):
        foot = max(bottoms)  # the columns end above it, or above whatever follows them
    else:
        foot = page_box.content_box_y() + page_box.height
    return LastPage(columns, bottoms, closing, foot)


def rearrangement(document, pitch: float) -> str | None:  # noqa: ANN001 - weasyprint.Document
    """The CSS of another arrangement of the last page, when the closing box makes its column the
    longest by more than `pitch` (a line), so no move of the box can end the page level: the box
    starting the last column (`BOX_STARTS_COLUMN_CSS`) when the rest of the page fits in half a
    column, else the box across the foot of the columns (`SPAN_CLOSING_CSS`). None otherwise."""
    page = last_page(document)
    if page is None or page.closing is None or page.bottoms[-1] <= max(page.others) + pitch:
        return None
    top = page.columns[0].content_box_y()
    rest = sum(bottom - top for bottom in page.bottoms) - page.closing.margin_height()
    return BOX_STARTS_COLUMN_CSS if rest <= (page.foot - top) / 2 else SPAN_CLOSING_CSS


# Where a column may take more space, as a designer adds 行取り, each place one whole line so what
# follows stays on the baseline grid (report/render/typeset/baseline_grid.py), in this order: above an
# area (its heading) and between measures, then above a measure's figures box, then between its
# other parts (vision, actions), between one action and the next last; never between a heading and
# what it heads, nor inside a paragraph. The kinds, in the order they open:
BETWEEN_BLOCKS, INSIDE_MEASURE = 2, 1
OPENED = ("area", "measure", "actions")  # the boxes whose parts may open


def _openings(column) -> list[tuple[object, int]]:  # noqa: ANN001 - a column box
    """The boxes of a column that may move down from the one before them, with their kinds."""
    found: list[tuple[object, int]] = []

    def visit(box) -> None:  # noqa: ANN001
        before = None
        inside = bool(set(classes(box)) & {"measure", "actions"})
        for child in flowing(box):
            named = classes(child)
            if before is not None:
                if "area" in named or ("measure" in named and "measure" in classes(before)):
                    found.append((child, BETWEEN_BLOCKS))
                elif inside:
                    found.append((child, INSIDE_MEASURE))
            if set(named) & set(OPENED):
                visit(child)
            before = child

    visit(column)
    return found


def _room(openings: list[tuple[object, int]], pitch: float) -> float:
    """How much a column's openings can take: a line (`pitch`) each."""
    return len(openings) * pitch


def _is_item(box) -> bool:  # noqa: ANN001
    """A list item (one action): the space between two actions opens last."""
    element = getattr(box, "element", None)
    return element is not None and element.tag == "li"


def _rank(box, kind: int) -> int:  # noqa: ANN001
    """The order an opening takes its line in: between blocks, above a figures box, between a
    measure's other parts, between two actions."""
    if kind == BETWEEN_BLOCKS:
        return 0
    if "figures" in classes(box):
        return 1
    return 3 if _is_item(box) else 2


def _halves(openings: list[tuple[object, int]], lines: int) -> list[int]:
    """How many half lines each opening takes so that the column grows by `lines` whole lines: a
    whole line (two halves) each, in `_rank`'s order, top down within a rank; so every body line
    after an opening stays on the baseline grid."""
    halves, left = [0] * len(openings), lines
    for index in sorted(range(len(openings)), key=lambda i: (_rank(*openings[i]), i)):
        if left >= 1:
            halves[index], left = 2, left - 1
    return halves


def _feather(column, openings: list[tuple[object, int]], lines: int, pitch: float) -> None:  # noqa: ANN001
    """Spread `lines` whole lines (`pitch`, CSS px) over the column's openings (`_halves`), so what
    follows each opening stays on the grid of the lines above it."""
    for (opening, _), halves in zip(openings, _halves(openings, lines)):
        if halves:
            move_down(column, opening, halves * pitch / 2)


def _lines_to(bottom: float, target: float, foot: float, pitch: float) -> int:
    """The whole lines that bring a column ending at `bottom` nearest to `target`, never past `foot`."""
    lines = round((target - bottom) / pitch)
    return lines if bottom + lines * pitch <= foot + 0.01 else lines - 1


def _target(page: LastPage, pitch: float) -> float:
    """Where the last page's columns should end: level with the longest one, or at the foot of the
    type area when that one ends within `pitch` of it."""
    longest = max(page.bottoms)
    return page.foot if page.foot - longest <= pitch else longest


def end_level(document, pitch: float) -> bool:  # noqa: ANN001 - weasyprint.Document
    """Make the last page's columns end level in the laid-out page (no new layout): pin the
    closing box, open the columns ending more than `pitch` (a line, CSS px) short. True when the
    columns now end within `pitch` of each other (or the page has nothing to level)."""
    page = last_page(document)
    if page is None:
        return True
    target = _target(page, pitch)
    moved = []
    for column, bottom in zip(page.columns, page.bottoms):
        if page.closing is not None and column is page.columns[-1]:
            move_down(column, page.closing, target - page.closing_bottom())
        elif pitch < target - bottom <= _room(openings := _openings(column), pitch):
            _feather(column, openings, _lines_to(bottom, target, page.foot, pitch), pitch)
        else:
            continue
        moved.append(column)
    if moved:
        settle(document, len(document.pages) - 1, moved)
    settled = last_page(document)
    _rule_to(settled, max(settled.bottoms))
    return max(settled.bottoms) - min(settled.bottoms) <= pitch


def _rule_to(page: LastPage, bottom: float) -> None:
    """The column rule (drawn as tall as the column after it) ends where the columns' content does:
    at the closing box's foot, not on below it to the foot of the page."""
    for column in page.columns:
        column.height = bottom - column.content_box_y()
