"""A drawn chart's SVG made fit to sit inline in a web page: named, unique, and in the page's font.

matplotlib writes a standalone file: an XML prolog, RDF metadata, a global `*` style rule, ids
that repeat from chart to chart (figure_1, axes_1…) and text that asks for the font by name
only. Inline, each of these would leak into the page, so the chart is parsed, those parts are
removed, every id gets the chart's own prefix, and the text falls back to a generic sans-serif.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_URL_REF_RE = re.compile(r"url\(#([^)]+)\)")
_FONT_FAMILY_RE = re.compile(r"font-family: ('[^']*'|\"[^\"]*\"|[^;]+)")


def svg_from_data_uri(uri: str) -> str:
    """The SVG text of a `data:image/svg+xml;base64,…` URI (as figures carry their charts)."""
    header, _, payload = uri.partition(",")
    if not header.startswith("data:image/svg+xml;base64"):
        raise ValueError("not a base64 SVG data URI")
    return base64.b64decode(payload).decode("utf-8")


def _without_namespaces(element: ET.Element) -> None:
    """Plain tag names (an HTML parser puts <svg> and its content in the SVG namespace itself),
    and xlink:href as SVG 2's href, which every current browser reads."""
    xlink_href = f"{{{XLINK_NS}}}href"
    for node in element.iter():
        node.tag = node.tag.removeprefix(f"{{{SVG_NS}}}")
        if xlink_href in node.attrib:
            node.set("href", node.attrib.pop(xlink_href))


def _prefixed(element: ET.Element, prefix: str) -> None:
    """Give every id, url(#…) reference and href in the tree the chart's own prefix."""
    for node in element.iter():
        if "id" in node.attrib:
            node.set("id", prefix + node.get("id"))
        for name, value in list(node.attrib.items()):
            if "url(#" in value:
                node.set(name, _URL_REF_RE.sub(lambda m: f"url(#{prefix}{m.group(1)})", value))
        if node.get("href", "").startswith("#"):
            node.set("href", "#" + prefix + node.get("href")[1:])


def _with_generic_font(element: ET.Element) -> None:
    """Text that names the page's font falls back to the reader's sans-serif, never to tofu."""
    for node in element.iter("text"):
        if "font-family" in node.attrib:  # a presentation attribute (charts/lean.py)
            node.set("font-family", f"{node.get('font-family').strip()}, sans-serif")
        if "style" in node.attrib:
            node.set("style", _FONT_FAMILY_RE.sub(lambda m: f"font-family: {m.group(1).strip()}, sans-serif",
                                                  node.get("style")))


def inline_svg(svg: str, label: str, prefix: str) -> Markup:
    """The chart as an inline <svg role="img"> named by `label` (its alt text), scalable to its box."""
    root = ET.fromstring(svg)
    _without_namespaces(root)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in ("metadata", "style"):
                parent.remove(child)
    for defs in root.findall("defs"):
        if len(defs) == 0:
            root.remove(defs)
    _prefixed(root, prefix)
    _with_generic_font(root)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("focusable", "false")
    title = ET.Element("title")
    title.text = label
    root.insert(0, title)
    # ElementTree escapes text and attributes, so data text inside the chart stays text.
    return Markup(ET.tostring(root, encoding="unicode"))
