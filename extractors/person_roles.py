"""Roles (positions) written next to a person's name, expanded to their full form.

A role is ``[modifier][รอง|ผู้ช่วย]head + organisation``:

* the head comes from ``data/curated/roles.json`` with every surface form
  (รัฐมนตรีว่าการ/รมว., ผู้ว่าราชการจังหวัด/ผวจ., ผู้อำนวยการ/ผอ., นายกรัฐมนตรี/นายกฯ);
* the organisation is read according to the head's ``org`` kinds, tried in order:
  ``ministry`` (กระทรวงแรงงาน, แรงงาน, ดีอี, เกษตรฯ → canonical ministry name from the
  orgs gazetteer), ``org``/``free`` (a known body → its canonical name; otherwise the
  text up to the end of the clause), ``province`` (ระยอง, จ.ระยอง, จังหวัดระยอง),
  ``country``, ``role`` (ที่ปรึกษารัฐมนตรีว่าการ...: another role) and ``none``;
* a role ends at the end of the clause: a line break, a bracket or quote, a
  space not followed by a continuation of the organisation (คณะ..., มหาวิทยาลัย...,
  ฝ่าย...), a verb or connector glued to it (เป็นประธาน, กล่าว), another role
  after และ, or another person's title.

Several roles of one person are chained by และ, ในฐานะ, ปฏิบัติหน้าที่ or an acting
modifier (รักษาราชการแทน...): "รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวงพาณิชย์" is two roles.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from khaosan.extractors.person_lexicon import Lexicon, fold_name, lexicon, trie_regex

MODIFIERS = ("รักษาราชการแทน", "รักษาการแทน", "รักษาการในตำแหน่ง", "รักษาการ", "ว่าที่", "อดีต")
DEPUTY = ("รอง", "ผู้ช่วย")
# Words that carry an organisation on across a space (หัวหน้าสาขาวิชา... คณะ... มหาวิทยาลัย...).
_CONTINUE = re.compile(r"(?:คณะ(?!รัฐมนตรี|ผู้|ทำงาน|กรรมการ|อนุกรรมการ|เดินทาง|ครู|บุคคล|ข้าราชการ)|มหาวิทยาลัย|วิทยาลัย|ฝ่าย|สาขา|ภาควิชา|จำกัด|ประจำ|แห่ง|\(มหาชน\))")
# Words that open an organisation name: a head followed by a space and one of these
# still takes it as its organisation (ผู้อำนวยการใหญ่ สำนักงานส่งเสริมเศรษฐกิจดิจิทัล).
_ORG_START = re.compile(
    r"(?:สำนักงาน|สำนัก|กรม|กระทรวง|กอง|ศูนย์|สถาบัน|มหาวิทยาลัย|วิทยาลัย|ธนาคาร|บริษัท|องค์การ|สมาคม|มูลนิธิ"
    r"|สภา|คณะ(?!รัฐมนตรี)|โรงเรียน|โรงพยาบาล|ศาล|กองทุน|เทศบาล|หน่วย|สหกรณ์|ชมรม|พรรค|ฝ่าย|ภาควิชา|สาขา"
    r"|สถานี|ด่าน|สหพันธ์|สมาพันธ์|หอการค้า|การไฟฟ้า|การประปา|การท่าเรือ|การรถไฟ|การทาง|การเคหะ|การยาง"
    r"|การกีฬา|การท่องเที่ยวแห่ง|บมจ\.|บจก\.|[A-Z]{2,})"
)
# A unit of the body written after a space: เขต 5, เขตสุขภาพที่ 7, ภาค 3, ภาคที่ 2, ภาคเหนือ.
_UNIT = re.compile(
    r"(?:เขต(?:สุขภาพ|ตรวจราชการ|พื้นที่)?|ภาค|ภูมิภาค)[ \t]?(?:ที่[ \t]?)?\d{1,3}(?!\d)"
    r"|ภาค(?:เหนือ|ใต้|กลาง|ตะวันออกเฉียงเหนือ|ตะวันออก|ตะวันตก|อีสาน)"
)
_COMPANY = re.compile(r"บริษัท\s?[^\n()]{1,60}?\s?จำกัด(?:\s?\(มหาชน\))?")
_DELIM = re.compile(r"[\s()\[\]\"'“”‘’,:;/|]")
_PAREN = re.compile(r"[ \t]*\([^()\n]{1,40}\)")
_CONNECTOR = re.compile(r"[ \t]*(?:และ|ในฐานะ|ปฏิบัติหน้าที่|,)[ \t]*")
_MAX_ORG = 120
_NEEDS_ORG = {"ministry", "org", "free", "province", "role"}
_PROVINCE_PREFIX = re.compile(r"(?:จังหวัด|จ\.)[ \t]?")


@dataclass(slots=True)
class Role:
    start: int  # normalised offsets of the role as written
    end: int
    text: str  # the full role: รัฐมนตรีว่าการกระทรวงแรงงาน
    head: str  # the expanded head with its prefixes: รองผู้อำนวยการ
    has_org: bool  # an organisation was read (or the head needs none)
    modifier: str = ""


class _Trie:
    """Longest match of known surfaces at a position, ignoring spaces inside the surface.
    Values are the candidate canonical names of the surface."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.root: dict[str, Any] = {}
        for surface, value in table.items():
            key = re.sub(r"\s+", "", surface).casefold()
            if not key:
                continue
            node = self.root
            for ch in key:
                node = node.setdefault(ch, {})
            node[""] = value

    def match(self, text: str, pos: int, limit: int = 90,
              pick: Callable[[list[str]], str | None] | None = None) -> tuple[int, str] | None:
        node, best = self.root, None
        i, n = pos, min(len(text), pos + limit)
        while i < n:
            ch = text[i]
            if ch in " \t" and i > pos:
                i += 1
                continue
            node = node.get(ch.casefold())
            if node is None:
                break
            i += 1
            if "" in node:
                cands = node[""]
                name = pick(cands) if pick else (cands[0] if len(cands) == 1 else None)
                if name:
                    best = (i, name)
        return best


@dataclass(slots=True)
class _Orgs:
    """The orgs family's gazetteer, seen through the little the role parser needs."""

    trie: _Trie  # names, aliases and role forms -> canonical name
    ministries: set[str]  # canonical names of ministries (and สำนักนายกรัฐมนตรี)
    canonical: Callable[[str], str | None]
    ministry: Callable[[str], str | None]


def _unrepeated(head: str, org: str) -> str:
    """``org`` without the word it repeats from the end of ``head``: นายกสมาคม + สมาคมX is นายกสมาคมX.

    Four letters at least: ผู้อำนวยการ + การไฟฟ้านครหลวง shares การ and is written so.
    """
    for n in range(min(len(head), len(org)), 3, -1):
        if head.endswith(org[:n]):
            return org[n:]
    return org


@cache
def org_lookup() -> _Orgs:
    try:
        from khaosan.extractors.orgs import org_gazetteer
    except ImportError:  # the orgs family is optional: roles then keep the organisation as written
        return _Orgs(_Trie({}), set(), lambda s: None, lambda s: None)
    gaz = org_gazetteer()
    table: dict[str, list[str]] = {}
    # Surfaces name candidate bodies (an acronym may name several): keep every candidate.
    for source in (gaz.role_surfaces(), gaz.alias_surfaces()):
        for surface, names in source.items():
            bucket = table.setdefault(surface, [])
            for n in [names] if isinstance(names, str) else names:
                if n not in bucket:
                    bucket.append(n)
    ministries = {e.name for e in gaz.entries.values() if e.type == "ministry"}
    return _Orgs(_Trie(table), ministries, gaz.canonical, gaz.ministry)


@cache
def _province_lookup() -> Callable[[str], str | None]:
    try:
        from khaosan.extractors.provinces import province_by_name
    except ImportError:
        return lambda s: None

    def find(name: str) -> str | None:
        e = province_by_name(name)
        return e["name"] if e else None

    return find


class RoleParser:
    """Reads roles at given positions of a document's normalised text."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        forms = self.lex.role_forms
        self.head_re = re.compile(
            f"(?:(?P<mod>{trie_regex(list(MODIFIERS))})[ \t]?)?(?P<dep>รอง|ผู้ช่วย)?(?P<form>{trie_regex(forms)})"
        )
        self.plain_re = re.compile(f"(?P<mod>)(?P<dep>)(?P<form>{trie_regex(forms)})")
        self.country_re = re.compile(f"(?:แห่ง|ของ)?(?:ประเทศ|สาธารณรัฐ)?(?:{trie_regex(self.lex.countries)})")
        self._kinds: dict[str, Callable[..., tuple[str, int] | None]] = {
            "ministry": self._ministry, "org": self._org, "free": self._free, "province": self._province,
            "country": self._country, "role": self._nested, "none": lambda ctx, p, e: ("", p),
        }

    # -- a single role -------------------------------------------------------------
    def head_at(self, norm: str, pos: int) -> re.Match[str] | None:
        m = self.head_re.match(norm, pos)
        if not m:
            return None
        entry = self.lex.role_entries[m.group("form")]
        if m.group("dep") and not entry.get("deputy", True):
            # ผู้ช่วย + รัฐมนตรี is no deputy minister: ผู้ช่วยรัฐมนตรี is a head of its own.
            m = self.plain_re.match(norm, pos)
        return m

    def start_of(self, norm: str, s: int, e: int) -> int:
        """Where the role whose head form spans [s, e) starts, its รอง/ผู้ช่วย and modifier included."""
        best = s
        for dep in ("", *DEPUTY):
            d = s - len(dep)
            if dep and not norm.startswith(dep, d):
                continue
            best = min(best, d)
            if not (norm.endswith(MODIFIERS, 0, d)
                    or (d >= 1 and norm[d - 1] in " \t" and norm.endswith(MODIFIERS, 0, d - 1))):
                continue  # no modifier ends right before (the usual case): skip the search below
            for mod in MODIFIERS:
                for sp in (0, 1):
                    q = d - sp - len(mod)
                    if q >= 0 and norm.startswith(mod, q) and (not sp or norm[d - 1] in " \t"):
                        m = self.head_at(norm, q)
                        if m is not None and m.end() == e:
                            best = min(best, q)
        return best

    def parse(self, ctx: Any, pos: int, nested: bool = True) -> Role | None:
        """The role that starts exactly at ``pos``, or None."""
        norm = ctx.norm
        m = self.head_at(norm, pos)
        if not m:
            return None
        form = m.group("form")
        entry = self.lex.role_entries[form]
        # A head glued to letters that continue a longer word is not this head
        # (ผู้อำนวยการ is fine; ประธานาธิบดี must not read as ประธาน + าธิบดี).
        head_end = m.end()
        mod, dep = m.group("mod") or "", m.group("dep") or ""
        out = mod + dep + entry["out"]
        for kind in entry["org"]:
            if kind == "role" and not nested:
                continue
            got = self._kinds[kind](ctx, head_end, entry)
            if got is None:
                continue
            org, end = got
            if kind == "province" and entry.get("bangkok") and org == "กรุงเทพมหานคร":
                return Role(pos, end, mod + dep + entry["bangkok"], out, True, mod)
            if org.endswith("ฯ") and kind in ("org", "free"):
                org = self._expand_abbrev(ctx, pos, out, entry, org)
            complete = bool(org) or not any(k in _NEEDS_ORG for k in entry["org"])
            return Role(pos, end, out + _unrepeated(out, org), out, complete, mod)
        return None

    # -- "ฯ": a body or a title named in full earlier -----------------------------------
    def _expand_abbrev(self, ctx: Any, pos: int, out: str, entry: dict[str, Any], org: str) -> str:
        """The organisation of a role cut short with ฯ, as named earlier in the article.

        "รองประธานคณะกรรมการฯ" / "กรรมการผู้จัดการบริษัทฯ": the latest body before the
        role whose name starts with the stem (คณะกรรมการ..., บริษัท ... จำกัด).
        "รองโฆษกฯ": the same head written in full earlier (รองโฆษกประจำสำนักนายกรัฐมนตรี),
        else the head's usual full form (``abbrev`` in roles.json).  Unresolved: as written.
        """
        stem = org[:-1].strip()
        if stem:
            return self._earlier_body(ctx, pos, stem) or org
        if out.endswith("กรรมการ"):
            # "ประธานกรรมการฯ": the chair of the committee (คณะกรรมการ...) named earlier.
            body = self._earlier_body(ctx, pos, "คณะกรรมการ")
            if body:
                return body[len("คณะกรรมการ"):]
        norm = ctx.norm
        for form in entry["forms"]:
            k = norm.rfind(form, 0, pos)
            while k >= 0:
                s = self.start_of(norm, k, k + len(form))
                r = self.parse(ctx, s, nested=False) if s < pos else None
                if r is not None and r.end <= pos and r.head == out and r.has_org and not r.text.endswith("ฯ"):
                    return r.text[len(r.head):]
                k = norm.rfind(form, 0, k)
        full = entry.get("abbrev")
        if full and out.endswith(entry["out"]):
            return full[len(entry["out"]):]
        return org

    def _earlier_body(self, ctx: Any, pos: int, stem: str) -> str | None:
        best: tuple[int, str] | None = None
        for m in ctx.doc.mentions_of("orgs"):
            name = m.attrs.get("name") or ""
            if m.norm_end <= pos and len(name) > len(stem) + 1 and fold_name(name).startswith(fold_name(stem)):
                if best is None or m.norm_start > best[0]:
                    best = (m.norm_start, name)
        norm = ctx.norm
        k = norm.rfind(stem, 0, pos)
        while k >= 0 and (best is None or k > best[0]):
            after = k + len(stem)
            if after < len(norm) and norm[after] != "ฯ" and not _DELIM.match(norm[after]) or stem == "บริษัท":
                comp = _COMPANY.match(norm, k) if stem == "บริษัท" else None
                if comp:
                    name = org_lookup().canonical(comp.group(0)) or comp.group(0)
                    return name
                if stem != "บริษัท":
                    end = self._run_end(ctx, k, first=True)
                    if end - k > len(stem) + 1 and "ฯ" not in norm[k:end]:
                        text = norm[k:end]
                        return org_lookup().canonical(text) or text
            k = norm.rfind(stem, 0, k)
        return best[1] if best else None

    # -- organisation readers: (text to append, end) or None --------------------------
    def _skip_space(self, ctx: Any, p: int, opener: Callable[[int], bool]) -> int | None:
        """Position of the organisation: ``p`` itself, or after one space when what follows opens one."""
        norm = ctx.norm
        if p < len(norm) and norm[p] in " \t":
            q = p + 1
            while q < len(norm) and norm[q] in " \t" and q - p < 3:
                q += 1
            return q if opener(q) else None
        return p

    def _ministry(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        orgs = org_lookup()
        norm = ctx.norm

        def opens(q: int) -> bool:
            return norm.startswith("กระทรวง", q) or self._ministry_at(ctx, q) is not None

        q = self._skip_space(ctx, p, opens)
        if q is None:
            return None
        got = self._ministry_at(ctx, q)
        if got is None:
            return None
        end, name = got
        if name not in orgs.ministries and not name.startswith("กระทรวง"):
            return None
        # "ผู้ตรวจราชการกระทรวงสาธารณสุข เขตสุขภาพที่ 7": a unit of the ministry.
        q = end + 1 if end < len(norm) and norm[end] in " \t" else end
        unit = _UNIT.match(norm, q)
        if unit:
            return name + norm[end:q] + unit.group(0), unit.end()
        return name, end

    def _ministry_at(self, ctx: Any, q: int) -> tuple[int, str] | None:
        got = self._ministry_named(ctx, q)
        if got is not None:
            ctx.ministries.append((q, got[1]))
        else:
            # "ปลัดกระทรวงฯ": the ministry the article was just talking about.
            norm = ctx.norm
            if norm.startswith("กระทรวงฯ", q):
                end = q + 8
            elif norm.startswith("ฯ", q) and norm.endswith("กระทรวง", 0, q):
                end = q + 1
            else:
                return None
            before = [m for p, m in ctx.ministries if p < q]
            if before:
                return end, before[-1]
        return got

    def _ministry_named(self, ctx: Any, q: int) -> tuple[int, str] | None:
        orgs = org_lookup()
        norm = ctx.norm
        start = q + 7 if norm.startswith("กระทรวง", q) else q

        def pick(cands: list[str]) -> str | None:
            found = [c for c in cands if c in orgs.ministries]
            return found[0] if len(found) == 1 else None

        hit = orgs.trie.match(norm, q, pick=pick)
        if hit is None and start != q:
            hit = orgs.trie.match(norm, start, pick=pick)
        if hit is not None:
            end, name = hit
            # A short form cut out of a longer word (ดิจิทัล in ดิจิทัลเพื่อ...) only counts
            # at a token end; ฯ right after it belongs to the abbreviation.
            if end < len(norm) and norm[end] == "ฯ":
                end += 1
            if ctx.boundary(end):
                return end, name
        # Cut short with ฯ (กระทรวงการอุดมศึกษาฯ): the gazetteer resolves a unique prefix.
        j = q
        while j < len(norm) and not _DELIM.match(norm[j]) and j - q < 60:
            if norm[j] == "ฯ":
                name = orgs.ministry(norm[q:j + 1])
                if name:
                    return j + 1, name
                break
            j += 1
        return None

    def _org(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        """Only a known body (gazetteer or an orgs mention)."""
        q = self._skip_space(ctx, p, lambda q: self._known_org(ctx, q) is not None)
        if q is None:
            return None
        got = self._known_org(ctx, q)
        if got is None or not self._org_ends(ctx, got[0]):
            return None
        end, name = got
        more, end2 = self._continuation(ctx, end, bodies=org_lookup().canonical(name) is None)
        return name + more, end2

    def _org_ends(self, ctx: Any, end: int) -> bool:
        """A known body's name is the whole organisation only if nothing but a delimiter
        or a clause word follows it (กองโรคติดต่อ in กองโรคติดต่อนำโดยแมลง is not)."""
        norm = ctx.norm
        return end >= len(norm) or bool(_DELIM.match(norm[end])) or norm[end] == "ฯ" or self._stops_at(ctx, end)

    def _known_org(self, ctx: Any, q: int) -> tuple[int, str] | None:
        hit = ctx.org_at.get(q)
        best = hit
        tri = org_lookup().trie.match(ctx.norm, q)
        if tri is not None and ctx.boundary(tri[0]) and (best is None or tri[0] > best[0]):
            best = tri
        return best

    def _continuation(self, ctx: Any, p: int, bodies: bool = False) -> tuple[str, int]:
        """Text after a complete organisation that still belongs to it (คณะ..., ฝ่าย..., เขต 7).
        With ``bodies`` (the organisation read so far is a unit no gazetteer knows), also a
        known body after a space (ฝ่ายกำกับ... ธนาคารแห่งประเทศไทย) -- not a ministry: the
        parent ministry of a department is not part of its head's role."""
        norm = ctx.norm
        out, i = "", p
        while i < len(norm) and len(out) < _MAX_ORG:
            q = i
            while q < len(norm) and norm[q] in " \t" and q - i < 3:
                q += 1
            unit = _UNIT.match(norm, q)
            if unit:
                out += (" " if q > i else "") + unit.group(0)
                i = unit.end()
                continue
            if bodies and q > i and not _CONTINUE.match(norm, q):
                known = self._known_org(ctx, q)
                if known is None or not self._org_ends(ctx, known[0]) or known[1] in org_lookup().ministries:
                    break
                out += " " + known[1]
                i = known[0]
                continue
            if not _CONTINUE.match(norm, q):
                break
            run_end = self._run_end(ctx, q, first=False)
            if run_end <= q:
                break
            out += (" " if q > i else "") + norm[q:run_end]
            i = run_end
        return out, i

    def _run_end(self, ctx: Any, q: int, first: bool) -> int:
        """End of the run of organisation text starting at q: the next delimiter, or a
        clause word / title / role glued to it."""
        norm, lex = ctx.norm, self.lex
        j = q
        n = min(len(norm), q + _MAX_ORG)
        while j < n and not _DELIM.match(norm[j]):
            j += 1
        # "(มหาชน)" is part of a company name.
        k = q + 1
        while k < j:
            if ctx.doc_starts(k):
                if lex.glued_re.match(norm, k) or ctx.title_at(k):
                    return k
                if norm.startswith("และ", k) and self.head_at(norm, k + 3):
                    return k
                if norm.startswith("หรือ", k):
                    return k
            k += 1
        return j

    def _free(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        norm = ctx.norm

        def opens(q: int) -> bool:
            return bool(_ORG_START.match(norm, q) or _UNIT.match(norm, q)) or self._known_org(ctx, q) is not None

        q = self._skip_space(ctx, p, opens)
        if q is None or q >= len(norm) or _DELIM.match(norm[q]):
            return None
        unit = _UNIT.match(norm, q)
        if unit:  # "สาธารณสุขนิเทศก์ เขตสุขภาพที่ 7"
            return norm[p:q] + unit.group(0), unit.end()
        if self.lex.clause_re.match(norm, q) and not _ORG_START.match(norm, q):
            m = self.lex.clause_re.match(norm, q)
            if ctx.boundary(m.end()):
                return None
        comp = _COMPANY.match(norm, q)
        if comp:
            name = org_lookup().canonical(comp.group(0)) or comp.group(0)
            return name, comp.end()
        known = self._known_org(ctx, q)
        if known is not None:
            end, name = known
            if self._org_ends(ctx, end):
                # A unit found by the orgs family but unknown to the gazetteer may be followed
                # by the body it belongs to.
                more, end2 = self._continuation(ctx, end, bodies=org_lookup().canonical(name) is None)
                return name + more, end2
        end = self._run_end(ctx, q, first=True)
        if end <= q:
            return None
        text = norm[q:end]
        canon = org_lookup().canonical(text)
        more, end2 = self._continuation(ctx, end, bodies=canon is None)
        return (canon or text) + more, end2

    def _stops_at(self, ctx: Any, k: int) -> bool:
        norm = ctx.norm
        return bool(self.lex.glued_re.match(norm, k) or ctx.title_at(k)
                    or (norm.startswith("และ", k) and self.head_at(norm, k + 3)))

    def _province(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        norm = ctx.norm
        find = _province_lookup()
        q = p
        if q < len(norm) and norm[q] in " \t":
            q += 1
        m = _PROVINCE_PREFIX.match(norm, q)
        if m:
            q = m.end()
        j = q
        while j < len(norm) and not _DELIM.match(norm[j]) and j - q < 30:
            j += 1
        # Longest province name ending on a token boundary (ระยองได้ → ระยอง).
        for e in range(j, q + 1, -1):
            if e != j and not ctx.boundary(e):
                continue
            name = find(norm[q:e])
            if name:
                return name, e
        return None

    def _country(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        norm = ctx.norm
        q = p + 1 if p < len(norm) and norm[p] in " \t" and self.country_re.match(norm, p + 1) else p
        m = self.country_re.match(norm, q)
        if m and ctx.boundary(m.end()):
            return norm[q:m.end()], m.end()
        return None

    def _nested(self, ctx: Any, p: int, entry: dict[str, Any]) -> tuple[str, int] | None:
        q = self._skip_space(ctx, p, lambda q: self.head_at(ctx.norm, q) is not None)
        if q is None:
            return None
        inner = self.parse(ctx, q, nested=False)
        if inner is None or not inner.has_org:
            return None
        return inner.text, inner.end

    # -- several roles of one person ------------------------------------------------
    def chain(self, ctx: Any, pos: int, max_gap: int = 3) -> list[Role]:
        """Roles written right after a name ending at ``pos``: the first starts after at most a
        few spaces; the next ones follow a connector (และ, ในฐานะ, ...) or an acting modifier."""
        norm = ctx.norm
        q = pos
        while q < len(norm) and norm[q] in " \t" and q - pos < max_gap:
            q += 1
        first = self.parse(ctx, q)
        if first is None:
            return []
        roles = [first]
        end = first.end
        while len(roles) < 4:
            r = self._next_role(ctx, end)
            if r is None:
                break
            roles.append(r)
            end = r.end
        return roles

    def _next_role(self, ctx: Any, end: int) -> Role | None:
        norm = ctx.norm
        m = _PAREN.match(norm, end)
        if m:
            end = m.end()
        c = _CONNECTOR.match(norm, end)
        if c:
            r = self.parse(ctx, c.end())
            # "...และรัฐมนตรีว่าการกระทรวงคมนาคมนายศักดิ์สยาม": a role glued to the next
            # person's title is that person's.  "ในฐานะที่ปรึกษา" (as an adviser) is no position.
            if r is not None and r.has_org and not ctx.person_after(r.end, glued=True):
                return r
            return None
        q = end
        while q < len(norm) and norm[q] in " \t" and q - end < 3:
            q += 1
        r = self.parse(ctx, q)
        if r is not None and r.modifier and r.has_org and not ctx.person_after(r.end, glued=True):
            return r
        return None
