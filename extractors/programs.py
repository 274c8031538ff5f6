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
   A phrase written up to its phase (…ให้แก่ผู้มีบัตรสวัสดิการแห่งรัฐ ระยะที่ 4)
   is a name whole, function words and all; ครั้งที่ 3/2568 numbers a meeting.

What is no name: a verb and one or two ordinary words (โครงการกระตุ้นเศรษฐกิจ,
โครงการเพิ่มกำลังซื้อ) with no phase, year or place; a phrase pointing back
(…ครั้งนี้); words leading up to another project's cue; a measure after
โครงการ (โครงการมาตรการ…).  Without a cue, the one-unit-one-thing pattern
(หนึ่งหมู่บ้านหนึ่ง…) names a program, unless it is an allocation (1 จังหวัด 1 หลัง).

Cue words, stop words, generic phrases (โครงการดังกล่าว, กิจกรรมต่าง ๆ) and
ordinal words are data: ``data/curated/program_patterns.json``.  The name
boundaries live in ``programs_names``, the tables in ``programs_patterns``,
resolution in ``programs_resolve``.

Resolution merges mentions whose names or aliases share a key (the scorer's
``program_key``: case-folded, no spaces or quotes, no leading โครงการ/กิจกรรม;
เฟส 4 and Phase 4 read as ระยะที่ 4), folds a bare name (นักดิจิทัลพัฒนาเมืองรุ่นใหม่)
into its only ordinal variant (... รุ่นที่ 2), and joins two spellings that differ
by a few Thai letters inside (ร่วมใจแก้หนี้ / ร่วมใจแก้ไขหนี้).  "โครงการฯ" refers
back and adds nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.programs_names import NameRules, _one_token
from khaosan.extractors.programs_patterns import (  # noqa: F401  (_key, patterns: public to tests)
    _COUNTED, _HAS_THAI, _HAS_UPPER, _LATIN_CHAR, _LATIN_RUN, _QUOTE_CHAR, _SPACES, _THAI, _URL_HINT,
    _URL_STOP, FAMILY, _dictionary, _key, _rx, patterns,
)
from khaosan.extractors.programs_resolve import resolve_programs
from khaosan.extractors.word_regex import MultiScan
from khaosan.pipeline.doc import Doc, Fact, Mention

_MODEL = re.compile("โมเดล")

def _known_heads(known: Iterable[str]) -> list[str]:
    """What a match of a known name begins with: its first two words, with or without a space
    or a tab between them (``known_re`` writes each space as ``[ \t]?``)."""
    heads = set()
    for name in known:
        first, *rest = name.split(" ", 2)
        heads.update([first + gap + rest[0] for gap in ("", " ", "\t")] if rest else [first])
    return sorted(heads)


class ProgramExtractor(NameRules, RuleExtractor):
    name = "programs"
    family = FAMILY
    requires = ("provinces",)  # a province in a short verb phrase makes it a named project
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
        # (Or right after an opening quote: “สินเชื่อสู้ภัย COVID-19” quotes the whole name.)
        self.scan_re = re.compile(
            rf"{plain}|(?:{marked})(?=[ \t]?[\"'A-Za-z0-9]|[{_THAI}]{{1,20}}[ \t]?[\"']|(?:{heads}))"
            rf"|(?<=[\"'])(?:{marked})")
        # The whole-text scans in one pass (word_regex.MultiScan), each with the words its matches begin with.
        p = self.p
        self._text_scan = MultiScan([
            (self.scan_re, active),
            (p.name_cue_re, p.name_cues),
            (p.latin_suffix_re, p.latin_suffixes),
            # With their heads written on to the next word, as the patterns allow it (หนึ่ง|1 ?unit;
            # a known name's space as [ \t]?): a bare "1" would be tried at every number one.
            (p.counted_re, ("หนึ่ง", "1"),
             [one + space + unit for one in ("หนึ่ง", "1") for space in ("", " ") for unit in p.counted_units]),
            *([(p.known_re, p.known, _known_heads(p.known))] if p.known_re is not None else []),
        ])

    def dictionary_words(self) -> Iterable[str]:
        # Cue words whole, so that โครงการ is not cut into โครง|การ... by the tokenizer.
        return [*self.p.cues, *self.p.known]

    # -- extraction ----------------------------------------------------------
    def extract(self, doc: Doc) -> list[Mention]:
        text = doc.norm
        urls = _urls(text)

        def in_url(s: int, e: int) -> bool:
            for us, ue in urls:  # (a loop: asked for every cue, and most articles have no URL)
                if us < e and s < ue:
                    return True
            return False

        scanned = self._text_scan.scan(text)
        found: list[Mention] = []
        for m in scanned[self.scan_re]:
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
            mention = self._quoted_from_cue(doc, m.start(), m.end(), entry) \
                or self._after_cue(doc, m.start(), m.end(), entry)
            if mention is not None:
                found.append(mention)
        for m in scanned[self.p.name_cue_re]:
            mention = self._after_name_cue(doc, m.end())
            if mention is not None:
                found.append(mention)
        found.extend(self._suffixed(doc, scanned[self.p.latin_suffix_re]))
        found.extend(self._counted(doc, scanned[self.p.counted_re]))
        if self.p.known_re is not None:
            found.extend(self._known(doc, scanned[self.p.known_re]))
        found = _dedupe([f for f in found if not in_url(f.norm_start, f.norm_end)])
        found.extend(self._echoes(doc, found, urls))
        return _dedupe(found)

    def _quoted_from_cue(self, doc: Doc, cue_start: int, cue_end: int, entry: dict[str, Any]) -> Mention | None:
        """“สินเชื่ออิ่มใจ”, "โครงการบ้านมั่นคง ปี 2567": a quote that opens on the cue word holds the whole name
        (without the cue word where the cue is not part of names: โครงการ, กิจกรรม)."""
        text = doc.norm
        if cue_start == 0 or text[cue_start - 1] not in "\"'":
            return None
        q = self._quoted(doc, cue_start - 1)
        if q is None or q[0] != cue_start or q[1] - cue_end < 2 or not _HAS_THAI.search(text, cue_end, q[1]):
            return None  # (“ปฏิบัติการ Cyber Strike”: the English name after the cue is read by _after_cue)
        if entry.get("strip"):
            q = (_SPACES.match(text, cue_end).end(), q[1], q[2])
        return self._quoted_mention(doc, q, cue_start, "programs/quoted_cue")

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
        end = self._phase_end(doc, start, end)
        if self.p.demonstrative_re.match(text, end):
            return None  # แคมเปญสุดพิเศษ|ครั้งนี้, โครงการ...|ดังกล่าว: a description pointing back
        ss = self.p.start_stop_re.match(text, start)
        if ss is not None and (doc.ends_token(ss.end()) or len(ss.group()) >= 5):
            return None  # โครงการแล้วเสร็จ, หากโครงการเกิดความล่าช้า: the cue is a common noun
        chunk = text[start:end]
        if (self._generic(chunk, doc, start) or _one_token(doc, start, end) or chunk in _dictionary()
                or text.startswith(tuple(entry.get("not_before", ())), start)):
            # โครงการดังกล่าว; โครงการวิจัย; กิจกรรมการฝึกอบรม...: a common noun or an activity described,
            # but a quote after it is the name: กิจกรรมการท่องเที่ยวไทย “Amazing Thailand ...”
            if end - start > 20 or text.startswith(self.p.dangling_words, start):
                return None  # โครงการด้าน “การบำรุงสุข”: a field of work, not a name
            return self._descriptor_quote(doc, start, cue_start)
        if self.p.plural_re.match(text, end):
            return None  # โครงการเกษตรอินทรีย์ต่าง ๆ: a kind of project, not one named
        # a short descriptor followed by a quote: กิจกรรมรณรงค์ “...”, งานสัมมนาครั้งใหญ่ “...”
        if end - start <= 15:
            dq = self._descriptor_quote(doc, start, cue_start)
            if dq is not None:
                return dq
        o = self.p.optional_cue_re.match(text, start)
        if strip and o is not None and (doc.ends_token(o.end()) or len(o.group()) >= 5):  # not แผน|ที่
            return None  # โครงการมาตรการเยียวยา...: a measure described (optional at best)
        bare_end = end
        end, aliases, extra = self._extend(doc, start, end)
        if strip and end == bare_end and not aliases and self._purpose_only(doc, start, end):
            return None  # โครงการกระตุ้นเศรษฐกิจ, โครงการเพิ่มกำลังซื้อ: what the project does, no name
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
    # -- cue-less rules ----------------------------------------------------------
    def _suffixed(self, doc: Doc, latin_suffixes: list[re.Match[str]]) -> list[Mention]:
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
        for m in latin_suffixes:
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
        for m in _MODEL.finditer(text):
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

    def _counted(self, doc: Doc, counted: list[re.Match[str]]) -> list[Mention]:
        """หนึ่งหมู่บ้านหนึ่งเชฟ..., 1 ตำบล 1 กลุ่ม...: the one-unit-one-thing pattern names a program by itself."""
        text = doc.norm
        out = []
        for m in counted:
            s = m.start()
            if s > 0 and (text[s - 1].isdigit() or text[s - 1] in ",."):
                continue  # 21 ตำบล 1...: part of a larger number
            if not (doc.starts_token(s) or _boundary_before(text, s)):
                continue
            lat = self._latin(text, m.end())  # 1 ครอบครัว 1 Soft Power
            end = lat[1] if lat is not None else self._thai_end(doc, m.end())
            rest = text[m.end():end]
            if end > m.end() and rest not in self.p.classifiers and not self.p.counted_unit_re.fullmatch(rest):
                # not a quota or an allocation: 1 จังหวัด 1 หลัง, 1 อำเภอ 1 โรงเรียน
                mm = self._make(doc, s, end, "programs/counted")
                if mm is not None:
                    out.append(mm)
        return out

    def _known(self, doc: Doc, known: list[re.Match[str]]) -> list[Mention]:
        out = []
        for m in known:
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
    # -- resolution ------------------------------------------------------------------
    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]:
        return resolve_programs(doc, mentions, self.p)


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
