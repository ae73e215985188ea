"""Nothing printed is cut off (issue 24 item 4): after layout, every picture (a chart, the QR code)
and every box drawn with a background or a border (a figure box, the closing box, a table's
cells) lies inside its page's type area and inside any box that hides its overflow, and every
picture of the HTML is on a page.

A picture cannot be split over pages: one taller than the page runs off its foot and the printed
page cuts it (33 of 40 rows of a grouped chart, with no warning). koho splits such charts into
parts before layout (ChartSpec.parts); this check is what catches whatever still does not fit (a
project's own stylesheet, a new kind of figure): each finding is an error naming the page, the
measure's row (or koho.toml's key) and what to change, so no clipped page is ever written (a
picture on no page is a warning: a project's stylesheet may hide it on purpose).
Text that leaves its box is preflight's (report/render/checks/preflight.py) warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from report.load.model import Measure, Project
from report.problems import Problem, shorten
from report.render.typeset.flow import _children
from report.render.checks.preflight import PX_PER_MM, TOLERANCE_PX, text_fields

MEASURE_ID_PREFIX = "measure-"
CLOSING_CLASS = "closing"
STYLES = "スタイル(styles/)でページや図の大きさを変えている場合は、その指定を見直してください"
ADVICE = {  # what is cut off → what to change
    "chart": f"施策の指標を減らすか、いくつかの施策に分けてください。{STYLES}",
    "picture": STYLES,
    "box": "文を短くするか、スタイル(styles/)で枠の高さや改ページ(break-inside など)の指定を見直してください",
    "nowhere": "テンプレートやスタイルの上書き(display: none など)を確認してください",
}


@dataclass(frozen=True)
class Escape:
    """A box of the laid-out document that is (partly) not printed."""

    page: int  # 1-based, as the PDF counts; 0 for a picture that is on no page at all
    elements: tuple  # the HTML elements it is in, outermost first, its own last
    reach: float  # how far it is cut off (CSS px)
    picture: bool  # an image (a chart), not a box

    @property
    def closing(self) -> bool:
        return any(CLOSING_CLASS in (e.get("class") or "").split() for e in self.elements)


def _drawn(box) -> bool:  # noqa: ANN001 - a weasyprint box
    """A picture, or a box whose background or border is printed."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox, TextBox

    if isinstance(box, ReplacedBox):
        return True
    if isinstance(box, LineBox | TextBox) or getattr(box, "style", None) is None:
        return False  # text is preflight's
    style = box.style
    return bool(style["background_color"].alpha or any(
        style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left")))


def _border_box(box) -> tuple[float, float, float, float]:  # noqa: ANN001
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def _outside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> float:
    """How far (CSS px) a rectangle reaches out of another, on its worst side."""
    return max(outer[0] - inner[0], outer[1] - inner[1], inner[2] - outer[2], inner[3] - outer[3])


def _walk(box, ancestors: tuple) -> Iterator[tuple[object, tuple]]:  # noqa: ANN001
    from weasyprint.formatting_structure.boxes import MarginBox

    if isinstance(box, MarginBox):
        return  # running heads and folios belong in the margins
    yield box, ancestors
    for child in _children(box):
        yield from _walk(child, (*ancestors, box))


def escapes(document) -> list[Escape]:  # noqa: ANN001 - weasyprint.Document
    """Every drawn box that leaves its page's type area or a box that clips it (layout rounding
    of TOLERANCE_PX allowed), and every picture of the HTML that is on no page."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    found, placed, root = [], set(), None
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # noqa: SLF001 - the laid-out box tree
        area = (page_box.content_box_x(), page_box.content_box_y(),
                page_box.content_box_x() + page_box.width, page_box.content_box_y() + page_box.height)
        for box, ancestors in _walk(page_box, ()):
            element = getattr(box, "element", None)
            if root is None and element is not None and box.element_tag == "html":
                root = element
            if not _drawn(box):
                continue
            if element is not None and box.element_tag == "img":
                placed.add(id(element))
            rectangle = _border_box(box)
            clips = [_border_box(b) for b in ancestors[1:] if b.style["overflow"] != "visible"]
            reach = max(_outside(rectangle, limit) for limit in [area, *clips])
            if reach > TOLERANCE_PX:
                elements = tuple(e for b in (*ancestors, box) if (e := getattr(b, "element", None)) is not None)
                found.append(Escape(number, tuple(dict.fromkeys(elements)), reach, isinstance(box, ReplacedBox)))
    if root is not None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            if _tag(element) == "img" and id(element) not in placed:
                path = [element]
                while path[0] in parents:
                    path.insert(0, parents[path[0]])
                found.append(Escape(0, tuple(path), 0.0, True))
    return found


def _tag(element) -> str:  # noqa: ANN001 - an ElementTree element
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _measure_id(escape: Escape) -> str | None:
    """The measure a box belongs to: an element of id measure-… around it, or inside the article
    (class measure) around it."""
    for element in reversed(escape.elements):
        if (element.get("id") or "").startswith(MEASURE_ID_PREFIX):
            return element.get("id").removeprefix(MEASURE_ID_PREFIX)
        if "measure" in (element.get("class") or "").split():
            inner = next((e.get("id") for e in element.iter() if _tag(e)
                          and (e.get("id") or "").startswith(MEASURE_ID_PREFIX)), None)
            if inner:
                return inner.removeprefix(MEASURE_ID_PREFIX)
    return None


def _what(escape: Escape) -> str:
    if escape.picture:
        alt = escape.elements[-1].get("alt") if escape.elements else ""
        return f"図「{shorten(alt, 30)}」" if alt else "図"
    return "終わりの枠(お知らせ・お問い合わせ)" if escape.closing else "枠"


def _place(project: Project, measure_id: str | None, closing: bool, document_name: str) -> Problem:
    """Where to change it: the measure's row (its vision), koho.toml's closing_note, or the document."""
    for field in text_fields(project):
        owner = field.owner
        if measure_id is not None and isinstance(owner, Measure) and owner.id == measure_id \
                and field.place.column == "vision":
            return replace(field.place, value=measure_id)
        if measure_id is None and closing and field.place.column == "closing_note":
            return field.place
    return Problem(document_name, "")


def clipped(project: Project, document, document_name: str) -> list[Problem]:  # noqa: ANN001
    """An error for each measure (or the closing box, or the rest) with a picture or a drawn box
    that is cut off, the worst finding of each with its page and how much is cut; a warning for a
    picture on no page."""
    worst: dict[tuple[str | None, bool, bool], Escape] = {}  # (measure, closing box, cut off) → the worst
    for escape in escapes(document):
        key = (_measure_id(escape), escape.closing, bool(escape.page))
        kept = worst.get(key)
        if kept is None or (escape.picture, escape.reach) > (kept.picture, kept.reach):
            worst[key] = escape
    problems = []
    for (measure_id, closing, _), escape in worst.items():
        where = f"{escape.page}ページ: " if escape.page else ""
        how = (f"ページに収まらず、{escape.reach / PX_PER_MM:.1f}mm が切れて印刷されません" if escape.page
               else "どのページにも印刷されていません")
        advice = ADVICE["nowhere" if not escape.page else "box" if not escape.picture
                        else "chart" if measure_id is not None else "picture"]
        place = _place(project, measure_id, closing, document_name)
        # cut off: an error; on no page (a project's stylesheet may hide it on purpose): a warning
        problems.append(replace(place, severity="error" if escape.page else "warning",
                                message=f"{where}{_what(escape)}が{how}。{advice}"))
    return problems
