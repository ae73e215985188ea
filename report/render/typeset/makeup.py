"""The newsletter feature's last page ends at the foot of the type area (issue 23 item 1).

On the printed 広報ひおき page the feature ends its spread at the foot: the closing box (お知らせ・
お問い合わせ, the QR code) closes the right-hand column there, and the left column runs down to it.
Column balancing ends both columns where the content runs out, often well above the foot (the
sample's page 3 ended 42 mm short). So, when the last page ends its spread (a right-hand page, or
a feature of one page), in the laid-out page (no new layout: report/render/typeset/settle.py):

- each column takes the room left under it where a designer adds 行取り (report/render/typeset/closing.py
  `_openings`: a whole line at each place between blocks and inside measures), as far as its
  openings allow, so what follows each opening stays on the grid of the lines above it;
- the closing box is pinned to the foot; what its column could not take stays above the box.

A last page ending on a left page (the feature is a page too long) and a page its openings cannot
fill keep closing.py's levelled ending; the build then says how many lines to cut or add
(`spread_advice`), counting the room that stays empty: under the columns and above the box.
"""

from __future__ import annotations

import math

from report.render.typeset import fill
from report.render.typeset.baseline_grid import snap_to_grid
from report.render.typeset.closing import LastPage, _feather, _openings, _room, _rule_to, last_page
from report.render.typeset.closing import end_level as end_level_with_longest
from report.render.typeset.fit import SHORT_BY_LINES, ends_on_right_page
from report.render.typeset.fit import spread_advice as spread_advice_by_columns
from report.render.typeset.flow import content_bottom, flowing
from report.render.typeset.settle import move_down, settle

# Within this much of a whole line a column counts as reaching it (rounding of laid-out positions).
EPSILON = 0.01


def fill_columns(document, pitch: float) -> list[fill.Opened]:  # noqa: ANN001 - weasyprint.Document
    """Every page's columns on one baseline grid (report/render/typeset/baseline_grid.py), then the short
    columns of continuing pages opened in whole lines down to the foot (report/render/typeset/fill.py).
    Returns the columns opened."""
    snap_to_grid(document, pitch)
    return fill.fill_columns(document, pitch)


def ends_its_spread(document, first_page: int) -> bool:  # noqa: ANN001 - weasyprint.Document
    """The feature's last page is the last page of its spread: a right-hand page, or its only page."""
    return len(document.pages) == 1 or ends_on_right_page(first_page, len(document.pages))


def _above_closing(column, closing) -> float:  # noqa: ANN001 - WeasyPrint boxes
    """Where the column's content before the closing box ends (its top when there is none)."""
    boxes = flowing(column)
    for parent in [column, *boxes]:
        children = flowing(parent)
        if closing in children:
            before = children[:children.index(closing)]
            bottoms = [b for b in (content_bottom(box) for box in before) if b is not None]
            if bottoms:
                return max(bottoms)
            if parent is not column:
                return parent.content_box_y()
    return column.content_box_y()


def _whole_lines(room: float, pitch: float) -> int:
    return max(0, math.floor(room / pitch + EPSILON))


def _lines_to_open(column, bottom: float, foot: float, pitch: float) -> int:  # noqa: ANN001 - a column box
    """The whole lines a column ending at `bottom` takes towards `foot`, as far as its openings can."""
    return min(_whole_lines(foot - bottom, pitch), _whole_lines(_room(_openings(column), pitch), pitch))


def reaches_foot(page: LastPage, pitch: float) -> bool:
    """True when opening its columns brings each within SHORT_BY_LINES lines of the foot (the
    closing box's column reaches it: the box is pinned there)."""
    return all(page.foot - bottom - _lines_to_open(column, bottom, page.foot, pitch) * pitch
               <= SHORT_BY_LINES * pitch + EPSILON
               for column, bottom in zip(page.columns, page.bottoms)
               if page.closing is None or column is not page.columns[-1])


def level_at_foot(document, pitch: float) -> bool:  # noqa: ANN001 - weasyprint.Document
    """Open the last page's columns down to the foot of the type area and pin the closing box there,
    when that brings every column within two lines of the foot (`reaches_foot`). False (nothing
    moved) when it does not, or the page has no two columns holding anything."""
    page = last_page(document)
    if page is None or not reaches_foot(page, pitch):
        return False
    for column, bottom in zip(page.columns, page.bottoms):
        if (lines := _lines_to_open(column, bottom, page.foot, pitch)) >= 1:
            _feather(column, _openings(column), lines, pitch)
    if page.closing is not None:
        move_down(page.columns[-1], page.closing, page.foot - page.closing_bottom())
    settle(document, len(document.pages) - 1, page.columns)
    _rule_to(last_page(document), page.foot)
    return True


def end_level(document, pitch: float, first_page: int) -> bool:  # noqa: ANN001 - weasyprint.Document
    """The last page ended as a designer ends a feature's spread: at the foot of the type area when
    the page ends its spread (`level_at_foot`), else level with its longest column (closing.py).
    True when the columns now end within a line of each other (or at the foot)."""
    if ends_its_spread(document, first_page) and level_at_foot(document, pitch):
        return True
    return end_level_with_longest(document, pitch)


def empty_lines(page: LastPage, pitch: float) -> int:
    """Whole lines left empty on a last page: under each column, and above the closing box."""
    empty = sum(page.foot - bottom for bottom in page.bottoms)
    if page.closing is not None:
        empty -= page.foot - page.bottoms[-1]  # the box's column is counted above the box
        above = _above_closing(page.columns[-1], page.closing)
        empty += page.closing.border_box_y() - above - page.closing.margin_top
    return round(max(0.0, empty) / pitch)


def spread_advice(document, first_page: int, pitch: float) -> str | None:  # noqa: ANN001
    """What the city can do when the feature cannot fill its pages (fit.py's advice), counting on a
    last page ended at the foot the lines left empty above the closing box too."""
    said = spread_advice_by_columns(document, first_page, pitch)
    if said is not None or not ends_its_spread(document, first_page):
        return said
    page = last_page(document)
    lines = empty_lines(page, pitch) if page is not None else 0
    if lines <= SHORT_BY_LINES * 2:
        return None
    last = first_page + len(document.pages) - 1
    return (f"特集の最後のページ({last}ページ)は、約{lines}行分の空きが残ります(お問い合わせの枠の上など)。"
            f"本文をあと約{lines}行足すとページの下まで埋まります")
