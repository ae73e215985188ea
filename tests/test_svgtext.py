"""Chart labels drawn as one text run (report/render/typeset/extensions/svgtext.py): same place as WeasyPrint's letters, fewer
operations, and a guard on the WeasyPrint code it stands in for."""

from __future__ import annotations

import base64
import hashlib
import importlib
import inspect
import io
import json
import subprocess
import sys
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from report.assets import STYLES_DIR
from report.render.pdf.pdf import layout, write_pdf

# weasyprint.svg.text.text of WeasyPrint 70.0, which report/render/typeset/extensions/svgtext.py mirrors for one-position labels.
TESTED_TEXT_SHA256 = "67a30c3e181b4a8002350771928b86b26dfef05b2706d0b3c6b46943e41af61b"
# weasyprint.svg.SVG.draw_node of WeasyPrint 70.0, whose text-anchor groups report/render/typeset/extensions/svgtext.py avoids.
TESTED_DRAW_NODE_SHA256 = "5e24443a435c491ef0f0a66bfc93d8e39193c999270d8d048dea06da900c89ba"
LABELS = ("令和5年度 89.4%", "子育て・教育 123件", "208件", "目標 176自治会")
SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="110pt" viewBox="0 0 200 110">
<text x="10" y="20" style="font-size: 12px; font-family: 'BIZ UDPGothic'">{LABELS[0]}</text>
<text x="10" y="45" style="font-weight: 700; font-size: 10px; font-family: 'BIZ UDPGothic'">{LABELS[1]}</text>
<text x="100" y="70" style="font-size: 9px; font-family: 'BIZ UDPGothic'; text-anchor: middle">{LABELS[2]}</text>
<text x="190" y="95" style="font-size: 9px; font-family: 'BIZ UDPGothic'; text-anchor: end">{LABELS[3]}</text>
</svg>"""
FONT = (STYLES_DIR / "fonts" / "BIZUDPGothic-Regular.ttf").as_uri()
BOLD = (STYLES_DIR / "fonts" / "BIZUDPGothic-Bold.ttf").as_uri()
HTML = f"""<html lang="ja"><head><style>
@font-face {{ font-family: "BIZ UDPGothic"; src: url("{FONT}"); }}
@font-face {{ font-family: "BIZ UDPGothic"; font-weight: 700; src: url("{BOLD}"); }}
</style></head><body><img alt="chart" src="data:image/svg+xml;base64,{base64.b64encode(SVG.encode()).decode()}"></body></html>"""
WEASYPRINT_ALONE = """
import sys, weasyprint
sys.stdout.buffer.write(weasyprint.HTML(string=sys.stdin.read(), base_url="file:///").write_pdf())
"""


def chars(pdf: bytes) -> list[tuple[str, float, float]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in document.pages[0].chars
                if c["text"] != " "]


def test_labels_are_one_run_each_where_weasyprint_puts_their_letters(tmp_path: Path) -> None:
    """Left-aligned, centred and right-aligned labels; WeasyPrint alone draws each letter, and each
    centred or right-aligned label in a group (form XObject) of its own."""
    document, _ = layout(HTML, tmp_path)
    ours = io.BytesIO()
    write_pdf(document, ours, variant=None)
    theirs = subprocess.run([sys.executable, "-c", WEASYPRINT_ALONE], input=HTML.encode(), capture_output=True,
                            check=True).stdout
    placed, expected = chars(ours.getvalue()), chars(theirs)
    assert "".join(c for c, _, _ in placed) == "".join(LABELS).replace(" ", "")
    assert len(placed) == len(expected)
    for (char, x, top), (_, x_alone, top_alone) in zip(placed, expected):
        assert abs(x - x_alone) <= 0.3 and abs(top - top_alone) <= 0.3, (char, x, x_alone)

    def text_matrices(pdf: bytes) -> int:  # one Tm per run drawn
        reader = PdfReader(io.BytesIO(pdf))
        streams = [reader.pages[0].get_contents().get_data()]
        todo = list(reader.pages[0]["/Resources"].get("/XObject", {}).values())
        while todo:  # forms within forms: WeasyPrint's groups of anchored labels
            xobject = todo.pop().get_object()
            streams.append(xobject.get_data())
            todo += list((xobject.get("/Resources") or {}).get("/XObject", {}).values())
        return sum(stream.count(b" Tm") for stream in streams)

    assert text_matrices(ours.getvalue()) == len(LABELS)
    assert text_matrices(theirs) == sum(len(label) for label in LABELS) - sum(label.count(" ") for label in LABELS)
    assert forms(ours.getvalue()) == 0 and forms(theirs) == 2  # a group for each anchored label


def forms(pdf: bytes) -> int:
    """Form XObjects on the first page, nested ones included."""
    def count(resources) -> int:  # noqa: ANN001 - pypdf dictionary
        found = 0
        for xobject in (resources or {}).get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                found += 1 + count(xobject.get("/Resources"))
        return found
    return count(PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"])


def test_the_weasyprint_code_it_stands_in_for_is_unchanged() -> None:
    svg_text = importlib.import_module("weasyprint.svg.text")
    assert hashlib.sha256(inspect.getsource(svg_text.text).encode()).hexdigest() == TESTED_TEXT_SHA256, (
        "weasyprint.svg.text.text changed: check report/render/typeset/extensions/svgtext.py against it, then update the hash")
    from weasyprint.svg import SVG as WeasySVG

    drawing = inspect.getsource(getattr(WeasySVG.draw_node, "__wrapped__", WeasySVG.draw_node))
    assert hashlib.sha256(drawing.encode()).hexdigest() == TESTED_DRAW_NODE_SHA256, (
        "weasyprint.svg.SVG.draw_node changed: check how report/render/typeset/extensions/svgtext.py wraps it, then update the hash")
    assert json.dumps(sorted(k for k, v in importlib.import_module("weasyprint.svg").TAGS.items()
                             if v.__module__ == "report.render.typeset.extensions.svgtext")) == '["a", "text", "textPath", "tspan"]'
