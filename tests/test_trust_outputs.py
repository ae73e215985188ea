"""Issue 24, lost or stale files and injection: a build's outputs are one set, checked before layout,
written only where koho owns the folder and swapped in all or nothing; two projects of a batch never
share an output; the published CSV runs no formula and reads back into koho unchanged; the web
page's ids are unique by construction."""

from __future__ import annotations

import csv
import errno
import io
import os
import random
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from report.commands.batch import build_many
from report.commands.build import build, planned_targets
from report.output import KEPT, SUFFIX, remove_stale_parts, write_all
from report.compose.opendata import metric_row, metrics_csv
from report.load.model import Metric
from report.load.tables.readers import read_csv, without_formula_escape
from report.load.tables.schema import METRICS
from report.problems import DataError, KohoError
from report.render.web.ids import html_id
from report.render.web.web import CSV_NAME, has_mark, web_file_names

from .conftest import copy_project, new_project
from .projects import write_csv
from .test_errors import assert_clean_failure, koho
from .test_output import snapshot

HOSTILE_IDS = ['=HYPERLINK("http://evil.example/","x")', "@SUM(1+1)", "01.1", "01_2e1", "-1", "+1", "'=x", "－2"]


def hostile_project(folder: Path) -> Path:
    """A CSV project whose measure ids, labels, units and notes a spreadsheet would run as formulas."""
    project = folder / "hostile"
    project.mkdir(parents=True)
    (project / "koho.toml").write_text('title = "取組状況"\nmunicipality = "架空市"\n', encoding="utf-8")
    write_csv(project / "areas.csv", [["分野番号", "分野名", "副題"], [1, "暮らし", "安心"]])
    write_csv(project / "measures.csv", [["施策番号", "分野番号", "ビジョン内容", "取組内容", "掲載"]]
              + [[i, 1, f"施策その{n}", "取り組み", 1] for n, i in enumerate(HOSTILE_IDS)])
    write_csv(project / "metrics.csv", [["施策番号", "指標名", "年度", "実績値", "単位", "備考"]]
              + [[i, "=1+1", 2023, -5 if n == 0 else 10, "+人", "@x"] for n, i in enumerate(HOSTILE_IDS)])
    return project


@pytest.fixture
def web_site(tmp_path: Path) -> tuple[Path, Path]:
    """A quick project and its web folder, built once (with its PDF)."""
    project = new_project(tmp_path)
    site = tmp_path / "site"
    build(project, kind="web", output=site)
    return project, site


# --- a set of outputs is replaced all or nothing ----------------------------------------------


def failing_replace(monkeypatch: pytest.MonkeyPatch, place: Path, failing: Callable[[int], bool]) -> list[int]:
    """os.replace fails (EIO) on the calls `failing` picks among those below `place`."""
    real, calls = os.replace, []

    def replace(source: object, destination: object) -> None:
        if Path(source).is_relative_to(place) or Path(destination).is_relative_to(place):
            calls.append(len(calls) + 1)
            if failing(calls[-1]):
                raise OSError(errno.EIO, "I/O error")
        real(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize("failed_call", [1, 2, 3])
def test_a_failed_swap_puts_the_old_set_back_byte_for_byte(tmp_path: Path, web_site: tuple[Path, Path],
                                                           monkeypatch: pytest.MonkeyPatch, failed_call: int) -> None:
    """The web folder and an HTML file beside it are one set: os.replace failing at the 1st, 2nd
    or 3rd move (old folder aside, new folder in, new HTML in) leaves both exactly as they were."""
    project, site = web_site
    (tmp_path / "page.html").write_bytes(b"<p>previous</p>")
    (site / "logo.png").write_bytes(b"the city's own file")
    before, page = snapshot(site), (tmp_path / "page.html").read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    calls = failing_replace(monkeypatch, tmp_path, lambda call: call == failed_call)
    with pytest.raises(KohoError) as raised:
        build(project, kind="web", output=site, html_output=tmp_path / "page.html")
    assert len(calls) >= failed_call
    assert snapshot(site) == before
    assert (tmp_path / "page.html").read_bytes() == page
    assert sorted(p.name for p in tmp_path.iterdir()) == listing, "no temporary or kept file is left"
    message = raised.value.format_message()
    assert "入出力エラーです" in message
    assert "入れ替えを取り消し、以前のファイルはそのままです" in message


def test_a_swap_that_cannot_be_undone_says_where_the_old_folder_is(web_site: tuple[Path, Path],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project, site = web_site
    index = (site / "index.html").read_bytes()
    failing_replace(monkeypatch, site.parent, lambda call: call >= 2)  # the new folder never goes in
    with pytest.raises(KohoError) as raised:
        build(project, kind="web", output=site, pdf=False)
    message = raised.value.format_message()
    assert "以前のファイルに戻せなかったものがあります" in message and "手で元の名前に戻してください" in message
    [kept] = site.parent.glob(f".site.*{KEPT}")
    assert str(kept) in message and (kept / "index.html").read_bytes() == index
    assert not site.exists() and not list(site.parent.glob(f".site.*{SUFFIX}"))
    monkeypatch.undo()
    os.replace(kept, site)  # as the message says (or the next build, once this process is gone)
    assert (site / "index.html").read_bytes() == index


def test_a_disk_full_while_the_new_folder_is_written_leaves_the_old_one(web_site: tuple[Path, Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project, site = web_site
    before = snapshot(site)

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(KohoError) as raised:
        build(project, kind="web", output=site)
    assert f"{site} に書き出せません(ディスクがいっぱいです)。以前のファイルはそのままです" in raised.value.format_message()
    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["new", "site"]


def test_the_next_write_puts_back_an_old_folder_a_killed_swap_left_aside(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    kept = tmp_path / f".site.{dead.stdout.strip()}.abc{KEPT}"
    staged = tmp_path / f".site.{dead.stdout.strip()}.def{SUFFIX}"
    for folder, text in ((kept, "old"), (staged, "half new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    remove_stale_parts(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_write_all_replaces_a_folder_whole_and_carries_what_koho_did_not_write(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "fonts").mkdir(parents=True)
    (site / "fonts" / "old.woff2").write_bytes(b"old font")
    (site / "index.html").write_bytes(b"old")
    (site / "own.txt").write_bytes(b"kept")
    write_all([(site / "index.html", lambda s: s.write(b"new")), (site / "fonts" / "a.woff2", lambda s: s.write(b"a"))],
              folder=site, carried=["own.txt"])
    assert snapshot(site).keys() == {"index.html", "fonts/a.woff2", "own.txt"}
    assert (site / "index.html").read_bytes() == b"new" and (site / "own.txt").read_bytes() == b"kept"
    assert oct(site.stat().st_mode & 0o777) == "0o755" and oct((site / "index.html").stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- koho writes only into folders it owns; the project is never a web output ----------------


def test_the_web_folder_carries_koho_s_generator_mark_even_from_a_project_template(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "web.html").write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>{{ config.title }}</body></html>", encoding="utf-8")
    result = build(project, kind="web", pdf=False, output=tmp_path / "site")
    html = result.web.read_text(encoding="utf-8")
    assert has_mark(html) and re.search(r'<meta name="generator" content="koho [0-9.]+">', html)
    build(project, kind="web", pdf=False, output=tmp_path / "site")  # its own folder: replaced
    assert not has_mark('<meta name="generator" content="kohoXYZ">') and not has_mark("<p>koho</p>")


def test_a_folder_that_is_not_koho_s_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><head><title>市のトップページ</title></head></html>", encoding="utf-8")
    (site / "style.css").write_text("body { color: navy }", encoding="utf-8")
    (site / CSV_NAME).write_text("市の統計\n", encoding="utf-8")
    before = snapshot(site)
    result = koho("build", str(project), "--kind", "web", "-o", str(site / "index.html"))
    assert_clean_failure(result)
    assert f"{site}: koho がつくったウェブ版のフォルダではありません" in result.stderr
    assert snapshot(site) == before and sorted(p.name for p in tmp_path.iterdir()) == ["new", "site"]


def test_an_empty_folder_becomes_koho_s_and_a_second_build_keeps_the_city_s_own_files(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    build(project, kind="web", output=site)
    (site / "logo.png").write_bytes(b"the city's logo")
    (site / "extra").mkdir()
    (site / "extra" / "a.txt").write_text("a")
    (site / "fonts" / "stale.woff2").write_bytes(b"koho's folder: replaced whole")
    build(project, kind="web", output=site)
    assert (site / "logo.png").read_bytes() == b"the city's logo" and (site / "extra" / "a.txt").read_text() == "a"
    assert not (site / "fonts" / "stale.woff2").exists()


def test_no_pdf_removes_koho_s_old_pdf_from_the_folder_and_says_so(web_site: tuple[Path, Path]) -> None:
    project, site = web_site
    assert (site / "newsletter.pdf").is_file()
    result = koho("build", str(project), "--kind", "web", "--no-pdf", "-o", str(site / "index.html"))
    assert result.exit_code == 0, result.output
    assert f"以前のPDFを取り除きました: {site / 'newsletter.pdf'}" in result.stdout
    assert not (site / "newsletter.pdf").exists()
    assert "newsletter.pdf" not in (site / "index.html").read_text(encoding="utf-8")
    again = koho("build", str(project), "--kind", "web", "--no-pdf", "-o", str(site))  # -o names the folder
    assert again.exit_code == 0 and "取り除きました" not in again.stdout
    pdf_to_a_folder = koho("build", str(project), "-o", str(site))
    assert_clean_failure(pdf_to_a_folder)
    assert "出力先がフォルダです" in pdf_to_a_folder.stderr


def test_the_web_version_in_the_project_folder_is_refused_and_later_builds_still_work(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = snapshot(tmp_path)
    for folder in (project, project / "data", tmp_path):
        result = koho("build", str(project), "--kind", "web", "--no-pdf", "-o", str(folder / "index.html"))
        assert_clean_failure(result)
        assert "ウェブ版の出力先にできません" in result.stderr and str(folder) in result.stderr
    assert snapshot(tmp_path) == before, "no metrics.csv beside the project's own"
    assert koho("validate", str(project)).exit_code == 0


# --- every output is one target, checked before layout -----------------------------------------


def test_every_file_of_the_web_folder_is_a_target(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    targets = planned_targets(project, "web")
    folder = project / "build" / "web"
    assert set(targets.files) == {folder / "newsletter.pdf", *(folder / name for name in web_file_names())}
    assert {p.name for p in targets.files} >= {"OFL.txt", "BIZUDPGothic-Regular.subset.woff2", "metrics.csv"}
    result = build(project, kind="web")
    written = {p for p in folder.rglob("*") if p.is_file()}
    assert written == set(targets.files), "the plan is what the build writes"
    assert result.web == folder / "index.html"


def test_print_writes_a_name_of_its_own_beside_the_reader_s_pdf(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    reader = build(project)
    assert reader.pdf == project / "build" / "newsletter.pdf"
    before = reader.pdf.read_bytes()
    printed = koho("build", str(project), "--print")
    assert printed.exit_code == 0, printed.output
    assert str(project / "build" / "newsletter-print.pdf") in printed.stdout
    assert reader.pdf.read_bytes() == before, "the reader's PDF is not the printer's"
    assert (project / "build" / "newsletter-print.pdf").stat().st_size > len(before) // 2
    assert planned_targets(project).pdf.name == "newsletter.pdf"
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[print]\nenabled = true\n")  # [print] enabled in koho.toml: the same own name
    assert planned_targets(project).pdf == project / "build" / "newsletter-print.pdf"


def _web_and_html(target: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    def setup(project: Path) -> list[str]:
        site = project.parent / "site"
        return ["--kind", "web", "--no-pdf", "-o", str(site), "--html", str(target(site))]
    return setup


def _web_into(folder: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    return lambda project: ["--kind", "web", "--no-pdf", "-o", str(folder(project) / "index.html")]


def _foreign_site(project: Path) -> list[str]:
    site = project.parent / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><head><title>市のページ</title></head></html>", encoding="utf-8")
    return ["--kind", "web", "-o", str(site / "index.html")]


Setup = Callable[[Path], list[str]]  # prepares the project (and beside it); returns `koho build` options

# (what is wrong, how to set it up, fragments the message must contain): each fails before any work,
# exit 1, no traceback, nothing written anywhere.
CASES: list[tuple[str, Setup, list[str]]] = [
    ("--html onto a font of the web folder", _web_and_html(lambda site: site / "fonts" / "OFL.txt"),
     ["fonts/OFL.txt", "2つの出力先が同じファイルです"]),
    ("--html onto the web folder's fonts/", _web_and_html(lambda site: site / "fonts"),
     ["出力先が、別の出力先", "fonts/OFL.txt」を入れるフォルダと同じ名前です"]),
    ("--html onto the web page", _web_and_html(lambda site: site / "index.html"),
     ["index.html", "2つの出力先が同じファイルです"]),
    ("web version into the project folder", _web_into(lambda project: project),
     ["プロジェクトのフォルダ(とその data/)", "ウェブ版の出力先にできません"]),
    ("web version into data/", _web_into(lambda project: project / "data"), ["ウェブ版の出力先にできません"]),
    ("web version into a folder holding the project", _web_into(lambda project: project.parent),
     ["ウェブ版の出力先にできません"]),
    ("web version into a folder that is not koho's", _foreign_site,
     ["koho がつくったウェブ版のフォルダではありません", "空のフォルダか新しいフォルダ"]),
]


@pytest.mark.parametrize("name, setup, fragments", CASES, ids=[c[0] for c in CASES])
def test_an_output_koho_may_not_write_fails_cleanly_and_writes_nothing(tmp_path: Path, name: str, setup: Setup,
                                                                       fragments: list[str]) -> None:
    project = copy_project(tmp_path)
    options = setup(project)
    before = snapshot(tmp_path)
    result = koho("build", str(project), *options)
    assert_clean_failure(result)
    assert result.stderr.startswith("エラー: ")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


# --- two projects of a batch never share an output ---------------------------------------------


def test_two_workbooks_of_one_folder_are_refused_before_any_build(tmp_path: Path) -> None:
    cities = new_project(tmp_path)
    book = cities / "data" / "manifesto.xlsx"
    other = cities / "data" / "other.xlsx"
    other.write_bytes(book.read_bytes())
    before = snapshot(tmp_path)
    for jobs in ("1", "2"):
        result = koho("batch", str(book), str(other), "--jobs", jobs)
        assert_clean_failure(result)
        assert f"プロジェクト「{book}」と「{other}」が同じ出力先に書き出します" in result.stderr
        assert str(cities / "build" / "newsletter.pdf") in result.stderr
    assert snapshot(tmp_path) == before, "nothing was built"


def test_a_batch_refuses_a_project_writing_into_another_s_web_folder(tmp_path: Path) -> None:
    first, second = new_project(tmp_path / "a"), new_project(tmp_path / "b")
    (second / "build").symlink_to(first / "build" / "web" / "fonts")  # into the other's web folder
    with pytest.raises(DataError) as raised:
        build_many([first, second], kind="web")
    assert f"「{first}」と「{second}」" in raised.value.format_message()
    assert build_many([first], kind="web")[0].ok, "alone, each builds"


def test_a_batch_of_separate_projects_is_not_refused(tmp_path: Path) -> None:
    from report.commands.batch import shared_outputs

    projects = [new_project(tmp_path / name) for name in ("a", "b", "c")]
    assert shared_outputs(projects, "web") == [] and shared_outputs(projects, None) == []
    assert len(shared_outputs([projects[0], projects[0]], None)) == 1, "one project named twice is refused"


# --- the published CSV runs no formula and reads back unchanged -----------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def test_every_text_cell_of_the_csv_is_escaped_and_numbers_stay_numbers(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    result = build(project, kind="web", pdf=False, output=tmp_path / "site")
    data = (tmp_path / "site" / CSV_NAME).read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    columns = [c.name for c in METRICS.columns if c.name != "chart"]
    assert rows[1][0] == "'" + HOSTILE_IDS[0] and rows[2][0] == "'@SUM(1+1)"
    for row in rows[1:]:
        for column, cell in zip(columns, row):
            assert not cell.startswith(FORMULA_STARTS) or (column == "value" and re.fullmatch(r"-[0-9.]+", cell)), \
                (column, cell)
    assert [row[columns.index("value")] for row in rows[1:3]] == ["-5", "10"], "a negative number stays a number"
    assert {row[columns.index("label")] for row in rows[1:]} == {"'=1+1"}
    read, _ = read_csv(data, CSV_NAME, METRICS)  # koho's own reader gives back every cell as it was
    assert [r[0] for r in read.rows.cells] == [m.id for m in result.project.measures]
    assert {(r[1], r[4], r[-1]) for r in read.rows.cells} == {("=1+1", "+人", "@x")}


def test_the_escape_round_trips_any_text() -> None:
    texts = ["", "'", "''", "'=", "''=x", "'a", "=", "-5", "a=b", "'＋", "\t", "\r\n=x", "＠", "x'"]
    generator = random.Random(24)
    alphabet = "'=+-@\t\rａ＝＋－＠a1 "
    texts += ["".join(generator.choice(alphabet) for _ in range(generator.randint(1, 5))) for _ in range(2000)]
    for text in texts:
        metric = Metric(measure=text, label=text, fiscal_year=2023, value=Decimal("-5"), unit=text, note=text)
        cells = metric_row(metric)
        assert all(not c.startswith(FORMULA_STARTS) for c in cells if c != "-5"), cells
        assert without_formula_escape(cells[0]) == text, repr(text)
    csv_bytes = metrics_csv([Metric(measure="=1", label="l", fiscal_year=2023, value=Decimal("-0.5"), unit="")])
    assert b"\r\n'=1,l,2023,-0.5," in csv_bytes


def test_the_published_csv_loads_back_into_koho_as_the_same_metrics(tmp_path: Path) -> None:
    from dataclasses import replace

    from report.load.validate import load_project

    project = hostile_project(tmp_path)
    result = build(project, kind="web", pdf=False, output=tmp_path / "site")
    (project / "metrics.csv").write_bytes((tmp_path / "site" / CSV_NAME).read_bytes())
    again = load_project(project)
    assert [[replace(x, chart="") for x in m.metrics] for m in again.measures] == \
        [[replace(x, chart="") for x in m.metrics] for m in result.project.measures]


# --- HTML ids are unique by construction -------------------------------------------------------


def test_html_ids_are_injective() -> None:
    assert html_id("01.1") != html_id("01_2e1")
    assert html_id("03-1") == "03-1", "plain ids stay readable (a project's CSS may name #measure-03-1)"
    generator = random.Random(7)
    alphabet = "0123_.-a2eｅ_2e_ "
    seen: dict[str, str] = {}
    for _ in range(20000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 6)))
        encoded = html_id(text)
        assert seen.setdefault(encoded, text) == text, (text, seen[encoded])
        assert "." not in encoded and not any(c.isspace() for c in encoded)


def test_every_id_of_the_page_is_unique_and_every_anchor_has_its_target(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    result = build(project, kind="web", pdf=False, output=tmp_path / "site")
    html = result.web.read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    measures = [i for i in ids if i.startswith("measure-")]
    assert len(measures) == len(HOSTILE_IDS) == len(set(measures))
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', html):
        assert reference in ids, reference
