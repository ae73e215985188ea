"""How wide a line of heading text prints, from the font's own advance widths (fontTools), so a
template can size a box to its text where CSS cannot: WeasyPrint widens no table for its caption,
and the archive's table of one value is made as wide as its caption on one line (styles/archive.css)."""

from __future__ import annotations

import math
from functools import lru_cache

from report.assets import FONTS_DIR

HEADING_FONT = FONTS_DIR / "BIZUDPGothic-Bold.ttf"  # --font-heading, bold (styles/variables.css, fonts.css)
# A caption of at most this many ems fits the archive's type area (172 mm: 51 em of its 9.5 pt) on one line.
CAPTION_LINE_EMS = 48
SPARE_EMS = 0.5  # the composition's own spacing (a 和欧間, a number set tight) and rounding


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, int], float]:
    """The heading font's advance width per code point (font units), and its units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(HEADING_FONT, lazy=True)
    metrics, units = font["hmtx"], font["head"].unitsPerEm
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, float(units)


def heading_ems(text: str) -> float:
    """The width of `text` set in the heading font, in ems of its size (a character the font lacks
    counts an em), with SPARE_EMS to spare, rounded up to a tenth."""
    advances, units = _advances()
    width = sum(advances.get(ord(char), units) for char in text) / units + SPARE_EMS
    return math.ceil(round(width * 100) / 10) / 10  # to a tenth, after rounding to a hundredth
