"""The government gazetteer: every known body, its aliases and the short forms used after role heads.

Data: ``extractors/data/curated/orgs.json`` (one entry per body: canonical
full Thai name, aliases, role_forms, type, parent).  Two kinds of surface forms
are kept apart on purpose:

* ``aliases`` name the body anywhere in running text (ดีป้า, ครม., ธ.ก.ส.);
* ``role_forms`` name it only right after a role head (รมว.แรงงาน, ปลัดคลัง):
  on their own they are ordinary words (แรงงาน, คลัง) or too short to trust.

For a ministry, ``กระทรวง`` + a role form (กระทรวงดีอี, กระทรวงอุตฯ) is an alias:
the prefix removes the ambiguity.

Lookups ignore white space, case of Latin letters and the ํา/ำ spelling, and a
name cut short with ``ฯ`` (กระทรวงการอุดมศึกษาฯ) resolves when exactly one
known name starts with what precedes the ``ฯ``.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from khaosan.extractors.data import entries

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def fold(surface: str) -> str:
    """The lookup form of a surface: NFC, ํา→ำ, no white space, Latin case-folded."""
    s = unicodedata.normalize("NFC", surface).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACE.sub("", s).casefold()


@dataclass(slots=True)
class OrgEntry:
    name: str
    type: str
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    role_forms: list[str] = field(default_factory=list)


class OrgGazetteer:
    """Canonical names for every surface form of a known body."""

    def __init__(self, raw: Iterable[dict]) -> None:
        self.entries: dict[str, OrgEntry] = {}
        self._canon: dict[str, str] = {}  # folded alias or name -> canonical name
        self._role: dict[str, str] = {}  # folded role form -> canonical name
        self._ambiguous: set[str] = set()
        for r in raw:
            e = OrgEntry(name=r["name"], type=r.get("type", "agency"), parent=r.get("parent"),
                         aliases=list(r.get("aliases", ())), role_forms=list(r.get("role_forms", ())))
            if e.name in self.entries:  # a later layer may add aliases to a known body
                old = self.entries[e.name]
                old.aliases += [a for a in e.aliases if a not in old.aliases]
                old.role_forms += [a for a in e.role_forms if a not in old.role_forms]
                e = old
            self.entries[e.name] = e
        for e in self.entries.values():
            self._add(self._canon, e.name, e.name)
        for e in self.entries.values():
            for a in e.aliases:
                self._add(self._canon, a, e.name)
            for rf in e.role_forms:
                self._add(self._role, rf, e.name)
            if e.type == "ministry":
                for rf in e.role_forms:
                    self._add(self._canon, "กระทรวง" + rf, e.name)
        # A full or alias name is always a role form too (รมว.กระทรวงแรงงาน, ปลัดสำนักนายกรัฐมนตรี).
        for k, v in self._canon.items():
            self._role.setdefault(k, v)
        self._sorted = sorted(self._canon)

    def _add(self, table: dict[str, str], surface: str, name: str) -> None:
        k = fold(surface)
        if not k:
            return
        if k in table and table[k] != name:
            # Two bodies share a surface: a full name always wins over an alias.
            if fold(table[k]) == k:
                return
            if fold(name) != k:
                self._ambiguous.add(k)
                return
        table[k] = name

    # -- lookups ---------------------------------------------------------------
    def canonical(self, surface: str) -> str | None:
        """Any full name, alias or acronym of a known body → its canonical full name."""
        k = fold(surface)
        name = self._canon.get(k)
        if name is None and k.endswith("ฯ"):
            name = self._by_prefix(k.rstrip("ฯ"))
        return name

    def ministry(self, short: str) -> str | None:
        """A role form (แรงงาน, ดีอี, ทส., มหาดไทย, คลัง) or any name → canonical name."""
        k = fold(short)
        name = self._role.get(k)
        if name is None and k.startswith("กระทรวง"):
            name = self._role.get(k[len("กระทรวง"):])
        if name is None and k.endswith("ฯ"):
            name = self._role.get(k.rstrip("ฯ")) or self._by_prefix(k.rstrip("ฯ"))
        if name is None and k.endswith("."):
            name = self._role.get(k.rstrip("."))
        return name

    def _by_prefix(self, prefix: str) -> str | None:
        if len(prefix) < 4:
            return None
        i = bisect.bisect_left(self._sorted, prefix)
        found: set[str] = set()
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            found.add(self._canon[self._sorted[i]])
            if len(found) > 1:
                return None
            i += 1
        return found.pop() if found else None

    def entry(self, name: str) -> OrgEntry | None:
        canon = self.canonical(name)
        return self.entries.get(canon) if canon else None

    def type_of(self, name: str) -> str | None:
        e = self.entry(name)
        return e.type if e else None

    def surfaces(self) -> list[str]:
        """Every name, alias and ministry alias (for the tokenizer dictionary)."""
        out: set[str] = set()
        for e in self.entries.values():
            out.add(e.name)
            out.update(e.aliases)
            out.update(e.role_forms)
            if e.type == "ministry":
                out.update("กระทรวง" + rf for rf in e.role_forms)
        return sorted(s for s in out if s.strip())

    def alias_surfaces(self) -> dict[str, str]:
        """Surface → canonical name for forms that name a body anywhere in text."""
        out: dict[str, str] = {}
        for e in self.entries.values():
            forms = [e.name, *e.aliases]
            if e.type == "ministry":
                forms += ["กระทรวง" + rf for rf in e.role_forms]
            for s in forms:
                if fold(s) not in self._ambiguous:
                    out.setdefault(s, e.name)
        return out

    def role_surfaces(self) -> dict[str, str]:
        """Surface → canonical name for the short forms used after role heads."""
        out: dict[str, str] = {}
        for e in self.entries.values():
            for s in e.role_forms:
                out.setdefault(s, e.name)
        return out


@cache
def org_gazetteer() -> OrgGazetteer:
    """The gazetteer, loaded once per process."""
    return OrgGazetteer(entries("orgs"))
