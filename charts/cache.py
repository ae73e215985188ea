"""A content-hash cache of drawn charts, so a rebuild with unchanged data skips matplotlib."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from report.output import replace_file

from .spec import ChartSpec

LOGGER = logging.getLogger(__name__)

# Starting a worker costs about a second (it imports matplotlib and loads the fonts); one chart
# takes well under 0.1 s. Below this many missing charts, drawing in-process is faster.
PARALLEL_MIN = 24
# A Drawing's worker is forked: not on Windows (no fork) nor macOS (fork is unsafe there once system
# libraries are loaded), which draw with `svgs`' pool, before the layout.
CAN_FORK = hasattr(os, "fork") and sys.platform != "darwin"
# A worker that has not sent every chart by then (it hangs) is ended, and the rest drawn here.
DEADLINE_SECONDS, DEADLINE_PER_CHART = 60.0, 1.0
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
    entry = hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data
    replace_file(path, lambda stream: stream.write(entry))


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


def _keep(folder: Path, key: str, data: bytes) -> None:
    """Keep a drawn chart in the cache; an unwritable cache only costs time."""
    try:
        store(folder / f"{key}{SUFFIX}", data)
    except OSError:
        pass


def _stored(folder: Path, todo: list[tuple[str, ChartSpec]], drawn: list[bytes]) -> dict[str, str]:
    """Keep what was drawn in the cache; the SVG text by key."""
    results = {}
    for (key, _), data in zip(todo, drawn):
        _keep(folder, key, data)
        results[key] = data.decode("utf-8")
    return results


def svgs(specs: list[ChartSpec], font_dir: Path, jobs: int = 1,
         meanwhile: Callable[[], object] | None = None) -> dict[str, str]:
    """SVG text for every spec, by spec key: from the cache, drawing (in parallel) only misses.

    `meanwhile` (a cold process's next step, such as importing the renderer) runs while worker
    processes draw: when there are many charts, or when matplotlib is not yet imported here and a
    second core can import it and draw while this process goes on.
    """
    dismiss_spare()
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


def _work(font_dir: Path, tasks, results, others: tuple, warm: bool) -> None:  # noqa: ANN001 - Connections
    """A drawing process: (`warm`: import matplotlib and load the fonts first, while it waits) take
    the cache folder and one list of (key, spec), keep each chart in the cache and send it back
    (key, SVG bytes), or the error drawing it raised; then end. Nothing to draw (None, or the
    caller gone) ends it at once."""
    import gc
    import signal

    gc.enable()  # forked during a build, whose collector is paused: matplotlib's figures are cyclic
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle: it ends this worker
    for connection in others:  # the caller's ends: the caller's death is then an end of input here
        connection.close()
    try:
        if warm:
            from .draw import warm_up

            warm_up(font_dir)
        try:
            given = tasks.recv()
        except EOFError:
            return
        folder, todo = given or (None, ())
        for key, spec in todo:
            try:
                data = _draw(spec, font_dir)
            except Exception as error:  # noqa: BLE001 - the build reports it
                results.send((key, error))
                return
            _keep(folder, key, data)  # here, beside the layout, not after it
            results.send((key, data))
    finally:
        results.close()


class Worker:
    """One drawing process, forked before it is given its charts (see `prestart`)."""

    def __init__(self, font_dir: Path, warm: bool) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.font_dir = font_dir
        tasks_in, self._tasks = context.Pipe(duplex=False)
        self.results, results_out = context.Pipe(duplex=False)
        self.process = context.Process(target=_work, daemon=True,
                                       args=(font_dir, tasks_in, results_out, (self._tasks, self.results), warm))
        self.process.start()
        tasks_in.close()
        results_out.close()

    def give(self, folder: Path | None, todo: list[tuple[str, ChartSpec]] | None) -> None:
        """Send the worker the cache folder and its charts (None: nothing to draw, it ends)."""
        try:
            self._tasks.send((folder, todo) if todo is not None else None)
        except OSError:
            pass  # it died: Drawing draws what it did not send
        finally:
            self._tasks.close()


_spare: Worker | None = None  # a worker started early by `prestart`, not yet given its charts


def prestart(font_dir: Path) -> None:
    """Fork a drawing worker now, in a cold process on a machine with more than one core, before
    the data is even read: it imports matplotlib and loads the fonts while this process imports
    its own libraries, and costs no wall time when the cache holds every chart (it is dismissed).
    Forked from a small process, it shares none of the data this process reads later."""
    global _spare
    if _spare is None and CAN_FORK and (os.cpu_count() or 1) > 1 and "matplotlib" not in sys.modules:
        _spare = Worker(font_dir, warm=True)


def _take_spare(font_dir: Path | None) -> Worker | None:
    """The worker `prestart` started, to draw with `font_dir`; None (ending it) when it was started
    for other fonts, or when `font_dir` is None."""
    global _spare
    worker, _spare = _spare, None
    if worker is not None and worker.font_dir != font_dir:
        worker.give(None, None)
        return None
    return worker


def dismiss_spare() -> None:
    """End the worker `prestart` started, when nothing is left for it to draw."""
    _take_spare(None)


class Drawing:
    """Charts being drawn in one worker process while the caller goes on (see `start_drawing`).

    The worker ends as soon as its last chart is sent, so that it holds matplotlib's memory only
    while it draws; a thread here gives it its charts and receives them meanwhile. Charts it did
    not send (it died, or hung past the deadline and was ended) are drawn here; an error it raised
    drawing one is raised here."""

    def __init__(self, found: dict[str, str], todo: list[tuple[str, ChartSpec]], worker: Worker) -> None:
        import threading

        self.found = found  # the charts at hand now (from the cache), by key
        self._todo, self._folder, self._worker = todo, cache_dir(), worker
        self._received: dict[str, bytes | Exception] = {}
        self._deadline = time.monotonic() + DEADLINE_SECONDS + DEADLINE_PER_CHART * len(todo)
        self._receiver = threading.Thread(target=self._receive, daemon=True)
        self._receiver.start()
        self._all: dict[str, str] | None = None

    def _receive(self) -> None:
        self._worker.give(self._folder, self._todo)  # here: a long list fills the pipe until the worker warms up
        with self._worker.results as connection:
            while True:
                try:
                    key, data = connection.recv()
                except (EOFError, OSError):
                    return
                self._received[key] = data

    def result(self) -> dict[str, str]:
        """Every chart by key, once the missing ones are drawn (and kept in the cache)."""
        if self._all is None:
            self._receiver.join(max(0.0, self._deadline - time.monotonic()))  # its last chart sent, or dead
            if self._receiver.is_alive():
                LOGGER.warning("the chart worker did not finish in time: the rest of the charts are drawn here")
                self._worker.process.kill()
                self._receiver.join()
            self._worker.process.join()
            if errors := [data for data in self._received.values() if isinstance(data, Exception)]:
                raise errors[0]
            missed = [(key, spec) for key, spec in self._todo if key not in self._received]  # the worker kept the rest
            drawn = _stored(self._folder, missed, [_draw(spec, self._worker.font_dir) for _, spec in missed])
            self._all = {**self.found, **{key: data.decode("utf-8") for key, data in self._received.items()}, **drawn}
        return self._all


def start_drawing(specs: list[ChartSpec], font_dir: Path, jobs: int, cold: bool) -> Drawing | None:
    """Start drawing the charts the cache misses in one worker process (the one `prestart` started,
    or a new one), on the core this process does not lay out on, and go on at once: None when
    `svgs` would draw them in this process (one core; or a few charts, unless a worker is already
    warming up or this is a `cold` process whose second core can import matplotlib and draw while
    it goes on). One worker, not one per core: the layout needs the other, and a worker holds
    matplotlib's memory while the pages are laid out."""
    found, todo = _cached(specs, cache_dir())
    worth_it = _spare is not None or len(todo) >= PARALLEL_MIN or (cold and "matplotlib" not in sys.modules)
    if not todo or jobs < 2 or not CAN_FORK or not worth_it:
        dismiss_spare()
        return None
    return Drawing(found, todo, _take_spare(font_dir) or Worker(font_dir, warm=False))
