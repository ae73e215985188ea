"""A photo for the web version: a few widths in WebP and JPEG, for `srcset`, named by the measure.

A phone 375 px wide fetches the 480 px file, a desktop's reading column (48rem) at twice its
pixels the 1200 px one; a photo narrower than a width is not enlarged to it (its own width is the
largest). WebP for every browser since 2020, JPEG as the <img>'s fallback. The files carry no
metadata (EXIF, XMP, IPTC; the pixels are converted to sRGB from the photo's own ICC profile, so
a browser shows an Adobe RGB or Display P3 photo's colours without it) and are named from
the measure's id (photos/m-01-2-480.webp), never from the source file, whose name may say more
than the page should.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from PIL import Image

WEB_WIDTHS = (480, 800, 1200)  # px: a phone, a phone at 2x or a tablet, a desktop column at 2x
WEBP_QUALITY = 75  # WebP's own scale: 75 looks like a JPEG at 85, at two thirds of its bytes
WEB_JPEG_QUALITY = 80  # the fallback
PHOTOS_FOLDER = "photos"
# The photo's width on the page (styles/web.css: the reading column is 48rem inside 1rem gaps).
SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"
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
            files.append(WebImage(f"{PHOTOS_FOLDER}/{stem}-{width}.{extension}", width, height, mime,
                                  _encoded(scaled, extension)))
    return WebPhoto(tuple(files))
