"""The build command as a plain function: check → charts → render → lay out → preflight → write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .figures import project_figures
from .html import render_html
from .model import Project
from .output import Writer, write_all
from .pdf import layout, write_pdf
from .preflight import missing_glyphs, preflight
from .problems import Problem, fail_on
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
    warnings: tuple[Problem, ...] = ()  # the data's and the preflight's
    refused: tuple[str, ...] = ()  # URLs the renderer asked for and koho refused
    opened: tuple[Path, ...] = ()  # files the renderer read


def default_output(project: Project, kind: str) -> Path:
    return project.files.root / "build" / f"{kind}.pdf"


def check(path: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """What `koho validate` runs and `koho build` runs first: the data, koho.toml and the characters
    of the text. Raises DataError listing every problem (with `strict`, warnings too)."""
    project = load_project(path)
    warnings = [*project.warnings, *missing_glyphs(project)]
    fail_on(warnings, strict)
    return project, warnings


def _refuse_inputs(project: Project, targets: list[Path]) -> None:
    """Input files are never written, not even when named as the output."""
    inputs = {os.path.realpath(p) for p in project.files.inputs}
    clashes = [t for t in targets if os.path.realpath(t) in inputs]
    fail_on([Problem(str(t), "入力ファイルを出力先にはできません。別のファイル名を指定してください") for t in clashes])


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str = "newsletter", pdf: bool = True, strict: bool = False) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    Nothing is written unless every step succeeds; with `strict`, warnings of the data or of the
    preflight fail the build too.
    """
    started = time.perf_counter()
    project, warnings = check(path)  # errors stop here; with `strict`, warnings after the preflight
    target = Path(output) if output else default_output(project, kind)
    html_target = Path(html_output) if html_output is not None else None
    _refuse_inputs(project, [t for t in (target if pdf else None, html_target) if t is not None])
    html = render_html(project, project_figures(project), kind)
    outputs: list[tuple[Path, Writer]] = []
    if html_target is not None:
        outputs.append((html_target, lambda stream: stream.write(html.encode("utf-8"))))
    pages, refused, opened = 0, (), ()
    if pdf:
        document, fetcher = layout(html, project.files.root)
        pages, refused, opened = len(document.pages), tuple(fetcher.refused), tuple(fetcher.opened)
        warnings += preflight(project, document, fetcher.refused, target.name)
        outputs.insert(0, (target, lambda stream: write_pdf(document, stream)))
    fail_on(warnings, strict, subject="入力データと仕上がり")
    sizes = write_all(outputs)
    return BuildResult(project, target if pdf else None, html_target, pages, sizes[0] if pdf else 0,
                       time.perf_counter() - started, tuple(warnings), refused, opened)
