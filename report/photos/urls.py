"""The URL a template gives a measure's photo: its file's URL with the placed width and focus
point, which report.photos.fetch reads back to process the photo for that size."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

PHOTO_PARAMETER = "koho-photo"
FOCUS_PARAMETER = "focus"


def photo_url(path: Path, width_mm: float, crop: tuple[float, float] | None) -> str:
    """The URL a template gives a photo placed `width_mm` wide (cut around `crop` when given)."""
    query = {PHOTO_PARAMETER: f"{width_mm:g}"}
    if crop is not None:
        query[FOCUS_PARAMETER] = f"{crop[0]:g},{crop[1]:g}"
    return f"{path.as_uri()}?{urlencode(query)}"


def placed_size(url: str) -> tuple[float, tuple[float, float] | None] | None:
    """A photo URL's placed width (mm) and focus point; None for any other URL."""
    query = parse_qs(urlsplit(url).query)
    try:
        width = float(query[PHOTO_PARAMETER][0])
        focus = query.get(FOCUS_PARAMETER)
        crop = tuple(float(part) for part in focus[0].split(",")) if focus else None
    except (KeyError, ValueError, IndexError):
        return None
    if not 0 < width < 10_000 or (crop is not None and len(crop) != 2):
        return None
    return width, crop  # type: ignore[return-value]
