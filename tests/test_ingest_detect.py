"""The import's first two stages: a city's workbook or CSV read into a Grid (report.ingest.sheets.grid) and
the tables found in it (report.ingest.sheets.detect): skipped sheets with reasons, title/date/helper rows,
header rows, body, notes, several tables per sheet, each column's header, meaning, year and block."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from report.ingest.sheets.detect import detect, fill_down
from report.ingest.sheets.headings import is_heading, split_heading
from report.ingest.sheets.grid import read_grid
from report.ingest.sheets.model import CellRef, Meaning, TableLayout
from report.problems import DataError
from tests.ingest_grids import grid_of, workbook_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def columns_of(table: TableLayout) -> list[tuple[int, str, Meaning | None, int | None, int]]:
    return [(c.column, c.header, c.meaning, c.year.year if c.year else None, c.block) for c in table.columns]


def layout_of(table: TableLayout) -> tuple:
    return table.title_rows, table.header_rows, table.body_rows, table.note_rows, table.heading, table.as_of


# ---------------------------------------------------------------------------------------------
# grid.py

def test_grid_spreads_merges_keeps_comments_and_shows_cells_as_excel_does() -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    book = Workbook()
    sheet = book.active
    sheet.title = "指標"
    sheet["A1"] = "分野"
    sheet.merge_cells("A1:A3")
    sheet["B1"] = "令和5年度"
    sheet.merge_cells("B1:C1")
    sheet["B2"] = 0.894
    sheet["B2"].number_format = "0.0%"
    sheet["C2"] = 1234567
    sheet["C2"].number_format = "#,##0"
    sheet["B3"] = "保育"
    sheet["B3"].comment = Comment("担当: 山田さんに確認", "staff")
    sheet.merge_cells("D1:F1")  # a merge with no text: nothing spread
    stream = io.BytesIO()
    book.save(stream)
    grid = read_grid(Path("city.xlsx"), stream.getvalue())
    (read,) = grid.sheets
    assert (read.name, read.kind, read.hidden, read.max_row, read.max_column) == ("指標", "worksheet", False, 3, 3)
    assert [read.cells[(r, 1)].merged_from for r in (1, 2, 3)] == [None, (1, 1), (1, 1)]
    assert read.row_texts(3) == ["分野", "保育", ""]
    assert (read.text(1, 3), read.cells[(1, 3)].merged_from) == ("令和5年度", (1, 2))
    assert read.text(2, 2) == "89.4%"
    assert read.text(2, 3) == "1234567"  # grouping is not part of the value (numfmt)
    assert read.cells[(3, 2)].comment.endswith("担当: 山田さんに確認")
    assert (1, 4) not in read.cells


def test_grid_marks_hidden_and_chart_sheets() -> None:
    grid = grid_of({"表": [["指標名", "実績"], ["a", 1]], "裏": [["x"]]}, hidden=["裏"], chart="グラフ")
    assert [(s.name, s.kind, s.hidden) for s in grid.sheets] == [
        ("表", "worksheet", False), ("裏", "worksheet", True), ("グラフ", "chart", False)]
    assert grid.sheets[2].cells == {}


def _with_saved_result(data: bytes, cell: str, value: str) -> bytes:
    """The workbook with a formula cell's saved result written in (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                part = re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?'.encode(),
                              rb"\1<f>\2</f><v>" + value.encode() + b"</v>", part)
            target.writestr(item, part)
    return out.getvalue()


def test_grid_reads_a_formula_by_its_saved_result_and_names_one_without() -> None:
    data = workbook_bytes({"KPI": [["指標名", "実績", "達成率"], ["a", 3, "=B2/4"]]})
    with pytest.raises(DataError) as error:
        read_grid(Path("city.xlsx"), data)
    (problem,) = error.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.cell) == ("city.xlsx", "KPI", 2, "C2")
    assert str(problem).startswith("city.xlsx シート「KPI」 セルC2:")
    assert "C2セルの数式に計算結果が保存されていません" in problem.message
    grid = read_grid(Path("city.xlsx"), _with_saved_result(data, "C2", "0.75"))
    assert grid.sheets[0].text(2, 3) == "0.75"


def test_grid_reads_cp932_csv_and_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    data = "KPI名,2019年度\n観光客数,\"1,007人\"\n".encode("cp932")
    (sheet,) = read_grid(Path("kpi.csv"), data).sheets
    assert (sheet.name, sheet.row_texts(1), sheet.row_texts(2)) == (None, ["KPI名", "2019年度"], ["観光客数", "1,007人"])
    path = tmp_path / "kpi.csv"
    path.write_bytes(data)
    assert read_grid(path).sheets[0].text(2, 2) == "1,007人"
    mixed = data + "移住者数,5\n".encode("utf-8")
    with pytest.raises(DataError, match="1つのファイルは1つの文字コード"):
        read_grid(Path("kpi.csv"), mixed)
    with pytest.raises(DataError, match=r"Excel 97-2003形式\(.xls\)のブックは読めません"):
        read_grid(Path("old.xls"), b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match="Excelブック"):
        read_grid(Path("book.xlsx"), b"not a zip")
    with pytest.raises(DataError, match="読めません"):
        read_grid(tmp_path / "missing.xlsx")


def test_grid_removes_invisible_characters_with_a_warning_naming_the_cell() -> None:
    grid = read_grid(Path("kpi.csv"), "指標名,実績\n人口\u200b,5\n".encode())
    assert grid.sheets[0].text(2, 1) == "人口"
    (warning,) = grid.problems
    assert (warning.severity, warning.row, warning.cell) == ("warning", 2, "A2")
    with pytest.raises(DataError, match="使えない文字") as error:
        read_grid(Path("kpi.csv"), ("指標名,実績\n" + "観光客数,5\n" * 20 + "人口\x01,5\n").encode())
    assert [(p.row, p.cell) for p in error.value.problems] == [(22, "A22")]


# ---------------------------------------------------------------------------------------------
# detect.py: one table per layout

def test_two_row_year_header_over_target_and_value() -> None:
    grid = grid_of({"指標": [
        ["成果指標の進捗状況"],
        ["令和6年6月30日現在"],
        [],
        ["分野", "施策", "指標名", "単位", "令和5年度", None, "令和6年度", None],
        [None, None, None, None, "目標", "実績", "目標", "実績"],
        ["子育て", "保育の充実", "待機児童数", "人", 0, 3, 0, "－"],
        [None, None, "保育所定員", "人", 1200, "1,180人", 1250, "集計中"],
        ["健康", "健診", "特定健診受診率", "%", 50, 45.2, 55, None],
        [],
        ["※待機児童数は4月1日現在"],
    ]}, merges={"指標": ["E4:F4", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "A6:A7", "B6:B7"]})
    (table,), skipped = detect(grid)
    assert skipped == []
    assert layout_of(table) == ((1, 2), (4, 5), (6, 7, 8), (10,), "", "令和6年6月30日現在")
    assert table.notes() == ["※待機児童数は4月1日現在"]
    assert columns_of(table) == [
        (1, "分野", Meaning.AREA, None, 0), (2, "施策", Meaning.MEASURE, None, 0),
        (3, "指標名", Meaning.LABEL, None, 0), (4, "単位", Meaning.UNIT, None, 0),
        (5, "令和5年度 / 目標", Meaning.TARGET, 2023, 0), (6, "令和5年度 / 実績", Meaning.VALUE, 2023, 0),
        (7, "令和6年度 / 目標", Meaning.TARGET, 2024, 0), (8, "令和6年度 / 実績", Meaning.VALUE, 2024, 0)]


def test_a_year_row_of_single_merged_years_joins_the_header() -> None:
    grid = grid_of({"KPI": [
        [None, None, "令和5年度", None],
        ["指標名", "単位", "目標", "実績"],
        ["人口", "人", 100, 98],
    ]}, merges={"KPI": ["C1:D1"]})
    (table,), _ = detect(grid)
    assert table.header_rows == (1, 2)
    assert [c.header for c in table.columns] == ["指標名", "単位", "令和5年度 / 目標", "令和5年度 / 実績"]


def test_title_block_date_two_tables_and_notes_on_one_sheet() -> None:
    grid = grid_of({"成果指標": [
        ["第2期総合戦略 成果指標一覧"],
        ["（令和6年3月31日時点）"],
        [],
        ["【01】子育て・教育"],
        ["No.", "指標名", "基準値(R1)", "目標値(R6)", "R5実績"],
        [1, "出生数", "300人", "320人", "290人"],
        [2, "合計特殊出生率", 1.4, 1.6, "1.38"],
        ["※出生数は暦年の数値"],
        [],
        ["【02】健康・福祉"],
        ["No.", "指標名", "基準値(R1)", "目標値(R6)", "R5実績"],
        [3, "健診受診率", "40%", "60%", "52%"],
        ["注）受診率は国保加入者"],
        ["　　（40〜74歳）"],
    ]})
    first, second = detect(grid)[0]
    assert layout_of(first) == ((1, 2, 4), (5,), (6, 7), (8,), "【01】子育て・教育", "令和6年3月31日時点")
    assert layout_of(second) == ((10,), (11,), (12,), (13, 14), "【02】健康・福祉", "令和6年3月31日時点")
    assert columns_of(second) == [
        (1, "No.", None, None, 0), (2, "指標名", Meaning.LABEL, None, 0),
        (3, "基準値(R1)", Meaning.BASELINE, 2019, 0), (4, "目標値(R6)", Meaning.TARGET, 2024, 0),
        (5, "R5実績", Meaning.VALUE, 2023, 0)]
    assert second.notes() == ["注）受診率は国保加入者", "\u3000\u3000（40〜74歳）"]


def test_band_rows_split_a_table_under_one_header_and_section_rows_stay_hierarchy() -> None:
    grid = grid_of({
        "一覧": [
            ["施策名", "指標", "R4", "R5", "R6"],
            ["基本目標1 子育て"],
            ["保育", "待機児童", 3, 2, 1],
            ["教育", "不登校", 10, 9, 8],
            ["基本目標2 健康"],
            ["健診", "受診率", 40, 42, 45],
        ],
        "大綱": [
            ["分野", "施策", "指標名", "実績"],
            ["1 子育て"],
            [None, "保育", "待機児童", 3],
            ["2 健康"],
            [None, "健診", "受診率", 40],
        ],
    }, merges={"一覧": ["A2:E2", "A5:E5"]})
    first, second, sections = detect(grid)[0]
    assert layout_of(first) == ((2,), (1,), (3, 4), (), "基本目標1 子育て", "")
    assert layout_of(second) == ((5,), (1,), (6,), (), "基本目標2 健康", "")
    assert [c.year.year for c in first.columns[2:]] == [2022, 2023, 2024]
    assert layout_of(sections) == ((), (1,), (2, 3, 4, 5), (), "", "")  # text only in the 分野 column


def test_helper_row_and_repeated_blocks_known_by_position() -> None:
    grid = grid_of({"export": [
        ["調整用", "調整用", "調整用", "調整用", "調整用", "調整用", "調整用", "調整用", "調整用"],
        ["事務事業名", "担当課", "指標1名", "目標", "実績", "目標", "実績", "指標2名", "目標", "実績"],
        ["防災訓練", "防災課", "訓練回数", "4回", "3回", "4回", "－", "参加者数", 300, 280],
        ["図書館運営", "生涯学習課", "貸出冊数", "10万冊", "9.8万冊", "10万冊", "9.9万冊", None, None, None],
    ]})
    (table,), _ = detect(grid)
    assert layout_of(table) == ((1,), (2,), (3, 4), (), "", "")
    assert [(c.header, c.block) for c in table.columns[3:]] == [
        ("目標", 0), ("実績", 0), ("目標", 1), ("実績", 1), ("指標2名", 0), ("目標", 0), ("実績", 0)]
    assert [c.meaning for c in table.columns[3:7]] == [Meaning.TARGET, Meaning.VALUE] * 2


def test_sentence_headers_found_by_the_figures_below_them() -> None:
    grid = grid_of({"評価": [
        ["事業の概要（令和5年度）"],
        ["①事業の内容\n（誰に何を）", "②活動の量\n（回数など）", "③成果の量\n（人数など）"],
        ["講座の開催", "12回", "340人"],
        ["相談窓口", "48回", "95人"],
    ]})
    (table,), _ = detect(grid)
    assert (table.title_rows, table.header_rows, table.body_rows) == ((1,), (2,), (3, 4))


def test_a_title_is_never_the_header_and_a_blank_row_inside_data_does_not_end_it() -> None:
    grid = grid_of({"KPI": [
        ["成果指標一覧（令和5年度 実績）"],
        ["指標名", "単位", "令和5年度 実績"],
        ["人口", "人", "32,100"],
        [],
        ["転入者数", "人", "1,007"],
        [],
        [],
        ["作成：企画課"],
    ]}, merges={"KPI": ["A1:C1"]})
    (table,), _ = detect(grid)
    assert layout_of(table) == ((1,), (2,), (3, 5), (), "", "")


def test_known_words_in_a_title_row_do_not_make_it_a_header_level() -> None:
    grid = grid_of({"KPI": [
        ["成果指標一覧", None, None, "単位：人"],
        ["指標名", "単位", "令和5年度", "令和6年度"],
        ["人口", "人", 100, 98],
    ]})
    (table,), _ = detect(grid)
    assert (table.title_rows, table.header_rows) == ((1,), (2,))


def test_an_unmerged_two_row_header_and_a_date_written_as_a_date_cell() -> None:
    import datetime as dt

    grid = grid_of({"KPI": [
        ["成果指標", None, dt.datetime(2024, 6, 30), "現在"],
        ["分野", "指標名", "令和5年度", "令和5年度"],
        [None, None, "目標", "実績"],
        ["子育て", "人口", 100, 98],
    ]})
    (table,), _ = detect(grid)
    assert (table.title_rows, table.header_rows, table.as_of) == ((1,), (2, 3), "2024-06-30 現在")
    assert [c.header for c in table.columns] == ["分野", "指標名", "令和5年度 / 目標", "令和5年度 / 実績"]


def test_a_year_headers_role_where_the_lexicon_has_no_word() -> None:
    grid = grid_of({"KPI": [["指標名", "R4実績", "R5速報", "目標(最終年度)", "2019年度"], ["人口", 1, 2, 3, 4]]})
    (table,), _ = detect(grid)
    assert [(c.meaning, c.year.year if c.year else None) for c in table.columns[1:]] == [
        (Meaning.VALUE, 2022), (Meaning.VALUE, 2023), (Meaning.FINAL_TARGET, None), (None, 2019)]
    assert table.columns[2].year.provisional


def test_a_note_between_data_rows_and_a_stray_cell_far_below() -> None:
    grid = grid_of({"KPI": [
        ["指標名", "単位", "令和5年度"],
        ["人口", "人", "32,100"],
        ["※以下は参考指標"],
        ["転入者数", "人", "1,007"],
        [],
        ["※転入者数は住民基本台帳による"],
        *[[] for _ in range(20000)],
        [" ", "合計"],
    ]})
    (table,), skipped = detect(grid)
    assert (table.header_rows, table.body_rows, table.note_rows) == ((1,), (2, 4), (3, 6))
    assert grid.sheets[0].max_row == 20007 and skipped == []


def test_open_data_csv_in_cp932() -> None:
    text = ("KPI名,単位,基準値,基準年度,2019年度,2020年度,備考\n"
            "観光客数,万人,60.1,2018,58.2,41.0,※暦年\n"
            "移住者数,人,120,2018,\"1,007\",－,\n")
    (table,), skipped = detect(read_grid(Path("kpi.csv"), text.encode("cp932")))
    assert skipped == []
    assert layout_of(table) == ((), (1,), (2, 3), (), "", "")
    assert columns_of(table) == [
        (1, "KPI名", Meaning.LABEL, None, 0), (2, "単位", Meaning.UNIT, None, 0),
        (3, "基準値", Meaning.BASELINE, None, 0), (4, "基準年度", Meaning.BASELINE_YEAR, None, 0),
        (5, "2019年度", None, 2019, 0), (6, "2020年度", None, 2020, 0), (7, "備考", Meaning.NOTE, None, 0)]


def test_sheets_skipped_with_reasons_and_one_table_per_area_sheet() -> None:
    grid = grid_of({
        "表紙": [["第2期 総合戦略 効果検証"], ["令和6年8月"], ["企画課"]],
        "凡例": [["A", "達成"], ["B", "概ね達成"]],
        "1 子育て": [
            ["分野1 子育て・教育"],
            ["施策", "主な取組", "進捗状況", "評価", "担当課"],
            ["(1) 保育の充実", "・保育所の新設\n・保育士の確保", "順調", "A", "こども課"],
            [None, "・病児保育の拡充", "やや遅れ", "B", "こども課"],
        ],
        "2 健康": [
            ["施策", "主な取組", "進捗状況", "評価", "担当課"],
            ["(1) 健診", "受診勧奨の強化", "順調", "B", "健康課"],
        ],
        "総括表": [["分野", "A", "B"], ["子育て", 1, 2]],
        "はじめに": [["このシートは、本計画の成果指標の読み方を説明するためのものです。各表の見方を確認してください。"],
                 ["数値は各年度末の実績で、見込みを含む場合があります。該当する欄に記載しています。"], ["問い合わせ先"]],
        "メモ": [["作業中"]],
        "空": [],
        "作業用": [["指標名", "実績"], ["x", 1]],
    }, hidden=["作業用"], chart="グラフ")
    tables, skipped = detect(grid)
    assert [(t.sheet.name, layout_of(t)) for t in tables] == [
        ("1 子育て", ((1,), (2,), (3, 4), (), "分野1 子育て・教育", "")),
        ("2 健康", ((), (1,), (2,), (), "", ""))]
    assert [c.meaning for c in tables[0].columns] == [
        Meaning.MEASURE, Meaning.ACTIONS, Meaning.STATUS, Meaning.GRADE, Meaning.DEPARTMENT]
    assert [(s.name, s.reason) for s in skipped] == [
        ("表紙", "表紙のシートのため読みません"),
        ("凡例", "説明のシートのため読みません"),
        ("総括表", "集計・まとめのシートのため読みません(元の表から作られた値です)"),
        ("はじめに", "説明の文章のシートのため読みません(表がありません)"),
        ("メモ", "表が見つからないため読みません(見出しの行がありません)"),
        ("空", "空のシートです"),
        ("作業用", "非表示のシートのため読みません(読むには、シートを再表示してください)"),
        ("グラフ", "グラフシートのため読みません")]


# ---------------------------------------------------------------------------------------------
# hierarchy

def test_fill_down_names_the_cell_that_holds_the_text() -> None:
    grid = grid_of({"指標": [
        ["分野", "単位"],
        ["子育て", "人"],
        [None, "〃"],
        [None, "同上"],
        ["健康", "%"],
        [None, "同"],
        [None, None],
    ]}, merges={"指標": ["A2:A4"]})
    sheet = grid.sheets[0]
    areas = fill_down(sheet, 1, range(2, 8))
    assert {row: (text, ref.a1) for row, (text, ref) in areas.items()} == {
        2: ("子育て", "A2"), 3: ("子育て", "A2"), 4: ("子育て", "A2"),
        5: ("健康", "A5"), 6: ("健康", "A5"), 7: ("健康", "A5")}
    units = fill_down(sheet, 2, range(2, 8))
    assert [units[r][0] for r in range(2, 8)] == ["人", "人", "人", "%", "%", "%"]
    assert units[4][1] == CellRef("city.xlsx", "指標", 2, 2)
    assert fill_down(sheet, 1, [7]) == {}  # nothing above within the rows given


@pytest.mark.parametrize(("text", "expected"), [
    ("基本目標1\n子育て支援の充実", ("1", "子育て支援の充実")),
    ("基本目標１　子どもが健やかに育つまち", ("1", "子どもが健やかに育つまち")),
    ("第1章 誰もが健やかに暮らせるまち（健康・福祉）", ("1", "健康・福祉")),
    ("第十二章 その他", ("12", "その他")),
    ("(1) 地域づくり", ("1", "地域づくり")),
    ("（２）防災", ("2", "防災")),
    ("⑴ 地域", ("1", "地域")),
    ("①防災", ("1", "防災")),
    ("1-1 子育て支援", ("1-1", "子育て支援")),
    ("１ 子育て・教育 ～未来を担う人づくり～", ("1", "子育て・教育 ～未来を担う人づくり～")),  # the subtitle: apply's
    ("【01】子育て", ("01", "子育て")),  # the id as the city writes it
    ("施策1-2 保育の充実", ("1-2", "保育の充実")),
    ("分野1\u3000子育て・教育", ("1", "子育て・教育")),
    ("2023年度", None),
    ("1,007人", None),
    ("1.5", None),
    ("保育", None),
])
def test_split_heading(text: str, expected: tuple[str, str] | None) -> None:
    assert (split_heading(text) if is_heading(text) else None) == expected
    if expected is None:
        assert split_heading(text)[0] is None or split_heading(text)[1] == ""


# ---------------------------------------------------------------------------------------------
# the layout families' fixtures (tests/fixtures/import, IMPORT-LAYOUTS.md)

FIXTURE_LAYOUTS = {
    "wide-years.xlsx": [("KPI進捗", (1, 2), (4, 5), tuple(range(6, 16)), (17, 18), "", "令和6年3月31日現在")],
    "wide-years-2.xlsx": [("KPI進捗", (1, 2), (4, 5), tuple(range(6, 17)), (18, 19), "", "令和7年3月31日現在")],
    "seika-shihyo.xlsx": [
        ("成果指標", (1, 2, 3, 5, 6), (7,), (8, 9), (), "【01】子育て支援", ""),
        ("成果指標", (11,), (12,), (13, 14, 15), (16,), "【02】学校教育・生涯学習", ""),
        ("成果指標", (18, 19), (20,), (21, 22), (), "【03】ごみ減量・リサイクル", ""),
        ("成果指標", (24,), (25,), (26, 27), (29, 30, 31), "【04】健康づくり", "")],
    "per-area.xlsx": [
        ("分野1 子育て・教育", (1, 2), (4,), (5, 6, 7, 8, 9), (11, 12), "分野1\u3000子育て・教育", ""),
        ("分野2 産業・観光", (1, 2), (4,), (5, 6, 7, 8), (10, 11), "分野2\u3000産業・観光", ""),
        ("分野3 安全・安心", (1, 2), (4,), (5, 6, 7, 8), (10, 11), "分野3\u3000安全・安心", "")],
    "opendata-kpi.csv": [(None, (), (1,), tuple(range(2, 10)), (), "", "")],
    "evaluation-export.xlsx": [("評価データ", (1,), (2,), (3, 4, 5, 6, 7), (), "", "")],
}
FIXTURE_SKIPPED = {
    "wide-years.xlsx": ["表紙", "作業用"], "wide-years-2.xlsx": ["表紙", "作業用"], "per-area.xlsx": ["見方", "集計"],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_LAYOUTS))
def test_fixture_layouts(name: str) -> None:
    tables, skipped = detect(read_grid(FIXTURES / name))
    assert [(t.sheet.name, *layout_of(t)) for t in tables] == FIXTURE_LAYOUTS[name]
    assert [s.name for s in skipped] == FIXTURE_SKIPPED.get(name, [])


def test_fixture_columns() -> None:
    (wide,), _ = detect(read_grid(FIXTURES / "wide-years.xlsx"))
    assert [(c.header, c.meaning, c.year.year if c.year else None) for c in wide.columns[4:]] == [
        ("令和3年度 / 目標", Meaning.TARGET, 2021), ("令和3年度 / 実績", Meaning.VALUE, 2021),
        ("令和4年度 / 目標", Meaning.TARGET, 2022), ("令和4年度 / 実績", Meaning.VALUE, 2022),
        ("令和5年度 / 目標", Meaning.TARGET, 2023), ("令和5年度 / 実績", Meaning.VALUE, 2023),
        ("達成率 (令和5年度)", Meaning.RATE, 2023), ("担当課", Meaning.DEPARTMENT, None)]
    (export,), _ = detect(read_grid(FIXTURES / "evaluation-export.xlsx"))
    slots = [c for c in export.columns if c.header in ("目標", "実績")]
    assert len(slots) == 36  # three indicator slots of six 目標/実績 blocks
    assert [c.block for c in slots] == [b for _ in range(3) for b in range(6) for _ in range(2)]
