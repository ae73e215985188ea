"""Copy-fitting (文字詰め) for spreads: a newsletter feature should end on a right-hand page.

When the laid-out feature ends on a left page, leaving its last spread half empty, the body's
line spacing is tightened one step (1.5 → 1.45 at koho's variables) and kept if that fills whole
spreads, as a designer would adjust 行送り by hand. One step only: each try is a whole second
layout, and it is not tried when the first layout shows that it cannot save a page
(report/render/typeset/flow.py). A try changes nothing but the generated stylesheet's line height
(report.render.html.generated_css).

A warm process (koho serve) may ask for the line height that fitted last time first (`first`):
when that ends on a right-hand page it is handed to `provisional` at once (the preview shows it),
and the exact fit goes on, reusing that layout; it differs only when the data now fit the
stylesheet's own line height.

When no layout fills the feature's pages, `spread_advice` says how many lines of text to cut (it ends
on a left page) or to add (its last page ends more than two lines a column above the foot), and the
build prints it as an お知らせ (issue 23).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from report.render.typeset.flow import _children, cannot_lose_a_page, content_bottom, measure, page_columns

# How much tighter the one try sets the body: 1.5 → 1.45 is still comfortable for Japanese text.
TIGHTER_BY = 0.05

Fitted = tuple[float | None, Any]  # the line height chosen (None: the stylesheet's own), the document


def ends_on_right_page(first_page: int, pages: int) -> bool:
    """Left-bound: odd folios are right-hand pages."""
    return (first_page + pages - 1) % 2 == 1


def fit_to_spreads(lay_out: Callable[[float | None], Any], first_page: int, line_height: float,
                   first: float | None = None, provisional: Callable[[Fitted], None] | None = None) -> Fitted:
    """Lay out at the stylesheet's `line_height`; if the last spread is incomplete, try one step
    tighter once. Returns the line height chosen (None: the stylesheet's own) and the document.

    With `first` (the line height that fitted last time) that is laid out first; if it ends on a
    right-hand page it goes to `provisional` (or is returned at once when there is none).
    """
    tighter_height = round(line_height - TIGHTER_BY, 3)
    laid_out: dict[float | None, Any] = {}

    def attempt(height: float | None) -> Any:
        if height not in laid_out:
            laid_out[height] = lay_out(height)
        return laid_out[height]

    if first == tighter_height and ends_on_right_page(first_page, len(attempt(first).pages)):
        if provisional is None:
            return first, laid_out[first]
        provisional((first, laid_out[first]))
    document = attempt(None)
    pages = len(document.pages)
    if ends_on_right_page(first_page, pages) or pages < 2:
        return None, document
    if tighter_height not in laid_out:
        flow = measure(document, line_height)
        if flow is not None and cannot_lose_a_page(flow, tighter_height):
            return None, document
    tighter = attempt(tighter_height)
    if ends_on_right_page(first_page, len(tighter.pages)) and len(tighter.pages) < pages:
        return tighter_height, tighter
    return None, document


# A last page is short when its columns end more than this many lines above the foot (issue 23).
SHORT_BY_LINES = 2


def column_room(document) -> list[tuple[float, float]] | None:  # noqa: ANN001 - weasyprint.Document
    """Per page, over its columns: the height drawn in them and the room left under what is drawn
    down to the foot of the type area (CSS px). None when a page has no columns."""
    found = []
    for page in document.pages:
        columns = page_columns(page)
        if columns is None:
            return None
        page_box, columns_box = columns
        foot, top = page_box.content_box_y() + page_box.height, columns_box.content_box_y()
        count = max(columns_box.style["column_count"], len(_children(columns_box)))
        bottoms = [content_bottom(column) or top for column in _children(columns_box)]
        drawn = sum(bottom - top for bottom in bottoms)
        found.append((drawn, count * (foot - top) - drawn))
    return found


def spread_advice(document, first_page: int, pitch: float) -> str | None:  # noqa: ANN001
    """What the city can do when the laid-out feature cannot fill its pages, in lines of body text
    (`pitch`, CSS px): ending on a left page, how many lines to cut for it to end on the right page
    before (what the last page holds: the room left on earlier pages is what their breaks keep);
    ending more than two lines a column short of the foot, how many lines would fill the
    page. None when it ends well."""
    pages = column_room(document)
    if pages is None:
        return None
    last = first_page + len(pages) - 1
    if len(pages) >= 2 and not ends_on_right_page(first_page, len(pages)):
        lines = math.ceil(pages[-1][0] / pitch)  # the last page's worth: room left earlier is kept by breaks
        return (f"特集が左ページ({last}ページ)で終わり、そのページは下まで埋まりません。"
                f"本文をあと約{lines}行削ると右ページ({last - 1}ページ)に収まります")
    lines = math.floor(pages[-1][1] / pitch)  # over the last page's columns
    if lines > SHORT_BY_LINES * 2:
        return (f"特集の最後のページ({last}ページ)は、下に約{lines}行分の空きがあります。"
                f"本文をあと約{lines}行足すとページの下まで埋まります")
    return None
