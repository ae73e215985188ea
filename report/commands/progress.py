"""A build's stages, and how the command line shows them: a bar on a terminal, lines with -v."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

# Stage name → what a person sees. build() reports each name as the stage starts.
STAGES: dict[str, str] = {
    "load": "読み込み",
    "check": "点検",
    "charts": "グラフ",
    "layout": "組版",
    "write": "書き出し",
}

Progress = Callable[[str], None]


def no_progress(stage: str) -> None:
    """The callback used when nobody is watching."""


@contextmanager
def stage_display(verbosity: int, stream=None) -> Iterator[Progress]:  # noqa: ANN001 - a text stream
    """Show the stages: quiet (0) shows nothing; normal (1) draws a bar only on a terminal;
    verbose (2) prints one line per finished stage with its time, terminal or not."""
    stream = stream or sys.stdout
    if verbosity >= 2:
        lines = _StageLines(stream)
        yield lines
        lines.finish()
    elif verbosity == 1 and stream.isatty():
        with click.progressbar(length=len(STAGES), label="作成中", file=stream, show_eta=False,
                               item_show_func=lambda stage: STAGES.get(stage or "", "")) as bar:
            yield _StageBar(bar)
            bar.update(len(STAGES) - bar.pos, "write")
    else:
        yield no_progress


class _StageBar:
    """Move a click progress bar to each stage as it starts (the build fills it when done)."""

    def __init__(self, bar) -> None:  # noqa: ANN001 - click's ProgressBar
        self.bar = bar
        self.order = list(STAGES)

    def __call__(self, stage: str) -> None:
        steps = self.order.index(stage) - self.bar.pos
        if steps:
            self.bar.update(steps, stage)
        else:  # click draws only when the bar moves; the first stage must still show its name
            self.bar.current_item = stage
            self.bar.render_progress()


class _StageLines:
    """Print each stage with the time it took, for logs and for -v."""

    def __init__(self, stream) -> None:  # noqa: ANN001 - a text stream
        self.stream = stream
        self.current: str | None = None
        self.started = 0.0

    def __call__(self, stage: str) -> None:
        self.finish()
        self.current, self.started = stage, time.perf_counter()

    def finish(self) -> None:
        if self.current is not None:
            click.echo(f"  {STAGES[self.current]} ({self.current}): "
                       f"{time.perf_counter() - self.started:.2f}秒", file=self.stream)
            self.current = None
