"""The ``khaosan`` command: thin commands over the library functions.

Heavy modules (pythainlp, pandas, pyarrow, spaCy) are imported inside the
commands, so ``khaosan --help`` answers at once.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="khaosan: Thai news in, verifiable structured facts out.")
log = logging.getLogger("khaosan")


def _estimate_total(paths: list[Path]) -> int | None:
    """Articles to expect, for the progress bar; None when a compressed corpus makes it unknown."""
    total = 0
    for p in paths:
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            name = f.name.lower()
            if name.endswith((".gz",)):
                return None
            if name.endswith((".jsonl", ".csv")):
                with f.open("rb") as fh:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
            elif name.endswith((".txt", ".html", ".htm")):
                total += 1
    return total


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files (.txt .html .jsonl .jsonl.gz .csv) and folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the dataset.")],
    workers: Annotated[Optional[int], typer.Option(
        min=0, help="Worker processes: 0 = one per CPU core (default 1, or KHAOSAN_WORKERS).")] = None,
    batch_size: Annotated[Optional[int], typer.Option(help="Articles per output batch.")] = None,
    tokenizer: Annotated[Optional[str], typer.Option(help="nlpo3 or newmm.")] = None,
    sentences: Annotated[Optional[str], typer.Option(help="rules or crfcut.")] = None,
    formats: Annotated[Optional[str], typer.Option(help="Comma list of jsonl,parquet,csv,sqlite.")] = None,
    column: Annotated[Optional[list[str]], typer.Option(
        help="Map a corpus column: FIELD=COLUMN (fields: id,url,published,title,body). Repeatable.")] = None,
    dask: Annotated[Optional[str], typer.Option(
        help="Run on a Dask cluster: scheduler address (tcp://host:8786) or 'local'.")] = None,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress",
                                                     help="Progress bar (default: on a terminal).")] = None,
    search_index: Annotated[Optional[bool], typer.Option(
        "--search-index/--no-search-index",
        help="Also build the SQLite file's Thai search index (default: no; `khaosan serve` builds it once).")] = None,
    parts: Annotated[Optional[bool], typer.Option(
        "--parts/--no-parts",
        help="Workers write the dataset themselves in numbered parts (for clusters; resumable).")] = None,
    part_size: Annotated[Optional[int], typer.Option(help="Articles per part with --parts (default 1024).")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="With --parts: go on from the parts an interrupted run into --out wrote.")] = False,
) -> None:
    """Extract facts from Thai articles into a dataset folder."""
    from khaosan.outputs.dataset import run_extract
    from khaosan.pipeline.progress import reporter
    from khaosan.pipeline.settings import Settings

    settings = Settings.from_env()
    columns = dict(settings.columns)
    for spec in column or []:
        key, sep, value = spec.partition("=")
        if not sep or key not in columns:
            raise typer.BadParameter(f"--column wants FIELD=COLUMN with FIELD in {sorted(columns)}, got {spec!r}")
        columns[key] = value
    settings = settings.replace(workers=workers, batch_size=batch_size, tokenizer=tokenizer, sentences=sentences,
                                formats=tuple(formats.split(",")) if formats else None, columns=columns,
                                dask=dask, search_index=search_index, parts=parts or (True if resume else None),
                                part_size=part_size)
    missing = [str(p) for p in inputs if not p.exists()]
    for m in missing:
        typer.echo(f"error: {m}: no such file or folder", err=True)
    inputs = [p for p in inputs if p.exists()]
    show_bar = sys.stderr.isatty() if progress is None else progress
    from khaosan.outputs.parts import ResumeRefused
    from khaosan.pipeline.ingest import EXIT_LOCKED
    from khaosan.pipeline.ingest_lock import Locked
    from khaosan.pipeline.parallel import WorkersFailed

    try:
        with reporter(_estimate_total(inputs) if show_bar else None, show_bar) as rep:
            summary = run_extract(inputs, out, settings, progress=rep.advance, on_error=rep.error, resume=resume)
    except WorkersFailed as e:  # the dataset holds every batch written before it
        typer.echo(f"error: {e}; {out} holds what was extracted before", err=True)
        raise typer.Exit(1) from None
    except ResumeRefused as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    except Locked as e:  # another extract --parts works on this folder
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(EXIT_LOCKED) from None
    for line in summary.lines():
        typer.echo(line)
    if summary.articles == 0:
        typer.echo("warning: no article was read", err=True)
    raise typer.Exit(1 if missing and not summary.articles else 0)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold facts JSONL (SCHEMA.md).")],
    predicted: Annotated[Path, typer.Argument(help="Predicted facts JSONL (facts.jsonl of a run).")],
    errors: Annotated[bool, typer.Option("--errors", help="List every miss and extra.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score a facts file against a gold file: per-field precision, recall and F1."""
    import json

    from khaosan.outputs.evaluate import format_table, score_files

    try:
        scores = score_files(gold, predicted)
    except (OSError, ValueError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps({k: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp,
                                   "fp": s.fp, "fn": s.fn} for k, s in scores.items()}, indent=2))
    else:
        typer.echo(format_table(scores))
    if errors:
        for s in scores.values():
            for line in s.errors:
                typer.echo(line)


@app.command()
def bench(
    corpus: Annotated[Path, typer.Argument(help="Corpus file or folder.")] = Path("../shared/corpus/thaigov/sample-2000.jsonl"),
    limit: Annotated[int, typer.Option(help="Articles to use (0 = all).")] = 0,
    workers: Annotated[int, typer.Option(help="Workers for the parallel pipeline run.")] = 2,
    only: Annotated[Optional[str], typer.Option(help="Comma list of read,newmm,nlpo3,spacy,pipeline,parts.")] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Runs of each measure (in rounds); the median run is shown.")] = 1,
) -> None:
    """Throughput of the pipeline (1 and N workers) next to tokenizer floors, with a per-stage breakdown
    and issue 3's targets."""
    import os
    import platform

    from khaosan.pipeline.bench import KINDS, format_rows, run_bench

    kinds = only.split(",") if only else list(KINDS)
    typer.echo(f"corpus {corpus}, machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    typer.echo(format_rows(run_bench(corpus, limit or None, workers, kinds, repeat), workers))


@app.command("extractors")
def list_extractors() -> None:
    """List the available extractors (built-in and plugins)."""
    from khaosan.extractors.registry import BUILTINS, available

    for name, target in available().items():
        typer.echo(f"{name:<10} {target}{'' if name in BUILTINS else '  (plugin)'}")


@app.command()
def version() -> None:
    """Print the package and rules version."""
    from khaosan.pipeline.version import pipeline_version

    typer.echo(pipeline_version())


# Commands that live in their own modules (plain functions with typer annotations),
# registered here so `khaosan --help` lists them all. Keep imports light (typer only).
# -- journalists: serve (issue 4) --
from khaosan.pipeline.cli_serve import index, serve  # noqa: E402

app.command()(serve)
app.command()(index)
# -- journalists: query (issue 4) --
from khaosan.pipeline.cli_query import query  # noqa: E402

app.command()(query)
# -- ingestion: ingest, status, export, reprocess (issue 5) --
from khaosan.pipeline import cli_ingest  # noqa: E402

for _command in (cli_ingest.ingest, cli_ingest.status, cli_ingest.export, cli_ingest.reprocess):
    app.command()(_command)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    app()


if __name__ == "__main__":
    main()
