"""Page references (report/render/typeset/extensions/page_refs.py): every page number printed is its target's page, and a
reference to pages already laid out costs no second layout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from report.assets import STYLES_DIR
from report.render.typeset.extensions import page_refs
from report.render.pdf.pdf import layout, write_pdf

FONT = (STYLES_DIR / "fonts" / "BIZUDGothic-Regular.ttf").as_uri()


def printed_page_references(pdf_path: Path) -> list[tuple[int, str, str, int]]:
    """(page number it is printed on, text inside the link, its anchor, page number it leads to) for every
    internal link of the PDF, from its annotations and its named destinations."""
    with pikepdf.open(pdf_path) as pdf:
        number_of = {page.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        destination = {str(name): number_of[names[name][0].objgen] for name in names}
        links = [(index, [float(v) for v in annot.Rect], str(annot.Dest))
                 for index, page in enumerate(pdf.pages) for annot in page.get("/Annots", [])
                 if annot.get("/Subtype") == "/Link" and "/Dest" in annot]
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for index, (x0, y0, x1, y1), name in links:
            page = pdf.pages[index]
            top, bottom = page.height - max(y0, y1), page.height - min(y0, y1)
            chars = [c for c in page.chars if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
                     and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5]
            found.append((index + 1, "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])), name,
                          destination[name]))
    return found


def test_the_weasyprint_code_it_corrects_is_unchanged() -> None:
    assert page_refs.source_hashes() == page_refs.EXTENDED_SOURCE_SHA256, (
        "WeasyPrint's page reference code changed: check report/render/typeset/extensions/page_refs.py against it, "
        "then update its hashes")
    assert page_refs.install()


@pytest.mark.parametrize("name", ["sample", "kakuu"])
def test_every_page_number_in_the_archive_is_its_targets_page(kind_builds, name: str) -> None:
    result = kind_builds[name, "archive"]
    numbers = [reference for reference in printed_page_references(result.pdf) if reference[1].isdigit()]
    # the contents (page 2) gives each area's page, the index each measure's
    areas = {anchor for on, _, anchor, _ in numbers if on == 2 and anchor.startswith("area-")}
    assert len(areas) == len(result.project.areas)
    assert {anchor for on, _, anchor, _ in numbers if on > 2} == {f"measure-{m.id}" for m in result.project.measures}
    assert [reference for reference in numbers if reference[1] != str(reference[3])] == []


def _document(entries: int, wide: bool) -> str:
    """Contents at the front (forward references), one page per entry, an index at the back (backward
    references). `wide` contents lines wrap once their numbers reach two digits, which pushes every
    later page on when the numbers are filled in."""
    width = "6.2em" if wide else "30em"
    toc = "".join(f'<li>項目{i:02d}です <a href="#s{i}"></a></li>' for i in range(entries))
    sections = "".join(f'<section id="s{i}"><h2>項目{i:02d}</h2></section>' for i in range(entries))
    index = "".join(f'<tr><td>項目{i:02d}</td><td><a href="#s{i}"></a></td></tr>' for i in range(entries))
    return f"""<html lang="ja"><head><style>
    @font-face {{ font-family: "BIZ UDGothic"; src: url("{FONT}") }}
    @page {{ size: A6; margin: 10mm }}
    body {{ font-family: "BIZ UDGothic"; font-size: 10pt }}
    ul {{ width: {width}; padding: 0; list-style: none }}
    li a::after, td a::after {{ content: target-counter(attr(href), page) }}
    section {{ break-before: page }}
    .index {{ break-before: page }}
    </style></head><body><ul>{toc}</ul>{sections}
    <table class="index">{index}</table></body></html>"""


def _laid_out(monkeypatch: pytest.MonkeyPatch, html: str, target: Path) -> tuple[Counter[int], list[set[str]]]:
    """How often WeasyPrint laid out each page (by index) of `html` written to `target`; each page's anchors."""
    from weasyprint.layout import page as weasy_page

    laid_out: Counter[int] = Counter()
    remake = weasy_page.remake_page

    def counted(index, *args, **kwargs):  # noqa: ANN001, ANN202
        laid_out[index] += 1
        return remake(index, *args, **kwargs)

    monkeypatch.setattr(weasy_page, "remake_page", counted)
    document, _ = layout(html, target.parent)
    with target.open("wb") as stream:
        write_pdf(document, stream)
    return laid_out, [set(page.anchors) for page in document.pages]


def test_an_index_of_earlier_pages_is_laid_out_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out, anchors = _laid_out(monkeypatch, _document(30, wide=False), tmp_path / "refs.pdf")
    references = printed_page_references(tmp_path / "refs.pdf")
    assert len({(on > 1, anchor) for on, _, anchor, _ in references}) == 60  # 30 in the contents, 30 in the index
    assert [reference for reference in references if reference[1] != str(reference[3])] == []
    first = min(i for i, names in enumerate(anchors) if "s0" in names)
    last = max(i for i, names in enumerate(anchors) if "s29" in names)
    assert first >= 1 and last + 1 < len(anchors)
    assert all(laid_out[i] == 2 for i in range(first)), laid_out  # to find the pages, then to print them
    assert all(laid_out[i] == 1 for i in range(first, len(anchors))), laid_out  # the index too


def test_numbers_follow_pages_that_move_when_the_contents_grow(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out, anchors = _laid_out(monkeypatch, _document(30, wide=True), tmp_path / "refs.pdf")
    references = printed_page_references(tmp_path / "refs.pdf")
    assert len({(on > 2, anchor) for on, _, anchor, _ in references}) == 60
    assert [reference for reference in references if reference[1] != str(reference[3])] == []
    # the contents grew by a page once two-digit numbers wrapped: every page after it was laid out again,
    # the index's numbers with them
    first = min(i for i, names in enumerate(anchors) if "s0" in names)
    assert first == 2 and all(laid_out[i] >= 2 for i in range(first, len(anchors) - 1)), laid_out
