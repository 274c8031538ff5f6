"""Each extractor is a spaCy factory usable in spacy.blank("th")."""
from __future__ import annotations

import spacy

from khaosan.extractors.registry import BUILTINS


def test_all_factories_registered():
    nlp = spacy.blank("th")
    for name in BUILTINS:
        nlp.add_pipe(f"khaosan_{name}")
    assert nlp.pipe_names == [f"khaosan_{n}" for n in BUILTINS]


def test_figures_component_writes_spans_and_facts():
    nlp = spacy.blank("th")
    nlp.add_pipe("khaosan_figures")
    text = "กระทรวงจัดสรรงบประมาณกว่า 1,200 ล้านบาท ให้เกษตรกร 350 ราย"
    doc = nlp(text)
    facts = doc.user_data["khaosan"]["figures"]
    assert {(f["value"], f["unit"]) for f in facts} >= {(1_200_000_000, "THB"), (350, "ราย")}
    spans = doc.spans["khaosan_figures"]
    assert spans and all(s.label_ == "figures" for s in spans)
    for f in facts:
        for ev in f["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_persons_component_runs_its_dependencies():
    nlp = spacy.blank("th")
    nlp.add_pipe("khaosan_persons")
    doc = nlp("นายสมชาย ใจดี รัฐมนตรีว่าการกระทรวงแรงงาน เปิดงานวันนี้")
    names = [p["name"] for p in doc.user_data["khaosan"]["persons"]]
    assert "สมชาย ใจดี" in names
