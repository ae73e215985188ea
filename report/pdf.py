"""Lay out the HTML with WeasyPrint and produce the PDF bytes."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from .assets import STYLES_DIR, TEMPLATES_DIR
from .fetcher import ProjectURLFetcher


def layout(html: str, root: Path):  # noqa: ANN201 - weasyprint.Document
    """Lay the document out; it may read only the project folder and koho's own assets."""
    from weasyprint import HTML

    fetcher = ProjectURLFetcher([root, STYLES_DIR, TEMPLATES_DIR])
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render()
    return document, fetcher


def write_pdf(document, stream: BinaryIO) -> None:  # noqa: ANN001 - weasyprint.Document
    document.write_pdf(stream, pdf_variant=None)
