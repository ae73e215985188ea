"""The preview's 取り込み元 tab: the city's own source as koho read it, cell by cell (issue 22).

Each sheet of the source named by koho.toml's [import] is shown as a grid with Excel's column
letters and row numbers, every cell with the role the import gave it (the same classification as
`koho import --explain`, report.commands.import_.roles) and the open questions with the cells they
are about. Made again only when koho.toml or the source changed (same bytes, same view).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from report.problems import DataError, Problem

MAX_ROWS = 300  # rows shown per sheet; the rest are counted in a note
MAX_COLUMNS = 60  # columns shown per sheet (A … BH)

# role → (mark, name): the mark is printed in the cell, so that no role is told by colour alone
ROLES: dict[str, tuple[str, str]] = {
    "header": ("見", "見出し"),
    "hierarchy": ("階", "階層(分野・施策)"),
    "data": ("値", "データ"),
    "note": ("注", "注記"),
    "title": ("題", "表の上の行(表題・日付)"),
    "dropped": ("×", "読まない"),
}
QUESTION = ("?", "質問(答えが必要なセル)")
_QUESTION_ID = re.compile(r"^質問「(.+?)」")


@dataclass(frozen=True)
class ShownCell:
    """One cell of the grid as shown: its text, role (None: empty, nothing read), why it was not
    read, whether a question is about it, and its anchor id (for links from the questions)."""

    text: str
    anchor: str
    role: str | None = None
    why: str = ""
    question: bool = False
    merged: bool = False  # inside a merged range, not its top-left cell (its text is shown there)

    @property
    def mark(self) -> str:
        return ROLES[self.role][0] if self.role else ""

    @property
    def title(self) -> str:
        """What the cell was taken as, in words (the cell's tooltip), after its whole text when the
        grid may cut it short."""
        parts = [f"「{self.text}」"] if len(self.text) > 10 else []
        if self.role:
            parts.append(ROLES[self.role][1] + (f": {self.why}" if self.why else ""))
        if self.question:
            parts.append("質問があります")
        if self.merged:
            parts.append("結合されたセル")
        return "、".join(parts)


@dataclass(frozen=True)
class ShownSheet:
    index: int
    name: str  # the sheet's name, or the CSV file's name
    columns: tuple[str, ...]  # the shown columns' letters
    rows: tuple[tuple[int, tuple[ShownCell, ...]], ...]
    skipped: str = ""  # why the sheet is not read at all
    hidden: bool = False
    rows_not_shown: int = 0
    columns_not_shown: int = 0


@dataclass(frozen=True)
class OpenQuestion:
    id: str  # the id to answer in koho.toml's [[import.questions]], '' for a column's meaning
    message: str
    candidates: tuple[str, ...]
    cells: tuple[tuple[str, str | None], ...]  # (「シート!C5」, anchor id or None when not shown)


@dataclass(frozen=True)
class SourceView:
    file: str  # the source, relative to the project folder
    sheets: tuple[ShownSheet, ...]
    questions: tuple[OpenQuestion, ...]
    problems: tuple[Problem, ...] = ()  # why the roles could not be given (a mapping in error)

    def counts(self) -> dict[str, int]:
        """How many cells of each role are shown (for the legend)."""
        found = dict.fromkeys(ROLES, 0)
        for sheet in self.sheets:
            for _, cells in sheet.rows:
                for cell in cells:
                    if cell.role:
                        found[cell.role] += 1
        return found


_cache: tuple[bytes, SourceView] | None = None
_ASK_TO_ANSWER = "。koho.toml の [import] の questions に answer を書いてください"  # said once above the list


def has_source(root: Path) -> bool:
    """Whether the project has an [import] source (the toolbar's tab; reads koho.toml only)."""
    from report.load.project.sources import CONFIG_NAME, import_source

    try:
        return import_source(root, root / CONFIG_NAME) is not None
    except (DataError, OSError):
        return False


def source_view(root: Path) -> SourceView | None:
    """The 取り込み元 view of the project at `root`, or None when it has no [import] (or its
    koho.toml cannot be read: the build's problems say why)."""
    global _cache
    from report.load.project.sources import CONFIG_NAME, import_source

    config = root / CONFIG_NAME
    try:
        source = import_source(root, config)
        if source is None:
            return None
        config_bytes, source_bytes = config.read_bytes(), source.read_bytes()
    except (DataError, OSError):
        return None
    key = hashlib.sha256(b"\0".join((str(source).encode(), config_bytes, source_bytes))).digest()
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    view = _make_view(root, source, config_bytes, source_bytes)
    _cache = (key, view)
    return view


def _make_view(root: Path, source: Path, config_bytes: bytes, source_bytes: bytes) -> SourceView:
    from report.commands.import_ import roles
    from report.ingest.apply import apply
    from report.ingest.sheets.grid import read_grid
    from report.ingest.project import mapping_of

    shown_name = source.relative_to(root).as_posix() if source.is_relative_to(root) else source.name
    try:
        mapping, problems = mapping_of(config_bytes)
    except (UnicodeDecodeError, ValueError) as error:
        return SourceView(shown_name, (), (), (Problem("koho.toml", str(error)),))
    try:
        grid = read_grid(source, source_bytes)
    except DataError as error:
        return SourceView(shown_name, (), (), tuple(error.problems))
    found: dict = {}
    asked: list[Problem] = []
    judged = not any(p.severity == "error" for p in problems)  # else the cells are shown without roles
    if judged:
        imported = apply(mapping, grid)
        found = roles(imported)
        asked = [p for p in imported.problems if p.severity == "question"]
    skipped = {s.name: s.reason for s in mapping.skipped}
    anchors = {sheet.name: index for index, sheet in enumerate(grid.sheets)}
    questions = _questions(asked, mapping, anchors)
    asked_cells = {anchor for q in questions for _, anchor in q.cells if anchor}
    sheets = tuple(_sheet(index, sheet, found, skipped.get(sheet.name or "", ""), asked_cells, grid.file, judged)
                   for index, sheet in enumerate(grid.sheets))
    return SourceView(shown_name, sheets, questions, tuple(p for p in problems if p.severity == "error"))


def cell_anchor(sheet_index: int, row: int, column: int) -> str:
    from report.ingest.sheets.model import a1

    return f"koho-cell-{sheet_index}-{a1(row, column)}"


def _sheet(index: int, sheet, found: dict, skipped: str, asked: set[str], file: str,  # noqa: ANN001 - a SheetGrid
           judged: bool) -> ShownSheet:
    from report.ingest.sheets.model import column_letter

    shown_columns = min(sheet.max_column, MAX_COLUMNS)
    shown_rows = min(sheet.max_row, MAX_ROWS)
    read = any(key[0] == sheet.name for key in found)
    rows = []
    for row in range(1, shown_rows + 1):
        cells = []
        for column in range(1, shown_columns + 1):
            grid_cell = sheet.cells.get((row, column))
            merged = grid_cell is not None and grid_cell.merged_from is not None
            text = "" if grid_cell is None or merged else grid_cell.text
            role, why = found.get((sheet.name, row, column), (None, ""))
            if role is None and text and judged:
                role, why = "dropped", (skipped or "表の外のセル") if not read else "表の外のセル"
            anchor = cell_anchor(index, row, column)
            cells.append(ShownCell(text, anchor, role, why, anchor in asked, merged))
        rows.append((row, tuple(cells)))
    return ShownSheet(index, sheet.name or file, tuple(column_letter(c) for c in range(1, shown_columns + 1)),
                      tuple(rows), skipped if not read else "", sheet.hidden,
                      sheet.max_row - shown_rows, sheet.max_column - shown_columns)


def _parse_cell(text: str, default_sheet: str | None) -> tuple[str | None, int, int] | None:
    """「シート!C5」 or 「C5」 → (sheet, row, column)."""
    sheet, _, ref = text.rpartition("!")
    match = re.fullmatch(r"([A-Z]{1,3})([1-9][0-9]*)", ref.strip().replace("$", ""))
    if match is None:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return (sheet or default_sheet), int(match.group(2)), column


def _questions(asked: list[Problem], mapping, anchors: dict[str | None, int]) -> tuple[OpenQuestion, ...]:  # noqa: ANN001
    """The open questions, each with the cells it is about linked to the grid (the mapping's cells
    where it names them, else the cell the problem names)."""
    found: list[OpenQuestion] = []
    seen: set[str] = set()
    for problem in asked:
        match = _QUESTION_ID.match(problem.message)
        id = match.group(1) if match else ""  # a column koho cannot place: its message says it all
        if (id or problem.message) in seen:
            continue
        seen.add(id or problem.message)
        question = mapping.question(id)
        refs = list(question.cells) if question is not None and question.cells else []
        if not refs and problem.cell:
            refs = [f"{problem.sheet}!{problem.cell}" if problem.sheet else problem.cell]
        cells = []
        for ref in refs:
            parsed = _parse_cell(ref, problem.sheet)
            anchor = None
            if parsed is not None and parsed[0] in anchors and parsed[1] <= MAX_ROWS and parsed[2] <= MAX_COLUMNS:
                anchor = cell_anchor(anchors[parsed[0]], parsed[1], parsed[2])
            cells.append((ref, anchor))
        message = problem.message[match.end():].lstrip(": ") if match else problem.message
        message = message.removesuffix(_ASK_TO_ANSWER)
        candidates = question.candidates if question is not None else ()
        found.append(OpenQuestion(id, message, tuple(candidates), tuple(cells)))
    return tuple(found)
