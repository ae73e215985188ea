"""Turn one cell's text into a typed value, by the column's kind; ValueError says what was expected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from charts.choose import parse_chart

from report.load.values.colors import parse_color
from report.load.values.era import parse_date, parse_fiscal_year, parse_metric_year, read_year_kind
from report.load.indicators import read_cumulative, read_direction, read_target
from report.load.values.numbers import parse_quantity
from report.load.values.text import normalize_text, read_word_flag, split_lines
from report.load.values.photo_cells import read_decorative, read_focus, read_photo_path

_TRUE = {"1", "true", "yes", "y", "○", "〇", "◯", "●", "はい", "掲載", "する", "有"}
_FALSE = {"", "0", "false", "no", "n", "×", "いいえ", "しない", "無", "-", "ー", "－"}


def read_bool(text: str) -> bool:
    """1/0, TRUE/FALSE, ○/empty, はい/いいえ."""
    return read_word_flag(text, _TRUE, _FALSE, "掲載するかどうかは 1/0、TRUE/FALSE、○/空欄、はい/いいえ で入力してください")


def read_area_number(text: str) -> int:
    """1, 01, １, 【01】 → 1."""
    value = unicodedata.normalize("NFKC", text).strip().strip("【】[]")
    if not re.fullmatch(r"\d{1,3}", value) or int(value) < 1:
        raise ValueError("分野番号は1以上の整数で入力してください(例: 1、01)")
    return int(value)


def read_id(text: str) -> str:
    """A measure number as typed, tidied: full-width digits and spaces do not matter."""
    value = "".join(unicodedata.normalize("NFKC", text).split())
    if not value:
        raise ValueError("施策番号が空です")
    return value


READERS: dict[str, Callable[[str], Any]] = {
    "text": normalize_text,
    "lines": lambda text: split_lines(normalize_text(text)),
    "area": read_area_number,
    "id": read_id,
    "fiscal_year": parse_fiscal_year,
    "metric_year": parse_metric_year,
    "year_kind": read_year_kind,
    "number": parse_quantity,
    "date": parse_date,
    "bool": read_bool,
    "color": parse_color,
    "chart": parse_chart,
    "target": read_target,
    "direction": read_direction,
    "cumulative": read_cumulative,
    "photo_path": read_photo_path,
    "decorative": read_decorative,
    "focus": read_focus,
}
