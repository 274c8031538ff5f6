"""The one small protocol every extractor implements, built-in or outside.

An extractor reads a :class:`~khaosan.pipeline.doc.Doc`, returns the
:class:`Mention` s it finds (``extract``), then groups the article's mentions
into :class:`Fact` s (``resolve``).  The pipeline calls ``extract`` for every
extractor in registry order, then ``resolve`` in the same order, so an
extractor may read the mentions and facts of the families it ``requires``
(persons read orgs to give a role its canonical organisation).
"""
from __future__ import annotations

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


def drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (earliest first on ties)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.norm_end - m.norm_start), m.norm_start)):
        if all(m.norm_end <= k.norm_start or m.norm_start >= k.norm_end for k in out):
            out.append(m)
    return sorted(out, key=lambda m: m.norm_start)
