"""Turning a file's bytes into text: UTF-8/16/32 (BOM or not), TIS-620/windows-874, then a guesser.

Cheap, certain checks run first (a BOM, UTF-8 that decodes, a declared charset,
Thai single-byte text that looks like Thai); charset-normalizer, which is slow
and can be wrong on short texts, is the last resort.  Binary files (NUL bytes
that are not UTF-16, control characters) are refused with a reason.
"""
from __future__ import annotations

import codecs
import re

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Every name a Thai page may declare for the Thai single-byte code page; cp874 is
# a superset of TIS-620 (adds curly quotes, dashes, the euro sign in 0x80-0x9F).
_ALIASES: dict[str, str] = {
    "tis-620": "cp874", "tis620": "cp874", "tis_620": "cp874", "iso-8859-11": "cp874",
    "iso8859-11": "cp874", "iso_8859-11": "cp874", "windows-874": "cp874", "x-windows-874": "cp874",
    "cp874": "cp874", "ms874": "cp874", "dos-874": "cp874", "thai": "cp874",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode": "utf-16", "utf-16": "utf-16", "ascii": "utf-8",
    "us-ascii": "utf-8", "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
}

# A Thai combining mark (above/below vowel, tone mark, thanthakhat...) must sit on a
# consonant or another mark.  Latin-1 or Cyrillic bytes read as cp874 break this
# rule constantly; real Thai almost never does.
_THAI = re.compile(r"[\u0e01-\u0e5b]")
_ORPHAN_MARK = re.compile(r"(?<![\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
# C0 controls other than tab/newline/CR/form feed, and DEL: a text file has (almost) none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_MAX_ORPHAN_SHARE = 0.02
_NON_ASCII = re.compile(rb"[\x80-\xff]")


class DecodeError(ValueError):
    """The bytes are not text this module can read; ``str(e)`` is the reason in plain words."""


def canonical(name: str | None) -> str | None:
    """A codec name Python knows for a declared charset, or None when unknown."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def _bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a BOM: ASCII characters put their NUL byte always on the same side."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) and not even.count(0):
        return "utf-16-le"
    if even.count(0) and not odd.count(0):
        return "utf-16-be"
    return None


def looks_thai(text: str) -> bool:
    """True when single-byte-decoded text is plausible Thai (marks attached to consonants)."""
    thai = len(_THAI.findall(text))
    if thai == 0:
        return False
    return len(_ORPHAN_MARK.findall(text)) <= _MAX_ORPHAN_SHARE * thai


def _try(data: bytes, codec: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final)
    except (UnicodeDecodeError, LookupError):
        return None


def detect(sample: bytes, declared: str | None = None, complete: bool = True, guess: bool = True) -> str:
    """The codec that decodes ``sample`` (a whole file, or its first bytes when not ``complete``).

    With ``guess=False`` the slow, fallible guesser is not asked and UTF-8 is the
    answer when nothing else fits (JSON is UTF-8 by definition; a bad line is then
    reported on its own).  Raises :class:`DecodeError` for binary or undecodable data.
    """
    codec = _bom(sample)
    if codec:
        return codec
    if b"\x00" in sample:
        codec = _utf16_without_bom(sample[:65536] if complete else sample[: len(sample) & ~1])
        text = _try(sample if complete else sample[:4096], codec, complete) if codec else None
        if codec and text is not None and not _too_many_controls(text):
            return codec
        raise DecodeError("binary file (contains NUL bytes), not text")
    if not _NON_ASCII.search(sample):
        return "utf-8"
    if _try(sample, "utf-8", complete) is not None:
        return "utf-8"
    declared = canonical(declared)
    if declared and declared != "utf-8":
        text = _try(sample, declared, complete)
        if text is not None:
            return declared
    text = _try(sample, "cp874", complete)
    if text is not None and looks_thai(text):
        return "cp874"
    return _guess(sample) if guess else "utf-8"


def _guess(sample: bytes) -> str:
    """charset-normalizer as the last resort (slow; only reached by unusual files)."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise DecodeError("undecodable: not UTF-8, UTF-16, TIS-620/windows-874 or any known text encoding")
    return best.encoding


def _too_many_controls(text: str) -> bool:
    head = text[:65536]
    return bool(head) and len(_CONTROL.findall(head)) > _MAX_CONTROL_SHARE * len(head)


def check_text(text: str) -> None:
    """Refuse decoded text that is mostly control characters (a binary file that happened to decode)."""
    if _too_many_controls(text):
        raise DecodeError("binary file (control characters), not text")


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a whole file: (text without BOM, codec used).  Raises :class:`DecodeError`."""
    codec = detect(data, declared, complete=True)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:  # the guesser's pick, or a broken UTF-16 file
        raise DecodeError(f"undecodable as {codec}: {e.reason} at byte {e.start}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    check_text(text)
    return text, codec
