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
from report.load.config import DEFAULT_STATUS_SCALE, MAX_STATUS_WORDS
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project, new_project, pdf_text
from .test_errors import Breaker, assert_clean_failure, assert_untouched, koho, previous, replace_in  # noqa: F401

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
    assert "問題はありません" not in result.stdout and "注意が1件あります" in result.stdout
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
    assert (status_of("達成", scale).symbol, status_of("達成", scale).word) == ("◎", "達成")
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
    assert "その他" in head and "計" in head


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
    assert "koho.toml" in result.stderr and "列status" in result.stderr
    assert "「達成」と「完了」が同じ「◎」を使っています" in result.stderr


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
# Failure fixtures: (what is wrong, how to break the sample project, fragments the message must contain)

CASES: list[tuple[str, Breaker, list[str]]] = [
    ("two status words share a symbol",
     lambda p: append_to(p / "koho.toml", '\n[status]\n"達成" = "◎"\n"完了" = "◎"\n'),
     ["koho.toml", "列status", "同じ「◎」を使っています"]),
]


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path, previous: Path, name: str,
                                                    breaker: Breaker, fragments: list[str]) -> None:
    project = copy_project(tmp_path)
    breaker(project)
    result = koho("build", str(project), "-o", str(previous / "newsletter.pdf"),
                  "--html", str(previous / "newsletter.html"))
    assert_clean_failure(result)
    assert result.stderr.startswith("エラー: 入力データに")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert_untouched(previous)
    assert not (project / "build").exists()
    validated = koho("validate", str(project), "--format", "json")
    assert_clean_failure(validated)
    assert json.loads(validated.stdout), validated.stdout  # the same problems, as JSON
