"""The dataset writers: every table in every format, identical values, offsets that quote the text."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from khaosan.corpus.article import Article
from khaosan.outputs.dataset import Dataset, extract, process_stream
from khaosan.outputs.evaluate import score_files
from khaosan.outputs.schema import TABLES
from khaosan.outputs.writers import DatasetWriter
from khaosan.pipeline.settings import Settings

ARTICLES = [
    Article("a1", "ข่าวทดสอบหนึ่ง\nนายสมชาย ใจดี รัฐมนตรีว่าการกระทรวงแรงงาน เปิดเผยว่า จังหวัดเชียงใหม่ "
                  "ได้รับงบประมาณกว่า 1,200 ล้านบาท สำหรับผู้ประกอบการ 350 ราย เมื่อวันที่ 14 มิถุนายน 2566",
            title="ข่าวทดสอบหนึ่ง", published="2023-06-15", url="https://example.org/1"),
    Article("a2", "ข่าว\u200bทดสอบสอง ผู้ว่าราชการจังหวัดขอนแก่น แถลงว่า ร้อยละ ๑๒ ของครัวเรือนได้รับน้ำประปา "
                  "ตั้งแต่ปี'62 และ ด.ร.สมหญิง รักดี กล่าวต่อ", published=None),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds")
    settings = Settings(batch_size=1)
    with DatasetWriter(out, settings.formats, settings.batch_size) as writer:
        summary = process_stream(ARTICLES, settings, writer.add)
    return out, summary


def test_every_table_in_every_format(written):
    out, summary = written
    assert summary.articles == 2
    db = sqlite3.connect(out / "khaosan.sqlite")
    for name, table in TABLES.items():
        pq = pd.read_parquet(out / f"{name}.parquet")
        assert list(pq.columns) == table.column_names
        with (out / "csv" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        n_sql = db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        assert len(pq) == len(rows) == n_sql, name


def test_csv_has_bom_for_spreadsheets(written):
    out, _ = written
    assert (out / "csv" / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_sqlite_keys_and_indexes(written):
    out, _ = written
    db = sqlite3.connect(out / "khaosan.sqlite")
    pk = [r[1] for r in db.execute('PRAGMA table_info("articles")') if r[5]]
    assert pk == ["doc_id"]  # declared: Datasette addresses article rows by it
    for name, table in TABLES.items():  # the other keys are unique indexes, built after the bulk load
        if table.key_declared:
            continue
        unique = {r[1] for r in db.execute(f'PRAGMA index_list("{name}")') if r[2]}
        assert table.key_index in unique, name
        cols = [r[2] for r in db.execute(f'PRAGMA index_info("{table.key_index}")')]
        assert cols == list(table.primary_key), name
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO articles (doc_id) SELECT doc_id FROM articles LIMIT 1")
    fks = db.execute('PRAGMA foreign_key_list("figures")').fetchall()
    assert any(fk[2] == "articles" for fk in fks)
    idx = {r[1] for r in db.execute('PRAGMA index_list("figures")')}
    assert "idx_figures_unit" in idx


def test_articles_store_exact_text_hash_and_version(written):
    out, _ = written
    arts = pd.read_parquet(out / "articles.parquet").set_index("doc_id")
    assert arts.loc["a2", "text"] == ARTICLES[1].text  # zero-width space kept: offsets refer to this text
    assert arts.loc["a1", "content_hash"] == ARTICLES[0].content_hash
    assert arts["pipeline_version"].str.startswith("0.").all()


def test_facts_jsonl_evidence_quotes_the_text(written):
    out, _ = written
    texts = {a.doc_id: a.text for a in ARTICLES}
    records = [json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["a1", "a2"]
    for r in records:
        for fam in ("persons", "orgs", "provinces", "programs", "figures", "dates"):
            assert fam in r
            for item in r[fam]:
                assert item["evidence"] and item["rule"]
                for ev in item["evidence"]:
                    assert texts[r["doc_id"]][ev["start"]:ev["end"]] == ev["text"]


def test_mentions_point_into_sentences(written):
    out, _ = written
    db = sqlite3.connect(out / "khaosan.sqlite")
    rows = db.execute("SELECT m.start, m.end, s.start, s.end FROM mentions m JOIN sentences s "
                      "ON s.doc_id = m.doc_id AND s.sentence_id = m.sentence_id").fetchall()
    orphan = db.execute("SELECT count(*) FROM mentions WHERE sentence_id < 0").fetchone()[0]
    assert orphan == 0
    for ms, _me, ss, se in rows:
        assert ss <= ms <= se


def test_dataset_api_returns_dataframes():
    ds = extract(ARTICLES)
    assert isinstance(ds.articles, pd.DataFrame) and len(ds.articles) == 2
    assert set(ds.tables) == set(TABLES)
    assert len(ds.facts) == 2


def test_dataset_load_round_trip(written):
    out, _ = written
    ds = Dataset.load(out)
    assert len(ds["articles"]) == 2 and len(ds.facts) == 2


def test_evaluate_perfect_and_imperfect(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "d", "persons": [{"name": "สมชาย ใจดี", "roles": ["นายกรัฐมนตรี"]}],
                                "figures": [{"value": 5, "unit": "คน"}, {"value": 7, "unit": "คน", "optional": True}],
                                "dates": [{"value": "2023-06-14"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"doc_id": "d", "persons": [{"name": "สมชาย  ใจดี", "roles": []}],
                                "figures": [{"value": 5.0, "unit": "คน"}, {"value": 7, "unit": "คน"},
                                            {"value": 9, "unit": "ราย"}],
                                "dates": []}, ensure_ascii=False) + "\n", encoding="utf-8")
    s = score_files(gold, gold)
    assert s["overall"].f1 == 1.0
    s = score_files(gold, pred)
    assert (s["persons"].tp, s["roles"].fn, s["figures"].tp, s["figures"].fp, s["dates"].fn) == (1, 1, 1, 1, 1)


def test_evaluate_agrees_with_shared_scorer(shared, tmp_path):
    """Our scorer and ../shared/gold/score.py give the same overall counts."""
    gold = shared / "gold" / "seeds.gold.jsonl"
    ds = extract(sorted((shared / "corpus" / "seeds").glob("*.txt")), out=tmp_path / "o")
    ours = score_files(gold, tmp_path / "o" / "facts.jsonl")["overall"]
    res = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), str(gold),
                          str(tmp_path / "o" / "facts.jsonl"), "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(res.stdout)["overall"]
    assert (ours.tp, ours.fp, ours.fn) == (theirs["tp"], theirs["fp"], theirs["fn"])
    assert len(ds.articles) == 5


def test_search_index_is_filled_batch_by_batch(tmp_path):
    """Before close, every batch already written is searchable: the index needs no rebuild at the end."""
    from khaosan.outputs.search_index import SPECS, install

    settings = Settings(batch_size=1, formats=("sqlite",), search_index=True)
    writer = DatasetWriter(tmp_path, settings.formats, settings.batch_size, settings.search_index)
    process_stream(ARTICLES, settings, writer.add)
    writer.flush()
    db = writer.sinks["sqlite"].db
    for name in SPECS:
        assert db.execute(f'SELECT count(*) FROM "{name}_fts"').fetchone() == \
            db.execute(f'SELECT count(*) FROM "{name}"').fetchone(), name
    hits = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ('"เชียงใหม่"',)).fetchall()
    assert hits == db.execute("SELECT rowid FROM articles WHERE doc_id = 'a1'").fetchall()
    assert install(db) == []  # lined up: nothing to rebuild
    writer.close()


def test_an_article_read_twice_is_one_row_the_last(tmp_path):
    """The bulk load adds keys at the end; duplicates are reduced to the last copy, as REPLACE would."""
    settings = Settings(batch_size=1, formats=("sqlite",))
    first = Article(doc_id="dup", text="นายสมชาย ใจดี เดินทางไปจังหวัดเชียงใหม่", title="เก่า")
    second = Article(doc_id="dup", text="นายสมชาย ใจดี เดินทางไปจังหวัดลำปาง", title="ใหม่")
    with DatasetWriter(tmp_path, settings.formats, settings.batch_size) as writer:
        process_stream([first, ARTICLES[0], second], settings, writer.add)
    db = sqlite3.connect(tmp_path / "khaosan.sqlite")
    assert db.execute("SELECT title FROM articles WHERE doc_id = 'dup'").fetchall() == [("ใหม่",)]
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    provinces = [r[0] for r in db.execute("SELECT name FROM provinces WHERE doc_id = 'dup'")]
    assert "ลำปาง" in provinces
    (n_persons,) = db.execute("SELECT count(*) FROM persons WHERE doc_id = 'dup'").fetchone()
    assert n_persons == 1


def test_search_index_is_left_out_unless_asked_then_built_by_index(tmp_path):
    """extract writes no search index by default; `khaosan index` builds one equal to what --search-index makes."""
    from typer.testing import CliRunner

    from khaosan.outputs.search_index import SPECS
    from khaosan.pipeline.cli import app

    settings = Settings(batch_size=1, formats=("sqlite",))
    plain, indexed = tmp_path / "plain", tmp_path / "indexed"
    for out, flag in ((plain, False), (indexed, True)):
        with DatasetWriter(out, settings.formats, settings.batch_size, search_index=flag) as writer:
            process_stream(ARTICLES, settings, writer.add)

    def fts(out):
        db = sqlite3.connect(out / "khaosan.sqlite")
        try:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_fts'")}
            hits = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                              ('"เชียงใหม่"',)).fetchall() if "articles_fts" in names else None
            return names, hits
        finally:
            db.close()

    assert fts(plain) == (set(), None)
    result = CliRunner().invoke(app, ["index", str(plain)])
    assert result.exit_code == 0, result.output
    assert "search index ready" in result.output
    assert fts(plain) == fts(indexed)
    assert fts(plain)[0] == {f"{name}_fts" for name in SPECS} and fts(plain)[1]
    again = CliRunner().invoke(app, ["index", str(plain)])
    assert again.exit_code == 0 and "already up to date" in again.output


def test_parquet_row_groups_gather_batches(written):
    """Two one-article batches make one row group, not one per batch (metadata would grow with the corpus)."""
    import pyarrow.parquet as pq

    out, _ = written
    meta = pq.ParquetFile(out / "mentions.parquet").metadata
    assert meta.num_row_groups == 1 and meta.num_rows > 1
