"""`koho charts`: every chart of a project as SVG and 300 dpi PNG, for web pages and slides."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from charts.draw import render

from .assets import FONTS_DIR
from .figures import project_figures
from .output import write_atomic
from .validate import load_project


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


def export_charts(path: Path, out_dir: Path, dpi: int = 300) -> list[Path]:
    """Write `<measure>-<n>.svg`, `.png` and `.txt` (the alt text) for every chart; returns the files
    written. Every chart gets its own file names."""
    project = load_project(path)
    figures = project_figures(project)
    stems = file_stems(list(figures))
    written: list[Path] = []
    for measure_id, measure_figures in figures.items():
        charted = [f for f in measure_figures if f.spec is not None]
        for number, figure in enumerate(charted, start=1):
            stem = f"{stems[measure_id]}-{number}"
            svg = render(figure.spec, FONTS_DIR, "svg")
            png = render(figure.spec, FONTS_DIR, "png", dpi=dpi)
            alt = (figure.alt + "\n").encode("utf-8")
            for suffix, data in ((".svg", svg), (".png", png), (".txt", alt)):
                target = out_dir / f"{stem}{suffix}"
                write_atomic(target, lambda stream, data=data: stream.write(data))
                written.append(target)
    return written
