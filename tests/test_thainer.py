"""Outside recall benchmark: ThaiNER 1.5 test split (../shared/gold/thainer-1.5, CC BY 3.0).

Each line is run through the pipeline as an article without a publication date.
A MONEY span counts as found when a figure in a currency (unit THB, USD, ...) has
evidence overlapping it; a DATE span that carries a year counts as found when a
date has evidence overlapping it.  Spans of relative or yearless dates cannot
be resolved without a publication date and are not counted.

Run as a script for the numbers and the missed spans:
    .venv/bin/python tests/test_thainer.py [--misses]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

MARKUP = re.compile(r"\[(/?)([A-Z_]+)\]")
CURRENCY = re.compile(r"^[A-Z]{3}$")
# A year in a DATE span: four digits, or two digits after a month or a year word (ก.ย. 63, ปี'62, พ.ศ. 58).
_THAI_DIGITS = str.maketrans({chr(0x0E50 + d): str(d) for d in range(10)})
HAS_YEAR = re.compile(
    r"(?<!\d)\d{4}(?!\d)"
    r"|(?:[ก-ฮ]\.[ก-ฮ]\.|[ก-ฮ]{2}\.|คม|ยน|พันธ์|ปี|พ\.ศ\.?|ค\.ศ\.?)\s*['’]?\d{2}(?!\d)")

MONEY_FLOOR = 0.80
DATE_FLOOR = 0.95


def parse_line(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Strip ``[LABEL]...[/LABEL]`` markup: the plain text and its (label, start, end) spans."""
    out: list[str] = []
    spans: list[tuple[str, int, int]] = []
    open_at: dict[str, int] = {}
    pos = 0
    length = 0
    for m in MARKUP.finditer(line):
        chunk = line[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        closing, label = m.group(1) == "/", m.group(2)
        if closing:
            if label in open_at:
                spans.append((label, open_at.pop(label), length))
        else:
            open_at[label] = length
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), spans


def measure(pipeline, path: Path) -> dict[str, object]:
    from khaosan.corpus.article import Article

    counts = {"MONEY": [0, 0], "DATE": [0, 0]}
    misses: dict[str, list[str]] = {"MONEY": [], "DATE": []}
    for n, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
        text, spans = parse_line(raw)
        wanted = [(lab, s, e) for lab, s, e in spans if lab in counts and text[s:e].strip()]
        if not wanted:
            continue
        doc = pipeline(Article(doc_id=f"thainer-{n}", text=text))
        money_ev = [(ev["start"], ev["end"]) for f in doc.facts_of("figures")
                    if CURRENCY.match(str(f.attrs.get("unit") or "")) for ev in f.evidence()]
        date_ev = [(ev["start"], ev["end"]) for f in doc.facts_of("dates") for ev in f.evidence()]
        for lab, s, e in wanted:
            surface = text[s:e]
            if lab == "DATE" and not HAS_YEAR.search(surface.translate(_THAI_DIGITS)):
                continue
            evidence = money_ev if lab == "MONEY" else date_ev
            counts[lab][1] += 1
            if any(es < e and ee > s for es, ee in evidence):
                counts[lab][0] += 1
            else:
                misses[lab].append(f"{surface!r} in …{text[max(0, s - 40):e + 30]!r}")
    return {"counts": counts, "misses": misses}


@pytest.fixture(scope="module")
def thainer(pipeline, shared):
    path = shared / "gold" / "thainer-1.5" / "test.txt"
    if not path.exists():
        pytest.skip("ThaiNER 1.5 test split is absent")
    return measure(pipeline, path)


def test_money_recall(thainer):
    found, total = thainer["counts"]["MONEY"]
    assert total > 100
    assert found / total >= MONEY_FLOOR, thainer["misses"]["MONEY"][:20]


def test_dated_date_recall(thainer):
    found, total = thainer["counts"]["DATE"]
    assert total > 50
    assert found / total >= DATE_FLOOR, thainer["misses"]["DATE"][:20]


if __name__ == "__main__":  # pragma: no cover - a measuring script
    from khaosan.pipeline.runner import Pipeline
    from khaosan.pipeline.settings import Settings

    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    result = measure(Pipeline(Settings(extractors=("figures", "dates"))), shared / "gold/thainer-1.5/test.txt")
    for label, (found, total) in result["counts"].items():
        print(f"{label}: {found}/{total} = {found / max(total, 1):.3f}")
        if "--misses" in sys.argv:
            for miss in result["misses"][label]:
                print("   ", miss)
