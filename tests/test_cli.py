"""The khaosan command end to end: extract a folder with good and bad files, evaluate."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "khaosan.pipeline.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    (d / "a.txt").write_text("ข่าวหนึ่ง\nนายสมชาย ใจดี ผู้ว่าราชการจังหวัดเชียงใหม่ มอบเงินกว่า 2 ล้านบาท "
                             "ให้ผู้ประสบภัย 120 ครัวเรือน เมื่อวันที่ 3 มีนาคม 2567", encoding="utf-8")
    (d / "b.txt").write_text("ข่าวสอง ร้อยละ 15 ของเกษตรกรในจังหวัดขอนแก่น", encoding="cp874")
    (d / "bad.jsonl").write_text('{"id": "r1", "title": "หัวข้อ", "body": "เนื้อหาข่าว 5 คน"}\n{not json\n'
                                 '{"id": "r3", "title": "สาม", "body": "อีก 7 ราย"}\n', encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    return d


@pytest.fixture(scope="module")
def extracted(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    res = _run("extract", str(corpus), "--out", str(out))
    return out, res


def test_extract_reports_bad_inputs_and_keeps_the_rest(extracted):
    out, res = extracted
    assert res.returncode == 0, res.stderr
    assert "bad.jsonl:2" in res.stderr and "empty.txt" in res.stderr and "binary.txt" in res.stderr
    ids = [json.loads(line)["doc_id"] for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["a", "b", "r1", "r3"]
    db = sqlite3.connect(out / "khaosan.sqlite")
    sources = [r[0] for r in db.execute("SELECT source FROM errors WHERE stage = 'read'")]
    assert any("bad.jsonl:2" in s for s in sources) and any("empty.txt" in s for s in sources)


def test_extract_prints_a_summary(extracted):
    out, res = extracted
    assert "4 articles" in res.stdout and str(out) in res.stdout
    assert "facts.jsonl, *.parquet, csv/, khaosan.sqlite" in res.stdout


def test_extract_summary_names_only_the_files_written(corpus, tmp_path):
    res = _run("extract", str(corpus / "a.txt"), "--out", str(tmp_path), "--formats", "jsonl,sqlite")
    assert res.returncode == 0, res.stderr
    line = next(x for x in res.stdout.splitlines() if x.startswith("dataset:"))
    assert line.endswith("(facts.jsonl, khaosan.sqlite)"), line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.jsonl", "khaosan.sqlite"]


def test_extract_finds_facts_in_tis620_file(extracted):
    out, _ = extracted
    rec = {json.loads(line)["doc_id"]: json.loads(line)
           for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()}
    assert any(f["unit"] == "%" and f["value"] == 15 for f in rec["b"]["figures"])
    assert any(p["name"] == "ขอนแก่น" for p in rec["b"]["provinces"])


def test_evaluate_command(extracted, tmp_path):
    out, _ = extracted
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"doc_id": "b", "figures": [{"value": 15, "unit": "%"}]}) + "\n", encoding="utf-8")
    res = _run("evaluate", str(gold), str(out / "facts.jsonl"))
    assert res.returncode == 0
    assert "figures" in res.stdout and "overall" in res.stdout


def test_missing_input_is_an_error(tmp_path):
    res = _run("extract", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert res.returncode != 0 and "no such file" in res.stderr


def test_bench_prints_throughput_phases_and_stages():
    """The benchmark runs the pipeline with 1 and 2 workers and reports where a short run's time goes."""
    import os

    from khaosan.pipeline.bench import _phases

    env = {**os.environ, "KHAOSAN_BATCH_SIZE": "2"}  # several batches from the small sample corpus
    res = subprocess.run([sys.executable, "-m", "khaosan.pipeline.cli", "bench", "corpus/samples", "--only",
                          "read,pipeline,parts", "--workers", "2"], capture_output=True, text=True, timeout=300, env=env,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert res.returncode == 0, res.stderr
    rows = {line.split()[0]: line.split() for line in res.stdout.splitlines() if line.startswith(("read", "pipeline-", "parts-"))}
    # the same articles in every run
    assert rows["pipeline-1"][1] == rows["pipeline-2"][1] == rows["parts-2"][1] == rows["read"][1]
    assert "parts-2: main process (read, hand out parts, append them to SQLite)" in res.stdout
    assert "steady-state speed-up of pipeline-2 over pipeline-1" in res.stdout
    assert "per-stage breakdown (pipeline-1)" in res.stdout and "extract:figures" in res.stdout
    assert "targets (issue 3):" in res.stdout and "2 workers against 1, end to end" in res.stdout

    # start-up is the time to the first batch, the steady rate runs from first to last batch, finish is the rest
    assert _phases([(1.0, 100), (2.0, 300), (3.0, 500)], 3.5) == {
        "startup": 1.0, "steady_chars_per_s": 200.0, "finish": 0.5}
    assert _phases([(1.0, 100)], 2.0) is None  # one batch has no steady rate


def _bench_row(name: str, wall: float, chars: int = 1_000_000, **extra) -> dict:
    return {"name": name, "articles": 10, "chars": chars, "wall": wall, "cpu": wall, "peak_mib": 300.0, **extra}


def test_bench_repeats_keep_the_median_run_whole(monkeypatch):
    """With --repeat the runs go in rounds, and each measure shows its median run with the spread of all."""
    from khaosan.pipeline import bench

    walls = iter([3.0, 1.0, 2.0, 1.5, 9.0, 2.5])  # newmm, pipeline-1, newmm, pipeline-1, ... in rounds
    calls: list[str] = []

    def fake(kind, corpus, limit, w):
        calls.append(f"{kind}-{w}")
        return _bench_row(f"{kind}-{w}" if kind == "pipeline" else kind, next(walls), stages={"tokenize": len(calls)})

    monkeypatch.setattr(bench, "_run_once", fake)
    rows = bench.run_bench(Path("x"), None, 1, ["newmm", "pipeline"], repeat=3)
    assert calls == ["newmm-1", "pipeline-1"] * 3  # rounds, not one measure three times over
    newmm, one = rows
    assert (newmm["name"], newmm["wall"], newmm["runs"]) == ("newmm", 3.0, 3)  # walls 3, 2, 9: the median is 3
    assert newmm["rate_range"] == (1_000_000 / 9.0, 1_000_000 / 2.0)
    assert one["wall"] == 1.5 and one["stages"] == {"tokenize": 4}  # the median run's own stages, not a mix
    assert "Mchar/s of all runs" in bench.format_rows(rows, 1)


def test_bench_states_each_target_and_whether_it_is_met():
    from khaosan.pipeline.bench import format_targets

    phases = {"startup": 0.5, "finish": 0.2}
    rows = [_bench_row("newmm", 10.0),
            _bench_row("pipeline-1", 6.0, stages={"extract:orgs": 2.0, "resolve": 0.5, "rows": 1.0, "tokenize": 1.5},
                       phases={**phases, "steady_chars_per_s": 100.0}),
            _bench_row("pipeline-2", 4.0, phases={**phases, "steady_chars_per_s": 190.0}, peak_mib=1500.0)]
    text = "\n".join(format_targets(rows, 2))
    # 1 worker: 10 / 6 = 1.67x newmm; the target allows 10 / 1.5 = 6.67 s
    assert "against newmm alone: 1.67x (target 1.50x): met" in text
    assert "time the target allows: 6.67 s; taken: 6.00 s = rules 2.50 + outputs 1.00" in text
    assert "+ read/normalise/tokenize/sentences 1.50 + start-up and the rest 1.00" in text
    # 2 workers: 6 / 4 = 1.5x end to end (not met), 1.9x steady
    assert "2 workers against 1, end to end: 1.50x, steady state: 1.90x (target 1.70x): end to end NOT met" in text
    assert "peak memory of any process: 1500 MiB (target 1024 MiB): NOT met" in text
    assert format_targets([_bench_row("read", 1.0)], 2) == []  # nothing measured, nothing claimed
