"""Draw the sample project's three photos: simple illustrations, not pictures of real places or
people, made by this script so the repository holds no downloaded image.

    .venv/bin/python scripts/make_sample_photos.py     # writes data/photos/*.jpg

- center-opening.jpg (landscape): the opening ceremony of a support centre, a ribbon before its door;
- kusanone-taiwa.jpg (landscape): a 草の根対話 meeting in a community hall;
- tokusanhin.jpg (portrait): a stall of local products (特産品) under a striped awning.

Each is drawn with Pillow, given a camera's grain (seeded noise, so every run writes the same
bytes with the same Pillow) and a slight blur, and saved as JPEG without metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "data" / "photos"
QUALITY = 78
GRAIN = 4.0  # standard deviation of the sensor noise, in 8-bit levels
Colour = tuple[int, int, int]


def vertical_gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A picture fading from `top` to `bottom`."""
    width, height = size
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    pixels = np.array(top)[None, None, :] * (1 - ramp) + np.array(bottom)[None, None, :] * ramp
    return Image.fromarray(np.repeat(pixels, width, axis=1).astype(np.uint8), "RGB")


def person(draw: ImageDraw.ImageDraw, x: float, foot: float, height: float, clothes: Colour,
           skin: Colour = (226, 188, 160), hair: Colour = (40, 32, 30), seated: bool = False) -> None:
    """A simple standing (or seated, seen from behind) figure whose feet are at (x, foot)."""
    head = height * 0.13
    shoulders = height * 0.26
    top = foot - height
    draw.ellipse([x - head / 2, top, x + head / 2, top + head * 1.15], fill=skin)
    draw.chord([x - head / 2, top - head * 0.05, x + head / 2, top + head * (1.15 if seated else 0.7)],
               180, 360, fill=hair)
    body_top = top + head * 1.1
    body_bottom = foot if seated else foot - height * 0.42
    draw.rounded_rectangle([x - shoulders / 2, body_top, x + shoulders / 2, body_bottom], radius=head * 0.35, fill=clothes)
    if not seated:
        legs = tuple(max(0, c - 35) for c in clothes)
        draw.rectangle([x - shoulders * 0.38, body_bottom, x - shoulders * 0.05, foot], fill=legs)
        draw.rectangle([x + shoulders * 0.05, body_bottom, x + shoulders * 0.38, foot], fill=legs)


def centre_opening(rng: np.random.Generator) -> Image.Image:
    """A new centre's opening: the building, a red and white ribbon, guests with scissors."""
    size = (2400, 1600)
    image = vertical_gradient(size, (120, 176, 230), (214, 232, 246))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 820), (500, 620), (900, 760), (1400, 580), (1900, 720), (2400, 640), (2400, 1000), (0, 1000)],
                 fill=(92, 142, 96))
    draw.rectangle([0, 980, 2400, 1600], fill=(168, 166, 160))  # the forecourt
    for y in range(1000, 1600, 60):
        draw.line([(0, y), (2400, y + 20)], fill=(150, 148, 142), width=3)
    draw.rectangle([420, 520, 1980, 1040], fill=(236, 228, 210))  # the wall
    draw.polygon([(360, 540), (1200, 330), (2040, 540)], fill=(88, 70, 62))  # the roof
    for x in range(520, 1900, 230):  # windows
        if 1020 < x < 1380:
            continue
        draw.rectangle([x, 620, x + 150, 780], fill=(150, 190, 214), outline=(120, 110, 100), width=8)
    draw.rectangle([1040, 640, 1360, 1040], fill=(96, 128, 150), outline=(80, 80, 80), width=10)  # the door
    draw.rectangle([940, 560, 1460, 615], fill=(250, 250, 244), outline=(60, 120, 80), width=6)  # the sign board
    for x in range(980, 1430, 55):
        draw.rectangle([x, 575, x + 32, 600], fill=(60, 120, 80))
    for x, colour in ((380, (230, 120, 60)), (2020, (230, 120, 60))):  # potted plants
        draw.rectangle([x - 50, 940, x + 50, 1040], fill=(150, 100, 70))
        draw.ellipse([x - 110, 780, x + 110, 960], fill=(60, 130, 70))
        draw.ellipse([x - 40, 820, x + 10, 870], fill=colour)
    guests = [(560, (40, 44, 60)), (780, (60, 60, 70)), (1000, (30, 36, 50)), (1400, (70, 50, 60)),
              (1620, (40, 44, 60)), (1840, (90, 90, 100))]
    for x, clothes in guests:
        person(draw, x, 1420, 560, clothes)
        draw.rounded_rectangle([x - 18, 1080, x + 18, 1120], radius=6, fill=(250, 250, 250))  # a rosette
    ribbon = 1130
    for x in range(470, 1960, 60):  # red and white, the ceremony's ribbon
        draw.rectangle([x, ribbon, x + 30, ribbon + 34], fill=(214, 36, 48))
        draw.rectangle([x + 30, ribbon, x + 60, ribbon + 34], fill=(250, 246, 246))
    for x in (890, 1510):  # bows
        draw.ellipse([x - 70, ribbon - 40, x + 70, ribbon + 80], fill=(214, 36, 48))
    return image


def grassroots_meeting(rng: np.random.Generator) -> Image.Image:
    """A 草の根対話 evening in a community hall: residents at tables, the mayor at the front."""
    size = (2400, 1600)
    image = vertical_gradient(size, (230, 222, 200), (214, 204, 180))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 980, 2400, 1600], fill=(170, 124, 78))  # the wooden floor
    for x in range(-1200, 2400, 110):
        draw.line([(1200 + (x - 1200) * 0.35, 980), (x, 1600)], fill=(150, 106, 66), width=4)
    for x in (200, 1900):  # windows with the evening outside
        window = vertical_gradient((300, 380), (70, 90, 150), (230, 150, 90))
        image.paste(window, (x, 360))
        draw.rectangle([x, 360, x + 300, 740], outline=(120, 100, 80), width=12)
        draw.line([(x + 150, 360), (x + 150, 740)], fill=(120, 100, 80), width=8)
    draw.rectangle([720, 140, 1680, 250], fill=(252, 250, 244), outline=(190, 40, 40), width=10)  # the banner
    for x in range(780, 1620, 70):
        draw.rectangle([x, 175, x + 44, 215], fill=(60, 60, 60))
    draw.rectangle([860, 420, 1540, 860], fill=(246, 248, 250), outline=(140, 140, 150), width=10)  # whiteboard
    for y in range(480, 820, 60):
        length = 300 + int(rng.integers(0, 300))
        draw.line([(900, y), (900 + length, y)], fill=(40, 80, 160), width=10)
    person(draw, 1680, 1040, 640, (50, 56, 80))  # the mayor, standing
    draw.line([(1700, 640), (1740, 560)], fill=(30, 30, 30), width=12)  # a microphone
    draw.rectangle([260, 1080, 1500, 1140], fill=(214, 190, 150))  # a long table, seen from behind
    residents = [(330, (160, 70, 60)), (520, (80, 110, 150)), (710, (120, 120, 90)), (900, (90, 90, 100)),
                 (1090, (150, 110, 140)), (1280, (70, 120, 90)), (1470, (180, 140, 80))]
    for x, clothes in residents:
        person(draw, x, 1300, 300, clothes, seated=True)
    front = [(200, (110, 80, 70)), (520, (60, 90, 130)), (860, (140, 60, 60)), (1200, (90, 100, 80)),
             (1560, (120, 100, 140)), (1900, (80, 80, 90)), (2220, (150, 120, 90))]
    for x, clothes in front:
        person(draw, x, 1600, 440, clothes, seated=True)
    return image


def local_products(rng: np.random.Generator) -> Image.Image:
    """A stall of 特産品 under a striped awning: sweet potatoes, citrus and bottles (portrait)."""
    size = (1600, 2400)
    image = vertical_gradient(size, (110, 170, 228), (200, 226, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 1500, 1600, 2400], fill=(176, 170, 156))  # the square
    for index, x in enumerate(range(0, 1600, 160)):  # the awning
        colour = (200, 40, 50) if index % 2 == 0 else (250, 246, 240)
        draw.polygon([(x, 300), (x + 160, 300), (x + 160, 560), (x + 80, 620), (x, 560)], fill=colour)
    draw.rectangle([0, 260, 1600, 310], fill=(120, 40, 40))
    draw.rectangle([120, 620, 160, 1900], fill=(110, 80, 60))  # poles
    draw.rectangle([1440, 620, 1480, 1900], fill=(110, 80, 60))
    person(draw, 800, 1500, 760, (40, 90, 140))  # the grower behind the stall
    draw.rectangle([560, 900, 1040, 1000], fill=(250, 250, 240), outline=(40, 90, 140), width=6)  # a name board
    draw.rectangle([80, 1380, 1520, 1900], fill=(150, 110, 70))  # the table front
    draw.rectangle([60, 1340, 1540, 1400], fill=(196, 160, 110))
    for crate, (left, colour, shape) in enumerate(((140, (150, 50, 90), "potato"), (600, (240, 150, 30), "citrus"),
                                                   (1060, (70, 40, 20), "bottle"))):
        draw.rectangle([left, 1160, left + 400, 1360], fill=(186, 140, 90), outline=(120, 90, 60), width=8)
        for _ in range(26 if shape != "bottle" else 6):
            if shape == "bottle":
                x = left + 40 + _ * 62
                draw.rounded_rectangle([x, 1010, x + 46, 1340], radius=14, fill=colour)
                draw.rectangle([x + 14, 960, x + 32, 1020], fill=colour)
                draw.rectangle([x + 4, 1140, x + 42, 1230], fill=(240, 230, 200))  # the label
                continue
            x = left + 40 + float(rng.uniform(0, 320))
            y = 1120 + float(rng.uniform(0, 110))
            w = float(rng.uniform(70, 110)) if shape == "potato" else 70
            h = w * (0.55 if shape == "potato" else 1.0)
            shade = tuple(int(c * float(rng.uniform(0.85, 1.1))) for c in colour)
            draw.ellipse([x, y, x + w, y + h], fill=shade)
    for x, clothes in ((260, (200, 120, 60)), (1340, (70, 70, 80))):  # shoppers in front
        person(draw, x, 2380, 820, clothes)
    return image


def with_grain(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The drawing as a camera would record it: softened edges and seeded sensor noise."""
    soft = np.asarray(image.filter(ImageFilter.GaussianBlur(1.6)), dtype=np.float32)
    shade = rng.normal(0.0, GRAIN, soft.shape[:2])[:, :, None]  # luminance noise, like a sensor's
    colour = rng.normal(0.0, GRAIN / 2, soft.shape)
    return Image.fromarray(np.clip(soft + shade + colour, 0, 255).astype(np.uint8), "RGB")


PHOTOS_DRAWN: dict[str, tuple[Callable[[np.random.Generator], Image.Image], int]] = {
    "center-opening.jpg": (centre_opening, 1),
    "kusanone-taiwa.jpg": (grassroots_meeting, 2),
    "tokusanhin.jpg": (local_products, 3),
}


def main() -> None:
    PHOTOS.mkdir(parents=True, exist_ok=True)
    for name, (draw, seed) in PHOTOS_DRAWN.items():
        rng = np.random.default_rng(seed)
        path = PHOTOS / name
        with_grain(draw(rng), rng).save(path, "JPEG", quality=QUALITY, optimize=True)
        print(f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
