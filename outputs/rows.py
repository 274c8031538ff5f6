"""One processed article → the rows it contributes to each table.

Rows are built as tuples in each table's column order (what SQLite, Arrow and
CSV take), without a dict per row: an article makes about a hundred rows and
this runs for every article.  ``doc_rows`` gives the same rows as dicts for
callers that want names.  Each builder names the columns it fills, and the
module checks them against ``schema.TABLES`` when imported, so the two cannot
drift apart silently.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from khaosan.outputs.schema import FAMILY_TABLES, TABLES
from khaosan.pipeline.doc import Doc, Fact

Row = dict[str, Any]
Tuples = dict[str, list[tuple]]

# One encoder for every call: json.dumps with keyword arguments builds a new
# JSONEncoder each time, which costs more than encoding a short list.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json(value: Any) -> str:
    return _ENCODE(value) if value else "[]"  # None and [] alike: most facts have no aliases or roles


def _date_parts(value: str | None) -> tuple[int | None, int | None, int | None, str | None]:
    """(year, month, day, granularity) of an ISO date, year-month or year."""
    if not value:
        return None, None, None, None
    parts = value.split("-")
    nums = [int(p) if p.isdigit() else None for p in parts] + [None, None, None]
    return nums[0], nums[1], nums[2], {1: "year", 2: "month", 3: "day"}.get(len(parts))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# Family-specific columns (between doc_id and the common tail), from the fact's schema attributes.
_FAMILY_COLUMNS: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], tuple]]] = {
    "persons": (("name", "aliases", "titles", "roles"),
                lambda a: (a.get("name"), _json(a.get("aliases")), _json(a.get("titles")), _json(a.get("roles")))),
    "orgs": (("name", "aliases", "type"), lambda a: (a.get("name"), _json(a.get("aliases")), a.get("type"))),
    "provinces": (("name", "iso", "lat", "lon"), lambda a: (a.get("name"), a.get("iso"), a.get("lat"), a.get("lon"))),
    "programs": (("name", "aliases"), lambda a: (a.get("name"), _json(a.get("aliases")))),
    "figures": (("text", "value", "unit", "qualifier", "about"),
                lambda a: (a.get("text"), _float(a.get("value")), a.get("unit"), a.get("qualifier"), a.get("about"))),
    "dates": (("text", "value", "year", "month", "day", "granularity"),
              lambda a: (a.get("text"), a.get("value"), *_date_parts(a.get("value")))),
}
_FACT_HEAD = ("fact_id", "doc_id")
_FACT_TAIL = ("n_mentions", "first_start", "rule", "rules", "pipeline_version")
_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("doc_id", "title", "url", "published", "source", "text", "content_hash", "n_chars", "n_sentences",
                 "pipeline_version"),
    "sentences": ("doc_id", "sentence_id", "start", "end", "text"),
    "roles": ("fact_id", "doc_id", "person", "role", "pipeline_version"),
    "mentions": ("mention_id", "fact_id", "doc_id", "family", "start", "end", "text", "sentence_id", "rule",
                 "pipeline_version"),
    **{family: _FACT_HEAD + cols + _FACT_TAIL for family, (cols, _) in _FAMILY_COLUMNS.items()},
}
for _name, _cols in _COLUMNS.items():  # the builders below fill exactly the schema's columns, in its order
    if list(_cols) != TABLES[_name].column_names:
        raise ImportError(f"outputs.rows: {_name} builds {_cols}, schema says {TABLES[_name].column_names}")


def mention_id(doc_id: str, family: str, start: int, end: int, key: str) -> str:
    raw = f"{doc_id}\x1f{family}\x1f{start}\x1f{end}\x1f{key}".encode("utf-8")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def _fact_tail(fact: Fact, version: str) -> tuple:
    mentions = fact.mentions
    if len(mentions) == 1:  # most facts
        m = mentions[0]
        return 1, m.start, m.rule, _ENCODE([m.rule]), version
    rules = fact.rules
    return (len({(m.start, m.end) for m in mentions}), min((m.start for m in mentions), default=-1),
            rules[0] if rules else None, _json(rules), version)


def doc_tuples(doc: Doc, version: str) -> Tuples:
    """Rows for every table but ``errors``, as tuples in column order, keyed by table name."""
    a = doc.article
    text = a.text
    doc_id = a.doc_id
    rows: Tuples = {name: [] for name in TABLES if name != "errors"}
    rows["articles"].append((doc_id, a.title, a.url, a.published, a.source, text, a.content_hash, len(text),
                             len(doc.sentences), version))
    rows["sentences"] = [(doc_id, i, s, e, text[s:e]) for i, (s, e) in enumerate(doc.sentences)]
    mentions = rows["mentions"]
    roles: dict[tuple[str, str], tuple] = {}  # a role listed twice for one person is one row
    seen_mentions: set[str] = set()
    for family, facts in doc.facts.items():
        spec = _FAMILY_COLUMNS.get(family) if family in FAMILY_TABLES else None
        table = rows[family] if spec is not None else None
        for fact in facts:
            fact_id = fact.fact_id  # a hash: computed once per fact
            if spec is not None:
                table.append((fact_id, fact.doc_id, *spec[1](fact.attrs), *_fact_tail(fact, version)))
            if family == "persons":
                for role in fact.attrs.get("roles") or []:
                    roles[(fact_id, role)] = (fact_id, doc_id, fact.attrs.get("name"), role, version)
            for m in fact.mentions:
                mid = mention_id(doc_id, family, m.start, m.end, fact.key)
                if mid in seen_mentions:
                    continue
                seen_mentions.add(mid)
                mentions.append((mid, fact_id, doc_id, family, m.start, m.end, m.text, m.sentence, m.rule, version))
    rows["roles"] = list(roles.values())
    return rows


def doc_rows(doc: Doc, version: str) -> dict[str, list[Row]]:
    """The rows of :func:`doc_tuples` as dicts keyed by column name."""
    return {name: [dict(zip(_COLUMNS[name], t)) for t in ts] for name, ts in doc_tuples(doc, version).items()}
