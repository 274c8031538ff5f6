"""The Thai full-text index: install is idempotent and repairs, triggers keep it in sync, short terms still match."""
from __future__ import annotations

import sqlite3

import pytest

from khaosan.outputs import search_index as si
from khaosan.outputs.schema import TABLES
from khaosan.outputs.sqlite import create_schema, insert_rows

# Our own fictional sentences.
TEXTS = {
    "a1": ("ดีป้า เปิดตัวทูตเมืองอัจฉริยะ", "ดีป้า ชวนคนรักบ้านเกิดสมัครเป็นทูต ปีนี้รับ 100 คน"),
    "a2": ("งบน้ำเชียงใหม่", "รัฐมนตรีอนุมัติงบ 2,500 ล้านบาท ให้จังหวัดเชียงใหม่"),
    "a3": ("ข่าวสั้น", "ฝนตกหนักที่ขอนแก่น"),
}


def article(doc_id: str, title: str, text: str) -> dict:
    return {"doc_id": doc_id, "title": title, "text": text, "content_hash": doc_id, "n_chars": len(text)}


def org(fact_id: str, doc_id: str, name: str, aliases: str = "[]") -> dict:
    return {"fact_id": fact_id, "doc_id": doc_id, "name": name, "aliases": aliases}


@pytest.fixture
def db(tmp_path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "t.sqlite")
    create_schema(conn)
    with conn:
        insert_rows(conn, TABLES["articles"], [article(d, t, x) for d, (t, x) in TEXTS.items()])
        insert_rows(conn, TABLES["orgs"], [org("o1", "a1", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล", '["ดีป้า"]')])
        insert_rows(conn, TABLES["sentences"], [
            {"doc_id": d, "sentence_id": 0, "start": 0, "end": len(x), "text": x} for d, (_, x) in TEXTS.items()])
    yield conn
    conn.close()


def search(db: sqlite3.Connection, table: str, query: str, **kw) -> set:
    key = "doc_id" if table in ("articles", "sentences") else "fact_id"
    clause, params = si.terms_clause(table, si.split_terms(query), **kw)
    return {r[0] for r in db.execute(f'SELECT {key} FROM "{table}" WHERE {clause}', params)}


def check_integrity(db: sqlite3.Connection) -> None:
    for spec in si.SPECS.values():
        db.execute(f"INSERT INTO {spec.name}({spec.name}) VALUES ('integrity-check')")
        assert si._lined_up(db, spec), spec.table


def test_install_builds_then_does_nothing(db: sqlite3.Connection) -> None:
    rebuilt = si.install(db)
    assert {"articles", "orgs"} <= set(rebuilt)
    assert si.install(db) == []
    assert search(db, "articles", "ดีป้า") == {"a1"}
    assert search(db, "articles", "คนรักบ้านเกิด") == {"a1"}
    assert search(db, "articles", "เชียงใหม่ ล้านบาท") == {"a2"}
    assert search(db, "orgs", "ดีป้า") == {"o1"}
    check_integrity(db)


def test_short_terms_fall_back_to_like(db: sqlite3.Connection) -> None:
    si.install(db)
    assert len("ปี") < si.MIN_TRIGRAM
    assert search(db, "articles", "ปี") == {"a1"}  # "ปีนี้": the index alone would find nothing
    assert search(db, "articles", "ปี ดีป้า") == {"a1"}
    assert search(db, "articles", "ปี ขอนแก่น") == set()


def test_column_scope_and_slices(db: sqlite3.Connection) -> None:
    si.install(db)
    assert search(db, "articles", "เชียงใหม่", columns=["title"]) == {"a2"}
    assert search(db, "articles", "อนุมัติ", columns=["title"]) == set()
    assert search(db, "sentences", "ฝนตก") == {"a3"}  # sentences go through the articles' index
    with pytest.raises(ValueError, match="no search"):
        si.terms_clause("articles", ["x"], columns=["url"])
    # an old dataset without the index still answers, by LIKE alone
    assert search(db, "articles", "ดีป้า", indexed=False) == {"a1"}


def test_special_characters_are_literal(db: sqlite3.Connection) -> None:
    si.install(db)
    for q in ('"', "ดีป้า OR", "AND", "*", "2,500", "NEAR(", "%", "_"):
        search(db, "articles", q)  # no FTS syntax error
    assert search(db, "articles", "2,500") == {"a2"}
    assert search(db, "articles", "%") == set()


def test_triggers_follow_delete_reinsert_replace_update(db: sqlite3.Connection) -> None:
    si.install(db)
    with db:  # ingest: delete an article's rows and insert them again, changed
        db.execute("DELETE FROM articles WHERE doc_id = 'a3'")
        insert_rows(db, TABLES["articles"], [article("a3", "ข่าวใหม่", "น้ำท่วมที่อุบลราชธานี")])
    assert search(db, "articles", "ขอนแก่น") == set()
    assert search(db, "articles", "อุบลราชธานี") == {"a3"}
    with db:  # INSERT OR REPLACE without deleting first
        insert_rows(db, TABLES["articles"], [article("a3", "ข่าวใหม่", "ภัยแล้งที่บุรีรัมย์")])
    assert search(db, "articles", "อุบลราชธานี") == set()
    assert search(db, "articles", "บุรีรัมย์") == {"a3"}
    with db:
        db.execute("UPDATE orgs SET aliases = '[\"depa\"]' WHERE fact_id = 'o1'")
    assert search(db, "orgs", "ดีป้า") == set() and search(db, "orgs", "depa") == {"o1"}
    with db:
        db.execute("INSERT OR IGNORE INTO articles (doc_id, title, text) VALUES ('a1', 'x', 'ไม่ควรเข้า')")
    assert search(db, "articles", "ไม่ควรเข้า") == set() and search(db, "articles", "ดีป้า") == {"a1"}
    # a REPLACE leaves an entry under a rowid no row has: install notices and rebuilds
    for spec in si.SPECS.values():
        db.execute(f"INSERT INTO {spec.name}({spec.name}) VALUES ('integrity-check')")
    si.install(db)
    check_integrity(db)


def test_install_rebuilds_an_index_out_of_line(db: sqlite3.Connection) -> None:
    si.install(db)
    with db:  # rows written while the triggers were missing
        db.execute('DROP TRIGGER "articles_fts_ai"')
        insert_rows(db, TABLES["articles"], [article("a4", "ใหม่", "ทุเรียนจันทบุรี")])
    assert search(db, "articles", "ทุเรียน") == set()
    assert si.install(db) == ["articles"]
    assert search(db, "articles", "ทุเรียน") == {"a4"}
    with db:  # a changed definition is recreated
        db.execute('DROP TABLE "orgs_fts"')
        db.execute("CREATE VIRTUAL TABLE orgs_fts USING fts5(fact_id UNINDEXED, name)")
    assert "orgs" in si.install(db)
    assert search(db, "orgs", "ดีป้า") == {"o1"}
    check_integrity(db)


def test_drop_and_obsolete(db: sqlite3.Connection) -> None:
    si.install(db)
    db.execute("CREATE VIRTUAL TABLE sentences_fts USING fts5(text)")
    si.install(db)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "sentences_fts" not in names and "articles_fts" in names
    si.drop(db)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert not any(n.endswith("_fts") or "_fts_" in n for n in names)


def test_split_terms() -> None:
    assert si.split_terms('ดีป้า  "Smart City" ทูต') == ["ดีป้า", "Smart City", "ทูต"]
    assert si.split_terms("   ") == []
    assert si.fts_phrase('a"b') == '"a""b"'
