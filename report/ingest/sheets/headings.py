"""Numbered headings split into number and name — the one reader of them (detection finds heading
rows with it, apply reads 分野 and 施策 out of them): 「基本目標1⏎子育て」「第1章 健康・福祉」「第十二章 …」
「(1) 地域づくり」「1-1 子育て支援」「【01】 安全・安心」「① 防災」. The number is the id as the city
writes it (「【01】」 → '01', parts joined with '-': 「1－1」 → '1-1'; only circled, full-width and kanji
numbers are written in digits); a heading without a number → (None, name)."""

from __future__ import annotations

import re

from report.ingest.sheets.years import narrow

_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}  # ①..⑳
_CIRCLED |= {chr(0x2474 + i): f"({i + 1})" for i in range(20)}  # ⑴..⒇
_PREFIXES = "基本目標|基本施策|基本方針|基本政策|重点目標|重点施策|政策|施策|分野|目標|方針|大綱"
_NUMBER = r"\d{1,3}(?:\s*[-‐－―−.・]\s*\d{1,3})*"
_HEADING_RE = re.compile(
    rf"^\s*(?:[【\[(〔]\s*(?P<bracketed>{_NUMBER})\s*[】\])〕]"
    rf"|第\s*(?P<chaptered>{_NUMBER})\s*(?P<chapter>[章節編部項])"  # 第1章 (第2期 is no heading)
    rf"|(?:{_PREFIXES})?\s*(?P<plain>{_NUMBER})(?:\s*[.、:)]|(?=\s)|$|(?=[^\d\s.,%]))(?!\s*[%年度月日人件期])"
    r")\s*(?P<name>.*)$", re.DOTALL)
_KANJI_CHAPTER = re.compile(r"^\s*第\s*(?P<n>[〇一二三四五六七八九十]{1,3})\s*(?P<chapter>[章節編部項])\s*(?P<name>.*)$", re.DOTALL)
_KANJI_NUMBERS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _kanji_number(text: str) -> str:
    """'十二' → '12', '五' → '5'."""
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return str(_KANJI_NUMBERS.get(text, 0))
    return str((_KANJI_NUMBERS.get(tens, 1) if tens else 1) * 10 + (_KANJI_NUMBERS.get(ones, 0) if ones else 0))


def _name(written: str, chapter: bool) -> str:
    """The name with whitespace tidied (a ～…～ subtitle kept: apply reads it); a chapter's name in
    brackets at its end is its short name (「第1章 誰もが…（健康・福祉）」 → 健康・福祉)."""
    name = " ".join(written.split()).lstrip("・:：、 ")
    if chapter and (short := re.search(r"[（(]([^（）()]+)[)）]$", name)):
        return short.group(1)
    return name


def split_heading(text: str) -> tuple[str | None, str]:
    """The number of a numbered heading as written and its name ('' when the cell is only a
    number); (None, the text tidied) when it has no number."""
    if kanji := _KANJI_CHAPTER.match(text):
        return _kanji_number(kanji["n"]), _name(kanji["name"], True)
    narrowed = "".join(_CIRCLED.get(c, c) for c in narrow(text))
    match = _HEADING_RE.match(narrowed)
    if not match:
        return None, " ".join(text.split())
    number = match["bracketed"] or match["chaptered"] or match["plain"]
    parts = re.split(r"\s*[-‐－―−.・]\s*", number)
    # the name as written (narrow() keeps lengths; ⑩ → 10 does not, then the narrowed text is used)
    written = text[match.start("name"):] if len(narrowed) == len(text) else match["name"]
    return "-".join(parts), _name(written, bool(match["chapter"]))


def is_heading(text: str) -> bool:
    """Whether a cell is a numbered heading: a number and a name (「1.5」「2023年度」 are figures)."""
    number, name = split_heading(text)
    return number is not None and bool(name)
