"""Lay out the HTML with WeasyPrint and produce the PDF bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from .assets import STYLES_DIR, TEMPLATES_DIR


def layout(html: str, root: Path, css: str = ""):  # noqa: ANN201 - weasyprint.Document
    """Lay the document out with koho's generated `css` (report.generated_css) applied to it; it
    may read only the project folder and koho's own assets."""
    from weasyprint import CSS, HTML

    from .fetcher import ProjectURLFetcher
    from .justify import install

    install()  # Japanese lines justified between characters, not only at spaces
    fetcher = ProjectURLFetcher([root, STYLES_DIR, TEMPLATES_DIR])
    base_url = root.as_uri() + "/"
    profiles: dict = {}  # @color-profile rules of the generated CSS, for the PDF's output intent
    sheets = [CSS(string=css, base_url=base_url, url_fetcher=fetcher, color_profiles=profiles)] if css else []
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=sheets, color_profiles=profiles)
    return document, fetcher


BLEED_PT = 3 / 25.4 * 72  # 3mm: what Japanese printers ask for (塗り足し)


def _exact_bleed_boxes(pdf) -> None:  # noqa: ANN001 - pydyf.PDF
    """Set each page's BleedBox to exactly 3mm around its TrimBox.

    The CSS bleed is wider (it leaves room for the crop marks outside the bleed), and WeasyPrint
    would put the BleedBox 10pt out; the printer wants the 3mm actually printed to the edge.
    """
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and "TrimBox" in item:
            left, top, right, bottom = item["TrimBox"]
            item["BleedBox"] = pydyf.Array([left - BLEED_PT, top - BLEED_PT, right + BLEED_PT, bottom + BLEED_PT])


def page_layout(first_page: int) -> str:
    """How viewers open the PDF: two-up, with the first page on the side its folio puts it."""
    return "/TwoPageLeft" if first_page % 2 == 0 else "/TwoPageRight"


def source_attachments(project, created: str) -> list:  # noqa: ANN001 - report.model.Project
    """Every input file of the project, to embed in the archive with the relationship Source."""
    from weasyprint import Attachment

    moment = dt.datetime.fromisoformat(created) if created else None
    return [Attachment(string=path.read_bytes(), name=path.name, description=f"元データ: {path.name}",
                       created=moment, modified=moment, relationship="Source")
            for path in project.files.inputs]


def write_pdf(document, stream: BinaryIO, variant: str | None = None,  # noqa: ANN001 - weasyprint.Document
              two_up_from: int | None = None, attachments: list | None = None) -> None:
    """Write the laid-out document; `two_up_from` (the first folio) makes viewers open it two-up.

    Every variant but PDF/X is tagged (reading order, headings, tables, figures with alt text).
    """

    def finish(_document, pdf) -> None:  # noqa: ANN001 - weasyprint and pydyf objects
        if two_up_from is not None:
            pdf.catalog["PageLayout"] = page_layout(two_up_from)
        _exact_bleed_boxes(pdf)

    document.write_pdf(stream, pdf_variant=variant, finisher=finish, attachments=attachments,
                       pdf_tags=variant != "pdf/x-4", custom_metadata=True)
