"""What the fact card and the article page show, read from the dataset through Datasette's database object.

Kept apart from the hooks so the reading and the highlighting can be tested
without a server.  Offsets are into ``articles.text``; a sentence is
``text[start:end]``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup

from khaosan.outputs.schema import FAMILY_FIELDS, FAMILY_TABLES
from khaosan.outputs.web.highlight import Span, non_overlapping, render, safe_url

FAMILY_LABELS = {"persons": "Person", "orgs": "Organisation", "provinces": "Province", "programs": "Program",
                 "figures": "Figure", "dates": "Date"}

# Columns of each family shown on the card, in order, after the label: the facts.jsonl fields.
DETAIL_COLUMNS = FAMILY_FIELDS

# Context shown around a mention that has no sentence (should not happen; old datasets).
WINDOW = 150


class Db(Protocol):
    async def execute(self, sql: str, params: Any = None, **kw: Any) -> Any: ...


def all_facts_sql(where: str) -> str:
    """One query over the six family tables: fact_id, doc_id, family, label, rule; filtered by ``where``."""
    label = {"figures": "text", "dates": "text"}
    parts = [f"SELECT fact_id, doc_id, '{fam}' AS family, \"{label.get(fam, 'name')}\" AS label, rule "
             f'FROM "{fam}" WHERE {where}' for fam in FAMILY_TABLES]
    return " UNION ALL ".join(parts)


def decode_list(value: Any) -> list[str] | None:
    """A JSON list column as a Python list (None when it is not one)."""
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        out = json.loads(value)
    except ValueError:
        return None
    return [str(x) for x in out] if isinstance(out, list) else None


@dataclass(slots=True)
class Evidence:
    """One mention of the fact, inside its sentence, rendered."""

    mention_id: str
    text: str
    rule: str
    sentence_id: int | None
    html: Markup
    others: list[dict[str, Any]] = field(default_factory=list)  # other facts of the sentence


async def _article(db: Db, doc_id: str) -> dict[str, Any] | None:
    rows = (await db.execute("SELECT * FROM articles WHERE doc_id = ?", [doc_id])).rows
    if not rows:
        return None
    art = dict(rows[0])
    art["safe_url"] = safe_url(art.get("url"))
    return art


async def fact_card(db: Db, fact_id: str, card_url: Any) -> dict[str, Any] | None:
    """Everything the fact card shows, or None when no fact has this id.

    ``card_url(fact_id)`` builds the link to another fact's card.
    """
    found = (await db.execute(all_facts_sql("fact_id = :f"), {"f": fact_id})).rows
    if not found:
        return None
    family = found[0]["family"]
    fact = dict((await db.execute(f'SELECT * FROM "{family}" WHERE fact_id = ?', [fact_id])).rows[0])
    article = await _article(db, fact["doc_id"]) or {"doc_id": fact["doc_id"], "text": ""}
    text: str = article.get("text") or ""
    mentions = [dict(r) for r in (await db.execute(
        "SELECT * FROM mentions WHERE fact_id = ? ORDER BY start", [fact_id])).rows]
    sentence_ids = sorted({m["sentence_id"] for m in mentions if m["sentence_id"] is not None})
    marks = ",".join("?" * len(sentence_ids))
    sentences: dict[int, tuple[int, int]] = {}
    neighbours: list[dict[str, Any]] = []
    if sentence_ids:
        sentences = {r["sentence_id"]: (r["start"], r["end"]) for r in (await db.execute(
            f"SELECT sentence_id, start, \"end\" FROM sentences WHERE doc_id = ? AND sentence_id IN ({marks})",
            [fact["doc_id"], *sentence_ids])).rows}
        neighbours = [dict(r) for r in (await db.execute(
            f"SELECT m.mention_id, m.fact_id, m.family, m.start, m.\"end\", m.text, m.sentence_id, f.label "
            f"FROM mentions m JOIN ({all_facts_sql('doc_id = :d')}) f ON f.fact_id = m.fact_id "
            f"WHERE m.doc_id = :d AND m.sentence_id IN ({','.join(f':s{i}' for i in range(len(sentence_ids)))}) "
            f"AND m.fact_id != :f ORDER BY m.start",
            {"d": fact["doc_id"], "f": fact_id, **{f"s{i}": s for i, s in enumerate(sentence_ids)}})).rows]

    evidence: list[Evidence] = []
    shown_sentences: set[int] = set()
    for m in mentions:
        sid = m["sentence_id"]
        if sid is not None and sid in shown_sentences:
            continue  # one sentence shows all the fact's mentions in it
        if sid in sentences:
            lo, hi = sentences[sid]
            shown_sentences.add(sid)
        else:
            lo, hi = max(0, m["start"] - WINDOW), min(len(text), m["end"] + WINDOW)
        own = [Span(x["start"], x["end"], f"self f-{family}", attrs={"data-family": family})
               for x in mentions if x["sentence_id"] == sid and lo <= x["start"] and x["end"] <= hi]
        near = [x for x in neighbours if x["sentence_id"] == sid]
        others = non_overlapping([Span(x["start"], x["end"], f"f-{x['family']}", href=card_url(x["fact_id"]),
                                       attrs={"title": f"{FAMILY_LABELS[x['family']]}: {x['label']}"})
                                  for x in near], keep=own)
        html = render(text, non_overlapping(others, keep=own), lo, hi)
        facts_here: dict[str, dict[str, Any]] = {}
        for x in near:
            facts_here.setdefault(x["fact_id"], {"fact_id": x["fact_id"], "family": x["family"],
                                                 "family_label": FAMILY_LABELS[x["family"]], "label": x["label"],
                                                 "url": card_url(x["fact_id"])})
        evidence.append(Evidence(m["mention_id"], m["text"], m["rule"], sid, html, list(facts_here.values())))

    details = []
    for col in DETAIL_COLUMNS[family]:
        value = fact.get(col)
        as_list = decode_list(value)
        details.append({"name": col, "value": value, "list": as_list})
    roles = []
    if family == "persons":
        roles = [r["role"] for r in (await db.execute(
            "SELECT role FROM roles WHERE fact_id = ? ORDER BY role", [fact_id])).rows]
    label = fact.get("name") or fact.get("text") or fact_id
    article.pop("text", None)
    return {"fact": fact, "family": family, "family_label": FAMILY_LABELS[family], "label": label,
            "details": details, "roles": roles, "rules": decode_list(fact.get("rules")) or [],
            "article": article, "evidence": evidence}


def card_json(card: Mapping[str, Any]) -> dict[str, Any]:
    """The fact card as plain JSON: the fact row, the article (without its text) and each evidence sentence."""
    return {
        "fact": card["fact"], "family": card["family"], "roles": card["roles"],
        "article": {k: v for k, v in card["article"].items() if k != "safe_url"},
        "evidence": [{"mention_id": e.mention_id, "text": e.text, "rule": e.rule, "sentence_id": e.sentence_id,
                      "html": str(e.html), "other_facts": e.others} for e in card["evidence"]],
    }


async def article_page(db: Db, doc_id: str, card_url: Any, emphasise: str | None = None
                       ) -> dict[str, Any] | None:
    """The whole article with every fact's mentions highlighted by family, or None when there is no such article.

    Overlapping mentions (an organisation's name inside a program's) cannot both
    be wrapped; the longer one is, and every fact is still listed below the text.
    ``emphasise`` is a fact id whose mentions get the strong highlight.
    """
    article = await _article(db, doc_id)
    if article is None:
        return None
    text: str = article.get("text") or ""
    facts = [dict(r) for r in (await db.execute(
        f"SELECT * FROM ({all_facts_sql('doc_id = :d')}) ORDER BY family, label", {"d": doc_id})).rows]
    labels = {f["fact_id"]: f for f in facts}
    mentions = [dict(r) for r in (await db.execute(
        "SELECT mention_id, fact_id, family, start, \"end\" FROM mentions WHERE doc_id = ? ORDER BY start",
        [doc_id])).rows]
    counts: dict[str, int] = {}
    spans = []
    for m in mentions:
        counts[m["fact_id"]] = counts.get(m["fact_id"], 0) + 1
        info = labels.get(m["fact_id"])
        title = f"{FAMILY_LABELS.get(m['family'], m['family'])}: {info['label'] if info else m['fact_id']}"
        css = f"f-{m['family']}" + (" self" if m["fact_id"] == emphasise else "")
        spans.append(Span(m["start"], m["end"], css, href=card_url(m["fact_id"]),
                          attrs={"id": f"m-{m['mention_id']}", "title": title}))
    keep = [s for s in spans if emphasise and "self" in s.css]
    html = render(text, non_overlapping([s for s in spans if s not in keep], keep=non_overlapping(keep)))
    by_family: dict[str, list[dict[str, Any]]] = {fam: [] for fam in FAMILY_TABLES}
    for f in facts:
        by_family.setdefault(f["family"], []).append(
            {**f, "url": card_url(f["fact_id"]), "mentions": counts.get(f["fact_id"], 0)})
    article.pop("text", None)
    return {"article": article, "html": html, "facts": by_family, "n_facts": len(facts),
            "n_mentions": len(mentions), "family_labels": FAMILY_LABELS}


def article_json(page: Mapping[str, Any]) -> dict[str, Any]:
    return {"article": {k: v for k, v in page["article"].items() if k != "safe_url"},
            "facts": page["facts"], "html": str(page["html"])}
