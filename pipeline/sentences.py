"""Sentence segmentation.

Thai marks sentences with white space, not punctuation, and crfcut (PyThaiNLP's
model) runs at only 0.14 M characters/s and splits across line breaks, so the
default ``rules`` engine splits on line breaks first, then long lines at spaces
once a sentence has reached a readable length.  ``crfcut`` is available for
those who want the model's boundaries, still within lines.
"""
from __future__ import annotations

import re
from collections.abc import Callable

Splitter = Callable[[str], list[tuple[int, int]]]

_LINE = re.compile(r"[^\n]+")
_SPACE = re.compile(r"[ \t][ \t]*")  # not [ \t]+: a pattern that starts with a class is scanned in C
MIN_SENTENCE = 60  # characters before a space may end a sentence
MIN_WIDE_SENTENCE = 20  # characters before a double space may end a sentence
MAX_SENTENCE = 400  # past this, any space ends it


def _rules_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SPACE.finditer(line):
        ms, me = m.span()
        length = ms - start
        if length < MIN_WIDE_SENTENCE:
            continue  # too short to end at any space (most spaces: checked first, it is the hot loop)
        if length < MAX_SENTENCE:
            wide = me - ms > 1  # two spaces: the usual Thai sentence break in press releases
            # A space after a Thai word, once the sentence is long enough, is a sentence break;
            # a space before a digit or inside a name would cut a fact in half, so those wait.
            if length < (MIN_WIDE_SENTENCE if wide else MIN_SENTENCE) or not _ends_clause(line, ms, line[me : me + 1]):
                continue
        spans.append((offset + start, offset + ms))
        start = me
    if start < len(line):
        spans.append((offset + start, offset + len(line.rstrip())))
    return [s for s in spans if s[1] > s[0]]


_NO_BREAK_BEFORE = ("นาย", "นาง", "ดร", "ผศ", "รศ", "ศ.", "พล", "จ.", "อ.")


def _ends_clause(line: str, pos: int, nxt: str) -> bool:
    """A space ends a clause unless it sits after a title (นาย, ดร., จ.) or next to a number."""
    before = line[max(0, pos - 4) : pos]
    if before[-1:].isdigit() or nxt.isdigit():
        return False
    return not before.endswith(_NO_BREAK_BEFORE)


def split_rules(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        if m.group().strip():
            lead = len(m.group()) - len(m.group().lstrip())
            spans.extend(_rules_line(m.group()[lead:], m.start() + lead))
    return spans


def split_crfcut(text: str) -> list[tuple[int, int]]:
    from pythainlp.tokenize import sent_tokenize

    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        pos = m.start()
        for sent in sent_tokenize(m.group(), engine="crfcut"):
            i = text.find(sent, pos)
            if i < 0:
                continue
            stripped = sent.strip()
            if stripped:
                j = text.find(stripped, i)
                spans.append((j, j + len(stripped)))
            pos = i + len(sent)
    return spans


ENGINES: dict[str, Splitter] = {"rules": split_rules, "crfcut": split_crfcut}


def make_splitter(engine: str) -> Splitter:
    try:
        return ENGINES[engine]
    except KeyError:
        raise ValueError(f"unknown sentence engine {engine!r}; choose one of {sorted(ENGINES)}") from None
