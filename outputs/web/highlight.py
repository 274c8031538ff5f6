"""Text to safe HTML with highlighted spans: escape first, then insert the markup at offsets.

Article text is whatever the source published, ``<script>`` included; every
character of it goes through ``markupsafe.escape`` and only the tags built here
are markup.  Offsets are Python string offsets (code points), the same as the
dataset's mention offsets into ``articles.text``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch of text: ``[start, end)`` with the tag, CSS class and attributes to wrap it in."""

    start: int
    end: int
    css: str = ""
    tag: str = "mark"
    attrs: dict[str, str] = field(default_factory=dict)
    href: str | None = None  # when set, the highlighted text links there

    def open(self) -> str:
        attrs = {"class": self.css, **self.attrs} if self.css else dict(self.attrs)
        parts = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items() if v is not None)
        link = f'<a href="{escape(self.href)}">' if self.href else ""
        return f"<{self.tag}{parts}>{link}"

    def close(self) -> str:
        return ("</a>" if self.href else "") + f"</{self.tag}>"


def non_overlapping(spans: Iterable[Span], keep: Sequence[Span] = ()) -> list[Span]:
    """The spans that do not overlap ``keep`` or each other, longest first when they compete."""
    chosen: list[Span] = list(keep)
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if s.end <= s.start:
            continue
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def render(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` escaped, with each span (offsets into the whole text) wrapped in its tag.

    Spans must not overlap (see ``non_overlapping``); a span reaching outside the
    window is clipped to it.
    """
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s in sorted(spans, key=lambda s: s.start):
        a, b = max(s.start, start), min(s.end, end)
        if b <= a or a < pos:
            continue
        out.append(str(escape(text[pos:a])))
        out.append(s.open() + str(escape(text[a:b])) + s.close())
        pos = b
    out.append(str(escape(text[pos:end])))
    return Markup("".join(out))


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of the terms occurs in the text (case-insensitive), non-overlapping, in order."""
    terms = [t for t in terms if t]
    if not terms or not text:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def highlight_terms(text: str, terms: Sequence[str], css: str = "search") -> Markup:
    """The whole text escaped, with every occurrence of the search terms in ``<mark>``."""
    return render(text, [Span(a, b, css) for a, b in find_terms(text, terms)])


def snippets(text: str, terms: Sequence[str], width: int = 80, most: int = 3, css: str = "search") -> Markup:
    """Up to ``most`` windows of about ``width`` characters either side of a match, joined by an ellipsis.

    Without a match: the beginning of the text.  For long article bodies in a
    results table, where the whole text would bury the match.
    """
    hits = find_terms(text, terms)
    if not hits:
        return render(text, [], 0, min(len(text), 2 * width)) + (Markup("…") if len(text) > 2 * width else "")
    windows: list[list[int]] = []
    for a, b in hits:
        lo, hi = max(0, a - width), min(len(text), b + width)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        elif len(windows) < most:
            windows.append([lo, hi])
    spans = [Span(a, b, css) for a, b in hits]
    parts = [render(text, spans, lo, hi) for lo, hi in windows]
    lead = Markup("…") if windows[0][0] > 0 else Markup("")
    tail = Markup("…") if windows[-1][1] < len(text) else Markup("")
    return lead + Markup(" … ").join(parts) + tail


SAFE_SCHEMES = ("http://", "https://")


def safe_url(url: str | None) -> str | None:
    """The URL when it is a web address, else None (a ``javascript:`` source link must not become a link)."""
    if url and url.strip().lower().startswith(SAFE_SCHEMES):
        return url.strip()
    return None
