"""The dataset's tables, declared once for Parquet, CSV and SQLite.

Every fact row carries a stable ``fact_id`` (hash of article id, family and
resolution key), its ``doc_id`` and the ``pipeline_version`` that made it;
every article row carries a ``content_hash``.  Later capabilities (the
journalists' interface, scheduled ingestion, Dask scale-out) key on these.
List-valued fields (aliases, titles, roles, rules) are JSON text in every format,
so the three formats hold identical values.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TEXT, INT, REAL = pa.string(), pa.int64(), pa.float64()
_SQL = {TEXT: "TEXT", INT: "INTEGER", REAL: "REAL"}


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[tuple[str, pa.DataType], ...]
    primary_key: tuple[str, ...]
    indexes: tuple[str, ...] = ()  # single-column indexes for the common filters
    references_article: bool = True  # doc_id → articles(doc_id)
    #: A declared PRIMARY KEY rather than a unique index built after a bulk load (see table_sql):
    #: for articles, one row per article, which Datasette addresses by key (/articles/<doc_id>).
    key_declared: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema(list(self.columns))

    def table_sql(self) -> str:
        # Fact tables' keys are a UNIQUE index (key_sql), not a declared PRIMARY KEY: a bulk
        # load can then build it once at the end from sorted keys.  Kept in step row by row,
        # the b-trees of random hash keys cost 3-4x the whole insert at 30k articles, and the
        # cost grows with the file.  INSERT OR REPLACE and ON CONFLICT work the same on it.
        cols = [f'"{c}" {_SQL[t]}' for c, t in self.columns]
        if self.key_declared:
            cols.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        if self.references_article and self.name != "articles":
            cols.append("FOREIGN KEY (doc_id) REFERENCES articles(doc_id)")
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" ({", ".join(cols)})'

    @property
    def key_index(self) -> str:
        return f"key_{self.name}"

    def key_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.primary_key)
        return f'CREATE UNIQUE INDEX IF NOT EXISTS "{self.key_index}" ON "{self.name}"({cols})'

    def dedupe_sql(self) -> list[str]:
        """Keep the last row written for each key (what INSERT OR REPLACE would have kept).

        Through a temporary index on the key and a self-join: 3x faster than
        ``rowid NOT IN (SELECT max(rowid) ... GROUP BY key)`` on 2.3 M mentions.
        """
        cols = ", ".join(f'"{c}"' for c in self.primary_key)
        same = " AND ".join(f'a."{c}" = b."{c}"' for c in self.primary_key)
        tmp = f"dedupe_{self.name}"
        return [f'CREATE INDEX "{tmp}" ON "{self.name}"({cols})',
                f'DELETE FROM "{self.name}" WHERE rowid IN (SELECT a.rowid FROM "{self.name}" a '
                f'JOIN "{self.name}" b ON {same} AND a.rowid < b.rowid)',
                f'DROP INDEX "{tmp}"']

    def index_sql(self) -> list[str]:
        return [f'CREATE INDEX IF NOT EXISTS "idx_{self.name}_{c}" ON "{self.name}"("{c}")' for c in self.indexes]

    def create_sql(self) -> list[str]:
        return [self.table_sql(), *([] if self.key_declared else [self.key_sql()]), *self.index_sql()]


_FACT = (("fact_id", TEXT), ("doc_id", TEXT))
_TAIL = (("n_mentions", INT), ("first_start", INT), ("rule", TEXT), ("rules", TEXT), ("pipeline_version", TEXT))

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("articles", (("doc_id", TEXT), ("title", TEXT), ("url", TEXT), ("published", TEXT), ("source", TEXT),
                       ("text", TEXT), ("content_hash", TEXT), ("n_chars", INT), ("n_sentences", INT),
                       ("pipeline_version", TEXT)),
          ("doc_id",), ("published", "content_hash"), references_article=False, key_declared=True),
    Table("sentences", (("doc_id", TEXT), ("sentence_id", INT), ("start", INT), ("end", INT), ("text", TEXT)),
          ("doc_id", "sentence_id")),
    Table("persons", _FACT + (("name", TEXT), ("aliases", TEXT), ("titles", TEXT), ("roles", TEXT)) + _TAIL,
          ("fact_id",), ("doc_id", "name")),
    Table("roles", (("fact_id", TEXT), ("doc_id", TEXT), ("person", TEXT), ("role", TEXT), ("pipeline_version", TEXT)),
          ("fact_id", "role"), ("doc_id", "person", "role")),
    Table("orgs", _FACT + (("name", TEXT), ("aliases", TEXT), ("type", TEXT)) + _TAIL,
          ("fact_id",), ("doc_id", "name")),
    Table("provinces", _FACT + (("name", TEXT), ("iso", TEXT), ("lat", REAL), ("lon", REAL)) + _TAIL,
          ("fact_id",), ("doc_id", "name", "iso")),
    Table("programs", _FACT + (("name", TEXT), ("aliases", TEXT)) + _TAIL, ("fact_id",), ("doc_id", "name")),
    Table("figures", _FACT + (("text", TEXT), ("value", REAL), ("unit", TEXT), ("qualifier", TEXT), ("about", TEXT))
          + _TAIL, ("fact_id",), ("doc_id", "unit", "value")),
    Table("dates", _FACT + (("text", TEXT), ("value", TEXT), ("year", INT), ("month", INT), ("day", INT),
                            ("granularity", TEXT)) + _TAIL, ("fact_id",), ("doc_id", "value", "year")),
    Table("mentions", (("mention_id", TEXT), ("fact_id", TEXT), ("doc_id", TEXT), ("family", TEXT), ("start", INT),
                       ("end", INT), ("text", TEXT), ("sentence_id", INT), ("rule", TEXT), ("pipeline_version", TEXT)),
          ("mention_id",), ("fact_id", "doc_id", "family")),
    Table("errors", (("source", TEXT), ("stage", TEXT), ("reason", TEXT), ("pipeline_version", TEXT)),
          ("source", "stage", "reason"), references_article=False),
)}

FAMILY_TABLES = ("persons", "orgs", "provinces", "programs", "figures", "dates")

# The facts.jsonl item fields of each family, in facts.jsonl order, as stored in the family table.
FAMILY_FIELDS: dict[str, tuple[str, ...]] = {
    "persons": ("name", "aliases", "titles", "roles"),
    "orgs": ("name", "aliases", "type"),
    "provinces": ("name", "iso", "lat", "lon"),
    "programs": ("name", "aliases"),
    "figures": ("text", "value", "unit", "qualifier", "about"),
    "dates": ("text", "value", "granularity"),
}
