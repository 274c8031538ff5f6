"""Finding person names in a document's normalised text (the persons family's name finder).

:class:`NameFinder` holds every name-finding rule (see persons.py for the
overview); :class:`DocContext` is what the rules and the role parser know about
the document being read.  Works on characters and spaces of ``doc.norm``:
newmm cuts unknown names into pieces, so tokens only confirm boundaries.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from khaosan.extractors.base import DisjointSpans
from khaosan.extractors.person_lexicon import NA_SURNAMES, THAI, Lexicon, fold_name, lexicon, trie_regex
from khaosan.extractors.person_roles import RoleParser, org_lookup
from khaosan.extractors.word_regex import MultiScan
from khaosan.pipeline.doc import Doc

THAI_LETTER = re.compile(f"[{THAI}]")
# Descendants of kings write ณ อยุธยา after their family name (เทพหัสดิน ณ อยุธยา): part of the surname.
# (Other ณ names -- ณ นคร, ณ สงขลา -- are whole surnames, read in _surname.)
_ROYAL_LINEAGE = re.compile(r"[ \t]*ณ[ \t]*อยุธยา")


def _royal_lineage_end(ctx: DocContext, end: int) -> int:
    m = _ROYAL_LINEAGE.match(ctx.norm, end)
    return m.end() if m is not None and ctx.boundary(m.end()) else end
_RUN = re.compile(f"[{THAI}]+")
# Two whole runs of letters (2-20 and 2-25 long) separated by one space: a first name and a
# surname.  The second run is read in a look-ahead so that it may also be the next pair's first.
_WORD_PAIR = re.compile(f"(?<![{THAI}])([{THAI}]{{2,20}}) (?=([{THAI}]{{2,25}})(?![{THAI}]))")
# The same pairs found faster: a pattern that starts with a character class (the non-letter before
# the first run) lets re skip through the text in C, where a leading look-behind is tried at every
# position.  The space stays in the look-ahead so that it can open the next pair.
_WORD_PAIR_AFTER = re.compile(f"[^{THAI}]([{THAI}]{{2,20}})(?= ([{THAI}]{{2,25}})(?![{THAI}]))")


def word_pairs(text: str) -> list[re.Match[str]]:
    """The matches of ``_WORD_PAIR.finditer(text)``, with the same groups 1 and 2."""
    first = _WORD_PAIR.match(text)  # a pair at the very start has no character before it
    return ([first] if first else []) + list(_WORD_PAIR_AFTER.finditer(text))
_QUOTES = "\"'“”‘’"
# Function words no surname begins with.
_FUNCTION_START = re.compile(
    "(?:ที่|ใน|ของ|และ|กับ|จาก|ให้|ได้|เป็น|จะ|ว่า|ซึ่ง|โดย|เพื่อ|ตาม|แต่|หรือ|ก็|ไม่|ยัง|จึง|ต่อ|ถึง|เมื่อ|ด้วย|แล้ว)")
_VOWEL = re.compile("[\u0e30-\u0e39\u0e40-\u0e44\u0e47\u0e31\u0e33]")
_COUNT_BEFORE = re.compile(r"\d[\d,.]*\s*$")
# Words that open an organisation or place, never a name.
_NOT_NAME_START = re.compile(r"(?:ฝ่าย|สำนัก|กระทรวง|กรม|คณะ|จังหวัด|อำเภอ|ประเทศ|แห่ง|ประจำ|ของ|เพื่อ|ทั้ง)")
_QUOTED = re.compile(f"[\"'“‘]([{THAI}]{{2,15}})[\"'”’]")
# บิ๊ก + a nickname: the press's name for senior officers and politicians (บิ๊กตู่).
_NICKNAME = re.compile(f"บิ๊ก[{THAI}]{{1,4}}(?![{THAI}])")
# Civil-service position levels written after a professional title (นายแพทย์ชำนาญการพิเศษ,
# เภสัชกรชำนาญการ): a position, not a name.
NOT_NAMES = frozenset(("ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ", "ทรงคุณวุฒิ", "ปฏิบัติการ", "ชำนาญงาน",
                       "อาวุโส", "ปฏิบัติงาน", "ปฏิบัติการพิเศษ", "ประจำ", "ผู้เชี่ยวชาญ"))
# Words after which a role written alone refers to a person (ของนายกฯ, โดย รมว.ดีอี, ท่านนายกฯ).
_ROLE_PRECEDERS = frozenset((
    "ของ", "โดย", "ให้", "จาก", "กับ", "และ", "ที่", "ตาม", "ว่า", "ถึง", "เชิญ", "ต่อ", "แด่", "ท่าน", "ทั้ง",
    "พร้อม", "ด้วย", "ซึ่ง", "เป็น", "มี", "ระหว่าง", "นำ", "แก่", "คือ", "ได้แก่", "ขณะที่", "ด้าน", "โดยมี",
    "พร้อมด้วย", "ส่วน", "ขณะ", "นอกจากนี้", "ทั้งนี้", "ซึ่งมี", "ภายใต้การนำของ", "การนำของ", "นโยบาย",
))


@dataclass(slots=True)
class NameHit:
    start: int  # normalised span: titles + name
    end: int
    first: str
    last: str | None
    titles: list[str]
    rule: str
    surface: str  # the name as written, titles removed, spaces collapsed


class DocContext:
    """What the role parser needs to know about the document being read."""

    __slots__ = ("doc", "norm", "org_at", "org_spans", "finder", "_titles", "person_starts", "ministries",
                 "found", "runs", "clauses")

    def __init__(self, doc: Doc, finder: NameFinder) -> None:
        self.doc = doc
        self.norm = doc.norm
        self.finder = finder
        self.org_at: dict[int, tuple[int, str]] = {}
        self.org_spans = [(m.norm_start, m.norm_end) for m in doc.mentions_of("orgs")]
        for m in doc.mentions_of("orgs"):
            name = m.attrs.get("name")
            if name and (m.norm_start not in self.org_at or self.org_at[m.norm_start][0] < m.norm_end):
                self.org_at[m.norm_start] = (m.norm_end, name)
        # (position, canonical name) of every ministry named so far, for "กระทรวงฯ".
        ministries = _ministry_names()
        self.ministries: list[tuple[int, str]] = sorted(
            (s, name) for s, (_, name) in self.org_at.items() if name in ministries)
        self._titles: dict[int, tuple[int, list[str]] | None] = {}
        # Both passes over the titled names ask the same questions at the same offsets: the answers
        # that do not depend on what a pass knows are kept (NameFinder._run, _clause_inside).
        self.runs: dict[int, tuple[int, int]] = {}  # name start -> (end of its letters, where the name ends)
        self.clauses: dict[tuple[int, int], bool] = {}
        self.person_starts: set[int] = set()
        # The matches of the finder's word-list patterns (titles, roles, cabinet names), found in
        # one pass over the text; read by both name passes.
        self.found = finder._scan.scan(self.norm)

    def boundary(self, pos: int) -> bool:
        """A word may end at ``pos``: end of text, a non-letter next, or a token end."""
        n = self.norm
        return pos >= len(n) or not THAI_LETTER.match(n[pos]) or self.doc.ends_token(pos)

    def doc_starts(self, pos: int) -> bool:
        return self.doc.starts_token(pos)

    def titles(self, pos: int) -> tuple[int, list[str]] | None:
        if pos not in self._titles:
            self._titles[pos] = self.finder._titles_at(self, pos)
        return self._titles[pos]

    def title_at(self, pos: int) -> bool:
        got = self.titles(pos)
        return got is not None and any(t not in self.finder.lex.weak_titles for t in got[1])

    def person_after(self, pos: int, glued: bool = False) -> bool:
        n = self.norm
        q = pos + 1 if not glued and pos < len(n) and n[pos] in " \t" else pos
        return self.title_at(q) or q in self.person_starts


class NameFinder:
    """Every rule that finds a person's name; the persons extractor builds on it."""

    def __init__(self) -> None:
        self.lex: Lexicon = lexicon()
        self.roles = RoleParser(self.lex)
        # Where a title may start (ว่าที่ as a word of its own: ว่าที่ ร.ต. starts there).
        self._title_scan = re.compile(f"(?:{trie_regex(sorted(self.lex.title_forms) + ['ว่าที่'])})")
        names = sorted({n for m in self.lex.cabinet.values() for n in [m.name, *m.aliases]}, key=len, reverse=True)
        # Cabinet members' full names are distinctive: also glued to a word before (และอนุชา นาคาศัย).
        self._cabinet_re = re.compile(f"(?:{trie_regex(names)})(?![{THAI}])")
        self._role_scan = re.compile(f"(?:{trie_regex(self.lex.role_forms)})")
        firsts = sorted({m.first for m in self.lex.cabinet.values()}, key=len, reverse=True)
        self._cabinet_first_re = re.compile(f"(?:{trie_regex(firsts)})")
        heads = [f for f, e in self.lex.role_entries.items() if e["out"] in ("นายกรัฐมนตรี", "ประธานาธิบดี")]
        self._head_of_state = re.compile(f"(?:{trie_regex(heads)})")
        self._scan = MultiScan([
            (self._title_scan, [*self.lex.title_forms, "ว่าที่"]),
            (self._cabinet_re, names),
            (self._role_scan, self.lex.role_forms),
            (self._cabinet_first_re, firsts),
            (self._head_of_state, heads),
        ])

    def _titles_at(self, ctx: DocContext, p: int) -> tuple[int, list[str]] | None:
        """The titles starting at ``p`` and where the name after them starts."""
        norm, lex = ctx.norm, self.lex
        if p > 0 and THAI_LETTER.match(norm[p - 1]) and not ctx.doc.starts_token(p):
            return None
        titles: list[str] = []
        i = p
        while True:
            m = lex.title_re.match(norm, i)
            if not m:
                break
            t = m.group(0)
            if not self._real_title(ctx, i, m.end(), t):
                break
            titles.append(t.strip())
            i = m.end()
            j = i
            while j < len(norm) and norm[j] in " \t" and j - i < 2:
                j += 1
            if j > i and lex.title_re.match(norm, j):
                i = j
                continue
            if j > i:
                i = j
            if not lex.title_re.match(norm, i):
                break
        if not titles or i >= len(norm) or not THAI_LETTER.match(norm[i]):
            return None
        return i, titles

    def _real_title(self, ctx: DocContext, s: int, e: int, t: str) -> bool:
        """Not the start of an ordinary word (นายจ้าง, คุณภาพ) or a role (นายกฯ, นายอำเภอ)."""
        norm = ctx.norm
        if e >= len(norm) or t.endswith(".") or t.endswith(")"):
            return e < len(norm)
        rm = self.roles.head_at(norm, s)
        if rm is not None and rm.end() > e and not rm.group("mod") and not rm.group("dep"):
            return False
        run = _RUN.match(norm, e)
        rest = run.group(0) if run else ""
        for k in range(e + 1, min(len(norm), e + 22) + 1):
            w = norm[s:k]
            # นายจ้าง, คุณภาพ: an ordinary word (the tokenizer keeps it whole), unless what
            # follows the title is a known first name.
            if w in self.lex.title_compounds and ctx.doc.ends_token(k) and (
                    rest not in self.lex.first_names or k == e + len(rest)):
                return False
        return True

    # -- names -------------------------------------------------------------------------
    def _run(self, ctx: DocContext, s: int, known_first: set[str] | None = None) -> int:
        """End of the name word starting at ``s``: letters up to a non-letter, cut before a
        clause word, title or role glued to it (ดร.สาธิตกล่าวว่า → สาธิต)."""
        got = ctx.runs.get(s)
        if got is None:
            got = ctx.runs[s] = self._cut_run(ctx, s, None)
        run_end, end = got
        if known_first:
            # The known first names change the answer only when one of them is a proper prefix
            # of the run (the only strings the cuts below compare with them).
            norm = ctx.norm
            for f in known_first:
                if len(f) < run_end - s and norm.startswith(f, s):
                    return self._cut_run(ctx, s, known_first)[1]
        return end

    def _cut_run(self, ctx: DocContext, s: int, known_first: set[str] | None) -> tuple[int, int]:
        """(end of the letters at ``s``, end of the name word there): see :meth:`_run`."""
        norm = ctx.norm
        m = _RUN.match(norm, s)
        if not m:
            return s, s
        end = m.end()
        run = norm[s:end]
        lex = self.lex
        # Cut before a clause word, title or role glued to it; before any clause word when
        # what precedes is a known first name (นายทักษิณพูด..., นายวิษณุยังกล่าว).
        listed = run in lex.first_names or fold_name(run) in lex.cabinet_by_first
        for k in range(s + 2, end):
            if not ctx.doc.starts_token(k):
                continue
            if lex.glued_re.match(norm, k) or ctx.title_at(k) or self._long_role_at(norm, k):
                return end, k
            c = None if listed else lex.clause_re.match(norm, k)
            # (a clause word is a word of its own: ณ does not start กร|ณินทร์)
            if c is not None and ctx.doc.ends_token(c.end()) and (
                    norm[s:k] in lex.first_names or fold_name(norm[s:k]) in lex.cabinet_by_first
                    or (known_first and norm[s:k] in known_first)):
                return end, k
        if known_first:
            for f in sorted(known_first, key=len, reverse=True):
                if end - s > len(f) and norm.startswith(f, s) and ctx.doc.starts_token(s + len(f)):
                    return end, s + len(f)
        return end, end

    def _long_role_at(self, norm: str, k: int) -> bool:
        m = self.roles.head_at(norm, k)
        return m is not None and len(m.group(0)) >= 4

    def _surname(self, ctx: DocContext, k: int, first: str, known: dict[str, set[str]]) -> int | None:
        """End of the surname starting at ``k``, or None when the word there is not one."""
        norm, lex = ctx.norm, self.lex
        end = self._run(ctx, k)
        if end - k < 2:
            # ณ อยุธยา: a one-letter head and a place.
            if norm.startswith("ณ ", k):
                for na in NA_SURNAMES:
                    if norm.startswith(na, k + 2) and ctx.boundary(k + 2 + len(na)):
                        return k + 2 + len(na)
            return None
        word = norm[k:end]
        if word in lex.family_names:
            return _royal_lineage_end(ctx, end)
        c = lex.clause_re.match(norm, k)
        if c and (c.end() == end or ctx.doc.ends_token(c.end())):
            return None
        if _FUNCTION_START.match(word):
            return None  # ที่วัด...: a function word (the tokenizer may glue it to the next word)
        if ctx.title_at(k) or self.roles.head_at(norm, k) is not None:
            return None
        others = known.get(fold_name(first))
        full_end = _royal_lineage_end(ctx, end)
        if others and fold_name(word) not in others and fold_name(norm[k:full_end]) not in others:
            return None
        if len(word) > 10 and self._clause_inside(ctx, k + 2, end):
            return None  # พล.อ.ประยุทธ์ ตั้งใจมอบเป็นของขวัญ...: a clause, not a surname
        return full_end

    def _title_positions(self, ctx: DocContext) -> list[tuple[int, int, list[str]]]:
        """(title start, name start, titles) of every title sequence followed by a name."""
        out = []
        for m in ctx.found[self._title_scan]:
            got = ctx.titles(m.start())
            if got is not None:
                out.append((m.start(), got[0], got[1]))
        return out

    def _titled(self, ctx: DocContext, positions: list[tuple[int, int, list[str]]], known: dict[str, set[str]],
                known_first: set[str]) -> list[NameHit]:
        norm = ctx.norm
        hits: list[NameHit] = []
        pos = 0
        for p, s, titles in positions:
            if p < pos:
                continue
            e = self._run(ctx, s, known_first)
            if e - s < 2:
                continue
            first = norm[s:e]
            last: str | None = None
            end = e
            q = e
            while q < len(norm) and norm[q] in " \t" and q - e < 2:
                q += 1
            if q > e:
                se = self._surname(ctx, q, first, known)
                if se is not None:
                    last = re.sub(r"\s+", " ", norm[q:se])
                    end = se
            elif e < len(norm) and THAI_LETTER.match(norm[e]) and fold_name(first) in known:
                # "ประยุทธ์จันทร์โอชา": the surname this first name has elsewhere, written glued.
                run = _RUN.match(norm, e)
                for k in range(run.end(), e + 1, -1):
                    if fold_name(norm[e:k]) in known[fold_name(first)]:
                        last, end = norm[e:k], k
                        break
            if not self._plausible(first, last, titles, known, not self._clause_inside(ctx, s, e)):
                continue
            if last is None and p > 0 and THAI_LETTER.match(norm[p - 1]) and first not in self.lex.first_names \
                    and fold_name(first) not in known and not self._after_preceder(ctx, p) \
                    and len(first) > 8 \
                    and all(self.lex.title_forms.get(t, {}).get("kind") == "honorific" for t in titles):
                continue  # แห่นางดาน...: an honorific glued to an ordinary word, no surname
            surface = first if last is None else f"{first} {last}"
            hits.append(NameHit(p, end, first, last, titles, "persons/title_name", surface))
            pos = end
        return hits

    def _plausible(self, first: str, last: str | None, titles: list[str], known: dict[str, set[str]],
                   unknown_piece: bool = True) -> bool:
        """A title followed by an ordinary word is not a name (นายรัฐมนตรี, คุณจะ...)."""
        lex = self.lex
        if len(first) > 20 or first in NOT_NAMES or _NOT_NAME_START.match(first):
            return False
        c = lex.clause_re.match(first)
        if c and c.end() == len(first):
            return False  # นาย ที่...
        if any(lex.title_forms.get(t, {}).get("kind") == "religious" for t in titles):
            return True  # หลวงพ่อคูณ: monks' names are often ordinary words
        if all(t in lex.weak_titles for t in titles):
            # คุณ, อาจารย์, อ.: also ordinary words (อ. is also อำเภอ); the name must look like one.
            return not any(t.endswith(".") for t in titles) and last is not None \
                and (first in lex.first_names or first not in lex.dictionary) \
                and (last in lex.family_names or last not in lex.dictionary)
        if fold_name(first) in known or first in lex.first_names:
            return True
        if last is None and any(f.startswith(first) for f in lex.role_entries):
            return False  # นายรัฐมนตรี (a typo of นายกรัฐมนตรี), not a name
        if last is None:
            # นางนอน, ด.ญ.อายุ, นายไม่จ่าย...: ordinary words after an honorific.  After a rank or
            # an academic title (พล.ท.สรรเสริญ) a dictionary word is still a name.
            honorific = all(lex.title_forms.get(t, {}).get("kind") == "honorific" for t in titles)
            if honorific and (first in lex.dictionary or not unknown_piece):
                return False
        return True

    def _untitled(self, ctx: DocContext, persons_full: dict[str, tuple[str, str]]) -> list[NameHit]:
        """Full names without a title: cabinet members, names seen with a title, name-list pairs."""
        norm, lex = ctx.norm, self.lex
        hits: list[NameHit] = []
        for m in ctx.found[self._cabinet_re]:
            if m.start() and THAI_LETTER.match(norm[m.start() - 1]) and not ctx.doc.starts_token(m.start()):
                continue
            first, _, last = re.sub(r"\s+", " ", m.group(0)).partition(" ")
            hits.append(NameHit(m.start(), m.end(), first, last, [], "persons/known_name", f"{first} {last}"))
        for first, last in set(persons_full.values()):
            for s, e in _find_name(norm, first, last):
                hits.append(NameHit(s, e, first, last, [], "persons/repeated_name", f"{first} {last}"))
        for m in word_pairs(norm):
            first, last = m.groups()
            if first not in lex.first_names and last not in lex.cabinet_surnames:
                continue  # (most pairs: tested before their offsets are read)
            s1, s2, e2 = m.start(1), m.start(2), m.end(2)
            if _COUNT_BEFORE.search(norm, max(0, s1 - 12), s1):
                continue  # "120 ราย ..." : a classifier after a number, not a first name
            if first not in lex.first_names and not (
                    last in lex.cabinet_surnames and first not in lex.dictionary and len(first) >= 3):
                continue  # a listed first name, or any name before a known family's surname
            if not self._surname_like(ctx, s2, first, last):
                continue
            if lex.clause_re.fullmatch(first) or first in lex.role_entries:
                continue
            hits.append(NameHit(s1, e2, first, last, [], "persons/name_list", f"{first} {last}"))
        return hits

    def _surname_like(self, ctx: DocContext, k: int, first: str, word: str) -> bool:
        """``first word`` reads as a name: a known family name after a first name that is not
        an ordinary word too, or a word no dictionary knows after an unambiguous first name."""
        lex = self.lex
        known = lex.cabinet_by_first.get(fold_name(first))
        if known and all(fold_name(m.last) != fold_name(word) for m in known):
            return False  # สุชาติ พอใจ...: a known first name without its surname (a headline)
        if word in lex.family_names or word in lex.cabinet_surnames:
            return not (first in lex.dictionary and word in lex.dictionary) or word in lex.cabinet_surnames
        c = lex.clause_re.match(word)
        if len(word) < 3 or word in lex.dictionary or (c and ctx.doc.ends_token(k + c.end())):
            return False
        if first in lex.dictionary and (len(word) < 4 or not self._unknown_piece(ctx, k, k + len(word))
                                        or not _VOWEL.search(word) or self._clause_inside(ctx, k, k + len(word))):
            # วิวัฒน์ is also a word: the surname must hold a piece no dictionary knows, have a
            # vowel (not an acronym written without dots: สปสช) and no clause word inside.
            return False
        if any(word.startswith("และ", i) and ctx.doc.starts_token(k + i) for i in range(2, len(word) - 2)):
            return False
        return self._run(ctx, k) == k + len(word)

    def _first_only(self, ctx: DocContext, firsts: set[str]) -> list[NameHit]:
        """A first name alone of a person named in full in the article (headline "วราวุธ")."""
        if not firsts:
            return []
        norm, lex = ctx.norm, self.lex
        hits = []
        for word, s in ((w, s) for w in firsts for s in _find_all(norm, w)):
            e = s + len(word)
            before = norm[s - 1] if s else " "
            after = norm[e] if e < len(norm) else " "
            open_before = not THAI_LETTER.match(before)
            if not open_before:
                # รัฐมนตรีสุริยะ, นายกฯเศรษฐา: glued to a role.
                if not ctx.doc.starts_token(s) or word in lex.dictionary:
                    continue
            closed_after = (not THAI_LETTER.match(after)) or after == "ฯ" or (
                ctx.doc.ends_token(e) and (lex.glued_re.match(norm, e) or lex.clause_re.match(norm, e)))
            if not closed_after:
                continue
            hits.append(NameHit(s, e, word, None, [], "persons/first_name", word))
        return hits

    def _bare_known(self, ctx: DocContext) -> list[NameHit]:
        """A first name alone that names a known person: a cabinet member's first name as a
        word of its own, or any first name from the name lists in quotes ("สรยุทธ")."""
        norm, lex = ctx.norm, self.lex
        hits = []
        for m in ctx.found[self._cabinet_first_re]:
            s, e = m.start(), m.end()
            word = m.group(0)
            before = norm[s - 1] if s else " "
            after = norm[e] if e < len(norm) else " "
            quoted = before in _QUOTES and after in _QUOTES
            glued_clause = THAI_LETTER.match(after) and ctx.doc.starts_token(e) and lex.clause_re.match(norm, e)
            if not quoted:
                if THAI_LETTER.match(before):
                    continue
                if word in lex.dictionary:
                    # อภิสิทธิ์ is also a word: only with a verb of saying glued to it
                    # (อภิสิทธิ์ระบุ) or ฯ.
                    if not (after == "ฯ" or (ctx.doc.starts_token(e) and lex.saying_re.match(norm, e))):
                        continue
                elif THAI_LETTER.match(after) and not glued_clause:
                    continue
            hits.append(NameHit(s, e, word, None, [], "persons/known_first_name", word))
        for m in _QUOTED.finditer(norm):
            word = m.group(1)
            if word in lex.first_names and word not in lex.dictionary:
                hits.append(NameHit(m.start(1), m.end(1), word, None, [], "persons/quoted_name", word))
        for m in _NICKNAME.finditer(norm):
            nick = m.group(0)
            if nick not in lex.dictionary and ctx.boundary(m.end()) and (m.start() == 0 or ctx.doc.starts_token(m.start())
                                                                        or not THAI_LETTER.match(norm[m.start() - 1])):
                hits.append(NameHit(m.start(), m.end(), nick, None, [], "persons/nickname", nick))
        return hits

    def _clause_inside(self, ctx: DocContext, s: int, e: int) -> bool:
        """A clause word (ไม่, ที่, ใน, ถูก...) starts a token of norm[s:e] and ends on a token end."""
        got = ctx.clauses.get((s, e))
        if got is None:
            got = ctx.clauses[s, e] = self._find_clause_inside(ctx, s, e)
        return got

    def _find_clause_inside(self, ctx: DocContext, s: int, e: int) -> bool:
        # Each word list's regex searches (skipping in C) for the offsets where one of its words is
        # written, rather than matching at every offset; the token tests run there only.
        norm, doc = ctx.norm, ctx.doc
        for rx in (self.lex.clause_re, self.lex.glued_re):
            k = s
            while (c := rx.search(norm, k, e)) is not None:
                if doc.starts_token(c.start()) and doc.ends_token(c.end()):
                    return True
                k = c.start() + 1
        return False

    def _unknown_piece(self, ctx: DocContext, s: int, e: int) -> bool:
        """Some token of norm[s:e] is not a dictionary word (a name newmm cut into pieces)."""
        norm, words = ctx.norm, self.lex.dictionary
        i = s
        while i < e:
            j = i + 1
            while j < e and not ctx.doc.starts_token(j):
                j += 1
            if norm[i:j] not in words:
                return True
            i = j
        return False

    def _after_role(self, ctx: DocContext) -> list[NameHit]:
        """An untitled name right after a head of state or government (ประธานาธิบดีโจ ไบเดน,
        นายกรัฐมนตรีเศรษฐา ทวีสิน)."""
        norm, lex = ctx.norm, self.lex
        hits = []
        for m in ctx.found[self._head_of_state]:
            if not self._loose_ok(ctx, m.start()):
                continue  # inside a longer role or name: เลขาธิการนายกรัฐมนตรี
            r = self.roles.parse(ctx, m.start())
            if r is None:
                continue
            q = r.end
            spaced = q < len(norm) and norm[q] == " "
            if spaced:
                q += 1
            if ctx.title_at(q):
                continue
            w1 = _RUN.match(norm, q)
            if not w1 or not 2 <= len(w1.group(0)) <= 20:
                continue
            first = w1.group(0)
            if lex.clause_re.match(first) or self.roles.head_at(norm, q) is not None or _NOT_NAME_START.match(first):
                continue
            known_first = first in lex.first_names or fold_name(first) in lex.cabinet_by_first
            # A headline verb after the role (นายกฯ เดินหน้า..., นายกฯ คิกออฟ) is no name: the
            # first word must be a known first name or a word no dictionary knows.
            if not known_first and (first in lex.dictionary or not self._unknown_piece(ctx, q, w1.end())):
                continue
            last = None
            e = w1.end()
            if e < len(norm) and norm[e] == " ":
                w2 = _RUN.match(norm, e + 1)
                if w2 and not ctx.title_at(e + 1) and self.roles.head_at(norm, e + 1) is None \
                        and self._surname_like(ctx, e + 1, first, w2.group(0)):
                    last, e = w2.group(0), w2.end()
            if last is None and (first in lex.dictionary or not known_first):
                continue
            hits.append(NameHit(q, e, first, last, [], "persons/role_name", first if last is None else f"{first} {last}"))
        return hits

    # -- the extractor -------------------------------------------------------------------
    def _after_preceder(self, ctx: DocContext, s: int) -> bool:
        """The token before ``s`` is a function word (โดยนาย..., ของนาย...) or ends a role."""
        norm = ctx.norm
        i = s - 1
        while i >= 0 and not ctx.doc.starts_token(i):
            i -= 1
        prev = norm[max(i, 0):s]
        return prev in _ROLE_PRECEDERS or any(norm.endswith(f, 0, s) for f in ("รัฐมนตรี", "นายกฯ"))

    def _loose_ok(self, ctx: DocContext, s: int) -> bool:
        """A role written alone refers to a person only as a word of its own, not inside an
        organisation's name (สำนักงานปลัดกระทรวงสาธารณสุข)."""
        norm = ctx.norm
        if any(a < s < b for a, b in ctx.org_spans):
            return False
        if s == 0 or not THAI_LETTER.match(norm[s - 1]):
            return True
        if not ctx.doc.starts_token(s):
            return False
        i = s - 1
        while i >= 0 and not ctx.doc.starts_token(i):
            i -= 1
        return norm[i:s] in _ROLE_PRECEDERS


def _find_all(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _find_name(text: str, first: str, last: str) -> Iterator[tuple[int, int]]:
    """Spans of "first last" (any run of spaces between) as whole words."""
    for s in _find_all(text, first):
        if s and THAI_LETTER.match(text[s - 1]):
            continue
        q = s + len(first)
        k = q
        while k < len(text) and text[k] in " \t" and k - q < 3:
            k += 1
        if k > q and text.startswith(last, k):
            e = k + len(last)
            if e >= len(text) or not THAI_LETTER.match(text[e]):
                yield s, e


def _ministry_names() -> set[str]:
    return org_lookup().ministries


def drop_overlapping_names(hits: list[NameHit]) -> list[NameHit]:
    """Titled names first, then the longest: a name found twice is kept once."""
    order = {"persons/title_name": 0, "persons/known_name": 1, "persons/repeated_name": 1,
             "persons/role_name": 2, "persons/name_list": 2, "persons/first_name": 3,
             "persons/known_first_name": 4, "persons/quoted_name": 4, "persons/nickname": 4}
    kept: list[NameHit] = []
    spans = DisjointSpans()
    for h in sorted(hits, key=lambda h: (order[h.rule], -(h.end - h.start), h.start)):
        if not spans.overlaps(h.start, h.end):
            spans.add(h.start, h.end)
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)
