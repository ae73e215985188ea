"""matplotlib's SVG made lean for WeasyPrint to draw: the same picture, a third of the work.

matplotlib writes every artist in a group of its own (empty ones too), invisible background
patches, a metadata block, and each element's look as a CSS `style` attribute, which WeasyPrint
parses with a CSS tokenizer element by element. Here, once per chart as it is drawn (the chart
cache keeps the result):

- the metadata, empty groups and paths that paint nothing (`fill: none` and no stroke) go;
- a group that only names an artist (an `id`, nothing else) gives way to its children;
- `style` declarations become presentation attributes, and the stylesheet's one rule
  (`*{stroke-linejoin: round; stroke-linecap: butt}`) moves to each element that does not set
  those itself, as that rule applied to every element (a rule overrides a presentation
  attribute, so it cannot stay beside them).

tests/test_lean.py draws the examples' charts both ways and compares the pictures pixel by pixel.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_RULE = re.compile(r"^\s*\*\s*\{([^}]*)\}\s*$")
_DRAWN = {"path", "text", "use", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _declarations(text: str) -> dict[str, str]:
    found = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            found[name.strip()] = value.strip()
    return found


def _paints_nothing(element: ET.Element) -> bool:
    look = _declarations(element.get("style", ""))
    return (_local(element.tag) == "path" and look.get("fill") == "none"
            and look.get("stroke", "none") == "none" and not element.get("stroke"))


def _simplify(parent: ET.Element, everywhere: dict[str, str]) -> None:
    children = list(parent)
    kept: list[ET.Element] = []
    for child in children:
        name = _local(child.tag)
        if name == "metadata" or _paints_nothing(child):
            continue
        if name == "style" and _RULE.match(child.text or ""):
            continue  # moved onto the elements (everywhere)
        _simplify(child, everywhere)
        if name == "g" and not len(child) and not child.text:
            continue  # an empty group
        if name == "g" and set(child.attrib) <= {"id"}:
            kept.extend(child)  # a group that only names its artist
            continue
        if name in _DRAWN or name == "g":
            look = {**everywhere, **_declarations(child.attrib.pop("style", ""))}
            for key, value in look.items():
                child.set(key, value)
        kept.append(child)
    if kept != children:
        for child in children:
            parent.remove(child)
        parent.extend(kept)


def lean_svg(svg: bytes) -> bytes:
    """The SVG matplotlib wrote, lean (see the module's docstring)."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg)
    everywhere: dict[str, str] = {}
    for style in root.iter(f"{{{SVG}}}style"):
        rule = _RULE.match(style.text or "")
        if rule:
            everywhere = _declarations(rule.group(1))
    _simplify(root, everywhere)
    for defs in [d for d in root if _local(d.tag) == "defs" and not len(d)]:  # held only the rule
        root.remove(defs)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
