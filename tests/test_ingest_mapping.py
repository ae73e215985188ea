"""The [import] mapping: drafted from a layout, written into a commented koho.toml and read back the
same; checked against the source (a renamed sheet, a reworded header, a removed column named by
cell; a new year column taken and said); applied to a merged two-row-header table as exact long
tables, every cell traced to its source cell."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from report.ingest.apply import apply
from report.ingest.placing import check_layout
from report.ingest.mapping import (ColumnRule, Mapping, draft_mapping, read_mapping,
                                   write_mapping)
from report.ingest.sheets.model import (CellRef, ColumnLayout, Grid, GridCell, Meaning, SheetGrid, SkippedSheet,
                                 TableLayout, YearRef)

FILE = "進捗.xlsx"
SHEET = "進捗管理表"
HEADER = [["分野", "施策", "指標名", "単位", "令和4年度", "令和4年度", "令和5年度", "令和5年度", "達成率"],
          ["分野", "施策", "指標名", "単位", "目標", "実績", "目標", "実績", "達成率"]]
BODY = [["1 子育て・教育", "1-1 子育て支援の充実", "保育所待機児童数", "人", "0", "5", "0", "2", ""],
        ["1 子育て・教育", "1-1 子育て支援の充実", "放課後児童クラブ数", "か所", "10", "10", "12", "12※1", "100%"],
        ["2 安全・安心", "2-1 防災力の向上", "自主防災組織数", "団体", "50", "48", "55", "－", ""]]
ROWS = [["令和6年度 マニフェスト進捗管理表"], ["令和6年6月30日現在"], *HEADER, *BODY, [], ["※1 令和5年度に2か所新設"]]


def sheet_of(rows: list[list[str]], name: str | None = SHEET, file: str = FILE) -> SheetGrid:
    """A sheet as the grid reader gives it (merged cells already spread across and down)."""
    cells = {(r, c): GridCell(r, c, text) for r, row in enumerate(rows, start=1)
             for c, text in enumerate(row, start=1) if text}
    return SheetGrid(file, name, cells=cells, max_row=len(rows), max_column=max(len(row) for row in rows))


def grid_of(rows: list[list[str]] = ROWS, name: str = SHEET) -> Grid:
    return Grid(FILE, (sheet_of([["マニフェスト進捗管理表"]], "表紙"), sheet_of(rows, name)))


def year(western: int) -> YearRef:
    return YearRef(western, text=f"令和{western - 2018}年度")


def layout_of(grid: Grid) -> TableLayout:
    """What detection finds in ROWS."""
    sheet = grid.sheets[1]
    columns = (ColumnLayout(1, "分野", Meaning.AREA), ColumnLayout(2, "施策", Meaning.MEASURE),
               ColumnLayout(3, "指標名", Meaning.LABEL), ColumnLayout(4, "単位", Meaning.UNIT),
               ColumnLayout(5, "令和4年度 / 目標", Meaning.TARGET, year(2022)),
               ColumnLayout(6, "令和4年度 / 実績", Meaning.VALUE, year(2022)),
               ColumnLayout(7, "令和5年度 / 目標", Meaning.TARGET, year(2023)),
               ColumnLayout(8, "令和5年度 / 実績", Meaning.VALUE, year(2023)),
               ColumnLayout(9, "達成率", Meaning.RATE))
    return TableLayout(sheet, (1, 2), (3, 4), (5, 6, 7), (9,), columns)


def drafted(grid: Grid | None = None) -> Mapping:
    grid = grid or grid_of()
    return draft_mapping(grid, [layout_of(grid)], [SkippedSheet("表紙", "表紙のため")], f"data/{FILE}")


USER_TOML = """# 市の広報の設定(担当: 企画課)
title = "市長マニフェスト 取組状況"  # 見出し
municipality = "○○市"

# 年度の書き方
era_style = "wareki"
"""


def test_round_trip_keeps_the_mapping_and_the_users_comments(tmp_path: Path) -> None:
    mapping = drafted()
    config = tmp_path / "koho.toml"
    config.write_text(USER_TOML, encoding="utf-8")
    write_mapping(mapping, config)
    write_mapping(mapping, config)  # a second import replaces [import], never adds another
    text = config.read_text(encoding="utf-8")
    assert text.startswith(USER_TOML)  # the user's lines and comments, byte for byte
    assert text.count("[import]") == 1
    assert "# 元の表(プロジェクトのフォルダからの相対パス)" in text  # the keys explained in Japanese
    raw = tomllib.loads(text)
    assert raw["title"] == "市長マニフェスト 取組状況"
    read, problems = read_mapping(raw["import"], text)
    assert problems == []
    assert read == mapping
    assert read.tables[0].columns[4] == ColumnRule("目標", Meaning.TARGET, yearly=True)
    assert read.tables[0].years == (2022, 2023)


def test_a_bad_key_is_named_by_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "koho.toml"
    write_mapping(drafted(), config)
    text = config.read_text(encoding="utf-8").replace('meaning = "実績値"', 'meaning = "実積値"')
    read, problems = read_mapping(tomllib.loads(text)["import"], text)
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if '"実積値"' in t)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("koho.toml", line, "import.tables[1].columns[6].meaning", "実積値")]
    assert "「実績値」の誤りではありませんか" in problems[0].message


def test_the_drafted_mapping_matches_its_own_source() -> None:
    assert check_layout(drafted(), grid_of()) == []


def test_a_renamed_sheet_is_named_with_the_sheet_it_may_be() -> None:
    problems = check_layout(drafted(), grid_of(name="R6進捗管理表"))
    assert [p.severity for p in problems] == ["error"]
    assert "シート「進捗管理表」がありません" in problems[0].message
    assert "「R6進捗管理表」のことではありませんか" in problems[0].message


def test_a_reworded_header_is_named_by_its_cell() -> None:
    rows = [list(row) for row in ROWS]
    rows[2][2] = rows[3][2] = "指標"  # C3:C4 merged, reworded
    problems = check_layout(drafted(), grid_of(rows))
    assert [(p.severity, p.file, p.sheet, p.cell) for p in problems] == [("error", FILE, SHEET, "C4")]
    assert "見出し「指標名」の列が見つかりません" in problems[0].message
    assert "「指標」(セルC4)のことなら" in str(problems[0])


def test_a_removed_column_is_a_problem_naming_the_header_row() -> None:
    rows = [row[:3] + row[4:] for row in ROWS]  # 単位 (column D) deleted
    problems = check_layout(drafted(), grid_of(rows))
    assert [(p.severity, p.sheet, p.row) for p in problems] == [("error", SHEET, 4)]
    assert "「単位」の列が見つかりません" in problems[0].message
    assert "セルA4" not in problems[0].message and problems[0].cell  # named at a header cell


def test_a_new_year_column_is_taken_and_said() -> None:
    rows = [list(row) for row in ROWS]
    for row, text in zip(rows[2:7], ["令和6年度", "実績", "3", "13", "60"]):
        row[9:9] = [text]  # J: 令和6年度 / 実績 after 達成率
    grid = grid_of(rows)
    problems = check_layout(drafted(), grid)
    assert [(p.severity, p.cell) for p in problems] == [("info", "J4")]
    assert "新しい年度(令和6年度)の列「令和6年度 / 実績」を読みます" in problems[0].message
    metrics = apply(drafted(), grid).tables["metrics"].frame
    assert sorted(metrics[metrics[2] == "2024"][3]) == ["13", "3", "60"]


def test_a_column_the_mapping_does_not_name_is_a_question() -> None:
    rows = [list(row) for row in ROWS]
    for row, text in zip(rows[2:7], ["担当課", "担当課", "こども課", "こども課", "危機管理課"]):
        row.append(text)
    problems = check_layout(drafted(), grid_of(rows))
    assert [(p.severity, p.cell, p.value) for p in problems] == [("question", "J4", "担当課")]


def test_apply_gives_the_long_tables_a_careful_person_would_type() -> None:
    imported = apply(drafted(), grid_of())
    tables = {name: (raw.header, raw.frame.values.tolist()) for name, raw in imported.tables.items()}
    assert tables["areas"] == (["分野番号", "分野名", "副題"], [["1", "子育て・教育", ""], ["2", "安全・安心", ""]])
    assert tables["measures"] == (["施策番号", "分野番号", "ビジョン内容", "取組内容"],
                                  [["1-1", "1", "子育て支援の充実", ""], ["2-1", "2", "防災力の向上", ""]])
    assert tables["metrics"] == (["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "備考"], [
        ["1-1", "保育所待機児童数", "2022", "5", "人", "0", ""],
        ["1-1", "保育所待機児童数", "2023", "2", "人", "0", ""],
        ["1-1", "放課後児童クラブ数", "2022", "10", "か所", "10", ""],
        ["1-1", "放課後児童クラブ数", "2023", "12", "か所", "12", "令和5年度に2か所新設"],
        ["2-1", "自主防災組織数", "2022", "48", "団体", "50", ""],
    ])  # 「－」 (H7): no figure, no row; 達成率 (I): not read
    assert imported.dropped[(SHEET, 7, 8)].startswith("数値なし")
    assert (SHEET, 6, 9) in imported.dropped


def test_every_long_cell_is_traced_to_its_source_cell() -> None:
    provenance = apply(drafted(), grid_of()).provenance
    fifth = provenance.cells[("metrics", 5)]  # 放課後児童クラブ数, 令和5年度
    assert {name: provenance.cell("metrics", 5, name).a1 for name in fifth} == {
        "measure": "C6", "label": "C6", "fiscal_year": "H4", "value": "H6", "unit": "D6", "note": "H6",
        "target": "G6"}
    assert provenance.cell("areas", 3, "title") == CellRef(FILE, SHEET, 7, 1)
    assert provenance.cell("measures", 2, "id").a1 == "B5"


def test_blank_and_ditto_hierarchy_cells_are_filled_down() -> None:
    rows = [list(row) for row in ROWS]
    rows[5][0], rows[5][1] = "", "〃"
    tables = apply(drafted(), grid_of(rows)).tables
    assert tables["metrics"].frame[0].tolist() == ["1-1", "1-1", "1-1", "1-1", "2-1"]
    assert len(tables["areas"].frame) == 2


@pytest.mark.parametrize("key, value, message", [
    ("source", '"../外.xlsx"', "フォルダの中"),
    ("header_rows", "0", "1〜10の整数"),
])
def test_read_mapping_refuses(tmp_path: Path, key: str, value: str, message: str) -> None:
    config = tmp_path / "koho.toml"
    write_mapping(drafted(), config)
    lines = [f"{key} = {value}" if line.startswith(f"{key} =") else line
             for line in config.read_text(encoding="utf-8").splitlines()]
    text = "\n".join(lines)
    _, problems = read_mapping(tomllib.loads(text)["import"], text)
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].row == next(n for n, t in enumerate(lines, start=1) if t.startswith(f"{key} ="))


def test_an_unanswered_question_is_asked_at_its_cell() -> None:
    from report.ingest.mapping import Question

    question = Question("累計1", (f"{SHEET}!C5",), "「(累計)」の列は累計値ですか、年度ごとの値ですか",
                        ("累計値", "年度ごとの値"))
    asked = dataclasses.replace(drafted(), questions=(question,))
    problems = check_layout(asked, grid_of())
    assert [(p.severity, p.sheet, p.cell) for p in problems] == [("question", SHEET, "C5")]
    answered = dataclasses.replace(asked, questions=(dataclasses.replace(question, answer="累計値", evidence="※2"),))
    assert check_layout(answered, grid_of()) == []


def test_a_subtitle_and_a_final_target_with_its_year() -> None:
    rows = [list(row) for row in ROWS]
    rows[4][0] = rows[5][0] = "1 子育て・教育\n～子どもの笑顔があふれるまち～"
    for row, text in zip(rows[2:7], ["目標(令和7年度)", "目標(令和7年度)", "0", "15", "60"]):
        row[6] = text  # G: the plan's final target instead of 令和5年度's
    grid = grid_of(rows)
    mapping = drafted(grid)
    mapping = dataclasses.replace(mapping, tables=(dataclasses.replace(mapping.tables[0], columns=(
        *mapping.tables[0].columns, ColumnRule("目標(令和7年度)", Meaning.TARGET))),))
    tables = apply(mapping, grid).tables
    assert tables["areas"].frame.values.tolist()[0] == ["1", "子育て・教育", "子どもの笑顔があふれるまち"]
    metrics = tables["metrics"].frame.values.tolist()
    assert metrics[1] == ["1-1", "保育所待機児童数", "2023", "2", "人", "0", "2025", ""]  # 目標年度 2025
    assert metrics[0][5:7] == ["0", ""]  # 令和4年度's own target


def test_a_sheet_per_area_with_visions_and_one_dated_target() -> None:
    rows = [["分野1　子育て・教育"], ["～子どもの笑顔があふれる町～"], [],
            ["公約(ビジョン)", "指標", "単位", "令和4年度実績", "令和5年度実績", "目標値(令和5年度)"],
            ["保育所の待機児童ゼロを続けます。", "保育所の定員", "人", "310", "330", "330"],
            ["", "一時預かりの利用者数", "人", "1,820", "2,150", "2000"],
            ["子どもの学力向上を支援します。", "放課後学習教室の参加児童数", "人", "420", "510", "600"]]
    sheet = sheet_of(rows, "分野1")
    grid = Grid(FILE, (sheet,))
    columns = (ColumnLayout(1, "公約(ビジョン)", Meaning.VISION), ColumnLayout(2, "指標", Meaning.LABEL),
               ColumnLayout(3, "単位", Meaning.UNIT),
               ColumnLayout(4, "令和4年度実績", Meaning.VALUE, YearRef(2022, text="令和4年度")),
               ColumnLayout(5, "令和5年度実績", Meaning.VALUE, YearRef(2023, text="令和5年度")),
               ColumnLayout(6, "目標値(令和5年度)", Meaning.TARGET, YearRef(2023, text="令和5年度")))
    layout = TableLayout(sheet, (1, 2), (4,), (5, 6, 7), (), columns, heading="分野1　子育て・教育")
    mapping = draft_mapping(grid, [layout], [])
    assert mapping.tables[0].area_from == "見出し行"
    tables = apply(mapping, grid).tables
    assert tables["areas"].frame.values.tolist() == [["1", "子育て・教育", "子どもの笑顔があふれる町"]]
    assert tables["measures"].frame.values.tolist() == [  # each vision a measure, numbered in order
        ["01-1", "1", "保育所の待機児童ゼロを続けます。", ""], ["01-2", "1", "子どもの学力向上を支援します。", ""]]
    metrics = tables["metrics"]
    assert metrics.header == ["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "目標年度"]
    assert metrics.frame.values.tolist()[:2] == [  # the one dated target is the plan's, on every row
        ["01-1", "保育所の定員", "2022", "310", "人", "330", "2023"],
        ["01-1", "保育所の定員", "2023", "330", "人", "330", "2023"]]


def test_a_band_row_names_the_area_and_each_heading_a_measure() -> None:
    rows = [["基本目標1　子どもが健やかに育つまち"] * 4, ["【01】子育て支援"], ["No.", "成果指標", "単位", "令和5年度実績"],
            ["1", "合計特殊出生率", "", "1.41"], [],
            ["【02】学校教育・生涯学習"], ["No.", "成果指標", "単位", "令和5年度実績"], ["3", "授業がわかると答えた児童の割合", "%", "83.0"]]
    sheet = sheet_of(rows, "成果指標")
    grid = Grid(FILE, (sheet,))
    columns = (ColumnLayout(1, "No.", Meaning.IGNORED), ColumnLayout(2, "成果指標", Meaning.LABEL),
               ColumnLayout(3, "単位", Meaning.UNIT),
               ColumnLayout(4, "令和5年度実績", Meaning.VALUE, YearRef(2023, text="令和5年度")))
    layouts = [TableLayout(sheet, (1, 2), (3,), (4,), (), columns, heading="【01】子育て支援"),
               TableLayout(sheet, (6,), (7,), (8,), (), columns, heading="【02】学校教育・生涯学習")]
    mapping = draft_mapping(grid, layouts, [])
    assert [(t.band, t.area_from) for t in mapping.tables] == [("基本目標1　子どもが健やかに育つまち", "帯の行")] * 2
    imported = apply(mapping, grid)
    assert imported.tables["areas"].frame.values.tolist() == [["1", "子どもが健やかに育つまち", ""]]
    assert imported.tables["measures"].frame.values.tolist() == [
        ["01", "1", "子育て支援", ""], ["02", "1", "学校教育・生涯学習", ""]]
    assert imported.tables["metrics"].frame[0].tolist() == ["01", "02"]
    assert imported.provenance.cell("measures", 3, "id").a1 == "A6"


def test_indicator_slots_with_years_known_only_by_position() -> None:
    from report.ingest.mapping import Question

    rows = [["事業番号", "事業の目的", "指標1名", "指標1単位", "目標", "実績", "目標", "実績",
             "指標2名", "指標2単位", "目標", "実績", "目標", "実績"],
            ["010101", "放課後を安全に過ごせるようにする。", "登録児童数", "人", "900", "884", "940", "921",
             "待機児童数", "人", "20", "24", "15", "16"]]
    sheet = sheet_of(rows, "評価データ")
    grid = Grid(FILE, (sheet,))
    meanings = [Meaning.MEASURE, Meaning.VISION, Meaning.LABEL, Meaning.UNIT, Meaning.TARGET, Meaning.VALUE,
                Meaning.TARGET, Meaning.VALUE, Meaning.LABEL, Meaning.UNIT, Meaning.TARGET, Meaning.VALUE,
                Meaning.TARGET, Meaning.VALUE]
    columns = tuple(ColumnLayout(i, header, meaning) for i, (header, meaning) in enumerate(zip(rows[0], meanings), start=1))
    drafted_ = draft_mapping(grid, [TableLayout(sheet, (), (1,), (2,), (), columns)], [])
    rule = drafted_.tables[0]
    read_as_written = tuple(dataclasses.replace(c, read="番号") if c.header == "事業番号" else c for c in rule.columns)
    years = ("令和2年度,令和3年度",)
    mapping = dataclasses.replace(drafted_, tables=(dataclasses.replace(rule, columns=read_as_written),), questions=tuple(
        Question(f"年度:評価データ:{header}", (), "", (), years[0]) for header in ("目標", "実績")))
    tables = apply(mapping, grid).tables
    assert tables["measures"].frame.values.tolist() == [["010101", "1", "放課後を安全に過ごせるようにする。", ""]]
    assert tables["metrics"].frame.values.tolist() == [
        ["010101", "登録児童数", "2020", "884", "人", "900"], ["010101", "登録児童数", "2021", "921", "人", "940"],
        ["010101", "待機児童数", "2020", "24", "人", "20"], ["010101", "待機児童数", "2021", "16", "人", "15"]]
    unanswered = dataclasses.replace(mapping, questions=())
    assert apply(unanswered, grid).tables["metrics"].frame.empty  # no year, no figure: asked, never guessed


def test_two_measure_columns_are_a_question() -> None:
    mapping = drafted()
    rule = mapping.tables[0]
    twice = dataclasses.replace(rule, columns=tuple(
        dataclasses.replace(c, meaning=Meaning.MEASURE) if c.header == "指標名" else c for c in rule.columns))
    problems = check_layout(dataclasses.replace(mapping, tables=(twice,)), grid_of())
    assert [(p.severity, p.cell) for p in problems] == [("question", "C4")]
    assert "施策として読む列が2つあります(「施策」(セルB4)、「指標名」(セルC4))" in problems[0].message
