"""The PDF's pages as pictures (pypdfium2), for the preview: what shows is what will print."""

from __future__ import annotations

import io
import threading
from pathlib import Path

SCALE = 2.0  # 144 dpi: an A4 page 1190 px wide, sharp on a high-density screen at half width
_LOCK = threading.Lock()  # PDFium is not thread-safe; the preview server answers in threads


def page_png(pdf: Path, index: int, folder: Path, scale: float = SCALE) -> bytes:
    """Page `index` (from 0) of `pdf` as PNG, rendered once and kept in `folder`."""
    cached = folder / f"{index + 1}.png"
    with _LOCK:
        if cached.is_file():
            return cached.read_bytes()
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[index].render(scale=scale).to_pil()
        finally:
            document.close()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        data = buffer.getvalue()
        folder.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
        return data
