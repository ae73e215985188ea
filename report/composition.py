"""Japanese composition marked up in the text: numbers kept with their units, 約物 pairs set tight.

- 分離禁止 (JLREQ 3.1.7): a number and the character after it (10月, 10人, 89.4%, 176自治会) are one
  unbreakable span, so no line ends on a digit and no unit starts a line alone.
- 約物の詰め (JLREQ 3.1.4): a full-width bracket or 、。 is half an em of glyph and half an em of
  space; where two meet (」「, 、「, ）、, 」。, 「『) the space between them is removed, so the pair takes
  1.5 em. The mark whose space goes is wrapped in a span with a negative half-em margin
  (styles/composition.css): the fonts (BIZ UD) have no `halt` or `chws` feature to do it.

Input is plain text; output is escaped HTML (Markup). Nothing here changes a character.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

OPENING = "「『（〔【〈《［｛"
CLOSING = "」』）〕】〉》］｝、。，．"
# A word character that may follow a number as its unit or counter: kana, kanji, Latin letters.
_UNIT = r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffー々〆A-Za-zＡ-Ｚａ-ｚ℃]"
_NUMBER = r"[0-9０-９]+(?:[,.，．][0-9０-９]+)*"
_PATTERN = re.compile(
    rf"(?P<number>{_NUMBER}[%％]?{_UNIT})"  # 分離禁止 (a bare number never breaks inside anyway)
    rf"|(?P<closing>[{CLOSING}](?=[{CLOSING}{OPENING}]))"  # a closing mark before another mark
    rf"|(?<=[{OPENING}])(?P<opening>[{OPENING}])"  # an opening mark after an opening mark
)
_CLASSES = {"number": "nobr", "closing": "tsume-end", "opening": "tsume-start"}


def composed_html(text: str) -> Markup:
    """Escape `text`, with numbers kept with their units and 約物 pairs tightened."""
    parts: list[Markup] = []
    position = 0
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup
        parts.append(escape(text[position:match.start()]))
        parts.append(Markup('<span class="{}">{}</span>').format(_CLASSES[kind], match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
