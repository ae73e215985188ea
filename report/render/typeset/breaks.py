"""Page breaks a 広報 designer would not leave in the newsletter, found in a laid-out document, and
the CSS that repairs them in one more layout (issue 12 item 6).

- A chart opening a page: a measure's figures box (`break-inside: avoid`) went over to the next
  page alone, its measure's text left on the page before. Repaired by keeping that box with the
  line before it (`break-before: avoid` for that measure's box only: a rule for every box would
  cost the sample its one spread, since a column may well open with a chart).
- The closing box alone on the last page (report/render/typeset/closing.py): the last measure is carried
  over with it.

Both are repaired in the same layout, so a document needing both is laid out once more, not twice.
"""

from __future__ import annotations

from report.render.typeset.closing import CARRY_LAST_MEASURE_CSS, closing_alone
from report.render.typeset.flow import _children, _walk, classes, flowing, page_columns

FIGURES_CLASS = "figures"


def _opening_boxes(page) -> list:  # noqa: ANN001 - weasyprint Page
    """The first box at each level down from a page's first column: what opens the page."""
    found = page_columns(page)
    columns = _children(found[1]) if found else []
    opening, box = [], columns[0] if columns else None
    while box is not None and (children := flowing(box)):
        box = children[0]
        opening.append(box)
    return opening


def _figures_elements(page) -> set[int]:  # noqa: ANN001 - weasyprint Page
    """The figures boxes' elements (by id) laid out on a page."""
    return {id(box.element) for box in _walk(page._page_box)  # noqa: SLF001 - the laid-out box tree
            if FIGURES_CLASS in classes(box)}


def charts_opening_pages(document) -> list[str]:  # noqa: ANN001 - weasyprint.Document
    """The ids of the measures whose figures box opens a page (after the first page); not a box
    that began on the page before (a chart in parts, report/compose/figures.py split_figure)."""
    found = []
    for before, page in zip(document.pages, document.pages[1:]):
        opening = _opening_boxes(page)
        begun = _figures_elements(before)
        if any(FIGURES_CLASS in classes(box) and id(box.element) not in begun for box in opening):
            measure = next((box for box in opening if "measure" in classes(box)), None)
            if measure is not None and measure.element.get("id"):
                found.append(measure.element.get("id"))
    return found


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def keep_chart_css(measure_id: str) -> str:
    """The rule that keeps a measure's figures box with the line before it."""
    return f'.measure[id={_css_string(measure_id)}] > .{FIGURES_CLASS} {{ break-before: avoid; }}'


def problems(document) -> int:  # noqa: ANN001 - weasyprint.Document
    """How many of these breaks a layout has."""
    return len(charts_opening_pages(document)) + closing_alone(document)


def repairs(document) -> str:  # noqa: ANN001 - weasyprint.Document
    """The CSS that repairs a layout's breaks ('' when it has none)."""
    rules = [keep_chart_css(measure_id) for measure_id in charts_opening_pages(document)]
    if closing_alone(document):
        rules.append(CARRY_LAST_MEASURE_CSS)
    return "\n".join(rules)
