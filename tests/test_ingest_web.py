"""``khaosan ingest`` against real HTTP servers on 127.0.0.1 that misbehave on purpose.

The site serves feeds, sitemaps and pages built from this project's own fictional
articles (tests/ingest_support.make_article): 500s and timeouts that recover after
a retry, a page that stays down and comes back, a redirect loop, an oversized
page, a 404, a TIS-620 page, malformed XML, and a feed whose items change between
runs.  The network-level unit tests are in test_fetch.py; these check the job.
"""
from __future__ import annotations

import hashlib
import html
import signal
import sqlite3
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("khaosan.corpus.fetch.sources")

from ingest_support import cli, count, dump, make_article, query, start_cli, wait_for_articles  # noqa: E402
from khaosan.pipeline.ingest import EXIT_OK, EXIT_PARTIAL, ingest  # noqa: E402

# Fast and strict: no politeness delay between requests to 127.0.0.1, one retry, short timeouts.
FETCH = {"per_host_interval": 0.0, "retries": 1, "backoff": 0.0, "read_timeout": 0.5, "connect_timeout": 2.0,
         "total_timeout": 5.0, "max_bytes": 100_000}


def page_html(a: dict[str, Any], canonical: str, charset: str | None = "utf-8") -> str:
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in a["body"].split("\n"))
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f'<!doctype html><html lang="th"><head>{meta}<title>{html.escape(a["title"])}</title>'
            f'<link rel="canonical" href="{canonical}">'
            f'<meta property="article:published_time" content="{a["published"]}T09:00:00+07:00"></head>'
            f'<body><nav><a href="/">หน้าแรก</a> | <a href="/about">เกี่ยวกับเรา</a></nav>'
            f'<article><h1>{html.escape(a["title"])}</h1>\n{paras}</article>'
            f'<footer>สงวนลิขสิทธิ์ ข่าวทดสอบ</footer></body></html>')


def atom_feed(base: str, entries: list[tuple[str, str, str]]) -> str:
    """entries: (path, title, updated ISO)."""
    items = "".join(
        f"<entry><title>{html.escape(t)}</title><link href=\"{base}{p}\"/><id>{base}{p}</id>"
        f"<published>2025-01-01T00:00:00Z</published><updated>{u}</updated></entry>" for p, t, u in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>ข่าวทดสอบ</title><id>{base}/feed.xml</id><updated>2025-06-01T00:00:00Z</updated>{items}</feed>')


def rss_feed(base: str, paths: list[str]) -> str:
    when = format_datetime(datetime(2025, 5, 1, 3, 0, tzinfo=timezone.utc))
    items = "".join(f"<item><title>ข่าว {i}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
                    f"<pubDate>{when}</pubDate></item>" for i, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>ข่าวทดสอบ</title>'
            f'<link>{base}/</link><description>ทดสอบ</description>{items}</channel></rss>')


class Site:
    """What the server serves, changed by the tests between runs; counts every request."""

    def __init__(self) -> None:
        self.base = ""
        self.articles: dict[str, dict[str, Any]] = {}  # article id -> make_article dict
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.headers: list[tuple[str, dict[str, str]]] = []
        self.down = True  # /down/ pages answer 500 while True
        self.lock = threading.Lock()

    def xml(self, path: str, text: str, content_type: str = "application/xml") -> None:
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.routes[path] = (200, {"Content-Type": f"{content_type}; charset=utf-8", "ETag": etag}, body)

    def article(self, prefix: str, a: dict[str, Any]) -> str:
        path = f"/{prefix}/{a['id']}.html"
        self.articles[a["id"]] = a
        canonical = f"{self.base}{path}"
        if prefix == "tis":  # TIS-620 bytes, declared only in the Content-Type header
            body = page_html(a, canonical, charset=None).encode("tis-620")
            self.routes[path] = (200, {"Content-Type": "text/html; charset=tis-620"}, body)
        else:
            self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"},
                                 page_html(a, canonical).encode("utf-8"))
        return path

    def respond(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        with self.lock:
            self.hits[path] += 1
            n = self.hits[path]
            self.headers.append((path, dict(h.headers.items())))
        if path.startswith("/loop/"):
            return self._send(h, 302, {"Location": "/loop/b" if path == "/loop/a" else "/loop/a"}, b"")
        if path.startswith("/flaky/") and n == 1:
            return self._send(h, 500, {"Content-Type": "text/plain"}, b"try again")
        if path.startswith("/slow/") and n == 1:
            time.sleep(1.2)  # longer than read_timeout: the fetcher gives up and retries
        if path.startswith("/down/") and self.down:
            return self._send(h, 503, {"Content-Type": "text/plain"}, b"maintenance")
        if path.startswith("/big/"):
            filler = ("<!-- " + "ข้อมูลเสริม " * 20_000 + " -->").encode("utf-8")
            return self._send(h, 200, {"Content-Type": "text/html; charset=utf-8"}, filler)
        route = self.routes.get(path)
        if route is None:
            return self._send(h, 404, {"Content-Type": "text/plain"}, b"not found")
        status, headers, body = route
        if headers.get("ETag") and h.headers.get("If-None-Match") == headers["ETag"]:
            return self._send(h, 304, {"ETag": headers["ETag"]}, b"")
        self._send(h, status, headers, body)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)


@pytest.fixture()
def site():
    s = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            s.respond(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


def run(site: Site, db: Path, pipeline: Any, *sources: str, **kw: Any):
    return ingest([site.base + s if s.startswith("/") else s for s in sources], db, fetch=FETCH,
                  pipeline=pipeline, **kw)


def test_feed_runs_are_idempotent_and_follow_changed_items(site, tmp_path, pipeline):
    arts = [make_article(i) for i in range(10, 15)]
    paths = [site.article("news", arts[0]), site.article("flaky", arts[1]), site.article("slow", arts[2]),
             site.article("tis", arts[3])]
    entries = [(p, a["title"], "2025-05-01T00:00:00Z") for p, a in zip(paths, arts)]
    site.xml("/feed.xml", atom_feed(site.base, entries), "application/atom+xml")
    db = tmp_path / "ds.sqlite"

    first = run(site, db, pipeline, "/feed.xml")
    assert first.exit_code == EXIT_OK, first.lines()
    assert first.counts["articles_new"] == 4
    assert site.hits["/flaky/gen-0011.html"] == 2 and site.hits["/slow/gen-0012.html"] == 2  # recovered on retry
    urls = {r[0] for r in query(db, "SELECT url FROM articles")}
    assert urls == {site.base + p for p in paths}
    tis_text = query(db, "SELECT text FROM articles WHERE url = ?", (site.base + paths[3],))[0][0]
    assert arts[3]["body"].split("\n")[0] in tis_text  # TIS-620 bytes decoded to the same Thai
    assert all("khaosan" in h.get("User-Agent", "") for _, h in site.headers)
    assert query(db, "SELECT source FROM articles") == [(site.base + "/feed.xml",)] * 4
    stored = dump(db)

    page_hits = sum(n for p, n in site.hits.items() if p.endswith(".html"))
    second = run(site, db, pipeline, "/feed.xml")
    assert second.exit_code == EXIT_OK
    assert second.counts["articles_new"] == second.counts["articles_updated"] == 0
    assert site.headers[-1][0] == "/feed.xml" and "If-None-Match" in site.headers[-1][1]  # conditional: 304
    assert sum(n for p, n in site.hits.items() if p.endswith(".html")) == page_hits  # no page fetched again
    assert query(db, "SELECT last_status FROM sources") == [("unchanged",)]
    assert dump(db) == stored

    # the feed changes: one article edited (its <updated> moves), one added
    edited = make_article(10, edition=1)
    site.article("news", edited)
    paths.append(site.article("news", arts[4]))
    entries = [(paths[0], edited["title"], "2025-05-02T08:00:00Z"), *entries[1:],
               (paths[4], arts[4]["title"], "2025-05-02T09:00:00Z")]
    site.xml("/feed.xml", atom_feed(site.base, entries), "application/atom+xml")
    third = run(site, db, pipeline, "/feed.xml")
    assert third.exit_code == EXIT_OK
    assert third.counts["articles_new"] == 1 and third.counts["articles_updated"] == 1, third.lines()
    assert count(db, "articles") == 5
    doc = query(db, "SELECT doc_id FROM articles WHERE url = ?", (site.base + paths[0],))[0][0]
    values = {v for (v,) in query(db, "SELECT value FROM figures WHERE doc_id = ? AND unit = 'THB'", (doc,))}
    old_amount, new_amount = 100_000 + 7_919 * 10, 100_000 + 7_919 * 10 + 1_000
    assert new_amount in values and old_amount not in values
    assert count(db, "mentions", "doc_id = ?", (doc,)) == len(set(query(db, "SELECT mention_id FROM mentions "
                                                                           "WHERE doc_id = ?", (doc,))))
    fourth = run(site, db, pipeline, "/feed.xml")
    assert fourth.counts["articles_new"] == fourth.counts["articles_updated"] == 0


def test_misbehaving_pages_are_recorded_retried_and_quarantined(site, tmp_path, pipeline):
    good, down, big = make_article(20), make_article(21), make_article(22)
    paths = [site.article("news", good), site.article("down", down), "/loop/a", "/big/gen-0022.html",
             "/gone/gen-0099.html"]
    site.xml("/feed.xml", rss_feed(site.base, paths), "application/rss+xml")
    db = tmp_path / "ds.sqlite"

    first = run(site, db, pipeline, "/feed.xml")
    assert first.exit_code == EXIT_PARTIAL
    assert first.counts["articles_new"] == 1 and first.counts["articles_failed"] == 4
    fails = {loc.removeprefix(site.base): (reason, attempts, q) for loc, reason, attempts, q in
             query(db, "SELECT location, reason, attempts, quarantined FROM failures WHERE kind = 'page'")}
    assert set(fails) == {"/down/gen-0021.html", "/loop/a", "/big/gen-0022.html", "/gone/gen-0099.html"}
    assert "503" in fails["/down/gen-0021.html"][0] and fails["/down/gen-0021.html"][1:] == (1, 0)
    assert "redirect" in fails["/loop/a"][0]
    assert "100,000" in fails["/big/gen-0022.html"][0] or "cap" in fails["/big/gen-0022.html"][0]
    assert "404" in fails["/gone/gen-0099.html"][0]
    # a 404 and an oversized page cannot be fixed by retrying: quarantined at once
    assert fails["/big/gen-0022.html"][2] == 1 and fails["/gone/gen-0099.html"][2] == 1

    site.down = False
    hits_big = site.hits["/big/gen-0022.html"]
    second = run(site, db, pipeline, "/feed.xml")
    assert second.counts["articles_new"] == 1, second.lines()  # the page that was down
    assert site.hits["/big/gen-0022.html"] == hits_big  # quarantined: not fetched again
    left = {loc.removeprefix(site.base) for (loc,) in query(db, "SELECT location FROM failures")}
    assert "/down/gen-0021.html" not in left and {"/big/gen-0022.html", "/gone/gen-0099.html"} <= left
    assert count(db, "articles") == 2
    res = cli("status", str(db))
    assert "QUARANTINED page " + site.base + "/gone/gen-0099.html" in res.stdout


def test_a_malformed_feed_fails_its_source_only(site, tmp_path, pipeline):
    site.xml("/broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>ข่าว</ti', "application/rss+xml")
    ok = site.article("news", make_article(30))
    site.xml("/feed.xml", rss_feed(site.base, [ok]), "application/rss+xml")
    db = tmp_path / "ds.sqlite"
    report = run(site, db, pipeline, "/broken.xml", "/feed.xml")
    assert report.exit_code == EXIT_PARTIAL and report.counts["articles_new"] == 1
    ((kind, location, reason),) = query(db, "SELECT kind, location, reason FROM failures")
    assert (kind, location) == ("source", site.base + "/broken.xml") and "XML" in reason
    statuses = dict(query(db, "SELECT source, last_status FROM sources"))
    assert statuses == {site.base + "/broken.xml": "failed", site.base + "/feed.xml": "ok"}


def test_sitemap_index_backfill_window(site, tmp_path, pipeline):
    months = {"2025-01-10": make_article(40), "2025-03-10": make_article(41), "2025-05-10": make_article(42)}
    urls = {day: site.article("news", a) for day, a in months.items()}

    def urlset(days: list[str]) -> str:
        body = "".join(f"<url><loc>{site.base}{urls[d]}</loc><lastmod>{d}</lastmod></url>" for d in days)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'

    site.xml("/sitemap-a.xml", urlset(["2025-01-10", "2025-03-10"]))
    site.xml("/sitemap-b.xml", urlset(["2025-05-10"]))
    site.xml("/sitemap.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                             f"<sitemap><loc>{site.base}/sitemap-a.xml</loc><lastmod>2025-03-10</lastmod></sitemap>"
                             f"<sitemap><loc>{site.base}/sitemap-b.xml</loc><lastmod>2025-05-10</lastmod></sitemap>"
                             "</sitemapindex>")
    db = tmp_path / "ds.sqlite"
    window = run(site, db, pipeline, "/sitemap.xml", since=datetime(2025, 2, 1, tzinfo=timezone.utc),
                 until=datetime(2025, 4, 1, tzinfo=timezone.utc))
    assert window.exit_code == EXIT_OK and window.counts["articles_new"] == 1
    assert query(db, "SELECT url FROM articles") == [(site.base + urls["2025-03-10"],)]
    assert site.hits[urls["2025-01-10"]] == site.hits[urls["2025-05-10"]] == 0  # filtered before fetching
    everything = run(site, db, pipeline, "/sitemap.xml")
    assert everything.counts["articles_new"] == 2 and count(db, "articles") == 3
    assert site.hits[urls["2025-03-10"]] == 1  # held already: not fetched again


def test_web_run_killed_with_sigkill_then_rerun_equals_a_clean_run(site, tmp_path, pipeline):
    arts = [make_article(i) for i in range(100, 150)]
    paths = [site.article("news", a) for a in arts]
    site.xml("/feed.xml", atom_feed(site.base, [(p, a["title"], "2025-05-01T00:00:00Z") for p, a in zip(paths, arts)]),
             "application/atom+xml")
    clean_db, db = tmp_path / "clean.sqlite", tmp_path / "killed.sqlite"
    assert run(site, clean_db, pipeline, "/feed.xml").counts["articles_new"] == 50

    config = tmp_path / "khaosan.toml"
    config.write_text(f'[ingest]\ndb = "{db}"\nsources = ["{site.base}/feed.xml"]\n[fetch]\n'
                      + "".join(f"{k} = {v}\n" for k, v in FETCH.items()), encoding="utf-8")
    proc = start_cli("ingest", "--config", str(config))
    try:
        wait_for_articles(proc, db, 12)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert count(db, "articles") < 50
    res = cli("ingest", "--config", str(config))
    assert res.returncode == EXIT_OK, res.stderr
    assert dump(db) == dump(clean_db)
    assert [s for (s,) in query(db, "SELECT status FROM runs ORDER BY run_id")] == ["killed", "ok"]
    # the feed's validators were stored only by the complete run: a third run is one 304
    def requests() -> int:
        return sum(n for p, n in site.hits.items() if p != "/robots.txt")

    before = requests()
    third = cli("ingest", "--config", str(config))
    assert third.returncode == EXIT_OK and requests() - before == 1
