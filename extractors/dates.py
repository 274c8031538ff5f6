"""dates extractor (placeholder until its rules land)."""
from __future__ import annotations

from khaosan.extractors.base import RuleExtractor
from khaosan.pipeline.doc import Doc, Mention


class DateExtractor(RuleExtractor):
    name = "dates"
    family = "dates"

    def extract(self, doc: Doc) -> list[Mention]:
        return []
