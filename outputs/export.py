"""``khaosan export DATASET --out DIR``: the dataset's tables as Parquet, CSV and facts.jsonl.

Reads one consistent snapshot (a single read transaction: an ingest run may be
writing meanwhile) and writes through the same sinks as ``khaosan extract``, so
an exported folder reads with :meth:`khaosan.outputs.dataset.Dataset.load`.
Files are written into a hidden staging folder and moved into place one by one
when complete: a reader of DIR never sees a half-written Parquet file.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from khaosan.outputs.schema import TABLES
from khaosan.outputs.store import Store

EXPORT_FORMATS = ("parquet", "csv", "jsonl")
_BATCH = 5000


@dataclass(slots=True)
class ExportSummary:
    out: Path
    rows: dict[str, int] = field(default_factory=dict)
    facts_records: int = 0

    def lines(self) -> list[str]:
        tables = ", ".join(f"{n} {t}" for t, n in self.rows.items())
        return [f"exported to {self.out}/: {tables}; {self.facts_records} facts.jsonl records"]


def export(db_path: str | Path, out: str | Path, formats: tuple[str, ...] = EXPORT_FORMATS) -> ExportSummary:
    """Write the dataset's tables to ``out``; raises StoreError / ValueError with the reason."""
    from khaosan.outputs.writers import DatasetWriter

    unknown = set(formats) - set(EXPORT_FORMATS)
    if unknown or not formats:
        raise ValueError(f"unknown export formats {sorted(unknown)}; choose from {', '.join(EXPORT_FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".export-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    store = Store.open(db_path, create=False, readonly=True)
    summary = ExportSummary(out)
    writer: DatasetWriter | None = DatasetWriter(staging, tuple(formats), batch_size=_BATCH)
    try:
        db = store.db
        db.execute("BEGIN")  # one snapshot for every table
        for name, table in TABLES.items():
            cols = table.column_names
            quoted = ", ".join(f'"{c}"' for c in cols)
            order = ", ".join(f'"{c}"' for c in table.primary_key)
            cur = db.execute(f'SELECT {quoted} FROM "{name}" ORDER BY {order}')
            n = 0
            while batch := cur.fetchmany(_BATCH):
                writer.add({name: [dict(zip(cols, r)) for r in batch]}, None)
                writer.flush()
                n += len(batch)
            summary.rows[name] = n
        if store.has_table("article_facts"):
            cur = db.execute("SELECT facts_json FROM article_facts ORDER BY doc_id")
            while batch := cur.fetchmany(_BATCH):
                for r in batch:
                    writer.add({}, json.loads(r[0]))
                summary.facts_records += len(batch)
        db.execute("COMMIT")
        writer.close()
        writer = None
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = out / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    finally:
        if writer is not None:
            try:
                writer.close()
            except Exception:  # already failing: the first error is the one to report
                pass
        store.close()
        shutil.rmtree(staging, ignore_errors=True)
    return summary
