"""Numbered headings split into number and name: 「基本目標1⏎子育て」「第1章 健康・福祉」「(1) 地域づくり」
「1-1 子育て支援」「【01】 安全・安心」「① 防災」 → ('1', '子育て') …; a heading without a number → (None, name)."""

from __future__ import annotations

import re

from report.ingest.years import narrow

_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}  # ①..⑳
_PREFIXES = "基本目標|基本施策|基本方針|基本政策|重点目標|重点施策|政策|施策|分野|目標|方針|第"
_NUMBER = r"\d{1,3}(?:\s*[-‐－―−.・]\s*\d{1,3})*"
_HEADING_RE = re.compile(
    rf"^\s*(?:[【\[(〔]\s*(?P<bracketed>{_NUMBER})\s*[】\])〕]"
    rf"|(?:{_PREFIXES})?\s*(?P<plain>{_NUMBER})\s*(?:章|節|項)?(?:[.、:)]|(?=\s)|$|(?=[^\d\s.,%]))(?!\s*[%年度月日人件])"
    r")\s*(?P<name>.*)$", re.DOTALL)


def split_heading(text: str) -> tuple[str | None, str]:
    """The number of a numbered heading (its parts joined with '-': 「1－1」 → '1-1') and its name
    (whitespace tidied; '' when the cell is only a number)."""
    narrowed = "".join(_CIRCLED.get(c, c) for c in narrow(text))
    match = _HEADING_RE.match(narrowed)
    if not match:
        return None, " ".join(text.split())
    number = match["bracketed"] or match["plain"]
    parts = re.split(r"\s*[-‐－―−.・]\s*", number)
    # the name as written (narrow() keeps lengths; ⑩ → 10 does not, then the narrowed text is used)
    written = text[match.start("name"):] if len(narrowed) == len(text) else match["name"]
    name = " ".join(written.split()).lstrip("・:：、 ")
    return "-".join(parts), name
