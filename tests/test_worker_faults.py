"""A batch whose worker raises, dies or hangs does not stop the run: its bad article becomes an error row.

The real write path (``run_extract``) with the real encoder, wrapped in a task
that fails on cue (``fault_tasks.py``): every other article's facts are written,
in input order, and equal those of a run without the bad articles.
"""
from __future__ import annotations

import json
import sqlite3
from functools import partial
from pathlib import Path

import pytest

import fault_tasks
from khaosan.outputs import encode as encode_module
from khaosan.outputs.dataset import run_extract
from khaosan.pipeline.settings import Settings

GOOD = [f"นายสมชาย ใจดี ผู้ว่าราชการจังหวัดเชียงใหม่ มอบเงิน {n} ล้านบาท เมื่อวันที่ {n} มีนาคม 2567" for n in range(1, 9)]


def _corpus(folder: Path, bad: dict[int, str]) -> Path:
    """Eight good articles; article i is replaced by a faulty one for each i in ``bad``."""
    lines = []
    for i, body in enumerate(GOOD):
        if i in bad:
            body = f"ข่าวที่มีปัญหา {bad[i]} ในเนื้อข่าว"
        lines.append(json.dumps({"id": f"a{i}", "title": f"ข่าว {i}", "body": body}, ensure_ascii=False))
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def faulty_task(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))  # workers import fault_tasks by name
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # (Dask workers: from the environment)
    monkeypatch.setattr(encode_module, "batch_task",
                        lambda formats: partial(fault_tasks.faulty_encode_batch, formats=formats))


def _facts(out: Path) -> dict[str, dict]:
    return {r["doc_id"]: r for r in map(json.loads, (out / "facts.jsonl").read_text("utf-8").splitlines())}


def _errors(out: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(out / "khaosan.sqlite")
    try:
        return db.execute("SELECT source, stage, reason FROM errors ORDER BY rowid").fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_that_raises_is_an_error_row(tmp_path, faulty_task, workers):
    corpus = _corpus(tmp_path, {2: fault_tasks.RAISE})
    summary = run_extract([corpus], tmp_path / "out", Settings(batch_size=4, workers=workers))
    facts = _facts(tmp_path / "out")
    assert list(facts) == [f"a{i}" for i in range(8) if i != 2]  # the rest, in input order
    assert _errors(tmp_path / "out") == [("a2", "worker", "RuntimeError: cannot handle a2")]
    assert summary.extraction_errors == 1 and summary.articles == 7


def test_a_dying_worker_costs_one_article(tmp_path, faulty_task):
    corpus = _corpus(tmp_path, {1: fault_tasks.CRASH, 6: fault_tasks.CRASH})
    run_extract([corpus], tmp_path / "out", Settings(batch_size=4, workers=2))
    facts = _facts(tmp_path / "out")
    assert list(facts) == ["a0", "a2", "a3", "a4", "a5", "a7"]
    assert [(s, stage) for s, stage, _ in _errors(tmp_path / "out")] == [("a1", "worker"), ("a6", "worker")]
    assert all("worker process died (exit code 7)" in reason for _, _, reason in _errors(tmp_path / "out"))
    # what was written for the others equals a run that never met the bad articles
    (tmp_path / "clean").mkdir()
    run_extract([_corpus(tmp_path / "clean", {})], tmp_path / "ref", Settings(batch_size=4, workers=1))
    reference = _facts(tmp_path / "ref")
    assert all(facts[d] == reference[d] for d in facts)


def test_a_hung_worker_is_stopped_after_the_timeout(tmp_path, faulty_task):
    corpus = _corpus(tmp_path, {5: fault_tasks.HANG})
    run_extract([corpus], tmp_path / "out", Settings(batch_size=4, workers=2, task_timeout=3))
    assert list(_facts(tmp_path / "out")) == [f"a{i}" for i in range(8) if i != 5]
    assert _errors(tmp_path / "out") == [("a5", "worker", "took longer than 3 s; the worker was stopped")]


def test_dask_worker_faults(tmp_path, faulty_task):
    pytest.importorskip("distributed")
    corpus = _corpus(tmp_path, {0: fault_tasks.RAISE, 7: fault_tasks.CRASH})
    run_extract([corpus], tmp_path / "out", Settings(batch_size=4, workers=2, dask="local"))
    assert list(_facts(tmp_path / "out")) == [f"a{i}" for i in range(1, 7)]
    errors = _errors(tmp_path / "out")
    assert [(s, stage) for s, stage, _ in errors] == [("a0", "worker"), ("a7", "worker")]
    assert errors[0][2] == "RuntimeError: cannot handle a0" and "died" in errors[1][2]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_every_article_meets_stops_the_run(tmp_path, monkeypatch, workers):
    """A bug (or a broken machine) is not eight bad articles: the run stops and says so."""
    from khaosan.pipeline.parallel import WorkersFailed

    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.setattr(encode_module, "batch_task",
                        lambda formats: partial(fault_tasks.always_failing, formats=formats))
    with pytest.raises(WorkersFailed, match="every article of a batch failed on its own"):
        run_extract([_corpus(tmp_path, {})], tmp_path / "out", Settings(batch_size=4, workers=workers))
