"""Render the document model to one self-contained HTML string with Jinja2.

Templates and styles are looked up in the project's own `templates/` and `styles/` folders
first, then in koho's built-in ones, so a project can override any single file. A project's
template can extend the built-in one of the same name as "koho/NAME" and override one block.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from report.assets import STYLES_DIR, TEMPLATES_DIR
from report.load.values.colors import text_on
from report.load.values.era import date_label, period_label
from report.paths import inside
from report.compose.figures import Figure
from report.compose.grade_summary import grade_summaries
from report.kinds import DEFAULT, DocumentKind
from report.render.html.phrases import led_by, phrased_html
from report.render.html.markup import keep_numbers, plain_text, ruby_html, ruby_web, starts_with_list_mark
from report.load.model import Project
from report.problems import DataError, Problem
from report.qr import qr_data_uri
from report.compose.records import Summary, status_of, summary_alt
from report.render.html.sizes import MM_PER_PT, Grid, grid_from
from report.photos.placing import Placement, placements
from report.render.html.text_width import CAPTION_LINE_EMS, heading_ems
from report.render.html.tight_numbers import tight_separators
from report.render.html.decimals import column_number
from report.render.html.template_errors import template_problem

# The stylesheets of a document, in the WeasyPrint samples' fixed order: fonts, variables, the
# shared resets and Japanese composition rules, then the kind's page rules (page-KIND.css) and element
# styles (KIND.css).
STYLESHEETS = ("fonts.css", "variables.css", "base.css", "composition.css")
VARIABLES = "variables.css"
BUILTIN_PREFIX = "koho"  # {% extends "koho/newsletter.html" %} names the built-in template
_CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(?![a-z]+:)([^'\")]+)\1\s*\)")


def template_dirs(root: Path) -> list[Path]:
    return [d for d in (root / "templates", TEMPLATES_DIR) if d.is_dir()]


def style_dirs(root: Path) -> list[Path]:
    return [d for d in (root / "styles", STYLES_DIR) if d.is_dir()]


def _confined(path: Path, root: Path, builtin: Path) -> Path:
    """A template or style file, refused when a symbolic link takes it out of the project."""
    if not inside(path, [root, builtin]):
        raise DataError([Problem(str(path.relative_to(root)) if path.is_relative_to(root) else str(path),
                                 "プロジェクトのフォルダの外を指すファイル(シンボリックリンク)は読みません")])
    return path


def _find_style(name: str, root: Path) -> Path:
    for folder in style_dirs(root):
        if (folder / name).is_file():
            return _confined(folder / name, root, STYLES_DIR)
    raise FileNotFoundError(name)


def variables_sheets(root: Path) -> list[Path]:
    """koho's variables.css, then the project's own (which need hold only the lines it changes)."""
    own = root / "styles" / VARIABLES
    return [STYLES_DIR / VARIABLES, *([_confined(own, root, STYLES_DIR)] if own.is_file() else [])]


def style_paths(kind: DocumentKind, root: Path) -> list[Path]:
    """The stylesheets of a document in their fixed order, each the project's own or koho's."""
    return [path for name in (*STYLESHEETS, kind.page_stylesheet, kind.stylesheet)
            for path in (variables_sheets(root) if name == VARIABLES else [_find_style(name, root)])]


def photo_placements(project: Project, kind: DocumentKind) -> dict[str, Placement]:
    """Each shown measure's photo as the kind prints it (the newsletter's in ems of its body)."""
    return placements(project, kind, grid_of(project.files.root).body_pt * MM_PER_PT)


def grid_of(root: Path) -> Grid:
    """The newsletter's grid as the project's variables make it."""
    return grid_from([(_shown(path, root), path.read_text(encoding="utf-8")) for path in variables_sheets(root)])


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else f"koho/{path.parent.name}/{path.name}"


class ProjectLoader(jinja2.FileSystemLoader):
    """The project's templates first, then koho's; never a file outside them (see _confined)."""

    def __init__(self, root: Path) -> None:
        super().__init__([str(d) for d in template_dirs(root)])
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        source, filename, uptodate = super().get_source(environment, template)
        _confined(Path(filename), self.root, TEMPLATES_DIR)
        return source, filename, uptodate


def _absolute_urls(css: str, base: Path) -> str:
    """Make relative url(...) in a stylesheet absolute file: URLs, so it can be inlined."""
    return _CSS_URL_RE.sub(lambda m: f'url("{(base / m.group(2)).resolve().as_uri()}")', css)


def read_style(name: str, root: Path) -> str:
    """One stylesheet's text, the project's copy first (styles/NAME), else koho's."""
    return _find_style(name, root).read_text(encoding="utf-8")


def stylesheet(kind: DocumentKind, root: Path) -> str:
    """The document's CSS: fonts, variables, shared resets, the kind's page rules, its element styles."""
    return "\n".join(f"/* {path.name} */\n" + _absolute_urls(path.read_text(encoding="utf-8"), path.parent)
                     for path in style_paths(kind, root))


def environment(root: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on (cell text is data, never markup or template code), in the
    immutable sandbox: a project's template can reach no Python internals, files or commands.

    One environment per project folder and set of template folders, so a warm process compiles
    each template once (Jinja2 recompiles a template whose file changed).
    """
    return _environment(root, tuple(template_dirs(root)))


@lru_cache(maxsize=4)
def _environment(root: Path, folders: tuple[Path, ...]) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader([
            ProjectLoader(root),
            jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(str(TEMPLATES_DIR))}),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ruby"] = ruby_html
    env.filters["ruby_web"] = ruby_web
    env.filters["numbers"] = keep_numbers
    env.filters["column_number"] = column_number
    env.filters["plain"] = plain_text
    env.tests["list_marked"] = starts_with_list_mark
    env.filters["phrases"] = phrased_html
    env.filters["ems"] = heading_ems
    env.filters["led_by"] = led_by
    return env


def area_entries(project: Project, figures: dict[str, tuple[Figure, ...]], kind: DocumentKind,
                 photos: dict[str, Placement] | None = None) -> list[dict]:
    """The areas as templates see them: number badge, text colour on the area colour, and the
    measures the kind shows with their figures, status and photo as the kind places it (areas
    left empty only if the kind keeps them)."""
    status_scale = project.config.status
    photos = photos or {}
    entries = [
        {"area": area, "badge": f"{area.number:02d}", "ink": text_on(area.color),
         "measures": [{"measure": m, "figures": figures.get(m.id, ()), "status": status_of(m.status, status_scale),
                       "photo": photos.get(m.id)}
                      for m in area.measures if kind.shows(m)]}
        for area in project.areas
    ]
    return [entry for entry in entries if entry["measures"] or kind.keeps_empty_areas]


def render_html(project: Project, figures: dict[str, tuple[Figure, ...]], kind: DocumentKind = DEFAULT,
                years: list[int] | None = None, created: str = "", summary: Summary | None = None,
                summary_charts: tuple[str, ...] = (), env: jinja2.Environment | None = None) -> str:
    """The complete HTML of one document kind, CSS inlined (koho's generated CSS comes separately).

    `years` are the fiscal years the document covers (default: the kind's); `created` the ISO 8601
    build time; `summary` and its drawn chart (in parts, when too tall for a page: ChartSpec.parts)
    feed the handout's status table; `env` is the build's
    one Jinja2 environment.
    """
    config = project.config
    years = kind.years(project) if years is None else years
    period = config.period or (f"{period_label(years, config.era_style)}取組状況" if years else "")
    context = {
        "config": config,
        "kind": kind,
        "period": period,
        "areas": area_entries(project, figures, kind, photo_placements(project, kind)),
        "css": stylesheet(kind, project.files.root),
        "qr": qr_data_uri(config.url) if config.url else None,
        "handout": config.handout,
        "summary": summary,
        "summary_chart": summary_charts[0] if summary_charts else None,  # the one chart, for templates of old
        "summary_charts": summary_charts,
        "summary_alt": summary_alt(summary) if summary else "",
        "grades": grade_summaries(project) if kind.summary else (),
        "published": config.archive.published or (date_label(dt.date.fromisoformat(created[:10])) if created else ""),
        "created": created,
        "caption_line": CAPTION_LINE_EMS,  # styles/archive.css: a table of one value as wide as its caption
    }
    # The handout and the archive's index leave out the columns no measure fills: text gets the room.
    shown = [entry["measure"] for item in context["areas"] for entry in item["measures"]]
    context["columns"] = {"status": any(m.status for m in shown), "department": any(m.department for m in shown)}
    root = project.files.root
    env = env or environment(root)
    try:
        return tight_separators(env.get_template(kind.template).render(context))
    except (jinja2.TemplateError, RecursionError, TypeError, ValueError, AttributeError, LookupError) as error:
        problem = template_problem(error, root)
        if problem is None:
            raise
        raise DataError([problem]) from None
