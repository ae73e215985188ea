"""A value cell as cities write it, read into its parts (pure text reading, no I/O).

「1,007人」 → 1007 and 人; 「58.2万人」 → 58.2 and 万人 (never rescaled); 「－」「なし」「集計中」 → no
figure (not zero, not an error); 「82.6 (2019年度)」 → 82.6 with its own year; 「96.0以上」 → 96.0 and
以上; 「1,007人※1」 → the ※1 mark; 「2019年度:300 2020年度:600」 → one part per year; 「29（4）」 → 29,
the bracket kept as an aside. Anything else is a ValueError with a Japanese reason (the caller names
the cell).

Decisions:
- Only digits, signs, comma, period, % and spaces are width-normalised: ㎡, ①, ｍ stay as written.
- A bracket after the number holding a year (「（H28）」「(2019年度)」) is the figure's year; holding a
  plain number (「29（4）」) it is a sub-count, never a year (a year needs an era or four digits in
  1989–2100); holding other words (「(速報値)」「(うち市内500)」) it is an aside. Every bracket that is
  not only a year is kept in `aside` (the caller makes it the figure's note), none is dropped.
- 見込/速報/暫定/推計/予定 in the cell mark the figure provisional.
- A dash before a digit is a minus sign only for - － − ‐ – (and △ ▲); ― ー — before a digit is an
  error, not a guess.
- Several yearly figures in one cell are `parts` with `number` None: the caller picks by year.
- 約 before a number is kept as the qualifier 「約」 (it is not a direction).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from report.ingest.sheets.model import CellValue, YearRef
from report.ingest.sheets.years import PROVISIONAL_WORDS, year_in, year_spans
from report.load.values.numbers import parse_number

# Every dash a "no figure" cell is written with (hyphen-minus, full-width, bars, hyphens, en/em
# dashes, the minus sign, the long-vowel mark ー and its half-width form, box-drawing lines).
DASHES = "-－―‐‑‒–—−ーｰ─━﹣⁃"
# Words that mean "no figure this year" (not zero, not an error).
NO_FIGURE_WORDS = (
    "なし", "無し", "ナシ", "集計中", "把握できない", "把握不能", "未把握", "未集計", "調査中",
    "対象外", "該当なし", "該当無し", "未公表", "公表前", "n/a", "NA",  # n/a and NA compared ignoring case
)
# Words after a target saying which side of it counts (kept as written; 以内 is a kind of 以下).
QUALIFIERS = ("以上", "以下", "未満", "以内", "超える", "超")
# Words before a number.
PREFIX_QUALIFIERS = ("約",)
# Note marks: ※, ※1, ＊1, *1 anywhere; 注 with its number, in brackets or ending the cell (so that a
# unit such as 受注件 keeps its 注). Removed from the number, kept in `marker`.
_MARK_NUMBER = r"(?:[0-9０-９]+(?![0-9０-９,.，．]))"
_MARKER_RE = re.compile(
    rf"[(（](?:※|＊|\*|注)\s*[0-9０-９]*[)）]|(?:※|＊|\*)\s*{_MARK_NUMBER}?|注{_MARK_NUMBER}|注$"
)
_LEADING_MARKER_RE = re.compile(r"^(?:※|＊|\*|注)(?:[0-9０-９]+(?=\s)|(?![0-9０-９]))")
_MINUS = "-－−‐–△▲"
_NUMBER_RE = re.compile(rf"^([{_MINUS}+]?\s*(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)(?![\d,.])\s*")
_PLAIN_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_TRAILING_BRACKET_RE = re.compile(r"^(?P<head>.*?)\s*[(（](?P<inner>[^()（）]*)[)）]$", re.DOTALL)
_PART_SEPARATOR_RE = re.compile(r"^[\s:：=＝、,，;；/／]*")
# Words that may stand beside a year in a bracket without being an aside.
_YEAR_BRACKET_WORDS = re.compile(r"年度|年|時点|現在|暦年|実績|末|[\s.:：]")
_EXCEL_ERRORS = {"#DIV/0", "#N/A", "#VALUE", "#REF", "#NAME", "#NUM", "#NULL", "#SPILL", "#CALC", "#GETTING_DATA"}
_NARROW = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+", "，": ",", "．": ".", "％": "%", "\u3000": " ",
     "\t": " ", "\n": " ", "\r": " "}
)


def _narrow(text: str) -> str:
    """Digits, signs, comma, period, % and spaces to their narrow forms; nothing else changes."""
    return text.translate(_NARROW)


@lru_cache(maxsize=16384)
def read_cell(text: str) -> CellValue:
    """Read one value cell: see the module's rules. Raises ValueError (Japanese) for a cell that is
    neither a figure nor a no-figure marker."""
    shown = text
    work = " ".join(_narrow(text).split())
    if _PLAIN_RE.match(work):  # the common case: a number as text, 「1,007」「82.6%」
        number, percent = parse_number(work)
        return CellValue(number, unit="%" if percent else "", percent=percent, text=shown)
    if work.startswith("#") and work.upper().rstrip("!?") in _EXCEL_ERRORS:
        raise ValueError(f"Excelのエラー値「{work}」です(元の表の計算式を確かめてください)")
    work, marker = _take_markers(work)
    work, year, aside, provisional, problem = _take_brackets(work)
    if not work:
        return _no_figure(shown, marker, year, aside, " ".join(shown.split()) or "空欄")
    if (word := _no_figure_word(work)) is not None:
        return _no_figure(shown, marker, year, aside, word)
    if problem:
        raise ValueError(problem)
    provisional = provisional or any(word in work for word in PROVISIONAL_WORDS)
    spans = year_spans(work)
    if spans and _bare_number(work, spans[0]):
        spans = spans[1:]
    if spans and spans[0][0] == 0:
        value = _read_parts(work, spans)
    elif spans and spans[-1][1] == len(work) and work[spans[-1][0] - 1] == " " and len(spans) == 1:
        year = _one_year(work[spans[-1][0]:], year)
        value = _read_figure(work[:spans[-1][0]].strip())
    else:
        value = _read_figure(work)
    if value.year is not None and year is not None and value.year.year != year.year:
        raise ValueError(f"年度が二つ書かれています({value.year.text}と{year.text})")
    year = value.year or year
    if year is not None and provisional and not year.provisional:
        year = replace(year, provisional=True)
    return replace(value, year=year, marker=marker, text=shown, aside=aside, provisional=provisional)


def _bare_number(work: str, span: tuple[int, int, list[YearRef]]) -> bool:
    """「2023」 or 「1995 (R5)」 at the start of a value cell: a figure, not a year (a year heading a
    figure is written 2023年度 or followed by a colon)."""
    start, end, _ = span
    return start == 0 and work[:end].isdigit() and not work[end:].lstrip().startswith((":", "：", "="))


def _no_figure(shown: str, marker: str, year: YearRef | None, aside: str, word: str) -> CellValue:
    return CellValue(None, year=year, marker=marker, no_figure=word, text=shown, aside=aside)


def _no_figure_word(work: str) -> str | None:
    """The marker when the whole cell says "no figure": any run of dashes, or one of the words."""
    compact = work.replace(" ", "")
    if compact and all(c in DASHES for c in compact):
        return compact
    lowered = compact.lower()
    for word in NO_FIGURE_WORDS:
        if lowered == word.lower():
            return word
    return None


def _take_markers(work: str) -> tuple[str, str]:
    """Remove ※/注 marks (anywhere but inside a number) and return them joined."""
    marks: list[str] = []
    if match := _LEADING_MARKER_RE.match(work):
        marks.append(match.group())
        work = work[match.end():].strip()
    def keep(match: re.Match[str]) -> str:
        marks.append(match.group().strip("()（）"))
        return " "
    work = _MARKER_RE.sub(keep, work)
    return " ".join(work.split()), " ".join(marks)


class _Brackets(NamedTuple):
    head: str  # the cell without its trailing brackets
    year: YearRef | None
    aside: str
    provisional: bool
    problem: str  # why a bracket's year cannot be read ('' if it can): an error only beside a figure


def _take_brackets(work: str) -> _Brackets:
    """Peel brackets off the end: a year, a sub-count or words (kept as the aside)."""
    year: YearRef | None = None
    asides: list[str] = []
    provisional = False
    problem = ""
    for _ in range(4):
        match = _TRAILING_BRACKET_RE.match(work)
        if not match:
            break
        inner = match["inner"].strip()
        found = year_in(inner) if year_spans(inner) else None
        if year_spans(inner) and found is None:
            problem = problem or f"括弧内の年度「{inner}」が読めません(年度が一つも読めないか、複数あります)"
        if found is not None and year is not None and year.year != found.year:
            problem = problem or f"年度が二つ書かれています({found.text}と{year.text})"
        elif found is not None:
            year = found
        if found is None or _YEAR_BRACKET_WORDS.sub("", inner.replace(found.text, "")):
            asides.insert(0, inner)
        provisional = provisional or any(word in inner for word in PROVISIONAL_WORDS)
        work = match["head"].strip()
    return _Brackets(work, year, " ".join(f"({a})" for a in asides), provisional, problem)


def _one_year(text: str, already: YearRef | None) -> YearRef:
    found = year_in(text)
    if found is None:
        raise ValueError(f"年度「{text}」が読めません")
    if already is not None and already.year != found.year:
        raise ValueError(f"年度が二つ書かれています({found.text}と{already.text})")
    return found


def _read_parts(work: str, spans: list[tuple[int, int, list[YearRef]]]) -> CellValue:
    """「2019年度:300 2020年度:600」: each year followed by its figure."""
    parts: list[tuple[YearRef, Decimal]] = []
    units: set[str] = set()
    qualifiers: set[str] = set()
    percent = False
    for index, (start, end, refs) in enumerate(spans):
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(work)
        if len(refs) != 1:
            raise ValueError(f"「{work[start:end]}」は一つの年度として読めません")
        figure_text = work[end:stop]
        figure_text = figure_text[_PART_SEPARATOR_RE.match(figure_text).end():]
        figure_text = figure_text.rstrip(" 、,，;；/／")
        if not figure_text:
            raise ValueError(f"{refs[0].text}の数値がありません")
        figure = _read_figure(figure_text)
        parts.append((refs[0], figure.number))
        units.add(figure.unit)
        qualifiers.add(figure.qualifier)
        percent = percent or figure.percent
    if len(units) > 1 or len(qualifiers) > 1:
        raise ValueError("年度ごとの数値の単位がそろっていません")
    if len(parts) == 1:
        return CellValue(parts[0][1], unit=units.pop(), percent=percent, qualifier=qualifiers.pop(),
                         year=parts[0][0])
    if len({ref.year for ref, _ in parts}) != len(parts):
        raise ValueError("同じ年度が二度書かれています")
    return CellValue(None, unit=units.pop(), percent=percent, qualifier=qualifiers.pop(), parts=tuple(parts))


def _read_figure(work: str) -> CellValue:
    """A number with its unit and qualifier: 「1,007人」「96.0以上」「約1,000人」「△5.2%」."""
    prefix = next((q for q in PREFIX_QUALIFIERS if work.startswith(q)), "")
    body = work[len(prefix):].strip()
    match = _NUMBER_RE.match(body)
    if not match:
        raise ValueError("数値として読めません(例: 1,007人、82.6%、96.0以上、－、集計中)")
    written = match.group(1).replace(" ", "")
    if written[0] in "‐–":
        written = "-" + written[1:]
    number, _ = parse_number(written.replace("－", "-"))
    rest = body[match.end():].strip()
    rest = next((rest.removesuffix(w).strip() for w in PROVISIONAL_WORDS if rest.endswith(w)), rest)  # 「12見込」
    qualifier = next((q for q in QUALIFIERS if rest.endswith(q)), "")
    unit = rest.removesuffix(qualifier).strip() if qualifier else rest
    if prefix and qualifier:
        raise ValueError(f"「{prefix}」と「{qualifier}」が一緒に書かれています")
    percent = unit == "%"
    if any(c.isdigit() for c in unit) or any(c in "()（）:：" for c in unit):
        raise ValueError(f"数値のあとの「{rest}」が単位として読めません")
    if any(c in DASHES for c in unit[:1]) or unit.startswith(("~", "〜", "～")):
        raise ValueError(f"数値のあとの「{rest}」が単位として読めません(範囲は書けません)")
    return CellValue(number, unit=unit, percent=percent, qualifier=qualifier or prefix)
