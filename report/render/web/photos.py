"""A photo for the web version: a few widths in WebP and JPEG, for `srcset`, named by the measure.

A phone 375 px wide fetches the 480 px file (the 1200 px one at three device pixels per CSS
pixel), a desktop's 36rem photo at twice its pixels the 1200 px one; a photo narrower than a
width is not enlarged to it (its own width is the largest). WebP for every browser since 2020, JPEG as the <img>'s fallback. The files carry no
metadata (EXIF, XMP, IPTC; the pixels are converted to sRGB from the photo's own ICC profile, so
a browser shows an Adobe RGB or Display P3 photo's colours without it) and are named from
the measure's id (photos/m-01-2-480.webp), never from the source file, whose name may say more
than the page should.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from PIL import Image

    from report.kinds import DocumentKind
    from report.load.model import Measure, Photo, Project

WEB_WIDTHS = (480, 800, 1200)  # px: a phone, a phone at 2x or a tablet, a desktop column at 2x
WEBP_QUALITY = 75  # WebP's own scale: 75 looks like a JPEG at 85, at two thirds of its bytes
WEB_JPEG_QUALITY = 80  # the fallback
PHOTOS_FOLDER = "photos"
# The photo's width on the page (styles/web.css: the page's gaps and the measure's left rule
# take 3rem on a phone; from 40em wide a photo is 36rem at most, an upright one 24rem).
SIZES = "(min-width: 40em) 36rem, calc(100vw - 3rem)"
PORTRAIT_SIZES = "(min-width: 40em) 24rem, calc(100vw - 3rem)"
FORMATS = (("webp", "image/webp"), ("jpg", "image/jpeg"))


@dataclass(frozen=True)
class WebImage:
    """One file of a photo: its path in the web folder, its pixels and bytes."""

    path: str
    width: int
    height: int
    mime: str
    data: bytes

    @property
    def url(self) -> str:
        """The path as a relative URL (percent-encoded: a measure id may be Japanese)."""
        return quote(self.path)


@dataclass(frozen=True)
class WebPhoto:
    """Every file of one photo, smallest first in each format."""

    files: tuple[WebImage, ...]

    def of(self, mime: str) -> list[WebImage]:
        return [file for file in self.files if file.mime == mime]

    def srcset(self, mime: str) -> str:
        """`srcset` for the files of one type: "photos/m-1-480.webp 480w, …"."""
        return ", ".join(f"{file.url} {file.width}w" for file in self.of(mime))

    @property
    def fallback(self) -> WebImage:
        """The <img>'s own src: the largest JPEG (its width and height are the <img>'s)."""
        return self.of("image/jpeg")[-1]


def widths_for(pixel_width: int, widths: tuple[int, ...] = WEB_WIDTHS) -> list[int]:
    """The widths a photo `pixel_width` wide is written at: those it fills, and its own width in
    place of the ones it would have to be enlarged to."""
    if pixel_width >= widths[-1]:
        return list(widths)
    return [width for width in widths if width < pixel_width] + [pixel_width]


def file_name(stem: str, width: int, extension: str) -> str:
    return f"{PHOTOS_FOLDER}/{stem}-{width}.{extension}"


KOHOS_PHOTO = re.compile(r"m-[A-Za-z0-9_-]+-[0-9]+\.(?:webp|jpg)")  # file_name(photo_stem(…), …): koho's, any build's


def _encoded(image: Image.Image, extension: str) -> bytes:
    buffer = io.BytesIO()
    if extension == "webp":
        image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, format="JPEG", quality=WEB_JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def web_photo(image: Image.Image, stem: str) -> WebPhoto:
    """The files of a photo (open_photo's image) named `photos/STEM-WIDTH.EXT`."""
    from PIL import Image

    from report.photos.encoding import in_srgb

    image = in_srgb(image).convert("RGB")
    files = []
    for extension, mime in FORMATS:
        for width in widths_for(image.width):
            height = max(1, round(image.height * width / image.width))
            scaled = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            scaled = scaled.copy()
            scaled.info.clear()  # no profile, no EXIF: nothing but pixels
            files.append(WebImage(file_name(stem, width, extension), width, height, mime, _encoded(scaled, extension)))
    return WebPhoto(tuple(files))


@dataclass(frozen=True)
class PagePhoto:
    """A measure's photo on the web page: its files, and whether the browser may wait to fetch it
    until it is scrolled near (every photo but the page's first, which may be on the first screen)."""

    photo: Photo
    files: WebPhoto
    lazy: bool

    @property
    def portrait(self) -> bool:
        return self.files.fallback.height > self.files.fallback.width

    @property
    def sizes(self) -> str:
        return PORTRAIT_SIZES if self.portrait else SIZES


def photo_stem(measure: Measure) -> str:
    """The name a measure's photo files start with: from its id (m-01-2), never its file's name."""
    from report.render.web.ids import html_id

    return "m-" + html_id(measure.id)


def shown_with_photos(project: Project, kind: DocumentKind) -> list[Measure]:
    """The measures the page shows that have a photo, in the page's order."""
    return [m for area in project.areas for m in area.measures if kind.shows(m) and m.photo is not None]


def photo_file_names(project: Project, kind: DocumentKind) -> list[str]:
    """Every photo file the web page of `kind` has, known before any is made (from the photos'
    sizes as the data check measured them)."""
    return [file_name(photo_stem(m), width, extension) for m in shown_with_photos(project, kind)
            for extension, _ in FORMATS for width in widths_for(m.photo.pixels[0])]


def page_photos(project: Project, kind: DocumentKind) -> dict[str, PagePhoto]:
    """Each shown measure's photo for the web page, by measure id."""
    measures = shown_with_photos(project, kind)
    return {m.id: PagePhoto(m.photo, _files(m.photo, photo_stem(m)), lazy=index > 0) for index, m in enumerate(measures)}


def _files(photo: Photo, stem: str) -> WebPhoto:
    stat = os.stat(photo.path)
    return _cached_files(photo.path, stat.st_size, stat.st_mtime_ns, photo.crop, stem)


@lru_cache(maxsize=16)
def _cached_files(path: Path, size: int, modified: int,  # noqa: ARG001 - the cache's key
                  crop: tuple[float, float] | None, stem: str) -> WebPhoto:
    """A photo's files, made once per process for a file as it is (a warm `koho serve`)."""
    from report.photos.source import open_photo

    return web_photo(open_photo(path, crop), stem)
