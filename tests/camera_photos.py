"""Photos as a city's camera gives them, made in code for the photo tests (nothing downloaded).

A 12-megapixel camera's JPEG is big because of its sensor's noise, not its subject: a smooth
drawing of the same size compresses twenty times smaller and would hide what the photo code
must shrink. So each photo is a simple landscape (sky, sun, hills, a building, trees) drawn
small, enlarged to the camera's size and given per-pixel noise like a sensor's at ISO 400, then
saved at a camera's JPEG quality. Deterministic: the same seed gives the same bytes.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, TiffImagePlugin

CAMERA_SIZE = (4000, 3000)  # 12 megapixels, 4:3
CAMERA_QUALITY = 92
NOISE_SIGMA = 8.0  # per channel, in 8-bit levels
_DRAWN_SCALE = 8  # drawn at 1/8 of the size, then enlarged (soft edges, as a lens gives)


def _landscape(seed: int, size: tuple[int, int]) -> Image.Image:
    """A small, smooth landscape: its hues and shapes from the seed."""
    rng = np.random.default_rng(seed)
    width, height = size[0] // _DRAWN_SCALE, size[1] // _DRAWN_SCALE
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    top, bottom = rng.integers(60, 140, 3), rng.integers(170, 240, 3)
    sky = (top[None, None, :] * (1 - rows[..., None]) + bottom[None, None, :] * rows[..., None])
    image = Image.fromarray(np.broadcast_to(sky, (height, width, 3)).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    sun = (int(rng.integers(width // 5, width * 4 // 5)), int(rng.integers(height // 10, height // 3)))
    radius = int(rng.integers(height // 20, height // 10))
    draw.ellipse((sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius), fill=(255, 236, 180))
    for layer in range(3):  # hills, nearer ones darker and lower
        base = height * (0.55 + 0.12 * layer)
        phase, wave = rng.uniform(0, 6.3), rng.uniform(1.5, 4)
        edge = [(x, base + height * 0.06 * np.sin(phase + wave * x / width * np.pi)) for x in range(0, width + 8, 8)]
        green = (int(rng.integers(40, 90)) - 10 * layer, int(rng.integers(110, 160)) - 25 * layer, int(rng.integers(40, 80)))
        draw.polygon([*edge, (width, height), (0, height)], fill=green)
    left = int(rng.integers(width // 8, width // 2))
    draw.rectangle((left, int(height * 0.45), left + width // 5, int(height * 0.8)), fill=(214, 208, 196))
    for floor in range(3):  # windows
        for column in range(4):
            x, y = left + 8 + column * (width // 22), int(height * 0.5) + floor * (height // 14)
            draw.rectangle((x, y, x + width // 40, y + height // 30), fill=(70, 90, 120))
    for _ in range(int(rng.integers(5, 12))):  # trees
        x, y, r = int(rng.integers(0, width)), int(rng.uniform(0.7, 0.9) * height), int(rng.integers(6, 18))
        draw.ellipse((x - r, y - 2 * r, x + r, y), fill=(30, int(rng.integers(80, 120)), 40))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def camera_photo(seed: int, size: tuple[int, int] = CAMERA_SIZE) -> Image.Image:
    """A photo of `size` pixels (4000×3000 by default) with a sensor's noise."""
    drawn = _landscape(seed, size).resize(size, Image.Resampling.BICUBIC)
    rng = np.random.default_rng(seed + 1000)
    channels = []
    for channel in drawn.split():  # one channel at a time: 12 MP of float32 is 48 MB
        noisy = np.asarray(channel, dtype=np.float32) + rng.standard_normal(channel.size[::-1], dtype=np.float32) * NOISE_SIGMA
        channels.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "L"))
    return Image.merge("RGB", channels)


# What a phone writes about its owner and where the photo was taken: none may reach an output.
SECRET_LATITUDE = (35, 39, 29.1537)  # 35°39'29.1537"N, as rationals 35/1 39/1 291537/10000
SECRET_DATUM = "KOHOGPSDATUM"  # the GPS IFD's map datum: text that must not reach an output either
SECRET_SERIAL = "KOHOSERIAL8675309"
SECRET_OWNER = "KOHOOWNER Yamada Hanako"
SECRET_XMP = "KOHOXMPSECRET"
SECRET_IPTC = "KOHOIPTCSECRET"
SECRETS = (SECRET_SERIAL, SECRET_OWNER, SECRET_XMP, SECRET_IPTC, SECRET_DATUM)


def secret_byte_strings() -> list[bytes]:
    """Every byte string of the secrets: the texts, and the latitude's seconds as a TIFF rational in
    either byte order (how EXIF stores it)."""
    seconds = (291537, 10000)
    return [text.encode("ascii") for text in SECRETS] + [struct.pack("<II", *seconds), struct.pack(">II", *seconds)]


def _fraction(value: float) -> tuple[int, int]:
    return (round(value * 10000), 10000) if value != int(value) else (int(value), 1)


def _exif_with_secrets() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "KohoCam"  # Make
    exif[0x013B] = SECRET_OWNER  # Artist
    exif[0x0112] = 1  # Orientation
    private = exif.get_ifd(0x8769)  # Exif IFD
    private[0xA430] = SECRET_OWNER  # CameraOwnerName
    private[0xA431] = SECRET_SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", tuple(TiffImagePlugin.IFDRational(*_fraction(v)) for v in SECRET_LATITUDE)
    gps[3], gps[4] = "E", (TiffImagePlugin.IFDRational(139, 1), TiffImagePlugin.IFDRational(42, 1),
                           TiffImagePlugin.IFDRational(4242, 100))
    gps[0x0012] = SECRET_DATUM
    return exif


def _with_iptc(jpeg: bytes) -> bytes:
    """The JPEG with an IPTC record (Photoshop APP13) naming its byline, after the SOI marker."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(SECRET_IPTC)) + SECRET_IPTC.encode("ascii")  # 2:80 By-line
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def camera_jpeg(seed: int, size: tuple[int, int] = CAMERA_SIZE, secrets: bool = False) -> bytes:
    """The photo as its camera's JPEG; with `secrets`, carrying GPS tags, the camera's serial number
    and its owner's name (EXIF), an XMP packet and an IPTC record."""
    buffer = io.BytesIO()
    options: dict = {"quality": CAMERA_QUALITY}
    if secrets:
        options["exif"] = _exif_with_secrets()
        options["xmp"] = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{SECRET_XMP}</dc:creator>'
                          "</x:xmpmeta>").encode("utf-8")
    camera_photo(seed, size).save(buffer, format="JPEG", **options)
    return _with_iptc(buffer.getvalue()) if secrets else buffer.getvalue()


def write_camera_photos(folder: Path, count: int = 4, size: tuple[int, int] = CAMERA_SIZE) -> list[Path]:
    """`count` camera photos written into `folder` as photo1.jpg …; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(1, count + 1):
        path = folder / f"photo{seed}.jpg"
        path.write_bytes(camera_jpeg(seed, size))
        paths.append(path)
    return paths


PHOTO_COLUMNS = ("写真", "写真説明", "代替テキスト", "撮影・提供")


def photographed_project(destination: Path, count: int = 4, secrets: bool = False,
                         size: tuple[int, int] = CAMERA_SIZE, decorative: int | None = None) -> Path:
    """A copy of the sample whose first `count` featured measures each have a camera photo (the
    first one with `secrets`, when asked; the `decorative`-th marked 装飾, without alt text) and
    no other measure has one."""
    import csv

    from .conftest import copy_project

    project = copy_project(destination)
    table = project / "measures.csv"
    with table.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    featured = [row for row in rows if row.get("掲載", "").strip() in ("1", "true", "TRUE", "○")][:count]
    assert len(featured) == count, "the sample has fewer featured measures than photos asked for"
    for row in rows:
        row.update(dict.fromkeys((*PHOTO_COLUMNS, "装飾"), ""))
    for seed, row in enumerate(featured, start=1):
        name = f"photos/camera{seed}.jpg"
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_bytes(camera_jpeg(seed, size, secrets=secrets and seed == 1))
        row.update(zip(PHOTO_COLUMNS, (name, f"写真{seed}の説明", f"丘と建物の風景{seed}", "広報課"), strict=True))
        if seed == decorative:
            row.update({"代替テキスト": "", "装飾": "○"})
    with table.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return project
