"""A run written in parts by the workers themselves: for clusters, and for runs that must survive a stop.

The default ``extract`` sends every batch's encoded rows back to one writer:
one file per table, but that writer appends about 1,000 articles/s, which caps
what a cluster can give a run, and a run stopped half-way (a batch job's time
limit, a pre-empted node) starts again, because a Parquet file's footer is
written last.

With parts (``khaosan extract --parts``, ``Settings.parts``) the input is cut
into parts of ``part_size`` articles, in input order.  The worker that
processes a part writes it as a small dataset of its own into a scratch folder
of the output; the client moves the files into place as the parts come back,
in order, and records each part in an append-only manifest::

    DIR/facts/part-000000.jsonl
    DIR/<table>/part-000000.parquet         (every table, a file per part, empty ones too)
    DIR/csv/<table>/part-000000.csv         (each with the UTF-8 BOM and the header)
    DIR/parts.jsonl                         (the run's settings, then one line per part written)
    DIR/khaosan.sqlite                      (each part appended as it comes back; keys and indexes at the end)
    DIR/sqlite/part-000000.sqlite           (a part's SQLite rows, until the run is complete)

Read in part order, the tables are row for row those of a one-writer run, and
the facts files put end to end are its facts.jsonl byte for byte
(``tests/test_parallel.py``).  The client only reads the inputs, hands out
parts, renames files, and has SQLite copy each part's rows into the one
``khaosan.sqlite`` (in C, with no Python object per row).

``--resume`` goes on after a stop: the parts the manifest records are not
processed again (with nothing to go on from, it starts, so a batch job can
pass it on every try).  The inputs are read again to find where the rest begins, and
each skipped part's articles are checked against the digest the manifest holds
for it, so inputs that changed since are refused rather than mixed in.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khaosan.corpus.article import Article, ReadError
from khaosan.outputs.encode import EncodedBatch, encode_batch
from khaosan.outputs.schema import TABLES
from khaosan.pipeline.parallel import Failed
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    from khaosan.outputs.dataset import Progress, RunSummary
    from khaosan.pipeline.runner import Pipeline

log = logging.getLogger("khaosan")

MANIFEST = "parts.jsonl"
SCRATCH = ".parts-tmp"
LAYOUT = "khaosan-parts/1"
# Settings that change what a part holds: a resumed run must have the same ones.
_SIGNATURE_FIELDS = ("tokenizer", "sentences", "extractors", "batch_size", "part_size", "max_file_bytes",
                     "max_article_chars", "columns", "formats")

PartItem = Article | Failed | ReadError


class ResumeRefused(ValueError):
    """``--resume`` cannot go on from what the output folder holds (other settings, other inputs, missing parts)."""


def part_name(index: int) -> str:
    return f"part-{index:06d}"


def part_files(out: Path, table: str) -> list[Path]:
    """A table's part files, in part order (the names sort as the parts do)."""
    return sorted((out / table).glob("part-*.parquet"))


def is_parts_layout(out: Path) -> bool:
    return (out / MANIFEST).exists()


def _targets(out: Path, index: int) -> dict[str, Path]:
    """Where each file of a part's scratch folder goes (relative scratch path → final path)."""
    name = part_name(index)
    moves = {"facts.jsonl": out / "facts" / f"{name}.jsonl", "khaosan.sqlite": out / "sqlite" / f"{name}.sqlite"}
    for table in TABLES:
        moves[f"{table}.parquet"] = out / table / f"{name}.parquet"
        moves[f"csv/{table}.csv"] = out / "csv" / table / f"{name}.csv"
    return moves


def clear(out: Path) -> None:
    """Remove what an earlier run wrote in either layout (only files khaosan names, nothing else)."""
    for path in [out / MANIFEST, out / "facts.jsonl", out / "khaosan.sqlite", out / "khaosan.sqlite-journal",
                 out / "khaosan.sqlite-wal", out / "khaosan.sqlite-shm"]:
        path.unlink(missing_ok=True)
    for table in TABLES:
        (out / f"{table}.parquet").unlink(missing_ok=True)
        (out / "csv" / f"{table}.csv").unlink(missing_ok=True)
        for folder, pattern in ((out / table, "part-*.parquet"), (out / "csv" / table, "part-*.csv")):
            for p in folder.glob(pattern):
                p.unlink()
    for p in [*(out / "facts").glob("part-*.jsonl"), *(out / "sqlite").glob("part-*.sqlite")]:
        p.unlink()
    shutil.rmtree(out / SCRATCH, ignore_errors=True)


# -- in the worker -------------------------------------------------------------------------------

def _chunks(items: list[PartItem], batch_size: int) -> Iterator[list[PartItem]]:
    """The part cut into the batches a one-writer run makes, each batch's read errors first (as it writes them)."""
    errors: list[PartItem] = []
    batch: list[PartItem] = []
    for item in items:
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield errors + batch
            errors, batch = [], []
    if errors or batch:
        yield errors + batch


@dataclass(slots=True)
class PartWritten:
    """What a worker sends back for a part: where it wrote the files, and the part's counts."""

    scratch: str
    counts: EncodedBatch


def write_part(pipeline: Pipeline, items: list[PartItem], scratch_root: str, formats: tuple[str, ...],
               batch_size: int) -> PartWritten:
    """Process one part and write it into a new scratch folder (a task for ``map_batches``).

    Every call writes a folder of its own: a part tried again, or an article tried alone
    after its part failed, never writes over files another call may still be writing.
    """
    from khaosan.outputs.writers import DatasetWriter

    scratch = Path(scratch_root) / uuid.uuid4().hex
    total = EncodedBatch()
    # the part's SQLite file gets no keys or indexes: the client appends it to the whole, which gets them once
    with DatasetWriter(scratch, formats, batch_size, sqlite_keys=False) as writer:
        for chunk in _chunks(items, batch_size):
            encoded = encode_batch(pipeline, chunk, formats)
            t0 = time.perf_counter()
            writer.write(encoded.payloads)
            encoded.timings["write"] += time.perf_counter() - t0
            _add(total, encoded)
        t0 = time.perf_counter()
    total.timings["write"] += time.perf_counter() - t0  # closing: Parquet footers
    return PartWritten(str(scratch), total)


def _add(total: EncodedBatch, encoded: EncodedBatch) -> None:
    total.articles += encoded.articles
    total.characters += encoded.characters
    total.facts.update(encoded.facts)
    total.mentions += encoded.mentions
    total.extraction_errors += encoded.extraction_errors
    total.timings.update(encoded.timings)
    total.cpu_seconds += encoded.cpu_seconds
    total.peak_rss_mib = max(total.peak_rss_mib, encoded.peak_rss_mib)


# -- in the client -------------------------------------------------------------------------------

def signature(settings: Settings) -> dict[str, Any]:
    from khaosan.pipeline.version import pipeline_version

    sig: dict[str, Any] = {"layout": LAYOUT, "pipeline_version": pipeline_version()}
    for name in _SIGNATURE_FIELDS:
        value = getattr(settings, name)
        sig[name] = list(value) if isinstance(value, tuple) else value
    return sig


@dataclass
class Manifest:
    """``parts.jsonl``: the run's signature, then one line per part written, in part order."""

    path: Path
    run: dict[str, Any]
    parts: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = False  # the run finished: every part written and khaosan.sqlite closed

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest as far as it is whole (a line cut short by a kill is dropped)."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        lines = []
        for line in raw.split(b"\n"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                break
        if not lines or lines[0].get("run", {}).get("layout") != LAYOUT:
            return None
        parts = [p for p in lines[1:] if "part" in p]
        parts = [p for i, p in enumerate(parts) if p["part"] == i]  # consecutive from 0
        return cls(path, lines[0]["run"], parts, any(x.get("complete") for x in lines[1:]))

    def start(self) -> None:
        """Write the manifest anew: its first line, and the parts kept."""
        ending = [{"complete": True, "parts": len(self.parts)}] if self.complete else []
        text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [{"run": self.run}, *self.parts, *ending])
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)

    def append(self, record: dict[str, Any]) -> None:
        # One short line per part, flushed and synced: a part is done once its line is on disk.
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.parts.append(record)


def _digest() -> Any:
    return hashlib.blake2b(digest_size=16)


def _update(h: Any, item: Article | ReadError) -> None:
    if isinstance(item, ReadError):
        h.update(f"!{item.source}\x1f{item.reason}\n".encode("utf-8"))
    else:
        h.update(f"{item.doc_id}\x1f".encode("utf-8"))
        h.update(item.text.encode("utf-8"))
        h.update(b"\n")


def _cut(items: Iterable[Article | ReadError], settings: Settings, on_read_error: Callable[[ReadError], None]
         ) -> Iterator[tuple[list[PartItem], str]]:
    """The input as parts of whole batches, each with a digest of what it holds."""
    batches_per_part = max(1, -(-settings.part_size // settings.batch_size))
    part: list[PartItem] = []
    h = _digest()
    in_batch = batches = 0
    for item in items:
        _update(h, item)
        part.append(item)
        if isinstance(item, ReadError):
            on_read_error(item)
            continue
        in_batch += 1
        if in_batch >= settings.batch_size:
            in_batch, batches = 0, batches + 1
            if batches >= batches_per_part:
                yield part, h.hexdigest()
                part, h, batches = [], _digest(), 0
    if part:
        yield part, h.hexdigest()


def _move_into_place(scratch: Path, out: Path, index: int) -> None:
    for rel, target in _targets(out, index).items():
        source = scratch / rel
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    shutil.rmtree(scratch, ignore_errors=True)


def _record(index: int, digest: str, counts: EncodedBatch, read_errors: int) -> dict[str, Any]:
    return {"part": index, "digest": digest, "articles": counts.articles, "characters": counts.characters,
            "facts": dict(counts.facts), "mentions": counts.mentions,
            "extraction_errors": counts.extraction_errors, "read_errors": read_errors}


def _count(summary: RunSummary, record: dict[str, Any]) -> None:
    summary.articles += record["articles"]
    summary.characters += record["characters"]
    summary.facts.update(record["facts"])
    summary.mentions += record["mentions"]
    summary.extraction_errors += record["extraction_errors"]


def _open_manifest(out: Path, settings: Settings, resume: bool) -> Manifest:
    run = signature(settings)
    old = Manifest.read(out / MANIFEST) if resume else None
    if resume and old is None:
        # Nothing to go on from (the first try of a batch job that resumes on every try): start.
        log.info("%s: nothing to resume (no %s), starting from the first part", out, MANIFEST)
    if old is not None:
        changed = sorted(k for k in set(run) | set(old.run) if run.get(k) != old.run.get(k))
        if changed:
            raise ResumeRefused(f"{out}: the interrupted run had other settings ({', '.join(changed)}); "
                                "rerun without --resume")
        manifest = old
        shutil.rmtree(out / SCRATCH, ignore_errors=True)
    else:
        clear(out)
        manifest = Manifest(out / MANIFEST, run)
    manifest.start()  # rewritten whole: drops a line a kill cut short
    return manifest


def write_parts(items: Iterable[Article | ReadError], settings: Settings, out: Path, resume: bool = False,
                progress: Progress | None = None, on_error: Callable[[ReadError], None] = lambda e: None,
                timings: Any = None) -> RunSummary:
    """Run the pipeline over ``items`` with the workers writing the dataset as parts (see the module doc).

    One run at a time per folder: a batch job requeued while its last try still runs (or two
    jobs given the same ``--out``) gets :class:`~khaosan.pipeline.ingest_lock.Locked` at once.
    """
    from khaosan.pipeline.ingest_lock import DatasetLock

    out.mkdir(parents=True, exist_ok=True)
    with DatasetLock(out / MANIFEST, "khaosan extract --parts"):
        return _write_parts(items, settings, out, resume, progress, on_error, timings)


def _write_parts(items: Iterable[Article | ReadError], settings: Settings, out: Path, resume: bool,
                 progress: Progress | None, on_error: Callable[[ReadError], None], timings: Any) -> RunSummary:
    from khaosan.outputs.dataset import RunSummary
    from khaosan.pipeline.parallel import map_batches

    manifest = _open_manifest(out, settings, resume)
    done = len(manifest.parts)
    summary = RunSummary(out=out, workers=settings.where())
    summary.resumed_parts = done
    t_start = time.perf_counter()
    scratch_root = out / SCRATCH
    scratch_root.mkdir(exist_ok=True)
    sent_out: deque[tuple[int, str, int]] = deque()  # (part index, digest, read errors) of parts sent out

    def on_read_error(err: ReadError) -> None:
        summary.read_errors.append(err)
        on_error(err)

    def to_run() -> Iterator[list[PartItem]]:
        seen = 0
        for index, (part, digest) in enumerate(_cut(items, settings, on_read_error)):
            seen = index + 1
            n_errors = sum(isinstance(i, ReadError) for i in part)
            if index < done:
                if manifest.parts[index]["digest"] != digest:
                    raise ResumeRefused(f"{out}: the inputs changed since the interrupted run (part {index} "
                                        "holds other articles); rerun without --resume")
                _count(summary, manifest.parts[index])
                if progress is not None:
                    progress(summary.articles, summary.characters)
                continue
            sent_out.append((index, digest, n_errors))
            yield part
        if seen < done:
            raise ResumeRefused(f"{out}: the inputs are shorter than the interrupted run's; rerun without --resume")

    task = partial(write_part, scratch_root=str(scratch_root), formats=settings.formats, batch_size=settings.batch_size)
    # One SQLite file for the run: the client appends each part's file to it as the part comes back
    # (the parts a resumed run keeps first); a finished run's file is kept as it is.
    sqlite = None
    if "sqlite" in settings.formats and not manifest.complete:
        from khaosan.outputs.writers import SqliteSink

        kept = [out / "sqlite" / f"{part_name(index)}.sqlite" for index in range(done)]
        missing = [p.name for p in kept if not p.exists()]
        if missing:
            raise ResumeRefused(f"{out}: the SQLite rows of kept parts are missing (sqlite/{missing[0]}); "
                                "rerun without --resume")
        sqlite = SqliteSink(out, settings.search_index)
        for path in kept:
            sqlite.append_database(path)
    for written in map_batches(settings, to_run(), task):
        index, digest, n_errors = sent_out.popleft()
        t0 = time.perf_counter()
        _move_into_place(Path(written.scratch), out, index)
        if sqlite is not None:
            sqlite.append_database(out / "sqlite" / f"{part_name(index)}.sqlite")
        record = _record(index, digest, written.counts, n_errors)
        manifest.append(record)
        _count(summary, record)
        summary.parts += 1
        summary.worker_cpu_seconds += written.counts.cpu_seconds
        summary.worker_peak_mib = max(summary.worker_peak_mib, written.counts.peak_rss_mib)
        if timings is not None:
            timings.update(written.counts.timings)
            timings["write"] += time.perf_counter() - t0
        if progress is not None:
            progress(summary.articles, summary.characters)
    shutil.rmtree(scratch_root, ignore_errors=True)  # what articles tried alone after a failure left
    if sqlite is not None:
        t0 = time.perf_counter()
        sqlite.close()  # keys, indexes, statistics
        if timings is not None:
            timings["write"] += time.perf_counter() - t0
    if not manifest.complete:
        manifest.complete = True
        manifest.append({"complete": True, "parts": len(manifest.parts)})
    shutil.rmtree(out / "sqlite", ignore_errors=True)  # every part is in khaosan.sqlite now
    summary.seconds = time.perf_counter() - t_start
    return summary
