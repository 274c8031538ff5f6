"""Outside benchmark: recall of ThaiNER 1.5's human-tagged PERSON spans.

Each line of the ThaiNER 1.5 test split is read as an article on its own (markup
removed); a PERSON span counts as found when the evidence of some extracted
person overlaps it.  Skipped when ../shared is absent.
"""
from __future__ import annotations

import re
from pathlib import Path

from khaosan.corpus.article import Article

RECALL_FLOOR = 0.75
_TAG = re.compile(r"\[(/?)([A-Z_]+)\]")


def parse_line(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """ThaiNER markup → plain text and the (start, end, label) spans in it."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_at: dict[str, int] = {}
    pos, length = 0, 0
    for m in _TAG.finditer(line):
        out.append(line[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        closing, label = m.group(1) == "/", m.group(2)
        if not closing:
            open_at[label] = length
        elif label in open_at:
            spans.append((open_at.pop(label), length, label))
    out.append(line[pos:])
    return "".join(out), spans


def test_parse_line() -> None:
    text, spans = parse_line("[DATE]วานนี้[/DATE] [PERSON]นายสมชาย ใจดี[/PERSON] กล่าว")
    assert text == "วานนี้ นายสมชาย ใจดี กล่าว"
    assert [(text[s:e], lab) for s, e, lab in spans] == [("วานนี้", "DATE"), ("นายสมชาย ใจดี", "PERSON")]


def person_recall(pipeline, path: Path) -> tuple[int, int, list[str]]:
    found = total = 0
    missed: list[str] = []
    for i, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
        text, spans = parse_line(raw)
        persons = [s for s in spans if s[2] == "PERSON"]
        if not persons:
            continue
        doc = pipeline(Article(doc_id=f"thainer-{i}", text=text))
        evidence = [(ev["start"], ev["end"]) for f in doc.facts_of("persons") for ev in f.to_item()["evidence"]]
        for s, e, _ in persons:
            total += 1
            if any(a < e and s < b for a, b in evidence):
                found += 1
            else:
                missed.append(text[s:e])
    return found, total, missed


def test_thainer_person_recall(pipeline, shared) -> None:
    path = shared / "gold" / "thainer-1.5" / "test.txt"
    found, total, missed = person_recall(pipeline, path)
    assert total > 500
    recall = found / total
    assert recall >= RECALL_FLOOR, f"PERSON recall {recall:.3f} ({found}/{total}); missed e.g. {missed[:20]}"
