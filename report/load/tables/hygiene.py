"""Cell hygiene at load time, for CSV files and workbooks alike: invisible characters are removed
(a warning names the cell), characters XML cannot hold and cells longer than koho reads are errors
naming the cell. Ids are cleaned like every cell, so ids that differ only by an invisible character
become equal and meet the duplicate-id check."""

from __future__ import annotations

from dataclasses import dataclass

from report.load.tables.limits import MAX_CELL_CHARACTERS
from report.load.tables.schema import Table, column_lookup, normalize_name
from report.load.values.text import (code_point, forbidden_characters, invisible_characters, needs_cleaning,
                              remove_forbidden, remove_invisible, visible)
from report.problems import Problem, shorten

RawRows = list[tuple[int, list[str]]]  # (the row number a spreadsheet shows, its cells)


@dataclass(frozen=True)
class Finding:
    """What was wrong with one cell (row number, 0-based column index) as read."""

    row: int
    index: int
    value: str
    removed: tuple[str, ...] = ()  # invisible characters taken out
    forbidden: tuple[str, ...] = ()  # characters XML cannot hold (taken out too; an error)
    too_long: bool = False


def _clean_cell(row: int, index: int, value: str) -> tuple[str, Finding | None]:
    if len(value) <= MAX_CELL_CHARACTERS and not needs_cleaning(value):
        return value, None
    removed = tuple(invisible_characters(value))
    forbidden = tuple(forbidden_characters(value))
    too_long = len(value) > MAX_CELL_CHARACTERS
    if not (removed or forbidden or too_long):
        return value, None
    return remove_forbidden(remove_invisible(value)), Finding(row, index, value, removed, forbidden, too_long)


def clean_rows(rows: RawRows) -> tuple[RawRows, list[Finding]]:
    """Every cell cleaned (see the module's docstring), and what was found in each cell that changed."""
    cleaned: RawRows = []
    findings: list[Finding] = []
    for number, cells in rows:
        out = []
        for index, value in enumerate(cells):
            text, finding = _clean_cell(number, index, value)
            out.append(text)
            if finding is not None:
                findings.append(finding)
        cleaned.append((number, out))
    return cleaned, findings


def _unique(characters: tuple[str, ...]) -> str:
    return "、".join(code_point(c) for c in dict.fromkeys(characters))


def _column(table: Table, header: list[str], index: int) -> tuple[str, str | None]:
    """The column's name and label for a message: the known column, else its header or letter."""
    from openpyxl.utils.cell import get_column_letter

    name = header[index] if index < len(header) else ""
    column = column_lookup(table).get(normalize_name(name)) if name else None
    if column is not None:
        return column.name, column.label
    return name or get_column_letter(index + 1), None


def cell_problems(findings: list[Finding], file: str, sheet: str | None, table: Table,
                  header: list[str]) -> list[Problem]:
    """The findings as problems naming file, sheet, row, column and the value (invisible
    characters shown as ⟨U+202E⟩)."""
    problems = []
    for finding in findings:
        column, label = _column(table, header, finding.index)
        shown = visible(finding.value, [*finding.removed, *finding.forbidden])

        def problem(message: str, severity: str = "error", value: str = shown) -> Problem:
            return Problem(file, message, sheet=sheet, row=finding.row, column=column, column_label=label,
                           value=value, severity=severity)

        if finding.too_long:
            problems.append(problem(f"セルの文字数が多すぎます({len(finding.value):,}文字)。koho が読める"
                                    f"のは1つのセルに{MAX_CELL_CHARACTERS:,}文字まで(Excel のセルの上限)です",
                                    value=shorten(finding.value)))
        if finding.forbidden:
            problems.append(problem(f"使えない文字 {_unique(finding.forbidden)} が含まれています(PDF や"
                                    "Webページに書き込めない制御文字・非文字です)。セルを入力し直してください"))
        if finding.removed:
            problems.append(problem(f"見えない文字 {_unique(finding.removed)} を取り除きました(数字や日付が"
                                    "逆向きに表示されたり、同じに見える別の値になったりするのを防ぐため)",
                                    severity="warning"))
    return problems
