"""A PDF checker standing in for veraPDF and a print shop's preflight (neither installable here).

It walks a PDF with pikepdf — the structure tree, the content streams of every page and of the
form XObjects they draw — and returns what is wrong, as readable strings (an empty list: nothing
found). docs/conformance.md names the PDF/UA-1 and PDF/X-4 clauses covered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf

HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
PAINT = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
RGB_OPERATORS = {"rg", "RG"}


@dataclass
class Element:
    """One structure element with the (page, MCID) of its own marked content."""

    obj: pikepdf.Dictionary
    type: str
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_content(self) -> list[tuple[int, int]]:
        return [item for node in self.walk() for item in node.content]


class Checked:
    """A PDF opened for checking: its pages, tree and content streams."""

    def __init__(self, path) -> None:  # noqa: ANN001
        self.pdf = pikepdf.open(path)
        self.pages = list(self.pdf.pages)
        self.page_of = {page.obj.objgen: index for index, page in enumerate(self.pages)}
        self.annotations: list[tuple[int, pikepdf.Dictionary]] = []
        root = self.pdf.Root.get("/StructTreeRoot")
        self.tree = self._element(root.K[0] if isinstance(root.K, pikepdf.Array) else root.K, None) if root else None

    def _page(self, obj: pikepdf.Dictionary) -> int | None:
        return self.page_of.get(obj.Pg.objgen) if "/Pg" in obj else None

    def _element(self, obj: pikepdf.Dictionary, parent: Element | None) -> Element:
        element = Element(obj, str(obj.get("/S")), parent)
        page = self._page(obj)
        kids = obj.get("/K")
        kids = [] if kids is None else (list(kids) if isinstance(kids, pikepdf.Array) else [kids])
        for kid in kids:
            if isinstance(kid, int):
                element.content.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                element.content.append((self._page(kid) if "/Pg" in kid else page, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                self.annotations.append((self._page(kid) if "/Pg" in kid else page, kid.Obj))
            else:
                element.kids.append(self._element(kid, element))
        return element

    def elements(self, kind: str | None = None) -> list[Element]:
        return [e for e in self.tree.walk() if kind is None or e.type == kind] if self.tree else []

    def id_tree(self) -> dict[str, pikepdf.Dictionary]:
        """The IDTree's names → elements (a flat Names array or Kids of them)."""
        root = self.pdf.Root.StructTreeRoot
        found: dict[str, pikepdf.Dictionary] = {}

        def read(node: pikepdf.Dictionary) -> None:
            names = list(node.get("/Names", ()))
            for key, value in zip(names[::2], names[1::2]):
                found[str(key)] = value
            for kid in node.get("/Kids", ()):
                read(kid)

        if "/IDTree" in root:
            read(root.IDTree)
        return found


# --- content streams -----------------------------------------------------------------------------

@dataclass
class Mark:
    """What a painting operator sits in: the innermost marked content, and the fill colour."""

    page: int
    operator: str
    mcid: int | None  # the nearest enclosing MCID, if any
    artifact: bool  # inside an Artifact
    fill: tuple[str, tuple[float, ...]]  # colour space name and components
    stroke: tuple[str, tuple[float, ...]]
    points: list[tuple[float, float]]  # what it paints, in page coordinates (for Figure BBoxes)


def _multiply(a: tuple, b: tuple) -> tuple:
    """Matrix product a × b of PDF matrices [a b c d e f]."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


SPACE_OF_OPERATOR = {"g": "/DeviceGray", "G": "/DeviceGray", "rg": "/DeviceRGB", "RG": "/DeviceRGB",
                     "k": "/DeviceCMYK", "K": "/DeviceCMYK"}


def _space_name(resources: pikepdf.Dictionary, name: pikepdf.Name) -> str:
    """A colour space by its name in the resources: Device*, or the base of ICCBased (by N)."""
    if str(name).startswith("/Device") or str(name) == "/Pattern":
        return str(name)
    space = resources.get("/ColorSpace", {}).get(name)
    if isinstance(space, pikepdf.Array) and str(space[0]) == "/ICCBased":
        return {1: "/ICCGray", 3: "/ICCRGB", 4: "/ICCCMYK"}[int(space[1].N)]
    return str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def marks(checked: Checked) -> Iterator[Mark]:
    """Every painting operator of every page (and the forms they draw), with its context."""
    for index, page in enumerate(checked.pages):
        yield from _stream_marks(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), index,
                                 (1, 0, 0, 1, 0, 0), [], [], set())


def _stream_marks(stream, resources, page: int, ctm: tuple, marked: list, stack: list,  # noqa: ANN001
                  seen: set, clip: tuple = (-1e9, -1e9, 1e9, 1e9)) -> Iterator[Mark]:
    fill, stroke = ("/DeviceGray", (0.0,)), ("/DeviceGray", (0.0,))
    path: list[tuple[float, float]] = []
    operations = pikepdf.parse_content_stream(stream)
    for operands, operator in operations:
        op = str(operator)
        if op == "q":
            stack.append((ctm, fill, stroke, clip))
        elif op == "Q" and stack:
            ctm, fill, stroke, clip = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            marked.append((str(operands[0]), mcid))
        elif op == "EMC" and marked:
            marked.pop()
        elif op in SPACE_OF_OPERATOR:
            value = (SPACE_OF_OPERATOR[op], tuple(float(v) for v in operands))
            fill, stroke = (value, stroke) if op.islower() else (fill, value)
        elif op in ("cs", "CS"):
            value = (_space_name(resources, operands[0]), ())
            fill, stroke = (value, stroke) if op == "cs" else (fill, value)
        elif op in ("sc", "scn", "SC", "SCN"):
            numbers = tuple(float(v) for v in operands if isinstance(v, int | float | Decimal))
            fill, stroke = ((fill[0], numbers), stroke) if op.islower() else (fill, (stroke[0], numbers))
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
        elif op in ("m", "l"):
            path.append(_apply(ctm, float(operands[0]), float(operands[1])))
        elif op == "c":
            path.append(_apply(ctm, float(operands[4]), float(operands[5])))
        elif op in ("W", "W*") and path:
            xs, ys = [p[0] for p in path], [p[1] for p in path]
            clip = (max(clip[0], min(xs)), max(clip[1], min(ys)), min(clip[2], max(xs)), min(clip[3], max(ys)))
        elif op == "n":
            path = []
        if op in PAINT or op in TEXT_SHOW:
            points = path
            if op == "Do":
                points = [_apply(ctm, 0, 0), _apply(ctm, 1, 1)]
            points = [(min(max(x, clip[0]), clip[2]), min(max(y, clip[1]), clip[3])) for x, y in points]
            mcid = next((m for _, m in reversed(marked) if m is not None), None)
            artifact = any(tag == "/Artifact" for tag, _ in marked)
            yield Mark(page, op, mcid, artifact, fill, stroke, points)
            path = []
            if op == "Do":
                xobject = resources.get("/XObject", {}).get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                    inner = xobject.get("/Resources", resources)
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                    yield from _stream_marks(xobject, inner, page, _multiply(matrix, ctm), list(marked), [],
                                             seen | {xobject.objgen}, clip)


def image_spaces(checked: Checked) -> Iterator[str]:
    """The colour space of every image XObject the pages use (through forms too)."""
    seen = set()

    def visit(resources: pikepdf.Dictionary) -> Iterator[str]:
        for xobject in resources.get("/XObject", {}).values():
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Image":
                space = xobject.get("/ColorSpace")
                if isinstance(space, pikepdf.Array) and str(space[0]) == "/ICCBased":
                    yield {1: "/ICCGray", 3: "/ICCRGB", 4: "/ICCCMYK"}[int(space[1].N)]
                elif not xobject.get("/ImageMask", False):
                    yield str(space)
            elif "/Resources" in xobject:
                yield from visit(xobject.Resources)

    for page in checked.pages:
        yield from visit(page.obj.get("/Resources", pikepdf.Dictionary()))


# --- the checks ----------------------------------------------------------------------------------

def structure_problems(checked: Checked) -> list[str]:
    """PDF/UA-1 (ISO 14289-1) 7.1 content tagged or artifact, 7.4 headings, 7.3 figures,
    7.5 tables, 7.18.5 links, 7.2 ruby/lang; plus the ParentTree every checker follows."""
    problems: list[str] = []
    if checked.tree is None:
        return ["no structure tree"]
    reached = {}
    for element in checked.elements():
        for item in element.content:
            reached[item] = element
    painted = list(marks(checked))
    for mark in painted:
        if mark.artifact:
            continue
        if mark.mcid is None:
            problems.append(f"page {mark.page + 1}: {mark.operator} neither tagged nor an artifact")
        elif (mark.page, mark.mcid) not in reached:
            problems.append(f"page {mark.page + 1}: MCID {mark.mcid} not reached by the structure tree")
    problems += _parent_tree_problems(checked, reached)
    for element in checked.elements():
        if element.type in HEADINGS and any(a.type in HEADINGS for a in element.ancestors()):
            problems.append(f"{element.type} inside a heading")
    problems += _figure_problems(checked, painted)
    problems += _table_problems(checked)
    for ruby in checked.elements("/Ruby"):
        types = [k.type for k in ruby.kids if k.type in ("/RB", "/RT")]
        if types[:1] != ["/RB"] or "/RT" not in types:
            problems.append(f"Ruby without RB then RT: {types}")
    for span in checked.elements("/RT") + checked.elements("/RB"):
        if span.parent is None or span.parent.type != "/Ruby":
            problems.append(f"{span.type} outside Ruby")
    for page, annotation in checked.annotations:
        if annotation.get("/Subtype") == "/Link" and not str(annotation.get("/Contents", "")):
            problems.append(f"page {page + 1}: link annotation without Contents")
    for index, page in enumerate(checked.pages):
        for annotation in page.obj.get("/Annots", ()):
            if annotation.get("/Subtype") == "/Link" and "/StructParent" not in annotation:
                problems.append(f"page {index + 1}: link annotation not in the structure tree")
    return problems


def _parent_tree_problems(checked: Checked, reached: dict) -> list[str]:
    root = checked.pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.get("/Nums", ()))
    problems = []
    for key, value in zip(nums[::2], nums[1::2]):
        if isinstance(value, pikepdf.Array):
            for mcid, target in enumerate(value):
                owner = reached.get((int(key), mcid))
                if owner is not None and (not isinstance(target, pikepdf.Dictionary) or target.objgen != owner.obj.objgen):
                    problems.append(f"page {int(key) + 1}: ParentTree entry for MCID {mcid} is not its element")
    return problems


def _figure_problems(checked: Checked, painted: list[Mark]) -> list[str]:
    problems = []
    for figure in checked.elements("/Figure"):
        if not str(figure.obj.get("/Alt", "")):
            problems.append("Figure without Alt")
        attributes = figure.obj.get("/A")
        bbox = [float(v) for v in attributes.BBox] if attributes is not None and "/BBox" in attributes else None
        content = set(figure.all_content())
        points = [p for mark in painted if (mark.page, mark.mcid) in content for p in mark.points]
        if bbox is None or not points:
            problems.append(f"Figure without BBox or content: {bbox}")
            continue
        page = checked.pages[next(iter(content))[0]]
        media = [float(v) for v in page.obj.MediaBox]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        drawn = (min(xs), min(ys), max(xs), max(ys))
        inside_page = media[0] - 1 <= bbox[0] and bbox[2] <= media[2] + 1 and media[1] - 1 <= bbox[1] and bbox[3] <= media[3] + 1
        # What the figure paints lies inside its BBox (a chart may leave its margins blank).
        covers = (bbox[0] - 2 <= drawn[0] and drawn[2] <= bbox[2] + 2 and bbox[1] - 2 <= drawn[1]
                  and drawn[3] <= bbox[3] + 2)
        if not inside_page or not covers:
            problems.append(f"Figure BBox {bbox} is not where it paints {drawn} on page {media}")
    return problems


def _table_problems(checked: Checked) -> list[str]:
    problems = []
    ids = checked.id_tree()
    for header in checked.elements("/TH"):
        attributes = header.obj.get("/A")
        if attributes is None or str(attributes.get("/Scope", "")) not in ("/Row", "/Column", "/Both"):
            problems.append("TH without Scope")
    for cell in checked.elements("/TD") + checked.elements("/TH"):
        attributes = cell.obj.get("/A")
        table = next((a for a in cell.ancestors() if a.type == "/Table"), None)
        for name in attributes.get("/Headers", ()) if attributes is not None else ():
            target = ids.get(str(name))
            if target is None:
                problems.append(f"Headers {name} not in the IDTree")
            elif table is None or target.objgen not in {e.obj.objgen for e in table.walk()}:
                problems.append(f"Headers {name} names a cell of another table")
    for table in checked.elements("/Table"):
        kids = [k.type for k in table.kids]
        if kids.count("/THead") > 1 or kids.count("/TBody") > 1 or kids.count("/TFoot") > 1:
            problems.append(f"one table split into parts: {kids}")
    return problems


def colour_problems(checked: Checked) -> list[str]:
    """PDF/X-4 (ISO 15930-7) 6.2.4 colour spaces under a CMYK output intent: no RGB anywhere
    (operators, spaces, images), black text and rules K100 rather than four-colour black."""
    problems = []
    spaces = {"/DeviceRGB", "/ICCRGB", "/CalRGB"}
    for mark in marks(checked):
        for role, (space, values) in (("fill", mark.fill), ("stroke", mark.stroke)):
            if role == "stroke" and mark.operator not in ("S", "s", "B", "B*", "b", "b*"):
                continue
            if role == "fill" and mark.operator in ("S", "s", "Do", "sh"):
                continue
            if space in spaces:
                problems.append(f"page {mark.page + 1}: {mark.operator} {role} in {space} {values}")
            elif space in ("/DeviceCMYK", "/ICCCMYK") and len(values) == 4:
                c, m, y, k = values
                if k >= 0.9 and (c, m, y) != (0, 0, 0) and max(c, m, y) < 0.99:
                    problems.append(f"page {mark.page + 1}: four-colour black {values} ({role})")
    for index, page in enumerate(checked.pages):
        for operands, operator in _all_operators(page.obj):
            if str(operator) in RGB_OPERATORS:
                problems.append(f"page {index + 1}: {operator} operator")
                break
    problems += [f"image in {space}" for space in image_spaces(checked) if space in spaces]
    return problems


def _all_operators(stream) -> Iterator:  # noqa: ANN001
    """The page's operators and those of every form it uses, however deep."""
    seen = set()

    def visit(obj) -> Iterator:  # noqa: ANN001
        yield from pikepdf.parse_content_stream(obj)
        for xobject in obj.get("/Resources", {}).get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield from visit(xobject)

    yield from visit(stream)


def text_colours(checked: Checked) -> dict[tuple[str, tuple[float, ...]], int]:
    """How many text-showing operators paint in each fill colour."""
    counts: dict[tuple[str, tuple[float, ...]], int] = {}
    for mark in marks(checked):
        if mark.operator in TEXT_SHOW:
            counts[mark.fill] = counts.get(mark.fill, 0) + 1
    return counts
