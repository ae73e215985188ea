"""Years named in a city table's header or cell text: 令和5年度, R5, H28, 2023, 平成13年実績, 基準値(R1).

Pure text reading (no I/O). The rules, all decided from the words written:
- era (令和/平成/昭和, R/H/S, ㋿/㍻/㍼) + year number (digits, 元, or kanji 五/十二) or a western year
  (1989–2100, with or without 年/年度, FY2023); a range 「令和2〜7年度」 names both ends;
- era year 0 or a year outside 1989–2100 is no year (None), never a guess;
- 「R6.3」「2024/3」 (a month, a decimal, 2024/25?) name no year; 「R6.3末」「R6.3.31」 are dates;
- a date (「令和6年9月30日現在」「R6.9.30」「2024年6月」「H28.3末」) names the fiscal year it falls in (April starts
  the year), provisional unless it is the fiscal year's end (3月31日 / 3月); the day is kept in
  `as_of`, as is a day written beside a year (「R5 (9月30日現在)」 → 2023-09-30); no such day → None;
- calendar (暦年): the text says 暦年, or writes 年 without 度 with nothing around it that labels a
  column of the plan's figures. 「平成13年実績」「R5年 目標」 are fiscal (cities write 年 for 年度 in
  headers of fiscal data); 「2019年」「令和2年国勢調査」「2023年末」 are calendar. A text that also writes
  年度 elsewhere is fiscal;
- provisional: 見込, 見通し, 予定, 速報, 暫定, 推計, 途中, 「9月30日現在」 (a date other than 3月31日).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache

from report.ingest.sheets.model import YearRef
from report.load.values.era import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, era_year_to_western

# Era names as written (single squared-era characters included) → the name era.py knows.
ERA_NAMES = {
    "令和": "令和", "㋿": "令和", "R": "R", "r": "R",
    "平成": "平成", "㍻": "平成", "H": "H", "h": "H",
    "昭和": "昭和", "㍼": "昭和", "S": "S", "s": "S",
}
# Words that say a figure is not a result yet.
PROVISIONAL_WORDS = ("見込", "見通し", "予定", "速報", "暫定", "推計", "途中")
# Words that label a column of the plan's own figures: 年 beside them still means 年度.
FISCAL_CONTEXT_WORDS = ("実績", "目標", "見込", "予定", "基準", "現状", "従前", "策定時", "計画", "値", "速報")
# Words of a year header, by the role of the column (checked most specific first).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("final_target", ("最終目標", "最終年度目標", "目標(最終", "最終年度の目標")),
    ("baseline", ("基準", "現状", "従前", "策定時")),
    ("target", ("目標", "予定", "計画値")),
    ("value", ("実績", "見込", "速報")),
)
# A year header with these words is a derived or judged column, not a figure of a role.
NOT_A_ROLE = ("達成率", "進捗率", "達成度", "評価", "判定", "基本目標", "目標年度")

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_DASHES = "〜~～\\-－―‐–−—"

_NUMBER = r"(?:\d{1,2}|元|[一二三四五六七八九十]{1,3})"
_ERA = r"(?:令和|平成|昭和|[㋿㍻㍼]|(?<![A-Za-z0-9])[RHSrhs])"
_YEAR_RE = re.compile(
    rf"""
    (?:
      (?P<fy>FY|ＦＹ)\s*(?P<fyyear>\d{{4}})(?!\d)
    | (?P<era>{_ERA})\.?\s*(?P<n>{_NUMBER})
      (?:
        (?P<edate>[.年/](?P<emonth>\d{{1,2}})(?:[.月/](?P<eday>\d{{1,2}})日?|月|(?=末|時点|現在))(?!\d))
      | (?P<edot>\.\d)
      | (?P<esuffix>年度|年)?
        (?:\s*[{_DASHES}]\s*(?:(?P<era2>{_ERA})\.?\s*)?(?P<n2>{_NUMBER})(?P<esuffix2>年度|年)?)?
      )
      (?![0-9])
    | (?<![\d.])(?!(?<=,)\d{{4}}(?!年))(?P<western>19[89]\d|20\d\d|2100)
      (?:
        (?P<wdate>[-/.年](?P<wmonth>\d{{1,2}})(?:[-/.月](?P<wday>\d{{1,2}})日?|月|(?=末|時点|現在))(?!\d))
      | (?P<wdot>/\d)
      | (?P<wsuffix>年度|年)?
        (?:\s*[{_DASHES}]\s*(?P<western2>19[89]\d|20\d\d|2100)(?P<wsuffix2>年度|年)?)?
      )
      (?![\d.,%])
    )
    """,
    re.VERBOSE,
)
# A bare western year (no 年/年度) directly followed by other words is a number with a unit
# (「1990人」), unless the words are these.
BARE_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*$")  # a header that is only a western year (「2020」): fiscal or calendar, asked
# a header that is only a fiscal year in an era's form (「H27」「R5」「令和5年度」): that year's result
ERA_YEAR_ONLY = re.compile(r"^\s*(?:令和|平成|[RH])\.?\s*(?:\d{1,2}|元)(?:年度)?\s*$", re.IGNORECASE)
BARE_YEAR_WORDS = ("実績", "目標", "見込", "予定", "基準", "現状", "末", "速報", "暦年", "計画", "時点", "現在", "当初")
_WORD_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaffA-Za-z]")
_DATE_PROVISIONAL_RE = re.compile(r"(\d{1,2})月(\d{1,2})日\s*(?:現在|時点)")


_NARROW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: " "}


def narrow(text: str) -> str:
    """Full-width ASCII (digits, Latin letters, signs, brackets) and the ideographic space to their
    narrow forms, one character for one (so spans still point into the original text). Unlike NFKC
    it leaves ①, ㎡, ㋿ and every other compatibility character as written."""
    return text.translate(_NARROW)


def _era_number(written: str) -> int:
    """'5' → 5, '元' → 1, '十二' → 12, '二十五' → 25."""
    if written.isdigit():
        return int(written)
    if written == "元":
        return 1
    tens, _, ones = written.rpartition("十")
    if "十" not in written:
        return _KANJI_DIGITS.get(written, 0) if len(written) == 1 else 0
    return (_KANJI_DIGITS.get(tens, 0) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)


def _in_range(year: int) -> bool:
    return FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR


def _era_year(era: str, written: str) -> int | None:
    n = _era_number(written)
    if n < 1:
        return None
    year = era_year_to_western(ERA_NAMES[era], n)
    return year if _in_range(year) else None


def _date(year: int, month: int, day: int | None) -> dt.date | None:
    """The day written (a month alone, 「3月末」, is its last day); None for no such day."""
    if not 1 <= month <= 12:
        return None
    try:
        return dt.date(year, month, day or calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def _dated(year: int, month: int, day: int | None, written: str) -> YearRef | None:
    """The fiscal year a date (or a month) falls in; provisional unless it is the year's end."""
    day_written = _date(year, month, day)
    fiscal = year if month >= 4 else year - 1
    if day_written is None or not _in_range(fiscal):
        return None
    ends_year = (month, day_written.day) == (3, 31)
    return YearRef(fiscal, provisional=not ends_year, text=written, as_of=day_written)


def _as_of(ref: YearRef, text: str) -> dt.date | None:
    """The day a text names beside a year without its own year (「R5 (9月30日現在)」 → 2023-09-30)."""
    if ref.as_of is not None:
        return ref.as_of
    days = {(int(m), int(d)) for m, d in _DATE_PROVISIONAL_RE.findall(text)}
    if len(days) != 1:
        return None
    month, day = days.pop()
    return _date(ref.year if month >= 4 or ref.calendar else ref.year + 1, month, day)


def _calendar(text: str, suffix: str | None) -> bool:
    """Whether 年 (not 年度) means a calendar year here: see the module's rules."""
    if "暦年" in text:
        return True
    if suffix != "年" or "年度" in text:
        return False
    return not any(word in text for word in FISCAL_CONTEXT_WORDS)


def _provisional(text: str, calendar_year: bool = False) -> bool:
    """見込/予定/速報 …, or a day before the year's end (3月31日; 12月31日 for a calendar year)."""
    if any(word in text for word in PROVISIONAL_WORDS):
        return True
    end = ("12", "31") if calendar_year else ("3", "31")
    return any((m, d) != end for m, d in _DATE_PROVISIONAL_RE.findall(text))


def year_spans(text: str) -> list[tuple[int, int, list[YearRef]]]:
    """Every year expression in `text`: (start, end, the years it names) in reading order. A range
    「令和2〜7年度」 names two years; an expression naming no valid year (令和0年, 1988) names none.
    Flags (calendar, provisional) are decided from the whole text; `years_in` narrows that."""
    narrowed = narrow(text)
    spans: list[tuple[int, int, list[YearRef]]] = []
    for match in _YEAR_RE.finditer(narrowed):
        written = text[match.start():match.end()]
        found: list[YearRef] = []
        date: YearRef | None = None
        dated = False
        if match["fy"]:
            year = int(match["fyyear"])
            found = [YearRef(year, text=written)] if _in_range(year) else []
        elif match["era"]:
            if match["edot"]:
                pass  # 「R6.3」: a month or a decimal? No year rather than a guess
            elif match["edate"]:
                dated = True
                start = _era_year_start(match["era"], match["n"])
                if start is not None:
                    date = _dated(start, int(match["emonth"]), _int(match["eday"]), written)
            else:
                suffix = match["esuffix"] or match["esuffix2"]
                first = _era_year(match["era"], match["n"])
                found = [YearRef(first, calendar=_calendar(text, suffix), text=written)] if first else []
                if match["n2"] is not None:
                    second = _era_year(match["era2"] or match["era"], match["n2"])
                    found = found + [YearRef(second, calendar=_calendar(text, suffix), text=written)] \
                        if second and found else []
        else:
            year = int(match["western"])
            if _unit_after_bare_year(match, narrowed):
                continue
            if match["wdot"]:
                pass  # 「2024/3」: a month or 2024/25? No year rather than a guess
            elif match["wdate"]:
                dated = True
                date = _dated(year, int(match["wmonth"]), _int(match["wday"]), written)
            else:
                suffix = match["wsuffix"] or match["wsuffix2"]
                years = [year] + ([int(match["western2"])] if match["western2"] else [])
                found = [YearRef(y, calendar=_calendar(text, suffix), text=written) for y in years] \
                    if all(_in_range(y) for y in years) else []
        if dated:
            found = [date] if date is not None else []
        spans.append((match.start(), match.end(), found))
    return spans


def _unit_after_bare_year(match: re.Match[str], narrowed: str) -> bool:
    """「1990人」: a bare four-digit number followed by a word that is not a year header's word."""
    if match["wdate"] or match["wdot"] or match["wsuffix"] or match["western2"]:
        return False
    rest = narrowed[match.end():]
    return bool(_WORD_CHAR_RE.match(rest)) and not rest.startswith(BARE_YEAR_WORDS)


def _era_year_start(era: str, written: str) -> int | None:
    """The western calendar year of an era year, for a date (not range-checked as fiscal)."""
    n = _era_number(written)
    return era_year_to_western(ERA_NAMES[era], n) if n >= 1 else None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _with_flags(ref: YearRef, context: str) -> YearRef:
    return replace(ref, provisional=ref.provisional or _provisional(context, ref.calendar),
                   as_of=_as_of(ref, context))


def years_in(text: str) -> list[YearRef]:
    """Every year `text` names, in reading order (「2019年度:300 2020年度:600」 → 2019, 2020). Each
    year's provisional flag comes from the words between it and the next year (the text before the
    first year counts for the first)."""
    spans = year_spans(text)
    result: list[YearRef] = []
    for index, (start, end, refs) in enumerate(spans):
        begin = 0 if index == 0 else start
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        result.extend(_with_flags(ref, text[begin:stop]) for ref in refs)
    return result


@lru_cache(maxsize=16384)
def year_in(text: str) -> YearRef | None:
    """The one year named in header or cell text, or None: none named, an invalid one (令和0年,
    1988), or several different ones (「令和2〜7年度」: use `years_in`). An expression that names no
    valid year makes the whole text None (a wrong year is worse than none)."""
    spans = year_spans(text)
    if not spans or any(not refs for _, _, refs in spans):
        return None
    refs = [ref for _, _, found in spans for ref in found]
    if len({ref.year for ref in refs}) != 1:
        return None
    days = {r.as_of for r in refs if r.as_of is not None}
    month_days = {(d.month, d.day) for d in days} | {(int(m), int(d)) for m, d in _DATE_PROVISIONAL_RE.findall(text)}
    if len(days) > 1 or len(month_days) > 1:
        return None  # two different days for one year: which one the figure is at is not said
    first = next((r for r in refs if r.as_of is None), refs[0])
    calendar_year = any(r.calendar for r in refs)
    merged = replace(first, provisional=any(r.provisional for r in refs) or _provisional(text, calendar_year),
                     calendar=calendar_year, as_of=days.pop() if days else None)
    return replace(merged, as_of=_as_of(merged, text))


def header_role(text: str) -> str:
    """What a year header's other words say the column holds: 'value' (実績), 'target' (目標,
    予定), 'baseline' (基準, 現状, 従前), 'final_target' (最終目標), or '' (none, or a derived
    column such as 達成率, or words of two roles such as 「目標/実績」)."""
    words = narrow(text).replace(" ", "")
    if any(word in words for word in NOT_A_ROLE):
        return ""
    for role, role_words in ROLE_WORDS[:2]:
        if any(word in words for word in role_words):
            return role
    found = [role for role, role_words in ROLE_WORDS[2:] if any(word in words for word in role_words)]
    return found[0] if len(found) == 1 else ""
