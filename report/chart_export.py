"""`koho charts`: every chart of a document as SVG and 300 dpi PNG, for web pages and slides."""

from __future__ import annotations

import re
from pathlib import Path

from charts.draw import render

from .assets import FONTS_DIR
from .figures import project_figures, svg_bytes
from .html import grid_of
from .kinds import DocumentKind, kind_named
from .output import write_atomic
from .validate import load_project


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)



def export_charts(path: Path, out_dir: Path, dpi: int = 300, kind: str | DocumentKind | None = None) -> list[Path]:
    """Write `<measure>-<n>.svg`, `.png` and `.txt` (alt text) for every chart the document of
    `kind` (default: koho.toml's [build] kind, or the newsletter) prints: the same measures, years
    and sizes. The SVG comes from the chart cache; returns the files written."""
    project = load_project(path)
    kind = kind_named(kind or project.config.build.kind or None)
    figures = project_figures(project, years=kind.years(project),
                              measures={m.id for m in project.measures if kind.shows(m)},
                              chart_width_mm=grid_of(project.files.root).chart_width_mm)
    written: list[Path] = []
    for measure_id, items in figures.items():
        charted = [f for f in items if f.spec is not None and f.chart]
        for number, figure in enumerate(charted, start=1):
            stem = out_dir / f"{_safe(measure_id)}-{number}"
            png = render(figure.spec, FONTS_DIR, "png", dpi=dpi)
            for suffix, data in ((".svg", svg_bytes(figure.chart)), (".png", png), (".txt", (figure.alt + "\n").encode())):
                target = stem.with_suffix(suffix)
                write_atomic(target, lambda stream, data=data: stream.write(data))
                written.append(target)
    return written
