"""Build many projects at once, on every core: a prefecture's or a print shop's batch.

Workers are forked after WeasyPrint and koho are imported, so each starts warm; a project that
fails is reported and the others go on. Two projects that would write the same output (two
workbooks of one folder share its build/) are refused before any is built.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from report.commands.collection import collect_after
from report.render.typeset.warm import release_fonts
from report.kinds import DocumentKind
from report.problems import KohoError, Problem, fail_on, unexpected

log = logging.getLogger("koho")


@dataclass(frozen=True)
class BatchItem:
    """How one project of a batch went."""

    project: Path
    pdf: Path | None
    pages: int
    seconds: float
    error: str = ""
    web: Path | None = None  # the web version's index.html (--kind web)
    warnings: tuple[Problem, ...] = ()  # the build's warnings (data, glyphs, preflight, refused URLs)

    @property
    def ok(self) -> bool:
        return not self.error


def _build_one(project: Path, kind: str | DocumentKind | None) -> BatchItem:
    from report.commands.build import build

    started = time.perf_counter()
    try:
        result = build(project, kind=kind)
    except KohoError as error:
        return BatchItem(project, None, 0, time.perf_counter() - started, error.format_message())
    except Exception as error:  # noqa: BLE001 - one broken project must not stop the batch
        return BatchItem(project, None, 0, time.perf_counter() - started, unexpected(error).format_message())
    finally:
        release_fonts()  # its fonts' temporary folder: a worker ends without collecting
        collect_after()  # the worker builds the next project: free this one's cycles first
    return BatchItem(project, result.pdf, result.pages, time.perf_counter() - started, web=result.web,
                     warnings=result.warnings)


def _warm_up() -> None:
    """Import the renderer before forking, so that no worker pays for it."""
    from report.commands import build  # noqa: F401
    from report.render.typeset.weasy import load

    load()


@contextmanager
def _loaded_state_frozen() -> Iterator[None]:
    """Freeze what is loaded (Python's `gc.freeze`, before forking as its documentation advises),
    so that the collection after each build walks that build's objects only, not every module's
    again (20 generated sample projects, 4 runs interleaved: 14.0 → 13.0 s); unfrozen after."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def shared_outputs(projects: list[Path], kind: str | DocumentKind | None = None) -> list[Problem]:
    """Outputs that two projects of a batch would both write (the same file, or a file inside the
    other's web folder): two workbooks in one folder share its build/, for one, and a project named
    twice shares everything. Each clash names both projects."""
    from report.commands.build import planned_targets

    claimed: dict[str, int] = {}  # real path of every output → the project (its index) writing it
    above: dict[str, int] = {}  # real path of every folder holding an output → the same
    problems = []
    for number, project in enumerate(projects):
        targets = planned_targets(project, kind)
        if targets is None:
            continue  # its build says why
        outputs = [*targets.files, *([targets.folder] if targets.folder is not None else [])]
        reals = [os.path.realpath(output) for output in outputs]
        clashes: dict[int, Path] = {}  # the other project → an output both write
        for output, real in zip(outputs, reals):
            others = [claimed.get(place) for place in (real, *map(str, Path(real).parents))] + [above.get(real)]
            for other in others:
                if other is not None and other != number:
                    clashes.setdefault(other, output)
        problems += [Problem(str(output), f"プロジェクト「{projects[other]}」と「{project}」が同じ出力先に書き出します。"
                             "同じフォルダにある2つのブックなどは、別々のフォルダに分けてください")
                     for other, output in clashes.items()]
        for real in reals:
            claimed.setdefault(real, number)
            for folder in Path(real).parents:
                above.setdefault(str(folder), number)
    return problems


def build_many(projects: list[Path], jobs: int | None = None, kind: str | DocumentKind | None = None,
               done: Callable[[BatchItem], None] = lambda item: None) -> list[BatchItem]:
    """Build every project with `jobs` worker processes (default: one per core), in input order;
    projects that would write the same output are refused before any is built."""
    fail_on(shared_outputs(projects, kind), subject="出力先")
    jobs = max(1, jobs or os.cpu_count() or 1)
    _warm_up()
    items: dict[Path, BatchItem] = {}
    with _loaded_state_frozen():
        if jobs == 1 or len(projects) == 1:
            for project in projects:
                items[project] = _build_one(project, kind)
                done(items[project])
        else:
            for item in _in_workers(projects, jobs, kind):
                items[item.project] = item
                done(item)
    return [items[p] for p in projects]


DIED = "作成中に作業プロセスが異常終了しました(メモリ不足や強制終了など)"


def _context():  # noqa: ANN202 - a multiprocessing context
    import multiprocessing

    return multiprocessing.get_context("fork") if hasattr(os, "fork") else None


def _in_workers(projects: list[Path], jobs: int, kind: str | DocumentKind | None,
                work: Callable[[Path, str | DocumentKind | None], BatchItem] = _build_one) -> Iterator[BatchItem]:
    """Build in a pool of workers. A worker that dies (killed, out of memory) breaks the pool; the
    projects not finished then are built again one by one, each in a process of its own, so that
    only a project that kills its worker fails, and the others are finished."""
    from concurrent.futures.process import BrokenProcessPool

    remaining = list(projects)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            futures = {pool.submit(work, project, kind): project for project in projects}
            for future in as_completed(futures):
                item = future.result()
                remaining.remove(futures[future])
                yield item
    except BrokenProcessPool:
        log.warning("注意: 作業プロセスが異常終了したため、残りの%d件を1件ずつ作り直します", len(remaining))
    for project in remaining:
        yield run_alone(project, kind, work)


def run_alone(project: Path, kind: str | DocumentKind | None, work: Callable[[Path, str | DocumentKind | None], BatchItem] = _build_one) -> BatchItem:
    """Build one project in a process of its own; its death is that project's failure."""
    from concurrent.futures.process import BrokenProcessPool

    started = time.perf_counter()
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
            return pool.submit(work, project, kind).result()
    except BrokenProcessPool:
        return BatchItem(project, None, 0, time.perf_counter() - started, DIED)
