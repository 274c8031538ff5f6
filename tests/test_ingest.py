"""``khaosan ingest`` on local sources: idempotence, changes, reprocess, lock, crash safety, failures,
status, export, logs and config.  Web sources (real HTTP servers) are in test_ingest_web.py."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_support import (FIXTURES, INBOX, cli, count, dump, make_article, query, start_cli, wait_for_articles,
                            write_corpus)
from khaosan.outputs.schema import FAMILY_TABLES, TABLES
from khaosan.pipeline.ingest import EXIT_CONFIG, EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL, ingest, reprocess
from khaosan.pipeline.version import pipeline_version

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    d = tmp_path / "inbox"
    shutil.copytree(INBOX, d)
    return d


def _facts(db: Path, doc_id: str) -> dict[str, list[tuple]]:
    return {t: query(db, f'SELECT * FROM "{t}" WHERE doc_id = ? ORDER BY fact_id', (doc_id,)) for t in FAMILY_TABLES}


# -- idempotence and changes ---------------------------------------------------------------------------------

def test_second_run_adds_nothing(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    first = ingest([inbox], db, pipeline=pipeline)
    assert first.exit_code == EXIT_OK, first.lines()
    assert first.counts["articles_new"] == 6 and first.counts["facts_added"] > 20
    before = dump(db)
    second = ingest([inbox], db, pipeline=pipeline)
    assert second.exit_code == EXIT_OK
    assert second.counts["articles_new"] == 0 and second.counts["articles_updated"] == 0
    assert second.counts["articles_unchanged"] == 6 and second.counts["facts_added"] == 0
    assert dump(db) == before
    runs = query(db, "SELECT run_id, status, articles_new, articles_unchanged FROM runs ORDER BY run_id")
    assert runs == [(1, "ok", 6, 0), (2, "ok", 0, 6)]


def test_ingest_gives_the_rows_extract_gives(inbox, tmp_path, pipeline):
    from khaosan.outputs.dataset import run_extract

    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    run_extract([inbox], tmp_path / "extract")
    tables = tuple(TABLES)
    assert dump(db, tables) == dump(tmp_path / "extract" / "khaosan.sqlite", tables)
    assert sum(len(rows) for rows in dump(db, tables).values()) > 100


def test_edited_article_has_its_facts_replaced(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    before = dump(db)
    old_figures = query(db, "SELECT value FROM figures WHERE doc_id = 'flood_relief'")
    assert (1200.0,) in old_figures
    text = (inbox / "flood_relief.txt").read_text(encoding="utf-8")
    (inbox / "flood_relief.txt").write_text(text.replace("1,200 ชุด", "2,750 ชุด").replace("นางมาลี", "นางสุดา"),
                                            encoding="utf-8")
    report = ingest([inbox], db, pipeline=pipeline)
    assert report.counts["articles_updated"] == 1 and report.counts["articles_unchanged"] == 5
    assert report.counts["facts_removed"] > 0 and report.counts["facts_added"] > 0
    figures = [v for (v,) in query(db, "SELECT value FROM figures WHERE doc_id = 'flood_relief'")]
    assert 2750.0 in figures and 1200.0 not in figures
    names = [n for (n,) in query(db, "SELECT name FROM persons WHERE doc_id = 'flood_relief'")]
    assert any("สุดา" in n for n in names) and not any("มาลี" in n for n in names)
    # nothing twice: one article row, facts and mentions keyed uniquely, offsets point into the new text
    assert count(db, "articles", "doc_id = 'flood_relief'") == 1
    new_text = query(db, "SELECT text FROM articles WHERE doc_id = 'flood_relief'")[0][0]
    for start, end, mtext in query(db, "SELECT start, \"end\", text FROM mentions WHERE doc_id = 'flood_relief'"):
        assert new_text[start:end] == mtext
    after = dump(db)
    for table in (*TABLES, "article_facts"):
        if table == "errors":
            continue
        others = [r for r in after[table] if "flood_relief" not in r]
        assert others == [r for r in before[table] if "flood_relief" not in r], table
    # the facts.jsonl record was replaced too
    rec = json.loads(query(db, "SELECT facts_json FROM article_facts WHERE doc_id = 'flood_relief'")[0][0])
    assert any(f["value"] == 2750 for f in rec["figures"])


def test_search_index_follows_replacements(inbox, tmp_path, pipeline):
    pytest.importorskip("khaosan.outputs.search_index")
    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    path = inbox / "school_lunch.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("อาหารกลางวัน", "อาหารเช้า"), encoding="utf-8")
    ingest([inbox], db, pipeline=pipeline)

    def hits(term: str) -> list[str]:
        return [r[0] for r in query(db, "SELECT a.doc_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                                        "WHERE articles_fts MATCH ?", (f'"{term}"',))]

    assert hits("อาหารเช้า") == ["school_lunch"]
    assert hits("อาหารกลางวัน") == []


def test_reprocess_re_extracts_only_older_versions(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    clean = dump(db)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET pipeline_version = '0.0.1+rules.old' WHERE doc_id IN ('wire-002', 'wire-004')")
        con.execute("DELETE FROM figures WHERE doc_id = 'wire-002'")  # what the old rules "missed"
    report = reprocess(db, pipeline=pipeline)
    assert report.exit_code == EXIT_OK
    assert report.counts["articles_reprocessed"] == 2 and report.counts["articles_new"] == 0
    assert dump(db) == clean
    assert count(db, "articles", "pipeline_version = ?", (pipeline_version(),)) == 6
    again = reprocess(db, pipeline=pipeline)
    assert again.counts["articles_reprocessed"] == 0
    assert query(db, "SELECT kind, status FROM runs ORDER BY run_id")[-2:] == [("reprocess", "ok")] * 2


def test_ingest_re_extracts_an_unchanged_article_of_an_older_version(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET pipeline_version = 'old' WHERE doc_id = 'wire-003'")
    report = ingest([inbox], db, pipeline=pipeline)
    assert report.counts["articles_reprocessed"] == 1 and report.counts["articles_unchanged"] == 5


def test_since_until_filter_dated_corpus_rows(inbox, tmp_path, pipeline):
    from datetime import datetime, timezone

    db = tmp_path / "ds.sqlite"
    report = ingest([inbox / "wire.jsonl"], db, since=datetime(2025, 3, 1, tzinfo=timezone.utc),
                    until=datetime(2025, 4, 10, tzinfo=timezone.utc), pipeline=pipeline)
    assert sorted(r[0] for r in query(db, "SELECT doc_id FROM articles")) == ["wire-002", "wire-003"]
    assert report.counts["articles_skipped"] == 2
    # the backfill later widens the window: the same path, only the missing ones are added
    report = ingest([inbox / "wire.jsonl"], db, pipeline=pipeline)
    assert report.counts["articles_new"] == 2 and report.counts["articles_unchanged"] == 2


def test_same_id_with_different_text_keeps_the_first_and_reports(tmp_path, pipeline):
    src = tmp_path / "src"
    src.mkdir()
    a, b = make_article(1), make_article(2)
    b["id"] = a["id"]
    (src / "a.jsonl").write_text(json.dumps(a, ensure_ascii=False) + "\n", encoding="utf-8")
    (src / "b.jsonl").write_text(json.dumps(b, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "ds.sqlite"
    first = ingest([src], db, pipeline=pipeline)
    assert first.exit_code == EXIT_PARTIAL
    assert any("duplicate id 'gen-0001'" in f for f in first.failed)
    stored = dump(db)
    second = ingest([src], db, pipeline=pipeline)  # no flip-flop between the two versions
    assert second.counts["articles_updated"] == 0 and dump(db) == stored


# -- failures ---------------------------------------------------------------------------------------------------

def test_failures_are_recorded_retried_and_quarantined(tmp_path, pipeline):
    src = tmp_path / "src"
    src.mkdir()
    good = make_article(5)
    rows = src / "rows.jsonl"
    rows.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken json\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    missing = tmp_path / "not-there"
    db = tmp_path / "ds.sqlite"

    def run():
        return ingest([src, missing], db, max_attempts=3, pipeline=pipeline)

    first = run()
    assert first.exit_code == EXIT_PARTIAL and first.counts["articles_new"] == 1
    assert first.counts["articles_failed"] == 2 and first.counts["sources_failed"] == 1
    fails = {(k, loc): (att, q) for k, loc, att, q in query(db, "SELECT kind, location, attempts, quarantined FROM failures")}
    assert fails == {("article", f"{rows}:2"): (1, 0), ("article", str(src / "empty.txt")): (1, 0),
                     ("source", str(missing)): (1, 0)}
    reason, first_seen = query(db, "SELECT reason, first_seen FROM failures WHERE kind = 'source'")[0]
    assert reason == "no such file or folder"
    run()
    third = run()
    assert third.counts["quarantined"] == 3 and len(third.quarantined) == 3
    assert query(db, "SELECT attempts, quarantined, first_seen FROM failures WHERE kind = 'source'") == \
        [(3, 1, first_seen)]
    # quarantined: reported by status, no longer fail the run (exit 0), the missing source is not tried
    fourth = run()
    assert fourth.exit_code == EXIT_OK and fourth.counts["articles_failed"] == 0
    assert query(db, "SELECT attempts FROM failures WHERE kind = 'source'") == [(3,)]
    assert query(db, "SELECT last_status FROM sources WHERE source = ?", (str(missing),)) == [("quarantined",)]
    # fixed: the row reads now and the failure is gone; a removed file's failure is gone too
    rows.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(make_article(6), ensure_ascii=False)
                    + "\n", encoding="utf-8")
    (src / "empty.txt").unlink()
    fifth = run()
    assert fifth.counts["articles_new"] == 1
    assert query(db, "SELECT kind, location FROM failures") == [("source", str(missing))]
    # --retry-quarantined releases the source; it is tried (and fails) again at once
    missing.mkdir()
    sixth = ingest([src, missing], db, max_attempts=3, pipeline=pipeline, retry_quarantined=True)
    assert sixth.exit_code == EXIT_OK and count(db, "failures") == 0


def test_an_extractor_crash_is_recorded_and_the_article_kept(inbox, tmp_path, pipeline, monkeypatch):
    db = tmp_path / "ds.sqlite"
    victim = pipeline.extractors[0]

    def boom(doc):
        if doc.doc_id == "wire-001":
            raise RuntimeError("rule exploded")
        return type(victim).extract(victim, doc)

    monkeypatch.setattr(victim, "extract", boom)
    report = ingest([inbox], db, pipeline=pipeline)
    assert report.counts["articles_new"] == 6
    assert query(db, "SELECT source, stage, reason FROM errors") == \
        [("wire-001", f"extract:{victim.name}", "RuntimeError: rule exploded")]
    monkeypatch.undo()
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET pipeline_version = 'old' WHERE doc_id = 'wire-001'")
    ingest([inbox], db, pipeline=pipeline)
    assert count(db, "errors") == 0


# -- the lock -------------------------------------------------------------------------------------------------

_HOLD = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, json.dumps({"pid": os.getpid(), "host": "testhost", "started": "2025-01-01T00:00:00Z",
                         "command": "khaosan ingest"}).encode())
print("locked", flush=True)
time.sleep(120)
"""


def test_a_second_run_is_refused_while_one_holds_the_lock(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db) + ".lock"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        res = cli("ingest", str(inbox), "--db", str(db), timeout=60)
        assert res.returncode == EXIT_LOCKED == 75, res.stderr
        assert f"pid {holder.pid}" in res.stderr and "locked" in res.stderr
        assert count(db, "runs") == 1  # the dataset is not touched
        res = cli("reprocess", str(db), timeout=60)
        assert res.returncode == EXIT_LOCKED
    finally:
        holder.kill()
        holder.wait()
    # the holder died (SIGKILL): the kernel released its lock; the next run takes over and says so
    res = cli("ingest", str(inbox), "--db", str(db), timeout=300)
    assert res.returncode == EXIT_OK, res.stderr
    assert f"taking over stale lock from pid {holder.pid}" in res.stderr and "not running" in res.stderr
    assert (tmp_path / "ds.sqlite.lock").read_text() == ""  # released cleanly


def test_lock_unit(tmp_path):
    from khaosan.pipeline.ingest_lock import DatasetLock, Locked

    db = tmp_path / "x.sqlite"
    with DatasetLock(db) as first:
        assert first.stale is None
        content = json.loads((tmp_path / "x.sqlite.lock").read_text())
        assert content["pid"] == os.getpid() and content["host"]
        with pytest.raises(Locked) as e:
            DatasetLock(db).acquire()  # flock is per open file: refused in the same process too
        assert f"pid {os.getpid()}" in str(e.value)
    with DatasetLock(db) as again:
        assert again.stale is None  # released cleanly before: nothing stale


# -- crash safety ----------------------------------------------------------------------------------------------

def test_kill_9_mid_run_then_rerun_equals_a_clean_run(tmp_path, pipeline):
    n = 240
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    with corpus.open("a", encoding="utf-8") as f:
        f.write("{not json\n")  # a failure too: it must be recorded once, not lost or doubled
    clean_db, db = tmp_path / "clean.sqlite", tmp_path / "killed.sqlite"
    clean = ingest([corpus], clean_db, pipeline=pipeline)
    assert clean.counts["articles_new"] == n

    stored = []
    for target in (n // 8, n // 2):  # killed twice, at different points
        proc = start_cli("ingest", str(corpus), "--db", str(db))
        try:
            stored.append(wait_for_articles(proc, db, target))
            assert proc.poll() is None, "the run finished before it could be killed"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
    assert count(db, "articles") < n  # it really stopped half-way
    res = cli("ingest", str(corpus), "--db", str(db))
    assert res.returncode == EXIT_PARTIAL, res.stderr  # the broken row
    assert "ended without finishing" in res.stderr

    assert dump(db) == dump(clean_db)
    assert query(db, "SELECT kind, location, reason FROM failures") == \
        query(clean_db, "SELECT kind, location, reason FROM failures")
    statuses = [s for (s,) in query(db, "SELECT status FROM runs ORDER BY run_id")]
    assert statuses == ["killed", "killed", "partial"]
    last = query(db, "SELECT articles_new, articles_unchanged FROM runs ORDER BY run_id DESC LIMIT 1")[0]
    assert last[0] + last[1] == n and 0 < last[0] < n - stored[0]  # it went on from where the kills left it
    # and once more: nothing to add
    again = ingest([corpus], db, pipeline=pipeline)
    assert again.counts["articles_new"] == 0 and again.counts["articles_unchanged"] == n


def test_sigterm_stops_between_articles_and_records_it(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 200)
    db = tmp_path / "ds.sqlite"
    proc = start_cli("ingest", str(corpus), "--db", str(db), stderr=subprocess.PIPE)
    try:
        wait_for_articles(proc, db, 20)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 3, err
    assert "SIGTERM" in err
    assert query(db, "SELECT status FROM runs") == [("interrupted",)]
    assert (tmp_path / "ds.sqlite.lock").read_text() == ""


# -- status, export, logs, config --------------------------------------------------------------------------

def test_status_exit_codes(inbox, tmp_path, pipeline):
    db = tmp_path / "ds.sqlite"
    assert cli("status", str(db)).returncode == 2
    ingest([inbox, tmp_path / "gone"], db, pipeline=pipeline)
    res = cli("status", str(db), "--max-age", "2h")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "OK: last completed ingest run #1 (partial)" in res.stdout
    assert "no such file or folder" in res.stdout and str(tmp_path / "gone") in res.stdout
    with sqlite3.connect(db) as con:
        con.execute("UPDATE runs SET started = '2020-01-01T00:00:00Z', finished = '2020-01-01T00:01:00Z'")
    res = cli("status", str(db), "--max-age", "2h")
    assert res.returncode == 1 and "STALE" in res.stdout
    assert cli("status", str(db)).returncode == 0  # no --max-age: informational
    res = cli("status", str(db), "--max-age", "2h", "--json")
    data = json.loads(res.stdout)
    assert res.returncode == 1 and data["healthy"] is False and data["articles"] == 6
    assert data["failures"][0]["kind"] == "source" and data["runs"][0]["status"] == "partial"
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database" * 100)
    res = cli("status", str(tmp_path / "junk.sqlite"))
    assert res.returncode == 2 and "junk.sqlite" in res.stderr
    assert cli("status", str(db), "--max-age", "soon").returncode == 2


def test_status_without_a_completed_run_is_stale(tmp_path):
    from khaosan.outputs.store import Store
    from khaosan.pipeline.ingest_status import status

    db = tmp_path / "ds.sqlite"
    Store.open(db).close()
    assert status(db, max_age=3600).exit_code == 1
    assert status(db).exit_code == 0


def test_export_writes_the_tables_of_the_dataset(inbox, tmp_path, pipeline):
    import pandas as pd

    from khaosan.outputs.dataset import Dataset

    db = tmp_path / "ds.sqlite"
    ingest([inbox], db, pipeline=pipeline)
    out = tmp_path / "export"
    res = cli("export", str(db), "--out", str(out))
    assert res.returncode == 0, res.stderr
    ds = Dataset.load(out)
    con = sqlite3.connect(db)
    for name, table in TABLES.items():
        from_db = pd.read_sql_query(f'SELECT * FROM "{name}"', con)[table.column_names]
        got = ds[name].sort_values(list(table.primary_key)).reset_index(drop=True)
        want = from_db.sort_values(list(table.primary_key)).reset_index(drop=True)
        assert len(got) == len(want), name
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        csv_bytes = (out / "csv" / f"{name}.csv").read_bytes()
        assert csv_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for spreadsheets
    assert sorted(r["doc_id"] for r in ds.facts) == sorted(r[0] for r in con.execute("SELECT doc_id FROM articles"))
    con.close()
    assert not [p for p in out.iterdir() if p.name.startswith(".export")]
    assert cli("export", str(tmp_path / "none.sqlite"), "--out", str(out)).returncode == 2


def test_json_log_lines_parse(inbox, tmp_path):
    db = tmp_path / "ds.sqlite"
    res = cli("ingest", str(inbox), str(tmp_path / "gone"), "--db", str(db), "--log-format", "json")
    assert res.returncode == EXIT_PARTIAL
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"ts", "level", "event", "run_id"} <= e.keys() for e in events)
    names = [e["event"] for e in events]
    assert names.count("article.new") == 6 and "run.start" in names and names[-1] == "run.done"
    failed = next(e for e in events if e["event"] == "source.failed")
    assert failed["location"] == str(tmp_path / "gone") and failed["attempts"] == 1 and failed["run_id"] == 1
    assert events[-1]["status"] == "partial" and events[-1]["exit_code"] == 1
    assert res.stdout == ""  # json mode: everything is in the events


def test_config_file_and_errors(inbox, tmp_path):
    cfg = tmp_path / "khaosan.toml"
    cfg.write_text(f'[ingest]\ndb = "data/ds.sqlite"\nsources = ["{inbox.name}"]\nmax_attempts = 2\n'
                   'log_format = "json"\n[pipeline]\ntokenizer = "nlpo3"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    res = cli("ingest", "--config", str(cfg), cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert count(tmp_path / "data" / "ds.sqlite", "articles") == 6  # paths relative to the config file
    assert json.loads(res.stderr.splitlines()[-1])["event"] == "run.done"

    bad = {
        "[ingest]\nsourcez = []\n": "sourcez",
        "[ingest]\nsources = 'x'\n": "sources",
        "[ingest]\nmax_attempts = 'three'\n": "max_attempts",
        "[ingest]\nsince = 'last tuesday'\n": "since",
        "[pipeline]\nworkers = 'two'\n": "workers",
        "[fetch]\nper_host_intervall = 1\n": "per_host_intervall",
        "[ingets]\n": "ingets",
        "[ingest\n": "TOML",
    }
    for text, word in bad.items():
        cfg.write_text(text, encoding="utf-8")
        res = cli("ingest", "--config", str(cfg), str(inbox), "--db", str(tmp_path / "x.sqlite"))
        assert res.returncode == EXIT_CONFIG, (text, res.stderr)
        assert word in res.stderr and str(cfg) in res.stderr, (text, res.stderr)
    assert not (tmp_path / "x.sqlite").exists()
    for args in (["ingest", str(inbox)], ["ingest", "--db", str(tmp_path / "x.sqlite")],
                 ["ingest", str(inbox), "--db", str(tmp_path / "no" / "x.sqlite")],
                 ["ingest", str(inbox), "--db", str(tmp_path / "x.sqlite"), "--since", "2025-05-01",
                  "--until", "2025-01-01"],
                 ["ingest", str(inbox), "--db", str(tmp_path / "x.sqlite"), "--log-format", "xml"],
                 ["ingest", "--config", str(tmp_path / "nope.toml")]):
        res = cli(*args)
        assert res.returncode == EXIT_CONFIG, (args, res.stderr)
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    res = cli("ingest", str(inbox), "--db", str(tmp_path / "junk.sqlite"))
    assert res.returncode == EXIT_CONFIG and "junk.sqlite" in res.stderr


def test_example_config_and_deploy_files_are_valid():
    import tomllib

    from khaosan.pipeline.ingest_config import load_config

    deploy = ROOT / "deploy"
    cfg = load_config(deploy / "khaosan.toml.example")
    assert cfg.db is not None and cfg.sources and cfg.max_attempts >= 1
    service = (deploy / "khaosan-ingest.service").read_text()
    timer = (deploy / "khaosan-ingest.timer").read_text()
    cron = (deploy / "crontab").read_text()
    assert "Type=oneshot" in service and "khaosan ingest --config" in service
    assert "Persistent=true" in timer and "OnCalendar=hourly" in timer
    line = next(x for x in cron.splitlines() if x.strip() and not x.startswith("#") and "=" not in x.split()[0])
    assert "flock -n" in line and "khaosan ingest --config" in line
    assert ".sqlite.lock" not in line  # cron's flock must not take the job's own lock file
    tomllib.loads((deploy / "khaosan.toml.example").read_text())


def test_ingest_adopts_a_dataset_khaosan_extract_wrote(inbox, tmp_path, pipeline):
    from khaosan.outputs.dataset import run_extract

    run_extract([inbox], tmp_path / "out")
    db = tmp_path / "out" / "khaosan.sqlite"
    extracted = dump(db, tuple(TABLES))
    report = ingest([inbox], db, pipeline=pipeline)  # no facts records yet: re-extracted once, same rows
    assert report.counts["articles_reprocessed"] == 6 and report.counts["articles_new"] == 0
    assert dump(db, tuple(TABLES)) == extracted and count(db, "article_facts") == 6
    assert ingest([inbox], db, pipeline=pipeline).counts["articles_unchanged"] == 6
