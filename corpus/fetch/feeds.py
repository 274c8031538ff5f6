"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser.

feedparser forgives broken XML.  A feed that is broken but still gives items is
used, with a warning (the listing may miss items, so its validators are not
stored and the next run reads it again); one that gives no item at all is
"malformed XML" and fails as a source.
"""
from __future__ import annotations

import datetime as dt
import io
import time

from khaosan.corpus.fetch.http import FetchError, Response
from khaosan.corpus.fetch.listing import UTC, Entry, Listing
from khaosan.corpus.published import normalize_published


def _datetime(parsed: time.struct_time | None) -> dt.datetime | None:
    if not parsed:
        return None
    try:
        return dt.datetime(*parsed[:6], tzinfo=UTC)  # feedparser gives UTC
    except (TypeError, ValueError):
        return None


def _content(item: dict) -> str:
    for block in item.get("content") or ():
        if block.get("value"):
            return str(block["value"])
    return str(item.get("summary") or "")


def parse_feed(response: Response, body: bytes) -> Listing:
    """The feed's items, newest first as the feed orders them; FetchError when none can be read."""
    import feedparser

    # A file object, never a string: feedparser fetches strings that look like URLs.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={
        "content-location": response.url, "content-type": response.headers.get("content-type", "application/xml")})
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        problem = None  # a wrong label, not a broken feed
    entries: list[Entry] = []
    dropped = 0
    for item in parsed.entries:
        link = item.get("link") or None
        guid = item.get("id") or None
        if link is None and guid and str(guid).startswith(("http://", "https://")):
            link = guid
        if problem is not None and link is None:
            dropped += 1  # a fragment the forgiving parser made of broken markup
            continue
        # dict.get: FeedParserDict maps a missing "updated*" to "published*" (with a warning);
        # the two dates mean different things here.
        published_at = _datetime(dict.get(item, "published_parsed"))
        updated_at = _datetime(dict.get(item, "updated_parsed"))
        raw_date = dict.get(item, "published") or dict.get(item, "updated")
        entries.append(Entry(
            link=link, when=published_at or updated_at, changed=updated_at or published_at,
            title=(item.get("title") or "").strip() or None, published=normalize_published(raw_date),
            content=_content(item), guid=guid))
    if problem is not None:
        if not entries:
            raise FetchError(response.url, f"malformed XML: {problem}")
        note = f"; {dropped} broken item(s) dropped" if dropped else ""
        return Listing(entries=entries, warning=f"malformed XML ({problem}): {len(entries)} item(s) read{note}")
    if not entries and not parsed.get("version"):
        raise FetchError(response.url, "malformed XML: not a readable RSS/Atom feed")
    return Listing(entries=entries)
