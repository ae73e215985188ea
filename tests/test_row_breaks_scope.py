"""The handout's row-break extension (report/render/typeset/extensions/row_breaks.py) changes what
`break-inside: avoid-page` means for a table row only: installed once per process for every kind, it
must leave the CSS meaning of `avoid-page` on any other box (a project's own stylesheet) alone, even
after a table was laid out earlier in the document."""

from __future__ import annotations

from report.render.typeset.extensions import row_breaks

LINES = 25


def _first_page_of_kept_block(html: str) -> int:
    """The 1-based page on which the block of class `keep` starts."""
    from weasyprint import HTML

    for number, page in enumerate(HTML(string=html).render().pages, start=1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "element", None) is not None and "keep" in (box.element.get("class") or ""):
                return number
            stack.extend(getattr(box, "children", ()))
    raise AssertionError("the kept block was not laid out")


def test_avoid_page_on_a_block_after_a_table_keeps_the_block_whole() -> None:
    assert row_breaks.install()
    lines = "".join(f"<p>行{i}</p>" for i in range(LINES))
    html = ("<style>@page { size: A5; margin: 10mm } p { margin: 0; line-height: 20pt }"
            ".keep { break-inside: avoid-page }</style>"
            "<table><tr><td>表</td></tr></table><div style='height: 60mm'></div>"
            f"<div class='keep'>{lines}</div>")
    # 25 lines of 20 pt (176 mm) do not fit under the 60 mm block on an A5 page (190 mm of type area)
    # but fit a page of their own: kept whole, the block starts on page 2.
    assert _first_page_of_kept_block(html) == 2
