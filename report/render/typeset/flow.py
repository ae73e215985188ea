"""How full a laid-out newsletter's columns are, and what a change of line height can do to it.

Copy-fitting changes only the body's line height, so from one layout koho can bound what another
would look like: every line box grows or shrinks by at most (difference of line heights × its
font size); margins, headings with their own line height and images do not change. The bound
tells when a tighter layout cannot save a page, so it is not done (see fit.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Flow:
    """The columns of a laid-out document, in CSS px."""

    line_height: float  # the body line height the document was laid out with
    used: tuple[float, ...]  # per page: column content heights, summed over its columns
    capacity: tuple[float, ...]  # per page: room in its columns (column count × column height)
    line_sizes: float  # sum of the font sizes of every line box of the pages (nested ones too)

    @property
    def pages(self) -> int:
        return len(self.used)

    def most_change(self, other: float) -> float:
        """The most the content can grow (or shrink) at line height `other`: every line box by
        its font size × the difference (a nested line box adds to its outer one: still a bound)."""
        return abs(other - self.line_height) * self.line_sizes


def _children(box) -> list:  # noqa: ANN001 - WeasyPrint boxes
    return list(getattr(box, "children", None) or ())


def classes(box) -> list[str]:  # noqa: ANN001 - WeasyPrint boxes
    """The class names of the element a box was made for (none for an anonymous box)."""
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _walk(box) -> Iterator:  # noqa: ANN001
    yield box
    for child in _children(box):
        yield from _walk(child)


def _multicolumn(box):  # noqa: ANN001, ANN202 - the first box laid out in columns, or None
    for found in _walk(box):
        if found.style["column_count"] != "auto" and _children(found):
            return found
    return None


def page_columns(page):  # noqa: ANN001, ANN202 - weasyprint Page
    """A laid-out page's box and its box laid out in columns, or None when it has no columns."""
    page_box = getattr(page, "_page_box", None)  # WeasyPrint keeps the box tree here
    columns_box = _multicolumn(page_box) if page_box is not None else None
    return None if columns_box is None else (page_box, columns_box)


def continuing_pages(document) -> Iterator[tuple[int, float, list]]:  # noqa: ANN001 - weasyprint.Document
    """Every page but the last that is laid out in columns: its index, the foot of its type area
    (CSS px down the page) and its column boxes."""
    for index, page in enumerate(document.pages[:-1]):
        found = page_columns(page)
        if found is not None:
            page_box, columns_box = found
            yield index, page_box.content_box_y() + page_box.height, _children(columns_box)


def flowing(column) -> list:  # noqa: ANN001 - a column box
    """The boxes of a column in normal flow (not floats nor positioned boxes)."""
    return [child for child in _children(column) if child.is_in_normal_flow()]


def _drawn(box) -> bool:  # noqa: ANN001
    """A box whose own edges show: a background, a border or an image (not a bare wrapper)."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    if isinstance(box, LineBox | ReplacedBox):
        return True
    style = box.style
    return bool(style["background_color"].alpha or any(
        style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left")))


def content_bottom(box) -> float | None:  # noqa: ANN001 - a WeasyPrint box
    """Where what is drawn of `box` ends (CSS px down the page): the lowest line, image, background
    or border in normal flow under it. Not its own height: a block split at a page or column break
    runs on to the foot of the column, however much of it is printed there; a float (a measure's
    photo) counts, as it is drawn there. None when nothing is."""
    if not box.is_in_normal_flow() and not box.is_floated():
        return None
    bottoms = [content_bottom(child) for child in _children(box)]
    if _drawn(box):
        bottoms.append(box.border_box_y() + box.border_height())
    return max((bottom for bottom in bottoms if bottom is not None), default=None)


def _lines(box) -> Iterator:  # noqa: ANN001
    """Every line box under `box`, those inside other line boxes (inline blocks) too."""
    from weasyprint.formatting_structure.boxes import LineBox

    return (found for found in _walk(box) if isinstance(found, LineBox))


def measure(document, line_height: float) -> Flow | None:  # noqa: ANN001 - weasyprint.Document
    """The flow of a document laid out at body `line_height`; None when it has no columns."""
    used, capacity, line_sizes = [], [], 0.0
    for page in document.pages:
        found = page_columns(page)
        if found is None:
            return None
        page_box, columns_box = found
        bottom = page_box.content_box_y() + page_box.height
        top = columns_box.content_box_y()
        count = columns_box.style["column_count"]
        columns = _children(columns_box)
        used.append(sum(_content_height(column, top) for column in columns))
        capacity.append(max(count, len(columns)) * (bottom - top))
        line_sizes += sum(line.style["font_size"] for line in _lines(page_box))  # margin boxes too
    return Flow(line_height, tuple(used), tuple(capacity), line_sizes)


def _content_height(column, top: float) -> float:  # noqa: ANN001
    boxes = flowing(column)
    if not boxes:
        return 0.0
    return max(0.0, boxes[-1].position_y + boxes[-1].margin_height() - top)


def cannot_lose_a_page(flow: Flow, tighter: float) -> bool:
    """True when no layout at `tighter` can fit in one page less: even if every line shrank as
    much as it can and all the room left on the earlier pages were filled, the last page's
    content would not fit."""
    room_before = sum(c - u for c, u in zip(flow.capacity[:-1], flow.used[:-1]))
    return flow.used[-1] > flow.most_change(tighter) + room_before

