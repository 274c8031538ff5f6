"""The one settings object, declared once.

Every knob of a run lives here, with its meaning and default.  The CLI, the
Python API and (later) the scheduled job build a :class:`Settings` and pass it
down; nothing else reads the environment.  Environment variables
``KHAOSAN_<FIELD>`` (upper case) override the defaults, e.g.
``KHAOSAN_WORKERS=2``.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from typing import Any


def available_cores() -> int:
    """CPU cores this process may run on (``os.sched_getaffinity`` where the system has it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Settings:
    #: Word tokenizer: "nlpo3" (Rust newmm, fast) or "newmm" (PyThaiNLP, pure Python).
    tokenizer: str = "nlpo3"
    #: Sentence splitter: "rules" (line breaks, then spaces; fast) or "crfcut" (PyThaiNLP's CRF model).
    sentences: str = "rules"
    #: Extractors to run, by registry name; empty means every available one.
    extractors: tuple[str, ...] = ()
    #: Worker processes for extraction: 1 = in-process; 0 = one per CPU core this process may
    #: run on (its affinity: what a batch scheduler or container granted, not the machine's count).
    workers: int = 1
    #: Articles handed to a worker at a time, and rows written per output batch.
    batch_size: int = 64
    #: Seconds a worker process may spend on one batch (and, when a failed batch is retried
    #: article by article, on one article) before it is stopped and its articles reported as
    #: errors; 0 = no limit.  Enforced for ``workers`` > 1; not in-process, not on Dask.
    task_timeout: float = 600.0
    #: Files larger than this are reported and skipped (bytes).
    max_file_bytes: int = 50 * 1024 * 1024
    #: Articles longer than this are cut here before extraction (characters).
    max_article_chars: int = 1_000_000
    #: Column names of corpus files (JSONL/CSV): our field -> their column.
    columns: dict[str, str] = field(default_factory=lambda: {
        "id": "id", "url": "url", "published": "published", "title": "title", "body": "body"})
    #: Dask scheduler address ("tcp://host:8786"), or "local" for a LocalCluster of ``workers``
    #: processes; empty runs without Dask.
    dask: str = ""
    #: Output tables to write: any of "jsonl", "parquet", "csv", "sqlite".
    formats: tuple[str, ...] = ("jsonl", "parquet", "csv", "sqlite")
    #: Build the Thai full-text search index of the SQLite file while extracting.  Off by
    #: default: it is the costliest part of writing (about as much CPU as all the
    #: other outputs together) and only ``khaosan serve`` needs it, which builds it on
    #: first start (or run ``khaosan index DATASET`` once).
    search_index: bool = False
    #: Let the workers write the dataset themselves, as numbered parts of ``part_size`` articles
    #: (``DIR/<table>/part-NNNNNN.parquet``...), instead of sending every row back to one writer:
    #: for clusters, where that one writer (about 1,000 articles/s) would cap the run, and for
    #: runs that must survive being stopped (``khaosan extract --parts --resume`` goes on from the
    #: last part written).  The workers must see the output folder (a shared file system).
    parts: bool = False
    #: Articles per part when ``parts`` is on (rounded up to whole batches).
    part_size: int = 1024

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError(f"workers must be 0 (one per CPU core) or more, got {self.workers}")
        if self.workers == 0:  # resolved here, on the client: a cluster's workers see the number it chose
            object.__setattr__(self, "workers", available_cores())

    def where(self) -> str:
        """Where extraction runs, in words (for a run's summary)."""
        if self.dask:
            return f"Dask LocalCluster of {self.workers} workers" if self.dask == "local" else f"Dask {self.dask}"
        return f"{self.workers} worker processes" if self.workers > 1 else "in-process"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"KHAOSAN_{f.name.upper()}")
            if raw is None:
                continue
            if f.name in ("workers", "batch_size", "max_file_bytes", "max_article_chars", "part_size"):
                values[f.name] = int(raw)
            elif f.name == "task_timeout":
                values[f.name] = float(raw)
            elif f.name in ("extractors", "formats"):
                values[f.name] = tuple(x for x in raw.split(",") if x)
            elif f.name in ("search_index", "parts"):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif f.name == "columns":
                values[f.name] = dict(kv.split("=", 1) for kv in raw.split(",") if "=" in kv)
            else:
                values[f.name] = raw
        return cls(**values).replace(**overrides)
