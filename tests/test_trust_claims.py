"""Issue 24, "a claim is checked against what the file needs" and "dates are the municipality's":
a printer's profile is opened by LittleCMS before it is trusted and a PDF/X is written only with
its output intent; fonts come only from koho's bundled fonts; the missing-glyph check covers every
printed string; the build date and every default date are Japan's."""

from __future__ import annotations

import datetime as dt
import struct
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.assets import FONTS_DIR
from report.commands.build import build
from report.render.checks.coverage import font_files

from .conftest import SAMPLE, copy_project, pdf_text, with_profile
from .test_errors import Breaker, assert_clean_failure, koho, replace_in

GHOSTSCRIPT_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # scripts/ensure-icc


def real_profile() -> bytes:
    if not GHOSTSCRIPT_CMYK.is_file():
        pytest.skip(f"no CMYK profile at {GHOSTSCRIPT_CMYK} (scripts/ensure-icc installs libgs-common)")
    return GHOSTSCRIPT_CMYK.read_bytes()


def broken_body(profile: bytes) -> bytes:
    """The profile with its header and tag table kept and every tag's data overwritten."""
    tags = struct.unpack(">I", profile[128:132])[0]
    body = 132 + 12 * tags
    return profile[:body] + b"\xff" * (len(profile) - body)


def _broken_profile(project: Path) -> None:
    from .icc import cmyk_profile

    with_profile(project, broken_body(cmyk_profile()))


# (what is wrong, how to break the sample project, fragments the message must contain)
CASES: list[tuple[str, Breaker, list[str]]] = [
    ("ICC profile with a broken body", _broken_profile,
     ["koho.toml 列print.icc_profile: 値「printer.icc」", "LittleCMS"]),
]


# --- the printer's profile ------------------------------------------------------------------------

def test_a_profile_with_a_valid_header_and_a_broken_body_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with_profile(project, broken_body(real_profile()))
    for command in (("validate", str(project)), ("build", str(project), "--print", "-o", str(tmp_path / "x.pdf"))):
        result = koho(*command)
        assert_clean_failure(result)
        assert "koho.toml 列print.icc_profile: 値「printer.icc」" in result.stderr
        assert "LittleCMSでRGBからCMYKへ色を変換できません" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_profile_that_only_reads_cmyk_is_refused_before_layout(tmp_path: Path) -> None:
    from .icc import cmyk_profile

    project = copy_project(tmp_path)
    with_profile(project, cmyk_profile(rgb_to_cmyk=False))
    result = koho("validate", str(project))
    assert_clean_failure(result)
    assert "RGBからCMYKへ" in result.stderr


def test_the_real_profile_makes_a_pdf_x4_carrying_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with_profile(project, real_profile())
    reader = PdfReader(build(project, output=tmp_path / "x4.pdf", print_ready=True).pdf)
    [intent] = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX"
    carried = intent["/DestOutputProfile"].get_object().get_data()
    assert carried[36:40] == b"acsp" and carried[16:20] == b"CMYK"
    assert b"PDF/X-4" in reader.xmp_metadata.stream.get_data()


def test_no_pdf_x_claim_is_written_without_its_output_intent(tmp_path: Path) -> None:
    """The writer itself: a document laid out without the printer's profile cannot be written as
    PDF/X (WeasyPrint would write the PDF/X metadata and no OutputIntents)."""
    from report.problems import DataError
    from report.render.pdf.pdf import layout, write_pdf

    document, _ = layout("<html><body><p>テスト</p></body></html>", tmp_path)
    out = tmp_path / "x.pdf"
    with out.open("wb") as stream, pytest.raises(DataError) as raised:
        write_pdf(document, stream, variant="pdf/x-4", profile_name="printer.icc")
    [problem] = raised.value.problems
    assert (problem.column, problem.value) == ("print.icc_profile", "printer.icc")
    assert "出力インテント" in problem.message
    assert b"PDF/X" not in out.read_bytes()


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[c[0] for c in CASES])
def test_failure_cases_fail_cleanly(tmp_path: Path, name: str, breaker: Breaker, fragments: list[str]) -> None:
    project = copy_project(tmp_path)
    breaker(project)
    result = koho("build", str(project), "-o", str(tmp_path / "out.pdf"))
    assert_clean_failure(result)
    assert all(fragment in result.stderr for fragment in fragments), result.stderr
    assert not (tmp_path / "out.pdf").exists()


# --- dates are Japan's ------------------------------------------------------------------------------

APRIL_FIRST_0830_JAPAN = dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.timezone.utc)  # 令和9年4月1日 08:30 JST


@pytest.fixture(params=["UTC", "America/Los_Angeles"])
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The machine's time zone set to one where 2027-03-31T23:30Z is still 31 March."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    assert time.localtime(APRIL_FIRST_0830_JAPAN.timestamp()).tm_mday == 31  # the zone took effect
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock_at_april_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from report import clock

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(clock, "_utc_now", lambda: APRIL_FIRST_0830_JAPAN)


def test_today_and_the_fiscal_year_are_japans(machine_zone: str, clock_at_april_first: None) -> None:
    from report.clock import japan_today
    from report.commands.build import creation_time
    from report.load.validate import current_fiscal_year

    assert japan_today() == dt.date(2027, 4, 1)
    assert current_fiscal_year() == 2027  # 令和9年度, the new fiscal year
    assert creation_time() == "2027-04-01T08:30:00+09:00"


def test_source_date_epoch_wins_and_is_shown_as_japans_date(machine_zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from report import clock
    from report.commands.build import creation_time

    monkeypatch.setattr(clock, "_utc_now", lambda: dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(APRIL_FIRST_0830_JAPAN.timestamp())))
    assert creation_time() == "2027-04-01T08:30:00+09:00"
    assert clock.japan_now(reproducible=False).year == 2030  # the preview's clock is the real one


def test_the_archive_built_at_0830_on_april_first_in_japan_says_april_first(
        tmp_path: Path, machine_zone: str, clock_at_april_first: None) -> None:
    result = build(SAMPLE, kind="archive", output=tmp_path / "archive.pdf", html_output=tmp_path / "archive.html")
    html = (tmp_path / "archive.html").read_text(encoding="utf-8")
    assert "令和9年4月1日発行" in html and "令和9年3月31日" not in html
    assert "令和9年4月1日発行" in pdf_text(result.pdf)
    info = PdfReader(result.pdf).metadata
    assert info["/CreationDate"].startswith("D:20270401083000+09'00")


# --- fonts only from koho's bundled fonts -----------------------------------------------------------

NOT_BUNDLED = "☑ƀ"  # in DejaVu Sans (on most Linux machines), in no bundled font


def bundled_font_names() -> set[str]:
    """The full names of the bundled fonts, as WeasyPrint names them in a PDF (spaces as -)."""
    from fontTools.ttLib import TTFont

    from report.render.checks.coverage import font_files

    names = set()
    for path in font_files(FONTS_DIR):
        with TTFont(path, lazy=True) as font:
            names.add(font["name"].getDebugName(4).replace(" ", "-"))
    return names


def embedded_font_names(pdf: Path) -> set[str]:
    import pikepdf

    found = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            stack = [page.obj.get("/Resources")]
            while stack:
                resources = stack.pop()
                if resources is None:
                    continue
                found.update(str(font.get("/BaseFont")) for font in (resources.get("/Font") or {}).values())
                stack += [x.get("/Resources") for x in (resources.get("/XObject") or {}).values()]
    return {name.removeprefix("/").split("+")[-1] for name in found}


def test_the_characters_are_really_missing_from_the_bundled_fonts() -> None:
    from report.render.checks.coverage import read_fonts

    covered = read_fonts(FONTS_DIR)
    assert all(ord(c) not in covered for c in NOT_BUNDLED)


def test_a_character_no_bundled_font_has_is_not_drawn_from_the_machines_fonts(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "measures.csv", "観光・飲食", NOT_BUNDLED + "観光・飲食")
    result = build(project, output=tmp_path / "n.pdf")
    embedded = embedded_font_names(result.pdf)
    assert embedded and embedded <= bundled_font_names(), embedded
    assert any(p.column == "vision" and "☑(U+2611)" in (p.value or "") for p in result.warnings)  # □, as warned


def test_weasyprints_font_configuration_lists_only_bundled_fonts(tmp_path: Path) -> None:
    from weasyprint.text.ffi import ffi, fontconfig

    from report.render.typeset.warm import font_config

    config = font_config(copy_project(tmp_path))
    fonts = fontconfig.FcConfigGetFonts(config._config, fontconfig.FcSetSystem)  # noqa: SLF001
    files = set()
    path = ffi.new("FcChar8 **")
    for index in range(fonts.nfont):
        fontconfig.FcPatternGetString(fonts.fonts[index], b"file", 0, path)
        files.add(Path(ffi.string(path[0]).decode()).resolve())
    assert files == {font.resolve() for font in font_files(FONTS_DIR)}


def test_charts_resolve_every_family_to_a_bundled_font() -> None:
    from matplotlib import font_manager

    from charts.style import FONT_FAMILY, setup

    setup(FONTS_DIR)
    for family in (FONT_FAMILY, "sans-serif", "serif", "monospace", "cursive", "fantasy"):
        for weight in ("normal", "bold"):
            found = font_manager.findfont(font_manager.FontProperties(family=family, weight=weight),
                                          fallback_to_default=False)
            assert Path(found).resolve().parent == FONTS_DIR.resolve(), (family, found)


# --- the missing-glyph check covers every printed string ----------------------------------------------

TOFU = "☑"  # U+2611: no bundled font has it (test_the_characters_are_really_missing_from_the_bundled_fonts)
KOHO_TOML_ADDITIONS = f"""
[status]
"達成" = "◎{TOFU}"
"実施中" = "○"
"着手" = "△"
"未着手" = "×"

[grades]
A = {{ min = 100, word = "達成", symbol = "★{TOFU}" }}
D = {{ word = "未達成", symbol = "×" }}

[handout]
meeting = "定例会{TOFU}"

[archive]
published = "令和6年3月31日{TOFU}"

[contact]
department = "企画課{TOFU}"
"""


def _glyph_warnings(problems: Iterable) -> dict[tuple, str]:
    return {(p.file, p.row, p.column): p.value for p in problems if p.severity == "warning" and "U+" in (p.value or "")}


def test_every_text_of_koho_toml_and_the_ids_are_checked(tmp_path: Path) -> None:
    from report.load.validate import load_project
    from report.render.checks.preflight import missing_glyphs

    project = copy_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write(KOHO_TOML_ADDITIONS)
    replace_in(project / "measures.csv", "\n02-1,", f"\n02-1{TOFU},")
    lines = (project / "koho.toml").read_text(encoding="utf-8").splitlines()

    def line(text: str) -> int:
        return next(n for n, typed in enumerate(lines, 1) if text in typed)

    found = _glyph_warnings(missing_glyphs(load_project(project)))
    shown = f"{TOFU}(U+2611)"
    assert found == {
        ("koho.toml", line(f'"達成" = "◎{TOFU}"'), "status.達成"): shown,
        ("koho.toml", line(f"★{TOFU}"), "grades.A.symbol"): shown,
        ("koho.toml", line(f"定例会{TOFU}"), "handout.meeting"): shown,
        ("koho.toml", line(f"令和6年3月31日{TOFU}"), "archive.published"): shown,
        ("koho.toml", line(f"企画課{TOFU}"), "contact.department"): shown,
        ("measures.csv", 4, "id"): shown,  # the 3rd record (a cell above spans two lines)
    }


def test_printed_text_from_options_and_templates_is_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "styles").mkdir()
    own = (SAMPLE.parent / "styles" / "handout.css").read_text(encoding="utf-8")
    (project / "styles" / "handout.css").write_text(own + '\nbody::after { content: "ƀ"; }\n', encoding="utf-8")
    result = build(project, kind="handout", output=tmp_path / "h.pdf", meeting=f"第1回定例会{TOFU}")
    found = _glyph_warnings(result.warnings)
    assert found == {("コマンドの指定", None, "--meeting"): f"{TOFU}(U+2611)",
                     ("h.pdf", None, "テンプレート・スタイル"): "ƀ(U+0180)"}


def test_an_ivs_a_font_has_is_kept_and_one_none_has_is_warned(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    kept, unknown, private = "葛\U000E0100", "葛\U000E0102", "\uE000"
    replace_in(project / "measures.csv", "観光・飲食", f"{kept}{unknown}観光・飲食")
    replace_in(project / "measures.csv", "特定健診や", f"特定健診{private}や")
    result = build(project, output=tmp_path / "n.pdf")
    warned = {(p.file, p.row, p.column, p.value): p.message for p in result.warnings if p.column == "vision"}
    assert set(warned) == {("measures.csv", 2, "vision", "葛\U000E0102(U+845B U+E0102)"),
                           ("measures.csv", 4, "vision", "\uE000(U+E000)")}
    assert all("異体字" in m or "外字" in m for m in warned.values())
    assert kept in pdf_text(result.pdf)  # the variant glyph, read back as its sequence
    assert not any("載っていません" in p.message for p in result.warnings)  # the measure is found
