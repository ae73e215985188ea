"""A content-hash cache of drawn charts, so a rebuild with unchanged data skips matplotlib."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .spec import ChartSpec

# Starting a worker costs about a second (it imports matplotlib and loads the fonts); one chart
# takes well under 0.1 s. Below this many missing charts, drawing in-process is faster.
PARALLEL_MIN = 24


def cache_dir() -> Path:
    """KOHO_CACHE_DIR, or the user's cache directory (never the project folder)."""
    if override := os.environ.get("KOHO_CACHE_DIR"):
        return Path(override) / "charts"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("koho")) / "charts"


def store(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


def _draw(spec: ChartSpec, font_dir: Path) -> bytes:
    from .draw import render

    return render(spec, font_dir, "svg")


def svgs(specs: list[ChartSpec], font_dir: Path, jobs: int = 1) -> dict[str, str]:
    """SVG text for every spec, by spec key: from the cache, drawing (in parallel) only misses."""
    folder = cache_dir()
    results: dict[str, str] = {}
    missing: dict[str, ChartSpec] = {}
    for spec in specs:
        key = spec.key()
        path = folder / f"{key}.svg"
        try:
            results[key] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            missing[key] = spec
    if not missing:
        return results
    todo = list(missing.items())
    if jobs > 1 and len(todo) >= PARALLEL_MIN:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            drawn = list(pool.map(_draw, [s for _, s in todo], [font_dir] * len(todo)))
    else:
        drawn = [_draw(spec, font_dir) for _, spec in todo]
    for (key, _), data in zip(todo, drawn):
        try:
            store(folder / f"{key}.svg", data)
        except OSError:
            pass  # an unwritable cache only costs time
        results[key] = data.decode("utf-8")
    return results
