"""The mapping laid over the source as it is now: each table rule's sheets, header rows (found by
their text), columns (by header text; yearly columns by their header without the year), body rows
and note rows — and every difference from the mapping as a problem naming the cell."""

from __future__ import annotations

import difflib
import fnmatch
import functools
from dataclasses import dataclass, replace

from report.ingest.sheets.headers import header_key, joined_header, without_year, year_of
from report.ingest.mapping import ColumnRule, Mapping, TableRule, block_years, question_problem
from report.ingest.sheets.model import Grid, Meaning, SheetGrid, YearRef, a1
from report.load.values.era import fiscal_year_label
from report.load.tables.schema import normalize_name
from report.problems import Problem

# Meanings whose header may name the year of the column's figures (「目標(令和7年度)」「基準値(R1)」「2020」).
YEARED = (Meaning.VALUE, Meaning.TARGET, Meaning.FINAL_TARGET, Meaning.BASELINE)
HEADER_SEARCH_ROWS = 60  # rows searched for the header below the sheet's top (or the table's heading)


@dataclass(frozen=True)
class PlacedColumn:
    """A column of the source as the mapping reads it."""

    column: int
    rule: ColumnRule
    header: str  # as shown, levels joined
    year: YearRef | None = None
    as_drafted: ColumnRule | None = None  # the rule before a question's answer changed it (readings.py)


@dataclass(frozen=True)
class PlacedTable:
    """One table rule found on one sheet."""

    rule: TableRule
    sheet: SheetGrid
    heading_row: int | None
    header_rows: tuple[int, ...]
    columns: tuple[PlacedColumn, ...]
    body_rows: tuple[int, ...]
    note_rows: tuple[int, ...]
    unplaced: tuple[int, ...] = ()  # columns with a header or data the mapping does not name
    band_row: int | None = None  # the band row naming the 分野 (TableRule.band)

    def notes(self) -> list[str]:
        return [" ".join(t for t in self.sheet.row_texts(r) if t) for r in self.note_rows]


def _sheets_of(rule: TableRule, grid: Grid, problems: list[Problem], suggested: set[str | None]) -> list[SheetGrid]:
    if len(grid.sheets) == 1 and grid.sheets[0].name is None:
        return [grid.sheets[0]]
    by_name = {normalize_name(s.name or ""): s for s in grid.sheets}
    names = [s.name for s in grid.sheets if s.name]
    found: list[SheetGrid] = []
    for name in rule.sheets:
        sheet = by_name.get(normalize_name(name))
        if sheet is None:
            near = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
            hint = f"「{near[0]}」のことではありませんか。" if near else ""
            suggested.update(near)  # named here: not asked about again
            problems.append(Problem(grid.file, f"シート「{name}」がありません(ブックにあるシート: {'、'.join(names)})。"
                                    f"{hint}シートの名前を変えたときは、koho.toml の [import] の sheets も直してください"))
            continue
        found.append(sheet)
    if rule.sheet_pattern:
        for sheet in grid.sheets:
            if sheet.name and sheet not in found and sheet.kind == "worksheet" and \
                    fnmatch.fnmatchcase(normalize_name(sheet.name), normalize_name(rule.sheet_pattern)):
                found.append(sheet)
                problems.append(Problem(grid.file, f"sheet_pattern「{rule.sheet_pattern}」に合うシートとして読みます",
                                        sheet=sheet.name, severity="info"))
    return found


def _heading_row(sheet: SheetGrid, heading: str) -> int | None:
    wanted = normalize_name(heading)
    for row in range(1, sheet.max_row + 1):
        if any(normalize_name(text) == wanted for text in sheet.row_texts(row) if text):
            return row
    return None


@functools.lru_cache(maxsize=65536)
def _match(rule: TableRule, text: str) -> tuple[ColumnRule, YearRef | None] | None:
    """The column rule a header names (a yearly rule with the header's year), or None."""
    key = header_key(text)
    for column in rule.columns:
        if not column.yearly and header_key(column.header) == key:
            return column, year_of(text) if column.meaning in YEARED else None
    if any(c.yearly for c in rule.columns):
        year = year_of(text)
        if year is not None:
            base = header_key(without_year(text, year))
            for column in rule.columns:
                if column.yearly and header_key(column.header) == base:
                    return column, year
    return None


def _header_score(sheet: SheetGrid, rule: TableRule, rows: tuple[int, ...]) -> int:
    return sum(1 for column in range(1, sheet.max_column + 1)
               if (text := joined_header(sheet, rows, column)) and _match(rule, text) is not None)


def _find_header(sheet: SheetGrid, rule: TableRule, start: int) -> tuple[int, ...] | None:
    """The header rows: where most of the mapping's headers are found (nearest the hint on a tie)."""
    best: tuple[int, int] | None = None  # (score, -distance from the hint), row
    best_row = None
    last = min(sheet.max_row, start + HEADER_SEARCH_ROWS)
    for row in range(start, last + 1):
        rows = tuple(range(row, row + rule.header_rows))
        score = _header_score(sheet, rule, rows)
        key = (score, -abs(row - rule.header_row))
        if score and (best is None or key > best):
            best, best_row = key, row
    return None if best_row is None else tuple(range(best_row, best_row + rule.header_rows))


def first_text(sheet: SheetGrid, row: int) -> str:
    """The row's first non-empty cell's text ('' for a blank row)."""
    for column in range(1, sheet.max_column + 1):
        cell = sheet.cells.get((row, column))
        if cell is not None and cell.text.strip():
            return cell.text.strip()
    return ""


def _starts_note(sheet: SheetGrid, row: int, marks: tuple[str, ...]) -> bool:
    first = first_text(sheet, row)
    return bool(first) and any(first.startswith(mark) for mark in marks if mark)


def _body_and_notes(sheet: SheetGrid, rule: TableRule, start: int, columns: tuple[int, ...],
                    stops: set[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The body rows (to the first blank row, note row or another table's heading) and the note
    rows under them."""
    body: list[int] = []
    notes: list[int] = []
    row = start
    while row <= sheet.max_row:
        texts = [sheet.text(row, c) for c in columns]
        if _starts_note(sheet, row, rule.note_marks):
            break
        if not any(t.strip() for t in texts):
            if body:
                break
            row += 1
            continue
        if stops and any(normalize_name(t) in stops for t in sheet.row_texts(row) if t):
            return tuple(body), ()
        body.append(row)
        row += 1
    while row <= sheet.max_row:  # blank rows, then ※/注 lines (a note may run over several rows)
        if _starts_note(sheet, row, rule.note_marks) or (notes and first_text(sheet, row)):
            notes.append(row)
        elif first_text(sheet, row):
            break
        elif notes:
            if not _starts_note(sheet, row + 1, rule.note_marks):
                break
        row += 1
    return tuple(body), tuple(notes)


def _nearest_header(sheet: SheetGrid, rows: tuple[int, ...], wanted: str, taken: set[int]) -> tuple[str, int] | None:
    headers = {joined_header(sheet, rows, c): c for c in range(1, sheet.max_column + 1) if c not in taken}
    headers.pop("", None)
    near = difflib.get_close_matches(wanted, list(headers), n=1, cutoff=0.3)
    return (near[0], headers[near[0]]) if near else None


def _block_years(mapping: Mapping, rule: TableRule, placed: list[PlacedColumn]) -> list[PlacedColumn]:
    """Repeated 実績/目標 columns known only by position get the years the city gave, left to right
    (report.ingest.mapping.block_years; repeated again for each indicator slot); unanswered, they keep
    no year (and are asked)."""
    given: dict[str, tuple[int, ...] | None] = {}
    seen: dict[str, int] = {}
    result = []
    for column in placed:
        if column.year is None and column.rule.meaning in (Meaning.VALUE, Meaning.TARGET):
            years = given.setdefault(column.header, block_years(mapping, rule.name, column.header))
            if years:
                index = seen.get(column.header, 0)
                seen[column.header] = index + 1
                column = replace(column, year=YearRef(years[index % len(years)], text=""))
        result.append(column)
    return result


def _place_on(rule: TableRule, sheet: SheetGrid, file: str, stops: set[str],
              problems: list[Problem], mapping: Mapping | None = None) -> PlacedTable | None:
    start, heading_row = 1, None
    if rule.heading:
        heading_row = _heading_row(sheet, rule.heading)
        if heading_row is None:
            problems.append(Problem(file, f"表の見出し行「{rule.heading}」が見つかりません。見出し行を書き換えたときは、"
                                    "koho.toml の [import] の heading も直してください", sheet=sheet.name))
            return None
        start = heading_row + 1
    band_row = _heading_row(sheet, rule.band) if rule.band else None
    if rule.band and band_row is None:
        problems.append(Problem(file, f"分野の帯の行「{rule.band}」が見つかりません。帯の行を書き換えたときは、"
                                "koho.toml の [import] の band も直してください", sheet=sheet.name))
        return None
    rows = _find_header(sheet, rule, start)
    if rows is None:
        wanted = "」「".join(c.header for c in rule.columns[:4])
        problems.append(Problem(file, f"表「{rule.name}」の見出しの行が見つかりません(「{wanted}」などの見出しを探しました)。"
                                "見出しを書き換えたときは、koho.toml の [import] の columns の header も直してください",
                                sheet=sheet.name, row=rule.header_row, cell=a1(rule.header_row, 1)))
        return None
    placed: list[PlacedColumn] = []
    unplaced: list[int] = []
    for column in range(1, sheet.max_column + 1):
        text = joined_header(sheet, rows, column)
        found = _match(rule, text) if text else None
        if found is not None:
            placed.append(PlacedColumn(column, found[0], text, found[1]))
        elif text:
            unplaced.append(column)
    placed = _block_years(mapping, rule, placed) if mapping is not None else placed
    columns = tuple(c.column for c in placed)
    body, notes = _body_and_notes(sheet, rule, rows[-1] + 1, columns or tuple(unplaced), stops)
    data_only = [c for c in range(1, sheet.max_column + 1) if c not in columns and c not in unplaced
                 and any(sheet.text(r, c).strip() for r in body)]
    unplaced = sorted([*unplaced, *data_only])
    if mapping is not None:  # the city's answers to 列:… and 階層:施策 (report.ingest.readings)
        from report.ingest.readings import HIERARCHY_ID, answered_columns

        placed = answered_columns(mapping, sheet, body, placed)
        hierarchy_asked = mapping.question(HIERARCHY_ID) is not None
    else:
        hierarchy_asked = False
    _column_problems(rule, sheet, file, rows, placed, unplaced, problems, hierarchy_asked)
    return PlacedTable(rule, sheet, heading_row, rows, tuple(placed), body, notes, tuple(unplaced), band_row)


def _origin_row(sheet: SheetGrid, row: int, column: int) -> int:
    """The row of the cell that holds a header's text: the top of a header merged down (C4 of C4:C5)."""
    cell = sheet.cells.get((row, column))
    return cell.merged_from[0] if cell is not None and cell.merged_from else row


def _column_problems(rule: TableRule, sheet: SheetGrid, file: str, rows: tuple[int, ...],
                     placed: list[PlacedColumn], unplaced: list[int], problems: list[Problem],
                     hierarchy_asked: bool = False) -> None:
    taken = {c.column for c in placed}
    header_row = rows[-1]
    named: set[int] = set()  # unplaced columns already named as a reworded header
    for column in rule.columns:
        if any(p.rule == column or p.as_drafted == column for p in placed):
            continue
        near = _nearest_header(sheet, rows, column.header, taken | named)
        if near:
            named.add(near[1])
        hint = (f"「{near[0]}」(セル{a1(_origin_row(sheet, header_row, near[1]), near[1])})のことなら、koho.toml の header を「{near[0]}」に直してください"
                if near else "列を消したときは、koho.toml の [import] の columns からも消してください")
        where = near[1] if near else 1
        where_row = _origin_row(sheet, header_row, where)
        what = "年度のついた見出し" if column.yearly else "見出し"
        problems.append(Problem(file, f"{what}「{column.header}」の列が見つかりません。{hint}", sheet=sheet.name,
                                row=where_row, cell=a1(where_row, where), value=near[0] if near else None))
    for item in placed:
        if item.rule.meaning is None:
            problems.append(Problem(file, f"見出し「{item.header}」の列が何を表すか、koho.toml の [import] の meaning に"
                                    "書かれていません(読まない列は「読まない」と書いてください)。書かれるまでこの列は読みません",
                                    sheet=sheet.name, row=header_row, cell=a1(header_row, item.column),
                                    value=item.header, severity="question"))
    for column in unplaced:
        if column in named:
            continue
        text = joined_header(sheet, rows, column)
        shown = f"見出し「{text}」の列" if text else "見出しのない列"
        problems.append(Problem(file, f"{shown}が koho.toml の [import] の columns にありません。"
                                f"{{ header = \"{text}\", meaning = \"…\" }} を加えてください(読まない列は meaning = \"読まない\")。"
                                "書かれるまでこの列は読みません", sheet=sheet.name, row=header_row,
                                cell=a1(header_row, column), value=text or None, severity="question"))
    for meaning, word in ((Meaning.AREA, "分野"), (Meaning.MEASURE, "施策")):
        several = [item for item in placed if item.rule.meaning is meaning]
        if len(several) > 1 and not (meaning is Meaning.MEASURE and hierarchy_asked):  # asked: 階層:施策
            names = "、".join(f"「{item.header}」(セル{a1(header_row, item.column)})" for item in several)
            problems.append(Problem(file, f"{word}として読む列が{len(several)}つあります({names})。koho の{word}にする列を一つ選び、"
                                    f"ほかは koho.toml の meaning を「読まない」にしてください。決まるまで最初の列を{word}として読みます",
                                    sheet=sheet.name, row=header_row, cell=a1(header_row, several[1].column),
                                    value=several[1].header, severity="question"))
    known = set(rule.years)
    if known:
        for item in placed:
            if item.year is not None and item.year.year not in known and \
                    item.rule.meaning not in (Meaning.RATE, Meaning.GRADE, Meaning.IGNORED):
                problems.append(Problem(file, f"新しい年度({fiscal_year_label(item.year.year)})の列「{item.header}」を読みます",
                                        sheet=sheet.name, row=header_row, cell=a1(header_row, item.column),
                                        severity="info"))


def _sheet_questions(mapping: Mapping, grid: Grid, used: set[str | None], problems: list[Problem]) -> None:
    skipped = {normalize_name(s.name) for s in mapping.skipped}
    for sheet in grid.sheets:
        if sheet.name is None or sheet.name in used or normalize_name(sheet.name) in skipped:
            continue
        if sheet.hidden or sheet.kind != "worksheet" or not sheet.cells:
            why = "非表示" if sheet.hidden else "空" if sheet.kind == "worksheet" else "表でない"
            problems.append(Problem(grid.file, f"{why}のシートのため読みません", sheet=sheet.name, severity="info"))
            continue
        problems.append(Problem(grid.file, "このシートを読むかどうかが koho.toml の [import] に書かれていません。読まないときは"
                                " [[import.skipped]] に加えてください。書かれるまでこのシートは読みません",
                                sheet=sheet.name, severity="question"))


def _question_problems(mapping: Mapping, file: str, problems: list[Problem]) -> None:
    problems += [question_problem(question, file) for question in mapping.questions if not question.answer]


def place_tables(mapping: Mapping, grid: Grid) -> tuple[list[PlacedTable], list[Problem]]:
    """Every table rule placed on the sheets it names, and the problems (see check_layout)."""
    problems: list[Problem] = []
    placed: list[PlacedTable] = []
    used: set[str | None] = set()
    stops_by_sheet: dict[str, set[str]] = {}
    for rule in mapping.tables:
        if rule.heading:
            for name in rule.sheets:
                stops_by_sheet.setdefault(normalize_name(name), set()).add(normalize_name(rule.heading))
    for rule in mapping.tables:
        for sheet in _sheets_of(rule, grid, problems, used):
            used.add(sheet.name)
            stops = stops_by_sheet.get(normalize_name(sheet.name or ""), set()) - {normalize_name(rule.heading)}
            table = _place_on(rule, sheet, grid.file, stops, problems, mapping)
            if table is not None:
                placed.append(table)
    _sheet_questions(mapping, grid, used, problems)
    _question_problems(mapping, grid.file, problems)
    return placed, problems


def check_layout(mapping: Mapping, grid: Grid) -> list[Problem]:
    """The mapping against the source as it is now (run on every build): a sheet renamed, a header
    reworded or a column gone is an error naming the cell; a new year column is read and said (an
    info line); a column or sheet the mapping cannot place, and every unanswered question, is a
    question naming the cell."""
    return place_tables(mapping, grid)[1]
