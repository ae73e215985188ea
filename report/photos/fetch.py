"""Photos reach WeasyPrint through koho's URL fetcher as processed bytes, never as their files.

A template's `<img src>` for a photo is the file's URL with what the fetcher needs to process it
(`?koho-photo=WIDTH_MM&focus=X,Y`): report.render.typeset.fetcher serves it as `photo_response`, the
picture upright, cut, stripped of metadata, resampled to the output's resolution at that width
and encoded as JPEG. The response has no file path, so WeasyPrint never reads the file itself.
Processed photos are kept for the process (a warm `koho serve` and the copy-fit's layouts reuse
them), keyed by the file's size and modification time.
"""

from __future__ import annotations

import base64
import html
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcherResponse

from report.photos.encoding import READER_PPI, in_srgb, jpeg_bytes, resampled
from report.photos.source import open_photo
from report.photos.urls import placed_size


class ProcessedResponse(URLFetcherResponse):
    """A response made in memory: no `path`, so WeasyPrint does not read the file again."""

    path = None


def reader_jpeg(path: Path, width_mm: float, crop: tuple[float, float] | None, ppi: float = READER_PPI) -> bytes:
    """The reader's photo: sRGB, at most `ppi` at `width_mm`, JPEG without metadata."""
    stat = os.stat(path)
    return _reader_jpeg(path, stat.st_size, stat.st_mtime_ns, width_mm, crop, ppi)


@lru_cache(maxsize=32)
def _reader_jpeg(path: Path, size: int, modified: int, width_mm: float,  # noqa: ARG001 - the cache's key
                 crop: tuple[float, float] | None, ppi: float) -> bytes:
    return jpeg_bytes(in_srgb(resampled(open_photo(path, crop), width_mm, ppi)))


def photo_response(url: str, path: Path) -> URLFetcherResponse | None:
    """The processed photo for a photo URL (its file `path` already confined by the fetcher),
    or None when the URL is not a photo's."""
    placed = placed_size(url)
    if placed is None:
        return None
    return ProcessedResponse(url, reader_jpeg(path, *placed), {"Content-Type": "image/jpeg"})


PHOTO_SRC = re.compile(r'src="(file://[^"]*?[?&](?:amp;)?koho-photo=[^"]*)"')


def with_embedded_photos(page: str) -> str:
    """The standalone HTML (`--html`) with each photo's URL (a local file's, which a browser would
    load whole, metadata and all, and which names the sender's folders) replaced by the reader's
    processed JPEG as a data: URI, as the charts are."""
    def embedded(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        placed = placed_size(url)
        if placed is None:
            return match.group(0)
        data = reader_jpeg(Path(url2pathname(urlsplit(url).path)), *placed)
        return f'src="data:image/jpeg;base64,{base64.b64encode(data).decode("ascii")}"'

    return PHOTO_SRC.sub(embedded, page)
