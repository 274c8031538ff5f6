"""The record every reader yields: one article, its text and its metadata."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def join_text(title: str | None, body: str) -> str:
    """An article's text is its title and its body (SCHEMA.md); offsets refer to this string."""
    title = (title or "").strip()
    body = body.strip("\ufeff")
    if not title or body.lstrip().startswith(title):
        return body
    return f"{title}\n{body}"


@dataclass(slots=True)
class Article:
    """One article as read from its source.

    ``text`` is exactly the string that every evidence offset refers to; it is
    stored verbatim in ``articles.parquet`` and the SQLite ``articles`` table.
    """

    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    source: str | None = None  # file path (and line/row) it came from
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: the fingerprint incremental runs compare."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ReadError:
    """A file or row that could not be read; reported, never fatal."""

    source: str  # file path, with ":line" for a row of a corpus file
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
