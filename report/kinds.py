"""The document kinds koho builds, each one object: what it shows, how it is laid out and written.

Build, render, the model and the templates ask the kind instead of comparing its name; adding a
kind is one entry in KINDS (and its template and stylesheets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.problems import KohoError

if TYPE_CHECKING:
    from report.load.model import Measure, Project

# The command-line options that only some kinds can use, as `koho build` spells them.
KIND_OPTIONS = {"print": "--print", "spread": "--spread", "meeting": "--meeting", "date": "--date",
                "no_pdf": "--no-pdf"}


class OptionError(KohoError):
    """An option the document kind cannot use: a usage error (exit status 2), never ignored."""

    exit_code = 2


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document made from the project's data."""

    name: str  # newsletter: templates/newsletter.html, styles/page-newsletter.css, styles/newsletter.css
    label: str  # the Japanese name staff know it by (広報紙)
    all_years: bool  # every fiscal year in the data, or the period (koho.toml `years`, the last two)
    all_measures: bool  # every measure, or the featured ones only (掲載)
    pdf_variant: str  # the reader's version: pdf/ua-1 (tagged), pdf/a-3a (archival)
    two_up: bool = False  # viewers open it two-up from koho.toml's first_page (its folio too)
    printable: bool = False  # --print: bleed, crop marks, PDF/X-4 with a printer's profile
    spread_proof: bool = False  # --spread: the A3 sheet of each spread
    summary: bool = False  # the status summary table and chart
    copy_fit: bool = False  # tighten line spacing to fill whole spreads (koho.toml fit_spread)
    attachments: bool = False  # the source files embedded in the PDF
    keeps_empty_areas: bool = True  # an area none of whose measures is shown keeps its heading
    options: frozenset[str] = frozenset()  # of KIND_OPTIONS, the ones this kind can use
    web_of: str = ""  # a web folder (report/render/web/web.py) of that kind's content, its PDF beside the page

    @property
    def template(self) -> str:
        return f"{self.name}.html"

    @property
    def page_stylesheet(self) -> str:
        """Page size, margins, running head and page numbers."""
        return f"page-{self.name}.css"

    @property
    def stylesheet(self) -> str:
        """The element styles."""
        return f"{self.name}.css"

    def __str__(self) -> str:
        return self.name

    @property
    def content(self) -> DocumentKind:
        """The kind whose measures, years and PDF this one shows: itself, or the one it is the web version of."""
        return KINDS[self.web_of] if self.web_of else self

    def shows(self, measure: Measure) -> bool:
        return self.all_measures or measure.featured

    def measure_ids(self, project: Project) -> set[str]:
        """The ids of the measures the document shows."""
        return {measure.id for measure in project.measures if self.shows(measure)}

    def years(self, project: Project) -> list[int]:
        """The fiscal years the document covers."""
        if self.all_years:
            return project.fiscal_years
        return list(project.config.years) or project.fiscal_years[-2:]

    def variant(self, print_profile: bool) -> str:
        """The PDF variant: PDF/X-4 for the printer when a colour profile is given."""
        return "pdf/x-4" if print_profile and self.printable else self.pdf_variant

    def refuse_options(self, given: dict[str, bool]) -> None:
        """Raise OptionError naming each option given on the command line that this kind cannot use."""
        refused = [name for name, used in given.items() if used and name not in self.options]
        if refused:
            raise OptionError("\n".join(
                f"{KIND_OPTIONS[name]} は「{self.label}」({self.name})には使えません。使える種類: "
                + "、".join(f"{k.name}({k.label})" for k in KINDS.values() if name in k.options)
                for name in refused))


KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in (
    DocumentKind("newsletter", "広報紙", all_years=False, all_measures=False, pdf_variant="pdf/ua-1",
                 two_up=True, printable=True, spread_proof=True, copy_fit=True, keeps_empty_areas=False,
                 options=frozenset({"print", "spread"})),
    DocumentKind("handout", "議会資料", all_years=True, all_measures=True, pdf_variant="pdf/ua-1",
                 summary=True, options=frozenset({"meeting", "date"})),
    DocumentKind("archive", "保存版", all_years=True, all_measures=True, pdf_variant="pdf/a-3a",
                 attachments=True),
    # The newsletter as a folder for the city's website: index.html (templates/web.html, styles/web.css)
    # with the newsletter's PDF beside it (none with --no-pdf).
    DocumentKind("web", "ウェブ版", all_years=False, all_measures=False, pdf_variant="pdf/ua-1",
                 keeps_empty_areas=False, options=frozenset({"no_pdf"}), web_of="newsletter"),
)}
KIND_NAMES = tuple(KINDS)
DEFAULT_KIND = "newsletter"
DEFAULT = KINDS[DEFAULT_KIND]


def kind_named(name: str | DocumentKind | None) -> DocumentKind:
    """The kind of that name (the default for None); a DocumentKind is returned as it is."""
    if isinstance(name, DocumentKind):
        return name
    return KINDS[name or DEFAULT_KIND]
