"""Chart text drawn as one text run per label, not letter by letter (a WeasyPrint extension).

WeasyPrint draws every SVG `<text>` letter by letter, each letter its own Pango layout, because
SVG lets `x`, `y`, `dx`, `dy` and `rotate` place each letter; and it draws a centred or
right-aligned label into a group of its own (a form XObject in the PDF) to shift it once its width
is known. koho's charts (matplotlib with `svg.fonttype: none`) give each label one `x` and one
`y`: such a label is laid out once here, shifted by its own width when centred or right-aligned,
and drawn as one run, which also shapes it as a whole (kerning, proportional kana). For the large
archive's 76 charts that is 582 runs instead of some 5,000, and no 524 groups (the PDF 710 →
520 KB). Any other `<text>` goes to WeasyPrint's own code. Tested with WeasyPrint 70.0:
tests/test_svgtext.py fails when the code this stands in for changes.
"""

from __future__ import annotations

import importlib
from math import inf

_PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing")
_ANCHOR = "koho-text-anchor"  # a centred or right-aligned label's anchor, while it is drawn here
_SHIFT = {"middle": 0.5, "end": 1.0}  # of the label's width, to the left
_installed = False


def _weasyprint_text():  # noqa: ANN202 - the module weasyprint.svg.text (its name is shadowed)
    return importlib.import_module("weasyprint.svg.text")


def _one_position(node) -> bool:  # noqa: ANN001 - weasyprint.svg.Node
    """A label placed by at most one x and one y, nothing placed per letter."""
    if not node.text or any(name in node.attrib for name in _PER_LETTER):
        return False
    return all(len(node.attrib.get(name, "").split()) <= 1 for name in ("x", "y"))


def _style(svg, node, font_size: float):  # noqa: ANN001, ANN202 - WeasyPrint's objects
    """The text style WeasyPrint's own `text()` builds for a node (the same rules)."""
    from weasyprint.css.properties import INITIAL_VALUES

    style = _weasyprint_text().Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or int(weight)
    except ValueError:
        style["font_weight"] = 400
    return style


def _baseline_shift(node, font_size: float, height: float) -> float:  # noqa: ANN001
    """WeasyPrint's vertical alignment of a text box (display-anchor, dominant-baseline)."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor in ("middle", "top", "bottom"):
        return {"middle": -height / 2, "top": 0, "bottom": -height}[anchor]
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def text(svg, node, font_size: float) -> None:  # noqa: ANN001 - weasyprint.svg.SVG and Node
    """Draw a `<text>`, `<tspan>`, `<textPath>` or `<a>` node: one run when it has one position."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    if not _one_position(node):
        return _weasyprint_text().text(svg, node, font_size)
    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x, y = svg.cursor_position
    if "x" in node.attrib:
        x, svg.cursor_d_position[0] = size(node.attrib["x"], font_size, svg.inner_width), 0
    if "y" in node.attrib:
        y, svg.cursor_d_position[1] = size(node.attrib["y"], font_size, svg.inner_height), 0
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0] - _SHIFT.get(node.get(_ANCHOR), 0) * width
    y_position = y + svg.cursor_d_position[1] + _baseline_shift(node, font_size, height)
    top = y_position - baseline
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box,
                                                 ((x_position, top), (x_position + width, top + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = _weasyprint_text().TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
    return None


def _anchored_in_one_run(draw_node):  # noqa: ANN001, ANN202 - WeasyPrint's SVG.draw_node
    """SVG.draw_node, except that a centred or right-aligned one-position label is not drawn into a
    group of its own: `text` above shifts it by its width."""

    def draw(svg, node, font_size, fill_stroke=True, context=None):  # noqa: ANN001, ANN202
        anchor = node.get("text-anchor")
        if (node.tag != "text" or anchor not in _SHIFT or node.get("direction", "ltr") != "ltr"
                or not _one_position(node) or list(node)):
            return draw_node(svg, node, font_size, fill_stroke, context)
        node.attrib.update({"text-anchor": "start", _ANCHOR: anchor})
        try:
            return draw_node(svg, node, font_size, fill_stroke, context)
        finally:
            node.attrib.update({"text-anchor": anchor})
            del node.attrib[_ANCHOR]

    draw.__wrapped__ = draw_node  # type: ignore[attr-defined] - WeasyPrint's own, for the tests
    return draw


def install() -> None:
    """Make WeasyPrint's SVG renderer use `text` above (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint import svg

    original = _weasyprint_text().text
    for tag, function in list(svg.TAGS.items()):
        if function is original:
            svg.TAGS[tag] = text
    svg.text = text  # draw_node recognises text nodes by comparing with this name
    svg.SVG.draw_node = _anchored_in_one_run(svg.SVG.draw_node)
    _installed = True
