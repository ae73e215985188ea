"""The build command as a plain function: load → check → charts → layout → write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .figures import project_figures
from .html import render_html
from .model import Project
from .output import write_atomic
from .pdf import layout, write_pdf
from .progress import Progress, no_progress
from .validate import load_project


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the closing line and for tests."""

    project: Project
    kind: str
    pdf: Path | None
    html: Path | None
    pages: int
    size: int
    seconds: float


def default_output(project: Project, kind: str) -> Path:
    return project.files.root / "build" / f"{kind}.pdf"


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str | None = None, pdf: bool = True, progress: Progress = no_progress) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    Arguments left as None come from koho.toml's [build] table, then from koho's defaults.
    `progress` is called with each stage's name (see report.progress.STAGES) as it starts.
    """
    started = time.perf_counter()
    progress("load")
    project = load_project(path, progress=progress)
    settings, root = project.config.build, project.files.root
    kind = kind or settings.kind or "newsletter"
    if html_output is None and settings.html:
        html_output = root / settings.html
    if output is None:
        output = root / settings.output if settings.output else default_output(project, kind)
    progress("charts")
    figures = project_figures(project)
    progress("layout")
    html = render_html(project, figures, kind)
    document = layout(html, root)[0] if pdf else None
    progress("write")
    if html_output is not None:
        write_atomic(Path(html_output), lambda stream: stream.write(html.encode("utf-8")))
    pages = size = 0
    if document is not None:
        pages = len(document.pages)
        size = write_atomic(Path(output), lambda stream: write_pdf(document, stream))
    return BuildResult(project, kind, Path(output) if pdf else None,
                       Path(html_output) if html_output else None, pages, size,
                       time.perf_counter() - started)
