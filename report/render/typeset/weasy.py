"""WeasyPrint as koho uses it: imported without its slow library search (0.2 s of every cold
start), with koho's extensions installed (report/render/typeset/extensions/svgtext.py).

WeasyPrint opens Pango, HarfBuzz and Fontconfig through cffi, trying several names per library
(`libgobject-2.0-0`, …, `libgobject-2.0.so.0`). cffi first loads a name as given, and when that
fails asks `ctypes.util.find_library`, which runs `ldconfig` and `gcc` in subprocesses: 22 such
searches on Linux before the names that load directly are reached. While WeasyPrint is imported
here, that search answers "not found" at once, so only the direct loads count; where those fail
(a system whose libraries are found only by searching), the import is simply done again with the
search in place. Tested with WeasyPrint 70.0 and cffi 2.1.1 (tests/test_weasy.py checks that the
import still goes through cffi's search and that skipping it finds the same libraries).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def _no_library_search() -> Iterator[None]:
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def load() -> ModuleType:
    """The weasyprint module, imported on first use with the library search skipped, extended."""
    from report.render.typeset.extensions.svgtext import install

    if (module := sys.modules.get("weasyprint")) is None:
        module = _import()
    install()
    return module


def _import() -> ModuleType:
    try:
        # WeasyPrint prints an installation hint before it fails: not ours to show.
        with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        import weasyprint
    return weasyprint
