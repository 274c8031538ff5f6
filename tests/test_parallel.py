"""The output is identical, and in input order, whatever runs it: here, a process pool, or a Dask cluster.

Compared file by file: facts.jsonl and every CSV byte for byte, every Parquet
table and every SQLite table row for row (read errors included, so the errors
table keeps its order too), and the in-memory ``extract()`` gives the same facts.
A run whose workers write it in parts (``Settings.parts``) holds the same rows:
its part files put end to end are the one-writer files.
"""
from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import sqlite3
from pathlib import Path

import pytest

from khaosan.outputs.dataset import Dataset, extract, run_extract
from khaosan.outputs.parts import part_files
from khaosan.outputs.schema import TABLES
from khaosan.pipeline.settings import Settings

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    extra = tmp_path_factory.mktemp("extra")
    good = {"id": "extra-1", "title": "ข่าวทดสอบ", "published": "2024-05-02",
            "body": "นายสมชาย ใจดี รัฐมนตรีว่าการกระทรวงมหาดไทย ลงพื้นที่จังหวัดเชียงใหม่ เมื่อวันที่ 1 พฤษภาคม 2567 "
                    "พร้อมมอบงบประมาณกว่า 120 ล้านบาท"}
    (extra / "mixed.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n{broken json\n", encoding="utf-8")
    (extra / "empty.txt").write_bytes(b"")
    return [SAMPLES, extra]


def _run(inputs: list[Path], out: Path, **settings) -> Path:
    run_extract(inputs, out, Settings(batch_size=3, **settings))
    return out


def _sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for name in TABLES}
    finally:
        db.close()


@pytest.fixture(scope="module")
def local(inputs, tmp_path_factory) -> Path:
    return _run(inputs, tmp_path_factory.mktemp("w1"))


def _assert_same_dataset(a: Path, b: Path) -> None:
    import pyarrow.parquet as pq

    assert filecmp.cmp(a / "facts.jsonl", b / "facts.jsonl", shallow=False)
    for name in TABLES:
        assert filecmp.cmp(a / "csv" / f"{name}.csv", b / "csv" / f"{name}.csv", shallow=False), name
        assert pq.read_table(a / f"{name}.parquet").equals(pq.read_table(b / f"{name}.parquet")), name
    assert _sqlite_rows(a / "khaosan.sqlite") == _sqlite_rows(b / "khaosan.sqlite")


def _assert_parts_equal(single: Path, parts: Path) -> None:
    """The parts of ``parts``, put end to end in part order, are the files of the one-writer run ``single``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    facts = sorted((parts / "facts").glob("part-*.jsonl"))
    assert len(facts) > 1  # really cut in parts
    assert b"".join(f.read_bytes() for f in facts) == (single / "facts.jsonl").read_bytes()
    for name in TABLES:
        files = part_files(parts, name)
        assert len(files) == len(facts), name  # every table has a file per part, empty ones too
        assert pa.concat_tables([pq.read_table(f) for f in files]).equals(pq.read_table(single / f"{name}.parquet")), name
        header, _, body = (single / "csv" / f"{name}.csv").read_bytes().partition(b"\n")
        bodies = []
        for f in sorted((parts / "csv" / name).glob("part-*.csv")):
            part_header, _, part_body = f.read_bytes().partition(b"\n")
            assert part_header == header, f
            bodies.append(part_body)
        assert b"".join(bodies) == body, name
    assert _sqlite_rows(single / "khaosan.sqlite") == _sqlite_rows(parts / "khaosan.sqlite")
    a, b = Dataset.load(single), Dataset.load(parts)
    assert a.facts == b.facts
    for name in TABLES:
        assert a[name].equals(b[name]), name


def test_local_run_has_read_errors_and_facts(local):
    rows = _sqlite_rows(local / "khaosan.sqlite")
    assert len(rows["errors"]) == 2  # the broken JSON line and the empty file
    assert len(rows["articles"]) == 14
    assert rows["figures"] and rows["provinces"]


def test_in_memory_extract_equals_files(inputs, local):
    facts = [json.loads(line) for line in (local / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert extract(inputs, settings=Settings(batch_size=3)).facts == facts


def test_process_pool_equals_local_run(inputs, local, tmp_path):
    _assert_same_dataset(local, _run(inputs, tmp_path / "w2", workers=2))


@pytest.mark.parametrize("workers", [1, 2])
def test_parts_written_by_the_workers_equal_local_run(inputs, local, tmp_path, workers):
    # 3 articles a batch, 2 batches a part: the read errors fall inside parts, not only at their edges
    out = _run(inputs, tmp_path / "parts", workers=workers, parts=True, part_size=5)
    _assert_parts_equal(local, out)
    assert not (out / ".parts-tmp").exists()


def test_dask_local_cluster_equals_local_run(inputs, local, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = _run(inputs, tmp_path / "dask", dask=cluster.scheduler_address)
        parts = _run(inputs, tmp_path / "dask-parts", dask=cluster.scheduler_address, parts=True, part_size=6)
        n_workers = len(cluster.workers)
    assert n_workers == 2
    _assert_same_dataset(local, out)
    _assert_parts_equal(local, parts)


_FORKSERVER_SCRIPT = """
import json, os
from khaosan.corpus.article import Article
from khaosan.pipeline.parallel import map_batches
from khaosan.pipeline.settings import Settings

def where(pipeline, batch):
    from khaosan.pipeline import forkserver_preload
    doc = pipeline(batch[0])  # the inherited rules work in the worker
    return os.getpid(), forkserver_preload.built_by, len(doc.facts_of("provinces"))

if __name__ == "__main__":
    batches = [[Article(doc_id=str(i), text="นายสมชาย ใจดี เดินทางไปจังหวัดเชียงใหม่")] for i in range(6)]
    print(json.dumps(list(map_batches(Settings(workers=2), batches, where))))
"""


def test_pool_workers_start_with_the_rules_the_fork_server_built(tmp_path):
    """The rules are built once, in the fork server, and every worker forked from it has them (copy-on-write)."""
    script = tmp_path / "forkserver_rules.py"
    script.write_text(_FORKSERVER_SCRIPT, encoding="utf-8")
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         env={k: v for k, v in os.environ.items() if k != "KHAOSAN_FORKSERVER_SETTINGS"})
    assert res.returncode == 0, res.stderr
    results = json.loads(res.stdout)
    builders = {built_by for _, built_by, _ in results}
    assert len(builders) == 1 and None not in builders  # one build, in one process ...
    assert all(pid != built_by for pid, built_by, _ in results)  # ... which is not a worker
    assert all(provinces == 1 for _, _, provinces in results)
