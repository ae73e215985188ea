"""What the city's file STATES about each indicator, never a guess (issue 22 item 4).

For each indicator row of a placed table: whether a 「累計」 indicator holds running totals (each cell
already the total: 「累計値」) or yearly amounts that add up (koho's 累計: 「年度ごとの数」); which way
is better (増加 / 減少); the years of blocks of year columns known only by position; what each grade
letter means as a status word. Each finding is a `Question`: answered, with the evidence it names
(cells and the words), where the file says it; unanswered, with its candidates, where it does not.

Evidence is only what the file states: a ※ note or legend defining the term, a note on the row, a
DECREASE in the series (running totals never fall), a qualifier (以上/以下/未満/超) or an arrow (↑↓),
a direction column, the city's own 達成率 column reproduced by exactly one reading (derived.py).
Values that never decrease prove nothing: yearly amounts grow too (72 then 104 of 176).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from report.ingest.mapping import Question
from report.ingest.sheets.model import DITTO, CellRef, Meaning, SheetGrid
from report.ingest.placing import PlacedColumn, PlacedTable
from report.ingest.sheets.values import read_cell

RUNNING = "累計値"  # each cell already the total so far: koho's 累計値 (printed as given, never added up)
ADDS_UP = "年度ごとの数"  # yearly amounts that add up toward the target: koho's 累計
CUMULATIVE_CANDIDATES = (RUNNING, ADDS_UP)
UP, DOWN = "増加", "減少"
DIRECTION_CANDIDATES = (UP, DOWN)
STATUS_SYMBOLS = ("◎", "○", "△", "×")

# A ※ note or legend that says a 累計 figure is the running total (「…からの累計値を記載しています」).
_SAYS_RUNNING = re.compile(r"累計[値数]?(?:を|で)(?:記載|表示|示|表|記)|時点(?:まで)?の累計|までの累計[値数]|累計値です")
# A note that says the yearly amounts add up (「目標値は2020～2024年度の累計」「各年度の実績の合計」).
_SAYS_ADDS_UP = re.compile(r"目標値?は.{0,24}の(?:累計|合計)|(?:各年度|年度ごと|毎年度|単年度).{0,12}(?:合計|足し|加算|積み上げ)")
_ARROW_UP = re.compile(r"[↑⇧⬆]")
_ARROW_DOWN = re.compile(r"[↓⇩⬇]")
_ARROWS = re.compile(r"\s*[(（]?\s*[↑↓⇧⇩⬆⬇]\s*[)）]?\s*")
_MARK = re.compile(r"\s*[(（]?(?:※|＊|\*)\s*\d*[)）]?\s*$")
QUALIFIER_DIRECTION = {"以上": UP, "超": UP, "以下": DOWN, "未満": DOWN, "以内": DOWN}


@dataclass(frozen=True)
class Figure:
    """One number of an indicator's row, with the cell it is in (made a CellRef when named)."""

    number: Decimal
    sheet: SheetGrid
    row: int
    column: int
    text: str
    year: int | None = None
    qualifier: str = ""

    @property
    def ref(self) -> CellRef:
        return self.sheet.ref(self.row, self.column)


@dataclass
class Indicator:
    """One indicator row of a placed table, as the file writes it."""

    table: str
    sheet: str | None
    row: int
    label: str
    label_ref: CellRef
    values: list[Figure] = field(default_factory=list)  # yearly results, in year order
    targets: dict[int | None, Figure] = field(default_factory=dict)  # by year (None: no year)
    baseline: Figure | None = None
    rate: Figure | None = None  # the city's 達成率 cell (a percent), when it holds a number
    rate_text: tuple[str, CellRef] | None = None  # the 達成率 cell as written (a dash too)
    rate_year: int | None = None
    grade: tuple[str, CellRef] | None = None  # the city's 評価 cell
    direction: tuple[str, CellRef] | None = None  # a 方向 column's cell
    cumulative: tuple[str, CellRef] | None = None  # a 累計 column's cell
    note: tuple[str, CellRef] | None = None  # the row's 備考
    cumulative_header: str = ""  # a value column's header naming 累計

    @property
    def name(self) -> str:
        """The label without an arrow (the arrow says the direction; it leaves the label)."""
        return _MARK.sub("", _ARROWS.sub("", self.label)).strip() or self.label.strip()

    def target_for(self, year: int) -> Figure | None:
        return self.targets.get(year) or self.final_target()

    def final_target(self) -> Figure | None:
        if None in self.targets:
            return self.targets[None]
        later = sorted(y for y in self.targets if y is not None)
        return self.targets[later[-1]] if later else None

    def value_in(self, year: int) -> Figure | None:
        return next((v for v in self.values if v.year == year), None)


def cell_name(ref: CellRef) -> str:
    """「成果指標!A16」 (a CSV file's cells have no sheet: 「A16」)."""
    return f"{ref.sheet}!{ref.a1}" if ref.sheet else ref.a1


def _number(sheet: SheetGrid, row: int, column: int, year: int | None = None) -> Figure | None:
    text = sheet.text(row, column)
    if not text.strip():
        return None
    try:
        value = read_cell(text)
    except ValueError:
        return None
    if value.number is None or value.provisional:
        return None
    own_year = value.year.year if value.year is not None else year
    return Figure(value.number, sheet, row, column, text, own_year, value.qualifier)


def _first(columns: dict[Meaning, list[PlacedColumn]], meaning: Meaning) -> PlacedColumn | None:
    return columns.get(meaning, [None])[0]


def indicators_of(placed: PlacedTable) -> list[Indicator]:
    """Every indicator of a placed table: one per row and 指標名 column with a label."""
    columns: dict[Meaning, list[PlacedColumn]] = {}
    for column in placed.columns:
        if column.rule.meaning is not None:
            columns.setdefault(column.rule.meaning, []).append(column)
    labels = sorted(columns.get(Meaning.LABEL, []), key=lambda c: c.column)
    if not labels:
        return []
    found: list[Indicator] = []
    for row in placed.body_rows:
        for index, label_column in enumerate(labels):
            end = labels[index + 1].column if index + 1 < len(labels) else None
            slot = {m: [c for c in cs if (index == 0 or c.column > label_column.column) and (end is None or c.column < end)]
                    for m, cs in columns.items()}
            item = _indicator(placed, slot, label_column, row)
            if item is not None:
                found.append(item)
    return found


def _indicator(placed: PlacedTable, columns: dict[Meaning, list[PlacedColumn]], label_column: PlacedColumn,
               row: int) -> Indicator | None:
    """One indicator of a row: its label column, and the value/target columns of its slot (an
    evaluation export has several label columns, each followed by its own columns)."""
    sheet = placed.sheet
    label = sheet.text(row, label_column.column).strip()
    if not label or label in DITTO:
        return None
    item = Indicator(placed.rule.name, sheet.name, row, label, sheet.ref(row, label_column.column))
    for column in columns.get(Meaning.VALUE, []):
        if column.year is not None and not column.year.provisional:
            figure = _number(sheet, row, column.column, column.year.year)
            if figure is not None:
                item.values.append(figure)
        if "累計" in column.header and not item.cumulative_header:
            item.cumulative_header = column.header
    item.values.sort(key=lambda f: f.year or 0)
    for column in [*columns.get(Meaning.TARGET, []), *columns.get(Meaning.FINAL_TARGET, [])]:
        figure = _number(sheet, row, column.column, column.year.year if column.year else None)
        if figure is not None:
            key = figure.year if column.rule.meaning is Meaning.TARGET and column.rule.yearly else None
            item.targets.setdefault(key, figure)
    baseline = _first(columns, Meaning.BASELINE)
    if baseline is not None:
        item.baseline = _number(sheet, row, baseline.column)
    rate = _first(columns, Meaning.RATE)
    if rate is not None:
        text = sheet.text(row, rate.column)
        item.rate_text = (text, sheet.ref(row, rate.column)) if text.strip() else None
        figure = _number(sheet, row, rate.column)
        item.rate = figure
        item.rate_year = rate.year.year if rate.year is not None else None
    for meaning, name in ((Meaning.GRADE, "grade"), (Meaning.DIRECTION, "direction"),
                          (Meaning.CUMULATIVE, "cumulative"), (Meaning.NOTE, "note")):
        column = _first(columns, meaning)
        if column is not None and sheet.text(row, column.column).strip():
            setattr(item, name, (sheet.text(row, column.column).strip(), sheet.ref(row, column.column)))
    return item


def note_lines(placed: PlacedTable) -> list[tuple[str, CellRef]]:
    """The ※/注 note lines under a table, each with the cell it starts in."""
    lines = []
    for row in placed.note_rows:
        for column in range(1, placed.sheet.max_column + 1):
            text = placed.sheet.text(row, column).strip()
            if text:
                lines.append((" ".join(t for t in placed.sheet.row_texts(row) if t).strip(), placed.sheet.ref(row, column)))
                break
    return lines


def _quote(text: str, ref: CellRef) -> str:
    return f"{cell_name(ref)}「{text}」"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------------------------
# 累計


def is_cumulative_indicator(item: Indicator) -> bool:
    """Whether the file calls the indicator a 累計 (its label, a 累計 column, a value header)."""
    if item.cumulative is not None and "累計" in item.cumulative[0]:
        return True
    return "累計" in item.label or bool(item.cumulative_header)


def cumulative_id(item: Indicator) -> str:
    return f"累計:{item.name}"


def decrease_in(item: Indicator) -> tuple[Figure, Figure] | None:
    """The first fall in the series (an earlier and a later figure), if any."""
    for earlier, later in zip(item.values, item.values[1:]):
        if later.number < earlier.number:
            return earlier, later
    return None


def cumulative_finding(item: Indicator, notes: list[tuple[str, CellRef]]) -> Question:
    """Running totals or yearly amounts, from what the file states; else a question."""
    qid = cumulative_id(item)
    cells = (cell_name(item.label_ref),)
    if item.note is not None:
        if _SAYS_ADDS_UP.search(_norm(item.note[0])):
            return _answer(qid, cells, ADDS_UP, f"行の備考 {_quote(*item.note)}: 各年度の数を足し上げた値が目標です")
        if _SAYS_RUNNING.search(_norm(item.note[0])):
            return _answer(qid, cells, RUNNING, f"行の備考 {_quote(*item.note)}")
    for text, ref in notes:
        if "累計" in text and _SAYS_RUNNING.search(_norm(text)):
            return _answer(qid, cells, RUNNING, f"注記 {_quote(text, ref)}")
        if "累計" in text and _SAYS_ADDS_UP.search(_norm(text)):
            return _answer(qid, cells, ADDS_UP, f"注記 {_quote(text, ref)}")
    fall = decrease_in(item)
    if fall is not None:
        earlier, later = fall
        return _answer(qid, cells, ADDS_UP, f"{cell_name(later.ref)}「{later.text}」が{cell_name(earlier.ref)}"
                       f"「{earlier.text}」より小さく、累計値なら減ることはありません")
    series = "、".join(f.text for f in item.values) or "なし"
    return Question(qid, (*cells, *(cell_name(f.ref) for f in item.values[:1])),
                    f"「{item.name}」の各年度の値({series})は、その年度までの累計値(各セルがすでに合計)ですか、"
                    "それとも年度ごとの数(足し上げると累計)ですか。表からは決められません"
                    "(値が減っていないことは、どちらの証拠にもなりません)",
                    CUMULATIVE_CANDIDATES)


def _answer(qid: str, cells: tuple[str, ...], answer: str, evidence: str,
            candidates: tuple[str, ...] = CUMULATIVE_CANDIDATES) -> Question:
    return Question(qid, cells, "", candidates, answer, evidence)


# ---------------------------------------------------------------------------------------------
# 方向


def direction_id(item: Indicator) -> str:
    return f"方向:{item.name}"


def direction_finding(item: Indicator) -> Question:
    """Which way is better, from a 方向 column, an arrow or a qualifier; else a question."""
    from report.load.indicators import read_direction

    qid = direction_id(item)
    cells = (cell_name(item.label_ref),)
    if item.direction is not None:
        try:
            way = read_direction(item.direction[0])
        except ValueError:
            way = None
        if way is not None:
            return _answer(qid, cells, UP if way == "up" else DOWN, f"方向の列 {_quote(*item.direction)}",
                           DIRECTION_CANDIDATES)
    up, down = _ARROW_UP.search(item.label), _ARROW_DOWN.search(item.label)
    if bool(up) != bool(down):
        return _answer(qid, cells, UP if up else DOWN, f"指標名の矢印 {_quote(item.label, item.label_ref)}",
                       DIRECTION_CANDIDATES)
    qualified = [t for t in item.targets.values() if t.qualifier in QUALIFIER_DIRECTION]
    ways = {QUALIFIER_DIRECTION[t.qualifier] for t in qualified}
    if len(ways) == 1:
        target = qualified[0]
        return _answer(qid, cells, ways.pop(), f"目標値の「{target.qualifier}」 {_quote(target.text, target.ref)}",
                       DIRECTION_CANDIDATES)
    series = "、".join(f.text for f in item.values) or "なし"
    target = item.final_target()
    aim = f"、目標 {target.text}" if target else ""
    return Question(qid, cells, f"「{item.name}」は、数値が大きいほど良い指標(増加)ですか、小さいほど良い指標(減少)ですか。"
                    f"方向の列・矢印・「以上」「以下」のどれも書かれていません(実績 {series}{aim})",
                    DIRECTION_CANDIDATES)


# ---------------------------------------------------------------------------------------------
# Years known only by position


def block_year_findings(placed: PlacedTable) -> list[Question]:
    """Value/target columns repeated with the same header and no year in it: their years are known
    only by position, so they are asked (one question per table and header)."""
    found: list[Question] = []
    by_header: dict[tuple[str, Meaning], list[PlacedColumn]] = {}
    for column in placed.columns:
        if column.rule.meaning in (Meaning.VALUE, Meaning.TARGET) and column.year is None:
            by_header.setdefault((column.header, column.rule.meaning), []).append(column)
    header_row = placed.header_rows[-1]
    for (header, _), columns in by_header.items():
        if len(columns) < 2:
            continue
        cells = tuple(cell_name(placed.sheet.ref(header_row, c.column)) for c in columns)
        found.append(Question(f"年度:{placed.rule.name}:{header}", cells,
                              f"見出し「{header}」の列が{len(columns)}つあり、どれにも年度が書かれていません"
                              f"({cells[0]}〜{cells[-1]})。左から順に何年度ですか(例: 令和2年度〜令和7年度)"))
    for column in placed.columns:
        year = column.year
        if year is not None and re.fullmatch(r"\s*(?:19|20)\d{2}\s*", _norm(year.text or "")) and \
                re.fullmatch(r"\s*(?:19|20)\d{2}\s*", _norm(column.header)):
            qid = f"暦年:{placed.rule.name}"
            if not any(q.id == qid for q in found):
                found.append(Question(qid, (cell_name(placed.sheet.ref(header_row, column.column)),),
                                      f"見出しが「{column.header}」のように西暦だけの列は、年度ですか、暦年(1〜12月)ですか",
                                      ("年度", "暦年")))
    return found


# ---------------------------------------------------------------------------------------------
# Grade letters


_LEGEND_ITEM = re.compile(r"([A-ZＡ-Ｚa-zＳ◎○△×]{1,2})\s*[：:＝=]\s*([^\s(（：:]+)\s*(?:[(（]([^)）]*)[)）])?")


def legend_of(notes: list[tuple[str, CellRef]]) -> tuple[dict[str, str], tuple[str, CellRef] | None]:
    """The grade letters' words from a ※ legend (「A：達成(100%以上) B：概ね達成(80%以上)…」), and the
    note it was read from."""
    for text, ref in notes:
        if "評価" not in text and not re.search(r"[A-D]\s*[：:]", text):
            continue
        words = {unicodedata.normalize("NFKC", m[1]).upper(): m[2] for m in _LEGEND_ITEM.finditer(text)
                 if unicodedata.normalize("NFKC", m[1]).isalpha() and len(m[1]) == 1}
        if len(words) >= 2:
            return words, (text, ref)
    return {}, None


def grade_findings(indicators: list[Indicator], notes: list[tuple[str, CellRef]]) -> list[Question]:
    """One question per grade letter used: the status word (and symbol) it prints as. The
    legend's word is offered; what the city prints as 進捗 is its answer, never assumed."""
    letters: dict[str, CellRef] = {}
    for item in indicators:
        if item.grade is not None:
            letter = unicodedata.normalize("NFKC", item.grade[0]).strip().upper()
            if len(letter) == 1 and letter.isalpha():
                letters.setdefault(letter, item.grade[1])
    words, legend = legend_of(notes)
    found = []
    for letter in sorted(letters):
        word = words.get(letter, "")
        where = f"凡例 {_quote(*legend)} では「{word}」" if legend and word else "凡例はありません"
        candidates = tuple(f"{word} {symbol}" for symbol in STATUS_SYMBOLS) if word else ()
        found.append(Question(f"評価:{letter}", (cell_name(letters[letter]),),
                              f"評価「{letter}」を進捗としてどの言葉と記号で示しますか({where})", candidates))
    return found


# ---------------------------------------------------------------------------------------------
# A table-wide date (「令和6年3月31日現在」 above the header)

ALL_YEARS = "すべての年度"


def as_of_row(placed: PlacedTable) -> tuple[str, CellRef] | None:
    """The table-wide date written above the header (「令和6年3月31日現在」) without its 現在/時点,
    with its cell; None where no row above the header states one."""
    from report.ingest.sheets.detect import AS_OF_RE

    sheet = placed.sheet
    first = placed.header_rows[0]
    top = placed.heading_row if placed.heading_row is not None else 1
    for row in range(top if top < first else 1, first):
        for column in range(1, sheet.max_column + 1):
            match = AS_OF_RE.search(sheet.text(row, column))
            if match:
                day = re.sub(r"\s*(?:現在|時点)$", "", match.group(0))
                return day, sheet.ref(row, column)
    return None


def as_of_finding(placed: PlacedTable, years: list[int]) -> Question | None:
    """Whether a table-wide date applies to every year's figure or to the latest year only: the
    file does not say (earlier years are usually final), so it is asked."""
    from report.load.values.era import fiscal_year_label

    found = as_of_row(placed)
    if found is None or not years:
        return None
    day, ref = found
    latest = fiscal_year_label(max(years))
    return Question(f"時点:{placed.rule.name}", (cell_name(ref),),
                    f"表の上の{_quote(day, ref)}の日付は、どの年度の数値の時点ですか(最新の年度だけなら「{latest}」)",
                    (latest, ALL_YEARS))


# ---------------------------------------------------------------------------------------------
# A department named above the tables (「所管：企画政策課」 in a title block)

_DEPARTMENT = re.compile(r"^\s*(?:所管|担当|所管課|担当課|所管部署|担当部署|所管部局)\s*[:：]\s*(?P<name>\S+)\s*$")


def department_finding(placed: PlacedTable) -> tuple[Question, CellRef] | None:
    """A table without a 担当課 column under a title block naming one (「所管：企画政策課」): is it the
    department of every measure? Asked (the block may name the plan's editor, not each measure's)."""
    if any(c.rule.meaning is Meaning.DEPARTMENT for c in placed.columns):
        return None
    sheet = placed.sheet
    top = min(r for r in (placed.header_rows[0], placed.heading_row, placed.band_row) if r is not None)
    for row in range(1, top):
        for column in range(1, sheet.max_column + 1):
            match = _DEPARTMENT.match(_norm(sheet.text(row, column)))
            if match:
                ref = sheet.ref(row, column)
                return Question(f"担当課:{sheet.name or placed.rule.name}", (cell_name(ref),),
                                f"{_quote(sheet.text(row, column).strip(), ref)}は、この表のすべての施策の担当課ですか"
                                "(ちがうときは空欄のまま。施策ごとの担当課は載りません)", (match["name"],)), ref
    return None
