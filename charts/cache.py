"""A content-hash cache of drawn charts, so a rebuild with unchanged data skips matplotlib."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .spec import ChartSpec

# Starting a worker costs about a second (it imports matplotlib and loads the fonts); one chart
# takes well under 0.1 s. Below this many missing charts, drawing in-process is faster.
PARALLEL_MIN = 24
SUFFIX = ".chart"  # an entry: the SVG's SHA-256 on the first line, then the SVG


def cache_dir() -> Path:
    """KOHO_CACHE_DIR, or the user's cache directory (never the project folder)."""
    if override := os.environ.get("KOHO_CACHE_DIR"):
        return Path(override) / "charts"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("koho")) / "charts"


def store(path: Path, data: bytes) -> None:
    """Write a cache entry atomically: its SHA-256 on the first line, then the data (read it with
    load(), which checks it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path) -> bytes | None:
    """A cache entry's data if it is whole (its hash matches), else None: a damaged (truncated,
    emptied, altered) or missing entry is made again."""
    try:
        digest, _, data = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest().encode("ascii") == digest else None


def _draw(spec: ChartSpec, font_dir: Path) -> bytes:
    from .draw import render

    return render(spec, font_dir, "svg")


def _text(data: bytes | None) -> str | None:
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def _cached(specs: list[ChartSpec], folder: Path) -> tuple[dict[str, str], list[tuple[str, ChartSpec]]]:
    """The charts found in the cache by key, and the (key, spec) pairs still to draw."""
    results: dict[str, str] = {}
    missing: dict[str, ChartSpec] = {}
    for spec in specs:
        key = spec.key()
        svg = _text(load(folder / f"{key}{SUFFIX}"))
        if svg is None:
            missing[key] = spec
        else:
            results[key] = svg
    return results, list(missing.items())


def _stored(folder: Path, todo: list[tuple[str, ChartSpec]], drawn: list[bytes]) -> dict[str, str]:
    """Keep what was drawn in the cache; the SVG text by key."""
    results = {}
    for (key, _), data in zip(todo, drawn):
        try:
            store(folder / f"{key}{SUFFIX}", data)
        except OSError:
            pass  # an unwritable cache only costs time
        results[key] = data.decode("utf-8")
    return results


def svgs(specs: list[ChartSpec], font_dir: Path, jobs: int = 1,
         meanwhile: Callable[[], object] | None = None) -> dict[str, str]:
    """SVG text for every spec, by spec key: from the cache, drawing (in parallel) only misses.

    `meanwhile` (a cold process's next step, such as importing the renderer) runs while worker
    processes draw: when there are many charts, or when matplotlib is not yet imported here and a
    second core can import it and draw while this process goes on.
    """
    folder = cache_dir()
    results, todo = _cached(specs, folder)
    if not todo:
        return results
    parallel = jobs > 1 and len(todo) >= PARALLEL_MIN
    if parallel or (meanwhile is not None and jobs > 1 and "matplotlib" not in sys.modules):
        with ProcessPoolExecutor(max_workers=jobs if parallel else 1) as pool:
            pending = pool.map(_draw, [s for _, s in todo], [font_dir] * len(todo))
            if meanwhile is not None:
                meanwhile()
            drawn = list(pending)
    else:
        drawn = [_draw(spec, font_dir) for _, spec in todo]
    return {**results, **_stored(folder, todo, drawn)}


class Drawing:
    """Charts being drawn in worker processes while the caller goes on (see `start_drawing`)."""

    def __init__(self, found: dict[str, str], todo: list[tuple[str, ChartSpec]], font_dir: Path,
                 jobs: int) -> None:
        self.found = found  # the charts at hand now (from the cache), by key
        self.missing = {key: spec for key, spec in todo}  # the charts being drawn
        self._todo, self._folder = todo, cache_dir()
        self._pool = ProcessPoolExecutor(max_workers=jobs) if todo else None
        self._pending = (self._pool.map(_draw, [s for _, s in todo], [font_dir] * len(todo))
                         if self._pool else iter(()))
        self._all: dict[str, str] | None = None if todo else dict(found)

    def result(self) -> dict[str, str]:
        """Every chart by key, once the missing ones are drawn (and kept in the cache)."""
        if self._all is None:
            try:
                drawn = list(self._pending)
            finally:
                self.close()
            self._all = {**self.found, **_stored(self._folder, self._todo, drawn)}
        return self._all

    def close(self) -> None:
        """Stop the workers (a failed build does not wait for its charts)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def start_drawing(specs: list[ChartSpec], font_dir: Path, jobs: int, cold: bool) -> Drawing | None:
    """Start drawing the charts the cache misses in worker processes, and go on at once: None
    when `svgs` would draw them in this process (one core; or a few charts, unless this is a
    `cold` process whose second core can import matplotlib and draw while it goes on)."""
    found, todo = _cached(specs, cache_dir())
    parallel = jobs > 1 and len(todo) >= PARALLEL_MIN
    if not todo or not (parallel or (cold and jobs > 1 and "matplotlib" not in sys.modules)):
        return None
    return Drawing(found, todo, font_dir, jobs if parallel else 1)
