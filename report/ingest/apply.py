"""The mapping applied to the source: koho's three tables (areas, measures, metrics) as
report.load.tables.readers.RawTable of TEXT in the contract's columns, so that every check of
report/load/validate.py runs unchanged, and every cell of them traced to the source cell it came
from (Provenance: a problem about a long-table cell names the original file, sheet and A1 cell).

Hierarchy cells (分野, 施策) are filled down (a blank, 〃 or 同上 cell is the one above; merged cells
are spread by the grid), numbered headings split into number and name. Value cells are read as
cities write them (report.ingest.sheets.values.read_cell): the unit in the cell, a no-figure mark (no row),
a year in the cell overriding the header's, a ※ mark whose note becomes the figure's 備考. Columns of
a forecast or partial year (見込, 予定, 9月30日現在) are not results. Derived columns (達成率, 評価) are
not read as figures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from report.ingest.sheets.headings import split_heading
from report.ingest.mapping import Mapping
from report.ingest.sheets.model import DITTO, CellRef, CellValue, Grid, Meaning, SheetGrid, a1
from report.ingest.placing import PlacedColumn, PlacedTable, first_text, place_tables
from report.ingest.sheets.values import read_cell
from report.ingest.sheets.years import BARE_YEAR
from report.load.values.era import fiscal_year_label as year_label
from report.load.tables.readers import RawTable
from report.load.tables.schema import AREAS, MEASURES, METRICS, TABLES, Table
from report.problems import Problem

if TYPE_CHECKING:
    from report.ingest.ask import Decisions

_SUBTITLE = re.compile(r"^(?P<title>.+?)\s*[～〜~]\s*(?P<subtitle>[^～〜~]+?)\s*[～〜~]?\s*$", re.DOTALL)
_LABEL_MARK = re.compile(r"\s*[(（]?(?:※|＊|\*)\s*\d*[)）]?\s*$")
# Meanings read once per indicator row (not per year), in the metrics table's column names.
ROW_FIELDS = {Meaning.DIRECTION: "direction", Meaning.CUMULATIVE: "cumulative", Meaning.AS_OF: "as_of"}


Loc = tuple  # (sheet, row, column): a source cell, made a CellRef only when a problem names it


def _loc(sheet: SheetGrid, row: int, column: int) -> Loc:
    """A source cell, cheaply (a big export has hundreds of thousands of traced cells)."""
    return (sheet.name, row, column)


def imported_sheet(table: Table) -> str:
    """The sheet name an imported long table carries until its problems are traced to the source."""
    return f"取り込んだ{table.label}の表"


@dataclass
class Provenance:
    """Where each cell of the imported long tables came from: (table, row) → column → CellRef."""

    file: str
    cells: dict[tuple[str, int], dict[str, CellRef | Loc]] = field(default_factory=dict)
    anchors: dict[tuple[str, int], CellRef | Loc] = field(default_factory=dict)  # the row's main cell

    def _ref(self, found: CellRef | Loc | None) -> CellRef | None:
        return found if found is None or isinstance(found, CellRef) else CellRef(self.file, *found)

    def cell(self, table: str, row: int, column: str) -> CellRef | None:
        """The source cell of one long-table cell (None where it has none)."""
        return self._ref(self.cells.get((table, row), {}).get(column))

    def anchor(self, table: str, row: int) -> CellRef | None:
        """The main source cell of a long-table row (a metric's value cell, an area's cell)."""
        return self._ref(self.anchors.get((table, row)))

    def table_of(self, problem: Problem) -> str | None:
        if problem.file != self.file:
            return None
        return next((t.name for t in TABLES if problem.sheet == imported_sheet(t)), None)

    def resolve_all(self, problems: list[Problem]) -> list[Problem]:
        """Every problem named at its source cell; one cell read into several rows is said once."""
        return list(dict.fromkeys(self.resolve(p) for p in problems))

    def resolve(self, problem: Problem) -> Problem:
        """A problem about an imported long table, named at the source cell (file, sheet, A1); the
        long table's row numbers in the message ('3行目にもあります') become source cells too."""
        table = self.table_of(problem)
        if table is None:
            return problem
        def cell_of(match: re.Match[str]) -> str:
            ref = self.anchor(table, int(match[1]))
            return match[0] if ref is None else f"セル{ref.sheet}!{ref.a1}" if ref.sheet else f"セル{ref.a1}"

        message = re.sub(r"(\d+)行目", cell_of, problem.message)
        ref = None
        if problem.row is not None:
            ref = self.cell(table, problem.row, problem.column or "") or self.anchor(table, problem.row)
        if ref is None:
            return replace(problem, sheet=None, row=None, message=message)
        return replace(problem, sheet=ref.sheet, row=ref.row, cell=ref.a1, message=message)


@dataclass
class ImportedTables:
    """What the import read: the three long tables, where each cell came from, the problems found
    while reading, and each table as placed on the source (for `koho import --explain`)."""

    tables: dict[str, RawTable]
    provenance: Provenance
    problems: list[Problem]
    placed: list[PlacedTable]
    dropped: dict[tuple[str | None, int, int], str] = field(default_factory=dict)  # (sheet, row, col) → why
    layout_problems: list[Problem] = field(default_factory=list)  # check_layout's (also in `problems`)


# A measure's photo columns (issue 27): the measures table's columns of the same names.
PHOTO_FIELDS = ((Meaning.PHOTO, "photo"), (Meaning.PHOTO_CAPTION, "photo_caption"), (Meaning.PHOTO_ALT, "photo_alt"),
                (Meaning.PHOTO_CREDIT, "photo_credit"))


class _Long:
    """One long table being written: rows of text by column name, each cell with its source."""

    def __init__(self, table: Table, provenance: Provenance) -> None:
        self.table = table
        self.rows: list[dict[str, str]] = []
        self.filled: set[str] = set()  # columns with text in some row (the others are left out)
        self.provenance = provenance

    def add(self, values: dict[str, tuple[str, CellRef | None]], anchor: CellRef) -> None:
        number = len(self.rows) + 2  # row 1 is the header, as in a CSV file
        row = {name: text for name, (text, _) in values.items()}
        self.rows.append(row)
        self.filled.update(name for name, text in row.items() if text.strip())
        self.provenance.cells[(self.table.name, number)] = {n: ref for n, (_, ref) in values.items() if ref}
        self.provenance.anchors[(self.table.name, number)] = anchor

    def raw(self, file: str) -> RawTable:
        columns = [c for c in self.table.columns if c.required or c.name in self.filled]
        header = [c.label for c in columns]
        frame = pd.DataFrame([[row.get(c.name, "") for c in columns] for row in self.rows],
                             columns=range(len(columns)), dtype=object)
        frame.index = pd.Index(range(2, len(self.rows) + 2), name="row", dtype="int64")
        return RawTable(self.table, file, imported_sheet(self.table), header, frame)


def _number_text(value: CellValue) -> str:
    return format(value.number, "f") + ("%" if value.percent else "")


def _unit(text: str) -> str:
    return text.strip().replace("％", "%")


def _note_for(marker: str, notes: list[str]) -> str:
    """The ※ note a mark refers to (「※1」 → the note line starting 「※1」), else every ※ note."""
    if not marker:
        return ""
    mark = marker.strip("()（） ")
    exact = [n[len(mark):].strip(" :：") for n in notes
             if n.startswith(mark) and not n[len(mark):len(mark) + 1].isdigit()]
    return " ".join(exact)


def read_heading(text: str, read: str) -> tuple[str | None, str]:
    """A 分野/施策 cell read as the mapping says: 番号と名前 (「1-1 子育て支援」 split), 番号 (the
    cell is the number as written: 「010101」), 名前 (the cell is the name, numbered in order)."""
    if read == "番号":
        number = "".join(text.split())
        return (number or None), ""
    if read == "名前":
        return None, " ".join(text.split())
    return split_heading(text)


@dataclass
class _Hierarchy:
    """Areas and measures met so far, numbered as written (or in order, where no number is)."""

    areas: dict[str, str] = field(default_factory=dict)  # area number → title
    area_by_name: dict[str, str] = field(default_factory=dict)
    measures: dict[tuple[str, str], str] = field(default_factory=dict)  # (area, key) → measure id
    measure_count: dict[str, int] = field(default_factory=dict)

    def area(self, text: str, read: str = "番号と名前") -> tuple[str, str, str]:
        """The area's number, title and subtitle (「子育て・教育 ～笑顔あふれるまち～」: the words
        between the wave dashes)."""
        number, name = read_heading(text, read)
        if number is None:
            number = self.area_by_name.get(name) or str(len(self.area_by_name) + 1)
        number = number.lstrip("0") or number
        self.area_by_name.setdefault(name, number)
        match = _SUBTITLE.match(name)
        return (number, match["title"], match["subtitle"]) if match else (number, name, "")

    def measure(self, area: str, text: str, as_written: bool = False, read: str = "番号と名前") -> tuple[str, str, bool]:
        """The measure's id and name, and whether it is new (`as_written`: a heading's number is the
        id itself, 「【01】」 → 01)."""
        number, name = read_heading(text, read)
        as_written = as_written or read == "番号"
        key = (area, number or name)
        if key in self.measures:
            return self.measures[key], name, False
        count = self.measure_count.get(area, 0) + 1
        self.measure_count[area] = count
        if number and ("-" in number or as_written):
            measure_id = number
        else:
            measure_id = f"{int(area):02d}-{number or count}" if area.isdigit() else f"{area}-{number or count}"
        self.measures[key] = measure_id
        return measure_id, name, True


class _Applier:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.provenance = Provenance(grid.file)
        self.areas = _Long(AREAS, self.provenance)
        self.measures = _Long(MEASURES, self.provenance)
        self.metrics = _Long(METRICS, self.provenance)
        self.hierarchy = _Hierarchy()
        self.seen_areas: set[str] = set()
        self.seen_measures: set[str] = set()
        self.problems: list[Problem] = []
        self.dropped: dict[tuple[str | None, int, int], str] = {}
        # ask.decide's fields by (sheet, row, 指標名 column): a row may hold several indicators (slots)
        self.decided: dict[tuple[str | None, int, int], dict[str, tuple[str, CellRef | None]]] = {}
        self.decided_measures: dict[tuple[str | None, int], dict[str, tuple[str, CellRef | None]]] = {}  # 進捗 from 評価
        self.as_of: dict[str, tuple[int | None, str, CellRef]] = {}  # table → the answered table-wide date
        self.departments: dict[str, tuple[str, CellRef]] = {}  # table → the answered title block's 担当課
        self.calendar: dict[str, bool] = {}  # table → its bare western years answered 暦年

    def table(self, placed: PlacedTable) -> None:
        sheet = placed.sheet
        by_meaning: dict[Meaning, list[PlacedColumn]] = {}
        for column in placed.columns:
            if column.rule.meaning is not None:
                by_meaning.setdefault(column.rule.meaning, []).append(column)
        notes = placed.notes()
        previous: dict[int, tuple[str, CellRef]] = {}

        def cell(column: PlacedColumn | None, row: int, fill: bool = False) -> tuple[str, CellRef | None]:
            if column is None:
                return "", None
            text, ref = sheet.text(row, column.column), _loc(sheet, row, column.column)
            if text.strip() in DITTO or (fill and not text.strip()):
                return previous.get(column.column, ("", ref))
            if text.strip():
                previous[column.column] = (text, ref)
            return text, ref

        def first(meaning: Meaning) -> PlacedColumn | None:
            return by_meaning.get(meaning, [None])[0]

        for column in (*by_meaning.get(Meaning.RATE, []), *by_meaning.get(Meaning.GRADE, [])):
            for row in placed.body_rows:
                if sheet.text(row, column.column).strip():
                    self.dropped[(sheet.name, row, column.column)] = "計算された列(照合用、数値としては読みません)"
        for row in placed.body_rows:
            area_text, area_ref = self._area_cell(placed, cell(first(Meaning.AREA), row, fill=True))
            if not area_text.strip():
                continue
            area_column = first(Meaning.AREA)
            area, title, subtitle = self.hierarchy.area(
                area_text, area_column.rule.read if area_column and placed.rule.area_from == "列" else "番号と名前")
            if area not in self.seen_areas:
                self.seen_areas.add(area)
                self.areas.add({"area": (area, area_ref), "title": (title, area_ref),
                                "subtitle": (subtitle, area_ref)}, area_ref)
            measure_text, measure_ref = cell(first(Meaning.MEASURE), row, fill=True)
            by_heading = first(Meaning.MEASURE) is None and placed.band_row is not None and placed.heading_row is not None
            if by_heading:  # a band row names the 分野, the table's heading the 施策 (「【01】子育て支援」)
                measure_text, measure_ref = placed.rule.heading, _loc(sheet, placed.heading_row, 1)
            elif first(Meaning.MEASURE) is None:  # no 施策 column: each vision is a measure, else the area
                measure_text, measure_ref = cell(first(Meaning.VISION), row, fill=True)
                if not measure_text.strip():
                    measure_text, measure_ref = area_text, area_ref
            if not measure_text.strip():
                continue
            measure_column = first(Meaning.MEASURE)
            measure_id, name, _ = self.hierarchy.measure(area, measure_text, as_written=by_heading,
                                                         read=measure_column.rule.read if measure_column else "番号と名前")
            if measure_id not in self.seen_measures:
                self.seen_measures.add(measure_id)
                values = {"id": (measure_id, measure_ref), "area": (area, area_ref), "vision": (name, measure_ref)}
                for meaning, key in ((Meaning.VISION, "vision"), (Meaning.ACTIONS, "actions"),
                                     (Meaning.STATUS, "status"), (Meaning.DEPARTMENT, "department"),
                                     *PHOTO_FIELDS):
                    if first(meaning) is not None:  # an empty cell too: a problem about it is named there
                        values[key] = cell(first(meaning), row)
                if first(Meaning.DEPARTMENT) is None and placed.rule.name in self.departments:
                    values["department"] = self.departments[placed.rule.name]  # 「所管：…」, once answered
                values |= self.decided_measures.get((sheet.name, row), {})  # the grade's word, once answered
                self.measures.add(values, measure_ref)
            self._metrics(placed, row, measure_id, by_meaning, notes, cell)

    def _area_cell(self, placed: PlacedTable, found: tuple[str, CellRef | None]) -> tuple[str, CellRef]:
        rule, sheet = placed.rule, placed.sheet
        if rule.area_from == "シート名" and sheet.name:
            return sheet.name, _loc(sheet, placed.header_rows[0], 1)
        if rule.area_from == "帯の行" and placed.band_row is not None:
            return rule.band, _loc(sheet, placed.band_row, 1)
        if rule.area_from == "見出し行" and placed.heading_row is not None:
            below = first_text(sheet, placed.heading_row + 1)  # 「～子どもの笑顔があふれる町～」 under it
            subtitle = f" {below}" if below[:1] in "～〜~" and below else ""
            return rule.heading + subtitle, _loc(sheet, placed.heading_row, 1)
        text, ref = found
        return text, ref or _loc(sheet, placed.header_rows[0], 1)

    def _metrics(self, placed: PlacedTable, row: int, measure_id: str,
                 by_meaning: dict[Meaning, list[PlacedColumn]], notes: list[str], cell) -> None:  # noqa: ANN001
        """The metric rows of one source row: one indicator per 指標名 column (an evaluation export's
        indicator slots: each 指標名 column with the columns up to the next one, the first slot also
        with those before it, as report.ingest.evidence reads them)."""
        labels = sorted(by_meaning.get(Meaning.LABEL, []), key=lambda c: c.column)
        if len(labels) <= 1:
            key = (placed.sheet.name, row, labels[0].column if labels else 0)
            self._indicator(placed, row, measure_id, by_meaning, notes, cell, self.decided.get(key, {}))
            return
        for index, label_column in enumerate(labels):
            start = label_column.column if index else 0
            end = labels[index + 1].column if index + 1 < len(labels) else placed.sheet.max_column + 1
            slot = {m: [c for c in cs if start <= c.column < end] for m, cs in by_meaning.items()}
            decided = self.decided.get((placed.sheet.name, row, label_column.column), {})
            self._indicator(placed, row, measure_id, slot, notes, cell, decided)

    def _indicator(self, placed: PlacedTable, row: int, measure_id: str, by_meaning: dict[Meaning, list[PlacedColumn]],
                   notes: list[str], cell, decided: dict[str, tuple[str, CellRef | Loc | None]]) -> None:  # noqa: ANN001
        sheet = placed.sheet
        label_column = by_meaning.get(Meaning.LABEL, [None])[0]
        label, label_ref = cell(label_column, row)
        if label_column is None or not label.strip():
            return
        marker = _LABEL_MARK.search(label)
        label_note = _note_for(marker.group().strip(), notes) if marker else ""
        label = _LABEL_MARK.sub("", label).strip() if marker else label.strip()
        unit_column = by_meaning.get(Meaning.UNIT, [None])[0]
        unit, unit_ref = cell(unit_column, row)
        unit = _unit(unit)
        header_row = placed.header_rows[-1]
        common: dict[str, tuple[str, CellRef | None]] = {
            "measure": (measure_id, label_ref), "label": (label, label_ref)}
        for meaning, key in ROW_FIELDS.items():
            column = by_meaning.get(meaning, [None])[0]
            if column is not None:
                common[key] = cell(column, row)
        common |= decided  # 方向・累計 as the file states or the city answered
        baseline = self._baseline(by_meaning, row, sheet, header_row)
        common |= baseline
        value_years = {c.year.year for c in by_meaning.get(Meaning.VALUE, []) if c.year is not None}
        targets, final, closing = self._targets(by_meaning, row, sheet, header_row, value_years)
        produced: dict[int, tuple[object, Loc]] = {}  # year → (figure, cell) read for this indicator
        row_note = self._row_note(by_meaning, sheet, row, cell)
        for column in by_meaning.get(Meaning.VALUE, []):
            ref = _loc(sheet, row, column.column)
            text = sheet.text(row, column.column)
            if column.year is None:
                continue
            if column.year.provisional:
                if text.strip():
                    self.dropped[(sheet.name, row, column.column)] = "見込・予定など実績でない列"
                continue
            try:
                value = read_cell(text)
            except ValueError:
                value = None  # passed on as written: the contract's check names the cell
            if value is not None and (value.number is None or value.provisional):
                if text.strip():
                    self.dropped[(sheet.name, row, column.column)] = (f"数値なし(「{value.no_figure}」)" if value.number is None
                                                                        else "見込・速報などの値")
                continue
            year = value.year.year if value is not None and value.year is not None else column.year.year
            year_ref = ref if value is not None and value.year is not None else _loc(sheet, header_row, column.column)
            if year in produced:  # the same year again (指標1実績 answered 令和5年度 beside the blocks): read once
                if value is not None and produced[year][0] != value.number:
                    self.problems.append(Problem(
                        self.grid.file, f"{year_label(year)}の実績が二つの列にあり、数値が違います(セル{a1(*produced[year][1][1:])}とこのセル)。"
                        "どちらが正しいか確かめてください", sheet=sheet.name, row=row, cell=a1(row, column.column),
                        value=text, severity="warning"))
                continue
            produced[year] = (value.number if value is not None else None, ref)
            row_unit, row_unit_ref = unit, unit_ref
            if value is not None and value.unit and not value.percent:
                if unit and _unit(value.unit) != unit:
                    self.problems.append(Problem(
                        self.grid.file, f"セルの単位「{value.unit}」が単位の列の「{unit}」と違います。どちらかに揃えてください",
                        sheet=sheet.name, row=row, cell=a1(row, column.column), value=text))
                    continue
                row_unit, row_unit_ref = _unit(value.unit), ref
            note_parts = [label_note, _note_for(value.marker, notes) if value else "", value.aside if value else ""]
            note_text, note_ref = row_note
            note_parts.insert(0, note_text.strip())
            note = "。".join(part for part in note_parts if part)
            values = dict(common)
            values |= {"fiscal_year": (str(year), year_ref),
                       "value": (_number_text(value) if value is not None else text, ref),
                       "unit": (row_unit, row_unit_ref or ref), "note": (note, note_ref or ref)}
            values |= (targets.get(year) or final) | closing
            if self.calendar.get(placed.rule.name) and BARE_YEAR.match(unicodedata.normalize("NFKC", column.header)):
                values["year_kind"] = ("暦年", _loc(sheet, header_row, column.column))  # answered 暦年:表
            dated = self.as_of.get(placed.rule.name)
            if dated is not None and not values.get("as_of", ("", None))[0].strip() and dated[0] in (None, year):
                values["as_of"] = (dated[1], dated[2])  # the table-wide date, for the years the city said
            self.metrics.add(values, ref)

    def _row_note(self, by_meaning, sheet, row: int, cell) -> tuple[str, CellRef | Loc | None]:  # noqa: ANN001
        """The row's 備考, unless it explains a year without a figure (「2023年度は未公表」): that note
        belongs to no row that is read, so it is left out (and said in --explain)."""
        from report.ingest.sheets.years import year_in

        note_column = by_meaning.get(Meaning.NOTE, [None])[0]
        text, ref = cell(note_column, row)
        named = year_in(text) if text.strip() else None
        if named is None or not re.match(r"^\s*\S*?年度?は", text):
            return text, ref
        for column in by_meaning.get(Meaning.VALUE, []):
            if column.year is not None and column.year.year == named.year and not column.year.provisional:
                try:
                    value = read_cell(sheet.text(row, column.column))
                except ValueError:
                    return text, ref
                if value.number is None:
                    self.dropped[(sheet.name, row, note_column.column)] = "数値のない年度の説明(読んだ行の備考ではありません)"
                    return "", None
        return text, ref

    def _read_number(self, sheet, row: int, column: PlacedColumn) -> CellValue | str | None:  # noqa: ANN001
        text = sheet.text(row, column.column)
        if not text.strip():
            return None
        try:
            value = read_cell(text)
        except ValueError:
            return text
        return value if value.number is not None or value.parts else None

    def _baseline(self, by_meaning, row: int, sheet, header_row: int) -> dict[str, tuple[str, CellRef | None]]:  # noqa: ANN001
        result: dict[str, tuple[str, CellRef | None]] = {}
        for column in by_meaning.get(Meaning.BASELINE, [])[:1]:
            value = self._read_number(sheet, row, column)
            ref = _loc(sheet, row, column.column)
            if value is None:
                continue
            result["baseline"] = (value if isinstance(value, str) else _number_text(value), ref)
            year = value.year if isinstance(value, CellValue) and value.year else column.year
            if year is not None:
                result["baseline_year"] = (str(year.year), ref if isinstance(value, CellValue) and value.year
                                           else _loc(sheet, header_row, column.column))
        for column in by_meaning.get(Meaning.BASELINE_YEAR, [])[:1]:
            text = sheet.text(row, column.column)
            if text.strip():
                result["baseline_year"] = (text, _loc(sheet, row, column.column))
        return result

    def _targets(self, by_meaning, row: int, sheet, header_row: int,  # noqa: ANN001
                 value_years: set[int]) -> tuple[dict[int, dict[str, tuple[str, CellRef | None]]],
                                                 dict[str, tuple[str, CellRef | None]], dict[str, tuple[str, CellRef | None]]]:
        """The row's targets: each year's own where the table has yearly targets (its year is the
        row's), the one for every row (a target column without a year, the one dated target
        column 目標値(令和5年度), or the target of a year without figures 目標(令和7年度); with its
        target year), and a final target (最終目標) beside yearly targets, for every row."""
        yearly: dict[int, dict[str, tuple[str, CellRef | None]]] = {}
        later: dict[int, dict[str, tuple[str, CellRef | None]]] = {}
        final: dict[str, tuple[str, CellRef | None]] = {}
        closing: dict[str, tuple[str, CellRef | None]] = {}  # a final target beside yearly ones (最終目標値)
        year_column = by_meaning.get(Meaning.TARGET_YEAR, [None])[0]
        stated_year = (sheet.text(row, year_column.column), _loc(sheet, row, year_column.column)) if year_column else None
        dated = [c for c in by_meaning.get(Meaning.TARGET, []) if c.year is not None]
        series = len({c.year.year for c in dated}) > 1  # yearly targets; one dated target is the plan's
        for column in [*by_meaning.get(Meaning.TARGET, []), *by_meaning.get(Meaning.FINAL_TARGET, [])]:
            value = self._read_number(sheet, row, column)
            ref = _loc(sheet, row, column.column)
            if value is None:
                continue
            if isinstance(value, CellValue) and value.parts:
                for year, number in value.parts:
                    yearly.setdefault(year.year, {"target": (format(number, "f"), ref)})
                continue
            text = value if isinstance(value, str) else _number_text(value) + value.qualifier
            year = value.year if isinstance(value, CellValue) and value.year else column.year
            entry: dict[str, tuple[str, CellRef | None]] = {"target": (text, ref)}
            if year is not None:
                entry["target_year"] = (str(year.year), ref if isinstance(value, CellValue) and value.year
                                        else _loc(sheet, header_row, column.column))
            elif stated_year and stated_year[0].strip():
                entry["target_year"] = stated_year
            if column.rule.meaning is Meaning.FINAL_TARGET and series:  # beside yearly targets: the plan's 最終目標
                closing = {"final_target": entry["target"]} | (
                    {"final_target_year": entry["target_year"]} if "target_year" in entry else {})
            elif year is not None and column.rule.meaning is Meaning.TARGET and year.year in value_years and series:
                yearly.setdefault(year.year, {"target": (text, ref)})
            elif year is not None and column.rule.meaning is Meaning.TARGET:
                later.setdefault(year.year, entry)
            elif not final:
                final = entry
        return yearly, final or (later[max(later)] if later else {}), closing

    def result(self, placed: list[PlacedTable], problems: list[Problem]) -> ImportedTables:
        tables = {long.table.name: long.raw(self.grid.file) for long in (self.areas, self.measures, self.metrics)}
        return ImportedTables(tables, self.provenance, [*problems, *self.problems], placed, self.dropped, problems)


def apply(mapping: Mapping, grid: Grid, decisions: Decisions | None = None) -> ImportedTables:
    """koho's three tables from the source through the mapping (see the module's docstring), with
    check_layout's problems and the problems of the cells read. `decisions`: the mapping's findings
    when the caller has them already (ask.settle's), else decided here."""
    from report.ingest.ask import decide

    placed, problems = place_tables(mapping, grid)
    if decisions is None:
        decisions = decide(mapping, grid, placed)
    applier = _Applier(grid)
    applier.decided = decisions.fields
    applier.decided_measures = decisions.measure_fields
    applier.as_of = decisions.as_of
    applier.departments = decisions.departments
    applier.calendar = {t.rule.name: (q := mapping.question(f"暦年:{t.rule.name}")) is not None and q.answer == "暦年"
                        for t in placed}
    for table in placed:
        applier.table(table)
    return applier.result(placed, list(dict.fromkeys([*problems, *decisions.problems])))  # a question once

