"""What the Thai search index costs on a dataset: bulk rebuild vs triggers during the load, file size, query times.

    .venv/bin/python bench/search_index_bench.py DATASET/khaosan.sqlite [--work /tmp/khaosan-fts-bench]

Build a dataset first, e.g. ``khaosan extract ../shared/corpus/thaigov/sample-2000.jsonl --out /tmp/ds``.
Copies the file (the dataset is left alone) and reports:

- the file without any index, and with it (after VACUUM);
- A: the load without triggers then one ``install`` (what ``extract`` does);
- B: the same rows loaded 64 articles per transaction into a schema whose triggers index them as they come
  (what an incremental writer pays), against the same load without triggers;
- best-of-3 times of a few searches through ``terms_clause``.
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import time
from pathlib import Path

from khaosan.outputs import search_index
from khaosan.outputs.schema import TABLES
from khaosan.outputs.sqlite import create_schema

SEARCHES = [("articles", "ดีป้า"), ("articles", "คนรักบ้านเกิด"), ("articles", "ปี"), ("articles", "เชียงใหม่ ล้านบาท"),
            ("sentences", "ผู้สูงอายุ"), ("orgs", "ดีป้า"), ("figures", "งบประมาณ")]


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def load(target: Path, source: Path, with_triggers: bool) -> float:
    """Copy every row of ``source`` into a fresh ``target``, 64 articles per transaction; seconds taken."""
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    create_schema(db)
    if with_triggers:
        search_index.install(db)
    db.execute(f"ATTACH '{source}' AS s")
    docs = [r[0] for r in db.execute("SELECT doc_id FROM s.articles ORDER BY rowid")]
    t0 = time.perf_counter()
    for i in range(0, len(docs), 64):
        chunk = docs[i:i + 64]
        marks = ",".join("?" * len(chunk))
        with db:
            for name, table in TABLES.items():
                if name == "errors":
                    continue
                cols = ", ".join(f'"{c}"' for c in table.column_names)
                db.execute(f'INSERT OR REPLACE INTO main."{name}" ({cols}) SELECT {cols} FROM s."{name}" '
                           f"WHERE doc_id IN ({marks})", chunk)
    seconds = time.perf_counter() - t0
    db.execute("DETACH s")
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/khaosan-fts-bench"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    bare = args.work / "bare.sqlite"
    shutil.copy(args.dataset, bare)
    db = sqlite3.connect(bare)
    search_index.drop(db)
    db.execute("VACUUM")
    n_articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    print(f"{n_articles} articles; file without index {mb(bare):.1f} MB")

    a = args.work / "a.sqlite"
    shutil.copy(bare, a)
    db = sqlite3.connect(a)
    t0 = time.perf_counter()
    search_index.install(db)
    rebuild = time.perf_counter() - t0
    db.execute("VACUUM")
    print(f"A  install after the load (rebuild): {rebuild:.2f} s; file {mb(a):.1f} MB "
          f"(+{mb(a) - mb(bare):.1f} MB, +{100 * (mb(a) / mb(bare) - 1):.0f}%)")

    plain = load(args.work / "c.sqlite", bare, with_triggers=False)
    triggered = load(args.work / "b.sqlite", bare, with_triggers=True)
    print(f"B  load with triggers: {triggered:.2f} s vs {plain:.2f} s without (+{triggered - plain:.2f} s)")

    for table, query in SEARCHES:
        clause, params = search_index.terms_clause(table, search_index.split_terms(query))
        best, n = float("inf"), 0
        for _ in range(3):
            t0 = time.perf_counter()
            n = db.execute(f'SELECT count(*) FROM "{table}" WHERE {clause}', params).fetchone()[0]
            best = min(best, time.perf_counter() - t0)
        print(f"   search {table:<10} {query:<20} {n:>6} rows {1000 * best:8.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
