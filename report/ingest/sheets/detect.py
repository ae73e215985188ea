"""Find the tables in a city's workbook: which sheets hold tables and which are skipped (表紙, 集計,
説明, hidden and chart sheets, each with a Japanese reason), and on each sheet the title, date and
helper rows, the header rows, the body, the ※/注 notes under it, and the band rows that split
several tables on one sheet. Only the structure is decided here (it may be assumed and shown to
the user); what a layout cannot say is asked later.

Header rows are found by score, never by position: a row scores for each cell that is a known
header word (report.ingest.sheets.lexicon) or a year (report.ingest.sheets.years) and for each column with
figures below it; a row with figures, a helper row (「調整用…」 in every cell) or a one-cell title
row is never a header. The best row of the first run of text rows is the header's anchor; rows
of known words or years just above (a year row merged across 目標/実績) and below it join it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from report.ingest.sheets.headers import joined_header
from report.ingest.sheets.lexicon import meaning_of
from report.ingest.sheets.model import CellRef, ColumnLayout, Grid, GridCell, Meaning, SheetGrid, SkippedSheet, TableLayout
from report.ingest.sheets.values import read_cell
from report.ingest.sheets.headings import is_heading
from report.ingest.sheets.years import BARE_YEAR, ERA_YEAR_ONLY, header_role, year_in

# Sheet names that are not tables, by what they hold (matched in the NFKC name).
SKIPPED_NAMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("表紙",), "表紙のシートのため読みません"),
    (("集計", "まとめ", "総括"), "集計・まとめのシートのため読みません(元の表から作られた値です)"),
    (("説明", "見方", "凡例", "使い方", "記入方法", "記入要領"), "説明のシートのため読みません"),
)
KIND_NAMES = {"chart": "グラフシート", "dialog": "ダイアログシート", "macro": "マクロシート"}
# Words of a helper row's cells (instructions to staff, not headers).
HELPER_WORDS = ("調整用", "入力してください", "記入してください", "選択してください", "自動計算", "触らない",
                "編集しない", "削除しない", "入力不要", "記入不要")
NOTE_RE = re.compile(r"^\s*(?:※|＊|\*|注(?=[\s\d０-９:：．.、)）]|$)|[(（〔【]\s*注|(?:出典|出所|資料)\s*[:：])")
AS_OF_RE = re.compile(
    r"(?:(?:令和|平成|昭和|[RH])\s*(?:[0-9０-９]{1,2}|元)\s*[年.．]\s*[0-9０-９]{1,2}\s*[月.．]"
    r"(?:\s*[0-9０-９]{1,2}\s*日?|\s*末)?|[0-9０-９]{4}\s*[年/.．-]\s*[0-9０-９]{1,2}\s*[月/.．-]?(?:\s*[0-9０-９]{1,2}\s*日?|\s*末)?)"
    r"\s*(?:現在|時点)")
ROLE_MEANINGS = {"value": Meaning.VALUE, "target": Meaning.TARGET, "baseline": Meaning.BASELINE,
                 "final_target": Meaning.FINAL_TARGET}  # years.header_role → Meaning
DITTO = ("〃", "″", "同上", "同")
MAX_HEADER_LEVELS = 4
MAX_RUN = 30  # text rows looked at for a header
HEADER_WORD_LENGTH = 40  # longer cells are sentences: never a known header word
LONG_TEXT = 30  # a cell this long is prose


@dataclass(frozen=True)
class _Row:
    """A row's own cells: those not spread across from a cell on its left (merged ranges)."""

    number: int
    cells: tuple[GridCell, ...]

    @property
    def blank(self) -> bool:
        return not self.cells

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


class _Sheet:
    """A sheet read row by row, with what detection asks of its rows and cells (cached)."""

    def __init__(self, sheet: SheetGrid) -> None:
        self.grid = sheet
        by_row: dict[int, list[GridCell]] = {}
        for cell in sheet.cells.values():
            if cell.text.strip() and not (cell.merged_from and cell.merged_from[0] == cell.row):
                by_row.setdefault(cell.row, []).append(cell)
        self.rows = {n: _Row(n, tuple(sorted(cells, key=lambda c: c.column))) for n, cells in by_row.items()}
        self.nonblank = sorted(self.rows)  # a stray cell far below costs nothing: blank rows are skipped
        columns = [cell.column for cells in by_row.values() for cell in cells]
        self.left = min(columns, default=1)
        self._known: dict[str, bool] = {}
        self._figure: dict[str, bool] = {}

    def row(self, number: int) -> _Row:
        return self.rows.get(number, _Row(number, ()))

    def known(self, text: str) -> bool:
        """A known header word or a year (short text only; a date stated as 現在 is not a header)."""
        if text not in self._known:
            short = " ".join(text.split())
            self._known[text] = (len(short) <= HEADER_WORD_LENGTH and not AS_OF_RE.search(short)
                                 and (meaning_of(short) is not None or (len(short) <= 20 and year_in(short) is not None)))
        return self._known[text]

    def figure(self, text: str) -> bool:
        """A figure or a no-figure mark (「1,007人」「－」「集計中」), not a year."""
        if text not in self._figure:
            try:
                value = read_cell(text)
                self._figure[text] = (value.number is not None or bool(value.no_figure) or bool(value.parts)) \
                    and year_in(text) is None
            except ValueError:
                self._figure[text] = False
        return self._figure[text]

    def figures(self, row: _Row) -> int:
        return sum(self.figure(t) for t in row.texts)

    def note(self, row: _Row) -> bool:
        return not row.blank and len(row.cells) <= 2 and bool(NOTE_RE.match(row.cells[0].text))

    def helper(self, row: _Row) -> bool:
        """A row of instructions to staff: most cells hold an instruction word or begin alike,
        none of them a known header word."""
        texts = [t for t in row.texts if not self.known(t)]
        if len(row.cells) < 2 or len(texts) < 0.6 * len(row.cells):
            return False
        worded = sum(any(w in t for w in HELPER_WORDS) for t in texts)
        alike = Counter(t[:3] for t in texts if len(t) >= 3).most_common(1)
        return worded >= 0.6 * len(row.cells) or bool(alike and alike[0][1] >= max(2, 0.6 * len(row.cells)))

    def single(self, row: _Row) -> bool:
        """A row with text in one cell only (or one cell merged across): a title, date or band row."""
        return len(row.cells) == 1

    def below(self, row: _Row, depth: int = 4) -> int:
        """How many of the row's text cells have figures under them (in the next `depth` rows)."""
        count = 0
        for cell in row.cells:
            if self.figure(cell.text):
                continue
            if any(self.figure(self.grid.text(r, cell.column)) for r in range(row.number + 1, row.number + depth + 1)
                   if self.grid.text(r, cell.column)):
                count += 1
        return count

    def score(self, row: _Row) -> int:
        """How much the row looks like a header (see the module's docstring); ≤ 0 never one."""
        if len(row.cells) < 2 or self.figures(row) or self.helper(row) or self.note(row):
            return 0
        if any(AS_OF_RE.search(t) for t in row.texts) and len(row.cells) <= 2:
            return 0
        return 2 * sum(self.known(t) for t in row.texts) + self.below(row)

    def all_known(self, row: _Row, header: set[int] = frozenset()) -> bool:
        """Every cell a known word or year, or merged down from a header row."""
        own = [c for c in row.cells if not (c.merged_from and c.merged_from[0] in header)]
        return bool(row.cells) and all(self.known(c.text) for c in own) and not self.figures(row)


def detect(grid: Grid) -> tuple[list[TableLayout], list[SkippedSheet]]:
    """The tables of every sheet in workbook order, and the sheets skipped with their reasons."""
    tables: list[TableLayout] = []
    skipped: list[SkippedSheet] = []
    for sheet in grid.sheets:
        name = sheet.name or grid.file
        reason = _skip_reason(sheet)
        if reason is None:
            found = detect_sheet(sheet)
            if found:
                tables += found
                continue
            reason = _no_table_reason(sheet)
        skipped.append(SkippedSheet(name, reason))
    return tables, skipped


def _skip_reason(sheet: SheetGrid) -> str | None:
    """Why a sheet is not read, from its kind, state and name; None to look for tables in it."""
    if sheet.kind != "worksheet":
        return f"{KIND_NAMES.get(sheet.kind, 'ワークシートでないシート')}のため読みません"
    if sheet.hidden:
        return "非表示のシートのため読みません(読むには、シートを再表示してください)"
    if not sheet.cells:
        return "空のシートです"
    name = unicodedata.normalize("NFKC", sheet.name or "")
    return next((reason for words, reason in SKIPPED_NAMES if any(w in name for w in words)), None)


def _no_table_reason(sheet: SheetGrid) -> str:
    texts = [c.text for c in sheet.cells.values() if c.text and not c.merged_from]
    if texts and sum(len(t) >= LONG_TEXT for t in texts) * 3 >= len(texts):
        return "説明の文章のシートのため読みません(表がありません)"
    return "表が見つからないため読みません(見出しの行がありません)"


def detect_sheet(sheet: SheetGrid) -> list[TableLayout]:
    """The tables on one sheet, top to bottom."""
    rows = _Sheet(sheet)
    tables: list[TableLayout] = []
    start, as_of = 1, ""
    while start <= sheet.max_row:
        header = _find_header(rows, start)
        if header is None:
            break
        pre = [n for n in range(start, header[0]) if not rows.row(n).blank]
        as_of = next((m.group(0) for n in pre if (m := AS_OF_RE.search(" ".join(rows.row(n).texts)))), as_of)
        heading = _heading(rows, pre, first=not tables)
        start = _read_tables(rows, tuple(pre), header, heading, as_of, tables)
    return tables


def _find_header(rows: _Sheet, start: int) -> tuple[int, ...] | None:
    """The header rows of the next table at or below `start`, or None when there is none."""
    number = start
    last = rows.grid.max_row
    while number <= last:
        run = []
        while number <= last and len(run) < MAX_RUN:
            row = rows.row(number)
            if row.blank or rows.single(row) or rows.figures(row) or rows.note(row):
                break
            run.append(row)
            number += 1
        scored = [(rows.score(row), -row.number, row) for row in run]
        best = max(scored, default=None, key=lambda s: s[:2])
        if best is not None and best[0] >= 2:
            return _header_block(rows, best[2].number)
        if not run:
            following = _next_nonblank(rows, number + 1)
            number = following if following is not None else last + 1
    return None


def _header_block(rows: _Sheet, anchor: int) -> tuple[int, ...]:
    """The anchor row with the header rows above it (known words or years; a single year merged
    across some columns) and below it (known words, or cells merged down from the header)."""
    header = [anchor]
    while len(header) < MAX_HEADER_LEVELS and header[0] > 1:
        above = rows.row(header[0] - 1)
        if not (_year_band(rows, above.number) or _upper_level(rows, above, header[0])):
            break
        header.insert(0, above.number)
    while len(header) < MAX_HEADER_LEVELS:
        below = rows.row(header[-1] + 1)
        if below.blank or rows.single(below) and not below.cells[0].merged_from:
            break
        if not rows.all_known(below, set(header)) or rows.helper(below):
            break
        header.append(below.number)
    return tuple(header)


def _upper_level(rows: _Sheet, above: _Row, below: int) -> bool:
    """An upper header level: two cells or more, each a known word or year, and each a year, merged
    (across its columns or down into the row below) or over a blank cell of the row below — never
    a title row that happens to hold known words (「成果指標一覧」 over 「指標名」)."""
    if len(above.cells) < 2 or not rows.all_known(above):
        return False
    grid = rows.grid

    def placed(cell: GridCell) -> bool:
        origin = (cell.row, cell.column)
        right, under = grid.cells.get((cell.row, cell.column + 1)), grid.cells.get((below, cell.column))
        return (cell.merged_from is not None or year_in(cell.text) is not None or under is None
                or (right is not None and right.merged_from == origin) or under.merged_from == origin)

    return all(placed(cell) for cell in above.cells)


def _year_band(rows: _Sheet, number: int) -> bool:
    """A row holding only one year, merged across some columns right of the first (a year row
    over 目標/実績 of a single year)."""
    row = rows.row(number)
    if number < 1 or len(row.cells) != 1:
        return False
    cell = row.cells[0]
    spread = rows.grid.cells.get((number, cell.column + 1))
    return (cell.column > rows.left and spread is not None and spread.merged_from == (number, cell.column)
            and year_in(cell.text) is not None and not AS_OF_RE.search(cell.text))


def _heading(rows: _Sheet, pre: list[int], first: bool) -> str:
    """The band row that opens a table: the last numbered heading (【01】…, 分野1 …) in the one-cell
    rows above its header, else the last one-cell row (for a sheet's first table, only below a title)."""
    candidates = [n for n in pre if rows.single(rows.row(n)) and not AS_OF_RE.search(rows.row(n).texts[0])
                  and not rows.helper(rows.row(n))]
    if not candidates:
        return ""
    numbered = [n for n in candidates if is_heading(rows.row(n).texts[0])]
    if numbered:
        return rows.row(numbered[-1]).texts[0]
    return "" if first and len(candidates) < 2 else rows.row(candidates[-1]).texts[0]


def _read_tables(rows: _Sheet, pre: tuple[int, ...], header: tuple[int, ...], heading: str, as_of: str,
                 tables: list[TableLayout]) -> int:
    """Read the body and notes under `header`, appending one table per band row that splits the
    body (each keeps the header); returns the row to look for the next table from."""
    number = header[-1] + 1
    last = rows.grid.max_row
    while True:
        body, number, band = _body(rows, header, number)
        notes, number = _notes(rows, number)
        while band is None and notes and (following := _next_nonblank(rows, number)) is not None \
                and _data_like(rows, rows.row(following), header):
            # a note between data rows (「※以下は参考指標」): the body goes on under it
            more, number, band = _body(rows, header, following)
            more_notes, number = _notes(rows, number)
            body, notes = body + more, notes + more_notes
        columns = _columns(rows, header, body)
        if body or notes or band is None:  # a band right under the header opens the first table
            tables.append(TableLayout(rows.grid, pre, header, tuple(body), tuple(notes), columns, heading, as_of))
        if band is None or number > last:
            return number
        # A band row under the body: a new table, with its own header if one follows, else this one's.
        after = _next_nonblank(rows, band + 1)
        if after is not None and rows.score(rows.row(after)) >= 2 and _find_header(rows, band + 1) is not None \
                and _find_header(rows, band + 1)[0] == after:
            return band
        pre, heading, number = (band,), rows.row(band).texts[0], band + 1


def _next_nonblank(rows: _Sheet, number: int) -> int | None:
    """The first row at or below `number` with text, or None."""
    index = bisect_left(rows.nonblank, number)
    return rows.nonblank[index] if index < len(rows.nonblank) else None


def _body(rows: _Sheet, header: tuple[int, ...], number: int) -> tuple[list[int], int, int | None]:
    """The body rows from `number`: up to a note, a band row, a repeated header or a blank row
    after which no data row follows. Returns the body, the row it stopped at, and the band row
    that stopped it (None otherwise)."""
    body: list[int] = []
    header_texts = [rows.row(n).texts for n in header]
    last = rows.grid.max_row
    while number <= last:
        row = rows.row(number)
        if row.blank:
            following = _next_nonblank(rows, number)
            if following is None or not _data_like(rows, rows.row(following), header):
                return body, number, None
            number = following
            continue
        if rows.note(row) or row.texts in header_texts:
            return body, number, None
        if _band(rows, row, header):
            return body, number, number
        if body and rows.all_known(row) and rows.score(row) >= 2:
            return body, number, None  # a new header
        body.append(number)
        number += 1
    return body, number, None


def _band(rows: _Sheet, row: _Row, header: tuple[int, ...]) -> bool:
    """A heading row in the body: text in one cell at the left (or one cell merged across), when
    the table is wider than that; a section row in an AREA/MEASURE column is hierarchy, not a band."""
    if not rows.single(row) or rows.figures(row) or rows.note(row):
        return False
    cell = row.cells[0]
    width = max((c.column for n in header for c in rows.row(n).cells), default=0)
    if width - rows.left < 2 or cell.column > rows.left + 1:
        return False
    merged_across = (rows.grid.cells.get((row.number, cell.column + 1)) or GridCell(0, 0, "")).merged_from \
        == (row.number, cell.column)
    if not merged_across:
        header_text = joined_header(rows.grid, header, cell.column)
        if meaning_of(header_text) in (Meaning.AREA, Meaning.MEASURE):
            return False
    return True


def _data_like(rows: _Sheet, row: _Row, header: tuple[int, ...]) -> bool:
    """A row that continues a body after a blank row: two cells or more, not a note, band or header."""
    return (len(row.cells) >= 2 and not rows.note(row) and not _band(rows, row, header)
            and not (rows.all_known(row) and rows.score(row) >= 2))


def _notes(rows: _Sheet, number: int) -> tuple[list[int], int]:
    """The ※/注 note rows from `number` (blank rows between them skipped; a one-cell row right
    after a note continues it). Returns them and the row after the last one."""
    notes: list[int] = []
    end = number
    last = rows.grid.max_row
    while number <= last:
        row = rows.row(number)
        if row.blank:
            following = _next_nonblank(rows, number)
            number = following if following is not None else last + 1
            continue
        continues = bool(notes) and notes[-1] == number - 1 and rows.single(row) and not is_heading(row.texts[0])
        if not (rows.note(row) or continues):
            break
        notes.append(number)
        number += 1
        end = number
    return notes, end


def _columns(rows: _Sheet, header: tuple[int, ...], body: list[int]) -> tuple[ColumnLayout, ...]:
    """Every column with a header or body text: its header levels joined, meaning, year and block."""
    used: set[int] = set()
    for number in (*header, *body):
        used.update(c for c in range(1, rows.grid.max_column + 1) if rows.grid.text(number, c))
    texts = {column: joined_header(rows.grid, header, column) for column in sorted(used)}
    blocks = _blocks(texts)
    return tuple(ColumnLayout(column, text, _meaning(text), year_in(text) if text else None, blocks.get(column, 0))
                 for column, text in texts.items())


def _meaning(header: str) -> Meaning | None:
    """The lexicon's meaning of a header, else the role its year's words give (「R5速報」 → 実績); a
    bare western year (「2020」, an open-data KPI list's columns) holds that year's result (whether
    the year is a fiscal or a calendar year is asked: evidence.block_year_findings), and so does a
    bare fiscal year in an era's form (「従前値 H27 H28 … 目標値」, a KPI evaluation sheet's columns)."""
    if not header:
        return None
    plain = unicodedata.normalize("NFKC", header)
    if BARE_YEAR.match(plain) or ERA_YEAR_ONLY.match(plain):
        return Meaning.VALUE
    return meaning_of(header) or ROLE_MEANINGS.get(header_role(header))


def _blocks(texts: dict[int, str]) -> dict[int, int]:
    """Repeated blocks of identically named columns (目標 実績 目標 実績 …), numbered 0, 1, … from the
    left within each run of adjacent repeated columns: an export's slots each start again at 0."""
    repeated = {text for text, count in Counter(texts.values()).items() if text and count > 1}
    blocks: dict[int, int] = {}
    seen: Counter[str] = Counter()
    previous = None
    for column, text in texts.items():
        if text not in repeated:
            previous = None
            continue
        if previous != column - 1:
            seen.clear()  # a new run of repeated columns
        blocks[column] = seen[text]
        seen[text] += 1
        previous = column
    return blocks


def fill_down(sheet: SheetGrid, column: int, rows: Iterable[int]) -> dict[int, tuple[str, CellRef]]:
    """A hierarchy column over `rows`, filled down: a cell merged down, blank, 〃, 同上 or 同 takes
    the text above, with the CellRef of the cell that holds the text. Rows before any text are left out."""
    filled: dict[int, tuple[str, CellRef]] = {}
    current: tuple[str, CellRef] | None = None
    for row in rows:
        cell = sheet.cells.get((row, column))
        text = cell.text.strip() if cell else ""
        if cell is not None and cell.merged_from is not None and text:
            current = (text, sheet.ref(*cell.merged_from))
        elif text and unicodedata.normalize("NFKC", text) not in DITTO and text not in DITTO:
            current = (text, sheet.ref(row, column))
        if current is not None:
            filled[row] = current
    return filled
