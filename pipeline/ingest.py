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
from datetime import datetime, timezone
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


def _date_key(d: datetime | None) -> str | None:
    return d.date().isoformat() if d else None


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
        self.tried_pages: set[str] = set()
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

    def fail(self, kind: str, location: str, what: str, reason: str, source: str | None) -> None:
        """Record one failed attempt (once per item per run).

        Sources and pages are only tried when not quarantined (or due again), so each
        try is an attempt.  Corpus items and extractions are met again on every run
        (their file is read anyway): once quarantined they are only marked as seen.
        """
        key = (kind, location)
        if key in self.failed_now:
            return
        self.failed_now.add(key)
        before = self.open.get(key)
        if before is not None and before.quarantined and kind in ("article", "extract") \
                and not self.retry_quarantined:
            self.store.touch_failure(kind, location, self.run_id)
            self.counts["articles_skipped"] += 1
            self.log.debug("failure.quarantined_seen", kind=kind, location=location, reason=reason)
            return
        f = self.store.record_failure(kind, location, what, reason, source, self.run_id, self.config.max_attempts)
        self.open[key] = f
        self.counts["sources_failed" if kind == "source" else "articles_failed"] += 1
        self.source_counts["failed"] += 1
        self.report_failed.append(f"{kind} {location}: {reason}")
        self.log.warning(f"{kind}.failed", kind=kind, location=location, what=what, reason=reason,
                         attempts=f.attempts, source=source)
        if f.quarantined and not (before is not None and before.quarantined):
            self.counts["quarantined"] += 1
            self.report_quarantined.append(f"{kind} {location} after {f.attempts} attempts: {reason}")
            self.log.error("failure.quarantined", kind=kind, location=location, attempts=f.attempts, reason=reason,
                           message=f"{kind} {location} quarantined after {f.attempts} failed attempts: {reason}")

    def resolve(self, kind: str, location: str | None) -> None:
        if location is None or (kind, location) not in self.open:
            return
        f = self.open.pop((kind, location))
        self.store.resolve_failure(kind, location)
        self.log.info("failure.resolved", kind=kind, location=location, attempts=f.attempts,
                      first_seen=f.first_seen)

    # -- articles --------------------------------------------------------------
    def _in_window(self, article: Article) -> bool:
        """Corpus articles with a published date outside --since/--until are skipped; undated ones pass."""
        day = (article.published or "")[:10]
        if not day:
            return True
        since, until = _date_key(self.config.since), _date_key(self.config.until)
        return not ((since and day < since) or (until and day > until))

    def handle(self, article: Article, source: str, kind: str, where: str | None) -> None:
        """One article read from ``source``: skip it, or extract it and store it.

        ``kind``/``where`` name the failure this article would resolve or record
        (``article``/``file:line`` for corpus items, ``page``/URL for web pages).
        """
        doc_id = article.doc_id
        digest = article.content_hash
        if doc_id in self.seen:
            first_hash, first_where = self.seen[doc_id]
            if first_hash == digest:
                self.log.debug("article.duplicate", doc_id=doc_id, where=where, first=first_where)
                return
            self.fail(kind, where or doc_id, "article",
                      f"duplicate id {doc_id!r}: already read from {first_where} with different text; "
                      "the first one is kept", source)
            return
        self.seen[doc_id] = (digest, where)
        state = self.store.article_state(doc_id)
        if state is not None and state.content_hash == digest and state.pipeline_version == self.version:
            self.counts["articles_unchanged"] += 1
            self.source_counts["unchanged"] += 1
            self.resolve(kind, where)
            self.log.debug("article.unchanged", doc_id=doc_id)
            return
        change = "new" if state is None else ("updated" if state.content_hash != digest else "reprocessed")
        if self.extract_and_store(article, change, source):
            self.resolve(kind, where)

    def extract_and_store(self, article: Article, change: str, source: str | None) -> bool:
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
        replaced = self.store.replace_article(doc_id, rows, doc.to_facts(self.pipeline.families))
        self.resolve("extract", doc_id)
        self.counts[f"articles_{change}"] += 1
        self.source_counts[change] += 1
        self.counts["facts_added"] += replaced.facts_added
        self.counts["facts_removed"] += replaced.facts_removed
        self.log.info(f"article.{change}", doc_id=doc_id, url=article.url, facts=replaced.facts_added,
                      facts_removed=replaced.facts_removed, extractor_errors=len(result.errors))
        return True

    # -- sources ---------------------------------------------------------------
    def run_sources(self) -> None:
        if any(is_url(s) for s in self.config.sources) or any(k == "page" for k, _ in self.open):
            self.retry_pages()
        for source in self.config.sources:
            self.run_source(source)

    def retry_pages(self) -> None:
        """Pages that failed on earlier runs, fetched again on their own (their feed may have dropped them)."""
        pages = [f for (k, _), f in self.open.items() if k == "page"]
        if not pages:
            return
        try:
            from khaosan.corpus.fetch.http import FetchError
            from khaosan.corpus.fetch.sources import Unchanged, fetch_article
        except ImportError:
            self.log.warning("page.retry_skipped", message="failed pages cannot be retried: no fetch module")
            return
        for f in pages:
            if f.quarantined and not self._due(f):
                continue
            self.tried_pages.add(f.location)
            self.log.info("page.retry", url=f.location, attempts=f.attempts)
            try:
                item = fetch_article(f.location, self.fetcher())
            except FetchError as e:
                self.fail("page", f.location, "web page", e.reason, f.source)
                continue
            except (sqlite3.Error, Interrupted, KeyboardInterrupt):
                raise
            except Exception as e:
                self.fail("page", f.location, "web page", f"internal error: {type(e).__name__}: {e}", f.source)
                continue
            if isinstance(item, Unchanged):
                self.page_unchanged(item.url, f.source)
                continue
            if f.source:
                item.source = f.source  # as a clean run reading the feed would have stored it
            self.handle(item, f.source or f.location, "page", f.location)
            if item.url and item.url != f.location:
                self.resolve("page", item.url)
        self.validators.flush()

    def page_unchanged(self, url: str, source: str | None) -> None:
        from khaosan.corpus.fetch.sources import canonical_url

        if self.store.has_url(canonical_url(url)) or self.store.has_url(url):
            self.counts["articles_unchanged"] += 1
            self.source_counts["unchanged"] += 1
            self.resolve("page", canonical_url(url))
            return
        # 304 for a page the dataset does not hold (its article was never stored): forget the
        # validators so the next attempt fetches it in full.
        self.validators.forget(url)
        self.fail("page", canonical_url(url), "web page",
                  "server answered 304 Not Modified but the dataset does not hold the page; fetched in full next run",
                  source)

    def known(self, url: str) -> bool:
        """For the fetcher: pages held already, tried this run, or quarantined need no fetch now."""
        from khaosan.corpus.fetch.sources import canonical_url

        canon = canonical_url(url)
        if canon in self.tried_pages or url in self.tried_pages:
            return True
        if self.skip_quarantined("page", canon):
            return True
        if ("page", canon) in self.open:
            return False
        return self.store.has_url(canon)

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

    def run_source(self, source: str) -> None:
        url = is_url(source)
        kind = "url" if url else "local"
        self.source_counts = Counter()
        if self.skip_quarantined("source", source):
            f = self.open[("source", source)]
            self.log.warning("source.quarantined", source=source, attempts=f.attempts, reason=f.reason,
                             message=f"{source}: quarantined after {f.attempts} failed attempts, skipped until "
                                     f"quarantine_retry has passed since {f.last_seen}")
            self.store.update_source(source, kind, "quarantined", self.run_id, f.reason, self.source_counts)
            return
        self.log.info("source.start", source=source, kind=kind)
        source_key = source if url else str(Path(source))
        source_error: str | None = None
        unchanged = False
        try:
            for item in self._items(source):
                if isinstance(item, Article):
                    if not url and not self._in_window(item):
                        self.counts["articles_skipped"] += 1
                        continue
                    if url:
                        self.tried_pages.add(item.url or "")
                    self.handle(item, source, "page" if url else "article", item.url if url else item.source)
                elif isinstance(item, ReadError):
                    if item.source in (source, source_key):
                        source_error = item.reason
                    elif url:
                        from khaosan.corpus.fetch.sources import canonical_url

                        self.tried_pages.add(canonical_url(item.source))
                        self.fail("page", canonical_url(item.source), "web page", item.reason, source)
                    else:
                        what = "corpus row" if ":" in Path(item.source).name else "file"
                        self.fail("article", item.source, what, item.reason, source)
                elif item.url == source:  # Unchanged: the feed or sitemap itself is not modified
                    unchanged = True
                    self.log.info("source.unchanged", source=source, message=f"{source}: not modified since last run")
                else:
                    self.page_unchanged(item.url, source)
        except (sqlite3.Error, Interrupted, KeyboardInterrupt, StoreError):
            raise
        except Exception as e:  # a reader or fetcher bug: this source fails, the others still run
            logging.getLogger("khaosan.ingest").exception("%s: source failed", source)
            source_error = f"internal error: {type(e).__name__}: {e}"
        self.validators.flush()
        if source_error is not None:
            self.fail("source", source, "feed or sitemap" if url else "folder or corpus file", source_error, source)
            status = "failed"
        else:
            self.resolve("source", source)
            if not url:
                for gone in self.store.resolve_unseen_failures(source, ("article", "extract"), self.run_id):
                    self.open = {k: v for k, v in self.open.items() if k[1] != gone}
                    self.log.info("failure.resolved", location=gone, message=f"{gone}: no longer in {source}")
            status = "partial" if self.source_counts["failed"] else ("unchanged" if unchanged else "ok")
        self.store.update_source(source, kind, status, self.run_id, source_error, self.source_counts)
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
