"""One baseline grid for both columns of a newsletter page (issue 23 item 1).

The body's lines follow each other at one pitch, but what comes between them does not: an area's
heading, a figure box, the few millimetres under a measure. After such a block the next paragraph
starts off the grid of the lines above, and the two columns' baselines no longer align. A designer
gives those blocks 行取り: each takes whole lines. So, in the laid-out page (no new layout, only
positions, report/render/typeset/settle.py), each block that opens with a body line (a measure, an area
with its heading: `blocks_of`) moves onto the page's grid with all that follows it in its column:
up while the room above it keeps its least gap (`_least_gap`: none under a paragraph, whose
leading parts them, 1 mm under a box, 1.5 mm above an area's heading; a figure box above may give
its padding down to 0.5 mm), or down while the column's content still ends above the foot (a block
further down may give back, rising, what one above took: a column opening with a continued measure
moves down onto the other column's grid when a heading lower in it has the room). The moves
are chosen for the whole column (`plan`: fewest blocks off the grid, then the least movement), and
the grid's phase for the whole page (the columns' top or a column's first body line). Space added
later (report/render/typeset/fill.py, closing.py, makeup.py) comes in whole lines, so the grid holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from report.render.typeset.breaks import FIGURES_CLASS
from report.render.typeset.flow import _children, classes, content_bottom, flowing, page_columns
from report.render.typeset.settle import move_down, path_to, settle

# Blocks whose lines are not body lines: they take whole lines as blocks, their own lines don't count.
NOT_BODY = {"figures", "closing", "area-head", "key-line"}
# The least space kept between a paragraph moved up and what is drawn above it (CSS px: 1 mm).
MIN_GAP_PX = 96 / 25.4
# The least padding a figure box keeps under what it draws when it gives room (CSS px: 0.5 mm).
KEEP_PX = 96 / 25.4 / 2
# Positions within this much of a grid line are on it (CSS px).
ON_GRID = 0.3


def body_lines(column, pitch: float) -> list:  # noqa: ANN001 - a column box
    """The column's lines of body text (as tall as the pitch, not in a figure box, a heading or the
    closing box), top down."""
    from weasyprint.formatting_structure.boxes import LineBox

    found = []

    def visit(box) -> None:  # noqa: ANN001
        if set(classes(box)) & NOT_BODY or not box.is_in_normal_flow():
            return
        if isinstance(box, LineBox):
            if abs(box.height - pitch) < 0.01:
                found.append(box)
            return
        for child in _children(box):
            visit(child)

    visit(column)
    return found


def _block_of(column, line, pitch: float):  # noqa: ANN001, ANN202 - WeasyPrint boxes
    """The outermost box under the column whose first body line is `line`: what moves with it (an
    area with its heading, when the line opens the area's first measure: the space goes above the
    heading, never between it and what it heads)."""
    path = path_to(column, line) or [column, line]
    for box in path[1:]:
        if next(iter(body_lines(box, pitch)), None) is line:
            return box
    return line


def _space_above(column, block) -> float:  # noqa: ANN001
    """The room between `block`'s top and what is drawn before it in the column."""
    path = path_to(column, block) or []
    above = column.content_box_y()
    for parent, child in zip(path, path[1:]):
        siblings = flowing(parent)
        if child in siblings:
            before = [b for b in (content_bottom(s) for s in siblings[:siblings.index(child)]) if b is not None]
            if before:
                above = max(above, *before)
    return block.position_y - above


def _figures_above(column, block):  # noqa: ANN001, ANN202 - WeasyPrint boxes
    """The figure box drawn just above `block` (the last thing of the box before it), or None."""
    box = _box_above(column, block)
    while box is not None and FIGURES_CLASS not in classes(box):
        box = (flowing(box) or [None])[-1]
    return box


def _box_above(column, block):  # noqa: ANN001, ANN202 - WeasyPrint boxes
    """The box just before `block` at the deepest level that has one, or None (the column's top)."""
    path = path_to(column, block) or []
    for parent, child in reversed(list(zip(path, path[1:]))):
        siblings = flowing(parent)
        if child in siblings and siblings.index(child) > 0:
            return siblings[siblings.index(child) - 1]
    return None


def _edge_is_text(box, last: bool) -> bool:  # noqa: ANN001 - a WeasyPrint box
    """True when what `box` draws first (or `last`) is a line of text, not a box with edges."""
    from weasyprint.formatting_structure.boxes import LineBox

    while box is not None and not isinstance(box, LineBox):
        if NOT_BODY & set(classes(box)) or _drawn_edges(box):
            return False
        children = flowing(box)
        box = (children[-1] if last else children[0]) if children else None
    return box is not None


def _drawn_edges(box) -> bool:  # noqa: ANN001
    style = box.style
    return bool(style["background_color"].alpha or any(style[f"border_{side}_width"] for side in ("top", "bottom")))


def _least_gap(column, block) -> float:  # noqa: ANN001
    """The least room kept above a block moved up: 1.5 mm above an area's heading, none between
    two paragraphs (their lines' own leading parts them, as inside a paragraph), `MIN_GAP_PX` under
    a box or a heading."""
    if "area" in classes(block):
        return 1.5 * MIN_GAP_PX
    above = _box_above(column, block)
    return 0.0 if above is not None and _edge_is_text(above, True) and _edge_is_text(block, False) else MIN_GAP_PX


def _shrinkable(figures) -> float:  # noqa: ANN001 - a figure box or None
    """How much a figure box's foot may rise: its padding under what it draws, less `KEEP_PX`."""
    if figures is None:
        return 0.0
    inside = max((b for b in (content_bottom(child) for child in _children(figures)) if b is not None),
                 default=figures.content_box_y())
    return max(0.0, figures.border_box_y() + figures.border_height() - figures.border_bottom_width - inside - KEEP_PX)


@dataclass(frozen=True)
class Block:
    """A box that opens with a body line: where that line is, the room above the box, and the figure
    box above it with how much its padding may give (CSS px)."""

    box: object
    line_y: float
    space: float
    figures: object | None = None
    shrinkable: float = 0.0
    least_gap: float = MIN_GAP_PX

    def can_rise(self, amount: float) -> bool:
        return self.space + self.shrinkable - amount >= self.least_gap - ON_GRID

    def rise(self, amount: float) -> None:
        """Take `amount` of the room above: the figure box above gives what the space cannot."""
        excess = amount - (self.space - self.least_gap)
        if excess > 0 and self.figures is not None:
            self.figures.height -= excess


def blocks_of(column, pitch: float) -> list[Block]:  # noqa: ANN001 - a column box
    """The boxes of a column that each move with their first body line (`_block_of`), top down."""
    found: list[Block] = []
    for line in body_lines(column, pitch):
        box = _block_of(column, line, pitch)
        if box is line:
            continue  # a paragraph's later line moves with its first, never alone
        if not found or found[-1].box is not box:
            figures = _figures_above(column, box)
            found.append(Block(box, line.position_y, _space_above(column, box), figures, _shrinkable(figures),
                               _least_gap(column, box)))
    return found


def plan(blocks: list[Block], phase: float, slack: float, pitch: float) -> tuple[list[float], int]:
    """The move of each block onto the grid of lines at `phase` (mod `pitch`): up while its least gap
    stays above it (`Block.can_rise`), or down, or none, so that the column's content still ends
    above the foot (`slack` below it; none added when it is already past): a block moved down may
    push what follows past the foot when a later block rises back by as much (what the column ends
    with is what must fit, not each move). Chosen for the whole column, fewest blocks off the grid
    first, then the least movement; returns the moves and how many blocks stay off."""
    from functools import lru_cache

    allowed = max(slack, 0.0) + 0.01
    # From each block on: the most the blocks left can rise (a shift beyond `allowed` by more is lost).
    can_give = [0.0] * (len(blocks) + 1)
    for index in reversed(range(len(blocks))):
        block = blocks[index]
        rise = min(pitch, max(0.0, block.space + block.shrinkable - block.least_gap + ON_GRID))
        can_give[index] = can_give[index + 1] + rise
    lost = (math.inf, math.inf, ())

    @lru_cache(maxsize=None)
    def best(index: int, shift: float) -> tuple[float, float, tuple[float, ...]]:
        if shift > allowed + can_give[index]:
            return lost
        if index == len(blocks):
            return (0, 0.0, ()) if shift <= allowed else lost
        block = blocks[index]
        gap = (block.line_y + shift - phase) % pitch
        if gap < ON_GRID or pitch - gap < ON_GRID:
            off, moved, moves = best(index + 1, shift)
            return off, moved, (0.0, *moves)
        options = [-gap, pitch - gap] if block.can_rise(gap) else [pitch - gap]
        found = []
        for move in options:
            off, moved, moves = best(index + 1, round(shift + move, 3))
            found.append((off, moved + abs(move), (move, *moves)))
        off, moved, moves = best(index + 1, shift)
        found.append((off + 1, moved, (0.0, *moves)))
        return min(found, key=lambda option: option[:2])

    off, _, moves = best(0, 0.0)
    return list(moves), int(off)


def snap_columns(columns: list, top: float, foot: float, pitch: float) -> int:  # noqa: ANN001
    """Put the paragraphs of a page's `columns` on one grid of lines `pitch` apart: at the phase of
    the top of the columns or of one column's first body line, whichever leaves fewest off it.
    Returns how many blocks stay off the grid."""
    found = [(column, blocks_of(column, pitch), foot - (content_bottom(column) or top)) for column in columns]
    phases = [top] + [blocks[0].line_y for _, blocks, _ in found if blocks]

    def cost(phase: float) -> tuple[int, float]:
        plans = [plan(blocks, phase, slack, pitch) for _, blocks, slack in found]
        return sum(off for _, off in plans), sum(abs(m) for moves, _ in plans for m in moves)

    phase = min(phases, key=cost)
    left = 0
    for column, blocks, slack in found:
        moves, off = plan(blocks, phase, slack, pitch)
        left += off
        for block, move in zip(blocks, moves):
            if move < 0:
                block.rise(-move)
            move_down(column, block.box, move)
    return left


def snap_to_grid(document, pitch: float) -> int:  # noqa: ANN001 - weasyprint.Document
    """Every page's columns on one baseline grid (`pitch`: a body line, CSS px). Returns how many
    blocks could not be moved onto it."""
    left = 0
    for index, page in enumerate(document.pages):
        found = page_columns(page)
        if found is None:
            continue
        page_box, columns_box = found
        top, foot = columns_box.content_box_y(), page_box.content_box_y() + page_box.height
        columns = _children(columns_box)
        left += snap_columns(columns, top, foot, pitch)
        settle(document, index, columns)
    return left
