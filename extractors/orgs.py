"""orgs extractor (placeholder until its rules land)."""
from __future__ import annotations

from khaosan.extractors.org_gazetteer import OrgGazetteer, fold, org_gazetteer  # noqa: F401  (public API)

from khaosan.extractors.base import RuleExtractor
from khaosan.pipeline.doc import Doc, Mention


class OrgExtractor(RuleExtractor):
    name = "orgs"
    family = "orgs"

    def extract(self, doc: Doc) -> list[Mention]:
        return []
