"""The CSS koho writes for one build, handed to WeasyPrint beside the templates' own stylesheet.

It is never written in a template, so a project's own base.html keeps the folio, the printer's
version and copy-fitting. WeasyPrint applies it as a user stylesheet, which loses to the
document's own rules unless they are `!important`: every rule here is, because it states what this
build must do. Each concern is one small function; `build_css` joins what a build needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.kinds import DocumentKind
from report.render.html.sizes import Grid

GENERATED_STYLE_ID = "koho-generated"  # the <style> element that carries it in the HTML output


def folio_css(first_page: int) -> str:
    """Number the pages from koho.toml's first_page, and start on the side that folio puts it
    (left-bound: an even folio is a left-hand page)."""
    side = "left" if first_page % 2 == 0 else "right"
    return (f"@page :first {{ counter-reset: page {int(first_page)} !important; }}\n"
            f"html {{ break-before: {side} !important; }}")


def print_css() -> str:
    """The printer's version: a 3mm bleed; the CSS bleed is wider to leave room for the トンボ
    drawn outside it by report.render.pdf.marks (report.render.pdf.pdf sets the BleedBox to exactly 3mm)."""
    return "@page { bleed: 12mm !important; }"


def color_profile_css(icc_uri: str) -> str:
    """The printer's CMYK profile (PDF/X-4 output intent), as a file: URI inside the project."""
    return (f'@color-profile device-cmyk {{ src: url("{icc_uri}"); '
            "components: cyan, magenta, yellow, black; }")


def line_height_css(line_height: float) -> str:
    """Copy-fitting: the body's line height for this layout."""
    return f":root {{ --line-height: {line_height:g} !important; }}"


@dataclass(frozen=True)
class GeneratedCSS:
    """What one build adds to the document's own stylesheet."""

    kind: DocumentKind
    grid: Grid
    first_page: int = 1
    printing: bool = False
    icc_uri: str | None = None

    def css(self, line_height: float | None = None) -> str:
        """The stylesheet for one layout; copy-fitting tries change `line_height` only."""
        parts = [self.grid.css()]
        if self.kind.two_up:
            parts.append(folio_css(self.first_page))
        if self.printing:
            parts.append(print_css())
        if self.icc_uri:
            parts.append(color_profile_css(self.icc_uri))
        if line_height is not None:
            parts.append(line_height_css(line_height))
        return "\n".join(parts)


def with_generated_css(html: str, css: str) -> str:
    """The HTML with the generated CSS as its last <style>, for the --html output and the preview."""
    style = f'<style id="{GENERATED_STYLE_ID}">\n{css}\n</style>\n'
    head_end = html.find("</head>")
    return html[:head_end] + style + html[head_end:] if head_end >= 0 else style + html
