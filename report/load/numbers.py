"""Numbers as people type them, and as 公用文 prints them (comma every three digits)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAXIMUM = Decimal(10) ** 15  # 1000兆: beyond any municipal figure, and beyond exact floats

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_SUFFIX_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(?P<unit>[^\d.,+\-]+)$")  # 「104件」: a unit typed after it


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Read 104, １０４, 1,234, 89.4% → (value, had_percent_sign)."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = value.replace("−", "-").replace("△", "-").replace("▲", "-")
    percent = value.endswith("%")
    value = value.removesuffix("%")
    if not _NUMBER_RE.match(value):
        suffix = _SUFFIX_RE.match(value)
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


def format_number(value: Decimal | float | int) -> str:
    """1234 → 「1,234」, 89.40 → 「89.4」, 100.0 → 「100」."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    whole, _, fraction = format(number, "f").partition(".")  # exact: no rounding to 28 digits
    fraction = fraction.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{sign}{int(whole.lstrip('-')):,}"
    return f"{grouped}.{fraction}" if fraction else grouped


def format_quantity(value: Decimal | float | int, unit: str) -> str:
    """A number with its unit after it, as 公用文 writes it: 「104自治会」「89.4%」."""
    return f"{format_number(value)}{unit}"
