"""Where a program name ends: the name-boundary rules of the programs extractor.

Thai writes a name straight after its cue word with no space, so the rules
here decide the end: quotes, Latin-script runs, stop words and clause markers,
ordinals that belong to the name (ระยะที่ 4), Latin tails and aliases in
parentheses.  ``NameRules`` is a mixin of :class:`ProgramExtractor`; it reads
the compiled tables in ``self.p``.
"""
from __future__ import annotations

import re

from khaosan.extractors.programs_patterns import (
    _CHUNK, _EXPLAINS, _HAS_LETTER, _HAS_THAI, _HAS_UPPER, _LATIN_RUN, _MONEY, _NUMBER, _OR, _PAREN,
    _QUOTE_OPEN, _ROUTE, _SPACES, _THAI, _YEAR, FAMILY, _dictionary, _key, _Patterns,
)
from khaosan.pipeline.doc import Doc, Mention


_MAX_PHASED = 90  # characters: a longer run before a phase is a sentence, not a title
_WEAK_HEAD_WORDS = 2  # ฝึกอบรม + at most this many words is a generic training, not a title
_PURPOSE_WORDS = 2  # verb + this many words at most: พัฒนา|เมือง|อัจฉริยะ describes, a longer phrase names
# "Thai title English Title" in one quote: the English part is an alias
_BILINGUAL = re.compile(rf"(.*[{_THAI}][^A-Za-z]*?) ((?:The |the )?[A-Z][A-Za-z0-9#&+'.-]*(?: [A-Za-z0-9#&+'.-]+)+)$")
_NESTED_PAREN = re.compile(r"(.*?)\s*\(([^()]*)\)\s*$")  # (The Smart City Ambassadors 2 (SCA#2))
_LIST_SEP = re.compile(r"\s*[,;]\s*")
_ACRONYM_END = re.compile(r"(?:^|(?<=[\s]))[ก-ฮ][ก-ฮ.]{0,7}\.$")  # ธ.ก.ส., บสย.: consonants and dots only
_MEETING = re.compile(r"[ \t]?ครั้งที่[ \t]?[0-9]+/[0-9]{2,4}")


class NameRules:
    """Name pieces: quotes, Latin runs, Thai phrase ends, ordinals, aliases."""

    p: _Patterns

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
        m = _BILINGUAL.match(name)
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
        # another project named inside: the words before it only lead up to that name
        # (กิจกรรมแถลงข่าวเปิดตัว|โครงการ..., การประกวดภาพ|ในโครงการ...), which is found on its own
        for m in self.p.inner_cue_re.finditer(text, start + 1, cut):
            if doc.starts_token(m.start()):
                return start
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
        if text.startswith(".", cut) and _ACRONYM_END.search(text, start, cut + 1):
            cut += 1  # ...กับ ธ.ก.ส., ...กับ บสย.: an acronym keeps its dot
        t = self.p.tail_stop_re.search(text, start, cut)
        if t is not None and t.start() > start and doc.starts_token(t.start()) and doc.ends_token(cut):
            cut = t.start()  # ...แซนด์บ็อกซ์|ไป: a verb particle, not the name's last word
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
        bare = end
        end = self._route_end(text, self._ordinal_end(text, end))
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
                second = self._second_half(doc, end, phase=end == bare)
                if second is not None:
                    extra.append(text[start:end])
                    end = second
        return end, aliases, extra

    def _second_half(self, doc: Doc, end: int, phase: bool = False) -> int | None:
        """End of one more phrase that completes the name: one that ends on the name's phase
        (โครงการเที่ยวเมืองรอง คนไทยใจดี ระยะที่ 2), or one before โดย/ซึ่ง opening the explanation."""
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
        if phase and self.p.phase_re.match(text, c.end()):
            return self._ordinal_end(text, c.end())
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

    def _route_end(self, text: str, end: int) -> int:
        """The route or crossing an infrastructure project is named by, and a phase after it:
        ...สะพานมิตรภาพไทย-ลาวแห่งที่ 5 (บึงกาฬ-บอลิคำไซ), ...ก่อสร้างทางรถไฟ สายขอนแก่น - หนองคาย."""
        m = _ROUTE.match(text, end)
        if m is None or m.end() == end:
            return end
        return self._ordinal_end(text, m.end())

    def _ordinal_end(self, text: str, end: int) -> int:
        if text.endswith("เงิน", 0, end):
            # a sum of money names the program: เติมเงิน 10,000 บาท
            money = _MONEY.match(text, end)
            if money is not None:
                end = money.end()
        m = self.p.ordinal_re.match(text, end)
        if m is not None and _MEETING.fullmatch(m.group()):
            return end  # ครั้งที่ 3/2568 numbers a meeting of the year, not a program's edition
        m = m or _YEAR.match(text, end)
        if m is None and (self.p.ordinal_tail_re.search(text, max(0, end - 30), end)
                          or self.p.numbered_tail_re.search(text, max(0, end - 12), end)):
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
        nested = _NESTED_PAREN.match(inner)
        if nested:
            out = [nested.group(1).strip(), nested.group(2).strip()]
        else:
            out = [x.strip() for x in _LIST_SEP.split(inner) if x.strip()]
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
            if (self.p.org_after_re.match(w) or any(w.startswith(h) for h in ("จังหวัด", "จ.", "อำเภอ"))
                    or self.p.inner_cue_re.search(w)):
                return None  # a place, an organisation or another project: not this name's words
            pos = c.end()
            aliases = self._paren_aliases(text, pos)
            if aliases and pos - end <= 40:
                return pos, aliases
        return None

    def _phase_end(self, doc: Doc, start: int, cut: int) -> int:
        """A phrase written up to its phase is a name whole: ...ให้แก่ผู้ที่ต้องการความช่วยเหลือเป็นพิเศษ ระยะที่ 2.

        An official title may hold function words (ให้แก่, ที่, เป็น, มี) that would end an
        ordinary phrase; the phase right after the phrase shows that the title runs to it.
        A clause word other than those (ซึ่ง, ได้, จะ, ว่า...) still ends the name.
        """
        text = doc.norm
        c = _CHUNK.match(text, start)
        if c is None or c.end() <= cut or c.end() - start > _MAX_PHASED or not self.p.phase_re.match(text, c.end()):
            return cut
        for rx in (self.p.stop_re, self.p.phrase_re):
            for m in rx.finditer(text, start, c.end()):
                if not doc.starts_token(m.start()) or m.group() in self.p.inner_words:
                    continue
                if rx is self.p.stop_re and len(m.group()) < 5 and not doc.ends_token(m.end()):
                    continue  # ที่ in ที่ดิน
                return cut
        return c.end()

    def _purpose_only(self, doc: Doc, start: int, end: int) -> bool:
        """Verb + one or two words (กระตุ้น|เศรษฐกิจ, พัฒนา|เมือง|อัจฉริยะ) and nothing after: a description.

        The verb is matched on the text, not on tokens: the tokenizer may join it to the cue
        (โครง|การพัฒนา|เมือง).
        """
        if not doc.tokenized or not doc.ends_token(end):
            return False
        v = self.p.purpose_re.match(doc.norm, start, end)
        if v is None or not doc.ends_token(v.end()):
            return False
        cuts = [i for i in range(v.end() + 1, end) if doc.starts_token(i)]
        if len(cuts) >= _PURPOSE_WORDS:
            return False
        # a word the dictionary does not know is a proper name: พัฒนาที่ดิน|มูลนิธิชัยพัฒนา
        words = _dictionary()
        bounds = [v.end(), *cuts, end]
        if any(doc.norm[a:b] not in words for a, b in zip(bounds, bounds[1:])):
            return False
        # a place makes it one project: พัฒนาท่าอากาศยานกระบี่, ปรับปรุงท่าเรือภูเก็ต
        return not any(m.norm_start < end and start < m.norm_end for m in doc.mentions_of("provinces"))

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
        if doc is None or start is None or not doc.ends_token(start + h.end()):
            return False
        if h.group() in self.p.weak_heads:
            # ฝึกอบรมอาชีพ is generic; ฝึกอบรมก่อนมอบหนังสืออนุญาต... is a training project's title,
            # written whole up to the white space (not cut off in a clause: อบรมล่าม|ในรุ่นต่อไป)
            c = _CHUNK.match(doc.norm, start)
            rest = sum(1 for i in range(start + h.end(), start + len(name)) if doc.starts_token(i))
            return rest <= _WEAK_HEAD_WORDS or c is None or c.end() > start + len(name)
        return True

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



def _one_token(doc: Doc, start: int, end: int) -> bool:
    if not doc.tokenized or not (doc.starts_token(start) and doc.ends_token(end)):
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



def _after_nominaliser(text: str, pos: int) -> bool:
    return text.endswith(("การ", "ความ"), max(0, pos - 4), pos)

