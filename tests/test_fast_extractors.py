"""The extractors' speed-ups answer exactly what the plain versions answer.

Each fast helper of the third speed pass (issue 3) is checked here against the
obvious loop it replaced.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khaosan.corpus.article import Article
from khaosan.extractors import figures
from khaosan.extractors.person_lexicon import fold_name
from khaosan.extractors.person_names import _RUN, DocContext
from khaosan.extractors.persons import PersonExtractor
from khaosan.extractors.word_regex import trie_pattern
from khaosan.pipeline.doc import Doc

_SPAN = st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=300)
@given(st.lists(_SPAN, max_size=12), _SPAN)
def test_blocked_hit_is_any_overlap(spans, probe):
    s, e = probe
    plain = any(bs < e and be > s for bs, be in spans)
    assert figures._Blocked(spans).hit(s, e) == plain


# -- persons: the answers both passes share -------------------------------------------------------
_NAME_PIECES = ["นาย", "นาง", "ดร.", "สมชาย", "ใจดี", "กล่าว", "ว่า", "ที่", "ไม่", "จะ", "ซึ่ง", "รัฐมนตรี",
                "นายก", "ได้", "ประชุม", "ก", "ข", " ", "  ", "\n", "1", "ร่วม", "กับ", "ชัย", "วุฒิ", "ทั้งนี้",
                "ตลอดจน", "ทั้ง", "นี้", "ขณะที่", "สม"]


@pytest.fixture(scope="module")
def person_finder() -> PersonExtractor:
    return PersonExtractor()


def _context(finder: PersonExtractor, pieces: list[str], glue: list[bool]) -> DocContext:
    """A document whose tokens are the pieces, some glued to the next (newmm keeps them whole)."""
    doc = Doc(Article(doc_id="t", text="".join(pieces)))
    assert doc.norm == doc.text
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece, glued in zip(pieces, glue):
        if spans and glued and spans[-1][1] == pos:
            spans[-1] = (spans[-1][0], pos + len(piece))
        else:
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    doc.set_tokens([sp for sp in spans if sp[1] > sp[0]])
    return DocContext(doc, finder)


def _clause_inside_plain(finder: PersonExtractor, ctx: DocContext, s: int, e: int) -> bool:
    for k in range(s, e):
        if ctx.doc.starts_token(k):
            for rx in (finder.lex.clause_re, finder.lex.glued_re):
                c = rx.match(ctx.norm, k, e)
                if c and ctx.doc.ends_token(c.end()):
                    return True
    return False


def _run_plain(finder: PersonExtractor, ctx: DocContext, s: int, known_first: set[str] | None) -> int:
    norm, lex = ctx.norm, finder.lex
    m = _RUN.match(norm, s)
    if not m:
        return s
    end = m.end()
    listed = norm[s:end] in lex.first_names or fold_name(norm[s:end]) in lex.cabinet_by_first
    for k in range(s + 2, end):
        if not ctx.doc.starts_token(k):
            continue
        if lex.glued_re.match(norm, k) or ctx.title_at(k) or finder._long_role_at(norm, k):
            return k
        c = None if listed else lex.clause_re.match(norm, k)
        if c is not None and ctx.doc.ends_token(c.end()) and (
                norm[s:k] in lex.first_names or fold_name(norm[s:k]) in lex.cabinet_by_first
                or (known_first and norm[s:k] in known_first)):
            return k
    if known_first:
        for f in sorted(known_first, key=len, reverse=True):
            if end - s > len(f) and norm.startswith(f, s) and ctx.doc.starts_token(s + len(f)):
                return s + len(f)
    return end


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAME_PIECES), st.booleans()), min_size=1, max_size=14),
       st.sets(st.sampled_from(["สม", "สมชาย", "ชัย", "", "นาย", "ใจ", "ชัยวุฒิ", "สมชายใจ"]), max_size=3))
def test_person_run_and_clause_answers_as_the_plain_loops(person_finder, parts, known_first):
    pieces, glue = [p for p, _ in parts], [g for _, g in parts]
    ctx = _context(person_finder, pieces, glue)
    n = len(ctx.norm)
    for s in range(n):
        for e in range(s, min(n, s + 12) + 1):
            assert person_finder._clause_inside(ctx, s, e) == _clause_inside_plain(person_finder, ctx, s, e)
        # the same offset asked first without, then with the article's known first names, and again
        for kf in (None, known_first, set(), known_first):
            assert person_finder._run(ctx, s, kf) == _run_plain(person_finder, ctx, s, kf)


# -- start-up: the trie pattern ------------------------------------------------------------------
def _trie_pattern_plain(words, guards=None, char_regex=re.escape) -> str:
    guards = guards or {}
    root: dict = {}
    for w in set(words):
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = guards.get(w, "")

    def build(node: dict) -> str:
        alts = [char_regex(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if "" not in node:
            return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        guard = node[""]
        if not alts:
            return guard
        return "(?:" + "|".join(alts + [guard]) + ")"

    return build(root)


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="กขคa. ", max_size=6), max_size=12), st.booleans())
def test_trie_pattern_is_the_plain_trie(words, loose):
    guards = {w: "(?![ก-ฮ])" for w in words[::2]}
    char_regex = (lambda ch: r"\s+" if ch == " " else re.escape(ch)) if loose else re.escape
    assert trie_pattern(words, guards, char_regex) == _trie_pattern_plain(words, guards, char_regex)
