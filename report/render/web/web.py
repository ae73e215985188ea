"""The web version: one folder a city can upload as it is, beside (or instead of) the PDF.

    index.html     semantic HTML: headings, lists of visions and actions, each chart an inline
                   SVG named by its alt text with a table of the same numbers; no script
    style.css      responsive from 320 px to a desktop, in the CUD colours
    fonts/         the BIZ UD fonts cut to the page's characters (WOFF2), with their licence
    metrics.csv    the figures the page shows, in the data contract's columns (open data)
    KIND.pdf       the PDF, linked from the page, when it was built with it
    photos/        the measures' photos at a few widths, WebP and JPEG (report/render/web/photos.py)

Every link is relative and nothing is fetched from elsewhere, so the folder works from a USB
stick as well as from any web server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from markupsafe import Markup

from report import __version__
from report.assets import FONTS_DIR
from report.load.values.era import date_label, period_label, year_label
from charts.spec import ChartSpec
from report.compose.figures import Figure, KeyNumber
from report.render.html.html import area_entries, environment, read_style
from report.kinds import DocumentKind
from report.render.web.inline_svg import inline_svg, svg_from_data_uri
from report.load.model import Measure, Project
from report.render.web.ids import html_id
from report.render.web.photos import PagePhoto, page_photos
from report.compose.opendata import metrics_csv
from report.render.web.webfonts import WEB_FONTS, font_face_css, page_characters, subset_fonts

TEMPLATE = "web.html"  # templates/web.html, a project's own first
STYLE_SOURCE = "web.css"  # styles/web.css, a project's own first
INDEX = "index.html"
STYLESHEET = "style.css"
CSV_NAME = "metrics.csv"
FONTS_FOLDER = "fonts"
LICENCE = "OFL.txt"
# The web's charts: 58 mm wide (the page's 76 mm column less a quarter), their text as on paper (7 pt
# at least), so 295 px of a 375 px phone shows it at 295 / (58 / 25.4 × 72) × 7 = 12.6 CSS px.
SCREEN_CHART_WIDTH_MM = 58.0
# koho's generator mark in index.html: the folder is koho's (report/commands/web_folder.py)
MARK_NAME = "generator"
MARK = "koho"
_MARK_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def generator_mark(version: str) -> str:
    return f'<meta name="{MARK_NAME}" content="{MARK} {version}">'


def has_mark(html: str) -> bool:
    """Whether a page carries koho's generator mark (content "koho" or "koho VERSION")."""
    for tag in _MARK_RE.findall(html):
        attributes = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                      for m in _ATTRIBUTE_RE.finditer(tag)}
        content = attributes.get("content", "").strip()
        if attributes.get("name", "").lower() == MARK_NAME and (content == MARK or content.startswith(MARK + " ")):
            return True
    return False


def with_mark(html: str, version: str) -> str:
    """The page with koho's generator mark: a project's own template may have left it out."""
    if has_mark(html):
        return html
    head = re.search(r"<head\b[^>]*>", html, re.IGNORECASE)
    at = head.end() if head else 0
    return html[:at] + "\n" + generator_mark(version) + html[at:]


@dataclass(frozen=True)
class PdfLink:
    """The PDF built beside the page: its file name in the folder, pages and size for the link."""

    name: str
    pages: int
    size: int

    @property
    def description(self) -> str:
        """「PDF版(2ページ、182KB)」: a link says what the reader will download."""
        return f"PDF版({self.pages}ページ、{max(1, round(self.size / 1024))}KB)"


@dataclass(frozen=True)
class TableRow:
    """One row of a figure's table: one year of one indicator as the chart and the alt text say it
    (or its baseline), with the target in force, the running total, the rate and the grade."""

    label: str
    year: str
    value: str
    target: str = ""
    compared: str = ""  # the running total of a 累計 indicator, with its unit
    rate: str = ""  # 達成率, or 達成 / 未達成 where no honest rate exists
    grade: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class WebFigure:
    """A figure of the page: its key numbers, its chart inline (if drawn) and the table behind it."""

    figure: Figure
    svg: Markup | None
    rows: tuple[TableRow, ...]

    @property
    def several(self) -> bool:
        return len(self.figure.items) > 1

    def has(self, column: str) -> bool:
        """Whether any row fills `column` (target, compared, rate, grade): empty columns are left out."""
        return any(getattr(row, column) for row in self.rows)

    @property
    def shared_as_of(self) -> str:
        """The as-of date every row shares (said once, in the caption), or ''."""
        dates = {row.as_of for row in self.rows}
        return dates.pop() if len(dates) == 1 else ""

    @property
    def has_as_of(self) -> bool:
        """Rows with different as-of dates get a column for them."""
        return not self.shared_as_of and self.has("as_of")

    @property
    def caption(self) -> str:
        return "・".join(item.label for item in self.figure.items)


def _rows(item: KeyNumber, as_of: dict[str, str]) -> list[TableRow]:
    """The table rows of one key number: its baseline (if any), then every year it prints."""
    rows = [TableRow(item.label, f"基準値({item.baseline_year})" if item.baseline_year else "基準値",
                     f"{item.baseline}{item.unit}")] if item.baseline else []  # baseline: already formatted
    rows += [TableRow(item.label, year.year, year.value, target=year.target or item.target,
                      compared=f"{year.compared}{item.unit}" if year.compared else "",
                      rate=year.rate or year.judgment,
                      grade=f"{year.grade}(市の評価 {year.city_grade})" if year.city_grade else year.grade, as_of=as_of.get(year.year, ""))
             for year in item.years]
    return rows


def screen_spec(spec: ChartSpec) -> ChartSpec:
    """The chart as the web draws it: narrower than on paper with its text the same size, so that
    scaled to a phone's width (about 295 px of a 375 px screen) no text is under 12 CSS px."""
    return replace(spec, width_mm=min(spec.width_mm, SCREEN_CHART_WIDTH_MM))


def screen_charts(figures: dict[str, tuple[Figure, ...]]) -> dict[str, str]:
    """Spec key (of the screen's spec) → SVG text, for every drawn chart of `figures` (the chart cache first)."""
    import os

    from charts.cache import svgs

    specs = [screen_spec(f.spec) for items in figures.values() for f in items if f.spec is not None and f.chart]
    return svgs(specs, FONTS_DIR, jobs=os.cpu_count() or 1) if specs else {}


def web_figures(measure: Measure, figures: tuple[Figure, ...], era_style: str, prefix: str,
                drawn: dict[str, str] | None = None) -> list[WebFigure]:
    """The measure's figures for the web: charts inline (drawn for the screen where `drawn` has
    them, else as printed; ids prefixed per chart: PREFIX.N-, unique when PREFIX holds no "."),
    and tables of the very numbers the chart and its alt text state (each year's as-of date from
    its metric)."""
    result = []
    for index, figure in enumerate(figures, start=1):
        rows = []
        for item in figure.items:
            as_of = {year_label(m.fiscal_year, era_style, m.calendar): date_label(m.as_of)
                     for m in measure.metric_series.get(item.label, ()) if m.as_of}
            rows += _rows(item, as_of)
        screen = drawn.get(screen_spec(figure.spec).key()) if drawn and figure.spec is not None else None
        svg = (inline_svg(screen or svg_from_data_uri(figure.chart), figure.alt, f"{prefix}.{index}-")
               if figure.chart else None)
        result.append(WebFigure(figure, svg, tuple(rows)))
    return result


def render_web_html(project: Project, figures: dict[str, tuple[Figure, ...]], kind: DocumentKind,
                    years: list[int], pdf: PdfLink | None, photos: dict[str, PagePhoto] | None = None) -> str:
    """index.html of the web version of `kind` (its measures with their `photos`; `years` its fiscal years)."""
    config = project.config
    period = config.period or (f"{period_label(years, config.era_style)}取組状況" if years else "")
    areas = area_entries(project, figures, kind)
    drawn = screen_charts(figures)
    for entry in areas:
        for item in entry["measures"]:
            measure = item["measure"]
            item["anchor"] = "measure-" + html_id(measure.id)
            item["web_figures"] = web_figures(measure, item["figures"], config.era_style,
                                               "c" + html_id(measure.id), drawn)
            item["web_photo"] = (photos or {}).get(measure.id)
    context = {
        "config": config,
        "kind": kind,
        "period": period,
        "areas": areas,
        "pdf": pdf,
        "csv": CSV_NAME,
        "stylesheet": STYLESHEET,
        "figure_count": sum(1 for e in areas for m in e["measures"] for f in m["web_figures"] if f.svg),
        "version": __version__,
    }
    return with_mark(environment(project.files.root).get_template(TEMPLATE).render(context), __version__)


def web_file_names(photos: tuple[str, ...] = ()) -> list[str]:
    """Every file web_files writes, relative to the folder (with the page's `photos`,
    report.render.web.photos.photo_file_names): known before anything is drawn, so the build checks each
    as an output before layout."""
    return [INDEX, STYLESHEET, CSV_NAME, f"{FONTS_FOLDER}/{LICENCE}", *(f"{FONTS_FOLDER}/{f.file}" for f in WEB_FONTS),
            *photos]


def web_files(project: Project, figures: dict[str, tuple[Figure, ...]], kind: DocumentKind, years: list[int],
              pdf: PdfLink | None = None) -> dict[str, bytes]:
    """Every file of the web folder but the PDF: relative path → bytes."""
    photos = page_photos(project, kind)
    html = render_web_html(project, figures, kind, years, pdf, photos)
    css = font_face_css(WEB_FONTS, FONTS_FOLDER) + "\n" + read_style(STYLE_SOURCE, project.files.root)
    # Open data: every figure of the measures the page shows, all years (the page's running totals,
    # baselines and rates are made from them), exactly as entered.
    metrics = [metric for measure in project.measures if kind.shows(measure) for metric in measure.metrics]
    files = {
        INDEX: html.encode("utf-8"),
        STYLESHEET: css.encode("utf-8"),
        CSV_NAME: metrics_csv(metrics),
        f"{FONTS_FOLDER}/{LICENCE}": (FONTS_DIR / LICENCE).read_bytes(),
    }
    for name, data in subset_fonts(page_characters(html, css)).items():
        files[f"{FONTS_FOLDER}/{name}"] = data
    files |= {file.path: file.data for photo in photos.values() for file in photo.files.files}
    return files
