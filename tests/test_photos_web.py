"""Photos in the web version: a few widths in WebP and JPEG, never enlarged, in sRGB, with nothing
of the source file (EXIF, GPS, XMP, IPTC, its name) in what the page serves."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from report.photos.web import WEB_WIDTHS, web_photo, widths_for

from .camera_photos import camera_jpeg, camera_photo, secret_byte_strings

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
