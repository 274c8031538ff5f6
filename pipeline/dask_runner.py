"""Running batch tasks on a Dask distributed cluster.

Batches are submitted in input order; at most a few per worker are out at once,
so memory stays flat however long the corpus; results come back in input
order, so the output equals a local run's.  Each worker process builds the
pipeline once (:func:`khaosan.pipeline.parallel.worker_pipeline`) and keeps it
for every batch it is given.

``settings.dask`` is a scheduler address (``tcp://host:8786``) or ``"local"``,
which starts a :class:`distributed.LocalCluster` of ``settings.workers`` processes here.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TypeVar

from khaosan.corpus.article import Article
from khaosan.pipeline.parallel import IN_FLIGHT_PER_WORKER, Task, run_task
from khaosan.pipeline.settings import Settings

T = TypeVar("T")


def map_batches_dask(settings: Settings, batches: Iterable[list[Article]], task: Task[T]) -> Iterator[T]:
    from distributed import Client, LocalCluster

    cluster = None
    if settings.dask == "local":
        cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(settings.dask)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = IN_FLIGHT_PER_WORKER * n_workers
        pending: deque = deque()
        for batch in batches:
            pending.append(client.submit(run_task, task, settings, batch, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
