"""The SQLite side of the dataset, shared by ``extract`` (bulk) and ``ingest`` (incremental).

One place creates the schema and inserts rows, so the file ``khaosan serve``
and ``khaosan query`` read is the same whichever job wrote it.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from khaosan.outputs.schema import TABLES, Table

Row = dict[str, Any]


def connect(path: str | Path, any_thread: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode with foreign keys declared (not enforced: rows arrive per batch).

    ``any_thread``: the connection may be used (one thread at a time) from a thread other
    than the one that opened it, as the bulk writer does when it finishes its files at once.
    """
    db = sqlite3.connect(path, check_same_thread=not any_thread)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def create_schema(db: sqlite3.Connection, indexes: bool = True) -> None:
    """Every dataset table with (unless a bulk load adds them at the end) its key and indexes; idempotent."""
    with db:
        for table in TABLES.values():
            db.execute(table.table_sql())
    if indexes:
        create_indexes(db)


def _has_key(db: sqlite3.Connection, table: Table) -> bool:
    """A declared PRIMARY KEY (datasets written before keys became indexes) or our unique index."""
    if any(r[5] for r in db.execute(f'PRAGMA table_info("{table.name}")')):
        return True
    return any(r[1] == table.key_index for r in db.execute(f'PRAGMA index_list("{table.name}")'))


def create_indexes(db: sqlite3.Connection) -> None:
    """Each table's unique key and the single-column indexes of the common filters (idempotent).

    A bulk load creates them once at the end: sorting a finished column is
    far faster than keeping b-trees of random keys in order through every
    insert.  Rows a bulk load wrote twice under one key (the same article
    read twice) are first reduced to the last one, as INSERT OR REPLACE
    would have left them.
    """
    with db:
        for table in TABLES.values():
            if not _has_key(db, table):
                try:
                    db.execute(table.key_sql())
                except sqlite3.IntegrityError:
                    for stmt in table.dedupe_sql():
                        db.execute(stmt)
                    db.execute(table.key_sql())
            for stmt in table.index_sql():
                db.execute(stmt)


def insert_sql(table: Table) -> str:
    cols = table.column_names
    quoted = ", ".join(f'"{c}"' for c in cols)
    return f'INSERT OR REPLACE INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'


def insert_rows(db: sqlite3.Connection, table: Table, rows: Iterable[Row]) -> None:
    """Insert (or replace by primary key) rows given as dicts; call inside a transaction."""
    cols = table.column_names
    db.executemany(insert_sql(table), [tuple(r.get(c) for c in cols) for r in rows])
