"""koho serve in a real browser (Debian's chromium driven by Playwright): the pages and the web
version load, an edit to the workbook shows up without a manual reload, and a data error shows on
the page."""

from __future__ import annotations

from pathlib import Path

from .serving import edit_workbook, running_server

WAIT_MS = 60_000  # an upper bound for one rebuild and reload, not a timing expectation


def _set_cell(sheet: str, row: int, column: int, value: object):  # noqa: ANN202 - a workbook edit
    return lambda book: book[sheet].cell(row=row, column=column, value=value)


def test_the_preview_follows_the_workbook(browser, tmp_path: Path) -> None:  # noqa: ANN001 - playwright Browser
    with running_server(tmp_path) as server:
        page = browser.new_page()
        page.set_default_timeout(WAIT_MS)
        try:
            page.goto(server.url)
            picture = page.get_by_role("img", name="1ページ")
            picture.wait_for()
            assert page.evaluate("img => img.complete && img.naturalWidth > 1000", picture.element_handle())
            page.get_by_role("link", name="ウェブ版", exact=True).click()
            assert page.locator(".area-title").first.inner_text() == "子育て支援"
            assert page.locator(".koho-bar").is_visible()
            assert page.evaluate("[...document.fonts].every(f => f.status !== 'error')")
            loaded = page.evaluate("performance.timeOrigin")

            edit_workbook(server.root, _set_cell("分野", 2, 2, "子育て・教育"))
            page.locator(".area-title", has_text="子育て・教育").wait_for()
            assert page.evaluate("performance.timeOrigin") != loaded, "the page reloaded by itself"

            edit_workbook(server.root, _set_cell("実績", 2, 4, "たくさん"))
            problem = page.locator(".koho-failed")
            problem.wait_for()
            row = problem.locator("tbody tr").first
            assert row.locator(".koho-file").inner_text() == "manifesto.xlsx"
            assert row.locator(".koho-sheet").inner_text() == "実績"
            assert row.locator(".koho-row").inner_text() == "2行目"
            assert row.locator(".koho-column").inner_text() == "「実績値」(value)"
            assert row.locator(".koho-value").inner_text() == "たくさん"
            assert page.locator(".area-title").first.inner_text() == "子育て・教育", "last good document kept"
            page.screenshot(path=str(tmp_path / "error.png"))

            edit_workbook(server.root, _set_cell("実績", 2, 4, 25))
            problem.wait_for(state="detached")
            assert "25" in page.locator(".key-value").first.inner_text()

            page.get_by_role("link", name="PDF", exact=True).click()
            page.locator("iframe.koho-pdf").wait_for()
            response = page.request.get(server.url + "newsletter.pdf")
            assert response.ok and response.body().startswith(b"%PDF-")
        finally:
            page.close()
