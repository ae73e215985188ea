"""Build many projects at once, on every core: a prefecture's or a print shop's batch.

Workers are forked after WeasyPrint and koho are imported, so each starts warm; a project that
fails is reported and the others go on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .problems import KohoError, Problem


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


def _build_one(project: Path, kind: str | None) -> BatchItem:
    from .build import build

    started = time.perf_counter()
    try:
        result = build(project, kind=kind)
    except KohoError as error:
        return BatchItem(project, None, 0, time.perf_counter() - started, error.format_message())
    except Exception as error:  # noqa: BLE001 - one broken project must not stop the batch
        return BatchItem(project, None, 0, time.perf_counter() - started, f"{type(error).__name__}: {error}")
    return BatchItem(project, result.pdf, result.pages, time.perf_counter() - started, web=result.web,
                     warnings=result.warnings)


def _warm_up() -> None:
    """Import the renderer before forking, so that no worker pays for it."""
    import weasyprint  # noqa: F401

    from . import build  # noqa: F401


def build_many(projects: list[Path], jobs: int | None = None, kind: str | None = None,
               done: Callable[[BatchItem], None] = lambda item: None) -> list[BatchItem]:
    """Build every project with `jobs` worker processes (default: one per core), in input order."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    _warm_up()
    items: dict[Path, BatchItem] = {}
    if jobs == 1 or len(projects) == 1:
        for project in projects:
            items[project] = _build_one(project, kind)
            done(items[project])
    else:
        for item in _in_workers(projects, jobs, kind):
            items[item.project] = item
            done(item)
    return [items[p] for p in projects]


def _in_workers(projects: list[Path], jobs: int, kind: str | None) -> Iterator[BatchItem]:
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_build_one, project, kind) for project in projects]
        for future in as_completed(futures):
            yield future.result()
