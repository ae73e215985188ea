"""Where a chart's key entries go: left to right, onto another row when the next would not fit.

Widths are estimated without a font (a full-width character is 1 em, any other 0.6 em, more
than the bundled UD fonts take), so that a spec knows its height before anything is drawn and
no two entries of a key ever touch.
"""

from __future__ import annotations

import unicodedata

PT = 25.4 / 72  # millimetres per point
SWATCH_EM = 1.2  # the grey or hatched square and the gap after it
ENTRY_GAP_EM = 1.0  # between one entry's text and the next entry's square


def text_em(text: str) -> float:
    """The width of `text` in em, at most what the bundled fonts take."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.6 for char in text)


def key_rows(names: tuple[str, ...], font_pt: float, width_mm: float) -> tuple[tuple[tuple[int, float], ...], ...]:
    """The key's rows: each a tuple of (entry index, left edge in mm from the key's left), every
    row at most `width_mm` wide (an entry wider than that gets a row of its own)."""
    em = font_pt * PT
    rows: list[list[tuple[int, float]]] = [[]]
    x = 0.0
    for index, name in enumerate(names):
        width = (SWATCH_EM + text_em(name)) * em
        if rows[-1] and x + width > width_mm:
            rows.append([])
            x = 0.0
        rows[-1].append((index, x))
        x += width + ENTRY_GAP_EM * em
    return tuple(tuple(row) for row in rows)
