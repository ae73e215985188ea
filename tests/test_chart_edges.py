"""Charts and exports at their edges: negative values (△), chart file names that a file system
would merge, a measure with ruby in its vision found by the preflight, and overflow located in the
data cell it came from."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from charts import ChartSpec
from charts.style import MM, setup
from report.assets import FONTS_DIR
from report.commands.build import build
from report.commands.chart_export import file_stems
from report.compose.figures import measure_figures
from report.load.model import Metric

from .conftest import copy_project
from .test_errors import replace_in
from .test_preflight import LONG_URL, warnings_of


def _laid_out(spec: ChartSpec):  # noqa: ANN202 - (figure, axes) of a drawn chart
    setup(FONTS_DIR)
    import matplotlib.pyplot as plt

    from charts.draw import DRAWERS

    fig, ax = plt.subplots(figsize=(spec.width_mm * MM, spec.height_mm * MM))
    DRAWERS[spec.kind](ax, spec)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.16)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    return fig, ax


@pytest.mark.parametrize("values", [(-120.0, 30.0), (-5.0, -12.0, -3.0), (40.0, -60.0, 80.0, -10.0)])
def test_negative_values_hang_from_a_zero_line_with_labels_clear_of_the_axis(values: tuple[float, ...]) -> None:
    import matplotlib.pyplot as plt

    spec = ChartSpec("bar", tuple(f"R{n}" for n in range(len(values))), values,
                     tuple(f"△{abs(v):g}" if v < 0 else f"{v:g}" for v in values), "#005AFF")
    fig, ax = _laid_out(spec)
    try:
        low, high = ax.get_ylim()
        assert low < min(values) and high > max(0, *values)  # every bar drawn, none cut off
        assert any(line.get_ydata()[0] == 0 for line in ax.lines)  # the zero line
        renderer = fig.canvas.get_renderer()
        axes_box = ax.get_window_extent(renderer)
        ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        labels = [t.get_window_extent(renderer) for t in ax.texts]
        assert len(labels) == len(values)
        for label in labels:
            assert label.y0 >= axes_box.y0 - 0.5 and label.y1 <= axes_box.y1 + 0.5  # inside the plot
            assert not any(label.overlaps(tick) for tick in ticks)
        for label, value in zip(labels, values):  # each label on its own side of the zero line
            zero = ax.transData.transform((0, 0))[1]
            assert (label.y1 <= zero + 0.5) if value < 0 else (label.y0 >= zero - 0.5)
    finally:
        plt.close(fig)


def test_a_single_negative_value_is_not_a_share_or_a_row() -> None:
    figures = measure_figures([(Metric("1", "収支", 2023, Decimal("-3.5"), "%"),),
                               (Metric("1", "件数", 2023, Decimal("-2"), "件"),),
                               (Metric("1", "件数2", 2023, Decimal("4"), "件"),)], "#005AFF", "wareki")
    assert [f.kind for f in figures] == ["none", "none", "none"]


def test_chart_file_names_are_unique() -> None:
    stems = file_stems(["01/1", "01:1", "01_1", "02-1", "A", "a", "1.1"])
    assert len(set(s.lower() for s in stems.values())) == 7
    assert stems["02-1"] == "02-1" and stems["1.1"] == "1.1"


def test_koho_charts_writes_one_file_per_chart(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for old, new in (("08-1", "01/1"), ("08-2", "01:1")):
        for name in ("measures.csv", "metrics.csv"):
            path = project / name
            path.write_text(path.read_text(encoding="utf-8").replace(f"\n{old},", f"\n{new},"), encoding="utf-8")
    out = tmp_path / "charts"
    koho = str(Path(sys.executable).parent / "koho")
    result = subprocess.run([koho, "charts", str(project), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    svgs = sorted(out.glob("*.svg"))
    assert len(svgs) == 4 and len({p.read_bytes() for p in svgs}) == 4
    assert len(list(out.glob("*.png"))) == 4 and len(list(out.glob("*.txt"))) == 4
    assert "4枚のグラフを書き出しました" in result.stdout


def test_a_featured_measure_with_ruby_is_found_in_the_pdf(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "特定健診やがん検診", "{特定健診|とくていけんしん}やがん検診")
    result = build(project, output=tmp_path / "ruby.pdf", strict=True)
    assert warnings_of(result, "載っていません") == []


def test_overflow_is_located_in_the_cell_even_with_ruby(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "特定健診やがん検診の受診率向上に取り組みます。",
               f"{{特定健診|とくていけんしん}}の受診率向上 {LONG_URL}")
    replace_in(project / "koho.toml", 'lead = "令和4年度から', f'lead = "受診率向上 {LONG_URL[:30]} 令和4年度から')
    replace_in(project / "metrics.csv", "令和5年度,22,保育所", "令和5年度,22," + "u" * 80)  # printed as 22uuu…
    result = build(project, output=tmp_path / "out.pdf")
    found = {(w.file, w.row, w.column) for w in warnings_of(result, "はみ出しています")}
    assert found == {("measures.csv", 4, "vision"), ("metrics.csv", 2, "unit")}, result.warnings
