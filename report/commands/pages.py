"""The PDF's pages as pictures (pypdfium2), for the preview: what shows is what will print."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SCALE = 2.0  # 144 dpi: an A4 page 1190 px wide, sharp on a high-density screen at half width
PNG_LEVEL = 1  # zlib's fastest level: half the time of the default, a quarter larger; local only
_LOCK = threading.Lock()  # PDFium is not thread-safe; the preview server answers in threads


def _encoded(image) -> bytes:  # noqa: ANN001 - PIL.Image
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_LEVEL)
    return buffer.getvalue()


def _png(document, index: int, scale: float) -> bytes:  # noqa: ANN001 - pypdfium2.PdfDocument
    return _encoded(document[index].render(scale=scale).to_pil())


def render_pages(pdf: Path, folder: Path, scale: float = SCALE) -> int:
    """Every page of `pdf` as PNG into `folder` (1.png, 2.png, …), the PDF opened once: done as a
    build is published, so the browser's reload finds them ready. Returns the number of pages."""
    import pypdfium2

    def save(index: int, image) -> None:  # noqa: ANN001 - PIL.Image
        (folder / f"{index + 1}.png").write_bytes(_encoded(image))

    with _LOCK, ThreadPoolExecutor(max_workers=1, thread_name_prefix="koho-png") as encoder:
        document = pypdfium2.PdfDocument(pdf)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # PDFium (this thread) draws a page while the previous one is encoded (zlib lets both run)
            saved = [encoder.submit(save, index, document[index].render(scale=scale).to_pil())
                     for index in range(len(document))]
            for done in saved:
                done.result()
            return len(document)
        finally:
            document.close()


def page_png(pdf: Path, index: int, folder: Path, scale: float = SCALE) -> bytes:
    """Page `index` (from 0) of `pdf` as PNG, rendered once and kept in `folder`."""
    cached = folder / f"{index + 1}.png"
    with _LOCK:
        if cached.is_file():
            return cached.read_bytes()
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        try:
            data = _png(document, index, scale)
        finally:
            document.close()
        folder.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
        return data
