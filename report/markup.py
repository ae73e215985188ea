"""Inline markup allowed in cell text, turned into safe HTML: ruby (furigana) and nothing else.

`{日日nova|ひびのば}` in a cell is set as ruby: the reading at half size, centred over its base.
WeasyPrint has no <ruby> layout, so the reading and its base are two stacked inline blocks.
Everything else in the text is escaped (cell text never becomes markup) and composed: numbers kept
with their units, 約物 pairs tightened (report/composition.py).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .composition import composed_html

# A reading is kana (with ・, ー and spaces); the base is any text without braces or bars.
RUBY_RE = re.compile(r"\{([^{}|\n]+)\|([\u3041-\u309f\u30a0-\u30ff・ー\s]+)\}")


def ruby_html(text: str) -> Markup:
    """Escape `text` and set every `{base|reading}` as ruby."""
    parts: list[str] = []
    position = 0
    for match in RUBY_RE.finditer(text):
        parts.append(composed_html(text[position:match.start()]))
        base, reading = (escape(g.strip()) for g in match.groups())
        parts.append(Markup('<span class="ruby"><span class="rt">{}</span><span class="rb">{}</span></span>')
                     .format(reading, base))
        position = match.end()
    parts.append(composed_html(text[position:]))
    return Markup("").join(parts)


def plain_text(text: str) -> str:
    """The text as read aloud or searched: ruby markup reduced to base(reading)."""
    return RUBY_RE.sub(lambda m: f"{m.group(1).strip()}({m.group(2).strip()})", text)
