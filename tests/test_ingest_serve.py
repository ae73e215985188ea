"""koho serve's 取り込み元 tab (issue 22): the city's source as koho read it, each cell shaded and
marked by its role, the open questions linked to their cells, updated when the source (kept in a
sub-folder of data/) or koho.toml is saved; checked with axe in chromium where there is one."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from report.commands import source_view as source_view_module
from report.commands.import_ import import_project
from report.commands.serve import SOURCE_PATH, PreviewServer
from report.commands.source_view import source_view

from .conftest import ROOT, new_project
from .serving import get

FIXTURE = ROOT / "tests" / "fixtures" / "import" / "wide-years.xlsx"
SOURCE = Path("data") / "2024" / "wide-years.xlsx"  # a city's yearly folder: watched all the same
SCRIPT = "<script>alert('x')</script>"
WAIT = 60.0  # an upper bound for one rebuild, not a timing expectation


def _save_workbook(path: Path, change) -> None:  # noqa: ANN001 - change(book) edits an openpyxl Workbook
    """Change a workbook and save it all at once, as Excel does (write, then rename)."""
    book = load_workbook(path)
    change(book)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    book.save(temporary)
    os.replace(temporary, path)


def imported_project(destination: Path) -> Path:
    """wide-years.xlsx in PROJECT/data/2024/ (its first note holding a script tag), imported."""
    project = destination / "city"
    source = project / SOURCE
    source.parent.mkdir(parents=True)
    shutil.copy2(FIXTURE, source)
    _save_workbook(source, lambda book: book["KPI進捗"].cell(row=17, column=1, value=f"※{SCRIPT}"))
    import_project(source, project)
    return project


@contextmanager
def serving(project: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(project, port=0, settle=0.05)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class _Cells(HTMLParser):
    """The grid's cells by id: (class, title, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, tuple[str, str, str]] = {}
        self.headers: list[tuple[str, str]] = []  # (scope, text) of every th
        self._open: tuple[str, str, str, list[str]] | None = None
        self._th: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "td" and (found.get("id") or "").startswith("koho-cell-"):
            self._open = (found["id"] or "", found.get("class") or "", found.get("title") or "", [])
        if tag == "th":
            self._th = (found.get("scope") or "", [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[3].append(data)
        if self._th is not None:
            self._th[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            anchor, classes, title, texts = self._open
            self.cells[anchor] = (classes, title, "".join(texts))
            self._open = None
        if tag == "th" and self._th is not None:
            self.headers.append((self._th[0], "".join(self._th[1])))
            self._th = None


def _tab(server: PreviewServer) -> tuple[str, _Cells]:
    status, headers, body = get(server, SOURCE_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    parser = _Cells()
    parser.feed(page)
    return page, parser


def _role(cells: _Cells, a1: str, sheet: int = 1) -> str:
    classes = cells.cells[f"koho-cell-{sheet}-{a1}"][0].split()
    return next((c.removeprefix("koho-role-") for c in classes if c.startswith("koho-role-")), "")


def test_the_tab_shows_each_cell_s_role_the_questions_and_escapes_the_text(tmp_path: Path) -> None:
    project = imported_project(tmp_path)
    with serving(project) as server:
        home = get(server, "/")[2].decode("utf-8")
        assert f'href="{SOURCE_PATH}">取り込み元</a>' in home, "the tab is in the toolbar"
        page, cells = _tab(server)
    assert '<main class="koho-source"' in page and "<h1 " in page and "data/2024/wide-years.xlsx" in page
    assert 'aria-current="page">取り込み元</a>' in page
    # the grid: Excel's column letters and row numbers as table headers with their scope
    kpi = _Cells()
    kpi.feed(page[page.index('id="koho-sheet-1"'):page.index('id="koho-sheet-2"')])
    assert [text for scope, text in kpi.headers if scope == "col"] == list("ABCDEFGHIJKL")
    assert [text for scope, text in kpi.headers if scope == "row"] == [str(n) for n in range(1, 19)]
    for a1 in ("A4", "C4", "E4", "A5", "E5", "K5"):
        assert _role(cells, a1) == "header", a1
    assert _role(cells, "A6") == "hierarchy" and _role(cells, "B6") == "hierarchy"
    assert _role(cells, "E6") == "data" and _role(cells, "H7") == "data"
    assert _role(cells, "A1") == "title"
    assert _role(cells, "A18") == "note"
    classes, title, text = cells.cells["koho-cell-1-K7"]  # the city's 達成率: a cross-check, not read
    assert _role(cells, "K7") == "dropped" and "計算された列" in title and text == "×101.1%"
    assert _role(cells, "J10") == "dropped" and "数値なし" in cells.cells["koho-cell-1-J10"][1]
    assert cells.cells["koho-cell-1-E6"][2] == "値10", "the role's mark is text, not colour alone"
    assert _role(cells, "D3") == "" and cells.cells["koho-cell-1-D3"][2] == "", "an empty cell is plain"
    # the cell's text is data: escaped, never markup
    assert _role(cells, "A17") == "note" and cells.cells["koho-cell-1-A17"][2] == f"注※{SCRIPT}"
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    # the open questions, above the grid, each cell a link to it; a question's cell is marked
    questions = page[page.index('class="koho-questions"'):page.index('<section class="koho-sheet"')]
    assert "方向:保育所待機児童数" in questions and "時点:KPI進捗" in questions
    assert '<a href="#koho-cell-1-C6">KPI進捗!C6</a>' in questions
    assert '<a href="#koho-cell-1-L2">KPI進捗!L2</a>' in questions
    assert "方向:放課後児童クラブ登録児童数" not in questions, "an answered question is not listed"
    assert "koho-asked" in cells.cells["koho-cell-1-C6"][0] and cells.cells["koho-cell-1-C6"][2].startswith("?値")
    assert "koho-asked" not in cells.cells["koho-cell-1-C7"][0]
    # the sheets not read say why; the legend names every role with its mark
    assert "このシートは読みません: 表紙のシートのため読みません" in page
    assert "シート「作業用」(非表示)" in page
    legend = page[page.index('class="koho-legend"'):page.index('class="koho-questions"')]
    for mark, name in (("見", "見出し"), ("値", "データ"), ("注", "注記"), ("階", "階層"), ("×", "読まない"), ("?", "質問")):
        assert re.search(rf'<span class="koho-mark">{re.escape(mark)}</span></span> {name}', legend), name


def test_saving_the_source_or_koho_toml_updates_the_tab(tmp_path: Path) -> None:
    project = imported_project(tmp_path)
    with serving(project) as server:
        token = server.state.token
        assert _tab(server)[1].cells["koho-cell-1-K7"][2] == "×101.1%"  # shown once: made again on a change only
        _save_workbook(project / SOURCE, lambda book: book["KPI進捗"].cell(row=7, column=11, value="99.9%"))
        changed = server.wait_for_change(token, timeout=WAIT)  # the source in data/2024/ is watched
        assert changed != token
        token = changed
        _, cells = _tab(server)
        assert cells.cells["koho-cell-1-K7"][2] == "×99.9%"

        config = project / "koho.toml"
        text = config.read_text(encoding="utf-8")
        before, question, after = text.partition('id = "方向:保育所待機児童数"')
        assert question and 'answer = ""' in after
        answered = before + question + after.replace('answer = ""', 'answer = "減少"', 1)
        config.write_text(answered, encoding="utf-8")
        assert server.wait_for_change(token, timeout=WAIT) != token
        page, cells = _tab(server)
        questions = page[page.index('class="koho-questions"'):page.index('<section class="koho-sheet"')]
        assert "方向:保育所待機児童数" not in questions and "方向:観光入込客数" in questions
        assert "koho-asked" not in cells.cells["koho-cell-1-C6"][0]


def test_a_long_sheet_is_cut_with_a_note_and_a_project_without_import_has_no_tab(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = imported_project(tmp_path)
    monkeypatch.setattr(source_view_module, "MAX_ROWS", 10)
    monkeypatch.setattr(source_view_module, "_cache", None)
    view = source_view(project)
    sheet = next(s for s in view.sheets if s.name == "KPI進捗")
    assert [number for number, _ in sheet.rows] == list(range(1, 11)) and sheet.rows_not_shown == 8
    # a question about a cell not shown is listed without a link
    asked = next(q for q in view.questions if q.id == "方向:特定健診受診率")
    assert asked.cells == (("KPI進捗!C15", None),)
    # a mapping in error: the cells shown without roles (none called 読まない), the problem said
    config = project / "koho.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('meaning = "単位"}', 'meaning = "たんい"}'), encoding="utf-8")
    broken = source_view(project)
    assert [p.value for p in broken.problems] == ["たんい"] and broken.questions == ()
    assert set(broken.counts().values()) == {0}
    assert any(cell.text == "保育所待機児童数" for _, cells in broken.sheets[1].rows for cell in cells)
    # a project without [import]: no view, no tab, and its address says why
    plain = new_project(tmp_path)
    assert source_view(plain) is None
    server = PreviewServer(plain, port=0)
    try:
        assert "取り込み元</a>" not in server.page("pages")
        assert "koho.toml には [import] の表がありません" in server.page("source")
    finally:
        server.stop()


def test_a_csv_source_is_one_grid_and_a_column_koho_cannot_place_is_asked(tmp_path: Path) -> None:
    project = tmp_path / "opendata"
    import_project(FIXTURE.with_name("opendata-kpi.csv"), project)
    view = source_view(project)
    assert [sheet.name for sheet in view.sheets] == ["opendata-kpi.csv"] and view.file == "data/opendata-kpi.csv"
    row = dict(view.sheets[0].rows)[1]
    assert {cell.role for cell in row if cell.text} == {"header"}
    # a code column is listed as not read (lexicon.not_read), not asked: its cells say so
    assert not [q for q in view.questions if "全国地方公共団体コード" in q.message]
    code = dict(view.sheets[0].rows)[2][0]
    assert (code.text, code.role) == ("999991", "dropped")
    asked = next(q for q in view.questions if q.id == "方向:創業件数")
    assert asked.cells == (("H2", "koho-cell-0-H2"),) and "answer を書いてください" not in asked.message
    shown = {cell.anchor: cell for _, cells in view.sheets[0].rows for cell in cells}
    assert shown["koho-cell-0-H2"].question and not shown["koho-cell-0-H3"].question, "H3 is answered"


def test_the_tab_in_a_browser_passes_axe_and_follows_the_source(browser, tmp_path: Path) -> None:  # noqa: ANN001
    from .test_web_browser import AXE, WCAG_21_AA

    project = imported_project(tmp_path)
    with serving(project) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(WAIT * 1000)
        try:
            page.goto(server.url + SOURCE_PATH.lstrip("/"))
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.get_by_role("heading", level=1).inner_text().startswith("取り込み元")
            page.get_by_role("link", name="KPI進捗!C6").click()
            assert page.evaluate("location.hash") == "#koho-cell-1-C6"
            screenshot = os.environ.get("KOHO_SOURCE_SCREENSHOT")
            if screenshot:  # for a person to look at: KOHO_SOURCE_SCREENSHOT=/tmp/source.png
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=screenshot, full_page=True)
            # saved in Excel, shown without a manual reload
            _save_workbook(project / SOURCE, lambda book: book["KPI進捗"].cell(row=7, column=11, value="99.9%"))
            page.locator("#koho-cell-1-K7", has_text="99.9%").wait_for()
            if not AXE.is_file():
                pytest.skip("axe-core is not installed: `make test` runs scripts/ensure-axe (needs npm)")
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                outcome = page.evaluate("""async tags => {
                    const outcome = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                    return {violations: outcome.violations, passes: outcome.passes.length};
                }""", WCAG_21_AA)
                problems = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in outcome["violations"]]
                assert problems == [], f"at {width}px"
                assert outcome["passes"] > 10, "axe ran its checks"
        finally:
            page.close()
