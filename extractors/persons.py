"""Persons: names with their titles and roles, resolved within an article.

Finding names (on ``doc.norm``, by characters and spaces: newmm cuts unknown
names into pieces, so tokens only confirm boundaries):

* title + name: one or more titles (นาย, ผศ.ดร., พลอากาศเอก ดร., ว่าที่ ร.ต.)
  then the first name and, after a space, the surname.  The word after the
  space is not a surname when it opens a clause (กล่าว, ได้, เป็นประธาน...), is a
  role or a title, or differs from the surname this first name has elsewhere in
  the article.  A word glued to the name is cut off when it is a clause word
  (ดร.สาธิตกล่าวว่า → สาธิต).  Ordinary words after an honorific (นายจ้าง, นางนอน)
  are not names;
* untitled full names: cabinet members (data/curated/cabinet.json), names
  already seen with a title in the article, a first name from PyThaiNLP's lists
  followed by a family name from its list (or a word no dictionary knows);
* untitled first names: of a person named in full in the article (a headline's
  "วราวุธ"), of a cabinet member used as a word of its own, a listed first name
  in quotes, บิ๊ก + nickname, and a name right after a head of state or
  government (นายกรัฐมนตรีเศรษฐา ทวีสิน).

Roles are read next to each name by :mod:`person_roles` (after it, or right
before it: นายกรัฐมนตรีพลเอก ประยุทธ์...).  A role written alone (รมว.ดีอี
กล่าว, ท่านนายกฯ) refers to the person of the article who holds it; failing
that, to a person the cabinet list says held it at the publication date.
"คณะกรรมการX โดยมี นายY ... เป็นประธาน" makes Y the chair of X.

Resolution: mentions of one person (full name, first name with or without a
title, role alone) share a key; the fact collects every title, role and spelling.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from khaosan.extractors.base import RuleExtractor
from khaosan.extractors.person_lexicon import THAI, fold_name
from khaosan.extractors.person_names import DocContext, NameFinder, NameHit, drop_overlapping_names
from khaosan.extractors.person_roles import Role
from khaosan.pipeline.doc import Doc, Fact, Mention

# A committee, then "โดยมี", a person (and the role after the name), then "เป็นประธาน".
_COMMITTEES = ("คณะกรรมการ", "คณะอนุกรรมการ", "คณะทำงาน")
_CHAIRED_BY = re.compile(r"[ \t]*โดยมี[ \t]*$")
_PAREN_BEFORE = re.compile(r"[ \t]*\([^()\n]{1,20}\)$")
_CHAIR_AFTER = re.compile(f"(?:[ \\t]*[^\\n]{{0,80}}?)เป็นประธาน(?![{THAI}]*(?:ใน|การ|เปิด|มอบ))")


@dataclass(slots=True)
class Person:
    name: str
    first: str
    last: str | None
    titles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    hits: list[NameHit] = field(default_factory=list)
    role_refs: list[Role] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.name

    def add_role(self, text: str) -> None:
        if text and all(fold_name(text) != fold_name(r) for r in self.roles):
            self.roles.append(text)

    def add_alias(self, surface: str) -> None:
        if surface and surface != self.name and surface not in self.aliases:
            self.aliases.append(surface)


class PersonExtractor(NameFinder, RuleExtractor):
    name = "persons"
    family = "persons"
    requires = ("orgs", "provinces")

    def dictionary_words(self) -> list[str]:
        words: set[str] = set(self.lex.role_forms)
        words.update(t for t in self.lex.title_forms if len(t) >= 3)
        for m in self.lex.cabinet.values():
            for n in [m.name, *m.aliases]:
                words.update(n.split(" "))
        return sorted(words)

    # -- titles ----------------------------------------------------------------------
    def extract(self, doc: Doc) -> list[Mention]:
        ctx = DocContext(doc, self)
        # Pass 1: titled names, to learn the article's full names; pass 2 uses them to
        # tell "นายชัยวุฒิ กล่าว" (first name) from "นายชัยวุฒิ ธนาคมานุสรณ์".
        positions = self._title_positions(ctx)
        first_pass = self._titled(ctx, positions, {}, set())
        known: dict[str, set[str]] = {}
        for h in first_pass:
            if h.last:
                known.setdefault(fold_name(h.first), set()).add(fold_name(h.last))
        for m in ctx.found[self._cabinet_re]:
            first, _, last = re.sub(r"\s+", " ", m.group(0)).partition(" ")
            known.setdefault(fold_name(first), set()).add(fold_name(last))
        known_first = {h.first for h in first_pass if h.last}
        titled = self._titled(ctx, positions, known, known_first)
        full = {fold_name(f"{h.first}{h.last}"): (h.first, h.last) for h in titled if h.last}
        untitled = self._untitled(ctx, full)
        for h in untitled:
            full.setdefault(fold_name(f"{h.first}{h.last}"), (h.first, h.last or ""))
        firsts = {f for f, _ in full.values()}
        hits = drop_overlapping_names(titled + untitled + self._after_role(ctx) + self._first_only(ctx, firsts)
                              + self._bare_known(ctx))
        ctx.person_starts = {h.start for h in hits}
        persons = self._group(hits)
        self._read_roles(ctx, persons, hits)
        return self._mentions(doc, persons)

    def _group(self, hits: list[NameHit]) -> list[Person]:
        lex = self.lex
        persons: dict[str, Person] = {}
        by_first: dict[str, list[tuple[int, Person]]] = {}
        for h in hits:
            if h.last is None and fold_name(h.first) in lex.cabinet:
                # "พลเอกประยุทธ์จันทร์โอชา": a known full name written without its space.
                member = lex.cabinet[fold_name(h.first)]
                h.first, h.last = h.first[:len(member.first)], h.first[len(member.first):]
        for h in hits:
            if h.last is None:
                continue
            k = fold_name(f"{h.first}{h.last}")
            member = lex.cabinet.get(k)
            pk = fold_name(member.name) if member else k
            p = persons.get(pk)
            if p is None:
                name = member.name if member else h.surface
                first, last = name.split(" ", 1)
                p = persons[pk] = Person(name, first, last)
            p.hits.append(h)
            p.add_alias(h.surface)
            by_first.setdefault(fold_name(h.first), []).append((h.start, p))
        first_only: dict[str, Person] = {}
        for h in hits:
            if h.last is not None:
                continue
            cands = by_first.get(fold_name(h.first))
            if cands:
                before = [c for c in cands if c[0] <= h.start]
                p = (before[-1] if before else cands[0])[1]
            else:
                p = first_only.get(fold_name(h.first))
                if p is None:
                    p = first_only[fold_name(h.first)] = Person(h.first, h.first, None)
            p.hits.append(h)
            p.add_alias(h.surface)
        out = list(persons.values()) + list(first_only.values())
        for p in out:
            for h in p.hits:
                for t in h.titles:
                    if t not in p.titles:
                        p.titles.append(t)
        return out

    def _read_roles(self, ctx: DocContext, persons: list[Person], hits: list[NameHit]) -> None:
        norm = ctx.norm
        owner = {id(h): p for p in persons for h in p.hits}
        claimed: list[tuple[int, int]] = []
        # Roles written after a name.
        has_role_after: set[int] = set()
        for h in hits:
            for r in self.roles.chain(ctx, h.end):
                owner[id(h)].add_role(r.text)
                claimed.append((r.start, r.end))
                has_role_after.add(id(h))
        # Every other role in the text: right before a name, or alone.
        starts = {}
        for h in hits:
            starts[h.start] = h
        loose: list[Role] = []
        covered = sorted(claimed + [(h.start, h.end) for h in hits])
        cov_starts = [a for a, _ in covered]
        last_end = -1
        for m in ctx.found[self._role_scan]:
            s = self.roles.start_of(norm, m.start(), m.end())
            if s < last_end:
                continue
            last_end = m.end()
            i = bisect.bisect_right(cov_starts, s) - 1
            if i >= 0 and any(a <= s < b for a, b in covered[max(0, i - 3):i + 1]):
                continue
            r = self.roles.parse(ctx, s)
            if r is None:
                continue
            if not self._loose_ok(ctx, s):
                continue
            # Right before a name: glued to its title (กระทรวงคมนาคมนายศักดิ์สยาม), or after a space
            # when the name has no role of its own after it (นายกรัฐมนตรี พลเอกประยุทธ ...).
            target = starts.get(r.end)
            if target is None and r.end < len(norm) and norm[r.end] in " \t":
                target = starts.get(r.end + 1)
                if target is not None and id(target) in has_role_after:
                    target = None
            if target is not None:
                owner[id(target)].add_role(r.text)
                claimed.append((r.start, r.end))
                continue
            loose.append(r)
        for r in loose:
            self._link_role(ctx, persons, r)
        self._chairs(ctx, hits, owner)

    def _chairs(self, ctx: DocContext, hits: list[NameHit], owner: dict[int, Person]) -> None:
        """"คณะกรรมการX (กอน.) โดยมี นายY ... เป็นประธาน": Y chairs committee X."""
        norm = ctx.norm
        if "เป็นประธาน" not in norm:
            return
        ends = {}
        for m in ctx.doc.mentions_of("orgs"):
            name = m.attrs.get("name") or ""
            if name.startswith(_COMMITTEES):
                ends[m.norm_end] = name
        for h in hits:
            m = _CHAIRED_BY.search(norm, max(0, h.start - 60), h.start)
            if not m or m.end() != h.start:
                continue
            k = m.start()
            committee = ends.get(k)
            if committee is None:
                p = _PAREN_BEFORE.search(norm, max(0, k - 30), k)
                committee = ends.get(p.start()) if p else None
            if committee is None:
                continue
            after = _CHAIR_AFTER.match(norm, h.end)
            if after:
                owner[id(h)].add_role("ประธาน" + committee)

    def _link_role(self, ctx: DocContext, persons: list[Person], r: Role) -> None:
        key = fold_name(r.text)
        holders = [p for p in persons if any(fold_name(x) == key for x in p.roles)]
        if not holders and not r.has_org:
            holders = [p for p in persons if any(fold_name(x).startswith(fold_name(r.head)) for x in p.roles)]
            if len(holders) != 1:
                return
        if not holders and r.has_org:
            date = ctx.doc.article.published
            for p in persons:
                cands = [self.lex.cabinet.get(fold_name(p.name))] if p.last else \
                    self.lex.cabinet_by_first.get(fold_name(p.first), [])
                found = [m for m in cands if m is not None and m.held(r.text, date)]
                if len(found) == 1:
                    m = found[0]
                    if p.last is None:
                        aliases = [p.name] + p.aliases
                        p.name, p.last = m.name, m.last
                        p.aliases = [a for a in dict.fromkeys(aliases) if a != p.name]
                    holders.append(p)
            if len(holders) != 1:
                return
            holders[0].add_role(r.text)
        if len(holders) == 1:
            holders[0].role_refs.append(r)

    def _mentions(self, doc: Doc, persons: list[Person]) -> list[Mention]:
        out: list[Mention] = []
        for p in persons:
            attrs = {"name": p.name, "aliases": list(p.aliases), "titles": list(p.titles), "roles": list(p.roles)}
            for h in sorted(p.hits, key=lambda h: h.start):
                out.append(doc.mention(self.family, h.start, h.end, h.rule, p.key, **attrs))
            for r in p.role_refs:
                out.append(doc.mention(self.family, r.start, r.end, "persons/role_reference", p.key, **attrs))
        return sorted(out, key=lambda m: m.norm_start)

    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[Fact]:
        groups: dict[str, list[Mention]] = {}
        for m in mentions:
            groups.setdefault(m.key, []).append(m)
        return [Fact(self.family, key, dict(ms[0].attrs), ms, doc.doc_id) for key, ms in groups.items()]
