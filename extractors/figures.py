"""figures: quantities stated in Thai news — value after multipliers, unit, qualifier, what is counted.

A compiled regex, anchored at each number found by a fast scan (digit runs, and
Thai number words), reads the number (digits or Thai number words), an optional
multiplier (พัน ... ล้านล้าน), an optional range end, and the currency,
per-cent word or unit written after it (``extractors/data/curated/units.json``,
``currencies.json``; longest form first, so กิโลเมตร wins over กิโล).  A
number counts as a figure only with a unit, a currency or per-cent, or — for
amounts without a currency word — a multiplier of a million or more, or a
money word right before it (งบประมาณ/วงเงิน/มูลค่า ... 500,000 → THB); a multiplier with a word
we do not know glued after it (2.3 ล้านเลขหมาย) is not baht unless a money word says so.  Number
words count only where a token starts, glued to a unit or after ร้อยละ (สามประเทศ, ร้อยละสิบ); a bare
multiplier word (ล้าน, พัน) only when a qualifier bounds it (กว่าแสนคน).

Then the things that look like figures but are not are filtered out by their
context (SCHEMA.md): parts of dates and times (the dates family's spans, a
month name after the number, ปี/พ.ศ. before it, น. after it), ordinals
(ครั้งที่ 3, รุ่นที่ 2, ชั้น 5, ข้อ 3, มาตรา 44), numbered sub-items (2.1 โครงการ... at a
line start), Buddhist-era years after a word ending in ปี (งบกลางปี 2566), numbers inside names
(COVID-19, โควิด - 19, Web3, 5G, SCA#2, 1 ตำบล 1 ผลิตภัณฑ์, พันตำรวจเอก), house and phone numbers
(เลขที่ 99/1, หมู่ 5, โทร. 02 ...), URLs, kilometre markers.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from itertools import accumulate
from typing import Any

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.data import entries
from khaosan.extractors.dates import MONTH_FORMS, MONTH_RE, month_tail_of_abbreviation
from khaosan.extractors.thai_numbers import (
    DIGITS, MULTIPLIER, THAI_WORDS, multiplier_value, parse_number, to_number)
from khaosan.extractors.word_regex import MultiScan, SuffixMatcher, trie_pattern
from khaosan.pipeline.doc import Doc, Mention

PERCENT = "%"
_PERCENT_WORDS = ("%", "เปอร์เซ็นต์", "เปอร์เซนต์", "เปอร์เซ็น", "percent")

# ---------------------------------------------------------------- units, currencies, qualifiers
_UNIT_OF: dict[str, str] = {}  # surface form -> unit value written in the fact
_KIND_OF: dict[str, str] = {}  # surface form -> count | time | measure | currency | percent
for _e in entries("currencies"):
    for _f in _e["after"] + _e.get("codes", []):
        _UNIT_OF.setdefault(_f, _e["code"])
        _KIND_OF.setdefault(_f, "currency")
# "ล้านบาท" written as ลบ. (and ล้านบ.) in headlines: the multiplier and the currency at once.
_ABBREVIATED_MILLION_BAHT = ("ลบ.", "ล.บ.", "ล้านบ.")
for _f in _ABBREVIATED_MILLION_BAHT:
    _UNIT_OF[_f], _KIND_OF[_f] = "THB", "currency"
# สตางค์ (1/100 baht) is written as baht.
_SATANG = ("สตางค์", "สต.")
SATANG = Decimal("0.01")
for _f in _SATANG:
    _UNIT_OF[_f], _KIND_OF[_f] = "THB", "currency"
for _f in _PERCENT_WORDS:
    _UNIT_OF[_f], _KIND_OF[_f] = PERCENT, "percent"
_STRICT_END: set[str] = set()  # units that are also words (นาย Mr.): must not run on into a word
for _e in entries("units"):
    _UNIT_OF.setdefault(_e["word"], _e["word"])
    _KIND_OF.setdefault(_e["word"], _e["kind"])
    if _e.get("strict_end"):
        _STRICT_END.add(_e["word"])
_SIGN_OF: dict[str, str] = {s: e["code"] for e in entries("currencies") for s in e.get("before", [])}


_UNIT_ALT = trie_pattern(_UNIT_OF)
_SIGN_ALT = trie_pattern(_SIGN_OF)
_NUM = rf"(?:{DIGITS}|{THAI_WORDS})"

# Anchored at a number start (or at ร้อยละ / a currency sign right before it).
FIGURE_RE = re.compile(
    rf"(?P<pct>ร้อยละ[ \t]*)?"
    rf"(?:(?P<sign>{_SIGN_ALT})[ \t]?)?"
    rf"(?P<n1>{_NUM})"
    rf"(?:[ \t]*(?P<m1>{MULTIPLIER}))?"
    rf"(?:[ \t]*(?P<dash>-|ถึง|จนถึง)[ \t]*(?:ร้อยละ[ \t]*)?(?P<n2>{DIGITS}|{THAI_WORDS})(?:[ \t]*(?P<m2>{MULTIPLIER}))?)?"
    rf"(?:[ \t]*(?P<post>กว่า|เศษ))?"
    rf"(?:[ \t]*(?P<unit>{_UNIT_ALT})(?:/(?P<unit2>{_UNIT_ALT}))?)?"
    rf"(?:[ \t]*(?P<post2>ขึ้นไป|โดยประมาณ))?"
)
# _figure unpacks m.groups() in this order
assert tuple(FIGURE_RE.groupindex) == ("pct", "sign", "n1", "m1", "dash", "n2", "m2", "post", "unit", "unit2", "post2") \
    and FIGURE_RE.groups == 11
# The scan: runs of digits (a literal-class start, skipped through in C), and Thai number words
# written glued to a unit (หนึ่งแห่ง) or carrying ล้าน (สองพันล้าน).
_DIGIT_RUN = re.compile(r"\d[\d,.]*")
_NUMBER_WORDS = ["หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า", "สิบ", "ยี่สิบ", "ร้อย", "พัน",
                 "หมื่น", "แสน", "ล้าน"]
_WORD_NUMBER = re.compile(trie_pattern(_NUMBER_WORDS))
_WORD_NUMBER_SCAN = MultiScan([(_WORD_NUMBER, _NUMBER_WORDS)])  # Aho-Corasick: faster than re over Thai text
_PCT_BEFORE = SuffixMatcher(["ร้อยละ"])
_SIGN_BEFORE = SuffixMatcher(_SIGN_OF)
_SIGN_LAST = frozenset(sign[-1] for sign in _SIGN_OF)

_QUALIFIER_BEFORE: dict[str, str] = {}
_QUALIFIER_AFTER: dict[str, str] = {}
for _e in entries("qualifiers"):
    (_QUALIFIER_BEFORE if _e["position"] == "before" else _QUALIFIER_AFTER)[_e["form"]] = _e["qualifier"]
_QUAL_BEFORE = SuffixMatcher(_QUALIFIER_BEFORE)

# ---------------------------------------------------------------- what is not a figure
# Words after which a number is an ordinal, an address, a code or a name, not a quantity.
_NOT_AFTER_WORDS = """ครั้งที่ รุ่นที่ ระยะที่ อันดับที่ อันดับ ฉบับที่ ฉบับ ลำดับที่ ลำดับ ชั้นที่ ชั้น ข้อที่ ข้อ มาตรา วรรค
 หมวดที่ หมวด หมู่ที่ หมู่ ม. เลขที่ ซอย ซ. ชุดที่ ปีที่ เฟสที่ เฟส ตอนที่ ตอน ลอต เล่มที่ ห้องที่ ห้อง อาคาร ตึก ประตู
 ช่องที่ สายที่ เขตที่ แห่งที่ คนที่ รายที่ วันที่ ภาคที่ ระดับที่ ระดับ รัชกาลที่ ร. กม.ที่ กม. กิโลเมตรที่
 หลักกิโลเมตรที่ หลักกิโลเมตร กด โควิด โควิด- โคโรนา โคโรนา- COVID COVID- Covid Covid- covid covid- โทร โทร.
 ทล. กรุงเทพมหานครพื้นที่ โทรศัพท์ สายด่วน โทรสาร แฟกซ์ ตู้ปณ. ปณ. รหัส ทะเบียน หมายเลข เบอร์ เลข แบบที่ รอบที่ งวดที่ ขั้นที่ พระราม
 ปี พ.ศ. พ.ศ ค.ศ. ค.ศ Lot lot LOT No No. no no. Tel Tel. tel tel. Fax fax Phase phase Version version
 Round round Gen gen Type type Zone zone""".split()
_NOT_AFTER = SuffixMatcher(_NOT_AFTER_WORDS + ["ตู้ ปณ."])
_YEAR_WORDS = ("ปี", "พ.ศ.", "พ.ศ", "ค.ศ.", "ค.ศ")
# Words that may follow a unit without a space (60 ล้านคนในช่วง, 28 วันที่ผ่านมา): the tokenizer
# may glue them to the unit (คนใน, วันที่), which must not hide the unit.
_NEXT_WORD = re.compile(trie_pattern("""ที่ ซึ่ง และ ต่อ จาก ใน ของ โดย แล้ว เพื่อ นี้ นั้น ละ หรือ กับ ให้ ได้ เป็น คือ
 จึง จะ ก็ แต่ ไป มา ขึ้น ลง เศษ กว่า แรก สุดท้าย เท่านั้น ทั่ว ทั้ง รวม ตาม ถึง เข้า อยู่ มี ด้วย เหลือ อีก ยัง เพิ่ม
 ใหม่ เดียว หลัง ก่อน ไทย ติดต่อกัน โดยประมาณ ข้างหน้า สำหรับ คาด ภายใน ระหว่าง ต้อง พร้อม เช่น ได้แก่ อาทิ ประกอบ
 คิดเป็น มูลค่า จำนวน สามารถ ถูก ไม่ ทำ ทั่วประเทศ สำคัญ ครับ ค่ะ คะ""".split()))
_MONTH_ENDS = SuffixMatcher(MONTH_FORMS)
# A strict unit glued to a word that the tokenizer splits off (5,099 จุดสำคัญ, 7 แห่งคงเดิม) is still a
# unit -- except นาย, which glued to a word is the title of a name (ฮอลล์ 9-10 นายประเสริฐ), and บ้าน and
# วัด, which begin place names (สัญญา 4-5 บ้านโพ, โรงเรียนเทศบาล 1 วัดลำลูกบัว).
_NEVER_GLUED = frozenset(("นาย", "บ้าน", "วัด"))
_LAW_AFTER = re.compile(r"[ \t]*(?:พระราชบัญญัติ|พระราชกำหนด|พระราชกฤษฎีกา|ประมวลกฎหมาย|รัฐธรรมนูญ|กฎหมาย|ระเบียบ"
                        r"|ประกาศ|พ\.ร\.|อนุสัญญา|สนธิสัญญา)")
_ORDINAL_AFTER_UNIT = re.compile(r"ที่[ \t]*\d")
_WEIGHT_BEFORE = SuffixMatcher(["หนัก", "ทองคำ", "ทอง", "หนักประมาณ", "หนักรวม", "ทองคำหนัก"])
# ทั้งสองฝ่าย "both sides", ระหว่างสองประเทศ "between the two countries": relations, not counts.
# (Only สอง: ระหว่างสามประเทศ counts three countries.)
_RELATION_BEFORE = SuffixMatcher(["ทั้ง", "ระหว่าง"])
_ORDINAL_OK_BEFORE = ("อยู่", "ไว้", "เป็น", "ระดับ", "คือ")  # อยู่ที่ 3 ล้านคน is a quantity
_TIME_AFTER = re.compile(r"[ \t]*(?:น\.|นาฬิกา|[:.]\d\d[ \t]*น)")
_LIST_ITEM = re.compile(r"\.(?!\d)|\)")  # "2." or "2)" opening a list item
_URL = re.compile(r"(?:https?://|www\.)\S+", re.ASCII)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+", re.ASCII)
# "1 ตำบล 1 ผลิตภัณฑ์", "หนึ่งอำเภอหนึ่งทุน": slogans and program names, not counts.
_SLOGAN = re.compile(
    r"(?:1|หนึ่ง)[ \t]*(?!ล้าน|แสน|หมื่น|พัน|ร้อย)[ก-ฮะ-์]{2,12}?[ \t]*(?:1|หนึ่ง)(?![\d.,])[ \t]*[ก-ฮ]")
# Money words that make a bare amount baht: วงเงิน 500,000 / งบประมาณกว่า 20 ล้าน.
_MONEY_WORD = re.compile(
    r"(?:วงเงิน|งบประมาณ|งบฯ?|มูลค่า|ราคา|เงิน|ค่าใช้จ่าย|รายได้|ลงทุน|ทุน|กำไร|ขาดทุน|ยอดขาย|ค่าจ้าง|ค่าตอบแทน"
    r"|ค่าเสียหาย|ค่าปรับ|เงินเดือน|ประกัน|รางวัล|สินเชื่อ|เงินกู้|หนี้|ภาษี|บริจาค|ชดเชย)[ก-ฮะ-์]{0,8}$")
_FILLER_BEFORE = SuffixMatcher("""จำนวน รวมทั้งสิ้น รวมทั้งหมด ทั้งสิ้น ทั้งหมด รวม อยู่ที่ ได้ เป็น มี ถึง อีก เพิ่มขึ้น เพิ่ม ลดลง
 ลด กว่า มากกว่า ประมาณ ราว ไม่เกิน ไม่ต่ำกว่า ไม่น้อยกว่า สูงสุด เกือบ ร่วม โดย คิดเป็น""".split())
_CHUNK_REV = re.compile(r"[^\s,;:()\[\]\"']+")

# Number words that cannot start a number on their own (สิบ can: สิบปี, ร้อยละสิบ).
_BARE_MULTIPLIERS = ("ร้อย", "พัน", "หมื่น", "แสน", "ล้าน")
# Thai characters that never begin a syllable (vowel signs, tone marks, ะ า ำ): a unit followed by one
# is the head of a longer word (ท่าน|้ำ is ท่าน้ำ, a pier), so it did not end there.
_NOT_SYLLABLE_START = frozenset("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅ")
# ...เฉลิมพระเกียรติ 80 พรรษา, ...เฉลิมพระเกียรติ 7 รอบ: a commemorated royal age names a building or fair
_AGE_UNITS = frozenset(("พรรษา", "รอบ"))
_COMMEMORATIVE_BEFORE = SuffixMatcher(["เฉลิมพระเกียรติ", "เฉลิมพระเกียรติฯ"])
# พันตำรวจเอก, สิบตำรวจโท: ranks, not a number of policemen
_RANK_AFTER = re.compile(r"(?:เอก|โท|ตรี)")
# ปีงบประมาณ 2566, งบกลางปี 2566, งบกลาง 2566, พ.ศ. 2566: a Buddhist-era year (ปี even at the end of a word)
_YEAR_BEFORE = SuffixMatcher(["ปี", "พ.ศ.", "พ.ศ", "ปีงบประมาณ", "งบประมาณ", "ปีงบฯ", "งบฯ", "งบกลาง", "ปีการศึกษา",
                              "ปีบัญชี"])
_CE_YEAR_BEFORE = SuffixMatcher(["ค.ศ.", "ค.ศ"])
# โควิด - 19: the spaced dash of a name (a Thai word before a spaced dash is a list separator: ภาคกลาง - 22 จังหวัด)
_NAME_BEFORE_DASH = SuffixMatcher(["โควิด", "โคโรนา", "ไวรัสโคโรนา"])
# units that also weigh gold or people (ทองคำหนัก 2 บาท, หนัก 5 ปอนด์)
_WEIGHT_TOO = frozenset(("THB", "GBP"))
# Words between a money word and a number that make the number an ordinal: ประกันรายได้ระยะ 4.
_PHASE_WORDS = ("ระยะ", "ระยะที่", "เฟส", "งวด", "งวดที่", "ครั้ง", "ครั้งที่", "รุ่น", "ข้อ", "ขั้น")
BIG = Decimal(1_000_000)
HALF = Decimal("0.5")
_RULE_OF_KIND = {"currency": "figures/money", "percent": "figures/percent"}


def _is_thai_letter(ch: str) -> bool:
    return bool(ch) and "\u0e01" <= ch <= "\u0e4e"


def _about(norm: str, start: int, line_start: int) -> str | None:
    """What a figure counts: the word group right before it (ผู้เข้าร่วมโครงการ 446 คน)."""
    lo = max(line_start, start - 80)
    end = start
    while (found := _FILLER_BEFORE.find(norm, end)) is not None and found[0] >= lo:
        end = found[0]  # drop จำนวน, รวม, อยู่ที่ ... between the noun and the number
    while end > lo and norm[end - 1] in " \t":
        end -= 1
    m = _CHUNK_REV.match(norm[max(lo, end - 40):end][::-1])
    return m.group()[::-1] if m and len(m.group()) > 1 else None


def _spans_of(rx: re.Pattern[str], norm: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(norm)]


class _Blocked:
    """Sorted, possibly overlapping spans where no figure may start (dates, URLs, slogans)."""

    __slots__ = ("spans", "_starts", "_reach")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self._starts = [s for s, _ in self.spans]
        # _reach[i]: the furthest end among spans[:i + 1] (asked for every candidate: bisect, no loop)
        self._reach = list(accumulate((e for _, e in self.spans), max))

    def hit(self, s: int, e: int) -> bool:
        # the spans starting before e are a prefix; one of them overlaps [s, e) iff its furthest end is past s
        i = bisect_left(self._starts, e)
        return i > 0 and self._reach[i - 1] > s


class FigureExtractor(RuleExtractor):
    name = "figures"
    family = "figures"
    requires = ("dates",)  # numbers inside dates are not figures

    def extract(self, doc: Doc) -> list[Mention]:
        norm = doc.norm
        spans = [(m.norm_start, m.norm_end) for m in doc.mentions_of("dates")]
        if "http" in norm or "www." in norm:
            spans += _spans_of(_URL, norm)
        if "@" in norm:
            spans += _spans_of(_EMAIL, norm)
        if "1" in norm or "หนึ่ง" in norm:
            spans += [sp for sp in _spans_of(_SLOGAN, norm)
                      if not (sp[0] and norm[sp[0] - 1] in "0123456789.,")]
        blocked = _Blocked(spans)
        out: list[Mention] = []
        taken: list[tuple[int, int]] = []  # spans of figures made (a later scan hit inside is skipped)
        pos = 0
        spans_iter = iter(blocked.spans)
        next_block = next(spans_iter, None)
        for r in _DIGIT_RUN.finditer(norm):
            p = r.start()
            if p < pos:
                continue
            while next_block is not None and next_block[1] <= p:
                next_block = next(spans_iter, None)
            if next_block is not None and next_block[0] <= p:
                continue  # inside a date, a URL or a slogan
            start = None
            q = p
            while q > 0 and norm[q - 1] in " \t":
                q -= 1
            if q and norm[q - 1] == "ะ":
                start = _PCT_BEFORE.start(norm, q, skip_spaces=False)  # ร้อยละ 5
            elif p and norm[p - 1] in _SIGN_LAST:
                start = _SIGN_BEFORE.start(norm, p, skip_spaces=False)  # $5, US$5
            m = FIGURE_RE.match(norm, p if start is None else start)
            if m is None or m.start("n1") != p:
                m = FIGURE_RE.match(norm, p)
            if m is None:
                continue
            made = self._figure(doc, m, blocked)
            if made:
                out.extend(made)
                pos = m.end()
                taken.append((m.start(), m.end()))
        for w in _WORD_NUMBER_SCAN.scan(norm)[_WORD_NUMBER]:
            p = w.start()
            if not doc.starts_token(p) and not (norm.startswith("ทั้ง", p - 4) and p >= 4 and doc.starts_token(p - 4)):
                continue  # (ทั้งสอง, ทั้งสาม: the tokenizer keeps them whole)
            for ts, te in taken:  # (a loop: no generator per word, most words are rejected above)
                if ts <= p < te:
                    break
            else:
                q = p
                while q > 0 and norm[q - 1] in " \t":
                    q -= 1
                prev = norm[q - 1] if q else ""
                if prev.isdigit():
                    continue  # ปี 18 ล้าน: the multiplier of a number already judged (and rejected)
                start = _PCT_BEFORE.start(norm, q, skip_spaces=False) if prev == "ะ" else None
                m = FIGURE_RE.match(norm, p if start is None else start)  # ร้อยละสิบ
                if m is not None and m.start("n1") == p:
                    made = self._figure(doc, m, blocked)
                    out.extend(made)
                    if made:
                        taken.append((m.start(), m.end()))
        out.sort(key=lambda mention: mention.norm_start)
        # "ประมาณ 22 ชั่วโมง 20 นาที": one duration written in two units shares its qualifier
        for before, after in zip(out, out[1:]):
            if after.attrs["qualifier"] is None and before.attrs["qualifier"] is not None \
                    and _KIND_OF.get(before.attrs["unit"]) == "time" == _KIND_OF.get(after.attrs["unit"]) \
                    and not norm[before.norm_end:after.norm_start].strip():
                after.attrs["qualifier"] = before.attrs["qualifier"]
        return out

    # -- one candidate ------------------------------------------------------
    def _figure(self, doc: Doc, m: re.Match[str], blocked: _Blocked) -> list[Mention]:
        norm = doc.norm
        # every group at once: one call instead of a dozen lookups by name per candidate
        pct, sign, n1_text, m1, _, n2, m2, post, unit_group, unit2, post2 = m.groups()
        n1s, n1e = m.span("n1")
        words = not n1_text[0].isdigit()
        marked = pct is not None or sign is not None  # ร้อยละ 5, $5
        if blocked.hit(n1s, n1e):
            return []
        if words and not ((doc.starts_token(n1s) or _starts_after_both(doc, n1s)) and (m.start("unit") == n1e or (
                ("ล้าน" in n1_text or pct) and doc.ends_token(n1e)))):
            # number words are written glued to their classifier (หนึ่งแห่ง, สามปี) or after ร้อยละ
            # (ร้อยละสิบ); anything else is a word that merely contains them: สามารถ, ห้าง, พันธมิตร
            return []
        if words and n1_text.startswith(_BARE_MULTIPLIERS) and (
                n1_text == "ร้อยเอ็ด" or _QUAL_BEFORE.find(norm, m.start()) is None):
            # ล้านความรู้สึก, นับพันคน, พันตำรวจเอก (a rank), พันปีหลวง (a title), ร้อยเอ็ด (a province): a
            # multiplier word without a digit word before it is a manner of speaking or part of a word --
            # unless a qualifier bounds it: กว่าแสนคน is more than 100,000 people
            return []
        if not marked and self._not_a_quantity(doc, m, n1s, n1e, n1_text, words, m1, unit_group):
            return []

        # -- unit ------------------------------------------------------------
        unit = kind = None
        unit_form = unit_group
        end = m.end("unit") if unit_form else -1
        if unit_form:
            ue = m.end("unit")
            if norm[ue:ue + 1] in _NOT_SYLLABLE_START or (
                    unit_form in _STRICT_END and _is_thai_letter(norm[ue:ue + 1]) and not _NEXT_WORD.match(norm, ue)
                    and (unit_form in _NEVER_GLUED or not doc.ends_token(ue))):
                # a unit that also starts common compounds runs on into another word: ศูนย์บริการ,
                # นายกรัฐมนตรี, ตัวแทน, ดอกเบี้ย.  Other units are units whatever follows (9 เรื่องสำคัญ).
                unit_form, end = None, -1
            else:
                unit, kind = _UNIT_OF[unit_form], _KIND_OF[unit_form]
                if unit_form == "แห่ง" and _LAW_AFTER.match(norm, ue):
                    return []  # มาตรา 166 และ 167 แห่งพระราชบัญญัติ...: แห่ง is "of", the numbers are sections
                if _ORDINAL_AFTER_UNIT.match(norm, ue):
                    return []  # บ้านกลางอ่าว 1 หมู่ที่ 13: the unit word is an ordinal marker
                if unit in _WEIGHT_TOO and _WEIGHT_BEFORE.start(norm, m.start()) is not None:
                    unit, kind = unit_form, "measure"  # ทองคำหนัก 2 บาท: baht as a gold weight
                if unit_form == "ตำรวจ" and _RANK_AFTER.match(norm, ue):
                    return []
                if unit_form in _AGE_UNITS and _COMMEMORATIVE_BEFORE.start(norm, m.start()) is not None:
                    return []  # โรงพยาบาลเฉลิมพระเกียรติ 80 พรรษา: a name (but สวนเฉลิมพระเกียรติ 21 ไร่ is area)
                second = unit2
                if second and kind == "measure" and _KIND_OF.get(second) in ("measure", "time"):
                    unit, end = f"{unit_form}/{second}", m.end("unit2")  # ไมโครกรัม/ลูกบาศก์เมตร
        if pct:
            unit, kind = PERCENT, "percent"
        if sign and kind != "currency":
            unit, kind = _SIGN_OF[sign], "currency"
        if words and not unit and not m1 and "ล้าน" not in n1_text:
            return []
        if unit is None and _LIST_ITEM.match(norm, n1e) and not m1:
            return []  # "2." / "2)" opening a list item
        if kind == "count" and not m1 and not marked and "." in n1_text and _at_line_start(norm, n1s):
            return []  # "2.1 โครงการชดเชย...": a numbered sub-item (no count has a fraction at a line start)

        # -- value -------------------------------------------------------------
        v1 = parse_number(n1_text)
        if v1 is None:
            return []
        mult1 = multiplier_value(m1 or "")
        mult2 = multiplier_value(m2 or "")
        if unit_form in _ABBREVIATED_MILLION_BAHT:  # 350 ลบ. = 350 ล้านบาท
            mult1, mult2 = mult1 * BIG, mult2 * BIG
        elif unit_form in _SATANG:  # 40 สต. = 0.40 บาท
            mult1, mult2 = mult1 * SATANG, mult2 * SATANG
        if m2 and not m1:
            mult1 = mult2  # 10-20 ล้านบาท: the multiplier applies to both ends
        if unit_form and kind in ("time", "measure", "count") and norm.startswith("ครึ่ง", m.end("unit")) \
                and not n2:
            v1 += HALF  # 2 ปีครึ่ง, 2 ชั่วโมงครึ่ง
            end = m.end("unit") + len("ครึ่ง")
        if kind == "percent" and not marked and norm[n1s - 1:n1s] == "-" and norm[n1s - 2:n1s - 1] in (" ", "\t", "\n"):
            v1 = -v1  # เศรษฐกิจขยายตัว -1.5%: a negative change
        values = [v1 * mult1]
        num_end = m.end("m1") if m1 else n1e
        if n2:
            v2 = parse_number(n2)
            v2 = None if v2 is None else v2 * (mult2 if m2 else mult1)
            if v2 is not None and v2 > values[0]:
                values.append(v2)
                num_end = m.end("m2") if m2 else m.end("n2")
            elif unit_form:
                return []  # "3-1 คน"? a score or a code, not a range
        if unit is None:
            # An amount without a currency word is baht when a multiplier of a million or more
            # makes it money in news usage (3 พันล้าน, 4.74 หมื่นล้าน), or a money word precedes it.
            big = (m1 or m2 or words) and values[0] >= BIG
            if not big and (words or not self._money_word_before(norm, m.start())):
                return []
            q = num_end
            while q < len(norm) and norm[q] in " \t":
                q += 1
            if _is_thai_letter(norm[q:q + 1]) and not _NEXT_WORD.match(norm, q) and (not big or (
                    q == num_end and (words or not self._money_word_before(norm, m.start())))):
                # เงินเดือน 5,300 เชคเกล, 2.3 ล้านเลขหมาย: a unit we do not know follows, not baht
                # (but งบประมาณ 20 ล้านดำเนินการ is money: the money word says so)
                return []
            if n2 and len(values) == 1:
                return []
            unit, kind = "THB", "currency"
        if end < 0:
            end = num_end

        # -- qualifier -------------------------------------------------------
        start = m.start()
        qualifier = None
        found = _QUAL_BEFORE.find(norm, start)
        if found is not None and (doc.starts_token(found[0]) or not _is_thai_letter(norm[found[0] - 1:found[0]])):
            qualifier = _QUALIFIER_BEFORE[found[1]]
            start = found[0]
        if post and (unit_group is None or m.start("post") < m.start("unit")):
            qualifier = qualifier or _QUALIFIER_AFTER.get(post)
            end = max(end, m.end("post"))
        if post2 and unit_form:
            qualifier = qualifier or _QUALIFIER_AFTER.get(post2)
            end = max(end, m.end("post2"))

        line_start = norm.rfind("\n", 0, start) + 1
        about = _about(norm, start, line_start)
        rule = "figures/thai_words" if words else _RULE_OF_KIND.get(kind or "", "figures/quantity")
        out = []
        for value in values:
            num = to_number(value)
            mention = doc.mention(self.family, start, end, rule, f"{num}|{unit}",
                                  text="", value=num, unit=unit, qualifier=qualifier, about=about)
            mention.attrs["text"] = mention.text
            out.append(mention)
        return out

    @staticmethod
    def _money_word_before(norm: str, start: int) -> bool:
        """A money word (วงเงิน, งบประมาณ, มูลค่า ...) right before ``start``, past จำนวน and a qualifier."""
        end = start
        qs = _QUAL_BEFORE.start(norm, end)
        if qs is not None:
            end = qs
        while end > 0 and norm[end - 1] in " \t":
            end -= 1
        if norm.endswith("จำนวน", 0, end):
            end -= len("จำนวน")
        if norm.endswith(_PHASE_WORDS, 0, end):
            return False  # ประกันรายได้ระยะ 4, เงินงวด 2: a phase or an instalment's number
        return bool(_MONEY_WORD.search(norm, max(0, end - 20), end))

    @staticmethod
    def _not_a_quantity(doc: Doc, m: re.Match[str], n1s: int, n1e: int, n1_text: str, words: bool,
                        m1: str | None, unit_group: str | None) -> bool:
        """Context that makes a number an ordinal, a code, a name, a time or part of a date."""
        norm = doc.norm
        prev, prev2 = norm[n1s - 1:n1s], norm[n1s - 2:n1s - 1]
        # glued to letters, codes or other numbers: COVID-19, โควิด-19, Web3, SCA#2, 99/1, 3.5.1
        if prev and prev.isascii() and (prev.isalnum() or prev in "#_/.,@:"):
            return True
        if prev == "+" and prev2.isdigit():
            return True  # กม. 15+200
        if prev == "-" and prev2 and not prev2.isspace() and prev2 != "%":  # 0.7%-1.4% is a range
            return True
        if prev == "-" and _KIND_OF.get(unit_group or "") != "percent":
            q = n1s - 1
            while q > 0 and norm[q - 1] in " \t":
                q -= 1
            if q > 0 and norm[q - 1].isalpha():
                return True  # โควิด -19, COVID -19: a name (but ขยายตัว -2.3% is a negative change)
        if norm.rfind("#", 0, n1s) >= 0:  # (most articles have no "#": skip the three searches back)
            chunk_start = max(norm.rfind(" ", 0, n1s), norm.rfind("\n", 0, n1s), norm.rfind("\t", 0, n1s)) + 1
            if norm.startswith("#", chunk_start):
                return True  # #ช่วย24ชั่วโมง: a hashtag
        q = n1s
        while q > 0 and norm[q - 1] in " \t":
            q -= 1
        if q > 0 and norm[q - 1] == "-":
            q -= 1
            while q > 0 and norm[q - 1] in " \t":
                q -= 1
            if q > 0 and norm[q - 1].isdigit():
                return True  # 281 - 1 - 77 ไร่ (rai-ngan-wah) or a code: the tail of a dash chain
            if q > 0 and _KIND_OF.get(unit_group or "") != "percent" and (
                    norm[q - 1].isascii() and norm[q - 1].isalpha()
                    or _NAME_BEFORE_DASH.start(norm, q, skip_spaces=False) is not None):
                return True  # โควิด - 19 แบบ, COVID – 19: a name with a spaced dash (MRR - 2% is a rate)
        if len(n1_text) in (2, 4) and _month_before(norm, n1s):
            return True  # กุมภาฯ 68, ธ.ค. 2566: a year after a month name
        if len(n1_text) == 4 and n1_text.isdigit() and not m1 and _KIND_OF.get(unit_group or "") != "currency" and (
                ("2400" <= n1_text <= "2600" and _YEAR_BEFORE.start(norm, n1s) is not None)
                or ("1900" <= n1_text <= "2100" and _CE_YEAR_BEFORE.start(norm, n1s) is not None)):
            return True  # งบกลางปี 2566 รายการ..., ปีงบประมาณ 2566: a year (ปี even at the end of a word)
        nxt = norm[n1e:n1e + 1]
        if nxt and nxt.isascii() and nxt.isalpha() and not m1 and not (
                unit_group and m.start("unit") == n1e):
            return True  # 5G, 3D, 4K
        if nxt in ("/", "+", ":") and norm[n1e + 1:n1e + 2].isdigit():
            return True  # 99/1, กม. 15+200, 10:30
        if not words and n1_text[0] == "0" and len(n1_text) > 1 and n1_text[1].isdigit():
            return True  # 02 123 4567, 081...: phone numbers and codes
        gap = n1e
        while gap < len(norm) and gap < n1e + 3 and norm[gap] in " \t":
            gap += 1
        mm = MONTH_RE.match(norm, gap)
        if mm and not month_tail_of_abbreviation(norm, gap):
            return True  # a day before a month name, even one the dates family did not report
        if not unit_group and _TIME_AFTER.match(norm, n1e):
            return True  # 10.00 น.
        if _KIND_OF.get(unit_group or "") in ("percent", "currency"):
            return False  # อยู่ที่ 87%, ระดับ 60%, เดิมที่ 260 บาท: ordinals never carry a per cent or a currency
        start = m.start()
        found = _NOT_AFTER.find(norm, start)
        # a marker must start a word: ที่ inside พื้นที่, ปี inside สปีด are not markers
        if found is not None and (doc.starts_token(found[0]) or not _is_thai_letter(norm[found[0] - 1:found[0]])):
            marker = found[1]
            # ปี before a number marks a year (ปี 2566, ปี 66), not "3 ปี 5 เดือน"
            if not marker.endswith(_YEAR_WORDS) or (len(n1_text) in (2, 4) and not m1):
                return True  # (ต่อปี 18 ล้าน: a year is never followed by a multiplier)
        q = start
        while q > 0 and norm[q - 1] in " \t":
            q -= 1
        if norm.endswith("ที่", 0, q) and not m1 and n1_text.isdigit():
            if doc.starts_token(q - 3) and not norm[max(0, q - 12):q - 3].rstrip().endswith(_ORDINAL_OK_BEFORE):
                return True  # ที่ 3: an ordinal (but อยู่ที่ 3 ล้านคน is a quantity)
        if q > 0 and norm[q - 1] in "\"'" and not m1:
            return True  # "3 แกน สร้างอนาคต": a quoted name
        if words and n1_text == "สอง" and _KIND_OF.get(unit_group or "") != "time" \
                and _RELATION_BEFORE.start(norm, start) is not None:
            return True  # ทั้งสองฝ่าย, ระหว่างสองประเทศ (but ระหว่างสามประเทศ is three, ทั้งสองวัน two days)
        return False

    def merge_attrs(self, mentions: list[Mention]) -> dict[str, Any]:
        """The first mention's fields (its qualifier is what the article first states); an 'about'
        missing there is taken from a later mention."""
        attrs = dict(mentions[0].attrs)
        if attrs.get("about") is None:
            attrs["about"] = next((m.attrs["about"] for m in mentions if m.attrs.get("about")), None)
        return attrs



def _month_before(norm: str, pos: int) -> bool:
    """A month name (กุมภาฯ, ธ.ค.) right before ``pos``: the number there is its year."""
    q = pos
    while q > 0 and norm[q - 1] in " \t":
        q -= 1
    if q > 0 and norm[q - 1] == "ฯ":
        q -= 1
    return _MONTH_ENDS.start(norm, q, skip_spaces=False) is not None


def _at_line_start(norm: str, pos: int) -> bool:
    """Only spaces (or nothing) between the start of the line and ``pos``."""
    q = pos
    while q > 0 and norm[q - 1] in " \t":
        q -= 1
    return q == 0 or norm[q - 1] == "\n"


def _starts_after_both(doc: Doc, pos: int) -> bool:
    """A number word glued to ทั้ง in one token (the tokenizer keeps ทั้งสอง, ทั้งสาม whole)."""
    return pos >= 4 and doc.norm.startswith("ทั้ง", pos - 4) and doc.starts_token(pos - 4)
