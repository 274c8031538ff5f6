"""Unit tests of the number reading and word-list matching behind the figures family."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from khaosan.extractors.thai_numbers import multiplier_value, parse_number, parse_thai_words, to_number
from khaosan.extractors.word_regex import SuffixMatcher, trie_pattern


@pytest.mark.parametrize("text,value", [
    ("หนึ่ง", 1), ("สิบ", 10), ("สิบเอ็ด", 11), ("ยี่สิบ", 20), ("ยี่สิบเอ็ด", 21), ("ร้อย", 100),
    ("สามร้อยห้าสิบ", 350), ("หนึ่งพันสองร้อย", 1200), ("สองพันล้าน", 2_000_000_000),
    ("หกหมื่นหกพันล้าน", 66_000_000_000), ("ล้านล้าน", 10**12), ("สามล้านห้าแสน", 3_500_000),
])
def test_thai_number_words(text, value):
    assert parse_thai_words(text) == value


@pytest.mark.parametrize("text", ["สองสาม", "สามารถ", "ห้าง", ""])
def test_not_thai_numbers(text):
    assert parse_thai_words(text) is None


@pytest.mark.parametrize("digits,mult,value", [
    ("1.2", "แสนล้าน", 120_000_000_000), ("66,000", "ล้าน", 66_000_000_000), ("4.74", "หมื่นล้าน", 47_400_000_000),
    ("350", "ล.", 350_000_000), ("2.20", "", 2.2), ("8,269.0", "ล้าน", 8_269_000_000), ("0.35", "", 0.35),
])
def test_multipliers_are_exact(digits, mult, value):
    got = to_number(parse_number(digits) * multiplier_value(mult))
    assert got == value and type(got) is type(value)


def test_decimal_arithmetic_has_no_float_noise():
    assert to_number(Decimal("1.1") * multiplier_value("ล้าน")) == 1_100_000


def test_trie_prefers_the_longest_word():
    rx = re.compile(trie_pattern(["กิโล", "กิโลเมตร", "กิโลกรัม", "ปี", "ปีงบประมาณ"]))
    assert rx.match("กิโลเมตรละ").group() == "กิโลเมตร"
    assert rx.match("กิโลที่").group() == "กิโล"
    assert rx.match("ปีงบประมาณหน้า").group() == "ปีงบประมาณ"
    assert rx.match("ปีงบ").group() == "ปี"


def test_trie_guards():
    rx = re.compile(trie_pattern(["มค", "ม.ค."], {"มค": "(?![ก-๎])"}))
    assert rx.match("มค 66") and rx.match("ม.ค.66")
    assert rx.match("มคน") is None


def test_suffix_matcher():
    s = SuffixMatcher(["กว่า", "มากกว่า", "ไม่น้อยกว่า", "น้อยกว่า"])
    text = "มีผู้ร่วมงานไม่น้อยกว่า  500 คน"
    assert s.find(text, text.index("500")) == (text.index("ไม่"), "ไม่น้อยกว่า")
    assert s.find("สิ่งของ 5", 8) is None


def test_currency_and_unit_forms_do_not_collide():
    """A Thai form names one currency; a currency form that is also a unit word is only a weight (ปอนด์)."""
    from khaosan.extractors.data import entries

    seen: dict[str, str] = {}
    for e in entries("currencies"):
        for form in e["after"] + e.get("codes", []):
            assert seen.setdefault(form, e["code"]) == e["code"], form
    units = {e["word"] for e in entries("units")}
    assert {f for f in seen if f in units} <= {"ปอนด์"}


@pytest.mark.parametrize("form,code", [
    ("เหรียญฮ่องกง", "HKD"), ("ดอลลาร์สิงคโปร์", "SGD"), ("เหรียญออสเตรเลีย", "AUD"), ("เหรียญไต้หวัน", "TWD"),
    ("เหรียญสหรัฐฯ", "USD"), ("เยน", "JPY"), ("หยวน", "CNY"), ("ยูโร", "EUR"), ("วอน", "KRW"), ("ริงกิต", "MYR"),
    ("รูปี", "INR"), ("ปอนด์", "GBP"), ("กีบ", "LAK"), ("จ๊าต", "MMK"), ("ด่ง", "VND"), ("เปโซ", "PHP"),
])
def test_thai_currency_names(form, code):
    from khaosan.extractors.figures import _UNIT_OF

    assert _UNIT_OF[form] == code
