"""Imported by the worker pool's fork server before it forks a worker: the rules are built there, once.

``multiprocessing``'s fork server imports the modules on its preload list when it
starts, then forks every worker from itself.  Building the pipeline here, for the
settings the main process left in ``KHAOSAN_FORKSERVER_SETTINGS``, means each
worker starts with the rules (tries, gazetteers, the tokenizer's dictionary)
already in memory, shared copy-on-write, instead of compiling them again: that
was about 0.5 s of CPU per worker, at the very time the main process starts
too, on a machine with as many cores as workers.

Anything that goes wrong here only costs that time: a worker that finds no
pipeline for its settings builds its own (:func:`~khaosan.pipeline.parallel.worker_pipeline`).
"""
from __future__ import annotations

import base64
import logging
import os
import pickle

ENV = "KHAOSAN_FORKSERVER_SETTINGS"

#: The process that built the rules here (the fork server's id, as its workers inherit it), if it did.
built_by: int | None = None


def _build() -> None:
    global built_by
    raw = os.environ.get(ENV)
    if not raw:
        return
    try:
        from khaosan.pipeline.parallel import worker_pipeline

        worker_pipeline(pickle.loads(base64.b64decode(raw)))
        built_by = os.getpid()
    except Exception:  # noqa: BLE001 - an exception here would stop the fork server, and with it the pool
        logging.getLogger("khaosan").warning("fork server: building the rules failed; each worker builds its own",
                                             exc_info=True)


_build()
