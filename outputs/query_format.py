"""Query results for people and for programs: a terminal table, CSV and JSON lines.

The table shows each fact, its article and the sentence that states it with the
fact marked.  Widths come from rich, which counts Thai combining vowels and tone
marks (Unicode Mn/Me: ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ ํ) as zero columns, so Thai rows line up.
The sentence is cut to ``context`` characters each side of the fact, never
between a letter and its marks.

CSV has one row per fact: the family fields (lists as JSON text, as in the
dataset's own CSV), the article, the first piece of evidence in plain columns
and every piece in ``evidence`` (JSON).  JSON lines carry ``FactHit.to_item()``.
"""
from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from khaosan.outputs.query import FAMILY_FIELDS, Evidence, FactHit

MARK_STYLE = "bold black on yellow"  # readable on dark and light terminals
ELLIPSIS = "…"

CSV_TAIL = ("rule", "rules", "n_mentions", "title", "published", "url", "evidence_text", "evidence_start",
            "evidence_end", "sentence", "evidence")


def csv_columns(family: str) -> list[str]:
    return ["family", "id", "doc_id", *FAMILY_FIELDS[family], *CSV_TAIL]


# -- pieces ---------------------------------------------------------------------------


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


def snippet(sentence: str, start: int, end: int, context: int) -> tuple[str, str, str, bool, bool]:
    """(before, fact, after, cut before, cut after) for ``sentence[start:end]`` with ``context`` chars around.

    ``context`` <= 0 keeps the whole sentence.  A cut never leaves a combining
    mark without its letter, and prefers a space within a few characters.
    """
    lo, hi = 0, len(sentence)
    if context > 0:
        lo, hi = max(0, start - context), min(len(sentence), end + context)
        if lo > 0:
            space = sentence.find(" ", lo, min(start, lo + 12))
            lo = space + 1 if space >= 0 else lo
            while lo < start and _is_mark(sentence[lo]):
                lo += 1
        if hi < len(sentence):
            space = sentence.rfind(" ", max(end, hi - 12), hi)
            hi = space if space >= 0 else hi
            while hi < len(sentence) and _is_mark(sentence[hi]):
                hi += 1
    return sentence[lo:start], sentence[start:end], sentence[end:hi], lo > 0, hi < len(sentence)


def marked_sentence(ev: Evidence, context: int, plain: bool) -> Text:
    """The evidence sentence with the fact marked (a highlight, or «» when ``plain``)."""
    if ev.sentence is not None and ev.sentence_start is not None:
        s, e = ev.start - ev.sentence_start, ev.end - ev.sentence_start
        if 0 <= s <= e <= len(ev.sentence) and ev.sentence[s:e] == ev.text:
            before, fact, after, cut_l, cut_r = snippet(ev.sentence, s, e, context)
        else:  # a mention running past its sentence's end: show it alone
            before, fact, after, cut_l, cut_r = "", ev.text, "", True, True
    else:
        before, fact, after, cut_l, cut_r = "", ev.text, "", False, False
    out = Text(ELLIPSIS if cut_l else "")
    out.append(before)
    out.append(f"«{fact}»" if plain else fact, style=None if plain else MARK_STYLE)
    out.append(after)
    if cut_r:
        out.append(ELLIPSIS)
    return out


def _number(value: float | int | None) -> str:
    if value is None:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def fact_label(hit: FactHit) -> Text:
    """The fact in a few words: the name, or the amount with its unit, or the date."""
    f = hit.fields
    out = Text()
    if hit.family == "figures":
        if f.get("qualifier"):
            out.append(str(f["qualifier"]).replace("_", " ") + " ", style="dim")
        out.append(_number(f.get("value")), style="bold")
        if f.get("unit"):
            out.append(f["unit"] if f["unit"] == "%" else f" {f['unit']}")
        about = (f.get("about") or "").lstrip()
        while about and _is_mark(about[0]):  # a context cut inside a letter cluster: show from the next letter
            about = about[1:]
        if about:
            out.append(f"\n{about}", style="dim")
    elif hit.family == "dates":
        out.append(str(f.get("value") or "?"), style="bold")
        if f.get("text"):
            out.append(f"\n{f['text']}", style="dim")
    else:
        out.append(str(f.get("name") or "?"), style="bold")
        extra = {"persons": "; ".join(f.get("roles") or []), "orgs": f.get("type") or "",
                 "provinces": f.get("iso") or "", "programs": ""}[hit.family]
        if extra:
            out.append(f"\n{extra}", style="dim")
    return out


def _article_label(hit: FactHit) -> Text:
    # the id links to the source in terminals that support hyperlinks (OSC 8); elsewhere it is plain text
    out = Text()
    out.append(hit.doc_id, style=f"link {hit.url}" if hit.url and hit.url.startswith(("http://", "https://")) else "")
    out.append(f"\n{hit.published or 'no date'}", style="dim")
    return out


# -- writers --------------------------------------------------------------------------


def write_table(hits: Iterable[FactHit], family: str, console: Console, *, context: int = 80) -> int:
    """Print the hits as a table; returns how many were printed."""
    plain = console.no_color or console.color_system is None
    table = Table(show_lines=True, header_style="bold")
    # fold, never crop: a long Thai run without spaces must show whole (it may be the evidence)
    table.add_column({"figures": "Figure", "dates": "Date"}.get(family, family[:-1].capitalize()), ratio=2,
                     overflow="fold")
    table.add_column("Article", ratio=2, overflow="fold")
    table.add_column("Said in", ratio=6, overflow="fold")
    n = 0
    for hit in hits:
        n += 1
        if hit.evidence:
            sentence = marked_sentence(hit.evidence[0], context, plain)
            more = len(hit.evidence) - 1
            if more:
                sentence.append(f"\n(+{more} more)", style="dim")
        else:
            sentence = Text("(no evidence stored)", style="dim")
        table.add_row(fact_label(hit), _article_label(hit), sentence)
    if n:
        console.print(table)
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def csv_rows(hits: Iterable[FactHit], family: str) -> Iterator[list[Any]]:
    for hit in hits:
        item = hit.to_item()
        first = hit.evidence[0] if hit.evidence else None
        row = [family, hit.fact_id, hit.doc_id, *(item[c] for c in FAMILY_FIELDS[family]), hit.rule, hit.rules,
               hit.n_mentions, hit.title, hit.published, hit.url,
               first.text if first else None, first.start if first else None, first.end if first else None,
               first.sentence if first else None, item["evidence"]]
        yield [_cell(v) for v in row]


def write_csv(hits: Iterable[FactHit], family: str, fh: IO[str], *, bom: bool = False) -> int:
    """CSV with a header row; a UTF-8 BOM first when ``bom`` (Excel needs it to read Thai)."""
    if bom:
        fh.write("\ufeff")
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(csv_columns(family))
    n = 0
    for row in csv_rows(hits, family):
        w.writerow(row)
        n += 1
    return n


def write_jsonl(hits: Iterable[FactHit], fh: IO[str]) -> int:
    n = 0
    for hit in hits:
        fh.write(json.dumps(hit.to_item(), ensure_ascii=False) + "\n")
        n += 1
    return n
