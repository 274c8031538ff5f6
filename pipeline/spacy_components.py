"""khaosan's extractors as spaCy components: ``nlp.add_pipe("khaosan_figures")``.

Each factory (registered through the ``spacy_factories`` entry point, so no
import is needed) runs one khaosan extractor on ``doc.text`` and writes:

- ``doc.spans["khaosan_<family>"]``: one span per mention, labelled with the family
  (character offsets snapped to spaCy's tokens, ``alignment_mode="expand"``);
- ``doc.user_data["khaosan"][family]``: the resolved facts as in facts.jsonl
  (with exact character evidence, independent of spaCy's tokenization).

Extractors that need another family (persons need orgs) run it internally.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from khaosan.corpus.article import Article
from khaosan.pipeline.doc import Doc


@cache
def _pipeline():
    from khaosan.pipeline.runner import Pipeline

    return Pipeline()


def _khaosan_doc(doc: SpacyDoc) -> Doc:
    cached = doc.user_data.get("khaosan_doc")
    if cached is None or cached.text != doc.text:
        cached = _pipeline().make_doc(Article(doc_id=str(doc.user_data.get("doc_id", "spacy")), text=doc.text,
                                              published=doc.user_data.get("published")))
        doc.user_data["khaosan_doc"] = cached
        doc.user_data["khaosan"] = {}
    return cached


class KhaosanComponent:
    def __init__(self, extractor_name: str) -> None:
        self.extractor_name = extractor_name

    def _run(self, kdoc: Doc, name: str) -> None:
        ex = next(e for e in _pipeline().extractors if e.name == name)
        if ex.family in kdoc.facts:
            return
        for dep in ex.requires:
            if dep not in kdoc.facts and any(e.name == dep for e in _pipeline().extractors):
                self._run(kdoc, dep)
        kdoc.mentions[ex.family] = ex.extract(kdoc)
        kdoc.facts[ex.family] = ex.resolve(kdoc, kdoc.mentions[ex.family])

    def __call__(self, doc: SpacyDoc) -> SpacyDoc:
        kdoc = _khaosan_doc(doc)
        self._run(kdoc, self.extractor_name)
        ex = next(e for e in _pipeline().extractors if e.name == self.extractor_name)
        spans = []
        for m in kdoc.mentions.get(ex.family, []):
            span = doc.char_span(m.start, m.end, label=ex.family, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[f"khaosan_{ex.family}"] = spans
        facts: dict[str, Any] = doc.user_data.setdefault("khaosan", {})
        facts[ex.family] = [f.to_item() for f in kdoc.facts.get(ex.family, [])]
        return doc


def _factory(name: str):
    @Language.factory(f"khaosan_{name}")
    def make(nlp: Language, name: str) -> KhaosanComponent:  # noqa: ARG001 - spaCy's signature
        return KhaosanComponent(extractor_name)

    extractor_name = name
    return make


make_persons = _factory("persons")
make_orgs = _factory("orgs")
make_provinces = _factory("provinces")
make_programs = _factory("programs")
make_figures = _factory("figures")
make_dates = _factory("dates")
