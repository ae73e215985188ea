"""Read raw tables from CSV files and Excel sheets into string DataFrames.

Every cell is read as text; the DataFrame's index is the row number a spreadsheet shows
(the header is row 1), so that problems can point at the right row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .problems import DataError, Problem
from .schema import TABLES, Table, normalize_name, table_names

ENCODINGS = ("utf-8-sig", "cp932")


@dataclass(frozen=True)
class RawTable:
    """One table as read: its header cells in order and its rows as text."""

    table: Table
    file: str
    sheet: str | None
    header: list[str]
    frame: pd.DataFrame


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or CP932, whichever is valid."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError([Problem(file, "文字コードが UTF-8 でも Shift_JIS(CP932) でもありません。"
                             "Excel で「CSV UTF-8」として保存し直してください")])


def _frame_from_rows(header: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    width = len(header)
    records = [(cells + [""] * width)[:width] for _, cells in rows]
    frame = pd.DataFrame(records, columns=range(width), dtype=object)
    frame.index = pd.Index([number for number, _ in rows], name="row")
    return frame


def _split_header(raw_rows: list[tuple[int, list[str]]], file: str, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(n, cells) for n, cells in raw_rows if any(c.strip() for c in cells)]
    if not rows or rows[0][0] != 1:
        raise DataError([Problem(file, "1行目に見出し(列名)がありません", sheet=sheet, row=1)])
    header = [c.strip() for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    return header, rows[1:]


def read_csv(path: Path, table: Table) -> RawTable:
    """Read one CSV file (UTF-8, UTF-8 with BOM or CP932; CRLF or LF)."""
    file = path.name
    text = decode_text(path.read_bytes(), file)
    if "\x00" in text:
        raise DataError([Problem(file, "CSVファイルではありません(バイナリデータを含んでいます)")])
    try:
        raw_rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:
        raise DataError([Problem(file, f"CSVとして読めません({error})")]) from None
    header, rows = _split_header(raw_rows, file, None)
    return RawTable(table, file, None, header, _frame_from_rows(header, rows))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path) -> list[RawTable]:
    """Read the three sheets of one Excel workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        hint = "パスワード付きのブックは、パスワードを解除して保存し直してください" if _is_ole(path) else str(error)
        raise DataError([Problem(file, f"Excelブック(.xlsx)として読めません({hint})")]) from None
    try:
        sheets = {normalize_name(name): name for name in book.sheetnames}
        tables: list[RawTable] = []
        problems: list[Problem] = []
        for table in TABLES:
            sheet = next((sheets[n] for n in sorted(table_names(table)) if n in sheets), None)
            if sheet is None:
                problems.append(Problem(file, f"シート「{table.label}」(または「{table.name}」)がありません"))
                continue
            raw_rows = [
                (number, [_cell_text(v) for v in values])
                for number, values in enumerate(book[sheet].iter_rows(values_only=True), start=1)
            ]
            try:
                header, rows = _split_header(raw_rows, file, sheet)
            except DataError as error:
                problems += error.problems
                continue
            tables.append(RawTable(table, file, sheet, header, _frame_from_rows(header, rows)))
    finally:
        book.close()
    if problems:
        raise DataError(problems)
    return tables


def _is_ole(path: Path) -> bool:
    """Encrypted (password-protected) workbooks are OLE compound files, not zip files."""
    with path.open("rb") as handle:
        return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
