"""matplotlib's SVG made lean (charts/lean.py) draws the very same picture, with less for
WeasyPrint to read: every chart of the three example projects, both ways, pixel by pixel."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2
import pytest
from PIL import ImageChops

from charts.draw import figure
from charts.lean import lean_svg
from report.assets import FONTS_DIR
from report.compose.figures import chart_specs, measure_figures_of, svg_data_uri
from report.load.validate import load_project
from report.render.pdf.pdf import layout

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [ROOT / "data", ROOT / "examples" / "kpi-city"]


def _raw_svg(spec) -> bytes:  # noqa: ANN001 - ChartSpec
    """The chart as matplotlib writes it."""
    buffer = io.BytesIO()
    figure(spec, FONTS_DIR).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                                    transparent=True)
    return buffer.getvalue()


def _specs() -> list:
    found = {}
    for project in PROJECTS:
        for spec in chart_specs(measure_figures_of(load_project(project))):
            found.setdefault(spec.kind, spec)  # one chart of each kind the examples draw
    return list(found.values())


def _pixels(svgs: list[bytes], folder: Path):  # noqa: ANN202 - PIL images
    """The charts drawn by WeasyPrint (as in the documents), rendered at 150 dpi."""
    images = "".join(f'<img src="{svg_data_uri(svg.decode("utf-8"))}" style="display:block">' for svg in svgs)
    document, _ = layout(f'<html lang="ja"><body>{images}</body></html>', folder)
    pdf = pypdfium2.PdfDocument(document.write_pdf())
    return [pdf[i].render(scale=150 / 72).to_pil().convert("RGB") for i in range(len(pdf))]


@pytest.fixture(scope="module")
def specs() -> list:
    return _specs()


def test_the_examples_draw_several_kinds_of_chart(specs: list) -> None:
    assert {"bar", "progress", "share"} <= {spec.kind for spec in specs}


def test_a_lean_chart_is_the_same_picture(specs: list, tmp_path: Path) -> None:
    raw = [_raw_svg(spec) for spec in specs]
    lean = [lean_svg(svg) for svg in raw]
    before, after = _pixels(raw, tmp_path), _pixels(lean, tmp_path)
    assert len(before) == len(after)
    for page, (one, other) in enumerate(zip(before, after)):
        assert ImageChops.difference(one, other).getbbox() is None, f"page {page + 1} differs"


def test_a_lean_chart_has_no_style_attributes_metadata_or_empty_groups(specs: list) -> None:
    for spec in specs:
        raw = _raw_svg(spec)
        root = ET.fromstring(lean_svg(raw))
        names = [node.tag.rsplit("}", 1)[-1] for node in root.iter()]
        assert "metadata" not in names and "style" not in names
        assert not [node for node in root.iter() if "style" in node.attrib]
        assert not [node for node in root.iter() if node.tag.endswith("}g") and not len(node)]
        assert len(names) < len(list(ET.fromstring(raw).iter())), "fewer elements to draw"
        texts = [node for node in root.iter() if node.tag.endswith("}text")]
        assert texts and all(node.get("font-family") for node in texts), "text keeps its font"
