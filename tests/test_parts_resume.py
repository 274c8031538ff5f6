"""A run in parts goes on after a stop (``--resume``) and ends with the files an uninterrupted run writes.

The stop is real in the first test: ``extract --parts`` is killed with SIGKILL
once a few parts are recorded.  What the resumed run may keep is only what the
manifest records; everything else (a part half moved into place, the scratch
folder, a manifest line cut short) is redone.  Inputs or settings that changed
since are refused, not mixed in.
"""
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

from khaosan.outputs.dataset import Dataset, run_extract
from khaosan.outputs.parts import MANIFEST, SCRATCH, Manifest, ResumeRefused, part_files
from khaosan.outputs.schema import TABLES
from khaosan.pipeline.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))
from ingest_support import write_corpus  # noqa: E402

BATCH, PART = 8, 32


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "khaosan.pipeline.cli", "extract", *args, "--no-progress"]


def _env() -> dict[str, str]:
    return {**os.environ, "KHAOSAN_BATCH_SIZE": str(BATCH), "KHAOSAN_PART_SIZE": str(PART), "KHAOSAN_WORKERS": "1"}


def _parts_recorded(out: Path) -> int:
    m = Manifest.read(out / MANIFEST)
    return len(m.parts) if m else 0


def _same_files(a: Path, b: Path) -> None:
    for name in ["facts"] + [f"csv/{t}" for t in TABLES]:
        fa, fb = sorted((a / name).glob("part-*")), sorted((b / name).glob("part-*"))
        assert [f.name for f in fa] == [f.name for f in fb], name
        for x, y in zip(fa, fb):
            assert x.read_bytes() == y.read_bytes(), x
    import pyarrow.parquet as pq

    for t in TABLES:
        fa, fb = part_files(a, t), part_files(b, t)
        assert [f.name for f in fa] == [f.name for f in fb], t
        for x, y in zip(fa, fb):
            assert pq.read_table(x).equals(pq.read_table(y)), x
    rows = []
    for out in (a, b):
        db = sqlite3.connect(out / "khaosan.sqlite")
        rows.append({t: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in TABLES})
        db.close()
    assert rows[0] == rows[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    path = write_corpus(folder / "news.jsonl", 1200)
    with path.open("a", encoding="utf-8") as f:
        f.write("{not json\n")  # a read error part-way through the stream, in part 37
    write_corpus(folder / "news2.jsonl", 40, start=1200)
    return folder


@pytest.fixture(scope="module")
def whole(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("whole")
    done = subprocess.run(_cli(str(corpus), "--out", str(out), "--parts"), env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_run_resumes_to_the_files_of_an_uninterrupted_run(corpus, whole, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(_cli(str(corpus), "--out", str(out), "--parts"), env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _parts_recorded(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    kept = _parts_recorded(out)
    assert 3 <= kept < 39  # 1,240 articles in parts of 32: 39 parts

    # What a kill can leave beyond the manifest: a part moved half into place, and its scratch folder.
    (out / "facts" / f"part-{kept:06d}.jsonl").write_text("half a part\n", encoding="utf-8")
    (out / SCRATCH / "leftover").mkdir(parents=True, exist_ok=True)

    resumed = subprocess.run(_cli(str(corpus), "--out", str(out), "--resume"), env=_env(),
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"parts: {39 - kept} written, {kept} kept from the interrupted run" in resumed.stdout
    assert "1240 articles" in resumed.stdout  # the summary counts the kept parts too
    assert "1 unreadable inputs" in resumed.stdout
    _same_files(whole, out)
    assert not (out / SCRATCH).exists()
    assert Dataset.load(out).facts == Dataset.load(whole).facts


class _Stop(Exception):
    pass


def _interrupted(corpus: Path, out: Path, keep: int) -> Path:
    """A run stopped (an exception, as Ctrl-C would) once ``keep`` parts are written, with a manifest line cut short."""
    def stop_after(articles: int, characters: int) -> None:
        if articles >= keep * PART:
            raise _Stop

    with pytest.raises(_Stop):
        run_extract([corpus], out, Settings(batch_size=BATCH, part_size=PART, parts=True), progress=stop_after)
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write('{"part": %d, "digest": "0123' % keep)
    assert _parts_recorded(out) == keep
    return out


def test_resume_after_the_last_part_only_writes_what_is_missing(corpus, whole, tmp_path):
    out = _interrupted(corpus, tmp_path / "out", 38)
    summary = run_extract([corpus], out, Settings(batch_size=BATCH, part_size=PART, parts=True), resume=True)
    assert (summary.parts, summary.resumed_parts, summary.articles) == (1, 38, 1240)
    _same_files(whole, out)


def test_resuming_a_finished_run_changes_nothing(corpus, whole, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(whole, out)
    before = (out / "khaosan.sqlite").stat().st_mtime_ns
    summary = run_extract([corpus], out, Settings(batch_size=BATCH, part_size=PART, parts=True), resume=True)
    assert (summary.parts, summary.resumed_parts, summary.articles) == (0, 39, 1240)
    assert (out / "khaosan.sqlite").stat().st_mtime_ns == before
    _same_files(whole, out)


def test_resume_refuses_changed_inputs(corpus, tmp_path):
    out = _interrupted(corpus, tmp_path / "out", 5)
    changed = tmp_path / "changed.jsonl"
    lines = (corpus / "news.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[40])  # an article of part 1
    record["body"] += " แก้ไขแล้ว"
    lines[40] = json.dumps(record, ensure_ascii=False) + "\n"
    changed.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ResumeRefused, match="part 1 holds other articles"):
        run_extract([changed], out, Settings(batch_size=BATCH, part_size=PART, parts=True), resume=True)
    shorter = tmp_path / "shorter.jsonl"  # its 3 parts are the first 3 of the 5 kept
    original = (corpus / "news.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    shorter.write_text("".join(original[:3 * PART]), encoding="utf-8")
    with pytest.raises(ResumeRefused, match="inputs are shorter"):
        run_extract([shorter], out, Settings(batch_size=BATCH, part_size=PART, parts=True), resume=True)


def test_resume_refuses_other_settings_and_missing_parts(corpus, tmp_path):
    out = _interrupted(corpus, tmp_path / "out", 5)
    with pytest.raises(ResumeRefused, match="batch_size"):
        run_extract([corpus], out, Settings(batch_size=BATCH * 2, part_size=PART, parts=True), resume=True)
    (out / "sqlite" / "part-000003.sqlite").unlink()
    done = subprocess.run(_cli(str(corpus), "--out", str(out), "--resume"), env=_env(), capture_output=True, text=True)
    assert done.returncode == 2, done.stderr  # the CLI's exit code for a refused resume, with the reason
    assert "SQLite rows of kept parts are missing (sqlite/part-000003.sqlite)" in done.stderr


def test_resume_with_nothing_to_resume_starts(corpus, whole, tmp_path):
    """A batch job passes --resume on every try: on the first there is nothing to go on from."""
    out = tmp_path / "fresh"
    summary = run_extract([corpus], out, Settings(batch_size=BATCH, part_size=PART, parts=True), resume=True)
    assert (summary.parts, summary.resumed_parts) == (39, 0)
    _same_files(whole, out)


def test_a_one_writer_run_into_a_parts_folder_leaves_one_layout(corpus, whole, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(whole, out)
    run_extract([corpus / "news2.jsonl"], out, Settings(batch_size=BATCH))
    assert not (out / MANIFEST).exists() and not list(out.glob("*/part-*"))
    assert len(Dataset.load(out).facts) == 40


def test_one_run_at_a_time_per_folder(corpus, tmp_path):
    """A job requeued while its last try still runs must not write the same parts."""
    from khaosan.pipeline.ingest_lock import DatasetLock

    out = tmp_path / "locked"
    out.mkdir()
    with DatasetLock(out / MANIFEST, "the other run"):
        done = subprocess.run(_cli(str(corpus / "news2.jsonl"), "--out", str(out), "--parts", "--resume"),
                              env=_env(), capture_output=True, text=True)
    assert done.returncode == 75, done.stderr
    assert "locked by" in done.stderr and "the other run" in done.stderr
    assert not (out / MANIFEST).exists()  # nothing touched
    summary = run_extract([corpus / "news2.jsonl"], out, Settings(batch_size=BATCH, part_size=PART, parts=True))
    assert summary.articles == 40  # free again once the other run ends
