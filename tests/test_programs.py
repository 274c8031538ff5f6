"""Unit tests of the programs extractor's keys and resolution (golden cases cover the rules)."""
from __future__ import annotations

import importlib.util

import pytest

from khaosan.corpus.article import Article
from khaosan.extractors.programs import ProgramExtractor, _key, patterns


def test_key_follows_the_scorer():
    strip = patterns().strip_cues
    # case, spaces, quotes and a leading โครงการ/กิจกรรม do not matter
    assert _key("โครงการ “Smart  City” ", strip) == _key("smart city", strip) == "smartcity"
    assert _key("กิจกรรมวิ่งเพื่อสุขภาพ", strip) == "วิ่งเพื่อสุขภาพ"
    # ฯ dropped, a two-digit Buddhist year read in full, ํา written as ำ
    assert _key("เยียวยาชาวสวนฯ ปี 67", strip) == _key("เยียวยาชาวสวน ปี 2567", strip)
    assert _key("ทําดี", strip) == _key("ทำดี", strip)
    # ... but the scorer's own key keeps the year as written (aliases must keep both spellings)
    assert _key("ปี 67", strip, years=False) != _key("ปี 2567", strip, years=False)


def test_key_agrees_with_score_py(shared):
    spec = importlib.util.spec_from_file_location("score", shared / "gold" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    strip = patterns().strip_cues
    for name in ("โครงการคนละครึ่ง ระยะที่ 4", "DIGINEXT by SEED THAILAND", "กิจกรรม 1 อำเภอ 1 ภูมิปัญญา"):
        assert _key(name, strip, years=False) == score.program_key(name)


def test_extractor_shape():
    ex = ProgramExtractor()
    assert (ex.name, ex.family) == ("programs", "programs")
    assert "โครงการ" in set(ex.dictionary_words())
    assert not ex.report_optional  # measures/policies/plans cost precision on the dev set


@pytest.mark.parametrize("text,names", [
    # the bare name joins its only fuller form
    ("โครงการป่าชุมชนในเมือง ได้รับรางวัล และโครงการป่าชุมชนในเมืองจังหวัดสงขลา มีพื้นที่ 50 ไร่",
     {"ป่าชุมชนในเมืองจังหวัดสงขลา"}),
    # two fuller forms: the bare name cannot be told apart and stays
    ("โครงการเงินช่วยชาวนา ระยะที่ 1 และโครงการเงินช่วยชาวนา ระยะที่ 2 ต่อจากโครงการเงินช่วยชาวนา ที่ผ่านมา",
     {"เงินช่วยชาวนา ระยะที่ 1", "เงินช่วยชาวนา ระยะที่ 2", "เงินช่วยชาวนา"}),
])
def test_resolution_merges_prefixes(pipeline, text, names):
    doc = pipeline(Article(doc_id="t", text=text))
    assert {f.attrs["name"] for f in doc.facts_of("programs")} == names


def test_evidence_points_into_the_original_text(pipeline):
    # Thai digits and curly quotes are normalised for matching; evidence is the text as written
    text = "จังหวัดเปิดโครงการ “ตลาดนัดชุมชน ครั้งที่ ๒” ให้ชาวบ้านขายผลผลิต"
    doc = pipeline(Article(doc_id="t", text=text))
    (fact,) = doc.facts_of("programs")
    assert fact.attrs["name"] == "ตลาดนัดชุมชน ครั้งที่ 2"
    for m in fact.mentions:
        assert text[m.start:m.end] == m.text
