"""The closing box (お知らせ・お問い合わせ) never ends the feature alone on a page (issue 12 item 6).

The closing box keeps together (`break-inside: avoid`), so when it does not fit under the last
measure it moves whole to a page of its own, with nothing else on it. A designer would carry the
last measure over with it: koho lays the document out once more with the last measure starting a
new page, and keeps that layout when it has as many pages and the box no longer stands alone.
"""

from __future__ import annotations

from report.render.flow import _children, flowing, page_columns

CLOSING_CLASS = "closing"

# The last measure of the last area starts a page, so the closing box has company there.
CARRY_LAST_MEASURE_CSS = ".areas > .area:last-of-type > .measure:last-of-type { break-before: page; }"


def _classes(box) -> list[str]:  # noqa: ANN001 - weasyprint boxes
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def closing_alone(document) -> bool:  # noqa: ANN001 - weasyprint.Document
    """True when the last page's columns hold the closing box and nothing else."""
    if len(document.pages) < 2:
        return False
    found = page_columns(document.pages[-1])
    if found is None:
        return False
    boxes = [child for column in _children(found[1]) for child in flowing(column)]
    return bool(boxes) and all(CLOSING_CLASS in _classes(child) for child in boxes)
