"""Columns of a continuing page filled down to the foot of the type area (issue 23 item 1).

A figure box kept whole (`break-inside: avoid`) goes over to the next column when it does not fit,
leaving the column before it short by up to its height. In the laid-out page (no new layout, only
positions: report/render/typeset/settle.py), a column ending more than a line above the foot takes the
difference where a designer adds 行取り — a whole line at each place, between blocks first
(report/render/typeset/closing.py `_feather`), so the baseline grid holds — and ends less than a line above
the foot, or as near as its openings allow. The last page is closing.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.render.typeset.closing import INSIDE_MEASURE, _feather, _halves, _openings, _room
from report.render.typeset.flow import _children, content_bottom, page_columns
from report.render.typeset.settle import settle


@dataclass(frozen=True)
class Opened:
    """A column opened down to the foot: on which page (0-based), which column, how many whole lines,
    and how many of those went inside measures (above a figure box, between vision and actions, between
    two actions) rather than between blocks."""

    page: int
    column: int
    lines: int
    inside: int


def _inside_lines(openings: list[tuple[object, int]], lines: int) -> int:
    """How many of `lines` whole lines `_feather` puts inside measures."""
    return sum(halves for (_, kind), halves in zip(openings, _halves(openings, lines)) if kind == INSIDE_MEASURE) // 2


def fill_columns(document, pitch: float) -> list[Opened]:  # noqa: ANN001 - weasyprint.Document
    """Open the short columns of every page but the last (`pitch`: a line, CSS px). Returns the
    columns opened."""
    opened: list[Opened] = []
    for index, page in enumerate(document.pages[:-1]):
        found = page_columns(page)
        if found is None:
            continue
        page_box, columns_box = found
        foot = page_box.content_box_y() + page_box.height
        moved = []
        for number, column in enumerate(_children(columns_box)):
            bottom = content_bottom(column)
            if bottom is None:
                continue
            lines = int(min((foot - bottom) // pitch, _room(openings := _openings(column), pitch) // pitch))
            if lines >= 1:
                _feather(column, openings, lines, pitch)
                moved.append(column)
                opened.append(Opened(index, number, lines, _inside_lines(openings, lines)))
        if moved:
            settle(document, index, moved)
    return opened
