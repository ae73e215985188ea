"""The build command as a plain function: check → charts → render → lay out → preflight → write."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from report.assets import FONTS_DIR
from report.clock import japan_now
from report.compose.figures import chart_specs, measure_figures_of, with_charts
from report.render.typeset.late_charts import LateCharts
from report.render.typeset.breaks import problems, repairs
from report.render.typeset.closing import rearrangement
from report.render.typeset.fit import fit_to_spreads
from report.render.makeup import end_level, fill_columns, spread_advice
from report.render.html.generated_css import GeneratedCSS, with_generated_css
from report.render.html.html import environment, grid_of, render_html
from report.load.project.icc import check_profile
from report.kinds import DocumentKind, kind_named
from report.load.model import Project
from report.commands.collection import paused_collector
from report.output import Writer, write_all
from report.render.pdf.pdf import layout, source_attachments, write_pdf
from report.render.checks.overflow import clipped
from report.render.checks.preflight import missing_glyphs, preflight, printed_glyphs, printed_text
from report.render.html.sizes import CHART_MAX_HEIGHT_MM, PT_PER
from report.problems import DataError, KohoError, Problem, fail_on
from report.commands.progress import Progress, no_progress
from report.compose.records import summarize
from report.render.pdf.spread import spread_proof
from report.load.project.targets import check_targets
from report.load.validate import load_project
from report.render.typeset.weasy import load as load_weasyprint
from report.render.web.web import INDEX, PdfLink, web_file_names, web_files
from report.photos.web import photo_file_names
from report.commands.web_folder import folder_problems, foreign_entries, owned_names
from report.load.project.config import Config, load_config
from report.load.project.sources import locate


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the closing line and for tests."""

    project: Project
    kind: str
    pdf: Path | None  # None: the web version alone (--no-pdf)
    html: Path | None
    pages: int
    size: int
    seconds: float
    spread: Path | None = None
    sha256: str = ""
    warnings: tuple[Problem, ...] = ()  # every warning: the data's, the glyphs', the preflight's, refused URLs
    refused: tuple[str, ...] = ()  # URLs the renderer asked for and koho refused
    opened: tuple[Path, ...] = ()  # files the renderer read
    web: Path | None = None  # the web version's index.html
    line_height: float | None = None  # copy-fitted body line height (None: the stylesheet's own)
    provisional: bool = False  # laid out at the line height that fitted last time, not yet checked
    removed: tuple[Path, ...] = ()  # koho's old files the new set no longer has (a web folder's PDF, --no-pdf)
    advice: tuple[Problem, ...] = ()  # how many lines to cut or add when the feature cannot fill its pages


def bytes_writer(data: bytes) -> Writer:
    """Write bytes prepared in memory: the PDF is laid out and serialised before a file is touched."""
    return lambda stream: stream.write(data)


PRINT_SUFFIX = "-print"  # the printer's version's own name: it never replaces the reader's PDF


def _web_targets(root: Path, kind: DocumentKind, output: Path | None,
                 web_output: Path | None) -> tuple[Path | None, Path | None]:
    """Where the web version's index.html and the PDF go.

    The web kind writes a folder (-o names its index.html or the folder; default build/web/) with
    the PDF inside it; `web_output`, where given, names the index.html for any kind (the preview).
    """
    if web_output is not None or not kind.web_of:
        return web_output, output
    index = Path(output) if output else root / "build" / "web" / INDEX
    if index.suffix.lower() not in (".html", ".htm"):  # -o names the folder
        index = index / INDEX
    return index, index.parent / f"{kind.content}.pdf"


@dataclass(frozen=True)
class Targets:
    """Every file a build writes, known before anything is laid out: each is checked as an output."""

    pdf: Path  # the PDF (with --no-pdf, where it would be: a web folder's old PDF is removed)
    html: Path | None
    proof: Path | None
    web: Path | None  # the web version's index.html; its folder is written whole, as one unit
    with_pdf: bool = True
    photos: tuple[str, ...] = ()  # the web page's photo files (report.photos.web.photo_file_names)

    @property
    def folder(self) -> Path | None:
        return self.web.parent if self.web is not None else None

    @property
    def web_files(self) -> list[Path]:
        """The web version's files, its fonts included (the PDF is the PDF's)."""
        if self.web is None:
            return []
        return [self.web if name == INDEX else self.web.parent / name for name in web_file_names(self.photos)]

    @property
    def files(self) -> list[Path]:
        pdf = [path for path in (self.pdf, self.proof) if path is not None] if self.with_pdf else []
        return [*pdf, *([self.html] if self.html is not None else []), *self.web_files]


def plan_targets(root: Path, config: Config, asked: DocumentKind, output: Path | None = None,
                 html_output: Path | None = None, spread: bool = False, pdf: bool = True,
                 web_output: Path | None = None, printing: bool = False) -> Targets:
    """Where each output of a build goes: options first, then koho.toml's [build], then koho's
    defaults. The printer's version, unless -o names it, is NAME-print.pdf beside the reader's."""
    web, output = _web_targets(root, asked, output, web_output)
    settings, kind = config.build, asked.content
    target = Path(output) if output else (root / settings.output if settings.output else
                                          root / "build" / f"{kind}.pdf")
    if printing and not output:
        target = target.with_name(f"{target.stem}{PRINT_SUFFIX}{target.suffix}")
    html = Path(html_output) if html_output is not None else (root / settings.html if settings.html else None)
    proof = target.with_name(f"{target.stem}-spread.pdf") if spread and kind.spread_proof else None
    return Targets(target, html, proof, web, pdf)


def planned_targets(path: Path, kind: str | None = None) -> Targets | None:
    """Where `koho build PATH [--kind KIND]` writes, from koho.toml alone (the data is not read);
    None when that cannot be known (the build itself will say why)."""
    try:
        files = locate(path)
        config, _ = load_config(files.config)
        asked = kind_named(kind or config.build.kind or None)
    except (KohoError, KeyError, OSError):
        return None
    return plan_targets(files.root, config, asked, printing=asked.printable and config.print.enabled)


def creation_time() -> str:
    """The build's time in Japan (SOURCE_DATE_EPOCH for reproducible builds), as ISO 8601 with
    its +09:00 offset: the archive's default date is its date."""
    return japan_now().isoformat()


def icc_path(project: Project) -> Path:
    return (project.files.root / project.config.print.icc_profile).resolve()


def icc_profile_uri(project: Project) -> str | None:
    """The printer's ICC profile named in koho.toml, as a file: URI inside the project."""
    name = project.config.print.icc_profile
    if not name:
        return None
    problem = check_profile(project.files.root, name)
    if problem:
        raise DataError([problem])
    return "file://" + quote(str(icc_path(project)), safe="/")


def check(path: Path, strict: bool = False, progress: Progress = no_progress) -> tuple[Project, list[Problem]]:
    """What `koho validate` runs and `koho build` runs first: the data, koho.toml and the characters
    of the text. Raises DataError listing every problem (with `strict`, warnings too)."""
    project = load_project(path, progress=progress)
    warnings = [*project.warnings, *project.traced(missing_glyphs(project))]
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
    if date is not None:
        from report.load.values.era import check_written_date

        try:
            check_written_date(date)  # printed as written: an era date must exist (not 令和0年)
        except ValueError as error:
            raise KohoError(f"--date「{date}」: {error}") from None
    if not given:
        return project
    return replace(project, config=replace(project.config, handout=replace(project.config.handout, **given)))


def _pdf_bytes(document, project: Project, kind: DocumentKind, icc: str | None, created: str,  # noqa: ANN001
               trim_marks: bool = False) -> bytes:
    """The laid-out document as PDF bytes, in the kind's variant (the archive with its sources);
    viewers number its pages as printed (from first_page where the kind counts from it)."""
    buffer = io.BytesIO()
    attachments = source_attachments(project, created) if kind.attachments else None
    write_pdf(document, buffer, variant=kind.variant(icc is not None),
              two_up_from=project.config.first_page if kind.two_up else None, attachments=attachments,
              first_page=project.config.first_page if kind.two_up else 1, trim_marks=trim_marks,
              profile_name=project.config.print.icc_profile)
    return buffer.getvalue()


def _refuse_options(kind: DocumentKind, print_ready: bool | None, spread: bool, meeting: str | None,
                    date: str | None, pdf: bool = True) -> None:
    """Options the kind cannot use are a usage error, never silently dropped."""
    kind.refuse_options({"print": bool(print_ready), "spread": spread, "meeting": meeting is not None,
                         "date": date is not None, "no_pdf": not pdf})


@paused_collector
def build(path: Path, output: Path | None = None, html_output: Path | None = None,
          kind: str | DocumentKind | None = None, print_ready: bool | None = None,
          spread: bool = False, meeting: str | None = None, date: str | None = None,
          strict: bool = False, pdf: bool = True, web_output: Path | None = None,
          progress: Progress = no_progress, fit_first: float | None = None,
          provisional: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """Build one document kind of the project at `path` (folder, workbook or koho.toml).

    Arguments left as None come from koho.toml ([build], [print], [handout]), then from koho's
    defaults. `print_ready` adds bleed and crop marks (a PDF/X-4 when a printer's profile is
    configured); `spread` also writes the A3 spread proof; `meeting` and `date` override the
    handout's header block; an option the kind cannot use raises OptionError (exit status 2).
    The web kind writes a folder for the city's website with the PDF of its content inside (not
    with `pdf=False`); `web_output` gives any other kind such a web version beside its PDF.
    Nothing is written unless every step succeeds; with `strict`, warnings of the data or of the
    preflight fail the build too. `progress` hears each stage as it starts. `fit_first` (a warm
    process's last copy-fitted line height) is laid out first: when it fits, its finished result
    goes to `provisional` before the exact copy-fit is checked (see fit.py).
    """
    started = time.perf_counter()
    if kind is not None:
        _refuse_options(kind_named(kind), print_ready, spread, meeting, date, pdf)
    progress("load")
    project, warnings = check(path, progress=progress)  # errors stop here; strict warnings later
    asked = kind_named(kind or project.config.build.kind or None)
    _refuse_options(asked, print_ready, spread, meeting, date, pdf)
    kind = asked.content  # the web kind shows the newsletter's content, and writes its PDF
    project = _with_handout(project, meeting, date)
    config, root = project.config, project.files.root
    printing = asked.printable and (config.print.enabled if print_ready is None else print_ready)
    targets = plan_targets(root, config, asked, output, html_output, spread, pdf, web_output, printing)
    targets = replace(targets, photos=tuple(photo_file_names(project, kind))) if targets.web else targets
    target, html_target, proof_target, web_target = targets.pdf, targets.html, targets.proof, targets.web
    written = targets.files
    if targets.folder is not None:  # the project's folder first: its inputs are in it
        fail_on(folder_problems(targets.folder, root, web_target.name), subject="出力先")
    _refuse_inputs(project, written)
    # koho.toml's and koho's own defaults are checked to stay inside the project
    defaults = ((target if pdf else None, output), (html_target, html_output),
                (web_target, output if web_output is None else web_output))
    check_targets(written, [t for t, given in defaults if t is not None and given is None], root)
    icc = icc_profile_uri(project) if printing else None
    grid, created, years = grid_of(root), creation_time(), kind.years(project)
    progress("charts")
    cold = "weasyprint" not in sys.modules  # then import it while a second core draws the charts
    pending = measure_figures_of(project, years, {m.id for m in project.measures if kind.shows(m)},
                                 grid.chart_width_mm, CHART_MAX_HEIGHT_MM)
    summary = summarize(project) if kind.summary else None
    summary_parts = summary.chart.parts(CHART_MAX_HEIGHT_MM) if summary else ()  # never taller than a page
    # One batch; charts the cache misses are drawn by a worker while the pages are laid out with
    # frames of their sizes (late_charts.py), except for print, whose charts are converted to CMYK.
    charts = LateCharts([*chart_specs(pending), *summary_parts], FONTS_DIR,
                        jobs=os.cpu_count() or 1, wait=icc is not None, meanwhile=load_weasyprint if cold else None)
    uris = charts.uris
    summary_charts = tuple(uris[part.key()] for part in summary_parts)
    progress("layout")
    html = render_html(project, with_charts(pending, uris), kind, years=years, created=created, summary=summary,
                       summary_charts=summary_charts, env=environment(root))
    generated = GeneratedCSS(kind, grid, config.first_page, printing, icc)
    profile = icc_path(project) if icc else None
    fetchers: dict[int, object] = {}  # document id → the fetcher that laid it out
    stylesheets: dict[int, str] = {}  # document id → the generated CSS it was laid out with
    images: dict[int, dict] = {}  # document id → the images it loaded, by URL
    framed: set[int] = set()  # ids of documents laid out with charts' frames, not yet filled in
    source = [html]  # what layouts start from: the HTML with frames, or with the drawn charts

    def lay_out_css(css: str):  # noqa: ANN202 - weasyprint.Document
        loaded: dict = {}
        document, fetcher = layout(source[0], root, css, profile, images=loaded)
        fetchers[id(document)], stylesheets[id(document)] = fetcher, css
        if source[0] is html and charts.frames:
            framed.add(id(document))
            images[id(document)] = loaded
        return document

    def with_drawn_charts(document):  # noqa: ANN001, ANN202 - weasyprint.Document
        """The layout with its charts' pictures in their frames (late_charts.py); when a drawn
        chart's size differs from its frame's, laid out again (and from then on) with the charts."""
        if id(document) not in framed:
            return document
        framed.discard(id(document))
        if charts.fill_in(images[id(document)]):
            return document
        source[0] = charts.real_html(html)
        return lay_out_css(stylesheets[id(document)])

    def lay_out(line_height: float | None):  # noqa: ANN202 - weasyprint.Document
        return lay_out_css(generated.css(line_height))

    def repair_breaks(document):  # noqa: ANN001, ANN202 - weasyprint.Document
        """The chosen layout, or the same laid out once more with its breaks repaired
        (report/render/typeset/breaks.py: a chart opening a page kept with its measure's text, a closing box
        alone on the last page given the last measure), if that costs no page and leaves fewer
        such breaks. Done after copy-fitting, whose bound (flow.py) must see the box alone."""
        css = repairs(document)
        if not css:
            return document
        repaired = lay_out_css(f"{stylesheets[id(document)]}\n{css}")
        if len(repaired.pages) == len(document.pages) and problems(repaired) < problems(document):
            return repaired
        return document

    def line_pitch(line_height: float | None) -> float:
        """One line of body text, in CSS px."""
        return grid.body_pt / PT_PER["px"] * (line_height or grid.line_height)

    def advice_on(document, line_height: float | None) -> tuple[Problem, ...]:  # noqa: ANN001
        """The lines to cut or add when the newsletter's feature cannot fill its pages (fit.py)."""
        if not kind.copy_fit:
            return ()
        said = spread_advice(document, config.first_page, line_pitch(line_height))
        return (Problem(target.name, said, severity="info"),) if said else ()

    def end_well(document, line_height: float | None):  # noqa: ANN001, ANN202 - weasyprint.Document
        """The newsletter's pages ending well: its breaks repaired (`repair_breaks`), then the last
        page levelled in the layout (report/render/typeset/closing.py: the closing box and the short columns
        moved down); when that cannot be done, the page laid out once more with the box arranged
        otherwise, kept if it costs no page and ends level."""
        if not kind.copy_fit:
            return document
        document = repair_breaks(document)
        pitch = line_pitch(line_height)
        fill_columns(document, pitch)  # continuing pages' short columns opened down to the foot (fill.py)
        if end_level(document, pitch, config.first_page) or (css := rearrangement(document, pitch)) is None:
            return document
        other = lay_out_css(f"{stylesheets[id(document)]}\n{css}")
        fill_columns(other, pitch)
        if (len(other.pages) == len(document.pages) and problems(other) <= problems(document)
                and end_level(other, pitch, config.first_page)):
            return other
        return document

    def finish(line_height: float | None, document, early: bool = False) -> BuildResult:  # noqa: ANN001
        """Preflight, serialise and write one layout, or only the HTML and web files without one
        (all or nothing)."""
        outputs: list[tuple[Path, Writer]] = []
        fetcher, data, found, advice = None, b"", list(warnings), ()
        if document is not None:
            document = with_drawn_charts(end_well(with_drawn_charts(document), line_height))
            advice = advice_on(document, line_height)
            fetcher = fetchers[id(document)]
            found += project.traced(preflight(project, document, fetcher.refused, target.name, kind))
            printed = printed_text(html, stylesheets[id(document)], charts.all_drawn().values())
            found += project.traced(printed_glyphs(project, printed, target.name, {"--meeting": meeting, "--date": date}))
            found += project.traced(clipped(project, document, target.name))  # a cut-off chart or box: refused
            data = _pdf_bytes(document, project, kind, icc, created, trim_marks=printing)
            outputs.append((target, bytes_writer(data)))
        if html_target is not None:
            css = stylesheets[id(document)] if document is not None else generated.css(line_height)
            standalone = with_generated_css(charts.real_html(html), css)
            outputs.append((html_target, bytes_writer(standalone.encode("utf-8"))))
        if proof_target is not None and pdf:
            outputs.append((proof_target, bytes_writer(spread_proof(data, config.first_page))))
        fail_on(found, strict, subject="入力データと仕上がり")
        pages = len(document.pages) if document is not None else 0
        if web_target is not None:
            link = PdfLink(target.name, pages, len(data)) if pdf and target.parent == web_target.parent else None
            outputs += [(web_target.parent / name if name != INDEX else web_target, bytes_writer(content))
                        for name, content in web_files(project, with_charts(pending, charts.drawn_uris()), kind,
                                                       years, link).items()]
        progress("write")
        folder = targets.folder  # written whole: koho's names in it replaced, the rest carried over
        carried = foreign_entries(folder, owned_names(folder, [*targets.files, target])) if folder else []
        removed = [target] if folder and not pdf and target.parent == folder and target.is_file() else []
        sizes = write_all(outputs, folder, carried)
        return BuildResult(project, asked.name, target if pdf else None, html_target, pages, sizes[0] if pdf else 0,
                           time.perf_counter() - started, proof_target if pdf else None,
                           hashlib.sha256(data).hexdigest() if pdf else "", tuple(found),
                           tuple(fetcher.refused) if fetcher else (), tuple(fetcher.opened) if fetcher else (),
                           web_target, line_height, early, tuple(removed), advice)

    if not pdf:
        return finish(None, None)
    if not (kind.copy_fit and config.fit_spread):
        return finish(None, lay_out(None))
    shown: list[BuildResult] = []

    def show(fitted: tuple[float | None, object]) -> None:
        shown.append(finish(*fitted, early=True))
        provisional(shown[-1])  # type: ignore[misc] - only called when given

    line_height, document = fit_to_spreads(lay_out, config.first_page, grid.line_height, first=fit_first,
                                           provisional=show if provisional is not None else None)
    if shown and shown[0].line_height == line_height:
        return replace(shown[0], provisional=False)  # the guess was the exact fit: the same bytes
    return finish(line_height, document)
