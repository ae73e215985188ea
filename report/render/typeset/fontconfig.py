"""A Fontconfig configuration that sees only koho's bundled fonts, never the machine's.

WeasyPrint's FontConfiguration loads Fontconfig's default configuration (FcInitLoadConfigAndFonts),
which lists the machine's font folders: a character the bundled fonts lack was drawn from
whatever the machine had (DejaVu, Noto), so the same data gave different PDFs on different
machines. Fontconfig reads the file named by FONTCONFIG_FILE instead of its default one
(FcConfigFilename(3); on Windows too, where WeasyPrint's GTK brings Fontconfig); koho's file lists
the bundled font folder only, with Fontconfig's cache of it in koho's cache folder (a project's own
@font-face fonts are still added by WeasyPrint, from the project folder). Making a configuration
costs some 8 ms (36 ms the first time, while Fontconfig caches the folder).
The file is written once (named by its content) and kept; FONTCONFIG_FILE is set only while a
configuration is made, so other programs koho starts see the machine's own configuration.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from report.assets import FONTS_DIR

_lock = threading.Lock()  # FONTCONFIG_FILE is the process's: one configuration made at a time


def config_text(font_dir: Path, cache: Path) -> str:
    """Fontconfig's XML listing only `font_dir` (and the fonts in it), cached in `cache`."""
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<fontconfig>\n"
            f"  <dir>{escape(font_dir.resolve().as_posix())}</dir>\n"
            f"  <cachedir>{escape(cache.resolve().as_posix())}</cachedir>\n"
            "</fontconfig>\n")


def _folder() -> Path:
    """koho's cache folder for Fontconfig (beside the chart cache), or a temporary one when the
    cache cannot be written."""
    from charts.cache import cache_dir

    folder = cache_dir().parent / "fontconfig"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return Path(tempfile.gettempdir()) / f"koho-fontconfig-{os.getpid()}"


def config_file(font_dir: Path = FONTS_DIR) -> Path:
    """koho's Fontconfig file for `font_dir`, written on first use and kept."""
    folder = _folder()
    text = config_text(font_dir, folder / "cache")
    path = folder / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:16]}.conf"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    return path


@contextlib.contextmanager
def bundled_fonts_only(font_dir: Path = FONTS_DIR) -> Iterator[None]:
    """While inside, a Fontconfig configuration loaded by default (WeasyPrint's FontConfiguration)
    lists only the bundled fonts."""
    path = config_file(font_dir)
    with _lock:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(path)
        try:
            yield
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous
