"""The limits koho reads within, checked before the data is parsed: generous for any real city's
workbook or CSV file, and each refused with a message naming the file and the limit."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from report.problems import DataError, Problem

MB = 1024 * 1024
MAX_INPUT_BYTES = 100 * MB  # one input file as stored (a city's workbook is well under 5 MB)
MAX_WORKBOOK_EXPANDED = 500 * MB  # a workbook's parts together, once unzipped
MAX_WORKBOOK_PARTS = 10_000  # files inside one workbook
MAX_PART_RATIO = 200  # how much one large part may expand (real sheets: 5–30 times)
RATIO_CHECKED_FROM = 10 * MB  # parts smaller than this expand as they like
MAX_CELL_CHARACTERS = 32_767  # one cell, CSV or Excel: Excel's own limit


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}".removesuffix(".0") + "MB"


def input_size_problem(file: str, size: int) -> Problem | None:
    """An input file too large to read (its size from the file system, before reading it)."""
    if size <= MAX_INPUT_BYTES:
        return None
    return Problem(file, f"ファイルが大きすぎます({_mb(size)})。koho が読む入力ファイルは"
                   f"{_mb(MAX_INPUT_BYTES)}までです")


def check_workbook_parts(data: bytes, file: str) -> None:
    """Refuse a workbook whose parts (from the ZIP's central directory, nothing unzipped) are too
    many, too large together, or one large part expands suspiciously (a "zip bomb"). Python's
    zipfile never unzips more than a part's declared size, so the directory is to be trusted."""
    size_problem = input_size_problem(file, len(data))
    if size_problem is not None:
        raise DataError([size_problem])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not a ZIP file: reported when opened as a workbook
    reason = None
    expanded = sum(part.file_size for part in parts)
    if len(parts) > MAX_WORKBOOK_PARTS:
        reason = f"ブックの中のファイルが多すぎます({len(parts):,}個。{MAX_WORKBOOK_PARTS:,}個まで)"
    elif expanded > MAX_WORKBOOK_EXPANDED:
        reason = f"展開すると大きすぎます({_mb(expanded)}。展開後{_mb(MAX_WORKBOOK_EXPANDED)}まで)"
    else:
        bomb = next((p for p in parts if p.file_size > RATIO_CHECKED_FROM
                     and p.file_size > MAX_PART_RATIO * max(p.compress_size, 1)), None)
        if bomb is not None:
            reason = (f"中の {bomb.filename} が異常に圧縮されています({_mb(bomb.compress_size)}が展開すると"
                      f"{_mb(bomb.file_size)}。{MAX_PART_RATIO}倍まで)")
    if reason:
        raise DataError([Problem(file, f"Excelブックとして読みません: {reason}。"
                                 "壊れたファイルか、Excel 以外で作られたファイルです。Excel で開いて保存し直してください")])


@contextmanager
def csv_fields_unlimited() -> Iterator[None]:
    """Python's csv module refuses a field over 131,072 characters with an English error: koho
    checks cell lengths itself (MAX_CELL_CHARACTERS), naming the cell, so csv may read any field."""
    previous = csv.field_size_limit(MAX_INPUT_BYTES + 1)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
