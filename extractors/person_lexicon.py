"""Word lists and compiled patterns for the persons family, loaded once per process.

Data: ``data/curated/titles.json`` (honorifics, academic/medical titles, ranks),
``data/curated/roles.json`` (position heads), ``data/curated/cabinet.json``
(cabinet members since 2019) and PyThaiNLP's first-name and family-name lists.
Everything here is built once (``lexicon()`` is cached) and shared by the name
finder (persons.py) and the role parser (person_roles.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from khaosan.extractors.data import entries
from khaosan.extractors.word_regex import trie_pattern

THAI = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e"  # letters, vowels, tone marks (no ฯ ๆ digits)
THAI_CHAR = re.compile(f"[{THAI}]")
_SPACE = re.compile(r"[ \t\u00a0]+")

# Ranks accept ว่าที่ (acting) before and หญิง (female officer) or (พิเศษ) after.
RANK_PREFIX = r"(?:ว่าที่\s?)"
RANK_SUFFIX = r"(?:หญิง)?(?:\s?\(พิเศษ\))?"

# Words that end a name or a role when they follow it (verbs of saying and acting,
# connectors, prepositions): general Thai news usage.
CLAUSE_WORDS = (
    "กล่าว", "กล่าวว่า", "กล่าวถึง", "กล่าวย้ำ", "กล่าวเพิ่มเติม", "เปิดเผย", "เผย", "เผยว่า", "ระบุ", "ยืนยัน",
    "ชี้แจง", "แถลง", "เน้นย้ำ", "ย้ำ", "ได้", "ยัง", "ยังได้", "จึง", "ก็", "จะ", "เป็น", "เป็นประธาน", "มี", "ให้",
    "และ", "หรือ", "กับ", "ของ", "ที่", "ซึ่ง", "โดย", "โดยมี", "พร้อม", "พร้อมด้วย", "พร้อมคณะ", "และคณะ", "ร่วม",
    "ร่วมกับ", "ร่วมกัน", "ไป", "มา", "เดินทาง", "ลงพื้นที่", "ตรวจ", "ตรวจเยี่ยม", "เยี่ยม", "เยี่ยมชม", "ประชุม",
    "เข้า", "เข้าร่วม", "นำ", "ทำ", "ว่า", "คือ", "เมื่อ", "ใน", "ต่อ", "ถึง", "จาก", "แต่", "เพื่อ", "ตาม", "ทั้ง",
    "อีก", "รับ", "มอบ", "มอบหมาย", "สั่ง", "สั่งการ", "กำชับ", "แนะนำ", "เชิญ", "ขอ", "ขอบคุณ", "แสดง", "เห็น",
    "คาด", "หวัง", "เชื่อ", "ตอบ", "ถาม", "บอก", "เล่า", "อธิบาย", "พูด", "รายงาน", "สรุป", "ชี้", "ลง", "เริ่ม",
    "ปิด", "เปิด", "เสนอ", "อนุมัติ", "เร่ง", "ผลักดัน", "ขับเคลื่อน", "ติดตาม", "ส่ง", "ใช้", "พบ", "หารือ",
    "ต้อนรับ", "ให้การ", "แล้ว", "ด้วย", "เพิ่มเติม", "เห็นชอบ", "มุ่ง", "ห่วงใย", "ปฏิบัติหน้าที่", "ในฐานะ",
    "รักษาราชการแทน", "รักษาการ", "ได้รับ", "ได้แก่", "ประกอบด้วย", "นั้น", "นี้", "ดังกล่าว", "เอง", "ทาง",
    "ณ", "เวลา", "วันที่", "วันนี้", "เมื่อวันที่", "ครั้ง", "ทุก", "ผู้", "ซึ่งเป็น", "ท่าน", "กราบ", "กราบทูล",
    "กราบบังคม", "ทูล", "เฝ้า", "เข้าเฝ้า", "ลงนาม", "สัมภาษณ์", "ให้สัมภาษณ์", "โพสต์", "ทวีต", "แจ้ง", "ประกาศ",
    "ไม่", "ถูก", "ต้อง", "สามารถ", "เคย", "กำลัง", "รวม", "รวมถึง", "อายุ", "พูด",
)
# Of those, the ones that may be written glued to the end of a name or role
# (ดร.สาธิตกล่าวว่า, ปลัดกระทรวงอุตสาหกรรมเป็นประธาน): long enough not to be a piece
# of an unknown name that the tokenizer happened to cut out.
GLUED_WORDS = (
    "กล่าว", "เปิดเผย", "เผยว่า", "ระบุ", "ยืนยัน", "ชี้แจง", "แถลง", "เน้นย้ำ", "ย้ำว่า", "ได้", "ยังได้", "จึง",
    "เป็นประธาน", "พร้อมด้วย", "พร้อมคณะ", "และคณะ", "ร่วมกับ", "เดินทาง", "ลงพื้นที่", "ตรวจเยี่ยม", "เยี่ยมชม",
    "เมื่อวันที่", "เมื่อ", "ซึ่ง", "ได้รับ", "ปฏิบัติหน้าที่", "ในฐานะ", "มอบหมาย", "สั่งการ", "กำชับ", "เข้าร่วม",
    "ให้การต้อนรับ", "ให้สัมภาษณ์", "กราบทูล", "กราบบังคม", "เข้าเฝ้า", "ลงนาม", "ประธานในพิธี", "เป็นผู้",
    "ก็", "ไม่", "จะ", "ต้อง", "สามารถ", "พูด", "ถูก", "เคย", "กำลัง",
    "ตลอดจน", "รวมทั้ง", "รวมถึง", "อีกทั้ง", "ทั้งนี้", "นอกจากนี้", "ขณะที่", "ส่วน",
)
# Verbs of saying that follow a name in headlines (อภิสิทธิ์ระบุ, "สุเทพ" ลั่น).
SAYING_WORDS = (
    "กล่าว", "ระบุ", "ชี้", "เผย", "ยืนยัน", "แถลง", "ให้สัมภาษณ์", "โพสต์", "ทวีต", "ย้ำ", "เน้นย้ำ", "ตอบ",
    "พูด", "ปัด", "ลั่น", "ซัด", "โต้", "แจง", "ชี้แจง", "ให้กำลังใจ", "เปิดเผย", "สั่ง", "สั่งการ", "กำชับ",
    "เตือน", "ขอบคุณ", "ยอมรับ", "ปฏิเสธ", "วอน", "เรียกร้อง", "ประกาศ", "เชื่อ", "มั่นใจ", "หวัง",
)
# Surnames written "ณ <place>" (ณ อยุธยา, ณ นคร, ณ สงขลา): the royal-lineage style.
NA_SURNAMES = ("อยุธยา", "นคร", "ป้อมเพชร", "สงขลา", "ระนอง", "เชียงใหม่", "ถลาง", "บางช้าง", "พัทลุง",
               "ลำปาง", "น่าน", "มโหฬาร", "ตะกั่วทุ่ง", "ศรีเพ็ญ", "พิศณุโลก", "ราชสีมา", "ลำพูน", "กาฬสินธุ์")


_FOLDED = re.compile("[ \t\n\r\u00a0\u0e3a\u0e4c\u200b]")  # white space, phinthu, thanthakhat, zero width


@lru_cache(maxsize=1 << 16)  # names and roles are compared again and again
def fold_name(name: str) -> str:
    """Comparison key of a name: no spaces, no phinthu, no thanthakhat (ประยุทธ = ประยุทธ์ = ประยุทฺธ์)."""
    return _FOLDED.sub("", name)  # (str.translate looks up every character: several times slower)


def surface_regex(surface: str) -> str:
    """A literal as a regex in which a space matches any run of spaces."""
    return "".join(r"\s+" if ch == " " else re.escape(ch) for ch in surface)


def trie_regex(words: list[str]) -> str:
    """An alternation factored on common prefixes; the longest word wins at a start."""
    return trie_pattern(words, char_regex=surface_regex)


@dataclass(slots=True)
class CabinetMember:
    name: str  # "first last"
    first: str
    last: str
    aliases: list[str]
    titles: list[str]
    positions: list[dict[str, Any]]

    def held(self, role: str, date: str | None) -> bool:
        """True when the member held ``role`` (at ``date`` when one is given)."""
        for p in self.positions:
            if p["role"] == role and (date is None or (p["from"] <= date and (p["to"] is None or date <= p["to"]))):
                return True
        return False


@dataclass(slots=True)
class Lexicon:
    title_forms: dict[str, dict[str, Any]]  # surface form -> title entry
    weak_titles: set[str]
    title_re: re.Pattern[str]  # one title (with rank prefix/suffix) at a position
    role_entries: dict[str, dict[str, Any]]  # surface form -> role entry
    role_forms: list[str]
    cabinet: dict[str, CabinetMember]  # fold_name(any spelling) -> member
    cabinet_by_first: dict[str, list[CabinetMember]]  # fold_name(first) -> members
    cabinet_surnames: frozenset[str]
    first_names: frozenset[str]
    family_names: frozenset[str]
    dictionary: frozenset[str]
    title_compounds: frozenset[str]  # ordinary words that begin with a title (นายจ้าง, คุณภาพ)
    countries: list[str]
    clause_re: re.Pattern[str]  # a clause word at a position (after a space)
    glued_re: re.Pattern[str]  # a word that may be glued to the end of a name/role
    saying_re: re.Pattern[str]  # a verb of saying (after a bare name in a headline)
    extra: dict[str, Any] = field(default_factory=dict)


def _title_regex(forms: list[str], rank_forms: set[str]) -> re.Pattern[str]:
    plain = [f for f in forms if f not in rank_forms]
    ranks = [f for f in forms if f in rank_forms]
    return re.compile(f"(?:{RANK_PREFIX}?(?:{trie_regex(ranks)}){RANK_SUFFIX}|(?:{trie_regex(plain)}))")


@cache
def lexicon() -> Lexicon:
    from pythainlp.corpus import countries, thai_family_names, thai_female_names, thai_male_names, thai_words

    title_forms: dict[str, dict[str, Any]] = {}
    rank_forms: set[str] = set()
    weak: set[str] = set()
    for e in entries("titles"):
        for f in ([] if e.get("abbr_only") else [e["title"]]) + e["abbr"]:
            title_forms.setdefault(f, e)
            if e.get("rank"):
                rank_forms.add(f)
            if e.get("weak"):
                weak.add(f)
    role_entries: dict[str, dict[str, Any]] = {}
    for e in entries("roles"):
        for f in e["forms"]:
            role_entries.setdefault(f, e)
    cabinet: dict[str, CabinetMember] = {}
    by_first: dict[str, list[CabinetMember]] = {}
    for e in entries("cabinet"):
        first, last = e["name"].split(" ", 1)
        m = CabinetMember(e["name"], first, last, list(e.get("aliases", [])), list(e.get("titles", [])),
                          list(e["positions"]))
        for n in [m.name, *m.aliases]:
            cabinet[fold_name(n)] = m
            by_first.setdefault(fold_name(n.split(" ", 1)[0]), [])
            if m not in by_first[fold_name(n.split(" ", 1)[0])]:
                by_first[fold_name(n.split(" ", 1)[0])].append(m)
    words = thai_words()
    # A word is a compound when one of its proper prefixes is a title: looking up each prefix
    # in a set is linear in the word list (testing every title against every word took a second).
    # (str.startswith with the tuple of titles first: one C call that rules out almost every word)
    prefix_titles = frozenset(t for t in title_forms if len(t) >= 2 and "." not in t)
    title_starts = tuple(prefix_titles)
    compounds = frozenset(
        w for w in words
        if w.startswith(title_starts) and w not in title_forms and "." not in w
        and any(w[:k] in prefix_titles for k in range(2, len(w)))
    )
    clause = sorted(set(CLAUSE_WORDS), key=len, reverse=True)
    glued = sorted(set(GLUED_WORDS), key=len, reverse=True)
    return Lexicon(
        title_forms=title_forms,
        weak_titles=weak,
        title_re=_title_regex(sorted(title_forms, key=len, reverse=True), rank_forms),
        role_entries=role_entries,
        role_forms=sorted(role_entries, key=len, reverse=True),
        cabinet=cabinet,
        cabinet_by_first=by_first,
        cabinet_surnames=frozenset(m.last for m in cabinet.values()),
        first_names=frozenset(thai_male_names()) | frozenset(thai_female_names()),
        family_names=frozenset(thai_family_names()),
        dictionary=frozenset(words),
        title_compounds=compounds,
        countries=sorted(countries(), key=len, reverse=True),
        clause_re=re.compile(f"(?:{trie_regex(clause)})"),
        glued_re=re.compile(f"(?:{trie_regex(glued)})"),
        saying_re=re.compile(f"(?:{trie_regex(sorted(set(SAYING_WORDS)))})"),
    )
