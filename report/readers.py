"""Read raw tables from CSV files and Excel sheets as rows of text.

Every cell is read as text, and every row keeps the row number a spreadsheet shows (the header is
row 1), so that problems can point at the right row. Plain tuples: nothing here needs pandas,
whose import alone took a quarter of a second of every build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .problems import DataError, Problem
from .schema import TABLES, Table, normalize_name, table_names

ENCODINGS = ("utf-8-sig", "cp932")


@dataclass(frozen=True)
class Rows:
    """The data rows of a table: their cells as text (as wide as the header), with row numbers."""

    numbers: tuple[int, ...]
    cells: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.numbers


@dataclass(frozen=True)
class RawTable:
    """One table as read: its header cells in order and its rows as text."""

    table: Table
    file: str
    sheet: str | None
    header: list[str]
    rows: Rows


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and encrypted workbooks
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP形式のファイル(Excelブック .xlsx など)です"),
    (OLE_MAGIC, "Excel 97-2003形式(.xls)かパスワード付きのブックです"),
    (b"%PDF", "PDFファイルです"),
)


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or CP932, whichever is valid."""
    if data.startswith(_UTF16_BOMS):
        raise DataError([Problem(file, "文字コードが UTF-16(Excelの「Unicode テキスト」)です。"
                                 "Excel で「CSV UTF-8」として保存し直してください")])
    failures: list[UnicodeDecodeError] = []
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            failures.append(error)
    first_bad = max(failures, key=lambda error: error.start)  # the reading that got furthest
    bad = data[first_bad.start:first_bad.end]
    readable = data[:first_bad.start].decode(first_bad.encoding)
    row = sum(1 for _ in csv.reader(io.StringIO(readable + "X", newline="")))  # the row the bad byte is in
    raise DataError([Problem(
        file, "文字コードが UTF-8 でも Shift_JIS(CP932) でもありません。Excel で「CSV UTF-8」として保存し直してください",
        row=row, value=" ".join(f"0x{b:02X}" for b in bad))])


def _csv_text(data: bytes, file: str) -> str:
    """The text of a CSV file, or DataError saying what else the file is."""
    kind = next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)
    if kind is None and b"\x00" in data and not data.startswith(_UTF16_BOMS):
        kind = "文字でないデータ(バイナリデータ)を含んでいます"
    text = decode_text(data, file) if kind is None else ""
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
    if controls * 50 > len(text):  # a text file has a control character here and there at most
        kind = "文字でないデータ(制御文字)を多く含んでいます"
    if kind:
        raise DataError([Problem(file, f"CSVファイルではありません: {kind}。"
                                 "Excel で「CSV UTF-8」として保存したファイルを使ってください")])
    return text


def _rows(header: list[str], rows: list[tuple[int, list[str]]]) -> Rows:
    width = len(header)
    return Rows(tuple(number for number, _ in rows), tuple(tuple((cells + [""] * width)[:width]) for _, cells in rows))


def _split_header(raw_rows: list[tuple[int, list[str]]], file: str, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(n, cells) for n, cells in raw_rows if any(c.strip() for c in cells)]
    if not rows:
        raise DataError([Problem(file, "表が空です(見出しの行もデータの行もありません)", sheet=sheet)])
    if rows[0][0] != 1:
        raise DataError([Problem(file, "1行目に見出し(列名)がありません", sheet=sheet, row=1)])
    header = [c.strip() for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    return header, rows[1:]


def read_csv(path: Path, table: Table) -> RawTable:
    """Read one CSV file (UTF-8, UTF-8 with BOM or CP932; CRLF or LF)."""
    file = path.name
    text = _csv_text(path.read_bytes(), file)
    try:
        raw_rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:
        raise DataError([Problem(file, f"CSVとして読めません({error})")]) from None
    header, rows = _split_header(raw_rows, file, None)
    return RawTable(table, file, None, header, _rows(header, rows))


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


def _sheet_rows(book, sheet: str) -> list[tuple[int, list[str]]]:  # noqa: ANN001 - openpyxl Workbook
    return [(number, [_cell_text(v) for v in values])
            for number, values in enumerate(book[sheet].iter_rows(values_only=True), start=1)]


def _open_workbook(path: Path):  # noqa: ANN202 - openpyxl Workbook
    """Open a workbook read-only, or raise DataError saying why the file is not one."""
    from openpyxl import load_workbook

    file = path.name
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            ole = handle.read(len(OLE_MAGIC)) == OLE_MAGIC
        hint = ("パスワード付きのブックか、Excel 97-2003形式(.xls)のファイルです。パスワードを解除し、"
                "「Excel ブック(.xlsx)」として保存し直してください" if ole else
                "壊れているか、拡張子だけ .xlsx にした別の形式のファイルです")
        raise DataError([Problem(file, f"Excelブック(.xlsx)として読めません。{hint}")])
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl fails on broken files in many ways
        raise DataError([Problem(file, "ZIPファイルですが、Excelブック(.xlsx)として読めません"
                                 f"({type(error).__name__}: {error})")]) from None


def read_workbook(path: Path) -> tuple[list[RawTable], list[Problem]]:
    """Read the three sheets of one Excel workbook: the tables found and the problems of the others.

    Raises DataError when the file is not a workbook at all.
    """
    file = path.name
    book = _open_workbook(path)
    tables: list[RawTable] = []
    problems: list[Problem] = []
    try:
        sheets = {normalize_name(name): name for name in book.sheetnames}
        for table in TABLES:
            sheet = next((sheets[n] for n in sorted(table_names(table)) if n in sheets), None)
            if sheet is None:
                problems.append(Problem(file, f"シート「{table.label}」(または「{table.name}」)がありません"
                                        f"(ブックにあるシート: {'、'.join(book.sheetnames) or 'なし'})"))
                continue
            try:
                header, rows = _split_header(_sheet_rows(book, sheet), file, sheet)
            except DataError as error:
                problems += error.problems
                continue
            except Exception as error:  # noqa: BLE001 - a damaged sheet's XML fails in many ways
                problems.append(Problem(file, f"シートが壊れているため読めません({type(error).__name__})",
                                        sheet=sheet))
                continue
            tables.append(RawTable(table, file, sheet, header, _rows(header, rows)))
    finally:
        book.close()
    return tables, problems
