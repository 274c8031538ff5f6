"""The one document object every stage writes to (spaCy's ``Doc`` in spirit).

Readers give an :class:`~khaosan.corpus.article.Article`; the pipeline wraps it
in a :class:`Doc`, fills in the normalised text, tokens and sentences, and each
extractor adds :class:`Mention` s (single occurrences with offsets) which the
extractor then resolves into :class:`Fact` s (one per distinct thing).

Offsets: extractors search ``doc.norm`` and pass normalised offsets to
:meth:`Doc.mention`; every stored ``Mention.start/end`` is an offset into the
*original* ``doc.text``, so ``doc.text[m.start:m.end] == m.text`` always holds.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from khaosan.corpus.article import Article
from khaosan.pipeline.normalize import OffsetMap, normalize


@dataclass(slots=True)
class Mention:
    """One occurrence of a fact in the text, with the rule that found it."""

    family: str  # facts.jsonl field: persons, orgs, provinces, programs, figures, dates
    start: int  # offsets into the original article text
    end: int
    text: str  # == article text[start:end]
    rule: str  # e.g. "figures/money_multiplier"
    key: str  # resolution key: mentions with the same key are one fact
    attrs: dict[str, Any] = field(default_factory=dict)  # family-specific fields
    sentence: int = -1  # index into Doc.sentences
    norm_start: int = 0  # offsets into Doc.norm (what the rules matched)
    norm_end: int = 0

    def evidence(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


_SPAN = attrgetter("start", "end")


@dataclass(slots=True)
class Fact:
    """One distinct thing an article states, with every mention that supports it."""

    family: str
    key: str
    attrs: dict[str, Any]  # the SCHEMA.md item fields (name/aliases/..., value/unit/...)
    mentions: list[Mention]
    doc_id: str = ""
    _id: tuple[str, str, str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def fact_id(self) -> str:
        """Stable across runs and machines: the same article and key give the same id."""
        # Asked for by every output row and facts.jsonl: hashed once per (doc_id, family, key).
        if self._id is None or self._id[:3] != (self.doc_id, self.family, self.key):
            raw = f"{self.doc_id}\x1f{self.family}\x1f{self.key}".encode("utf-8")
            self._id = (self.doc_id, self.family, self.key, hashlib.blake2b(raw, digest_size=8).hexdigest())
        return self._id[3]

    @property
    def rules(self) -> list[str]:
        if len(self.mentions) == 1:  # most facts: one mention (written once per fact and row)
            return [self.mentions[0].rule]
        return sorted({m.rule for m in self.mentions})

    def evidence(self) -> list[dict[str, Any]]:
        if len(self.mentions) == 1:
            return [self.mentions[0].evidence()]
        seen: set[tuple[int, int]] = set()
        out = []
        for m in sorted(self.mentions, key=_SPAN):
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                out.append(m.evidence())
        return out

    def to_item(self) -> dict[str, Any]:
        """The facts.jsonl item: schema fields, then provenance."""
        rules = self.rules
        return {**self.attrs, "id": self.fact_id, "rule": rules[0] if rules else None,
                "rules": rules, "evidence": self.evidence()}


class Doc:
    """An article and everything the pipeline learned about it."""

    __slots__ = ("article", "norm", "offsets", "sentences", "mentions", "facts", "_bounds", "_tokens",
                 "_tokenized", "_token_starts", "_token_ends", "_sentence_starts", "timings")

    def __init__(self, article: Article) -> None:
        self.article = article
        self.norm, self.offsets = normalize(article.text)
        self._bounds: list[int] = []  # token i is norm[_bounds[i]:_bounds[i + 1]]
        self._tokens: list[tuple[int, int]] | None = None  # made from _bounds when first asked for
        self._tokenized = False
        self.sentences: list[tuple[int, int]] = []  # original offsets
        self.mentions: dict[str, list[Mention]] = {}
        self.facts: dict[str, list[Fact]] = {}
        self._token_starts: set[int] = set()
        self._token_ends: set[int] = set()
        self._sentence_starts: list[int] = []
        self.timings: dict[str, float] = {}

    # -- basic accessors -------------------------------------------------
    @property
    def text(self) -> str:
        return self.article.text

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    @property
    def tokens(self) -> list[tuple[int, int]]:
        """Tokens as ``(start, end)`` offsets into ``norm``, in order, covering it.

        Every article is tokenized, but most rules only ask whether an offset is
        a token boundary (:meth:`starts_token`): the spans of a long article are
        made only for the rules that walk tokens.
        """
        if self._tokens is None:
            b = self._bounds
            self._tokens = list(zip(b, b[1:])) if len(b) > 1 else []
        return self._tokens

    def set_tokens(self, spans: Sequence[tuple[int, int]]) -> None:
        """Tokens as contiguous spans (what a tokenizer whose tokens join back into the text gives)."""
        if any(a[1] != b[0] for a, b in zip(spans, spans[1:])):
            raise ValueError("token spans must be contiguous")
        self.set_token_bounds([s for s, _ in spans] + [spans[-1][1]] if spans else [])

    def set_token_bounds(self, bounds: list[int]) -> None:
        """Tokens as their boundaries: ``bounds[i]`` to ``bounds[i + 1]`` is token i."""
        self._bounds = bounds if len(bounds) > 1 else []
        self._tokens = None
        self._tokenized = bool(self._bounds)
        starts = set(self._bounds)
        ends = starts.copy()
        if self._bounds:
            starts.discard(bounds[-1])  # the end of the text starts no token ...
            ends.discard(bounds[0])  # ... and its beginning ends none
        self._token_starts, self._token_ends = starts, ends

    @property
    def tokenized(self) -> bool:
        """Whether the text has tokens (without them every offset counts as a boundary)."""
        return self._tokenized

    def drop_tokens(self) -> None:
        """Forget the tokens (a worker's results travel without them: writers do not need them)."""
        self.set_token_bounds([])

    def token_index(self, pos: int) -> int:
        """Index of the first token starting at or after normalised offset ``pos`` (``len(tokens)`` if none).

        The same as ``bisect_left(doc.tokens, (pos, -1))``, searched in C over the boundaries.
        """
        return bisect.bisect_left(self._bounds, pos, 0, max(0, len(self._bounds) - 1))

    def set_sentences(self, spans: list[tuple[int, int]]) -> None:
        self.sentences = spans
        self._sentence_starts = [s for s, _ in spans]

    # -- helpers for extractors ---------------------------------------------
    def at_token_boundary(self, start: int, end: int) -> bool:
        """True when normalised [start, end) begins and ends on token boundaries.

        A gazetteer match that cuts a token in half (แพร่ inside แพร่ระบาด,
        ตาก inside ตากแดด) is not a mention.  With no tokens, everything passes.
        """
        if not self._tokenized:
            return True
        return start in self._token_starts and end in self._token_ends

    # Asked hundreds of thousands of times per thousand articles: a flag and a set lookup, nothing more.
    def starts_token(self, pos: int) -> bool:
        return pos in self._token_starts or not self._tokenized

    def ends_token(self, pos: int) -> bool:
        return pos in self._token_ends or not self._tokenized

    def sentence_of(self, start: int) -> int:
        """Index of the last sentence starting at or before original offset ``start`` (-1 if none).

        (An offset in the gap after a sentence belongs to that sentence.)
        """
        return bisect.bisect_right(self._sentence_starts, start) - 1

    def sentence_text(self, index: int) -> str:
        s, e = self.sentences[index]
        return self.text[s:e]

    def mention(self, family: str, start: int, end: int, rule: str, key: str, **attrs: Any) -> Mention:
        """Build a mention from *normalised* offsets; it stores original offsets and text."""
        # Called for every mention of every family: the identity map and the sentence lookup inlined.
        ostart, oend = (start, end) if self.offsets.starts is None else self.offsets.span(start, end)
        return Mention(family, ostart, oend, self.article.text[ostart:oend], rule, key, attrs,
                       bisect.bisect_right(self._sentence_starts, ostart) - 1, start, end)

    def mentions_of(self, family: str) -> list[Mention]:
        return self.mentions.get(family, [])

    def facts_of(self, family: str) -> list[Fact]:
        return self.facts.get(family, [])

    def to_facts(self, families: list[str]) -> dict[str, Any]:
        """The facts.jsonl record of this article."""
        record: dict[str, Any] = {"doc_id": self.doc_id}
        for family in families:
            record[family] = [f.to_item() for f in self.facts.get(family, [])]
        return record
