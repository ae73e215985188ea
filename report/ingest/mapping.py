"""The `[import]` mapping of koho.toml: how a city's own spreadsheet becomes koho's three tables.

Declarative and meant to be read by the city's staff: the source file (a path in the project), and
for each table the sheets (by name, or a pattern for a sheet per 分野), the header (found by its
text; the row it was in is only a hint), each column by its header text with its meaning in
Japanese (「実績値」「指標名」…), columns whose year is in the header taken by a rule (next year's
column is read without editing), how 分野/施策 cells are read (number and name), the note marks, what
is deliberately not read, and the questions the file could not answer (with their answers and the
evidence, once given). Detection drafts it (`draft_mapping`); from then on it is the truth:
`write_mapping` keeps the rest of koho.toml and its comments (tomlkit), `read_mapping` checks it key
by key, and `check_layout` (placing.py) compares it with the source on every build.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from report.ingest.sheets.headers import header_key, without_year
from report.ingest.sheets.lexicon import not_read
from report.ingest.sheets.model import ColumnLayout, Grid, Meaning, SkippedSheet, TableLayout
from report.problems import Problem

CONFIG_FILE = "koho.toml"

# Meaning → the word the mapping uses for it (what staff read and write in koho.toml).
MEANING_LABELS: dict[Meaning, str] = {
    Meaning.AREA: "分野", Meaning.MEASURE: "施策", Meaning.VISION: "ビジョン内容", Meaning.ACTIONS: "取組内容",
    Meaning.STATUS: "進捗", Meaning.DEPARTMENT: "担当課", Meaning.LABEL: "指標名", Meaning.UNIT: "単位",
    Meaning.VALUE: "実績値", Meaning.TARGET: "目標値", Meaning.FINAL_TARGET: "最終目標",
    Meaning.BASELINE: "基準値", Meaning.BASELINE_YEAR: "基準年度", Meaning.TARGET_YEAR: "目標年度",
    Meaning.DIRECTION: "方向", Meaning.CUMULATIVE: "累計", Meaning.AS_OF: "時点", Meaning.NOTE: "備考",
    Meaning.RATE: "達成率", Meaning.GRADE: "評価", Meaning.FISCAL_YEAR: "年度", Meaning.IGNORED: "読まない",
    Meaning.PHOTO: "写真", Meaning.PHOTO_CAPTION: "写真説明", Meaning.PHOTO_ALT: "代替テキスト",
    Meaning.PHOTO_CREDIT: "撮影・提供",
}
MEANINGS_BY_WORD: dict[str, Meaning] = {word: m for m, word in MEANING_LABELS.items()} | {m.value: m for m in Meaning}
UNPLACED = "?"  # a column whose meaning is not known yet: a question until it is written
HIERARCHY = (Meaning.AREA, Meaning.MEASURE)
HIERARCHY_READS = ("番号と名前", "番号", "名前")  # how a 分野/施策 cell is read
YEAR_FROM_HEADER = "見出し"  # `year = "見出し"`: one column per year, the year written in its header
AREA_SOURCES = ("列", "シート名", "見出し行", "帯の行")  # where a table's 分野 comes from


@dataclass(frozen=True)
class ColumnRule:
    """One column of the city's table: its header text (levels joined with ' / '; for a yearly
    column the header without its year) and what it holds."""

    header: str
    meaning: Meaning | None  # None: not known yet (a question)
    yearly: bool = False  # every column whose header is `header` plus a year: one per year
    read: str = ""  # 分野/施策 columns: 番号と名前 / 番号 / 名前


@dataclass(frozen=True)
class TableRule:
    """One table of the source: where it is and how its columns are read."""

    name: str
    sheets: tuple[str, ...] = ()  # by name; empty for a CSV file
    sheet_pattern: str = ""  # e.g. 「分野*」: every sheet whose name matches (a sheet per 分野)
    header_rows: int = 1  # how many rows the header has
    header_row: int = 1  # the row it started in when the mapping was written (a hint: found by text)
    heading: str = ""  # the heading row that opens this table on a shared sheet (「【01】…」)
    band: str = ""  # a band row above the heading naming the 分野 (「基本目標1 …」): the heading is then the 施策
    area_from: str = "列"  # 列 (an area column) / シート名 / 見出し行 / 帯の行
    columns: tuple[ColumnRule, ...] = ()
    years: tuple[int, ...] = ()  # the years read when the mapping was written (a new one is said)
    note_marks: tuple[str, ...] = ("※", "注")


@dataclass(frozen=True)
class Question:
    """What the file does not say, asked rather than guessed: the cells it is about ("シート!C5"),
    the question in Japanese, the candidate answers, and the answer with its evidence once given."""

    id: str
    cells: tuple[str, ...]
    question: str
    candidates: tuple[str, ...] = ()
    answer: str = ""
    evidence: str = ""


def question_problem(question: Question, file: str) -> Problem:
    """An open question as a problem of severity `question`, naming its first source cell (the same
    problem whether the build's layout check or the import's decisions find it: said once)."""
    sheet, cell = None, None
    if question.cells:
        sheet, _, cell = question.cells[0].rpartition("!")
    return Problem(file, f"質問「{question.id}」: {question.question}(候補: {'、'.join(question.candidates) or 'なし'})。"
                   "koho.toml の [import] の questions に answer を書いてください",
                   sheet=sheet or None, cell=cell or None, severity="question")


@dataclass(frozen=True)
class Mapping:
    """The whole `[import]` table."""

    source: str  # the source file, relative to the project folder (「data/進捗管理表.xlsx」)
    tables: tuple[TableRule, ...]
    skipped: tuple[SkippedSheet, ...] = ()
    questions: tuple[Question, ...] = ()
    attach_source: bool = False  # attach the city's workbook itself to the archive PDF
    grades_as_given: bool = False  # print the city's own grade (its word as 進捗); koho computes none

    def question(self, id: str) -> Question | None:
        return next((q for q in self.questions if q.id == id), None)


# ---------------------------------------------------------------------------------------------
# Drafting from detection


def _hierarchy_read(layout: TableLayout, column: int) -> str:
    """How a 分野/施策 column's cells are read, from its first non-empty body cell."""
    from report.ingest.sheets.headings import split_heading

    for row in layout.body_rows:
        text = layout.sheet.text(row, column)
        if text.strip():
            number, name = split_heading(text)
            return "番号と名前" if number and name else "番号" if number else "名前"
    return "番号と名前"


_NUMBER_HEADER = re.compile(r"^\s*(?:番号|No\.?|NO\.?|№)\s*$")
_MEASURE_NUMBER = re.compile(r"^\s*\d{1,3}(?:\s*[-－‐]\s*\d{1,3})+\s*$")


def _numbers_measures(layout: TableLayout, column: ColumnLayout) -> bool:
    """A bare 「番号」 column of a table without a 施策 column whose every filled cell is a numbered
    id like 「1-1」: the measure's id as written (「No.」 holding 1, 2, 3 numbers indicators: not read)."""
    if column.meaning is not None or not _NUMBER_HEADER.match(column.header):
        return False
    if any(c.meaning is Meaning.MEASURE for c in layout.columns):
        return False
    texts = [layout.sheet.text(r, column.column).strip() for r in layout.body_rows]
    filled = [t for t in texts if t and t not in ("〃", "同上")]
    return bool(filled) and all(_MEASURE_NUMBER.match(t) for t in filled)


def _column_rules(layout: TableLayout) -> tuple[ColumnRule, ...]:
    """One rule per column, yearly columns of one kind as one rule; a column detection could not
    place is kept with meaning 「?」 (a question on every build until it is written)."""
    rules: list[ColumnRule] = []
    seen: set[tuple[str, Meaning | None, bool]] = set()
    for column in layout.columns:
        if _numbers_measures(layout, column):
            seen.add((header_key(column.header), Meaning.MEASURE, False))
            rules.append(ColumnRule(column.header, Meaning.MEASURE, False, "番号"))
            continue
        if column.meaning is None and not_read(column.header):
            column = replace(column, meaning=Meaning.IGNORED)  # an identifier, a link, money: listed, not read
        yearly = column.year is not None and column.meaning is not Meaning.IGNORED
        header = without_year(column.header, column.year) if yearly else column.header
        if yearly and column.meaning is None and header.strip():
            yearly, header = False, column.header  # 「2020年度 事業費」: asked as it is written
        key = (header_key(header), column.meaning, yearly)
        if key in seen or not (header.strip() or yearly):
            continue
        seen.add(key)
        read = _hierarchy_read(layout, column.column) if column.meaning in HIERARCHY else ""
        rules.append(ColumnRule(header, column.meaning, yearly, read))
    return tuple(rules)


def _common_prefix(names: list[str]) -> str:
    prefix = names[0]
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return prefix.rstrip("0123456789０-９ ")


def draft_mapping(grid: Grid, layouts: list[TableLayout], skipped: list[SkippedSheet],
                  source: str = "") -> Mapping:
    """The mapping detection suggests: one table rule per layout (layouts alike on several sheets,
    a sheet per 分野, become one rule with a sheet pattern). `source`: the path written in the mapping."""
    rules: list[TableRule] = []
    for layout in layouts:
        columns = _column_rules(layout)
        years = tuple(sorted({c.year.year for c in layout.columns if c.year is not None}))
        sheet = layout.sheet.name
        same = next((i for i, r in enumerate(rules) if r.columns == columns and not layout.heading
                     and r.header_rows == len(layout.header_rows) and sheet and sheet not in r.sheets), None)
        if same is not None:
            old = rules[same]
            names = [*old.sheets, sheet]
            prefix = _common_prefix(names)
            rules[same] = TableRule(old.name, tuple(names), f"{prefix}*" if prefix else "", old.header_rows,
                                    old.header_row, "", "シート名" if not _has(columns, Meaning.AREA) else "列",
                                    columns, tuple(sorted({*old.years, *years})), old.note_marks)
            continue
        band = _band(layout) if layout.heading and not _has(columns, Meaning.AREA) else ""
        if layout.heading and not band and rules and rules[-1].band and rules[-1].sheets == ((sheet,) if sheet else ()):
            band = rules[-1].band  # the next table under the same band row
        area_from = ("列" if _has(columns, Meaning.AREA) else "帯の行" if band
                     else "見出し行" if layout.heading else "シート名")
        rules.append(TableRule(
            name=layout.heading or sheet or Path(grid.file).stem, sheets=(sheet,) if sheet else (),
            header_rows=len(layout.header_rows), header_row=layout.header_rows[0] if layout.header_rows else 1,
            heading=layout.heading, band=band, area_from=area_from, columns=columns, years=years))
    return Mapping(source or grid.file, tuple(rules), tuple(skipped))


def _band(layout: TableLayout) -> str:
    """The numbered band row above a table's heading (「基本目標1 子どもが健やかに育つまち」 over
    「【01】子育て支援」), or ''."""
    from report.ingest.sheets.headings import split_heading

    sheet, wanted = layout.sheet, header_key(layout.heading)
    for row in sorted(layout.title_rows, reverse=True):
        texts = {t.strip() for t in sheet.row_texts(row) if t.strip()}
        if len(texts) != 1:  # a band row holds one text (merged across, or in one cell)
            continue
        text = texts.pop()
        if header_key(text) != wanted and split_heading(text)[0] is not None:
            return text
    return ""


def _has(columns: tuple[ColumnRule, ...], meaning: Meaning) -> bool:
    return any(c.meaning is meaning for c in columns)


# ---------------------------------------------------------------------------------------------
# Writing into koho.toml (tomlkit: the rest of the file and its comments are kept)

HEADER_COMMENTS = (
    "取り込みの設定: 市の進捗管理表(Excel・CSV)を、そのまま koho の3つの表(分野・施策・実績)として読みます。",
    "koho import が下書きしました。内容を確かめ、違うところは書き直してください(この設定が正となります)。",
    "koho build のたびに元の表と照らし合わせ、シート名や見出しが変わっていればセルを示して知らせます。",
)


def _column_item(rule: ColumnRule) -> Any:
    import tomlkit

    item = tomlkit.inline_table()
    item["header"] = rule.header
    item["meaning"] = MEANING_LABELS[rule.meaning] if rule.meaning else UNPLACED
    if rule.yearly:
        item["year"] = YEAR_FROM_HEADER
    if rule.read:
        item["read"] = rule.read
    return item


def _column_comment(rule: ColumnRule) -> str:
    if rule.meaning is None:
        return "意味がわかりません: meaning を書いてください(質問を参照)"
    if rule.yearly:
        return "見出しに年度がある列をすべて、その年度の値として読みます"
    if rule.meaning in (Meaning.RATE, Meaning.GRADE):
        return "計算された列: 数値としては読みません(照合用)"
    if rule.meaning is Meaning.IGNORED:
        return "読まない列"
    if rule.meaning in HIERARCHY:
        return "空欄・〃・結合セルは上の値を引き継ぎます"
    return ""


def _table_item(rule: TableRule) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.add(tomlkit.comment("表の名前(説明用)"))
    table.add("name", rule.name)
    if rule.sheets or not rule.sheet_pattern:
        table.add(tomlkit.comment("読むシートの名前。シート名を変えたときはここも直してください"))
        table.add("sheets", tomlkit.array(list(rule.sheets)) if rule.sheets else tomlkit.array())
    if rule.sheet_pattern:
        table.add(tomlkit.comment("分野ごとのシート: この形の名前のシートをすべて読みます(* は任意の文字)"))
        table.add("sheet_pattern", rule.sheet_pattern)
    if rule.heading:
        table.add(tomlkit.comment("同じシートにある複数の表のうち、この見出し行で始まる表を読みます"))
        table.add("heading", rule.heading)
    if rule.band:
        table.add(tomlkit.comment("見出し行の上の帯の行: ここから分野を読み、見出し行を施策として読みます"))
        table.add("band", rule.band)
    table.add(tomlkit.comment("見出しの行数と、見出しがあった行(目安: 見出しは下の header の文字で探します)"))
    table.add("header_rows", rule.header_rows)
    table.add("header_row", rule.header_row)
    table.add(tomlkit.comment("分野をどこから読むか: 列 / シート名 / 見出し行 / 帯の行"))
    table.add("area_from", rule.area_from)
    table.add(tomlkit.comment("この行頭の記号で始まる表の下の行は注記(※1 のある値の備考になります)"))
    table.add("note_marks", tomlkit.array(list(rule.note_marks)))
    if rule.years:
        from report.load.values.era import fiscal_year_label

        table.add(tomlkit.comment("下書きのときにあった年度。新しい年度の列は書き直さなくても読み、その旨を知らせます"))
        table.add("years", tomlkit.array([fiscal_year_label(y) for y in rule.years]))
    table.add(tomlkit.comment("列: header は見出しの文字(複数行の見出しは「 / 」でつなぐ)、meaning はその意味"))
    table.add(tomlkit.comment("  meaning: " + "・".join(MEANING_LABELS.values())))
    table.add(tomlkit.comment("  year = \"見出し\": 年度ごとの列(見出しから年度を除いた文字で探します)"))
    table.add(tomlkit.comment("  read: 分野・施策の読み方(番号と名前 / 番号 / 名前)"))
    columns = tomlkit.array()
    for rule_column in rule.columns:
        columns.add_line(_column_item(rule_column), comment=_column_comment(rule_column) or None)
    columns.add_line(indent="")
    table.add("columns", columns)
    return table


def _question_item(question: Question) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.add("id", question.id)
    table.add("cells", tomlkit.array(list(question.cells)))
    table.add("question", question.question)
    table.add("candidates", tomlkit.array(list(question.candidates)))
    table.add(tomlkit.comment("答え(candidates のどれか)と、その根拠(表のどこに書いてあるか)"))
    table.add("answer", question.answer)
    table.add("evidence", question.evidence)
    return table


def mapping_table(mapping: Mapping) -> Any:
    """The `[import]` table as a tomlkit table, with a Japanese comment on each key."""
    import tomlkit

    table = tomlkit.table()
    for line in HEADER_COMMENTS:
        table.add(tomlkit.comment(line))
    table.add(tomlkit.comment("元の表(プロジェクトのフォルダからの相対パス)。毎年このファイルを更新して koho build します"))
    table.add("source", mapping.source)
    table.add(tomlkit.comment("true にすると保存版PDFに元の表そのものを添付します(既定: 取り込んだ3つの表と設定だけ)"))
    table.add("attach_source", mapping.attach_source)
    if mapping.grades_as_given:
        table.add(tomlkit.comment("true: 元の表の評価(A〜Dなど)をそのまま印刷します(その言葉が進捗)。koho は評価を計算しません"))
        table.add("grades_as_given", True)
    tables = tomlkit.aot()
    for rule in mapping.tables:
        tables.append(_table_item(rule))
    table.add("tables", tables)
    if mapping.skipped:
        skipped = tomlkit.aot()
        for sheet in mapping.skipped:
            item = tomlkit.table()
            item.add("sheet", sheet.name)
            item.add("reason", sheet.reason)
            skipped.append(item)
        table.add(tomlkit.comment("読まないシートとその理由"))
        table.add("skipped", skipped)
    if mapping.questions:
        questions = tomlkit.aot()
        for question in mapping.questions:
            questions.append(_question_item(question))
        table.add(tomlkit.comment("表からは決められないこと: answer を書くまで、koho は何も推測せずに注意を出します"))
        table.add("questions", questions)
    return table


def write_mapping(mapping: Mapping, koho_toml_path: Path) -> None:
    """Write the mapping as the `[import]` table of koho.toml: created if the file is missing,
    otherwise only `[import]` is replaced and everything else (comments included) kept."""
    import tomlkit

    from report.output import write_atomic

    path = Path(koho_toml_path)
    document = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    if "import" in document:
        del document["import"]
    imported = tomlkit.document()
    imported.add("import", mapping_table(mapping))
    rest = tomlkit.dumps(document).rstrip()
    data = ((rest + "\n\n" if rest else "") + tomlkit.dumps(imported)).encode("utf-8")
    write_atomic(path, lambda stream: stream.write(data))


# ---------------------------------------------------------------------------------------------
# Reading and checking key by key

TOP_KEYS = ("source", "attach_source", "grades_as_given", "tables", "skipped", "questions")
TABLE_KEYS = ("name", "sheets", "sheet_pattern", "header_rows", "header_row", "heading", "band", "area_from",
              "note_marks", "years", "columns")
COLUMN_KEYS = ("header", "meaning", "year", "read")
QUESTION_KEYS = ("id", "cells", "question", "candidates", "answer", "evidence")


class _Reader:
    """Checks one `[import]` table, collecting problems that name koho.toml's line and key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []

    def line(self, key: str, value: Any = None) -> int | None:
        """The line of `key = …` (holding `value`, when given), else of `key`."""
        lines = self.text.splitlines()
        pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*=")
        shown = f'"{value}"' if isinstance(value, str) else None
        for wanted in ((shown,) if shown else ()) + (None,):
            for number, line in enumerate(lines, start=1):
                if pattern.search(line) and (wanted is None or wanted in line):
                    return number
        return None

    def problem(self, key: str, message: str, value: Any = None, severity: str = "error") -> None:
        name = key.rsplit(".", 1)[-1].split("[")[0]
        self.problems.append(Problem(CONFIG_FILE, message, row=self.line(name, value), column=key,
                                     value=None if value is None else str(value), severity=severity))

    def unknown(self, table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in known:
                near = difflib.get_close_matches(key, known, n=1)
                hint = f"「{near[0]}」の誤りではありませんか" if near else f"使える項目: {', '.join(known)}"
                self.problem(f"{where}.{key}", f"不明な設定項目です。{hint}", severity="warning")

    def text_value(self, table: dict[str, Any], key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.problem(f"{where}.{key}", "文字列で書いてください", value)
            return default
        return value.strip()

    def texts(self, table: dict[str, Any], key: str, where: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{where}.{key}", '文字列の配列で書いてください(例: ["シート1", "シート2"])', value)
            return default
        return tuple(v.strip() for v in value)

    def number(self, table: dict[str, Any], key: str, where: str, low: int, high: int, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(f"{where}.{key}", f"{low}〜{high}の整数で書いてください", value)
            return default
        return value

    def column(self, item: Any, where: str) -> ColumnRule | None:
        if not isinstance(item, dict):
            self.problem(where, '{ header = "…", meaning = "…" } の形で書いてください', item)
            return None
        self.unknown(item, COLUMN_KEYS, where)
        header = self.text_value(item, "header", where)
        year = self.text_value(item, "year", where)
        if not header and year != YEAR_FROM_HEADER:  # header = "" with year: columns headed by a year alone
            self.problem(f"{where}.header", "見出しの文字(header)を書いてください", item.get("header", ""))
            return None
        word = self.text_value(item, "meaning", where, UNPLACED)
        meaning = MEANINGS_BY_WORD.get(word)
        if meaning is None and word not in (UNPLACED, ""):
            near = difflib.get_close_matches(word, list(MEANING_LABELS.values()), n=1, cutoff=0.3)
            hint = f"「{near[0]}」の誤りではありませんか。" if near else ""
            self.problem(f"{where}.meaning", f"{hint}meaning には次のどれかを書いてください: "
                         + "・".join(MEANING_LABELS.values()), word)
        if year not in ("", YEAR_FROM_HEADER):
            self.problem(f"{where}.year", f'year には "{YEAR_FROM_HEADER}" と書くか、何も書かないでください', year)
        read = self.text_value(item, "read", where)
        if read and read not in HIERARCHY_READS:
            self.problem(f"{where}.read", f"read には {' / '.join(HIERARCHY_READS)} のどれかを書いてください", read)
            read = ""
        if meaning in HIERARCHY and not read:
            read = HIERARCHY_READS[0]
        return ColumnRule(header, meaning, year == YEAR_FROM_HEADER, read)

    def table_rule(self, item: Any, where: str) -> TableRule | None:
        from report.load.values.era import parse_fiscal_year

        if not isinstance(item, dict):
            self.problem(where, "[[import.tables]] の表として書いてください", item)
            return None
        self.unknown(item, TABLE_KEYS, where)
        columns_raw = item.get("columns", [])
        if not isinstance(columns_raw, list) or not columns_raw:
            self.problem(f"{where}.columns", "列(columns)を1つ以上書いてください", columns_raw)
            columns_raw = []
        columns = tuple(c for i, raw in enumerate(columns_raw, start=1)
                        if (c := self.column(raw, f"{where}.columns[{i}]")) is not None)
        area_from = self.text_value(item, "area_from", where, "列")
        if area_from not in AREA_SOURCES:
            self.problem(f"{where}.area_from", f"area_from には {' / '.join(AREA_SOURCES)} のどれかを書いてください",
                         area_from)
            area_from = "列"
        years: list[int] = []
        for text in self.texts(item, "years", where):
            try:
                years.append(parse_fiscal_year(text))
            except ValueError as error:
                self.problem(f"{where}.years", str(error), text)
        sheets = self.texts(item, "sheets", where)
        pattern = self.text_value(item, "sheet_pattern", where)
        return TableRule(
            name=self.text_value(item, "name", where), sheets=sheets, sheet_pattern=pattern,
            header_rows=self.number(item, "header_rows", where, 1, 10, 1),
            header_row=self.number(item, "header_row", where, 1, 1_048_576, 1),
            heading=self.text_value(item, "heading", where), band=self.text_value(item, "band", where),
            area_from=area_from, columns=columns,
            years=tuple(sorted(years)), note_marks=self.texts(item, "note_marks", where, ("※", "注")))

    def question(self, item: Any, where: str) -> Question | None:
        if not isinstance(item, dict):
            self.problem(where, "[[import.questions]] の表として書いてください", item)
            return None
        self.unknown(item, QUESTION_KEYS, where)
        question = Question(
            id=self.text_value(item, "id", where), cells=self.texts(item, "cells", where),
            question=self.text_value(item, "question", where), candidates=self.texts(item, "candidates", where),
            answer=self.text_value(item, "answer", where), evidence=self.text_value(item, "evidence", where))
        if question.answer and question.candidates and question.answer not in question.candidates:
            self.problem(f"{where}.answer", f"答えは candidates のどれか({'、'.join(question.candidates)})を書いてください",
                         question.answer)
        return question


def _source_path(reader: _Reader, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        reader.problem("import.source", '元の表のファイルを source に書いてください(例: source = "data/進捗管理表.xlsx")',
                       value)
        return ""
    text = value.strip().replace("\\", "/")
    path = PurePosixPath(text)
    if path.is_absolute() or re.match(r"^[A-Za-z]:", text) or ".." in path.parts:
        reader.problem("import.source", "プロジェクトのフォルダからの相対パスで、フォルダの中のファイルを書いてください"
                       '(例: "data/進捗管理表.xlsx")', value)
        return ""
    return text


def read_mapping(config_table: dict[str, Any], text: str = "") -> tuple[Mapping, list[Problem]]:
    """The `[import]` table (as tomllib read it) as a Mapping, and its problems naming koho.toml's
    line and key (`text`: koho.toml's text, for the lines)."""
    reader = _Reader(text)
    reader.unknown(config_table, TOP_KEYS, "import")
    source = _source_path(reader, config_table.get("source"))
    attach = config_table.get("attach_source", False)
    if not isinstance(attach, bool):
        reader.problem("import.attach_source", "true か false で書いてください", attach)
        attach = False
    raw_tables = config_table.get("tables", [])
    if not isinstance(raw_tables, list) or not raw_tables:
        reader.problem("import.tables", "読む表を [[import.tables]] に1つ以上書いてください", None)
        raw_tables = []
    tables = tuple(t for i, raw in enumerate(raw_tables, start=1)
                   if (t := reader.table_rule(raw, f"import.tables[{i}]")) is not None)
    skipped = []
    for i, raw in enumerate(config_table.get("skipped", []) or [], start=1):
        if isinstance(raw, dict):
            skipped.append(SkippedSheet(reader.text_value(raw, "sheet", f"import.skipped[{i}]"),
                                        reader.text_value(raw, "reason", f"import.skipped[{i}]")))
    questions = tuple(q for i, raw in enumerate(config_table.get("questions", []) or [], start=1)
                      if (q := reader.question(raw, f"import.questions[{i}]")) is not None)
    as_given = config_table.get("grades_as_given", False)
    if not isinstance(as_given, bool):
        reader.problem("import.grades_as_given", "true か false で書いてください", as_given)
        as_given = False
    return Mapping(source, tables, tuple(skipped), questions, attach, grades_as_given=as_given), reader.problems


def block_years(mapping: Mapping, table: str, header: str) -> tuple[int, ...] | None:
    """The fiscal years the city gave, left to right, for a table's repeated 「header」 columns known
    only by position (question 「年度:表:見出し」, answered 「令和2年度,令和3年度,…」); None until
    answered or where the answer does not read as years. For placing the blocks (the spine)."""
    import re

    from report.load.values.era import parse_fiscal_year

    question = mapping.question(f"年度:{table}:{header}")
    if question is None or not question.answer:
        return None
    try:
        return tuple(parse_fiscal_year(part.strip()) for part in re.split(r"[,、，\s]+", question.answer) if part.strip())
    except ValueError:
        return None
