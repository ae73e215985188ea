"""Make the pictures of the README and the guide (docs/ja/) from the repository's own code: the
sample's PDF pages (newsletter, handout, archive, the printer's version), its web version at phone
width, and the live preview in headless chromium (a new project, the same showing a data error,
and the 取り込み元 tab of an imported workbook).

    .venv/bin/python scripts/readme_images.py              # writes docs/images/*.png
    .venv/bin/python scripts/readme_images.py --out DIR    # writes them into DIR instead

Pages are rendered with pypdfium2 at 80 dpi; the web version and the preview need playwright and
Debian's chromium (`make test` installs both). tests/test_docs_images.py makes them again into a
temporary folder and fails when they no longer match the committed ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report.commands.build import build  # noqa: E402
from report.commands.init import create_project  # noqa: E402

IMAGES = ROOT / "docs" / "images"
SAMPLE = ROOT / "data"
IMPORT_EXAMPLE = ROOT / "tests" / "fixtures" / "import" / "seika-shihyo.xlsx"
DPI = 80
BUILD_TIME = "1709251200"  # SOURCE_DATE_EPOCH: 2024-03-01, so the archive's cover date is the same every run
MEETING = {"meeting": "令和6年第1回定例会 総務委員会", "date": "令和6年3月1日"}
COLOURS = 64  # a small palette keeps the PNGs small; the pages use few colours
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _save_small(image, path: Path) -> Path:  # noqa: ANN001 - a PIL image
    image.convert("RGB").quantize(COLOURS).save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")
    return path


def _pdf_pages(pdf: Path, images: Path, name: str, pages: int | None = None) -> list[Path]:
    """NAME-N.png for the first `pages` pages of a PDF (all when None), at DPI."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document) if pages is None else min(pages, len(document))
        return [_save_small(document[index].render(scale=DPI / 72).to_pil(), images / f"{name}-{index + 1}.png")
                for index in range(count)]
    finally:
        document.close()


def sample_pages(work: Path, images: Path) -> list[Path]:
    """sample-page-N.png: every page of the sample newsletter."""
    return _pdf_pages(build(SAMPLE, output=work / "sample.pdf").pdf, images, "sample-page")


def document_pages(work: Path, images: Path) -> list[Path]:
    """The guide's pictures of the other documents: the handout's first page, the archive's cover
    and contents, and the printer's version of the newsletter's first page (bleed and トンボ)."""
    handout = build(SAMPLE, output=work / "handout.pdf", kind="handout", **MEETING).pdf
    archive = build(SAMPLE, output=work / "archive.pdf", kind="archive").pdf
    printed = build(SAMPLE, output=work / "print.pdf", print_ready=True).pdf
    return (_pdf_pages(handout, images, "handout-page", 1) + _pdf_pages(archive, images, "archive-page", 2)
            + _pdf_pages(printed, images, "print-page", 1))


def _chromium() -> str | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium: skipping the browser pictures")
    return chromium


def web_phone(work: Path, images: Path) -> list[Path]:
    """web-phone-1.png and -2.png: the sample's web version on a 375 px wide phone, at the top and
    at a figure (chart and table)."""
    from io import BytesIO

    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        return []
    result = build(SAMPLE, output=work / "web" / "index.html", kind="web")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
        page.goto(result.web.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        written = [_save_small(Image.open(BytesIO(page.screenshot())), images / "web-phone-1.png")]
        page.locator("figure").last.evaluate("figure => figure.closest('li').scrollIntoView()")
        written.append(_save_small(Image.open(BytesIO(page.screenshot())), images / "web-phone-2.png"))
        browser.close()
    return written


def preview(work: Path, images: Path) -> list[Path]:
    """preview.png and preview-error.png: `koho serve` on a fresh `koho init` project."""
    from io import BytesIO

    from openpyxl import load_workbook
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from report.commands.serve import PreviewServer

    chromium = _chromium()
    if chromium is None:
        return []
    project = work / "mycity"
    create_project(project)
    book_path = project / "data" / "manifesto.xlsx"
    with PreviewServer(project, port=0) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 640})
        page.goto(server.url)
        page.get_by_role("img", name="1ページ").wait_for()
        page.wait_for_function("[...document.images].every(image => image.complete)")
        written = [_save_small(Image.open(BytesIO(page.screenshot())), images / "preview.png")]
        book = load_workbook(book_path)
        book["実績"]["D2"] = "たくさん"
        book.save(book_path)
        page.locator(".koho-failed").wait_for(timeout=60_000)
        page.wait_for_function("[...document.images].every(image => image.complete)")
        # The page reloads once or twice while the save is seen, each reload keeping the scroll
        # position of the last: the picture shows the problems with the page from its top, as a
        # reader who opens the preview then sees them, whatever the number of reloads.
        page.evaluate("window.scrollTo(0, 0)")
        written.append(_save_small(Image.open(BytesIO(page.screenshot())), images / "preview-error.png"))
        browser.close()
    return written


def import_source(work: Path, images: Path) -> list[Path]:
    """preview-source.png: the 取り込み元 tab of `koho serve` on a project imported from the
    invented 成果指標 workbook of tests/fixtures/import/."""
    from io import BytesIO

    from PIL import Image
    from playwright.sync_api import sync_playwright

    from report.commands.import_ import import_project
    from report.commands.serve import PreviewServer

    chromium = _chromium()
    if chromium is None:
        return []
    source = work / "成果指標.xlsx"
    shutil.copyfile(IMPORT_EXAMPLE, source)
    project = work / "city2"
    import_project(source, project)
    with PreviewServer(project, port=0) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 640})
        page.goto(server.url)
        page.get_by_role("img", name="1ページ").wait_for()
        page.get_by_role("link", name="取り込み元").click()
        page.wait_for_load_state("load")
        page.get_by_role("heading", name="取り込み元: data/成果指標.xlsx").wait_for()
        written = [_save_small(Image.open(BytesIO(page.screenshot())), images / "preview-source.png")]
        browser.close()
    return written


def make_images(images: Path) -> list[Path]:
    """Every picture, written into `images`; returns the files written."""
    images.mkdir(parents=True, exist_ok=True)
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_TIME
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        return (sample_pages(work, images) + document_pages(work, images) + web_phone(work, images)
                + preview(work, images) + import_source(work, images))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="the folder to write into (default: docs/images)")
    make_images(parser.parse_args().out)


if __name__ == "__main__":
    main()
