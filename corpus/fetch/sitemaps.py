"""Sitemaps (sitemaps.org): ``<urlset>`` of pages, ``<sitemapindex>`` of sitemaps, and plain-text URL lists.

Parsed with lxml without entity expansion, DTD loading or network access (no
XXE, no billion laughs).  Namespaces are ignored (many sitemaps get them
wrong).  Google News sitemaps are common on Thai news sites: their
``<news:publication_date>`` and ``<news:title>`` are read too.  Broken XML is
recovered when lxml can; entries read that way come with a warning, and none
at all is "malformed XML".
"""
from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from khaosan.corpus.fetch.http import FetchError, Response
from khaosan.corpus.fetch.listing import UTC, Entry, Listing
from khaosan.corpus.published import normalize_published

_W3C_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?$")
_URL_LINE = re.compile(r"https?://\S+")


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           recover=recover, remove_comments=True, remove_pis=True)


def w3c_datetime(text: str | None) -> dt.datetime | None:
    """A sitemap date (W3C datetime: YYYY, YYYY-MM, YYYY-MM-DD, or with time and zone) in UTC; None if unreadable."""
    if not text:
        return None
    text = text.strip()
    m = _W3C_PARTIAL.match(text)
    try:
        if m:
            return dt.datetime(int(m[1]), int(m[2] or 1), 1, tzinfo=UTC)
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el.iter():
        if child is not el and _local(child) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _entries(root: etree._Element) -> tuple[list[Entry], list[Entry]]:
    pages: list[Entry] = []
    sitemaps: list[Entry] = []
    for el in root:
        kind = _local(el)
        if kind not in ("url", "sitemap"):
            continue
        loc = _child_text(el, "loc")
        if not loc:
            continue
        lastmod = w3c_datetime(_child_text(el, "lastmod"))
        if kind == "sitemap":
            sitemaps.append(Entry(link=loc, when=lastmod, changed=lastmod))
            continue
        news_date_text = _child_text(el, "publication_date")
        news_date = w3c_datetime(news_date_text)
        pages.append(Entry(link=loc, when=news_date or lastmod, changed=lastmod or news_date,
                           title=_child_text(el, "title"), published=normalize_published(news_date_text)))
    return pages, sitemaps


def parse_sitemap(response: Response, body: bytes) -> Listing:
    """The pages of a urlset or the sitemaps of an index; FetchError when nothing can be read."""
    if response.content_type == "text/plain" and not body.lstrip().startswith(b"<"):
        text = body.decode("utf-8", errors="replace")
        return Listing(entries=[Entry(link=m[0]) for m in _URL_LINE.finditer(text)])
    warning = None
    try:
        root = etree.fromstring(body, _parser(recover=False))
    except etree.XMLSyntaxError as e:
        try:
            root = etree.fromstring(body, _parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise FetchError(response.url, f"malformed XML: {e}") from None
        warning = f"malformed XML ({e})"
    pages, sitemaps = _entries(root)
    if _local(root) not in ("urlset", "sitemapindex"):
        raise FetchError(response.url, f"not a sitemap: root element <{_local(root)}>")
    if warning:
        if not pages and not sitemaps:
            raise FetchError(response.url, warning)
        warning += f": {len(pages) + len(sitemaps)} entries read"
    return Listing(entries=pages, sitemaps=sitemaps, warning=warning)
