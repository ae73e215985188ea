"""The preview (report/commands/preview/static/preview.js) keeps the reader's place when a new build
reloads the page and when the reader reloads it (F5). preview.js restores the scroll position itself
(the browser's own restoration is off, see test_ux_preview.py's failed build), so it saves the place
whenever the page is left and sets it again while the pages' pictures, loaded after it, make the page
grow. (With the restoration off and the place set once, before the pictures, both reloads landed at
the top.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .conftest import new_project
from .serving import edit_workbook
from .test_ux_preview import _started

DOWN = 300  # px scrolled before the reload


@contextmanager
def _scrolled_down(browser, project: Path) -> Iterator:  # noqa: ANN001 - playwright Browser, Page
    """The project's preview open in a short window, scrolled DOWN px."""
    server = _started(project, None)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 400})
        try:
            page.goto(server.url)
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollHeight") > 400 + DOWN  # the page scrolls
            page.evaluate(f"window.scrollTo(0, {DOWN})")
            page.wait_for_function(f"window.scrollY === {DOWN}")
            yield page
        finally:
            page.close()
    finally:
        server.stop()


def _new_value(book) -> None:  # noqa: ANN001 - an openpyxl Workbook
    book["実績"].cell(row=2, column=4).value = 1234


def test_a_new_build_reloads_the_preview_at_the_same_place(browser, tmp_path: Path) -> None:  # noqa: ANN001
    """Saving the workbook with a new value: the preview reloads where the reader was."""
    project = new_project(tmp_path / "mycity")
    with _scrolled_down(browser, project) as page:
        with page.expect_event("load", timeout=60_000):
            edit_workbook(project, _new_value)
        page.wait_for_timeout(300)
        assert abs(page.evaluate("window.scrollY") - DOWN) <= 1


def test_reloading_the_preview_keeps_the_scroll_position(browser, tmp_path: Path) -> None:  # noqa: ANN001
    """The reader's own reload (F5) keeps the place too."""
    with _scrolled_down(browser, new_project(tmp_path / "mycity")) as page:
        page.reload()
        page.wait_for_timeout(300)
        assert abs(page.evaluate("window.scrollY") - DOWN) <= 1
