"""The 2D code (QR) to the city's page, drawn by segno as vector SVG."""

from __future__ import annotations

import base64
import io
from functools import lru_cache


# The code is printed 18mm wide with a quiet zone of 4 modules: up to version 10 (57 modules) a module
# is at least 0.28mm, which phone cameras read from print. Version 10 at level M holds 213 bytes.
MAX_VERSION = 10


def check_capacity(url: str) -> None:
    """Raise ValueError when `url` does not fit a QR code that prints readably at 18mm."""
    import segno
    from segno import DataOverflowError

    try:
        version = segno.make(url, error="m", micro=False, boost_error=False).version
    except DataOverflowError:
        version = 41
    if version > MAX_VERSION:
        raise ValueError(f"URLが長すぎて2次元コード(QR)が読み取れない細かさになります({len(url)}文字。"
                         "英数字でおよそ210文字まで)。短いURLにしてください")


@lru_cache(maxsize=16)  # a warm process (koho serve, koho batch) draws each code once
def qr_data_uri(url: str) -> str:
    """A data: URI of an SVG QR code for `url` (error correction M, quiet zone of 4 modules)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=1, border=4, xmldecl=False, svgns=True, nl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
