"""Normalisation keeps a map back to the original text."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from khaosan.pipeline.normalize import normalize
from khaosan.pipeline.sentences import split_rules


def test_thai_digits_quotes_and_dashes_one_for_one():
    text = "ปี’62 ได้รับ ๖๖,๐๐๐ ล้านบาท “ดีป้า” ๒๗–๒๙ ส.ค."
    norm, offsets = normalize(text)
    assert norm == "ปี'62 ได้รับ 66,000 ล้านบาท \"ดีป้า\" 27-29 ส.ค."
    assert offsets.starts is None  # nothing changed length: identity map
    assert offsets.span(3, 5) == (3, 5)


def test_zero_width_and_sara_am_map_back():
    text = "กระทร\u200bวงดิจิทัล ทํางาน"  # zero-width space inside a word; ํา written as two characters
    norm, offsets = normalize(text)
    assert norm == "กระทรวงดิจิทัล ทำงาน"
    s = norm.index("กระทรวงดิจิทัล")
    os_, oe = offsets.span(s, s + len("กระทรวงดิจิทัล"))
    assert text[os_:oe] == "กระทร\u200bวงดิจิทัล"
    s = norm.index("ทำงาน")
    os_, oe = offsets.span(s, s + len("ทำงาน"))
    assert text[os_:oe] == "ทํางาน"


@given(st.text(alphabet=st.sampled_from(list("กขคนมยรลวสหอาำิีึืุูเแโใไ่้๊๋ํ๐๑๒๓ 0123456789\u200b\u200c\ufeff“”‘’–\n.,")),
               max_size=200))
def test_offset_map_is_monotonic_and_in_bounds(text):
    norm, offsets = normalize(text)
    prev = 0
    for i in range(len(norm)):
        s, e = offsets.span(i, i + 1)
        assert prev <= s < e <= len(text)
        prev = e
    s, e = offsets.span(0, len(norm))
    assert 0 <= s <= e <= len(text)


def test_sentences_split_lines_and_long_runs():
    text = "หัวข้อข่าว\n" + "ประโยคแรกที่ยาวพอสมควรสำหรับการแบ่งประโยคตามกฎของเรา มีรายละเอียด  " \
           + "ประโยคที่สองเริ่มหลังเว้นวรรคสองครั้งและยาวพอสมควรด้วยเช่นกัน\n\nย่อหน้าใหม่"
    spans = split_rules(text)
    sents = [text[s:e] for s, e in spans]
    assert sents[0] == "หัวข้อข่าว"
    assert sents[-1] == "ย่อหน้าใหม่"
    assert len(sents) == 4
    assert all("\n" not in s for s in sents)


def test_sentences_do_not_cut_before_a_number_or_after_a_title():
    text = "ผู้เข้าร่วมโครงการในปีนี้มีจำนวนมากกว่าปีที่ผ่านมาอย่างเห็นได้ชัดเจนมากที่สุดเท่าที่เคยมีมา 446 คน โดยนาย สมชาย"
    sents = [text[s:e] for s, e in split_rules(text)]
    assert not any(s.startswith("446") for s in sents)
    assert not any(s == "สมชาย" for s in sents)
