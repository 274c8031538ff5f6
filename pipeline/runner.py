"""Running the extractors over articles: one at a time, or streamed through worker processes.

``Pipeline`` loads the rules once (tokenizer dictionary, gazetteers, patterns)
and then processes articles; ``Pipeline.pipe`` streams articles in input order,
in-process or through a process pool, so the output is identical whatever
the number of workers.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from khaosan.corpus.article import Article
from khaosan.extractors.base import Extractor
from khaosan.pipeline.doc import Doc
from khaosan.pipeline.parallel import Failed
from khaosan.pipeline.settings import Settings

log = logging.getLogger("khaosan")

# facts.jsonl field order (SCHEMA.md), whatever order the extractors run in.
FAMILY_ORDER = ("persons", "orgs", "provinces", "programs", "figures", "dates")


@dataclass(slots=True)
class ExtractionError:
    """An extractor that failed on one article: reported, the article keeps the other families."""

    doc_id: str
    extractor: str
    reason: str


@dataclass(slots=True)
class Result:
    """What the pipeline hands to the writers for one article."""

    doc: Doc
    errors: list[ExtractionError] = field(default_factory=list)


class Pipeline:
    def __init__(self, settings: Settings | None = None) -> None:
        from khaosan.extractors.registry import build
        from khaosan.pipeline.sentences import make_splitter
        from khaosan.pipeline.tokenize import make_tokenizer

        self.settings = settings or Settings()
        self.extractors: list[Extractor] = build(list(self.settings.extractors) or None)
        words = [w for e in self.extractors for w in e.dictionary_words()]
        self.tokenize = make_tokenizer(self.settings.tokenizer, words)
        self.split = make_splitter(self.settings.sentences)

    @property
    def families(self) -> list[str]:
        present = {e.family for e in self.extractors}
        ordered = [f for f in FAMILY_ORDER if f in present]
        return ordered + sorted(present - set(ordered))

    def make_doc(self, article: Article) -> Doc:
        """Normalise, tokenize and split sentences (no extraction)."""
        from khaosan.pipeline.tokenize import token_bounds

        if len(article.text) > self.settings.max_article_chars:
            article.text = article.text[: self.settings.max_article_chars]
        t0 = time.perf_counter()
        doc = Doc(article)
        t1 = time.perf_counter()
        doc.set_token_bounds(token_bounds(self.tokenize(doc.norm)))
        t2 = time.perf_counter()
        # Sentence boundaries are found on the normalised text (same line structure) and
        # stored as original offsets so a journalist sees the sentence as published.
        doc.set_sentences([doc.offsets.span(s, e) for s, e in self.split(doc.norm)])
        t3 = time.perf_counter()
        doc.timings.update(normalise=t1 - t0, tokenize=t2 - t1, sentences=t3 - t2)
        return doc

    def process(self, article: Article) -> Result:
        doc = self.make_doc(article)
        errors: list[ExtractionError] = []
        for ex in self.extractors:
            t0 = time.perf_counter()
            try:
                doc.mentions[ex.family] = ex.extract(doc)
            except Exception as e:  # one extractor's bug must not lose the article
                log.exception("%s: extractor %s failed", doc.doc_id, ex.name)
                errors.append(ExtractionError(doc.doc_id, ex.name, f"{type(e).__name__}: {e}"))
                doc.mentions[ex.family] = []
            doc.timings[f"extract:{ex.name}"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for ex in self.extractors:
            try:
                doc.facts[ex.family] = ex.resolve(doc, doc.mentions[ex.family])
            except Exception as e:
                log.exception("%s: resolving %s failed", doc.doc_id, ex.name)
                errors.append(ExtractionError(doc.doc_id, ex.name, f"{type(e).__name__}: {e}"))
                doc.facts[ex.family] = []
        doc.timings["resolve"] = time.perf_counter() - t0
        return Result(doc, errors)

    def __call__(self, article: Article) -> Doc:
        return self.process(article).doc

    def pipe(self, articles: Iterable[Article], workers: int | None = None) -> Iterator[Result]:
        """Results in input order: on a Dask cluster, through a process pool (workers > 1), or here."""
        from khaosan.pipeline.parallel import batched, map_batches

        settings = self.settings if workers is None else self.settings.replace(workers=workers)
        local = settings.workers <= 1 and not settings.dask
        task = process_batch if local else process_batch_light
        for results in map_batches(settings, batched(articles, settings.batch_size), task, pipeline=self):
            yield from results


def process_batch(pipeline: Pipeline, batch: list[Article | Failed]) -> list[Result]:
    return [Result(Doc(a.article), [ExtractionError(a.article.doc_id, "worker", a.reason)])
            if isinstance(a, Failed) else pipeline.process(a) for a in batch]


def process_batch_light(pipeline: Pipeline, batch: list[Article | Failed]) -> list[Result]:
    """For results that travel back from a worker: tokens stay there (writers do not need them)."""
    results = process_batch(pipeline, batch)
    for r in results:
        r.doc.drop_tokens()
    return results
