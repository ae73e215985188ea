"""The printer's version of a photo: its own colours converted to the printer's CMYK, no more
than PRINT_PPI at its placed size, as a CMYK JPEG.

- Colours: from the photo's embedded ICC profile (a camera's Adobe RGB, a phone's Display P3),
  sRGB when it has none or one LittleCMS cannot use, through the printer's output profile with
  the intent the rest of the print version uses (report.render.pdf.cmyk: perceptual). A CMYK photo
  without a profile is taken as already in the printer's colours. Transparency is flattened onto
  white paper.
- Resolution: downsampled (never upscaled) to PRINT_PPI at the width it is placed
  (report.photos.encoding.resampled): more pixels than a plate can print only make the file big.
- Bytes: report.photos.encoding.jpeg_bytes. Pillow writes a CMYK JPEG as Adobe does (an APP14
  marker, inverted channels), and WeasyPrint, seeing the marker, gives the image a Decode array
  that inverts it back, so every viewer and RIP shows the colours it was given.
- Where: the print layout's URL fetcher asks print_photo_response for a photo's URL
  (report.render.pdf.pdf), so the photo is made from its file, not from the reader's 200 ppi sRGB copy.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageCms
    from weasyprint.urls import URLFetcherResponse

PRINT_PPI = 350  # the most a 175-line screen can use (2 × its ruling): the print version's ceiling
PRINT_INTENT = 0  # ImageCms.Intent.PERCEPTUAL, as report.render.pdf.cmyk prints every other colour
_SPACES = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}  # an image's mode → its profile's colour space


def embedded_profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The photo's own ICC profile, when it has one LittleCMS reads and that fits its colours."""
    from PIL import ImageCms

    data = image.info.get("icc_profile")
    if not data:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return profile if profile.profile.xcolor_space == _SPACES.get(image.mode) else None


@lru_cache(maxsize=16)
def _transform(source: bytes | None, mode: str, printer: Path) -> ImageCms.ImageCmsTransform:
    """LittleCMS's transform from a source profile (its bytes; None: sRGB) to the printer's CMYK."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(io.BytesIO(source)) if source else ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(profile, ImageCms.getOpenProfile(str(printer)), mode, "CMYK",
                                   renderingIntent=PRINT_INTENT)


def _through(image: Image.Image, source: bytes | None, printer: Path) -> Image.Image:
    """The image converted from the profile `source` (None: sRGB, greys too) to the printer's CMYK."""
    if source is None:
        image = image.convert("RGB")
    return _transform(source, image.mode, printer.resolve()).apply(image)


def print_cmyk(image: Image.Image, printer: Path) -> Image.Image:
    """The photo in the printer's CMYK (see the module's docstring), metadata left behind."""
    from PIL import ImageCms

    from report.photos.encoding import on_paper

    image = on_paper(image)
    if image.mode not in _SPACES:
        image = image.convert("RGB")  # a palette: its colours are sRGB numbers
    profile = embedded_profile(image)
    if image.mode == "CMYK" and profile is None:
        converted = image.copy()
    else:
        try:
            converted = _through(image, image.info["icc_profile"] if profile is not None else None, printer)
        except ImageCms.PyCMSError:  # a profile LittleCMS reads but cannot convert from: taken as sRGB
            converted = _through(image, None, printer)
    converted.info = {}  # not even a broken profile goes on
    return converted


def print_photo(image: Image.Image, placed_width_mm: float, printer: Path | None) -> bytes:
    """The bytes the print version embeds for a photo (open_photo's image) placed
    `placed_width_mm` wide: at most PRINT_PPI, in the printer's CMYK when the project names its
    profile (without one, the print version has no CMYK: sRGB, like the reader's)."""
    from report.photos.encoding import in_srgb, jpeg_bytes, resampled

    image = resampled(image, placed_width_mm, PRINT_PPI)
    return jpeg_bytes(print_cmyk(image, printer) if printer is not None else in_srgb(image))


def print_jpeg(path: Path, width_mm: float, crop: tuple[float, float] | None, printer: Path | None) -> bytes:
    """print_photo of the photo file at `path` (cut around `crop`), made once per process for a
    file as it is (the copy-fit's layouts and a warm `koho serve` reuse it)."""
    stat = os.stat(path)
    return _print_jpeg(path, stat.st_size, stat.st_mtime_ns, width_mm, crop, printer)


@lru_cache(maxsize=32)
def _print_jpeg(path: Path, size: int, modified: int, width_mm: float,  # noqa: ARG001 - the cache's key
                crop: tuple[float, float] | None, printer: Path | None) -> bytes:
    from report.photos.source import open_photo

    return print_photo(open_photo(path, crop), width_mm, printer)


def print_photo_response(url: str, path: Path, printer: Path | None) -> URLFetcherResponse | None:
    """The print version's photo for a photo URL (its file `path` already confined by the
    fetcher), or None when the URL is not a photo's (report.photos.urls)."""
    from report.photos.fetch import ProcessedResponse
    from report.photos.urls import placed_size

    placed = placed_size(url)
    if placed is None:
        return None
    return ProcessedResponse(url, print_jpeg(path, *placed, printer), {"Content-Type": "image/jpeg"})
