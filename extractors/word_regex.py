"""Fast matching of word lists with Python's ``re``.

Python's regex engine tries the alternatives of ``a|b|c|...`` one by one at
every position, so a plain alternation of a hundred Thai words scans text at
a few million characters per second.  A pattern shaped like a trie
(``ม(?:กราคม|ีนาคม|...)``) starts with a branch of distinct literals, which
the engine turns into a first-character set and skips through in C.

:class:`SuffixMatcher` answers "does the text just before this position end
with one of these words?" by matching a trie of *reversed* words at the start
of a short reversed window: one anchored attempt instead of a scan.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator


_END = ""  # trie key marking the end of a word; its value is the word's end guard


def trie_pattern(words: Iterable[str], guards: dict[str, str] | None = None,
                 char_regex: Callable[[str], str] = re.escape) -> str:
    """A regex (no groups) matching any of ``words``, the longest possible first.

    ``guards`` maps some words to a zero-width assertion that must hold where they end
    (``{"มค": "(?![ก-๎])"}``: the bare abbreviation only when no Thai letter follows).
    ``char_regex`` turns one character into its pattern, e.g. a space into any run of white space
    so that gazetteer names match whatever white space the article uses.
    """
    guards = guards or {}
    root: dict = {}
    for w in set(words):
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[_END] = guards.get(w, "")

    def build(node: dict) -> str:
        alts = [char_regex(ch) + build(child) for ch, child in sorted(node.items()) if ch != _END]
        if _END not in node:
            return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        guard = node[_END]
        if not alts:
            return guard
        # a word ends here: longer continuations first, then the end (with its guard)
        return "(?:" + "|".join(alts + [guard]) + ")"

    return build(root)


def factor_first_char(alternatives: Iterable[tuple[str, str]]) -> str:
    """An alternation of ``(first character, rest of the regex)`` pairs, tried in the given order,
    written with one branch per first character.

    Same matches as ``first1rest1|first2rest2|...``: only alternatives that begin with the
    character at a position can match there, and their order is kept.  But the engine compares
    one literal per distinct first character at each position instead of one per alternative.
    Each first character must be a plain character (it is escaped here).
    """
    groups: dict[str, list[str]] = {}
    for first, rest in alternatives:
        groups.setdefault(first, []).append(rest)
    return "(?:" + "|".join(re.escape(c) + "(?:" + "|".join(rests) + ")" for c, rests in groups.items()) + ")"


def finditer_where(rx: re.Pattern[str], text: str, ok: Callable[[str, int], bool]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` as if a look-behind stood in front of ``rx``: ``ok(text, start)`` is
    that look-behind, checked on each match; where it fails, the scan goes on at the next
    position, as the regex engine would.  (A look-behind in front of a pattern makes Python's
    re try the whole pattern at every position instead of skipping to its first literals.)
    ``rx`` must not match the empty string."""
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        if not ok(text, m.start()):
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


def finditer_either(first: re.Pattern[str], second: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches ``re.finditer`` gives for the alternation ``first|second``, from two patterns.

    Python's re skips through the text in C only when a pattern starts with literals; an
    optional group in front (``(?:จังหวัด)?name``) makes it try the whole pattern at every
    position.  Split into ``prefix name`` and ``name``, each scans fast: at every step the
    leftmost match wins, ``first`` on a tie, and the scan resumes where it ended.
    Neither pattern may match the empty string.
    """
    a, b = first.search(text), second.search(text)
    while a is not None or b is not None:
        m = a if b is None or (a is not None and a.start() <= b.start()) else b
        yield m
        pos = m.end()
        if a is not None and a.start() < pos:
            a = first.search(text, pos)
        if b is not None and b.start() < pos:
            b = second.search(text, pos)


_HEAD_END = re.compile(r"[\s-]")


class MultiScan:
    """The ``finditer`` of several patterns over one text, from one Aho-Corasick pass.

    Each pattern comes with the words its matches begin with, written literally up to their
    first white space or dash (the pattern may allow other spacing after that).  One automaton
    of those word heads (pyahocorasick, in C) reports, in a single pass, every position where
    some pattern may match; each pattern is then tried at its own positions only, keeping, like
    ``finditer``, the first match at or after the end of the previous one.  Python's re would
    otherwise try each pattern's first-character branch at almost every position of Thai text.
    The patterns must not match the empty string.
    """

    def __init__(self, patterns: Iterable[tuple[re.Pattern[str], Iterable[str]]]) -> None:
        import ahocorasick

        self.patterns: list[re.Pattern[str]] = []
        heads: dict[str, int] = {}  # word head -> bit set of the patterns it may begin
        for i, (rx, words) in enumerate(patterns):
            self.patterns.append(rx)
            for w in words:
                head = _HEAD_END.split(w, 1)[0]
                if not head:
                    raise ValueError(f"MultiScan: word {w!r} must begin with a letter or a sign")
                heads[head] = heads.get(head, 0) | (1 << i)
        self._automaton = ahocorasick.Automaton()
        for head, bits in heads.items():
            self._automaton.add_word(head, (len(head), bits))
        if heads:
            self._automaton.make_automaton()
        self._ready = ahocorasick.AHOCORASICK

    def positions(self, text: str) -> list[list[int]]:
        """For each pattern, the sorted positions where one of its word heads is written."""
        found: list[set[int]] = [set() for _ in self.patterns]
        if self._automaton.kind == self._ready:  # (no automaton without words)
            for end, (length, bits) in self._automaton.iter(text):
                start = end - length + 1
                i = 0
                while bits:
                    if bits & 1:
                        found[i].add(start)
                    bits >>= 1
                    i += 1
        return [sorted(f) for f in found]

    def scan(self, text: str) -> dict[re.Pattern[str], list[re.Match[str]]]:
        """Each pattern's matches, as ``pattern.finditer(text)`` gives them."""
        out: dict[re.Pattern[str], list[re.Match[str]]] = {}
        for rx, positions in zip(self.patterns, self.positions(text)):
            matches: list[re.Match[str]] = []
            match = rx.match
            end = 0
            for p in positions:
                if p >= end and (m := match(text, p)) is not None:
                    matches.append(m)
                    end = m.end()
            out[rx] = matches
        return out


class SuffixMatcher:
    """Which of ``words`` ends right before a position (optionally skipping spaces)."""

    def __init__(self, words: Iterable[str]) -> None:
        words = [w for w in set(words) if w]
        self.max_len = max((len(w) for w in words), default=0)
        self._rx = re.compile(trie_pattern(w[::-1] for w in words))

    def find(self, text: str, end: int, skip_spaces: bool = True) -> tuple[int, str] | None:
        """(start offset, word) of the longest listed word ending at ``end``, else None."""
        if skip_spaces:
            while end > 0 and text[end - 1] in " \t":
                end -= 1
        m = self._rx.match(text[max(0, end - self.max_len):end][::-1])
        return (end - m.end(), m.group()[::-1]) if m else None

    def start(self, text: str, end: int, skip_spaces: bool = True) -> int | None:
        """Start offset of the longest listed word ending at ``end`` (after trailing spaces), else None."""
        found = self.find(text, end, skip_spaces)
        return found[0] if found else None

    def word(self, text: str, end: int, skip_spaces: bool = True) -> str | None:
        """The matched word itself (see :meth:`start`)."""
        found = self.find(text, end, skip_spaces)
        return found[1] if found else None
