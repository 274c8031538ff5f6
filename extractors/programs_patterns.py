"""Compiled tables and regexes of the programs extractor (data: ``data/curated/program_patterns.json``).

Everything here is built once per process: the cue/stop/generic word tables,
the character-class regexes shared by the name rules, and ``_key``, the
resolution key (the scorer's ``program_key`` plus a few spelling merges).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from khaosan.extractors.data import entries

FAMILY = "programs"

# -- character classes -------------------------------------------------------
_THAI = "\u0e00-\u0e7f"
# One Latin-script word: letters/digits with inner joiners (E-2025, SCA#2, 1:4000, COVID-19).
_LATIN_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9#&+'./:-]*[A-Za-z0-9#+])?"
# A Latin run: words joined by single spaces or spaced dashes/colons/ampersands.
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:(?: [-:&] | ?: | )(?:{_LATIN_WORD}))*")
_HAS_UPPER = re.compile(r"[A-Z]")
_HAS_THAI = re.compile(f"[{_THAI}]")
_HAS_LETTER = re.compile(f"[A-Za-z\u0e01-\u0e2e]")  # a Thai consonant or a Latin letter
# A Thai phrase runs to white space, a bracket, a quote or a comma.
_CHUNK = re.compile(r"[^\s()\[\]{}\"'“”‘’,;]+")
_SPACES = re.compile(r"[ \t]*")
_QUOTE_CHAR = re.compile(r"[\"']")
_LATIN_CHAR = re.compile(r"[A-Za-z0-9#&+'./: -]")
_MONEY = re.compile(r"[ \t]?[0-9]{1,3}(?:,[0-9]{3})*[ \t]?บาท(?![ก-๙])")
_EXPLAINS = re.compile(r"[ \t]+(?:โดย|ซึ่ง)")
_OR = re.compile(r"[ \t]?หรือ[ \t]?")
_QUOTE_OPEN = re.compile(r"[ \t]*([\"'])")
# "1 ตำบล 1 ผลิตภัณฑ์", "หนึ่งตำบลหนึ่งผลิตภัณฑ์": a program-naming pattern of its own.
# Both counts are the same (1 ตำบล 1..., 9 ต้น 9...), not a count of people from a count of places (928 คนจาก 878).
_COUNTED = re.compile(rf"(\d+|หนึ่ง) ?[{_THAI}]{{2,12}} ?(\1) ?(?=[{_THAI}A-Za-z])")
_YEAR = re.compile(r"[ \t]?(?:25[0-9]{2}|20[0-9]{2}|19[0-9]{2})(?![0-9])")
# A route or crossing that completes an infrastructure project's name: (บึงกาฬ-บอลิคำไซ), (ถนนสุขุมวิท),
# สายขอนแก่น - หนองคาย.  Places are Thai words joined by a dash; a lone parenthesis must name a road.
_PLACE = r"[\u0e01-\u0e4e][\u0e01-\u0e4e.ฯ]{1,30}"
_ROUTE = re.compile(rf"(?:[ \t]?\((?:{_PLACE}(?:[ \t]?[-–][ \t]?{_PLACE})+|ถนน{_PLACE})\))?"
                    rf"(?:[ \t]?สาย[ \t]?{_PLACE}(?:[ \t]?[-–][ \t]?{_PLACE})+)?")
_NUMBER = re.compile(r"[ \t]?'?[0-9]+(?:[-/.][0-9]+)?(?![0-9])")
# URLs: found from their scheme or their domain ending, then widened to the white space around
# (a leading [^\s]+ in one regex would rescan every run of text: quadratic on long lines).
_URL_HINT = re.compile(r"https?://|www\.|\.(?:com|net|org|go\.th|or\.th|co\.th|ac\.th|in\.th)(?![A-Za-z])")
_URL_STOP = re.compile(r"[\s\"'()]")
# Parenthesis right after a name: (One Map), (The Smart City Ambassadors 2 (SCA#2)).
_PAREN = re.compile(r"[\"']?[ \t]?\(((?:[^()\n]|\([^()\n]*\)){1,80})\)")  # may follow a closing quote
# For keys: the scorer's normalisation, plus ฯ dropped and 2-digit BE years made 4-digit.
_DROP = re.compile(r"[\s\u200b\u200c\u200d\ufeff\"'“”‘’«»ฯ]+")
_SHORT_YEAR = re.compile(r"ปี(?:พ\.ศ\.)?'?([0-9]{2})(?![0-9])")
# A phase is written ระยะที่ 4, เฟส 4 or Phase 4: one program (merge keys read all as ระยะที่).
_PHASE = re.compile(r"(?:เฟส(?:ที่)?|phase)(?=[0-9])")


def _rx(words: Iterable[str]) -> str:
    """Alternation of literal words, longest first so that รวมถึง wins over รวม."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class _Patterns:
    """The compiled cue/stop/generic tables from ``program_patterns.json``."""

    def __init__(self) -> None:
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for e in entries("program_patterns"):
            by_kind.setdefault(e["kind"], []).append(e)
        words = {k: [e["text"] for e in v] for k, v in by_kind.items()}
        self.cues: dict[str, dict[str, Any]] = {e["text"]: e for e in by_kind.get("cue", [])}
        # any cue word but those names hold (for "another name starts here")
        self.cue_re = re.compile(_rx(c for c, e in self.cues.items() if not e.get("in_names")))
        self.name_cues = words.get("name_cue", [])
        self.name_cue_re = re.compile(_rx(self.name_cues))
        self.strip_cues = [c for c, e in self.cues.items() if e.get("strip")]
        self.stop_re = re.compile(_rx(words.get("stop", ())))
        self.soft_re = re.compile(_rx(words.get("soft_stop", ())))
        self.phrase_re = re.compile(_rx(words.get("stop_phrase", ())))
        org = _rx(words.get("org_head", ()))
        self.org_head_re = re.compile(f"(?:{org})")
        self.org_after_re = re.compile(f"(?:จาก|ของ|กับ|แก่|ให้แก่|ให้กับ|โดย)(?:{org})")
        self.generic = {_key(w, ()) for w in words.get("generic", ())}
        self.generic_head_re = re.compile(f"(?:{_rx(words.get('generic_head', ()))})")
        self.generic_heads = set(words.get("generic_head", ()))
        ordinals = _rx(words.get("ordinal", ()))
        self.ordinal_re = re.compile(rf"[ \t]?(?:{ordinals})[ \t]?'?[0-9]+(?:[-/.][0-9]+)?(?![0-9])")
        self.ordinal_tail_re = re.compile(rf"(?:{ordinals})$")
        # โควิด 19: a number written after a space still belongs to a name that ends on this word
        numbered = _rx(words.get("numbered", ("\x00",)))
        self.numbered_tail_re = re.compile(f"(?:{numbered})$")
        self.ordinal_heads = tuple(w[:-3] for w in words.get("ordinal", ()) if w.endswith("ที่") and len(w) > 3)
        self.strip_ordinal_re = re.compile(rf"(?:[ \t]?(?:{ordinals})[ \t]?'?[0-9]+(?:[-/.][0-9]+)?|[ \t](?:25|20|19)[0-9]{{2}})$")
        self.not_program = {w.casefold() for w in words.get("not_program", ())}
        suffix = _rx(words.get("suffix", ()))
        # what a key may add to a shorter key and still name the same program (no spaces in keys)
        tails = _rx({w.casefold().replace(" ", "") for w in words.get("ordinal", ()) + words.get("suffix", ())})
        self.variant_tail_re = re.compile(rf"(?:{tails})?'?[0-9]*(?:[-/.][0-9]+)?")
        self.suffix_re = re.compile(rf"(?:{suffix})(?:[ \t]?[0-9]{{2,4}})?$")
        self.latin_suffixes = [w for w in words.get("suffix", ()) if w.isascii()]
        self.latin_suffix_re = re.compile(rf"(?<=[A-Za-z0-9] )(?:{_rx(self.latin_suffixes)})(?![A-Za-z])")
        self.known = words.get("known", [])
        # known names match with or without their inner spaces (10,000 บาทผ่าน / 10,000 บาท ผ่าน)
        self.known_re = re.compile(_rx(self.known).replace("\\ ", "[ \t]?")) if self.known else None
        plural = _rx(words.get("plural", ("\x00",)))
        self.plural_re = re.compile(f"[ \t]?(?:{plural})")
        self.start_stop_re = re.compile(_rx(words.get("start_stop", ("\x00",))))
        # a known name also stands after a conjunction or a cue word: ...ด้วยกันและคนละครึ่ง
        self.before_known = tuple(words.get("soft_stop", ())) + tuple(self.cues)
        # a project cue inside a phrase begins another name (not งาน: หน่วยงาน, การทำงาน)
        self.inner_cue_re = re.compile(_rx(c for c, e in self.cues.items()
                                           if e.get("strip") and not e.get("marked")))
        self.optional_cues = {c for c, e in self.cues.items() if e.get("optional")}
        self.optional_cue_re = re.compile(_rx(self.optional_cues or ("\x00",)))
        quantifiers = _rx(words.get("quantifier", ("\x00",)))
        self.quantifier_re = re.compile(f"(?:{quantifiers})$")  # written together: แต่ละโครงการ
        self.org_tail_re = re.compile(_rx(words.get("org_tail", ("\x00",))))
        self.cue_prefixes = tuple(words.get("cue_prefix", ()))
        self.not_model = frozenset(words.get("not_model", ()))
        self.dangling_words = tuple(words.get("dangling", ()))
        self.dangling_re = re.compile(f"(?:{_rx(words.get('dangling', ()))})$")
        # a phrase written up to its phase (... ระยะที่ 4) is a name whole
        phases = _rx(e["text"] for e in by_kind.get("ordinal", []) if e.get("phase"))
        self.phase_re = re.compile(rf"[ \t]?(?:{phases})[ \t]?[0-9]+(?![0-9/])")
        self.inner_words = frozenset(words.get("inner", ()))
        self.purpose_re = re.compile(_rx(words.get("purpose_verb", ("\x00",))))
        self.weak_heads = frozenset(e["text"] for e in by_kind.get("generic_head", []) if e.get("weak"))
        self.counted_units = list(words.get("counted_unit", ("\x00",)))
        units = _rx(self.counted_units)
        # หนึ่งหมู่บ้านหนึ่งเชฟ..., 1 ตำบล 1 ผลิตภัณฑ์: one community unit, one thing; a name without a cue
        tails_stop = _rx(words.get("tail_stop", ("\x00",)))
        self.tail_stop_re = re.compile(f"(?:{tails_stop})$")
        self.classifiers = frozenset(words.get("classifier", ()))
        self.counted_unit_re = re.compile(units)
        self.demonstrative_re = re.compile(_rx(words.get("demonstrative", ("\x00",))))
        self.counted_re = re.compile(rf"(?:หนึ่ง|1) ?(?:{units}) ?(?:หนึ่ง|1) ?(?=[{_THAI}A-Za-z])")


def _key(name: str, strip_cues: Iterable[str], years: bool = True) -> str:
    """Resolution key: the scorer's program_key, with ฯ dropped and (``years``) years written in full."""
    text = _folded(name, years)
    for cue in strip_cues:
        if text.startswith(cue) and len(text) > len(cue):
            return text[len(cue):]
    return text


@lru_cache(maxsize=1 << 14)  # a name is keyed several times (mention, resolution, aliases)
def _folded(name: str, years: bool) -> str:
    text = unicodedata.normalize("NFC", name).replace("\u0e4d\u0e32", "\u0e33")
    text = _DROP.sub("", text).casefold()
    if years:  # merge keys also read … as ...
        text = _SHORT_YEAR.sub(lambda m: f"ปี25{m.group(1)}", text).replace("\u2026", "...")
        text = _PHASE.sub("ระยะที่", text)
    return text


_PATTERNS: _Patterns | None = None


def patterns() -> _Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _Patterns()
    return _PATTERNS


_DICTIONARY: frozenset[str] | None = None


def _dictionary() -> frozenset[str]:
    """PyThaiNLP's word list: a name that is one ordinary word (เยียวยา, ร่วมทุน) is no name."""
    global _DICTIONARY
    if _DICTIONARY is None:
        from pythainlp.corpus import thai_words

        _DICTIONARY = frozenset(thai_words())
    return _DICTIONARY

