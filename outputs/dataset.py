"""The library functions behind ``khaosan extract`` and ``khaosan.extract``.

``run_extract`` streams articles from the readers through the pipeline into the
writers; the CLI and (later) the scheduled job call it.  ``Dataset`` gives the
same tables as pandas DataFrames.
"""
from __future__ import annotations

import gc
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khaosan.corpus.article import Article, ReadError
from khaosan.outputs.encode import error_row
from khaosan.outputs.rows import Row, doc_rows
from khaosan.outputs.schema import TABLES
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

    from khaosan.corpus.readers import ReadStats
    from khaosan.outputs.writers import DatasetWriter
    from khaosan.pipeline.runner import Result


@dataclass(slots=True)
class RunSummary:
    """What a run did: counts for the closing summary and the ``runs`` log."""

    out: Path | None
    articles: int = 0
    characters: int = 0
    read_errors: list[ReadError] = field(default_factory=list)
    extraction_errors: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    seconds: float = 0.0
    read_summary: str = ""  # files read and skipped, from the readers
    worker_cpu_seconds: float = 0.0  # CPU of the processes that extracted (the writer's own is not included)
    worker_peak_mib: float = 0.0
    parts: int = 0  # parts written by this run (``Settings.parts``)
    resumed_parts: int = 0  # parts an interrupted run had written, kept by ``--resume``
    workers: str = ""  # where extraction ran: "in-process", "2 worker processes", "Dask tcp://..."
    formats: tuple[str, ...] = ()  # the output formats written into ``out``

    def lines(self) -> list[str]:
        rate = self.articles / self.seconds if self.seconds else 0.0
        where = f" ({self.workers})" if self.workers else ""
        out = [f"{self.articles} articles ({self.characters:,} characters) in {self.seconds:.1f} s, "
               f"{rate:.1f} articles/s{where}"]
        out.append("facts: " + ", ".join(f"{n} {fam}" for fam, n in self.facts.items()) + f"; {self.mentions} mentions")
        if self.read_errors or self.extraction_errors:
            out.append(f"errors: {len(self.read_errors)} unreadable inputs, {self.extraction_errors} extractor failures "
                       "(see the errors table)")
        if self.read_summary:
            out.append(f"inputs: {self.read_summary}")
        if self.parts or self.resumed_parts:
            kept = f", {self.resumed_parts} kept from the interrupted run" if self.resumed_parts else ""
            out.append(f"parts: {self.parts} written{kept}")
        if self.out is not None:
            names = _PART_FILES if self.parts or self.resumed_parts else _FILES
            files = ", ".join(names[f] for f in names if f in self.formats)
            out.append(f"dataset: {self.out}/ ({files})")
        return out


# What each format writes, in the order the summary names them.
_FILES = {"jsonl": "facts.jsonl", "parquet": "*.parquet", "csv": "csv/", "sqlite": "khaosan.sqlite"}
_PART_FILES = {"jsonl": "facts/ part files", "parquet": "<table>/ part files", "csv": "csv/<table>/ part files",
               "sqlite": "khaosan.sqlite"}

Progress = Callable[[int, int], None]  # (articles done, characters done)


def _articles(items: Iterable[Article | ReadError], summary: RunSummary, on_error: Callable[[ReadError], None]
              ) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ReadError):
            summary.read_errors.append(item)
            on_error(item)
        else:
            yield item


def process_stream(items: Iterable[Article | ReadError], settings: Settings,
                   sink: Callable[[dict[str, list[Row]], dict[str, Any] | None], None],
                   progress: Progress | None = None,
                   on_error: Callable[[ReadError], None] = lambda e: None,
                   timings: Counter[str] | None = None) -> RunSummary:
    """Run the pipeline over articles and hand each article's rows to ``sink``, in input order.

    ``timings``, when given, accumulates the per-stage seconds of every article.
    """
    from khaosan.pipeline.runner import Pipeline
    from khaosan.pipeline.version import pipeline_version

    version = pipeline_version()
    summary = RunSummary(out=None)
    t0 = time.perf_counter()

    def report_error(err: ReadError) -> None:
        sink({"errors": [error_row(err.source, "read", err.reason, version)]}, None)
        on_error(err)

    pipeline = Pipeline(settings)
    families = pipeline.families
    results: Iterator[Result] = pipeline.pipe(_articles(items, summary, report_error))
    for result in results:
        doc = result.doc
        if timings is not None:
            timings.update(doc.timings)
        rows = doc_rows(doc, version)
        rows["errors"] = [error_row(f"{e.doc_id}", f"extract:{e.extractor}", e.reason, version) for e in result.errors]
        summary.extraction_errors += len(result.errors)
        summary.articles += 1
        summary.characters += len(doc.text)
        for fam in families:
            summary.facts[fam] += len(doc.facts.get(fam, []))
        summary.mentions += len(rows["mentions"])
        sink(rows, doc.to_facts(families))
        if progress is not None:
            progress(summary.articles, summary.characters)
    summary.seconds = time.perf_counter() - t0
    return summary


def read(paths: Iterable[str | Path], settings: Settings, stats: ReadStats | None = None
         ) -> Iterator[Article | ReadError]:
    from khaosan.corpus.readers import read_paths

    return read_paths(paths, settings, stats)


def write_stream(items: Iterable[Article | ReadError], settings: Settings, writer: DatasetWriter,
                 progress: Progress | None = None, on_error: Callable[[ReadError], None] = lambda e: None,
                 timings: Counter[str] | None = None) -> RunSummary:
    """Run the pipeline over articles in batches (here, in a pool or on Dask) and write every batch, in input order.

    Read errors are written with the batch they were met in, so the output is
    the same whatever the number of workers.  ``timings`` accumulates per-stage seconds.
    """
    from khaosan.outputs.encode import as_tuples, batch_task, encode
    from khaosan.pipeline.parallel import map_batches, rare_collections
    from khaosan.pipeline.version import pipeline_version

    version = pipeline_version()
    summary = RunSummary(out=None, workers=settings.where())
    t_start = time.perf_counter()
    errors_per_batch: deque[list[Row]] = deque()

    def batches() -> Iterator[list[Article]]:
        batch: list[Article] = []
        errors: list[Row] = []
        for item in items:
            if isinstance(item, ReadError):
                summary.read_errors.append(item)
                on_error(item)
                errors.append(error_row(item.source, "read", item.reason, version))
                continue
            batch.append(item)
            if len(batch) >= settings.batch_size:
                errors_per_batch.append(errors)
                yield batch
                batch, errors = [], []
        if batch or errors:
            errors_per_batch.append(errors)
            yield batch

    gc_thresholds = rare_collections()  # the writer unpickles thousands of row tuples per batch
    for encoded in map_batches(settings, batches(), batch_task(writer.formats)):
        t0 = time.perf_counter()
        read_errors = errors_per_batch.popleft()
        if read_errors:
            writer.write(encode(as_tuples({"errors": read_errors}), [], writer.formats))
        writer.write(encoded.payloads)
        summary.articles += encoded.articles
        summary.characters += encoded.characters
        summary.facts.update(encoded.facts)
        summary.mentions += encoded.mentions
        summary.extraction_errors += encoded.extraction_errors
        summary.worker_cpu_seconds += encoded.cpu_seconds
        summary.worker_peak_mib = max(summary.worker_peak_mib, encoded.peak_rss_mib)
        if timings is not None:
            timings.update(encoded.timings)
            timings["write"] += time.perf_counter() - t0
        if progress is not None:
            progress(summary.articles, summary.characters)
    gc.set_threshold(*gc_thresholds)
    summary.seconds = time.perf_counter() - t_start
    return summary


def run_extract(paths: Iterable[str | Path], out: Path, settings: Settings | None = None,
                progress: Progress | None = None,
                on_error: Callable[[ReadError], None] = lambda e: None,
                timings: Counter[str] | None = None, resume: bool = False) -> RunSummary:
    """Extract facts from files and folders into ``out`` (facts.jsonl, Parquet, CSV, SQLite).

    With ``settings.parts`` the workers write the dataset in parts, and ``resume`` goes on
    from the parts an interrupted run wrote (:mod:`khaosan.outputs.parts`).
    """
    from khaosan.corpus.readers import ReadStats
    from khaosan.outputs import parts
    from khaosan.outputs.writers import DatasetWriter

    settings = settings or Settings.from_env()
    stats = ReadStats()
    if settings.parts:
        summary = parts.write_parts(read(paths, settings, stats), settings, out, resume, progress, on_error, timings)
        summary.formats = settings.formats
        summary.read_summary = stats.summary()
        return summary
    if resume:
        raise parts.ResumeRefused("--resume goes on from parts: run with --parts")
    if out.exists():
        parts.clear(out)  # one layout per folder: no parts of an earlier run beside the new files
    with DatasetWriter(out, settings.formats, settings.batch_size, settings.search_index) as writer:
        summary = write_stream(read(paths, settings, stats), settings, writer, progress, on_error, timings)
        t0 = time.perf_counter()
    if timings is not None:
        timings["write"] += time.perf_counter() - t0  # closing: indexes, statistics, file footers
    summary.out = out
    summary.formats = settings.formats
    summary.read_summary = stats.summary()
    return summary


class Dataset:
    """The dataset's tables as pandas DataFrames (``ds.persons``, ``ds.figures``, ``ds["mentions"]``...)."""

    def __init__(self, tables: dict[str, pd.DataFrame], facts: list[dict[str, Any]] | None = None,
                 summary: RunSummary | None = None) -> None:
        self.tables = tables
        self.facts = facts or []
        self.summary = summary

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return "Dataset(" + ", ".join(f"{k}={len(v)}" for k, v in self.tables.items()) + ")"

    @classmethod
    def from_rows(cls, rows: dict[str, list[Row]], facts: list[dict[str, Any]],
                  summary: RunSummary | None = None) -> Dataset:
        import pandas as pd

        tables = {name: pd.DataFrame(rows.get(name, []), columns=t.column_names) for name, t in TABLES.items()}
        return cls(tables, facts, summary)

    @classmethod
    def load(cls, out: str | Path) -> Dataset:
        """Read a dataset directory written by ``khaosan extract`` (one file per table, or in parts)."""
        import json

        import pandas as pd

        from khaosan.outputs.parts import is_parts_layout, part_files

        out = Path(out)
        if is_parts_layout(out):
            import pyarrow as pa
            import pyarrow.parquet as pq

            tables = {name: pa.concat_tables([pq.read_table(f) for f in part_files(out, name)]
                                             or [t.arrow_schema.empty_table()]).to_pandas()
                      for name, t in TABLES.items()}
            facts_files = sorted((out / "facts").glob("part-*.jsonl"))
        else:
            tables = {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}
            facts_files = [out / "facts.jsonl"] if (out / "facts.jsonl").exists() else []
        facts = []
        for path in facts_files:
            with path.open(encoding="utf-8") as f:
                facts.extend(json.loads(line) for line in f if line.strip())
        return cls(tables, facts)


def extract(paths: str | Path | Iterable[str | Path] | Iterable[Article], settings: Settings | None = None,
            out: str | Path | None = None) -> Dataset:
    """``khaosan.extract(paths) -> Dataset``: files, folders or Article objects in, DataFrames out.

    With ``out``, the dataset files are written there too (as ``khaosan extract`` does).
    """
    settings = settings or Settings.from_env()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = list(paths)
    if out is not None:
        summary = run_extract([p for p in items if not isinstance(p, Article)], Path(out), settings)
        ds = Dataset.load(out)
        ds.summary = summary
        return ds
    source: Iterable[Article | ReadError] = (
        items if items and all(isinstance(i, Article) for i in items) else read(items, settings))  # type: ignore[arg-type]
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    facts: list[dict[str, Any]] = []

    def collect(r: dict[str, list[Row]], record: dict[str, Any] | None) -> None:
        for name, rs in r.items():
            rows[name].extend(rs)
        if record is not None:
            facts.append(record)

    summary = process_stream(source, settings, collect)
    return Dataset.from_rows(rows, facts, summary)
