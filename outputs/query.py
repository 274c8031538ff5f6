"""Facts out of a khaosan dataset, filtered the way a reporter asks for them.

``query_facts(dataset, "figures", QueryFilters(unit="THB", min_value=1e9))``
yields every billion-baht figure with the article it comes from and its
evidence: each mention's offsets, text and the sentence around it.

How the filters combine (all of them must hold):

* A filter on the family being queried applies to the fact itself:
  ``persons --person สมชาย`` gives the persons whose name or alias contains
  สมชาย.  Filters on the same other family describe ONE fact of that family:
  ``--unit THB --min 1e9`` asks for one figure in baht of at least a billion.
* A filter on another family applies through the article (``doc_id``):
  ``figures --province เชียงใหม่`` gives the figures of articles that name
  เชียงใหม่.  The figures stated in the same sentence as เชียงใหม่ come first
  (``FactHit.in_sentence`` counts the filters met in one of the fact's own
  sentences); ``same_sentence=True`` keeps only those.  Article-level is the
  default because Thai press releases often name the province in the lead
  sentence and the budget three sentences later.
* ``date_from``/``date_to`` bound the article's ``published`` date, except for
  the ``dates`` family where they bound the date the article names (a reporter
  asking for dates wants the dates themselves).  Bounds and values of any
  precision compare by overlap: ``--from 2024-03`` keeps a date ``2024``
  (a year that overlaps March 2024) and ``2024-03-15``.  An article without a
  ``published`` date never passes a date bound.  Years from 2400 are Buddhist
  Era and are converted (2567 → 2024).
* ``search`` is a substring of the article title or text (case-insensitive for
  Latin letters); facts whose own sentence holds it come first.
* Organisations resolve through the government gazetteer: ดีป้า, DEPA and depa
  all find the facts stored under สำนักงานส่งเสริมเศรษฐกิจดิจิทัล.  Provinces
  resolve from Thai, English and ISO 3166-2 names (เชียงใหม่, Chiang Mai, TH-50).
  Units resolve currency words to their codes (บาท, baht → THB) and percent
  words to ``%``.

The database is opened read-only; every value reaches SQLite as a parameter.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from khaosan.outputs.schema import FAMILY_FIELDS

FAMILIES: tuple[str, ...] = ("persons", "orgs", "provinces", "programs", "figures", "dates")

# What people type for a family → the table name.
_FAMILY_NAMES = {
    "person": "persons", "people": "persons", "org": "orgs", "organisation": "orgs", "organisations": "orgs",
    "organization": "orgs", "organizations": "orgs", "province": "provinces", "program": "programs",
    "programme": "programs", "programmes": "programs", "figure": "figures", "numbers": "figures",
    "date": "dates",
}

_JSON_FIELDS = frozenset({"aliases", "titles", "roles"})  # list fields kept as JSON text in the tables

SORTS: tuple[str, ...] = ("relevance", "newest", "oldest", "value")

_PERCENT_WORDS = ("%", "ร้อยละ", "เปอร์เซ็นต์", "เปอร์เซนต์", "เปอร์เซ็น", "percent", "pct")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_BE_OFFSET = 543  # Buddhist Era year − Common Era year


class QueryError(ValueError):
    """A filter or dataset that cannot be queried; the message names it and says why."""


@dataclass(frozen=True, slots=True)
class QueryFilters:
    """Every filter is optional; text filters match substrings (white space ignored in names)."""

    person: str | None = None  # name or alias
    role: str | None = None  # a person's role (รัฐมนตรี, ผู้ว่าราชการจังหวัด...)
    org: str | None = None  # name, alias or acronym (resolved through the gazetteer)
    province: str | None = None  # Thai, English or ISO 3166-2 name
    program: str | None = None  # name or alias
    unit: str | None = None  # figure unit: THB, USD, %, คน, ไร่... (บาท → THB)
    min_value: float | None = None  # figure value bounds, inclusive
    max_value: float | None = None
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive (see module doc)
    date_to: str | None = None
    search: str | None = None  # substring of article title or text
    same_sentence: bool = False  # other families' filters and search must hit one of the fact's sentences


@dataclass(frozen=True, slots=True)
class Evidence:
    """One mention of a fact: offsets into the article text, and its sentence."""

    start: int
    end: int
    text: str
    sentence_id: int | None
    sentence: str | None
    sentence_start: int | None  # offset of the sentence in the article text

    def to_item(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "sentence_id": self.sentence_id,
                "sentence": self.sentence, "sentence_start": self.sentence_start}


@dataclass(slots=True)
class FactHit:
    """One fact that passed the filters, with its article and evidence."""

    family: str
    fact_id: str
    doc_id: str
    fields: dict[str, Any]  # the facts.jsonl fields of the family (lists decoded)
    rule: str | None
    rules: list[str]
    n_mentions: int
    title: str | None
    published: str | None
    url: str | None
    in_sentence: int = 0  # filters on other families (and search) met in one of this fact's sentences
    evidence: list[Evidence] = field(default_factory=list)

    def to_item(self) -> dict[str, Any]:
        """The facts.jsonl item (fields, id, rule, rules, evidence) with family, doc_id and the article."""
        return {"family": self.family, **self.fields, "id": self.fact_id, "rule": self.rule, "rules": self.rules,
                "doc_id": self.doc_id, "title": self.title, "published": self.published, "url": self.url,
                "evidence": [e.to_item() for e in self.evidence]}


# -- inputs --------------------------------------------------------------------------


def family_name(name: str) -> str:
    """``figures``, ``figure``, ``Figures`` → ``figures``; anything else is a QueryError."""
    key = name.strip().casefold()
    key = _FAMILY_NAMES.get(key, key)
    if key not in FAMILIES:
        raise QueryError(f"family {name!r}: not one of {', '.join(FAMILIES)}")
    return key


def date_bound(text: str, option: str = "date") -> str:
    """A date bound as an ISO prefix (``2024``, ``2024-03``, ``2024-03-05``); BE years converted."""
    m = _DATE.match(text.strip())
    if not m:
        raise QueryError(f"{option} {text!r}: not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m.group(1))
    if year >= 2400:  # no news is dated after 2400 CE; such years are Buddhist Era
        year -= _BE_OFFSET
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as e:
        raise QueryError(f"{option} {text!r}: {e}") from None
    parts = [f"{year:04d}"] + ([f"{month:02d}"] if month else []) + ([f"{day:02d}"] if day else [])
    return "-".join(parts)


def amount(text: str, option: str = "value") -> float:
    """``1e9``, ``1,000,000``, ``1_000_000`` → float."""
    try:
        return float(text.replace(",", "").replace("_", "").strip())
    except ValueError:
        raise QueryError(f"{option} {text!r}: not a number (write 1000000, 1,000,000 or 1e6)") from None


@cache
def _title_regex() -> re.Pattern[str]:
    from khaosan.extractors.data import entries

    forms = {f for e in entries("titles") for f in [e["title"], *e.get("abbr", ())] if f}
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{alternation})\s*)+")


def person_forms(text: str) -> list[str]:
    """What to look for in names: the text, and the text without leading titles (นายสมชาย → สมชาย)."""
    bare = _title_regex().sub("", text.strip())
    return list(dict.fromkeys([text.strip()] + ([bare] if len(bare) >= 2 else [])))


def org_names(text: str) -> list[str]:
    """Canonical names of the known bodies ``text`` may name (ดีป้า → สำนักงานส่งเสริมเศรษฐกิจดิจิทัล)."""
    from khaosan.extractors.org_gazetteer import org_gazetteer

    g = org_gazetteer()
    return g.candidates(text) or [n for n in [g.ministry(text)] if n]


def province_isos(text: str) -> list[str]:
    """ISO 3166-2 codes of the province ``text`` names (Thai, English, ISO or an alias)."""
    from khaosan.extractors.provinces import province_by_name

    entry = province_by_name(text)
    return [entry["iso"]] if entry else []


def unit_forms(text: str) -> list[str]:
    """The stored unit values ``text`` may mean: a currency word → its code, a percent word → %."""
    from khaosan.extractors.data import entries

    key = text.strip().casefold()
    forms = [text.strip()]
    if key in (w.casefold() for w in _PERCENT_WORDS):
        forms.append("%")
    for cur in entries("currencies"):
        surfaces = [cur["code"], *cur.get("after", ()), *cur.get("before", ()), *cur.get("codes", ())]
        if key in (s.casefold() for s in surfaces):
            forms.append(cur["code"])
    return list(dict.fromkeys(forms))


# -- the dataset -------------------------------------------------------------------------


def dataset_file(path: str | Path) -> Path:
    """The SQLite file of a dataset given as its folder or the file itself."""
    p = Path(path)
    if p.is_dir():
        p = p / "khaosan.sqlite"
    if not p.is_file():
        raise QueryError(f"{path}: no khaosan dataset here (expected a folder with khaosan.sqlite or a .sqlite file)")
    return p


def open_dataset(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a dataset; a QueryError when it is not one."""
    p = dataset_file(path).resolve()
    uri = f"file:{p.as_posix()}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as e:
        # A WAL file in a folder we may not write to cannot get its -shm file: read it as immutable.
        try:
            db = sqlite3.connect(f"file:{p.as_posix()}?immutable=1", uri=True)
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            raise QueryError(f"{path}: cannot read as SQLite ({e})") from None
    missing = {"articles", "mentions", "sentences", *FAMILIES} - tables
    if missing:
        db.close()
        raise QueryError(f"{path}: not a khaosan dataset (no table {', '.join(sorted(missing))})")
    return db


# -- SQL -------------------------------------------------------------------------------


def _like(text: str) -> str:
    """A LIKE pattern for a substring (``\\`` escapes % and _)."""
    s = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{s}%"


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _name_like(columns: tuple[str, ...], text: str) -> tuple[str, list[Any]]:
    """Any of ``columns`` contains ``text``, white space ignored on both sides."""
    pattern = _like(_nospace(text))
    sql = " OR ".join(f"replace({{t}}.{c}, ' ', '') LIKE ? ESCAPE '\\'" for c in columns)
    return f"({sql})", [pattern] * len(columns)



def _resolved_or_like(column: str, resolved: list[str], like_columns: tuple[str, ...], text: str
                      ) -> tuple[str, list[Any]]:
    """Rows whose ``column`` is one of the values ``text`` resolved to (aliases, ISO codes), or that contain it."""
    like_sql, like_params = _name_like(like_columns, text)
    if not resolved:
        return like_sql, like_params
    in_sql, in_params = _in(column, resolved)
    return f"({in_sql} OR {like_sql})", in_params + like_params

def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    return f"{{t}}.{column} IN ({', '.join('?' * len(values))})", list(values)


def _date_range(column: str, lo: str | None, hi: str | None) -> tuple[str, list[Any]]:
    """``column`` (ISO of any precision) overlaps [lo, hi] (ISO prefixes)."""
    parts = [f"length({{t}}.{column}) >= 4"]  # no date (NULL, '') never passes
    params: list[Any] = []
    if lo:
        parts.append(f"{{t}}.{column} >= substr(?, 1, length({{t}}.{column}))")
        params.append(lo)
    if hi:
        parts.append(f"substr({{t}}.{column}, 1, ?) <= ?")
        params += [len(hi), hi]
    return " AND ".join(parts), params


@dataclass
class _Group:
    """The conditions one fact of ``table`` must meet together (``{t}`` = its alias)."""

    table: str
    sql: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, cond: tuple[str, list[Any]]) -> None:
        self.sql.append(cond[0])
        self.params += cond[1]

    def where(self, alias: str) -> str:
        return " AND ".join(f"({s.format(t=alias)})" for s in self.sql)


def _groups(family: str, f: QueryFilters) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}

    def group(table: str) -> _Group:
        return groups.setdefault(table, _Group(table))

    if f.person:
        conds = [_name_like(("name", "aliases"), form) for form in person_forms(f.person)]
        group("persons").add(("(" + " OR ".join(c[0] for c in conds) + ")", [p for c in conds for p in c[1]]))
    if f.role:
        group("persons").add(_name_like(("roles",), f.role))
    if f.org:
        group("orgs").add(_resolved_or_like("name", org_names(f.org), ("name", "aliases"), f.org))
    if f.province:
        group("provinces").add(_resolved_or_like("iso", province_isos(f.province), ("name",), f.province))
    if f.program:
        group("programs").add(_name_like(("name", "aliases"), f.program))
    if f.unit:
        forms = unit_forms(f.unit)
        group("figures").add((" OR ".join("{t}.unit = ? COLLATE NOCASE" for _ in forms), forms))
    if f.min_value is not None:
        group("figures").add(("{t}.value >= ?", [f.min_value]))
    if f.max_value is not None:
        group("figures").add(("{t}.value <= ?", [f.max_value]))
    if f.date_from or f.date_to:
        lo = date_bound(f.date_from, "--from") if f.date_from else None
        hi = date_bound(f.date_to, "--to") if f.date_to else None
        if lo and hi and hi < lo[: len(hi)]:
            raise QueryError(f"--from {f.date_from!r} is after --to {f.date_to!r}")
        group("dates" if family == "dates" else "articles").add(
            _date_range("value" if family == "dates" else "published", lo, hi))
    if f.search and f.search.strip():
        pattern = _like(unicodedata.normalize("NFC", f.search.strip()))
        group("articles").add(("({t}.title LIKE ? ESCAPE '\\' OR {t}.text LIKE ? ESCAPE '\\')", [pattern, pattern]))
    if f.min_value is not None and f.max_value is not None and f.min_value > f.max_value:
        raise QueryError(f"--min {f.min_value:g} is above --max {f.max_value:g}")
    return groups


def _in_sentence(table: str, group: _Group) -> tuple[str, list[Any]]:
    """A fact of ``table`` meeting ``group`` is mentioned in a sentence that mentions the fact ``f``."""
    sql = (f"EXISTS (SELECT 1 FROM mentions mf JOIN mentions mx ON mx.doc_id = mf.doc_id "
           f"AND mx.sentence_id = mf.sentence_id AND mx.family = ? JOIN \"{table}\" x ON x.fact_id = mx.fact_id "
           f"WHERE mf.fact_id = f.fact_id AND mf.sentence_id >= 0 AND {group.where('x')})")
    return sql, [table, *group.params]


def _search_in_sentence(text: str) -> tuple[str, list[Any]]:
    sql = ("EXISTS (SELECT 1 FROM mentions mf JOIN sentences s ON s.doc_id = mf.doc_id "
           "AND s.sentence_id = mf.sentence_id WHERE mf.fact_id = f.fact_id AND s.text LIKE ? ESCAPE '\\')")
    return sql, [_like(unicodedata.normalize("NFC", text.strip()))]


def _select(family: str, filters: QueryFilters, sort: str) -> tuple[str, list[Any], str, list[Any]]:
    """(FROM ... WHERE, its params, the in-sentence score expression, its params)."""
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r}: not one of {', '.join(SORTS)}")
    if sort == "value" and family not in ("figures", "dates"):
        raise QueryError("sort 'value' applies to figures and dates")
    groups = _groups(family, filters)
    where: list[str] = []
    params: list[Any] = []
    scores: list[str] = []
    score_params: list[Any] = []
    for table, group in groups.items():
        if table == family:
            where.append(group.where("f"))
            params += group.params
        elif table == "articles":
            where.append(group.where("a"))
            params += group.params
        else:
            where.append(f"EXISTS (SELECT 1 FROM \"{table}\" x WHERE x.doc_id = f.doc_id AND {group.where('x')})")
            params += group.params
            sql, p = _in_sentence(table, group)
            scores.append(sql)
            score_params += p
    if filters.search and filters.search.strip():
        sql, p = _search_in_sentence(filters.search)
        scores.append(sql)
        score_params += p
    if filters.same_sentence and scores:
        where += scores
        params += score_params
    body = f"FROM \"{family}\" f JOIN articles a ON a.doc_id = f.doc_id"
    if where:
        body += " WHERE " + " AND ".join(where)
    score = " + ".join(scores) if scores else "0"
    return body, params, score, score_params


_ORDER = {
    "relevance": "score DESC, (a.published IS NULL OR a.published = '') , a.published DESC, f.doc_id, f.first_start",
    "newest": "(a.published IS NULL OR a.published = ''), a.published DESC, f.doc_id, f.first_start",
    "oldest": "(a.published IS NULL OR a.published = ''), a.published ASC, f.doc_id, f.first_start",
    "value": "f.value IS NULL, f.value DESC, f.doc_id, f.first_start",
}


def count_facts(dataset: str | Path | sqlite3.Connection, family: str, filters: QueryFilters | None = None) -> int:
    """How many facts of ``family`` pass ``filters``."""
    family = family_name(family)
    body, params, _, _ = _select(family, filters or QueryFilters(), "relevance")
    db = dataset if isinstance(dataset, sqlite3.Connection) else open_dataset(dataset)
    try:
        return int(db.execute(f"SELECT COUNT(*) {body}", params).fetchone()[0])
    finally:
        if db is not dataset:
            db.close()


def _decode(family: str, row: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FAMILY_FIELDS[family]:
        value = row[name]
        if name in _JSON_FIELDS:
            value = json.loads(value) if value else []
        elif family == "figures" and name == "value" and isinstance(value, float) and value.is_integer():
            value = int(value)  # facts.jsonl writes whole numbers as integers
        out[name] = value
    return out


def _attach_evidence(db: sqlite3.Connection, family: str, hits: list[FactHit]) -> None:
    """Every hit's mentions, with their sentences, in one query per batch."""
    by_id = {h.fact_id: h for h in hits}
    marks = ", ".join("?" * len(by_id))
    seen: set[tuple[str, int, int]] = set()
    rows = db.execute(
        "SELECT m.fact_id, m.start, m.\"end\", m.text, m.sentence_id, s.text, s.start FROM mentions m "
        "LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.sentence_id = m.sentence_id "
        f"WHERE m.family = ? AND m.fact_id IN ({marks}) ORDER BY m.fact_id, m.start, m.\"end\"",
        [family, *by_id])
    for fact_id, start, end, text, sid, sentence, sstart in rows:
        if (fact_id, start, end) in seen:  # one span, several rules: one piece of evidence
            continue
        seen.add((fact_id, start, end))
        by_id[fact_id].evidence.append(Evidence(start, end, text, sid if sid is not None and sid >= 0 else None,
                                                sentence, sstart))


def query_facts(dataset: str | Path | sqlite3.Connection, family: str, filters: QueryFilters | None = None, *,
                limit: int | None = None, sort: str = "relevance", batch: int = 200) -> Iterator[FactHit]:
    """Facts of ``family`` passing ``filters``, best first (see the module doc), with their evidence.

    ``dataset`` is the dataset folder, its SQLite file or an open connection.
    A bad family, filter or dataset path raises QueryError here, before any
    result is read.
    """
    family = family_name(family)
    body, params, score, score_params = _select(family, filters or QueryFilters(), sort)
    cols = ", ".join(f"f.\"{c}\"" for c in FAMILY_FIELDS[family])
    sql = (f"SELECT f.fact_id, f.doc_id, {cols}, f.rule, f.rules, f.n_mentions, a.title, a.published, a.url, "
           f"({score}) AS score {body} ORDER BY {_ORDER[sort]}")
    all_params = score_params + params
    if limit is not None and limit > 0:
        sql += " LIMIT ?"
        all_params.append(limit)
    if not isinstance(dataset, sqlite3.Connection):
        dataset_file(dataset)
    return _hits(dataset, family, sql, all_params, batch)


def _hits(dataset: str | Path | sqlite3.Connection, family: str, sql: str, params: list[Any],
          batch: int) -> Iterator[FactHit]:
    db = dataset if isinstance(dataset, sqlite3.Connection) else open_dataset(dataset)
    old_factory = db.row_factory
    try:
        db.row_factory = sqlite3.Row
        cur = db.execute(sql, params)
        while rows := cur.fetchmany(batch):
            hits = [FactHit(family=family, fact_id=r["fact_id"], doc_id=r["doc_id"], fields=_decode(family, r),
                            rule=r["rule"], rules=json.loads(r["rules"]) if r["rules"] else [],
                            n_mentions=r["n_mentions"] or 0, title=r["title"] or None,
                            published=r["published"] or None, url=r["url"] or None, in_sentence=int(r["score"]))
                    for r in rows]
            _attach_evidence(db, family, hits)
            yield from hits
    finally:
        db.row_factory = old_factory
        if db is not dataset:
            db.close()
