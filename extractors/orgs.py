"""orgs: named organisations — ministries, departments, agencies, companies, universities, councils.

Four sources of mentions, all on ``doc.norm``:

1. the gazetteer (``org_gazetteer``): every full name and alias, matched with one
   trie-shaped regex, longest first, at token boundaries;
2. short forms after role heads (รมว.แรงงาน, ปลัดคลัง → the ministry): ordinary
   words such as แรงงาน or คลัง name a body only there;
3. head-word patterns for bodies not in the gazetteer (กรม…, สำนักงาน…จังหวัด…,
   บริษัท … จำกัด, เทศบาลตำบล…, รพ.…, อบต.…): Thai has no capitals, so the name
   runs over tokens until a stop word, a space (unless a qualifier such as
   ``เขต 11 สงขลา`` follows) or the start of another known body;
4. definitions in parentheses, ``NAME (ACRONYM)``: the acronym becomes an alias of
   NAME everywhere in the article, and NAME is taken as a body when it starts
   with an organisation head word even if no other rule knew it.

All mentions of one body share the key (its canonical name, folded), so they
resolve into one fact with the other spellings seen as ``aliases``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khaosan.extractors.base import RuleExtractor, drop_overlaps
from khaosan.extractors.data import entries
from khaosan.extractors.org_gazetteer import OrgGazetteer, fold, org_gazetteer  # noqa: F401  (public API)
from khaosan.extractors.word_regex import MultiScan, trie_pattern
from khaosan.pipeline.doc import Doc, Fact, Mention

FAMILY = "orgs"
_THAI_MARK = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # marks that never start a syllable
_LATIN_ALNUM = re.compile(r"[A-Za-z0-9]")
_WS = re.compile(r"\s+")
_TONE = re.compile(r"[\u0e48-\u0e4c]")  # tone marks and thanthakhat: spelling variants of one name
_NAME_CHAR = re.compile(r"[\u0e01-\u0e4e0-9A-Za-z.\-]+")
# A Thai acronym carries a dot (ศปช., ก.พ.ร., กอ.รมน.): consonant-only words (นคร, ถนน) do not.
_THAI_ACRONYM = re.compile(r"^(?:[ก-ฮ]{1,5}\.){1,5}(?:[ก-ฮ]{1,4}\.?)?$")
_LATIN_ALIAS = re.compile(r"^[A-Za-z][A-Za-z0-9&.\- ]{0,60}$")
_BY_UNIT = re.compile(r"[ \t]*โดย(?:เจ้าหน้าที่)?[ \t]*$")
_NUMBERED = re.compile(r"[ \t]*(?:เขต|ภาค|ที่|พื้นที่|ศูนย์ที่)[ \t]*\d")
# Words a name never ends on (…ดูแลและ, กองทุนช่วยเหลือผู้).
_SUFFIX = re.compile(r"(?:ในพระบรมราชูปถัมภ์|ในพระราชูปถัมภ์|ในพระบรมราชินูปถัมภ์|\(องค์การมหาชน\)|ฯ)$")
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# A place word after a checkpoint head: a district (คลองใหญ่, สุไหงโก-ลก), a port or an airport, ending
# at a space, a sign or the end of the text.
_PLACE_WORD = re.compile(r"(?P<port>ท่าอากาศยาน|ท่าเรือ)?[\u0e01-\u0e2e\u0e40-\u0e44][\u0e01-\u0e4e]+"
                         r"(?:-[\u0e01-\u0e2e\u0e40-\u0e44][\u0e01-\u0e4e]*)?")
_PLACE_MAX = 14  # characters of the place itself (สุไหงโก-ลก, อรัญประเทศ, ปาดังเบซาร์)
_PLACE_STOP = frozenset(("ตรวจ", "พบ", "ตรวจพบ", "ตรวจค้น", "จับ", "จับกุม", "ยึด", "ร่วม", "ร่วมกับ", "ได้", "แล้ว",
                         "แล้วเสร็จ", "เสร็จ", "ประมาณ", "กว่า", "ราว", "จำนวน", "มี", "เป็น", "อยู่"))
_NOT_PLACE_START = re.compile(r"(?:ทั่ว|ทุก|ต่าง|ได้|ที่|ซึ่ง|และ|หรือ|จะ|ของ|ใน|แห่ง|เพื่อ|โดย|ดังกล่าว|นี้|ทาง|พื้นที่|ชายแดน|ทั้ง|ตาม|การ|ความ"
                              r"|กับ|จาก|เข้า|ออก|แต่)")
_NO_END = frozenset({"และ", "เพื่อ", "แห่ง", "ผู้", "การ", "ความ", "ของ", "ใน", "ที่", "กับ", "หรือ"})
_ADMIN_WORDS = frozenset({"จังหวัด", "อำเภอ", "ตำบล"})
_ADMIN_END = re.compile(r"(?:จังหวัด|อำเภอ|ตำบล|เขต|ภาค|หมู่บ้าน|พื้นที่|ชุมชน)$")
# Function words that never occur inside a company's name.
_COMPANY_STOP = frozenset({"มหาชน", "ได้", "ที่", "ซึ่ง", "จะ", "ว่า", "เป็น", "มี", "ให้", "หรือ", "โดย", "ไม่", "ต้อง", "ถูก", "ทุก",
                           "ดังกล่าว", "ใน", "ต่างๆ", "เหล่านี้", "อื่น", "และ", "กับ", "ของ", "ต่าง", "เอกชน", "ลูก"})
# An acronym proper (AITF, ศปช., กอ.รมน.): what may define a name no other rule knew.
_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z0-9&\-.]{1,9}|(?:[ก-ฮ]{1,5}\.){1,5}(?:[ก-ฮ]{1,4}\.?)?)$")
_URLISH = re.compile(r"www\.|https?:|@|\.(?:go\.th|or\.th|ac\.th|co\.th|com|org|net)\b", re.I)
# Role abbreviations: (รมว.พม.) after a ministry names the minister, not the ministry.
_ROLE_ABBR = re.compile(r"^(?:(?:รมว|รมช|รมต|ปกท|รปกท|ผอ|ผวจ|รผวจ|ผบ|อธ|รอธ|ผกก|ผบก|ผบช|ผบ\.ตร|นรม|สส|สว)\.|ส\.ส\.|ส\.ว\.|นายกฯ)")
# A regional unit's acronym carries its number and place: สพร.19 เชียงใหม่, ศอ.3 ชลบุรี.
_UNIT_TAIL = re.compile(r"[ \t]*\d{1,3}(?:[ \t]*(?P<place>[\u0e01-\u0e4e]+))?$")
# The secretary-general of a committee heads its office: เลขาธิการคณะกรรมการอาหารและยา.
_SECRETARY = re.compile(r"(?:เลขาธิการ|รองเลขาธิการ|ผู้ช่วยเลขาธิการ)[ \t]?$")
_PAREN = re.compile(r"\(\s*([^()\n]{1,90}?)\s*\)")
# A faculty's name right before its university: คณะแพทยศาสตร์, คณะมนุษยศาสตร์และสังคมศาสตร์, คณะวิจิตรศิลป์
_FACULTY_WORD = r"[\u0e01-\u0e4e]{1,30}?(?:ศาสตร์|ศิลป์|กรรมศาสตร์)"
_LATIN_COMPANY_WORDS = ("Co", "Ltd", "Limited", "Corp", "Inc.", "PLC", "Pte")
_LATIN_COMPANY = re.compile(
    r"(?P<name>(?:[A-Z][A-Za-z0-9&'.-]*[ \t]){1,6}"
    r"(?:(?:Public[ \t])?(?:Company|Co\.),?[ \t](?:Limited|Ltd\.?)|Pte\.?[ \t]Ltd\.?|Ltd\.|Limited|Corporation|Corp\.|Inc\.|PLC)(?![A-Za-z]))")
# บริษัท Braskem S.A., บริษัทGoogle Thailand: capitalised English words after บริษัท (a Thai legal form after
# them -- จำกัด, (ประเทศไทย) -- is the Thai company pattern's).
_THAI_HEAD_LATIN_COMPANY = re.compile(
    r"บริษัท[ \t]?(?P<latin>[A-Z][A-Za-z0-9&'.-]*(?:[ \t](?:[A-Z][A-Za-z0-9&'.-]*|S\.A\.|AG|SE|N\.V\.|B\.V\.|GmbH)){0,5})"
    r"(?![A-Za-z0-9])(?![ \t]*(?:จำกัด|\(ประเทศไทย\)|ประเทศไทย))")
_DOTTED_END = re.compile(r"(?:^|[ \t.])[A-Z]\.$")
_LATIN_NOT_COMPANY = frozenset(("CEO", "COO", "CFO", "PLC", "Co", "Ltd"))
_FACULTY = re.compile(rf"(คณะ{_FACULTY_WORD}(?:และ{_FACULTY_WORD})?)[ \t]?$")
# Words that make the span before "(ACRONYM)" something other than a body's name.
_NOT_ORG = ("โครงการ", "กิจกรรม", "แผน", "นโยบาย", "ระบบ", "มาตรการ", "ยุทธศาสตร์", "พระราชบัญญัติ", "พ.ร.บ.",
            "ร่างกฎหมาย", "ประมวลกฎหมาย", "ระเบียบ", "ประกาศ", "หลักสูตร", "แพลตฟอร์ม", "แอปพลิเคชัน", "เว็บไซต์", "งาน ")


def trie_regex(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie: fast, and the longest word wins.

    A space inside a word matches any run of spaces, including none
    (สำนักงาน ก.พ. and สำนักงานก.พ.).
    """
    return trie_pattern((_WS.sub(" ", w.strip()) for w in words),
                        char_regex=lambda ch: "[ \t]*" if ch == " " else re.escape(ch))


@dataclass(slots=True)
class _Hit:
    """A candidate mention before resolution (norm offsets)."""

    start: int
    end: int
    rule: str
    names: list[str]  # candidate canonical names (several only for ambiguous acronyms)
    kind: str = ""  # type when known
    full: bool = False  # the surface is a full name (as written, no abbreviation), not an alias


class OrgExtractor(RuleExtractor):
    name = "orgs"
    family = "orgs"

    def __init__(self) -> None:
        self.gaz = org_gazetteer()
        pats = entries("org_patterns")
        self.heads: dict[str, dict[str, Any]] = {e["head"]: e for e in pats if e["kind"] == "head"}
        self.abbrev: dict[str, str] = {e["short"]: e["full"] for e in pats if e["kind"] == "abbreviation"}
        lists: dict[str, set[str]] = {}
        for e in pats:
            if e["kind"] == "words":
                lists.setdefault(e["list"], set()).update(e["words"])
        self.stop = lists.get("stop", set())
        self.weak = lists.get("weak", set())
        self.verb_stop = lists.get("verb_stop", set())
        self.final = lists.get("final", set())
        self.role_heads = lists.get("role_head", set())
        self.ministry_heads = lists.get("ministry_role_head", set())
        self.provinces = _province_names()
        # The generic starts of each head's bodies, as one tuple for str.startswith.
        self._generic: dict[str, tuple[str, ...]] = {h: tuple(e.get("generic", ())) for h, e in self.heads.items()}

        alias_map = self.gaz.alias_surfaces()
        self._alias_cands = {fold(s): c for s, c in alias_map.items()}
        self._full = {fold(n) for n in self.gaz.entries}
        self._alias_re = re.compile(trie_regex(alias_map))
        role_map = self.gaz.role_surfaces()
        self._role_cands = {fold(s): c for s, c in role_map.items()}
        self._role_re = re.compile(f"(?:{trie_pattern(self.ministry_heads | self.role_heads)})[ \t]?(?P<form>{trie_regex(role_map)})")
        self._ministry_head_re = re.compile(f"(?:{trie_pattern(self.ministry_heads)})[ \t]?$")
        # Trie-shaped: matches exactly what the longest-first alternation did, an order of magnitude faster.
        self._head_re = re.compile(trie_pattern([*self.heads, *self.abbrev]))
        # Trie-shaped (word_regex.trie_pattern): the same longest-first choice as an alternation
        # sorted longest first, without trying the 80 names one by one at every position.
        prov = trie_pattern(self.provinces)
        countries = trie_pattern(_country_names())
        self._country_re = re.compile(f"[ \t]?(?:ประเทศ|แห่ง)?({countries})")
        self._bare_prov_re = re.compile(f"(?:{prov})")
        self._prov_re = re.compile(f"(?:จังหวัด|จ\\.)?[ \t]*(?:{prov})")
        # What may follow a name and still belong to it: a number, an area, a branch, a province.
        self._qualifier_re = re.compile(
            rf"[ \t]*(?:(?:เขต|ภาค(?:ที่)?|ที่|พื้นที่|ศูนย์ที่)[ \t]*\d+(?:[ \t]*[-–][ \t]*\d+)?(?:[ \t]*(?:{prov}))?"
            rf"|(?<=[\u0e01-\u0e4e])(?:จังหวัด|จ\.)(?:{prov})"
            rf"|(?<=[ \t])\d{{1,3}}[ \t]*(?:{prov})(?![\u0e01-\u0e4e])"  # สถาบัน… 19 เชียงใหม่: a numbered regional unit
            r"|สาขา[ \t]?[\u0e01-\u0e4e]+"
            rf"|ประจำ(?:ประเทศ)?(?:{countries})"
            r"|\(องค์การมหาชน\)"
            r"|ในพระ(?:บรม)?ราชูปถัมภ์"
            r"|(?:วุฒิสภา|สภาผู้แทนราษฎร)(?![\u0e01-\u0e4e]))")
        self._company_re = re.compile(
            r"(?P<head>บริษัท|บจก\.|บมจ\.|ธนาคาร)[ \t]*(?P<body>[^\s()\n\"'][^()\n\"']{0,60}?)[ \t]*จำกัด(?:[ \t]*\(มหาชน\))?")
        # Folded full names (no spaces, case-folded) longer than 6 characters as one trie-shaped
        # regex: its match at the start of a text is the longest of them the text starts with.
        self._loose_re = re.compile(trie_pattern(n for n in self.gaz._names if len(n) > 6))
        self._ministry_head_len = max(map(len, self.ministry_heads), default=0)
        # The four whole-text scans in one pass (see word_regex.MultiScan), each with the words
        # its matches begin with.
        self._text_scan = MultiScan([
            (self._alias_re, [w for w in (_WS.sub(" ", s.strip()) for s in alias_map) if w]),
            (self._role_re, self.ministry_heads | self.role_heads),
            (self._company_re, ("บริษัท", "บจก.", "บมจ.", "ธนาคาร")),
            (self._head_re, [*self.heads, *self.abbrev]),
        ])

    def dictionary_words(self) -> Iterable[str]:
        return [*self.gaz.surfaces(), *self.heads]

    # -- extraction --------------------------------------------------------------
    def extract(self, doc: Doc) -> list[Mention]:
        text = doc.norm
        found = self._text_scan.scan(text)
        hits: list[_Hit] = []
        self._gazetteer(doc, text, hits, found[self._alias_re])
        gaz_starts = {h.start for h in hits if h.full}
        self._roles(doc, text, hits, found[self._role_re])
        self._companies(doc, text, hits, found[self._company_re])
        self._patterns(doc, text, hits, gaz_starts, found[self._head_re])
        self._secretariats(text, hits)
        self._faculties(text, hits)
        self._latin_companies(text, hits)
        self._definitions(doc, text, hits)
        return self._finish(doc, hits)

    def _gazetteer(self, doc: Doc, text: str, hits: list[_Hit], matches: list[re.Match[str]]) -> None:
        for m in matches:
            s, e = m.span()
            k = fold(m.group())
            cands = self._alias_cands.get(k)
            if not cands:
                continue
            full = k in self._full
            if not self._bounded(doc, text, s, e, lenient=full and e - s >= 6):
                continue
            if text[e - 1] == "." and text[e:e + 1].isdigit():
                continue  # บัตร ตม.6, ใบอนุญาต รง.4: a dotted acronym with a number names a form or permit
            if full and len(cands) == 1 and self.gaz.entries[cands[0]].type in ("ministry", "department"):
                # กระทรวงการต่างประเทศญี่ปุ่น: another country's ministry, not ours.
                c = self._country_re.match(text, e)
                if c and c.group(1) not in ("ไทย", "ประเทศไทย") and doc.ends_token(c.end()):
                    name = _WS.sub(" ", text[s:c.end()])
                    hits.append(_Hit(s, c.end(), "orgs/foreign_body", [name], kind=self.gaz.entries[cands[0]].type, full=True))
                    continue
            hits.append(_Hit(s, e, "orgs/gazetteer", list(cands), full=full))

    def _bounded(self, doc: Doc, text: str, s: int, e: int, lenient: bool) -> bool:
        """True when [s, e) is a whole word: token boundaries, or non-letters around it."""
        first, last = text[s], text[e - 1]
        before = text[s - 1] if s else " "
        after = text[e] if e < len(text) else " "
        if first.isascii() and first.isalnum():
            return not _LATIN_ALNUM.match(before) and not (last.isascii() and last.isalnum() and _LATIN_ALNUM.match(after))
        if _THAI_MARK.match(after):
            return False
        start_ok = doc.starts_token(s) or not _is_thai(before) or lenient
        end_ok = doc.ends_token(e) or not _is_thai(after) or last in ".ฯ" or lenient
        return start_ok and end_ok

    def _roles(self, doc: Doc, text: str, hits: list[_Hit], matches: list[re.Match[str]]) -> None:
        for m in matches:
            s, e = m.span("form")
            cands = self._role_cands.get(fold(m.group("form")))
            if not cands or not self._bounded(doc, text, s, e, lenient=False):
                continue
            # Ordinary words (แรงงาน, คลัง) name a ministry only after a ministry role head
            # (searched just before the form: a head and a space are all the pattern can match).
            if any(self.gaz.entries[c].type == "ministry" for c in cands) and not self._ministry_head_re.search(
                    text, max(0, s - self._ministry_head_len - 2), s):
                cands = [c for c in cands if self.gaz.entries[c].type != "ministry"]
            if cands:
                hits.append(_Hit(s, e, "orgs/role_form", list(cands)))

    def _companies(self, doc: Doc, text: str, hits: list[_Hit], matches: list[re.Match[str]]) -> None:
        for m in matches:
            body = m.group("body")
            if any(w in body for w in ("บริษัท", "จำกัด", "ธนาคาร")) or fold(body) in {"ฯ", ""} \
                    or body.strip() in _COMPANY_STOP:
                continue
            bs = m.start("body")
            i = doc.token_index(bs)
            toks = [text[a:b] for a, b in doc.tokens[i:i + 40]  # (not [i:][:40]: a span per token to the end)
                    if a < bs + len(body)] if doc.tokenized else body.split()
            if any(t in _COMPANY_STOP for t in toks):
                continue
            head = m.group("head")
            full_head = "ธนาคาร" if head == "ธนาคาร" else "บริษัท"
            sep = "" if head == "ธนาคาร" else " "
            tail = text[m.start("body") + len(body):m.end()].strip()
            name = f"{full_head}{sep}{_WS.sub(' ', body.strip())} {_WS.sub(' ', tail).replace('จำกัด(', 'จำกัด (')}"
            canon = self.gaz.canonical(name) or name
            kind = "bank" if head == "ธนาคาร" else "company"
            hits.append(_Hit(m.start(), m.end(), "orgs/company", [canon], kind=kind, full=head in ("บริษัท", "ธนาคาร")))

    def _patterns(self, doc: Doc, text: str, hits: list[_Hit], gaz_starts: set[int],
                  head_matches: list[re.Match[str]]) -> None:
        gaz_ends = {h.start: h.end for h in hits if h.full}
        gaz_end_set = {h.end for h in hits if len(h.names) == 1}
        for m in head_matches:
            s, hend = m.span()
            head = m.group()
            before = text[s - 1] if s else " "
            if not (doc.starts_token(s) or not _is_thai(before)):
                continue
            if head in self.heads:
                loose = self._loose_gazetteer(doc, text, s)
                if loose is not None:
                    hits.append(loose)
                    continue
            full_head = self.abbrev.get(head, head)
            spec = self.heads.get(full_head)
            if spec is None or spec["mode"] in ("company", "defined"):
                continue
            if head in self.abbrev and head == "ม." and not re.match(r"[\u0e01-\u0e2e][\u0e01-\u0e4e]{2,}", text[hend:hend + 3]):
                continue  # ม.1, ม.ค.: a school grade or a month, not มหาวิทยาลัย
            if spec["mode"] == "place" and not self._prov_re.match(text, hend):
                # ด่านศุลกากรสุไหงโก-ลก, ด่านศุลกากรท่าอากาศยานหาดใหญ่: a checkpoint is named by its district,
                # port or airport: one place word, ended by a space, a sign or a word glued after it (no
                # district gazetteer), of at most _PLACE_MAX letters.
                place = _PLACE_WORD.match(text, hend)
                if place is None or not self._specific(doc, spec, hend, place.end(), False) \
                        or _NOT_PLACE_START.match(text, hend):
                    continue
                pend = place.end()
                i = doc.token_index(hend)  # a word glued on ends the place (ท่าอากาศยานหาดใหญ่|ตรวจ|พบ)
                while i < len(doc.tokens) and doc.tokens[i][0] < pend:
                    tok = text[doc.tokens[i][0]:doc.tokens[i][1]]
                    if tok in self.stop or tok in self.verb_stop or tok in self.weak or tok in _PLACE_STOP:
                        pend = doc.tokens[i][0]
                        break
                    i += 1
                place_start = place.end("port") if place.group("port") else hend
                if not 2 <= pend - place_start <= _PLACE_MAX:
                    continue  # ด่านศุลกากรได้..., ด่านศุลกากรแล้วเสร็จ: no place named; or a clause
                name = text[s:pend]
                hits.append(_Hit(s, pend, "orgs/pattern", [self.gaz.canonical(name) or name], kind=spec["type"]))
                continue
            end, qualified = self._scan(doc, text, s, hend, gaz_starts, spec["max_tokens"])
            if end <= hend:
                continue
            if not self._specific(doc, spec, hend, end, qualified):
                continue
            gaz_end = gaz_ends.get(s)
            if gaz_end is not None and (end <= gaz_end or not qualified):
                continue  # the gazetteer already has this body; an unqualified tail is not part of it
            if spec["mode"] == "anchored" and not (qualified or self._anchored(text, s, end, gaz_starts, gaz_end_set)):
                continue
            name = full_head + _WS.sub(" ", text[hend:end]).strip() if head in self.abbrev else _WS.sub(" ", text[s:end])
            canon = self.gaz.canonical(name) or name
            hits.append(_Hit(s, end, "orgs/pattern", [canon], kind=spec["type"], full=head not in self.abbrev))

    def _loose_gazetteer(self, doc: Doc, text: str, s: int) -> _Hit | None:
        """A known full name written with stray spaces (สำนักงานปลัด กระทรวง…) or cut short with ฯ."""
        stop = text.find("\n", s, s + 140)
        chunk = text[s:stop if stop >= 0 else s + 140]
        if " " not in chunk and "ฯ" not in chunk:
            return None
        flat = chunk.replace(" ", "").replace("\t", "")
        # The longest known name (over 6 characters) that the flattened chunk starts with.
        found = self._loose_re.match(flat)
        best = found.group() if found else ""
        cut = flat.find("ฯ") if not best else -1
        if not best and cut < 0:
            return None
        if best:
            last = _kept_index(chunk, len(best) - 1)
            if " " not in chunk[:last]:
                return None  # written without spaces: the ordinary gazetteer match has it
            return _Hit(s, s + last + 1, "orgs/gazetteer_loose", [self.gaz._names[best]], full=True)
        # กรมอุตุฯ, กระทรวงอุดมฯ: a name cut short with ฯ, when one known name starts so.
        if cut <= 40 and len(flat[:cut]) >= 5:
            one = self.gaz._by_prefix(flat[:cut])
            if one:
                return _Hit(s, s + _kept_index(chunk, cut) + 1, "orgs/gazetteer_loose", [one], full=True)
        return None

    def _scan(self, doc: Doc, text: str, s: int, pos: int, gaz_starts: set[int],
              max_tokens: int = 12) -> tuple[int, bool]:
        """Where a name that starts at ``s`` with its head ending at ``pos`` ends; and whether a qualifier ended it.

        Returns an end <= ``pos`` when the run of words is too long to be a name (a description).
        """
        tokens = doc.tokens
        if max_tokens <= 4:
            # A short place-like name set off by a space (รพ.แกลง จ.ระยอง) is taken whole: the
            # tokenizer cuts unknown place names into pieces that may look like stop words.
            run = _THAI_RUN.match(text, pos)
            if run and run.end() - pos <= 10 and (run.end() == len(text) or not _is_thai(text[run.end()])) \
                    and text[pos:run.end()] not in self.stop and text[pos:run.end()] not in self.verb_stop:
                q = self._qualifier_re.match(text, run.end())
                if q and q.end() > run.end() and text[run.end()] in " \t" and not q.group().lstrip().startswith("จ"):
                    return q.end(), True
                return run.end(), False
        i = doc.token_index(pos)
        end = pos
        limit = s + 90
        count = 0
        while i < len(tokens):
            ts, te = tokens[i]
            if ts != end or ts >= limit:
                break
            q = self._qualifier_re.match(text, ts)
            if q and q.end() > ts and (end > pos or text[ts] in " \t" or q.group().startswith("จังหวัด")):
                qend = q.end()
                if q.group().lstrip().startswith(("สาขา", "ประจำ")):
                    qend = self._trim(doc, text, ts, qend)
                return qend, True
            if text[ts] not in " \t":  # a province written right after (or as) the name ends it
                pm = self._bare_prov_re.match(text, ts)
                if pm and doc.ends_token(pm.end()):
                    q2 = self._qualifier_re.match(text, pm.end())  # …กรุงเทพมหานครพื้นที่ 1-10
                    if q2 and q2.end() > pm.end() and _NUMBERED.match(q2.group()):
                        return q2.end(), True
                    return pm.end(), True
            tok = text[ts:te]
            if tok in self.stop or (tok in self.verb_stop and end > pos) or (ts in gaz_starts and ts > s) \
                    or not _NAME_CHAR.fullmatch(tok):
                break
            k = tok.find("จังหวัด", 1)  # a dictionary word such as พาณิชย์จังหวัด hides the province boundary
            if k > 0 and tok.endswith("จังหวัด"):
                p = self._prov_re.match(text, te)
                if p and p.end() > te:
                    return p.end(), True
            if tok in self.weak:
                if max_tokens <= 4:  # short names (โรงพยาบาลX, เทศบาลตำบลX) never hold และ/ของ/เพื่อ
                    break
                nxt = i + 1
                if nxt >= len(tokens) or text[tokens[nxt][0]] in " \t\n" or tokens[nxt][0] in gaz_starts \
                        or self._head_re.match(text, tokens[nxt][0]) \
                        or tok + text[tokens[nxt][0]:tokens[nxt][1]] in self.stop:
                    break  # (the last: a stop phrase of two tokens, สมาคม...|และ|คณะ "and party")
            if tok in _ADMIN_WORDS and end > pos:
                return pos, False  # สำนักงานจัดหางานจังหวัด with no province named: generic
            end = te
            i += 1
            count += 1
            if count > max_tokens:
                return pos, False
            if tok.endswith("ฯ") or tok in self.final:
                break
        # A name never ends on a joining word (…กำกับดูแลและ).
        # Tokens cover the text: token i starts where the last token taken (or pos) ends, so the
        # token ending at `end` is i - 1 (no second bisect).
        j = i - 1
        while j >= 0 and tokens[j][1] == end and tokens[j][0] > pos and text[tokens[j][0]:end] in _NO_END:
            end = tokens[j][0]
            j -= 1
        while end > pos and text[end - 1] in ".-":
            end -= 1
        if end > pos and text[end - 1] == "ฯ":
            end -= 1  # กรมอุทยานฯ: an abbreviated name, resolved through the gazetteer if at all
        return end, False

    def _trim(self, doc: Doc, text: str, a: int, b: int) -> int:
        """Cut a qualifier (สาขาระยองแล้ว) before its first stop word."""
        i = doc.token_index(a)
        while i < len(doc.tokens) and doc.tokens[i][1] <= b:
            ts, te = doc.tokens[i]
            if ts > a and text[ts:te] in self.stop:
                return ts
            i += 1
        return b

    def _specific(self, doc: Doc, spec: dict[str, Any], s: int, e: int, qualified: bool) -> bool:
        """Not a generic reference: something is named after the head (text[s:e] is the body)."""
        body = doc.norm[s:e].strip()
        if len(fold(body)) < spec["min_body"]:
            return False
        i = doc.token_index(s)
        first = doc.norm[s:doc.tokens[i][1]] if i < len(doc.tokens) and doc.tokens[i][0] == s else body
        if first in self.stop or first in self.weak or (first in self.verb_stop and first == body):
            return False  # (รพ.สต.ย้ำ: a verb alone after the head names nothing)
        if "starts" in spec and not body.startswith(tuple(spec["starts"])):
            return False
        if not qualified and body.startswith(self._generic[spec["head"]]) and not self._prov_re.search(body):
            return False
        if not qualified and spec["min_tokens"] > 1:
            j = doc.token_index(e)
            if j - i < spec["min_tokens"] and not self._prov_re.search(body):
                return False
        # สำนักงานเกษตรอำเภอ with no place named is generic.
        return not _ADMIN_END.search(body)

    def _anchored(self, text: str, s: int, end: int, gaz_starts: set[int], gaz_ends: set[int]) -> bool:
        """A sub-unit name is trusted when a role head precedes it or its parent body follows it."""
        if re.search(r"(?:ผู้อำนวยการ|ผอ\.|หัวหน้า|รองผู้อำนวยการ|ผู้บัญชาการ|ผบ\.)[ \t]?$", text[max(0, s - 20):s]):
            return True
        # กรมศุลกากร โดยกองสืบสวนและปราบปราม: a body acting through its unit.
        m = _BY_UNIT.search(text[max(0, s - 20):s])
        if m and max(0, s - 20) + m.start() in gaz_ends:
            return True
        j = end
        while j < len(text) and text[j] in " \t":
            j += 1
        return j > end and j in gaz_starts

    def _secretariats(self, text: str, hits: list[_Hit]) -> None:
        """เลขาธิการคณะกรรมการX heads สำนักงานคณะกรรมการX: the mention names the office when it is known."""
        for h in hits:
            if len(h.names) != 1 or not h.names[0].startswith("คณะกรรมการ") or not _SECRETARY.search(text, max(0, h.start - 20), h.start):
                continue
            office = self.gaz.canonical("สำนักงาน" + h.names[0])
            if office:
                h.names, h.kind, h.full = [office], self.gaz.entries[office].type, False

    def _faculties(self, text: str, hits: list[_Hit]) -> None:
        """คณะแพทยศาสตร์ มหาวิทยาลัยขอนแก่น: a faculty is named by its university, which stays an org of its own.

        The mention covers the faculty's words only (so it does not overlap the university's) and is
        named with the university's canonical name: คณะแพทยศาสตร์ alone names no one body.
        """
        for h in list(hits):
            if len(h.names) != 1:
                continue
            entry = self.gaz.entries.get(h.names[0])
            if (entry.type if entry else h.kind) != "university":
                continue
            f = _FACULTY.search(text, max(0, h.start - 60), h.start)
            if f is not None:
                name = f"{f.group(1)} {h.names[0]}"
                hits.append(_Hit(f.start(1), f.end(1), "orgs/faculty", [name], kind="university", full=False))

    def _latin_companies(self, text: str, hits: list[_Hit]) -> None:
        """Siam Star Company Limited, Golden Harbour Co., Ltd.: a company registered abroad, named in
        English (with or without บริษัท before it), is named as written in English.  บริษัท Braskem S.A.:
        a company named in English after บริษัท, without a legal form, is named with บริษัท."""
        if "บริษัท" in text:
            for m in _THAI_HEAD_LATIN_COMPANY.finditer(text):
                latin = _WS.sub(" ", m.group("latin")).rstrip(" ,")
                if latin.endswith(".") and not _DOTTED_END.search(latin):
                    latin = latin[:-1]  # a full stop, not S.A.
                if _LATIN_COMPANY.match(text, m.start("latin")) or latin in _LATIN_NOT_COMPANY:
                    continue  # (the English legal form is read below)
                name = f"บริษัท {latin}"
                if self.gaz.canonical(name) or self.gaz.canonical(latin):
                    continue
                end = m.start("latin") + len(latin)
                hits.append(_Hit(m.start(), end, "orgs/company_latin", [name], kind="company", full=True))
        if not any(w in text for w in _LATIN_COMPANY_WORDS):
            return  # most articles: no scan at all
        for m in _LATIN_COMPANY.finditer(text):
            if m.start() and _LATIN_ALNUM.match(text[m.start() - 1]):
                continue  # (checked here: a leading look-behind would be tried at every offset)
            name = _WS.sub(" ", m.group("name")).strip()
            if self.gaz.canonical(name):
                continue  # a known company: the gazetteer's match names it
            end = m.start("name") + len(m.group("name").rstrip())
            hits.append(_Hit(m.start("name"), end, "orgs/company_latin", [name], kind="company", full=True))

    def _alias_form(self, surface: str) -> bool:
        """An acronym or a Latin name, possibly with a regional unit's number and province (สพร.19 เชียงใหม่)."""
        if _THAI_ACRONYM.match(surface) or _LATIN_ALIAS.match(surface):
            return True
        t = _UNIT_TAIL.search(surface)
        if t is None or t.start() == 0 or (t.group("place") and t.group("place") not in self.provinces):
            return False
        return bool(_THAI_ACRONYM.match(surface[:t.start()]))

    def _definitions(self, doc: Doc, text: str, hits: list[_Hit]) -> None:
        """``NAME (ACRONYM)`` and ``ACRONYM (NAME)``: an alias defined in the text."""
        ends = {}
        for h in hits:
            if len(h.names) == 1:
                ends[h.end] = h
        by_span = {(h.start, h.end): h for h in hits if len(h.names) == 1}
        defined: dict[str, _Hit] = {}
        for m in _PAREN.finditer(text):
            ps = m.start()
            j = ps
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            inner_s, inner_e = m.span(1)
            owner = ends.get(j)
            parts = _parts(text, inner_s, inner_e)
            if owner is None and any(_ACRONYM.match(text[a:b]) for a, b in parts):
                known = {c for a, b in parts for c in [self.gaz.canonical(text[a:b])] if c}
                owner = self._define_name(doc, text, j, hits, known.pop() if len(known) == 1 else None)
            if owner is not None:
                for part_s, part_e in parts:
                    surface = text[part_s:part_e]
                    if self._alias_form(surface) and self._may_alias(owner, surface):
                        alias = _Hit(part_s, part_e, "orgs/defined_alias", list(owner.names), kind=owner.kind)
                        hits.append(alias)
                        if len(fold(surface)) >= 2:
                            defined[surface] = alias
                continue
            # ACRONYM (FULL NAME)
            inner = by_span.get((inner_s, inner_e))
            if inner is not None:
                k = j
                while k > 0 and not text[k - 1].isspace() and text[k - 1] not in "()\"'":
                    k -= 1
                surface = text[k:j]
                if surface and (_THAI_ACRONYM.match(surface) or _LATIN_ALIAS.match(surface)):
                    alias = _Hit(k, j, "orgs/defined_alias", list(inner.names), kind=inner.kind)
                    hits.append(alias)
                    defined[surface] = alias
        # A defined acronym names its body everywhere else in the article too.
        for surface, d in defined.items():
            for m in re.finditer(re.escape(surface), text):
                if (m.start(), m.end()) != (d.start, d.end) and self._bounded(doc, text, m.start(), m.end(), False):
                    hits.append(_Hit(m.start(), m.end(), "orgs/defined_alias", list(d.names), kind=d.kind))

    def _may_alias(self, owner: _Hit, surface: str) -> bool:
        """Whether ``surface`` in parentheses after ``owner`` is another name of it.

        Not a web address, not a role abbreviation (รมว.พม.), and for a known body
        that already has aliases in that script, one of them: กรมทางหลวง (HTOC) names
        a unit of the department, not the department.
        """
        if _URLISH.search(surface) or _ROLE_ABBR.match(surface):
            return False
        entry = self.gaz.entries.get(owner.names[0]) if len(owner.names) == 1 else None
        if entry is None:
            return True
        latin = surface[0].isascii()
        same_script = [a for a in entry.aliases if a[0].isascii() == latin and (latin or _THAI_ACRONYM.match(a))]
        return not same_script or fold(surface) in {fold(a) for a in same_script}

    def _define_name(self, doc: Doc, text: str, j: int, hits: list[_Hit], known: str | None = None) -> _Hit | None:
        """The name right before "(ACRONYM)" when it starts with a head word and no rule knew it."""
        window_start = max(0, j - 100, text.rfind("\n", 0, j) + 1)
        starts = [m.start() for m in self._head_re.finditer(text, window_start, j)
                  if m.group() in self.heads and m.group() not in ("เครือข่าย", "ชมรม", "กระทรวง")
                  and (doc.starts_token(m.start()) or not _is_thai(text[m.start() - 1] if m.start() else " "))]
        for best in starts:  # the farthest head that gives a clean span: the longest name
            span = text[best:j]
            if len(span) < 6 or any(c.isspace() for c in span) or any(w in span for w in _NOT_ORG) \
                    or any(c in span for c in "()\"'“”:;,"):
                continue
            lo, hi = doc.token_index(best), doc.token_index(j)
            toks = [text[a:b] for a, b in doc.tokens[lo:hi]] if doc.tokenized else [span]
            if len(toks) > 30 or any(t in self.stop for t in toks):
                continue
            head_word = self._head_re.match(text, best).group()
            if not self._specific(doc, self.heads[head_word], best + len(head_word), j, False):
                continue
            spec = self.heads[head_word]
            name = _WS.sub(" ", span).strip()
            canon = known or self.gaz.canonical(name) or name
            hit = _Hit(best, j, "orgs/defined_name", [canon], kind=spec["type"], full=canon == name)
            hits.append(hit)
            return hit
        return None

    # -- resolution ------------------------------------------------------------------
    def _finish(self, doc: Doc, hits: list[_Hit]) -> list[Mention]:
        known = {h.names[0] for h in hits if len(h.names) == 1}
        mentions: list[Mention] = []
        for h in hits:
            names = h.names
            if len(names) > 1:  # an ambiguous acronym (ทช.) names the body the article names otherwise
                names = [n for n in names if n in known]
                if len(names) != 1:
                    continue
            name = names[0]
            entry = self.gaz.entries.get(name)
            kind = entry.type if entry else (h.kind or None)
            attrs: dict[str, Any] = {"name": name, "aliases": [], "type": kind, "_literal": h.full and not entry}
            mentions.append(doc.mention(FAMILY, h.start, h.end, h.rule, _key(name), **attrs))
        return drop_overlaps(mentions)

    def merge_attrs(self, mentions: list[Mention]) -> dict[str, Any]:
        attrs = dict(mentions[0].attrs)
        attrs.pop("_literal", None)
        # A body outside the gazetteer is named as written (original text, not the normalised one),
        # by its longest full spelling: the formal first mention, not a later shorthand.
        literal = [_WS.sub(" ", m.text).strip() for m in mentions if m.attrs.get("_literal")]
        if literal:
            attrs["name"] = max(literal, key=len)
        name = attrs["name"]
        seen: list[str] = []
        for m in mentions:
            surface = _WS.sub(" ", m.text).strip()
            if fold(surface) != fold(name) and surface not in seen:
                seen.append(surface)
        attrs["aliases"] = seen
        return attrs

    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]:
        groups: dict[str, list[Mention]] = {}
        for m in mentions:
            groups.setdefault(m.key, []).append(m)
        # สมาพันธ์แรงงานฯ after สมาพันธ์แรงงานรัฐวิสาหกิจสัมพันธ์: a name cut short with ฯ is the one
        # body of the article whose name it begins (the gazetteer resolves known bodies so already).
        for key in [k for k, ms in groups.items() if all(doc.norm.startswith("ฯ", m.norm_end) for m in ms)]:
            longer = [k for k in groups if k != key and k.startswith(key)]
            if len(longer) == 1:
                groups[longer[0]].extend(groups.pop(key))
        return [Fact(self.family, key, self.merge_attrs(ms), ms, doc.doc_id) for key, ms in groups.items()]


@lru_cache(maxsize=1 << 14)  # one key per body name, asked for at every mention
def _key(name: str) -> str:
    """Resolution key: spellings that differ only in spaces, case, tone marks, or a patronage
    or status suffix (ในพระบรมราชูปถัมภ์, (องค์การมหาชน), ฯ) are one body."""
    return _TONE.sub("", _SUFFIX.sub("", fold(name)))


_NOT_BLANK = re.compile(r"[^ \t]+")


def _kept_index(chunk: str, j: int) -> int:
    """Index in ``chunk`` of its j-th character that is not a space or tab (counting from 0)."""
    seen = 0
    for m in _NOT_BLANK.finditer(chunk):
        n = m.end() - m.start()
        if seen + n > j:
            return m.start() + j - seen
        seen += n
    raise IndexError(j)


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of the comma/colon-separated parts of a parenthesis (Airport Interdiction Task Force: AITF)."""
    out = []
    for m in re.finditer(r"[^,:;/]+", text[s:e]):
        a, b = s + m.start(), s + m.end()
        while a < b and text[a] in " \t":
            a += 1
        while b > a and text[b - 1] in " \t":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _country_names() -> set[str]:
    from pythainlp.corpus import countries

    return set(countries()) | {"ไทย", "สหรัฐอเมริกา", "สหรัฐฯ", "สหรัฐ", "จีน", "ญี่ปุ่น", "เกาหลีใต้", "สหราชอาณาจักร",
                               "อังกฤษ", "สาธารณรัฐประชาชนจีน", "สปป.ลาว", "เมียนมา"}


def _province_names() -> set[str]:
    from pythainlp.corpus import provinces

    names = {p["name_th"] for p in provinces(details=True)}
    names.update({"กรุงเทพมหานคร", "กรุงเทพฯ", "กทม."})
    return names
