"""The evaluation gate: per-field F1 floors, pinned in tests/gold/floors.json, fail on regression.

- samples: our own bundled corpus (always runs);
- seeds: the five seed articles in ../shared (skipped when absent);
- dev: 96 hand-annotated thaigov press releases (parts 1–9), gold in tests/gold/dev/ (articles from ../shared).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khaosan.outputs.dataset import extract
from khaosan.outputs.evaluate import read_jsonl, score
from khaosan.pipeline.settings import Settings

HERE = Path(__file__).parent
ROOT = HERE.parent
FLOORS = json.loads((HERE / "gold" / "floors.json").read_text(encoding="utf-8"))


def _dev_gold() -> dict:
    gold: dict = {}
    for p in sorted((HERE / "gold" / "dev").glob("*.gold.jsonl")):
        gold.update(read_jsonl(p))
    return gold


def _predict(paths, wanted: set[str] | None = None) -> dict:
    ds = extract(paths, settings=Settings())
    return {r["doc_id"]: r for r in ds.facts if wanted is None or r["doc_id"] in wanted}


def _check(name: str, gold: dict, predicted: dict) -> None:
    scores = score(gold, predicted)
    report = {f: round(s.f1, 3) for f, s in scores.items()}
    print(name, report)
    failures = {f: (report[f], floor) for f, floor in FLOORS[name].items() if report[f] + 1e-9 < floor}
    assert not failures, f"{name}: F1 below pinned floor (got, floor): {failures}; all: {report}"


def test_gate_samples():
    gold = read_jsonl(HERE / "gold" / "samples.gold.jsonl")
    _check("samples", gold, _predict([ROOT / "corpus" / "samples"]))


def test_gate_seeds(shared):
    gold = read_jsonl(shared / "gold" / "seeds.gold.jsonl")
    _check("seeds", gold, _predict([shared / "corpus" / "seeds"]))


def test_gate_dev(shared, tmp_path):
    gold = _dev_gold()
    assert len(gold) >= 30
    wanted = set(gold)
    subset = tmp_path / "dev.jsonl"
    with (shared / "corpus" / "thaigov" / "sample-2000.jsonl").open(encoding="utf-8") as src, \
            subset.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["id"] in wanted:
                dst.write(line)
    _check("dev", gold, _predict([subset], wanted))
