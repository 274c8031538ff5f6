"""A fetched article page, or a feed item's own content, made into an :class:`Article`.

The page is reduced to its main text exactly as local ``.html`` files are
(:mod:`khaosan.corpus.html`: trafilatura, BeautifulSoup fallback, boilerplate
lines removed).  Identity: the page's ``<link rel="canonical">`` when it points
to the same site (a syndicated copy pointing at another publisher keeps its own
address), else the URL the page was finally served from; ``doc_id`` is
:func:`url_doc_id` of that canonical URL.  Title and date come from the page,
else from the feed/sitemap entry.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from khaosan.corpus.article import Article, join_text
from khaosan.corpus.boilerplate import clean
from khaosan.corpus.fetch.http import FetchError, Response
from khaosan.corpus.fetch.listing import Entry
from khaosan.corpus.fetch.urls import canonical_url, same_site, url_doc_id
from khaosan.corpus.html import main_text, page_metadata, parse_tree, soup_text
from khaosan.corpus.text import normalize_newlines
from khaosan.pipeline.settings import Settings

#: Same cut as local files (Settings.max_article_chars).
MAX_ARTICLE_CHARS = Settings().max_article_chars
# Types an article page may be served as; an empty Content-Type is sniffed as HTML.
_PAGE_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})


def page_canonical(tree: Any, final_url: str) -> str:
    """The page's canonical URL (rules in the module docstring), in :func:`canonical_url` form."""
    if tree is not None:
        for el in tree.iter("link"):
            if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
                candidate = urljoin(final_url, el.get("href").strip())
                if same_site(candidate, final_url):
                    try:
                        return canonical_url(candidate)
                    except ValueError:
                        break  # a broken canonical link: the served URL is the better identity
                break
    return canonical_url(final_url)


def _article(text_body: str, title: str | None, url: str, published: str | None, source: str,
             meta: dict[str, str]) -> Article:
    text = join_text(title, text_body)
    if len(text) > MAX_ARTICLE_CHARS:
        text = text[:MAX_ARTICLE_CHARS]
        meta["truncated"] = "max_article_chars"
    return Article(doc_id=url_doc_id(url), text=text, title=title, url=url, published=published,
                   source=source, meta=meta)


def article_from_page(response: Response, source: str, entry: Entry | None = None) -> Article:
    """The page's article; FetchError (not retryable) when it is not an HTML page or has no text."""
    if response.content_type not in _PAGE_TYPES:
        raise FetchError(response.requested_url or response.url,
                         f"not an HTML page (Content-Type: {response.content_type})")
    html, codec = response.decoded()
    tree = parse_tree(html)
    meta = page_metadata(tree) if tree is not None else {"title": None, "published": None, "url": None}
    url = page_canonical(tree, response.url)  # before main_text, which prunes the tree
    body = clean(normalize_newlines(main_text(tree, html)))
    if not body:
        raise FetchError(response.requested_url or response.url, "no article text found in the page")
    title = meta["title"] or (entry.title if entry else None)
    published = meta["published"] or (entry.published if entry else None)
    info = {"format": "html", "encoding": codec, "fetched_url": response.url, "via": "page"}
    if response.requested_url:
        info["link"] = canonical_url(response.requested_url)
    return _article(body, title, url, published, source, info)


def article_from_entry(entry: Entry, url: str, source: str, why: str, min_chars: int) -> Article | None:
    """The feed item's own content as the article (its page failed for ``why``), or None when too short."""
    if not entry.content:
        return None
    body = clean(normalize_newlines(soup_text(entry.content)))
    if len(body) < max(min_chars, 1):
        return None
    return _article(body, entry.title, url, entry.published, source,
                    {"format": "feed", "via": "feed-content", "page_error": why, "link": url})
