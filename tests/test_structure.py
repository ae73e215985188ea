"""PDFs that are what they claim: the tag tree of every kind (PDF/UA-1), page labels as printed,
and the printer's version in CMYK with K100 text and Japanese トンボ (PDF/X-4).

tests/pdfcheck.py walks the tag trees and content streams with pikepdf; docs/conformance.md names the clauses.
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from report.commands.build import build

from .conftest import EXAMPLE, SAMPLE, copy_project, with_profile
from .pdfcheck import Checked, colour_problems, marks, structure_problems, text_colours

PROJECTS = {"sample": SAMPLE, "kakuu": EXAMPLE}
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian libgs-common
TESTED_BUILD_BOX_TREE = "f716251a83e7096e"  # sha256 of weasyprint.pdf.tags._build_box_tree, WeasyPrint 70


@pytest.mark.parametrize("kind", ["newsletter", "handout", "archive"])
@pytest.mark.parametrize("name", list(PROJECTS))
def test_tag_tree_passes_the_checker(kind_builds: dict, name: str, kind: str) -> None:
    result = kind_builds[name, kind]
    checked = Checked(result.pdf)
    assert structure_problems(checked) == []
    html = result.html.read_text(encoding="utf-8")
    assert len(checked.elements("/Table")) == html.count("<table")  # one element per table, however many pages
    assert len(checked.elements("/Figure")) == html.count("<img")
    if "<th" in html:
        assert checked.id_tree(), "header cells resolvable through the IDTree"


@pytest.mark.parametrize("kind", ["newsletter", "handout", "archive"])
def test_running_heads_and_folios_are_pagination_artifacts(kind_builds: dict, kind: str) -> None:
    pdf = pikepdf.open(kind_builds["sample", kind].pdf)
    for number, page in enumerate(pdf.pages, start=1):
        pagination = [operands[1] for operands, op in pikepdf.parse_content_stream(page)
                      if str(op) == "BDC" and str(operands[0]) == "/Artifact"
                      and str(operands[1].get("/Type")) == "/Pagination"]
        if kind == "archive" and number == 1:
            assert pagination == []  # the cover prints neither
        else:
            assert any(str(p.get("/Subtype")) == "/Footer" for p in pagination), f"folio of page {number}"


def test_page_labels_are_the_printed_folios(kind_builds: dict) -> None:
    first = 2  # data/koho.toml: the excerpt starts on page 2 of the newsletter
    assert PdfReader(kind_builds["sample", "newsletter"].pdf).page_labels == [str(first), str(first + 1)]
    handout = PdfReader(kind_builds["sample", "handout"].pdf)
    assert handout.page_labels == [str(n) for n in range(1, len(handout.pages) + 1)]
    archive = PdfReader(kind_builds["sample", "archive"].pdf)
    assert archive.page_labels == ["表紙", *(str(n) for n in range(2, len(archive.pages) + 1))]


def test_ruby_is_tagged_base_then_reading(kind_builds: dict) -> None:
    checked = Checked(kind_builds["sample", "newsletter"].pdf)
    rubies = checked.elements("/Ruby")
    assert rubies, "the sample has {日日nova|ひびのば}"
    assert all([k.type for k in ruby.kids][:2] == ["/RB", "/RT"] for ruby in rubies)


def test_closing_url_is_a_tagged_link(kind_builds: dict) -> None:
    result = kind_builds["sample", "newsletter"]
    checked = Checked(result.pdf)
    links = checked.elements("/Link")
    uris = {str(annotation.A.URI) for _, annotation in checked.annotations}
    assert result.project.config.url in uris
    assert links and all(link.all_content() for link in links)


# --- the printer's version --------------------------------------------------------------------------

def _with_profile(tmp_path: Path, source: Path) -> Path:
    if not CMYK_PROFILE.is_file():
        pytest.skip(f"no CMYK profile at {CMYK_PROFILE} (scripts/ensure-icc installs libgs-common)")
    project = copy_project(tmp_path, source)
    with_profile(project, CMYK_PROFILE.read_bytes())
    return project


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The printer's version of both projects, with a real CMYK profile."""
    results = {}
    for name, source in PROJECTS.items():
        folder = tmp_path_factory.mktemp(f"print-{name}")
        results[name] = build(_with_profile(folder, source), output=folder / "print.pdf", print_ready=True)
    return results


@pytest.mark.parametrize("name", list(PROJECTS))
def test_print_version_is_cmyk_with_k100_text(printed: dict, name: str) -> None:
    checked = Checked(printed[name].pdf)
    assert b"PDF/X-4" in bytes(checked.pdf.Root.Metadata.read_bytes())
    assert colour_problems(checked) == []  # no rg/RG, no RGB space or image, no four-colour black
    colours = text_colours(checked)
    assert all(space == "/DeviceCMYK" for space, _ in colours)
    body = max(colours, key=colours.get)
    assert body == ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0))  # the body text is K100


@pytest.mark.parametrize("name", list(PROJECTS))
def test_trim_marks_are_double_corners_and_centres_outside_the_bleed(printed: dict, name: str) -> None:
    checked = Checked(printed[name].pdf)
    for index, page in enumerate(checked.pages):
        left, bottom, right, top = (float(v) for v in page.obj.BleedBox)
        trim = [float(v) for v in page.obj.TrimBox]
        strokes = [m for m in marks(checked) if m.page == index and m.artifact and m.operator == "S"]
        assert strokes and strokes[0].stroke == ("/DeviceCMYK", (1.0, 1.0, 1.0, 1.0))  # registration
        points = [p for m in strokes for p in m.points]
        assert all(not (left + 0.01 < x < right - 0.01 and bottom + 0.01 < y < top - 0.01) for x, y in points)
        xs = {round(x, 1) for x, _ in points}
        assert {round(trim[0], 1), round(left, 1), round(trim[2], 1), round(right, 1)} <= xs  # trim and bleed lines
        assert round((trim[0] + trim[2]) / 2, 1) in xs  # centre marks


def test_colours_for_print() -> None:
    from report.render.pdf.cmyk import CUD_CMYK, cmyk_of

    if not CMYK_PROFILE.is_file():
        pytest.skip(f"no CMYK profile at {CMYK_PROFILE}")
    assert cmyk_of("#000000", CMYK_PROFILE) == (0, 0, 0, 1)  # K100, never four-colour black
    assert cmyk_of("black", CMYK_PROFILE) == (0, 0, 0, 1)
    assert cmyk_of("#333", CMYK_PROFILE) == (0, 0, 0, 0.8)  # greys: K only
    assert cmyk_of("#005AFF", CMYK_PROFILE) == tuple(v / 100 for v in CUD_CMYK["#005AFF"])
    c, m, y, k = cmyk_of("#2E8B57", CMYK_PROFILE)  # not a CUD colour: through the profile
    assert c > 0.4 and y > 0.3 and m < c and all(0 <= v <= 1 for v in (c, m, y, k))


def test_a_profile_that_cannot_convert_rgb_is_a_clean_error(tmp_path: Path) -> None:
    from report.problems import DataError

    from .icc import cmyk_profile

    project = copy_project(tmp_path)
    (project / "printer.icc").write_bytes(cmyk_profile(rgb_to_cmyk=False))  # CMYK→Lab only: no RGB→CMYK table
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[print]\nicc_profile = "printer.icc"\n')
    areas = (project / "areas.csv").read_text(encoding="utf-8").splitlines()
    areas[1] = areas[1].removesuffix(",") + ",#2E8B57"  # an area colour outside the CUD set
    (project / "areas.csv").write_text("\n".join(areas) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="print.icc_profile"):
        build(project, output=tmp_path / "x.pdf", print_ready=True)
    assert not (tmp_path / "x.pdf").exists()


def test_print_version_without_a_profile_stays_rgb_and_tagged(tmp_path: Path) -> None:
    result = build(SAMPLE, output=tmp_path / "print.pdf", print_ready=True)
    checked = Checked(result.pdf)
    assert structure_problems(checked) == []  # Figure BBoxes still right with the bleed around the page
    assert any("rg operator" in problem for problem in colour_problems(checked))


# --- the workaround for WeasyPrint's tagging ---------------------------------------------------------

def test_extended_weasyprint_code_is_the_tested_version() -> None:
    from weasyprint.pdf import tags

    from report.render.pdf import tagging

    tagging.install()
    source = inspect.getsource(tagging._ORIGINAL)  # noqa: SLF001
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == TESTED_BUILD_BOX_TREE, (
        "weasyprint.pdf.tags._build_box_tree changed: check report.render.pdf.tagging against it")
    assert tags._build_box_tree is tagging._traced_build_box_tree  # noqa: SLF001


def test_upstream_tagging_still_needs_the_workaround(tmp_path: Path) -> None:
    """Fails when WeasyPrint's own tag tree passes the checker: then report.render.pdf.tagging can go."""
    from weasyprint import HTML

    rows = "".join(f"<tr><th scope='row'>{n}</th><td>{n}</td></tr>" for n in range(120))
    html = ("<html lang='ja'><style>@page { @bottom-center { content: counter(page) } }</style>"
            "<h1>表</h1><img alt='図' style='margin-left: 200px' src='data:image/svg+xml,"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"40\"><rect width=\"40\" height=\"40\"/></svg>'>"
            f"<table><thead><tr><th>番号</th><th>値</th></tr></thead><tbody>{rows}</tbody></table></html>")
    HTML(string=html).write_pdf(tmp_path / "upstream.pdf", pdf_variant="pdf/ua-1")
    problems = " ".join(structure_problems(Checked(tmp_path / "upstream.pdf")))
    assert "not reached by the structure tree" in problems or "neither tagged" in problems
    assert "Figure BBox" in problems


def test_print_version_converts_raster_images_through_the_profile(tmp_path: Path) -> None:
    from PIL import Image

    from .pdfcheck import image_spaces

    project = _with_profile(tmp_path, SAMPLE)
    Image.new("RGBA", (40, 20), (255, 75, 0, 200)).save(project / "logo.png")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "newsletter.html").write_text(
        '{% extends "koho/newsletter.html" %}{% block body %}{{ super() }}'
        '<img src="logo.png" alt="ロゴ" style="width: 20mm">{% endblock %}', encoding="utf-8")
    checked = Checked(build(project, output=tmp_path / "print.pdf", print_ready=True).pdf)
    assert list(image_spaces(checked)) == ["/DeviceCMYK"] * 4  # the logo and the sample's three photos
    assert colour_problems(checked) == []
    assert (project / "logo.png").read_bytes()[:4] == b"\x89PNG"  # the input is never modified
