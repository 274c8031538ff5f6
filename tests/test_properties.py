"""Property-based: random and adversarial Thai text never breaks an extractor, and offsets always quote the text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khaosan.corpus.article import Article

# Fragments that exercise the rules: titles, roles, agencies, numbers, months, quotes, brackets.
FRAGMENTS = ["นาย", "นางสาว", "ดร.", "ผศ.ดร.", "พล.ต.อ.", "รมว.", "รมช.", "ผวจ.", "นายกฯ", "กระทรวง", "กรม",
             "สำนักงาน", "ดีป้า", "ครม.", "จ.", "จังหวัด", "กรุงเทพฯ", "กทม.", "โคราช", "แพร่", "โครงการ", "กิจกรรม",
             "งาน", "กว่า", "ไม่ต่ำกว่า", "ประมาณ", "ล้าน", "แสน", "ล้านบาท", "ล.", "ร้อยละ", "%", "บาท", "ดอลลาร์",
             "คน", "ราย", "แห่ง", "ครั้งที่", "รุ่นที่", "มิ.ย.", "มิถุนายน", "พ.ศ.", "ค.ศ.", "ปี", "ปี'", "ปีงบประมาณ",
             "วันนี้", "พรุ่งนี้", "66", "2566", "๒๕๖๖", "1,234.5", "0", "99/1", "02-123-4567", "-", "–", " - ",
             "(", ")", "“", "”", "\"", "'", "’", ".", ",", " ", "  ", "\n", "\u200b", "ํา", "Smart City", "DEPA",
             "สมชาย", "ใจดี", "หนึ่ง", "สามสิบ", "เชียงใหม่", "ที่", "และ", "โดย", "Ignite", "#2", "10-20"]

thai_chars = st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F), max_size=40)
fragments = st.lists(st.one_of(st.sampled_from(FRAGMENTS), thai_chars, st.text(max_size=5)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=fragments, published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_extractors_never_fail_and_offsets_are_valid(pipeline, text, published):
    result = pipeline.process(Article(doc_id="p", text=text, published=published))
    assert result.errors == [], result.errors
    doc = result.doc
    for family, facts in doc.facts.items():
        for fact in facts:
            item = fact.to_item()
            assert item["evidence"], (family, item)
            for ev in item["evidence"]:
                assert 0 <= ev["start"] <= ev["end"] <= len(text)
                assert text[ev["start"]:ev["end"]] == ev["text"]
    for s, e in doc.sentences:
        assert 0 <= s <= e <= len(text)
