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


def test_phase_words_share_a_merge_key():
    strip = patterns().strip_cues
    assert _key("คนละครึ่งเฟส 4", strip) == _key("โครงการคนละครึ่ง ระยะที่ 4", strip)
    assert _key("เราเที่ยวด้วยกัน Phase 2", strip) == _key("เราเที่ยวด้วยกัน ระยะที่ 2", strip)
    assert _key("คนละครึ่งเฟส 4", strip) != _key("คนละครึ่ง ระยะที่ 3", strip)
    # the scorer's key keeps the spelling: both go into aliases
    assert _key("คนละครึ่งเฟส 4", strip, years=False) != _key("คนละครึ่ง ระยะที่ 4", strip, years=False)


def test_one_insertion():
    from khaosan.extractors.programs_resolve import _one_insertion

    assert _one_insertion("มหกรรมชุมชนแก้หนี้", "มหกรรมชุมชนแก้ไขหนี้")  # แก้ / แก้ไข
    assert _one_insertion("ลดค่าไฟแก่ผู้มีรายได้น้อย", "ลดค่าไฟให้แก่ผู้มีรายได้น้อย")  # แก่ / ให้แก่
    assert not _one_insertion("เงินช่วยชาวนาระยะที่3", "เงินช่วยชาวนาระยะที่13")  # a digit: another phase
    assert not _one_insertion("ธงฟ้าราคาถูก", "ธงฟ้าราคาถูกใจ")  # added at the end: another name
    assert not _one_insertion("ตลาดนัดชุมชน", "ตลาดนัดชุมชนคนเมือง")  # more than three letters


@pytest.mark.parametrize("text,spellings", [
    # เฟส 5 and ระยะที่ 5 are one phase of one program
    ("ประชาชนแห่ใช้สิทธิ คนละครึ่งเฟส 5 วันแรก ส่วนโครงการคนละครึ่ง ระยะที่ 5 จะสิ้นสุดเดือนหน้า",
     {"คนละครึ่ง ระยะที่ 5", "คนละครึ่งเฟส 5"}),
    # one event spelt แก้ and แก้ไข in one release
    ("ธนาคารจัดงานมหกรรมชุมชนแก้หนี้ที่ขอนแก่น ผู้ร่วมงานมหกรรมชุมชนแก้ไขหนี้ได้รับคำปรึกษาฟรี",
     {"มหกรรมชุมชนแก้หนี้", "มหกรรมชุมชนแก้ไขหนี้"}),
])
def test_resolution_merges_spellings(pipeline, text, spellings):
    doc = pipeline(Article(doc_id="t", text=text))
    (fact,) = doc.facts_of("programs")  # one program, both spellings kept for the scorer
    assert spellings <= {fact.attrs["name"], *fact.attrs["aliases"]}
