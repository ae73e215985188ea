"""What a warm process (koho serve, koho batch's workers) keeps from one build to the next.

WeasyPrint's font configuration: loading the @font-face fonts (five CJK fonts, copied to a
temporary folder and registered with Fontconfig) is otherwise paid by every layout. It is kept
for one project folder at a time, so fonts of one project never stand in for another's.
WeasyPrint's image `cache` is not kept: a drawn SVG keeps the layout context of its document.
"""

from __future__ import annotations

import threading
from pathlib import Path

_lock = threading.Lock()
_fonts: dict[Path, object] = {}


def font_config(root: Path):  # noqa: ANN201 - weasyprint.text.fonts.FontConfiguration
    """The font configuration of the project at `root`, made on first use."""
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        if root not in _fonts:
            _fonts.clear()  # one project at a time
            _fonts[root] = FontConfiguration()
        return _fonts[root]
