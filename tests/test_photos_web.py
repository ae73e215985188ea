"""Photos in the web version: a few widths in WebP and JPEG, never enlarged, in sRGB, with nothing
of the source file (EXIF, GPS, XMP, IPTC, its name) in what the page serves."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image, ImageCms

from report.commands.build import BuildResult, build
from report.render.web.photos import PHOTOS_FOLDER, WEB_WIDTHS, web_photo, widths_for

from .camera_photos import camera_jpeg, camera_photo, photographed_project, secret_byte_strings

ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")


def test_widths_are_never_enlarged() -> None:
    assert widths_for(4000) == list(WEB_WIDTHS)
    assert widths_for(1000) == [480, 800, 1000]
    assert widths_for(300) == [300]


def test_a_camera_photo_becomes_small_files_of_every_width() -> None:
    photo = web_photo(camera_photo(1), "m-01")
    webp, jpeg = photo.of("image/webp"), photo.of("image/jpeg")
    assert [f.width for f in webp] == [f.width for f in jpeg] == list(WEB_WIDTHS)
    for file in photo.files:
        decoded = Image.open(io.BytesIO(file.data))
        assert decoded.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[file.mime]
        assert decoded.size == (file.width, file.height)
        assert file.height == round(file.width * 3 / 4)
        assert file.path == f"photos/m-01-{file.width}.{'webp' if file.mime == 'image/webp' else 'jpg'}"
    assert all(len(w.data) < len(j.data) for w, j in zip(webp, jpeg, strict=True))  # WebP is smaller
    assert len(webp[0].data) < 60_000  # what a phone fetches: a 3.7 MB camera file cut down
    assert photo.srcset("image/webp") == "photos/m-01-480.webp 480w, photos/m-01-800.webp 800w, photos/m-01-1200.webp 1200w"
    assert photo.fallback.width == 1200 and photo.fallback.mime == "image/jpeg"


def test_nothing_of_the_source_file_reaches_the_web_files() -> None:
    source = camera_jpeg(3, (1600, 1200), secrets=True)
    assert all(secret in source for secret in secret_byte_strings()[:-2])  # the photo does carry them
    image = Image.open(io.BytesIO(source))
    photo = web_photo(image, "m-3")
    for file in photo.files:
        assert not any(secret in file.data for secret in secret_byte_strings()), file.path
        decoded = Image.open(io.BytesIO(file.data))
        assert not decoded.getexif() and "xmp" not in decoded.info and "icc_profile" not in decoded.info


def test_a_photo_in_adobe_rgb_is_shown_in_srgb() -> None:
    if not ADOBE_RGB.is_file():
        pytest.skip(f"no {ADOBE_RGB} (scripts/ensure-icc installs libgs-common)")
    green = Image.new("RGB", (600, 400), (30, 160, 60))
    adobe = ImageCms.profileToProfile(green, ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(ADOBE_RGB)),
                                      outputMode="RGB")
    adobe.info["icc_profile"] = ADOBE_RGB.read_bytes()
    shown = Image.open(io.BytesIO(web_photo(adobe, "m").of("image/webp")[0].data)).convert("RGB").getpixel((300, 200))
    assert all(abs(a - b) <= 4 for a, b in zip(shown, (30, 160, 60), strict=True)), shown


# --- the web version of a project with four camera photos (the second one 装飾) --------------------

PHONE = 375
PAGE_BUDGET = 1_500_000  # bytes a phone fetches for the whole page, the four photos scrolled through


class Tags(HTMLParser):
    """Every start tag with its attributes and the tags it is inside; each photo caption's text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[str, dict, tuple[tuple[str, dict], ...]]] = []
        self.captions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value if value is not None else "" for name, value in attrs}
        self.found.append((tag, attributes, tuple(self.stack)))
        if attributes.get("class") == "photo-caption":
            self.captions.append("")
        if tag not in ("img", "source", "meta", "link", "br", "input"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(a.get("class") == "photo-caption" for _, a in self.stack):
            self.captions[-1] += data

    def photos(self) -> list[tuple[dict, dict, dict]]:
        """Each photo's <img>, its <source> and its box (figure or div)."""
        images = [(attrs, parents) for tag, attrs, parents in self.found if tag == "img" and attrs.get("srcset")]
        sources = [attrs for tag, attrs, _ in self.found if tag == "source"]
        return [(image, source, next(a | {"tag": t} for t, a in reversed(parents) if "photo" in a.get("class", "")))
                for (image, parents), source in zip(images, sources, strict=True)]


@pytest.fixture(scope="module")
def camera_web(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("camera-web")
    project = photographed_project(folder, count=4, secrets=True, decorative=2)
    return build(project, kind="web", output=folder / "web" / "index.html")


def page_tags(result: BuildResult) -> Tags:
    tags = Tags()
    tags.feed(result.web.read_text(encoding="utf-8"))
    return tags


def test_each_photo_is_a_figure_with_alt_text_caption_sizes_and_srcset(camera_web: BuildResult) -> None:
    photos = page_tags(camera_web).photos()
    assert len(photos) == 4
    for index, (image, source, box) in enumerate(photos, start=1):
        assert source["type"] == "image/webp" and source["sizes"] == image["sizes"]
        assert [part.split()[1] for part in source["srcset"].split(", ")] == ["480w", "800w", "1200w"]
        assert image["src"].endswith("-1200.jpg") and ".jpg 480w" in image["srcset"]
        assert (image["width"], image["height"]) == ("1200", "900")  # no layout shift: the box is known
        assert ("loading" in image) == (index > 1)  # the first may be on the first screen
        if index == 2:  # 装飾: no figure, an empty alt (axe: presentational)
            assert box["tag"] == "div" and image["alt"] == ""
        else:
            assert box["tag"] == "figure" and image["alt"] == f"丘と建物の風景{index}"
    captions = page_tags(camera_web).captions
    assert [c.split() for c in captions] == [[f"写真{i}の説明", "広報課"] for i in range(1, 5)]


def test_every_photo_file_is_in_the_folder_at_its_size(camera_web: BuildResult) -> None:
    folder = camera_web.web.parent
    html = camera_web.web.read_text(encoding="utf-8")
    for image, source, _ in page_tags(camera_web).photos():
        for srcset in (image["srcset"], source["srcset"]):
            for part in srcset.split(", "):
                url, width = part.split()
                with Image.open(folder / url) as picture:
                    assert picture.width == int(width.rstrip("w")) and picture.format in ("WEBP", "JPEG")
        with Image.open(folder / image["src"]) as fallback:
            assert fallback.size == (int(image["width"]), int(image["height"]))
    files = sorted(path.name for path in (folder / PHOTOS_FOLDER).iterdir())
    assert len(files) == 4 * 2 * 3 and all(name.startswith("m-") for name in files)
    assert "camera" not in html and not any("camera" in name for name in files)  # never the source's name


def test_no_metadata_of_the_photos_reaches_the_web_folder_or_the_chart_cache(camera_web: BuildResult,
                                                                             chart_cache: Path) -> None:
    source = (camera_web.project.files.root / "photos" / "camera1.jpg").read_bytes()
    assert all(secret in source for secret in secret_byte_strings()[:-2])
    for folder in (camera_web.web.parent, chart_cache):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not [s for s in secret_byte_strings() if s in data], path


def photo_bytes_fetched(browser, result: BuildResult, scale: float) -> tuple[int, list[str]]:  # noqa: ANN001
    """The bytes a phone 375 px wide at `scale` device pixels per CSS pixel fetches for the whole
    page, scrolled to its end so every lazy photo loads; and the photo files it chose."""
    page = browser.new_page(viewport={"width": PHONE, "height": 800}, device_scale_factor=scale)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(result.web.as_uri())
        images = page.locator("img")
        for index in range(images.count()):  # scrolled to each: a lazy photo loads when it is near
            images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        chosen = page.evaluate("[...document.images].map(i => i.currentSrc.split('/').pop())")
    finally:
        page.close()
    paths = {Path(unquote(urlsplit(url).path)) for url in requested if url.startswith("file:")}
    return sum(path.stat().st_size for path in paths if path.is_file()), chosen


@pytest.mark.parametrize("scale", [1, 3])
def test_the_page_with_four_camera_photos_stays_light_on_a_phone(browser, camera_web: BuildResult,  # noqa: ANN001
                                                                 scale: float) -> None:
    fetched, chosen = photo_bytes_fetched(browser, camera_web, scale)
    expected = "480" if scale == 1 else "1200"  # 327 CSS px of photo: 327 or 981 device pixels
    assert len(chosen) == 4 and all(name.endswith(f"-{expected}.webp") for name in chosen), chosen
    assert fetched < PAGE_BUDGET, fetched
    print(f"375 px at {scale}x: {fetched} bytes fetched")


def test_the_page_with_photos_passes_axe(browser, camera_web: BuildResult) -> None:  # noqa: ANN001
    from .test_web_browser import DESKTOP, assert_no_violation, open_page

    axe = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.skip("axe-core is not installed: `make test` runs scripts/ensure-axe (needs npm)")
    for width in (PHONE, DESKTOP):
        page, _ = open_page(browser, camera_web, width)
        try:
            assert_no_violation(page, axe.read_text(encoding="utf-8"), f"photos at {width}px")
        finally:
            page.close()


def test_photos_of_an_earlier_build_leave_with_it(tmp_path: Path) -> None:
    web = tmp_path / "web"
    with_photo = photographed_project(tmp_path / "one", count=1, size=(1600, 1200))
    build(with_photo, kind="web", output=web / "index.html")
    assert sorted(p.name for p in (web / PHOTOS_FOLDER).iterdir())[0] == "m-01-1-1200.jpg"
    (web / "city-banner.png").write_bytes(b"the city's own file")
    without = photographed_project(tmp_path / "none", count=0)
    build(without, kind="web", output=web / "index.html")
    assert not (web / PHOTOS_FOLDER).exists()  # koho's photos folder: replaced whole, here by nothing
    assert (web / "city-banner.png").read_bytes() == b"the city's own file"  # what koho did not write stays


def test_a_city_s_own_files_in_the_photos_folder_stay(tmp_path: Path) -> None:
    """photos/ holds koho's files (m-<id>-<width>.webp/.jpg) and whatever the city put there itself:
    a rebuild, with or without photos, replaces koho's and keeps the city's (docs/ja/08-web.md)."""
    web = tmp_path / "web"
    build(photographed_project(tmp_path / "one", count=1, size=(1600, 1200)), kind="web", output=web / "index.html")
    (web / PHOTOS_FOLDER / "city-banner.jpg").write_bytes(b"the city's own photo")
    (web / PHOTOS_FOLDER / "m-01-1-1200.jpg").write_bytes(b"an old photo of koho's")
    build(photographed_project(tmp_path / "again", count=1, size=(1600, 1200)), kind="web", output=web / "index.html")
    assert (web / PHOTOS_FOLDER / "city-banner.jpg").read_bytes() == b"the city's own photo"
    assert (web / PHOTOS_FOLDER / "m-01-1-1200.jpg").read_bytes().startswith(b"\xff\xd8")  # koho's, made again
    build(photographed_project(tmp_path / "none", count=0), kind="web", output=web / "index.html")
    assert sorted(p.name for p in (web / PHOTOS_FOLDER).iterdir()) == ["city-banner.jpg"]


def test_the_standalone_html_carries_the_processed_photos_not_the_files(tmp_path: Path) -> None:
    """`--html` is one self-contained file: each photo is the reader's processed JPEG as a data: URI
    (as the charts are), never a file:// link that names the sender's folders and would load the
    original, GPS and all."""
    import base64
    import re

    project = photographed_project(tmp_path / "p", count=1, secrets=True, size=(1600, 1200))
    build(project, output=tmp_path / "n.pdf", html_output=tmp_path / "n.html")
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "koho-photo" not in page and str(project) not in page
    photos = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', page)
    assert len(photos) == 1
    data = base64.b64decode(photos[0])
    assert Image.open(io.BytesIO(data)).width < 1600  # processed: resampled to its placed size
    assert not any(secret in data for secret in secret_byte_strings()) and b"Exif" not in data
