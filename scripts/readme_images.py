"""Make the README's pictures from the repository's own code: the sample's PDF pages, its web
version at phone width, and the live preview of a new project in headless chromium (normal, and
showing a data error).

    .venv/bin/python scripts/readme_images.py        # writes docs/images/*.png

Pages are rendered with pypdfium2 at 80 dpi; the web version and the preview need playwright and
Debian's chromium (`make test` installs both).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report.commands.build import build  # noqa: E402
from report.commands.init import create_project  # noqa: E402

IMAGES = ROOT / "docs" / "images"
DPI = 80
COLOURS = 64  # a small palette keeps the PNGs small; the pages use few colours
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _save_small(image, path: Path) -> None:  # noqa: ANN001 - a PIL image
    image.convert("RGB").quantize(COLOURS).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def sample_pages(work: Path) -> None:
    """docs/images/sample-page-N.png: every page of the sample newsletter."""
    import pypdfium2

    result = build(ROOT / "data", output=work / "sample.pdf")
    document = pypdfium2.PdfDocument(result.pdf)
    try:
        for number, page in enumerate(document, start=1):
            _save_small(page.render(scale=DPI / 72).to_pil(), IMAGES / f"sample-page-{number}.png")
    finally:
        document.close()


def _chromium() -> str | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium: skipping the browser pictures")
    return chromium


def web_phone(work: Path) -> None:
    """docs/images/web-phone-1.png and -2.png: the sample's web version on a 375 px wide phone,
    at the top and at a figure (chart and table)."""
    from io import BytesIO

    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        return
    result = build(ROOT / "data", output=work / "web" / "index.html", kind="web")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
        page.goto(result.web.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        _save_small(Image.open(BytesIO(page.screenshot())), IMAGES / "web-phone-1.png")
        page.locator("figure").last.evaluate("figure => figure.closest('li').scrollIntoView()")
        _save_small(Image.open(BytesIO(page.screenshot())), IMAGES / "web-phone-2.png")
        browser.close()


def preview(work: Path) -> None:
    """docs/images/preview.png and preview-error.png: `koho serve` on a fresh `koho init` project."""
    from io import BytesIO

    from openpyxl import load_workbook
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from report.commands.serve import PreviewServer

    chromium = _chromium()
    if chromium is None:
        return
    project = work / "mycity"
    create_project(project)
    book_path = project / "data" / "manifesto.xlsx"
    with PreviewServer(project, port=0) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 640})
        page.goto(server.url)
        page.get_by_role("img", name="1ページ").wait_for()
        page.wait_for_function("[...document.images].every(image => image.complete)")
        _save_small(Image.open(BytesIO(page.screenshot())), IMAGES / "preview.png")
        book = load_workbook(book_path)
        book["実績"]["D2"] = "たくさん"
        book.save(book_path)
        page.locator(".koho-failed").wait_for(timeout=60_000)
        _save_small(Image.open(BytesIO(page.screenshot())), IMAGES / "preview-error.png")
        browser.close()


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        sample_pages(Path(work))
        web_phone(Path(work))
        preview(Path(work))


if __name__ == "__main__":
    main()
