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
from report.render.typeset.flow import content_bottom, continuing_pages
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
    for index, foot, columns in continuing_pages(document):
        moved = []
        for number, column in enumerate(columns):
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
