"""Reading numbers as Thai news writes them: digits, Thai number words, multiplier words.

Shared by the figures and dates extractors.  Everything works on the
normalised text (``Doc.norm``: Thai digits already Arabic).  Values are
computed with :class:`~decimal.Decimal` so that ``1.2 แสนล้าน`` is exactly
120000000000 (float arithmetic would give 119999999999.99998).

We do not use ``pythainlp.util.thaiword_to_num``: it raises on the mixed
forms news uses (``66,000 ล้าน``) and ``text_to_num`` does not combine digits
with ล้าน (see notes/thai-nlp-facts.md); the grammar below is small.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# 66,000 / 1,224.8801 / 3.5 / 446 — a comma group must be three digits, so "1,2" is two numbers.
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

_UNITS_WORDS: dict[str, int] = {
    "ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4,
    "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9,
}
_POWERS: dict[str, int] = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}

# Number words.  ร้อย followed by ละ is "per cent", never a hundred.
# ศูนย์ (zero) is left out: as a word after a number it is almost always "centre" (ศูนย์บริการ).
_WORD = r"หนึ่ง|เอ็ด|สอง|ยี่|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย(?!ละ)|พัน|หมื่น|แสน|ล้าน"
THAI_WORDS = rf"(?:{_WORD})+"
_WORD_RE = re.compile(_WORD)

# Multiplier words written after digits: 3 พันล้าน, 1.2 แสนล้าน, 4 หมื่น, 1 ล้านล้าน.
# ``ล.`` is the headline abbreviation of ล้าน (350 ล.); ล.บ./ลบ. (ล้านบาท) are currencies, not this.
MULTIPLIER = r"(?:(?:สิบ|ร้อย|พัน|หมื่น|แสน)?ล้าน(?:ล้าน)?|แสน|หมื่น|พัน|ร้อย(?!ละ)|ล\.(?![ก-ฮ]))"


def parse_digits(text: str) -> Decimal:
    """``"66,000"`` → 66000, ``"2.20"`` → 2.20."""
    return Decimal(text.replace(",", ""))


def parse_thai_words(text: str) -> Decimal | None:
    """Thai number words to a value: หนึ่ง → 1, ยี่สิบเอ็ด → 21, หกหมื่นหกพันล้าน → 66000000000.

    Returns None when ``text`` is not wholly number words.
    """
    words = _WORD_RE.findall(text)
    if not words or "".join(words) != text:
        return None
    total = 0  # completed millions
    current = 0  # below a million
    pending: int | None = None  # a digit word waiting for its power
    for w in words:
        if w in _UNITS_WORDS:
            if pending is not None:  # สองสาม ("two or three") is not a number
                return None
            pending = _UNITS_WORDS[w]
        elif w == "ล้าน":
            total = (total + current + (pending or 0)) * 1_000_000 if (current or pending or total) else 1_000_000
            current, pending = 0, None
        else:
            current += (1 if pending is None else pending) * _POWERS[w]
            pending = None
    return Decimal(total + current + (pending or 0))


# Memoised: every figure candidate asks (mostly for "" and a few words); Decimals are immutable.
@lru_cache(maxsize=1024)
def multiplier_value(text: str) -> Decimal:
    """``"แสนล้าน"`` → 10**11; ``""`` → 1."""
    value = Decimal(1)
    if text == "ล.":
        return Decimal(_POWERS["ล้าน"])
    for w in _WORD_RE.findall(text):
        value *= _POWERS.get(w, 1)
    return value


def to_number(value: Decimal) -> int | float:
    """An int when whole (66000000000), else a float (2.2): the JSON value of a figure."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


# Memoised: the same numbers (1, 2566, 100) come back in article after article.
@lru_cache(maxsize=8192)
def parse_number(text: str) -> Decimal | None:
    """Digits or Thai number words; None if neither."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        try:
            return parse_digits(text)
        except InvalidOperation:
            return None
    return parse_thai_words(text)
