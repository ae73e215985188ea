"""Numbers as people type them, and as 公用文 prints them (comma every three digits)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAXIMUM = Decimal(10) ** 15  # 1000兆: beyond any municipal figure, and beyond exact floats

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# A number with what was typed after it: 「104件」「89.4%」「850g/m2」 (Excel shows a format's literal unit so).
_QUANTITY_RE = re.compile(r"^(?P<number>[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?)(?P<unit>[^\d.,+\-].*)?$")


def _normal(text: str) -> str:
    """A number cell's text as compared: width, spaces and the accountant's △ ▲ for minus aside."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    return value.replace("−", "-").replace("△", "-").replace("▲", "-")


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Read 104, １０４, 1,234, 89.4% → (value, had_percent_sign)."""
    value = _normal(text)
    percent = value.endswith("%")
    value = value.removesuffix("%")
    if not _NUMBER_RE.match(value):
        suffix = _QUANTITY_RE.match(value)
        if suffix:
            raise ValueError(f"数値のあとに「{suffix['unit']}」があります。単位は「単位」の列に書き、"
                             "ここには数値だけを書いてください(例: 104、89.4%)")
        raise ValueError("数値として読めません(例: 104、1,234、89.4%)")
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError("数値として読めません") from None
    if number.copy_abs() >= MAXIMUM:  # copy_abs: exact, abs() would round to 28 digits
        raise ValueError("数値が大きすぎます(1000兆未満で入力してください)")
    return number, percent


def parse_quantity(text: str) -> tuple[Decimal, str]:
    """Read a value with the unit typed after it, if any: 104 → (104, ''), 89.4% → (89.4, '%'),
    104件 → (104, '件'). Whether the unit agrees with the row's 単位 is checked with the row
    (report.load.indicators.unit_conflicts): a unit is never dropped without a word."""
    match = _QUANTITY_RE.match(_normal(text))
    if not match:
        return parse_number(text)[0], ""  # raises: not a number
    unit = match["unit"] or ""
    number, _ = parse_number(match["number"])
    return number, unit


def format_number(value: Decimal | float | int) -> str:
    """1234 → 「1,234」, as typed: 62.0 → 「62.0」, 89.40 → 「89.40」 (a Decimal keeps the digits
    typed after the point; a rate rounded to one decimal prints 99.0, not 99)."""
    number = Decimal(str(value))
    text = format(number, "f")  # exact: no rounding to 28 digits, the exponent kept (62.0 stays 62.0)
    whole, point, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{sign}{int(whole.lstrip('-')):,}"
    if grouped == "-0" and not fraction.strip("0"):
        grouped = "0"
    return f"{grouped}.{fraction}" if point else grouped


def format_quantity(value: Decimal | float | int, unit: str) -> str:
    """A number with its unit after it, as 公用文 writes it: 「104自治会」「89.4%」."""
    return f"{format_number(value)}{unit}"
