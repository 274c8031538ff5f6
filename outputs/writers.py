"""Streaming writers: facts.jsonl, Parquet (one row group per batch), CSV and SQLite (one transaction per batch).

Rows are buffered per table and flushed every ``batch_size`` articles, so memory
stays flat however large the corpus; a run that stops half-way still leaves
valid files holding every batch already flushed.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from khaosan.outputs.schema import TABLES, Table

Row = dict[str, Any]


class Sink(Protocol):
    def write_rows(self, table: Table, rows: list[Row]) -> None: ...
    def write_facts(self, records: list[dict[str, Any]]) -> None: ...
    def close(self) -> None: ...


class JsonlSink:
    """facts.jsonl: one line per article in the SCHEMA.md format, with evidence."""

    def __init__(self, out: Path) -> None:
        self.f = (out / "facts.jsonl").open("w", encoding="utf-8")

    def write_rows(self, table: Table, rows: list[Row]) -> None:
        pass

    def write_facts(self, records: list[dict[str, Any]]) -> None:
        self.f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        self.f.flush()

    def close(self) -> None:
        self.f.close()


class ParquetSink:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.writers: dict[str, Any] = {}

    def _writer(self, table: Table):
        import pyarrow.parquet as pq

        if table.name not in self.writers:
            self.writers[table.name] = pq.ParquetWriter(self.out / f"{table.name}.parquet", table.arrow_schema,
                                                        compression="zstd")
        return self.writers[table.name]

    def write_rows(self, table: Table, rows: list[Row]) -> None:
        import pyarrow as pa

        if rows:
            batch = pa.Table.from_pylist(rows, schema=table.arrow_schema)
            self._writer(table).write_table(batch)

    def write_facts(self, records: list[dict[str, Any]]) -> None:
        pass

    def close(self) -> None:
        for table in TABLES.values():
            self._writer(table)  # every table exists, even when empty
        for w in self.writers.values():
            w.close()


class CsvSink:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs show Thai correctly."""

    def __init__(self, out: Path) -> None:
        self.out = out / "csv"
        self.out.mkdir(exist_ok=True)
        self.files: dict[str, tuple[Any, Any]] = {}

    def _writer(self, table: Table):
        if table.name not in self.files:
            f = (self.out / f"{table.name}.csv").open("w", encoding="utf-8-sig", newline="")
            w = csv.DictWriter(f, fieldnames=table.column_names, extrasaction="ignore")
            w.writeheader()
            self.files[table.name] = (f, w)
        return self.files[table.name][1]

    def write_rows(self, table: Table, rows: list[Row]) -> None:
        if rows:
            self._writer(table).writerows(rows)

    def write_facts(self, records: list[dict[str, Any]]) -> None:
        pass

    def close(self) -> None:
        for table in TABLES.values():
            self._writer(table)
        for f, _ in self.files.values():
            f.close()


class SqliteSink:
    """khaosan.sqlite: every table with its keys and indexes; one transaction per batch."""

    def __init__(self, out: Path) -> None:
        from khaosan.outputs.sqlite import connect, create_schema

        path = out / "khaosan.sqlite"
        path.unlink(missing_ok=True)
        self.db = connect(path)
        create_schema(self.db)
        self.pending: list[tuple[Table, list[Row]]] = []

    def write_rows(self, table: Table, rows: list[Row]) -> None:
        if rows:
            self.pending.append((table, rows))

    def write_facts(self, records: list[dict[str, Any]]) -> None:
        from khaosan.outputs.sqlite import insert_rows

        # called once per flush, after the tables: commit the batch as one transaction
        with self.db:
            for table, rows in self.pending:
                insert_rows(self.db, table, rows)
        self.pending.clear()

    def close(self) -> None:
        self.write_facts([])
        from khaosan.outputs.search_index import install

        install(self.db)  # Thai full-text search: one rebuild after the bulk load beats a trigger per row
        self.db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file for readers
        self.db.execute("ANALYZE")
        self.db.close()


SINKS: dict[str, Callable[[Path], Sink]] = {
    "jsonl": JsonlSink, "parquet": ParquetSink, "csv": CsvSink, "sqlite": SqliteSink}


class DatasetWriter:
    """Buffers rows per table and flushes them to every sink every ``batch_size`` articles."""

    def __init__(self, out: Path, formats: tuple[str, ...], batch_size: int = 64) -> None:
        unknown = set(formats) - set(SINKS)
        if unknown:
            raise ValueError(f"unknown output formats {sorted(unknown)}; choose from {sorted(SINKS)}")
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.sinks = [SINKS[f](out) for f in formats]
        self.batch_size = batch_size
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.records: list[dict[str, Any]] = []

    def add(self, rows: dict[str, list[Row]], facts_record: dict[str, Any] | None) -> None:
        for name, rs in rows.items():
            self.rows[name].extend(rs)
        if facts_record is not None:
            self.records.append(facts_record)
            if len(self.records) >= self.batch_size:
                self.flush()

    def flush(self) -> None:
        for sink in self.sinks:
            for name, rows in self.rows.items():
                sink.write_rows(TABLES[name], rows)
            sink.write_facts(self.records)
        self.rows = {name: [] for name in TABLES}
        self.records = []

    def close(self) -> None:
        self.flush()
        for sink in self.sinks:
            sink.close()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
