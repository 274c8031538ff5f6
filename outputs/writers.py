"""Streaming writers: facts.jsonl, Parquet (row groups of ~64k rows), CSV and SQLite (one transaction per batch).

Each format is a sink with two halves: ``encode`` turns a batch of rows into
the format's own payload (JSON text, Arrow tables, CSV text, SQLite tuples) and
runs in the worker that processed the batch; ``write`` appends a payload and
runs in the one writer, in input order.  Nothing is held beyond a batch, so
memory stays flat however large the corpus.  A run that fails or is
interrupted (Ctrl-C) closes every file with every batch already written; a
killed one (SIGKILL) still leaves facts.jsonl, the CSVs and SQLite whole up to
its last batch, but not Parquet, whose footer is written at the end
(``tests/test_extract_interrupted.py``).
"""
from __future__ import annotations

import csv
import io
import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from khaosan.outputs.schema import REAL, TABLES, Table

if TYPE_CHECKING:
    from khaosan.outputs.encode import BatchRows

log = logging.getLogger("khaosan")

Row = dict[str, Any]
Tuples = dict[str, list[tuple]]
Records = list[dict[str, Any]]


class Sink(Protocol):
    @staticmethod
    def encode(batch: BatchRows) -> Any: ...
    def write(self, payload: Any) -> None: ...
    def close(self) -> None: ...


class JsonlSink:
    """facts.jsonl: one line per article in the SCHEMA.md format, with evidence."""

    def __init__(self, out: Path) -> None:
        self.f = (out / "facts.jsonl").open("w", encoding="utf-8")

    @staticmethod
    def encode(batch: BatchRows) -> str:
        encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per record
        return "".join([encode(r) + "\n" for r in batch.records])

    def write(self, payload: str) -> None:
        if payload:
            self.f.write(payload)
            self.f.flush()

    def close(self) -> None:
        self.f.close()


class ParquetSink:
    """One ``<table>.parquet`` per table, zstd-compressed.

    Batches are gathered into row groups of about ``ROW_GROUP_ROWS`` rows or
    ``ROW_GROUP_BYTES`` bytes (articles carry their text), whichever comes first: a row
    group per 64-article batch would leave thousands of tiny groups whose
    metadata the writer keeps until the footer (memory growing with the corpus)
    and that readers must skip one by one.
    """

    ROW_GROUP_ROWS = 65_536
    ROW_GROUP_BYTES = 32 << 20

    def __init__(self, out: Path) -> None:
        self.out = out
        self.writers: dict[str, Any] = {}
        self.pending: dict[str, list[Any]] = {}
        self.pending_rows: dict[str, int] = {}
        self.pending_bytes: dict[str, int] = {}

    def _writer(self, table: Table) -> Any:
        import pyarrow.parquet as pq

        if table.name not in self.writers:
            self.writers[table.name] = pq.ParquetWriter(self.out / f"{table.name}.parquet", table.arrow_schema,
                                                        compression="zstd")
        return self.writers[table.name]

    @staticmethod
    def encode(batch: BatchRows) -> dict[str, Any]:
        return batch.arrow()

    def write(self, payload: dict[str, Any]) -> None:
        for name, arrow_table in payload.items():
            self.pending.setdefault(name, []).append(arrow_table)
            self.pending_rows[name] = self.pending_rows.get(name, 0) + arrow_table.num_rows
            self.pending_bytes[name] = self.pending_bytes.get(name, 0) + arrow_table.nbytes
            if self.pending_rows[name] >= self.ROW_GROUP_ROWS or self.pending_bytes[name] >= self.ROW_GROUP_BYTES:
                self._flush(name)

    def _flush(self, name: str) -> None:
        import pyarrow as pa

        parts = self.pending.pop(name, [])
        self.pending_rows.pop(name, None)
        self.pending_bytes.pop(name, None)
        if parts:
            self._writer(TABLES[name]).write_table(pa.concat_tables(parts), row_group_size=1 << 30)

    def close(self) -> None:
        for name in list(self.pending):
            self._flush(name)
        for table in TABLES.values():
            self._writer(table)  # every table exists, even when empty
        for w in self.writers.values():
            w.close()


class CsvSink:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs show Thai correctly.

    Rows are written by Arrow's CSV writer (C++), from the Arrow tables Parquet
    uses too: text values are always quoted, a missing value is an empty
    field and an empty text is ``""``.  Decimal columns are written as Python
    writes them (66000000000.0): Arrow's shortest form (6.6e+10) would turn
    amounts into scientific notation in a spreadsheet.
    """

    def __init__(self, out: Path) -> None:
        self.out = out / "csv"
        self.out.mkdir(exist_ok=True)
        self.files: dict[str, Any] = {}

    def _file(self, table: Table) -> Any:
        if table.name not in self.files:
            f = (self.out / f"{table.name}.csv").open("wb")
            header = io.StringIO()
            csv.writer(header).writerow(table.column_names)
            f.write(b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
            self.files[table.name] = f
        return self.files[table.name]

    @staticmethod
    def encode(batch: BatchRows) -> dict[str, bytes]:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        options = pcsv.WriteOptions(include_header=False)
        out = {}
        for name, arrow_table in batch.arrow().items():
            for i, (column, kind) in enumerate(TABLES[name].columns):
                if kind == REAL:
                    rows = batch.tuples[name]
                    arrow_table = arrow_table.set_column(i, column, pa.array(
                        [None if r[i] is None else repr(float(r[i])) for r in rows], type=pa.string()))
            sink = pa.BufferOutputStream()
            pcsv.write_csv(arrow_table, sink, options)
            out[name] = sink.getvalue().to_pybytes()
        return out

    def write(self, payload: dict[str, bytes]) -> None:
        for name, data in payload.items():
            self._file(TABLES[name]).write(data)

    def close(self) -> None:
        for table in TABLES.values():
            self._file(table)
        for f in self.files.values():
            f.close()


class SqliteSink:
    """khaosan.sqlite: every table with its keys and indexes; one transaction per batch.

    With ``search_index``, the Thai search index is filled batch by batch with one
    ``INSERT ... SELECT`` per table, so with several workers it is built while
    they extract instead of in a serial pass at the end (a trigger per row
    costs three times as much); ``install`` at the end adds the triggers that keep
    it in sync for later writers, and rebuilds it only if it does not line up.
    Without it (the default) the file has no index: ``khaosan serve`` or
    ``khaosan index`` builds it once when it is wanted.
    """

    def __init__(self, out: Path, search_index: bool = False, keys: bool = True) -> None:
        from khaosan.outputs.search_index import SPECS
        from khaosan.outputs.sqlite import connect, create_schema

        self.keys = keys  # build keys and indexes at close (not in a part that will be appended to the whole)

        path = out / "khaosan.sqlite"
        path.unlink(missing_ok=True)  # (SQLite drops a journal or WAL a killed run left beside an empty file)
        self.db = connect(path, any_thread=True)  # closed from a thread (DatasetWriter.close)
        # The file is rebuilt from scratch by every run: a power cut may lose it, a killed
        # process does not (each batch is one transaction), so skip the fsyncs that only
        # protect against the former.  A rollback journal rather than WAL: a bulk load only
        # appends pages, which a rollback journal need not copy, while WAL writes every page
        # twice (log, then checkpoint): SQLite writes 0.55 -> 0.44 s per 2,000 articles.
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.execute("PRAGMA synchronous=OFF")
        create_schema(self.db, indexes=False)
        self.search = {name: spec for name, spec in SPECS.items() if name in TABLES} if search_index else {}
        with self.db:
            for spec in self.search.values():
                self.db.execute(spec.create_sql())
        self.indexed_to = dict.fromkeys(self.search, 0)  # base rowid up to which the search index is filled

    @staticmethod
    def encode(batch: BatchRows) -> Tuples:
        return batch.tuples

    def write(self, payload: Tuples) -> None:
        from khaosan.outputs.sqlite import insert_sql

        with self.db:  # the batch, and its search index entries, are one transaction
            for name, rows in payload.items():
                self.db.executemany(insert_sql(TABLES[name]), rows)
                spec = self.search.get(name)
                if spec is not None:
                    self.db.execute(spec.append_sql(), (self.indexed_to[name],))
                    (last,) = self.db.execute(f'SELECT max(rowid) FROM "{name}"').fetchone()
                    self.indexed_to[name] = last or 0

    def append_database(self, path: Path) -> None:
        """Append every table of another file of this schema (a part written by a worker), in one transaction.

        The rows are copied by SQLite itself, in the other file's row order: no Python object per row.
        """
        self.db.execute("ATTACH DATABASE ? AS part", (str(path),))
        try:
            with self.db:
                for name in TABLES:
                    self.db.execute(f'INSERT INTO main."{name}" SELECT * FROM part."{name}" ORDER BY rowid')
        finally:
            self.db.execute("DETACH DATABASE part")

    def close(self) -> None:
        from khaosan.outputs.search_index import install
        from khaosan.outputs.sqlite import create_indexes

        if not self.keys:
            self.db.close()
            return
        # CREATE INDEX sorts with helper threads when allowed; at this point the workers are done.
        self.db.execute(f"PRAGMA threads={min(4, os.cpu_count() or 1)}")
        create_indexes(self.db)
        if self.search:
            install(self.db)  # triggers for later writers; a rebuild only if the index does not line up
        self.db.execute("ANALYZE")
        self.db.close()


SINKS: dict[str, type[JsonlSink] | type[ParquetSink] | type[CsvSink] | type[SqliteSink]] = {
    "jsonl": JsonlSink, "parquet": ParquetSink, "csv": CsvSink, "sqlite": SqliteSink}


class DatasetWriter:
    """Writes encoded batches to every sink; ``add`` buffers row dicts for callers that make them one by one."""

    def __init__(self, out: Path, formats: tuple[str, ...], batch_size: int = 64, search_index: bool = False,
                 sqlite_keys: bool = True) -> None:
        unknown = set(formats) - set(SINKS)
        if unknown:
            raise ValueError(f"unknown output formats {sorted(unknown)}; choose from {sorted(SINKS)}")
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.formats = tuple(formats)
        self.sinks: dict[str, Sink] = {
            f: SqliteSink(out, search_index, sqlite_keys) if f == "sqlite" else SINKS[f](out) for f in self.formats}
        self.batch_size = batch_size
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.records: Records = []

    def write(self, payloads: dict[str, Any]) -> None:
        """Append one batch's payloads (from :func:`khaosan.outputs.encode.encode`)."""
        for fmt, sink in self.sinks.items():
            sink.write(payloads[fmt])

    def add(self, rows: dict[str, list[Row]], facts_record: dict[str, Any] | None) -> None:
        for name, rs in rows.items():
            self.rows[name].extend(rs)
        if facts_record is not None:
            self.records.append(facts_record)
            if len(self.records) >= self.batch_size:
                self.flush()

    def flush(self) -> None:
        from khaosan.outputs.encode import as_tuples, encode

        if self.records or any(self.rows.values()):
            self.write(encode(as_tuples(self.rows), self.records, self.formats))
        self.rows = {name: [] for name in TABLES}
        self.records = []

    def close(self) -> None:
        """Finish every file at once: SQLite builds its keys and indexes while Parquet writes its last
        row groups (both run in C without the GIL), so the tail of a run is the slowest sink, not their sum."""
        from concurrent.futures import ThreadPoolExecutor

        self.flush()

        def close_one(fmt: str) -> None:
            t0 = time.perf_counter()
            self.sinks[fmt].close()
            log.debug("closed %s in %.1f s", fmt, time.perf_counter() - t0)

        with ThreadPoolExecutor(max_workers=len(self.sinks) or 1, thread_name_prefix="khaosan-close") as pool:
            futures = [pool.submit(close_one, fmt) for fmt in self.sinks]
        for future in futures:
            future.result()  # the first failure, once every sink has had its chance to finish

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
