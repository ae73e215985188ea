"""`koho charts`: every chart of a document as SVG and 300 dpi PNG, for web pages and slides."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from charts.draw import render

from report.assets import FONTS_DIR
from report.commands.build import document_figures
from report.compose.figures import drawn, svg_bytes
from report.render.html.html import grid_of
from report.kinds import DEFAULT, DocumentKind, kind_named
from report.output import write_atomic
from report.load.validate import load_project


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def file_stems(measure_ids: list[str]) -> dict[str, str]:
    """A file name stem per measure, unique even where two ids differ only in characters a file
    name cannot keep (01/1 and 01:1): those get a short hash of the id."""
    safe = {measure_id: _safe(measure_id) for measure_id in measure_ids}
    counts = Counter(stem.lower() for stem in safe.values())  # Windows and macOS ignore case
    return {measure_id: stem if counts[stem.lower()] == 1 else
            f"{stem}-{hashlib.sha256(measure_id.encode('utf-8')).hexdigest()[:6]}"
            for measure_id, stem in safe.items()}


def export_charts(path: Path, out_dir: Path, dpi: int = 300, kind: str | DocumentKind | None = None) -> list[Path]:
    """Write `<measure>-<n>.svg`, `.png` and `.txt` (alt text) for every chart the document of
    `kind` (default: koho.toml's [build] kind, or the newsletter) prints: the same measures, years
    and sizes. The SVG comes from the chart cache; every chart gets its own file names. Returns the
    files written."""
    project = load_project(path)
    kind = kind_named(kind) if kind else project.config.build.kind or DEFAULT
    figures = drawn(document_figures(project, kind, grid_of(project.files.root)))
    stems = file_stems(list(figures))
    written: list[Path] = []
    for measure_id, items in figures.items():
        charted = [f for f in items if f.spec is not None and f.chart]
        for number, figure in enumerate(charted, start=1):
            stem = f"{stems[measure_id]}-{number}"  # not with_suffix: an id may hold a dot
            png = render(figure.spec, FONTS_DIR, "png", dpi=dpi)
            for suffix, data in ((".svg", svg_bytes(figure.chart)), (".png", png), (".txt", (figure.alt + "\n").encode())):
                target = out_dir / f"{stem}{suffix}"
                write_atomic(target, lambda stream, data=data: stream.write(data))
                written.append(target)
    return written
