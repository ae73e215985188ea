"""The build command as a plain function: load → validate → charts → render → write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .figures import project_figures
from .fit import fit_to_spreads
from .html import render_html
from .model import Project
from .output import write_atomic
from .pdf import layout, write_pdf
from .validate import load_project

KINDS = ("newsletter",)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the closing line and for tests."""

    project: Project
    pdf: Path | None
    html: Path | None
    pages: int
    size: int
    seconds: float


def default_output(project: Project, kind: str) -> Path:
    return project.files.root / "build" / f"{kind}.pdf"


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str = "newsletter", pdf: bool = True) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml)."""
    started = time.perf_counter()
    project = load_project(path)
    figures = project_figures(project, jobs=os.cpu_count() or 1)

    def render(line_height: str | None) -> str:
        return render_html(project, figures, kind, line_height=line_height)

    def lay_out(html: str):  # noqa: ANN202 - weasyprint.Document
        return layout(html, project.files.root)[0]

    pages = size = 0
    target = None
    if not pdf:
        html = render(None)
    elif kind == "newsletter" and project.config.fit_spread:
        html, document = fit_to_spreads(render, lay_out, project.config.first_page)
    else:
        html = render(None)
        document = lay_out(html)
    if html_output is not None:
        write_atomic(Path(html_output), lambda stream: stream.write(html.encode("utf-8")))
    if pdf:
        pages = len(document.pages)
        target = Path(output) if output else default_output(project, kind)
        size = write_atomic(target, lambda stream: write_pdf(document, stream))
    return BuildResult(project, target, Path(html_output) if html_output else None, pages, size,
                       time.perf_counter() - started)
