"""Workbooks made the way Excel saves them: typed cells with number formats, formulas with and
without cached results, stale <dimension> refs, `_x000D_` escapes, hidden sheets.

openpyxl writes the workbook; where Excel leaves the XML differently from openpyxl, the XML is
patched the way Excel leaves it.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from report.load.tables.schema import TABLES

from .test_inputs import read_rows

ERA_DATE = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"'  # 令和5年11月1日, 元年 for year 1
Cell = object  # a value, or (value, number format)


def write_typed_workbook(path: Path, sheets: dict[str, list[list[Cell]]], hidden: tuple[str, ...] = ()) -> Path:
    """A workbook whose cells are typed values; `(value, format)` gives a cell its number format."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        if name in hidden:
            sheet.sheet_state = "hidden"
        for number, row in enumerate(rows, start=1):
            for column, item in enumerate(row, start=1):
                value, fmt = item if isinstance(item, tuple) else (item, None)
                cell = sheet.cell(number, column, value)
                if fmt:
                    cell.number_format = fmt
    book.save(path)
    return path


def sample_sheets(source: Path) -> dict[str, list[list[Cell]]]:
    """The sample project's tables as Japanese-named sheets of text cells."""
    return {t.label: [list(r) for r in read_rows(source / f"{t.name}.csv")] for t in TABLES}


def patch_xml(book: Path, member: str, pattern: str, replacement: str, count: int = 0) -> None:
    """Rewrite one XML part of a workbook with a regular expression (as another writer left it)."""
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[member].decode("utf-8")
    patched, done = re.subn(pattern, replacement, text, count=count)
    assert done, (member, pattern, text[:500])
    parts[member] = patched.encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def sheet_member(book: Path, title: str) -> str:
    """The zip member of a sheet by its title (sheets are numbered in order of creation)."""
    from openpyxl import load_workbook

    names = load_workbook(book, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


def date(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day)
