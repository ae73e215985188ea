"""The build as stages over one typed state, run in order by build():

plan targets → load → check → compose → charts → HTML → typeset (copy-fit, breaks, ending) →
preflight → serialise → write. Each stage is a function whose signature says what it reads and
returns: Request (the options) → Plan (the checked project, the kind, the targets) → Composed (the
figures) → LateCharts → Draft (the HTML) → Layout (typeset by a Typesetter) → the PDF's bytes →
the files written (BuildResult). `koho serve` and `koho batch` call build(); `koho charts` uses
document_figures, the same selection of measures and years."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from charts import ChartSpec

from report.assets import FONTS_DIR
from report.clock import japan_now
from report.compose.figures import (Figure, bar_charts, bar_height, chart_specs, measure_figures_of, with_bar_height,
                                    with_charts)
from report.render.typeset import candidates
from report.render.typeset.late_charts import LateCharts
from report.render.typeset.breaks import problems, repairs
from report.render.typeset.closing import rearrangement
from report.render.typeset.fit import fit_to_spreads
from report.render.typeset.fill import Opened
from report.render.typeset.makeup import end_level, fill_columns, spread_advice
from report.render.html.generated_css import GeneratedCSS, with_generated_css
from report.render.html.html import environment, grid_of, render_html
from report.load.project.icc import check_profile
from report.kinds import DEFAULT, DocumentKind, kind_named
from report.load.model import Project
from report.commands.collection import paused_collector
from report.output import Writer, bytes_writer, write_all
from report.render.pdf.pdf import layout, source_attachments, write_pdf
from report.render.checks.overflow import clipped
from report.render.checks.preflight import missing_glyphs, preflight, printed_glyphs, printed_text
from report.render.html.sizes import CHART_MAX_HEIGHT_MM, PT_PER, Grid
from report.problems import DataError, KohoError, Problem, fail_on
from report.commands.progress import Progress, no_progress
from report.compose.records import Summary, summarize
from report.render.pdf.spread import spread_proof
from report.load.project.targets import check_targets
from report.load.validate import load_project
from report.render.typeset.weasy import load as load_weasyprint
from report.render.web.web import INDEX, PdfLink, web_file_names, web_files
from report.render.web.photos import photo_file_names
from report.commands.web_folder import folder_problems, foreign_entries, owned_names
from report.load.project.config import Config, load_config
from report.load.project.sources import locate

if TYPE_CHECKING:  # it imports WeasyPrint, which a cold build imports while the charts are drawn
    from report.render.typeset.fetcher import ProjectURLFetcher


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the closing line and for tests."""

    project: Project
    kind: DocumentKind  # the kind asked for (the web kind, not its content)
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
    photos: tuple[str, ...] = ()  # the web page's photo files (report.render.web.photos.photo_file_names)

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


def planned_targets(path: Path, kind: str | DocumentKind | None = None) -> Targets | None:
    """Where `koho build PATH [--kind KIND]` writes, from koho.toml alone (the data is not read);
    None when that cannot be known (the build itself will say why)."""
    try:
        files = locate(path)
        config, _ = load_config(files.config)
        asked = kind_named(kind) if kind else config.build.kind or DEFAULT
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


@dataclass(frozen=True)
class Request:
    """What the caller asked for: `koho build`'s options (None: from koho.toml, then koho's defaults)."""

    path: Path
    output: Path | None = None
    html_output: Path | None = None
    kind: DocumentKind | None = None
    print_ready: bool | None = None
    spread: bool = False
    meeting: str | None = None
    date: str | None = None
    strict: bool = False
    pdf: bool = True
    web_output: Path | None = None

    def refuse_options(self, kind: DocumentKind) -> None:
        """Options the kind cannot use are a usage error (OptionError), never silently dropped."""
        kind.refuse_options({"print": bool(self.print_ready), "spread": self.spread,
                             "meeting": self.meeting is not None, "date": self.date is not None,
                             "no_pdf": not self.pdf})


@dataclass(frozen=True)
class Plan:
    """The checked project and everything decided from it before anything is composed."""

    request: Request
    project: Project
    warnings: tuple[Problem, ...]  # the data's and the text's characters' (strict fails on them later)
    asked: DocumentKind  # the kind asked for (the web kind writes a folder)
    kind: DocumentKind  # the kind whose content is shown: the newsletter for the web kind
    printing: bool  # the printer's version: bleed and crop marks
    targets: Targets
    icc: str | None  # the printer's colour profile as a file: URI (printing with one only)
    grid: Grid
    created: str  # the build's time (creation_time)
    years: list[int]


@dataclass(frozen=True)
class Composed:
    """The document's figures (their charts specified, not drawn) and the handout's summary."""

    figures: dict[str, tuple[Figure, ...]]
    summary: Summary | None
    summary_parts: tuple[ChartSpec, ...]  # the summary chart in parts never taller than a page


@dataclass(frozen=True)
class Draft:
    """The document as HTML, its charts drawn or being drawn (late_charts.py): what is typeset."""

    plan: Plan
    composed: Composed
    charts: LateCharts
    html: str  # with frames where charts are still being drawn
    generated: GeneratedCSS
    started: float  # perf_counter() when the build began


@dataclass
class Layout:
    """One layout of the document: WeasyPrint's document, the fetcher that loaded it and the
    generated CSS it was laid out with. `images` (the images it loaded, by URL) is kept while
    its charts' frames are still to be filled in (`framed`)."""

    document: Any  # weasyprint.Document
    fetcher: ProjectURLFetcher
    css: str
    images: dict
    framed: bool
    filled: tuple[Opened, ...] = ()  # the continuing pages' columns opened down to the foot (fill.py)

    @property
    def pages(self) -> list:
        return self.document.pages


class Typesetter:
    """Lays the draft out: from its HTML with charts' frames until a drawn chart's size differs
    from its frame, then (from then on) from the HTML with the drawn charts."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.source = draft.html
        plan = draft.plan
        self.profile = icc_path(plan.project) if plan.icc else None

    def lay_out(self, css: str) -> Layout:
        """The source laid out with the generated `css`."""
        loaded: dict = {}
        document, fetcher = layout(self.source, self.draft.plan.project.files.root, css, self.profile, images=loaded)
        framed = self.source is self.draft.html and bool(self.draft.charts.frames)
        return Layout(document, fetcher, css, loaded if framed else {}, framed)

    def at(self, line_height: float | None) -> Layout:
        """Laid out at body `line_height` (None: the stylesheet's own)."""
        return self.lay_out(self.draft.generated.css(line_height))

    def with_drawn_charts(self, laid: Layout) -> Layout:
        """The layout with its charts' pictures in their frames (late_charts.py); when a drawn
        chart's size differs from its frame's, laid out again (and from then on) with the charts."""
        if not laid.framed:
            return laid
        laid.framed = False
        if self.draft.charts.fill_in(laid.images):
            return laid
        self.source = self.draft.charts.real_html(self.draft.html)
        return self.lay_out(laid.css)


# The stages, in the order build() runs them.

def plan_build(request: Request, project: Project, warnings: list[Problem]) -> Plan:
    """Plan targets: the kind, the printer's version and every file to write, each checked as an
    output (never an input, inside the project where koho's defaults name it)."""
    asked = request.kind or project.config.build.kind or DEFAULT
    request.refuse_options(asked)
    kind = asked.content  # the web kind shows the newsletter's content, and writes its PDF
    project = _with_handout(project, request.meeting, request.date)
    config, root = project.config, project.files.root
    printing = asked.printable and (config.print.enabled if request.print_ready is None else request.print_ready)
    targets = plan_targets(root, config, asked, request.output, request.html_output, request.spread,
                           request.pdf, request.web_output, printing)
    targets = replace(targets, photos=tuple(photo_file_names(project, kind))) if targets.web else targets
    if targets.folder is not None:  # the project's folder first: its inputs are in it
        fail_on(folder_problems(targets.folder, root, targets.web.name), subject="出力先")
    _refuse_inputs(project, targets.files)
    # koho.toml's and koho's own defaults are checked to stay inside the project
    output, web_output = request.output, request.web_output
    defaults = ((targets.pdf if request.pdf else None, output), (targets.html, request.html_output),
                (targets.web, output if web_output is None else web_output))
    check_targets(targets.files, [t for t, given in defaults if t is not None and given is None], root)
    icc = icc_profile_uri(project) if printing else None
    return Plan(request, project, tuple(warnings), asked, kind, printing, targets, icc, grid_of(root),
                creation_time(), kind.years(project))


def document_figures(project: Project, kind: DocumentKind, grid: Grid) -> dict[str, tuple[Figure, ...]]:
    """The figures the document of `kind` prints, charts specified at the grid's width: its
    measures, its years (what `koho build` and `koho charts` both show)."""
    return measure_figures_of(project, kind.years(project), kind.measure_ids(project),
                              grid.chart_width_mm, CHART_MAX_HEIGHT_MM)


def compose(plan: Plan) -> Composed:
    """Compose: the figures of every measure shown and, for the handout, the status summary."""
    summary = summarize(plan.project) if plan.kind.summary else None
    return Composed(document_figures(plan.project, plan.kind, plan.grid), summary,
                    tuple(summary.chart.parts(CHART_MAX_HEIGHT_MM)) if summary else ())


def draw_charts(plan: Plan, composed: Composed, cold: bool) -> LateCharts:
    """Charts: one batch; those the cache misses are drawn by a worker while the pages are laid
    out with frames of their sizes (late_charts.py), except for print, whose charts are converted
    to CMYK. A `cold` process imports WeasyPrint meanwhile."""
    return LateCharts([*chart_specs(composed.figures), *composed.summary_parts], FONTS_DIR,
                      jobs=os.cpu_count() or 1, wait=plan.icc is not None, meanwhile=load_weasyprint if cold else None)


def draft(plan: Plan, composed: Composed, charts: LateCharts, started: float) -> Draft:
    """HTML: the document from its templates, with the charts (or their frames) in it."""
    uris = charts.uris
    summary_charts = tuple(uris[part.key()] for part in composed.summary_parts)
    root, kind = plan.project.files.root, plan.kind
    html = render_html(plan.project, with_charts(composed.figures, uris), kind, years=plan.years,
                       created=plan.created, summary=composed.summary, summary_charts=summary_charts,
                       env=environment(root))
    generated = GeneratedCSS(kind, plan.grid, plan.project.config.first_page, plan.printing, plan.icc)
    return Draft(plan, composed, charts, html, generated, started)


def line_pitch(grid: Grid, line_height: float | None) -> float:
    """One line of body text, in CSS px."""
    return grid.body_pt / PT_PER["px"] * (line_height or grid.line_height)


def repair_breaks(setter: Typesetter, laid: Layout) -> Layout:
    """The chosen layout, or the same laid out once more with its breaks repaired
    (report/render/typeset/breaks.py: a chart opening a page kept with its measure's text, a closing box
    alone on the last page given the last measure), if that costs no page and leaves fewer
    such breaks. Done after copy-fitting, whose bound (flow.py) must see the box alone."""
    css = repairs(laid.document)
    if not css:
        return laid
    repaired = setter.lay_out(f"{laid.css}\n{css}")
    if len(repaired.pages) == len(laid.pages) and problems(repaired.document) < problems(laid.document):
        return repaired
    return laid


def end_well(setter: Typesetter, laid: Layout, line_height: float | None) -> Layout:
    """The newsletter's pages ending well: its breaks repaired (`repair_breaks`), then the last
    page levelled in the layout (report/render/typeset/closing.py: the closing box and the short columns
    moved down); when that cannot be done, the page laid out once more with the box arranged
    otherwise, kept if it costs no page and ends level."""
    if not setter.draft.plan.kind.copy_fit:
        return laid
    laid = repair_breaks(setter, laid)
    pitch = line_pitch(setter.draft.plan.grid, line_height)
    laid.filled = tuple(fill_columns(laid.document, pitch))  # continuing pages' short columns opened (fill.py)
    first_page = setter.draft.plan.project.config.first_page
    if end_level(laid.document, pitch, first_page) or (css := rearrangement(laid.document, pitch)) is None:
        return laid
    other = setter.lay_out(f"{laid.css}\n{css}")
    other.filled = tuple(fill_columns(other.document, pitch))
    if (len(other.pages) == len(laid.pages) and problems(other.document) <= problems(laid.document)
            and end_level(other.document, pitch, first_page)):
        return other
    return laid


def typeset_ending(setter: Typesetter, laid: Layout, line_height: float | None) -> Layout:
    """Typeset, after copy-fitting: charts filled in, breaks repaired, the last page levelled."""
    return setter.with_drawn_charts(end_well(setter, setter.with_drawn_charts(laid), line_height))


def advice_on(plan: Plan, laid: Layout, line_height: float | None) -> tuple[Problem, ...]:
    """The lines to cut or add when the newsletter's feature cannot fill its pages (fit.py)."""
    if not plan.kind.copy_fit:
        return ()
    said = spread_advice(laid.document, plan.project.config.first_page, line_pitch(plan.grid, line_height))
    return (Problem(plan.targets.pdf.name, said, severity="info"),) if said else ()


def preflight_of(draft: Draft, laid: Layout | None) -> list[Problem]:
    """Preflight: every warning of the build (the data's, the printed glyphs', a clipped chart or
    box); raises DataError on an error (with `strict`, on a warning too): nothing is written."""
    plan, request = draft.plan, draft.plan.request
    project, name = plan.project, plan.targets.pdf.name
    found = list(plan.warnings)
    if laid is not None:
        found += project.traced(preflight(project, laid.document, laid.fetcher.refused, name, plan.kind))
        printed = printed_text(draft.html, laid.css, draft.charts.all_drawn().values())
        found += project.traced(printed_glyphs(project, printed, name,
                                               {"--meeting": request.meeting, "--date": request.date}))
        found += project.traced(clipped(project, laid.document, name))  # a cut-off chart or box: refused
    return found


def pdf_bytes(plan: Plan, laid: Layout) -> bytes:
    """Serialise: the laid-out document as PDF bytes, in the kind's variant (the archive with its
    sources); viewers number its pages as printed (from first_page where the kind counts from it)."""
    project, kind = plan.project, plan.kind
    buffer = io.BytesIO()
    attachments = source_attachments(project, plan.created) if kind.attachments else None
    write_pdf(laid.document, buffer, variant=kind.variant(plan.icc is not None),
              two_up_from=project.config.first_page if kind.two_up else None, attachments=attachments,
              first_page=project.config.first_page if kind.two_up else 1, trim_marks=plan.printing,
              profile_name=project.config.print.icc_profile)
    return buffer.getvalue()


def outputs_of(draft: Draft, laid: Layout | None, data: bytes, line_height: float | None) -> list[tuple[Path, Writer]]:
    """Every file's bytes, by target: the PDF, the standalone HTML, the spread proof and the
    web version."""
    plan = draft.plan
    targets, pdf = plan.targets, plan.request.pdf
    outputs: list[tuple[Path, Writer]] = [(targets.pdf, bytes_writer(data))] if laid is not None else []
    if targets.html is not None:
        from report.photos.fetch import with_embedded_photos  # WeasyPrint's: loaded by now

        css = laid.css if laid is not None else draft.generated.css(line_height)
        standalone = with_generated_css(with_embedded_photos(draft.charts.real_html(draft.html)), css)
        outputs.append((targets.html, bytes_writer(standalone.encode("utf-8"))))
    if targets.proof is not None and pdf:
        outputs.append((targets.proof, bytes_writer(spread_proof(data, plan.project.config.first_page))))
    if targets.web is not None:
        web, pages = targets.web, len(laid.pages) if laid is not None else 0
        link = PdfLink(targets.pdf.name, pages, len(data)) if pdf and targets.pdf.parent == web.parent else None
        figures = with_charts(draft.composed.figures, draft.charts.drawn_uris())
        outputs += [(web.parent / name if name != INDEX else web, bytes_writer(content))
                    for name, content in web_files(plan.project, figures, plan.kind, plan.years, link).items()]
    return outputs


def write(plan: Plan, outputs: list[tuple[Path, Writer]]) -> tuple[list[int], list[Path]]:
    """Write every output all or nothing (output.py); a web folder is written whole, koho's names
    in it replaced and the rest carried over. Returns the sizes written and koho's old files removed."""
    targets, target, pdf = plan.targets, plan.targets.pdf, plan.request.pdf
    folder = targets.folder
    carried = foreign_entries(folder, owned_names(folder, [*targets.files, target])) if folder else []
    removed = [target] if folder and not pdf and target.parent == folder and target.is_file() else []
    return write_all(outputs, folder, carried), removed


def with_figures(setter: Typesetter, figures: dict[str, tuple[Figure, ...]], line_height: float | None,
                 css: str | None = None) -> tuple[Typesetter, Layout]:
    """The feature laid out again with other figures (charts at other heights): composed, drawn and
    typeset as the first (its ending included); with `css`, laid out with the first's CSS (its
    breaks' repairs too) rather than from the start."""
    plan = setter.draft.plan
    other = replace(setter.draft.composed, figures=figures)
    charted = Typesetter(draft(plan, other, draw_charts(plan, other, cold=False), setter.draft.started))
    laid = charted.at(line_height) if css is None else charted.lay_out(css)
    return charted, typeset_ending(charted, laid, line_height)


def candidate_layouts(setter: Typesetter, laid: Layout, line_height: float | None) -> list[candidates.Candidate]:
    """The candidates worth laying out when the ended layout is poor (report/render/typeset/candidates.py):
    at most two, the bar charts at other heights, each composed, drawn and typeset again; none for
    a layout that ends well."""
    plan = setter.draft.plan
    pitch, first_page = line_pitch(plan.grid, line_height), plan.project.config.first_page
    if not plan.kind.copy_fit or not candidates.is_poor(laid.document, first_page, pitch):
        return []
    figures = setter.draft.composed.figures
    return [(bar_charts(figures), lambda height=height: with_figures(setter, with_bar_height(figures, height), line_height))
            for height in candidates.heights_to_try(laid.document, first_page, pitch, bar_charts(figures))]


def column_chart_heights(setter: Typesetter, laid: Layout, line_height: float | None) -> dict[str, float]:
    """Measure id → a taller height (mm) for its bar charts, where they stand in a continuing page's
    column that ends more than two lines short (candidates.py `column_heights`); empty when none does."""
    plan = setter.draft.plan
    if not plan.kind.copy_fit:
        return {}
    figures = setter.draft.composed.figures
    short = candidates.short_columns(laid.document, line_pitch(plan.grid, line_height), laid.filled)
    return candidates.column_heights(short, lambda measure: None if (height := bar_height(figures, measure)) is None
                                     else (height, bar_charts(figures, {measure})))


def fill_short_columns(setter: Typesetter, laid: Layout, line_height: float | None,
                       heights: dict[str, float]) -> tuple[Typesetter, Layout]:
    """The ended layout, or the same with the bar charts of its short columns drawn taller (`heights`)
    when that leaves those columns less short at no other cost (candidates.py `fills_more`)."""
    if not heights:
        return setter, laid
    figures = setter.draft.composed.figures
    for height in sorted(set(heights.values())):
        figures = with_bar_height(figures, height, {m for m, h in heights.items() if h == height})
    plan = setter.draft.plan
    other_setter, other = with_figures(setter, figures, line_height, css=laid.css)
    if candidates.fills_more((laid.document, laid.filled), (other.document, other.filled),
                             plan.project.config.first_page, line_pitch(plan.grid, line_height)):
        return other_setter, other
    return setter, laid


def choose_ending(setter: Typesetter, laid: Layout, line_height: float | None, progress: Progress,
                  first: BuildResult | None = None, show: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """Choose: the ended layout or the best candidate (candidates.py), its short columns filled by
    taller charts where that helps, completed. With `show` (the preview) the ended layout is completed
    and shown first; `first`, its result when already shown, is the result when no candidate is better
    (the same bytes)."""
    tries = candidate_layouts(setter, laid, line_height)
    heights = column_chart_heights(setter, laid, line_height)
    chosen, ended = setter, laid
    if tries or heights:
        if first is None and show is not None:
            first = complete(setter, laid, line_height, progress, early=True)
            show(first)
        plan = setter.draft.plan
        chosen, ended = candidates.best((setter, laid), tries, plan.project.config.first_page,
                                        line_pitch(plan.grid, line_height))
        if ended is not laid:
            heights = column_chart_heights(chosen, ended, line_height)
        chosen, ended = fill_short_columns(chosen, ended, line_height, heights)
    if ended is laid and first is not None:
        return replace(first, provisional=False)
    return complete(chosen, ended, line_height, progress)


def finish(setter: Typesetter, laid: Layout | None, line_height: float | None, progress: Progress,
           show: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """From one copy-fitted layout (None: the HTML and web files alone) to the files written:
    typeset its ending → choose among candidates → complete."""
    if laid is None:
        return complete(setter, None, None, progress)
    return choose_ending(setter, typeset_ending(setter, laid, line_height), line_height, progress, show=show)


def complete(setter: Typesetter, laid: Layout | None, line_height: float | None, progress: Progress,
             early: bool = False) -> BuildResult:
    """From the ended layout (None: the HTML and web files alone) to the files written:
    preflight → serialise → write."""
    draft = setter.draft
    plan, pdf = draft.plan, draft.plan.request.pdf
    advice = advice_on(plan, laid, line_height) if laid is not None else ()
    found = preflight_of(draft, laid)
    data = pdf_bytes(plan, laid) if laid is not None else b""
    fail_on(found, plan.request.strict, subject="入力データと仕上がり")
    outputs = outputs_of(draft, laid, data, line_height)
    progress("write")
    sizes, removed = write(plan, outputs)
    fetcher = laid.fetcher if laid is not None else None
    targets = plan.targets
    return BuildResult(plan.project, plan.asked, targets.pdf if pdf else None, targets.html,
                       len(laid.pages) if laid is not None else 0, sizes[0] if pdf else 0,
                       time.perf_counter() - draft.started, targets.proof if pdf else None,
                       hashlib.sha256(data).hexdigest() if pdf else "", tuple(found),
                       tuple(fetcher.refused) if fetcher else (), tuple(fetcher.opened) if fetcher else (),
                       targets.web, line_height, early, tuple(removed), advice)


@dataclass
class Provisional:
    """A first fitting layout, finished and shown (`show`) before the exact copy-fit is checked
    (fit.py): the preview's first candidate, replaced when the exact fit differs."""

    setter: Typesetter
    progress: Progress
    show: Callable[[BuildResult], None]
    result: BuildResult | None = None
    ended: Layout | None = None  # the layout shown, ended (typeset_ending): candidates start from it

    def __call__(self, fitted: tuple[float | None, Layout]) -> None:
        line_height, laid = fitted
        self.ended = typeset_ending(self.setter, laid, line_height)
        self.result = complete(self.setter, self.ended, line_height, self.progress, early=True)
        self.show(self.result)


def typeset(setter: Typesetter, progress: Progress, fit_first: float | None = None,
            provisional: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """Typeset and finish: laid out once, or copy-fitted to whole spreads (fit.py), then finished;
    without a PDF (--no-pdf), the HTML and web files alone."""
    plan = setter.draft.plan
    config = plan.project.config
    if not plan.request.pdf:
        return finish(setter, None, None, progress)
    if not (plan.kind.copy_fit and config.fit_spread):
        return finish(setter, setter.at(None), None, progress, show=provisional)
    shown = Provisional(setter, progress, provisional) if provisional is not None else None
    line_height, laid = fit_to_spreads(setter.at, config.first_page, plan.grid.line_height, first=fit_first,
                                       provisional=shown)
    if shown is not None and shown.result is not None and shown.result.line_height == line_height:
        return choose_ending(setter, shown.ended, line_height, progress, first=shown.result)  # the guess was the exact fit
    return finish(setter, laid, line_height, progress, show=provisional)


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
    request = Request(path, output, html_output, kind_named(kind) if kind is not None else None, print_ready,
                      spread, meeting, date, strict, pdf, web_output)
    if request.kind is not None:
        request.refuse_options(request.kind)
    progress("load")
    project, warnings = check(path, progress=progress)  # load → check: errors stop here, strict warnings later
    plan = plan_build(request, project, warnings)
    progress("charts")
    cold = "weasyprint" not in sys.modules  # then import it while a second core draws the charts
    composed = compose(plan)
    charts = draw_charts(plan, composed, cold)
    progress("layout")
    setter = Typesetter(draft(plan, composed, charts, started))
    return typeset(setter, progress, fit_first, provisional)  # → preflight → serialise → write
