"""The preview without rough edges: every tab has a main and an h1, the toolbar reflows at 320 px
and at 1280 px zoomed to 200% (labels never split or cut off, nothing scrolls sideways), many
errors scroll under a toolbar that stays, axe-core (WCAG 2.1 AA and best practice) finds nothing,
`koho serve` says what its first build is doing, and the ヘルプ tab shows the guide offline."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from report.commands import serve as serve_module
from report.commands.guide import GUIDE_INDEX, docs_folder, render_guide
from report.commands.progress import STAGES
from report.commands.serve import HELP_PATH, PreviewServer

from .accessibility import WIDTHS, ZOOMED, axe_source, axe_violations, focus_outlines, sideways
from .conftest import ROOT, new_project
from .serving import edit_workbook, get

INDEX = """# koho 利用の手引き

<!-- runnable -->
はじめに [データを書く](02-data.md)、列は [列の説明](02-data.md#実績のシート) を読みます。<script>alert(1)</script>

![プレビューの画面](../images/shot.png)

| 手順 | すること |
|---|---|
| 1 | `koho init mycity` |
"""
CHAPTER = """# 2 データを書く

## 実績のシート

実績値は数で書きます。[目次へ](index.md)
"""


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A docs folder as the repository has it: ja/ with the chapters, images/ beside it."""
    docs = tmp_path_factory.mktemp("docs")
    (docs / "ja").mkdir()
    (docs / "ja" / GUIDE_INDEX).write_text(INDEX, encoding="utf-8")
    (docs / "ja" / "02-data.md").write_text(CHAPTER, encoding="utf-8")
    (docs / "images").mkdir()
    shutil.copy(ROOT / "docs" / "images" / "preview.png", docs / "images" / "shot.png")
    return docs


def _started(project: Path, docs: Path | None) -> PreviewServer:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve_module, "docs_folder", lambda: docs)
        server = PreviewServer(project, port=0, settle=0.05)
    return server.start()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory, guide: Path) -> Iterator[PreviewServer]:
    """A running preview of a new project, with the guide above."""
    server = _started(new_project(tmp_path_factory.mktemp("preview") / "mycity"), guide)
    try:
        yield server
    finally:
        server.stop()


def _text(server: PreviewServer, path: str) -> tuple[int, str]:
    status, _, body = get(server, path)
    return status, body.decode("utf-8")


def test_the_guide_renders_offline_with_its_links_images_and_anchors(preview: PreviewServer) -> None:
    status, page = _text(preview, HELP_PATH)
    assert status == 200
    assert re.search(r'<a class="koho-tab koho-current" href="/_koho/docs/ja/" aria-current="page">ヘルプ</a>', page)
    main = page[page.index('<main class="koho-guide">'):page.index("</main>")]
    assert '<h1 id="koho-利用の手引き">koho 利用の手引き</h1>' in main
    assert '<a href="02-data.md">データを書く</a>' in main
    assert f'<a href="02-data.md#{quote("実績のシート")}">' in main  # the browser decodes it to the id below
    assert '<img src="../images/shot.png" alt="プレビューの画面"' in main
    assert "<table>" in main and "<code>koho init mycity</code>" in main
    assert "runnable" not in main, "the guide's marks for the tests are not shown"
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert f"<title>koho 利用の手引き | koho プレビュー: {preview.root.name}</title>" in page

    status, chapter = _text(preview, HELP_PATH + "02-data.md")  # where the link above goes
    assert status == 200 and '<h2 id="実績のシート">実績のシート</h2>' in chapter
    assert '<a href="index.md">目次へ</a>' in chapter
    assert _text(preview, HELP_PATH + GUIDE_INDEX)[1] == page  # the index's own name is the same page
    status, headers, image = get(preview, "/_koho/docs/images/shot.png")  # ../images/ from ja/
    assert status == 200 and headers["Content-Type"] == "image/png" and image.startswith(b"\x89PNG")


def test_the_help_tab_answers_a_missing_page_and_never_leaves_the_docs(preview: PreviewServer) -> None:
    status, page = _text(preview, HELP_PATH + "99-nothing.md")
    assert status == 404 and "このページは利用の手引きにありません" in page and "<h1>ヘルプ</h1>" in page
    for path in ("/_koho/docs/ja/%2e%2e/%2e%2e/koho.toml", "/_koho/docs/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/_koho/docs/ja/../../README.md"):
        status, page = _text(preview, path)
        assert status == 404 and "root:" not in page and "[project]" not in page, path


def test_without_the_guide_the_help_tab_says_so(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve_module, "docs_folder", lambda: None)
        server = PreviewServer(new_project(tmp_path / "p"), port=0)  # not built: the tab needs no build
    try:
        page = server.page("help", "ja/" + GUIDE_INDEX)
    finally:
        server.stop()
    assert "<main class=\"koho-empty\"><h1>ヘルプ</h1><p>利用の手引き(docs/ja)が見つかりません。" in page


@pytest.mark.parametrize("path", ["/", "/pdf", "/_koho/web/", "/_koho/source", HELP_PATH, HELP_PATH + "02-data.md"])
def test_every_tab_has_one_main_and_an_h1(preview: PreviewServer, path: str) -> None:
    status, page = _text(preview, path)
    assert status == 200
    assert len(re.findall(r"<main\b", page)) == 1, path
    assert re.search(r"<h1\b", page), path
    if path != "/_koho/web/":  # the web page's own h1 is in its header, above its main
        assert page.index("<main") < page.index("<h1"), "the h1 is inside the main"


def test_the_first_build_says_what_it_is_doing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="koho")
    server = _started(new_project(tmp_path / "mycity"), None)
    try:
        said = [record.getMessage() for record in caplog.records if record.name == "koho.serve"]
        server.rebuild()
        again = [record.getMessage() for record in caplog.records if record.name == "koho.serve"][len(said):]
    finally:
        server.stop()
    assert said[0] == f"{server.root.name} を作っています(最初の1回は時間がかかります) / first build"
    stages = [line.strip().rstrip("…") for line in said[1:] if line.startswith("  ")]
    assert stages == [name for name in STAGES.values() if name in stages] and {"読み込み", "組版"} <= set(stages)
    assert said.index(next(line for line in said if line.startswith("更新しました"))) > len(stages)
    assert not any("を作っています" in line or line.startswith("  ") for line in again), "only the first build"


def test_the_real_guide_renders_and_its_links_land() -> None:
    """Every chapter of docs/ja (when this checkout has the guide): an h1, and every relative link
    or picture names a file (and a heading) that exists."""
    docs = docs_folder()
    if docs is None:
        pytest.skip("this checkout has no docs/ja")
    for chapter in sorted((docs / "ja").glob("*.md")):
        page = render_guide(chapter.read_text(encoding="utf-8"))
        assert "<h1" in page.html, chapter.name
        for target in re.findall(r'(?:href|src)="([^":]+)"', page.html):
            file, _, anchor = unquote(target).partition("#")
            path = (chapter.parent / file).resolve() if file else chapter
            assert path.is_file() and path.is_relative_to(docs.resolve()), (chapter.name, target)
            if anchor and path.suffix == ".md":
                assert f'id="{anchor}"' in render_guide(path.read_text(encoding="utf-8")).html, (chapter.name, target)


TABS = {"pages": "/", "web": "/_koho/web/", "pdf": "/pdf", "help": HELP_PATH, "chapter": HELP_PATH + "02-data.md"}
TOOLBAR = """() => [...document.querySelectorAll('.koho-bar > *')].map(e => {
    const box = e.getBoundingClientRect(), line = parseFloat(getComputedStyle(e).lineHeight);
    return {text: e.textContent.trim().slice(0, 12), tab: e.classList.contains('koho-tab'),
            lines: Math.round(e.getClientRects().length && (box.height - parseFloat(getComputedStyle(e).paddingTop)
                   - parseFloat(getComputedStyle(e).paddingBottom) - parseFloat(getComputedStyle(e).borderBottomWidth)) / line),
            inside: box.left >= 0 && box.right <= document.documentElement.clientWidth + 0.5};
})"""


def _check_toolbar(page, where: str) -> None:  # noqa: ANN001 - playwright Page
    items = page.evaluate(TOOLBAR)
    assert [i["text"] for i in items if i["tab"]][:3] == ["ページ", "ウェブ版", "PDF"], where
    split = [i for i in items if (i["tab"] and i["lines"] != 1) or not i["inside"]]
    assert split == [], f"{where}: a label split over lines or cut off"
    assert sideways(page) == [], where


@pytest.mark.parametrize("tab", list(TABS))
def test_every_tab_passes_axe_and_reflows(browser, preview: PreviewServer, tab: str) -> None:  # noqa: ANN001
    source = axe_source()
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            page.goto(preview.url.rstrip("/") + TABS[tab])
            page.evaluate("document.fonts.ready.then(() => true)")
            _check_toolbar(page, f"{tab} at {width}px")
            assert axe_violations(page, source) == [], f"{tab} at {width}px"
        finally:
            context.close()
    context = browser.new_context(**ZOOMED)
    page = context.new_page()
    try:
        page.goto(preview.url.rstrip("/") + TABS[tab])
        page.evaluate("document.fonts.ready.then(() => true)")
        _check_toolbar(page, f"{tab} at 1280px zoomed to 200%")
    finally:
        context.close()


def test_the_toolbar_and_the_guide_show_focus_at_3_to_1(browser, preview: PreviewServer) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(preview.url.rstrip("/") + HELP_PATH)
        outlines = focus_outlines(page)
    finally:
        page.close()
    assert {"rgb(34, 34, 34)", "rgb(255, 255, 255)"} <= {o["background"] for o in outlines}  # the bar, the guide
    weak = [o for o in outlines if o["style"] != "solid" or o["width"] < 2 or o["ratio"] < 3]
    assert weak == [], weak


def _many_errors(book) -> None:  # noqa: ANN001 - an openpyxl Workbook
    sheet = book["実績"]
    first = [cell.value for cell in sheet[2]]
    for row in range(3, 43):
        sheet.append([*first[:1], f"指標{row}", first[2], "たくさん", *first[4:]])


def test_many_errors_scroll_on_their_own_under_the_toolbar(browser, tmp_path: Path) -> None:  # noqa: ANN001
    project = new_project(tmp_path / "mycity")
    edit_workbook(project, _many_errors)
    server = _started(project, None)
    try:
        assert server.state.failed and len(server.state.problems) >= 40
        source = axe_source()
        for width, height in ((1280, 800), (320, 640)):
            page = browser.new_page(viewport={"width": width, "height": height})
            try:
                page.goto(server.url)
                problems = page.locator(".koho-problems")
                assert page.evaluate("p => p.scrollHeight > p.clientHeight + 100", problems.element_handle())
                problems.evaluate("p => { p.scrollTop = p.scrollHeight; }")
                last = problems.get_by_text("42行目", exact=True)  # the last problem, reached in the list itself
                assert last.is_visible()
                bar = page.evaluate("document.querySelector('.koho-bar').getBoundingClientRect().top")
                assert bar == 0, f"the toolbar stays at the top at {width}px"
                main = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
                chrome = page.evaluate("document.querySelector('.koho-chrome').getBoundingClientRect().bottom")
                assert main >= chrome - 0.5, "the page starts below the toolbar and the problems"
                assert axe_violations(page, source) == [], f"failed build at {width}px"
            finally:
                page.close()
    finally:
        server.stop()


def test_the_source_tab_of_an_imported_project_passes_axe_and_reflows(browser, tmp_path: Path) -> None:  # noqa: ANN001
    from report.commands.serve import SOURCE_PATH

    from .test_ingest_serve import imported_project

    server = _started(imported_project(tmp_path), None)
    source = axe_source()
    try:
        for context in [{"viewport": {"width": width, "height": 800}} for width in WIDTHS] + [ZOOMED]:
            opened = browser.new_context(**context)
            page = opened.new_page()
            try:
                page.goto(server.url.rstrip("/") + SOURCE_PATH)
                page.evaluate("document.fonts.ready.then(() => true)")
                where = f"取り込み元 at {context}"
                assert [i["text"] for i in page.evaluate(TOOLBAR) if i["tab"]][3] == "取り込み元", where
                _check_toolbar(page, where)
                assert axe_violations(page, source) == [], where
            finally:
                opened.close()
    finally:
        server.stop()


def _one_error(book) -> None:  # noqa: ANN001 - an openpyxl Workbook
    book["実績"].cell(row=2, column=4).value = "たくさん"


def test_a_failed_build_reloads_the_page_at_its_top(browser, tmp_path: Path) -> None:  # noqa: ANN001
    """Saving a mistake reloads the preview with the problems under the toolbar: the page keeps the
    reader's scroll position (the top), and its first line shows below the problems. The browser's
    scroll anchoring moved it down by the problems' height when they pushed the page down after the
    reload (scrollY 135), the page's top hidden under them."""
    project = new_project(tmp_path / "mycity")
    server = _started(project, None)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.goto(server.url)
            assert page.evaluate("window.scrollY") == 0
            with page.expect_event("load", timeout=60_000):
                edit_workbook(project, _one_error)
            page.locator(".koho-problems").wait_for()
            page.wait_for_timeout(300)  # the toolbar measured again (ResizeObserver), the page moved down
            assert page.evaluate("window.scrollY") == 0
            main = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
            chrome = page.evaluate("document.querySelector('.koho-chrome').getBoundingClientRect().bottom")
            assert main >= chrome - 0.5, "the page's top shows below the toolbar and the problems"
        finally:
            page.close()
    finally:
        server.stop()
