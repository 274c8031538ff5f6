"""``khaosan serve``: Datasette on a dataset, read-only, with khaosan's plugin and metadata.

A plain function with typer annotations, registered in ``cli.py``; Datasette
and uvicorn are imported inside it so ``khaosan --help`` stays fast.
"""
from __future__ import annotations

import ipaddress
import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer

from khaosan.outputs import search_index

# Server settings: visitors' SQL is read-only (immutable file) and time-limited.
SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 3000,       # any one query, visitor SQL included
    "facet_time_limit_ms": 1500,     # facets on name columns of a large dataset
    "facet_suggest_time_limit_ms": 200,
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "default_facet_size": 30,
    "truncate_cells_html": 400,      # long text in tables; article text gets snippets anyway
    "allow_download": True,          # the .sqlite file itself: read-only, the reporter's own copy
    "suggest_facets": False,         # our facets are configured; suggestions cost a query per column
    "num_sql_threads": 3,
}


def dataset_file(dataset: Path) -> Path:
    """The SQLite file of a dataset given as its folder or as the file; ValueError saying why it is not one."""
    path = dataset / "khaosan.sqlite" if dataset.is_dir() else dataset
    if not path.exists():
        raise ValueError(f"{path}: no such file" + (" (is this a dataset folder from `khaosan extract`?)"
                                                    if dataset.is_dir() else ""))
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise ValueError(f"{path}: not a SQLite database")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as e:
        raise ValueError(f"{path}: unreadable SQLite database ({e})") from None
    finally:
        db.close()
    missing = {"articles", "mentions"} - tables
    if missing:
        raise ValueError(f"{path}: not a khaosan dataset (no {', '.join(sorted(missing))} table)")
    return path


def _build_index(path: Path, missing_ok: bool = False) -> None:
    """Build the search index in place, saying so.

    A file this user may not write (its folder too: SQLite writes a journal
    beside it) is an error for ``khaosan index``; for ``serve`` (``missing_ok``)
    a warning, since search still answers through LIKE, only slower.
    """
    import os
    import time

    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        message = f"{path} has no search index and cannot be written here"
        if not missing_ok:
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(1)
        typer.echo(f"warning: {message}: search works, but slowly (run `khaosan index` where it is writable)",
                   err=True)
        return
    doing = "checking" if search_index.has_index(path) else "building"
    typer.echo(f"khaosan: {doing} the Thai search index of {path} (once)...", err=True)
    t0 = time.perf_counter()
    try:
        rebuilt = search_index.build(path)
    except sqlite3.Error as e:
        typer.echo(f"error: {path}: could not build the search index ({e})", err=True)
        raise typer.Exit(1) from None
    what = ", ".join(rebuilt) if rebuilt else "already up to date"
    typer.echo(f"khaosan: search index ready in {time.perf_counter() - t0:.1f} s ({what})", err=True)


def _dataset_or_exit(dataset: Path) -> Path:
    """The dataset's SQLite file, or exit 2 saying why it is not one."""
    try:
        return dataset_file(dataset)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None


def index(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (from extract or ingest) or its khaosan.sqlite.")],
) -> None:
    """Build the Thai full-text search index of a dataset (serve does it on first start; ingest keeps it current)."""
    _build_index(_dataset_or_exit(dataset))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_datasette(path: Path, settings: dict[str, Any] | None = None) -> Any:
    """A Datasette serving ``path`` immutable (opened read-only), with khaosan's metadata and settings."""
    from datasette.app import Datasette

    from khaosan.outputs.web.metadata import build_metadata

    name = path.stem  # Datasette names a database after its file
    return Datasette([], immutables=[str(path)], metadata=build_metadata(name),
                     settings={**SETTINGS, **(settings or {})}, cors=False)


def serve(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (from extract or ingest) or its khaosan.sqlite.")],
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on; the default keeps the server on this machine.")]
    = "127.0.0.1",
    sql_time_limit_ms: Annotated[int, typer.Option(help="Time limit of any one SQL query, in ms.")]
    = SETTINGS["sql_time_limit_ms"],
    index: Annotated[bool, typer.Option("--index/--no-index", help=(
        "Build the Thai search index first if the dataset has none (once; it stays in the file)."))] = True,
) -> None:
    """Browse and query a dataset in the browser (Datasette, read-only): Thai search, fact cards, map, chart."""
    path = _dataset_or_exit(dataset)
    if not is_loopback(host):
        typer.echo(f"warning: listening on {host}, not on this machine only: anyone who can reach it can read "
                   "the whole dataset (it stays read-only)", err=True)
    if index and not search_index.has_index(path):
        _build_index(path, missing_ok=True)

    import uvicorn
    from datasette.cli import check_databases, run_sync  # loads Datasette's default plugins first

    import datasette.handle_exception as default_errors

    # Datasette prints every visitor error (a bad SQL query, a 404) as a full traceback
    # with its locals; our plugin logs server errors instead (handle_exception hook).
    default_errors.rich = None

    ds = make_datasette(path, {"sql_time_limit_ms": sql_time_limit_ms})
    run_sync(ds.invoke_startup)
    run_sync(lambda: check_databases(ds))
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"khaosan serve: {path} read-only at http://{shown}:{port}/-/khaosan (Ctrl-C stops)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
