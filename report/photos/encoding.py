"""Photos as the bytes a PDF embeds: resampled to the resolution the output needs at the size it
is placed, and encoded as JPEG with no metadata."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

from report.photos.source import MM_PER_INCH

JPEG_QUALITY = 85  # the one place the photos' JPEG quality is set: no visible blocks at 150–350 ppi
READER_PPI = 200  # the reader's PDF: sharp on paper from a home printer, small to send
PAPER = (255, 255, 255)


def resampled(image: Image.Image, placed_width_mm: float, ppi: float) -> Image.Image:
    """The picture at most `ppi` at `placed_width_mm` wide: downsampled (Lanczos) when it has more
    pixels, never upscaled. The colour profile travels with it."""
    wanted = max(1, round(placed_width_mm / MM_PER_INCH * ppi))
    if image.width <= wanted:
        return image
    height = max(1, round(image.height * wanted / image.width))
    smaller = image.resize((wanted, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if image.info.get("icc_profile"):
        smaller.info = {"icc_profile": image.info["icc_profile"]}
    return smaller


def on_paper(image: Image.Image) -> Image.Image:
    """A picture with transparency laid on white paper (print has none); others as they are."""
    if image.mode not in ("RGBA", "LA", "PA") and not (image.mode == "P" and "transparency" in image.info):
        return image
    rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", image.size, (*PAPER, 255)), rgba).convert("RGB")
    if image.info.get("icc_profile"):
        flat.info["icc_profile"] = image.info["icc_profile"]
    return flat


def in_srgb(image: Image.Image) -> Image.Image:
    """The picture in sRGB (or grey), converted from its own ICC profile when it has one, with no
    profile left: what a reader's PDF and a web page show."""
    image = on_paper(image)
    profile = image.info.get("icc_profile")
    if profile:
        mode = "CMYK" if image.mode == "CMYK" else "RGB"
        try:
            image = ImageCms.profileToProfile(image.convert(mode), ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                              ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            image = image.convert("RGB")  # a broken profile: the numbers as they are
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info = {}
    return image


def jpeg_bytes(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    """The picture as a baseline JPEG: no EXIF, XMP, comment or other block is written; the ICC
    profile only when the picture carries one (a print version's CMYK keeps the printer's)."""
    if image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    image.save(buffer, format="JPEG", quality=quality, optimize=True, **options)
    return buffer.getvalue()
