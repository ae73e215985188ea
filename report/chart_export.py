"""`koho charts`: every chart of a project as SVG and 300 dpi PNG, for web pages and slides."""

from __future__ import annotations

import re
from pathlib import Path

from charts.draw import render

from .assets import FONTS_DIR
from .figures import project_figures
from .output import write_atomic
from .validate import load_project


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def export_charts(path: Path, out_dir: Path, dpi: int = 300) -> list[Path]:
    """Write `<measure>-<n>.svg` and `.png` for every chart; returns the files written."""
    project = load_project(path)
    written: list[Path] = []
    for measure_id, figures in project_figures(project).items():
        charted = [f for f in figures if f.spec is not None]
        for number, figure in enumerate(charted, start=1):
            stem = out_dir / f"{_safe(measure_id)}-{number}"
            svg = render(figure.spec, FONTS_DIR, "svg")
            png = render(figure.spec, FONTS_DIR, "png", dpi=dpi)
            for suffix, data in ((".svg", svg), (".png", png)):
                target = stem.with_suffix(suffix)
                write_atomic(target, lambda stream, data=data: stream.write(data))
                written.append(target)
            stem.with_suffix(".txt").write_text(figure.alt + "\n", encoding="utf-8")
            written.append(stem.with_suffix(".txt"))
    return written
