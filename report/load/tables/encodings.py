"""The encoding of a CSV file: UTF-8 (with or without BOM) or CP932, the same in every row.

A file that is not one encoding throughout (a row pasted from another program's export, a stray
byte) is refused, naming its first odd row and bytes: decoded whole as CP932 it would print
mojibake without a word, since the UTF-8 bytes of most Japanese text are also valid CP932.
"""

from __future__ import annotations

import codecs
import csv
import io

from report.load.tables.limits import csv_fields_unlimited
from report.problems import DataError, Problem

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or CP932, the one encoding of every row:
    a file that is not one encoding throughout (a row pasted from another export, a stray byte)
    is refused, naming its first odd row."""
    if data.startswith(UTF16_BOMS):
        raise DataError([Problem(file, "文字コードが UTF-16(Excelの「Unicode テキスト」)です。"
                                 "Excel で「CSV UTF-8」として保存し直してください")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_failure = error
    lines = _lines(data)
    utf8 = [(start, line) for start, line in lines if _reads_as_utf8(line)]
    not_utf8 = [(start, line) for start, line in lines if not _valid_utf8(line)]
    if data.startswith(codecs.BOM_UTF8) or (utf8 and len(utf8) >= len(not_utf8)):
        raise DataError([_mixed_rows(data, file, *not_utf8[0], "UTF-8")])
    if utf8:  # mostly CP932: the first row that is UTF-8 or not CP932 either
        odd = sorted(utf8 + [(start, line) for start, line in not_utf8 if _cp932_error(line)])
        raise DataError([_mixed_rows(data, file, *odd[0], "Shift_JIS(CP932)")])
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as cp932_failure:
        raise DataError([_neither(data, file, [utf8_failure, cp932_failure])]) from None


def _lines(data: bytes) -> list[tuple[int, bytes]]:
    """Each physical line of the file with the offset it starts at (a line end is the same byte
    in UTF-8 and CP932, never part of a character)."""
    lines, start = [], 0
    for line in data.split(b"\n"):
        lines.append((start, line))
        start += len(line) + 1
    return lines


def _utf8_error(line: bytes) -> UnicodeDecodeError | None:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as error:
        return error
    return None


def _cp932_error(line: bytes) -> UnicodeDecodeError | None:
    try:
        line.decode("cp932")
    except UnicodeDecodeError as error:
        return error
    return None


def _valid_utf8(line: bytes) -> bool:
    return _utf8_error(line) is None


def _reads_as_utf8(line: bytes) -> bool:
    """A line that is UTF-8 beyond doubt: it holds characters of three bytes or more (kana,
    kanji), which CP932 text almost never forms by chance."""
    return _valid_utf8(line) and any(ord(c) >= 0x800 for c in line.decode("utf-8"))


def _row_at(data: bytes, offset: int) -> int:
    """The CSV row (as a spreadsheet numbers it) that the byte at `offset` is in."""
    readable = data[:offset].decode("utf-8", errors="replace")  # quotes and line ends read the same either way
    with csv_fields_unlimited():
        return sum(1 for _ in csv.reader(io.StringIO(readable + "X", newline="")))


def _hex(data: bytes) -> str:
    return " ".join(f"0x{b:02X}" for b in data)


def _mixed_rows(data: bytes, file: str, start: int, line: bytes, encoding: str) -> Problem:
    """A file mostly in `encoding` with a row that is not: the row, and its first odd bytes."""
    if encoding != "UTF-8" and _reads_as_utf8(line):  # a UTF-8 row in a CP932 file
        first = next(c for c in line.decode("utf-8") if ord(c) >= 0x80).encode("utf-8")
        offset, odd = start + line.index(first), first
        what = "UTF-8 の行があります"
    else:
        error = _utf8_error(line) if encoding == "UTF-8" else _cp932_error(line)
        assert error is not None  # the line was found not to be in the file's encoding
        offset, odd = start + error.start, line[error.start:error.end]
        what = f"{encoding} として読めない行があります"
    row = _row_at(data, offset)
    return Problem(file, f"文字コードが {encoding} のファイルに、{what}({row}行目から)。別の文字コードのファイルから"
                   "貼り付けたか、ファイルが一部壊れています。1つのファイルは1つの文字コードでなければ読めません。"
                   "その行を入力し直し、Excel で「CSV UTF-8」として保存し直してください", row=row, value=_hex(odd))


def _neither(data: bytes, file: str, failures: list[UnicodeDecodeError]) -> Problem:
    """Neither UTF-8 nor CP932 reads the file: the row where the reading that got furthest stopped."""
    first_bad = max(failures, key=lambda error: error.start)
    return Problem(
        file, "文字コードが UTF-8 でも Shift_JIS(CP932) でもありません。Excel で「CSV UTF-8」として保存し直してください",
        row=_row_at(data, first_bad.start), value=_hex(data[first_bad.start:first_bad.end]))
