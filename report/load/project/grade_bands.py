"""koho.toml's [grades]: a city's own bands, checked (report/compose/grades.py grades a rate by them).
See report/compose/grades.py for the rules a band keeps."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from report.load.project.rate_settings import HUNDRED
from report.load.values.keyed import KeyedError
from report.load.values.numbers import format_number

ACHIEVEMENT_WORDS = {"達成", "達成済", "達成済み", "目標達成"}


@dataclass(frozen=True)
class Band:
    """One grade: its name (A), word (達成) and symbol (◎), and the lowest rate it takes."""

    grade: str
    word: str
    symbol: str
    minimum: Decimal | None  # None: the band below all others

    def __str__(self) -> str:
        return " ".join(part for part in (self.symbol, self.word or self.grade) if part)


@dataclass(frozen=True)
class GradeScheme:
    """The bands, and the fiscal years from which other bands apply."""

    bands: tuple[Band, ...] = ()
    since: tuple[tuple[int, tuple[Band, ...]], ...] = ()  # (first fiscal year, bands), in year order

    def __bool__(self) -> bool:
        return bool(self.bands)

    def bands_for(self, year: int) -> tuple[Band, ...]:
        current = self.bands
        for first, bands in self.since:
            if year >= first:
                current = bands
        return current

    @property
    def all_bands(self) -> tuple[Band, ...]:
        """Every distinct band of every year, in the order first configured (for summaries)."""
        seen: dict[str, Band] = {}
        for bands in (self.bands, *(b for _, b in self.since)):
            for band in bands:
                seen.setdefault(str(band), band)
        return tuple(seen.values())


class BandError(KeyedError):
    """A [grades] band that cannot be right, with the keys that lead to it (「A」, or 「令和6年度」「A」)."""


LOWEST, HIGHEST = Decimal(0), Decimal(1000)  # a band's min, in percent (大幅達成 bands start above 100)


def _minimum(name: str, minimum: Any, where: str) -> Decimal | None:
    """A band's `min` as a rate in percent: a finite number from 0 to 100, or None (no min)."""
    if minimum is None:
        return None
    if isinstance(minimum, bool) or not isinstance(minimum, (int, float)):
        raise BandError(f"{where} の {name} の min は率(%)の数値で書いてください(例: min = 90)", name)
    if not math.isfinite(minimum):
        raise BandError(f"{where} の {name} の min が「{minimum}」です。率(%)の数値で書いてください(例: min = 90)", name)
    value = Decimal(str(minimum))
    if not LOWEST <= value <= HIGHEST:
        raise BandError(f"{where} の {name} の min は {LOWEST}〜{HIGHEST}(%)で書いてください", name)
    return value


def _band(name: str, value: Any, where: str) -> Band:
    if not isinstance(value, dict):
        raise BandError(f'{where} の {name} は {{ min = 90, word = "概ね達成", symbol = "○" }} の形で書いてください', name)
    unknown = sorted(set(value) - {"min", "word", "symbol"})
    if unknown:
        raise BandError(f"{where} の {name} に使えない項目があります: {', '.join(unknown)}(使える項目: min, word, symbol)", name)
    minimum = _minimum(name, value.get("min"), where)
    word, symbol = value.get("word", ""), value.get("symbol", "")
    if not isinstance(word, str) or not isinstance(symbol, str):
        raise BandError(f"{where} の {name} の word と symbol は文字列で書いてください", name)
    band = Band(str(name), word.strip(), symbol.strip(), minimum)
    if band.word in ACHIEVEMENT_WORDS and band.minimum != HUNDRED:
        shown = "min がありません" if band.minimum is None else f"{format_number(band.minimum)}% からになっています"
        raise BandError(f"{where} の {name}「{band.word}」が{shown}。目標に届かない値を達成と呼ばず、"
                        "達成した値をほかの段階にしないよう、達成の段階は min = 100 にしてください", name)
    return band


def _bands(value: dict[str, Any], where: str) -> tuple[Band, ...]:
    bands = tuple(_band(name, item, where) for name, item in value.items())
    if not bands:
        raise ValueError(f"{where} に段階がありません")
    minimums = [b.minimum for b in bands]
    if None in minimums[:-1]:
        raise BandError(f"{where}: min のない段階(それより下すべて)は最後に書いてください",
                        bands[minimums.index(None)].grade)
    if any(m is not None and m > HUNDRED for m in minimums) and HUNDRED not in minimums:
        above = next(b for b in bands if b.minimum is not None and b.minimum > HUNDRED)
        raise BandError(f"{where}: {above.grade} が 100% より上から始まるのに、100% から始まる段階がありません。"
                        "目標を達成した値(100%〜)が達成でない段階にならないよう、min = 100 の段階を書いてください",
                        above.grade)
    for upper, lower in zip(bands, bands[1:]):
        if lower.minimum is not None and upper.minimum is not None and lower.minimum >= upper.minimum:
            raise BandError(f"{where}: 段階は min の大きい順に、重ならないように書いてください"
                            f"({upper.grade} の {format_number(upper.minimum)} の次の {lower.grade} が "
                            f"{format_number(lower.minimum)})", lower.grade)
    return bands


def _looks_like_years(item: Any) -> bool:
    """A table of bands (a key that should be a fiscal year), not one band."""
    return isinstance(item, dict) and bool(item) and all(isinstance(v, dict) for v in item.values())


def check_grades(value: Any) -> GradeScheme:
    """koho.toml's [grades] table: bands, and optionally other bands from a fiscal year on."""
    from report.load.values.era import parse_fiscal_year

    if not isinstance(value, dict):
        raise ValueError('[grades] の表に「A = { min = 100, word = "達成", symbol = "◎" }」のように段階を書いてください')
    if not value:
        return GradeScheme()  # an empty [grades]: no grades
    plain: dict[str, Any] = {}
    since: list[tuple[int, tuple[Band, ...]]] = []
    for key, item in value.items():
        try:
            year = parse_fiscal_year(key)
        except ValueError as error:
            if _looks_like_years(item):
                raise BandError(f'[grades."{key}"] の年度が読めません({error})', key) from None
            plain[key] = item
            continue
        if not isinstance(item, dict):
            raise BandError(f'[grades."{key}"] は年度ごとの段階の表として書いてください', key)
        try:
            since.append((year, _bands(item, f'[grades."{key}"]')))
        except BandError as error:
            raise BandError(str(error), key, *error.keys) from None
    bands = _bands(plain, "[grades]")
    return GradeScheme(bands, tuple(sorted(since)))
