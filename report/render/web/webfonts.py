"""The bundled UD fonts cut down to the characters one web page uses, as WOFF2.

A whole BIZ UD font is 4–5 MB; the characters of a report page fit in a few hundred KB. fontTools
(which WeasyPrint already brings) does the subsetting; WOFF2's compression needs brotli.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from charts.cache import cache_dir, load, store

from report.assets import FONTS_DIR

# Always in the subset: what CSS may add around the text (list marks, brackets), digits and
# punctuation a reader's search box or a browser's UI text may show in the page's font.
ALWAYS = "○→〜【】〔〕()・、。:,.%0123456789 "
_CSS_CONTENT_RE = re.compile(r"content:\s*\"([^\"]*)\"")


@dataclass(frozen=True)
class WebFont:
    """One @font-face of the web page: a bundled font file and the family and weight it serves."""

    source: str  # file name in styles/fonts
    family: str
    weight: int
    file: str  # the subset's name in the web folder's fonts/
    only: str = ""  # the characters it is cut to; empty: every character of the page


WEB_FONTS = (
    WebFont("BIZUDPGothic-Regular.ttf", "BIZ UDPGothic", 400, "BIZUDPGothic-Regular.subset.woff2"),
    WebFont("BIZUDPGothic-Bold.ttf", "BIZ UDPGothic", 700, "BIZUDPGothic-Bold.subset.woff2"),
    # Monospaced digits for the tables' numbers (BIZ UDPGothic's 1 is narrower than other digits).
    # The tables name it first for numbers; every other character falls back to BIZ UDPGothic.
    WebFont("BIZUDGothic-Regular.ttf", "BIZ UDGothic", 400, "BIZUDGothic-Regular.subset.woff2",
            only="0123456789,.%+-−― "),
)


class _TextCollector(HTMLParser):
    """Every text a page shows: element text (SVG text too), not attributes or markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002 - HTMLParser's signature
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)


def page_text(html: str, css: str = "") -> str:
    """Every text the page shows, one run a line: element text (of inline SVG too), and the
    stylesheet's generated content (`content: "…"`). Variation sequences stay whole."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "\n".join([*collector.texts, *_CSS_CONTENT_RE.findall(css)])


def page_characters(html: str, css: str = "") -> str:
    """The characters the page shows: its text, the stylesheet's generated content, and ALWAYS."""
    chars = set(page_text(html, css)) | set(ALWAYS)
    return "".join(sorted(c for c in chars if not c.isspace() or c == " "))


def subset_woff2(font: Path, text: str) -> bytes:
    """`font` with only the glyphs `text` needs (and the default layout features), as WOFF2.

    Subsets are cached by content (the font file's name and size, the text, fontTools' version)
    beside the chart cache, so a rebuild with the same characters costs nothing.
    """
    import fontTools

    key = hashlib.sha256(f"woff2:{font.name}:{font.stat().st_size}:{fontTools.version}:{text}".encode()).hexdigest()
    cached = cache_dir().parent / "fonts" / f"{key}.woff2"
    data = load(cached)  # None when missing or damaged (its hash does not match)
    if data is not None:
        return data
    data = _subset(font, text)
    try:
        store(cached, data)
    except OSError:
        pass  # an unwritable cache only costs time
    return data


def _subset(font: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "meta NOT subset" is expected

    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence names (SIL OFL 1.1)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    with TTFont(font) as face:
        subsetter.subset(face)
        face.flavor = "woff2"
        buffer = io.BytesIO()
        face.save(buffer)
    return buffer.getvalue()


def font_face_css(fonts: tuple[WebFont, ...] = WEB_FONTS, folder: str = "fonts") -> str:
    """The @font-face rules for the subset fonts, with URLs relative to the page."""
    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{folder}/{f.file}") format("woff2"); '
        f"font-weight: {f.weight}; font-style: normal; font-display: swap; }}"
        for f in fonts)


def subset_fonts(text: str, fonts: tuple[WebFont, ...] = WEB_FONTS,
                 font_dir: Path = FONTS_DIR) -> dict[str, bytes]:
    """File name in fonts/ → the WOFF2 subset of each web font for `text`."""
    return {f.file: subset_woff2(font_dir / f.source, f.only or text) for f in fonts}
