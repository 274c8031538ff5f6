"""Provinces: the 77 provinces of Thailand, with their ISO 3166-2:TH codes.

A province is named by its official name (เชียงใหม่), after a prefix
(จังหวัดเชียงใหม่, จ.เชียงใหม่, จ. เชียงใหม่, ผวจ.เชียงใหม่), or by an alias from
``data/curated/province_aliases.json`` (กรุงเทพฯ, กทม., โคราช, English names).

Rules, all general Thai usage (SCHEMA.md, "Provinces"):

* a bare name counts only at token boundaries, so แพร่ in แพร่ระบาด or ตาก in
  ตากแดด is not a province;
* names that are also ordinary words (เลย, แพร่, ตาก, น่าน: context "prefix")
  count only after a prefix or next to another province in a list
  (เชียงราย น่าน แพร่ และเลย);
* a district or sub-district (อำเภอเมืองน่าน, อ.เมืองตาก, ต.แพร่) is not its
  province, nor is a road (ถนนเพชรบุรี) or a person (นายสุรินทร์ ...);
* blockers (ณ อยุธยา, ศรีอยุธยา, บางนา-ตราด) hide the names inside them;
* a province inside a role (ผู้ว่าราชการจังหวัดระยอง) counts through its
  จังหวัด prefix; one inside an organisation's name is reported or not
  according to ``ORG_NAMES_COUNT`` (optional in the gold).

``province_by_name`` and ``province_by_iso`` give other extractors the cached
gazetteer (persons expand ผวจ.X, orgs may need the province of a body).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.data import entries
from khaosan.extractors.word_regex import MultiScan, loose_heads, trie_pattern
from khaosan.pipeline.doc import Doc, Mention

# A province name inside an organisation's name (โรงพยาบาลลำปาง) is optional in
# the gold.  On the 5 seeds and the 36 dev articles both choices score F1 1.0
# (every such name is either optional or also named elsewhere), so we keep the
# simpler rule: they count, as the other senses of a province name do.
ORG_NAMES_COUNT = True

# -- gazetteer ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Surface:
    """One matchable form: which province it names and when it counts."""

    province: str | None  # official Thai name; None for a blocker
    context: str  # "any" | "prefix" | "block"
    latin: bool  # matched on Latin word boundaries instead of Thai tokens


def _fold(name: str) -> str:
    """Lookup key: no white space, no abbreviation mark, Latin case-folded."""
    return re.sub(r"[\sฯ.]+", "", name).casefold()


@cache
def _gazetteer() -> dict[str, dict[str, Any]]:
    """Official Thai name → upstream entry (name, name_en, iso, lat, lon, region)."""
    return {e["name"]: e for e in entries("provinces")}


@cache
def _surfaces() -> dict[str, Surface]:
    """Every surface form (as written) → its Surface; official names first."""
    gaz = _gazetteer()
    aliases = entries("province_aliases")
    out: dict[str, Surface] = {name: Surface(name, "any", False) for name in gaz}
    # English names, except those of provinces whose Thai name is an ordinary word:
    # Nan, Tak, Loei, Phrae are as ambiguous in English (a person, NaN, ...) and come
    # from the aliases file with "Province" attached.
    needs_prefix = {a["province"] for a in aliases if a["context"] == "prefix"}
    for e in gaz.values():
        if e["name"] not in needs_prefix:
            out.setdefault(e["name_en"], Surface(e["name"], "any", True))
    for a in aliases:
        prov = a["province"]
        if prov is not None and prov not in gaz:
            raise ValueError(f"province_aliases: {a['surface']!r} names unknown province {prov!r}")
        out[a["surface"]] = Surface(prov, a["context"], a["surface"].isascii())
    return out


@cache
def _lookup() -> dict[str, str]:
    """Folded surface (also English names, ISO names) → official Thai name."""
    table: dict[str, str] = {}
    for e in _gazetteer().values():
        for form in (e["name"], e["name_en"], e.get("iso_name", ""), e["iso"]):
            if form:
                table[_fold(form)] = e["name"]
    for surface, s in _surfaces().items():
        if s.province is not None:
            table.setdefault(_fold(surface), s.province)
    return table


_PREFIX_STRIP = re.compile(r"^(?:ผู้ว่าราชการจังหวัด|ผวจ\.|จังหวัด|จ\.)\s*|\s*(?:province|จังหวัด)$", re.IGNORECASE)


def province_by_name(name: str) -> dict[str, Any] | None:
    """The gazetteer entry named by ``name`` (official, alias, English, ISO code; with
    or without จังหวัด/จ./ผวจ.), or None.  No context rule applies here: "เลย" gives
    Loei, so call it on a span you already know names a place (ผวจ.เลย).  The
    returned dict is shared and cached: do not modify it."""
    key = _fold(_PREFIX_STRIP.sub("", name.strip()))
    official = _lookup().get(key)
    return _gazetteer()[official] if official else None


def province_by_iso(iso: str) -> dict[str, Any] | None:
    """The gazetteer entry with ISO 3166-2 code ``iso`` (e.g. "TH-50"), or None."""
    return _by_iso().get(iso.upper())


@cache
def _by_iso() -> dict[str, dict[str, Any]]:
    return {e["iso"]: e for e in _gazetteer().values()}


def all_provinces() -> list[dict[str, Any]]:
    """The 77 entries, ordered by ISO code."""
    return sorted(_gazetteer().values(), key=lambda e: e["iso"])


# -- matching -------------------------------------------------------------------


def _surface_regex(surface: str) -> str:
    """A surface as a regex: a space matches any white space, '-' a dash with spaces."""
    parts = []
    for ch in surface:
        if ch == " ":
            parts.append(r"\s+")
        elif ch == "-":
            parts.append(r"\s*-\s*")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _trie_regex(words: list[str]) -> str:
    """One alternation factored on common prefixes (much faster than a flat list of
    ~200 literals: Python's re tries alternatives one by one); the longest surface wins."""
    return trie_pattern(words, char_regex=_surface_regex)


# Prefixes that make any following province name count (a role: ผู้ว่าราชการจังหวัด
# ends in จังหวัด).
_PREFIX = r"(?:จังหวัด|จ\.|ผวจ\.)"
# Left contexts after which a bare name is not the province: a district or
# sub-district (อำเภอเมืองน่าน, อ. เมือง ตาก), a road, a person's first name.
_NOT_PROVINCE_BEFORE = re.compile(
    # อำเภอเมืองน่าน, อ. เมือง ตาก; and a district or sub-district whose own name
    # holds the province's (อ.บ้านตาก, ตำบลน้ำแพร่): Thai letters, no space, after
    # the head.  Not เขต: ในเขตกรุงเทพฯ is "in Bangkok".
    # (the gap must not begin with a function word: ทุกอำเภอในเชียงใหม่ is the province).
    # อ./ต. only as words of their own, not the tail of an acronym (สกต.ร้อยเอ็ด).
    r"(?:(?:อำเภอ|กิ่งอำเภอ|(?<![\u0e01-\u0e4e.])[อต]\.|ตำบล|แขวง)"
    r"(?:\s*เมือง\s*|(?!ใน|ของ|ที่|และ|แห่ง|ต่าง|ทั่ว|ทุก|กับ|จาก)[\u0e01-\u0e4e]{0,12})"
    r"|(?:ถนน|ถ\.)\s*"  # a road: ถนนเพชรบุรี
    r"|(?:แม่น้ำ|ลุ่มน้ำ|ลำน้ำ)\s*"  # a river: แม่น้ำน่าน
    r"|(?:นาย|นางสาว|นาง|น\.ส\.|ดร\.|คุณ)\s*)$"  # a person: นายสุรินทร์
)
# Heads of organisation names (โรงพยาบาลลำปาง, ท่าอากาศยานกระบี่): used only when
# ORG_NAMES_COUNT is False.
_ORG_HEAD_BEFORE = re.compile(
    r"(?:โรงพยาบาล|รพ\.|มหาวิทยาลัย(?:ราชภัฏ|เทคโนโลยีราชมงคล)?|ราชภัฏ|มรภ\.|วิทยาลัย\S{0,12}|โรงเรียน"
    r"|ท่าอากาศยาน(?:นานาชาติ)?|สนามบิน|ท่าเรือ|เทศบาล(?:นคร|เมือง|ตำบล)?|สำนักงาน\S{0,30}|ศูนย์\S{0,30}"
    r"|ธนาคาร|สถานี|สหกรณ์\S{0,20}|สภาอุตสาหกรรม|หอการค้า)\s*$"
)
# Between two members of a list of provinces: spaces, a comma, a slash or dash, และ/หรือ.
_LIST_GAP = re.compile(r"\s*(?:[,/-]|และ|หรือ)?\s*(?:และ|หรือ)?\s*")
# A list head right before a name: "3 จังหวัด ได้แก่ น่าน ...", "จังหวัด (เลย ...".
_LIST_HEAD_BEFORE = re.compile(r"จังหวัด\S{0,20}\s*(?:ได้แก่|คือ|ประกอบด้วย|อาทิ|เช่น|ดังนี้)?\s*[:(]?\s*$")
_LEFT_WINDOW = 40


@dataclass(slots=True)
class _Candidate:
    start: int  # normalised offsets of the whole match (prefix included)
    end: int
    name_start: int
    province: str
    prefixed: bool
    context: str


class ProvinceExtractor(RuleExtractor):
    name = "provinces"
    family = "provinces"

    def __init__(self) -> None:
        surfaces = _surfaces()
        self._surfaces = surfaces
        thai = [s for s, v in surfaces.items() if not v.latin]
        latin = [s for s, v in surfaces.items() if v.latin]
        # Longest alternatives first inside the trie; an optional ฯ after a Thai name
        # (อุดรฯ, อยุธยาฯ) belongs to the mention.
        self._thai = re.compile(rf"(?P<prefix>{_PREFIX}\s*)?(?P<name>{_trie_regex(thai)})(?:\s?ฯ)?")
        self._latin = re.compile(rf"(?<![A-Za-z])(?P<name>{_trie_regex(latin)})(?![A-Za-z])")
        # Both scanned in one pass: a match starts with a prefix or a surface.
        # (the heads of ณ อยุธยา and the like go on to the white space after ณ: see loose_heads)
        prefixed = ["จังหวัด", "จ.", "ผวจ.", *thai]
        self._text_scan = MultiScan([(self._thai, prefixed, loose_heads(prefixed)),
                                     (self._latin, latin, loose_heads(latin))])
        # Regex text → surface key (white space and dashes vary in the text).
        self._key = {self._canon(s): s for s in surfaces}

    @staticmethod
    def _canon(text: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", text))

    def dictionary_words(self) -> list[str]:
        """Every Thai surface (names, aliases, blockers) so the tokenizer keeps them whole."""
        return [s for s, v in self._surfaces.items() if not v.latin]

    # -- extraction ---------------------------------------------------------------
    def _candidates(self, doc: Doc) -> list[_Candidate]:
        norm = doc.norm
        out: list[_Candidate] = []
        found = self._text_scan.scan(norm)
        for m in found[self._thai]:
            surface = self._surfaces.get(self._key.get(self._canon(m.group("name")), ""))
            if surface is None or surface.context == "block":
                continue  # a blocker consumed the span: nothing inside it is a province
            s, e = m.span()
            ns = m.start("name")
            prefixed = m.group("prefix") is not None
            # Whole words only: the name must not start or end inside a token.
            if not doc.starts_token(s) or not (doc.ends_token(e) or doc.ends_token(m.end("name"))):
                if not (prefixed and doc.starts_token(ns) and doc.ends_token(m.end("name"))):
                    continue
            if not prefixed:
                left = norm[max(0, s - _LEFT_WINDOW):s]
                if _NOT_PROVINCE_BEFORE.search(left):
                    continue
                if not ORG_NAMES_COUNT and _ORG_HEAD_BEFORE.search(left):
                    continue
            out.append(_Candidate(s, e, ns, surface.province, prefixed, surface.context))  # type: ignore[arg-type]
        for m in found[self._latin]:
            surface = self._surfaces.get(self._key.get(self._canon(m.group("name")), ""))
            if surface is None or surface.context == "block":
                continue
            s, e = m.span()
            out.append(_Candidate(s, e, s, surface.province, False, surface.context))  # type: ignore[arg-type]
        out.sort(key=lambda c: c.start)
        return out

    @staticmethod
    def _accept_lists(norm: str, cands: list[_Candidate]) -> list[_Candidate]:
        """Keep 'prefix'-context names only with a prefix or inside a list of provinces."""
        accepted = [c.prefixed or c.context == "any" for c in cands]
        for i, c in enumerate(cands):
            if not accepted[i] and _LIST_HEAD_BEFORE.search(norm[max(0, c.start - _LEFT_WINDOW):c.start]):
                accepted[i] = True
        changed = True
        while changed:  # spread along chains: เชียงราย น่าน แพร่ และเลย
            changed = False
            for i, c in enumerate(cands):
                if accepted[i]:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(cands) and accepted[j]:
                        a, b = (cands[j], c) if j < i else (c, cands[j])
                        # A right neighbour with its own จังหวัด starts a new phrase
                        # (คลองยม-น่าน จังหวัดสุโขทัย), not the next item of a list.
                        if b is cands[j] and b.prefixed:
                            continue
                        if a.end <= b.start and _LIST_GAP.fullmatch(norm, a.end, b.start):
                            accepted[i] = changed = True
                            break
        return [c for c, ok in zip(cands, accepted) if ok]

    def extract(self, doc: Doc) -> list[Mention]:
        gaz = _gazetteer()
        mentions = []
        for c in self._accept_lists(doc.norm, self._candidates(doc)):
            e = gaz[c.province]
            rule = "provinces/prefixed" if c.prefixed else (
                "provinces/listed" if c.context == "prefix" else "provinces/name")
            mentions.append(doc.mention(self.family, c.start, c.end, rule, e["iso"],
                                        name=e["name"], iso=e["iso"], lat=e["lat"], lon=e["lon"]))
        return mentions
