"""The build command as a plain function: load → validate → charts → render → write."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from .figures import project_figures
from .fit import fit_to_spreads
from .html import RenderOptions, render_html
from .model import Project
from .output import write_atomic
from .pdf import layout, write_pdf
from .problems import DataError, Problem
from .sources import CONFIG_NAME
from .spread import spread_proof
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
    spread: Path | None = None


def default_output(project: Project, kind: str) -> Path:
    return project.files.root / "build" / f"{kind}.pdf"


def creation_time() -> str:
    """SOURCE_DATE_EPOCH (for reproducible builds) or now, as ISO 8601 in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def icc_profile_uri(project: Project) -> str | None:
    """The printer's ICC profile named in koho.toml, as a file: URI inside the project."""
    name = project.config.print.icc_profile
    if not name:
        return None
    path = (project.files.root / name).resolve()
    if not path.is_file() or not path.is_relative_to(project.files.root):
        raise DataError([Problem(CONFIG_NAME, "ICCプロファイルのファイルがプロジェクトフォルダにありません",
                                 column="print.icc_profile", value=name)])
    return "file://" + quote(str(path), safe="/")


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str = "newsletter", pdf: bool = True, print_ready: bool | None = None,
          spread: bool = False) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    `print_ready` (default: koho.toml's [print] enabled) adds bleed and crop marks, and makes a
    PDF/X-4 when a printer's profile is configured; `spread` also writes the A3 spread proof.
    """
    started = time.perf_counter()
    project = load_project(path)
    config = project.config
    printing = config.print.enabled if print_ready is None else print_ready
    icc = icc_profile_uri(project) if printing else None
    base = RenderOptions(print_ready=printing, icc_profile=icc, created=creation_time())
    figures = project_figures(project, jobs=os.cpu_count() or 1)

    def render(line_height: str | None) -> str:
        return render_html(project, figures, kind, replace(base, line_height=line_height))

    def lay_out(html: str):  # noqa: ANN202 - weasyprint.Document
        return layout(html, project.files.root)[0]

    pages = size = 0
    target = proof = None
    if not pdf:
        html = render(None)
    elif kind == "newsletter" and config.fit_spread:
        html, document = fit_to_spreads(render, lay_out, config.first_page)
    else:
        html = render(None)
        document = lay_out(html)
    if html_output is not None:
        write_atomic(Path(html_output), lambda stream: stream.write(html.encode("utf-8")))
    if pdf:
        pages = len(document.pages)
        target = Path(output) if output else default_output(project, kind)
        buffer = io.BytesIO()
        write_pdf(document, buffer, variant="pdf/x-4" if icc else None, two_up_from=config.first_page)
        size = write_atomic(target, lambda stream: stream.write(buffer.getvalue()))
        if spread:
            proof = target.with_name(f"{target.stem}-spread.pdf")
            sheets = spread_proof(buffer.getvalue(), config.first_page)
            write_atomic(proof, lambda stream: stream.write(sheets))
    return BuildResult(project, target, Path(html_output) if html_output else None, pages, size,
                       time.perf_counter() - started, proof)
