"""Finish WeasyPrint's tag tree so that a tagged PDF is what its PDF/UA-1 (or PDF/A-3a) claims.

WeasyPrint 70 builds the structure tree page by page from the laid-out boxes, which leaves what a
checker reports as errors: running heads and folios are marked content that no structure element
reaches and no Artifact marks; an element split over pages (a table, a section) becomes one
element per page; anonymous boxes repeat their element (a heading inside the same heading);
Figure BBoxes are CSS pixels from the top of the page; table headers carry IDs that no IDTree
resolves and no Scope; ruby is two sibling Spans.

To repair that, koho needs to know which HTML element each structure element came from: this
module wraps WeasyPrint's private `weasyprint.pdf.tags._build_box_tree` (tested with WeasyPrint
70, see tests/test_structure.py) to record it, and `finish_tags` fixes the tree in the finisher,
before the PDF is serialised. The workaround can go when upstream's tree passes the same checks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import pydyf

from report.render.typeset.extensions.row_breaks import CONTINUED_CELL

RUBY_TAGS = {"ruby": "Ruby", "rb": "RB", "rt": "RT", "rp": "RP"}  # tag name or class → structure type
SCALE = 0.75  # PDF points per CSS pixel


@dataclass
class Traced:
    """Where one structure element came from."""

    element: object  # the HTML element of the box (shared by anonymous boxes and continued boxes)
    box: object  # the weasyprint box
    page: int
    margin: str | None  # '@top-left' etc. for running heads and folios


@dataclass
class Trace:
    """Every structure element WeasyPrint made, by pydyf object number."""

    elements: dict[int, Traced] = field(default_factory=dict)


_TRACE: ContextVar[Trace | None] = ContextVar("koho_tag_trace", default=None)
_MARGIN: ContextVar[str | None] = ContextVar("koho_tag_margin", default=None)
_ORIGINAL = None


def _traced_build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):  # noqa: ANN001, ANN202
    """WeasyPrint's `_build_box_tree`, recording the box behind each element it yields."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    trace = _TRACE.get()
    real = box._box if isinstance(box, AbsolutePlaceholder) else box  # noqa: SLF001
    if trace is not None and isinstance(real, boxes.MarginBox):
        token = _MARGIN.set(real.at_keyword)
        try:
            yield from _ORIGINAL(box, parent, pdf, page_number, nums, annotations, tags)
        finally:
            _MARGIN.reset(token)
        return
    for element in _ORIGINAL(box, parent, pdf, page_number, nums, annotations, tags):
        if trace is not None and element.number not in trace.elements:  # html, body: their kids' own
            trace.elements[element.number] = Traced(real.element, real, page_number, _MARGIN.get())
        yield element


def install() -> None:
    """Wrap WeasyPrint's tag builder once per process; it records only inside `tracing()`."""
    global _ORIGINAL
    from weasyprint.pdf import tags

    if tags._build_box_tree is not _traced_build_box_tree:  # noqa: SLF001
        _ORIGINAL = tags._build_box_tree  # noqa: SLF001
        tags._build_box_tree = _traced_build_box_tree  # noqa: SLF001


def start_trace() -> tuple[Trace, object]:
    """Begin recording for one write_pdf call; returns the trace and the token to end it."""
    install()
    trace = Trace()
    return trace, _TRACE.set(trace)


def end_trace(token: object) -> None:
    _TRACE.reset(token)


# --- the repair ---------------------------------------------------------------------------------

class _Tree:
    """The pydyf objects of one PDF, looked up by reference."""

    def __init__(self, pdf, trace: Trace, document) -> None:  # noqa: ANN001 - pydyf.PDF, weasyprint.Document
        self.pdf, self.trace = pdf, trace
        root = document.pages[0]._page_box.children[0].element if document.pages else None  # noqa: SLF001
        self.parent = {id(child): parent for parent in (root.iter() if root is not None else ()) for child in parent}
        self.page_index = {ref: i for i, ref in enumerate(pdf.page_references)}
        self.redirect: dict[bytes, bytes] = {}  # element removed → the element that took its content
        self.first_of: dict[int, bytes] = {}  # id(HTML element) → its first structure element
        self.decorative: set[tuple[int, int]] = set()  # (page, MCID) of decorative pictures

    def get(self, ref):  # noqa: ANN001, ANN201
        return self.pdf.objects[int(ref.split()[0])]

    def info(self, element) -> Traced | None:  # noqa: ANN001
        return self.trace.elements.get(element.number)

    def is_element(self, kid) -> bool:  # noqa: ANN001
        return isinstance(kid, bytes) and self.get(kid).get("Type") == "/StructElem"

    def same_source(self, a, b) -> bool:  # noqa: ANN001
        first, second = self.info(a), self.info(b)
        return bool(first and second and first.element is not None and first.element is second.element
                    and a["S"] == b["S"])

    def kids_of(self, element, into=None) -> list:  # noqa: ANN001
        """The element's kids; moving them `into` an element of another page, MCIDs become
        marked-content references naming their page."""
        kids = []
        for kid in element["K"]:
            if isinstance(kid, int) and into is not None and into["Pg"] != element["Pg"]:
                reference = pydyf.Dictionary({"Type": "/MCR", "Pg": element["Pg"], "MCID": kid})
                self.pdf.add_object(reference)
                kids.append(reference.reference)
            else:
                kids.append(kid)
        return kids

    def mcids(self, ref) -> Iterator[tuple[int, int]]:  # noqa: ANN001
        """(page, MCID) of all marked content under an element."""
        element = self.get(ref)
        for kid in element.get("K", ()):
            if isinstance(kid, int):
                yield self.page_index[element["Pg"]], kid
                continue
            child = self.get(kid)
            if child.get("Type") == "/MCR":
                yield self.page_index[child["Pg"]], child["MCID"]
            elif child.get("Type") == "/StructElem":
                yield from self.mcids(kid)


def _in_repeated_group(tree: _Tree, traced: Traced | None) -> bool:
    """A table's header or footer group, which WeasyPrint repeats on every page of the table."""
    element = traced.element if traced else None
    while element is not None:
        if getattr(element, "tag", None) in ("thead", "tfoot"):
            return True
        element = tree.parent.get(id(element))
    return False


def _decorative(traced: Traced) -> bool:
    """A picture that adds nothing a reader needs: `<img role="presentation">` (a photo marked 装飾)."""
    element = traced.element
    return getattr(element, "tag", None) == "img" and element.get("role") == "presentation"


def _earlier_cell(tree: _Tree, row, kids: list, cell) -> bytes | None:  # noqa: ANN001 - pydyf dictionaries
    """In a table row split over pages (its parts merged), the cell's part on the page before: the
    row's kids hold every cell of the first page, then every cell of the next."""
    if row.get("S") != "/TR":
        return None
    return next((kid for kid in kids if tree.is_element(kid) and tree.same_source(tree.get(kid), cell)), None)


def _printed_again(traced: Traced | None) -> bool:
    """The cell a split row prints whole again at the head of its rest (extensions/row_breaks.py)."""
    element = traced.element if traced else None
    return element is not None and CONTINUED_CELL in (element.get("class") or "").split()


def _tidy(tree: _Tree, ref: bytes) -> None:
    """Merge anonymous boxes into their element and continued elements into their first part (the
    cells of a row split over pages too); repeated table headers become artifacts. Then the same for
    every kid."""
    element = tree.get(ref)
    queue, kids = deque(tree.kids_of(element)), []
    while queue:
        kid = queue.popleft()
        if not tree.is_element(kid):
            kids.append(kid)
            continue
        child = tree.get(kid)
        previous = tree.get(kids[-1]) if kids and tree.is_element(kids[-1]) else None
        traced = tree.info(child)
        if tree.same_source(element, child):  # an anonymous box: its kids are the element's
            tree.redirect[kid] = ref
            queue.extendleft(reversed(tree.kids_of(child, into=element)))
        elif previous is not None and tree.same_source(previous, child):  # continued from the page before
            tree.redirect[kid] = kids[-1]
            previous["K"] = pydyf.Array([*previous["K"], *tree.kids_of(child, into=previous)])
        elif (part := _earlier_cell(tree, element, kids, child)) is not None:  # a row split over pages
            if _printed_again(traced):
                continue  # its 施策番号 printed again at the head of the row's rest: an artifact, as a running head
            tree.redirect[kid] = part
            earlier = tree.get(part)
            earlier["K"] = pydyf.Array([*earlier["K"], *tree.kids_of(child, into=earlier)])
        elif traced and id(traced.element) in tree.first_of and _in_repeated_group(tree, traced):
            continue  # the header row again on the next page: left out, its content an artifact
        elif traced and _decorative(traced):  # a picture marked 装飾: left out, a Layout artifact
            tree.decorative.update(tree.mcids(kid))
            continue
        else:
            if traced and traced.element is not None:
                tree.first_of.setdefault(id(traced.element), kid)
            kids.append(kid)
    element["K"] = pydyf.Array(kids)
    for kid in kids:
        if tree.is_element(kid):
            tree.get(kid)["P"] = ref
            _tidy(tree, kid)


def _ruby_type(traced: Traced | None) -> str | None:
    element = traced.element if traced else None
    if element is None or not isinstance(element.tag, str):
        return None
    if element.tag in RUBY_TAGS:
        return RUBY_TAGS[element.tag]
    classes = set((element.get("class") or "").split())
    return next((RUBY_TAGS[name] for name in ("ruby", "rb", "rt", "rp") if name in classes), None)


def _scope(tree: _Tree, cell) -> str:  # noqa: ANN001 - the element of a <th>
    """Column or Row: the HTML scope, else Column for a row of headers only, Row otherwise."""
    scope = (cell.get("scope") or "").lower()
    if scope in ("col", "colgroup"):
        return "/Column"
    if scope in ("row", "rowgroup"):
        return "/Row"
    row = tree.parent.get(id(cell))
    return "/Column" if row is not None and all(c.tag == "th" for c in row) else "/Row"


def _figure_bbox(traced: Traced, document) -> pydyf.Array:  # noqa: ANN001 - weasyprint.Document
    """The box's content area in the page's PDF coordinates (origin at the trim box's bottom left)."""
    box = traced.box
    height = document.pages[traced.page].height * SCALE
    x1, y1 = box.content_box_x() * SCALE, box.content_box_y() * SCALE
    x2, y2 = x1 + box.width * SCALE, y1 + box.height * SCALE
    return pydyf.Array([round(x1, 3), round(height - y2, 3), round(x2, 3), round(height - y1, 3)])


def _describe_link(tree: _Tree, element, source) -> None:  # noqa: ANN001 - pydyf, HTML element
    """A link annotation's Contents is what the link says (WeasyPrint writes the URL or anchor)."""
    text = " ".join("".join(source.itertext()).split())
    if not text:
        return
    for kid in element["K"]:
        reference = tree.get(kid) if isinstance(kid, bytes) else None
        if reference is not None and reference.get("Type") == "/OBJR":
            tree.get(reference["Obj"])["Contents"] = pydyf.String(text)


def _walk(tree: _Tree, ref: bytes) -> Iterator[bytes]:
    yield ref
    for kid in tree.get(ref).get("K", ()):
        if tree.is_element(kid):
            yield from _walk(tree, kid)


def _fix_elements(tree: _Tree, document_ref: bytes, document) -> dict[str, bytes]:  # noqa: ANN001
    """Ruby types, Figure BBoxes, TH Scope; returns the header IDs still in the tree."""
    ids: dict[str, bytes] = {}
    for ref in _walk(tree, document_ref):
        ruby = _ruby_type(tree.info(tree.get(ref)))
        if ruby:
            tree.get(ref)["S"] = "/" + ruby
    for ref in _walk(tree, document_ref):
        element, traced = tree.get(ref), tree.info(tree.get(ref))
        if element["S"] == "/Ruby":  # base first, then the reading (HTML may put the reading first)
            kids = list(element["K"])
            rank = {"/RB": 0, "/RP": 1, "/RT": 1}
            element["K"] = pydyf.Array(sorted(kids, key=lambda k: rank.get(tree.get(k).get("S"), 1)
                                              if tree.is_element(k) else 1))
        if element["S"] == "/Link" and traced is not None and traced.element is not None:
            _describe_link(tree, element, traced.element)
        if element["S"] == "/Figure" and traced is not None:
            element["A"] = pydyf.Dictionary({"O": "/Layout", "BBox": _figure_bbox(traced, document)})
        if element["S"] == "/TH" and traced is not None and traced.element is not None:
            element["A"]["Scope"] = _scope(tree, traced.element)
            if "ID" in element:
                ids.setdefault(element["ID"].string, ref)
    return ids


def _canonical_header_ids(tree: _Tree) -> dict[str, str]:
    """Each header cell's ID → the ID of the first element of the same <th> (repeated headers)."""
    first: dict[int, str] = {}
    canonical: dict[str, str] = {}
    for item in tree.pdf.objects[1:]:
        if isinstance(item, pydyf.Dictionary) and item.get("S") == "/TH" and "ID" in item:
            traced = tree.info(item)
            key = id(traced.element) if traced else id(item)
            canonical[item["ID"].string] = first.setdefault(key, item["ID"].string)
    return canonical


def _resolve_headers(tree: _Tree, canonical: dict[str, str], ids: dict[str, bytes]) -> None:
    """Point every cell's Headers at header IDs that the IDTree resolves."""
    for item in tree.pdf.objects[1:]:
        if isinstance(item, pydyf.Dictionary) and item.get("S") in ("/TD", "/TH") and "Headers" in item.get("A", {}):
            names = dict.fromkeys(canonical.get(h.string, h.string) for h in item["A"]["Headers"])
            item["A"]["Headers"] = pydyf.Array([pydyf.String(n) for n in names if n in ids])


def _id_tree(ids: dict[str, bytes]) -> pydyf.Dictionary:
    names = pydyf.Array()
    for key in sorted(ids):
        names.extend([pydyf.String(key), ids[key]])
    return pydyf.Dictionary({"Names": names})


def _reached(tree: _Tree, document_ref: bytes) -> set[tuple[int, int]]:
    return set(tree.mcids(document_ref))


def _margin_mcids(tree: _Tree) -> dict[tuple[int, int], str]:
    """(page, MCID) of running heads and folios → 'Header' or 'Footer'."""
    found = {}
    for number, traced in tree.trace.elements.items():
        if traced.margin:
            subtype = "Header" if traced.margin.startswith("@top") else (
                "Footer" if traced.margin.startswith("@bottom") else "")
            for key in tree.mcids(tree.pdf.objects[number].reference):
                found[key] = subtype
    return found


def _mark_artifacts(tree: _Tree, reached: set[tuple[int, int]], margins: dict[tuple[int, int], str]) -> int:
    """Turn marked content that the tree does not reach into Artifacts (pagination)."""
    count = 0
    for page, page_ref in enumerate(tree.pdf.page_references):
        stream = tree.get(tree.get(page_ref)["Contents"])
        ops = stream.stream
        for index, item in enumerate(ops):
            if (isinstance(item, dict) and "MCID" in item and index and index + 1 < len(ops)
                    and ops[index + 1] == b"BDC" and (page, item["MCID"]) not in reached):
                kind = "/Layout" if (page, item["MCID"]) in tree.decorative else "/Pagination"
                properties = pydyf.Dictionary({"Type": kind})
                subtype = margins.get((page, item["MCID"]))
                if subtype:
                    properties["Subtype"] = "/" + subtype
                ops[index - 1], ops[index] = "/Artifact", properties
                count += 1
    return count


def _parent_tree(tree: _Tree, reached: set[tuple[int, int]]) -> None:
    """Follow merged elements in the ParentTree; content now an artifact has no parent."""
    root = tree.get(tree.pdf.catalog["StructTreeRoot"])
    nums = tree.get(root["ParentTree"])["Nums"]

    def final(ref: bytes) -> bytes:
        while ref in tree.redirect:
            ref = tree.redirect[ref]
        return ref

    for position in range(0, len(nums), 2):
        key, value = nums[position], nums[position + 1]
        if isinstance(value, list):
            nums[position + 1] = pydyf.Array([final(ref) if (key, mcid) in reached else b"null"
                                              for mcid, ref in enumerate(value)])
        else:
            nums[position + 1] = final(value)


def finish_tags(pdf, document, trace: Trace) -> None:  # noqa: ANN001 - pydyf.PDF, weasyprint.Document
    """Repair the structure tree WeasyPrint wrote (see the module's docstring)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    tree = _Tree(pdf, trace, document)
    root = tree.get(pdf.catalog["StructTreeRoot"])
    document_ref = root["K"][0]
    canonical = _canonical_header_ids(tree)
    margins = _margin_mcids(tree)
    _tidy(tree, document_ref)
    ids = _fix_elements(tree, document_ref, document)
    _resolve_headers(tree, canonical, ids)
    if ids:
        root["IDTree"] = _id_tree(ids)
    reached = _reached(tree, document_ref)
    _mark_artifacts(tree, reached, margins)
    _parent_tree(tree, reached)
