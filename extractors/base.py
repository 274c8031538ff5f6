"""The one small protocol every extractor implements, built-in or outside.

An extractor reads a :class:`~khaosan.pipeline.doc.Doc`, returns the
:class:`Mention` s it finds (``extract``), then groups the article's mentions
into :class:`Fact` s (``resolve``).  The pipeline calls ``extract`` for every
extractor in registry order, then ``resolve`` in the same order, so an
extractor may read the mentions and facts of the families it ``requires``
(persons read orgs to give a role its canonical organisation).
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any, ClassVar, Protocol, runtime_checkable

from khaosan.pipeline.doc import Doc, Fact, Mention


@runtime_checkable
class Extractor(Protocol):
    name: ClassVar[str]  # registry name; the spaCy factory is "khaosan_" + name
    family: ClassVar[str]  # facts.jsonl field this extractor fills
    requires: ClassVar[tuple[str, ...]]  # families that must be extracted first

    def dictionary_words(self) -> Iterable[str]:
        """Surface forms the tokenizer must keep whole (gazetteer names)."""
        ...

    def extract(self, doc: Doc) -> list[Mention]: ...

    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]: ...


class RuleExtractor:
    """Convenience base: no dictionary words, resolution by mention key.

    ``resolve`` merges mentions with the same key into one fact whose
    attributes are those of its first mention (``merge_attrs`` can refine).
    """

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()

    def dictionary_words(self) -> Iterable[str]:
        return ()

    def extract(self, doc: Doc) -> list[Mention]:  # pragma: no cover - abstract
        raise NotImplementedError

    def merge_attrs(self, mentions: list[Mention]) -> dict[str, Any]:
        return dict(mentions[0].attrs)

    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]:
        groups: dict[str, list[Mention]] = {}
        for m in mentions:
            groups.setdefault(m.key, []).append(m)
        return [Fact(self.family, key, self.merge_attrs(ms), ms, doc.doc_id) for key, ms in groups.items()]


class DisjointSpans:
    """Spans kept so far, no two overlapping: "does [s, e) overlap one of them?" in O(log n).

    Sorted by (start, end), non-overlapping spans also have non-decreasing ends, so the
    spans starting before ``e`` are a prefix whose last span reaches furthest right:
    [s, e) overlaps one of them exactly when that span ends after ``s``.
    """

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self._spans, (e, -1))  # offsets are >= 0: spans starting before e
        return i > 0 and self._spans[i - 1][1] > s

    def add(self, s: int, e: int) -> None:
        bisect.insort(self._spans, (s, e))


def drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (earliest first on ties)."""
    out: list[Mention] = []
    kept = DisjointSpans()
    for m in sorted(mentions, key=lambda m: (-(m.norm_end - m.norm_start), m.norm_start)):
        if not kept.overlaps(m.norm_start, m.norm_end):
            kept.add(m.norm_start, m.norm_end)
            out.append(m)
    return sorted(out, key=lambda m: m.norm_start)
