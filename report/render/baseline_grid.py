"""One baseline grid for both columns of a newsletter page (issue 23 item 1).

The body's lines follow each other at one pitch, but what comes between them does not: an area's
heading, a figure box, the few millimetres under a measure. After such a block the next paragraph
starts off the grid of the lines above, and the two columns' baselines no longer align. A designer
gives those blocks 行取り: each takes whole lines. So, in the laid-out page (no new layout, only
positions, report/render/settle.py), each paragraph of body text that starts off the page's grid
(lines at whole pitches from the top of the columns) moves to the nearer grid line, with all that
follows it in its column: up when the space above it keeps a minimum gap (`MIN_GAP_PX`), down when
the column has that room above the foot; else it stays (text is never pushed past the foot). Space added later (report/render/fill.py, closing.py, makeup.py)
comes in whole lines, so the grid holds.
"""

from __future__ import annotations

from report.render.flow import _children, classes, content_bottom, flowing, page_columns
from report.render.settle import move_down, path_to, settle

# Blocks whose lines are not body lines: they take whole lines as blocks, their own lines don't count.
NOT_BODY = {"figures", "closing", "area-head", "key-line"}
# The least space kept between a paragraph moved up and what is drawn above it (CSS px: 1 mm).
MIN_GAP_PX = 96 / 25.4
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


def snap_column(column, top: float, foot: float, pitch: float) -> list[float]:  # noqa: ANN001
    """Put the column's paragraphs on the grid of lines `pitch` apart from `top` (`foot`: the lowest
    its content may reach), each by the shorter move the column allows: up when the space above it
    keeps `MIN_GAP_PX`, down when the column keeps its content above the foot. Returns how far each
    block it could not move still sits off the grid."""
    off: list[float] = []
    left_off: list = []
    slack = foot - (content_bottom(column) or top)
    for line in body_lines(column, pitch):
        gap = (line.position_y - top) % pitch
        if gap < ON_GRID or pitch - gap < ON_GRID:
            continue
        block = _block_of(column, line, pitch)
        if block in left_off:
            continue  # a later line of a paragraph that could not move
        down, up = pitch - gap, gap
        can_rise = _space_above(column, block) - up >= MIN_GAP_PX
        if can_rise and (up <= down or down > slack):
            move_down(column, block, -up)
            slack += up
        elif down <= slack + 0.01:
            move_down(column, block, down)
            slack -= down
        else:
            left_off.append(block)
            off.append(min(gap, pitch - gap))
    return off


def snap_to_grid(document, pitch: float) -> int:  # noqa: ANN001 - weasyprint.Document
    """Every page's columns on one baseline grid (`pitch`: a body line, CSS px). Returns how many
    paragraphs could not be moved onto it."""
    left = 0
    for index, page in enumerate(document.pages):
        found = page_columns(page)
        if found is None:
            continue
        page_box, columns_box = found
        top, foot = columns_box.content_box_y(), page_box.content_box_y() + page_box.height
        columns = _children(columns_box)
        for column in columns:
            left += len(snap_column(column, top, foot, pitch))
        settle(document, index, columns)
    return left
