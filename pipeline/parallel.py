"""A process pool that keeps input order: each worker loads the rules once."""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from khaosan.corpus.article import Article
from khaosan.pipeline.settings import Settings

_PIPELINE = None


def _init(settings: Settings) -> None:
    global _PIPELINE
    from khaosan.pipeline.runner import Pipeline

    _PIPELINE = Pipeline(settings)


def _work(article: Article):
    result = _PIPELINE.process(article)  # type: ignore[union-attr]
    result.doc.tokens = []  # tokens stay in the worker: writers do not need them
    return result


def pipe_parallel(settings: Settings, articles: Iterable[Article], workers: int) -> Iterator:
    # "forkserver" avoids copying a parent that may hold threads (progress bar, Dask)
    ctx = mp.get_context("forkserver")
    with ctx.Pool(workers, initializer=_init, initargs=(settings,)) as pool:
        yield from pool.imap(_work, articles, chunksize=max(1, settings.batch_size // 4))
