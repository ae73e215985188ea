"""A project's photo as koho uses it: upright (EXIF orientation), cut where トリミング says, and
stripped of every metadata block (EXIF with its GPS position and camera serial, XMP, IPTC,
comments) — only the colour profile, which says what its colours are, is kept."""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps

MM_PER_INCH = 25.4
CROP_ASPECT = 3 / 2  # トリミング cuts a photo to this landscape frame (width / height)
ORIENTATION_TAG = 0x0112  # EXIF Orientation; 5–8 turn the picture a quarter
QUARTER_TURNS = {5, 6, 7, 8}


def crop_box(size: tuple[int, int], focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The CROP_ASPECT frame of a picture of `size` keeping `focus` (0–1 across, 0–1 down) in
    view, as near its centre as the picture's edges allow."""
    width, height = size
    if width / height > CROP_ASPECT:
        cut, across = round(height * CROP_ASPECT), True
    else:
        cut, across = round(width / CROP_ASPECT), False
    length = width if across else height
    point = focus[0] if across else focus[1]
    start = min(max(round(point * length - cut / 2), 0), length - cut)
    return (start, 0, start + cut, height) if across else (0, start, width, start + cut)


def upright_size(size: tuple[int, int], orientation: int | None) -> tuple[int, int]:
    """A picture's size once its EXIF orientation is applied."""
    return (size[1], size[0]) if orientation in QUARTER_TURNS else size


def printed_size(size: tuple[int, int], orientation: int | None, crop: tuple[float, float] | None) -> tuple[int, int]:
    """A stored picture's width and height as koho prints it: upright, then cut."""
    upright = upright_size(size, orientation)
    if crop is None:
        return upright
    left, top, right, bottom = crop_box(upright, crop)
    return right - left, bottom - top


def without_metadata(image: Image.Image) -> Image.Image:
    """The pixels alone, with the colour profile: a new image, so no EXIF, XMP, IPTC or comment
    block of the original (in `info` or Pillow's cached EXIF) can be written with it."""
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    clean.paste(image)
    profile = image.info.get("icc_profile")
    if profile:
        clean.info["icc_profile"] = profile
    if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
        clean.info["transparency"] = image.info["transparency"]
    return clean


@contextlib.contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """Pillow's image of `data`, without its decompression-bomb warning printed on the console
    (koho sets its own limit, check.MAX_PIXELS, and says it at the cell)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            yield image


def open_photo(path: Path, crop: tuple[float, float] | None = None) -> Image.Image:
    """The photo at `path` upright, cut to CROP_ASPECT around the focus point `crop` when given,
    with no metadata but its ICC profile (image.info["icc_profile"], when it has one). The file is
    only read."""
    with opened(Path(path).read_bytes()) as stored:
        stored.load()
        upright = ImageOps.exif_transpose(stored)
    if crop is not None:
        upright = upright.crop(crop_box(upright.size, crop))
    return without_metadata(eight_bit(upright))


def eight_bit(image: Image.Image) -> Image.Image:
    """A 16- or 32-bit greyscale picture (a scanner's PNG, Pillow's modes I;16 and I) as 8-bit grey:
    Pillow's own conversion to RGB clips every value above 255, printing the photo almost white."""
    if image.mode not in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        return image
    import numpy

    values = numpy.asarray(image, dtype=numpy.uint32)
    top = 65535 if image.mode.startswith("I;16") or values.max(initial=0) > 255 else 255
    scaled = Image.fromarray((values * 255 // top).astype(numpy.uint8), mode="L")
    if "icc_profile" in image.info:
        scaled.info["icc_profile"] = image.info["icc_profile"]
    return scaled


def effective_ppi(pixel_width: int, placed_width_mm: float) -> float:
    """The resolution a picture `pixel_width` wide prints at when placed `placed_width_mm` wide."""
    return pixel_width / (placed_width_mm / MM_PER_INCH)
