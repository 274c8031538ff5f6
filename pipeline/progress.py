"""Progress reporting: a rich progress bar on a terminal, plain log lines otherwise (pipes, CI)."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from khaosan.corpus.article import ReadError

log = logging.getLogger("khaosan")


class PlainReporter:
    """Log lines every few seconds: articles, articles/s, characters/s."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.t0 = self.last = time.perf_counter()

    def advance(self, articles: int, characters: int) -> None:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            dt = now - self.t0
            log.info("%d articles, %.1f articles/s, %.0f characters/s", articles, articles / dt, characters / dt)

    def error(self, err: ReadError) -> None:
        log.error("%s", err)


class BarReporter(PlainReporter):
    def __init__(self, progress, task) -> None:  # noqa: ANN001 - rich objects
        super().__init__()
        self.progress, self.task = progress, task

    def advance(self, articles: int, characters: int) -> None:
        self.progress.update(self.task, completed=articles)

    def error(self, err: ReadError) -> None:
        self.progress.console.print(f"[red]error[/red] {err}", markup=True, highlight=False)


@contextmanager
def reporter(total: int | None, bar: bool) -> Iterator[PlainReporter]:
    if not bar:
        yield PlainReporter()
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    class Speed(TextColumn):
        """Articles per second (rich's own speed column counts bytes)."""

        def render(self, task):  # noqa: ANN001, ANN201
            from rich.text import Text

            return Text(f"{task.speed or 0:.1f} articles/s")

    columns = [TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), Speed(""),
               TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("extract", total=total)
        yield BarReporter(progress, task)
