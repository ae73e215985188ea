"""Decimal points and thousands commas set tight in every number of a printed page.

The body's BIZ UDGothic gives digits, points and commas the same half-em advance, so outside
running text (figure boxes, tables, year lists, captions) a number reads gappy: 「3. 1%」「22, 038」.
Running text already sets a number's point and comma in the proportional BIZ UDPGothic
(report/render/html/composition.py); this does the same for the rest of the page, after the template
has run, so no template has to remember it: every `.` or `,` between two digits in the page's text
(never in a tag, an attribute, a style sheet or a script) is wrapped in `<span class="latin">`
(styles/composition.css: the proportional font, a point about 0.3 em wide), and the number with
its percent sign in `<span class="nobr">`, so no line breaks inside it.
"""

from __future__ import annotations

import re

# A raw-text element (its content is not page text) or any tag: both are left as they are.
_MARKUP_RE = re.compile(r"<(style|script|title)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL)
# A number with a point or comma between digits, and the percent sign after it, if any.
_NUMBER_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)+%?")
_SEPARATOR_RE = re.compile(r"([.,])")


def _tight(number: re.Match) -> str:
    """The number kept whole (a span boundary would let a line break after its point: 「82. / 0%」),
    its points and commas in the proportional font."""
    return '<span class="nobr">' + _SEPARATOR_RE.sub(r'<span class="latin">\1</span>', number.group()) + "</span>"


def tight_separators(html: str) -> str:
    """`html` with every point or comma between two digits of its text set in the proportional font."""
    parts: list[str] = []
    position = 0
    for markup in _MARKUP_RE.finditer(html):
        parts.append(_NUMBER_RE.sub(_tight, html[position:markup.start()]))
        parts.append(markup.group())
        position = markup.end()
    parts.append(_NUMBER_RE.sub(_tight, html[position:]))
    return "".join(parts)
