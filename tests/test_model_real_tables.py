"""What real city tables hold (issue 22 item 5), in the CSV and Excel contract: a final target beside
differing yearly targets (最終目標値・最終目標年度), running totals given as such (累計値), the city's
own grade (評価), a table-wide as-of date ([data] as_of) and calendar years (暦年) — each read, printed
where a reader needs it, and checked naming the cell."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from report.commands.build import build
from report.compose.opendata import metrics_csv
from report.load.values.era import parse_metric_year, read_year_kind, year_label
from report.load.indicators import RUNNING, read_cumulative
from report.load.tables.schema import TABLES
from report.load.validate import load_project
from report.problems import DataError

from .conftest import SAMPLE, copy_project, pdf_text
from .test_errors import assert_clean_failure, koho
from .test_indicators import HEADER, kpi_copy
from .test_inputs import read_rows, write_workbook

MODEL_HEADER = HEADER + ",最終目標値,最終目標年度,評価,年の区分"
# 移住者数: yearly targets 100/130/150 and a final target 500 for 令和7年度. 公民館改修数: each cell
# already the running total (小矢部市's なし, 5, 6, 7箇所). 完全失業率: the city's grades C, B, A, the
# same bands as koho.toml's [grades]. 観光入込客数: calendar years, one in the cell, one by 年の区分.
ROWS = [
    "2-2,移住者数,令和3年度,120,人,100,令和3年度,,,,単年度,,,500,令和7年度,,",
    "2-2,移住者数,令和4年度,150,人,130,令和4年度,,,,単年度,,,,,,",
    "2-2,移住者数,令和5年度,140,人,150,令和5年度,,,,単年度,,,,,,",
    "1-2,公民館改修数,令和3年度,5,箇所,10,令和7年度,,,,累計値,,,,,,",
    "1-2,公民館改修数,令和4年度,6,箇所,10,令和7年度,,,,累計値,,,,,,",
    "1-2,公民館改修数,令和5年度,7,箇所,10,令和7年度,,,,累計値,,,,,,",
    "2-1,完全失業率,令和3年度,3.4%,%,3.0,令和5年度,4.2%,平成27年度,減少,,,,,,C,",
    "2-1,完全失業率,令和4年度,3.1%,%,3.0,令和5年度,,,減少,,,,,,B,",
    "2-1,完全失業率,令和5年度,2.9%,%,3.0,令和5年度,,,減少,,,,,,A,",
    "3-2,観光入込客数,2022年(暦年),41000,人,,,,,,,,,,,,",
    "3-2,観光入込客数,2023,45000,人,,,,,,,,,,,,暦年",
]
AS_OF = "\n[data]\nas_of = 2024-03-31\n"


def model_project(tmp_path: Path, rows: list[str] = ROWS, toml_extra: str = AS_OF) -> Path:
    """The KPI example with `rows` in the model's columns as its figures (its `years` dropped)."""
    project = kpi_copy(tmp_path, toml_extra)
    (project / "data" / "metrics.csv").write_text("\n".join([MODEL_HEADER, *rows]) + "\n", encoding="utf-8")
    config = project / "koho.toml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("years =")), encoding="utf-8")
    return project


def as_excel(project: Path) -> Path:
    """The project's three CSV files as one workbook (numbers typed as numbers), the CSVs removed."""
    def typed(cell: str) -> object:
        try:
            return int(cell) if cell.isdigit() else float(cell)
        except ValueError:
            return cell or None

    data = project / "data"
    sheets = {t.label: [[typed(c) for c in row] for row in read_rows(data / f"{t.name}.csv")] for t in TABLES}
    for table in TABLES:
        (data / f"{table.name}.csv").unlink()
    write_workbook(data / "kpi.xlsx", sheets)
    return project


def series(project_path: Path, label: str) -> tuple:
    project = load_project(project_path)
    return next(s for m in project.measures for name, s in m.metric_series.items() if name == label)


def problems_of(project: Path) -> list:
    with pytest.raises(DataError) as error:
        load_project(project)
    return error.value.problems


# --- reading the cells --------------------------------------------------------------------------

def test_the_new_cells_are_read_as_cities_write_them() -> None:
    assert read_cumulative("累計値") == RUNNING and read_cumulative("累計") is True
    assert read_cumulative("単年度") is False and read_cumulative("") is None
    assert parse_metric_year("2023年(暦年)") == (2023, True)
    assert parse_metric_year("令和5年(暦年)") == (2023, True)
    assert parse_metric_year("令和５年（暦年）") == (2023, True)
    assert parse_metric_year("令和5年") == (2023, False)  # as before: many cities write 令和5年 for the fiscal year
    assert parse_metric_year("令和5年度") == (2023, False)
    with pytest.raises(ValueError, match="年度と暦年の両方"):
        parse_metric_year("2023年度(暦年)")
    assert read_year_kind("暦年") is True and read_year_kind("年度") is False and read_year_kind("") is False
    with pytest.raises(ValueError, match="暦年"):
        read_year_kind("半期")
    assert (year_label(2023, calendar=True), year_label(2023, "short", True), year_label(2023, "western", True)) == (
        "令和5年", "R5年", "2023年")
    assert year_label(2023) == "令和5年度"


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "xlsx"])
def test_every_new_column_is_read_from_csv_and_excel(tmp_path: Path, excel: bool) -> None:
    project = model_project(tmp_path)
    if excel:
        as_excel(project)
    moving = series(project, "移住者数")
    assert [(m.target, m.final_target, m.final_target_year) for m in moving] == [
        (Decimal(100), Decimal(500), 2025), (Decimal(130), None, None), (Decimal(150), None, None)]
    halls = series(project, "公民館改修数")
    assert [(m.running, m.cumulative) for m in halls] == [(True, None)] * 3
    assert [m.grade for m in series(project, "完全失業率")] == ["C", "B", "A"]
    visitors = series(project, "観光入込客数")
    assert [(m.fiscal_year, m.calendar) for m in visitors] == [(2022, True), (2023, True)]
    # [data] as_of where a row has no 時点; a row's own 時点 still wins
    assert {m.as_of for m in halls} == {dt.date(2024, 3, 31)}


def test_a_row_s_own_as_of_date_wins_over_the_table_s(tmp_path: Path) -> None:
    rows = ["1-2,公民館改修数,令和4年度,6,箇所,,,,,,累計値,2023-11-01,,,,,",
            "1-2,公民館改修数,令和5年度,7,箇所,,,,,,累計値,,,,,,"]
    dates = [m.as_of for m in series(model_project(tmp_path, rows), "公民館改修数")]
    assert dates == [dt.date(2023, 11, 1), dt.date(2024, 3, 31)]


def test_the_english_column_names_read_the_same(tmp_path: Path) -> None:
    project = model_project(tmp_path)
    path = project / "data" / "metrics.csv"
    english = "measure,label,fiscal_year,value,unit,target,target_year,baseline,baseline_year,direction," \
              "cumulative,as_of,note,final_target,final_target_year,grade,year_kind"
    path.write_text(path.read_text(encoding="utf-8").replace(MODEL_HEADER, english), encoding="utf-8")
    assert series(project, "移住者数")[0].final_target == Decimal(500)
    assert series(project, "観光入込客数")[1].calendar


def test_the_open_data_csv_carries_the_new_columns_only_when_used(tmp_path: Path) -> None:
    plain = load_project(SAMPLE)
    header = metrics_csv(m for measure in plain.measures for m in measure.metrics).decode("utf-8-sig").splitlines()[0]
    assert header == "施策番号,指標名,年度,実績値,単位,目標値,目標年度,基準値,基準年度,方向,累計,時点,備考"
    project = model_project(tmp_path)
    loaded = load_project(project)
    written = metrics_csv(m for measure in loaded.measures for m in measure.metrics)
    assert written.decode("utf-8-sig").splitlines()[0] == (
        "施策番号,指標名,年度,実績値,単位,目標値,目標年度,最終目標値,最終目標年度,基準値,基準年度,方向,累計,評価,年の区分,時点,備考")
    (project / "data" / "metrics.csv").write_bytes(written)  # read back: the very same figures
    assert [m.metrics for m in load_project(project).measures] == [m.metrics for m in loaded.measures]


# --- printed where a reader needs it --------------------------------------------------------------

@pytest.fixture(scope="module")
def model_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = model_project(tmp_path_factory.mktemp("model"))
    out = tmp_path_factory.mktemp("model-out")
    texts = {}
    for kind in ("newsletter", "handout", "archive"):
        build(project, output=out / f"{kind}.pdf", kind=kind)
        texts[kind] = pdf_text(out / f"{kind}.pdf")
    return texts


def test_the_final_target_is_printed_beside_the_yearly_ones(model_builds: dict[str, str]) -> None:
    archive, handout, newsletter = model_builds["archive"], model_builds["handout"], model_builds["newsletter"]
    # archive: the final target's column with its year; each year's own target and its rate by it
    assert "最終目標令和7年度実績120150140500人その年度の目標100人130人150人達成率120.0%115.3%93.3%" in archive
    # handout: each year's target in the table, the final target under it
    assert "目標100人130人150人達成率120.0%115.3%93.3%" in handout and "最終目標500人(令和7年度)" in handout
    # newsletter: the final target is the headline, the latest year's target and rate beside it
    assert "最終目標500人(令和7年度)・令和5年度の目標150人・達成率93.3%" in newsletter


def test_a_running_total_is_printed_as_given(model_builds: dict[str, str]) -> None:
    archive, handout = model_builds["archive"], model_builds["handout"]
    # 5, 6, 7 as typed (never 5, 11, 18), the rate of the latest total against 10
    assert "実績(累計)56710箇所達成率50.0%60.0%70.0%" in archive
    assert "実績(累計)567達成率50.0%60.0%70.0%" in handout
    assert "18" not in archive.split("公民館改修数")[1].split("2-1")[0]


def test_the_city_s_grade_is_printed_beside_koho_s(model_builds: dict[str, str]) -> None:
    assert "評価△やや遅れ○概ね達成◎達成市の評価CBA" in model_builds["archive"]
    assert "市の評価CBA" in model_builds["handout"]
    assert "◎達成・市の評価A" in model_builds["newsletter"]


def test_calendar_years_are_printed_as_years(model_builds: dict[str, str]) -> None:
    archive, handout = model_builds["archive"], model_builds["handout"]
    assert "年令和4年令和5年実績41,00045,000" in archive  # the column head says 年, not 年度
    assert "令和4年度41,000" not in archive and "令和5年度45,000" not in archive
    assert "令和4年令和5年41,000人45,000人" in archive  # the chart's labels
    assert "年令和4令和5実績41,00045,000" in handout


def test_the_table_s_as_of_date_is_printed_where_a_row_has_none(model_builds: dict[str, str]) -> None:
    assert "公民館改修数(単位:箇所)令和6年3月31日時点" in model_builds["archive"]
    assert "令和6年3月31日時点" in model_builds["newsletter"]


@pytest.mark.parametrize("source, shown, hidden", [
    ("city", "評価CBA", ["市の評価", "やや遅れ"]),
    ("koho", "評価△やや遅れ○概ね達成◎達成", ["市の評価"]),
])
def test_data_grades_chooses_whose_grade_is_printed(tmp_path: Path, source: str, shown: str,
                                                    hidden: list[str]) -> None:
    project = model_project(tmp_path, ROWS[6:9], AS_OF + f'grades = "{source}"\n')
    build(project, output=tmp_path / "archive.pdf", kind="archive")
    text = pdf_text(tmp_path / "archive.pdf")
    assert shown in text
    assert not [word for word in hidden if word in text.split("完全失業率")[1]]


def test_the_city_s_grade_alone_is_printed_without_grades_bands(tmp_path: Path) -> None:
    project = model_project(tmp_path, ROWS[6:9], "")
    text = (project / "koho.toml").read_text(encoding="utf-8")
    head, tail = text.split("# 令和4年度までの評価の段階")
    (project / "koho.toml").write_text(head + tail[tail.index("[contact]"):], encoding="utf-8")
    assert not load_project(project).config.grades
    build(project, output=tmp_path / "handout.pdf", kind="handout")
    handout = pdf_text(tmp_path / "handout.pdf")
    assert "評価CBA" in handout and "市の評価" not in handout


def test_data_without_the_new_columns_prints_as_before(tmp_path: Path) -> None:
    """The kinds' own tests check every document byte for byte; here: the new words never appear."""
    project = copy_project(tmp_path)
    build(project, output=tmp_path / "archive.pdf", kind="archive")
    text = pdf_text(tmp_path / "archive.pdf")
    assert not [word for word in ("最終目標", "市の評価", "(累計)") if word in text]


# --- checks, each naming the cell ----------------------------------------------------------------

def test_a_running_total_that_falls_is_a_warning_naming_the_cell(tmp_path: Path) -> None:
    rows = ["1-2,公民館改修数,令和4年度,6,箇所,,,,,,累計値,,,,,,",
            "1-2,公民館改修数,令和5年度,5,箇所,,,,,,累計値,,,,,,"]
    [warning] = [p for p in load_project(model_project(tmp_path, rows)).warnings if p.column == "value"]
    assert (warning.severity, warning.file, warning.row, warning.column_label, warning.value) == (
        "warning", "metrics.csv", 3, "実績値", "5")
    assert "前の年度(令和4年度: 6)より減っています" in warning.message


def test_a_running_total_drawn_as_yearly_amounts_is_an_error(tmp_path: Path) -> None:
    project = model_project(tmp_path, ["1-2,公民館改修数,令和4年度,6,箇所,10,,,,,累計値,,,,,,",
                                       "1-2,公民館改修数,令和5年度,7,箇所,10,,,,,累計値,,,,,,"])
    path = project / "data" / "metrics.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("年の区分", "年の区分,グラフ").replace(",,,,,,\n", ",,,,,,,progress\n"),
                    encoding="utf-8")
    [error] = [p for p in problems_of(project) if p.severity == "error"]
    assert (error.row, error.column) == (3, "chart") and "累計値" in error.message and "二重に" in error.message


@pytest.mark.parametrize(("rows", "named", "said"), [
    (["1-2,公民館改修数,令和4年度,6,箇所,,,,,,累計,,,,,,", "1-2,公民館改修数,令和5年度,7,箇所,,,,,,累計値,,,,,,"],
     ("累計", "累計値"), "2行目の累計の列は「累計」"),  # the running total read two ways
    (["3-2,観光入込客数,令和4年度,41000,人,,,,,,,,,,,,", "3-2,観光入込客数,令和5年(暦年),45000,人,,,,,,,,,,,,"],
     ("年度", "令和5年"), "2行目は年度、この行は暦年です"),  # calendar and fiscal years in one indicator
])
def test_an_indicator_read_two_ways_is_an_error_naming_the_second_row(tmp_path: Path, rows: list[str],
                                                                       named: tuple[str, str], said: str) -> None:
    [error] = [p for p in problems_of(model_project(tmp_path, rows)) if p.severity == "error"]
    assert (error.row, error.column_label, error.value) == (3, *named)
    assert said in error.message


def test_final_targets_that_disagree_are_an_error_naming_the_cell(tmp_path: Path) -> None:
    project = model_project(tmp_path, ["2-2,移住者数,令和4年度,150,人,130,,,,,,,,500,令和7年度,,",
                                       "2-2,移住者数,令和5年度,140,人,150,,,,,,,,600,令和7年度,,"])
    [error] = [p for p in problems_of(project) if p.severity == "error"]
    assert (error.file, error.row, error.column_label, error.value) == ("metrics.csv", 3, "最終目標値", "600")
    assert "2行目と最終目標値が違います" in error.message


@pytest.mark.parametrize(("row", "named", "said"), [
    ("2-2,移住者数,令和4年度,150,人,130,令和6年度,,,,,,,500,令和5年度,,", ("最終目標年度", "令和5年度"), "令和6年度"),  # before a yearly target's year
    ("2-2,移住者数,令和4年度,150,人,130,,,,,,,,500件,令和7年度,,", ("最終目標値", "500件"), ""),  # in another unit
    ("2-1,完全失業率,令和4年度,3.1%,%,3.0,,,,減少,,,,3.0%以上,令和7年度,,", ("最終目標値", "3.0以上"),
     "方向「減少」と合いません"),  # contradicting the direction
])
def test_a_final_target_that_cannot_be_is_an_error_naming_its_cell(tmp_path: Path, row: str,
                                                                     named: tuple[str, str], said: str) -> None:
    [error] = [p for p in problems_of(model_project(tmp_path, [row])) if p.severity == "error"]
    assert (error.row, error.column_label, error.value) == (2, *named)
    assert said in error.message


def test_a_final_target_alone_rates_every_year(tmp_path: Path) -> None:
    project = model_project(tmp_path, ["2-2,移住者数,令和4年度,150,人,,,,,,単年度,,,500以上,令和7年度,,",
                                       "2-2,移住者数,令和5年度,400,人,,,,,,単年度,,,,,,"])
    build(project, output=tmp_path / "archive.pdf", kind="archive")
    text = pdf_text(tmp_path / "archive.pdf")
    assert "最終目標令和7年度実績150400500人以上達成率30.0%80.0%" in text


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "xlsx"])
def test_a_city_grade_that_disagrees_with_koho_s_is_a_warning_naming_the_cell(tmp_path: Path, excel: bool) -> None:
    rows = [ROWS[6], ROWS[7].replace(",B,", ",A,"), ROWS[8]]
    project = model_project(tmp_path, rows)
    if excel:
        as_excel(project)
    [warning] = [p for p in load_project(project).warnings if p.column == "grade"]
    assert (warning.severity, warning.row, warning.column_label, warning.value) == ("warning", 3, "評価", "A")
    assert warning.sheet == ("実績" if excel else None)
    assert "令和4年度の評価(達成率96.7%、○ 概ね達成)と違います" in warning.message


def test_grades_that_name_the_band_by_word_or_symbol_agree(tmp_path: Path) -> None:
    rows = [ROWS[6].replace(",C,", ",やや遅れ,"), ROWS[7].replace(",B,", ",○,"), ROWS[8].replace(",A,", ",◎ 達成,")]
    assert not [p for p in load_project(model_project(tmp_path, rows)).warnings if p.column == "grade"]




def test_a_bad_year_kind_names_its_cell(tmp_path: Path) -> None:
    project = model_project(tmp_path, ["3-2,観光入込客数,2023,45000,人,,,,,,,,,,,,半期"])
    result = koho("validate", str(project), "--format", "json")
    assert_clean_failure(result)
    [problem] = json.loads(result.stdout)
    assert (problem["row"], problem["column_label"], problem["value"]) == (2, "年の区分", "半期")


@pytest.mark.parametrize("setting, key", [('as_of = "令和6年13月1日"', "data.as_of"), ('grades = "mine"', "data.grades"),
                                          ("as_of = 5", "data.as_of")])
def test_a_bad_data_setting_names_its_line(tmp_path: Path, setting: str, key: str) -> None:
    project = model_project(tmp_path, ROWS[:3], f"\n[data]\n{setting}\n")
    result = koho("build", str(project), "-o", str(tmp_path / "out.pdf"))
    assert_clean_failure(result)
    assert not (tmp_path / "out.pdf").exists()
    [problem] = problems_of(project)
    lines = (project / "koho.toml").read_text(encoding="utf-8").splitlines()
    assert problem.column == key and lines[problem.row - 1] == setting


def test_the_init_workbook_offers_the_new_columns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from .conftest import new_project

    project = new_project(tmp_path)
    sheet = load_workbook(project / "data" / "manifesto.xlsx")["実績"]
    header = [c.value for c in sheet[1]]
    for label in ("最終目標値", "最終目標年度", "評価", "年の区分"):
        assert label in header
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation if v.formula1}
    assert lists[sheet.cell(row=1, column=header.index("累計") + 1).coordinate] == '"累計,累計値,単年度,未確定"'
    assert lists[sheet.cell(row=1, column=header.index("年の区分") + 1).coordinate] == '"年度,暦年"'


def test_the_web_page_says_year_and_running_total(tmp_path: Path) -> None:
    featured = [row.replace("1-2,", "2-1,").replace("3-2,", "3-1,") for row in ROWS[3:6] + ROWS[9:]]
    project = model_project(tmp_path, featured)
    build(project, kind="web", pdf=False, output=tmp_path / "web")
    text = (tmp_path / "web" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">年</th>' in text and "令和5年</th>" in text
    assert '<th scope="col">実績(累計)</th>' in text


def test_the_handout_counts_koho_s_grades_only_where_it_prints_them(tmp_path: Path) -> None:
    from report.compose.grade_summary import grade_summaries

    both = load_project(model_project(tmp_path / "both", ROWS[6:9]))
    city = load_project(model_project(tmp_path / "city", ROWS[6:9], AS_OF + 'grades = "city"\n'))
    assert [summary.total.counts[0] for summary in grade_summaries(both)] == [1]  # ◎ 達成 in 令和5年度
    assert grade_summaries(city) == ()  # the pages print the city's grades: no count of koho's beside them


def test_the_newsletter_names_the_target_the_latest_rate_is_against(tmp_path: Path) -> None:
    """A latest year without its own target is rated by the last yearly one, and the key figure says so."""
    rows = ["2-1,完全失業率,令和4年度,3.1%,%,3.0以下,,,,,,,,2.5以下,令和7年度,,",
            "2-1,完全失業率,令和5年度,2.9%,%,,,,,,,,,,,,"]
    project = model_project(tmp_path, rows)
    build(project, output=tmp_path / "newsletter.pdf", kind="newsletter")
    text = pdf_text(tmp_path / "newsletter.pdf")
    assert "最終目標2.5%以下(令和7年度)・令和5年度の目標3.0%以下・達成率" in text
