"""``khaosan serve`` through HTTP: a real server subprocess on a free loopback port over our own fixture articles.

The dataset is made by ``extract`` from ``tests/fixtures/serve/articles.jsonl``
(fictional articles: ดีป้า and its Smart City Ambassadors, a 2,500-million-baht
budget for เชียงใหม่, dates, and one article carrying ``<script>``).  Expected
values come from the dataset's SQLite file, read directly, never from the server.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "serve" / "articles.jsonl"
TIME_LIMIT_MS = 1000


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from khaosan.outputs.dataset import run_extract
    from khaosan.pipeline.settings import Settings

    out = tmp_path_factory.mktemp("serve") / "dataset"
    summary = run_extract([FIXTURE], out, Settings.from_env().replace(formats=("sqlite", "csv")))
    assert summary.articles == 4
    return out / "khaosan.sqlite"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def server(dataset: Path):
    port = _free_port()
    assert not sql(dataset, "SELECT name FROM sqlite_master WHERE name = 'articles_fts'"), \
        "extract leaves the search index out by default"
    log = (dataset.parent / "serve.log").open("wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, "-m", "khaosan.pipeline.cli", "serve", str(dataset.parent),
                             "--port", str(port), "--sql-time-limit-ms", str(TIME_LIMIT_MS)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/-/khaosan", timeout=5) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("khaosan serve did not start:\n" + (dataset.parent / "serve.log").read_text("utf-8", "replace"))
        time.sleep(0.3)
    digest = _sha256(dataset)  # serve built the search index before it opened the file immutable
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    log.close()
    assert _sha256(dataset) == digest, "serving changed the dataset file"


def get(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def get_json(url: str):
    status, _, body = get(url)
    assert status == 200, body[:500]
    return json.loads(body)


def sql(dataset: Path, query: str, *params) -> list[tuple]:
    db = sqlite3.connect(f"file:{dataset}?mode=ro", uri=True)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def articles_containing(dataset: Path, *terms: str) -> set[str]:
    return {d for d, title, text in sql(dataset, "SELECT doc_id, title, text FROM articles")
            if all(t in (title or "") + "\n" + (text or "") for t in terms)}


# -- search ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["ดีป้า", "คนรักบ้านเกิด", "ปี", "เชียงใหม่ ล้านบาท", '"Smart City"'])
def test_thai_search_finds_what_the_text_holds(server: str, dataset: Path, query: str) -> None:
    rows = get_json(f"{server}/khaosan/articles.json?" + urlencode({"_search": query, "_shape": "array"}))
    terms = [query.strip('"')] if query.startswith('"') else query.split()
    expected = articles_containing(dataset, *terms)
    assert expected, "the fixture should hold the term"
    assert {r["doc_id"] for r in rows} == expected


def test_search_page_highlights_the_match(server: str) -> None:
    status, _, body = get(f"{server}/khaosan/articles?" + urlencode({"_search": "ดีป้า"}))
    page = body.decode()
    assert status == 200
    assert '<mark class="search">ดีป้า</mark>' in page
    assert 'name="_search"' in page and 'value="ดีป้า"' in page  # Datasette's own search box, filled in
    # a short (two-character) term is highlighted as well
    page = get(f"{server}/khaosan/sentences?" + urlencode({"_search": "ปี"}))[2].decode()
    assert '<mark class="search">ปี</mark>' in page


def test_search_fact_tables_and_columns(server: str, dataset: Path) -> None:
    rows = get_json(f"{server}/khaosan/orgs.json?" + urlencode({"_search": "ดีป้า", "_shape": "array"}))
    expected = {f for f, in sql(dataset, "SELECT fact_id FROM orgs WHERE name LIKE '%ดีป้า%' OR aliases LIKE '%ดีป้า%'")}
    assert expected and {r["fact_id"] for r in rows} == expected
    rows = get_json(f"{server}/khaosan/articles.json?" + urlencode({"_search_title": "เชียงใหม่", "_shape": "array"}))
    assert {r["doc_id"] for r in rows} == {d for d, t in sql(dataset, "SELECT doc_id, title FROM articles")
                                            if "เชียงใหม่" in t}
    status, _, _ = get(f"{server}/khaosan/articles.json?" + urlencode({"_search_url": "x"}))
    assert status == 400  # not a searchable column: said, not ignored


def test_one_search_over_everything(server: str, dataset: Path) -> None:
    data = get_json(f"{server}/-/khaosan/search?" + urlencode({"q": "ดีป้า", "_format": "json"}))
    counts = {h["table"]: h["count"] for h in data["tables"]}
    assert counts["articles"] == len(articles_containing(dataset, "ดีป้า"))
    assert counts["mentions"] == sql(dataset, "SELECT count(*) FROM mentions WHERE text LIKE '%ดีป้า%'")[0][0]
    assert all("<mark" in a["snippet"] for a in data["articles"])


# -- facets ---------------------------------------------------------------------------------------

def _facet(data: dict, name: str, type_: str | None = None) -> dict[str, int]:
    results = data["facet_results"]
    facets = [f for f in (results.values() if isinstance(results, dict) else results)
              if f["name"] == name and (type_ is None or f["type"] == type_)]
    assert len(facets) == 1, facets
    return {str(v["value"]): v["count"] for v in facets[0]["results"]}


def test_facets_count_right(server: str, dataset: Path) -> None:
    data = get_json(f"{server}/khaosan/figures.json")  # unit and qualifier are configured facets
    assert _facet(data, "unit") == {str(u): n for u, n in sql(dataset, "SELECT unit, count(*) FROM figures "
                                                               "WHERE unit IS NOT NULL GROUP BY unit")}
    data = get_json(f"{server}/khaosan/articles.json")
    years = Counter(p[:4] for p, in sql(dataset, "SELECT published FROM articles WHERE published != ''"))
    assert _facet(data, "published", "year") == dict(years)  # configured in the metadata
    # choosing a year narrows the rows to that year
    data = get_json(f"{server}/khaosan/articles.json?published__startswith=2024")
    assert data["filtered_table_rows_count"] == years["2024"]
    data = get_json(f"{server}/khaosan/roles.json")  # role is a configured facet
    assert _facet(data, "role") == {r: n for r, n in sql(dataset, "SELECT role, count(*) FROM roles GROUP BY role")}


def test_year_and_month_facets(server: str, dataset: Path) -> None:
    data = get_json(f"{server}/khaosan/articles.json")  # year and month are configured
    published = [p for p, in sql(dataset, "SELECT published FROM articles")]
    assert _facet(data, "published", "year") == dict(Counter(p[:4] for p in published))
    assert _facet(data, "published", "month") == dict(Counter(p[:7] for p in published))
    # choosing a month narrows the rows, and the facet shows it selected
    month = published[0][:7]
    data = get_json(f"{server}/khaosan/articles.json?published__startswith={month}")
    assert data["filtered_table_rows_count"] == sum(p.startswith(month) for p in published)
    chosen = [v for f in (data["facet_results"].values() if isinstance(data["facet_results"], dict)
                          else data["facet_results"]) if f["type"] == "month" for v in f["results"] if v["selected"]]
    assert [v["value"] for v in chosen] == [month]
    data = get_json(f"{server}/khaosan/dates.json")  # year is a configured facet
    assert _facet(data, "year") == {str(y): n for y, n in sql(dataset, "SELECT year, count(*) FROM dates GROUP BY year")}


# -- fact cards and article pages -----------------------------------------------------------------

def test_fact_card_shows_the_evidence_in_mark(server: str, dataset: Path) -> None:
    fact_id, doc_id, title = sql(dataset, "SELECT o.fact_id, o.doc_id, a.title FROM orgs o JOIN articles a "
                                          "USING (doc_id) WHERE o.aliases LIKE '%ดีป้า%' ORDER BY o.doc_id")[0]
    mentions = sql(dataset, "SELECT start, \"end\", text, rule FROM mentions WHERE fact_id = ?", fact_id)
    status, _, body = get(f"{server}/-/khaosan/fact/{fact_id}")
    page = body.decode()
    assert status == 200
    marked = [html.unescape(m) for m in re.findall(r'<mark class="self[^"]*"[^>]*>(.*?)</mark>', page)]
    assert sorted(marked) == sorted(m[2] for m in mentions)
    text = sql(dataset, "SELECT text FROM articles WHERE doc_id = ?", doc_id)[0][0]
    assert all(text[s:e] == t for s, e, t, _ in mentions)  # what is marked is exactly the article's text
    assert html.escape(title, quote=False) in page
    assert "2024-05-14" in page and "https://news.example.org/serve/01" in page
    assert mentions[0][3] in page  # the rule
    # the other facts of the sentence are listed with links to their cards
    card = get_json(f"{server}/-/khaosan/fact/{fact_id}.json")
    others = {o["fact_id"] for e in card["evidence"] for o in e["other_facts"]}
    assert others and all(f"/-/khaosan/fact/{o}" in page for o in others)


def test_article_page_highlights_every_family(server: str, dataset: Path) -> None:
    status, _, body = get(f"{server}/-/khaosan/article/serve-02")
    page = body.decode()
    assert status == 200
    families = {f for f, in sql(dataset, "SELECT DISTINCT family FROM mentions WHERE doc_id = 'serve-02'")}
    for fam in families:
        assert re.search(rf'<mark class="f-{fam}', page), fam
    # every fact of the article links to its card
    for fact_id, in sql(dataset, "SELECT DISTINCT fact_id FROM mentions WHERE doc_id = 'serve-02'"):
        assert f"/-/khaosan/fact/{fact_id}" in page
    assert get(f"{server}/-/khaosan/article/no-such-article")[0] == 404
    assert get(f"{server}/-/khaosan/fact/0000000000000000")[0] == 404


def test_html_in_articles_is_escaped(server: str, dataset: Path) -> None:
    fact_id = sql(dataset, "SELECT fact_id FROM mentions WHERE doc_id = 'serve-03' ORDER BY start")[0][0]
    for url in (f"{server}/-/khaosan/article/serve-03", f"{server}/-/khaosan/fact/{fact_id}",
                f"{server}/khaosan/articles?" + urlencode({"_search": "ขอนแก่น"}),
                f"{server}/khaosan/articles/serve-03",
                f"{server}/-/khaosan/search?" + urlencode({"q": "ทดสอบ"})):
        page = get(url)[2].decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert 'href="javascript:' not in page, url


# -- exports --------------------------------------------------------------------------------------

def test_csv_export_round_trips_thai(server: str, dataset: Path) -> None:
    expected = [(d, t) for d, t in sql(dataset, "SELECT doc_id, title FROM articles ORDER BY doc_id")]
    status, _, body = get(f"{server}/khaosan/articles.csv?_stream=on&_sort=doc_id")
    assert status == 200 and not body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert [(r["doc_id"], r["title"]) for r in rows] == expected
    status, headers, body = get(f"{server}/khaosan/articles.excel?_stream=on&_sort=doc_id")
    assert status == 200 and body.startswith(b"\xef\xbb\xbf")
    assert "attachment" in headers.get("content-disposition", "") and "csv" in headers["content-type"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["doc_id"], r["title"]) for r in rows] == expected
    assert get(f"{server}/khaosan/articles.csv?_bom=1")[2].startswith(b"\xef\xbb\xbf")
    # a canned query exports too, Thai parameters and all
    body = get(f"{server}/khaosan/articles_naming_province.excel?" + urlencode({"province": "เชียงใหม่"}))[2]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["doc_id"] for r in rows) == sorted(
        d for d, in sql(dataset, "SELECT doc_id FROM provinces WHERE name = 'เชียงใหม่'"))
    page = get(f"{server}/khaosan/figures")[2].decode()
    assert "figures.excel" in page  # every table page links the Excel variant


# -- the questions --------------------------------------------------------------------------------

def test_who_announced_billions_for_chiang_mai(server: str, dataset: Path) -> None:
    args = {"role": "รัฐมนตรี", "province": "จังหวัดเชียงใหม่", "year": "2567", "min_baht": "", "_shape": "array"}
    rows = get_json(f"{server}/khaosan/who_announced_baht.json?" + urlencode(args))
    expected = sql(dataset, """
        SELECT DISTINCT r.person, f.value FROM figures f JOIN roles r USING (doc_id) JOIN articles a USING (doc_id)
        WHERE f.unit = 'THB' AND f.value >= 1e9 AND r.role LIKE '%รัฐมนตรี%' AND a.published LIKE '2024%'
          AND f.doc_id IN (SELECT doc_id FROM provinces WHERE name = 'เชียงใหม่')""")
    assert expected and {(r["person"], r["baht"]) for r in rows} == set(expected)


def test_every_mention_through_aliases(server: str, dataset: Path) -> None:
    rows = get_json(f"{server}/khaosan/mentions_of.json?" + urlencode({"name": "ดีป้า", "_shape": "array"}))
    names = {n for n, in sql(dataset, "SELECT name FROM orgs WHERE aliases LIKE '%\"ดีป้า\"%'")}
    expected = sql(dataset, "SELECT m.mention_id FROM mentions m JOIN orgs o ON o.fact_id = m.fact_id WHERE o.name IN (%s)"
                   % ",".join("?" * len(names)), *names)
    assert names and len(rows) == len(expected)
    assert {r["mention"] for r in rows} >= {"ดีป้า", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"}
    assert all(r["mention"] in r["sentence"] for r in rows)


def test_claims_and_sentences(server: str) -> None:
    rows = get_json(f"{server}/khaosan/claims.json?" + urlencode(
        {"who": "ดีป้า", "about": "Smart City Ambassadors", "_shape": "array"}))
    assert rows and all("Smart City Ambassadors" in r["sentence"] for r in rows)
    assert {r["doc_id"] for r in rows} == {"serve-01"}
    page = get(f"{server}/khaosan/search_sentences?" + urlencode({"q": "คนรักบ้านเกิด"}))[2].decode()
    assert '<mark class="search">คนรักบ้านเกิด</mark>' in page


def test_baht_above_threshold(server: str, dataset: Path) -> None:
    rows = get_json(f"{server}/khaosan/baht_above.json?" + urlencode(
        {"min_baht": "1000000000", "province": "", "since": "2025", "until": "", "_shape": "array"}))
    expected = sql(dataset, "SELECT f.fact_id FROM figures f JOIN articles a USING (doc_id) "
                            "WHERE unit = 'THB' AND value >= 1e9 AND a.published >= '2025'")
    assert {r["fact_id"] for r in rows} == {f for f, in expected}


# -- map and chart --------------------------------------------------------------------------------

def test_map_and_chart(server: str, dataset: Path) -> None:
    page = get(f"{server}/khaosan/provinces")[2].decode()
    assert "datasette-cluster-map" in page  # the map script is on the provinces page (lat/lon columns)
    rows = get_json(f"{server}/khaosan/province_map.json?_shape=array&since=&until=")
    assert {r["name"]: r["articles"] for r in rows} == dict(
        sql(dataset, "SELECT name, count(DISTINCT doc_id) FROM provinces GROUP BY name"))
    status, _, body = get(f"{server}/-/khaosan/chart")
    page = body.decode()
    assert status == 200 and "<svg" in page and "<rect" in page and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    data = get_json(f"{server}/-/khaosan/chart?_format=json")
    total = sum(sum(v) for v in data["mentions"]["series"].values())
    assert total == sql(dataset, "SELECT count(*) FROM mentions JOIN articles USING (doc_id) "
                                 "WHERE published != ''")[0][0]
    assert sum(data["baht"]["series"]["THB"]) == sql(dataset, "SELECT sum(value) FROM figures WHERE unit = 'THB'")[0][0]


def test_serve_built_the_search_index_on_first_start(server: str, dataset: Path) -> None:
    from khaosan.outputs.search_index import SPECS, install

    log = (dataset.parent / "serve.log").read_text("utf-8")
    assert "building the Thai search index" in log and "search index ready" in log
    db = sqlite3.connect(dataset)
    try:
        for name in SPECS:
            assert db.execute(f'SELECT count(*) FROM "{name}_fts"').fetchone() == \
                db.execute(f'SELECT count(*) FROM "{name}"').fetchone(), name
        assert install(db) == []  # complete and lined up
    finally:
        db.close()


# -- security -------------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", ["DELETE FROM articles", "INSERT INTO errors VALUES ('a','b','c','d')",
                                       "UPDATE articles SET title = 'x'", "DROP TABLE articles",
                                       "select 1; delete from articles", "PRAGMA query_only = 0"])
def test_visitors_cannot_write(server: str, dataset: Path, statement: str) -> None:
    status, _, _ = get(f"{server}/khaosan.json?" + urlencode({"sql": statement}))
    assert status >= 400
    assert sql(dataset, "SELECT count(*) FROM articles")[0][0] == 4


def test_posts_are_refused_and_the_database_is_immutable(server: str) -> None:
    for path in ("/khaosan/baht_above", "/khaosan/articles", "/-/messages", "/khaosan"):
        status, _, body = get(f"{server}{path}", method="POST", data=b"sql=delete+from+articles")
        assert status == 405 and b"read-only" in body
    dbs = get_json(f"{server}/-/databases.json")
    assert [d["is_mutable"] for d in dbs if d["name"] == "khaosan"] == [False]


def test_slow_sql_hits_the_time_limit(server: str) -> None:
    slow = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    t0 = time.monotonic()
    status, _, body = get(f"{server}/khaosan.json?" + urlencode({"sql": slow}))
    assert status == 400 and b"too long" in body
    assert time.monotonic() - t0 < 10 * TIME_LIMIT_MS / 1000


# -- the command ----------------------------------------------------------------------------------

def test_serve_refuses_what_is_not_a_dataset(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khaosan.pipeline.cli import app

    (tmp_path / "notes.sqlite").write_bytes(b"not a database at all")
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    runner = CliRunner()
    for target, reason in ((tmp_path, "no such file"), (tmp_path / "notes.sqlite", "not a SQLite database"),
                           (tmp_path / "other.sqlite", "not a khaosan dataset")):
        result = runner.invoke(app, ["serve", str(target)])
        assert result.exit_code == 2, result.output
        assert reason in result.output


def test_loopback_detection() -> None:
    from khaosan.pipeline.cli_serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_fact_ids_in_urls_are_quoted(server: str) -> None:
    # a doc_id with a slash and Thai still reaches its article page (404 here: it does not exist)
    status, _, body = get(f"{server}/-/khaosan/article/" + quote("ข่าว/ไม่มี", safe=""))
    assert status == 404 and "ข่าว/ไม่มี" in html.unescape(body.decode())
