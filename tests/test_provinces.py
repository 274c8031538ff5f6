"""The province gazetteer helpers and extractor details the golden files do not cover."""
from __future__ import annotations

import pytest

from khaosan.corpus.article import Article
from khaosan.extractors.provinces import (
    ProvinceExtractor,
    all_provinces,
    province_by_iso,
    province_by_name,
)


@pytest.mark.parametrize("name,iso", [
    ("กรุงเทพมหานคร", "TH-10"), ("กรุงเทพฯ", "TH-10"), ("กทม.", "TH-10"), ("กทม", "TH-10"), ("Bangkok", "TH-10"),
    ("bangkok", "TH-10"), ("Krung Thep Maha Nakhon", "TH-10"), ("จังหวัดเชียงใหม่", "TH-50"), ("จ.เชียงใหม่", "TH-50"),
    ("จ. เชียงใหม่", "TH-50"), ("ผวจ.ระยอง", "TH-21"), ("ผู้ว่าราชการจังหวัดระยอง", "TH-21"), ("โคราช", "TH-30"),
    ("อยุธยา", "TH-14"), ("Chiang Mai", "TH-50"), ("Chiang Mai Province", "TH-50"), ("TH-38", "TH-38"),
    ("บึงกาฬ", "TH-38"), ("เลย", "TH-42"), ("นครศรีฯ", "TH-80"),
])
def test_province_by_name(name, iso):
    entry = province_by_name(name)
    assert entry is not None, name
    assert entry["iso"] == iso


@pytest.mark.parametrize("name", ["", "กรุงเทพมหานครฯ2", "อำเภอเมือง", "ปริมณฑล", "พัทยา", "ณ อยุธยา", "Nanthaburi"])
def test_province_by_name_unknown(name):
    assert province_by_name(name) is None


def test_province_by_iso_and_all_provinces():
    assert province_by_iso("TH-96")["name"] == "นราธิวาส"
    assert province_by_iso("th-10")["name"] == "กรุงเทพมหานคร"
    assert province_by_iso("TH-99") is None
    everything = all_provinces()
    assert len(everything) == 77
    assert [e["iso"] for e in everything] == sorted(e["iso"] for e in everything)
    assert province_by_name("ภูเก็ต") is province_by_iso("TH-83")  # one cached table


def test_dictionary_words_keep_names_whole():
    words = set(ProvinceExtractor().dictionary_words())
    assert {"กรุงเทพมหานคร", "กรุงเทพฯ", "กทม.", "โคราช", "บึงกาฬ", "แม่ฮ่องสอน"} <= words
    assert len([w for w in words if province_by_name(w)]) >= 77
    assert not any(w.isascii() for w in words)  # Latin names are matched on word boundaries


def test_mentions_point_into_the_original_text(pipeline):
    # A zero-width space and a decomposed sara am shift normalised offsets.
    text = "เจ้าหน้าที่\u200bลงพื้นที่จังหวัดลำปาง แล้วไปนครศรีธรรมราช\u200b และกรุงเทพฯ ต่อ"
    doc = pipeline(Article(doc_id="t", text=text))
    items = {f.attrs["name"]: f.to_item() for f in doc.facts_of("provinces")}
    assert set(items) == {"ลำปาง", "นครศรีธรรมราช", "กรุงเทพมหานคร"}
    for item in items.values():
        for ev in item["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]
    assert items["ลำปาง"]["evidence"][0]["text"] == "จังหวัดลำปาง"
    assert items["ลำปาง"]["rule"] == "provinces/prefixed"
    assert set(items["ลำปาง"]) >= {"name", "iso", "lat", "lon", "id", "rule", "rules", "evidence"}


def test_fact_key_is_the_iso_code(pipeline):
    doc = pipeline(Article(doc_id="t", text="กทม. และกรุงเทพมหานคร รวมถึง Bangkok"))
    facts = doc.facts_of("provinces")
    assert [f.key for f in facts] == ["TH-10"]
    assert len(facts[0].evidence()) == 3
