"""Render the document model to one self-contained HTML string with Jinja2.

Templates and styles are looked up in the project's own `templates/` and `styles/` folders
first, then in koho's built-in ones, so a project can override any single file. A project's
template can extend the built-in one of the same name as "koho/NAME" and override one block.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assets import STYLES_DIR, TEMPLATES_DIR
from .colors import text_on
from .era import date_label, period_label
from .paths import inside
from .figures import Figure
from .markup import plain_text, ruby_html
from .model import Project
from .problems import DataError, Problem
from .qr import qr_data_uri
from .records import Summary, status_of, summary_alt

# The stylesheets of a document, in the WeasyPrint samples' fixed order: fonts, variables, the
# shared resets and Japanese composition rules, then the kind's page rules (page-KIND.css) and element
# styles (KIND.css).
STYLESHEETS = ("fonts.css", "variables.css", "base.css", "composition.css")
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


def stylesheet(kind: str, root: Path) -> str:
    """The document's CSS: fonts, variables, the kind's page rules, then its element styles."""
    parts = []
    for name in (*STYLESHEETS, f"page-{kind}.css", f"{kind}.css"):
        path = _find_style(name, root)
        parts.append(f"/* {name} */\n" + _absolute_urls(path.read_text(encoding="utf-8"), path.parent))
    return "\n".join(parts)


def environment(root: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on: cell text is data, never markup or template code."""
    env = jinja2.Environment(
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
    env.filters["plain"] = plain_text
    return env


@dataclass(frozen=True)
class RenderOptions:
    """How this rendering differs from the plain reader's version."""

    line_height: str | None = None  # copy-fitting: the body's line height
    print_ready: bool = False  # bleed and crop marks
    icc_profile: str | None = None  # file: URI of the printer's CMYK profile (PDF/X-4)
    created: str = ""  # ISO 8601 creation time for the PDF's metadata


def render_html(project: Project, figures: dict[str, tuple[Figure, ...]], kind: str = "newsletter",
                options: RenderOptions = RenderOptions(), years: list[int] | None = None,
                summary: Summary | None = None, summary_chart: str | None = None) -> str:
    """The complete HTML of one document kind, CSS inlined.

    `years` are the fiscal years the document covers (default: all in the data); `summary` and its
    drawn chart feed the handout's status table.
    """
    config = project.config
    years = project.fiscal_years if years is None else years
    period = config.period or (f"{period_label(years, config.era_style)}取組状況" if years else "")
    context = {
        "config": config,
        "kind": kind,
        "period": period,
        "areas": [
            {"area": area, "badge": f"{area.number:02d}", "ink": text_on(area.color),
             "measures": [{"measure": m, "figures": figures.get(m.id, ()),
                           "status": status_of(m.status, config.status)}
                          for m in area.measures if m.appears_in(kind)]}
            for area in project.areas
        ],
        "css": stylesheet(kind, project.files.root),
        "start_side": "left" if config.first_page % 2 == 0 else "right",
        "qr": qr_data_uri(config.url) if config.url else None,
        "handout": config.handout,
        "summary": summary,
        "summary_chart": summary_chart,
        "summary_alt": summary_alt(summary) if summary else "",
        "published": config.archive.published or (date_label(dt.date.fromisoformat(options.created[:10]))
                                                  if options.created else ""),
        "line_height": options.line_height,
        "print_ready": options.print_ready,
        "icc_profile": options.icc_profile,
        "created": options.created,
    }
    context["areas"] = [a for a in context["areas"] if a["measures"] or kind != "newsletter"]
    # The handout and the archive's index leave out the columns no measure fills: text gets the room.
    shown = [entry["measure"] for item in context["areas"] for entry in item["measures"]]
    context["columns"] = {"status": any(m.status for m in shown), "department": any(m.department for m in shown)}
    return environment(project.files.root).get_template(f"{kind}.html").render(context)
