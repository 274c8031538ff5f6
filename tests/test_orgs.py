"""The organisation gazetteer's lookup API and the orgs data files."""
from __future__ import annotations

import json

import pytest

from khaosan.extractors.data import data_dir
from khaosan.extractors.orgs import OrgExtractor, org_gazetteer, trie_regex


@pytest.fixture(scope="module")
def gaz():
    return org_gazetteer()


@pytest.mark.parametrize("surface,name", [
    ("ดีป้า", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"),
    ("DEPA", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"),
    ("depa", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"),
    ("ครม.", "คณะรัฐมนตรี"),
    ("กระทรวงดีอี", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("กระทรวงดิจิทัลฯ", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("ดีอีเอส", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("ธ.ก.ส.", "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร"),
    ("กระทรวงการอุดมศึกษาฯ", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"),
    ("สำนักงาน ก.พ.", "สำนักงานคณะกรรมการข้าราชการพลเรือน"),
    ("ม.ราชภัฏอุดรธานี", "มหาวิทยาลัยราชภัฏอุดรธานี"),
    ("WHO", "องค์การอนามัยโลก"),
])
def test_canonical(gaz, surface, name):
    assert gaz.canonical(surface) == name


@pytest.mark.parametrize("surface", ["แรงงาน", "คลัง", "ทช.", "กระทรวงฯ", "รัฐบาล", "หน่วยงานที่เกี่ยวข้อง"])
def test_canonical_refuses_ordinary_words_and_ambiguous_acronyms(gaz, surface):
    assert gaz.canonical(surface) is None


def test_ambiguous_acronym_keeps_its_candidates(gaz):
    assert set(gaz.candidates("ทช.")) == {"กรมทางหลวงชนบท", "กรมทรัพยากรทางทะเลและชายฝั่ง"}


@pytest.mark.parametrize("short,name", [
    ("แรงงาน", "กระทรวงแรงงาน"),
    ("ดีอี", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("ดีอีเอส", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("ทส.", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("ทส", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("อว.", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"),
    ("มหาดไทย", "กระทรวงมหาดไทย"),
    ("มท.", "กระทรวงมหาดไทย"),
    ("คลัง", "กระทรวงการคลัง"),
    ("กค.", "กระทรวงการคลัง"),
    ("พาณิชย์", "กระทรวงพาณิชย์"),
    ("พณ.", "กระทรวงพาณิชย์"),
    ("เกษตรฯ", "กระทรวงเกษตรและสหกรณ์"),
    ("กษ.", "กระทรวงเกษตรและสหกรณ์"),
    ("สาธารณสุข", "กระทรวงสาธารณสุข"),
    ("สธ.", "กระทรวงสาธารณสุข"),
    ("ศึกษาธิการ", "กระทรวงศึกษาธิการ"),
    ("ศธ.", "กระทรวงศึกษาธิการ"),
    ("คมนาคม", "กระทรวงคมนาคม"),
    ("คค.", "กระทรวงคมนาคม"),
    ("กระทรวงแรงงาน", "กระทรวงแรงงาน"),
    ("สรรพากร", "กรมสรรพากร"),
])
def test_ministry(gaz, short, name):
    assert gaz.ministry(short) == name


def test_every_ministry_has_role_forms(gaz):
    ministries = [e for e in gaz.entries.values() if e.type == "ministry" and e.name.startswith("กระทรวง")]
    assert len(ministries) >= 20
    current = [e for e in ministries if e.role_forms]
    assert len(current) >= 19
    for e in current:
        for rf in e.role_forms:
            assert gaz.ministry(rf) == e.name, rf


def test_surfaces_cover_names_aliases_and_short_forms(gaz):
    surfaces = set(gaz.surfaces())
    assert {"สำนักงานส่งเสริมเศรษฐกิจดิจิทัล", "ดีป้า", "ครม.", "แรงงาน", "กระทรวงดีอี"} <= surfaces
    assert len(gaz.entries) >= 500


def test_parents_are_known_bodies(gaz):
    for e in gaz.entries.values():
        assert e.parent is None or e.parent in gaz.entries, (e.name, e.parent)


def test_ordinary_words_are_not_aliases(gaz):
    aliases = gaz.alias_surfaces()
    for word in ("แรงงาน", "คลัง", "พาณิชย์", "มหาดไทย", "เกษตร", "สรรพากร", "ออมสิน", "DE"):
        assert word not in aliases, word


def test_trie_regex_prefers_the_longest_word():
    import re

    rx = re.compile(trie_regex(["กรมทาง", "กรมทางหลวง", "กรมทางหลวงชนบท", "สำนักงาน ก.พ."]))
    assert rx.match("กรมทางหลวงชนบทเร่ง").group() == "กรมทางหลวงชนบท"
    assert rx.match("กรมทางหลวงเร่ง").group() == "กรมทางหลวง"
    assert rx.match("สำนักงานก.พ.").group() == "สำนักงานก.พ."
    assert rx.match("สำนักงาน  ก.พ.").group() == "สำนักงาน  ก.พ."


def test_extractor_loads_once_and_has_dictionary_words():
    ex = OrgExtractor()
    words = set(ex.dictionary_words())
    assert "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล" in words and "มหาวิทยาลัย" in words


@pytest.mark.parametrize("name", ["orgs", "org_patterns"])
def test_data_files_match_their_schemas(name):
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads((data_dir() / "curated" / f"{name}.json").read_text(encoding="utf-8"))
    schema = json.loads((data_dir() / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert doc["$schema"] == f"../schema/{name}.schema.json" and doc["source"] and doc["license"]


def test_no_duplicate_names_in_gazetteer():
    doc = json.loads((data_dir() / "curated" / "orgs.json").read_text(encoding="utf-8"))
    names = [e["name"] for e in doc["entries"]]
    assert len(names) == len(set(names))
