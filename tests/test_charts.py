"""Charts: the kind follows the data, output is deterministic vector SVG, the cache skips drawing."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

import charts.cache
from charts import ChartSpec
from charts.draw import render
from report.assets import FONTS_DIR
from report.commands.build import build
from report.compose.figures import measure_figures, project_figures
from report.load.model import Metric
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project

SVG = "{http://www.w3.org/2000/svg}"


def metric(label: str, year: int, value: str, unit: str, target: str | None = None, chart: str = "",
           as_of: dt.date | None = None) -> Metric:
    return Metric("1", label, year, Decimal(value), unit, Decimal(target) if target else None, as_of,
                  chart=chart)


def kinds(*series: tuple[Metric, ...]) -> list[str]:
    return [f.kind for f in measure_figures(list(series), "#005AFF", "wareki")]


def test_the_sample_gets_the_chart_each_metric_shape_calls_for() -> None:
    project = load_project(SAMPLE)
    figures = {measure.id: measure_figures(list(measure.metric_series.values()), "#005AFF", "wareki")
               for measure in project.measures}
    shape = {measure_id: [(f.kind, len(f.items)) for f in items] for measure_id, items in figures.items() if items}
    assert shape == {
        "08-1": [("progress", 1)],               # 72 + 104 of 176 自治会
        "08-2": [("share", 2)],                  # 100% and 89.4%: one chart, two rows
        "03-2": [("compare", 2)],                # 登録24人・就職10人: one grouped chart
        "05-1": [("none", 1), ("compare", 2)],   # 16事業者 alone; 25商品 and 5商品 compared
        "04-2": [("none", 1), ("none", 1)],      # 3回 and 3校: different units, numbers alone
        "03-1": [("none", 1)],                   # 22保育所
        "06-1": [("none", 1)],                   # 3件
    }


def test_values_over_years_are_bars_with_the_target() -> None:
    series = tuple(metric("参加者数", 2020 + i, str(100 * i + 50), "人", "1000") for i in range(4))
    [figure] = measure_figures([series], "#005AFF", "wareki")
    assert figure.kind == "bar"
    assert figure.spec.labels == ("令和2年度", "令和3年度", "令和4年度", "令和5年度")
    assert figure.spec.target == 1000.0


def test_partial_progress_is_cumulative_only_when_the_chart_column_says_so() -> None:
    partial = (metric("対話", 2022, "72", "自治会", "300"), metric("対話", 2023, "104", "自治会", "300"))
    assert kinds(partial) == ["bar"]
    forced = (partial[0], metric("対話", 2023, "104", "自治会", "300", "progress"))
    [figure] = measure_figures([forced], "#005AFF", "wareki")
    assert figure.kind == "progress"
    assert (figure.items[0].number, figure.items[0].rate) == ("176", "58.7%")


def test_chart_column_overrides_the_choice() -> None:
    cumulative = (metric("対話", 2022, "72", "自治会", "176"), metric("対話", 2023, "104", "自治会", "176", "bar"))
    assert kinds(cumulative) == ["bar"]
    assert kinds((metric("率", 2023, "89.4", "%", chart="none"),)) == ["none"]
    assert kinds((metric("件数", 2023, "3", "件", chart="share"),)) == ["share"]


def test_a_lone_percentage_is_a_share_bar_and_a_lone_count_has_no_chart() -> None:
    assert kinds((metric("率", 2023, "89.4", "%"),)) == ["share"]
    assert kinds((metric("件数", 2023, "3", "件"),)) == ["none"]


def test_short_era_style_labels_the_axis() -> None:
    series = (metric("対話", 2022, "72", "自治会"), metric("対話", 2023, "104", "自治会"))
    [figure] = measure_figures([series], "#005AFF", "short")
    assert figure.spec.labels == ("R4", "R5")
    assert figure.items[0].years[0].year == "R4"


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


SPECS = [
    ChartSpec("bar", ("令和4年度", "令和5年度"), (72.0, 104.0), ("72自治会", "104自治会"), "#005AFF", 176.0,
              "目標 176自治会"),
    ChartSpec("progress", ("令和4年度", "令和5年度"), (72.0, 104.0), ("72自治会", "104自治会"), "#03AF7A", 176.0),
    ChartSpec("share", ("財務会計", "庁内文書"), (100.0, 89.4), ("100%", "89.4%"), "#990099"),
    ChartSpec("compare", ("登録者数", "就職者数"), (24.0, 10.0), ("24人", "10人"), "#F6AA00"),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_svg_text_stays_text_in_the_document_font(spec: ChartSpec) -> None:
    svg = render(spec, FONTS_DIR)
    texts = _texts(svg)
    for label in spec.value_labels:
        assert label in texts or any(label in t for t in texts), (label, texts)
    assert b"BIZ UDPGothic" in svg
    assert b"DejaVu" not in svg
    assert b"<dc:date>" not in svg


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_same_data_gives_byte_identical_svg(spec: ChartSpec, tmp_path: Path) -> None:
    first, second = render(spec, FONTS_DIR), render(spec, FONTS_DIR)
    assert first == second
    script = ("import sys, pickle; from charts.draw import render; from report.assets import FONTS_DIR; "
              "sys.stdout.buffer.write(render(pickle.loads(sys.stdin.buffer.read()), FONTS_DIR))")
    import pickle

    other = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(spec), capture_output=True,
                           check=True).stdout
    assert other == first


def test_alt_text_carries_every_value() -> None:
    project = load_project(SAMPLE)
    for measure in project.measures:
        for figure in measure_figures(list(measure.metric_series.values()), "#005AFF", "wareki"):
            for item in figure.items:
                assert item.label in figure.alt
                for year in item.years:
                    assert f"{year.year}{year.value}" in figure.alt
                if item.target:
                    assert item.target in figure.alt
                if item.as_of:
                    assert item.as_of in figure.alt


def test_ten_years_and_a_zero_value_without_target_draw(tmp_path: Path) -> None:
    ten = tuple(metric("参加者数の累計", 2019 + i, str(1234567 * i), "人") for i in range(10))
    zero = (metric("達成率", 2023, "0", "%"),)
    figures = measure_figures([ten, zero], "#005AFF", "wareki")
    assert [f.kind for f in figures] == ["bar", "share"]
    bars = _texts(render(figures[0].spec, FONTS_DIR))
    assert "10年度" in bars and "令和" in bars  # the years as the text names them (issue 23: not 「R10」)
    assert not any(text.startswith("R") for text in bars)
    assert "11,111,103人" in bars  # the latest value, labelled directly
    assert "0%" in _texts(render(figures[1].spec, FONTS_DIR))


def test_warm_cache_draws_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[ChartSpec] = []
    original = charts.cache._draw

    def counting(spec: ChartSpec, font_dir: Path) -> bytes:
        calls.append(spec)
        return original(spec, font_dir)

    monkeypatch.setattr(charts.cache, "_draw", counting)
    project = load_project(SAMPLE)
    cold = project_figures(project)
    assert len(calls) == 4
    calls.clear()
    warm = project_figures(project)
    assert calls == []
    assert warm == cold


def test_a_cache_hit_does_not_import_matplotlib(tmp_path: Path) -> None:
    env_cache = tmp_path / "cache"
    script = ("import os, sys; os.environ['KOHO_CACHE_DIR'] = sys.argv[1]; "
              "import weasyprint; "  # imported already (as in koho batch): charts are drawn in this process
              "from report.commands.build import build; build(sys.argv[2], output=sys.argv[3]); "
              "print('matplotlib' in sys.modules)")
    args = [sys.executable, "-c", script, str(env_cache), str(SAMPLE), str(tmp_path / "x.pdf")]
    assert subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip() == "True"
    assert subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_parallel_drawing_gives_the_same_charts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    specs = [ChartSpec("bar", ("R4", "R5"), (float(i), float(i + 1)), (str(i), str(i + 1)), "#005AFF")
             for i in range(4)]
    monkeypatch.setattr(charts.cache, "PARALLEL_MIN", 2)
    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "a"))
    parallel = charts.cache.svgs(specs, FONTS_DIR, jobs=2)
    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "b"))
    serial = charts.cache.svgs(specs, FONTS_DIR, jobs=1)
    assert parallel == serial and len(parallel) == 4


def test_koho_charts_writes_svg_png_and_alt_text(tmp_path: Path) -> None:
    koho = str(Path(sys.executable).parent / "koho")
    out = tmp_path / "charts"
    result = subprocess.run([koho, "charts", str(SAMPLE), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    svgs = sorted(p.name for p in out.glob("*.svg"))
    assert svgs == ["03-2-1.svg", "05-1-1.svg", "08-1-1.svg", "08-2-1.svg"]
    from PIL import Image

    with Image.open(out / "08-1-1.png") as image:
        assert abs(image.width - ChartSpec("bar", (), (), (), "").width_mm / 25.4 * 300) <= 1  # mm at 300 dpi
        assert round(image.info["dpi"][0]) == 300
    assert "累計176自治会" in (out / "08-1-1.txt").read_text(encoding="utf-8")


def test_chart_column_in_the_data(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project / "metrics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",グラフ"
    lines[1:] = [line + (",bar" if line.startswith("08-1") else ",") for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures = project_figures(load_project(project))
    assert [f.kind for f in figures["08-1"]] == ["bar"]
    result = build(project, output=tmp_path / "out.pdf", html_output=tmp_path / "out.html")
    assert result.pages >= 1
    assert re.search(r'alt="草の根対話[^"]*目標176自治会', (tmp_path / "out.html").read_text(encoding="utf-8"))


def test_koho_charts_draws_the_document_s_years_through_the_cache(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from report.commands.chart_export import export_charts
    from tests.projects import make_project

    monkeypatch.setenv("KOHO_CACHE_DIR", str(tmp_path / "cache"))
    project = make_project(tmp_path / "p", areas=1, measures_per_area=1, years=4)  # 2022–2025
    newsletter = export_charts(project, tmp_path / "newsletter")
    alt = next(p for p in newsletter if p.suffix == ".txt").read_text(encoding="utf-8")
    assert "令和6年度" in alt and "令和7年度" in alt and "令和4年度" not in alt, "the newsletter's period: the last two"
    archive = export_charts(project, tmp_path / "archive", kind="archive")
    assert "令和4年度" in next(p for p in archive if p.suffix == ".txt").read_text(encoding="utf-8")
    entries = (tmp_path / "cache" / "charts").glob(f"*{charts.cache.SUFFIX}")
    cached = {p.read_bytes().partition(b"\n")[2] for p in entries}  # after the entry's SHA-256 line
    assert {p.read_bytes() for p in newsletter + archive if p.suffix == ".svg"} <= cached


CROWDED = [
    # an indicator with a baseline and a target (a fresh `koho init` project's): its years stay in the figure
    ChartSpec("bar", ("令和5年度",), (22.0,), ("22保育所",), "#005AFF", 30.0, "目標 30保育所以上", key_above=True,
              baseline=12.0, baseline_label="基準 R3", baseline_value_label="12保育所"),
    ChartSpec("bar", ("令和4年度", "令和5年度", "令和6年度"), (101.0, 201.0, 301.0), ("101人", "201人", "301人"),
              "#03AF7A", 1000.0, "目標 1,000人", key_above=True),
    # values at and around the target: labels must not cross the line nor the key
    ChartSpec("bar", ("令和4年度", "令和5年度", "令和6年度"), (170.0, 176.0, 180.0),
              ("170自治会", "176自治会", "180自治会"), "#005AFF", 176.0, "目標 176自治会"),
    ChartSpec("bar", ("令和4年度", "令和5年度"), (996.0, 1000.0), ("996人", "1,000人"), "#005AFF", 1003.0,
              "目標 1,003人"),
    ChartSpec("bar", tuple(f"令和{i}年度" for i in range(1, 8)), tuple(float(50 + i) for i in range(7)),
              tuple(f"{50 + i}件" for i in range(7)), "#03AF7A", 55.0, "目標 55件"),
    # thin segments side by side
    ChartSpec("progress", ("令和4年度", "令和5年度", "令和6年度"), (10.0, 12.0, 150.0),
              ("10自治会", "12自治会", "150自治会"), "#03AF7A", 176.0),
    ChartSpec("progress", ("令和4年度", "令和5年度", "令和6年度", "令和7年度"), (3.0, 3.0, 3.0, 3.0),
              ("3件", "3件", "3件", "3件"), "#03AF7A", 100.0),
]


def _text_boxes(fig) -> list:  # noqa: ANN001 - matplotlib Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for ax in fig.axes
            for t in [*ax.texts, *ax.get_xticklabels()] if t.get_text() and t.get_visible()]


@pytest.mark.parametrize("spec", CROWDED, ids=lambda s: f"{s.kind}-{s.values}")
def test_no_label_collides_with_another_or_with_the_target_line(spec: ChartSpec) -> None:
    import matplotlib.pyplot as plt

    from charts.draw import figure

    fig = figure(spec, FONTS_DIR)
    try:
        boxes = _text_boxes(fig)
        ax = fig.axes[0]
        line_y = ax.transData.transform((0, spec.target))[1] if spec.kind == "bar" and spec.target else None
        axes_box = ax.get_window_extent()
        page = fig.bbox
    finally:
        plt.close(fig)
    assert len(boxes) >= len(spec.values) // 2
    for index, (text, box) in enumerate(boxes):
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 - 0.5 <= box.y0, text  # not clipped
        for other, other_box in boxes[index + 1:]:
            assert not box.overlaps(other_box), (text, other)
        if line_y is not None and box.x1 > axes_box.x0 + 0.1 * axes_box.width:  # the key sits left of the line's label
            assert not box.y0 < line_y < box.y1, text


def test_counts_on_fills_keep_contrast_and_hatching_stays_readable() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from charts.draw import contrast, figure

    spec = ChartSpec("stacked", ("【01】子育て", "【02】福祉"), (), (), "#000000", rows=((3, 2, 1, 1, 1), (1, 4, 2, 2, 0)),
                     series=("◎ 達成", "○ 実施中", "△ 着手", "× 未着手", "その他"), font_pt=12.0)
    fig = figure(spec, FONTS_DIR)
    try:
        ax = fig.axes[0]
        counts = [t for t in ax.texts if t.get_text().isdigit()]
        checked = 0
        for text in counts:
            x, y = text.get_position()
            under = [p for p in ax.patches if p.contains_point(ax.transData.transform((x, y)))]
            patch = text.get_bbox_patch() or under[-1]
            background = to_hex(patch.get_facecolor())
            assert contrast(to_hex(text.get_color()), background) >= 4.5, (text.get_text(), background)
            if under[-1].get_hatch():
                assert text.get_bbox_patch() is not None  # a patch of paper under a count on hatching
            checked += 1
    finally:
        plt.close(fig)
    assert checked == 9
