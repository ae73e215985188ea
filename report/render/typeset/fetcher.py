"""The only way WeasyPrint may read anything: files under allowed folders and data: URLs.

Every other scheme (http, https, ftp, …), every path outside the allowed folders (including
through `..` or a symbolic link) is refused, so that no data file can make koho read or fetch
anything else.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

from report.paths import inside
from report.photos.fetch import photo_response


class RefusedURL(ValueError):
    """A URL koho will not let the renderer read."""


class ProjectURLFetcher(URLFetcher):
    """Serve `file:` URLs under the allowed roots and `data:` URLs; refuse everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=1)
        self.roots = [Path(os.path.realpath(root)) for root in roots]
        self.refused: list[str] = []
        self.opened: list[Path] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            self.refused.append(url)
            raise RefusedURL(f"koho does not fetch {scheme or 'relative'} URLs: {url}")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            self.refused.append(url)
            raise RefusedURL(f"koho does not read remote files: {url}")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not inside(path, self.roots) or not path.is_file():
            self.refused.append(url)
            raise RefusedURL(f"koho reads only files in the project and its own assets: {url}")
        self.opened.append(path)
        photo = self.photo(url, path)  # a measure's photo: processed, never the file's bytes
        if photo is not None:
            return photo
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": mime or "application/octet-stream"})

    def photo(self, url: str, path: Path) -> URLFetcherResponse | None:
        """A photo URL's processed picture (the reader's, report.photos.fetch), or None."""
        return photo_response(url, path)
