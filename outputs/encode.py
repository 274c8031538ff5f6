"""A batch of articles → what every output format needs, computed where the articles were processed.

With several workers, the one writer process would otherwise turn every row
into JSON, CSV text, Arrow arrays and SQLite tuples itself and become the
bottleneck.  So a worker processes a batch of articles, builds their rows, and
encodes them for each requested format (:meth:`Sink.encode`); the writer only
appends the results, in input order.
"""
from __future__ import annotations

import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from khaosan.corpus.article import Article, ReadError
from khaosan.outputs.rows import Row, doc_tuples
from khaosan.outputs.schema import TABLES
from khaosan.pipeline.parallel import Failed

if TYPE_CHECKING:
    from khaosan.pipeline.runner import Pipeline

Tuples = dict[str, list[tuple]]  # table name → rows as tuples in the table's column order

_GETTERS = {name: itemgetter(*t.column_names) for name, t in TABLES.items()}


def error_row(source: str, stage: str, reason: str, version: str) -> Row:
    return {"source": source, "stage": stage, "reason": reason, "pipeline_version": version}


def as_tuples(rows: dict[str, list[Row]]) -> Tuples:
    """Row dicts (every column present) → tuples in column order."""
    return {name: list(map(_GETTERS[name], rs)) for name, rs in rows.items() if rs}


@dataclass(slots=True)
class EncodedBatch:
    """One batch, ready to write: counts for the run summary and one payload per format."""

    articles: int = 0
    characters: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    extraction_errors: int = 0
    timings: Counter[str] = field(default_factory=Counter)
    payloads: dict[str, Any] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # of the process that made the batch (workers' CPU is not the writer's)
    peak_rss_mib: float = 0.0  # peak memory of that process so far


class BatchRows:
    """One batch's rows as tuples and facts.jsonl records, with derived forms built once for every format.

    Parquet and CSV both start from Arrow tables (CSV is written by Arrow's C++
    writer, ten times faster than the csv module), so they are made once here.
    """

    __slots__ = ("tuples", "records", "_arrow")

    def __init__(self, tuples: Tuples, records: list[dict[str, Any]]) -> None:
        self.tuples = tuples
        self.records = records
        self._arrow: dict[str, Any] | None = None

    def arrow(self) -> dict[str, Any]:
        """Table name → ``pyarrow.Table`` in the table's schema."""
        if self._arrow is None:
            import pyarrow as pa

            self._arrow = {}
            for name, rows in self.tuples.items():
                schema = TABLES[name].arrow_schema
                columns = zip(*rows)
                self._arrow[name] = pa.Table.from_arrays(
                    [pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)
        return self._arrow


def encode(tables: Tuples, records: list[dict[str, Any]], formats: tuple[str, ...]) -> dict[str, Any]:
    from khaosan.outputs.writers import SINKS

    batch = BatchRows(tables, records)
    return {f: SINKS[f].encode(batch) for f in formats}


def encode_batch(pipeline: Pipeline, batch: list[Article | Failed | ReadError], formats: tuple[str, ...]
                 ) -> EncodedBatch:
    """Process ``batch`` and encode its rows for ``formats`` (a task for :func:`map_batches`).

    A :class:`ReadError` in the batch (a file or row the reader could not read, carried to a
    worker that writes its own part: :mod:`khaosan.outputs.parts`) becomes an ``errors`` row in its place.
    """
    from khaosan.pipeline.version import pipeline_version

    version = pipeline_version()
    families = pipeline.families
    out = EncodedBatch()
    cpu0 = time.process_time()
    rows: Tuples = {name: [] for name in TABLES}
    errors_of = _GETTERS["errors"]
    records: list[dict[str, Any]] = []
    for article in batch:
        if isinstance(article, ReadError):
            rows["errors"].append(errors_of(error_row(article.source, "read", article.reason, version)))
            continue
        if isinstance(article, Failed):  # the workers could not process it (pipeline.parallel)
            rows["errors"].append(errors_of(error_row(article.article.doc_id, "worker", article.reason, version)))
            out.extraction_errors += 1
            continue
        result = pipeline.process(article)
        doc = result.doc
        t0 = time.perf_counter()
        for name, rs in doc_tuples(doc, version).items():
            rows[name].extend(rs)
        rows["errors"].extend(errors_of(error_row(e.doc_id, f"extract:{e.extractor}", e.reason, version))
                              for e in result.errors)
        records.append(doc.to_facts(families))
        out.timings.update(doc.timings)
        out.timings["rows"] += time.perf_counter() - t0
        out.articles += 1
        out.characters += len(doc.text)
        out.extraction_errors += len(result.errors)
        for fam in families:
            out.facts[fam] += len(doc.facts.get(fam, []))
    out.mentions = len(rows["mentions"])
    t0 = time.perf_counter()
    out.payloads = encode({name: rs for name, rs in rows.items() if rs}, records, formats)
    out.timings["encode"] += time.perf_counter() - t0
    out.cpu_seconds = time.process_time() - cpu0
    out.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def batch_task(formats: tuple[str, ...]) -> partial[EncodedBatch]:
    """The picklable task that workers run for a dataset with these formats."""
    return partial(encode_batch, formats=formats)
