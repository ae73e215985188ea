"""Copy-fitting (文字詰め) for spreads: a newsletter feature should end on a right-hand page.

When the laid-out feature ends on a left page, leaving its last spread half empty, the body's
line spacing is tightened one step (1.5 → 1.45) and kept if that fills whole spreads, as a
designer would adjust 行送り by hand. One step only: each try is a whole second layout, and it is
not tried when the first layout shows that it cannot close the spread (report/flow.py).

A warm process (koho serve) may ask for the line height that fitted last time first (`first`):
when that ends on a right-hand page it is handed to `provisional` at once (the preview shows it),
and the exact fit goes on, reusing that layout; it differs only when the data now fit the
stylesheet's own line height.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .flow import cannot_lose_a_page, measure

# The line height to try after the stylesheet's own 1.5: still comfortable for 10pt Japanese text.
TIGHTER_LINE_HEIGHT = "1.45"
_LINE_HEIGHT_RE = re.compile(r"--line-height:\s*([0-9.]+)")


@dataclass(frozen=True)
class Fit:
    """The chosen rendering: its HTML, its layout, its line height (None: the stylesheet's)."""

    html: str
    document: Any
    line_height: str | None
    provisional: bool = False  # the line height that fitted last time, not checked against 1.5


def ends_on_right_page(first_page: int, pages: int) -> bool:
    """Left-bound: odd folios are right-hand pages."""
    return (first_page + pages - 1) % 2 == 1


def stylesheet_line_height(html: str) -> float | None:
    """The body line height the HTML's own CSS sets (the last --line-height), if it says."""
    found = _LINE_HEIGHT_RE.findall(html)
    return float(found[-1]) if found else None


def _tighter_cannot_help(html: str, document: Any) -> bool:
    loose = stylesheet_line_height(html)
    flow = measure(document, loose) if loose is not None and loose > float(TIGHTER_LINE_HEIGHT) else None
    return flow is not None and cannot_lose_a_page(flow, float(TIGHTER_LINE_HEIGHT))


def fit_to_spreads(render: Callable[[str | None], str], lay_out: Callable[[str], Any],
                   first_page: int, first: str | None = None,
                   provisional: Callable[[Fit], None] | None = None) -> Fit:
    """Render and lay out; if the last spread is incomplete, try the tighter spacing once.

    With `first` (the line height that fitted last time) that is laid out first; if it ends on a
    right-hand page it goes to `provisional` (or is returned, marked provisional, without one).
    """
    tried: dict[str | None, Fit] = {}

    def attempt(line_height: str | None) -> Fit:
        if line_height not in tried:
            html = render(line_height)
            tried[line_height] = Fit(html, lay_out(html), line_height)
        return tried[line_height]

    if first == TIGHTER_LINE_HEIGHT:
        early = attempt(first)
        if ends_on_right_page(first_page, len(early.document.pages)):
            guess = Fit(early.html, early.document, first, provisional=True)
            if provisional is None:
                return guess
            provisional(guess)
    loose = attempt(None)
    pages = len(loose.document.pages)
    if ends_on_right_page(first_page, pages) or pages < 2:
        return loose
    if TIGHTER_LINE_HEIGHT not in tried and _tighter_cannot_help(loose.html, loose.document):
        return loose
    tighter = attempt(TIGHTER_LINE_HEIGHT)
    if ends_on_right_page(first_page, len(tighter.document.pages)) and len(tighter.document.pages) < pages:
        return tighter
    return loose
