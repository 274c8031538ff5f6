"""The scheduled job: collect new articles from sources, extract their facts, add them to one dataset.

``ingest(...)`` (and ``run_ingest(config)``) is what ``khaosan ingest`` and a timer
call.  A run:

1. takes the dataset's lock (:mod:`khaosan.pipeline.ingest_lock`): a second run exits at once;
2. marks runs left ``running`` by a killed process as ``killed``, opens its own ``runs`` row;
3. retries web pages that failed on earlier runs (``fetch_article``);
4. reads every source in order: folders and corpus files through
   :func:`khaosan.corpus.readers.read_paths`, feed / sitemap / page URLs through
   :func:`khaosan.corpus.fetch.sources.iter_url_source`;
5. for each article compares its content hash and pipeline version with the
   stored ones: unchanged articles cost one lookup; new and changed ones are
   extracted and written with :meth:`Store.replace_article` (one transaction);
6. records what failed in ``failures`` (attempts, first/last seen; quarantined
   after ``max_attempts``) and clears what now succeeds;
7. closes the ``runs`` row with its counts and releases the lock.

Articles are keyed by ``doc_id`` (the corpus id, the file name, or the canonical
URL's id).  The same id read twice in one run with different text is a failure
(the first one wins), so two runs over the same sources always agree.
"""
from __future__ import annotations

import logging
import os
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khaosan.corpus.article import Article, ReadError
from khaosan.outputs.store import Failure, SqliteValidators, Store, StoreError, parse_utc
from khaosan.pipeline.ingest_config import ConfigError, IngestConfig, fetch_settings, is_url
from khaosan.pipeline.ingest_lock import DatasetLock, Locked
from khaosan.pipeline.ingest_log import EventLog
from khaosan.pipeline.settings import Settings

if TYPE_CHECKING:
    from khaosan.pipeline.runner import Pipeline

#: Exit codes of ``khaosan ingest`` and ``khaosan reprocess`` (README, ``--help``).
EXIT_OK = 0  # every source and article read (or unchanged)
EXIT_PARTIAL = 1  # the run finished, but some sources or articles failed (see ``khaosan status``)
EXIT_CONFIG = 2  # bad config file, option or argument, or a dataset that cannot be opened
EXIT_ABORTED = 3  # the run stopped early: unexpected error (disk full...) or SIGTERM/SIGINT
EXIT_LOCKED = 75  # another run holds the dataset's lock (EX_TEMPFAIL: try again later)

EXIT_CODES = {EXIT_OK: "success", EXIT_PARTIAL: "partial failure: some sources or articles failed",
              EXIT_CONFIG: "configuration error", EXIT_ABORTED: "run aborted (error or signal)",
              EXIT_LOCKED: "dataset locked by another run"}


class Interrupted(BaseException):
    """Raised by the CLI's SIGTERM handler: the run stops between two articles and records why."""


@dataclass(slots=True)
class RunReport:
    """What one run did; ``exit_code`` is the process exit code for it."""

    kind: str
    status: str  # ok | partial | failed | interrupted | locked | config
    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)  # "kind location: reason" of this run's failures
    quarantined: list[str] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "partial": EXIT_PARTIAL, "config": EXIT_CONFIG,
                "locked": EXIT_LOCKED}.get(self.status, EXIT_ABORTED)

    def lines(self) -> list[str]:
        c = self.counts
        if self.status in ("locked", "config"):
            return [self.message]
        out = [f"run {self.run_id} ({self.kind}) {self.status} in {self.seconds:.1f} s: "
               f"articles {c['articles_new']} new, {c['articles_updated']} updated, "
               f"{c['articles_reprocessed']} reprocessed, {c['articles_unchanged']} unchanged, "
               f"{c['articles_failed']} failed, {c['articles_skipped']} skipped; "
               f"facts {c['facts_added']} added, {c['facts_removed']} removed; "
               f"{c['sources_failed']} sources failed"]
        out += [f"failed: {f}" for f in self.failed[:20]]
        if len(self.failed) > 20:
            out.append(f"... and {len(self.failed) - 20} more (khaosan status DATASET)")
        out += [f"quarantined (attempts used up, retried after quarantine_retry): {q}" for q in self.quarantined]
        if self.message:
            out.append(self.message)
        return out


class _Run:
    """One ingest or reprocess run over an open store (the lock is held by the caller)."""

    def __init__(self, store: Store, config: IngestConfig, log: EventLog, pipeline: Pipeline | None,
                 retry_quarantined: bool) -> None:
        from khaosan.pipeline.version import pipeline_version

        self.store = store
        self.config = config
        self.settings: Settings = config.settings
        self.log = log
        self._pipeline = pipeline
        self.retry_quarantined = retry_quarantined
        self.version = pipeline_version()
        self.counts: Counter[str] = Counter()
        self.source_counts: Counter[str] = Counter()
        self.report_failed: list[str] = []
        self.report_quarantined: list[str] = []
        self.run_id = 0
        self.seen: dict[str, tuple[str, str | None]] = {}  # doc_id -> (content hash, where read) this run
        self.failed_now: set[tuple[str, str]] = set()
        self.pages_seen: set[str] = set()  # canonical page URLs fetched, failed or unchanged this run
        self.source_unchanged = False
        self.open: dict[tuple[str, str], Failure] = {(f.kind, f.location): f for f in store.failures()}
        self.validators = SqliteValidators(store)
        self._fetcher: Any = None

    # -- lazy heavy parts ----------------------------------------------------
    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from khaosan.pipeline.runner import Pipeline

            self._pipeline = Pipeline(self.settings)
        return self._pipeline

    def fetcher(self) -> Any:
        if self._fetcher is None:
            from khaosan.corpus.fetch.http import Fetcher

            self._fetcher = Fetcher(fetch_settings(self.config.fetch), self.validators)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            stats = getattr(self._fetcher, "stats", None)
            if stats is not None:
                self.log.info("fetch.stats", **{k: getattr(stats, k) for k in getattr(stats, "__dataclass_fields__", {})})
            self._fetcher.close()

    # -- failures --------------------------------------------------------------
    def _due(self, f: Failure) -> bool:
        """A quarantined item is tried again once ``quarantine_retry`` has passed since its last attempt."""
        if self.retry_quarantined:
            return True
        age = (datetime.now(timezone.utc) - parse_utc(f.last_seen)).total_seconds()
        return age >= self.config.quarantine_retry

    def skip_quarantined(self, kind: str, location: str) -> bool:
        f = self.open.get((kind, location))
        return f is not None and f.quarantined and not self._due(f)

    def fail(self, kind: str, location: str, what: str, reason: str, source: str | None,
             final: bool = False) -> None:
        """Record one failed attempt (once per item per run); ``final``: no retry can help, quarantine now.

        Sources and pages are only tried when not quarantined (or due again), so each
        try is an attempt.  Corpus items and extractions are met again on every run
        (their file is read anyway): once quarantined they are only marked as seen.
        """
        key = (kind, location)
        if key in self.failed_now:
            return
        self.failed_now.add(key)
        before = self.open.get(key)
        if before is not None and before.quarantined and (kind in ("article", "extract") or not self._due(before)):
            self.store.touch_failure(kind, location, self.run_id)
            self.counts["articles_skipped"] += 1
            self.log.debug("failure.quarantined_seen", kind=kind, location=location, reason=reason)
            return
        limit = 1 if final else self.config.max_attempts
        f = self.store.record_failure(kind, location, what, reason, source, self.run_id, limit)
        self.open[key] = f
        self.counts["sources_failed" if kind == "source" else "articles_failed"] += 1
        self.source_counts["failed"] += 1
        self.report_failed.append(f"{kind} {location}: {reason}")
        self.log.warning(f"{kind}.failed", kind=kind, location=location, what=what, reason=reason,
                         attempts=f.attempts, source=source)
        if f.quarantined and not (before is not None and before.quarantined):
            self.counts["quarantined"] += 1
            why = "a retry cannot help" if final else f"{f.attempts} failed attempts"
            self.report_quarantined.append(f"{kind} {location} ({why}): {reason}")
            self.log.error("failure.quarantined", kind=kind, location=location, attempts=f.attempts, reason=reason,
                           message=f"{kind} {location} quarantined ({why}): {reason}")

    def resolve(self, kind: str, location: str | None) -> None:
        if location is None or (kind, location) not in self.open:
            return
        f = self.open.pop((kind, location))
        self.store.resolve_failure(kind, location)
        self.log.info("failure.resolved", kind=kind, location=location, attempts=f.attempts,
                      first_seen=f.first_seen)

    # -- articles --------------------------------------------------------------
    def _in_window(self, article: Article) -> bool:
        """Corpus rows whose published day overlaps [since, until) pass (the feeds' rule); undated ones pass."""
        since, until = self.config.since, self.config.until
        if not (since or until) or not article.published:
            return True
        try:
            start = datetime.fromisoformat(article.published[:10]).replace(tzinfo=timezone.utc)
        except ValueError:
            return True
        return (since is None or start + timedelta(days=1) > since) and (until is None or start < until)

    def handle(self, article: Article, source: str, kind: str, where: str | None,
               links: tuple[str, ...] = ()) -> bool:
        """One article read from ``source``: skip it, or extract it and store it; False if it failed.

        ``kind``/``where`` name the failure this article resolves or records
        (``article``/``file:line`` for corpus items, ``page``/link URL for web
        pages); ``links`` are the listing links that gave a web article.
        """
        doc_id = article.doc_id
        digest = article.content_hash
        if doc_id in self.seen:
            first_hash, first_where = self.seen[doc_id]
            if first_hash == digest:
                self.log.debug("article.duplicate", doc_id=doc_id, where=where, first=first_where)
                return True
            self.fail(kind, where or doc_id, "article",
                      f"duplicate id {doc_id!r}: already read from {first_where} with different text; "
                      "the first one is kept", source)
            return False
        self.seen[doc_id] = (digest, where)
        state = self.store.article_state(doc_id)
        if state is not None and state.content_hash == digest and state.pipeline_version == self.version:
            self.counts["articles_unchanged"] += 1
            self.source_counts["unchanged"] += 1
            if links:
                self.store.note_links(doc_id, links, source)
            self.resolve(kind, where)
            self.log.debug("article.unchanged", doc_id=doc_id)
            return True
        change = "new" if state is None else ("updated" if state.content_hash != digest else "reprocessed")
        if not self.extract_and_store(article, change, source, links):
            return False
        self.resolve(kind, where)
        return True

    def extract_and_store(self, article: Article, change: str, source: str | None,
                          links: tuple[str, ...] = ()) -> bool:
        from khaosan.outputs.dataset import error_row
        from khaosan.outputs.rows import doc_rows

        doc_id = article.doc_id
        try:
            result = self.pipeline.process(article)
        except Exception as e:  # one article's failure must not end the run
            logging.getLogger("khaosan.ingest").debug("extraction failed", exc_info=True)
            self.fail("extract", doc_id, "article extraction", f"{type(e).__name__}: {e}", source)
            return False
        doc = result.doc
        rows = doc_rows(doc, self.version)
        rows["errors"] = [error_row(doc_id, f"extract:{e.extractor}", e.reason, self.version) for e in result.errors]
        replaced = self.store.replace_article(doc_id, rows, doc.to_facts(self.pipeline.families), links, source)
        self.resolve("extract", doc_id)
        self.counts[f"articles_{change}"] += 1
        self.source_counts[change] += 1
        self.counts["facts_added"] += replaced.facts_added
        self.counts["facts_removed"] += replaced.facts_removed
        self.log.info(f"article.{change}", doc_id=doc_id, url=article.url, facts=replaced.facts_added,
                      facts_removed=replaced.facts_removed, extractor_errors=len(result.errors))
        return True

    # -- web pages -------------------------------------------------------------
    def web_article(self, article: Article, source: str, link: str | None) -> None:
        """A page's article; ``link`` is the listing's (canonical) link, which the page may rename."""
        where = link or article.url or article.doc_id
        self.pages_seen.update(x for x in (where, article.url) if x)
        links = tuple(dict.fromkeys(x for x in (link, article.url) if x))
        if self.handle(article, source, "page", where, links) and article.url and article.url != where:
            self.resolve("page", article.url)

    def page_unchanged(self, url: str, source: str | None) -> None:
        if url in self.pages_seen:  # met before in this run: counted then
            return
        self.pages_seen.add(url)
        if self.skip_quarantined("page", url):
            self.counts["articles_skipped"] += 1
            return
        if self.store.has_url(url):
            self.counts["articles_unchanged"] += 1
            self.source_counts["unchanged"] += 1
            self.resolve("page", url)
            return
        # Not modified, yet the dataset does not hold it (stored before the dataset was restored
        # from a backup?): forget its validators so the next attempt fetches it in full.
        self.validators.forget(url)
        self.fail("page", url, "web page",
                  "server answered 304 Not Modified but the dataset does not hold the page; fetched in full next run",
                  source)

    def known(self, url: str) -> bool:
        """For the fetcher: pages held already, met this run, or quarantined need no fetch now."""
        if url in self.pages_seen:
            return True
        f = self.open.get(("page", url))
        if f is not None:  # failed before: fetch again, unless quarantined
            return f.quarantined and not self._due(f)
        return self.store.has_url(url)

    def retry_pages(self) -> None:
        """Pages that failed on earlier runs, fetched again on their own (their listing may have dropped them)."""
        pages = [f for (k, _), f in self.open.items() if k == "page" and not (f.quarantined and not self._due(f))]
        if not pages:
            return
        try:
            from khaosan.corpus.fetch.http import FetchError
            from khaosan.corpus.fetch.sources import Unchanged, fetch_article
        except ImportError:
            self.log.warning("page.retry_skipped", message="failed pages cannot be retried: no fetch module")
            return
        for f in pages:
            self.source_counts = Counter()
            self.pages_seen.add(f.location)
            self.log.info("page.retry", url=f.location, attempts=f.attempts)
            try:
                item = fetch_article(f.location, self.fetcher(), source=f.source)
            except FetchError as e:
                self.fail("page", f.location, "web page", e.reason, f.source, final=not e.retryable)
                continue
            except (sqlite3.Error, Interrupted, KeyboardInterrupt):
                raise
            except Exception as e:  # a fetcher bug: this page fails, the run goes on
                logging.getLogger("khaosan.ingest").exception("%s: retry failed", f.location)
                self.fail("page", f.location, "web page", f"internal error: {type(e).__name__}: {e}", f.source)
                continue
            if isinstance(item, Unchanged):
                self.pages_seen.discard(f.location)
                self.page_unchanged(f.location, f.source)
            else:
                self.web_article(item, f.source or f.location, f.location)

    # -- sources ---------------------------------------------------------------
    def run_sources(self) -> None:
        if any(k == "page" for k, _ in self.open):
            self.retry_pages()
        for source in self.config.sources:
            self.run_source(source)

    def _items(self, source: str) -> Iterator[Any]:
        if is_url(source):
            try:
                from khaosan.corpus.fetch.sources import iter_url_source
            except ImportError:
                yield ReadError(source, "URL sources need khaosan.corpus.fetch, which this khaosan lacks")
                return
            yield from iter_url_source(source, self.fetcher(), self.config.since, self.config.until,
                                       known=self.known)
        else:
            from khaosan.corpus.readers import read_paths

            yield from read_paths([source], self.settings)

    def _web_item(self, item: Any, source: str) -> str | None:
        """One item of a URL source; returns the source's own error, if this is it."""
        if isinstance(item, Article):
            self.web_article(item, source, item.meta.get("link"))
        elif isinstance(item, ReadError):
            kind = getattr(item, "kind", "source" if item.source == source else "page")
            final = not getattr(item, "retryable", True)
            if kind == "source":
                return item.reason
            if kind == "sitemap":
                self.fail("sitemap", item.source, "child sitemap", item.reason, source)
            else:
                self.pages_seen.add(item.source)
                self.fail("page", item.source, "web page", item.reason, source, final=final)
        elif getattr(item, "kind", "page") == "source":
            self.source_unchanged = True
            self.log.info("source.unchanged", source=source, message=f"{source}: not modified since the last run")
        elif getattr(item, "kind", "page") == "sitemap":
            self.log.debug("sitemap.unchanged", url=item.url)
        else:
            self.page_unchanged(item.url, source)
        return None

    def _local_item(self, item: Article | ReadError, source: str) -> str | None:
        if isinstance(item, Article):
            if not self._in_window(item):
                self.counts["articles_skipped"] += 1
            else:
                self.handle(item, source, "article", item.source)
            return None
        if item.source == str(Path(source)):
            return item.reason
        what = "corpus row" if ":" in Path(item.source).name else "file"
        self.fail("article", item.source, what, item.reason, source)
        return None

    def run_source(self, source: str) -> None:
        url = is_url(source)
        kind = "url" if url else "local"
        self.source_counts = Counter()
        self.source_unchanged = False
        if self.skip_quarantined("source", source):
            f = self.open[("source", source)]
            self.log.warning("source.quarantined", source=source, attempts=f.attempts, reason=f.reason,
                             message=f"{source}: quarantined after {f.attempts} failed attempts; skipped until "
                                     f"quarantine_retry has passed since {f.last_seen} (or --retry-quarantined)")
            self.counts["articles_skipped"] += 1
            self.store.update_source(source, kind, "quarantined", self.run_id, f.reason, self.source_counts)
            return
        self.log.info("source.start", source=source, kind=kind)
        error: str | None = None
        try:
            for item in self._items(source):
                found = self._web_item(item, source) if url else self._local_item(item, source)
                error = error or found
        except (sqlite3.Error, Interrupted, KeyboardInterrupt, StoreError):
            raise
        except Exception as e:  # a reader or fetcher bug: this source fails, the others still run
            logging.getLogger("khaosan.ingest").exception("%s: source failed", source)
            error = f"internal error: {type(e).__name__}: {e}"
        if error is not None:
            self.fail("source", source, "feed, sitemap or page" if url else "folder or corpus file", error, source)
            status = "failed"
        else:
            self.resolve("source", source)
            # Item failures of this source not met again are gone from it (a listing read in full).
            kinds = ("sitemap",) if url else ("article", "extract")
            if not self.source_unchanged:
                for gone in self.store.resolve_unseen_failures(source, kinds, self.run_id):
                    self.open = {k: v for k, v in self.open.items() if not (k[1] == gone and k[0] in kinds)}
                    self.log.info("failure.resolved", location=gone, message=f"{gone}: no longer in {source}")
            status = "partial" if self.source_counts["failed"] else ("unchanged" if self.source_unchanged else "ok")
        self.store.update_source(source, kind, status, self.run_id, error, self.source_counts)
        self.log.info("source.done", source=source, status=status, new=self.source_counts["new"],
                      updated=self.source_counts["updated"], unchanged=self.source_counts["unchanged"],
                      failed=self.source_counts["failed"])

    # -- reprocess ----------------------------------------------------------------
    def reprocess(self) -> None:
        for row in self.store.stale_articles(self.version):
            article = Article(doc_id=row["doc_id"], text=row["text"], title=row["title"], url=row["url"],
                              published=row["published"], source=row["source"])
            self.extract_and_store(article, "reprocessed", row["source"])


def _finish(store: Store, run: _Run, report: RunReport, started: float, log: EventLog) -> RunReport:
    report.counts = run.counts
    report.failed = run.report_failed
    report.quarantined = run.report_quarantined
    report.seconds = time.perf_counter() - started
    if store.db.in_transaction:  # interrupted between BEGIN and the guarded block
        store.db.execute("ROLLBACK")
    store.finish_run(run.run_id, report.status, run.counts, report.message or None)
    log.info("run.done", status=report.status, exit_code=report.exit_code, seconds=round(report.seconds, 3),
             **{k: v for k, v in sorted(run.counts.items())})
    return report


def _run(kind: str, config: IngestConfig, log: EventLog | None, pipeline: Pipeline | None,
         retry_quarantined: bool) -> RunReport:
    log = log or EventLog()
    t0 = time.perf_counter()
    db_path = Path(config.db) if config.db else None
    try:
        if db_path is None:
            raise ConfigError("no dataset given")
        if not db_path.parent.is_dir():
            raise ConfigError(f"{db_path}: folder {db_path.parent} does not exist")
        if db_path.is_dir():
            raise ConfigError(f"{db_path}: is a folder, not a dataset file")
        if kind == "ingest":
            config.check()
        lock = DatasetLock(db_path, f"khaosan {kind}")
        lock.acquire()
    except ConfigError as e:
        log.error("config.error", message=str(e))
        return RunReport(kind, "config", message=f"configuration error: {e}")
    except Locked as e:
        log.error("run.locked", message=str(e), holder=e.holder)
        return RunReport(kind, "locked", message=str(e))
    except OSError as e:
        msg = f"cannot create the lock file next to {db_path}: {e.strerror or e}"
        log.error("config.error", message=msg)
        return RunReport(kind, "config", message=f"configuration error: {msg}")
    try:
        if lock.stale is not None:
            log.warning("lock.stale", message=str(lock.stale), holder=lock.stale.holder)
        try:
            store = Store.open(db_path)
        except StoreError as e:
            log.error("config.error", message=str(e))
            return RunReport(kind, "config", message=f"configuration error: {e}")
        try:
            return _run_locked(kind, store, config, log, pipeline, retry_quarantined, t0)
        finally:
            store.close()
    finally:
        lock.release()


def _run_locked(kind: str, store: Store, config: IngestConfig, log: EventLog, pipeline: Pipeline | None,
                retry_quarantined: bool, t0: float) -> RunReport:
    for run_id in store.close_abandoned_runs():
        log.warning("run.killed_before", message=f"run {run_id} ended without finishing (killed or crashed); "
                                                 "its committed articles are kept", previous_run=run_id)
    if retry_quarantined:
        n = store.release_quarantine()
        log.info("quarantine.released", count=n)
    run = _Run(store, config, log, pipeline, retry_quarantined)
    run.run_id = store.start_run(kind, os.getpid(), socket.gethostname(), run.version, list(config.sources),
                                 config.since.isoformat() if config.since else None,
                                 config.until.isoformat() if config.until else None)
    log.run_id = run.run_id
    if config.settings.workers > 1 or config.settings.dask:
        # Each article is checked, extracted and committed before the next is read (crash safety,
        # failure bookkeeping): extraction runs in this process.  Hourly runs are small.
        log.info("run.in_process", message="ingest extracts in this process; the workers/dask settings "
                                           "apply to khaosan extract only")
    log.info("run.start", kind=kind, db=str(store.path), sources=list(config.sources), version=run.version,
             since=config.since.isoformat() if config.since else None,
             until=config.until.isoformat() if config.until else None)
    report = RunReport(kind, "running", run.run_id)
    try:
        if kind == "reprocess":
            run.reprocess()
        else:
            run.run_sources()
        report.status = "partial" if run.report_failed else "ok"
    except (Interrupted, KeyboardInterrupt) as e:
        report.status = "interrupted"
        report.message = f"stopped by {'SIGTERM' if isinstance(e, Interrupted) else 'SIGINT'}; " \
                         "committed articles are kept, the next run goes on from there"
        log.error("run.interrupted", message=report.message)
    except Exception as e:
        report.status = "failed"
        report.message = f"run aborted: {type(e).__name__}: {e}"
        logging.getLogger("khaosan.ingest").exception("run aborted")
        log.error("run.failed", message=report.message)
    finally:
        run.close()
    try:
        return _finish(store, run, report, t0, log)
    except sqlite3.Error as e:  # the dataset went away under us (disk full, deleted)
        report.status = "failed"
        report.message = f"{report.message}; could not record the run's end: {e}".lstrip("; ")
        log.error("run.failed", message=report.message)
        return report


def run_ingest(config: IngestConfig, log: EventLog | None = None, *, pipeline: Pipeline | None = None,
               retry_quarantined: bool = False) -> RunReport:
    """One ingest run as configured; never raises for bad input (see ``RunReport.exit_code``)."""
    return _run("ingest", config, log, pipeline, retry_quarantined)


def ingest(sources: Iterable[str | Path], db_path: str | Path, settings: Settings | None = None,
           since: datetime | None = None, until: datetime | None = None, log: EventLog | None = None, *,
           max_attempts: int | None = None, quarantine_retry: float | None = None,
           fetch: dict[str, Any] | None = None, retry_quarantined: bool = False,
           pipeline: Pipeline | None = None) -> RunReport:
    """Add the articles of ``sources`` (folders, corpus files, feed/sitemap/page URLs) to ``db_path``."""
    config = IngestConfig(db=Path(db_path), sources=tuple(str(s) for s in sources), since=since, until=until,
                          settings=settings or Settings.from_env()).replace(
        max_attempts=max_attempts, quarantine_retry=quarantine_retry, fetch=fetch)
    return run_ingest(config, log, pipeline=pipeline, retry_quarantined=retry_quarantined)


def reprocess(db_path: str | Path, settings: Settings | None = None, log: EventLog | None = None, *,
              pipeline: Pipeline | None = None) -> RunReport:
    """Re-extract, from their stored text, the articles an older pipeline version made."""
    config = IngestConfig(db=Path(db_path), settings=settings or Settings.from_env())
    if not Path(db_path).exists():
        return RunReport("reprocess", "config", message=f"configuration error: {db_path}: no such dataset")
    return _run("reprocess", config, log, pipeline, False)
