"""Helpers for the live-preview tests: a running server on a fresh project, HTTP, workbook edits."""

from __future__ import annotations

import http.client
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import load_workbook

from report.commands.serve import PreviewServer

from .conftest import new_project


@contextmanager
def running_server(destination: Path) -> Iterator[PreviewServer]:
    """A started preview of a fresh project; always stopped afterwards."""
    server = PreviewServer(new_project(destination), port=0, settle=0.05)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET a raw path (not normalised by any client) from the server."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{server.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def edit_workbook(project: Path, change: Callable) -> None:  # change(book) edits an openpyxl Workbook
    """Change the project's workbook and save it all at once, as Excel and LibreOffice do: written
    to a temporary file beside it, under a name that is no workbook (koho reads no table from it,
    and the preview's watcher ignores it), then renamed over it."""
    path = project / "data" / "manifesto.xlsx"
    book = load_workbook(path)
    change(book)
    handle, temporary = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
    os.close(handle)
    book.save(temporary)
    os.replace(temporary, path)
