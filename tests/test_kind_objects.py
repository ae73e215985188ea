"""A document kind is one object (report.kinds): it drives the build, and options it cannot use are refused."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import cli
from report.assets import STYLES_DIR, TEMPLATES_DIR
from report.commands.build import build
from report.kinds import KINDS, OptionError
from report.load.validate import load_project

from .conftest import SAMPLE, copy_project, new_project, pdf_text


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_has_its_template_and_stylesheets(kind) -> None:  # noqa: ANN001
    assert (TEMPLATES_DIR / kind.template).is_file() and (STYLES_DIR / kind.stylesheet).is_file()
    assert kind.web_of or (STYLES_DIR / kind.page_stylesheet).is_file(), "a web page has no page rules"


def test_the_kind_decides_measures_and_years() -> None:
    project = load_project(SAMPLE)
    unfeatured = replace(project.measures[0], featured=False)
    assert not KINDS["newsletter"].shows(unfeatured) and KINDS["handout"].shows(unfeatured)
    assert unfeatured.appears_in(KINDS["archive"]) and not unfeatured.appears_in(KINDS["newsletter"])
    many = replace(project, config=replace(project.config, years=(2023,)))
    assert KINDS["newsletter"].years(many) == [2023] and KINDS["archive"].years(many) == project.fiscal_years


def _unfeature(project: Path, measure_id: str) -> None:
    path = project / "measures.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("掲載")
    for row in rows[1:]:
        if row[0] == measure_id:
            row[column] = "0"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_a_kind_object_drives_the_build(tmp_path: Path) -> None:
    """The same template with other answers from the kind: every measure, no two-up, PDF/A with sources."""
    project = copy_project(tmp_path)
    _unfeature(project, "06-2")
    vision = next(m.vision for m in load_project(project).measures if m.id == "06-2")
    plain = build(project, output=tmp_path / "plain.pdf")
    assert vision[:12] not in pdf_text(plain.pdf)
    custom = replace(KINDS["newsletter"], all_measures=True, two_up=False, pdf_variant="pdf/a-3a",
                     attachments=True, copy_fit=False)
    result = build(project, output=tmp_path / "custom.pdf", kind=custom)
    assert vision[:12] in pdf_text(result.pdf)
    reader = PdfReader(result.pdf)
    assert "/PageLayout" not in reader.trailer["/Root"]
    assert set(reader.attachments) == {"areas.csv", "measures.csv", "metrics.csv", "koho.toml"}
    assert "pdfaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize(("kind", "options", "refused"), [
    ("handout", ["--print"], "--print"),
    ("archive", ["--spread"], "--spread"),
    ("newsletter", ["--meeting", "総務委員会"], "--meeting"),
    ("archive", ["--date", "令和6年3月1日"], "--date"),
])
def test_an_option_the_kind_cannot_use_is_a_usage_error(tmp_path: Path, kind: str, options: list[str],
                                                       refused: str) -> None:
    project = new_project(tmp_path)
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(cli.cli, ["build", str(project), "-o", str(out), "--kind", kind, *options])
    assert result.exit_code == 2, result.output
    assert refused in result.output and "使えません" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_kind_from_koho_toml_refuses_options_too(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[build]\nkind = "handout"\n')
    with pytest.raises(OptionError, match="--spread"):
        build(project, output=tmp_path / "out.pdf", spread=True)
    assert not (tmp_path / "out.pdf").exists()


def test_preflight_checks_every_measure_the_kind_prints(tmp_path: Path) -> None:
    """The handout prints every measure, featured or not: one missing from its PDF is a warning."""
    project = copy_project(tmp_path)
    _unfeature(project, "06-2")
    (project / "styles").mkdir()
    css = (STYLES_DIR / "handout.css").read_text(encoding="utf-8")
    (project / "styles" / "handout.css").write_text(css + "\n#measure-06-2 { display: none }\n", encoding="utf-8")
    result = build(project, output=tmp_path / "h.pdf", kind="handout")
    assert [w.value for w in result.warnings if "載っていません" in w.message] == ["06-2"]
