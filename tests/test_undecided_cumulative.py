"""An undecided 累計 (issue 22 item 4): 「未確定」 in the 累計 column until the city answers whether a
「(累計)」 column holds running totals or yearly amounts that add up.

Until then the documents print nothing the file does not say: each value as its own figure and the
target as the target, but no running total, no 達成率, no 達成/未達成 and no grade for that
indicator (the handout's count by grade leaves it out, and says so); other indicators keep theirs.
`koho validate` asks it as a question naming the cell; an import with the question open writes
未確定 and asks it once, at the source cell.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from report.compose.figures import key_number
from report.compose.grade_summary import grade_summaries
from report.load.indicators import UNDECIDED, indicator_of, read_cumulative
from report.load.validate import load_project

from .conftest import pdf_text
from .test_errors import koho

FIXTURES = Path(__file__).parent / "fixtures" / "import"

KOHO_TOML = """title = "市長マニフェスト 取組状況"
municipality = "架空市"
newsletter = "広報かくう"
issue = "令和6年3月号"

[grades]
A = { min = 100, word = "達成", symbol = "◎" }
B = { min = 50, word = "概ね達成", symbol = "○" }
C = { word = "未達成", symbol = "△" }
"""
AREAS = "分野番号,分野名,副題,色\n1,地域づくり,みんなでつくるまち,\n"
MEASURES = ("施策番号,分野番号,ビジョン内容,取組内容,進捗,担当課,掲載\n"
            "01-1,1,地域の話し合いの場を広げます。,草の根対話を開きます,実施中,企画課,1\n")
# 草の根対話: 72 and 104 of 176 — running totals or yearly amounts? not decided yet (未確定).
# 相談件数: 単年度, rated as before (90 of 100: 90%).
METRICS = ("施策番号,指標名,年度,実績値,単位,目標値,累計\n"
           "01-1,草の根対話の開催自治会数,令和4年度,72,自治会,176,未確定\n"
           "01-1,草の根対話の開催自治会数,令和5年度,104,自治会,176,未確定\n"
           "01-1,相談件数,令和4年度,80,件,100,単年度\n"
           "01-1,相談件数,令和5年度,90,件,100,単年度\n")
UNDECIDED_LABEL = "草の根対話の開催自治会数"


def typed_project(tmp_path: Path) -> Path:
    """A typed CSV project: one measure, an undecided 累計 indicator beside a decided one."""
    project = tmp_path / "project"
    project.mkdir()
    for name, text in (("koho.toml", KOHO_TOML), ("areas.csv", AREAS), ("measures.csv", MEASURES),
                       ("metrics.csv", METRICS)):
        (project / name).write_text(text, encoding="utf-8")
    return project


@pytest.mark.parametrize("typed", ["未確定", "未定", " 未確定 ", "不明"])
def test_the_contract_reads_undecided(typed: str) -> None:
    assert read_cumulative(typed) is UNDECIDED or read_cumulative(typed) == UNDECIDED


def test_a_word_off_the_contract_names_undecided_in_its_message() -> None:
    with pytest.raises(ValueError, match="未確定"):
        read_cumulative("たぶん累計")


def test_the_model_carries_it_and_composing_prints_no_rate_total_or_grade(tmp_path: Path) -> None:
    project = load_project(typed_project(tmp_path))
    series = project.measures[0].metric_series
    undecided, decided = series[UNDECIDED_LABEL], series["相談件数"]
    assert all(m.undecided and m.cumulative is None and not m.running for m in undecided)
    assert indicator_of(undecided).undecided and not indicator_of(decided).undecided
    item = key_number(undecided, "wareki", False, project.config.rates, project.config.grades)
    assert (item.number, item.target, item.rate, item.judgment, item.grade) == ("104", "176自治会", "", "", "")
    assert [(y.value, y.rate, y.judgment, y.grade, y.compared) for y in item.years] == [
        ("72自治会", "", "", "", ""), ("104自治会", "", "", "", "")]
    other = key_number(decided, "wareki", False, project.config.rates, project.config.grades)
    assert (other.rate, other.judgment, other.grade) == ("90.0%", "未達成", "○ 概ね達成")


def test_the_handout_count_by_grade_leaves_it_out(tmp_path: Path) -> None:
    [summary] = grade_summaries(load_project(typed_project(tmp_path)))
    assert (summary.total.total, summary.undecided) == (1, 1)  # 相談件数 counted; 草の根対話 left out


def test_validate_asks_it_as_a_question_naming_the_cell(tmp_path: Path) -> None:
    project = typed_project(tmp_path)
    result = koho("validate", str(project), "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    problems = found["problems"] if isinstance(found, dict) else found
    asked = [p for p in problems if p["severity"] == "question"]
    assert len(asked) == 1, problems  # once per indicator, not once per row
    assert (asked[0]["file"], asked[0]["row"], asked[0]["column"], asked[0]["value"]) == (
        "metrics.csv", 2, "cumulative", "未確定")
    assert "累計値" in asked[0]["message"] and "単年度" in asked[0]["message"]
    strict = koho("validate", str(project), "--strict")
    assert strict.exit_code == 1 and "質問" in strict.output and "metrics.csv" in strict.output


def test_a_progress_chart_for_an_undecided_indicator_is_refused(tmp_path: Path) -> None:
    project = typed_project(tmp_path)
    (project / "metrics.csv").write_text(METRICS.replace("施策番号,指標名,年度,実績値,単位,目標値,累計",
                                                         "施策番号,指標名,年度,実績値,単位,目標値,累計,グラフ")
                                         .replace("176,未確定\n", "176,未確定,progress\n", 1), encoding="utf-8")
    result = koho("validate", str(project))
    assert result.exit_code == 1 and "未確定" in result.output and "progress" in result.output


def test_rows_of_one_indicator_must_agree_on_undecided(tmp_path: Path) -> None:
    project = typed_project(tmp_path)
    (project / "metrics.csv").write_text(METRICS.replace("104,自治会,176,未確定", "104,自治会,176,累計値"),
                                         encoding="utf-8")
    result = koho("validate", str(project))
    assert result.exit_code == 1 and "3行目の累計の列は「累計値」" in result.output, result.output


@pytest.mark.parametrize("kind", ["newsletter", "handout", "archive"])
def test_the_documents_print_values_and_target_but_no_rate(tmp_path: Path, kind: str) -> None:
    project = typed_project(tmp_path)
    out = tmp_path / f"{kind}.pdf"
    result = koho("build", str(project), "--kind", kind, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert UNDECIDED_LABEL in text and "72" in text and "104" in text  # each value as its own figure
    assert "目標176自治会" in text  # the target as the file states it
    assert "59.1%" not in text and "40.9%" not in text and "100%" not in text  # 104/176, 72/176, 176/176
    own = text[text.rindex(UNDECIDED_LABEL):text.rindex("相談件数")]  # the undecided indicator's figure
    assert "104" in own and "176自治会" in own
    assert not any(word in own for word in ("達成率", "%", "未達成", "評価", "累計", "◎", "○", "△"))  # no judgement
    assert text.count("達成率") == 1 and "90.0%" in text  # the decided indicator keeps its rate, and only it
    if kind == "handout":
        assert "累計か単年度かがまだ決まっていない指標1件は、評価をつけず、数えていません" in text
        assert "01地域づくり0101" in text  # ◎ 0, ○ 1 (相談件数), △ 0, 計 1: the undecided one not counted


def test_the_web_page_prints_values_and_target_but_no_rate(tmp_path: Path) -> None:
    project = typed_project(tmp_path)
    out = tmp_path / "web"
    result = koho("build", str(project), "--kind", "web", "--no-pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "176自治会" in page and "104" in page and "72" in page
    assert "59.1%" not in page and "40.9%" not in page
    own = page[page.index(UNDECIDED_LABEL):page.index("相談件数")]  # the undecided indicator's figure
    assert "176自治会" in own and not any(word in own for word in ("達成率", "未達成", "概ね達成", "<th scope=\"col\">累計"))
    assert "90.0%" in page  # the decided indicator keeps its rate


def _without_the_note(tmp_path: Path) -> Path:
    """seika-shihyo.xlsx without its ※ note defining 「(累計)」 as running totals (成果指標!A16):
    then nothing in the file says what 公民館改修数(累計) holds, and the import must ask."""
    book = load_workbook(FIXTURES / "seika-shihyo.xlsx")
    sheet = book["成果指標"]
    assert "累計" in str(sheet["A16"].value)
    sheet["A16"].value = None
    source = tmp_path / "seika-shihyo.xlsx"
    book.save(source)
    return source


def test_an_import_with_the_question_open_builds_with_no_rate_for_it(tmp_path: Path) -> None:
    source = _without_the_note(tmp_path)
    project = tmp_path / "imported"
    result = koho("import", str(source), "-o", str(project))
    assert result.exit_code == 0, result.output
    config = (project / "koho.toml").read_text(encoding="utf-8")
    assert "累計:公民館改修数(累計)" in config
    loaded = load_project(project)
    series = next(s for m in loaded.measures for label, s in m.metric_series.items() if label.startswith("公民館改修数"))
    assert all(m.undecided for m in series)
    checked = koho("validate", str(project), "--format", "json")
    found = json.loads(checked.stdout)
    problems = found["problems"] if isinstance(found, dict) else found
    asked = [p for p in problems if p["severity"] == "question" and ("質問「累計:" in p["message"] or "未確定" in p["message"])]
    assert len(asked) == 1, asked  # the import's question, at the source cell: not asked twice
    assert "累計:公民館改修数(累計)" in asked[0]["message"] and asked[0]["sheet"] == "成果指標" and asked[0]["cell"]
    out = tmp_path / "seika.pdf"
    html = tmp_path / "seika.html"
    built = koho("build", str(project), "--kind", "archive", "-o", str(out), "--html", str(html))
    assert built.exit_code == 0, built.output
    text = pdf_text(out)
    own = text[text.index("公民館改修数"):text.index("生涯学習講座")]  # its table: 5, 6, 7 and the target 10
    assert "実績56710箇所" in own and not any(word in own for word in ("達成率", "%", "累計18"))
    assert "達成率" in text  # the other indicators keep their rates
    assert "70.0%" not in text and "180.0%" not in text  # 7 of 10 (as given), or 5+6+7 of 10: no rate for it
    page = html.read_text(encoding="utf-8")
    assert "70.0%" not in page and "180.0%" not in page


def test_the_open_data_writes_it_back_as_undecided(tmp_path: Path) -> None:
    from report.compose.opendata import metrics_csv

    project = load_project(typed_project(tmp_path))
    written = metrics_csv(project.measures[0].metrics).decode("utf-8")
    lines = written.splitlines()
    column = lines[0].split(",").index("累計")
    undecided = [line.split(",")[column] for line in lines[1:] if UNDECIDED_LABEL in line]
    assert undecided == ["未確定", "未確定"]  # read back by the contract as the same undecided rows
    (tmp_path / "project" / "metrics.csv").write_text(written, encoding="utf-8")
    again = load_project(tmp_path / "project")
    assert again.measures[0].metrics == project.measures[0].metrics


def test_no_progress_chart_even_where_the_amounts_make_up_the_target(tmp_path: Path) -> None:
    """72 + 104 = 176 makes up the target exactly: a decided-by-nothing 累計 column would draw the
    amounts stacked toward it (progress); 未確定 draws each year's bar as its own figure."""
    from report.compose.figures import measure_figures_of

    project = load_project(typed_project(tmp_path))
    figures = {f.items[0].label: f for f in measure_figures_of(project)["01-1"]}
    assert figures[UNDECIDED_LABEL].kind == "bar" and figures[UNDECIDED_LABEL].spec.values == (72.0, 104.0)
    assert "達成率" not in figures[UNDECIDED_LABEL].alt and "達成率90.0%" in figures["相談件数"].alt
    (tmp_path / "project" / "metrics.csv").write_text(METRICS.replace(",未確定", ","), encoding="utf-8")
    empty = {f.items[0].label: f for f in measure_figures_of(load_project(tmp_path / "project"))["01-1"]}
    assert empty[UNDECIDED_LABEL].kind == "progress"  # what 未確定 keeps from being drawn
