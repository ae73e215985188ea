"""How far two pictures differ: the share of pixels whose colour moved noticeably."""

from __future__ import annotations

from pathlib import Path

NOTICEABLE = 48  # a channel that moves by more than this (of 255) is a changed pixel, not palette noise


def changed_share(first: Path, second: Path) -> float:
    """The share (0–1) of pixels where any colour channel differs by more than NOTICEABLE; 1.0 when
    the sizes differ."""
    from PIL import Image, ImageChops

    with Image.open(first) as a, Image.open(second) as b:
        if a.size != b.size:
            return 1.0
        difference = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    marks = [band.point(lambda level: 255 if level > NOTICEABLE else 0) for band in difference.split()]
    mask = ImageChops.lighter(ImageChops.lighter(marks[0], marks[1]), marks[2])
    return mask.histogram()[255] / (mask.width * mask.height)
