"""Nothing is clipped (issue 24 item 4): a chart too tall for a page is printed in parts, every
label of it on a page, in every kind; and whatever still leaves its page is refused, naming the
measure's row and what to change."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import report.commands.build as build_module
from charts import ChartSpec
from report.commands.build import build
from report.compose.figures import measure_figures_of, split_figure
from report.load.validate import load_project
from report.render.html.html import read_style
from report.render.html.sizes import CHART_MAX_HEIGHT_MM

from .conftest import SAMPLE, copy_project, pdf_text
from .projects import LONG, make_project, write_csv
from .test_errors import assert_clean_failure, koho

COUNT = 40  # the indicators of one grouped chart: 33 of them were printed, the rest cut off
GROUPED = "03-1"  # a featured measure of the sample
LABEL_RE = re.compile(r"指標その(\d\d)の件数")
AREA_RE = re.compile(r"分野その(\d+)")


def with_grouped_counts(project: Path, count: int = COUNT) -> Path:
    """The project with `count` single-year counts of one unit on one measure: one grouped chart."""
    rows = [[GROUPED, f"指標その{i:02d}の件数", "令和5年度", str(i * 3), "件", "", "", ""] for i in range(1, count + 1)]
    with (project / "metrics.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return project


def with_long_texts(project: Path) -> Path:
    """A vision of some 3,000 characters, and a closing note and contact box longer than a column."""
    text = (project / "measures.csv").read_text(encoding="utf-8")
    vision = "特定健診やがん検診の受診率向上に取り組みます。"
    assert vision in text
    (project / "measures.csv").write_text(text.replace(vision, vision + LONG * 70), encoding="utf-8")
    toml = (project / "koho.toml").read_text(encoding="utf-8").replace('closing_note = "', 'closing_note = "' + LONG * 50)
    toml += '\n[contact]\ndepartment = "企画課"\nphone = "099-000-0000"\naddress = "' + "日置市伊集院町郡一丁目100番地" * 6 + '"\n'
    (project / "koho.toml").write_text(toml, encoding="utf-8")
    return project


def placed_text(pdf: Path) -> list[tuple[int, str, bool]]:
    """Every text run of a PDF: its page (from 1), its text and whether it starts on the printed
    sheet (inside the trim box; text cut off by the page's edge lies outside it)."""
    runs: list[tuple[int, str, bool]] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        box = page.trimbox

        def visit(text: str, cm: list, tm: list, font: object, size: object, number: int = number,
                  box: object = box) -> None:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip():
                runs.append((number, text, float(box.left) <= x <= float(box.right)
                             and float(box.bottom) <= y <= float(box.top)))

        page.extract_text(visitor_text=visit)
    return runs


def printed(pdf: Path, pattern: re.Pattern[str]) -> list[str]:
    """Each match of `pattern` in text printed on the sheet, in order, as often as it is printed."""
    return [m for _, text, inside in placed_text(pdf) if inside for m in pattern.findall(text)]


def printed_numbers(pdf: Path, pattern: re.Pattern[str]) -> list[str]:
    """As `printed`, each page's runs joined: a number's comma is a run of its own (in the proportional
    font, report/render/html/tight_numbers.py), so 「1,014」 is three runs."""
    pages: dict[int, str] = {}
    for number, text, inside in placed_text(pdf):
        pages[number] = pages.get(number, "") + (text if inside else "\n")
    return [m for text in pages.values() for m in pattern.findall(text)]


# --- the parts of a chart ---------------------------------------------------------------------------

def test_a_row_chart_too_tall_is_cut_into_near_equal_parts_on_one_scale() -> None:
    spec = ChartSpec("compare", tuple(f"指標{i}" for i in range(COUNT)), tuple(float(i + 1) for i in range(COUNT)),
                     tuple(f"{i + 1}件" for i in range(COUNT)), "#005AFF")
    assert spec.height_mm > 297  # taller than an A4 sheet
    parts = spec.parts(CHART_MAX_HEIGHT_MM)
    assert len(parts) > 1
    assert all(part.height_mm <= CHART_MAX_HEIGHT_MM for part in parts)
    assert sum((part.labels for part in parts), ()) == spec.labels
    assert sum((part.value_labels for part in parts), ()) == spec.value_labels
    assert max(len(p.labels) for p in parts) - min(len(p.labels) for p in parts) <= 1
    assert {part.scale for part in parts} == {float(COUNT)}  # the whole chart's longest bar, in every part
    assert len({part.key() for part in parts}) == len(parts)


def test_a_chart_that_fits_or_does_not_grow_is_itself() -> None:
    bar = ChartSpec("bar", tuple(f"R{i}" for i in range(60)), (1.0,) * 60, ("1件",) * 60, "#005AFF")
    few = ChartSpec("share", ("a", "b"), (10.0, 20.0), ("10%", "20%"), "#005AFF")
    assert bar.parts(CHART_MAX_HEIGHT_MM) == (bar,)
    assert few.parts(CHART_MAX_HEIGHT_MM) == (few,)


def test_a_status_chart_of_many_areas_keeps_its_counts_and_its_key_in_each_part() -> None:
    spec = ChartSpec("stacked", tuple(f"{i:02d} 分野" for i in range(30)), (2.0,) * 30, ("2施策",) * 30, "#000000",
                     rows=tuple((1.0, 1.0) for _ in range(30)), series=("◎ 達成", "○ 実施中"), width_mm=140, font_pt=12)
    parts = spec.parts(CHART_MAX_HEIGHT_MM)
    assert len(parts) > 1 and all(p.height_mm <= CHART_MAX_HEIGHT_MM for p in parts)
    assert sum((p.rows for p in parts), ()) == spec.rows
    assert all(p.series == spec.series for p in parts)


def test_a_grouped_figure_in_parts_keeps_each_key_number_with_its_row(tmp_path: Path) -> None:
    project = load_project(with_grouped_counts(copy_project(tmp_path)))
    whole = [f for f in measure_figures_of(project)[GROUPED] if f.kind == "compare"]
    parts = [f for f in measure_figures_of(project, chart_height_mm=CHART_MAX_HEIGHT_MM)[GROUPED]
             if f.kind == "compare"]
    assert len(whole) == 1 and len(parts) == len(split_figure(whole[0], CHART_MAX_HEIGHT_MM)) > 1
    assert [p.continued for p in parts] == [False] + [True] * (len(parts) - 1)
    assert [item.label for p in parts for item in p.items] == [f"指標その{i:02d}の件数" for i in range(1, COUNT + 1)]
    assert all(p.spec.labels == tuple(item.label for item in p.items) for p in parts)
    assert all(item.label in p.alt for p in parts for item in p.items)


# --- every kind, with long inputs -------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_long_texts(with_grouped_counts(copy_project(tmp_path_factory.mktemp("long"))))


@pytest.mark.parametrize("kind, printing", [("newsletter", False), ("newsletter", True), ("handout", False),
                                            ("archive", False)])
def test_every_label_of_a_tall_grouped_chart_is_printed_in_every_kind(
        tmp_path: Path, long_project: Path, kind: str, printing: bool) -> None:
    result = build(long_project, output=tmp_path / f"{kind}.pdf", kind=kind, print_ready=printing)
    labels = printed(result.pdf, LABEL_RE)
    assert set(labels) == {f"{i:02d}" for i in range(1, COUNT + 1)}, sorted(set(labels))
    text = pdf_text(result.pdf)
    assert "地域の皆さまと対話を重ねながら" in text
    # the long vision, a table cell split over pages in the handout, is found printed
    assert not [w for w in result.warnings if "載っていません" in w.message], result.warnings
    if kind == "newsletter":  # the chart in parts: each label once, later parts marked (続き)
        assert sorted(labels) == [f"{i:02d}" for i in range(1, COUNT + 1)]
        assert text.count("(続き)") == len(ChartSpec("compare", ("x",) * COUNT, (1.0,) * COUNT, ("",) * COUNT, "")
                                           .parts(CHART_MAX_HEIGHT_MM)) - 1
        assert "お問い合わせ" in text and "企画課" in text


def test_the_status_chart_of_forty_areas_prints_every_area(tmp_path: Path) -> None:
    project = make_project(tmp_path / "areas", areas=40, measures_per_area=1)
    rows = list(csv.reader((project / "measures.csv").open(encoding="utf-8")))
    statuses = ["達成", "実施中", "着手", "未着手"]
    write_csv(project / "measures.csv", [[*rows[0], "進捗"]] + [[*row, statuses[i % 4]] for i, row in enumerate(rows[1:])])
    result = build(project, output=tmp_path / "handout.pdf", kind="handout")
    found = printed(result.pdf, AREA_RE)
    # each area in the summary table and in the status chart (the measures table wraps it: 「分野その」「1」);
    # cut off, areas 20 to 40 were in the table alone
    assert all(found.count(str(area)) == 2 for area in range(1, 41)), sorted(set(found), key=int)


# --- what still does not fit is refused ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["newsletter", "archive"])
def test_a_chart_left_whole_would_be_cut_off_and_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            kind: str) -> None:
    """Without the parts, the check after layout finds the cut-off chart: an error naming the
    measure's row, and no PDF."""
    monkeypatch.setattr(build_module, "CHART_MAX_HEIGHT_MM", 10_000.0)
    project = with_grouped_counts(copy_project(tmp_path))
    out = tmp_path / "out" / f"{kind}.pdf"
    result = koho("build", str(project), "--kind", kind, "-o", str(out))
    assert_clean_failure(result)
    assert re.search(rf"measures\.csv \d+行目 列「ビジョン内容」\(vision\): 値「{GROUPED}」: \d+ページ: 図「指標その01の件数",
                     result.stderr), result.stderr
    assert "が切れて印刷されません" in result.stderr and "施策の指標を減らすか" in result.stderr
    assert not out.exists()


def test_a_status_chart_left_whole_would_be_cut_off_and_is_refused(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "CHART_MAX_HEIGHT_MM", 10_000.0)
    project = make_project(tmp_path / "areas", areas=40, measures_per_area=1)
    rows = list(csv.reader((project / "measures.csv").open(encoding="utf-8")))
    write_csv(project / "measures.csv", [[*rows[0], "進捗"]] + [[*row, "達成"] for row in rows[1:]])
    result = koho("build", str(project), "--kind", "handout", "-o", str(tmp_path / "handout.pdf"))
    assert_clean_failure(result)
    assert "図「分野別の進捗状況" in result.stderr and "が切れて印刷されません" in result.stderr
    assert not (tmp_path / "handout.pdf").exists()


def test_a_project_stylesheet_that_makes_a_chart_too_tall_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "styles").mkdir()
    css = read_style("newsletter.css", SAMPLE) + "\n.figure img { width: 60mm; height: 300mm; }\n"
    (project / "styles" / "newsletter.css").write_text(css, encoding="utf-8")
    out = tmp_path / "newsletter.pdf"
    result = koho("build", str(project), "-o", str(out))
    assert_clean_failure(result)
    assert re.search(r"measures\.csv \d+行目 列「ビジョン内容」\(vision\): 値「03-2」: \d+ページ: 図「", result.stderr)
    assert "スタイル(styles/)" in result.stderr
    assert not out.exists()


def test_a_long_closing_box_is_split_not_cut(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    toml = (project / "koho.toml").read_text(encoding="utf-8")
    (project / "koho.toml").write_text(toml.replace('closing_note = "', 'closing_note = "' + "終わり" + LONG * 80),
                                       encoding="utf-8")
    result = build(project, output=tmp_path / "newsletter.pdf")
    runs = placed_text(result.pdf)
    assert all(inside for _, _, inside in runs)
    assert "終わり" in pdf_text(result.pdf) and "mani.html" in pdf_text(result.pdf)


def test_an_empty_project_builds_every_kind(tmp_path: Path) -> None:
    """No indicators at all: nothing to split, nothing refused."""
    project = copy_project(tmp_path)
    (project / "metrics.csv").write_text("施策番号,指標名,年度,実績値,単位,目標値,時点,備考\n", encoding="utf-8")
    for kind in ("newsletter", "handout", "archive"):
        assert build(project, output=tmp_path / f"{kind}.pdf", kind=kind).pages >= 1


def test_the_sample_is_unchanged_by_the_parts(tmp_path: Path) -> None:
    """A project whose charts fit gets them whole: no (続き)."""
    project = load_project(SAMPLE)
    whole = measure_figures_of(project)
    assert measure_figures_of(project, chart_height_mm=CHART_MAX_HEIGHT_MM) == whole


def test_a_chart_hidden_by_a_project_stylesheet_is_a_warning_naming_its_measure(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "styles").mkdir()
    css = read_style("newsletter.css", SAMPLE) + "\n#measure-03-2 .figure img { display: none; }\n"
    (project / "styles" / "newsletter.css").write_text(css, encoding="utf-8")
    result = build(project, output=tmp_path / "newsletter.pdf")
    [hidden] = [w for w in result.warnings if "どのページにも印刷されていません" in w.message]
    assert (hidden.file, hidden.column, hidden.value, hidden.severity) == ("measures.csv", "vision", "03-2", "warning")
    assert "保育のおしごと支援センター登録者数" in hidden.message


@pytest.mark.parametrize("kind", ["handout", "archive"])
def test_a_thirty_year_indicator_wraps_its_years_table(tmp_path: Path, kind: str) -> None:
    """A year per column ran the handout's table 88mm off the page (now refused as cut off): the
    years come six or five (handout) or eight (archive) to a table, one table under another."""
    project = copy_project(tmp_path)
    rows = [["01-1", "長期の指標", str(1995 + i), str(1000 + i), "人", "5000", "", ""] for i in range(30)]
    with (project / "metrics.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = build(project, output=tmp_path / f"{kind}.pdf", kind=kind)
    values = printed_numbers(result.pdf, re.compile(r"1,0[0-2]\d"))
    assert {f"{1000 + i:,}" for i in range(30)} <= set(values)
    assert not [w for w in result.warnings if "はみ出して" in w.message or "版面の外" in w.message], result.warnings


def test_the_web_version_shows_every_part_with_its_numbers(tmp_path: Path) -> None:
    project = with_grouped_counts(copy_project(tmp_path))
    result = build(project, kind="web", output=tmp_path / "web" / "index.html")
    page = result.web.read_text(encoding="utf-8")
    parts = len(ChartSpec("compare", ("x",) * COUNT, (1.0,) * COUNT, ("",) * COUNT, "").parts(CHART_MAX_HEIGHT_MM))
    assert page.count('<span class="figure-label">(続き)指標その') == parts - 1
    tables = re.findall(r'<table class="numbers">.*?</table>', page, flags=re.DOTALL)
    assert {m for table in tables for m in LABEL_RE.findall(table)} == {f"{i:02d}" for i in range(1, COUNT + 1)}
