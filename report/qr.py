"""The 2D code (QR) to the city's page, drawn by segno as vector SVG."""

from __future__ import annotations

import base64
import io
from functools import lru_cache


@lru_cache(maxsize=16)  # a warm process (koho serve, koho batch) draws each code once
def qr_data_uri(url: str) -> str:
    """A data: URI of an SVG QR code for `url` (error correction M, quiet zone of 4 modules)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=1, border=4, xmldecl=False, svgns=True, nl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
