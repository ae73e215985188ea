"""The newsletter's make-up chosen for the whole feature among a few candidates (issue 23 item 1).

A first layout that ends well is kept as it is: nothing more is laid out. When it is poor — its
last page leaves POOR_LINES or more lines empty, or the feature ends on a left page — a designer
changes the whole feature, not one page: here the bar charts over years are drawn taller (or
shorter) within their range (report/render/html/sizes.py BAR_HEIGHT_RANGE_MM), by as much as the
empty (or excess) lines need spread over the charts, and by half that (`heights_to_try`). At most
MOST_CANDIDATES more layouts (each typeset as the first: breaks repaired, the last page levelled),
and none when even every chart at the end of its range could not end the page well (a page left
near empty, a feature a page too long: the お知らせ says how many lines to add or cut). Each layout
is scored (`Score`) and the best kept; the first one when none is better.

Then, in the layout kept, a continuing page's column that ends more than two lines above the foot
after its openings (fill.py) — a figure box kept whole went on, or the last measure was carried to
the last page — gives that room to its bar charts, drawn taller in one more layout (`short_columns`,
`column_heights`), kept when it fills the continuing pages more closely at no other cost
(`fills_more`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from charts.spec import BAR_HEIGHT_MM
from report.render.html.sizes import BAR_HEIGHT_RANGE_MM
from report.render.typeset.breaks import problems
from report.render.typeset.closing import last_page
from report.render.typeset.fill import Opened
from report.render.typeset.fit import SHORT_BY_LINES, column_room
from report.render.typeset.flow import classes, content_bottom, continuing_pages, flowing
from report.render.typeset.makeup import empty_lines, ends_its_spread

POOR_LINES = 3  # a last page leaving this many lines empty is worth another layout
MOST_CANDIDATES = 2  # more layouts than the first, at most
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True, order=True)
class Score:
    """How a designer ranks a layout's ending; the smaller, the better: first one ending within two
    lines of the foot on a right-hand (or its only) page, then fewer pages, then fewer empty lines
    on the last page, then fewer things changed (`moves`: charts drawn at another height)."""

    misses_foot: bool
    pages: int
    empty: int
    moves: int = 0


def empty_lines_of(document, pitch: float) -> int:  # noqa: ANN001 - weasyprint.Document
    """The whole lines left empty on the last page: under its columns and above the closing box."""
    page = last_page(document)
    if page is not None:
        return empty_lines(page, pitch)
    rooms = column_room(document)
    return round(rooms[-1][1] / pitch) if rooms else 0


def score(document, first_page: int, pitch: float, moves: int = 0) -> Score:  # noqa: ANN001
    """A laid-out (and levelled) document's score; `pitch`: a body line, CSS px."""
    empty = empty_lines_of(document, pitch)
    ends_well = ends_its_spread(document, first_page) and empty <= SHORT_BY_LINES
    return Score(not ends_well, len(document.pages), empty, moves)


def is_poor(document, first_page: int, pitch: float) -> bool:  # noqa: ANN001
    """True when the layout is worth other candidates: it ends on a left page, or its last page
    leaves POOR_LINES lines or more empty."""
    return not ends_its_spread(document, first_page) or empty_lines_of(document, pitch) >= POOR_LINES


def heights_to_try(document, first_page: int, pitch: float, bars: int) -> list[float]:  # noqa: ANN001
    """The bar charts' heights (mm, whole) worth a layout: the `bars` charts sharing the lines the last
    page leaves empty (or, ending on a left page, the lines it holds), within their range, and half
    that change. None when there is no bar chart, when drawing them all at the top of their range could
    not bring the page within two lines a column of the foot, or shortening them all could not save
    the page."""
    if bars == 0:
        return []
    low, high = BAR_HEIGHT_RANGE_MM
    if ends_its_spread(document, first_page):
        empty = empty_lines_of(document, pitch)
        if bars * (high - BAR_HEIGHT_MM) < (empty - 2 * SHORT_BY_LINES) * pitch / PX_PER_MM:
            return []  # the charts' range cannot take the page within two lines a column of the foot
        target = min(high, BAR_HEIGHT_MM + empty * pitch / PX_PER_MM / bars)
    else:
        rooms = column_room(document)
        held = math.ceil(rooms[-1][0] / pitch) * pitch / PX_PER_MM if rooms else math.inf
        if bars * (BAR_HEIGHT_MM - low) < held:
            return []  # the last page's content cannot go into the charts' room
        target = BAR_HEIGHT_MM - held / bars
    heights = [float(round(target)), float(round((BAR_HEIGHT_MM + target) / 2))]
    return list(dict.fromkeys(h for h in heights if h != BAR_HEIGHT_MM))[:MOST_CANDIDATES]


Laid = tuple[Any, Any]  # a Typesetter and its ended layout (report/commands/build.py)
Candidate = tuple[int, Callable[[], Laid]]  # its moves, and how to lay it out


def best(first: Laid, candidates: list[Candidate], first_page: int, pitch: float) -> Laid:
    """The best scored of the `first` layout and the `candidates` (each its moves and how to lay it
    out, called in turn until one ends well); a candidate with more bad breaks (breaks.py) than the
    first is not kept."""
    chosen, chosen_score = first, score(first[1].document, first_page, pitch)
    allowed = problems(first[1].document)
    for moves, lay_out in candidates:
        if not chosen_score.misses_foot:
            break  # it ends at the foot: the rest could only save a line or two more
        laid = lay_out()
        found = score(laid[1].document, first_page, pitch, moves)
        if found < chosen_score and problems(laid[1].document) <= allowed:
            chosen, chosen_score = laid, found
    return chosen


# When a layout is made for a short column, a column that opened this many lines inside its measures
# (fill.py) gives them to its charts too.
INSIDE_LINES_WORTH = 2


@dataclass(frozen=True)
class ShortColumn:
    """A column of a continuing page that its charts could fill better than its openings do: it ends
    more than SHORT_BY_LINES lines above the foot of the type area after its openings took what they
    could (fill.py), or — when some column does — took INSIDE_LINES_WORTH lines or more inside its
    measures (between a vision and its actions, above a figure box). `room`: what its charts may take
    (CSS px: the room left and the lines opened inside measures); the measures whose figures boxes it
    holds."""

    page: int  # 0-based
    room: float
    measures: tuple[str, ...]


def _figure_measures(column) -> list[str]:  # noqa: ANN001 - a column box
    """The ids of the measures (`measure-<id>` elements) whose figures box is laid out in a column."""
    found: list[str] = []

    def visit(box, measure: str | None) -> None:  # noqa: ANN001
        for child in flowing(box):
            named = classes(child)
            inside = (child.element.get("id") or "").removeprefix("measure-") if "measure" in named else measure
            if "figures" in named and inside and inside not in found:
                found.append(inside)
            visit(child, inside)

    visit(column, None)
    return found


def _gaps(document) -> Iterator[tuple[int, int, object, float]]:  # noqa: ANN001 - weasyprint.Document
    """Each column holding anything on every page but the last: (page, column number, the column box,
    how far its content ends above the foot, CSS px)."""
    for index, foot, columns in continuing_pages(document):
        for number, column in enumerate(columns):
            if (bottom := content_bottom(column)) is not None:
                yield index, number, column, foot - bottom


def _inside(opened: Iterable[Opened]) -> dict[tuple[int, int], int]:
    return {(column.page, column.column): column.inside for column in opened}


def short_columns(document, pitch: float, opened: Iterable[Opened] = ()) -> list[ShortColumn]:  # noqa: ANN001
    """The columns of continuing pages their charts could fill better (`ShortColumn`); none unless one
    ends more than SHORT_BY_LINES lines above the foot (lines opened inside measures alone are not
    worth a layout). `opened`: the columns fill.py opened; `pitch`: a body line, CSS px."""
    inside, gaps = _inside(opened), list(_gaps(document))
    if all(gap <= SHORT_BY_LINES * pitch + 0.01 for *_, gap in gaps):
        return []
    return [ShortColumn(index, gap + inside.get((index, number), 0) * pitch, tuple(_figure_measures(column)))
            for index, number, column, gap in gaps
            if gap > SHORT_BY_LINES * pitch + 0.01 or inside.get((index, number), 0) >= INSIDE_LINES_WORTH]


def looseness(document, pitch: float, opened: Iterable[Opened] = ()) -> float:  # noqa: ANN001
    """How loosely the continuing pages are filled (CSS px): their columns' ends more than SHORT_BY_LINES
    lines above the foot, and the lines opened inside measures."""
    inside = _inside(opened)
    return sum(max(0.0, gap - SHORT_BY_LINES * pitch) + inside.get((index, number), 0) * pitch
               for index, number, _, gap in _gaps(document))


def column_heights(short: list[ShortColumn], heights: Callable[[str], tuple[float, int] | None]) -> dict[str, float]:
    """Measure id → the height (mm, whole, within BAR_HEIGHT_RANGE_MM) its bar charts are drawn at, so
    the bar charts of each short column take the room it leaves (shared evenly, never more, so
    nothing moves on to the next column). `heights(id)`: a measure's bar-chart height (mm) and count,
    None when it has none."""
    high = BAR_HEIGHT_RANGE_MM[1]
    chosen: dict[str, float] = {}
    for column in short:
        bars = {measure: found for measure in column.measures if (found := heights(measure)) is not None}
        count = sum(n for _, n in bars.values())
        if count == 0:
            continue
        added = column.room / PX_PER_MM / count
        for measure, (height, _) in bars.items():
            taller = float(min(high, math.floor(height + added)))
            if taller > height:
                chosen[measure] = taller
    return chosen


def fills_more(first: tuple[Any, Iterable[Opened]], other: tuple[Any, Iterable[Opened]], first_page: int,
               pitch: float) -> bool:
    """True when the `other` layout (a document and the columns fill.py opened in it) fills its
    continuing pages more closely than the `first` (`looseness`), with no more pages, no more bad
    breaks and a last page ending no worse."""
    (before, opened_before), (after, opened_after) = first, other
    return (len(after.pages) == len(before.pages) and problems(after) <= problems(before)
            and score(after, first_page, pitch) <= score(before, first_page, pitch)
            and looseness(after, pitch, opened_after) < looseness(before, pitch, opened_before) - 0.01)
