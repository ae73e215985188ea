"""Copy-fitting (文字詰め) for spreads: a newsletter feature should end on a right-hand page.

When the laid-out feature ends on a left page, leaving its last spread half empty, the body's
line spacing is tightened one step (1.5 → 1.45 at koho's variables) and kept if that fills whole
spreads, as a designer would adjust 行送り by hand. One step only: each try is a whole second
layout, and it is not tried when the first layout shows that it cannot save a page
(report/render/flow.py). A try changes nothing but the generated stylesheet's line height
(report.render.generated_css).

A warm process (koho serve) may ask for the line height that fitted last time first (`first`):
when that ends on a right-hand page it is handed to `provisional` at once (the preview shows it),
and the exact fit goes on, reusing that layout; it differs only when the data now fit the
stylesheet's own line height.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from report.render.flow import cannot_lose_a_page, measure

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
