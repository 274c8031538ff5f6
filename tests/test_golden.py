"""Golden-file tests per extractor, parametrized over tests/golden/<family>/*.json.

Each file holds a list of cases written by us (never copied from a corpus):

    {"description": "...", "text": "...", "published": "2023-06-14" or null,
     "expect": [{...item fields...}], "absent": [{...item fields...}]}

Every ``expect`` item must match one extracted item of the family (each given
field equal; list fields such as roles/aliases/titles: the given values are a
subset), and no ``absent`` item may match any.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from khaosan.corpus.article import Article

GOLDEN = Path(__file__).parent / "golden"


def _cases():
    for path in sorted(GOLDEN.glob("*/*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            yield pytest.param(path.parent.name, case, id=f"{path.parent.name}/{path.stem}[{i}]")


def _norm(v):
    if isinstance(v, str):
        return "".join(unicodedata.normalize("NFC", v).split())
    return v


def _matches(expected: dict, item: dict) -> bool:
    for k, v in expected.items():
        got = item.get(k)
        if isinstance(v, list):
            if not isinstance(got, list) or not {_norm(x) for x in v} <= {_norm(x) for x in got}:
                return False
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if not isinstance(got, (int, float)) or abs(float(got) - float(v)) > 1e-6 * max(1.0, abs(v)):
                return False
        elif _norm(got) != _norm(v):
            return False
    return True


@pytest.mark.parametrize("family,case", list(_cases()))
def test_golden(pipeline, family, case):
    article = Article(doc_id="golden", text=case["text"], published=case.get("published"))
    doc = pipeline(article)
    items = [f.to_item() for f in doc.facts_of(family)]
    for ev in (e for it in items for e in it["evidence"]):
        assert doc.text[ev["start"]:ev["end"]] == ev["text"]
    for exp in case.get("expect", []):
        assert any(_matches(exp, it) for it in items), (
            f"{case.get('description')}: expected {exp} in {json.dumps(items, ensure_ascii=False)}")
    for bad in case.get("absent", []):
        hit = [it for it in items if _matches(bad, it)]
        assert not hit, f"{case.get('description')}: should not extract {bad}, got {hit}"
