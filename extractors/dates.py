"""dates: calendar dates, months and years named in Thai news, as ISO 8601 (Gregorian).

What is read (all on ``doc.norm``, so Thai digits and curly quotes are already normalised):

* day + month (+ year): ``14 มิถุนายน 2566``, ``2 ต.ค. 63``, ``วันพุธที่ 10 พฤศจิกายน พ.ศ. 2564``,
  ``1 พฤศจิกายน2563``; day ranges ``1-30 พฤศจิกายน 2563``, ``2 - 5 ธ.ค. 67``;
* month + year: ``ตุลาคม 2565``, ``ก.ย. 63``; month ranges ``พฤษภาคม-มิถุนายน 2565``,
  ``27 สิงหาคม - 9 กันยายน 2563`` (the first part takes the year of the second);
* a year: ``ปี 2566``, ``พ.ศ. 2566``, ``ปี 66``, ``ปี'62``, ``ค.ศ. 2030``, fiscal and tax years
  (``ปีงบประมาณ พ.ศ. 2567`` → 2024), year ranges (``ปี 2562-2564``), a bare Buddhist-era year (``2564``);
* numeric dates ``14/06/2566``;
* relative words (``วันนี้``, ``เมื่อวานนี้``, ``ปีหน้า``...) only when the article's publication date
  is known (SCHEMA.md); dates without a year take the publication year (the neighbouring year when
  that is much nearer), or, with no publication date, the year of the nearest dated mention.

Buddhist-era years (> 2400, or two digits) are converted to the Gregorian calendar.
Times of day (``เวลา 10.00 น.``) are not dates and are never matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.data import entries
from khaosan.extractors.word_regex import MultiScan, trie_pattern
from khaosan.pipeline.doc import Doc, Mention

BE_OFFSET = 543

# ---------------------------------------------------------------- month names
_MONTH_OF: dict[str, int] = {}  # surface form -> month number
_MONTH_KIND: dict[str, str] = {}  # surface form -> full | abbr | short


def _abbr_variants(form: str) -> list[str]:
    """``ม.ค.`` is also written ``ม.ค``, ``มค.`` and ``มค``; the dot-less forms need a day or year nearby."""
    bare = form.replace(".", "")
    return [form, form.rstrip("."), bare + ".", bare]


for _e in entries("months"):
    for _f in _e["full"]:
        _MONTH_OF[_f], _MONTH_KIND[_f] = _e["month"], "full"
    for _a in _e.get("abbr", []):
        for _v in _abbr_variants(_a):
            _MONTH_OF.setdefault(_v, _e["month"])
            _MONTH_KIND.setdefault(_v, "abbr")
    for _s in _e.get("short", []):
        _MONTH_OF.setdefault(_s, _e["month"])
        _MONTH_KIND.setdefault(_s, "short")

# Dot-less abbreviations (มค, กพ) are letter pairs found inside ordinary words (มีคน, ครอบครอง):
# they count only when no Thai letter follows.  A month form must not run on into a longer Thai
# abbreviation (ก.ค.ศ. is a commission, not July); not being the tail of one (the ม.ค. inside
# อ.ม.ค.) is checked by :func:`month_tail_of_abbreviation` (a look-behind would slow the scan).
MONTH_FORMS: tuple[str, ...] = tuple(_MONTH_OF)
_GUARDS = {f: ("(?![ก-๎])" if _MONTH_KIND[f] == "abbr" and "." not in f else "(?![ก-ฮ]\\.)") for f in _MONTH_OF}
MONTH_RE = re.compile(trie_pattern(_MONTH_OF, _GUARDS))


def month_tail_of_abbreviation(norm: str, start: int) -> bool:
    """True when the month form at ``start`` continues a dotted abbreviation (อ.ม.ค.)."""
    return start >= 2 and norm[start - 1] == "." and "\u0e01" <= norm[start - 2] <= "\u0e2e"
_ABBREVIATION_MARK = "ฯ"  # กุมภาฯ, ก.พ.ฯ: a shortened word

# ---------------------------------------------------------------- pieces around a month
# Year after a month: "2566", "พ.ศ. 2566", "66", "'62".  A year is never followed by more digits
# or by a thousands group ("ธ.ค. 66,000" is an amount).
_YEAR_AFTER = re.compile(
    r"[ \t]*(?:(?P<era>พ\.ศ\.?|ค\.ศ\.?|ปี)[ \t]*)?'?(?P<y>\d{4}|\d{2})(?![\d])(?![.,]\d)")
# Day (or day range) right before a month: "14 ", "1-30 ", "8- 21 ", "วันพุธที่ 10 ".
_DAY_BEFORE = re.compile(
    r"(?:(?<![\d.,:/])(?P<d1>[0-3]?\d)[ \t]*(?:-|ถึง|จนถึง|และ|,)[ \t]*(?:วันที่[ \t]*)?)?"
    r"(?<![\d.,:/])(?P<d2>[0-3]?\d)[ \t]*$")
# Between the first and second part of a range: "27 สิงหาคม - 9 กันยายน", "ส.ค.- 2 ก.ย.", "พ.ค.-ก.ค.".
_RANGE_GAP = re.compile(r"[ \t]*(?:-|ถึง|จนถึง)[ \t]*(?:วันที่[ \t]*)?(?:[0-3]?\d[ \t]*)?$")

# Years with a marker.  Fiscal, tax, academic and crop years are the year number itself.
# (The markers are factored on their first letter: same order, fewer comparisons per position.)
_YEAR_EXPR = re.compile(
    r"(?P<pre>ป(?:ีงบประมาณ|ีงบฯ|ีงบ|ีภาษี|ีการศึกษา|ีการผลิต|ีบัญชี|ี)|พ\.ศ\.?|ค\.ศ\.?)"
    r"[ \t]*(?:(?P<era>พ\.ศ\.?|ค\.ศ\.?)[ \t]*)?(?P<q>')?(?P<y>\d{4}|\d{2})(?![\d])(?![.,]\d)"
    r"(?:[ \t]*(?:-|ถึง)[ \t]*(?:(?:พ\.ศ\.?|ค\.ศ\.?|ปี)[ \t]*)?(?P<y2>\d{4})(?![\d])(?![.,]\d))?")
# A Buddhist-era year standing alone: 2475-2599, not an amount (no comma, no decimals) nor a code.
_BARE_YEAR = re.compile(
    r"(?P<y>2[45]\d\d)(?![\d])(?![.,]\d)(?!/\d)"
    r"(?:[ \t]*-[ \t]*(?P<y2>2[45]\d\d)(?![\d])(?![.,]\d))?")
# 14/06/2566, 1/6/66.  The day is [0-3]?\d written as "a digit, then another if the first was 0-3":
# a pattern that starts with a digit class lets the regex engine skip to digits in C.
_NUMERIC = re.compile(r"(?P<d>\d(?:(?<=[0-3])\d)?)/(?P<m>[01]?\d)/(?P<y>\d{4}|\d{2})(?![\d/])")

# What may follow a bare number for it to be a year rather than a count ("2500 คน" is a count).
_UNIT_AFTER = re.compile(r"[ \t]*(?:คน|ราย|บาท|ล้าน|แสน|หมื่น|พัน|ไร่|ตัน|แห่ง|%|เปอร์เซ็นต์|ชิ้น|ครัวเรือน|หน่วย|กิโล|เมตร|ลิตร)")

_EXPLICIT_AFTER = re.compile(r"[ \t]*\(?[ \t]*(?:วัน[ก-๙]*ที่[ \t]*)?")
_PHONE_BEFORE = re.compile(r"(?:โทร|โทรศัพท์|โทรสาร|แฟกซ์|[Tt]el|[Ff]ax|\d[ \t]*ต่อ)[.: \t]*[\d \t-]*$")

_WORDS = sorted(entries("date_words"), key=lambda e: len(e["form"]), reverse=True)
_REL_OF = {e["form"]: (e["unit"], e["offset"]) for e in _WORDS}
_RELATIVE_RE = re.compile(trie_pattern(_REL_OF))
# ทุกวันนี้ "nowadays", เร็ววันนี้ "soon", หลายปีที่ผ่านมา "the past years", ครึ่งปีที่ผ่านมา "the past
# half year", ทีละปี ปีหน้า "year after year": not one calendar day, month or year.
_NOT_RELATIVE_AFTER = re.compile(r"(?:ทุก|เร็ว|หลาย|ครึ่ง|กี่|ทีละ|แต่ละ)[ \t]?$")
_COUNT_BEFORE = re.compile(r"\d[ \t]?$")  # 10 ปีที่ผ่านมา: a span of years, not last year

# Month names, year markers and relative words found in one pass (word_regex.MultiScan).
_SCAN = MultiScan([
    (MONTH_RE, MONTH_FORMS),
    (_YEAR_EXPR, ("ปี", "พ.ศ", "ค.ศ")),
    (_RELATIVE_RE, _REL_OF),
])

# ม.ค. ปีนี้, มิถุนายนปีที่แล้ว: a month in a year named relative to the publication date
_REL_YEAR_AFTER = re.compile(r"[ \t]*(?P<w>" + trie_pattern(f for f, (unit, _) in _REL_OF.items() if unit == "year")
                             + r")")

_WEEKDAY = re.compile(r"วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัสฯ|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?[ \t]*(?:ที่)?[ \t]*$")


def year_to_ce(raw: str, era: str | None = None) -> int | None:
    """A written year to the Gregorian calendar; None if it cannot be a year of news.

    Four digits: Buddhist era above 2400 (2566 → 2023) unless marked ค.ศ.; Gregorian otherwise.
    Two digits are Buddhist-era 25xx (66 → 2023); only 40-99 (1997-2056) are taken.
    """
    y = int(raw)
    if len(raw) == 2:
        if era and era.startswith("ค"):
            return None
        return 2500 + y - BE_OFFSET if 40 <= y <= 99 else None
    if era and era.startswith("ค"):
        return y if 1000 <= y <= 2200 else None
    if y > 2400:
        y -= BE_OFFSET
        return y if 1800 <= y <= 2200 else None
    return y if 1800 <= y <= 2200 else None


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


@dataclass(slots=True)
class DateHit:
    """One date found in the normalised text (a range gives two hits with the same span)."""

    start: int
    end: int
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    granularity: str  # day | month | year
    rule: str


@dataclass(slots=True)
class _MonthAnchor:
    start: int  # start of the whole expression (day included)
    end: int  # end of the whole expression (year included)
    month: int
    days: tuple[int, ...]
    year: int | None
    kind: str
    month_start: int


def _nearest_year(pub: date, month: int, day: int) -> int:
    """The year of a yearless date: the publication year, unless that puts the date more than
    200 days away and the neighbouring year is nearer (25 ธันวาคม in a January article)."""
    def distance(y: int) -> int:
        try:
            return abs((date(y, month, min(day, 28)) - pub).days)
        except ValueError:
            return 10**6
    if distance(pub.year) <= 200:
        return pub.year
    return min((pub.year - 1, pub.year, pub.year + 1), key=distance)


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month_anchors(norm: str, ends_token, months: list[re.Match[str]]) -> list[_MonthAnchor]:
    out: list[_MonthAnchor] = []
    for m in months:
        if month_tail_of_abbreviation(norm, m.start()):
            continue
        form = m.group()
        kind = _MONTH_KIND[form]
        month = _MONTH_OF[form]
        start, end = m.start(), m.end()
        marked = norm.startswith(_ABBREVIATION_MARK, end)
        if marked:
            end += 1
        # the month must end a word: ตุลาการ is a judge, not ตุลา; มีนาคมนี้ is fine
        if kind != "abbr" and not ends_token(end) and end < len(norm) and "\u0e01" <= norm[end] <= "\u0e4e":
            if norm.startswith(("นี้", "ที่", "ปี", "และ", "ถึง", "จน", "เป็น", "ของ", "พ.ศ", "ค.ศ"), end):
                pass
            else:
                continue
        days: tuple[int, ...] = ()
        window = norm[max(0, start - 24):start]
        dm = _DAY_BEFORE.search(window)
        if dm:
            d2 = int(dm.group("d2"))
            d1 = int(dm.group("d1")) if dm.group("d1") else None
            if 1 <= d2 <= 31:
                days = (d2,) if d1 is None or not (1 <= d1 < d2) else (d1, d2)
                start = start - len(window) + dm.start() if days == (d1, d2) else start - len(window) + dm.start("d2")
        year = None
        ym = _YEAR_AFTER.match(norm, end)
        if ym:
            year = year_to_ce(ym.group("y"), ym.group("era"))
            if year is not None:
                end = ym.end()
        if kind == "short" and not days and not (year is not None and (marked or len(ym.group("y")) == 4)):
            continue  # เมษา, กันยา alone are names; กุมภาฯ 68 and เมษา 2566 are months
        if kind == "abbr" and form.count(".") == 0 and not days:
            continue  # dot-less มค needs a day
        out.append(_MonthAnchor(start, end, month, days, year, kind, m.start()))
    return out


def find_dates(norm: str, published: str | None = None, ends_token=lambda p: True) -> list[DateHit]:
    """Every date in ``norm``; yearless and relative ones only when ``published`` is given."""
    pub = _parse_published(published)
    hits: list[DateHit] = []
    claimed: list[tuple[int, int]] = []

    found = _SCAN.scan(norm)
    anchors = _month_anchors(norm, ends_token, found[MONTH_RE])
    relative_year: set[int] = set()  # ids of anchors whose year is a relative word (ม.ค. ปีนี้)
    if pub is not None:
        for a in anchors:
            if a.year is None and (rm := _REL_YEAR_AFTER.match(norm, a.end)) is not None:
                a.year, a.end = pub.year + _REL_OF[rm.group("w")][1], rm.end()
                relative_year.add(id(a))
    # A yearless first part of a range takes the year of the second part.
    for i, a in enumerate(anchors):
        if a.year is not None or i + 1 >= len(anchors):
            continue
        b = anchors[i + 1]
        gap = norm[a.end:b.month_start]
        if b.year is not None and len(gap) <= 20 and _RANGE_GAP.match(gap):
            a.year = b.year - 1 if a.month > b.month else b.year
            if id(b) in relative_year:
                relative_year.add(id(a))
            a.end = b.end  # the evidence is the whole range
            b.start = min(b.start, a.start)
    dated = [a for a in anchors if a.year is not None]
    # A month name alone is a date only as "เดือนตุลาคม", with a day, or as the other end of such a
    # range (เดือนมิถุนายน-สิงหาคม).
    alone_ok = [bool(a.days) or (a.kind == "full" and norm[max(0, a.month_start - 6):a.month_start].rstrip()
                                 .endswith("เดือน")) for a in anchors]
    for i in range(len(anchors) - 1):
        a, b = anchors[i], anchors[i + 1]
        if a.year is None and b.year is None and alone_ok[i] != alone_ok[i + 1] \
                and len(gap := norm[a.end:b.month_start]) <= 20 and _RANGE_GAP.match(gap):
            alone_ok[i] = alone_ok[i + 1] = True
    for a, ok in zip(anchors, alone_ok):
        year, rule = a.year, ("dates/month_relative_year" if id(a) in relative_year else "dates/day_month_year")
        if year is None:
            if not ok:
                continue
            if pub is not None:
                year, rule = _nearest_year(pub, a.month, a.days[0] if a.days else 15), "dates/published_year"
            else:
                # No publication date: the year of the nearest dated mention before it (else after it);
                # right for all 11 yearless dates of the dev set with their publication date removed.
                ref = next((d for d in reversed(dated) if d.start < a.start), None) or \
                    next((d for d in dated if d.start > a.start), None)
                if ref is None:
                    continue
                year, rule = ref.year, "dates/inferred_year"
        if a.days:
            for d in a.days:
                if _valid(year, a.month, d):
                    hits.append(DateHit(a.start, a.end, f"{year:04d}-{a.month:02d}-{d:02d}", "day", rule))
        else:
            hits.append(DateHit(a.start, a.end, f"{year:04d}-{a.month:02d}", "month",
                                "dates/month_year" if a.year is not None and id(a) not in relative_year else rule))
        claimed.append((a.start, a.end))

    def free(s: int, e: int) -> bool:
        return all(e <= cs or s >= ce for cs, ce in claimed)

    for m in _NUMERIC.finditer(norm) if "/" in norm else ():
        if m.start() and norm[m.start() - 1] in "0123456789/.":
            continue
        y = year_to_ce(m.group("y"))
        d, mo = int(m.group("d")), int(m.group("m"))
        if y and 1 <= mo <= 12 and _valid(y, mo, d) and free(m.start(), m.end()):
            hits.append(DateHit(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}", "day", "dates/numeric"))
            claimed.append((m.start(), m.end()))

    for m in found[_YEAR_EXPR]:
        if not free(m.start("y"), m.end("y")):
            continue
        pre = m.group("pre")
        era = m.group("era") or (pre if pre.startswith(("พ", "ค")) else None)
        raw = m.group("y")
        if len(raw) == 2 and not (pre.startswith("ปี") or m.group("q") or (era and era.startswith("พ"))):
            continue
        y = year_to_ce(raw, era)
        if y is None:
            continue
        rule = "dates/fiscal_year" if pre.startswith("ปีงบ") else "dates/year"
        end = m.end()
        hits.append(DateHit(m.start(), end, f"{y:04d}", "year", rule))
        if m.group("y2"):
            y2 = year_to_ce(m.group("y2"), era)
            if y2 is not None and y < y2 <= y + 50:
                hits.append(DateHit(m.start(), end, f"{y2:04d}", "year", rule))
        claimed.append((m.start(), end))

    for m in _BARE_YEAR.finditer(norm):
        before = norm[m.start() - 1:m.start()] if m.start() else ""
        if before and (before.isalnum() or before in ".,/:-_"):
            continue  # part of a longer number or code
        if not free(m.start(), m.end()) or _UNIT_AFTER.match(norm, m.end()):
            continue
        if _PHONE_BEFORE.search(norm, max(0, m.start() - 30), m.start()):
            continue  # โทร. 02 126 5800 ต่อ 2565: a phone extension
        y = year_to_ce(m.group("y"))
        if y is None or not 1932 <= y <= 2060:
            continue
        hits.append(DateHit(m.start(), m.end(), f"{y:04d}", "year", "dates/bare_year"))
        if m.group("y2"):
            y2 = year_to_ce(m.group("y2"))
            if y2 is not None and y < y2 <= y + 50:
                hits.append(DateHit(m.start(), m.end(), f"{y2:04d}", "year", "dates/bare_year"))
        claimed.append((m.start(), m.end()))

    if pub is not None:
        day_starts = {h.start for h in hits if h.granularity == "day"}
        for m in found[_RELATIVE_RE]:
            if not free(m.start(), m.end()) or _NOT_RELATIVE_AFTER.search(norm, max(0, m.start() - 6), m.start()):
                continue
            unit, offset = _REL_OF[m.group()]
            if unit != "day" and _COUNT_BEFORE.search(norm, max(0, m.start() - 2), m.start()):
                continue
            after = _EXPLICIT_AFTER.match(norm, m.end())
            if after and after.end() in day_starts:
                continue  # วันนี้ (4 ธันวาคม 2566): the article names the day itself
            if unit == "day":
                value, gran = (pub + timedelta(days=offset)).isoformat(), "day"
            elif unit == "month":
                k = pub.year * 12 + pub.month - 1 + offset
                value, gran = f"{k // 12:04d}-{k % 12 + 1:02d}", "month"
            else:
                value, gran = f"{pub.year + offset:04d}", "year"
            hits.append(DateHit(m.start(), m.end(), value, gran, f"dates/relative_{unit}"))
    hits.sort(key=lambda h: (h.start, h.value))
    return hits


class DateExtractor(RuleExtractor):
    name = "dates"
    family = "dates"

    def extract(self, doc: Doc) -> list[Mention]:
        out = []
        for h in find_dates(doc.norm, doc.article.published, doc.ends_token):
            out.append(doc.mention(self.family, h.start, h.end, h.rule, h.value,
                                   text="", value=h.value, granularity=h.granularity))
            out[-1].attrs["text"] = out[-1].text
        return out
