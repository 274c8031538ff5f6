"""An extract killed half-way (SIGKILL: no chance to clean up) leaves whole batches, and a rerun starts clean."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ingest_support import make_article  # noqa: E402

BATCH = 16


def _extract(corpus: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "KHAOSAN_BATCH_SIZE": str(BATCH), "KHAOSAN_WORKERS": "1"}
    return subprocess.Popen([sys.executable, "-m", "khaosan.pipeline.cli", "extract", str(corpus), "--out", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_extract_keeps_whole_batches_and_a_rerun_starts_clean(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    n_articles = 30_000  # far more than the run gets through before the kill
    with corpus.open("w", encoding="utf-8") as f:
        for i in range(n_articles):
            f.write(json.dumps(make_article(i), ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    proc = _extract(corpus, out)
    deadline = time.monotonic() + 120
    while _lines(out / "facts.jsonl") < 10 * BATCH and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    # SQLite: one transaction per batch, so whole batches in input order, every article with its facts.
    db = sqlite3.connect(out / "khaosan.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ids = [r[0] for r in db.execute("SELECT doc_id FROM articles ORDER BY rowid")]
    assert ids and len(ids) % BATCH == 0 and len(ids) < n_articles
    assert ids == [f"gen-{i:04d}" for i in range(len(ids))]
    assert {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM mentions")} == set(ids)
    assert {r[0] for r in db.execute("SELECT DISTINCT doc_id FROM sentences")} == set(ids)
    db.close()
    # facts.jsonl: whole lines, one per article, in input order (flushed after every batch).
    records = [json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) % BATCH == 0 and len(records) >= len(ids)
    assert [r["doc_id"] for r in records] == [f"gen-{i:04d}" for i in range(len(records))]

    # A rerun into the same folder rebuilds every file, whatever a killed run left beside them: here a
    # write-ahead log that still holds committed pages (an older run or `ingest` used WAL). The new
    # file must not get them back.
    _leave_a_wal(out / "khaosan.sqlite")
    assert (out / "khaosan.sqlite-wal").stat().st_size > 0
    small = tmp_path / "small.jsonl"
    small.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:40]), encoding="utf-8")
    rerun = _extract(small, out)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    db = sqlite3.connect(out / "khaosan.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (40,)
    assert _lines(out / "facts.jsonl") == 40
    import pyarrow.parquet as pq

    assert pq.read_table(out / "articles.parquet").num_rows == 40


def _leave_a_wal(path: Path) -> None:
    """Commit to ``path`` in WAL mode and die before the log is checkpointed into the file."""
    code = ("import os, sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA journal_mode=WAL');"
            "db.execute('PRAGMA wal_autocheckpoint=0');"
            "db.execute('UPDATE articles SET title = title || ?', ('x' * 200,)); db.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)
