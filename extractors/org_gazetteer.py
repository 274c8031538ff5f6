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
from functools import cache, lru_cache

from khaosan.extractors.data import entries

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


@lru_cache(maxsize=1 << 16)  # the same surfaces recur across articles: fold each once
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


def _push(table: dict[str, list[str]], key: str, name: str) -> None:
    if key:
        bucket = table.setdefault(key, [])
        if name not in bucket:
            bucket.append(name)


class OrgGazetteer:
    """Canonical names for every surface form of a known body."""

    def __init__(self, raw: Iterable[dict]) -> None:
        self.entries: dict[str, OrgEntry] = {}
        for r in raw:
            e = OrgEntry(name=r["name"], type=r.get("type", "agency"), parent=r.get("parent"),
                         aliases=list(r.get("aliases", ())), role_forms=list(r.get("role_forms", ())))
            if e.name in self.entries:  # a later layer may add aliases to a known body
                old = self.entries[e.name]
                old.aliases += [a for a in e.aliases if a not in old.aliases]
                old.role_forms += [a for a in e.role_forms if a not in old.role_forms]
                e = old
            self.entries[e.name] = e
        # folded surface -> every body it may name; a full name always names only its body.
        self._names: dict[str, str] = {fold(e.name): e.name for e in self.entries.values()}
        self._alias_cands: dict[str, list[str]] = {}
        self._role_cands: dict[str, list[str]] = {}
        for e in self.entries.values():
            for a in self._alias_forms(e):
                _push(self._alias_cands, fold(a), e.name)
            for rf in e.role_forms:
                _push(self._role_cands, fold(rf), e.name)
        self._sorted = sorted(set(self._names) | set(self._alias_cands))

    @staticmethod
    def _alias_forms(e: OrgEntry) -> list[str]:
        forms = list(e.aliases)
        if e.type == "ministry":  # กระทรวง + short form: กระทรวงดีอี, กระทรวงอุตฯ; ก.แรงงาน in headlines
            forms += ["กระทรวง" + rf for rf in e.role_forms]
            forms += ["ก." + rf for rf in e.role_forms if len(rf) >= 3 and not rf[0].isascii()]
        return forms

    # -- lookups ---------------------------------------------------------------
    def candidates(self, surface: str) -> list[str]:
        """Every body a full name or alias may name (more than one for ambiguous acronyms like ทช.)."""
        k = fold(surface)
        if k in self._names:
            return [self._names[k]]
        found = self._alias_cands.get(k)
        if found is None and k.endswith("ฯ"):
            one = self._by_prefix(k.rstrip("ฯ"))
            return [one] if one else []
        return list(found or ())

    def canonical(self, surface: str) -> str | None:
        """Any full name, alias or acronym of a known body → its canonical name (None if unknown or ambiguous)."""
        found = self.candidates(surface)
        return found[0] if len(found) == 1 else None

    def ministry(self, short: str) -> str | None:
        """A role form (แรงงาน, ดีอี, ทส., มหาดไทย, คลัง) or any name → canonical name."""
        k = fold(short)
        tries = [k]
        if k.startswith("กระทรวง"):
            tries.append(k[len("กระทรวง"):])
        if k.endswith(("ฯ", ".")):
            tries.append(k.rstrip("ฯ."))
        elif k and k.isalpha() and len(k) <= 4:  # an acronym written without its dot: ทส → ทส.
            tries.append(k + ".")
        for t in tries:
            found = self._role_cands.get(t)
            if found and len(found) == 1:
                return found[0]
            name = self.canonical(t)
            if name:
                return name
        return None

    def _by_prefix(self, prefix: str) -> str | None:
        """The one known body whose name or alias starts with ``prefix`` (กระทรวงการอุดมศึกษาฯ)."""
        if len(prefix) < 4:
            return None
        i = bisect.bisect_left(self._sorted, prefix)
        found: set[str] = set()
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            k = self._sorted[i]
            found.update([self._names[k]] if k in self._names else self._alias_cands[k])
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
        """Every name, alias and short form (for the tokenizer dictionary)."""
        out: set[str] = set()
        for e in self.entries.values():
            out.add(e.name)
            out.update(self._alias_forms(e))
            out.update(e.role_forms)
        return sorted(s for s in out if s.strip())

    def alias_surfaces(self) -> dict[str, list[str]]:
        """Surface → candidate bodies, for forms that name a body anywhere in text."""
        out: dict[str, list[str]] = {}
        for e in self.entries.values():
            _push(out, e.name, e.name)
        for e in self.entries.values():
            for s in self._alias_forms(e):
                if s not in out or fold(s) not in self._names:
                    _push(out, s, e.name)
        return out

    def role_surfaces(self) -> dict[str, list[str]]:
        """Surface → candidate bodies, for the short forms used after role heads."""
        out: dict[str, list[str]] = {}
        for e in self.entries.values():
            for s in e.role_forms:
                _push(out, s, e.name)
        return out


@cache
def org_gazetteer() -> OrgGazetteer:
    """The gazetteer, loaded once per process."""
    return OrgGazetteer(entries("orgs"))
