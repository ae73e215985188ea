"""A cell's value as Excel shows it, through the cell's number format.

Excel stores 「89.4%」 as 0.894 with the format `0.0%`, 「1,234」 as 1234 with `#,##0`, and a date as
a serial number with a date format. koho reads what the user saw, so that a figure prints as typed.
Only what changes the value is applied: percent (×100), the decimals shown (rounded as Excel rounds,
half away from zero), thousands scaling (`#,##0,`), dates (ISO, or as shown when the format has an
era: `ggge"年"m"月"d"日"` → 「令和5年11月1日」). Literal text after the number is kept, as the unit Excel
shows (`#,##0"人"` → 「1234人」: checked against the 単位 column, never dropped without a word); other
literal text, colours and padding are left out. No library on PyPI renders ECMA-376 formats and is maintained, so this reads the
formats municipal staff use.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from report.load.values.era import ERAS, era_of_date

SIGNIFICANT_DIGITS = 15  # what Excel keeps of a double: 0.1+0.2 shows as 0.3
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Quoted text, backslash escapes, [brackets] (colours, locales, conditions), _x (a space as wide as x)
# and *x (x repeated to fill the cell): none of them changes the value.
_LITERAL_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DATE_TOKEN_RE = re.compile(r"[yYmMdDgGeEhHsS]")
_ERA_TOKEN_RE = re.compile(r"[gGeE]")


def unescape(text: str) -> str:
    """Excel's `_xHHHH_` escapes in cell text (a line break is saved as `_x000D_` + LF) decoded."""
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("\r\n", "\n").replace("\r", "\n")


def sections(fmt: str) -> list[str]:
    """The `;`-separated sections of a format (positive; negative; zero; text), quotes respected."""
    parts, current, quoted, bracket = [], "", False, False
    for char in fmt:
        if char == '"' and not bracket:
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True
        elif char == "]" and not quoted:
            bracket = False
        if char == ";" and not quoted and not bracket:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _bare(section: str) -> str:
    """A section without its literal text, colours, locales and padding."""
    return _LITERAL_RE.sub("", section)


@lru_cache(maxsize=256)  # called for every number cell; a workbook has few formats
def is_date_format(fmt: str) -> bool:
    """Whether a format shows a serial number as a date or time (era formats `ggge` included)."""
    first = _bare(sections(fmt or "General")[0])
    return first.strip().lower() != "general" and bool(_DATE_TOKEN_RE.search(first)) and "0" not in first and "#" not in first


def _significant(value: float) -> Decimal:
    """The double as Excel keeps it: 15 significant digits (0.1 + 0.2 shows as 0.3)."""
    return Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))


_TOKEN_RE = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[[^\]]*\]|_.|\*.|(?P<digit>[0#?])|.')


def unit_after(section: str) -> str:
    """The literal text a format section shows after its last digit: its unit (`0"人"` → 「人」)."""
    unit = ""
    for match in _TOKEN_RE.finditer(section):
        if match["digit"]:
            unit = ""
        elif match["quoted"] is not None or match["escaped"] is not None:
            unit += match["quoted"] if match["quoted"] is not None else match["escaped"]
    return unit.strip()


def number_text(value: float, fmt: str) -> str:
    """A number as Excel shows it, without grouping or literal text but the unit after it:
    「89.4%」「-1234」「0.3」「12人」."""
    number = _significant(value)
    parts = sections(fmt or "General")
    section = parts[1] if number < 0 and len(parts) > 1 else parts[0]
    bare = _bare(section)
    if not bare.strip() or bare.strip().lower() == "general" or "@" in bare or re.search(r"[eE][+-]|/", bare):
        return _plain(number, percent=0)
    percent = bare.count("%")
    number = number.scaleb(2 * percent)
    digits = re.search(r"[0#?](?:[0#?,]*[0#?])?(,*)(?:\.([0#?]*))?", bare)
    if digits:
        number = number.scaleb(-3 * len(digits.group(1)))
        places = len(digits.group(2) or "")
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return _plain(number, percent, shown=bool(digits)) + unit_after(section)


def _plain(number: Decimal, percent: int, shown: bool = False) -> str:
    """The number's text; `shown`: with the decimals its format shows (`0.0` shows 62 as 62.0)."""
    text = format(number, "f")
    if "." in text and not shown:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.0 shows as 0.0
    if text in ("-0", ""):
        text = "0"
    return text + "%" * percent


_DATE_PART_RE = re.compile(r'"([^"]*)"|\\(.)|\[\$-[^\]]*\]|\[[^\]]*\]|(yyyy|yy|y|ggg|gg|g|ee|e|mmmm|mmm|mm|m|dddd|ddd|dd|d)'
                           r"|[hHsS:]+|AM/PM|A/P|_.|\*.|(.)", re.IGNORECASE)


def date_text(value: dt.datetime | dt.date, fmt: str) -> str:
    """A date as Excel shows it when the format names an era (「令和5年11月1日」), else ISO 8601.

    A format without a year (`m月d日`) would lose it, so ISO keeps the date the cell holds.
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    section = sections(fmt or "General")[0]
    if not is_date_format(fmt) or not _ERA_TOKEN_RE.search(_bare(section)) or day < ERAS[-1][2]:
        return day.isoformat()
    name, year = era_of_date(day)
    initial = next(letter for era, letter, _ in ERAS if era == name)
    gannen = "gannen" in section.lower()
    out = []
    for match in _DATE_PART_RE.finditer(section):
        quoted, escaped, token, other = match.groups()
        if quoted is not None or escaped is not None:
            out.append(quoted if quoted is not None else escaped)
        elif token:
            out.append(_date_token(token.lower(), day, name, initial, year, gannen))
        elif other is not None:
            out.append(other)
    return "".join(out)


def _date_token(token: str, day: dt.date, name: str, initial: str, year: int, gannen: bool) -> str:
    if token in ("ggg", "gg"):
        return name if token == "ggg" else name[0]
    if token == "g":
        return initial
    if token in ("e", "ee"):
        return "元" if gannen and year == 1 else f"{year:0{len(token)}d}"
    if token.startswith("y"):
        return str(day.year) if len(token) > 2 else f"{day.year % 100:02d}"
    if token.startswith("m"):
        return f"{day.month:0{min(len(token), 2)}d}"
    return f"{day.day:0{min(len(token), 2)}d}"
