"""Corpus building blocks: encoding detection, boilerplate patterns, publication dates."""
from __future__ import annotations

import codecs
import json
import re

import pytest

from khaosan.corpus.boilerplate import DATA, boilerplate, clean
from khaosan.corpus.encoding import DecodeError, canonical, decode, detect, looks_thai
from khaosan.corpus.files import stem
from khaosan.corpus.published import normalize_published

THAI = "สำนักงานสถิติแห่งชาติรายงานว่าอัตราการว่างงานในไตรมาสแรกลดลงเหลือร้อยละ 0.9"


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("data, codec", [
    (THAI.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + THAI.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + THAI.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + THAI.encode("utf-16-be"), "utf-16"),
    (codecs.BOM_UTF32_LE + THAI.encode("utf-32-le"), "utf-32"),
    (THAI.encode("cp874"), "cp874"),
    (b"plain ascii only", "utf-8"),
])
def test_detect(data: bytes, codec: str) -> None:
    assert detect(data) == codec
    assert decode(data)[0] in (THAI, "plain ascii only")


def test_detect_partial_utf8_sample() -> None:
    """A sample cut in the middle of a three-byte Thai character is still UTF-8."""
    data = THAI.encode("utf-8")
    assert detect(data[:10], complete=False) == "utf-8"
    assert detect(data[:10], complete=True) != "utf-8"


def test_cp874_check_rejects_latin_text() -> None:
    latin = "Überraschung: Café, naïve façade, Ærø — déjà vu".encode("cp1252")
    assert not looks_thai(latin.decode("cp874", errors="replace"))
    assert detect(latin) != "cp874"
    assert looks_thai(THAI)


def test_declared_charset_used_when_not_utf8() -> None:
    # windows-1252 bytes that are not UTF-8 and do not look Thai: the declaration decides.
    data = "Prix: 5 € — déjà".encode("cp1252")
    assert detect(data, declared="windows-1252") == "cp1252"


@pytest.mark.parametrize("name, codec", [("TIS-620", "cp874"), ("windows-874", "cp874"), ("x-windows-874", "cp874"),
                                         ("iso-8859-11", "cp874"), ("UTF8", "utf-8"), ("nonsense-9", None)])
def test_canonical_charset_names(name: str, codec: str | None) -> None:
    assert canonical(name) == codec


def test_binary_refused() -> None:
    with pytest.raises(DecodeError, match="NUL"):
        decode(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x00\x01\x00\x02\x00\x03" * 50)  # NULs on one side but control characters


def test_stem_strips_compound_suffixes() -> None:
    from pathlib import Path

    assert stem(Path("/x/all-63k.jsonl.gz")) == "all-63k"
    assert stem(Path("news.2024.txt")) == "news.2024"
    assert stem(Path("README")) == "README"


# --------------------------------------------------------------------------- boilerplate


def test_boilerplate_file_matches_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data["schema"])
    jsonschema.validate(data, data["schema"])
    for entry in data["lines"] + data["tail_headings"]:
        re.compile(entry["pattern"])


@pytest.mark.parametrize("line", [
    "Share", "แชร์", "Tweet", "Facebook", "LINE", "Facebook Twitter LINE", "Share | Tweet | Email",
    "แชร์ไปยัง Facebook", "Share on Twitter", "แสดงความคิดเห็น", "Leave a comment", "Leave a Reply",
    "ใส่ความเห็น", "Related Posts", "ข่าวที่เกี่ยวข้อง", "ข่าวแนะนำ", "Advertisement", "โฆษณา", "ADVERTISEMENT",
    "Print", "พิมพ์", "Tags: เศรษฐกิจ, แรงงาน", "แท็ก: การเกษตร", "© 2023 Example Media Co., Ltd.",
    "Copyright 2024 Some Paper. All rights reserved.", "สงวนลิขสิทธิ์ พ.ศ. 2567 บริษัท ข่าวดี จำกัด",
    "อ่านเพิ่มเติม", "Read more »", "  Share  ", "ผู้เข้าชม 1,024 ครั้ง",
])
def test_boilerplate_lines_match(line: str) -> None:
    assert boilerplate().lines.fullmatch(line.strip()), line


@pytest.mark.parametrize("line", [
    "นายกรัฐมนตรีแชร์ประสบการณ์การทำงานให้นักศึกษาฟัง",
    "ผู้สนใจติดตามได้ทาง Facebook ของกรมประชาสัมพันธ์",
    "ร้อยละ 40 ของผู้ตอบแบบสอบถามแสดงความคิดเห็นว่าควรขยายเวลา",
    "ภาครัฐสนับสนุนงบโฆษณาประชาสัมพันธ์การท่องเที่ยว 20 ล้านบาท",
    "กรมทรัพย์สินทางปัญญาเร่งปราบปรามการละเมิดลิขสิทธิ์ออนไลน์",
    "Printing industry grew 5% this year",
    "โรงพิมพ์ของรัฐพิมพ์หนังสือเรียน 3 ล้านเล่ม",
])
def test_boilerplate_keeps_sentences(line: str) -> None:
    assert not boilerplate().lines.fullmatch(line)
    text = "ย่อหน้าแรกของข่าว\n" + line + "\nย่อหน้าสุดท้าย"
    assert clean(text) == text


def test_tail_heading_cuts_only_in_second_half() -> None:
    body = "\n".join(["กรมชลประทานเร่งระบายน้ำในพื้นที่ลุ่มต่ำ"] * 6)
    tail = "\n".join(["ข่าวที่เกี่ยวข้อง", "ฝนตกหนักหลายจังหวัด", "เตือนภัยน้ำป่าไหลหลาก"])
    assert clean(body + "\n\n" + tail) == body
    # At the top it is a stray heading: the heading line goes, the article after it stays.
    assert clean("Related Posts\n" + body) == body


def test_clean_is_identity_without_boilerplate() -> None:
    text = "บรรทัดแรก\n\n\n\nบรรทัดสอง"
    assert clean(text) == text


def test_clean_folds_blank_lines_left_by_removal() -> None:
    assert clean("ย่อหน้าหนึ่ง\n\nAdvertisement\n\nย่อหน้าสอง") == "ย่อหน้าหนึ่ง\n\nย่อหน้าสอง"


# --------------------------------------------------------------------------- publication dates


@pytest.mark.parametrize("value, expected", [
    ("2024-05-03", "2024-05-03"),
    ("2024-05-03T23:30:00+07:00", "2024-05-03"),  # the publisher's local date, not converted to UTC
    ("2024-05-03 08:00:00", "2024-05-03"),
    ("2024/5/3", "2024-05-03"),
    ("03/05/2024", "2024-05-03"),  # day first
    ("03/05/2567", "2024-05-03"),  # Buddhist era
    ("2567-05-03", "2024-05-03"),
    ("3 พฤษภาคม 2567", "2024-05-03"),
    ("วันศุกร์ที่ 3 พ.ค. 67", "2024-05-03"),
    ("๓ พ.ค. ๒๕๖๗", "2024-05-03"),
    ("3 May 2024", "2024-05-03"),
    ("May 3, 2024", "2024-05-03"),
    ("Fri, 03 May 2024 10:00:00 +0700", "2024-05-03"),
    (1714694400, "2024-05-03"),
    ("1714694400000", "2024-05-03"),
    ("2024-02-30", None),
    ("เมื่อวานนี้", None),
    ("", None),
    (None, None),
    (True, None),
])
def test_normalize_published(value: object, expected: str | None) -> None:
    assert normalize_published(value) == expected


@pytest.mark.parametrize("line", ["Share " * 40 + "x", "Facebook  | " * 40 + "ข่าว", "แชร์ " * 60 + "ต่อ",
                                  "1," * 400 + "x", "© " * 200 + "x" * 300])
def test_boilerplate_patterns_do_not_backtrack(line: str) -> None:
    """A long line that almost matches must fail fast (nested quantifiers once took minutes here)."""
    import time

    t0 = time.perf_counter()
    clean("ย่อหน้าแรก\n" + line + "\nย่อหน้าสุดท้าย")
    assert time.perf_counter() - t0 < 0.5
