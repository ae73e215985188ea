"""Indicators as cities define them: baselines, target years, directions, qualifiers, 累計, rates
and grades — and no miss ever printed as an achievement."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.commands.build import build
from report.load.project.config import load_config
from report.compose.grades import grade
from report.load.project.grade_bands import Band, check_grades
from report.load.indicators import read_cumulative, read_direction, read_target
from report.problems import DataError
from report.compose.rates import met, rate
from report.load.project.rate_settings import HUNDRED, RATE_CHECKS, RateSettings
from report.load.validate import load_project

from .conftest import ROOT, ShippedBuilds, pdf_text

KPI = ROOT / "examples" / "kpi-city"
HEADER = "施策番号,指標名,年度,実績値,単位,目標値,目標年度,基準値,基準年度,方向,累計,時点,備考"


def kpi_copy(tmp_path: Path, toml_extra: str = "", toml_replace: tuple[str, str] | None = None) -> Path:
    target = tmp_path / "kpi"
    shutil.copytree(KPI, target, ignore=shutil.ignore_patterns("build"))
    config = target / "koho.toml"
    text = config.read_text(encoding="utf-8")
    if toml_replace:
        assert toml_replace[0] in text
        text = text.replace(*toml_replace)
    config.write_text(text + toml_extra, encoding="utf-8")
    return target


def with_metrics(project: Path, rows: list[str]) -> Path:
    """The example with `rows` as its only figures; its koho.toml `years` (the period of the figures
    replaced) goes too, as years without data are an error of their own."""
    (project / "data" / "metrics.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    config = project / "koho.toml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("years =")), encoding="utf-8")
    return project


# --- reading the cells --------------------------------------------------------------------------

@pytest.mark.parametrize("typed, value, qualifier, unit", [
    ("176", "176", "", ""), ("30%以上", "30", "以上", ""), ("850g/人以下", "850", "以下", "g/人"),
    ("5件未満", "5", "未満", "件"), ("70%超", "70", "超", ""), ("１，２００人以上", "1200", "以上", "人"),
])
def test_targets_are_read_with_their_qualifier_and_unit(typed: str, value: str, qualifier: str, unit: str) -> None:
    target = read_target(typed)
    assert (target.value, target.qualifier, target.unit) == (Decimal(value), qualifier, unit)


@pytest.mark.parametrize("typed", ["以上", "たくさん", "約30%"])
def test_unreadable_targets_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        read_target(typed)


def test_directions_and_cumulative_are_read_as_typed() -> None:
    assert [read_direction(t) for t in ("増加", "上げる", "↑", "減少", "下げる", "↓", "", "―")] == \
        ["up", "up", "up", "down", "down", "down", None, None]
    assert [read_cumulative(t) for t in ("累計", "○", "単年度", "×", "")] == [True, True, False, False, None]
    with pytest.raises(ValueError):
        read_direction("横ばい")


# --- rates and grades -----------------------------------------------------------------------------

def test_lower_is_better_ratio_is_target_over_value() -> None:
    missed = rate(Decimal(905), Decimal(900), "down", "以下", None, RateSettings())
    assert not missed.achieved and missed.text == "99.4%"  # a city's value ÷ target would print 100.6%
    made = rate(Decimal(875), Decimal(880), "down", "以下", None, RateSettings())
    assert made.achieved and made.text == "100.6%"


def test_rounding_never_lifts_a_miss_to_100_percent() -> None:
    close = rate(Decimal("99.97"), Decimal(100), "up", "", None, RateSettings(digits=1))
    assert not close.achieved and close.text == "99.9%"
    whole = rate(Decimal("862"), Decimal("860"), "down", "", None, RateSettings(digits=0))
    assert whole.text == "99%"
    assert rate(Decimal("99.97"), Decimal(100), "up", "", None, RateSettings(rounding="floor")).text == "99.9%"


def test_a_strict_target_met_with_equality_is_a_miss_without_a_rate() -> None:
    equal = rate(Decimal(70), Decimal(70), "up", "超", None, RateSettings())
    assert not equal.achieved and equal.text == "" and equal.word == "未達成"


def test_a_lower_is_better_target_of_zero_prints_no_rate() -> None:
    """待機児童数 12 → 5 against 目標 0人以下: target ÷ value would print 達成率 0.0% for any value
    above zero (seen importing a city table); no rate is printed, the miss is still a miss, and 0 meets it."""
    fell = rate(Decimal(5), Decimal(0), "down", "以下", None, RateSettings())
    assert fell.text == "" and not fell.achieved and fell.word == "未達成"
    assert rate(Decimal(0), Decimal(0), "down", "以下", None, RateSettings()).achieved
    half = rate(Decimal(6), Decimal(0), "down", "", Decimal(12), RateSettings(method="progress"))
    assert half.text == "50.0%"  # from a baseline, the progress method still has a rate


def test_progress_runs_from_the_baseline_to_the_target() -> None:
    half = rate(Decimal(900), Decimal(800), "down", "", Decimal(1000), RateSettings(method="progress"))
    assert half.text == "50.0%" and not half.achieved
    worse = rate(Decimal(1050), Decimal(800), "down", "", Decimal(1000), RateSettings(method="progress"))
    assert worse.text == "-25.0%"


BANDS = (Band("A", "達成", "◎", HUNDRED), Band("B", "概ね達成", "○", Decimal(90)),
         Band("C", "やや遅れ", "△", Decimal(80)), Band("D", "未達成", "×", None))
decimals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)


@settings(max_examples=400, deadline=None)
@given(value=decimals, target=decimals, baseline=st.none() | decimals, direction=st.sampled_from(["up", "down"]),
       qualifier=st.sampled_from(["", "以上", "超", "以下", "未満"]), method=st.sampled_from(["ratio", "progress"]),
       rounding=st.sampled_from(["round", "floor"]), digits=st.integers(0, 3))
def test_no_miss_is_ever_printed_or_graded_as_an_achievement(value, target, baseline, direction, qualifier,
                                                             method, rounding, digits) -> None:
    if qualifier:
        direction = "up" if qualifier in ("以上", "超") else "down"
    result = rate(value, target, direction, qualifier, baseline, RateSettings(method, rounding, digits))
    assert result.achieved == met(value, target, direction, qualifier)
    band = grade(result, BANDS)
    if not result.achieved:
        assert result.percent is None or result.percent < HUNDRED
        assert band is None or band.minimum is None or band.minimum < HUNDRED
        assert result.word == "未達成"
    elif method == "ratio" and result.percent is not None:
        assert result.percent >= HUNDRED


def test_grade_bands_are_checked_and_may_change_by_year() -> None:
    scheme = check_grades({"A": {"min": 100, "word": "達成", "symbol": "◎"}, "B": {"min": 90, "word": "概ね達成"},
                           "C": {"word": "遅れ"},
                           "令和6年度": {"A": {"min": 100, "word": "達成"}, "B": {"min": 60, "word": "順調"},
                                      "C": {"word": "遅れ"}}})
    assert [b.word for b in scheme.bands_for(2023)] == ["達成", "概ね達成", "遅れ"]
    assert [b.word for b in scheme.bands_for(2024)] == ["達成", "順調", "遅れ"]
    with pytest.raises(ValueError, match="min = 100"):
        check_grades({"A": {"min": 90, "word": "達成"}, "B": {"word": "未達成"}})
    with pytest.raises(ValueError, match="大きい順"):
        check_grades({"A": {"min": 80, "word": "順調"}, "B": {"min": 90, "word": "概ね"}})
    with pytest.raises(ValueError, match="最後"):
        check_grades({"A": {"word": "遅れ"}, "B": {"min": 90, "word": "概ね"}})
    assert [RATE_CHECKS[key](value) for key, value in (("method", "progress"), ("rounding", "floor"), ("digits", 0))] \
        == ["progress", "floor", 0]
    for key, bad in (("method", "average"), ("rounding", "ceil"), ("digits", 7), ("digits", True)):
        with pytest.raises(ValueError, match=key):
            RATE_CHECKS[key](bad)


def test_a_bad_rates_table_is_named_by_its_line(tmp_path: Path) -> None:
    project = kpi_copy(tmp_path, toml_replace=('method = "ratio"', 'method = "mean"'))
    with pytest.raises(DataError) as error:
        load_config(project / "koho.toml")
    [problem] = error.value.problems
    line = (project / "koho.toml").read_text(encoding="utf-8").splitlines().index('method = "mean"        # 実績値÷目標値(少ないほど良い指標は目標値÷実績値)') + 1
    assert problem.column == "rates.method" and problem.row == line and "ratio" in problem.message
    project = kpi_copy(tmp_path / "again", toml_replace=('digits = 1', 'digits = 1\nmethd = "ratio"'))
    config, warnings = load_config(project / "koho.toml")
    assert config.rates == RateSettings("ratio", "floor", 1)
    assert [(w.column, w.severity) for w in warnings] == [("rates.methd", "warning")] and "method" in warnings[0].message


# --- validation, by cell ------------------------------------------------------------------------------

def _errors(project: Path) -> list[str]:
    with pytest.raises(DataError) as error:
        load_project(project)
    return [str(p) for p in error.value.problems if p.severity == "error"]


def test_a_baseline_year_after_the_first_data_year_is_an_error(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), [
        "1-1,ごみ排出量,令和3年度,905,g/人,900,,950,令和4年度,減少,,,",
        "1-1,ごみ排出量,令和4年度,875,g/人,880,,,,減少,,,"])
    [error] = _errors(project)
    assert "metrics.csv 2行目 列「基準年度」(baseline_year): 値「令和4年度」" in error
    assert "最初の実績の年度(令和3年度)より後" in error


def test_a_target_year_before_the_data_is_an_error(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), ["1-2,リサイクル率,令和3年度,26%,%,30%以上,平成30年度,,,,,,"])
    [error] = _errors(project)
    assert "metrics.csv 2行目 列「目標年度」(target_year): 値「平成30年度」" in error and "より前" in error


def test_a_direction_contradicting_the_qualifier_is_an_error(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), [
        "2-1,完全失業率,令和4年度,3.1%,%,3.0%以上,,,,減少,,,",
        "2-1,完全失業率,令和5年度,2.9%,%,3.0%以上,,,,,,,"])
    [error] = _errors(project)
    assert "metrics.csv 2行目 列「方向」(direction): 値「減少」" in error and "3.0%以上" in error


def test_the_progress_method_needs_a_baseline(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path, toml_replace=('method = "ratio"', 'method = "progress"')), [
        "2-2,移住者数,令和4年度,150,人,500,令和7年度,,,,累計,,"])
    [error] = _errors(project)
    assert "metrics.csv 2行目 列「基準値」(baseline)" in error and "progress" in error


def test_a_target_below_the_baseline_needs_its_direction_said(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), ["1-1,ごみ排出量,令和4年度,875,g/人,880,,950,平成27年度,,,,"])
    [error] = _errors(project)
    assert "metrics.csv 2行目 列「目標値」(target): 値「880g/人」" in error and "減少" in error


def test_rows_of_one_indicator_must_agree_on_its_baseline(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), [
        "1-1,ごみ排出量,令和4年度,875,g/人,880以下,,950,,,,,",
        "1-1,ごみ排出量,令和5年度,862,g/人,860以下,,940,,,,,"])
    [error] = _errors(project)
    assert "metrics.csv 3行目 列「基準値」(baseline): 値「940」" in error and "2行目と基準値が違います" in error


def test_a_target_in_another_unit_is_an_error(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), ["1-1,ごみ排出量,令和4年度,875,g/人,0.9kg以下,,,,,,,"])
    [error] = _errors(project)
    assert "列「目標値」(target)" in error and "「kg」" in error


def test_a_year_written_after_its_era_is_read_with_a_note_naming_the_cell() -> None:
    project = load_project(KPI)
    notes = [p for p in project.warnings if p.column == "target_year"]
    assert [p.row for p in notes] == [5, 6, 7]
    assert all(p.severity == "warning" and p.value == "平成32年度" and "令和2年度" in p.message for p in notes)
    recycling = next(m for m in project.measures if m.id == "1-2").metrics
    assert {m.target_year for m in recycling} == {2020}


# --- what is printed ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kpi_builds(shipped_documents: ShippedBuilds) -> dict:
    return {kind: shipped_documents["kpi", kind] for kind in ("newsletter", "handout", "archive")}


_TARGET_RE = re.compile(r"^(?P<number>[\d,.]+)(?P<unit>.*?)(?P<qualifier>以上|以下|未満|超)?$")


def _met(value: str, target: str) -> bool:
    """Whether a printed value meets a printed target, read from the page alone."""
    match = _TARGET_RE.match(target.replace("\n", ""))
    goal, qualifier = Decimal(match["number"].replace(",", "")), match["qualifier"] or "以上"
    number = Decimal(value.replace(",", ""))
    return {"以上": number >= goal, "超": number > goal, "以下": number <= goal, "未満": number < goal}[qualifier]


def indicator_tables(pdf: Path) -> list[dict[str, list[str]]]:
    """The archive's indicator tables as printed: row header → cells."""
    tables = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for table in page.extract_tables():
                rows = {row[0]: row[1:] for row in table if row and row[0]}
                if "年度" in rows and "達成率" in rows:
                    tables.append(rows)
    return tables


def assert_no_miss_printed_as_achieved(pdf: Path) -> int:
    """Check every year of every indicator table against its own printed target; return years checked."""
    checked = 0
    for rows in indicator_tables(pdf):
        header = rows["年度"]
        final = rows["実績"][-1] if header[-1].startswith("目標") else None
        compared = rows.get("累計", rows["実績"])
        for index, heading in enumerate(header):
            if heading.startswith(("基準", "目標")):
                continue
            target = (rows.get("その年度の目標") or [""] * len(header))[index] or final
            shown_rate, shown_grade = rows["達成率"][index], rows.get("評価", [""] * len(header))[index]
            if _met(compared[index], target):
                assert shown_rate == "達成" or Decimal(shown_rate.rstrip("%")) >= 100, (rows, heading)
            else:
                assert shown_rate == "未達成" or Decimal(shown_rate.rstrip("%")) < 100, (rows, heading)
                assert "◎" not in shown_grade and not shown_grade.endswith(" 達成"), (rows, heading)
            checked += 1
    return checked


def test_the_archive_never_prints_a_miss_as_an_achievement(kpi_builds) -> None:
    assert assert_no_miss_printed_as_achieved(kpi_builds["archive"].pdf) == 16


@pytest.mark.parametrize("change", [
    ('rounding = "floor"      # 切り捨て\ndigits = 1', 'rounding = "round"\ndigits = 0'),
    ('method = "ratio"', 'method = "progress"'),
])
def test_no_miss_is_achieved_under_any_rate_setting(tmp_path: Path, change: tuple[str, str]) -> None:
    result = build(kpi_copy(tmp_path, toml_replace=change), output=tmp_path / "archive.pdf", kind="archive")
    assert assert_no_miss_printed_as_achieved(result.pdf) == 16
    if "digits = 0" in change[1]:  # 862 against 860以下 is 99.77%: rounds to 100%, held at 99%
        [waste] = [t for t in indicator_tables(result.pdf) if t["実績"][0] == "950"]
        assert waste["達成率"] == ["", "99%", "101%", "99%", ""]


def test_the_archive_prints_baselines_targets_years_and_directions(kpi_builds) -> None:
    tables = indicator_tables(kpi_builds["archive"].pdf)
    waste = next(t for t in tables if t["実績"][0] == "950")
    assert waste["年度"] == ["基準値\n平成27年度", "令和3年度", "令和4年度", "令和5年度", "目標\n令和5年度"]
    assert waste["実績"] == ["950", "905", "875", "862", "860g/人以下"]
    assert waste["達成率"][1:4] == ["99.4%", "100.5%", "99.7%"]  # target ÷ value, floored
    assert waste["評価"][1:4] == ["○ 概ね達成", "◎ 達成", "○ 順調"]  # 令和5年度 has its own bands
    migrants = next(t for t in tables if "累計" in t)
    assert migrants["累計"][1:4] == ["120", "270", "410"] and migrants["達成率"][1:4] == ["24.0%", "54.0%", "82.0%"]
    recycling = next(t for t in tables if t["実績"][0] == "18.5")
    assert recycling["年度"][-1] == "目標\n令和2年度"  # typed 平成32年度: printed converted
    text = pdf_text(kpi_builds["archive"].pdf)
    assert "↓少ないほど良い指標" in text and "↑多いほど良い指標" in text
    assert "基準平成27年度" in text and "目標860g/人以下" in text  # the chart marks baseline and target in words (as the text names years)
    assert "平成32" not in text
    from pypdf import PdfReader

    from .test_kinds import _struct_elements

    alts = [str(f.get("/Alt", "")) for f in _struct_elements(PdfReader(kpi_builds["archive"].pdf), "/Figure")]
    waste_alt = next(alt for alt in alts if alt.startswith("1人1日あたりのごみ排出量"))
    assert "基準値950g/人(平成27年度)" in waste_alt and "少ないほど良い指標" in waste_alt
    assert "令和3年度905g/人(目標900g/人以下、達成率99.4%、未達成" in waste_alt


def test_the_handout_shows_baseline_target_and_every_years_rate(kpi_builds) -> None:
    text = pdf_text(kpi_builds["handout"].pdf)
    with pdfplumber.open(kpi_builds["handout"].pdf) as pdf:
        assert min(round(c["size"], 1) for page in pdf.pages for c in page.chars) >= 12.0
    assert "基準値950g/人(平成27年度)" in text
    assert "目標860g/人以下(令和5年度)" in text
    assert "達成率99.4%100.5%99.7%" in text
    assert "達成率97.1%未達成" in text  # 70% against 「70%超」
    # one count per grade scale in force: ○ is 概ね達成 in one table and 順調 in the other, never both in one
    assert "分野別の指標の評価(令和4年度までの段階で評価、" in text and "◎達成○概ね達成△やや遅れ×遅れ計" in text
    assert "分野別の指標の評価(令和5年度からの段階で評価、" in text and "◎達成○順調×遅れ計" in text
    assert "100.6%" not in text  # value ÷ target of the missed 令和3年度 (905 against 900以下)


def test_the_newsletter_key_figure_says_the_direction(kpi_builds) -> None:
    text = pdf_text(kpi_builds["newsletter"].pdf)
    assert "目標860g/人以下(令和5年度)・達成率99.7%" in text
    assert "目標3.0%以下(令和5年度)・達成率103.4%・◎達成" in text
    assert "目標70%超(令和5年度)・未達成" in text
    assert "410人(累計)" in text  # every year adds up, not only the two printed years
    assert "100.2%" not in text  # 862 ÷ 860: a miss as a city would print it


def test_an_excel_workbook_with_numbers_typed_as_numbers_reads_the_same(tmp_path: Path) -> None:
    from report.load.tables.schema import TABLES

    from .test_inputs import read_rows, write_workbook

    project = kpi_copy(tmp_path)

    def typed(cell: str) -> object:
        try:
            return int(cell) if cell.isdigit() else float(cell)
        except ValueError:
            return cell or None

    sheets = {t.label: [[typed(c) for c in row] for row in read_rows(project / "data" / f"{t.name}.csv")]
              for t in TABLES}
    for table in TABLES:
        (project / "data" / f"{table.name}.csv").unlink()
    write_workbook(project / "data" / "kpi.xlsx", sheets)
    from_excel, from_csv = load_project(project), load_project(KPI)
    assert [m.metrics for m in from_excel.measures] == [m.metrics for m in from_csv.measures]
    waste = next(m for m in from_excel.measures if m.id == "1-1").metrics
    assert (waste[0].baseline, waste[0].baseline_year, waste[0].target_qualifier) == (Decimal(950), 2015, "以下")


def test_values_falling_toward_a_target_with_no_direction_get_a_warning(tmp_path: Path) -> None:
    project = with_metrics(kpi_copy(tmp_path), [
        "1-1,ごみ排出量,令和4年度,905,g/人,900,,,,,,,",
        "1-1,ごみ排出量,令和5年度,902,g/人,900,,,,,,,"])
    [warning] = [p for p in load_project(project).warnings if p.column == "target"]
    assert warning.severity == "warning" and warning.row == 3 and "減少" in warning.message
    said = with_metrics(project, ["1-1,ごみ排出量,令和4年度,905,g/人,900,,,,減少,,,",
                                  "1-1,ごみ排出量,令和5年度,902,g/人,900,,,,,,,"])
    assert not [p for p in load_project(said).warnings if p.column == "target"]


def test_koho_init_workbook_offers_the_indicator_columns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from .conftest import new_project

    project = new_project(tmp_path)
    sheet = load_workbook(project / "data" / "manifesto.xlsx")["実績"]
    header = [c.value for c in sheet[1]]
    for label in ("目標年度", "基準値", "基準年度", "方向", "累計"):
        assert label in header
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation if v.formula1}
    direction = sheet.cell(row=1, column=header.index("方向") + 1).coordinate
    assert lists[direction] == '"増加,減少"'
    example = load_project(project).measures[0].metrics[0]
    assert (example.target_qualifier, example.baseline_year, example.direction) == ("以上", 2021, "up")
