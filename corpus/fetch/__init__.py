"""Fetching feeds, sitemaps and article pages politely and robustly (issue 5, network side).

Modules: :mod:`.http` (FetchSettings, Validators, Response, FetchError, Fetcher),
:mod:`.sources` (iter_url_source, fetch_article, Unchanged, FetchFailed),
:mod:`.urls` (is_url, canonical_url, url_doc_id), :mod:`.robots`,
:mod:`.ratelimit`, :mod:`.detect`, :mod:`.feeds`, :mod:`.sitemaps`, :mod:`.pages`.

Changes to the contract in /work/tasks/fetch.md (all backwards compatible):

* ``FetchSettings`` has every field with a default (``user_agent`` defaults to
  ``khaosan/<version> (+https://github.com/khaosan/khaosan)``; a custom one
  that does not name khaosan gets ``khaosan/<version>`` appended) and more
  knobs: ``total_timeout`` (120 s per response), ``max_backoff`` (60 s),
  ``max_retry_after`` (120 s), ``max_crawl_delay`` (30 s),
  ``feed_fallback_chars`` (200), ``max_pages_per_source`` (0 = no limit).
  ``FetchSettings.from_mapping(dict)`` builds them from a ``[fetch]`` config
  table and raises ValueError naming an unknown key or a bad value.
* ``Fetcher(settings=None, validators=None, sleep, clock, transport=None)``;
  ``validators=None`` means no conditional requests.  ``get(url,
  conditional=True, remember=True)``: ``remember=False`` defers storing the
  validators to ``fetcher.remember(response)`` (sources.py stores them only
  after the consumer committed what the response produced).  ``fetcher.stats``
  (:class:`FetchStats`) counts requests, 304s, retries, bytes, robots.txt
  fetches and refusals, failures and seconds waited for hosts.
* The Validators store also keeps, per page, the listing date last processed,
  under the key ``"khaosan:entry:" + url`` (etag None, the date in
  ``last_modified``).  A SQLite implementation needs nothing special for it.
* ``Unchanged(url, kind="page")``: ``kind`` is "source", "sitemap" or "page".
* Failures are yielded as ``FetchFailed(source=url, reason, kind, retryable)``,
  a subclass of ``ReadError``: ``kind`` "source" (the URL given), "sitemap"
  (a child sitemap: it is re-read with its index, do not retry it with
  fetch_article) or "page" (retry with fetch_article); ``retryable`` False for
  failures a retry cannot fix (404, robots.txt disallow, size cap, no text).
* ``fetch_article(url, fetcher, conditional=False, source=None)``: unconditional
  by default (a retried page must come back whole) and stores no validators;
  it refuses a feed or sitemap ("not an article page").
* robots.txt is parsed with Protego (RFC 9309 wildcards and longest match),
  not urllib.robotparser.
* ``known(url)`` is called with ``canonical_url(link)`` of the listing's link.
  An article's ``url`` is the page's canonical URL, which may differ; the link
  is in ``Article.meta["link"]``, so the job should answer ``known`` for both.
"""
from khaosan.corpus.fetch.http import (FetchError, Fetcher, FetchSettings, FetchStats, MemoryValidators, Response,
                                       Validators)
from khaosan.corpus.fetch.sources import (FetchFailed, Unchanged, canonical_url, fetch_article, is_url,
                                          iter_url_source, url_doc_id)

__all__ = ["FetchError", "FetchFailed", "FetchSettings", "FetchStats", "Fetcher", "MemoryValidators", "Response",
           "Unchanged", "Validators", "canonical_url", "fetch_article", "is_url", "iter_url_source", "url_doc_id"]
