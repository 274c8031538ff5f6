"""Mapping a batch task over articles, in input order: here, in a process pool, or on Dask.

The unit of work is a *batch* of articles.  A task is a module-level function
``task(pipeline, batch) -> T`` (picklable, so it can travel to a worker); each
worker process builds the :class:`~khaosan.pipeline.runner.Pipeline` (rules,
gazetteers, tokenizer dictionary) once and keeps it.  At most a few batches per
worker are in flight, so memory stays flat however long the input is, and
results come back in input order, so the output is identical whatever the
number of workers.

A batch that fails as a whole (the task raised, its worker process died, or it
ran past ``settings.task_timeout`` and was stopped) does not stop the run: its
articles are tried one by one, each one that fails again is replaced in the
batch by a :class:`Failed` item naming the reason, and the batch runs again.
Tasks turn ``Failed`` items into error rows, so a pathological article costs
one error row, not a night's run.  (In-process, a task's exceptions are handled
the same way; a crash of the process itself cannot be.)
"""
from __future__ import annotations

import gc
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from khaosan.corpus.article import Article
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    from khaosan.pipeline.runner import Pipeline

log = logging.getLogger("khaosan")


@dataclass(frozen=True, slots=True)
class Failed:
    """An article the workers could not process (their task raised, died or hung on it), and why."""

    article: Article
    reason: str


Item = Article | Failed
T = TypeVar("T")
Task = Callable[["Pipeline", list[Item]], T]

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
        rare_collections()
    return pipeline


#: Allocations between two young-generation collections (Python's default is 700).
GC_YOUNG_THRESHOLD = 50_000


def rare_collections() -> tuple[int, int, int]:
    """Collect cycles less often (in a worker, and in the writer while it writes); returns the old thresholds.

    Processing an article allocates tens of thousands of objects (matches, spans,
    mentions, row tuples) that die with its batch and form almost no cycles,
    so the default threshold ran a collection every few hundred of them: 4-5 %
    of a worker's time, and more in the writer, which unpickles each batch's rows.
    """
    old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, old[1], old[2])
    return old


def run_task(task: Task[T], settings: Settings, batch: list[Item]) -> T:
    """Runs in a worker process."""
    return task(worker_pipeline(settings), batch)


def _init_worker(settings: Settings) -> None:
    worker_pipeline(settings)  # load the rules before the first batch arrives


class Runner(Protocol):
    """Where batches run: ``submit`` returns a future; ``window`` batches may be in flight."""

    window: int

    def submit(self, batch: list[Item]) -> Any: ...  # an object with .result() (concurrent or Dask future)

    def close(self) -> None: ...


class InProcess:
    """Batches run here, when submitted (``workers=1``)."""

    window = 1

    def __init__(self, settings: Settings, task: Task[Any], pipeline: Pipeline | None) -> None:
        self.task = task
        self.pipeline = pipeline or worker_pipeline(settings)

    def submit(self, batch: list[Item]) -> Future:
        future: Future = Future()
        try:
            future.set_result(self.task(self.pipeline, batch))
        except Exception as e:  # settled like a worker's failure
            future.set_exception(e)
        return future

    def close(self) -> None:
        pass


def _preload_rules(context: Any, settings: Settings) -> None:
    """Have the fork server build these settings' rules once, so that every worker forked from it has them.

    Takes effect when the fork server starts (the first pool of this process); a
    later pool with other settings finds a server without its rules, and its
    workers build them, as they would anyway.
    """
    import base64
    import os
    import pickle

    from khaosan.pipeline.forkserver_preload import ENV

    os.environ[ENV] = base64.b64encode(pickle.dumps(settings)).decode("ascii")
    # "__main__" is multiprocessing's own default: a script's functions stay importable in workers.
    context.set_forkserver_preload(["__main__", "khaosan.pipeline.forkserver_preload"])


class ProcessPool:
    """A pool of worker processes (pebble): a worker that dies or hangs fails its own batch only.

    "forkserver" starts workers from a clean server process rather than copying
    a parent that may hold threads (progress bar, Dask).  The server builds the
    rules once before it forks the first worker (:mod:`khaosan.pipeline.forkserver_preload`):
    every worker then starts with them, shared copy-on-write (about 23 MiB of
    private memory per worker instead of 106, and one build instead of one per worker).
    """

    def __init__(self, settings: Settings, task: Task[Any]) -> None:
        from pebble import ProcessPool as Pool

        self.task, self.settings = task, settings
        self.window = IN_FLIGHT_PER_WORKER * settings.workers
        self.timeout = settings.task_timeout or None
        context = mp.get_context("forkserver")
        _preload_rules(context, settings)
        self.pool = Pool(settings.workers, initializer=_init_worker, initargs=(settings,), context=context)

    def submit(self, batch: list[Item]) -> Future:
        return self.pool.schedule(run_task, args=(self.task, self.settings, batch), timeout=self.timeout)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def _runner(settings: Settings, task: Task[Any], pipeline: Pipeline | None) -> Runner:
    if settings.dask:
        from khaosan.pipeline.dask_runner import DaskRunner

        return DaskRunner(settings, task)
    if settings.workers <= 1:
        return InProcess(settings, task, pipeline)
    return ProcessPool(settings, task)


def describe(error: BaseException, timeout: float | None = None) -> str:
    """Why a batch or an article failed, in words for the errors table."""
    from pebble import ProcessExpired

    if isinstance(error, ProcessExpired):
        return f"worker process died (exit code {error.exitcode})"
    if isinstance(error, (FutureTimeout, TimeoutError)):
        return f"took longer than {timeout:g} s; the worker was stopped" if timeout else "timed out"
    if type(error).__name__ == "KilledWorker":  # Dask: the worker died on it, every retry
        return "worker process died on every try (Dask KilledWorker)"
    return f"{type(error).__name__}: {error}"


class WorkersFailed(RuntimeError):
    """The workers cannot run at all (the pool broke, or every article fails alone): no article is to blame."""


def _fatal(error: BaseException) -> bool:
    """A failure of the pool itself rather than of a batch (pebble raises RuntimeError once it is broken)."""
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(error, BrokenProcessPool) or type(error) is RuntimeError and "within the Pool" in str(error)


def _settle(runner: Runner, batch: list[Item], future: Any, timeout: float | None) -> Any:
    try:
        return future.result()
    except Exception as e:
        if _fatal(e):
            raise WorkersFailed(f"the worker processes failed: {describe(e, timeout)}") from e
        first = e
    log.warning("a batch of %d articles failed (%s); trying its articles one by one", len(batch),
                describe(first, timeout))
    cleaned: list[Item] = []
    failures = 0
    for item in batch:
        if isinstance(item, Article):
            try:
                runner.submit([item]).result()
            except Exception as e:
                if _fatal(e):
                    raise WorkersFailed(f"the worker processes failed: {describe(e, timeout)}") from e
                reason = describe(e, timeout)
                log.error("%s: %s", item.doc_id, reason)
                item = Failed(item, reason)
                failures += 1
        cleaned.append(item)
    if failures > 1 and failures == sum(isinstance(i, Article) for i in batch):
        # Not one bad article: the code or the machine fails on everything. Stop rather than
        # turn the whole corpus into error rows.
        raise WorkersFailed(f"every article of a batch failed on its own ({describe(first, timeout)})") from first
    return runner.submit(cleaned).result()  # fails only if the failure does not follow any one article


def map_batches(settings: Settings, batches: Iterable[list[Item]], task: Task[T],
                pipeline: Pipeline | None = None) -> Iterator[T]:
    """``task`` over every batch, results in input order (``pipeline`` serves the in-process case)."""
    runner = _runner(settings, task, pipeline)
    timeout = settings.task_timeout or None
    try:
        pending: deque[tuple[list[Item], Any]] = deque()
        for batch in batches:
            pending.append((batch, runner.submit(batch)))
            if len(pending) >= runner.window:
                yield _settle(runner, *pending.popleft(), timeout)
        while pending:
            yield _settle(runner, *pending.popleft(), timeout)
    finally:
        runner.close()
