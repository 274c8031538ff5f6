"""What feeds and sitemaps list: entries pointing at pages (or, for a sitemap index, at other sitemaps)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UTC = dt.timezone.utc


@dataclass(frozen=True, slots=True)
class Entry:
    """One page (or child sitemap) a listing points to, with what the listing says about it."""

    link: str | None
    #: Date for --since/--until: when published (feeds) or last modified (sitemaps), UTC.
    when: dt.datetime | None = None
    #: Date that changes when the page changes (Atom <updated>, sitemap <lastmod>), UTC.
    changed: dt.datetime | None = None
    title: str | None = None
    #: Publication date as the publisher wrote it (ISO YYYY-MM-DD, zone not converted).
    published: str | None = None
    #: The feed's own copy of the article (HTML), the fallback when the page fails.
    content: str = ""
    guid: str | None = None


@dataclass(slots=True)
class Listing:
    entries: list[Entry] = field(default_factory=list)
    #: A sitemap index's sitemaps (empty for a feed or a urlset).
    sitemaps: list[Entry] = field(default_factory=list)
    #: Set when the XML was broken but entries could still be read: the listing may be incomplete.
    warning: str | None = None


def utc_iso(when: dt.datetime | None) -> str | None:
    """A comparable string for a date: ISO 8601 in UTC, seconds precision."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def as_utc(when: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; a naive one is taken as UTC (the documented rule for --since/--until)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
