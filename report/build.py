"""The build command as a plain function: check → charts → render → lay out → preflight → write."""

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
from .icc import check_profile
from .model import Project
from .output import Writer, write_all
from .pdf import layout, source_attachments, write_pdf
from .preflight import missing_glyphs, preflight
from .problems import DataError, KohoError, Problem, fail_on
from .progress import Progress, no_progress
from .records import summarize
from .sources import CONFIG_NAME
from .spread import spread_proof
from .targets import check_targets
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
    warnings: tuple[Problem, ...] = ()  # the data's and the preflight's
    refused: tuple[str, ...] = ()  # URLs the renderer asked for and koho refused
    opened: tuple[Path, ...] = ()  # files the renderer read


def bytes_writer(data: bytes) -> Writer:
    """Write bytes prepared in memory: the PDF is laid out and serialised before a file is touched."""
    return lambda stream: stream.write(data)


def default_output(project: Project, kind: str) -> Path:
    return project.files.root / "build" / f"{kind}.pdf"


def creation_time() -> str:
    """SOURCE_DATE_EPOCH (for reproducible builds) or now, as ISO 8601 in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise KohoError(f"環境変数 SOURCE_DATE_EPOCH「{epoch[:40]}」は1970年からの秒数(整数)にしてください") from None
    return moment.replace(microsecond=0).isoformat()


def icc_profile_uri(project: Project) -> str | None:
    """The printer's ICC profile named in koho.toml, as a file: URI inside the project."""
    name = project.config.print.icc_profile
    if not name:
        return None
    problem = check_profile(project.files.root, name)
    if problem:
        raise DataError([problem])
    return "file://" + quote(str((project.files.root / name).resolve()), safe="/")


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


def check(path: Path, strict: bool = False, progress: Progress = no_progress) -> tuple[Project, list[Problem]]:
    """What `koho validate` runs and `koho build` runs first: the data, koho.toml and the characters
    of the text. Raises DataError listing every problem (with `strict`, warnings too)."""
    project = load_project(path, progress=progress)
    warnings = [*project.warnings, *missing_glyphs(project)]
    fail_on(warnings, strict)
    return project, warnings


def _refuse_inputs(project: Project, targets: list[Path]) -> None:
    """Input files are never written, not even when named as the output."""
    inputs = {os.path.realpath(p) for p in project.files.inputs}
    clashes = [t for t in targets if os.path.realpath(t) in inputs]
    fail_on([Problem(str(t), "入力ファイルを出力先にはできません。別のファイル名を指定してください") for t in clashes])


def _with_handout(project: Project, meeting: str | None, date: str | None) -> Project:
    """The project with the handout's meeting and date from the command line, where given."""
    given = {key: value for key, value in (("meeting", meeting), ("date", date)) if value is not None}
    if not given:
        return project
    return replace(project, config=replace(project.config, handout=replace(project.config.handout, **given)))


def _targets(project: Project, kind: str, output: Path | None, html_output: Path | None,
             spread: bool) -> tuple[Path, Path | None, Path | None]:
    """Where the PDF, the HTML and the spread proof go: options first, then koho.toml's [build]."""
    settings, root = project.config.build, project.files.root
    target = Path(output) if output else (root / settings.output if settings.output else default_output(project, kind))
    html = Path(html_output) if html_output is not None else (root / settings.html if settings.html else None)
    proof = target.with_name(f"{target.stem}-spread.pdf") if spread and kind == "newsletter" else None
    return target, html, proof


def _pdf_bytes(document, project: Project, kind: str, icc: str | None, created: str) -> bytes:  # noqa: ANN001
    """The laid-out document as PDF bytes, in the kind's variant (the archive with its sources)."""
    buffer = io.BytesIO()
    attachments = source_attachments(project, created) if kind == "archive" else None
    write_pdf(document, buffer, variant=pdf_variant(kind, icc),
              two_up_from=project.config.first_page if kind == "newsletter" else None, attachments=attachments)
    return buffer.getvalue()


def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str | None = None, pdf: bool = True, print_ready: bool | None = None,
          spread: bool = False, meeting: str | None = None, date: str | None = None,
          strict: bool = False, progress: Progress = no_progress) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    Arguments left as None come from koho.toml ([build], [print], [handout]), then from koho's
    defaults. `print_ready` adds bleed and crop marks (a PDF/X-4 when a printer's profile is
    configured); `spread` also writes the A3 spread proof; `meeting` and `date` override the
    handout's header block. Nothing is written unless every step succeeds; with `strict`, warnings
    of the data or of the preflight fail the build too. `progress` hears each stage as it starts.
    """
    started = time.perf_counter()
    progress("load")
    project, warnings = check(path, progress=progress)  # errors stop here; strict warnings later
    project = _with_handout(project, meeting, date)
    config, root = project.config, project.files.root
    kind = kind or config.build.kind or "newsletter"
    target, html_target, proof_target = _targets(project, kind, output, html_output, spread and pdf)
    written = [t for t in (target if pdf else None, html_target, proof_target) if t is not None]
    _refuse_inputs(project, written)
    configured = [t for t, given in ((target, output), (html_target, html_output)) if t is not None and given is None]
    check_targets(written, configured, root)
    printing = (config.print.enabled if print_ready is None else print_ready) and kind == "newsletter"
    icc = icc_profile_uri(project) if printing else None
    base = RenderOptions(print_ready=printing, icc_profile=icc, created=creation_time())
    years = document_years(project, kind)
    shown = {m.id for m in project.measures if m.appears_in(kind)}
    progress("charts")
    figures = project_figures(project, jobs=os.cpu_count() or 1, years=years, measures=shown)
    summary = summarize(project) if kind == "handout" else None
    summary_chart = svg_data_uri(svgs([summary.chart], FONTS_DIR)[summary.chart.key()]) if summary else None

    def render(line_height: str | None) -> str:
        return render_html(project, figures, kind, replace(base, line_height=line_height), years=years,
                           summary=summary, summary_chart=summary_chart)

    fetchers: dict[int, object] = {}  # document id → the fetcher that laid it out

    def lay_out(html: str):  # noqa: ANN202 - weasyprint.Document
        document, fetcher = layout(html, root)
        fetchers[id(document)] = fetcher
        return document

    progress("layout")
    document = None
    if not pdf:
        html = render(None)
    elif kind == "newsletter" and config.fit_spread:
        html, document = fit_to_spreads(render, lay_out, config.first_page)
    else:
        html = render(None)
        document = lay_out(html)
    outputs: list[tuple[Path, Writer]] = []
    if html_target is not None:
        outputs.append((html_target, bytes_writer(html.encode("utf-8"))))
    pages, refused, opened, digest = 0, (), (), ""
    if document is not None:
        fetcher = fetchers[id(document)]
        pages, refused, opened = len(document.pages), tuple(fetcher.refused), tuple(fetcher.opened)
        warnings += preflight(project, document, fetcher.refused, target.name)
        data = _pdf_bytes(document, project, kind, icc, base.created)
        digest = hashlib.sha256(data).hexdigest()
        outputs.insert(0, (target, bytes_writer(data)))
        if proof_target is not None:
            sheets = spread_proof(data, config.first_page)
            outputs.append((proof_target, bytes_writer(sheets)))
    fail_on(warnings, strict, subject="入力データと仕上がり")
    progress("write")
    sizes = write_all(outputs)
    return BuildResult(project, kind, target if pdf else None, html_target, pages, sizes[0] if pdf else 0,
                       time.perf_counter() - started, proof_target, digest, tuple(warnings), refused, opened)
