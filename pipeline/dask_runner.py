"""Running the extraction on a Dask distributed cluster.

Articles are cut into batches and submitted in input order; at most
``max_in_flight`` batches are out at once, so memory stays flat however long
the corpus; results come back in input order, so the output equals a local
run's.  Each worker process builds the pipeline (rules, gazetteers, tokenizer
dictionary) once and keeps it for every batch it is given.

``address`` is a scheduler address (``tcp://host:8786``) or ``"local"``, which
starts a :class:`distributed.LocalCluster` of ``workers`` processes here.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from khaosan.corpus.article import Article
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    from khaosan.pipeline.runner import Pipeline, Result

_PIPELINES: dict[str, Pipeline] = {}


def _process_batch(settings: Settings, batch: list[Article]) -> list[Result]:
    """Runs on a worker: the pipeline is built on the first batch and cached for the process."""
    from khaosan.pipeline.runner import Pipeline

    key = repr(settings)
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        pipeline = _PIPELINES[key] = Pipeline(settings.replace(workers=1, dask=""))
    results = [pipeline.process(a) for a in batch]
    for r in results:
        r.doc.tokens = []  # the writers do not need tokens: keep transfers small
    return results


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def pipe_dask(settings: Settings, articles: Iterable[Article], address: str) -> Iterator[Result]:
    from distributed import Client, LocalCluster

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        max_in_flight = 4 * n_workers
        pending: deque = deque()
        for batch in _batches(articles, settings.batch_size):
            pending.append(client.submit(_process_batch, settings, batch, pure=False))
            if len(pending) >= max_in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
