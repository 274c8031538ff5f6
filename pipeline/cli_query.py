"""``khaosan query DATASET FAMILY [filters]``: facts with their evidence, in the terminal or as CSV / JSON lines.

Only typer is imported at module level: ``khaosan --help`` stays fast.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

FORMATS = ("table", "csv", "json")
TABLE_LIMIT = 50  # a terminal table longer than this is rarely read; --limit 0 shows all


def query(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (from extract/ingest) or its khaosan.sqlite.")],
    family: Annotated[str, typer.Argument(
        help="Fact family: persons, orgs, provinces, programs, figures or dates.")],
    person: Annotated[Optional[str], typer.Option(help="Person name or alias (substring).")] = None,
    role: Annotated[Optional[str], typer.Option(help="A person's role (substring), e.g. รัฐมนตรี.")] = None,
    org: Annotated[Optional[str], typer.Option(help="Organisation name, alias or acronym (ดีป้า, DEPA, ครม.).")] = None,
    province: Annotated[Optional[str], typer.Option(help="Province: Thai, English or ISO (เชียงใหม่, Chiang Mai, TH-50).")] = None,
    program: Annotated[Optional[str], typer.Option(help="Program or project name (substring).")] = None,
    unit: Annotated[Optional[str], typer.Option(help="Figure unit: THB, USD, %, คน, ไร่... (บาท, baht → THB).")] = None,
    min_value: Annotated[Optional[str], typer.Option("--min", help="Figure value at least (1e9, 1,000,000).")] = None,
    max_value: Annotated[Optional[str], typer.Option("--max", help="Figure value at most.")] = None,
    date_from: Annotated[Optional[str], typer.Option(
        "--from", help="From YYYY[-MM[-DD]] (BE years ok): article published date; for dates, the date named.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="To YYYY[-MM[-DD]], inclusive (same rule).")] = None,
    search: Annotated[Optional[str], typer.Option("--search", "-s", help="Text in the article title or body.")] = None,
    same_sentence: Annotated[bool, typer.Option(
        "--same-sentence", help="Other families' filters and --search must hit the fact's own sentence.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json (JSON lines).")] = "table",
    limit: Annotated[Optional[int], typer.Option(
        "--limit", "-n", help=f"At most N facts (table default {TABLE_LIMIT}; csv/json default all; 0 = all).")] = None,
    sort: Annotated[str, typer.Option(
        help="relevance (same-sentence hits, then newest), newest, oldest, value (figures, dates).")] = "relevance",
    context: Annotated[int, typer.Option(help="Table: characters of sentence each side of the fact (0 = all).")] = 80,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    bom: Annotated[Optional[bool], typer.Option(
        "--bom/--no-bom", help="CSV: start with a UTF-8 BOM so Excel reads Thai (default: on for --output files).")] = None,
) -> None:
    """Facts of one family matching filters, with the sentence that states them.

    Filters on other families select through the article (figures --province
    เชียงใหม่ = figures of articles naming เชียงใหม่); facts in the same sentence
    come first.  Example: khaosan query DATA figures --unit THB --min 1e9 --format json
    """
    from rich.console import Console

    from khaosan.outputs.query import QueryError, QueryFilters, amount, count_facts, family_name, query_facts
    from khaosan.outputs.query_format import write_csv, write_jsonl, write_table

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format {fmt!r}: not one of {', '.join(FORMATS)}")
    try:
        family = family_name(family)
        filters = QueryFilters(
            person=person, role=role, org=org, province=province, program=program, unit=unit,
            min_value=amount(min_value, "--min") if min_value is not None else None,
            max_value=amount(max_value, "--max") if max_value is not None else None,
            date_from=date_from, date_to=date_to, search=search, same_sentence=same_sentence)
        if limit is None:
            limit = TABLE_LIMIT if fmt == "table" else 0
        hits = query_facts(dataset, family, filters, limit=limit or None, sort=sort)
    except QueryError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None

    use_bom = bom if bom is not None else (fmt == "csv" and output is not None)
    fh = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "table":
            console = Console(file=fh) if output is None else Console(file=fh, no_color=True, width=160)
            n = write_table(hits, family, console, context=context)
        elif fmt == "csv":
            n = write_csv(hits, family, fh, bom=use_bom)
        else:
            n = write_jsonl(hits, fh)
    except QueryError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    finally:
        if output:
            fh.close()
    if n == 0:
        typer.echo("no facts match", err=True)
    elif fmt == "table":
        total = count_facts(dataset, family, filters) if limit and n >= limit else n
        more = f"; showing {n} (--limit 0 for all)" if total > n else ""
        typer.echo(f"{total} fact{'s' if total != 1 else ''}{more}", err=True)
