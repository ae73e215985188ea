"""Inline markup allowed in cell text, turned into safe HTML: ruby (furigana) and nothing else.

`{日日nova|ひびのば}` in a cell is set as ruby: the reading at half size, centred over its base.
WeasyPrint has no <ruby> layout, so for print the reading and its base are two stacked inline
blocks; browsers get real <ruby> with <rp> parentheses for those that do not lay ruby out.
Everything else in the text is escaped (cell text never becomes markup); for print it is also
composed: numbers kept with their units, 約物 pairs tightened, 和欧間 (report/render/html/composition.py).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from report.render.html.composition import composed_html

# A reading is kana (with ・, ー and spaces); the base is any text without braces or bars.
RUBY_RE = re.compile(r"\{([^{}|\n]+)\|([\u3041-\u309f\u30a0-\u30ff・ー\s]+)\}")


PRINT_RUBY = Markup('<span class="ruby"><span class="rt">{reading}</span><span class="rb">{base}</span></span>')
WEB_RUBY = Markup("<ruby>{base}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>")  # textContent = plain_text


def ruby_html(text: str, pattern: Markup = PRINT_RUBY, compose: bool = True) -> Markup:
    """Escape `text` and set every `{base|reading}` as ruby in `pattern` (print spans by default);
    `compose` marks up the rest for print composition (report/render/html/composition.py)."""
    plain = composed_html if compose else escape
    parts: list[str] = []
    position = 0
    for match in RUBY_RE.finditer(text):
        parts.append(plain(text[position:match.start()]))
        base, reading = (escape(g.strip()) for g in match.groups())
        parts.append(pattern.format(reading=reading, base=base))
        position = match.end()
    parts.append(plain(text[position:]))
    return Markup("").join(parts)


def ruby_web(text: str) -> Markup:
    """Escape `text` and set every `{base|reading}` as HTML <ruby> with <rp> fallbacks."""
    return ruby_html(text, WEB_RUBY, compose=False)


_DIGITS_RE = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?%?")


def keep_numbers(text: str) -> Markup:
    """Escape `text` and wrap every run of digits (1,200 / 89.4%) so a line never splits it."""
    parts: list[str] = []
    position = 0
    for match in _DIGITS_RE.finditer(text):
        parts += [escape(text[position:match.start()]), Markup('<span class="nobr">{}</span>').format(match.group())]
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def plain_text(text: str) -> str:
    """The text as read aloud or searched: ruby markup reduced to base(reading)."""
    return RUBY_RE.sub(lambda m: f"{m.group(1).strip()}({m.group(2).strip()})", text)


# Marks a city types at the start of an action line to make its own list: the line's mark then
# replaces the → the templates put before an action (never 「→・」).
LIST_MARKS = "・●○◎◆◇■□▪•◦‣-－‐*＊※"


def starts_with_list_mark(text: str) -> bool:
    """Whether an action line begins with its own list mark (・ ● - …)."""
    return text[:1] in LIST_MARKS if text else False
