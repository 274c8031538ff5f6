"""Fast matching of word lists with Python's ``re``.

Python's regex engine tries the alternatives of ``a|b|c|...`` one by one at
every position, so a plain alternation of a hundred Thai words scans text at
a few million characters per second.  A pattern shaped like a trie
(``ม(?:กราคม|ีนาคม|...)``) starts with a branch of distinct literals, which
the engine turns into a first-character set and skips through in C.

Even a trie compares the character at each position with every first character
of its words, so :class:`MultiScan` finds where any of several word lists is
written with one Aho-Corasick pass and matches each pattern only there.

:class:`SuffixMatcher` answers "does the text just before this position end
with one of these words?" by matching a trie of *reversed* words at the start
of a short reversed window: one anchored attempt instead of a scan.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable


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
        self.words: set[str] = set()
        heads: dict[str, int] = {}  # word head -> bit set of the patterns it may begin
        for i, (rx, words) in enumerate(patterns):
            self.patterns.append(rx)
            for w in words:
                self.words.add(w)
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

    @property
    def heads(self) -> list[str]:
        """The word heads the automaton looks for."""
        return list(self._automaton.keys())

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
