"""Corpus readers: every format, every encoding, every kind of broken input (fixtures made in tmp_path)."""
from __future__ import annotations

import codecs
import csv
import gzip
import json
from pathlib import Path

import pytest

from khaosan.corpus import Article, ReadError, ReadStats, join_text, read_paths
from khaosan.corpus import readers as readers_module
from khaosan.pipeline.settings import Settings

# Our own sentences (never copied from a corpus).
P1 = "กระทรวงเกษตรและสหกรณ์จัดงานมหกรรมผลไม้ไทยที่จังหวัดจันทบุรี ระหว่างวันที่ 3-5 พฤษภาคม 2567 มีเกษตรกรเข้าร่วมกว่า 1,200 คน"
P2 = "นางสาวสมศรี ใจดี ผู้อำนวยการสำนักงานเกษตรจังหวัด กล่าวว่า ปีนี้ผลผลิตทุเรียนเพิ่มขึ้นร้อยละ 15 เมื่อเทียบกับปีที่แล้ว"
P3 = "ทั้งนี้ ผู้สนใจสามารถติดตามข่าวสารของงานได้ทางเพจ Facebook ของสำนักงานเกษตรจังหวัดจันทบุรี"
P4 = "การไฟฟ้าส่วนภูมิภาคเตรียมงบประมาณ 250 ล้านบาท ปรับปรุงระบบสายส่งในอำเภอเมืองเชียงราย ให้แล้วเสร็จภายในปี 2568"
BODY = "\n".join([P1, P2, P3])


def read(*paths: Path | str, settings: Settings | None = None, stats: ReadStats | None = None):
    return list(read_paths(paths, settings or Settings(), stats))


def articles(items) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items) -> list[ReadError]:
    return [x for x in items if isinstance(x, ReadError)]


def one_article(items) -> Article:
    assert not errors(items), errors(items)
    assert len(items) == 1
    return items[0]


def one_error(items) -> ReadError:
    assert len(items) == 1 and isinstance(items[0], ReadError), items
    return items[0]


# --------------------------------------------------------------------------- .txt


def test_txt_utf8(tmp_path: Path) -> None:
    f = tmp_path / "news-001.txt"
    f.write_text(BODY + "\n", encoding="utf-8")
    a = one_article(read(f))
    assert a.doc_id == "news-001"
    assert a.text == BODY
    assert a.title is None and a.published is None
    assert a.source == str(f)
    assert a.meta["encoding"] == "utf-8"


@pytest.mark.parametrize("codec, prefix", [
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("cp874", b""),
])
def test_txt_encodings(tmp_path: Path, codec: str, prefix: bytes) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(prefix + BODY.encode(codec))
    a = one_article(read(f))
    assert a.text == BODY
    assert not a.text.startswith("\ufeff")


def test_txt_tis620_short_line(tmp_path: Path) -> None:
    """Even one short Thai line in TIS-620 is recognised without the guesser."""
    f = tmp_path / "short.txt"
    f.write_bytes("ฝนตกหนักที่จังหวัดน่าน".encode("cp874"))
    a = one_article(read(f))
    assert a.text == "ฝนตกหนักที่จังหวัดน่าน"
    assert a.meta["encoding"] == "cp874"


def test_txt_utf16_without_bom(tmp_path: Path) -> None:
    f = tmp_path / "nobom.txt"
    f.write_bytes(("Press release\n" + P2).encode("utf-16-le"))
    assert one_article(read(f)).text == "Press release\n" + P2


def test_txt_crlf_becomes_lf(tmp_path: Path) -> None:
    f = tmp_path / "win.txt"
    f.write_bytes((P1 + "\r\n" + P2 + "\r\n").encode("utf-8"))
    assert one_article(read(f)).text == P1 + "\n" + P2


def test_txt_binary_is_error(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
    err = one_error(read(f))
    assert err.source == str(f)
    assert "binary" in err.reason


def test_txt_control_characters_are_not_text(tmp_path: Path) -> None:
    f = tmp_path / "ctl.txt"
    f.write_bytes(bytes(range(1, 9)) * 50 + bytes(range(14, 32)) * 50)
    assert "binary" in one_error(read(f)).reason


def test_txt_empty_and_blank(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n \t\n", encoding="utf-8")
    (tmp_path / "chrome.txt").write_text("Share\nFacebook\nLINE\n\nแสดงความคิดเห็น\n", encoding="utf-8")
    items = read(tmp_path / "empty.txt", tmp_path / "blank.txt", tmp_path / "chrome.txt")
    assert [type(x) for x in items] == [ReadError] * 3
    assert items[0].reason == "empty file"
    assert "no article text" in items[1].reason and "no article text" in items[2].reason


def test_txt_too_large(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(BODY * 20, encoding="utf-8")
    err = one_error(read(f, settings=Settings(max_file_bytes=1000)))
    assert "too large" in err.reason and "1,000" in err.reason


def test_txt_gzip_is_error(tmp_path: Path) -> None:
    f = tmp_path / "packed.txt"
    f.write_bytes(gzip.compress(BODY.encode()))
    assert "gzip" in one_error(read(f)).reason


def test_txt_capped_at_max_article_chars(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text(BODY, encoding="utf-8")
    a = one_article(read(f, settings=Settings(max_article_chars=50)))
    assert a.text == BODY[:50] and a.meta["truncated"] == "max_article_chars"


def test_txt_boilerplate_removed(tmp_path: Path) -> None:
    f = tmp_path / "site.txt"
    f.write_text("\n".join([
        P1, "", "Advertisement", "", P2, "แชร์", "Facebook  Twitter  LINE", P3, "",
        "Tags: เกษตร, ทุเรียน, จันทบุรี", "© 2024 Example News. All rights reserved.", "",
        P4, "", "ข่าวที่เกี่ยวข้อง", "ราคายางพาราปรับตัวสูงขึ้นต่อเนื่อง", "ชาวนาเริ่มเก็บเกี่ยวข้าวนาปี",
    ]), encoding="utf-8")
    a = one_article(read(f))
    assert a.text == "\n".join([P1, "", P2, P3, "", P4])
    # P3 mentions Facebook inside a sentence: a whole-line rule must keep it.
    assert "Facebook ของสำนักงาน" in a.text


# --------------------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html lang="th"><head>
<meta charset="{charset}">
<title>ผลไม้ไทยคึกคัก | ข่าวเกษตรออนไลน์</title>
<meta property="og:title" content="มหกรรมผลไม้ไทยที่จันทบุรีคึกคัก">
<meta property="og:url" content="https://news.example.org/agri/123">
<meta property="article:published_time" content="2024-05-03T09:15:00+07:00">
</head><body>
<header><nav><ul><li><a href="/">หน้าแรก</a></li><li><a href="/agri">เกษตร</a></li>
<li><a href="/econ">เศรษฐกิจ</a></li></ul></nav></header>
<div class="ad-banner">โฆษณา สินเชื่อบ้านดอกเบี้ยต่ำ โทรเลย</div>
<article>
<h1>มหกรรมผลไม้ไทยที่จันทบุรีคึกคัก</h1>
<p>{p1}</p>
<p>{p2}</p>
<p>{p3}</p>
<p>{p4}</p>
<div class="share-buttons"><a href="#">แชร์</a> <a href="#">Facebook</a> <a href="#">LINE</a></div>
</article>
<section id="comments"><h3>แสดงความคิดเห็น</h3>
<form><textarea name="comment"></textarea><input type="text" name="author"><button>ส่งความคิดเห็น</button></form>
</section>
<footer><p>&copy; 2024 ข่าวเกษตรออนไลน์ สงวนลิขสิทธิ์</p></footer>
</body></html>
"""


def _page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset, p1=P1, p2=P2, p3=P3, p4=P4)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "agri-123.html"
    f.write_text(_page(), encoding="utf-8")
    a = one_article(read(f))
    assert a.doc_id == "agri-123"
    assert a.title == "มหกรรมผลไม้ไทยที่จันทบุรีคึกคัก"
    assert a.published == "2024-05-03"
    assert a.url == "https://news.example.org/agri/123"
    assert a.text.startswith(a.title + "\n")
    for p in (P1, P2, P3, P4):
        assert p in a.text
    for junk in ("หน้าแรก", "สินเชื่อบ้าน", "ส่งความคิดเห็น", "แสดงความคิดเห็น", "สงวนลิขสิทธิ์", "\nแชร์"):
        assert junk not in a.text, junk


@pytest.mark.parametrize("charset", ["tis-620", "windows-874", "TIS620"])
def test_html_thai_single_byte_charset(tmp_path: Path, charset: str) -> None:
    f = tmp_path / "th.htm"
    f.write_bytes(_page(charset).encode("cp874"))
    a = one_article(read(f))
    assert a.meta["encoding"] == "cp874"
    assert a.title == "มหกรรมผลไม้ไทยที่จันทบุรีคึกคัก"
    assert P2 in a.text


def test_html_http_equiv_charset(tmp_path: Path) -> None:
    html = _page().replace('<meta charset="utf-8">',
                           '<meta http-equiv="Content-Type" content="text/html; charset=windows-874">')
    f = tmp_path / "equiv.html"
    f.write_bytes(html.encode("cp874"))
    assert P1 in one_article(read(f)).text


def test_html_json_ld_title_tag_and_canonical(tmp_path: Path) -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "ข่าวพลังงาน"},
        {"@type": "NewsArticle", "datePublished": "2023-11-20T07:00:00Z"}]}
    html = f"""<html><head><title>ไฟฟ้าเชียงรายปรับปรุงสายส่ง</title>
<link rel="canonical" href="https://energy.example.org/n/9">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script type="application/ld+json">{{ broken json </script></head>
<body><article><p>{P4}</p><p>{P1}</p><p>{P2}</p></article></body></html>"""
    f = tmp_path / "energy.html"
    f.write_text(html, encoding="utf-8")
    a = one_article(read(f))
    assert a.title == "ไฟฟ้าเชียงรายปรับปรุงสายส่ง"
    assert a.published == "2023-11-20"
    assert a.url == "https://energy.example.org/n/9"


@pytest.mark.parametrize("head, body_extra, expected", [
    ('<meta name="date" content="2022-02-14">', "", "2022-02-14"),
    ("", '<time datetime="2021-07-01T10:00:00+07:00">1 ก.ค. 64</time>', "2021-07-01"),
    ('<meta name="date" content="15 มีนาคม 2566">', "", "2023-03-15"),
])
def test_html_published_sources(tmp_path: Path, head: str, body_extra: str, expected: str) -> None:
    html = f"<html><head><title>ข่าว</title>{head}</head><body><article>{body_extra}<p>{P1}</p><p>{P2}</p>" \
           f"<p>{P3}</p></article></body></html>"
    f = tmp_path / "d.html"
    f.write_text(html, encoding="utf-8")
    assert one_article(read(f)).published == expected


def test_html_broken_markup_still_yields_text(tmp_path: Path) -> None:
    html = f"<html><head><title>ข่าวด่วน</title><body><div><p>{P1}<p>{P2}<div><b>{P4}</i>\n<table><tr><td>ตัวเลข"
    f = tmp_path / "broken.html"
    f.write_text(html, encoding="utf-8")
    a = one_article(read(f))
    assert P1 in a.text and P2 in a.text and P4 in a.text
    assert a.title == "ข่าวด่วน"


def test_html_soup_fallback_when_trafilatura_finds_nothing(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    f = tmp_path / "agri.html"
    f.write_text(_page(), encoding="utf-8")
    a = one_article(read(f))
    assert a.title == "มหกรรมผลไม้ไทยที่จันทบุรีคึกคัก" and a.published == "2024-05-03"
    for p in (P1, P2, P3, P4):
        assert p in a.text
    for junk in ("หน้าแรก", "สินเชื่อบ้าน", "ส่งความคิดเห็น", "สงวนลิขสิทธิ์", "\nแชร์"):
        assert junk not in a.text, junk


def test_html_short_page_without_furniture(tmp_path: Path) -> None:
    html = ("<html><body><nav>เมนูหลัก</nav><div class='social-share'>แชร์ไปยัง Facebook</div>"
            "<p>ฝนตกหนักที่น่าน</p></body></html>")
    f = tmp_path / "short.html"
    f.write_text(html, encoding="utf-8")
    a = one_article(read(f))
    assert "ฝนตกหนักที่น่าน" in a.text
    assert "เมนูหลัก" not in a.text and "แชร์" not in a.text


def test_soup_text_keeps_wrapper_named_like_furniture() -> None:
    from khaosan.corpus.html import soup_text

    html = f"<html><body><div class='content has-sidebar'><p>{P1}</p><p>{P2}</p></div>" \
           f"<div class='sidebar'>ข่าวยอดนิยม</div></body></html>"
    text = soup_text(html)
    assert P1 in text and P2 in text and "ข่าวยอดนิยม" not in text


def test_html_without_text_is_error(tmp_path: Path) -> None:
    f = tmp_path / "blank.html"
    f.write_text("<html><head><title></title></head><body><script>var x = 1;</script></body></html>",
                 encoding="utf-8")
    assert "no article text" in one_error(read(f)).reason


# --------------------------------------------------------------------------- .jsonl / .jsonl.gz

ROWS = [
    {"id": "n-1", "url": "https://example.org/1", "published": "2024-05-03 09:15:00", "title": "ผลไม้ไทยคึกคัก",
     "category": "เกษตร", "body": P1},
    {"id": "n-2", "url": "https://example.org/2", "published": "2024-05-04T08:00:00+07:00", "title": "ทุเรียนราคาดี",
     "category": "เกษตร", "body": P2},
    {"id": "n-3", "url": None, "published": "", "title": None, "category": "", "body": P4},
]


def _jsonl(rows) -> str:
    return "".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def test_jsonl_rows(tmp_path: Path) -> None:
    f = tmp_path / "part.jsonl"
    f.write_text(_jsonl(ROWS), encoding="utf-8")
    a1, a2, a3 = (one_article([x]) for x in read(f))
    assert a1.doc_id == "n-1" and a1.text == join_text("ผลไม้ไทยคึกคัก", P1) == "ผลไม้ไทยคึกคัก\n" + P1
    assert a1.published == "2024-05-03" and a2.published == "2024-05-04"
    assert a1.url == "https://example.org/1" and a1.title == "ผลไม้ไทยคึกคัก"
    assert a1.meta == {"category": "เกษตร"}
    assert a1.source == f"{f}:1" and a3.source == f"{f}:3"
    assert a3.text == P4 and a3.title is None and a3.published is None and a3.url is None


def test_jsonl_bad_lines_do_not_stop_reading(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text(_jsonl([
        ROWS[0],
        '{"id": "n-9", "body": "ข้อความที่ขาด\n',  # invalid JSON
        "\n",  # blank line: skipped silently
        '["not", "an", "object"]\n',
        {"id": "n-10", "title": "ไม่มีเนื้อหา"},  # no body
        {"id": "n-11", "body": "   "},  # empty body
        {"title": "ไม่มีรหัส", "body": P3},  # no id
        ROWS[1],
    ]), encoding="utf-8")
    items = read(f)
    assert [x.doc_id for x in articles(items)] == ["n-1", "mixed-7", "n-2"]
    errs = errors(items)
    assert [e.source for e in errs] == [f"{f}:2", f"{f}:4", f"{f}:5", f"{f}:6"]
    assert str(errs[0]).startswith(f"{f}:2: invalid JSON: ")
    assert "not a JSON object" in errs[1].reason
    assert "no body" in errs[2].reason and "no body" in errs[3].reason


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "bytes.jsonl"
    good = json.dumps(ROWS[0], ensure_ascii=False).encode()
    f.write_bytes(good + b"\n" + b'{"id": "x", "body": "\xff\xfe\xfa"}\n' + good + b"\n")
    items = read(f)
    assert len(articles(items)) == 2
    assert "UTF-8" in one_error(errors(items)).reason


def test_jsonl_bom_and_column_mapping(tmp_path: Path) -> None:
    f = tmp_path / "mapped.jsonl"
    row = {"doc": 77, "link": "https://example.org/77", "date": "03/05/2567", "headline": "ข่าวไฟฟ้า",
           "content": P4}
    f.write_bytes(codecs.BOM_UTF8 + json.dumps(row, ensure_ascii=False).encode() + b"\n")
    settings = Settings(columns={"id": "doc", "url": "link", "published": "date", "title": "headline",
                                 "body": "content"})
    a = one_article(read(f, settings=settings))
    assert (a.doc_id, a.url, a.published, a.title) == ("77", "https://example.org/77", "2024-05-03", "ข่าวไฟฟ้า")
    assert a.text == "ข่าวไฟฟ้า\n" + P4
    # Without the mapping the same row has no body.
    assert "no body" in one_error(read(f)).reason


def test_jsonl_unparsed_published_kept_in_meta(tmp_path: Path) -> None:
    f = tmp_path / "p.jsonl"
    f.write_text(_jsonl([{"id": "a", "body": P1, "published": "เมื่อวานนี้"}]), encoding="utf-8")
    a = one_article(read(f))
    assert a.published is None and a.meta["published_raw"] == "เมื่อวานนี้"


def test_jsonl_gz_and_truncated_gz(tmp_path: Path) -> None:
    rows = [{"id": f"g-{i}", "title": f"ข่าวที่ {i}", "body": f"{P1} ({i})"} for i in range(300)]
    data = gzip.compress(_jsonl(rows).encode("utf-8"))
    whole = tmp_path / "corpus.jsonl.gz"
    whole.write_bytes(data)
    assert [a.doc_id for a in read(whole)] == [f"g-{i}" for i in range(300)]
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    items = read(cut)
    good = articles(items)
    assert 0 < len(good) < 300
    assert [a.doc_id for a in good] == [f"g-{i}" for i in range(len(good))]
    last = items[-1]
    assert isinstance(last, ReadError) and last.source.startswith(f"{cut}:")
    assert "truncated" in last.reason


def test_jsonl_gz_suffix_on_plain_file_and_garbage_gz(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_text(_jsonl(ROWS[:1]), encoding="utf-8")
    assert one_article(read(plain)).doc_id == "n-1"
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b" + b"\x00garbage" * 10)
    err = one_error(read(bad))
    assert err.source.startswith(str(bad)) and ("gzip" in err.reason.lower() or "corrupt" in err.reason)


def test_jsonl_row_capped_and_overlong_line(tmp_path: Path) -> None:
    f = tmp_path / "cap.jsonl"
    f.write_text(_jsonl([{"id": "a", "body": P1 * 3}]), encoding="utf-8")
    a = one_article(read(f, settings=Settings(max_article_chars=40)))
    assert len(a.text) == 40 and a.meta["truncated"] == "max_article_chars"
    # A line longer than the row limit is skipped whole; the next line still reads.
    settings = Settings(max_article_chars=1)
    from khaosan.corpus.rows import line_limit

    huge = {"id": "huge", "body": "ก" * (line_limit(settings) // 3 + 10)}
    g = tmp_path / "huge.jsonl"
    g.write_text(_jsonl([huge, {"id": "next", "body": "ข"}]), encoding="utf-8")
    items = read(g, settings=settings)
    assert "longer than" in items[0].reason and items[0].source == f"{g}:1"
    assert items[1].doc_id == "next"


def test_jsonl_empty_and_binary(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_bytes(b"")
    (tmp_path / "b.jsonl").write_bytes(b"\x00\x01\x02\x03" * 100)
    e, b = read(tmp_path / "e.jsonl", tmp_path / "b.jsonl")
    assert e.reason == "empty file" and "binary" in b.reason


# --------------------------------------------------------------------------- .csv / .csv.gz


def _csv_bytes(rows: list[list[str]], codec: str = "utf-8", delimiter: str = ",") -> bytes:
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(codec)


HEADER = ["id", "url", "published", "title", "body"]


def test_csv_rows_with_multiline_body(tmp_path: Path) -> None:
    f = tmp_path / "news.csv"
    f.write_bytes(_csv_bytes([HEADER, ["c-1", "", "2024-05-03", "ผลไม้", P1 + "\n" + P2],
                              ["", "https://example.org/x", "", "", P4]]))
    a, b = read(f)
    assert a.doc_id == "c-1" and a.text == "ผลไม้\n" + P1 + "\n" + P2 and a.url is None
    assert a.source == f"{f}:2"
    assert b.doc_id == "news-4" and b.source == f"{f}:4" and b.title is None and b.url == "https://example.org/x"


def test_csv_wrong_field_count_and_unterminated_quote(tmp_path: Path) -> None:
    f = tmp_path / "broken.csv"
    f.write_text("\n".join([
        ",".join(HEADER),
        "c-1,,2024-05-03,หัวข้อ,ข้อความแรก",
        "c-2,,2024-05-03,หัวข้อ",  # one field short
        "c-3,,2024-05-03,หัวข้อ,ข้อความที่สาม,เกิน",  # one too many
        "c-4,,2024-05-03,หัวข้อ,ข้อความที่สี่",
        'c-5,,2024-05-03,หัวข้อ,"ข้อความที่ไม่ปิดเครื่องหมายคำพูด',
        "c-6,,2024-05-03,หัวข้อ,ข้อความที่หก",
    ]) + "\n", encoding="utf-8")
    items = read(f)
    assert [a.doc_id for a in articles(items)] == ["c-1", "c-4"]
    errs = errors(items)
    assert [e.source for e in errs] == [f"{f}:3", f"{f}:4", f"{f}:6"]
    assert all("broken CSV" in e.reason for e in errs)


def test_csv_missing_body_column(tmp_path: Path) -> None:
    f = tmp_path / "nobody.csv"
    f.write_bytes(_csv_bytes([["id", "title", "text"], ["1", "หัวข้อ", P1]]))
    err = one_error(read(f))
    assert err.source == str(f) and "'body'" in err.reason and "text" in err.reason
    settings = Settings(columns={"body": "text"})
    assert one_article(read(f, settings=settings)).text == "หัวข้อ\n" + P1


def test_csv_cp874_semicolon_gz_and_tsv(tmp_path: Path) -> None:
    rows = [HEADER, ["t-1", "", "3 พ.ค. 2567", "ข่าวเกษตร", P1], ["t-2", "", "", "", P2]]
    cp = tmp_path / "thai.csv"
    cp.write_bytes(_csv_bytes(rows, "cp874", ";"))
    a, b = read(cp)
    assert a.text == "ข่าวเกษตร\n" + P1 and a.published == "2024-05-03" and b.text == P2
    gz = tmp_path / "thai.csv.gz"
    gz.write_bytes(gzip.compress(_csv_bytes(rows)))
    assert [x.doc_id for x in read(gz)] == ["t-1", "t-2"]
    tsv = tmp_path / "thai.tsv"
    tsv.write_bytes(_csv_bytes(rows, "utf-8", "\t"))
    assert [x.doc_id for x in read(tsv)] == ["t-1", "t-2"]
    bom = tmp_path / "excel.csv"
    bom.write_bytes(codecs.BOM_UTF8 + _csv_bytes(rows))
    assert [x.doc_id for x in read(bom)] == ["t-1", "t-2"]


def test_csv_truncated_gz(tmp_path: Path) -> None:
    rows = [HEADER] + [[f"r-{i}", "", "", f"หัวข้อ {i}", f"{P2} {i}"] for i in range(400)]
    data = gzip.compress(_csv_bytes(rows))
    f = tmp_path / "cut.csv.gz"
    f.write_bytes(data[: len(data) * 2 // 3])
    items = read(f)
    assert len(articles(items)) > 0
    assert isinstance(items[-1], ReadError) and "truncated" in items[-1].reason


# --------------------------------------------------------------------------- paths and folders


def test_folder_recursion_sorted_and_skips(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "z").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("b/2.txt", "b/1.txt", "a/z/9.txt", "a/5.txt", "c.txt", ".hidden/x.txt", "a/.dot.txt"):
        (tmp_path / rel).write_text(P1 + " " + rel, encoding="utf-8")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "b" / "notes.md").write_text("# โน้ต", encoding="utf-8")
    (tmp_path / "b" / "README").write_text("อ่านก่อน", encoding="utf-8")
    stats = ReadStats()
    items = read(tmp_path, stats=stats)
    assert [Path(a.source).relative_to(tmp_path).as_posix() for a in items] == \
        ["a/5.txt", "a/z/9.txt", "b/1.txt", "b/2.txt", "c.txt"]
    assert stats.skipped == {".jpg": 1, ".md": 1, "": 1}
    assert (stats.files, stats.articles, stats.errors) == (5, 5, 0)
    assert "skipped" in stats.summary()
    assert items == read(tmp_path)  # the same order every time


def test_named_unknown_suffix_and_missing_path(tmp_path: Path) -> None:
    f = tmp_path / "notes.md"
    f.write_text(P1, encoding="utf-8")
    ok = tmp_path / "ok.txt"
    ok.write_text(P2, encoding="utf-8")
    items = read(f, tmp_path / "nope.txt", ok)
    assert "unknown file type '.md'" in items[0].reason
    assert items[1].reason == "no such file or folder" and items[1].source == str(tmp_path / "nope.txt")
    assert items[2].text == P2


def test_reader_for_longest_suffix() -> None:
    from khaosan.corpus.readers import reader_for
    from khaosan.corpus.rows import read_csv, read_jsonl
    from khaosan.corpus.text import read_txt

    assert reader_for(Path("x/all-63k.JSONL.GZ")) is read_jsonl
    assert reader_for(Path("a.b.csv.gz")) is read_csv
    assert reader_for(Path("2567.05.03.txt")) is read_txt
    assert reader_for(Path("archive.tar.gz")) is None
    assert reader_for(Path(".txt")) is None


def test_failing_reader_is_reported_and_next_file_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(path: Path, settings: Settings):
        yield Article("first", "ข้อความ")
        raise RuntimeError("boom")

    monkeypatch.setitem(readers_module.READERS, ".boom", explode)
    (tmp_path / "1.boom").write_text("x", encoding="utf-8")
    (tmp_path / "2.txt").write_text(P1, encoding="utf-8")
    items = read(tmp_path)
    assert items[0].doc_id == "first"
    assert isinstance(items[1], ReadError) and "RuntimeError: boom" in items[1].reason
    assert items[2].text == P1


def test_streaming_is_lazy(tmp_path: Path) -> None:
    """Rows are yielded as read: the first article arrives before the rest of the file is parsed."""
    f = tmp_path / "lazy.jsonl"
    f.write_text(_jsonl([ROWS[0]]) + "{broken\n" * 1000, encoding="utf-8")
    it = read_paths([f], Settings())
    assert next(it).doc_id == "n-1"


def test_thaigov_sample_reads_2000_articles(shared: Path) -> None:
    path = shared / "corpus" / "thaigov" / "sample-2000.jsonl"
    if not path.exists():
        pytest.skip("sample-2000.jsonl is absent")
    items = read(path)
    good = articles(items)
    assert len(good) == 2000 and not errors(items)
    assert len({a.doc_id for a in good}) == 2000
    assert all(a.published and len(a.published) == 10 for a in good)
    assert all(a.text.startswith(a.title) for a in good if a.title)
