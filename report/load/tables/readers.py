"""Read raw tables from CSV files and Excel sheets as rows of text.

Every cell is read as text, and every row keeps the row number a spreadsheet shows (the header is
row 1), so that problems can point at the right row. A table is a pandas DataFrame of strings (the
design card's data layer) indexed by those row numbers; `RawTable.rows` gives the checker its cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from report.load.tables.encodings import UTF16_BOMS, decode_text
from report.load.tables.hygiene import cell_problems, clean_rows
from report.load.tables.limits import check_workbook_parts, csv_fields_unlimited
from report.load.values.numfmt import date_text, is_date_format, number_text, unescape
from report.problems import DataError, Problem
from report.load.tables.schema import TABLES, Table, normalize_name, table_names

# What a spreadsheet may run as a formula at the start of a cell (OWASP's CSV injection; Excel
# reads the full-width forms typed on a Japanese keyboard as formulas too), and the mark koho's
# export puts before such a cell (report/compose/opendata.py).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
FORMULA_ESCAPE = "'"


def without_formula_escape(cell: str) -> str:
    """A CSV cell as it was before koho's export escaped it against formula injection: the "'"
    before a formula character (or before another such "'") removed, any other cell unchanged."""
    return cell[1:] if cell[:1] == FORMULA_ESCAPE and cell[1:2] in (*FORMULA_START, FORMULA_ESCAPE) else cell


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
    """One table as read: its header cells in order and its rows as a DataFrame of text, indexed by
    the row number a spreadsheet shows."""

    table: Table
    file: str
    sheet: str | None
    header: list[str]
    frame: pd.DataFrame

    @cached_property
    def rows(self) -> Rows:
        """The frame's rows as plain tuples, for the cell-by-cell checker."""
        return Rows(tuple(int(n) for n in self.frame.index),
                    tuple(tuple(row) for row in self.frame.itertuples(index=False, name=None)))


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and encrypted workbooks
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP形式のファイル(Excelブック .xlsx など)です"),
    (OLE_MAGIC, "Excel 97-2003形式(.xls)かパスワード付きのブックです"),
    (b"%PDF", "PDFファイルです"),
)


def _csv_text(data: bytes, file: str) -> str:
    """The text of a CSV file, or DataError saying what else the file is."""
    kind = next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)
    if kind is None and b"\x00" in data and not data.startswith(UTF16_BOMS):
        kind = "文字でないデータ(バイナリデータ)を含んでいます"
    text = decode_text(data, file) if kind is None else ""
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
    if controls * 50 > len(text):  # a text file has a control character here and there at most
        kind = "文字でないデータ(制御文字)を多く含んでいます"
    if kind:
        raise DataError([Problem(file, f"CSVファイルではありません: {kind}。"
                                 "Excel で「CSV UTF-8」として保存したファイルを使ってください")])
    return text


def _rows(header: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    """The data rows as a DataFrame of strings, as wide as the header, indexed by row number."""
    width = len(header)
    frame = pd.DataFrame([(cells + [""] * width)[:width] for _, cells in rows], columns=range(width), dtype=object)
    frame.index = pd.Index([number for number, _ in rows], name="row", dtype="int64")
    return frame


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


def csv_rows(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    """A CSV file's rows as read (numbered from 1, koho's formula escape removed), or DataError
    saying why the bytes are not a CSV file."""
    text = _csv_text(data, file)
    try:
        with csv_fields_unlimited():
            return [(number, [without_formula_escape(cell) for cell in row])
                    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
    except csv.Error as error:
        raise DataError([Problem(file, f"CSVとして読めません({error})")]) from None


def read_csv(data: bytes, file: str, table: Table) -> tuple[RawTable, list[Problem]]:
    """Read one CSV file's bytes (UTF-8, UTF-8 with BOM or CP932; CRLF or LF): the table, and the
    problems of its cells (report.load.tables.hygiene)."""
    raw_rows, findings = clean_rows(csv_rows(data, file))
    header, rows = _split_header(raw_rows, file, None)
    return RawTable(table, file, None, header, _rows(header, rows)), cell_problems(findings, file, None, table, header)


def _cell_text(value: object, fmt: str, epoch: dt.datetime) -> str:
    """A cell as Excel shows it (see report.load.values.numfmt): numbers through their format, text unescaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return date_text(value, fmt)
    if isinstance(value, int | float):
        if is_date_format(fmt):
            from openpyxl.utils.datetime import from_excel

            try:
                return date_text(from_excel(value, epoch), fmt)
            except (OverflowError, ValueError):
                return number_text(value, "General")
        return number_text(value, fmt)
    return unescape(str(value))


def _rows_of(sheet):  # noqa: ANN001, ANN202 - openpyxl ReadOnlyWorksheet → rows of cells
    """Every row of a sheet, whatever its <dimension> says: a stale one (other programs leave it
    wrong) would otherwise cut rows and columns off without a word."""
    sheet.reset_dimensions()
    return enumerate(sheet.iter_rows(), start=1)


def _sheet_rows(sheet, formulas, epoch: dt.datetime) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int]]]:  # noqa: ANN001
    """The sheet's rows as shown, and the (row, column) of formula cells saved without a result
    (written by a program, never calculated by Excel). `formulas` is the same sheet read for formulas."""
    uncalculated = set()
    if formulas is not None:
        uncalculated = {(number, index) for number, cells in _rows_of(formulas)
                        for index, cell in enumerate(cells, start=1) if cell.data_type == "f"}
    rows, missing = [], []
    for number, cells in _rows_of(sheet):
        missing += [(number, index) for index, cell in enumerate(cells, start=1)
                    if cell.value is None and (number, index) in uncalculated and cell.data_type != "str"]
        rows.append((number, [_cell_text(c.value, getattr(c, "number_format", "General"), epoch) for c in cells]))
    return rows, missing


def _uncalculated(file: str, sheet: str, header: list[str], cells: list[tuple[int, int]]) -> list[Problem]:
    from openpyxl.utils.cell import get_column_letter

    return [Problem(file, f"{get_column_letter(index)}{number}セルの数式に計算結果が保存されていません。"
                    "Excelで開いて保存し直してください", sheet=sheet, row=number,
                    column=header[index - 1] if index <= len(header) and header[index - 1] else get_column_letter(index))
            for number, index in cells]


def _has_formulas(data: bytes) -> bool:
    """Whether any sheet has a formula (only then is the workbook read a second time, for them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            try:
                xml = archive.read(name)
            except Exception:  # noqa: BLE001 - a damaged part is reported when its sheet is read
                continue
            if b"<f>" in xml or b"<f " in xml:
                return True
    return False


SHEET_KINDS = {"chartsheet": "グラフシート", "dialogsheet": "ダイアログシート", "macrosheet": "マクロシート",
               "xlMacrosheet": "マクロシート", "xlIntlMacrosheet": "マクロシート"}


def _open_workbook(data: bytes, file: str, data_only: bool = True, read_only: bool = True):  # noqa: ANN202
    """Open a workbook read-only (sheets are parsed as they are read; the import reads it whole,
    `read_only=False`, to see merged cells and comments), or raise DataError saying why it is not one. Macros (.xlsm) are never loaded, let alone run. Returns the workbook and
    its sheets that are not worksheets (see _other_sheets)."""
    from openpyxl.reader.excel import ExcelReader

    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = ("パスワード付きのブックか、Excel 97-2003形式(.xls)のファイルです。パスワードを解除し、"
                "「Excel ブック(.xlsx)」として保存し直してください" if data.startswith(OLE_MAGIC) else
                "壊れているか、拡張子だけ .xlsx にした別の形式のファイルです")
        raise DataError([Problem(file, f"Excelブック(.xlsx)として読めません。{hint}")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of extensions it drops (data validation, …)
            reader = ExcelReader(io.BytesIO(data), read_only=read_only, keep_vba=False, data_only=data_only)
            reader.read()
            return reader.wb, _other_sheets(reader)
    except Exception as error:  # noqa: BLE001 - openpyxl fails on broken files in many ways
        raise DataError([Problem(file, "ZIPファイルですが、Excelブック(.xlsx)として読めません"
                                 f"({type(error).__name__}: {error})")]) from None


def _other_sheets(reader) -> dict[str, str]:  # noqa: ANN001 - openpyxl ExcelReader
    """The sheets that are not worksheets (chart, dialog and macro sheets) → what they are: never
    read as tables (openpyxl would read a macro sheet as a worksheet)."""
    kinds = {}
    for sheet, relation in reader.parser.find_sheets():
        kind = relation.Type.rsplit("/", 1)[-1]
        if kind != "worksheet":
            kinds[sheet.name] = SHEET_KINDS.get(kind, "ワークシートでないシート")
    return kinds


def _table_of(name: str) -> Table | None:
    return next((t for t in TABLES if normalize_name(name) in table_names(t)), None)


def _table_sheets(book, others: dict[str, str], file: str) -> tuple[dict[str, str], list[Problem]]:  # noqa: ANN001
    """Table name → the visible worksheet that holds it. Two visible sheets for one table are an
    error; hidden sheets are never read (a warning says so), nor chart and other non-worksheet
    sheets (a missing table names them)."""
    found: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for sheet in book.worksheets:
        table = _table_of(sheet.title)
        if table is None or sheet.title in others:
            continue
        if sheet.sheet_state != "visible":
            problems.append(Problem(file, f"非表示のシートは読みません(「{table.label}」の表として使うには、"
                                    "シートを再表示してください)", sheet=sheet.title, severity="warning"))
            continue
        found.setdefault(table.name, []).append(sheet.title)
    worksheets = [name for name in book.sheetnames if name not in others]
    for table in TABLES:
        names = found.get(table.name, [])
        if len(names) > 1:
            problems.append(Problem(file, f"{table.label}の表が複数のシートにあります("
                                    f"{'、'.join(f'「{n}」' for n in names)})。どちらか一方にしてください"))
        elif not names:
            problems.append(_missing_sheet(file, table, worksheets, others))
    return {name: sheets[0] for name, sheets in found.items() if len(sheets) == 1}, problems


def _missing_sheet(file: str, table: Table, worksheets: list[str], others: dict[str, str]) -> Problem:
    """A table's sheet is missing: the worksheets there are, and the chart (or other) sheets that
    are not read, the one named for the table first."""
    misplaced = [f"「{name}」は{kind}で、表として読めません。表は普通のワークシートに入力してください"
                 for name, kind in others.items() if _table_of(name) is table]
    skipped = "".join(f"。{kind}「{name}」は読みません" for name, kind in others.items() if _table_of(name) is not table)
    return Problem(file, f"シート「{table.label}」(または「{table.name}」)がありません"
                   f"(ブックにあるシート: {'、'.join(worksheets) or 'なし'}{skipped})"
                   + "".join(f"。{text}" for text in misplaced))


def read_workbook(data: bytes, file: str) -> tuple[list[RawTable], list[Problem]]:
    """Read the three sheets of one Excel workbook (its bytes, read once): the tables found and the
    problems of the others.

    Raises DataError when the file is not a workbook at all.
    """
    check_workbook_parts(data, file)
    book, others = _open_workbook(data, file)
    formulas = _open_workbook(data, file, data_only=False)[0] if _has_formulas(data) else None
    tables: list[RawTable] = []
    try:
        sheets, problems = _table_sheets(book, others, file)
        for table in TABLES:
            sheet = sheets.get(table.name)
            if sheet is None:
                continue
            try:
                raw_rows, missing = _sheet_rows(book[sheet], formulas[sheet] if formulas else None, book.epoch)
                raw_rows, findings = clean_rows(raw_rows)
                header, rows = _split_header(raw_rows, file, sheet)
                problems += cell_problems(findings, file, sheet, table, header)
            except DataError as error:
                problems += error.problems
                continue
            except Exception as error:  # noqa: BLE001 - a damaged sheet's XML fails in many ways
                problems.append(Problem(file, f"シートが壊れているため読めません({type(error).__name__})",
                                        sheet=sheet))
                continue
            if missing:
                problems += _uncalculated(file, sheet, header, missing)
                continue
            tables.append(RawTable(table, file, sheet, header, _rows(header, rows)))
    finally:
        book.close()
        if formulas is not None:
            formulas.close()
    return tables, problems
