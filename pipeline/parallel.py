"""Mapping a batch task over articles, in input order: here, in a process pool, or on Dask.

The unit of work is a *batch* of articles.  A task is a module-level function
``task(pipeline, batch) -> T`` (picklable, so it can travel to a worker); each
worker process builds the :class:`~khaosan.pipeline.runner.Pipeline` (rules,
gazetteers, tokenizer dictionary) once and keeps it.  At most a few batches per
worker are in flight, so memory stays flat however long the input is, and
results come back in input order, so the output is identical whatever the
number of workers.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from khaosan.corpus.article import Article
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    from khaosan.pipeline.runner import Pipeline

T = TypeVar("T")
Task = Callable[["Pipeline", list[Article]], T]

#: Batches queued per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 3

_PIPELINES: dict[str, Pipeline] = {}


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch


def worker_pipeline(settings: Settings) -> Pipeline:
    """The pipeline of this process for these settings, built on first use."""
    from khaosan.pipeline.runner import Pipeline

    local = settings.replace(workers=1, dask="")
    key = repr(local)
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        pipeline = _PIPELINES[key] = Pipeline(local)
        # The rules (tries, gazetteers, dictionaries) live as long as the process: moving them out
        # of the collector's generations spares every later collection from walking them.
        gc.freeze()
    return pipeline


def run_task(task: Task[T], settings: Settings, batch: list[Article]) -> T:
    """Runs in a worker process."""
    return task(worker_pipeline(settings), batch)


def _init_worker(settings: Settings) -> None:
    worker_pipeline(settings)  # load the rules before the first batch arrives


def map_batches(settings: Settings, batches: Iterable[list[Article]], task: Task[T],
                pipeline: Pipeline | None = None) -> Iterator[T]:
    """``task`` over every batch, results in input order (``pipeline`` serves the in-process case)."""
    if settings.dask:
        from khaosan.pipeline.dask_runner import map_batches_dask

        yield from map_batches_dask(settings, batches, task)
    elif settings.workers <= 1:
        here = pipeline or worker_pipeline(settings)
        for batch in batches:
            yield task(here, batch)
    else:
        yield from _map_pool(settings, batches, task)


def _map_pool(settings: Settings, batches: Iterable[list[Article]], task: Task[T]) -> Iterator[T]:
    # "forkserver" avoids copying a parent that may hold threads (progress bar, Dask)
    ctx = mp.get_context("forkserver")
    window = IN_FLIGHT_PER_WORKER * settings.workers
    with ctx.Pool(settings.workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(run_task, (task, settings, batch)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
