"""Offset-keeping normalisation of Thai text.

Extractors match against the normalised string (Arabic digits, straight quotes,
no zero-width characters, ำ written as one character) but every fact must point
into the *original* article text.  :class:`OffsetMap` maps each normalised
character back to the original span it came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# One-for-one replacements keep offsets identical, so they go through str.translate.
_ONE_TO_ONE = str.maketrans(
    {
        **{chr(0x0E50 + d): str(d) for d in range(10)},  # Thai digits ๐-๙
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    }
)
# str.translate looks every character up in the table (slow on Thai text); substituting only the
# characters the table changes is ten times faster and gives the same string.
_ONE_TO_ONE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ONE_TO_ONE)) + "]")


def _translate(text: str) -> str:
    return _ONE_TO_ONE_CHARS.sub(lambda m: _ONE_TO_ONE[ord(m.group())], text)


# Replacements that change the length: dropped zero-width characters and the
# two-character spelling of sara am (nikhahit + sara aa), common in PDFs.
_LENGTH_CHANGING = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]|\u0e4d\u0e32")


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets in the normalised text to offsets in the original text.

    ``starts[i]``/``ends[i]`` are the original span of normalised character i;
    ``None`` means the identity map (the common case, no allocation).
    """

    starts: list[int] | None = None
    ends: list[int] | None = None
    original_length: int = 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> tuple[str, OffsetMap]:
    """Return the normalised text and the map back to ``text``."""
    translated = _translate(text)
    if not _LENGTH_CHANGING.search(translated):
        return translated, OffsetMap(original_length=len(text))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _LENGTH_CHANGING.finditer(translated):
        if m.start() > pos:
            parts.append(translated[pos : m.start()])
            starts.extend(range(pos, m.start()))
            ends.extend(range(pos + 1, m.start() + 1))
        if m.group() == "\u0e4d\u0e32":
            parts.append("\u0e33")
            starts.append(m.start())
            ends.append(m.end())
        pos = m.end()
    if pos < len(translated):
        parts.append(translated[pos:])
        starts.extend(range(pos, len(translated)))
        ends.extend(range(pos + 1, len(translated) + 1))
    return "".join(parts), OffsetMap(starts, ends, len(text))
