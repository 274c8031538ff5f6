"""Running batch tasks on a Dask distributed cluster.

Batches are submitted in input order; at most a few per worker are out at once,
so memory stays flat however long the corpus; results come back in input
order, so the output equals a local run's.  Each worker process builds the
pipeline once (:func:`khaosan.pipeline.parallel.worker_pipeline`) and keeps it
for every batch it is given.  A batch that fails (Dask gives up on a task whose
worker died on every retry: ``KilledWorker``) is retried article by article
like a local pool's (:func:`khaosan.pipeline.parallel.map_batches`).
``settings.task_timeout`` is not enforced here: Dask cannot stop a running
task; use the workers' own limits (``--memory-limit``, ``--lifetime``).

``settings.dask`` is a scheduler address (``tcp://host:8786``) or ``"local"``,
which starts a :class:`distributed.LocalCluster` of ``settings.workers`` processes here.
"""
from __future__ import annotations

from typing import Any

from khaosan.pipeline.parallel import IN_FLIGHT_PER_WORKER, Item, Task, run_task
from khaosan.pipeline.settings import Settings


class DaskRunner:
    def __init__(self, settings: Settings, task: Task[Any]) -> None:
        from distributed import Client, LocalCluster

        self.task, self.settings = task, settings
        self.cluster = None
        if settings.dask == "local":
            self.cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(settings.dask)
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = IN_FLIGHT_PER_WORKER * n_workers

    def submit(self, batch: list[Item]) -> Any:
        return self.client.submit(run_task, self.task, self.settings, batch, pure=False)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
