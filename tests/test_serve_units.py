"""The pieces of the serve pages that need no server: highlighting, snippets, charts, metadata."""
from __future__ import annotations

import re
import sqlite3

from markupsafe import Markup

from khaosan.outputs.web import chart
from khaosan.outputs.web.highlight import Span, find_terms, highlight_terms, non_overlapping, render, safe_url, snippets
from khaosan.outputs.web.metadata import build_metadata, canned_queries

TEXT = "นายกฯ <b>สั่ง</b> ดีป้า & ธ.ก.ส. ทำงาน"


def test_render_escapes_then_marks_at_offsets() -> None:
    start = TEXT.index("ดีป้า")
    html = render(TEXT, [Span(start, start + len("ดีป้า"), "self f-orgs")])
    assert isinstance(html, Markup)
    assert "<b>" not in html and "&lt;b&gt;สั่ง&lt;/b&gt;" in html and "&amp;" in html
    assert '<mark class="self f-orgs">ดีป้า</mark>' in html


def test_render_links_and_attributes_are_escaped() -> None:
    html = render("abc", [Span(0, 3, "f-persons", href='/x?a=1&b="2"', attrs={"title": "<i>"})])
    assert 'href="/x?a=1&amp;b=&#34;2&#34;"' in html and 'title="&lt;i&gt;"' in html


def test_window_clips_and_overlaps_are_resolved() -> None:
    spans = [Span(0, 5, "a"), Span(3, 9, "b"), Span(10, 12, "c")]
    chosen = non_overlapping(spans, keep=[Span(4, 6, "self")])
    assert [s.css for s in chosen] == ["self", "c"]
    kept = non_overlapping([Span(0, 2, "x"), Span(0, 6, "y")])
    assert [s.css for s in kept] == ["y"]  # the longer one wins
    assert render("0123456789", [Span(2, 8, "m")], 4, 6) == Markup('<mark class="m">45</mark>')


def test_search_terms_highlight_and_snippets() -> None:
    text = "ก" * 300 + "ดีป้า" + "ข" * 300 + "Smart City" + "ค" * 10
    assert find_terms(text, ["smart city"]) == [(605, 615)]
    marked = highlight_terms("a<ดีป้า>", ["ดีป้า"])
    assert marked == Markup('a&lt;<mark class="search">ดีป้า</mark>&gt;')
    snip = snippets(text, ["ดีป้า", "Smart"], width=20)
    assert snip.count("<mark") == 2 and snip.startswith("…") and " … " in snip
    assert len(re.sub("<[^>]+>", "", snip)) < 120
    assert snippets("สั้น", ["ไม่มี"]) == Markup("สั้น")


def test_safe_url() -> None:
    assert safe_url("https://news.example.org/a") == "https://news.example.org/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "", None):
        assert safe_url(bad) is None


def test_periods_fill_gaps_and_become_years() -> None:
    periods, series = chart.by_period([("2024-01", "orgs", 2), ("2024-03", "orgs", 1), ("2024-03", "dates", 4),
                                       ("", "orgs", 9), (None, "orgs", 9)])
    assert periods == ["2024-01", "2024-02", "2024-03"]
    assert series == {"orgs": [2, 0, 1], "dates": [0, 0, 4]}
    periods, series = chart.by_period([("2010-01", "x", 1), ("2024-12", "x", 2)])
    assert periods[0] == "2010" and periods[-1] == "2024" and sum(series["x"]) == 3


def test_stacked_bars_svg() -> None:
    svg = chart.stacked_bars(["2024-01", "2024-02"], {"orgs": [3, 0], "dates": [1, 2]}, chart.FAMILY_COLOURS,
                             "t <&>", "mentions")
    assert svg.startswith("<svg") and svg.count("<rect") == 3  # zero values draw nothing
    assert "t &lt;&amp;&gt;" in svg
    assert chart.nice_step(37) == 10 and chart.nice_step(2.4e9) == 5e8
    assert chart.short_number(2_500_000_000) == "2.5B" and chart.short_number(12) == "12"


def test_metadata_and_canned_queries_parse(tmp_path) -> None:
    meta = build_metadata("news")
    assert set(meta["databases"]) == {"news"} and meta["plugins"]["khaosan"]["database"] == "news"
    db = sqlite3.connect(tmp_path / "empty.sqlite")
    from khaosan.outputs import search_index
    from khaosan.outputs.sqlite import create_schema

    create_schema(db)
    search_index.install(db)
    for name, q in canned_queries().items():
        params = {p: "" for p in re.findall(r"(?<!:):(\w+)", q["sql"])}
        db.execute(q["sql"], params).fetchall()  # every canned query is valid SQL on the schema
    tables = meta["databases"]["news"]["tables"]
    for table, conf in tables.items():
        cols = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
        for facet in conf.get("facets", []):
            column = facet if isinstance(facet, str) else next(iter(facet.values()))
            assert column in cols, (table, facet)
        assert set(conf.get("columns", {})) <= cols, table


def test_excel_renderer_fallback_writes_bom_csv() -> None:
    import csv
    import io

    from khaosan.outputs.web.plugin import _render_excel

    response = _render_excel([{"doc_id": "a", "title": "ดีป้า, \"ทูต\""}], ["doc_id", "title"])
    assert response.body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows == [["doc_id", "title"], ["a", 'ดีป้า, "ทูต"']]
