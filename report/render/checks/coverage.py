"""Which characters the bundled fonts can draw: a list stored beside the fonts, so that a build
does not read five CJK fonts' character maps (a third of a second) to check its text for tofu.

The list names each font file with its size; when the fonts differ from it, the character maps
are read again with fontTools. `python -m report.render.checks.coverage` writes the list anew; a test checks it
against the fonts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from report.assets import FONTS_DIR

COVERAGE_NAME = "coverage.txt"
_HEADER = "# Code points at least one bundled font draws, as hex ranges. Written by `python -m report.render.checks.coverage`."


def font_files(font_dir: Path) -> list[Path]:
    return sorted([*font_dir.glob("*.ttf"), *font_dir.glob("*.otf")])


def font_stamp(font_dir: Path) -> list[str]:
    """One line per font file: its name and size, to tell whether a stored list still applies."""
    return [f"# font {path.name} {path.stat().st_size}" for path in font_files(font_dir)]


def read_fonts(font_dir: Path) -> frozenset[int]:
    """The code points of every font's best character map, read with fontTools."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in font_files(font_dir):
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap())
    return frozenset(covered)


def ranges(points: frozenset[int]) -> list[tuple[int, int]]:
    """Consecutive code points as (first, last) pairs, in order."""
    found: list[tuple[int, int]] = []
    for point in sorted(points):
        if found and found[-1][1] == point - 1:
            found[-1] = (found[-1][0], point)
        else:
            found.append((point, point))
    return found


def stored_text(font_dir: Path, points: frozenset[int]) -> str:
    lines = [_HEADER, *font_stamp(font_dir)]
    lines += [f"{first:X}-{last:X}" if first != last else f"{first:X}" for first, last in ranges(points)]
    return "\n".join(lines) + "\n"


def read_stored(font_dir: Path) -> frozenset[int] | None:
    """The stored list, or None when it is missing or was written for other fonts."""
    try:
        lines = (font_dir / COVERAGE_NAME).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if [line for line in lines if line.startswith("# font ")] != font_stamp(font_dir):
        return None
    points: set[int] = set()
    for line in lines:
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


@cache
def bundled_coverage(font_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Every code point that at least one bundled font has a glyph for."""
    stored = read_stored(font_dir)
    return stored if stored is not None else read_fonts(font_dir)


@cache
def bundled_variants(font_dir: Path = FONTS_DIR) -> frozenset[tuple[int, int]]:
    """Every variation sequence (base, selector) that at least one bundled font has a glyph for:
    the fonts' cmap format 14 (葛 U+845B + U+E0100 is there). Read with fontTools when a text
    first has a variation selector (rare: the list is not stored)."""
    from fontTools.ttLib import TTFont

    found: set[tuple[int, int]] = set()
    for path in font_files(font_dir):
        with TTFont(path, lazy=True) as font:
            for table in font["cmap"].tables:
                if table.format == 14:
                    found.update((base, selector) for selector, bases in table.uvsDict.items() for base, _ in bases)
    return frozenset(found)


if __name__ == "__main__":
    (FONTS_DIR / COVERAGE_NAME).write_text(stored_text(FONTS_DIR, read_fonts(FONTS_DIR)), encoding="ascii")
