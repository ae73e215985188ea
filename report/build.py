"""The build command as a plain function: load → check → charts → layout → write."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from charts import svgs

from .assets import FONTS_DIR
from .figures import project_figures, svg_data_uri
from .fit import fit_to_spreads
from .html import RenderOptions, render_html
from .model import Project
from .output import write_atomic
from .pdf import layout, source_attachments, write_pdf
from .problems import DataError, Problem
from .progress import Progress, no_progress
from .records import summarize
from .sources import CONFIG_NAME
from .spread import spread_proof
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
    spread: Path | None = None
    sha256: str = ""


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


def document_years(project: Project, kind: str) -> list[int]:
    """The fiscal years a kind shows: the newsletter its period (koho.toml `years`, or the last two
    in the data); the handout and the archive every year."""
    if kind != "newsletter":
        return project.fiscal_years
    return list(project.config.years) or project.fiscal_years[-2:]


def pdf_variant(kind: str, icc: str | None) -> str | None:
    """Printer's version: PDF/X-4; archive: PDF/A-3a (tagged); reader's versions: PDF/UA-1 (tagged)."""
    if icc:
        return "pdf/x-4"
    return "pdf/a-3a" if kind == "archive" else "pdf/ua-1"


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str | None = None, pdf: bool = True, print_ready: bool | None = None,
          spread: bool = False, meeting: str | None = None, date: str | None = None,
          progress: Progress = no_progress) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    Arguments left as None come from koho.toml ([build], [print], [handout]), then from koho's
    defaults. `print_ready` adds bleed and crop marks (a PDF/X-4 when a printer's profile is
    configured); `spread` also writes the A3 spread proof; `meeting` and `date` override the
    handout's header block. `progress` is called with each stage's name as it starts.
    """
    started = time.perf_counter()
    progress("load")
    project = load_project(path, progress=progress)
    if meeting is not None or date is not None:
        handout = replace(project.config.handout, **{k: v for k, v in (("meeting", meeting), ("date", date))
                                                     if v is not None})
        project = replace(project, config=replace(project.config, handout=handout))
    config = project.config
    settings, root = config.build, project.files.root
    kind = kind or settings.kind or "newsletter"
    if html_output is None and settings.html:
        html_output = root / settings.html
    if output is None:
        output = root / settings.output if settings.output else default_output(project, kind)
    printing = (config.print.enabled if print_ready is None else print_ready) and kind == "newsletter"
    icc = icc_profile_uri(project) if printing else None
    base = RenderOptions(print_ready=printing, icc_profile=icc, created=creation_time())
    years = document_years(project, kind)
    shown = {m.id for m in project.measures if kind != "newsletter" or m.featured}
    progress("charts")
    figures = project_figures(project, jobs=os.cpu_count() or 1, years=years, measures=shown)
    summary = summarize(project) if kind == "handout" else None
    summary_chart = svg_data_uri(svgs([summary.chart], FONTS_DIR)[summary.chart.key()]) if summary else None

    def render(line_height: str | None) -> str:
        return render_html(project, figures, kind, replace(base, line_height=line_height), years=years,
                           summary=summary, summary_chart=summary_chart)

    def lay_out(html: str):  # noqa: ANN202 - weasyprint.Document
        return layout(html, root)[0]

    progress("layout")
    document = None
    if not pdf:
        html = render(None)
    elif kind == "newsletter" and config.fit_spread:
        html, document = fit_to_spreads(render, lay_out, config.first_page)
    else:
        html = render(None)
        document = lay_out(html)
    progress("write")
    if html_output is not None:
        write_atomic(Path(html_output), lambda stream: stream.write(html.encode("utf-8")))
    pages = size = 0
    proof = None
    digest = ""
    if document is not None:
        pages = len(document.pages)
        buffer = io.BytesIO()
        attachments = source_attachments(project, base.created) if kind == "archive" else None
        write_pdf(document, buffer, variant=pdf_variant(kind, icc),
                  two_up_from=config.first_page if kind == "newsletter" else None, attachments=attachments)
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        size = write_atomic(Path(output), lambda stream: stream.write(data))
        if spread and kind == "newsletter":
            proof = Path(output).with_name(f"{Path(output).stem}-spread.pdf")
            sheets = spread_proof(data, config.first_page)
            write_atomic(proof, lambda stream: stream.write(sheets))
    return BuildResult(project, kind, Path(output) if pdf else None, Path(html_output) if html_output else None,
                       pages, size, time.perf_counter() - started, proof, digest)
