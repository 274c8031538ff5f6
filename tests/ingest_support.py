"""Helpers shared by the ingest tests: generated fictional articles, table dumps, running the CLI."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from khaosan.outputs.schema import TABLES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
INBOX = FIXTURES / "inbox"

# Made-up people, places and numbers; combined they give many distinct small articles.
_PEOPLE = ["นายสมพงษ์ ใจงาม", "นางสาวรัตนา พูลผล", "นายธีระ บุญมา", "นางวิไล คงสวัสดิ์", "นายอนันต์ ศรีทอง"]
_ROLES = ["ผู้ว่าราชการจังหวัด", "นายกองค์การบริหารส่วนจังหวัด", "ปลัดจังหวัด"]
_PROVINCES = ["เชียงใหม่", "ลำพูน", "นครราชสีมา", "อุดรธานี", "สุราษฎร์ธานี", "ตรัง", "ระยอง", "พิษณุโลก"]
_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน"]
_WHAT = ["ถุงยังชีพ", "เครื่องสูบน้ำ", "ทุนการศึกษา", "เมล็ดพันธุ์ข้าว", "อุปกรณ์การแพทย์"]


def make_article(i: int, edition: int = 0) -> dict[str, Any]:
    """Article number ``i``: a few sentences with a person, a province, money, counts and a date."""
    person = _PEOPLE[i % len(_PEOPLE)]
    role = _ROLES[i % len(_ROLES)]
    prov = _PROVINCES[i % len(_PROVINCES)]
    other = _PROVINCES[(i * 3 + 1) % len(_PROVINCES)]
    what = _WHAT[i % len(_WHAT)]
    amount = 100_000 + 7_919 * i + 1_000 * edition
    homes = 40 + (i * 13) % 900
    day, month = 1 + i % 28, _MONTHS[i % len(_MONTHS)]
    body = (f"{person} {role}{prov} มอบ{what}มูลค่า {amount:,} บาท ให้ชาวบ้าน {homes} ครัวเรือน "
            f"เมื่อวันที่ {day} {month} 2568\n"
            f"โครงการนี้ดำเนินการร่วมกับอาสาสมัครจากจังหวัด{other} กว่า {20 + i % 70} คน "
            f"และมีแผนขยายไปอีก {2 + i % 9} อำเภอภายในปีนี้\n"
            f"ชาวบ้านร้อยละ {50 + i % 45} ที่ตอบแบบสอบถามพอใจกับการช่วยเหลือครั้งนี้")
    return {"id": f"gen-{i:04d}", "url": f"https://news.example.org/gen/{i:04d}",
            "published": f"2025-{1 + i % 6:02d}-{day:02d}", "title": f"ข่าวทดสอบที่ {i} จังหวัด{prov}",
            "body": body}


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(json.dumps(make_article(i), ensure_ascii=False) + "\n")
    return path


def dump(db_path: Path, tables: tuple[str, ...] | None = None) -> dict[str, list[tuple]]:
    """Every dataset table (and the facts records, web links) as sorted rows: what two runs must agree on."""
    names = tables or (*TABLES, "article_facts", "web_pages")
    db = sqlite3.connect(db_path)
    try:
        present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in names if t in present}
    finally:
        db.close()


def count(db_path: Path, table: str, where: str = "1 = 1", args: tuple = ()) -> int:
    db = sqlite3.connect(db_path)
    try:
        return int(db.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', args).fetchone()[0])
    finally:
        db.close()


def query(db_path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHAINLP_OFFLINE", "1")
    env.setdefault("PYTHAINLP_READ_ONLY", "1")
    env.pop("KHAOSAN_WORKERS", None)
    return env


def cli(*args: str, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khaosan.pipeline.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=cli_env(), cwd=cwd)


def start_cli(*args: str, stderr: Any = subprocess.DEVNULL) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "khaosan.pipeline.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=stderr, text=True, env=cli_env())


def wait_for_articles(proc: subprocess.Popen[str], db_path: Path, at_least: int, timeout: float = 120) -> int:
    """Poll the dataset (read-only, as a reader would) until it holds ``at_least`` articles."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before {at_least} articles were stored")
        if db_path.exists():
            try:
                db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
                try:
                    n = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
                finally:
                    db.close()
                if n >= at_least:
                    return n
            except sqlite3.OperationalError:
                pass  # tables not created yet
        time.sleep(0.005)
    raise AssertionError(f"no {at_least} articles within {timeout} s")
