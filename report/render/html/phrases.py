"""Phrases kept whole in narrow table cells: lines break between 文節, never inside 「子ど / も」.

BudouX (the phrase segmenter Chrome uses for `word-break: auto-phrase`) splits the text into
phrases; each phrase is wrapped in a no-wrap span (`.phrase` in the kind's stylesheet), with a <wbr> between
phrases (WeasyPrint finds no break between two no-wrap spans otherwise), so a line breaks only
between phrases. A short parenthesised group (「（事業者）」「（第2期）」) is one phrase
with what it is attached to. No character is added to the text: no joiner or zero-width character (invisible
format characters are removed from data), only elements around and between the phrases.

`phrased_html` works on markup already composed (report/render/html/composition.py, ruby): it counts
the text a reader sees (not a ruby reading), and never cuts inside an element: a number kept with
its unit, a Latin word or a ruby group stays one piece of the phrase it starts in.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup, escape

PHRASE_CLASS = "phrase"
# A bracketed group this short (brackets included) is never cut: 「（事業者）」, 「(第2期)」.
SHORT_GROUP = 14
# A longer phrase (a long katakana word, a URL) may still break inside: it would push its column
# wider than the page's share for it.
LONGEST_KEPT = 12
_GROUP_RE = re.compile(r"[（(〔［\[【][^（()）〔〕［］\[\]【】]{1,%d}[）)〕］\]】]" % (SHORT_GROUP - 2))
NO_LINE_START = "・：；、。，．）」』】〕〉》｝!?！？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ"  # 行頭禁則 (JLREQ)
_TOKEN_RE = re.compile(r"<[^>]*>|[^<]+")
_RT_RE = re.compile(r'<span class="rt">')


@lru_cache(maxsize=1)
def _parser():  # noqa: ANN202 - budoux.Parser
    import budoux  # imported on first use: the newsletter never needs it

    return budoux.load_default_japanese_parser()


def phrase_starts(text: str) -> set[int]:
    """The offsets in `text` where a phrase starts (0 left out), short bracketed groups kept whole."""
    starts, position = set(), 0
    for phrase in _parser().parse(text):
        if position:
            starts.add(position)
        position += len(phrase)
    # a phrase never starts with a mark no line may start with (「子ども / ・子育て」: after the ・)
    for start in sorted(starts):
        if text[start] in NO_LINE_START:
            starts.discard(start)
            if start + 1 < len(text):
                starts.add(start + 1)
    for group in _GROUP_RE.finditer(text):  # no start inside a group, nor just after its opening
        starts -= set(range(group.start() + 1, group.end()))
    return starts


_INLINE = {"span", "a", "em", "strong", "b", "i", "sup", "sub", "small", "abbr"}
_BLOCK = None  # a piece that is a block element's tag: phrases never cross it


def _name(tag: str) -> str:
    return re.match(r"</?\s*([a-zA-Z0-9]+)", tag).group(1).lower()


def _pieces(markup: str) -> list[tuple[str, str | None]]:
    """The markup as pieces: (markup, the text it shows), one per character of text outside inline
    elements, one per whole inline element (a ruby's reading not counted as shown text), and one
    per block element tag (shown text None: <p>, <li>, <table>, <br>…, phrases end there)."""
    pieces: list[tuple[str, str | None]] = []
    depth, element, shown, hidden_at = 0, [], [], None
    for token in _TOKEN_RE.findall(markup):
        if token.startswith("<"):
            if token.startswith("<!--") or _name(token) not in _INLINE:
                pieces.append((token, _BLOCK))
                continue
            element.append(token)
            if token.startswith("</"):
                depth -= 1
                if hidden_at is not None and depth < hidden_at:
                    hidden_at = None
            elif not token.endswith("/>"):
                if _RT_RE.match(token) and hidden_at is None:
                    hidden_at = depth + 1
                depth += 1
            if depth == 0:
                pieces.append(("".join(element), "".join(shown)))
                element, shown = [], []
        elif depth == 0:
            pieces += [(html.escape(char, quote=False), char) for char in html.unescape(token)]
        else:
            element.append(token)
            if hidden_at is None:
                shown.append(html.unescape(token))
    return pieces


def _phrased(pieces: list[tuple[str, str]]) -> str:
    """A run of inline pieces, each phrase in its no-wrap span."""
    text = "".join(shown for _, shown in pieces)
    if not text.strip():
        return "".join(piece for piece, _ in pieces)
    starts = phrase_starts(text)
    phrases: list[list[str]] = [[]]
    position = 0
    for piece, shown in pieces:
        if position in starts and phrases[-1]:
            phrases.append([])
        phrases[-1].append(piece)
        position += len(shown)
    return "<wbr>".join(_wrapped(p) for p in phrases if p)


def phrased_html(markup: str, fits: int = 0) -> Markup:
    """`markup` (escaped, composed HTML) with every phrase wrapped in a no-wrap span; the text of
    each block (a paragraph, a list item, a table cell) is segmented on its own. Text of at most
    `fits` characters is left as it is: it fits its cell's line (and stays one run of text).
    Plain text (a data cell not yet made HTML) is escaped first: only Markup is taken as markup."""
    markup = escape(markup)
    pieces = _pieces(str(markup))
    if len("".join(shown or "" for _, shown in pieces)) <= fits:
        return Markup(markup)
    out, run = [], []
    for piece, shown in pieces:
        if shown is _BLOCK:
            out += [_phrased(run), piece]
            run = []
        else:
            run.append((piece, shown))
    out.append(_phrased(run))
    return Markup("".join(out))


def _wrapped(phrase: list[str]) -> str:
    """One phrase's markup in its no-wrap span (a phrase too long to keep whole, as it is)."""
    body = "".join(phrase)
    if len(phrase) > LONGEST_KEPT or not body.strip():
        return body
    return f'<span class="{PHRASE_CLASS}">{body}</span>'


# A lead (an area's number 「07」) goes into the first phrase when that is this short, or into the
# part of it up to its first 「・」 (「景観・環境・防災」: 「07 景観・」 / 「環境・防災」): the lead stays on
# a narrow cell's first line with text after it, never 「07」 alone above the title.
LEAD_KEPT_WITH = 4
_FIRST_PHRASE_RE = re.compile(r'<span class="%s">([^<]*)</span>' % PHRASE_CLASS)


def led_by(phrased: str, lead: str) -> Markup:
    """`phrased` (phrased_html's markup) after `lead` (escaped by the caller) and a space, the lead
    kept on the line of the first phrase, or of its part up to its first 「・」, when that is short
    (`LEAD_KEPT_WITH` characters)."""
    if not lead:
        return Markup(phrased)
    first = _FIRST_PHRASE_RE.search(str(phrased))
    if first is None or first.start() != 0:
        return Markup(f"{lead} {phrased}")
    text, rest = first.group(1), str(phrased)[first.end():]
    head, dot, tail = html.unescape(text).partition("・")
    if len(html.unescape(text)) > LEAD_KEPT_WITH and dot and tail and len(head) + 1 <= LEAD_KEPT_WITH:
        text = html.escape(head + dot, quote=False)
        rest = f'<wbr><span class="{PHRASE_CLASS}">{html.escape(tail, quote=False)}</span>{rest}'
    elif len(html.unescape(text)) > LEAD_KEPT_WITH:
        return Markup(f"{lead} {phrased}")
    return Markup(f'<span class="{PHRASE_CLASS}">{lead}\u00a0{text}</span>{rest}')
