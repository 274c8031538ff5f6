"""``khaosan ingest``, ``status``, ``export`` and ``reprocess``: thin commands over the library functions.

Plain functions with typer annotations, registered in :mod:`khaosan.pipeline.cli`;
everything heavy is imported inside them so ``khaosan --help`` stays fast.
"""
from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

LogFormat = Annotated[Optional[str], typer.Option(
    "--log-format", help="Log lines on stderr: text, or json (one JSON object per event) [default: the config "
                         "file's log_format, else text].", show_default=False)]


def _setup_logging(fmt: str, verbose: bool) -> None:
    from khaosan.pipeline.ingest_log import LOG_FORMATS, configure

    if fmt not in LOG_FORMATS:
        typer.echo(f"error: --log-format must be text or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    configure(fmt)
    logging.getLogger("khaosan.ingest").setLevel(logging.DEBUG if verbose else logging.INFO)


class _SigtermStop:
    """SIGTERM (systemctl stop, a timeout) stops the run between two writes, like Ctrl-C.

    The first SIGTERM asks the run to stop and record it; a second one ends the process
    at once (the default action), which is still safe: every commit is atomic.
    """

    def __enter__(self) -> _SigtermStop:
        from khaosan.pipeline.ingest import Interrupted

        def stop(signum: int, frame: Any) -> None:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            raise Interrupted()

        self.previous = signal.signal(signal.SIGTERM, stop)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGTERM, self.previous)


def _guarded(job: Any) -> Any:
    """Run the job with SIGTERM handling; a signal landing while the run is being closed still exits 3."""
    from khaosan.pipeline.ingest import EXIT_ABORTED, Interrupted

    try:
        with _SigtermStop():
            return job()
    except (Interrupted, KeyboardInterrupt):
        typer.echo("stopped by a signal while closing the run; committed articles are kept", err=True)
        raise typer.Exit(EXIT_ABORTED) from None


def _finish(report: Any, fmt: str) -> None:
    """The summary on stdout (text mode; a locked or misconfigured run has said why on stderr already)."""
    if fmt == "text" and report.status not in ("config", "locked"):
        for line in report.lines():
            typer.echo(line)
    raise typer.Exit(report.exit_code)


def ingest(
    sources: Annotated[Optional[list[str]], typer.Argument(
        help="Folders, corpus files (.jsonl .jsonl.gz .csv ...) and URLs of RSS/Atom feeds, sitemaps or "
             "article pages. Given here, they replace the config file's sources.", show_default=False)] = None,
    db: Annotated[Optional[Path], typer.Option("--db", help="The dataset file (SQLite), created if missing.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="khaosan.toml with [ingest] db, "
                                                   "sources and settings, [fetch], [pipeline].")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only items dated from then: 2024-01-31, "
                                                     "2024-01-31T08:00+07:00, or 7d / 48h back from now.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only items dated until then (same forms).")] = None,
    max_attempts: Annotated[Optional[int], typer.Option(help="Failed attempts before an item is quarantined "
                                                             "[default: 5].")] = None,
    quarantine_retry: Annotated[Optional[str], typer.Option(help="Try quarantined sources and pages again after "
                                                                 "this long, e.g. 24h [default: 24h].")] = None,
    retry_quarantined: Annotated[bool, typer.Option("--retry-quarantined", help="Release every quarantined "
                                                    "failure and try it again now.")] = False,
    log_format: LogFormat = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also log unchanged articles.")] = False,
) -> None:
    """Add new and changed articles from SOURCEs to one persistent dataset (safe to re-run, kill and rerun).

    Run it from a timer: unchanged articles are skipped, changed ones have their facts replaced, failures
    are recorded and retried on later runs. Exit codes: 0 success; 1 partial failure (some sources or
    articles failed, recorded in the failures table); 2 configuration error (bad config, option or
    dataset path); 3 run aborted (unexpected error, SIGTERM or SIGINT; committed articles are kept);
    75 dataset locked by another run.
    """
    from khaosan.pipeline.ingest import EXIT_CONFIG, run_ingest
    from khaosan.pipeline.ingest_config import ConfigError, IngestConfig, load_config, parse_duration, parse_when

    fmt = log_format or "text"
    try:
        cfg = load_config(config) if config else IngestConfig()
        fmt = log_format or cfg.log_format  # the command line wins over the file
        _setup_logging(fmt, verbose)
        cfg = cfg.replace(
            db=db, sources=tuple(sources) if sources else None, max_attempts=max_attempts,
            since=parse_when(since, "--since") if since else None,
            until=parse_when(until, "--until") if until else None,
            quarantine_retry=parse_duration(quarantine_retry, "--quarantine-retry") if quarantine_retry else None,
            log_format=fmt)
        cfg.check()
    except ConfigError as e:
        typer.echo(f"configuration error: {e}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None
    report = _guarded(lambda: run_ingest(cfg, retry_quarantined=retry_quarantined))
    _finish(report, fmt)


def status(
    dataset: Annotated[Path, typer.Argument(help="The dataset file written by khaosan ingest.")],
    max_age: Annotated[Optional[str], typer.Option(help="Exit 1 when the last completed ingest run finished "
                                                        "longer ago than this (e.g. 2h), or never did.")] = None,
    runs: Annotated[int, typer.Option(help="How many recent runs to list.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as one JSON object.")] = False,
) -> None:
    """Last runs, sources and open failures of a dataset; a health check for monitoring.

    Exit codes: 0 healthy; 1 stale (no completed ingest run within --max-age, or none at all);
    2 the dataset cannot be read.
    """
    import json

    from khaosan.outputs.store import StoreError
    from khaosan.pipeline.ingest_config import ConfigError, parse_duration
    from khaosan.pipeline.ingest_status import STATUS_UNREADABLE
    from khaosan.pipeline.ingest_status import status as get_status

    try:
        age = parse_duration(max_age, "--max-age") if max_age else None
        report = get_status(dataset, age, runs)
    except (ConfigError, StoreError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(STATUS_UNREADABLE) from None
    except Exception as e:  # a damaged file: say so, and let monitoring alert
        typer.echo(f"error: {dataset}: cannot read the dataset: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(STATUS_UNREADABLE) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            typer.echo(line)
    raise typer.Exit(report.exit_code)


def export(
    dataset: Annotated[Path, typer.Argument(help="The dataset file written by khaosan ingest.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables.")],
    formats: Annotated[str, typer.Option(help="Comma list of parquet,csv,jsonl.")] = "parquet,csv,jsonl",
) -> None:
    """Write the dataset's tables as Parquet, CSV (UTF-8 with BOM) and facts.jsonl. Exit 2 on a bad dataset."""
    from khaosan.outputs.export import export as run_export
    from khaosan.outputs.store import StoreError

    try:
        summary = run_export(dataset, out, tuple(f for f in formats.split(",") if f))
    except (StoreError, ValueError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    for line in summary.lines():
        typer.echo(line)


def reprocess(
    dataset: Annotated[Path, typer.Argument(help="The dataset file written by khaosan ingest.")],
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="khaosan.toml for [pipeline] "
                                                   "settings.")] = None,
    log_format: LogFormat = None,
) -> None:
    """Re-extract the articles an older pipeline version made, from their stored text.

    Takes the same lock as ingest. Exit codes: 0 success; 1 some articles failed; 2 configuration error;
    3 aborted; 75 locked.
    """
    from khaosan.pipeline.ingest import EXIT_CONFIG, reprocess as run_reprocess
    from khaosan.pipeline.ingest_config import ConfigError, load_config
    from khaosan.pipeline.settings import Settings

    fmt = log_format or "text"
    _setup_logging(fmt, False)
    try:
        settings = load_config(config).settings if config else Settings.from_env()
    except ConfigError as e:
        typer.echo(f"configuration error: {e}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None
    report = _guarded(lambda: run_reprocess(dataset, settings))
    _finish(report, fmt)
