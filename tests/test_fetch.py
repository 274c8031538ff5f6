"""Fetching against a real HTTP server on 127.0.0.1 that misbehaves on purpose.

The server (tests/web_server.py) serves the fictional Thai articles, feeds and
sitemaps in tests/fixtures/web/.  Backoff and rate-limit waits go through a
fake clock, so the schedule is asserted without waiting; only the read-timeout
tests spend real time (a few tenths of a second).
"""
from __future__ import annotations

import datetime as dt
import gzip
import logging
import socket

import pytest

from khaosan import __version__
from khaosan.corpus.article import Article
from khaosan.corpus.fetch import (FetchError, Fetcher, FetchFailed, FetchSettings, MemoryValidators, Unchanged,
                                  canonical_url, fetch_article, is_url, iter_url_source, url_doc_id)
from khaosan.corpus.fetch.http import ENTRY_KEY, retry_after_seconds
from khaosan.corpus.fetch.ratelimit import HostRateLimiter
from web_server import Reply, WebServer, static

HTML = "text/html; charset=utf-8"
PAGES = ("tea-festival", "fish-release", "mobile-library", "riverside-market")
UTC = dt.timezone.utc


class FakeTime:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def web():
    with WebServer() as server:
        server.route("/robots.txt", server.file("robots.txt", "text/plain"))
        for name in PAGES:
            server.route(f"/news/{name}", server.file(f"{name}.html", HTML))
        yield server


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make_fetcher(fake: FakeTime, validators: MemoryValidators | None = None, **settings: object) -> Fetcher:
    defaults: dict[str, object] = {"read_timeout": 0.3, "connect_timeout": 0.5, "per_host_interval": 0.0}
    return Fetcher(FetchSettings(**{**defaults, **settings}), validators, sleep=fake.sleep, clock=fake.clock)


def articles(items: list) -> dict[str, Article]:
    return {a.url.rsplit("/", 1)[-1]: a for a in items if isinstance(a, Article)}


# -- one request: identity, retries, timeouts ------------------------------------------------------------


def test_user_agent_names_khaosan_and_robots_is_read_once_per_host(web, fake):
    with make_fetcher(fake) as fetcher:
        for name in ("tea-festival", "fish-release"):
            assert fetcher.get(web.url(f"/news/{name}")).status == 200
    assert [h.path for h in web.hits] == ["/robots.txt", "/news/tea-festival", "/news/fish-release"]
    assert all("khaosan/" in h.headers["user-agent"] for h in web.hits)


def test_500s_are_retried_with_exponential_backoff(web, fake):
    web.route("/flaky", Reply(500), Reply(503), web.file("fish-release.html", HTML))
    with make_fetcher(fake, backoff=1.0) as fetcher:
        response = fetcher.get(web.url("/flaky"))
        assert response.status == 200 and "กรมประมง" in response.text()
        assert fetcher.stats.retries == 2
    assert len(web.hits_for("/flaky")) == 3
    assert fake.sleeps == [1.0, 2.0]


def test_backoff_is_capped(web, fake):
    web.route("/down", Reply(502))
    with make_fetcher(fake, retries=4, backoff=10.0, max_backoff=25.0) as fetcher, pytest.raises(FetchError):
        fetcher.get(web.url("/down"))
    assert fake.sleeps == [10.0, 20.0, 25.0, 25.0]


def test_persistent_5xx_fails_retryable_with_attempts_counted(web, fake):
    web.route("/down", Reply(503))
    with make_fetcher(fake, retries=2) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/down"))
    assert err.value.reason == "HTTP 503 after 3 attempts"
    assert err.value.retryable and err.value.status == 503
    assert len(web.hits_for("/down")) == 3


def test_4xx_is_not_retried(web, fake):
    with make_fetcher(fake) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/news/nowhere"))
    assert err.value.reason == "HTTP 404 Not Found"
    assert not err.value.retryable
    assert len(web.hits_for("/news/nowhere")) == 1


def test_read_timeout_recovers_after_a_retry(web, fake):
    web.route("/slow", Reply(delay=1.0), web.file("tea-festival.html", HTML))
    with make_fetcher(fake, read_timeout=0.3) as fetcher:
        assert "เชียงราย" in fetcher.get(web.url("/slow")).text()
        assert fetcher.stats.retries == 1
    assert len(web.hits_for("/slow")) == 2


def test_read_timeout_gives_up_with_a_clear_reason(web, fake):
    web.route("/stuck", Reply(delay=1.0))
    with make_fetcher(fake, read_timeout=0.3, retries=1) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/stuck"))
    assert err.value.reason == "timed out (read 0.3 s) after 2 attempts"
    assert err.value.retryable


def test_total_timeout_stops_a_server_dripping_bytes(web):
    ticks = iter(range(0, 10**6, 200))  # every look at the clock is 200 s later
    fetcher = Fetcher(FetchSettings(total_timeout=120, retries=0, per_host_interval=0, respect_robots=False),
                      sleep=lambda s: None, clock=lambda: float(next(ticks)))
    with fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/news/tea-festival"))
    assert err.value.reason == "timed out (total 120 s) after 1 attempt" and err.value.retryable


def test_connection_refused_is_retried_then_reported(fake):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with make_fetcher(fake, retries=1, respect_robots=False) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert err.value.reason.startswith("connection failed") and err.value.reason.endswith("after 2 attempts")
    assert err.value.retryable


def test_429_retry_after_is_honoured_and_capped(web, fake):
    web.route("/busy", Reply(429, headers={"Retry-After": "7"}), web.file("fish-release.html", HTML))
    web.route("/closed", Reply(503, headers={"Retry-After": "3600"}))
    with make_fetcher(fake, backoff=1.0, max_retry_after=120) as fetcher:
        assert fetcher.get(web.url("/busy")).status == 200
        assert fake.sleeps == [7.0]
        with pytest.raises(FetchError) as err:
            fetcher.get(web.url("/closed"))
    assert err.value.reason == "HTTP 503, Retry-After 3600 s is over the 120 s cap"
    assert err.value.retryable and len(web.hits_for("/closed")) == 1


def test_retry_after_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


# -- redirects, size cap, robots ---------------------------------------------------------------------------


def test_redirect_loop_is_named(web, fake):
    web.route("/loop/a", Reply(302, headers={"Location": "/loop/b"}))
    web.route("/loop/b", Reply(301, headers={"Location": web.url("/loop/a")}))
    with make_fetcher(fake) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/loop/a"))
    assert err.value.reason == f"redirect loop ({web.url('/loop/a')} → {web.url('/loop/b')} → {web.url('/loop/a')})"
    assert not err.value.retryable


def test_redirects_are_followed_up_to_the_limit(web, fake):
    for n in range(1, 7):
        web.route(f"/hop/{n}", Reply(307, headers={"Location": f"/hop/{n + 1}"}))
    web.route("/hop/7", web.file("mobile-library.html", HTML))
    with make_fetcher(fake, max_redirects=5) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/hop/1"))
    assert err.value.reason == "too many redirects (6 > 5)"
    with make_fetcher(fake, max_redirects=6) as fetcher:
        response = fetcher.get(web.url("/hop/1"))
    assert response.url == web.url("/hop/7") and len(response.redirects) == 6
    assert response.requested_url == web.url("/hop/1")


def test_oversized_response_is_refused_without_retry(web, fake):
    big = ("<p>" + "ข่าว" * 3000 + "</p>").encode()
    web.route("/big", Reply(200, big, {"Content-Type": HTML}))
    web.route("/big-stream", Reply(200, big, {"Content-Type": HTML}, no_length=True))
    with make_fetcher(fake, max_bytes=4096) as fetcher:
        with pytest.raises(FetchError) as declared:
            fetcher.get(web.url("/big"))
        with pytest.raises(FetchError) as streamed:
            fetcher.get(web.url("/big-stream"))
    assert declared.value.reason == f"response over 4 KiB cap (Content-Length {len(big):,} bytes)"
    assert streamed.value.reason == "response over 4 KiB cap"
    assert not declared.value.retryable and not streamed.value.retryable
    assert len(web.hits_for("/big")) == 1 and len(web.hits_for("/big-stream")) == 1


def test_robots_txt_disallow_is_respected_with_rfc9309_wildcards(web, fake):
    web.route("/private/secret", web.file("tea-festival.html", HTML))
    with make_fetcher(fake) as fetcher:
        for path in ("/private/secret", "/news/fish-release?print=1"):
            with pytest.raises(FetchError) as err:
                fetcher.get(web.url(path))
            assert err.value.reason == "disallowed by robots.txt" and not err.value.retryable
        assert fetcher.get(web.url("/news/fish-release?print=2")).status == 200
        assert fetcher.stats.robots_disallowed == 2
    assert not web.hits_for("/private/secret")
    with make_fetcher(fake, respect_robots=False) as fetcher:
        assert fetcher.get(web.url("/private/secret")).status == 200


def test_robots_txt_missing_allows_and_unreachable_disallows(web, fake):
    web.route("/robots.txt", Reply(404))
    with make_fetcher(fake) as fetcher:
        assert fetcher.get(web.url("/news/tea-festival")).status == 200
    web.route("/robots.txt", Reply(503))
    with make_fetcher(fake, retries=1) as fetcher, pytest.raises(FetchError) as err:
        fetcher.get(web.url("/news/fish-release"))
    assert "robots.txt unreachable (HTTP 503" in err.value.reason and "RFC 9309" in err.value.reason
    assert err.value.retryable  # a later run may find robots.txt back
    assert not web.hits_for("/news/fish-release")


def test_crawl_delay_slows_the_host_down_up_to_a_cap(web, fake):
    web.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 5\n", {"Content-Type": "text/plain"}))
    with make_fetcher(fake, per_host_interval=1.0) as fetcher:
        fetcher.get(web.url("/news/tea-festival"))
        fetcher.get(web.url("/news/fish-release"))
    assert fake.sleeps == [5.0, 5.0]
    fake.sleeps.clear()
    with make_fetcher(fake, per_host_interval=1.0, max_crawl_delay=3.0) as fetcher:
        fetcher.get(web.url("/news/tea-festival"))
        fetcher.get(web.url("/news/fish-release"))
    assert fake.sleeps == [3.0, 3.0]


def test_per_host_rate_limit_spaces_requests_and_hosts_are_independent(web, fake):
    times: list[tuple[str, float]] = []
    with make_fetcher(fake, per_host_interval=2.0) as fetcher:
        original = fetcher._once

        def spy(url, *args):  # the fake time at which each request really goes out
            times.append((url.split("/")[2].split(":")[0], fake.now))
            return original(url, *args)

        fetcher._once = spy
        for name in ("tea-festival", "fish-release", "mobile-library"):
            fetcher.get(web.url(f"/news/{name}"))
        fetcher.get(web.url("/news/riverside-market").replace("127.0.0.1", "localhost"))
    ip = [t for host, t in times if host == "127.0.0.1"]  # robots.txt + 3 pages
    assert [b - a for a, b in zip(ip, ip[1:])] == [2.0, 2.0, 2.0]
    other = [t for host, t in times if host == "localhost"]  # its own robots.txt + page, no wait for the first
    assert other[0] == ip[-1] and other[1] - other[0] == 2.0


def test_rate_limiter_books_slots_without_a_moving_clock():
    slept: list[float] = []
    limiter = HostRateLimiter(1.5, slept.append, lambda: 100.0)  # the clock never moves
    for _ in range(3):
        limiter.wait("a.example")
    limiter.wait("b.example")
    assert slept == [1.5, 3.0] and limiter.waited == 4.5


# -- conditional requests ------------------------------------------------------------------------------------


def test_etag_makes_an_unchanged_feed_cost_one_304(web, fake):
    web.route("/feed", static(web.text("rss.xml").encode(), "application/rss+xml", etag='"feed-v1"'))
    validators = MemoryValidators()
    with make_fetcher(fake, validators) as fetcher:
        first = list(iter_url_source(web.url("/feed"), fetcher))
        before = len(web.hits)
        second = list(iter_url_source(web.url("/feed"), fetcher))
    assert len(articles(first)) == 4
    assert second == [Unchanged(web.url("/feed"), "source")]
    feed_hits = web.hits_for("/feed")
    assert "if-none-match" not in feed_hits[0].headers
    assert feed_hits[1].headers["if-none-match"] == '"feed-v1"'
    assert [h.path for h in web.hits[before:]] == ["/feed"]  # no page asked again


def test_last_modified_makes_a_page_conditional(web, fake):
    stamp = "Mon, 08 Jan 2024 03:00:00 GMT"
    web.route("/news/tea-festival", static(web.text("tea-festival.html").encode(), HTML, last_modified=stamp))
    validators = MemoryValidators()
    with make_fetcher(fake, validators) as fetcher:
        assert not fetcher.get(web.url("/news/tea-festival")).not_modified
        again = fetcher.get(web.url("/news/tea-festival"))
        assert again.not_modified and again.body == b"" and fetcher.stats.not_modified == 1
        assert fetch_article(web.url("/news/tea-festival"), fetcher, conditional=True) == \
            Unchanged(web.url("/news/tea-festival"))
    assert web.hits_for("/news/tea-festival")[1].headers["if-modified-since"] == stamp


def test_feed_validators_are_stored_only_after_every_item_was_taken(web, fake):
    web.route("/feed", static(web.text("rss.xml").encode(), "application/rss+xml", etag='"feed-v1"'))
    validators = MemoryValidators()
    with make_fetcher(fake, validators) as fetcher:
        items = iter_url_source(web.url("/feed"), fetcher)
        first = next(items)
        assert isinstance(first, Article)
        items.close()  # the job was killed before committing more
        assert validators.get(web.url("/feed")) is None
        assert validators.get(web.url("/news/tea-festival")) is None  # not taken back by the consumer
        rerun = list(iter_url_source(web.url("/feed"), fetcher))
    assert "if-none-match" not in web.hits_for("/feed")[1].headers
    assert len(articles(rerun)) == 4
    assert validators.get(web.url("/feed")) == ('"feed-v1"', None)


def test_backfill_reads_the_feed_in_full_and_filters_by_date(web, fake):
    web.route("/feed", static(web.text("rss.xml").encode(), "application/rss+xml", etag='"feed-v1"'))
    validators = MemoryValidators()
    with make_fetcher(fake, validators) as fetcher:
        list(iter_url_source(web.url("/feed"), fetcher))
        window = list(iter_url_source(web.url("/feed"), fetcher, since=dt.date(2024, 2, 1),
                                      until=dt.datetime(2024, 3, 5, tzinfo=UTC)))
    assert "if-none-match" not in web.hits_for("/feed")[1].headers
    assert set(articles(window)) == {"fish-release", "mobile-library"}
    assert len(web.hits_for("/news/tea-festival")) == 1  # out of the window: not fetched again


# -- encodings --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, meta", [
    ("text/html; charset=tis-620", ""),
    ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=windows-874">'),
    ("text/html", ""),
    ("text/html; charset=ISO-8859-1", ""),  # a server default label on Thai bytes
])
def test_tis620_pages_are_decoded(web, fake, content_type, meta):
    html = web.text("riverside-market.html").replace("<!--META-->", meta)
    web.route("/legacy", Reply(200, html.encode("cp874"), {"Content-Type": content_type}))
    with make_fetcher(fake) as fetcher:
        article = fetch_article(web.url("/legacy"), fetcher)
    assert article.title == "เทศบาลนครลำปางเปิดตลาดนัดชุมชนริมแม่น้ำวัง"
    assert "รองนายกเทศมนตรี" in article.text and article.meta["encoding"] == "cp874"


# -- feeds ---------------------------------------------------------------------------------------------------------


def test_rss_feed_items_become_articles_with_fallback_and_failures(web, fake):
    web.route("/feed", web.file("rss.xml", "application/rss+xml"))
    with make_fetcher(fake) as fetcher:
        items = list(iter_url_source(web.url("/feed"), fetcher))
    got = articles(items)
    assert set(got) == {"tea-festival", "fish-release", "mobile-library", "gone"}
    tea = got["tea-festival"]
    assert tea.url == web.url("/news/tea-festival")  # canonical link, tracking parameters dropped
    assert tea.doc_id == url_doc_id(tea.url) and tea.doc_id.startswith("127.0.0.1-")
    assert tea.source == web.url("/feed") and tea.published == "2024-01-08"
    assert "ข่าวที่เกี่ยวข้อง" not in tea.text and "สงวนลิขสิทธิ์" not in tea.text  # main text only
    assert tea.text.startswith("เชียงรายเตรียมจัดเทศกาลชาดอยสูง ครั้งที่ 5\nนายสมชาย ใจดี")
    gone = got["gone"]  # page 404, the feed's own content is long enough
    assert gone.meta["via"] == "feed-content" and gone.meta["page_error"] == "HTTP 404 Not Found"
    assert "ต้นโกงกาง 5,000 ต้น" in gone.text and gone.published == "2024-03-10"
    failed = [i for i in items if isinstance(i, FetchFailed)]
    assert [(f.source, f.reason, f.kind, f.retryable) for f in failed] == [
        (web.url("/news/missing"), "HTTP 404 Not Found", "page", False)]


def test_an_internal_error_on_one_page_does_not_stop_the_source(web, fake, monkeypatch):
    from khaosan.corpus.fetch import sources

    real = sources.article_from_page

    def flaky(response, source, entry=None):
        if response.url.endswith("/fish-release"):
            raise RuntimeError("parser exploded")
        return real(response, source, entry)

    monkeypatch.setattr(sources, "article_from_page", flaky)
    web.route("/atom", web.file("atom.xml", "application/atom+xml"))
    with make_fetcher(fake) as fetcher:
        items = list(iter_url_source(web.url("/atom"), fetcher))
    assert set(articles(items)) == {"mobile-library"}
    assert [(i.source, i.reason) for i in items if isinstance(i, FetchFailed)] == [
        (web.url("/news/fish-release"), "internal error: RuntimeError: parser exploded")]


def test_atom_feed_dates_fill_in_for_pages_without_one(web, fake):
    web.route("/atom", web.file("atom.xml", "application/atom+xml"))
    with make_fetcher(fake) as fetcher:
        got = articles(list(iter_url_source(web.url("/atom"), fetcher)))
    assert got["mobile-library"].published == "2024-03-01"  # the page has no date; the entry has
    assert got["fish-release"].published == "2024-02-03"


def test_malformed_feed_is_one_clear_source_error(web, fake):
    web.route("/broken", web.file("broken-feed.xml", "application/rss+xml"))
    with make_fetcher(fake) as fetcher:
        items = list(iter_url_source(web.url("/broken"), fetcher))
    assert len(items) == 1 and isinstance(items[0], FetchFailed)
    assert items[0].source == web.url("/broken") and items[0].kind == "source"
    assert items[0].reason.startswith("malformed XML")


def test_truncated_feed_gives_its_items_but_is_read_again_next_run(web, fake, caplog):
    text = web.text("rss.xml")
    cut = text[: text.index("<item>", text.index("mobile-library")) + 30]
    web.route("/cut", static(cut.encode(), "application/rss+xml", etag='"cut"'))
    validators = MemoryValidators()
    with caplog.at_level(logging.WARNING, "khaosan.fetch"), make_fetcher(fake, validators) as fetcher:
        items = list(iter_url_source(web.url("/cut"), fetcher))
    assert set(articles(items)) == {"tea-festival", "fish-release", "mobile-library"}
    assert any("malformed XML" in r.getMessage() for r in caplog.records)
    assert validators.get(web.url("/cut")) is None


def test_failing_feed_is_one_source_error(web, fake):
    web.route("/feed", Reply(500))
    with make_fetcher(fake, retries=1) as fetcher:
        items = list(iter_url_source(web.url("/feed"), fetcher))
    assert items == [FetchFailed(web.url("/feed"), "HTTP 500 after 2 attempts", kind="source", retryable=True)]


def test_feed_whose_items_change_between_runs(web, fake):
    web.route("/feed", static(web.text("rss.xml").encode(), "application/rss+xml", etag='"v1"'),
              static(web.text("rss-next.xml").encode(), "application/rss+xml", etag='"v2"'))
    validators = MemoryValidators()
    held: set[str] = set()
    with make_fetcher(fake, validators) as fetcher:
        for item in iter_url_source(web.url("/feed"), fetcher, known=held.__contains__):
            if isinstance(item, Article):  # what the job commits
                held.update({item.url, item.meta["link"]})
        second = list(iter_url_source(web.url("/feed"), fetcher, known=held.__contains__))
    assert "if-none-match" in web.hits_for("/feed")[1].headers
    assert set(articles(second)) == {"riverside-market", "mobile-library"}  # new; re-dated
    assert Unchanged(web.url("/news/fish-release")) in second  # held, same date: not fetched
    assert len(web.hits_for("/news/fish-release")) == 1
    assert len(web.hits_for("/news/mobile-library")) == 2
    assert validators.get(ENTRY_KEY + web.url("/news/mobile-library")) == (None, "2024-03-16T01:00:00+00:00")


def test_page_budget_leaves_the_rest_for_the_next_run(web, fake):
    web.route("/feed", static(web.text("rss.xml").encode(), "application/rss+xml", etag='"v1"'))
    validators = MemoryValidators()
    with make_fetcher(fake, validators, max_pages_per_source=2) as fetcher:
        items = list(iter_url_source(web.url("/feed"), fetcher))
    assert len(articles(items)) == 2
    assert validators.get(web.url("/feed")) is None  # incomplete: the feed is read again


# -- sitemaps ------------------------------------------------------------------------------------------------------


def sitemap_site(web) -> None:
    web.route("/sitemap.xml", web.file("sitemap-index.xml", "application/xml"))
    web.route("/sitemaps/2023-12.xml", web.file("sitemap-2023-12.xml", "application/xml"))
    web.route("/sitemaps/2024-01.xml.gz", Reply(200, gzip.compress(web.text("sitemap-2024-01.xml").encode()),
                                                {"Content-Type": "application/x-gzip"}))
    web.route("/sitemaps/2024-03.xml", web.file("sitemap-2024-03.xml", "application/xml"))
    web.route("/news/old-story", web.file("fish-release.html", HTML))
    undated = web.text("riverside-market.html").replace("<!--META-->", '<meta name="date" content="2024-05-05">')
    web.route("/news/undated", Reply(200, undated.encode(), {"Content-Type": HTML}))


def test_sitemap_index_backfill_filters_by_lastmod(web, fake):
    sitemap_site(web)
    with make_fetcher(fake) as fetcher:
        items = list(iter_url_source(web.url("/sitemap.xml"), fetcher, since=dt.datetime(2024, 1, 1),
                                     until=dt.datetime(2024, 3, 10)))
    assert set(articles(items)) == {"tea-festival", "mobile-library"}
    assert not web.hits_for("/sitemaps/2023-12.xml")  # last changed before the window
    assert not web.hits_for("/news/riverside-market")  # news date 2024-03-15: after it
    assert len(web.hits_for("/news/undated")) == 1  # no date: fetched, then judged by its page (May)
    assert all(isinstance(i, Article) for i in items)


def test_sitemap_children_unchanged_since_last_run_are_not_fetched(web, fake):
    sitemap_site(web)
    validators = MemoryValidators()
    held: set[str] = set()
    with make_fetcher(fake, validators) as fetcher:
        for item in iter_url_source(web.url("/sitemap.xml"), fetcher, known=held.__contains__):
            if isinstance(item, Article):
                held.update({item.url, item.meta["link"]})
        before = len(web.hits)
        second = list(iter_url_source(web.url("/sitemap.xml"), fetcher, known=held.__contains__))
    assert [h.path for h in web.hits[before:]] == ["/sitemap.xml"]
    assert {u.url for u in second if isinstance(u, Unchanged)} == {
        web.url(p) for p in ("/sitemaps/2023-12.xml", "/sitemaps/2024-01.xml.gz", "/sitemaps/2024-03.xml")}
    assert len(held) >= 5


def test_gzip_sitemap_over_the_cap_once_decompressed(web, fake):
    bomb = gzip.compress(b"<urlset>" + b" " * 200_000 + b"</urlset>")
    web.route("/bomb.xml.gz", Reply(200, bomb, {"Content-Type": "application/gzip"}))
    with make_fetcher(fake, max_bytes=64 * 1024) as fetcher:
        items = list(iter_url_source(web.url("/bomb.xml.gz"), fetcher))
    assert items == [FetchFailed(web.url("/bomb.xml.gz"), "response over 64 KiB cap once decompressed",
                                 kind="source", retryable=False)]


def test_failed_child_sitemap_keeps_the_index_unremembered(web, fake):
    sitemap_site(web)
    web.route("/sitemap.xml", static(web.text("sitemap-index.xml").encode(), "application/xml", etag='"i1"'))
    web.route("/sitemaps/2024-03.xml", Reply(500))
    validators = MemoryValidators()
    with make_fetcher(fake, validators, retries=0) as fetcher:
        items = list(iter_url_source(web.url("/sitemap.xml"), fetcher))
    failed = [i for i in items if isinstance(i, FetchFailed)]
    assert [(f.source, f.kind, f.retryable) for f in failed] == [(web.url("/sitemaps/2024-03.xml"), "sitemap", True)]
    assert validators.get(web.url("/sitemap.xml")) is None
    assert set(articles(items)) == {"old-story", "tea-festival"}


# -- single pages, identity -------------------------------------------------------------------------------------


def test_single_article_page_source_and_canonical_identity(web, fake):
    foreign = web.text("fish-release.html").replace(
        '<meta name="date"', '<link rel="canonical" href="https://other.example/original">\n<meta name="date"')
    web.route("/copy", Reply(200, foreign.encode(), {"Content-Type": HTML}))
    with make_fetcher(fake) as fetcher:
        [tea] = iter_url_source(web.url("/news/tea-festival#comments"), fetcher)
        [copy] = iter_url_source(web.url("/copy?utm_campaign=x"), fetcher)
        web.route("/feed", web.file("rss.xml", "application/rss+xml"))
        with pytest.raises(FetchError, match="not an article page: it is a feed"):
            fetch_article(web.url("/feed"), fetcher)
    assert tea.url == web.url("/news/tea-festival") and tea.source == web.url("/news/tea-festival#comments")
    assert copy.url == web.url("/copy")  # a canonical link to another site is not this page's identity


def test_non_html_page_and_unknown_content_fail_clearly(web, fake):
    web.route("/report.pdf", Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}))
    web.route("/data.json", Reply(200, b'{"a": 1}', {"Content-Type": "application/json"}))
    with make_fetcher(fake) as fetcher:
        with pytest.raises(FetchError) as err:
            fetch_article(web.url("/report.pdf"), fetcher)
        [unknown] = iter_url_source(web.url("/data.json"), fetcher)
    assert err.value.reason == "not an HTML page (Content-Type: application/pdf)"
    assert unknown.kind == "source" and "not an RSS/Atom feed, a sitemap or an HTML page" in unknown.reason


@pytest.mark.parametrize("raw, canonical", [
    ("HTTP://Example.COM:80/a?utm_source=x&id=5&fbclid=y#top", "http://example.com/a?id=5"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com/ข่าว/1", "https://example.com/%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7/1"),
    ("https://example.com/%e0%b8%82%e0%b9%88%e0%b8%b2%e0%b8%a7/1", "https://example.com/%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7/1"),
    ("https://example.com/%7Euser/a%2Fb?q=a%26b&b=2&a=1", "https://example.com/~user/a%2Fb?q=a%26b&b=2&a=1"),
    ("https://ข่าว.ไทย/x", "https://xn--22c8e6a1f.xn--o3cw4h/x"),
])
def test_canonical_url(raw, canonical):
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


def test_url_doc_id_is_readable_stable_and_distinct():
    a = url_doc_id("https://www.example.co.th/news/1?utm_source=rss")
    assert a == url_doc_id("https://WWW.example.co.th/news/1#x") and a.startswith("example.co.th-")
    assert len(a.rsplit("-", 1)[1]) == 12 and a != url_doc_id("https://www.example.co.th/news/2")
    assert is_url("https://example.com/feed") and not is_url("corpus/samples") and not is_url("ftp://x/y")


def test_fetch_settings_validation_and_user_agent():
    assert FetchSettings().user_agent.startswith("khaosan/")
    custom = FetchSettings(user_agent="NewsroomBot/2 (ops@example.org)").user_agent
    assert custom == f"NewsroomBot/2 (ops@example.org) khaosan/{__version__}"  # site owners can tell
    assert FetchSettings.from_mapping({"per_host_interval": 2, "retries": 1}).retries == 1
    with pytest.raises(ValueError, match="unknown fetch setting"):
        FetchSettings.from_mapping({"per_host": 2})
    with pytest.raises(ValueError, match="retries must be a whole number"):
        FetchSettings.from_mapping({"retries": 1.5})
    with pytest.raises(ValueError, match="read_timeout must be > 0"):
        FetchSettings(read_timeout=0)
