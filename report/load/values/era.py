"""Japanese era (和暦) and fiscal-year (年度) conversion and formatting."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from report.load.values.text import read_word_flag

# (name, Latin initial, first day of the era); newest first.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
)
ERA_BY_NAME = {name: start for name, _, start in ERAS} | {
    initial: start for _, initial, start in ERAS
}

FIRST_FISCAL_YEAR = 1989
LAST_FISCAL_YEAR = 2100


def era_year_to_western(era: str, year: int) -> int:
    """令和5 → 2023. `era` is a name (令和) or an initial (R).

    A year written in an era after its end is read as the year it names: plans made before May
    2019 write 平成32年度 for 令和2年度 (see `overrun_note`, which says so about such a cell)."""
    start = ERA_BY_NAME[era.upper() if len(era) == 1 else era]
    return start.year + year - 1


def _era_name(era: str) -> str:
    """平成 for 平成, H or h."""
    return next(name for name, initial, _ in ERAS if era in (name, initial, initial.lower()))


def _era_end(name: str) -> dt.date | None:
    """The last day of an era, or None for the current one."""
    start = next(s for n, _, s in ERAS if n == name)
    later = [s for _, _, s in ERAS if s > start]
    return min(later) - dt.timedelta(days=1) if later else None


def overrun_note(text: str, kind: str) -> str | None:
    """A note when a fiscal year (`kind` 'fiscal_year') or a date ('date') is written in an era
    after its end (平成32年度, 平成31年5月1日), saying how koho reads and prints it; else None.

    The one documented choice: such a year is printed converted, in the document's era style
    (平成32年度 → 令和2年度), so one document never names one year two ways."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if kind == "fiscal_year":
        match = _FISCAL_RE.match(value)
        if not match or not match["era"]:
            return None
        name = _era_name(match["era"])
        end = _era_end(name)
        n = 1 if match["n"] == "元" else int(match["n"])
        if end is None or n < 1 or ERA_BY_NAME[name].year + n - 1 <= end.year:
            return None
        year = parse_fiscal_year(value)
        return _overrun_message(f"{name}{n}年度", fiscal_year_label(year), f"{year}年度", end)
    match = _ERA_DATE_RE.match(re.sub(r"\([^)]*\)$", "", value).removesuffix("時点"))
    if kind != "date" or not match:
        return None
    name = _era_name(match.group(1))
    end = _era_end(name)
    day = parse_date(value)
    if end is None or day <= end:
        return None
    written = f"{name}{match.group(2)}年{match.group(3)}月{match.group(4)}日"
    return _overrun_message(written, date_label(day), day.isoformat(), end)


def _overrun_message(written: str, meant: str, western: str, end: dt.date) -> str:
    return (f"{written}は{meant}({western})のことです({date_label(end)}までが{era_of_date(end)[0]})。"
            f"{meant}として読み、印刷ではほかの年と同じ書き方にそろえます")


def _era_of_year(year: int) -> tuple[str, int]:
    """The era that names a fiscal year starting 1 April `year`, and its year number."""
    april_first = dt.date(year, 4, 1)
    for name, _, start in ERAS:
        if april_first >= start or start.year == year:
            return name, year - start.year + 1
    raise ValueError(f"{year}年は対応していない年です")


def era_of_date(day: dt.date) -> tuple[str, int]:
    """The era a date falls in, and its year number."""
    for name, _, start in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day.isoformat()}は対応していない日付です")


def _year_number(n: int) -> str:
    return "元" if n == 1 else str(n)


def fiscal_year_label(year: int, style: str = "wareki") -> str:
    """2023 → 「令和5年度」 (style 'wareki'), 「R5」 ('short') or 「2023年度」 ('western')."""
    return year_label(year, style)


def year_label(year: int, style: str = "wareki", calendar: bool = False) -> str:
    """A fiscal year as `fiscal_year_label` prints it, or a calendar year (暦年): 2023 → 「令和5年」
    ('wareki'), 「R5年」 ('short': never the bare 「R5」 a fiscal year prints) or 「2023年」 ('western')."""
    suffix = "年" if calendar else "年度"
    if style == "western":
        return f"{year}{suffix}"
    name, n = _era_of_year(year)
    if style == "short":
        initial = next(i for era, i, _ in ERAS if era == name)
        return f"{initial}{n}" + ("年" if calendar else "")
    return f"{name}{_year_number(n)}{suffix}"


def date_label(day: dt.date) -> str:
    """2023-11-01 → 「令和5年11月1日」 (公用文 style, era year 元 for the first year)."""
    name, n = era_of_date(day)
    return f"{name}{_year_number(n)}年{day.month}月{day.day}日"


_FISCAL_RE = re.compile(
    r"^(?:(?P<western>\d{4})(?:年度?)?|(?P<era>令和|平成|昭和|[RHSrhs])\.?\s*(?P<n>\d{1,2}|元)(?:年度?)?)$"
)


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year as people type it: 2023, 2023年度, 令和5年度, R5, 令和元年度, 令和５年度."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    match = _FISCAL_RE.match(value)
    if not match:
        raise ValueError("年度として読めません(例: 令和5年度、R5、2023)")
    if match["western"]:
        year = int(match["western"])
    else:
        n = 1 if match["n"] == "元" else int(match["n"])
        if n < 1:
            raise ValueError(f"{_era_name(match['era'])}{n}年度はありません(元号の年は元年=1年から数えます)")
        year = era_year_to_western(match["era"], n)
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise ValueError(f"{FIRST_FISCAL_YEAR}〜{LAST_FISCAL_YEAR}年度の範囲にありません")
    return year


_CALENDAR_RE = re.compile(r"\(?暦年\)?$")


def parse_metric_year(text: str) -> tuple[int, bool]:
    """A metrics row's year: a fiscal year as `parse_fiscal_year` reads it, or a calendar year (暦年)
    marked in the cell: 「2023年(暦年)」「令和5年(暦年)」 → (2023, True). 「令和5年」 alone stays the
    fiscal year it has always been read as."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    stripped = _CALENDAR_RE.sub("", value)
    if stripped == value:
        return parse_fiscal_year(value), False
    if stripped.endswith("年度"):
        raise ValueError("年度と暦年の両方が書かれています(暦年なら「2023年(暦年)」、年度なら「2023年度」)")
    return parse_fiscal_year(stripped), True


_CALENDAR_WORDS = {"暦年", "暦", "calendar", "1月〜12月", "1-12月"}
_FISCAL_WORDS = {"", "-", "―", "年度", "会計年度", "fiscal"}


def read_year_kind(text: str) -> bool:
    """The 年の区分 column: 暦年 → True (a calendar year); 年度 or empty → False."""
    return read_word_flag(text, _CALENDAR_WORDS, _FISCAL_WORDS, "年の区分は「年度」(4月〜3月)か「暦年」(1月〜12月)で入力してください")


_ISO_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ].*)?$")
_ERA_DATE_RE = re.compile(
    r"^(令和|平成|昭和|[RHSrhs])\.?\s*(\d{1,2}|元)[.年/-](\d{1,2})[.月/-](\d{1,2})日?(?:時点)?$"
)


def parse_date(text: str) -> dt.date:
    """Read a date: 2023-11-01, 2023/11/1, 2023年11月1日, 令和5年11月1日, R5.11.1. An era year 0 and a
    date before its era began (令和1年4月1日) are refused: no era date is read as another era's."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = re.sub(r"\([^)]*\)$", "", value)  # a weekday such as (金)
    value = value.removesuffix("時点")
    era_name = ""
    if match := _ISO_DATE_RE.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _ERA_DATE_RE.match(value):
        era, n, month_s, day_s = match.groups()
        era_name, number = _era_name(era), 1 if n == "元" else int(n)
        if number < 1:
            raise ValueError(f"{era_name}{number}年はありません(元号の年は元年=1年から数えます)")
        year = era_year_to_western(era, number)
        month, day = int(month_s), int(day_s)
    else:
        raise ValueError("日付として読めません(例: 令和5年11月1日、2023-11-01)")
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise ValueError("存在しない日付です") from None
    if era_name and result < ERA_BY_NAME[era_name]:  # 令和1年4月1日 is 平成31年: not a date it names
        start = ERA_BY_NAME[era_name]
        meant = f"。{result.isoformat()}は{date_label(result)}です" if result >= ERAS[-1][2] else ""
        raise ValueError(f"{era_name}が始まる前の日付です({era_name}は{start.year}年{start.month}月{start.day}日から{meant})")
    if not FIRST_FISCAL_YEAR <= result.year <= LAST_FISCAL_YEAR:
        raise ValueError(f"{FIRST_FISCAL_YEAR}〜{LAST_FISCAL_YEAR}年の範囲にありません")
    return result


def period_label(years: list[int], style: str = "wareki") -> str:
    """[2022, 2023] → 「令和4年度および令和5年度」; three or more → 「令和4〜7年度」."""
    years = sorted(set(years))
    if not years:
        return ""
    if len(years) == 1:
        return fiscal_year_label(years[0], style)
    if len(years) == 2:
        return f"{fiscal_year_label(years[0], style)}および{fiscal_year_label(years[1], style)}"
    first, last = fiscal_year_label(years[0], style), fiscal_year_label(years[-1], style)
    if style == "wareki" and first[:2] == last[:2]:
        return f"{first.removesuffix('年度')}〜{last[2:]}"
    return f"{first}〜{last}"


def check_written_date(text: str) -> str:
    """A date printed as written (the handout's date, the archive's publication date), refused when
    it reads as an era date that does not exist (令和0年5月1日, 令和元年4月1日); other text passes."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = re.sub(r"\([^)]*\)$", "", value).removesuffix("時点").removesuffix("発行")
    if _ERA_DATE_RE.match(value):
        parse_date(value)
    return text
