"""The import end to end on the six fixtures (issue 22, "Done when").

For each source of tests/fixtures/import/: `koho import SOURCE -o PROJECT` without a terminal writes
exactly the questions `<name>.expected/questions.md` says an importer must ask (none guessed, none
missing), `koho validate --format json` lists each of them as a question naming its source cell; the
answers written into the mapping, the imported project loads to the same areas, measures and
metrics, row by row, as the tables a careful person typed (every field but `source`), and builds the
same pages (the newsletter PDF's page count and text, the web page's text). The second year's
workbook with the first year's mapping names what changed by cell and reads the new year.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
import tomlkit

from report.load.validate import load_project

from .conftest import pdf_text
from .test_errors import koho

FIXTURES = Path(__file__).parent / "fixtures" / "import"
FIXTURE_NAMES = ["wide-years.xlsx", "wide-years-2.xlsx", "seika-shihyo.xlsx", "per-area.xlsx", "opendata-kpi.csv",
                 "evaluation-export.xlsx"]


def answers_of(name: str) -> dict:
    """The answers.toml block of `<name>.expected/questions.md`."""
    text = (FIXTURES / f"{name}.expected" / "questions.md").read_text(encoding="utf-8")
    return tomllib.loads(re.search(r"```toml\n(.*?)```", text, re.S)[1])


def must_ask(name: str) -> set[str]:
    return {key for key, value in answers_of(name).items() if not isinstance(value, dict)}


def imported(name: str, tmp_path: Path) -> Path:
    """The source copied into tmp_path and imported without a terminal: the project folder."""
    source = tmp_path / name
    shutil.copy(FIXTURES / name, source)
    project = tmp_path / "project"
    result = koho("import", str(source), "-o", str(project))
    assert result.exit_code == 0, result.output
    return project


def questions(project: Path) -> list[dict]:
    config = tomllib.loads((project / "koho.toml").read_text(encoding="utf-8"))
    return config["import"].get("questions", [])


def answer(project: Path, answers: dict) -> None:
    """The answers written into the mapping, as a city's staff would (tomlkit keeps the comments)."""
    path = project / "koho.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for question in document["import"]["questions"]:
        if not question.get("answer") and question["id"] in answers:
            question["answer"] = answers[question["id"]]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def rows(folder: Path) -> tuple[list, list, list]:
    """Areas, measures and metrics as loaded and checked, every field but `source`, sorted."""
    project = load_project(folder)

    def row(item: object, *left_out: str) -> tuple:
        return tuple((f.name, getattr(item, f.name)) for f in fields(item) if f.name not in ("source", *left_out))

    areas = [row(a, "measures") for a in project.areas]  # their measures compared below
    measures = [row(m, "metrics") for m in project.measures]
    metrics = [row(x) for m in project.measures for x in m.metrics]
    return sorted(areas, key=repr), sorted(measures, key=repr), sorted(metrics, key=repr)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_questions_written_are_exactly_those_a_careful_importer_asks(name: str, tmp_path: Path) -> None:
    project = imported(name, tmp_path)
    asked = {q["id"] for q in questions(project) if not q["answer"]}
    assert asked == must_ask(name)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_validate_lists_each_open_question_at_its_source_cell(name: str, tmp_path: Path) -> None:
    project = imported(name, tmp_path)
    listed = json.loads(koho("validate", str(project), "--format", "json").stdout)
    found = {asked[1]: p for p in listed
             if p["severity"] == "question" and (asked := re.search(r"質問「([^」]+)」", p["message"]))}
    assert set(found) == must_ask(name)
    for question in questions(project):
        if not question["answer"]:
            sheet, _, cell = question["cells"][0].rpartition("!")
            assert (found[question["id"]]["sheet"] or "", found[question["id"]]["cell"]) == (sheet, cell)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_answered_import_is_the_typed_tables_row_by_row(name: str, tmp_path: Path) -> None:
    project = imported(name, tmp_path)
    answer(project, answers_of(name))
    assert not [q for q in questions(project) if not q["answer"]]
    assert [p for p in listed(project) if p["severity"] in ("question", "error")] == []  # nothing left to ask
    got, expected = rows(project), rows(FIXTURES / f"{name}.expected")
    for table, mine, typed in zip(("areas", "measures", "metrics"), got, expected):
        assert len(typed) > 0, table
        assert [r for r in mine if r not in typed] == [], table  # read but not typed
        assert [r for r in typed if r not in mine] == [], table  # typed but not read
        assert len(mine) == len(typed), table


# ---------------------------------------------------------------------------------------------
# The second year's workbook with the first year's mapping (a year pair added, a row inserted, a
# header reworded): what changed is named by its cell; once the header is said, the new year is read


def second_year(tmp_path: Path) -> Path:
    """wide-years.xlsx imported and answered, then its workbook saved over with next year's."""
    project = imported("wide-years.xlsx", tmp_path)
    answer(project, answers_of("wide-years.xlsx"))
    (project / "data" / "wide-years.xlsx").write_bytes((FIXTURES / "wide-years-2.xlsx").read_bytes())
    return project


def listed(project: Path) -> list[dict]:
    return json.loads(koho("validate", str(project), "--format", "json").stdout)


def test_a_reworded_header_is_named_by_its_cell(tmp_path: Path) -> None:
    project = second_year(tmp_path)
    errors = [p for p in listed(project) if p["severity"] == "error"]
    assert [(p["sheet"], p["cell"]) for p in errors] == [("KPI進捗", "C4")]  # 指標名 → 成果指標
    assert "「指標名」" in errors[0]["message"] and "「成果指標」" in errors[0]["message"]


def test_the_new_year_is_taken_and_said(tmp_path: Path) -> None:
    project = second_year(tmp_path)
    config = project / "koho.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('header = "指標名"', 'header = "成果指標"'),
                      encoding="utf-8")
    problems = listed(project)
    said = [(p["cell"], p["severity"]) for p in problems if "新しい年度(令和6年度)" in p["message"]]
    assert said == [("K5", "info"), ("L5", "info")]
    stale = [p for p in problems if "時点:KPI進捗" in p["message"]]  # answered 令和5年度; the date is now 令和7年3月31日
    assert [(p["severity"], p["cell"]) for p in stale] == [("warning", "N2")]
    metrics = {(m.label, m.fiscal_year): m for measure in load_project(project).measures for m in measure.metrics}
    assert metrics[("空き家バンク成約件数", 2024)].value == 23  # the inserted row, its one year
    assert metrics[("保育所待機児童数", 2024)].value == 1 and metrics[("保育所待機児童数", 2024)].target == 2
    assert all(m.as_of is None for m in metrics.values())  # the stale answer dates nothing


def test_bare_years_answered_as_calendar_years_print_as_such(tmp_path: Path) -> None:
    project = imported("opendata-kpi.csv", tmp_path)
    answer(project, answers_of("opendata-kpi.csv") | {"暦年:opendata-kpi": "暦年"})
    metrics = [m for measure in load_project(project).measures for m in measure.metrics]
    assert metrics and all(m.calendar for m in metrics)


# ---------------------------------------------------------------------------------------------
# The documents built from the import are those built from the typed tables


def page_text(folder: Path) -> list[str]:
    """The web page's text, line by line (tags, scripts and styles left out)."""
    html = (folder / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return [line.strip() for line in re.sub(r"<[^>]+>", "\n", html).splitlines() if line.strip()]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_import_builds_the_pages_the_typed_tables_build(name: str, tmp_path: Path) -> None:
    from report.commands.build import build

    project = imported(name, tmp_path)
    answer(project, answers_of(name))
    assert koho("import", str(project)).exit_code == 0  # again, with the answers: [grades] symbols, [status]
    typed = tomllib.loads((FIXTURES / f"{name}.expected" / "koho.toml").read_text(encoding="utf-8"))
    drafted = tomlkit.parse((project / "koho.toml").read_text(encoding="utf-8"))
    config = tomlkit.document()  # the city's own words (title, municipality) and what the import wrote
    config.update({key: typed[key] for key in ("title", "municipality")})
    config.update({key: drafted[key] for key in ("rates", "grades", "status", "import") if key in drafted})
    (project / "koho.toml").write_text(tomlkit.dumps(config), encoding="utf-8")
    build(project, kind="web", pdf=False, output=tmp_path / "imported")
    build(FIXTURES / f"{name}.expected", kind="web", pdf=False, output=tmp_path / "typed")
    assert page_text(tmp_path / "imported") == page_text(tmp_path / "typed")
    newsletter = build(project, output=tmp_path / "imported.pdf")
    typed_newsletter = build(FIXTURES / f"{name}.expected", output=tmp_path / "typed.pdf")
    assert newsletter.pages == typed_newsletter.pages
    assert pdf_text(tmp_path / "imported.pdf") == pdf_text(tmp_path / "typed.pdf")
