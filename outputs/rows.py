"""One processed article → the rows it contributes to each table."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from khaosan.pipeline.doc import Doc, Fact
from khaosan.outputs.schema import FAMILY_TABLES, TABLES

Row = dict[str, Any]


# One encoder for every call: json.dumps with keyword arguments builds a new
# JSONEncoder each time, which costs more than encoding a short list.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json(value: Any) -> str:
    return _ENCODE(value) if value else "[]"  # None and [] alike: most facts have no aliases or roles


def _fact_row(fact: Fact, fact_id: str, rules: list[str], version: str) -> Row:
    first = min((m.start for m in fact.mentions), default=-1)
    return {"fact_id": fact_id, "doc_id": fact.doc_id, "n_mentions": len({(m.start, m.end) for m in fact.mentions}),
            "first_start": first, "rule": rules[0] if rules else None, "rules": _json(rules),
            "pipeline_version": version}


def _date_parts(value: str | None) -> Row:
    parts = (value or "").split("-")
    nums = [int(p) if p.isdigit() else None for p in parts] + [None, None, None]
    granularity = {1: "year", 2: "month", 3: "day"}.get(len(parts)) if value else None
    return {"year": nums[0], "month": nums[1], "day": nums[2], "granularity": granularity}


# Family-specific columns, from the fact's schema attributes.
_FAMILY_COLUMNS: dict[str, Callable[[dict[str, Any]], Row]] = {
    "persons": lambda a: {"name": a.get("name"), "aliases": _json(a.get("aliases")),
                          "titles": _json(a.get("titles")), "roles": _json(a.get("roles"))},
    "orgs": lambda a: {"name": a.get("name"), "aliases": _json(a.get("aliases")), "type": a.get("type")},
    "provinces": lambda a: {"name": a.get("name"), "iso": a.get("iso"), "lat": a.get("lat"), "lon": a.get("lon")},
    "programs": lambda a: {"name": a.get("name"), "aliases": _json(a.get("aliases"))},
    "figures": lambda a: {"text": a.get("text"), "value": None if a.get("value") is None else float(a["value"]),
                          "unit": a.get("unit"), "qualifier": a.get("qualifier"), "about": a.get("about")},
    "dates": lambda a: {"text": a.get("text"), "value": a.get("value"), **_date_parts(a.get("value"))},
}


def mention_id(doc_id: str, family: str, start: int, end: int, key: str) -> str:
    raw = f"{doc_id}\x1f{family}\x1f{start}\x1f{end}\x1f{key}".encode("utf-8")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def article_row(doc: Doc, version: str) -> Row:
    a = doc.article
    return {"doc_id": a.doc_id, "title": a.title, "url": a.url, "published": a.published, "source": a.source,
            "text": a.text, "content_hash": a.content_hash, "n_chars": len(a.text),
            "n_sentences": len(doc.sentences), "pipeline_version": version}


def doc_rows(doc: Doc, version: str) -> dict[str, list[Row]]:
    """Rows for every table but ``errors``, keyed by table name."""
    rows: dict[str, list[Row]] = {name: [] for name in TABLES if name != "errors"}
    rows["articles"].append(article_row(doc, version))
    rows["sentences"] = [{"doc_id": doc.doc_id, "sentence_id": i, "start": s, "end": e, "text": doc.text[s:e]}
                         for i, (s, e) in enumerate(doc.sentences)]
    seen_mentions: set[str] = set()
    doc_id = doc.doc_id
    for family, facts in doc.facts.items():
        columns = _FAMILY_COLUMNS.get(family) if family in FAMILY_TABLES else None
        for fact in facts:
            fact_id = fact.fact_id  # a hash: computed once per fact
            if columns is not None:
                rows[family].append({**_fact_row(fact, fact_id, fact.rules, version), **columns(fact.attrs)})
            if family == "persons":
                for role in fact.attrs.get("roles") or []:
                    rows["roles"].append({"fact_id": fact_id, "doc_id": doc_id,
                                          "person": fact.attrs.get("name"), "role": role,
                                          "pipeline_version": version})
            for m in fact.mentions:
                mid = mention_id(doc_id, family, m.start, m.end, fact.key)
                if mid in seen_mentions:
                    continue
                seen_mentions.add(mid)
                rows["mentions"].append({"mention_id": mid, "fact_id": fact_id, "doc_id": doc_id,
                                         "family": family, "start": m.start, "end": m.end, "text": m.text,
                                         "sentence_id": m.sentence, "rule": m.rule, "pipeline_version": version})
    # a role listed twice for one person is one row
    rows["roles"] = list({(r["fact_id"], r["role"]): r for r in rows["roles"]}.values())
    return rows
