"""Scoring a facts file against a gold file (SCHEMA.md rules): per-field precision, recall, F1.

Items are compared per field as sets of normalised keys with greedy one-to-one
matching; gold items marked ``optional`` neither count as misses nor, when
matched, as false positives.  Micro-averaged over all articles of the gold file.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("persons", "roles", "orgs", "provinces", "programs", "figures", "dates")
_DROP = re.compile(r"[\s\u200b\u200c\u200d\ufeff\"'“”‘’«»]+")
_PROGRAM_PREFIX = re.compile(r"^(โครงการ|กิจกรรม)")


def norm(text: Any) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u0e4d\u0e32", "\u0e33")
    return _DROP.sub("", text).casefold()


def _number(value: Any) -> str:
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return f"?{value}"


def _names(item: dict[str, Any]) -> set[str]:
    return {norm(x) for x in [item.get("name", "")] + list(item.get("aliases") or [])}


KEYS: dict[str, Callable[[dict[str, Any]], set[str]]] = {
    "persons": _names,
    "orgs": lambda it: {norm(it.get("name", ""))},
    "provinces": lambda it: {norm(it.get("name", ""))},
    "programs": lambda it: {_PROGRAM_PREFIX.sub("", k) for k in _names(it)},
    "figures": lambda it: {f"{_number(it.get('value'))}|{norm(it.get('unit', ''))}"},
    "dates": lambda it: {norm(it.get("value", ""))},
}


def field_items(doc: dict[str, Any], name: str) -> list[tuple[set[str], dict[str, Any]]]:
    if name == "roles":
        return [({f"{n}|{norm(role)}" for n in _names(p)}, {"name": p.get("name"), "role": role,
                                                            "optional": p.get("optional", False)})
                for p in doc.get("persons") or [] for role in p.get("roles") or []]
    return [(KEYS[name](it) - {""}, it) for it in doc.get(name) or [] if isinstance(it, dict)]


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _match(gold: list, pred: list, score: FieldScore, doc_id: str, name: str) -> None:
    used: set[int] = set()
    for gkeys, gitem in gold:
        for i, (pkeys, _) in enumerate(pred):
            if i not in used and gkeys & pkeys:
                used.add(i)
                score.tp += not gitem.get("optional")
                break
        else:
            if not gitem.get("optional"):
                score.fn += 1
                score.errors.append(f"{doc_id} miss {name}: {json.dumps(gitem, ensure_ascii=False)}")
    seen: set[str] = set()
    for i, (_, pitem) in enumerate(pred):
        if i in used:
            continue
        k = json.dumps({k: v for k, v in pitem.items() if k not in ("evidence", "id", "rule", "rules")},
                       ensure_ascii=False, sort_keys=True)
        if k not in seen:
            seen.add(k)
            score.fp += 1
            score.errors.append(f"{doc_id} extra {name}: {k}")


def read_jsonl(path: str | Path) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: not JSON: {e}") from None
                docs[str(obj.get("doc_id"))] = obj
    return docs


def score(gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]],
          fields: tuple[str, ...] = FIELDS) -> dict[str, FieldScore]:
    scores = {f: FieldScore() for f in fields}
    for doc_id, gdoc in gold.items():
        pdoc = predicted.get(doc_id, {})
        for name in fields:
            _match(field_items(gdoc, name), field_items(pdoc, name), scores[name], doc_id, name)
    total = FieldScore(sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values()),
                       sum(s.fn for s in scores.values()))
    scores["overall"] = total
    return scores


def score_files(gold: str | Path, predicted: str | Path, fields: tuple[str, ...] = FIELDS) -> dict[str, FieldScore]:
    return score(read_jsonl(gold), read_jsonl(predicted), fields)


def format_table(scores: dict[str, FieldScore]) -> str:
    lines = [f"{'field':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, s in scores.items():
        lines.append(f"{name:<10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    return "\n".join(lines)
