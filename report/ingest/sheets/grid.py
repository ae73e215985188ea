"""Read a city's own spreadsheet (.xlsx, .xlsm or .csv, as it is) into a Grid: every cell as Excel
shows it, merged ranges spread across and down, comments kept, hidden and chart sheets kept and
marked so that detection can name them as skipped.

The workbook is loaded whole (not openpyxl's read-only mode, which does not expose merged cells).
Cells are read and cleaned as the loader reads them (report.load.tables.readers, numfmt, hygiene), within
the same input limits (report.load.tables.limits); a formula saved without its result is an error naming
the cell. Warnings (invisible characters removed) are kept in Grid.problems.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from report.ingest.sheets.model import Grid, GridCell, SheetGrid
from report.load.tables.hygiene import Finding, cell_problems, clean_rows
from report.load.tables.limits import MAX_CELL_CHARACTERS, check_workbook_parts, input_size_problem
from report.load.tables.readers import (_cell_text, _has_formulas, _open_workbook, _rows_of, _uncalculated,
                                 csv_rows)
from report.load.tables.schema import TABLES
from report.load.project.sources import EXCEL_SUFFIXES, unread_format_problem
from report.load.values.text import needs_cleaning
from report.problems import DataError, Problem, os_reason

# readers.SHEET_KINDS' Japanese names → SheetGrid.kind
KINDS = {"グラフシート": "chart", "ダイアログシート": "dialog", "マクロシート": "macro"}


def read_grid(path: Path, data: bytes | None = None) -> Grid:
    """The source file as a Grid (its bytes given, or read from `path`). Raises DataError naming
    the file, sheet and cell for anything that cannot be read."""
    file = path.name
    suffix = path.suffix.lower()
    if (unread := unread_format_problem(path)) is not None:
        raise DataError([unread])
    if suffix not in (*EXCEL_SUFFIXES, ".csv"):
        raise DataError([Problem(file, "読み込めるのは Excel ブック(.xlsx・.xlsm)と CSV ファイルです")])
    if data is None:
        data = _read_bytes(path)
    with _collection_paused():
        if suffix == ".csv":
            return _csv_grid(data, file)
        return _workbook_grid(data, file)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collection paused while a sheet is read: it would walk the hundred
    thousand cell objects again and again, all of them still in use (half the time of a large export)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_bytes(path: Path) -> bytes:
    try:
        if (too_large := input_size_problem(path.name, path.stat().st_size)) is not None:
            raise DataError([too_large])
        return path.read_bytes()
    except OSError as error:
        raise DataError([Problem(path.name, f"ファイルを読めません({os_reason(error)})")]) from None


def _clean(cells: dict[tuple[int, int], str], file: str, sheet: str | None) -> tuple[dict[tuple[int, int], str], list[Problem]]:
    """Each cell cleaned as the loader cleans it (report.load.tables.hygiene), and the problems found,
    each naming its cell by row and column letter."""
    findings: list[Finding] = []
    for (row, column), text in cells.items():
        if len(text) > MAX_CELL_CHARACTERS or needs_cleaning(text):
            [(_, [cleaned])], found = clean_rows([(row, [text])])
            cells[(row, column)] = cleaned
            findings += [dataclasses.replace(f, index=column - 1) for f in found]
    # An empty header: cell_problems names each cell by its column letter (the table is not consulted).
    return cells, _at_cells(cell_problems(findings, file, sheet, TABLES[0], []))


def _at_cells(problems: list[Problem]) -> list[Problem]:
    """Problems named by their A1 cell (セルC5), as every problem about imported data is."""
    return [dataclasses.replace(p, cell=f"{p.column}{p.row}", column=None) if p.row and p.column else p
            for p in problems]


def _sheet_grid(file: str, name: str | None, texts: dict[tuple[int, int], str],
                merges: list[tuple[int, int, int, int]] = (), comments: dict[tuple[int, int], str] | None = None,
                hidden: bool = False) -> SheetGrid:
    """A sheet's cells (non-empty or commented), each merged range's text spread over the range
    (clipped to the cells that hold text: a merge running off the table adds nothing)."""
    comments = comments or {}
    keys = [key for key, text in texts.items() if text] + list(comments)
    max_row = max((r for r, _ in keys), default=0)
    max_column = max((c for _, c in keys), default=0)
    cells = {key: GridCell(key[0], key[1], texts.get(key, ""), comment=comments.get(key, ""))
             for key in keys}
    for top, left, bottom, right in merges:
        origin = texts.get((top, left), "")
        if not origin:
            continue
        for row in range(top, min(bottom, max_row) + 1):
            for column in range(left, min(right, max_column) + 1):
                if (row, column) != (top, left):
                    cells[(row, column)] = GridCell(row, column, origin, merged_from=(top, left),
                                                    comment=comments.get((row, column), ""))
    return SheetGrid(file, name, hidden=hidden, cells=cells,
                     max_row=max_row, max_column=max_column)


def _csv_grid(data: bytes, file: str) -> Grid:
    """A CSV file (UTF-8 or CP932, one encoding throughout) as a grid of one sheet."""
    size_problem = input_size_problem(file, len(data))
    if size_problem is not None:
        raise DataError([size_problem])
    texts = {(number, column): text for number, row in csv_rows(data, file)
             for column, text in enumerate(row, start=1) if text}
    texts, problems = _clean(texts, file, None)
    _raise_errors(problems)
    return Grid(file, (_sheet_grid(file, None, texts),), problems=tuple(problems))


def _raise_errors(problems: list[Problem]) -> None:
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)


def _workbook_grid(data: bytes, file: str) -> Grid:
    """Every sheet of a workbook in its order: worksheets read, other sheets (chart, dialog, macro)
    kept empty and marked."""
    check_workbook_parts(data, file)
    book, others = _open_workbook(data, file, read_only=False)
    formulas = _open_workbook(data, file, data_only=False)[0] if _has_formulas(data) else None
    sheets: list[SheetGrid] = []
    problems: list[Problem] = []
    try:
        for name in book.sheetnames:
            sheet = book[name]
            hidden = getattr(sheet, "sheet_state", "visible") != "visible"
            kind = KINDS.get(others[name], "other") if name in others else "worksheet"
            if kind != "worksheet":
                sheets.append(SheetGrid(file, name, kind=kind, hidden=hidden))
                continue
            try:
                grid, found = _worksheet_grid(sheet, formulas[name] if formulas else None, book.epoch, file, hidden)
            except Exception as error:  # noqa: BLE001 - a damaged sheet's XML fails in many ways
                problems.append(Problem(file, f"シートが壊れているため読めません({type(error).__name__})", sheet=name))
                continue
            sheets.append(grid)
            problems += found
    finally:
        book.close()
        if formulas is not None:
            formulas.close()
    _raise_errors(problems)
    return Grid(file, tuple(sheets), problems=tuple(problems))


def _worksheet_grid(sheet, formulas, epoch, file: str, hidden: bool) -> tuple[SheetGrid, list[Problem]]:  # noqa: ANN001
    """One worksheet as a grid, and its cells' problems (formulas without a saved result included)."""
    cells = sheet._cells  # openpyxl's (row, column) → Cell: only the cells the file has, none created
    texts = {key: _cell_text(cell.value, cell.number_format, epoch) for key, cell in cells.items()}
    texts, problems = _clean(texts, file, sheet.title)
    if formulas is not None:
        missing = [(number, index) for number, row in _rows_of(formulas)
                   for index, cell in enumerate(row, start=1)
                   if cell.data_type == "f" and (number, index) in cells
                   and cells[(number, index)].value is None and cells[(number, index)].data_type != "str"]
        problems += _at_cells(_uncalculated(file, sheet.title, [], missing))
    comments = {key: cell.comment.text for key, cell in cells.items() if cell.comment is not None}
    merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges]
    return _sheet_grid(file, sheet.title, texts, merges, comments, hidden), problems
