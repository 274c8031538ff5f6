"""Resolution of program mentions into facts: shared keys, aliases, bare names joining fuller ones."""
from __future__ import annotations

import re

from khaosan.extractors.programs_patterns import FAMILY, _key, _Patterns
from khaosan.pipeline.doc import Doc, Fact, Mention


def resolve_programs(doc: Doc, mentions: list[Mention], p: _Patterns) -> list[Fact]:
    strip = p.strip_cues
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, m in enumerate(mentions):
        for k in [m.key, *(_key(a, strip) for a in m.attrs.get("aliases", []))]:
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    groups: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    _merge_prefixes(groups, strip, p.variant_tail_re)
    _merge_spellings(groups, strip)
    facts = []
    for ms in groups.values():
        ms.sort(key=lambda m: m.norm_start)
        name = _fullest(ms)
        key = _key(name, strip)
        # aliases differ as the scorer sees them: ปี 67 is kept beside ปี 2567 (same merge key)
        seen = {_key(name, strip, years=False)}
        aliases = []
        candidates = [m.attrs["name"] for m in ms] + [a for m in ms for a in m.attrs.get("aliases", [])]
        b = p.strip_ordinal_re.sub("", name)
        if b != name:
            candidates.append(b)
        for a in candidates:
            k = _key(a, strip, years=False)
            if k and k not in seen:
                seen.add(k)
                aliases.append(a)
        facts.append(Fact(FAMILY, key, {"name": name, "aliases": aliases}, ms, doc.doc_id))
    return facts


def _merge_prefixes(groups: dict[int, list[Mention]], strip: list[str], variant_tail: re.Pattern[str]) -> None:
    """A shorter name joins the one longer name it begins (its only ordinal variant or fuller form).

    นักดิจิทัลพัฒนาเมืองรุ่นใหม่ joins ... รุ่นที่ 2; ป่าชายเลนในเมือง joins
    ป่าชายเลนในเมืองจังหวัดพังงา.  คนละครึ่ง stays apart from ระยะที่ 3 and
    ระยะที่ 4 when both are named: it cannot be told which one it means.
    """
    keys = {g: _key(_fullest(ms), strip) for g, ms in groups.items()}
    for g in sorted(groups, key=lambda g: len(keys[g])):
        k = keys[g]
        if len(k) < 5:
            continue
        longer = sorted((h for h in groups if h != g and len(keys[h]) > len(k) and keys[h].startswith(k)),
                        key=lambda h: len(keys[h]))
        # one longer name, or a chain of them each beginning the next: join the longest
        if longer and all(keys[longer[i + 1]].startswith(keys[longer[i]]) for i in range(len(longer) - 1)):
            groups[longer[-1]].extend(groups.pop(g))
            continue
        # otherwise the one that only adds a program word or an ordinal: โคก หนอง นา → โคก หนอง นา โมเดล
        variants = [h for h in longer if variant_tail.fullmatch(keys[h][len(k):])]
        if len(variants) == 1:
            groups[variants[0]].extend(groups.pop(g))



def _fullest(ms: list[Mention]) -> str:
    """The longest name written at least twice (else the longest): a name seen once and longer
    than the others may have run on into the clause (สภานักเรียน | ให้ดำเนินไป)."""
    if len(ms) == 1:
        return ms[0].attrs["name"]
    counts: dict[str, int] = {}
    first: dict[str, int] = {}  # each name's first position (ties go to the earliest name)
    for i, m in enumerate(ms):
        n = m.attrs["name"]
        counts[n] = counts.get(n, 0) + 1
        first.setdefault(n, i)
    pool = [n for n in first if counts[n] >= 2] or list(first)
    return max(pool, key=lambda n: (len(n.replace(" ", "")), -first[n]))


# A word written out in full in one place and short in another: แก้|แก้ไข, แก่|ให้แก่ (Thai letters only;
# a digit or a Latin letter inserted is another program: ระยะที่ 3 / ระยะที่ 13).
_INSERTED = re.compile("[\u0e01-\u0e4e]{1,3}")
_MIN_SPELLING_KEY = 8  # short keys differ by a syllable too easily (ชิมช้อป / ชิมช้อปใช้)


def _merge_spellings(groups: dict[int, list[Mention]], strip: list[str]) -> None:
    """Two names that differ by one to three Thai letters inserted inside are one program spelt two ways.

    มหกรรมร่วมใจแก้หนี้ / มหกรรมร่วมใจแก้ไขหนี้ in one release name one event.  The insertion
    must be inside the name (an added last word is another program: ธงฟ้า / ธงฟ้าประชารัฐ).
    """
    if len(groups) < 2:
        return
    keys = {g: _key(_fullest(ms), strip) for g, ms in groups.items()}
    for g in sorted(groups, key=lambda g: len(keys[g])):
        k = keys[g]
        if len(k) < _MIN_SPELLING_KEY:
            continue
        for h in groups:
            if h != g and h in keys and _one_insertion(k, keys[h]):
                groups[h].extend(groups.pop(g))
                del keys[g]
                break


def _one_insertion(short: str, long: str) -> bool:
    d = len(long) - len(short)
    if not 1 <= d <= 3:
        return False
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    # inside: at least a syllable before and after, and the rest identical
    return (3 <= i <= len(short) - 2 and long[i + d:] == short[i:]
            and _INSERTED.fullmatch(long, i, i + d) is not None)
