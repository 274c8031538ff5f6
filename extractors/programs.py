"""Named projects, programs, campaigns and events (โครงการ..., กิจกรรม..., งาน "...", มหกรรม...).

Thai writes a program's name straight after its cue word with no space
(โครงการคนละครึ่ง), so the hard part is where the name *ends*.  The rules, in
the order they are tried after a cue word:

1. a quoted name ("...", “...”, ‘...’; straight quotes in ``doc.norm``) is the
   name, whatever it contains;
2. a Latin-script run (โครงการ DIGINEXT by SEED THAILAND) is the name;
3. a counted pattern "1 ตำบล 1 ผลิตภัณฑ์" is the name;
4. otherwise the name runs to the next white space and is cut at the first
   clause marker (ซึ่ง, ว่า, โดย, ที่, ...) that starts a token; a conjunction
   (และ/หรือ) cuts only when the rest of the phrase is not clean; จาก/ของ/กับ
   cut before an organisation (โครงการเหมืองแร่จากบริษัท...).
   The name then takes an ordinal or year that belongs to it (รุ่นที่ 2,
   ระยะที่ 4, ปี 2566), a Latin-script tail (พัฒนานิคมอุตสาหกรรม Smart Park),
   and a following parenthesis in Latin script as an alias ((One Map), (TIC)).

Cue words, stop words, generic phrases (โครงการดังกล่าว, กิจกรรมต่าง ๆ) and
ordinal words are data: ``data/curated/program_patterns.json``.

Resolution merges mentions whose names or aliases share a key (the scorer's
``program_key``: case-folded, no spaces or quotes, no leading โครงการ/กิจกรรม),
and folds a bare name (นักดิจิทัลพัฒนาเมืองรุ่นใหม่) into its only ordinal
variant (... รุ่นที่ 2).  "โครงการฯ" refers back and adds nothing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.data import entries
from khaosan.pipeline.doc import Doc, Fact, Mention

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
_COUNTED = re.compile(rf"(?:\d+|หนึ่ง) ?[{_THAI}]{{2,12}} ?(?:\d+|หนึ่ง) ?(?=[{_THAI}A-Za-z])")
_YEAR = re.compile(r"[ \t]?(?:25[0-9]{2}|20[0-9]{2}|19[0-9]{2})(?![0-9])")
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
        self.cue_re = re.compile(_rx(self.cues))  # any cue word (for "another name starts here")
        self.name_cue_re = re.compile(_rx(words.get("name_cue", ())))
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
        self.ordinal_heads = tuple(w[:-3] for w in words.get("ordinal", ()) if w.endswith("ที่") and len(w) > 3)
        self.strip_ordinal_re = re.compile(rf"(?:[ \t]?(?:{ordinals})[ \t]?'?[0-9]+(?:[-/.][0-9]+)?|[ \t](?:25|20|19)[0-9]{{2}})$")
        self.not_program = {w.casefold() for w in words.get("not_program", ())}
        suffix = _rx(words.get("suffix", ()))
        # what a key may add to a shorter key and still name the same program (no spaces in keys)
        tails = _rx({w.casefold().replace(" ", "") for w in words.get("ordinal", ()) + words.get("suffix", ())})
        self.variant_tail_re = re.compile(rf"(?:{tails})?'?[0-9]*(?:[-/.][0-9]+)?")
        self.suffix_re = re.compile(rf"(?:{suffix})(?:[ \t]?[0-9]{{2,4}})?$")
        latin_suffix = _rx(w for w in words.get("suffix", ()) if w.isascii())
        self.latin_suffix_re = re.compile(rf"(?<=[A-Za-z0-9] )(?:{latin_suffix})(?![A-Za-z])")
        self.known = words.get("known", [])
        # known names match with or without their inner spaces (10,000 บาทผ่าน / 10,000 บาท ผ่าน)
        self.known_re = re.compile(_rx(self.known).replace("\\ ", "[ \t]?")) if self.known else None
        plural = _rx(words.get("plural", ("\x00",)))
        self.plural_re = re.compile(f"[ \t]?(?:{plural})")
        self.start_stop_re = re.compile(_rx(words.get("start_stop", ("\x00",))))
        # a known name also stands after a conjunction or a cue word: ...ด้วยกันและคนละครึ่ง
        self.before_known = tuple(words.get("soft_stop", ())) + tuple(self.cues)
        self.optional_cues = {c for c, e in self.cues.items() if e.get("optional")}
        quantifiers = _rx(words.get("quantifier", ("\x00",)))
        self.quantifier_re = re.compile(f"(?:{quantifiers})$")  # written together: แต่ละโครงการ
        self.org_tail_re = re.compile(_rx(words.get("org_tail", ("\x00",))))
        self.cue_prefixes = tuple(words.get("cue_prefix", ()))
        self.not_model = frozenset(words.get("not_model", ()))
        self.dangling_words = tuple(words.get("dangling", ()))
        self.dangling_re = re.compile(f"(?:{_rx(words.get('dangling', ()))})$")


def _key(name: str, strip_cues: Iterable[str], years: bool = True) -> str:
    """Resolution key: the scorer's program_key, with ฯ dropped and (``years``) years written in full."""
    text = unicodedata.normalize("NFC", name).replace("\u0e4d\u0e32", "\u0e33")
    text = _DROP.sub("", text).casefold()
    if years:  # merge keys also read … as ...
        text = _SHORT_YEAR.sub(lambda m: f"ปี25{m.group(1)}", text).replace("\u2026", "...")
    for cue in strip_cues:
        if text.startswith(cue) and len(text) > len(cue):
            return text[len(cue):]
    return text


_PATTERNS: _Patterns | None = None


def patterns() -> _Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _Patterns()
    return _PATTERNS


class ProgramExtractor(RuleExtractor):
    name = "programs"
    family = FAMILY
    requires = ()
    #: Report named measures, policies and plans (มาตรการ..., นโยบาย..., แผน...);
    #: they are optional in gold, so reporting them can only cost precision on
    #: articles where the annotator left them out.
    report_optional = False

    def __init__(self) -> None:
        self.p = patterns()
        active = {c: e for c, e in self.p.cues.items() if self.report_optional or not e.get("optional")}
        plain = _rx(c for c, e in active.items() if not e.get("marked"))
        marked = _rx(c for c, e in active.items() if e.get("marked"))
        heads = _rx(w for e in active.values() for w in e.get("event_heads", ()))
        # A marked cue (งาน) is looked at only when a quote, a Latin-script name or a number follows,
        # at once or after a short descriptor: most งาน are หน่วยงาน, การทำงาน (half of all cue hits).
        self.scan_re = re.compile(
            rf"{plain}|(?:{marked})(?=[ \t]?[\"'A-Za-z0-9]|[{_THAI}]{{1,20}}[ \t]?[\"']|(?:{heads}))")

    def dictionary_words(self) -> Iterable[str]:
        # Cue words whole, so that โครงการ is not cut into โครง|การ... by the tokenizer.
        return [*self.p.cues, *self.p.known]

    # -- extraction ----------------------------------------------------------
    def extract(self, doc: Doc) -> list[Mention]:
        text = doc.norm
        urls = _urls(text)

        def in_url(s: int, e: int) -> bool:
            return any(us < e and s < ue for us, ue in urls)

        found: list[Mention] = []
        for m in self.scan_re.finditer(text):
            cue = m.group()
            if not (doc.starts_token(m.start()) or _boundary_before(text, m.start())
                    or (doc.ends_token(m.end()) and text.endswith(self.p.cue_prefixes, 0, m.start()))):
                continue  # งาน inside การทำงาน; but จัดงาน/ร่วมงาน "..." still name an event
            if in_url(m.start(), m.end()):
                continue
            entry = self.p.cues[cue]
            if text.startswith("ฯ", m.end()) or (m.start() > 0 and text[m.start() - 1].isdigit()):
                continue  # โครงการฯ refers back; "7 โครงการ" counts projects
            if m.start() > 0 and text[m.start() - 1] == " " and m.start() > 1 and text[m.start() - 2].isdigit():
                continue
            q = self.p.quantifier_re.search(text, max(0, m.start() - 12), m.start())
            if q is not None and doc.starts_token(q.start()):
                continue  # แต่ละโครงการ, ทุกกิจกรรม: a common noun
            mention = self._after_cue(doc, m.start(), m.end(), entry)
            if mention is not None:
                found.append(mention)
        for m in self.p.name_cue_re.finditer(text):
            mention = self._after_name_cue(doc, m.end())
            if mention is not None:
                found.append(mention)
        found.extend(self._suffixed(doc))
        found.extend(self._known(doc))
        found = _dedupe([f for f in found if not in_url(f.norm_start, f.norm_end)])
        found.extend(self._echoes(doc, found, urls))
        return _dedupe(found)

    def _after_cue(self, doc: Doc, cue_start: int, cue_end: int, entry: dict[str, Any]) -> Mention | None:
        text = doc.norm
        strip = bool(entry.get("strip"))
        prefix = "" if strip else entry["text"]
        pos = cue_end
        spaced = _SPACES.match(text, pos).end()
        # 1. quoted name
        q = self._quoted(doc, pos)
        if q is not None:
            return self._quoted_mention(doc, q, cue_start, "programs/cue_quoted")
        # 2. Latin-script name after the cue (with or without a space)
        lat = self._latin(text, spaced)
        if lat is not None:
            s, e = lat
            e = self._ordinal_end(text, e)
            return self._make(doc, s, e, "programs/cue_latin",
                              aliases=self._paren_aliases(text, e) + self._or_alias(doc, e))
        # 3. counted pattern "1 ตำบล 1 ผลิตภัณฑ์"
        c = _COUNTED.match(text, spaced)
        if c is not None:
            end = self._thai_end(doc, c.end())
            if end > c.end():
                return self._make(doc, spaced, end, "programs/cue_counted")
        if entry.get("marked"):
            # งานวันเด็กแห่งชาติ: a day's event is named by the day
            if pos == spaced and text.startswith(tuple(entry.get("event_heads", ())), pos):
                end = self._thai_end(doc, pos)
                if end > pos + 4 and not self._generic(text[pos:end], doc, pos):
                    end = self._ordinal_end(text, end)
                    return self._make(doc, pos, end, "programs/cue_event_day")
            # งาน "..." / งานสัมมนา "...": only a quote after a short descriptor names an event.
            return self._descriptor_quote(doc, cue_end, cue_start)
        if spaced != pos:
            return None  # "โครงการ ได้แก่...", "โครงการ 9,992 ล้านบาท": no name
        # 4. Thai name; a known name at its start is the whole name (โครงการเราชนะใช้จ่าย...)
        start = pos
        if self.p.known_re is not None:
            k = self.p.known_re.match(text, start)
            if k is not None and doc.ends_token(k.end()):
                return self._make(doc, start, self._ordinal_end(text, k.end()), "programs/cue_known")
        end = self._thai_end(doc, start)
        if end <= start:
            return None
        ss = self.p.start_stop_re.match(text, start)
        if ss is not None and (doc.ends_token(ss.end()) or len(ss.group()) >= 5):
            return None  # โครงการแล้วเสร็จ, หากโครงการเกิดความล่าช้า: the cue is a common noun
        chunk = text[start:end]
        if self._generic(chunk, doc, start) or _one_token(doc, start, end) or chunk in _dictionary():
            return None  # โครงการดังกล่าว; โครงการวิจัย, โครงการเยียวยา: a common noun, not a name
        if self.p.plural_re.match(text, end):
            return None  # โครงการเกษตรอินทรีย์ต่าง ๆ: a kind of project, not one named
        if text.startswith(tuple(entry.get("not_before", ())), start):
            return None  # กิจกรรมการฝึกอบรม...: an activity described, not named
        # a short descriptor followed by a quote: กิจกรรมรณรงค์ “...”, งานสัมมนาครั้งใหญ่ “...”
        if end - start <= 15:
            dq = self._descriptor_quote(doc, start, cue_start)
            if dq is not None:
                return dq
        end, aliases, extra = self._extend(doc, start, end)
        name_start = cue_start if prefix else start
        return self._make(doc, name_start, end, "programs/cue_thai", aliases=aliases, extra_aliases=extra)

    def _after_name_cue(self, doc: Doc, pos: int) -> Mention | None:
        """ในชื่อ X / ภายใต้ชื่อ "X": a quoted or Latin-script name."""
        text = doc.norm
        q = self._quoted(doc, pos)
        if q is not None:
            return self._quoted_mention(doc, q, pos, "programs/named_quoted")
        lat = self._latin(text, _SPACES.match(text, pos).end())
        if lat is not None:
            s, e = lat
            return self._make(doc, s, self._ordinal_end(text, e), "programs/named_latin")
        return None

    # -- name pieces -----------------------------------------------------------
    def _quoted(self, doc: Doc, pos: int) -> tuple[int, int, int] | None:
        """(start, end) of the content of a quote opening at ``pos`` (after spaces), and the end of the quote."""
        text = doc.norm
        m = _QUOTE_OPEN.match(text, pos)
        if m is None or _closes(doc, m.start(1)):
            return None
        q = m.group(1)
        s = m.end()
        e = text.find(q, s, s + 160)
        if e < 0 or "\n" in text[s:e]:
            return None
        after = e + 1
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if e - s < 2:
            return None
        return s, e, after

    def _quoted_mention(self, doc: Doc, span: tuple[int, int, int], cue_start: int, rule: str) -> Mention | None:
        s, e, after = span
        name = doc.norm[s:e]
        if self._generic(name):
            return None
        aliases: list[str] = []
        # “พาณิชย์ลดราคา ! ช่วยประชาชน” Lot 1-6: the ordinal after the quote is part of the name
        o = self.p.ordinal_re.match(doc.norm, after)
        if o is not None and (o.end() >= len(doc.norm) or not doc.norm[o.end()].isdigit()):
            full = f"{name} {o.group().strip()}"
            return self._make(doc, s, e, rule, aliases=[name], mention_end=o.end(), name=full)
        tail = self._title_tail(doc, after)
        if tail is not None:
            # นิทรรศการ "หมูเด้ง" Soft Power จาก...: the quote is the head of a longer title
            full = f"{name} {' '.join(doc.norm[after:tail].split())}"
            return self._make(doc, s, e, rule, aliases=[name], mention_end=tail, name=full)
        # Bilingual quoted names: "นักส่งเสริมดิจิทัลพัฒนาเมืองรุ่นใหม่ The Smart City Ambassadors"
        m = re.match(rf"(.*[{_THAI}][^A-Za-z]*?) ((?:The |the )?[A-Z][A-Za-z0-9#&+'.-]*(?: [A-Za-z0-9#&+'.-]+)+)$", name)
        if m and not _HAS_THAI.search(m.group(2)) and not self.p.ordinal_re.fullmatch(" " + m.group(2)):
            aliases = [m.group(2), name]
            name_end = s + len(m.group(1))
            return self._make(doc, s, name_end, rule, aliases=aliases + self._paren_aliases(doc.norm, after),
                              mention_end=e)
        return self._make(doc, s, e, rule, aliases=self._paren_aliases(doc.norm, after))

    def _title_tail(self, doc: Doc, after: int) -> int | None:
        """End of a Latin-script run (and a clean Thai phrase) that continues a quoted title."""
        text = doc.norm
        sp = _SPACES.match(text, after).end()
        if sp - after != 1:
            return None
        lat = self._latin(text, sp)
        if lat is None or not text[sp].isupper() or self.p.ordinal_re.match(text, after):
            return None
        end = lat[1]
        sp = _SPACES.match(text, end).end()
        if sp - end == 1:
            c = _CHUNK.match(text, sp)
            if c is not None and _HAS_THAI.match(c.group()) and self._thai_end(doc, sp) == c.end():
                end = c.end()
        return end

    def _descriptor_quote(self, doc: Doc, pos: int, cue_start: int) -> Mention | None:
        """A quote after at most a short descriptor: งานสัมมนาครั้งใหญ่ “Digital Korat”."""
        text = doc.norm
        c = _CHUNK.match(text, pos)
        clean = c is not None and c.end() - pos <= 20 and _HAS_THAI.search(c.group()) is not None
        # the descriptor is a plain noun phrase (สัมมนาครั้งใหญ่), not a clause (ภายใต้แนวคิด)
        after = c.end() if clean and self._thai_end(doc, pos) == c.end() else pos
        q = self._quoted(doc, after)
        if q is None:
            lat = self._latin(text, _SPACES.match(text, after).end()) if after == pos else None
            if lat is None:
                return None
            s, e = lat
            e = self._ordinal_end(text, e)
            return self._make(doc, s, e, "programs/cue_latin", aliases=self._paren_aliases(text, e))
        return self._quoted_mention(doc, q, cue_start, "programs/cue_quoted")

    def _latin(self, text: str, pos: int) -> tuple[int, int] | None:
        """A Latin-script run starting at ``pos`` that can be a program name."""
        m = _LATIN_RUN.match(text, pos)
        if m is None:
            return None
        s, e = m.start(), m.end()
        name = text[s:e].rstrip(" -:&.")
        e = s + len(name)
        if not _HAS_UPPER.search(name) or name.casefold() in self.p.not_program:
            return None
        if name.isdigit() or len(name) < 2:
            return None
        if e < len(text) and (text[e].isalpha() and not _HAS_THAI.match(text[e])):
            return None
        return s, e

    def _thai_end(self, doc: Doc, start: int) -> int:
        """Where an unquoted Thai name starting at ``start`` ends (``start`` if nothing)."""
        text = doc.norm
        c = _CHUNK.match(text, start)
        if c is None or not text[start].isalnum():
            return start  # "โครงการ/รายการ...": no name starts with punctuation
        end = c.end()
        # trailing ฯ (abbreviation mark) and dots are not part of the name
        cut = end
        for rx in (self.p.stop_re, self.p.phrase_re, self.p.org_after_re):
            for m in rx.finditer(text, start, end):
                if m.start() >= cut:
                    break
                if not doc.starts_token(m.start()):
                    continue
                if (rx is self.p.stop_re and len(m.group()) < 5 and not doc.ends_token(m.end())
                        and m.end() != end and not self._stop_compound(doc, m.end())):
                    continue  # ที่ in ที่ดิน, มี in มีชีวิต; but ที่|จะ, ได้|ที่ written as one token do stop
                if rx is self.p.stop_re and m.start() > start and _after_nominaliser(text, m.start()):
                    continue  # การเป็น..., การได้...: part of a verb noun
                if m.group() == "ที่" and text.endswith(self.p.ordinal_heads, start, m.start()):
                    continue  # ระยะที่ 2, ครั้งที่ 3 written inside the phrase
                if m.start() == start and rx is not self.p.org_after_re:
                    return start  # starts with a clause word: no name
                cut = m.start()
                break
        for m in self.p.soft_re.finditer(text, start, cut):
            if m.start() == start:
                return start
            if not (doc.starts_token(m.start()) and doc.ends_token(m.end())):
                continue
            rest = text[m.end():end]
            # "...บัตรเครดิตและสินเชื่อส่วนบุคคล" keeps its และ; "...สังคมและโรงพยาบาล...ที่..." does not,
            # nor "เราเที่ยวด้วยกันและคนละครึ่ง" (another name follows); มี stays only in a short
            # rhyme (ชำระดีมีคืน), not before a clause (...มีผู้เข้าร่วม).
            if (cut < end or self.p.soft_re.search(rest) or self.p.stop_re.search(rest)
                    or (m.group() == "มี" and not 0 < len(rest) <= 6) or self._starts_name(rest)):
                cut = m.start()
                break
        while cut > start and text[cut - 1] in "ฯ.-:/":
            cut -= 1
        if cut < end:
            # cut by a stop word: a preposition left hanging is not part of the name (พัฒนาด้าน|ต่างๆ)
            cut = self._strip_dangling(doc, start, cut)
        return cut

    def _strip_dangling(self, doc: Doc, start: int, end: int) -> int:
        while True:
            d = self.p.dangling_re.search(doc.norm, start, end)
            if d is None or d.start() <= start or not doc.starts_token(d.start()):
                return end
            end = d.start()

    def _starts_name(self, text: str) -> bool:
        """Another name begins here: a known program, a cue word, an organisation."""
        return bool((self.p.known_re is not None and self.p.known_re.match(text))
                    or self.p.cue_re.match(text) or self.p.org_head_re.match(text))

    def _stop_compound(self, doc: Doc, pos: int) -> bool:
        """The rest of the token that a stop word begins is another stop word (ที่จะ, ได้ที่, ที่ผ่านมา)."""
        end = next((e for e in range(pos, pos + 16) if doc.ends_token(e)), pos)
        rest = doc.norm[pos:end]
        return bool(rest) and (self.p.stop_re.match(rest) is not None or self.p.soft_re.match(rest) is not None)

    def _extend(self, doc: Doc, start: int, end: int) -> tuple[int, list[str], list[str]]:
        """Ordinal, Latin tail and parenthesised alias after a Thai name."""
        text = doc.norm
        clean = end == _CHUNK.match(text, start).end()
        end = self._ordinal_end(text, end)
        if clean:
            end = self._dangling(doc, start, end)
            sp = _SPACES.match(text, end).end()
            if sp > end and sp - end <= 2:
                lat = self._latin(text, sp)
                if lat is not None and text[lat[0]].isupper() and text[lat[0]:lat[1]].casefold() not in self.p.not_program:
                    end = self._ordinal_end(text, lat[1])
        aliases = self._paren_aliases(text, end) + self._or_alias(doc, end)
        extra: list[str] = []
        if not aliases and clean:
            # up to two more words, then a Latin-script parenthesis: the words belong to the name
            far = self._paren_ahead(doc, end)
            if far is not None:
                new_end, aliases = far
                extra.append(text[start:end])
                end = new_end
            else:
                # one more phrase, then โดย/ซึ่ง opening the explanation: the phrase is the name's
                # second half (กิจกรรมสานพลังประชารัฐ จัดหางานให้ผู้สูงอายุ โดย...); the first half stays an alias
                second = self._second_half(doc, end)
                if second is not None:
                    extra.append(text[start:end])
                    end = second
        return end, aliases, extra

    def _second_half(self, doc: Doc, end: int) -> int | None:
        text = doc.norm
        sp = _SPACES.match(text, end).end()
        if sp - end != 1 or not _HAS_THAI.match(text, sp):
            return None
        c = _CHUNK.match(text, sp)
        if c is None or c.end() - sp > 30 or self._thai_end(doc, sp) != c.end():
            return None
        if (self._starts_name(text[sp:c.end()]) or text.startswith(self.p.dangling_words, sp)
                or self.p.start_stop_re.match(text, sp)):
            return None
        return c.end() if _EXPLAINS.match(text, c.end()) else None

    def _dangling(self, doc: Doc, start: int, end: int) -> int:
        """A name cannot end on a preposition: ...ประยุกต์สู่ “โคก หนอง นา” runs on across the space."""
        text = doc.norm
        d = self.p.dangling_re.search(text, start, end)
        if d is None or d.start() == start or not doc.starts_token(d.start()):
            return end
        sp = _SPACES.match(text, end).end()
        if sp == end or sp - end > 2:
            return self._strip_dangling(doc, start, end)
        q = self._quoted(doc, sp)
        if q is not None:
            return q[2]
        if self.p.known_re is not None:
            k = self.p.known_re.match(text, sp)
            if k is not None:
                return k.end()
        if not _HAS_THAI.match(text, sp) or self.p.cue_re.match(text, sp):
            return self._strip_dangling(doc, start, end)
        nxt = self._thai_end(doc, sp)
        return nxt if nxt > sp else self._strip_dangling(doc, start, end)

    def _ordinal_end(self, text: str, end: int) -> int:
        if text.endswith("เงิน", 0, end):
            # a sum of money names the program: เติมเงิน 10,000 บาท
            money = _MONEY.match(text, end)
            if money is not None:
                end = money.end()
        m = self.p.ordinal_re.match(text, end) or _YEAR.match(text, end)
        if m is None and self.p.ordinal_tail_re.search(text, max(0, end - 30), end):
            m = _NUMBER.match(text, end)
        if m is not None and (m.end() >= len(text) or not text[m.end()].isdigit()):
            return m.end()
        return end

    def _paren_aliases(self, text: str, end: int) -> list[str]:
        m = _PAREN.match(text, end)
        if m is None:
            return []
        inner = m.group(1).strip()
        if _HAS_THAI.search(inner) or not _HAS_UPPER.search(inner):
            return []
        out = []
        nested = re.match(r"(.*?)\s*\(([^()]*)\)\s*$", inner)
        if nested:
            out = [nested.group(1).strip(), nested.group(2).strip()]
        else:
            out = [x.strip() for x in re.split(r"\s*[,;]\s*", inner) if x.strip()]
            if len(out) > 1 and any(len(x) > 12 for x in out[1:]):
                out = [inner]
        return [x for x in out if len(x) >= 2 and x.casefold() not in self.p.not_program]

    def _or_alias(self, doc: Doc, end: int) -> list[str]:
        """X หรือ Land Bridge / X หรือ “...”: the other name given right after."""
        text = doc.norm
        m = _OR.match(text, end)
        if m is None:
            return []
        q = self._quoted(doc, m.end())
        if q is not None and q[1] - q[0] <= 60:
            return [text[q[0]:q[1]]]
        lat = self._latin(text, m.end())
        if lat is not None and text[lat[0]].isupper():
            return [text[lat[0]:self._ordinal_end(text, lat[1])]]
        return []

    def _paren_ahead(self, doc: Doc, end: int) -> tuple[int, list[str]] | None:
        text = doc.norm
        pos = end
        for _ in range(2):
            sp = _SPACES.match(text, pos).end()
            if sp == pos or sp - pos > 2:
                return None
            c = _CHUNK.match(text, sp)
            if c is None:
                return None
            w = c.group()
            if self.p.stop_re.match(w) and not w.startswith("เพื่อ") or self.p.soft_re.match(w):
                return None
            if self.p.org_after_re.match(w) or any(w.startswith(h) for h in ("จังหวัด", "จ.", "อำเภอ")):
                return None
            pos = c.end()
            aliases = self._paren_aliases(text, pos)
            if aliases and pos - end <= 40:
                return pos, aliases
        return None

    def _generic(self, name: str, doc: Doc | None = None, start: int | None = None) -> bool:
        """Generic phrases (ดังกล่าว, ต่าง ๆ, ทางเศรษฐกิจ...), not names.

        A generic head counts only when it is a whole word: ที่ starts
        ที่ดินทำกิน, ของ starts ของขวัญปีใหม่, and those are names.  With no
        document to tell word boundaries, a head must be the whole name.
        """
        k = _key(name, self.p.strip_cues)
        if not k or k in self.p.generic or len(k) < 2 or not _HAS_LETTER.search(k):
            return True
        h = self.p.generic_head_re.match(name)
        if h is None:
            return False
        if h.end() == len(name):
            return True
        return doc is not None and start is not None and doc.ends_token(start + h.end())

    # -- cue-less rules ----------------------------------------------------------
    def _suffixed(self, doc: Doc) -> list[Mention]:
        """Quoted names and Latin runs ending in a program word: “โคราชโมเดล”, BCG Model, ... Expo 2027."""
        text = doc.norm
        out = []
        pos = 0
        while (m := _QUOTE_CHAR.search(text, pos)) is not None:
            q = self._quoted(doc, m.start())
            if q is None:
                pos = m.end()
                continue
            s, e, pos = q  # go on after the closing quote, so that no "quote" runs between two quotes
            if e - s <= 60 and self.p.suffix_re.search(text, s, e):
                mm = self._make(doc, s, e, "programs/quoted_suffix")
                if mm is not None:
                    out.append(mm)
        seen_runs: set[int] = set()
        for m in self.p.latin_suffix_re.finditer(text):
            # widen back over the Latin-script run that the program word ends
            s = m.start()
            while s > 0 and s > m.start() - 60 and _LATIN_CHAR.match(text, s - 1):
                s -= 1
            r = _LATIN_RUN.search(text, s, m.end() + 8)
            if r is None or r.start() in seen_runs:
                continue
            seen_runs.add(r.start())
            name = r.group().rstrip(" -:&.")
            if " " in name and _HAS_UPPER.match(name) and self.p.suffix_re.search(name):
                if r.start() > 0 and text[r.start() - 1] in "\"'":
                    continue
                mm = self._make(doc, r.start(), r.start() + len(name), "programs/latin_suffix")
                if mm is not None:
                    out.append(mm)
        for m in re.finditer("โมเดล", text):
            # the one word before โมเดล names the model: โคราชโมเดล (but not ตามโมเดล)
            p = m.start()
            s = next((i for i in range(p - 2, max(-1, p - 16), -1) if doc.starts_token(i)), -1)
            if s < 0 or not _HAS_THAI.match(text[s]) or not _HAS_THAI.match(text[p - 1]):
                continue
            if m.end() < len(text) and _HAS_THAI.match(text[m.end()]):
                continue  # โมเดลเศรษฐกิจ: "model" as a common noun
            word = text[s:p]
            if (self.p.stop_re.fullmatch(word) or self.p.soft_re.fullmatch(word) or self._generic(word)
                    or word in self.p.not_model):
                continue
            mm = self._make(doc, s, m.end(), "programs/thai_model")
            if mm is not None:
                out.append(mm)
        return out

    def _known(self, doc: Doc) -> list[Mention]:
        if self.p.known_re is None:
            return []
        out = []
        for m in self.p.known_re.finditer(doc.norm):
            s = m.start()
            # standalone (after a space, a quote, a bracket), not the tail of another name (แอ่วเหนือคนละครึ่ง)
            if ((s == 0 or not _HAS_THAI.match(doc.norm[s - 1]) or doc.norm.endswith(self.p.before_known, 0, s))
                    and doc.starts_token(s) and doc.ends_token(m.end())):
                end = self._ordinal_end(doc.norm, m.end())
                mm = self._make(doc, m.start(), end, "programs/known")
                if mm is not None:
                    out.append(mm)
        return out

    def _echoes(self, doc: Doc, found: list[Mention], urls: list[tuple[int, int]]) -> list[Mention]:
        """Other places that spell a found name exactly (headline, quote without cue)."""
        names = {m.attrs["name"] for m in found if len(m.attrs["name"]) >= 4}
        if not names:
            return []
        text = doc.norm
        taken = [(m.norm_start, m.norm_end) for m in found]
        out = []
        for name in names:  # a handful per article: str.find beats compiling a regex per article
            s = text.find(name)
            while s >= 0:
                e = s + len(name)
                # only where the name stands alone (after a space, a quote, a bracket), not inside a clause
                if ((s == 0 or not _HAS_THAI.match(text[s - 1])) and (e == len(text) or not _HAS_THAI.match(text[e]))
                        and not any(ts < e and s < te for ts, te in taken)
                        and not any(us < e and s < ue for us, ue in urls)):
                    mm = self._make(doc, s, e, "programs/echo")
                    if mm is not None:
                        out.append(mm)
                s = text.find(name, e)
        return out

    # -- building mentions -------------------------------------------------------
    def _make(self, doc: Doc, start: int, end: int, rule: str, aliases: list[str] | None = None,
              mention_start: int | None = None, mention_end: int | None = None,
              extra_aliases: list[str] | None = None, name: str | None = None) -> Mention | None:
        name = " ".join((name or doc.norm[start:end]).replace('"', " ").split())
        if not name or self._generic(name, doc, start) or len(name) > 200 or self.p.org_tail_re.search(name):
            return None
        al = [a for a in (aliases or []) + (extra_aliases or []) if a and a != name]
        ms = start if mention_start is None else min(mention_start, start)
        me = end if mention_end is None else max(mention_end, end)
        return doc.mention(FAMILY, ms, me, rule, _key(name, self.p.strip_cues), name=name, aliases=al)

    # -- resolution ------------------------------------------------------------------
    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]:
        strip = self.p.strip_cues
        parent = list(range(len(mentions)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owner: dict[str, int] = {}
        for i, m in enumerate(mentions):
            for k in [m.key, *(_key(a, strip) for a in m.attrs.get("aliases", []))]:
                if k in owner:
                    parent[find(i)] = find(owner[k])
                else:
                    owner[k] = i
        groups: dict[int, list[Mention]] = {}
        for i, m in enumerate(mentions):
            groups.setdefault(find(i), []).append(m)
        _merge_prefixes(groups, strip, self.p.variant_tail_re)
        facts = []
        for ms in groups.values():
            ms.sort(key=lambda m: m.norm_start)
            name = _fullest(ms)
            key = _key(name, strip)
            # aliases differ as the scorer sees them: ปี 67 is kept beside ปี 2567 (same merge key)
            seen = {_key(name, strip, years=False)}
            aliases = []
            candidates = [m.attrs["name"] for m in ms] + [a for m in ms for a in m.attrs.get("aliases", [])]
            b = self.p.strip_ordinal_re.sub("", name)
            if b != name:
                candidates.append(b)
            for a in candidates:
                k = _key(a, strip, years=False)
                if k and k not in seen:
                    seen.add(k)
                    aliases.append(a)
            facts.append(Fact(FAMILY, key, {"name": name, "aliases": aliases}, ms, doc.doc_id))
        return facts


def _merge_prefixes(groups: dict[int, list[Mention]], strip: list[str], variant_tail: re.Pattern[str]) -> None:
    """A shorter name joins the one longer name it begins (its only ordinal variant or fuller form).

    นักดิจิทัลพัฒนาเมืองรุ่นใหม่ joins ... รุ่นที่ 2; ป่าชายเลนในเมือง joins
    ป่าชายเลนในเมืองจังหวัดพังงา.  คนละครึ่ง stays apart from ระยะที่ 3 and
    ระยะที่ 4 when both are named: it cannot be told which one it means.
    """
    keys = {g: _key(_fullest(ms), strip) for g, ms in groups.items()}
    for g in sorted(groups, key=lambda g: len(keys[g])):
        k = keys[g]
        if len(k) < 5:
            continue
        longer = sorted((h for h in groups if h != g and len(keys[h]) > len(k) and keys[h].startswith(k)),
                        key=lambda h: len(keys[h]))
        # one longer name, or a chain of them each beginning the next: join the longest
        if longer and all(keys[longer[i + 1]].startswith(keys[longer[i]]) for i in range(len(longer) - 1)):
            groups[longer[-1]].extend(groups.pop(g))
            continue
        # otherwise the one that only adds a program word or an ordinal: โคก หนอง นา → โคก หนอง นา โมเดล
        variants = [h for h in longer if variant_tail.fullmatch(keys[h][len(k):])]
        if len(variants) == 1:
            groups[variants[0]].extend(groups.pop(g))


_DICTIONARY: frozenset[str] | None = None


def _dictionary() -> frozenset[str]:
    """PyThaiNLP's word list: a name that is one ordinary word (เยียวยา, ร่วมทุน) is no name."""
    global _DICTIONARY
    if _DICTIONARY is None:
        from pythainlp.corpus import thai_words

        _DICTIONARY = frozenset(thai_words())
    return _DICTIONARY


def _one_token(doc: Doc, start: int, end: int) -> bool:
    if not doc.tokens or not (doc.starts_token(start) and doc.ends_token(end)):
        return False
    return not any(doc.starts_token(i) for i in range(start + 1, end))


def _closes(doc: Doc, i: int) -> bool:
    """The quote at normalised offset ``i`` closes a quotation (so it cannot open a name).

    ``doc.norm`` writes every quote straight; the original text still tells ” from “.
    A straight quote closes when it is written against the word before it and not the word after.
    """
    o = doc.offsets.span(i, i + 1)[0]
    ch = doc.text[o] if o < len(doc.text) else ""
    if ch in "\u201d\u2019":
        return True
    if ch in "\u201c\u2018":
        return False
    text = doc.norm
    before = i > 0 and not text[i - 1].isspace() and text[i - 1] not in "([{"
    after = i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in ",.;:)]}"
    return before and after


def _urls(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _URL_HINT.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        s = m.start()
        while s > 0 and not _URL_STOP.match(text, s - 1):
            s -= 1
        e = _URL_STOP.search(text, m.end())
        spans.append((s, e.start() if e else len(text)))
    return spans


def _fullest(ms: list[Mention]) -> str:
    """The longest name written at least twice (else the longest): a name seen once and longer
    than the others may have run on into the clause (สภานักเรียน | ให้ดำเนินไป)."""
    names = [m.attrs["name"] for m in ms]
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    pool = [n for n in names if counts[n] >= 2] or names
    return max(pool, key=lambda n: (len(n.replace(" ", "")), -names.index(n)))


def _after_nominaliser(text: str, pos: int) -> bool:
    return text.endswith(("การ", "ความ"), max(0, pos - 4), pos)


def _boundary_before(text: str, pos: int) -> bool:
    return pos == 0 or not _HAS_THAI.match(text[pos - 1])


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per span; a mention inside a longer one (โคก in โคก หนอง นา) is dropped."""
    seen: set[tuple[int, int, str]] = set()
    out: list[Mention] = []
    reach = -1  # furthest end of the mentions kept so far (sorted by start, longest first)
    for m in sorted(mentions, key=lambda m: (m.norm_start, -m.norm_end)):
        k = (m.norm_start, m.norm_end, m.key)
        if k in seen:
            continue
        if m.norm_end <= reach and not any((o.norm_start, o.norm_end) == (m.norm_start, m.norm_end) for o in out):
            continue
        seen.add(k)
        out.append(m)
        reach = max(reach, m.norm_end)
    return out
