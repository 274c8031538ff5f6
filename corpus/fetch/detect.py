"""What a fetched body is: a feed, a sitemap, an HTML page, or none of these.

Decided by content, not by URL or Content-Type (``/feed`` may be HTML,
``sitemap.xml`` may be gzip sent as ``application/octet-stream``): the first
element after the XML declaration, comments and doctype names the kind.
Content-Type only breaks the tie for bodies without markup.
"""
from __future__ import annotations

import re
import zlib

from khaosan.corpus.fetch.http import FetchError, Response, size_text

FEED, SITEMAP, PAGE = "feed", "sitemap", "page"

_GZIP_MAGIC = b"\x1f\x8b"
_PROLOGUE = re.compile(rb"\s*(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.DOTALL | re.IGNORECASE)
_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_HTML_DOCTYPE = re.compile(rb"<!DOCTYPE\s+html", re.IGNORECASE)
_ROOTS = {b"rss": FEED, b"feed": FEED, b"rdf": FEED, b"urlset": SITEMAP, b"sitemapindex": SITEMAP,
          b"html": PAGE, b"head": PAGE, b"body": PAGE}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_URL_LINE = re.compile(rb"\s*https?://\S+\s*")


def gunzip(body: bytes, url: str, cap: int) -> bytes:
    """The body, decompressed when it is gzip (``sitemap.xml.gz``), with the size cap applied to the result."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(body, cap + 1)
    except zlib.error as e:
        raise FetchError(url, f"broken gzip: {e}") from None
    if len(out) > cap:
        raise FetchError(url, f"response over {size_text(cap)} cap once decompressed")
    return out


def _sniff_head(body: bytes) -> bytes:
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML: sniff its ASCII transcription
        try:
            head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
        except UnicodeError:
            pass
    return head.removeprefix(b"\xef\xbb\xbf")


def kind_of(response: Response, body: bytes | None = None) -> str | None:
    """FEED, SITEMAP, PAGE, or None when the body is none of them.

    A plain-text body whose every line is a URL is a text sitemap (sitemaps.org allows them).
    """
    body = response.body if body is None else body
    head = _sniff_head(body)
    if _HTML_DOCTYPE.search(head[:1024]):
        return PAGE
    start = _PROLOGUE.match(head)
    rest = head[start.end():] if start else head
    m = _ELEMENT.match(rest)
    if m:
        name = m[1].split(b":")[-1].lower()
        if name in _ROOTS:
            return _ROOTS[name]
        if response.content_type in _HTML_TYPES:
            return PAGE
        return None  # some other XML
    if response.content_type == "text/plain":
        lines = [line for line in head.splitlines() if line.strip()]
        whole = lines if len(body) <= len(head) else lines[:-1]  # the last line may be cut
        if whole and all(_TEXT_URL_LINE.fullmatch(line) for line in whole):
            return SITEMAP
    if response.content_type in _HTML_TYPES or response.content_type == "text/plain":
        return PAGE
    return None
