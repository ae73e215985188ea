"""Numbers in a table column as a table sets them: right-aligned, decimal points under each other,
points and commas tight (issue 23 item 2), for the web version's tables.

Print tables set their points and commas tight already (report/render/html/tight_numbers.py, on the
whole printed page); the web page's table cells do the same through this filter, and a value typed
with fewer decimals than others of its column (「100%」 beside 「89.4%」) gets the missing places as
an invisible pad (`.decimal-pad`: hidden, never read aloud nor copied), so with the column ranged
right the points line up. The value itself is printed as typed (62.0 stays 62.0, 100 stays 100).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from report.render.html.tight_numbers import tight_separators

# A number as typed: digits with thousands commas, and a decimal part after a point.
_NUMBER_RE = re.compile(r"[0-9][0-9,]*(?:\.([0-9]+))?")


def fraction_digits(text: str) -> int:
    """The decimal places of the last number in `text` (0 when it has none, or no number)."""
    numbers = list(_NUMBER_RE.finditer(text or ""))
    return len(numbers[-1].group(1) or "") if numbers else 0


def _pad(missing: int, has_point: bool) -> str:
    point = "" if has_point else '<span class="latin">.</span>'
    return f'<span class="decimal-pad" aria-hidden="true">{point}{"0" * missing}</span>'


def column_number(text: str | None, column: Iterable[str | None]) -> Markup:
    """`text` (a cell of a table column whose cells are `column`) escaped, its number (with a
    percent sign after it) kept on one line, its points and commas tight, padded to the column's
    most decimal places; a unit after it may still wrap."""
    text = text or ""
    numbers = list(_NUMBER_RE.finditer(text))
    if not numbers:
        return Markup(escape(text))
    last = numbers[-1]
    missing = max((fraction_digits(cell or "") for cell in column), default=0) - fraction_digits(text)
    pad = _pad(missing, last.group(1) is not None) if missing > 0 else ""
    after = text[last.end():]
    percent = "%" if after.startswith("%") else ""
    number = tight_separators(str(escape(text[last.start():last.end()])))
    return Markup(f'{escape(text[:last.start()])}<span class="nobr">{number}{pad}{percent}</span>'
                  f"{escape(after[len(percent):])}")
