"""What a warm process (koho serve, koho batch's workers) keeps from one build to the next.

WeasyPrint's font configuration: loading the @font-face fonts (five CJK fonts, copied to a
temporary folder and registered with Fontconfig) is otherwise paid by every layout. It is kept
for one project folder at a time, so fonts of one project never stand in for another's, and made
anew when the project's own stylesheets or templates change (either may hold an @font-face rule
naming another file). Sharing one between projects on koho's own fonts (koho batch) was tried:
no gain could be measured (a configuration costs some 0.04 s), so projects stay apart.
WeasyPrint's image `cache` is not kept: a drawn SVG keeps the layout context of its document.

A configuration sees no font of the machine: Fontconfig reads koho's own configuration file,
which lists only the bundled font folder (report/render/typeset/fontconfig.py), so a character no bundled
font has is drawn as □ on every machine (as the preflight warns), never from DejaVu or Noto.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from report.render.typeset.fontconfig import bundled_fonts_only

_lock = threading.Lock()
_fonts: dict[tuple, object] = {}


def _own_files_stamp(root: Path) -> tuple:
    """The project's own stylesheets and templates (either may hold @font-face rules), by name,
    modification time and size."""
    found = []
    for path in sorted([*(root / "styles").rglob("*.css"), *(root / "templates").rglob("*")]):
        if path.is_dir():
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def font_config(root: Path):  # noqa: ANN201 - weasyprint.text.fonts.FontConfiguration
    """The font configuration for the project at `root`, made on first use."""
    from weasyprint.text.fonts import FontConfiguration

    key = (root, _own_files_stamp(root))
    with _lock:
        if key not in _fonts:
            _fonts.clear()  # one project (and one version of its stylesheets) at a time
            with bundled_fonts_only():
                _fonts[key] = FontConfiguration()
        return _fonts[key]


def release_fonts() -> None:
    """Delete the kept font configurations' temporary folders (WeasyPrint copies the @font-face
    fonts there, 24 MB, and removes them only when the configuration is collected): at every
    process's exit (a one-shot `koho build` never collects it; at shutdown WeasyPrint's own
    clean-up may find its modules gone), and in `koho batch`'s worker after each project, whose
    configuration no other project can use."""
    from shutil import rmtree

    with _lock:
        for config in _fonts.values():
            folder, config._folder = config._folder, None  # noqa: SLF001 - WeasyPrint's FontConfiguration
            if folder:
                rmtree(folder, ignore_errors=True)
        _fonts.clear()


atexit.register(release_fonts)
