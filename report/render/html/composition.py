"""Japanese composition marked up in the text: numbers kept with their units, 約物 pairs set tight.

- 分離禁止 (JLREQ 3.1.7): a number and the character after it (10月, 10人, 89.4%, 176自治会) are one
  unbreakable span, so no line ends on a digit and no unit starts a line alone.
- 約物の詰め (JLREQ 3.1.4): a full-width bracket or 、。 is half an em of glyph and half an em of
  space; where two meet (」「, 、「, ）、, 」。, 「『) the space between them is removed, so the pair takes
  1.5 em. The mark whose space goes is wrapped in a span with a negative half-em margin
  (styles/composition.css): the fonts (BIZ UD) have no `halt` or `chws` feature to do it.
- Words with lower-case letters and the points and commas in numbers are set in the proportional
  BIZ UDPGothic (BIZ UDGothic's are fixed half-width: 「89. 4%」, 「I n s t a g r a m」 look gappy);
  digits and acronyms (SNS, ICT) keep BIZ UDGothic's even half width, which also saves space.
- 和欧間 (JLREQ 3.2.2): a space between Japanese and Latin letters, set without width (so it never
  moves a line break); report/render/typeset/extensions/justify.py opens it to a quarter em on each line as far as the line
  has room, and leaves it closed at a line's start and end. A space typed there becomes the 和欧間
  (not both); none is added after ・, which has its own blank.
- Inner punctuation of Latin words and number ranges (don’t, 10:00–12:00) is set in the Latin font,
  not as a full-width Japanese mark.

Input is plain text; output is escaped HTML (Markup). No character of the text is changed: the
spans only add spacing, and the 和欧間 space is a plain space.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

OPENING = "「『（〔【〈《［｛"
CLOSING = "」』）〕】〉》］｝、。，．"
# A character that may follow a number as its unit or counter: kana, kanji (Latin units such as
# 10km never break from their number anyway).
_UNIT = r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffー々〆℃]"
_NUMBER = r"[0-9０-９]+(?:[,.，．][0-9０-９]+)*"
_WAOU = "\ue000"  # stands for the 和欧間 space while the text is marked up
_TYPED_WAOU = "\ue001"  # a 和欧間 that replaces a space the city typed (copied text keeps the space)
# Kana and kanji, not the middle dot ・ (U+30FB), which has its own quarter em either side.
_JAPANESE_LETTER = r"[\u3041-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffー々〆]"
_LATIN = r"[A-Za-z]"
_WAOU_RE = re.compile(rf"(?<={_JAPANESE_LETTER})(?={_LATIN})|(?<={_LATIN})(?={_JAPANESE_LETTER})")
_TYPED_WAOU_RE = re.compile(rf"(?<={_JAPANESE_LETTER}) +(?={_LATIN})|(?<={_LATIN}) +(?={_JAPANESE_LETTER})")
_PATTERN = re.compile(
    rf"(?P<number>(?P<digits>{_NUMBER}[%％]?){_WAOU}?{_UNIT})"  # 分離禁止 (a bare number never breaks anyway)
    rf"|(?P<latin>[A-Za-z][A-Za-z0-9.,&'’\-]*)"  # a Latin word (don’t: its apostrophe is Latin too)
    rf"|(?<=[0-9])(?P<separator>[.,]| ?[–—] ?)(?=[0-9])"  # a decimal point, a comma, a range's dash (10–12)
    rf"|(?P<closing>[{CLOSING}](?=[{CLOSING}{OPENING}]))"  # a closing mark before another mark
    rf"|(?<=[{OPENING}])(?P<opening>[{OPENING}])"  # an opening mark after an opening mark
)
WAOU_CLASS = "waou"  # report/render/typeset/extensions/justify.py opens these spaces to WAOU_EM on each line
WAOU_EM = 0.25
TYPED_CLASS = "typed"  # a 和欧間 where the city typed a space: the copied text keeps that space
_CLASSES = {"closing": "tsume-end", "opening": "tsume-start"}


def _latin(text: str) -> Markup:
    """Latin letters and digits in the proportional font (styles/composition.css)."""
    return Markup('<span class="latin">{}</span>').format(text)


def _number(text: str) -> Markup:
    """A number with its decimal point and thousands commas in the proportional font."""
    return Markup("").join(_latin(piece) if piece in ".," else escape(piece) for piece in re.split(r"([.,])", text))


def composed_html(text: str) -> Markup:
    """Escape `text`, with numbers kept with their units, 約物 pairs tightened and 和欧間 spaced."""
    text = text.replace(_WAOU, "").replace(_TYPED_WAOU, "")
    text = _WAOU_RE.sub(_WAOU, _TYPED_WAOU_RE.sub(_TYPED_WAOU, text))
    parts: list[Markup] = []
    position = 0
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup
        parts.append(escape(text[position:match.start()]))
        if kind == "number":
            digits = match.group("digits")
            parts.append(Markup('<span class="nobr">{}{}</span>').format(_number(digits), match.group()[len(digits):]))
        elif kind == "separator" or (kind == "latin" and not match.group().isupper()):
            parts.append(_latin(match.group()))
        elif kind == "latin":  # an acronym (SNS, ICT): BIZ UDGothic's half-width capitals are even
            parts.append(escape(match.group()))
        else:
            parts.append(Markup('<span class="{}">{}</span>').format(_CLASSES[kind], match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup(str(Markup("").join(parts)).replace(_WAOU, f'<span class="{WAOU_CLASS}"> </span>')
                  .replace(_TYPED_WAOU, f'<span class="{WAOU_CLASS} {TYPED_CLASS}"> </span>'))
