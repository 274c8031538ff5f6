"""Fast matching of word lists with Python's ``re``.

Python's regex engine tries the alternatives of ``a|b|c|...`` one by one at
every position, so a plain alternation of a hundred Thai words scans text at
a few million characters per second.  A pattern shaped like a trie
(``ม(?:กราคม|ีนาคม|...)``) starts with a branch of distinct literals, which
the engine turns into a first-character set and skips through in C.

Even a trie compares the character at each position with every first character
of its words, so :class:`MultiScan` finds where any of several word lists is
written with one Aho-Corasick pass and matches each pattern only there.  Every
live ``MultiScan`` shares that pass: the extractors all read the same ``doc.norm``,
and one automaton of all their words walks a text three times faster than one
automaton per extractor.

:class:`SuffixMatcher` answers "does the text just before this position end
with one of these words?" by matching a trie of *reversed* words at the start
of a short reversed window: one anchored attempt instead of a scan.
"""
from __future__ import annotations

import re
import weakref
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

    # Every extractor's start-up builds its tries (tens of thousands of nodes): each character's
    # pattern is made once, and a chain of single children (a word's own tail) is written out in
    # a loop rather than one call per letter.
    escaped: dict[str, str] = {}

    def esc(ch: str) -> str:
        got = escaped.get(ch)
        if got is None:
            got = escaped[ch] = char_regex(ch)
        return got

    def build(node: dict) -> str:
        head = []
        while len(node) == 1 and _END not in node:
            ((ch, node),) = node.items()
            head.append(esc(ch))
        alts = [esc(ch) + build(child) for ch, child in sorted(node.items()) if ch != _END]
        if _END not in node:
            body = "(?:" + "|".join(alts) + ")"  # two or more branches (or no word at all)
        elif not alts:
            body = node[_END]
        else:
            # a word ends here: longer continuations first, then the end (with its guard)
            body = "(?:" + "|".join(alts + [node[_END]]) + ")"
        return "".join(head) + body

    return build(root)


_HEAD_END = re.compile(r"[\s-]")

#: Every character ``\s`` matches in a str pattern (those for which ``str.isspace()`` is true).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def loose_heads(words: Iterable[str], min_len: int = 3) -> list[str]:
    """Literal heads for words a pattern writes with loose spacing (a space as ``\\s+``, a dash
    as ``\\s*-\\s*``), for :class:`MultiScan`'s third item.

    A word's head is what precedes its first white space or dash.  A head shorter than
    ``min_len`` (ณ of ณ อยุธยา) is written on in the text, so it would be reported at every
    one of its letters: such a head is given followed by each character that can begin the gap
    (any white space, or a dash for a dash), so only places where the word can go on are tried.
    """
    heads: set[str] = set()
    for w in words:
        head = _HEAD_END.split(w, 1)[0]
        if len(head) >= min_len or len(head) == len(w):
            heads.add(head)
        else:
            gap = WHITESPACE + "-" if w[len(head):].lstrip().startswith("-") else WHITESPACE
            heads.update(head + ch for ch in gap)
    return sorted(heads)


class _SharedPass:
    """One Aho-Corasick automaton of the word heads of every live :class:`MultiScan`.

    Each scan's patterns own consecutive slots; a head maps to the slots of the patterns it
    may begin.  The positions found in the last text are kept, so the extractors that scan
    the same ``doc.norm`` one after another share a single pass over it.  The automaton is
    rebuilt (lazily) when a scan is created or dies.
    """

    def __init__(self) -> None:
        self._members: list[weakref.ref[MultiScan]] = []
        # (automaton or None when no words, slot offset by id of a live scan, number of slots,
        # whether a slot has heads of different lengths);
        # replaced as a whole so that a reader never sees half of a rebuild.
        self._state: tuple[object, dict[int, int], int, list[bool]] | None = None
        self._last: tuple[str, object, list[list[int]]] | None = None  # (text, state, positions by slot)

    def add(self, scan: MultiScan) -> None:
        self._members.append(weakref.ref(scan, self._forget))
        self._state = None

    def _forget(self, ref: weakref.ref) -> None:
        self._state = None

    def _build(self) -> tuple[object, dict[int, int], int, list[bool]]:
        import ahocorasick

        self._members = [r for r in self._members if r() is not None]
        offsets: dict[int, int] = {}
        slots: dict[str, list[int]] = {}  # word head -> slots, in order
        lengths: dict[int, set[int]] = {}  # slot -> lengths of its heads
        n = 0
        for ref in self._members:
            scan = ref()
            if scan is None:
                continue
            offsets[id(scan)] = n
            for head, bits in scan._heads.items():
                i = 0
                while bits:
                    if bits & 1:
                        slots.setdefault(head, []).append(n + i)
                        lengths.setdefault(n + i, set()).add(len(head))
                    bits >>= 1
                    i += 1
            n += len(scan.patterns)
        automaton = None
        if slots:
            automaton = ahocorasick.Automaton()
            for head, where in slots.items():
                # (1 - length): added to the end index the automaton reports, the head's start
                automaton.add_word(head, (1 - len(head), tuple(where)))
            automaton.make_automaton()
        # The automaton reports heads by their end: a slot's starts come sorted and distinct when
        # all its heads have one length; otherwise they are sorted (and a word and its prefix at
        # one position counted once) when asked for.
        mixed = [len(lengths.get(slot, ())) > 1 for slot in range(n)]
        state = (automaton, offsets, n, mixed)
        self._state = state
        return state

    def positions(self, scan: MultiScan, text: str) -> list[list[int]]:
        state = self._state or self._build()
        last = self._last
        if last is not None and last[0] is text and last[1] is state:
            found = last[2]
        else:
            automaton, _, n, _ = state
            found = [[] for _ in range(n)]
            if automaton is not None:
                for end, (back, where) in automaton.iter(text):
                    start = end + back
                    for slot in where:
                        found[slot].append(start)
            self._last = (text, state, found)
        first = state[1][id(scan)]
        last = first + len(scan.patterns)
        return [sorted(set(f)) if mixed else f for f, mixed in zip(found[first:last], state[3][first:last])]


_SHARED = _SharedPass()


class MultiScan:
    """The ``finditer`` of several patterns over one text, from one Aho-Corasick pass.

    Each pattern comes with the words its matches begin with, written literally up to their
    first white space or dash (the pattern may allow other spacing after that).  One automaton
    of those word heads (pyahocorasick, in C; shared by every MultiScan, see
    :class:`_SharedPass`) reports, in a single pass, every position where some pattern may
    match; each pattern is then tried at its own positions only, keeping, like ``finditer``,
    the first match at or after the end of the previous one.  Python's re would otherwise try
    each pattern's first-character branch at almost every position of Thai text.
    The patterns must not match the empty string.
    """

    def __init__(self, patterns: Iterable[tuple[re.Pattern[str], Iterable[str]]
                                           | tuple[re.Pattern[str], Iterable[str], Iterable[str]]]) -> None:
        self.patterns: list[re.Pattern[str]] = []
        self.words: set[str] = set()
        self._heads: dict[str, int] = {}  # word head -> bit set of the patterns it may begin
        for i, (rx, words, *given) in enumerate(patterns):
            self.patterns.append(rx)
            words = list(words)
            self.words.update(words)
            # A third item gives the heads themselves: every match begins with one of them,
            # exactly as written (longer than a word's first part where the pattern allows it:
            # a short first part such as ณ or 1 would be tried at each of its many letters).
            heads = given[0] if given else (_HEAD_END.split(w, 1)[0] for w in words)
            for head in heads:
                if not head or head[0].isspace() or head[0] == "-":
                    raise ValueError(f"MultiScan: word {head!r} must begin with a letter or a sign")
                self._heads[head] = self._heads.get(head, 0) | (1 << i)
        _SHARED.add(self)

    @property
    def heads(self) -> list[str]:
        """The word heads the automaton looks for."""
        return list(self._heads)

    def positions(self, text: str) -> list[list[int]]:
        """For each pattern, the sorted positions where one of its word heads is written."""
        return _SHARED.positions(self, text)

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
