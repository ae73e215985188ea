"""Issue 24: every value the document prints or counts is on a scale koho knows, or a message names
the cell. Statuses off the [status] scale are warnings and counted as その他 everywhere, その他
drawn; units, eras, 累計 series and [grades] bands that cannot be right are refused, naming the cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from charts import ChartSpec
from report.compose.records import OTHER, status_of, summarize, summary_alt
from report.load.project.config import DEFAULT_STATUS_SCALE, MAX_STATUS_WORDS
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project, new_project, pdf_text
from .test_errors import Breaker, assert_build_refused, assert_clean_failure, assert_untouched, koho, previous, replace_in  # noqa: F401

def append_to(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def set_statuses(project: Path, statuses: dict[str, str]) -> None:
    """Give measures (by id) a status, the rest of the table left as it is."""
    import csv
    import io

    path = project / "measures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = rows[0].index("進捗")
    for row in rows[1:]:
        if row[0] in statuses:
            row[column] = statuses[row[0]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# 1. Statuses off the [status] scale


def test_a_status_off_the_scale_is_a_warning_naming_the_cell(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    set_statuses(project, {"01-1": "達成", "01-2": "達成済"})
    result = koho("validate", str(project))
    assert result.exit_code == 0, result.output
    assert "measures.csv 3行目 列「進捗」(status): 値「達成済」" in result.stderr
    assert "[status] にありません" in result.stderr and "「その他」に数えます" in result.stderr
    assert "「達成」のことなら" in result.stderr  # the scale word inside it is named
    assert "問題はありません" not in result.stdout and "注意 1件、誤り 0件" in result.stdout
    strict = koho("validate", str(project), "--strict")
    assert_clean_failure(strict)
    assert "達成済" in strict.stderr
    [problem] = json.loads(koho("validate", str(project), "--format", "json").stdout)
    assert (problem["file"], problem["row"], problem["column"], problem["value"], problem["severity"]) == \
        ("measures.csv", 3, "status", "達成済", "warning")


def test_build_warns_of_it_and_strict_build_writes_nothing(tmp_path: Path, previous: Path) -> None:
    project = copy_project(tmp_path)
    set_statuses(project, {"01-2": "取組中"})
    built = koho("build", str(project), "--kind", "handout", "-o", str(tmp_path / "h.pdf"))
    assert built.exit_code == 0, built.output
    assert "注意: measures.csv 3行目 列「進捗」(status): 値「取組中」" in built.stderr
    strict = koho("build", str(project), "--strict", "-o", str(previous / "newsletter.pdf"),
                  "--html", str(previous / "newsletter.html"))
    assert_clean_failure(strict)
    assert_untouched(previous)


def test_statuses_on_the_scale_are_not_warned_of(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    set_statuses(project, {"01-1": "達成", "01-2": "◎", "02-1": "○ 実施中", "02-2": "△着手", "03-1": "未着手"})
    result = koho("validate", str(project), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_an_unknown_word_is_never_given_a_symbol() -> None:
    scale = DEFAULT_STATUS_SCALE
    assert (status_of("達成", scale).symbol, status_of("達成", scale).word) == ("◎", "達成")
    assert (status_of("◎ 達成", scale).symbol, status_of("○", scale).word) == ("◎", "実施中")
    assert (status_of("〇 実施中", scale).symbol, status_of("✕", scale).word) == ("○", "未着手")  # look-alike symbols
    for word in ("達成済", "達成困難", "達成見込み", "着手済み", "取組中"):
        assert (status_of(word, scale).symbol, status_of(word, scale).word) == ("", word)


def test_the_summary_counts_and_draws_every_category(tmp_path: Path) -> None:
    """One 達成 and one off-scale status in area 1: half achieved, never a full 達成 bar."""
    project = copy_project(tmp_path)
    set_statuses(project, {"01-1": "達成", "01-2": "達成済", "02-1": "実施中"})
    summary = summarize(load_project(project))
    first = summary.rows[0]
    assert (first.counts, first.other) == ((1, 0, 0, 0), 1)
    assert summary.chart.series[-1] == OTHER == "その他"
    assert summary.chart.rows[0] == (1.0, 0.0, 0.0, 0.0, 1.0)  # その他 drawn: 達成 is half the bar
    assert all(sum(counts) == row.total for counts, row in zip(summary.chart.rows, summary.rows))
    assert "01 コロナ対策:達成1、その他1" in summary_alt(summary)
    text = pdf_text(koho_build(project, tmp_path / "handout.pdf", "handout"))
    head = text.split("施策番号")[0]
    assert "その他" in head and "計" in head and "※その他は、進捗が未記入か、達成・実施中・着手・未着手のどれにもあたらない施策です" in head


def koho_build(project: Path, output: Path, kind: str) -> Path:
    result = koho("build", str(project), "--kind", kind, "-o", str(output))
    assert result.exit_code == 0, result.output
    return output


def test_the_status_chart_key_never_overlaps_and_stays_in_the_figure() -> None:
    """Five and eight words and その他: the key wraps onto more rows, and the figure grows to hold them."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from charts.draw import SEGMENT_STYLES, figure
    from report.assets import FONTS_DIR

    assert len(set(SEGMENT_STYLES)) == len(SEGMENT_STYLES) > MAX_STATUS_WORDS  # every category its own look
    for words in (("◎ 達成", "○ 実施中", "△ 着手", "× 未着手"), tuple(f"{i} 計画どおり進行{i}" for i in range(8))):
        series = (*words, OTHER)
        spec = ChartSpec("stacked", ("01 子育て", "02 福祉"), (2.0, 2.0), ("", ""), "#000000", width_mm=140.0,
                         rows=(tuple(1.0 for _ in series), tuple(1.0 for _ in series)), series=series, font_pt=12.0)
        fig = figure(spec, FONTS_DIR)
        try:
            renderer = FigureCanvasAgg(fig).get_renderer()
            frame = fig.bbox
            keys = [t.get_window_extent(renderer) for t in fig.axes[0].texts if t.get_text() in series]
            assert len(keys) == len(series)
            for index, box in enumerate(keys):
                assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                assert not any(box.overlaps(other) for other in keys[index + 1:])
        finally:
            plt.close(fig)
        assert len(spec.key_rows()) > 1  # wrapped: one row would have run past the bars


def test_status_scale_in_koho_toml_is_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    append_to(project / "koho.toml", '\n[status]\n"達成" = "◎"\n"完了" = "◎"\n')
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "koho.toml" in result.stderr and "設定 status" in result.stderr
    assert "「達成」と「完了」が同じ「◎」を使っています" in result.stderr
    many = copy_project(tmp_path / "many")
    append_to(many / "koho.toml", "\n[status]\n" + "".join(f'"段階{i}" = "{i}"\n' for i in range(MAX_STATUS_WORDS + 1)))
    result = koho("validate", str(many))
    assert_clean_failure(result)
    assert f"[status] の言葉は{MAX_STATUS_WORDS}個までです" in result.stderr


def test_init_workbook_suggests_the_default_scale(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    book = load_workbook(project / "data" / "manifesto.xlsx")
    sheet = book["施策"]
    header = [cell.value for cell in sheet[1]]
    letter = sheet.cell(row=1, column=header.index("進捗") + 1).column_letter
    words = [word for word, _ in DEFAULT_STATUS_SCALE]
    assert sheet[f"{letter}2"].value in words  # the example row's status is on the scale
    [rule] = [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}1")]
    assert rule.type == "list" and rule.formula1 == '"' + ",".join(words) + '"'
    assert all(word in rule.prompt for word in words) and "達成済" not in rule.prompt and "取組中" not in rule.prompt
    result = koho("validate", str(project), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "問題はありません" in koho("validate", str(project)).stdout


# ---------------------------------------------------------------------------------------------
# 2. Units written in a value cell; 3. era years; 4. 累計 series; 5. [grades] bands


def with_columns(project: Path, values: dict[str, dict[str, str]]) -> None:
    """Add columns to metrics.csv: header → {指標名 → value} (other rows empty)."""
    import csv
    import io

    path = project / "metrics.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for header, by_label in values.items():
        rows[0].append(header)
        for row in rows[1:]:
            row.append(by_label.get(row[1], ""))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


GRASSROOTS = "草の根対話ミーティング実施自治会数"  # metrics.csv rows 11 (令和4年度, 72) and 12 (令和5年度, 104)


def excel_value_format(project: Path, fmt: str) -> Path:
    """The sample as a workbook of typed cells, 03-1's value (22 保育所, row 2) a number in format `fmt`."""
    from .excel import sample_sheets, write_typed_workbook
    from report.load.tables.schema import TABLES

    sheets = sample_sheets(project)
    sheets["実績"][1][3] = (22, fmt)
    for table in TABLES:
        (project / f"{table.name}.csv").unlink()
    return write_typed_workbook(project / "book.xlsx", sheets)


def cumulative_with_negative_year(project: Path) -> None:
    with_columns(project, {"累計": {GRASSROOTS: "累計"}})
    replace_in(project / "metrics.csv", "令和5年度,104,", "令和5年度,-20,")


def grades(bands: str) -> Breaker:
    """Append a [grades] table to koho.toml."""
    return lambda p: append_to(p / "koho.toml", f"\n[grades]\n{bands}")


def line_once_appended(tail: str, line: str) -> int:
    """The line number `line` of `tail` will have once `tail` is appended to the sample's koho.toml."""
    text = (SAMPLE / "koho.toml").read_text(encoding="utf-8") + tail
    return text.splitlines().index(line) + 1


NAN_BAND = 'B = { min = nan, word = "概ね達成", symbol = "○" }'
GOOD_TOP = 'A = { min = 100, word = "達成", symbol = "◎" }'

# Failure fixtures: (what is wrong, how to break the sample project, fragments the message must contain)
CASES: list[tuple[str, Breaker, list[str]]] = [
    ("two status words share a symbol",
     lambda p: append_to(p / "koho.toml", '\n[status]\n"達成" = "◎"\n"完了" = "◎"\n'),
     ["koho.toml", "設定 status", "同じ「◎」を使っています"]),
    ("percent value with another unit", lambda p: replace_in(p / "metrics.csv", "令和5年度,89.4,%", "令和5年度,89.4%,件"),
     ["metrics.csv 14行目 列「実績値」(value): 値「89.4%」", "実績値に「%」がありますが、この行の単位は「件」です"]),
    ("another unit typed after the value", lambda p: replace_in(p / "metrics.csv", "令和5年度,22,保育所", "令和5年度,22人,保育所"),
     ["metrics.csv 2行目 列「実績値」(value): 値「22人」", "実績値の単位「人」が、この行の単位「保育所」と違います"]),
    ("a unit typed after the value, none in its column",
     lambda p: replace_in(p / "metrics.csv", "令和5年度,22,保育所", "令和5年度,22保育所,"),
     ["metrics.csv 2行目 列「実績値」(value): 値「22保育所」", "単位の列が空です"]),
    ("an Excel format's unit that is not the row's", lambda p: excel_value_format(p, '0"人"'),
     ["book.xlsx シート「実績」 2行目 列「実績値」(value): 値「22人」", "この行の単位「保育所」と違います"]),
    ("percent target with another unit",
     lambda p: replace_in(p / "metrics.csv", "令和4年度,72,自治会,176", "令和4年度,72,自治会,50%以上"),
     ["metrics.csv 11行目 列「目標値」(target): 値「50%以上」", "目標値に「%」がありますが、この行の単位は「自治会」です"]),
    ("era year 0 in a date", lambda p: replace_in(p / "metrics.csv", "令和5年12月22日", "令和0年5月1日"),
     ["metrics.csv 3行目 列「時点」(as_of): 値「令和0年5月1日」", "令和0年はありません"]),
    ("date before its era began", lambda p: replace_in(p / "metrics.csv", "令和5年12月22日", "令和1年4月1日"),
     ["metrics.csv 3行目 列「時点」(as_of): 値「令和1年4月1日」", "令和が始まる前の日付です", "平成31年4月1日"]),
    ("date before Heisei began", lambda p: replace_in(p / "metrics.csv", "令和5年12月22日", "平成1年1月1日"),
     ["metrics.csv 3行目 列「時点」(as_of): 値「平成1年1月1日」", "平成が始まる前の日付です(平成は1989年1月8日から"]),
    ("era year 0 in a fiscal year", lambda p: replace_in(p / "metrics.csv", "令和5年度,22,", "R0,22,"),
     ["metrics.csv 2行目 列「年度」(fiscal_year): 値「R0」", "令和0年度はありません"]),
    ("era year 0 in koho.toml years", lambda p: append_to(p / "koho.toml", '\nyears = ["令和0年度", "令和5年度"]\n'),
     ["koho.toml", "設定 years", "令和0年度はありません"]),
    ("era year 0 as the archive's date", lambda p: append_to(p / "koho.toml", '\n[archive]\npublished = "令和0年5月1日"\n'),
     ["koho.toml", '設定 archive.published: 値「published = "令和0年5月1日"」', "令和0年はありません"]),
    ("handout date before its era began", lambda p: append_to(p / "koho.toml", '\n[handout]\ndate = "令和元年4月1日"\n'),
     ["koho.toml", "設定 handout.date", "令和が始まる前の日付です"]),
    ("negative year of a 累計 indicator", cumulative_with_negative_year,
     ["metrics.csv 12行目 列「実績値」(value): 値「-20」", "累計", "実績値がマイナスです"]),
    ("progress chart for a single-year indicator",
     lambda p: with_columns(p, {"累計": {GRASSROOTS: "単年度"}, "グラフ": {GRASSROOTS: "progress"}}),
     ["metrics.csv 12行目 列「グラフ」(chart)", "累計の列は「単年度」です"]),
    ("nan in [grades]", grades(f"{GOOD_TOP}\n{NAN_BAND}\n"),
     [f"koho.toml {line_once_appended(f'{chr(10)}[grades]{chr(10)}{GOOD_TOP}{chr(10)}{NAN_BAND}{chr(10)}', NAN_BAND)}行目"
      f" 設定 grades.B: 値「{NAN_BAND}」", "min が「nan」です"]),
    ("inf in [grades]", grades('A = { min = inf, word = "順調", symbol = "◎" }\n'),
     ["設定 grades.A", "min が「inf」です"]),
    ("達成 band above 100%", grades('A = { min = 120, word = "達成", symbol = "◎" }\nB = { word = "未達成" }\n'),
     ["設定 grades.A", "min = 100"]),
    ("a band above 100% with none from 100%",
     grades('S = { min = 120, word = "大幅達成" }\nB = { min = 80, word = "概ね達成" }\nC = { word = "未達成" }\n'),
     ["設定 grades.S", "100% から始まる段階がありません", "min = 100"]),
    ("達成 band with no min", grades('A = { min = 90, word = "順調" }\nB = { word = "達成" }\n'),
     ["設定 grades.B", "min がありません", "min = 100"]),
    ("bands out of order", grades('A = { min = 80, word = "順調" }\nB = { min = 90, word = "概ね" }\n'),
     ["設定 grades.B", "大きい順", "A の 80 の次の B が 90"]),
    ("bands of an era year 0", lambda p: append_to(p / "koho.toml", f'\n[grades]\n{GOOD_TOP}\n[grades."令和0年度"]\n{GOOD_TOP}\n'),
     ['設定 grades."令和0年度"', "年度が読めません", "令和0年度はありません"]),
]


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path, previous: Path, name: str,
                                                    breaker: Breaker, fragments: list[str]) -> None:
    project = assert_build_refused(tmp_path, previous, breaker, fragments)
    validated = koho("validate", str(project), "--format", "json")
    assert_clean_failure(validated)
    assert json.loads(validated.stdout), validated.stdout  # the same problems, as JSON


def test_a_percent_baseline_or_target_must_match_the_unit() -> None:
    from report.load.indicators import read_target, unit_conflicts
    from report.load.values.numbers import parse_quantity as parse_number

    row = {"value": parse_number("72"), "baseline": parse_number("50%"), "target": read_target("80%以上")}
    assert [(column, value) for column, _, value in unit_conflicts(row, "件")] == [("baseline", "50%"), ("target", "80%以上")]
    assert unit_conflicts(row | {"value": parse_number("72%")}, "%") == []
    assert unit_conflicts(row, "％") == []  # a full-width percent sign is the same unit
    assert unit_conflicts({"value": parse_number("850"), "target": read_target("850g/人以下")}, "g/人") == []
    [(column, message, _)] = unit_conflicts({"value": parse_number("850"), "target": read_target("850kg以下")}, "g/人")
    assert column == "target" and "「kg」" in message


def test_era_years_start_at_gannen() -> None:
    import datetime as dt

    from report.load.values.era import parse_date, parse_fiscal_year

    assert parse_date("令和元年5月1日") == parse_date("令和1年5月1日") == parse_date("R1.5.1") == dt.date(2019, 5, 1)
    assert parse_date("平成元年1月8日") == dt.date(1989, 1, 8)
    assert parse_date("平成31年4月30日") == dt.date(2019, 4, 30)
    assert parse_fiscal_year("令和元年度") == parse_fiscal_year("R1") == 2019  # a fiscal year named as it began
    for bad in ("令和0年5月1日", "R0.5.1", "令和00年5月1日", "令和元年4月30日", "平成1年1月7日", "昭和1年1月1日"):
        with pytest.raises(ValueError, match="ありません|始まる前"):
            parse_date(bad)
    for bad in ("令和0年度", "H0", "S00"):
        with pytest.raises(ValueError, match="0年度はありません"):
            parse_fiscal_year(bad)


def test_a_progress_bar_never_draws_past_its_frame() -> None:
    """A total past the target is drawn whole inside the frame; a negative amount draws nothing."""
    import matplotlib.pyplot as plt

    from charts.draw import figure
    from report.assets import FONTS_DIR

    for values in ((100.0, 104.0), (72.0, -20.0, 30.0), (72.0, 60.0)):
        spec = ChartSpec("progress", tuple(f"令和{i + 4}年度" for i in range(len(values))), values,
                         tuple(f"{v:g}自治会" for v in values), "#D0005A", target=176.0, target_label="目標 176自治会")
        fig = figure(spec, FONTS_DIR)
        try:
            ax = fig.axes[0]
            left, right = ax.get_xlim()
            bars = [p for p in ax.patches if p.get_width() > 0]
            assert right >= max(176.0, sum(v for v in values if v > 0))
            assert all(left <= p.get_x() and p.get_x() + p.get_width() <= right + 1e-9 for p in bars)
            assert not [p for p in ax.patches if p.get_width() < 0]  # nothing runs back over the others
        finally:
            plt.close(fig)


def test_a_met_target_always_lands_in_a_band_of_100_or_more() -> None:
    """Every scheme check_grades accepts grades a met target (100%, or no rate) with its first band,
    or with a band that starts at 100% or more (a 大幅達成 band above it is for rates beyond 100%)."""
    import itertools
    from decimal import Decimal

    from report.compose.grades import grade
    from report.load.project.grade_bands import check_grades
    from report.compose.rates import Rate

    accepted = 0
    for mins in itertools.product((None, 0, 50, 99.9, 100, 120, float("nan"), float("inf"), -5), repeat=2):
        table = {name: {"word": f"段階{name}"} | ({"min": m} if m is not None else {})
                 for name, m in zip("AB", mins)} | {"C": {"word": "その他"}}
        try:
            scheme = check_grades(table)
        except ValueError:
            continue
        accepted += 1
        for met in (Rate(True, Decimal(100), Decimal(100)), Rate(True, None), Rate(True, Decimal("100.0"), Decimal("100.04"))):
            got = grade(met, scheme.bands)
            assert got == scheme.bands[0] or (got is not None and got.minimum is not None and got.minimum >= 100), (mins, met)
    assert accepted >= 4


def test_a_band_above_100_beside_one_from_100_is_kept() -> None:
    """S ≥ 120% 大幅達成 and A ≥ 100% 達成, as cities grade: 125% is S, 100% is A, 99% is neither."""
    from decimal import Decimal

    from report.compose.grades import grade
    from report.load.project.grade_bands import check_grades
    from report.compose.rates import Rate

    bands = check_grades({"S": {"min": 120, "word": "大幅達成"}, "A": {"min": 100, "word": "達成"},
                          "B": {"word": "未達成"}}).bands
    assert grade(Rate(True, Decimal(125), Decimal(125)), bands).grade == "S"
    assert grade(Rate(True, Decimal(100), Decimal(100)), bands).grade == "A"
    assert grade(Rate(False, Decimal(99), Decimal(99)), bands).grade == "B"


def test_a_unit_typed_or_shown_as_the_row_has_it_is_read(tmp_path: Path) -> None:
    """「22保育所」 typed with 単位 保育所, or 22 in Excel's `0"保育所"`: read as 22, printed once as 22保育所."""
    project = copy_project(tmp_path / "typed")
    replace_in(project / "metrics.csv", "令和5年度,22,保育所", "令和5年度,22保育所,保育所")
    excel = excel_value_format(copy_project(tmp_path / "excel"), '#,##0"保育所"')
    for source in (project, excel):
        loaded = load_project(source)
        [metric] = [m for measure in loaded.measures for m in measure.metrics if m.label == "紹介動画を作成した保育所数"]
        assert (metric.value, metric.unit) == (22, "保育所")


def test_a_handout_date_option_on_no_era_is_refused(tmp_path: Path) -> None:
    result = koho("build", str(SAMPLE), "--kind", "handout", "--date", "令和0年12月1日", "-o", str(tmp_path / "h.pdf"))
    assert_clean_failure(result)
    assert "--date「令和0年12月1日」" in result.stderr and "令和0年はありません" in result.stderr
    assert not (tmp_path / "h.pdf").exists()
    from report.load.values.era import check_written_date

    for fine in ("令和7年12月10日", "令和7年12月10日(水)", "令和8年3月31日発行", "2026年春", "R7.12.10"):
        assert check_written_date(fine) == fine
