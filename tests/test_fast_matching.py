"""The speed-ups of the matching helpers give exactly what the plain versions give.

MultiScan must reproduce each pattern's ``finditer``; DisjointSpans the pairwise
overlap rule; the normaliser ``str.translate``; token spans the running offsets.
"""
from __future__ import annotations

import re
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khaosan.extractors.base import DisjointSpans
from khaosan.extractors import dates, figures
from khaosan.extractors.orgs import OrgExtractor, _kept_index
from khaosan.extractors.person_lexicon import fold_name
from khaosan.extractors.persons import PersonExtractor
from khaosan.extractors.programs import ProgramExtractor
from khaosan.extractors.provinces import ProvinceExtractor
from khaosan.extractors.word_regex import MultiScan, trie_pattern
from khaosan.pipeline.normalize import _ONE_TO_ONE, normalize
from khaosan.corpus.article import Article
from khaosan.pipeline.doc import Doc
from khaosan.pipeline.tokenize import token_bounds

_SEPARATORS = ["", " ", "  ", "\t", "\n", "-", " - ", "ก", "ของ", "ฯ", ".", "1", "2566", "A", "(", ")", '"', "\U0001F600"]


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def _same_as_finditer(scan: MultiScan, text: str) -> None:
    found = scan.scan(text)
    for rx in scan.patterns:
        assert _spans(found[rx]) == _spans(list(rx.finditer(text))), rx.pattern[:60]


# -- a hand-made scan: word lists with loose spaces, a look-behind, an optional prefix, a guard --
_WORDS = ["นาย", "นายก", "นายกรัฐมนตรี", "จังหวัด", "เชียงใหม่", "เชียงราย", "บางนา - ตราด", "กรม การ ค้า"]
_loose = trie_pattern(_WORDS, char_regex=lambda ch: r"\s+" if ch == " " else re.escape(ch))
_HAND = MultiScan([
    (re.compile(f"(?:{_loose})"), _WORDS),
    (re.compile(f"(?<![ก-๙])(?:{_loose})(?![ก-๙])"), _WORDS),
    (re.compile(f"(?P<prefix>จังหวัด\\s*)?(?P<name>{trie_pattern(['เชียงใหม่', 'เชียงราย'])})"),
     ["จังหวัด", "เชียงใหม่", "เชียงราย"]),
    (re.compile("[0-3]?1(?:/[01]?\\d)?"), ["0", "1", "2", "3"]),
])


def test_multiscan_example():
    text = "นายกรัฐมนตรีเดินทางไปจังหวัด เชียงใหม่ และ จังหวัดเชียงราย ถนนบางนา-ตราด กรม  การ ค้า 31/12 นาย"
    _same_as_finditer(_HAND, text)
    assert [m.group() for m in _HAND.scan(text)[_HAND.patterns[2]]] == [
        "จังหวัด เชียงใหม่", "จังหวัดเชียงราย"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _SEPARATORS + ["31", "1/1"]), max_size=25))
def test_multiscan_matches_finditer(pieces):
    _same_as_finditer(_HAND, "".join(pieces))


def test_multiscans_share_one_pass_and_survive_each_other():
    """All scans share one automaton and the last text's positions: a scan created or dropped
    between two calls on the same text must not see another scan's slots."""
    import gc

    text = "นายกรัฐมนตรีเดินทางไปจังหวัดเชียงใหม่ กรม การค้า นายก"
    first = MultiScan([(re.compile("จังหวัด"), ["จังหวัด"]), (re.compile("นาย(?:ก)?"), ["นาย"])])
    second = MultiScan([(re.compile("กรม\\s*การ"), ["กรม"]), (re.compile("นายก"), ["นายก"])])
    _same_as_finditer(first, text)
    _same_as_finditer(second, text)
    del first
    gc.collect()
    third = MultiScan([(re.compile("เชียง(?:ใหม่|ราย)"), ["เชียงใหม่", "เชียงราย"])])
    _same_as_finditer(second, text)  # same text object: the shared positions are rebuilt
    _same_as_finditer(third, text)
    assert [m.group() for m in third.scan(text)[third.patterns[0]]] == ["เชียงใหม่"]
    assert [m.group() for m in second.scan(text)[second.patterns[1]]] == ["นายก", "นายก"]


def test_multiscan_refuses_a_word_starting_with_space():
    with pytest.raises(ValueError):
        MultiScan([(re.compile("x"), [" x"])])


# -- the extractors' scans, on text made of their own words ------------------------------------
@pytest.fixture(scope="module")
def extractor_scans() -> list[MultiScan]:
    return [PersonExtractor()._scan, OrgExtractor()._text_scan, ProvinceExtractor()._text_scan,
            ProgramExtractor()._text_scan, dates._SCAN, figures._WORD_NUMBER_SCAN]


def test_extractor_scans_on_news_text(extractor_scans):
    text = ("นายกรัฐมนตรี พลเอกประยุทธ์ จันทร์โอชา มอบหมายให้รัฐมนตรีว่าการกระทรวงพาณิชย์ ลงพื้นที่จังหวัดเชียงราย "
            "พร้อมด้วยผู้อำนวยการสำนักงานเศรษฐกิจการเกษตร บริษัท ทดสอบ จำกัด (มหาชน) และ ธ.ก.ส. ในโครงการ \"Smart Farmer\" "
            "ภายใต้ชื่อ Thailand Farm Expo 2024 หนึ่งตำบลหนึ่งผลิตภัณฑ์ ณ กรุงเทพฯ Chiang Mai")
    for scan in extractor_scans:
        _same_as_finditer(scan, text)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_extractor_scans_match_finditer(extractor_scans, data):
    for scan in extractor_scans:
        heads = sorted(scan.heads) + sorted(scan.words)
        text = "".join(data.draw(st.lists(st.sampled_from(heads + _SEPARATORS), max_size=30)))
        for spelling in (text, text.replace(" ", "  "), text.replace(" ", "")):  # patterns allow other spacing
            _same_as_finditer(scan, spelling)


# -- overlap dropping, normalisation, token spans, loose-name offsets ----------------------------
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=30))
def test_disjoint_spans_keep_what_the_pairwise_rule_keeps(spans):
    kept_pairwise: list[tuple[int, int]] = []
    kept: list[tuple[int, int]] = []
    fast = DisjointSpans()
    for s, n in spans:
        e = s + n
        if all(e <= ks or s >= ke for ks, ke in kept_pairwise):
            kept_pairwise.append((s, e))
        if not fast.overlaps(s, e):
            fast.add(s, e)
            kept.append((s, e))
    assert kept == kept_pairwise


@given(st.text(alphabet=st.sampled_from([*map(chr, _ONE_TO_ONE), *"กขค่้ำ 0๑\n\u200b"]), max_size=80))
def test_normalize_translates_like_str_translate(text):
    norm, offsets = normalize(text)
    if offsets.starts is None:
        assert norm == text.translate(_ONE_TO_ONE)


@given(st.lists(st.text(max_size=5), max_size=30))
def test_token_bounds_are_running_offsets(tokens):
    ends = list(accumulate(map(len, tokens)))
    assert token_bounds(tokens) == [0] + ends


@given(st.lists(st.text(min_size=1, max_size=5), max_size=30), st.data())
def test_token_bounds_answer_like_span_sets(tokens, data):
    """Doc keeps token boundaries, not span tuples: every question gets the answer the spans give."""
    ends = list(accumulate(map(len, tokens)))
    spans = [(e - len(t), e) for t, e in zip(tokens, ends)]
    doc = Doc(Article(doc_id="t", text="".join(tokens)))
    doc.set_token_bounds(token_bounds(tokens))
    assert list(doc.tokens) == spans and len(doc.tokens) == len(spans)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for pos in range(-1, len(doc.norm) + 2):
        assert doc.starts_token(pos) == (not spans or pos in starts)
        assert doc.ends_token(pos) == (not spans or pos in ends)
    if spans:
        i = data.draw(st.integers(-len(spans), len(spans) - 1))
        assert doc.tokens[i] == spans[i]
        lo, hi = data.draw(st.integers(0, len(spans))), data.draw(st.integers(0, len(spans)))
        assert doc.tokens[lo:hi] == spans[lo:hi]
        with pytest.raises(IndexError):
            doc.tokens[len(spans)]
    other = Doc(Article(doc_id="t", text="".join(tokens)))
    other.set_tokens(spans)  # the same tokens given as spans
    assert other.tokens == doc.tokens and other.starts_token(0) == doc.starts_token(0)


@given(st.text(alphabet=st.sampled_from(list("กขค \t")), min_size=1, max_size=40), st.data())
def test_kept_index_skips_blanks(chunk, data):
    kept = [i for i, c in enumerate(chunk) if c not in " \t"]
    if kept:
        j = data.draw(st.integers(0, len(kept) - 1))
        assert _kept_index(chunk, j) == kept[j]


@given(st.text(alphabet=st.sampled_from(list("กขคุ์ฺ \t\n\r\u00a0\u200bAb")), max_size=30))
def test_fold_name_drops_spaces_and_marks(name):
    assert fold_name(name) == name.translate(str.maketrans("", "", " \t\n\r\u00a0\u0e3a\u0e4c\u200b"))


# -- person name pairs: the class-led pattern finds what the look-behind one finds -------------
_PAIR_PIECES = ["สมชาย", "ใจดี", "ก", "นายกรัฐมนตรี" * 2, " ", "  ", "\n", "1", "A", "-", "ๆ", "\u0e48", "ฯ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PAIR_PIECES), max_size=25))
def test_word_pairs_match_the_look_behind_pattern(pieces):
    from khaosan.extractors.person_names import _WORD_PAIR, word_pairs

    text = "".join(pieces)
    spans = lambda ms: [(m.span(1), m.span(2), m.group(1), m.group(2)) for m in ms]  # noqa: E731
    assert spans(word_pairs(text)) == spans(_WORD_PAIR.finditer(text))


# -- heads written on past a short first word (ณ อยุธยา, 1 ตำบล 1 ผลิตภัณฑ์) -----------------------
def test_whitespace_is_what_backslash_s_matches():
    import sys

    from khaosan.extractors.word_regex import WHITESPACE

    assert WHITESPACE == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", c))


def test_loose_heads_go_on_past_a_short_first_word():
    from khaosan.extractors.word_regex import WHITESPACE, loose_heads

    heads = loose_heads(["ณ อยุธยา", "ณ-ระนอง", "จ.", "เชียงใหม่", "บางนา - ตราด"])
    assert "ณ" not in heads and "ณ " in heads and "ณ\u3000" in heads and "ณ-" in heads
    assert {"จ.", "เชียงใหม่", "บางนา"} <= set(heads)
    assert len(heads) == 3 + len(WHITESPACE) + 1


_SHORT_PIECES = ["ณ", "ณ ", "ณ\t", "ณ\u00a0", "ณ\n", "ณ-", "อยุธยา", "ระนอง", "น่าน", "จังหวัด", "จ.", "Si", "Sa", "Kaeo",
                 "1", "หนึ่ง", "ตำบล", "ผลิตภัณฑ์", "หมู่บ้าน", "อปท.", "30", "บาทรักษาทุกโรค", "10,000", "บาท",
                 "เติมเงิน", "ผ่าน", "Digital", "Wallet", "โคก", "หนอง", "นา", "โมเดล", "Sandbox", "Phuket",
                 "1 ตำบล", "1ตำบล", " 1 ", "หนึ่ง อปท.", "1 หมู่บ้าน 1", "ณ อยุธยา"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SHORT_PIECES + _SEPARATORS + ["\u2003", " \t ", "\r\n"]), max_size=30))
def test_province_and_program_scans_with_long_heads_match_finditer(extractor_scans, pieces):
    text = "".join(pieces)
    for scan in extractor_scans[2:4]:  # provinces, programs
        _same_as_finditer(scan, text)
