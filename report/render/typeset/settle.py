"""Moving boxes of a laid-out page down, without laying the document out again.

A box moves with everything after it in its column (its later siblings, and the later siblings of
each of its ancestors), and every ancestor grows by as much, so what follows keeps its place
relative to it and the column's backgrounds and borders still enclose it. Only vertical moves
inside one column: nothing wraps or breaks differently, so no line needs laying out again.
WeasyPrint places backgrounds and gathers a page's links and anchors once, when it makes the
page, so both are done again for the moved boxes (`settle`).

This uses WeasyPrint's box tree as laid out (`Box.translate`, the page's `_page_box`, the `Page`
constructor, `layout_box_backgrounds`), tested with the versions pyproject.toml allows;
tests/test_ending.py checks on the PDF that a moved box is drawn, tagged and linked where it was
moved.
"""

from __future__ import annotations

from collections.abc import Iterator

from report.render.typeset.flow import _children, _walk


def path_to(root, box) -> list | None:  # noqa: ANN001
    """The boxes from `root` down to `box` (both included), or None when it is not under root."""
    if root is box:
        return [root]
    for child in _children(root):
        found = path_to(child, box)
        if found is not None:
            return [root, *found]
    return None


def after(parent, child) -> Iterator:  # noqa: ANN001
    """The siblings that come after `child` under `parent`."""
    siblings = _children(parent)
    yield from siblings[siblings.index(child) + 1:]


def move_down(column, box, amount: float) -> None:  # noqa: ANN001 - WeasyPrint boxes
    """Move `box` and all that follows it in `column` down by `amount` (CSS px; up when negative);
    its ancestors below the column grow (or shrink) by as much."""
    path = path_to(column, box)
    if path is None or amount == 0:
        return
    box.translate(dy=amount)
    for parent, child in zip(reversed(path[:-1]), reversed(path[1:])):
        for later in after(parent, child):
            later.translate(dy=amount)
        if parent is not column:
            parent.height += amount


def _fetched(page_box) -> dict:  # noqa: ANN001
    """The images a laid-out page's backgrounds and border images already use, by URL."""
    found = {}
    for box in _walk(page_box):
        background = getattr(box, "background", None)
        if background is not None:
            found.update({value: layer.image for (kind, value), layer
                          in zip(box.style["background_image"], background.layers) if kind == "url"})
        for source, attribute in (("border_image_source", "border_image"), ("mask_border_source", "mask_border_image")):
            kind, value = box.style[source]
            if kind == "url" and getattr(box, attribute, None) is not None:
                found[value] = getattr(box, attribute)
    return found


def settle(document, index: int, moved: list) -> None:  # noqa: ANN001 - weasyprint.Document
    """After boxes of page `index` moved: the backgrounds of the `moved` boxes (and of all under
    them) placed again, and the page's links, anchors and bookmarks gathered again. WeasyPrint
    places both once, when it makes the page; the images are the ones it fetched then."""
    from weasyprint.document import Page
    from weasyprint.layout.background import layout_box_backgrounds

    page_box = document.pages[index]._page_box  # noqa: SLF001 - the laid-out box tree
    fetched = _fetched(page_box)
    for box in moved:
        layout_box_backgrounds(page_box, box, lambda url, orientation=None: fetched.get(url))
    document.pages[index] = Page(page_box)
