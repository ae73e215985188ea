"""Small city-style workbooks built in tests (openpyxl), read into Grids as the import reads them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from report.ingest.sheets.grid import read_grid
from report.ingest.sheets.model import Grid

Rows = Sequence[Sequence[object]]


def put_rows(sheet, rows: Rows, top: int = 1) -> None:  # noqa: ANN001 - openpyxl Worksheet
    """Write rows from row `top` (None leaves a cell empty)."""
    for number, cells in enumerate(rows, start=top):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                sheet.cell(number, column, value)


def workbook_bytes(sheets: dict[str, Rows], merges: dict[str, Iterable[str]] | None = None,
                   hidden: Iterable[str] = (), chart: str | None = None) -> bytes:
    """A workbook of the given sheets (rows from A1), merged ranges per sheet, hidden sheets and
    an optional chart sheet (a bar chart of the first sheet) saved as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        put_rows(sheet, rows)
        for cells in (merges or {}).get(name, ()):
            sheet.merge_cells(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    if chart is not None:
        first = book.worksheets[0]
        bars = BarChart()
        bars.add_data(Reference(first, min_col=1, min_row=1, max_row=2))
        book.create_chartsheet(chart).add_chart(bars)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def grid_of(sheets: dict[str, Rows], name: str = "city.xlsx", **options: object) -> Grid:
    """The Grid the import reads from such a workbook."""
    return read_grid(Path(name), workbook_bytes(sheets, **options))
