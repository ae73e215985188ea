"""The import's vocabulary: a city's own spreadsheet as a grid of cells, the tables found in it,
and what each cell and column means. Every later step keeps the cell's A1 reference, so that any
problem about imported data names the original file, sheet and cell (provenance).

Stages: grid (read the source, merged cells spread) → detect (sheets, tables, header rows, notes,
hierarchy; drafts a mapping) → mapping (the `[import]` table of koho.toml: the truth) → apply (the
mapping over the grid → koho's three long tables, every cell traced) → the usual load and checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from report.problems import Problem


DITTO = {"〃", "″", "同上", "々", "''", '"'}  # a cell meaning "the same as above"


def column_letter(column: int) -> str:
    """1 → A, 27 → AA (Excel's column names; columns count from 1)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def a1(row: int, column: int) -> str:
    """The A1 reference of a cell: a1(5, 3) → 'C5' (rows and columns count from 1)."""
    return f"{column_letter(column)}{row}"


@dataclass(frozen=True)
class CellRef:
    """Where a value came from: the source file's name, its sheet (None for CSV) and the cell."""

    file: str
    sheet: str | None
    row: int
    column: int

    @property
    def a1(self) -> str:
        return a1(self.row, self.column)

    def __str__(self) -> str:
        sheet = f" シート「{self.sheet}」" if self.sheet else ""
        return f"{self.file}{sheet} セル{self.a1}"


@dataclass(frozen=True)
class GridCell:
    """One cell as Excel shows it (`text`, through its number format; '' when empty).

    `merged_from` is the top-left cell of the merged range this cell lies in (its text is that
    cell's, spread across and down); None for a cell that is not merged or is the range's origin.
    """

    row: int
    column: int
    text: str
    merged_from: tuple[int, int] | None = None
    comment: str = ""  # Excel's cell comment, never printed (staff names may be in it)


@dataclass(frozen=True)
class SheetGrid:
    """One sheet (or the one table of a CSV file) as a grid. `kind` is 'worksheet' or what else it
    is ('chart', 'dialog', 'macro'); hidden sheets are kept so that they can be named as skipped."""

    file: str
    name: str | None  # None for a CSV file
    kind: str = "worksheet"
    hidden: bool = False
    cells: dict[tuple[int, int], GridCell] = field(default_factory=dict)  # (row, column) → cell; non-empty only
    max_row: int = 0
    max_column: int = 0

    def text(self, row: int, column: int) -> str:
        """The text shown in a cell ('' for an empty one), merged ranges spread."""
        cell = self.cells.get((row, column))
        return cell.text if cell else ""

    def ref(self, row: int, column: int) -> CellRef:
        return CellRef(self.file, self.name, row, column)

    def row_texts(self, row: int) -> list[str]:
        return [self.text(row, column) for column in range(1, self.max_column + 1)]


@dataclass(frozen=True)
class Grid:
    """A whole source file: its sheets in workbook order (one for a CSV file)."""

    file: str
    sheets: tuple[SheetGrid, ...]
    problems: tuple[Problem, ...] = ()  # warnings found while reading (invisible characters removed)


class Meaning(str, Enum):
    """What a column of a city's table holds, in koho's terms (the lexicon maps header text here)."""

    AREA = "area"  # 分野 / 基本目標 / 政策 (number and/or name)
    MEASURE = "measure"  # 施策 / 基本施策 / 事業 (number and/or name)
    VISION = "vision"  # ビジョン内容 / 施策の方向 / 目指す姿
    ACTIONS = "actions"  # 取組内容 / 主な取組 / 実施内容
    STATUS = "status"  # 進捗 / 進捗状況 (a word koho's [status] scale knows, or the city's)
    DEPARTMENT = "department"  # 担当課 / 所管課
    LABEL = "label"  # 指標名 / KPI名 / 成果指標 / 目標(指標)名
    UNIT = "unit"  # 単位
    VALUE = "value"  # 実績 / 実績値 (usually with a year)
    TARGET = "target"  # 目標 / 目標値 / 予定 (with or without a year)
    FINAL_TARGET = "final_target"  # 最終目標 / 目標値(令和7年度) beside differing yearly targets
    BASELINE = "baseline"  # 基準値 / 現状値 / 従前値
    BASELINE_YEAR = "baseline_year"
    TARGET_YEAR = "target_year"
    DIRECTION = "direction"  # 方向 / 指標の方向性 / 目指す方向 / ↑↓
    CUMULATIVE = "cumulative"  # 累計 / 単年度
    AS_OF = "as_of"  # 時点 / 基準日
    NOTE = "note"  # 備考 / 注
    RATE = "rate"  # 達成率 / 進捗率: derived, a cross-check, never a figure
    GRADE = "grade"  # 評価 / 判定 (A–D, ◎○△×…): the city's own grade
    FISCAL_YEAR = "fiscal_year"  # a column holding the year itself (long tables, open-data CSVs)
    PHOTO = "photo"  # 写真 / 画像 / 写真ファイル: a file in the project folder
    PHOTO_CAPTION = "photo_caption"  # 写真説明 / キャプション
    PHOTO_ALT = "photo_alt"  # 代替テキスト
    PHOTO_CREDIT = "photo_credit"  # 撮影 / 提供
    IGNORED = "ignored"  # named in the mapping as deliberately not read


@dataclass(frozen=True)
class YearRef:
    """A year named in header or cell text: 令和5年度, R5, H28, 2023, 平成13年実績, 基準値(R1).

    `calendar` is a calendar year (暦年, 2019年) rather than a fiscal year (年度); `provisional`
    marks a column or cell that is not a result yet (見込, 予定, 9月30日現在).
    """

    year: int  # the western year: 2023 for 令和5年度
    calendar: bool = False
    provisional: bool = False
    text: str = ""  # the words it was read from
    as_of: dt.date | None = None  # the day written with it (「令和6年9月30日現在」「R5 (9月30日現在)」), if any


@dataclass(frozen=True)
class CellValue:
    """A value cell as cities write it, read into its parts: 「1,007人」 → 1007 and 人;
    「－」「なし」「集計中」 → no figure; 「82.6 (2019年度)」 → 82.6 with its own year."""

    number: Decimal | None  # None: no figure (a dash, なし, 集計中, an empty cell)
    unit: str = ""  # the unit written in the cell (％ read as %), '' if none
    percent: bool = False
    qualifier: str = ""  # 以上 / 以下 / 未満 / 超 written after a target
    year: YearRef | None = None  # a year written in the cell overrides the header's
    marker: str = ""  # a ※ or 注 mark in the cell (its note becomes the figure's 備考)
    no_figure: str = ""  # the marker that said "no figure" (「－」「集計中」), for explanations
    parts: tuple[tuple[YearRef, Decimal], ...] = ()  # several yearly targets in one cell
    text: str = ""  # the cell's text as shown
    aside: str = ""  # brackets after the figure that are not its year: 「29（4）」 → 「(4)」 (a note, not dropped)
    provisional: bool = False  # the cell says 見込/速報/暫定/予定: not a result yet


@dataclass(frozen=True)
class ColumnLayout:
    """One column of a detected table: its header text (levels joined with ' / '), what it means,
    and the year its header names (if any). `block` numbers repeated blocks of identically named
    columns left to right (0 for the first), for exports whose year is known only by position."""

    column: int
    header: str
    meaning: Meaning | None  # None: koho cannot place it (listed, never dropped silently)
    year: YearRef | None = None
    block: int = 0


@dataclass(frozen=True)
class TableLayout:
    """One table found on a sheet: rows above it (title, date, helper rows), its header rows, its
    body, and the notes under it (※/注 lines kept as text)."""

    sheet: SheetGrid
    title_rows: tuple[int, ...]
    header_rows: tuple[int, ...]
    body_rows: tuple[int, ...]
    note_rows: tuple[int, ...]
    columns: tuple[ColumnLayout, ...]
    heading: str = ""  # the band/heading row that opens this table on a shared sheet (e.g. 【01】 …)
    as_of: str = ""  # a table-wide date stated above it (令和6年6月30日現在)

    def notes(self) -> list[str]:
        return [" ".join(t for t in self.sheet.row_texts(r) if t) for r in self.note_rows]


@dataclass(frozen=True)
class SkippedSheet:
    """A sheet the import does not read, and why (表紙, 集計, 説明文, 非表示, グラフシート)."""

    name: str
    reason: str
