"""A URL source: a feed, a sitemap (index) or one article page, turned into articles.

``iter_url_source`` fetches the URL, tells by content what it is, and yields
:class:`Article` for each page, :class:`Unchanged` for what needs no work and
:class:`FetchFailed` (a :class:`ReadError`) for what failed.  One bad item
never stops the source.

Rules a person on call may need:

* **Backfill window.** ``since`` is inclusive, ``until`` exclusive
  (``[since, until)``); naive datetimes are UTC.  An entry is judged by its
  feed date (published, else updated) or sitemap date (news publication date,
  else ``<lastmod>``).  An entry without a date is fetched and then judged by
  the page's own publication date (kept when the page has none).  A child
  sitemap whose ``<lastmod>`` is before ``since`` is skipped whole.
* **Conditional requests.** A scheduled run (no ``since``/``until``) asks for
  feeds and sitemaps with the stored ETag/Last-Modified: a 304 yields
  ``Unchanged(source_url, "source")``.  A backfill always reads them in full.
  New validators are stored only once every item of the listing has been
  handed over *and the consumer asked for the next one* (i.e. committed it),
  and only when the listing was complete (no broken XML, no failed child
  sitemap, page budget not hit): a run killed half-way reads the whole feed
  again next time.
* **Pages the job already holds** (``known(canonical_url(link))`` true) are not
  fetched again unless the listing shows a change date (Atom ``<updated>``,
  RSS date, sitemap ``<lastmod>``) newer than the one recorded when the page
  was last processed; then a conditional request is made.  A held page whose
  entry has no date is never fetched again from a listing.  The recorded
  dates live in the Validators store under ``khaosan:entry:<url>`` (see
  :data:`khaosan.corpus.fetch.http.ENTRY_KEY`).  Pages not held are always
  fetched in full (a 304 could hide a page whose earlier fetch was never
  committed).
* **Feed fallback.** A feed item whose page fails is taken from the feed's own
  content when that has at least ``feed_fallback_chars`` characters of text
  (``meta["via"] == "feed-content"``); its date is not recorded, so the page is
  tried again while the feed lists it.
* **Page budget.** ``max_pages_per_source`` (0: none) stops a source after that
  many page fetches; the listing is then incomplete and the rest comes next run.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from khaosan.corpus.article import Article, ReadError
from khaosan.corpus.fetch.detect import FEED, PAGE, SITEMAP, gunzip, kind_of
from khaosan.corpus.fetch.feeds import parse_feed
from khaosan.corpus.fetch.http import FetchError, Fetcher, Response
from khaosan.corpus.fetch.listing import Entry, as_utc, utc_iso
from khaosan.corpus.fetch.pages import article_from_entry, article_from_page
from khaosan.corpus.fetch.sitemaps import parse_sitemap
from khaosan.corpus.fetch.urls import canonical_url, is_url, url_doc_id

__all__ = ["FetchFailed", "Unchanged", "Window", "canonical_url", "fetch_article", "is_url", "iter_url_source",
           "url_doc_id"]

log = logging.getLogger("khaosan.fetch")

#: Sitemap indexes nested deeper than this are not followed (the protocol allows one level).
MAX_SITEMAP_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Unchanged:
    """Nothing to do for ``url``: a 304, or a held page its listing shows no change for."""

    url: str
    #: "source" (the URL given), "sitemap" (a child of a sitemap index) or "page".
    kind: str = "page"


@dataclass(slots=True)
class FetchFailed(ReadError):
    """A :class:`ReadError` for a URL, with what failed and whether trying later may help.

    ``kind``: "source" (the URL given: feed, sitemap or page), "sitemap" (a
    child sitemap; re-read with its index next run) or "page" (an article page;
    retry with :func:`fetch_article`).  ``source`` holds the URL.
    """

    kind: str = "page"
    retryable: bool = True


@dataclass(frozen=True, slots=True)
class Window:
    """The backfill window ``[since, until)`` in UTC; unbounded when both are None."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None

    @classmethod
    def of(cls, since: dt.date | None, until: dt.date | None) -> Window:
        """A date (not a datetime) means its midnight UTC."""
        def moment(value: dt.date | None) -> dt.datetime | None:
            if value is None:
                return None
            if not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            return as_utc(value)

        return cls(moment(since), moment(until))

    @property
    def bounded(self) -> bool:
        return self.since is not None or self.until is not None

    def admits(self, when: dt.datetime | None) -> bool:
        """An undated entry is admitted (judged later by its page)."""
        if when is None:
            return True
        return (self.since is None or when >= self.since) and (self.until is None or when < self.until)

    def admits_day(self, iso_day: str | None) -> bool:
        """A publication day (YYYY-MM-DD) overlaps the window; an unknown day is admitted."""
        if iso_day is None or not self.bounded:
            return True
        try:
            start = dt.datetime.fromisoformat(iso_day[:10]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return True
        end = start + dt.timedelta(days=1)
        return (self.since is None or end > self.since) and (self.until is None or start < self.until)


Item = Article | FetchFailed | Unchanged
_Steps = Generator[Item, None, bool]  # yields items, returns whether the listing was handled completely


class _SourceRun:
    """One source in one run: the window, the page budget, what the job holds."""

    def __init__(self, source: str, fetcher: Fetcher, window: Window, known: Callable[[str], bool]) -> None:
        self.source = source
        self.fetcher = fetcher
        self.window = window
        self.known = known
        self.full = not window.bounded  # scheduled run: conditional requests, validators stored
        self.pages = 0
        self.budget = fetcher.settings.max_pages_per_source
        self.budget_logged = False

    def run(self) -> Iterator[Item]:
        try:
            response = self.fetcher.get(self.source, conditional=self.full, remember=False)
        except FetchError as e:
            yield FetchFailed(self.source, e.reason, kind="source", retryable=e.retryable)
            return
        if response.not_modified:
            log.info("%s: not modified since the last run", self.source)
            yield Unchanged(self.source, "source")
            return
        try:
            body = gunzip(response.body, response.url, self.fetcher.settings.max_bytes)
        except FetchError as e:
            yield FetchFailed(self.source, e.reason, kind="source", retryable=False)
            return
        kind = kind_of(response, body)
        if kind == FEED:
            complete = yield from self._feed(response, body)
        elif kind == SITEMAP:
            complete = yield from self._sitemap(response, body, 0, {canonical_url(self.source)})
        elif kind == PAGE:
            complete = yield from self._page(response)
        else:
            yield FetchFailed(self.source, "not an RSS/Atom feed, a sitemap or an HTML page (Content-Type: "
                                           f"{response.content_type or 'none'})", kind="source", retryable=False)
            return
        # Reached only after the consumer took the last item and asked for more: all of it is committed.
        if complete and self.full:
            self.fetcher.remember(response)

    # -- listings ------------------------------------------------------------

    def _feed(self, response: Response, body: bytes) -> _Steps:
        try:
            listing = parse_feed(response, body)
        except FetchError as e:
            yield FetchFailed(self.source, e.reason, kind="source", retryable=False)
            return False
        if listing.warning:
            log.warning("%s: %s", self.source, listing.warning)
        complete = listing.warning is None
        for n, entry in enumerate(listing.entries, 1):
            if not self.window.admits(entry.when):
                continue
            if entry.link is None:
                yield FetchFailed(f"{self.source} (item {n}: {entry.title or entry.guid or 'untitled'})",
                                  "feed item has no link", kind="page", retryable=False)
                continue
            if self._budget_spent():
                return False
            yield from self._entry(entry, fallback=True)
        return complete

    def _sitemap(self, response: Response, body: bytes, depth: int, seen: set[str]) -> _Steps:
        where = response.requested_url or response.url
        try:
            listing = parse_sitemap(response, body)
        except FetchError as e:
            yield FetchFailed(where, e.reason, kind="source" if depth == 0 else "sitemap", retryable=False)
            return False
        if listing.warning:
            log.warning("%s: %s", where, listing.warning)
        complete = listing.warning is None
        for child in listing.sitemaps:
            done = yield from self._child_sitemap(child, depth + 1, seen)
            complete = complete and done
        for entry in listing.entries:
            if not self.window.admits(entry.when):
                continue
            if self._budget_spent():
                return False
            yield from self._entry(entry, fallback=False)
        return complete

    def _child_sitemap(self, child: Entry, depth: int, seen: set[str]) -> _Steps:
        try:
            url = canonical_url(child.link or "")
        except ValueError:
            yield FetchFailed(child.link or self.source, "sitemap entry is not an http(s) URL", kind="sitemap",
                              retryable=False)
            return True  # nothing a later run could do better
        if url in seen or depth > MAX_SITEMAP_DEPTH:
            log.warning("%s: sitemap %s skipped (%s)", self.source, url,
                        "listed twice or in a loop" if url in seen else f"nested deeper than {MAX_SITEMAP_DEPTH}")
            return True
        seen.add(url)
        if self.window.since is not None and child.when is not None and child.when < self.window.since:
            return True  # last changed before the window: none of its pages can be in it
        changed = utc_iso(child.changed)
        if self.full and changed is not None and (self.fetcher.seen_entry(url) or "") >= changed:
            yield Unchanged(url, "sitemap")
            return True
        if self._budget_spent():
            return False
        try:
            response = self.fetcher.get(url, conditional=self.full, remember=False)
            if response.not_modified:
                yield Unchanged(url, "sitemap")
                if self.full:
                    self.fetcher.remember_entry(url, changed)
                return True
            body = gunzip(response.body, response.url, self.fetcher.settings.max_bytes)
        except FetchError as e:
            yield FetchFailed(url, e.reason, kind="sitemap", retryable=e.retryable)
            return False
        done = yield from self._sitemap(response, body, depth, seen)
        if done and self.full:
            self.fetcher.remember(response)
            self.fetcher.remember_entry(url, changed)
        return done

    # -- pages -----------------------------------------------------------------

    def _entry(self, entry: Entry, fallback: bool) -> Iterator[Item]:
        try:
            url = canonical_url(entry.link or "")
        except ValueError:
            yield FetchFailed(entry.link or self.source, "link is not an http(s) URL", kind="page", retryable=False)
            return
        changed = utc_iso(entry.changed)
        conditional = False
        if self.known(url):
            seen = self.fetcher.seen_entry(url)
            if changed is None or (seen is not None and changed <= seen):
                yield Unchanged(url)
                return
            conditional = True  # the listing shows a change: ask, a 304 is cheap
        self.pages += 1
        try:
            response = self.fetcher.get(url, conditional=conditional, remember=False)
            if response.not_modified:
                yield Unchanged(url)
                self.fetcher.remember_entry(url, changed)
                return
            article = article_from_page(response, self.source, entry)
        except FetchError as e:
            substitute = article_from_entry(entry, url, self.source, e.reason,
                                            self.fetcher.settings.feed_fallback_chars) if fallback else None
            if substitute is None:
                yield FetchFailed(url, e.reason, kind="page", retryable=e.retryable)
                return
            log.warning("%s: page failed (%s); using the feed's own content", url, e.reason)
            yield substitute
            return
        except Exception as e:  # a parser bug on one odd page must not stop the source
            log.exception("%s: internal error reading the page", url)
            yield FetchFailed(url, f"internal error: {type(e).__name__}: {e}", kind="page", retryable=True)
            return
        if entry.when is None and not self.window.admits_day(article.published):
            return  # an undated entry whose page is outside the backfill window
        yield article
        # The consumer asked for the next item: this article is committed.
        self.fetcher.remember(response)
        self.fetcher.remember_entry(url, changed)

    def _page(self, response: Response) -> _Steps:
        try:
            article = article_from_page(response, self.source)
        except FetchError as e:
            yield FetchFailed(self.source, e.reason, kind="source", retryable=e.retryable)
            return False
        yield article
        return True

    def _budget_spent(self) -> bool:
        if not self.budget or self.pages < self.budget:
            return False
        if not self.budget_logged:
            log.warning("%s: page budget of %d reached (max_pages_per_source); the rest comes next run",
                        self.source, self.budget)
            self.budget_logged = True
        return True


def iter_url_source(source_url: str, fetcher: Fetcher, since: dt.date | None = None,
                    until: dt.date | None = None,
                    known: Callable[[str], bool] = lambda url: False) -> Iterator[Item]:
    """Articles of a feed, sitemap or article page (rules in the module docstring); never raises FetchError."""
    yield from _SourceRun(source_url, fetcher, Window.of(since, until), known).run()


def fetch_article(url: str, fetcher: Fetcher, conditional: bool = False, source: str | None = None
                  ) -> Article | Unchanged:
    """One article page (the job's retry of a failed page); raises :class:`FetchError`.

    Unconditional by default: a page being retried must come back whole, and a
    304 could stand for a version that was never committed.  No validators are
    stored.  ``source`` becomes ``Article.source`` (default: the page URL).
    """
    try:
        target = canonical_url(url)
    except ValueError:
        raise FetchError(url, "not an http(s) URL") from None
    response = fetcher.get(target, conditional=conditional, remember=False)
    if response.not_modified:
        return Unchanged(target)
    kind = kind_of(response, gunzip(response.body, response.url, fetcher.settings.max_bytes))
    if kind in (FEED, SITEMAP):
        raise FetchError(url, f"not an article page: it is {'a feed' if kind == FEED else 'a sitemap'}")
    return article_from_page(response, source or target)
