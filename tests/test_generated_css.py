"""koho's generated CSS (folio, print marks, colour profile, copy-fit, grid) reaches WeasyPrint as
its own stylesheet: a project's own base.html keeps it, and copy-fitting changes nothing else."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

import report.commands.build
from report.commands.build import build
from report.render.html.generated_css import GENERATED_STYLE_ID

from .conftest import SAMPLE, copy_project

MM = 72 / 25.4
OWN_BASE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ config.title | plain }}</title>
<style>{{ css | safe }}</style></head>
<body>{% block body %}{% endblock %}</body></html>
"""


def test_a_project_s_own_base_html_still_gets_print_and_folios(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "base.html").write_text(OWN_BASE, encoding="utf-8")
    result = build(project, output=tmp_path / "print.pdf", print_ready=True)
    reader = PdfReader(result.pdf)
    for page in reader.pages:
        trim, bleed, media = (list(map(float, box)) for box in (page.trimbox, page.bleedbox, page.mediabox))
        assert trim[2] - trim[0] == pytest.approx(210 * MM, abs=0.5)
        assert bleed[0] == pytest.approx(trim[0] - 3 * MM, abs=0.1), "3mm bleed"
        assert media[2] - media[0] > (210 + 2 * 3) * MM, "room for the crop marks"
    with pdfplumber.open(result.pdf) as pdf:
        trim_bottom = pdf.pages[0].height - 12 * MM  # the CSS bleed leaves 12mm around the trimmed page
        folios = [[w["text"] for w in page.extract_words() if w["text"].isdigit() and trim_bottom - 16 * MM < w["top"] < trim_bottom]
                  for page in pdf.pages]
    assert folios == [["2"], ["3"]], "the folios start at koho.toml's first_page"


def test_copy_fitting_renders_once_and_changes_only_the_generated_line_height(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[tuple[str, str]] = []
    environments: list[object] = []
    original_layout, original_environment = report.commands.build.layout, report.commands.build.environment

    def recording_layout(html: str, root: Path, css: str = "", cmyk_profile: Path | None = None,  # noqa: ANN202
                         **kwargs: object):
        layouts.append((html, css))
        return original_layout(html, root, css, cmyk_profile, **kwargs)

    def counting_environment(root: Path):  # noqa: ANN202
        environments.append(root)
        return original_environment(root)

    monkeypatch.setattr(report.commands.build, "layout", recording_layout)
    monkeypatch.setattr(report.commands.build, "environment", counting_environment)
    result = build(SAMPLE, output=tmp_path / "fit.pdf", html_output=tmp_path / "fit.html")
    assert len(environments) == 1
    assert len(layouts) == 2, "the sample ends on a left page at 1.5 and is copy-fitted"
    (first_html, first_css), (second_html, second_css) = layouts
    assert first_html == second_html
    added = set(second_css.splitlines()) - set(first_css.splitlines())
    assert added == {":root { --line-height: 1.45 !important; }"}
    assert set(first_css.splitlines()) <= set(second_css.splitlines())
    assert result.pages == 2
    html = (tmp_path / "fit.html").read_text(encoding="utf-8")
    assert f'<style id="{GENERATED_STYLE_ID}">' in html and "--line-height: 1.45" in html, \
        "the HTML output carries the CSS the PDF was laid out with"


def test_the_printer_s_version_is_refused_for_kinds_that_cannot_print(tmp_path: Path) -> None:
    from report.kinds import OptionError

    with pytest.raises(OptionError, match="--print"):
        build(SAMPLE, output=tmp_path / "h.pdf", kind="handout", print_ready=True)
