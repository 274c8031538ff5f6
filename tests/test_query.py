"""``khaosan query``: every filter, alias resolution, the three output formats and Thai table alignment.

The dataset is built from our own fictional articles (tests/fixtures/query/articles.jsonl):
q-depa-cm      2024-03-05  ดีป้า + เชียงใหม่ + 1,500 ล้านบาท in one sentence; a program; two dates
q-cm-budget    2023-11-20  เชียงใหม่ in one sentence, 2,400 ล้านบาท in another; 15 มกราคม 2567
q-kk-export    2025-01-10  ขอนแก่น, ร้อยละ 12, 40 ล้านดอลลาร์ (ผ้าไหม sentence), DEPA + 150 ร้าน
q-phuket-nodate  (none)    ภูเก็ต, 3,000 ล้านบาท, ธันวาคม 2568
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from khaosan.outputs.query import QueryError, QueryFilters, count_facts, open_dataset, query_facts
from khaosan.outputs.query_format import csv_columns, snippet, write_csv, write_jsonl, write_table

FIXTURES = Path(__file__).parent / "fixtures" / "query"
DEPA = "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    from khaosan.outputs.dataset import run_extract
    from khaosan.pipeline.settings import Settings

    out = tmp_path_factory.mktemp("query_ds")
    summary = run_extract([FIXTURES], out, Settings.from_env().replace(formats=("jsonl", "sqlite")))
    assert summary.articles == 4
    return out


@pytest.fixture(scope="module")
def facts_items(dataset) -> dict[str, dict]:
    """facts.jsonl items by fact id, with their doc_id."""
    items = {}
    for line in (dataset / "facts.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for family, facts in rec.items():
            if family != "doc_id":
                for f in facts:
                    items[f["id"]] = {**f, "doc_id": rec["doc_id"], "family": family}
    return items


@pytest.fixture(scope="module")
def texts(dataset) -> dict[str, str]:
    db = sqlite3.connect(dataset / "khaosan.sqlite")
    return dict(db.execute("SELECT doc_id, text FROM articles"))


def hits(dataset, family, **kw):
    return list(query_facts(dataset, family, QueryFilters(**kw)))


def docs(found) -> set[str]:
    return {h.doc_id for h in found}


# -- filters -------------------------------------------------------------------------------


def test_billion_baht_figures(dataset):
    found = hits(dataset, "figures", unit="THB", min_value=1e9)
    assert sorted(h.fields["text"] for h in found) == ["1,500 ล้านบาท", "2,400 ล้านบาท", "3,000 ล้านบาท"]
    assert all(h.fields["unit"] == "THB" and h.fields["value"] >= 1e9 for h in found)


@pytest.mark.parametrize("unit", ["THB", "thb", "บาท", "Baht", "฿"])
def test_unit_words_resolve_to_the_code(dataset, unit):
    assert docs(hits(dataset, "figures", unit=unit)) == {"q-depa-cm", "q-cm-budget", "q-phuket-nodate"}


def test_percent_words_and_max(dataset):
    assert [h.fields["value"] for h in hits(dataset, "figures", unit="ร้อยละ")] == [12]
    small = hits(dataset, "figures", max_value=300)
    assert small and all(h.fields["value"] <= 300 for h in small)
    assert {h.fields["text"] for h in small} >= {"300 คน", "150 ร้าน", "ร้อยละ 12"}
    assert [h.fields["value"] for h in hits(dataset, "figures", min_value=150, max_value=150)] == [150]


@pytest.mark.parametrize("alias", ["ดีป้า", "DEPA", "depa", " ดี ป้า ", DEPA])
def test_org_aliases_resolve(dataset, alias):
    found = hits(dataset, "orgs", org=alias)
    assert {h.fields["name"] for h in found} == {DEPA}
    assert docs(found) == {"q-depa-cm", "q-kk-export"}  # stored once as ดีป้า, once as DEPA


def test_org_filter_on_another_family_goes_through_the_article(dataset):
    assert docs(hits(dataset, "figures", org="ดีป้า")) == {"q-depa-cm", "q-kk-export"}
    assert docs(hits(dataset, "persons", org="depa")) == {"q-depa-cm", "q-kk-export"}
    assert hits(dataset, "orgs", org="กรมที่ไม่มีจริง") == []


@pytest.mark.parametrize("name", ["เชียงใหม่", "จ.เชียงใหม่", "Chiang Mai", "chiangmai", "TH-50", "th-50"])
def test_province_by_thai_english_or_iso(dataset, name):
    found = hits(dataset, "provinces", province=name)
    assert {(h.fields["name"], h.fields["iso"]) for h in found} == {("เชียงใหม่", "TH-50")}
    assert docs(found) == {"q-depa-cm", "q-cm-budget"}


def test_same_sentence_first_then_only(dataset):
    found = hits(dataset, "figures", province="เชียงใหม่", unit="THB")
    assert [h.fields["text"] for h in found] == ["1,500 ล้านบาท", "2,400 ล้านบาท"]
    assert [h.in_sentence for h in found] == [1, 0]
    strict = hits(dataset, "figures", province="เชียงใหม่", unit="THB", same_sentence=True)
    assert [h.fields["text"] for h in strict] == ["1,500 ล้านบาท"]


def test_person_and_role(dataset):
    assert [h.fields["name"] for h in hits(dataset, "persons", person="กิตติพงษ์")] == ["กิตติพงษ์ แสงทอง"]
    assert [h.fields["name"] for h in hits(dataset, "persons", person="กิตติพงษ์แสงทอง")] == ["กิตติพงษ์ แสงทอง"]
    assert [h.fields["name"] for h in hits(dataset, "persons", person="นายกิตติพงษ์ แสงทอง")] == ["กิตติพงษ์ แสงทอง"]
    assert [h.fields["name"] for h in hits(dataset, "persons", role="ผู้ว่าราชการจังหวัด")] == ["พิมพ์ชนก ดวงดี"]
    # a person filter on figures: figures of the articles that name her
    assert docs(hits(dataset, "figures", person="พิมพ์ชนก")) == {"q-cm-budget"}


def test_program(dataset):
    assert [h.fields["name"] for h in hits(dataset, "programs", program="ทูตเมือง")] == ["ทูตเมืองอัจฉริยะ"]
    assert docs(hits(dataset, "figures", program="ทูตเมืองอัจฉริยะ")) == {"q-depa-cm"}


def test_dates_family_filters_the_dates_named(dataset):
    # overlap: the year 2024 overlaps Feb–Dec 2024; 2024-01-15 and 2025-12 do not
    got = sorted(h.fields["value"] for h in hits(dataset, "dates", date_from="2024-02", date_to="2024-12"))
    assert got == ["2024", "2024-03-20"]
    assert sorted(h.fields["value"] for h in hits(dataset, "dates", date_from="2567-02", date_to="2567-12")) == got
    assert [h.fields["value"] for h in hits(dataset, "dates", date_from="2025-06-01")] == ["2025-12"]


def test_other_families_filter_on_the_published_date(dataset):
    assert docs(hits(dataset, "figures", date_from="2024")) == {"q-depa-cm", "q-kk-export"}
    assert docs(hits(dataset, "figures", date_to="2024-03-05")) == {"q-depa-cm", "q-cm-budget"}
    assert docs(hits(dataset, "figures", date_from="2024-03-06", date_to="2024-12-31")) == set()
    # an article without a date never passes a date bound, but shows without one
    assert "q-phuket-nodate" in docs(hits(dataset, "figures"))


def test_search_text_and_sentence_ranking(dataset):
    found = hits(dataset, "figures", search="ผ้าไหม")
    assert docs(found) == {"q-kk-export"}
    assert [h.in_sentence for h in found] == [1, 1, 0]  # ร้อยละ 12 and 40 ล้าน share the ผ้าไหม sentence
    assert found[-1].fields["text"] == "150 ร้าน"
    assert docs(hits(dataset, "orgs", search="ภูเก็ต เตรียมรับ")) == {"q-phuket-nodate"}  # the title counts too


def test_like_wildcards_and_quotes_are_literal(dataset):
    assert hits(dataset, "figures", search="1_500") == []
    assert hits(dataset, "figures", search="%") == []
    assert hits(dataset, "persons", person="'; DROP TABLE persons; --") == []
    assert count_facts(dataset, "persons") == 3


def test_sort_by_value_and_limit(dataset):
    values = [h.fields["value"] for h in query_facts(dataset, "figures", QueryFilters(unit="THB"), sort="value")]
    assert values == sorted(values, reverse=True) and len(values) == 3
    assert len(list(query_facts(dataset, "figures", limit=2))) == 2
    assert count_facts(dataset, "figures", QueryFilters(unit="THB")) == 3


@pytest.mark.parametrize("family, kw, needle", [
    ("cars", {}, "cars"),
    ("figures", {"date_from": "2024-13"}, "2024-13"),
    ("figures", {"date_from": "March"}, "March"),
    ("figures", {"date_from": "2025", "date_to": "2024"}, "after"),
    ("figures", {"min_value": 5.0, "max_value": 1.0}, "above"),
])
def test_bad_filters_say_what_and_why(dataset, family, kw, needle):
    with pytest.raises(QueryError, match=needle):
        query_facts(dataset, family, QueryFilters(**kw))


def test_bad_dataset_paths(tmp_path):
    with pytest.raises(QueryError, match="no khaosan dataset"):
        query_facts(tmp_path / "missing", "figures")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (a)")
    with pytest.raises(QueryError, match="not a khaosan dataset"):
        list(query_facts(other, "figures"))


def test_opened_read_only(dataset):
    path = dataset / "khaosan.sqlite"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    db = open_dataset(dataset)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM persons")
    db.close()
    list(query_facts(dataset, "persons", QueryFilters(person="x")))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# -- JSON lines and CSV ------------------------------------------------------------------------


def test_json_lines_carry_the_facts_jsonl_item_and_evidence(dataset, facts_items, texts):
    buf = io.StringIO()
    n = write_jsonl(query_facts(dataset, "figures"), buf)
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert n == len(lines) == 8
    for item in lines:
        ref = facts_items[item["id"]]
        for key, value in ref.items():
            if key != "evidence":
                assert item[key] == value, key
        assert [(e["start"], e["end"], e["text"]) for e in item["evidence"]] == \
            [(e["start"], e["end"], e["text"]) for e in ref["evidence"]]
        for ev in item["evidence"]:
            assert texts[item["doc_id"]][ev["start"]:ev["end"]] == ev["text"]
            s = ev["start"] - ev["sentence_start"]
            assert ev["sentence"][s:s + len(ev["text"])] == ev["text"]
        assert item["published"] in ("2024-03-05", "2023-11-20", "2025-01-10", None)


def test_csv_round_trip(dataset):
    found = hits(dataset, "persons")
    buf = io.StringIO()
    assert write_csv(found, "persons", buf) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == csv_columns("persons")
    for row, hit in zip(rows, found):
        item = hit.to_item()
        assert (row["id"], row["doc_id"], row["name"]) == (hit.fact_id, hit.doc_id, hit.fields["name"])
        assert json.loads(row["roles"]) == hit.fields["roles"]
        assert json.loads(row["evidence"]) == item["evidence"]
        assert row["evidence_text"] == hit.evidence[0].text and int(row["evidence_start"]) == hit.evidence[0].start
    figs = list(csv.DictReader(io.StringIO(_csv(hits(dataset, "figures", unit="THB")))))
    assert sorted(float(r["value"]) for r in figs) == [1.5e9, 2.4e9, 3e9]
    assert {r["published"] for r in figs} == {"2024-03-05", "2023-11-20", ""}


def _csv(found) -> str:
    buf = io.StringIO()
    write_csv(found, found[0].family, buf)
    return buf.getvalue()


def test_csv_bom_only_when_asked():
    buf = io.StringIO()
    write_csv([], "figures", buf, bom=True)
    assert buf.getvalue().startswith("\ufefffamily,")


# -- the table -------------------------------------------------------------------------------


def _display_width(line: str) -> int:
    wcwidth = pytest.importorskip("wcwidth")
    return wcwidth.wcswidth(line)


def _has_marks(s: str) -> bool:
    return any(unicodedata.category(c) == "Mn" for c in s)


@pytest.mark.parametrize("family, width", [("persons", 100), ("figures", 70), ("orgs", 60), ("dates", 120)])
def test_table_lines_up_thai(dataset, family, width):
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, legacy_windows=False)
    n = write_table(query_facts(dataset, family), family, console)
    lines = buf.getvalue().rstrip("\n").split("\n")
    assert n > 0 and len(lines) > n
    assert any(_has_marks(line) for line in lines)  # Thai with tone marks and vowels above/below
    widths = {_display_width(line) for line in lines}
    assert len(widths) == 1, widths  # every line (border, header, rows) has the same display width
    assert widths == {cell_len(lines[0])} and widths.pop() <= width
    for line in lines[3:]:  # no cell starts with a mark torn from its letter
        for cell in line.split("│")[1:-1]:
            assert not (cell and _has_marks(cell[0]))


def test_table_marks_the_fact_in_its_sentence(dataset):
    buf = io.StringIO()
    write_table(query_facts(dataset, "figures", QueryFilters(unit="THB", min_value=2e9, max_value=2.5e9)), "figures",
                Console(file=buf, width=200, color_system=None))
    out = buf.getvalue()
    assert "«2,400 ล้านบาท»" in out and "2,400,000,000 THB" in out and "q-cm-budget" in out
    assert "กระทรวงสาธารณสุขอนุมัติงบประมาณ" in out  # the sentence around it


def test_snippet_keeps_marks_with_their_letters():
    sentence = "ผู้ว่าราชการจังหวัดเชียงใหม่ลงพื้นที่ตรวจเยี่ยมโรงพยาบาลที่กำลังปรับปรุงอาคารผู้ป่วยใน"
    start = sentence.index("ลงพื้นที่")
    end = start + len("ลงพื้นที่")
    for context in range(1, 25):
        before, fact, after, cut_l, cut_r = snippet(sentence, start, end, context)
        assert fact == "ลงพื้นที่" and cut_l and cut_r
        assert not (before and _has_marks(before[0]))
        rest = sentence[end + len(after):]
        assert not (rest and _has_marks(rest[0]))  # the cut kept every mark of the last letter
    assert snippet(sentence, start, end, 0)[0] == sentence[:start]


# -- the command -------------------------------------------------------------------------------


def _cli(*args: str):
    from typer.testing import CliRunner

    from khaosan.pipeline.cli import app

    return CliRunner().invoke(app, ["query", *args])


def test_cli_json_lines(dataset):
    res = _cli(str(dataset), "figures", "--unit", "THB", "--min", "1e9", "--format", "json")
    assert res.exit_code == 0, res.output
    items = [json.loads(line) for line in res.stdout.splitlines()]
    assert sorted(i["value"] for i in items) == [1_500_000_000, 2_400_000_000, 3_000_000_000]
    assert all(i["evidence"] and i["doc_id"] for i in items)


def test_cli_csv_file_has_bom_stdout_not(dataset, tmp_path):
    out = tmp_path / "figs.csv"
    res = _cli(str(dataset / "khaosan.sqlite"), "figure", "--org", "ดีป้า", "--format", "csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["doc_id"] for r in rows} == {"q-depa-cm", "q-kk-export"}
    res = _cli(str(dataset), "figures", "--org", "ดีป้า", "--format", "csv")
    assert res.stdout.startswith("family,") and res.stdout.count("\n") == len(rows) + 1


def test_cli_table_and_limit(dataset):
    res = _cli(str(dataset), "persons", "--province", "เชียงใหม่", "--limit", "1")
    assert res.exit_code == 0, res.output
    assert "«" in res.stdout and "2 facts; showing 1" in res.stderr


@pytest.mark.parametrize("args, needle", [
    (["figures", "--min", "lots"], "--min 'lots'"),
    (["figures", "--from", "2024-02-30"], "--from '2024-02-30'"),
    (["vehicles"], "family 'vehicles'"),
    (["figures", "--format", "xml"], "--format"),
])
def test_cli_bad_input_is_named(dataset, args, needle):
    res = _cli(str(dataset), *args)
    assert res.exit_code == 2 and needle in res.output


def test_cli_missing_dataset(tmp_path):
    res = _cli(str(tmp_path / "nope"), "figures")
    assert res.exit_code == 2 and "nope" in res.stderr


def test_cli_nothing_found(dataset):
    res = _cli(str(dataset), "persons", "--person", "ไม่มีใครชื่อนี้")
    assert res.exit_code == 0 and res.stdout == "" and "no facts match" in res.stderr


def test_colour_terminal_highlights_instead_of_brackets(dataset):
    buf = io.StringIO()
    write_table(query_facts(dataset, "figures", QueryFilters(unit="THB", min_value=1.5e9, max_value=1.5e9)),
                "figures", Console(file=buf, width=200, force_terminal=True, color_system="standard"))
    out = buf.getvalue()
    assert "«" not in out and "\x1b[1;30;43m1,500 ล้านบาท\x1b[0m" in out
    assert "\x1b]8;" in out and "https://news.example.org/query/depa-cm" in out  # the id links to the source
