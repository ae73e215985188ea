"""Header text as the import compares it: levels joined with ' / ', compared loosely (width, case,
spaces), and a yearly column's header with its year taken out (「令和5年度 / 実績」 → 「実績」), so that a
mapping rule names the column once and takes next year's column without editing."""

from __future__ import annotations

import functools
import re
import unicodedata

from report.ingest.sheets.model import SheetGrid, YearRef
from report.load.tables.schema import normalize_name

LEVEL_SEPARATOR = " / "
_EMPTY_BRACKETS = re.compile(r"[(（\[［【〔]\s*[)）\]］】〕]")
# Years as headers write them, for taking the year's words out when years.year_in gives none.
_YEAR_WORDS = re.compile(r"(?:令和|平成|昭和|[RHS])\s*(?:\d{1,2}|元)\s*(?:年度|年)?|(?:19|20)\d{2}\s*(?:年度|年)?")


def year_of(text: str) -> YearRef | None:
    """The year a header names (report.ingest.sheets.years.year_in), or None."""
    from report.ingest.sheets.years import year_in

    return year_in(text)


def joined_header(sheet: SheetGrid, rows: tuple[int, ...], column: int) -> str:
    """The header of one column over several header rows: each level's text once (a cell merged
    down repeats it), levels joined with ' / '."""
    levels: list[str] = []
    for row in rows:
        text = " ".join(sheet.text(row, column).split())
        if text and (not levels or levels[-1] != text):
            levels.append(text)
    return LEVEL_SEPARATOR.join(levels)


@functools.lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """A header compared loosely: each level normalised, empty and repeated levels dropped."""
    levels: list[str] = []
    for level in text.split("/"):
        key = normalize_name(level)
        if key and (not levels or levels[-1] != key):
            levels.append(key)
    return "/".join(levels)


def without_year(text: str, year: YearRef | None) -> str:
    """A header with the words of its year taken out: 「令和5年度 / 実績」 → 「実績」,
    「基準値(R1)」 → 「基準値」."""
    if year is None:
        return text
    words = year.text.strip()
    if words and words in text:
        stripped = text.replace(words, "", 1)
    else:
        stripped = _YEAR_WORDS.sub("", unicodedata.normalize("NFKC", text), count=1)
    stripped = _EMPTY_BRACKETS.sub("", stripped)
    levels = [level.strip() for level in stripped.split("/")]
    return LEVEL_SEPARATOR.join(level for level in levels if level)
