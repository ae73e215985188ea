"""What a warm process (koho serve, koho batch's workers) keeps from one build to the next.

WeasyPrint's font configuration: loading the @font-face fonts (five CJK fonts, copied to a
temporary folder and registered with Fontconfig) is otherwise paid by every layout. It is kept
for one project folder at a time, so fonts of one project never stand in for another's, and made
anew when the project's own stylesheets change (an @font-face rule may name another file).
WeasyPrint's image `cache` is not kept: a drawn SVG keeps the layout context of its document.
"""

from __future__ import annotations

import threading
from pathlib import Path

_lock = threading.Lock()
_fonts: dict[tuple, object] = {}


def _styles_stamp(root: Path) -> tuple:
    """The project's own stylesheets, by name, modification time and size."""
    found = []
    for path in sorted((root / "styles").rglob("*.css")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def font_config(root: Path):  # noqa: ANN201 - weasyprint.text.fonts.FontConfiguration
    """The font configuration of the project at `root`, made on first use."""
    from weasyprint.text.fonts import FontConfiguration

    key = (root, _styles_stamp(root))
    with _lock:
        if key not in _fonts:
            _fonts.clear()  # one project (and one version of its stylesheets) at a time
            _fonts[key] = FontConfiguration()
        return _fonts[key]
