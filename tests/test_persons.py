"""Unit tests of the persons family: its data files and the pieces the golden cases do not isolate."""
from __future__ import annotations

import pytest

from khaosan.corpus.article import Article
from khaosan.extractors.data import entries
from khaosan.extractors.person_lexicon import fold_name, lexicon
from khaosan.extractors.person_roles import RoleParser


def persons(pipeline, text: str, published: str | None = None) -> dict[str, dict]:
    doc = pipeline(Article(doc_id="t", text=text, published=published))
    return {f.to_item()["name"]: f.to_item() for f in doc.facts_of("persons")}


# -- data ---------------------------------------------------------------------------------
def test_role_forms_name_one_head() -> None:
    seen: dict[str, str] = {}
    for e in entries("roles"):
        for f in e["forms"]:
            assert seen.setdefault(f, e["out"]) == e["out"], f"{f!r} names both {seen[f]!r} and {e['out']!r}"


def test_cabinet_terms_and_ministries() -> None:
    """Terms are ordered, and every minister's ministry is a canonical name the orgs gazetteer knows."""
    from khaosan.extractors.orgs import org_gazetteer

    gaz = org_gazetteer()
    for e in entries("cabinet"):
        for p in e["positions"]:
            assert p["to"] is None or p["from"] <= p["to"], (e["name"], p)
            for head in ("รัฐมนตรีว่าการ", "รัฐมนตรีช่วยว่าการ"):
                if p["role"].startswith(head):
                    ministry = p["role"][len(head):]
                    assert gaz.canonical(ministry) == ministry, (e["name"], ministry)


def test_titles_are_unambiguous_kinds() -> None:
    lex = lexicon()
    assert lex.title_forms["พล.ต.อ."]["title"] == "พลตำรวจเอก"
    assert lex.title_forms["ผศ."]["kind"] == "academic"
    assert "กายภาพบำบัด" not in lex.title_forms  # an ordinary word: only กภ. is a title
    assert "คุณ" in lex.weak_titles


def test_fold_name_ignores_spelling_marks() -> None:
    assert fold_name("ประยุทธ์ จันทร์โอชา") == fold_name("ประยุทธ จันทร์โอชา") == fold_name("ประยุทฺธ์  จันทร์โอชา")


def test_role_start_includes_deputy_and_acting_prefixes() -> None:
    parser = RoleParser()
    text = "นายสมชาย รักษาราชการแทนรองอธิบดีกรมประมง"
    s = text.index("อธิบดี")
    assert text[parser.start_of(text, s, s + len("อธิบดี")):].startswith("รักษาราชการแทนรองอธิบดี")


# -- behaviour ------------------------------------------------------------------------------
def test_role_alone_links_to_the_person_holding_it(pipeline) -> None:
    got = persons(pipeline, "นายวิทยา ศรีประเสริฐกุล อธิบดีกรมประมง ตรวจท่าเรือ\nอธิบดีกรมประมง กล่าวว่า จะเข้มงวดขึ้น")
    item = got["วิทยา ศรีประเสริฐกุล"]
    assert item["roles"] == ["อธิบดีกรมประมง"]
    assert [ev["text"] for ev in item["evidence"]] == ["นายวิทยา ศรีประเสริฐกุล", "อธิบดีกรมประมง"]


def test_cabinet_link_needs_the_date(pipeline) -> None:
    """A first name and a role alone: linked through the cabinet list only when the
    member held that role at the publication date."""
    text = "รมว.แรงงาน เยี่ยมศูนย์ฝึกอาชีพ\nนายสุชาติ กล่าวว่า จะเร่งฝึกทักษะ"
    assert "สุชาติ ชมกลิ่น" in persons(pipeline, text, "2022-03-01")
    assert "สุชาติ ชมกลิ่น" not in persons(pipeline, text, "2012-03-01")


def test_no_person_from_role_alone_or_ordinary_words(pipeline) -> None:
    got = persons(pipeline, "นายกรัฐมนตรีสั่งการให้นายจ้างดูแลคุณภาพชีวิต นางพยาบาลและนายทหารร่วมด้วย")
    assert got == {}


@pytest.mark.parametrize("text,name", [
    ("ดร.สุดารัตน์ มั่นคงวงศ์กล่าวว่า งานเสร็จแล้ว", "สุดารัตน์ มั่นคงวงศ์"),
    ("พล.อ.ชยพล ศรีสุวรรณรัตน์ เมื่อวันที่ 3 มีนาคม", "ชยพล ศรีสุวรรณรัตน์"),
    ("นายธีรวัฒน์ ณ อยุธยา เดินทางมาถึง", "ธีรวัฒน์ ณ อยุธยา"),
])
def test_name_ends(pipeline, text: str, name: str) -> None:
    assert name in persons(pipeline, text)


def test_role_tables_are_built_once() -> None:
    """The org and province tables the role parser consults are built once per process, not per role."""
    from khaosan.extractors.person_roles import _province_lookup, org_lookup

    assert org_lookup() is org_lookup()
    assert _province_lookup() is _province_lookup()
