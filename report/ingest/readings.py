"""Columns whose reading the layout cannot say, asked (issue 22 item 4) and, once answered, applied
where the table is placed:

- 「列:見出し」 — a column that looks like something koho prints but may not be (「④今後の方向性」:
  the next year's plan, or 進捗?), or a 実績/目標 column without a year beside blocks of the same
  meaning whose years are known (an evaluation export's 「指標1実績」: which year?). Answers: 読まない,
  a meaning of the mapping (進捗 …), or a year (「令和5年度」, 「最終目標(令和7年度)」). Until answered,
  the column is not read (no figure the file does not place).
- 「階層:施策」 — several columns read as 施策 (施策 「0101 子育て支援」 and 事務事業名): which level is
  koho's measure. The answer's column is the measure; its id is the number column that numbers it
  one to one (事業番号 「010101」, read as written); the other 施策 columns are not read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from report.ingest.sheets.headers import header_key
from report.ingest.mapping import MEANINGS_BY_WORD, ColumnRule, Mapping, Question, TableRule
from report.ingest.sheets.model import Meaning, SheetGrid, YearRef
from report.ingest.sheets.years import year_in

NOT_READ = "読まない"
LOOKS_LIKE_STATUS = ("今後の方向性", "今後の方針", "今後の取組方針", "方向性")  # a plan, or 進捗?
_TRAILING_BRACKET = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_NUMBER_ONLY = re.compile(r"^\s*\d+(?:\s*[-‐－]\s*\d+)*\s*$")
HIERARCHY_ID = "階層:施策"


def column_id(header: str) -> str:
    """「列:④今後の方向性」: the header's first words, without a bracketed explanation or line breaks."""
    return "列:" + " ".join(_TRAILING_BRACKET.sub("", header).split())


def _repeated(rule: TableRule, headers: list[tuple[str, ColumnRule]], meaning: Meaning) -> bool:
    counts: dict[str, int] = {}
    for header, column in headers:
        if column.meaning is meaning:
            counts[header_key(header)] = counts.get(header_key(header), 0) + 1
    return any(n > 1 for n in counts.values()) or any(c.meaning is meaning and c.yearly for c in rule.columns)


def asked_columns(rule: TableRule, headers: list[tuple[str, ColumnRule]]) -> list[tuple[str, ColumnRule]]:
    """The columns (header as placed, rule) whose reading is asked: see the module's docstring."""
    asked = []
    counts: dict[str, int] = {}
    for header, column in headers:
        counts[header_key(header)] = counts.get(header_key(header), 0) + 1
    for header, column in headers:
        if column.meaning is None and any(w in header for w in LOOKS_LIKE_STATUS):
            asked.append((header, column))
        elif column.meaning in (Meaning.VALUE, Meaning.TARGET) and not column.yearly and \
                year_in(header) is None and counts[header_key(header)] == 1 and _repeated(rule, headers, column.meaning):
            asked.append((header, column))
    return asked


def column_question(header: str, column: ColumnRule, cell: str) -> Question:
    if column.meaning is None:
        return Question(column_id(header), (cell,),
                        f"列「{' '.join(header.split())}」は施策の進捗ですか、読まない列ですか", ("進捗", NOT_READ))
    what = "実績" if column.meaning is Meaning.VALUE else "目標"
    return Question(column_id(header), (cell,),
                    f"列「{' '.join(header.split())}」の{what}は何年度の数値ですか(ほかの列と同じ数値なら「{NOT_READ}」)。"
                    "例: 令和5年度、最終目標(令和7年度)", ())


def hierarchy_question(headers: list[tuple[str, ColumnRule]], cells: list[str], sheet: SheetGrid,
                       body: tuple[int, ...], columns: list[int]) -> Question | None:
    """Several 施策 columns: which one is koho's measure (candidates: those holding names)."""
    measures = [(h, c, n) for (h, c), n in zip(headers, columns) if c.meaning is Meaning.MEASURE]
    if len(measures) < 2:
        return None
    named = [h for h, _, n in measures if not _numbers_only(sheet, body, n)]
    return Question(HIERARCHY_ID, tuple(cells), "施策として読める列が" + "、".join(f"「{h}」" for h, _, _ in measures) +
                    "とあります。koho の施策(ビジョン・取組・指標が一つずつある段階)はどれですか", tuple(named))


def _numbers_only(sheet: SheetGrid, body: tuple[int, ...], column: int) -> bool:
    texts = [sheet.text(r, column).strip() for r in body]
    filled = [t for t in texts if t]
    return bool(filled) and all(_NUMBER_ONLY.match(t) for t in filled)


def _one_to_one(sheet: SheetGrid, body: tuple[int, ...], a: int, b: int) -> bool:
    pairs = {(sheet.text(r, a).strip(), sheet.text(r, b).strip()) for r in body if sheet.text(r, a).strip()}
    return len({x for x, _ in pairs}) == len(pairs) == len({y for _, y in pairs})


def answered_columns(mapping: Mapping, sheet: SheetGrid, body: tuple[int, ...], placed: list) -> list:
    """The placed columns (report.ingest.placing.PlacedColumn) with the answers applied; an asked
    column without an answer is not read."""
    headers = [(p.header, p.rule) for p in placed]
    asked = {header_key(h) for h, _ in asked_columns(rule_of(placed), headers)}
    result = []
    for item in placed:
        if header_key(item.header) in asked:
            question = mapping.question(column_id(item.header))
            item = _read_as(item, question.answer if question is not None else "")
        result.append(item)
    return _chosen_measure(mapping, sheet, body, result)


def rule_of(placed: list) -> TableRule:
    """The placed columns' rules as drafted (before any answer), as one table rule."""
    return TableRule("", columns=tuple(p.as_drafted or p.rule for p in placed))


def _as(item, meaning: Meaning | None, **changes):  # noqa: ANN001, ANN202, ANN003 - a PlacedColumn
    """The column read with another meaning, keeping the rule as drafted (the question stays asked)."""
    return replace(item, rule=replace(item.rule, meaning=meaning, **changes), as_drafted=item.as_drafted or item.rule)


def _read_as(item, answer: str):  # noqa: ANN001, ANN202 - a PlacedColumn
    answer = answer.strip()
    if not answer or answer == NOT_READ:
        return _as(item, Meaning.IGNORED)
    if answer in MEANINGS_BY_WORD:
        return _as(item, MEANINGS_BY_WORD[answer])
    year = year_in(answer)
    if year is None:
        return _as(item, Meaning.IGNORED)  # an answer naming no year: not read
    return replace(_as(item, Meaning.FINAL_TARGET if "最終" in answer else item.rule.meaning),
                   year=YearRef(year.year, text=""))


def _chosen_measure(mapping: Mapping, sheet: SheetGrid, body: tuple[int, ...], placed: list) -> list:
    question = mapping.question(HIERARCHY_ID)
    measures = [p for p in placed if p.rule.meaning is Meaning.MEASURE]
    if question is None or not question.answer or len(measures) < 2:
        return placed
    chosen = next((p for p in measures if header_key(p.header) == header_key(question.answer)), None)
    if chosen is None:
        return placed
    numbers = [p for p in measures if p is not chosen and _numbers_only(sheet, body, p.column)
               and _one_to_one(sheet, body, p.column, chosen.column)]
    keep = numbers[0] if numbers else chosen
    result = []
    for item in placed:
        if item in measures:
            meaning, read = (Meaning.MEASURE, "番号" if numbers else item.rule.read) if item is keep else (Meaning.IGNORED, "")
            item = _as(item, meaning, read=read)
        result.append(item)
    return result


def reading_findings(placed) -> list[Question]:  # noqa: ANN001 - a PlacedTable
    """The 列:… and 階層:施策 questions of a placed table (asked again on every build: the answers
    are the mapping's)."""
    sheet, header_row = placed.sheet, placed.header_rows[-1]

    def cell(column: int) -> str:
        ref = sheet.ref(header_row, column)
        return f"{ref.sheet}!{ref.a1}" if ref.sheet else ref.a1

    headers = [(p.header, p.as_drafted or p.rule) for p in placed.columns]
    asked = asked_columns(rule_of(list(placed.columns)), headers)
    found = [column_question(p.header, p.as_drafted or p.rule, cell(p.column))
             for p in placed.columns if (p.header, p.as_drafted or p.rule) in asked]
    measures = [p for p in placed.columns if (p.as_drafted or p.rule).meaning is Meaning.MEASURE]
    hierarchy = hierarchy_question(headers, [cell(p.column) for p in measures], sheet, placed.body_rows,
                                   [p.column for p in placed.columns])
    return found + ([hierarchy] if hierarchy is not None else [])
