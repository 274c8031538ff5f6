"""The persistent dataset ``khaosan ingest`` adds to: the extraction tables plus the job's own state.

One SQLite file holds the same tables ``khaosan extract`` writes (so ``khaosan
serve`` and ``khaosan query`` read either) and the ingestion state:

``runs``            one row per run: when, what it did, how it ended
``failures``        sources and articles that failed: what, where, why, attempts, first/last seen, quarantine
``sources``         each configured source: last attempt, last success, last error, last counts
``http_validators`` ETag / Last-Modified per URL, for conditional requests
``web_pages``       feed/sitemap links already stored, and the article each one gave
``article_facts``   the facts.jsonl record of each article, for ``khaosan export``

Every article is written by :meth:`Store.replace_article` in ONE ``BEGIN IMMEDIATE``
transaction that first deletes every row the article had, then inserts the new
ones: a run killed at any point leaves each article either fully old or fully new,
and an edited article never keeps a stale fact.  The connection runs in autocommit
mode; every write goes through :meth:`Store.transaction`.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from khaosan.outputs.schema import FAMILY_TABLES, TABLES

Row = dict[str, Any]

STATE_SQL = (
    """CREATE TABLE IF NOT EXISTS runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,               -- ingest | reprocess
        started TEXT NOT NULL,            -- ISO 8601 UTC
        finished TEXT,
        status TEXT NOT NULL,             -- running | ok | partial | failed | interrupted | killed
        pid INTEGER, host TEXT,
        pipeline_version TEXT,
        sources TEXT,                     -- JSON list
        since TEXT, until TEXT,
        articles_new INTEGER DEFAULT 0, articles_updated INTEGER DEFAULT 0,
        articles_reprocessed INTEGER DEFAULT 0, articles_unchanged INTEGER DEFAULT 0,
        articles_failed INTEGER DEFAULT 0, articles_skipped INTEGER DEFAULT 0,
        facts_added INTEGER DEFAULT 0, facts_removed INTEGER DEFAULT 0,
        sources_failed INTEGER DEFAULT 0, quarantined INTEGER DEFAULT 0,
        message TEXT)""",
    """CREATE TABLE IF NOT EXISTS failures (
        kind TEXT NOT NULL,               -- source | article | page | extract
        location TEXT NOT NULL,           -- path, path:line, URL or doc_id
        what TEXT,                        -- a human label: "feed or sitemap", "corpus row", "web page", ...
        source TEXT,                      -- the configured source it came from
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
        quarantined INTEGER NOT NULL DEFAULT 0,
        last_run_id INTEGER,
        PRIMARY KEY (kind, location))""",
    """CREATE TABLE IF NOT EXISTS sources (
        source TEXT PRIMARY KEY,
        kind TEXT,                        -- local | url
        first_seen TEXT, last_attempt TEXT, last_success TEXT,
        last_status TEXT,                 -- ok | unchanged | failed | partial | quarantined
        last_error TEXT, last_run_id INTEGER,
        articles_new INTEGER, articles_updated INTEGER, articles_unchanged INTEGER, articles_failed INTEGER)""",
    """CREATE TABLE IF NOT EXISTS http_validators (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated TEXT)""",
    """CREATE TABLE IF NOT EXISTS web_pages (
        link TEXT PRIMARY KEY,            -- canonical URL of a feed/sitemap link (the page may name another)
        doc_id TEXT NOT NULL,
        source TEXT)""",
    """CREATE TABLE IF NOT EXISTS article_facts (
        doc_id TEXT PRIMARY KEY, facts_json TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_articles_url ON articles(url)",
    "CREATE INDEX IF NOT EXISTS idx_failures_source ON failures(source)",
)

STATE_TABLES = ("runs", "failures", "sources", "http_validators", "web_pages", "article_facts")

RUN_COUNTERS = ("articles_new", "articles_updated", "articles_reprocessed", "articles_unchanged",
                "articles_failed", "articles_skipped", "facts_added", "facts_removed", "sources_failed",
                "quarantined")


class StoreError(Exception):
    """The dataset file cannot be opened or is not a khaosan dataset; ``str(e)`` says which and why."""


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class ArticleState:
    content_hash: str
    pipeline_version: str


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str
    location: str
    what: str | None
    source: str | None
    reason: str | None
    attempts: int
    first_seen: str
    last_seen: str
    quarantined: bool
    last_run_id: int | None


@dataclass(frozen=True, slots=True)
class ReplaceCounts:
    facts_removed: int
    facts_added: int


def _install_search_index(db: sqlite3.Connection) -> None:
    """Full-text search tables and their triggers, when that module is present (``khaosan serve``)."""
    try:
        from khaosan.outputs.search_index import install
    except ImportError:
        return
    install(db)


class Store:
    """The dataset file, opened for one job (ingest, reprocess, status, export)."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, create: bool = True, readonly: bool = False) -> Store:
        """Open (and with ``create``, make) the dataset; raises :class:`StoreError` with the reason."""
        path = Path(path)
        if not path.exists():
            if not create or readonly:
                raise StoreError(f"{path}: no such dataset")
            if not path.parent.is_dir():
                raise StoreError(f"{path}: folder {path.parent} does not exist")
        elif path.is_dir():
            raise StoreError(f"{path}: is a folder, not a dataset file")
        try:
            if readonly:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                db = sqlite3.connect(path, isolation_level=None, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: a commit survives a killed process; a power cut may lose the
                # last commits but never corrupts the file.
                db.execute("PRAGMA synchronous=NORMAL")
                # One transaction per article makes the default checkpoint (every 1000 pages, with
                # fsyncs) the main cost of a run; checkpoint every ~40 MB instead, and cut the WAL
                # file back afterwards.  (Measured: store time per article halved.)
                db.execute("PRAGMA wal_autocheckpoint=10000")
                db.execute("PRAGMA journal_size_limit=67108864")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{path}: cannot open as a SQLite dataset: {e}") from None
        store = cls(db, path)
        if not readonly:
            try:
                store._create()
            except sqlite3.DatabaseError as e:
                db.close()
                raise StoreError(f"{path}: cannot create the dataset tables: {e}") from None
        elif not store.has_table("articles"):
            db.close()
            raise StoreError(f"{path}: not a khaosan dataset (no articles table)")
        return store

    def _create(self) -> None:
        with self.transaction():
            for table in TABLES.values():
                for stmt in table.create_sql():
                    self.db.execute(stmt)
            for stmt in STATE_SQL:
                self.db.execute(stmt)
        _install_search_index(self.db)

    def close(self) -> None:
        self.db.close()

    def has_table(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (name,)).fetchone() is not None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any exception, including KeyboardInterrupt)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- articles --------------------------------------------------------------
    def article_state(self, doc_id: str) -> ArticleState | None:
        """The stored article's fingerprint; pipeline_version "" when its facts.jsonl record is missing
        (a dataset ``khaosan extract`` wrote): re-extracting it then gives ``export`` the record."""
        row = self.db.execute("SELECT a.content_hash, a.pipeline_version, f.doc_id IS NOT NULL FROM articles a "
                              "LEFT JOIN article_facts f ON f.doc_id = a.doc_id WHERE a.doc_id = ?",
                              (doc_id,)).fetchone()
        if row is None:
            return None
        return ArticleState(row[0], row[1] if row[2] else "")

    def has_url(self, url: str) -> bool:
        """A stored article has this URL, or came from a listing link with this (canonical) URL."""
        db = self.db
        return (db.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1", (url,)).fetchone() is not None
                or db.execute("SELECT 1 FROM web_pages WHERE link = ?", (url,)).fetchone() is not None)

    def note_links(self, doc_id: str, links: tuple[str, ...], source: str | None) -> None:
        """Remember that these listing links gave ``doc_id`` (unchanged articles: no replace)."""
        with self.transaction() as db:
            self._note_links(db, doc_id, links, source)

    @staticmethod
    def _note_links(db: sqlite3.Connection, doc_id: str, links: tuple[str, ...], source: str | None) -> None:
        db.executemany("INSERT OR REPLACE INTO web_pages (link, doc_id, source) VALUES (?, ?, ?)",
                       [(link, doc_id, source) for link in links])

    def replace_article(self, doc_id: str, rows: dict[str, list[Row]], facts_record: dict[str, Any],
                        links: tuple[str, ...] = (), source: str | None = None) -> ReplaceCounts:
        """Every row of ``doc_id`` in every table replaced by ``rows``, in one transaction.

        ``rows`` is :func:`khaosan.outputs.rows.doc_rows` plus ``errors`` (extraction
        errors whose ``source`` is the doc_id).  ``links``: the listing links (web
        pages) that gave this article, recorded in the same transaction.
        """
        from khaosan.outputs.sqlite import insert_rows

        removed = 0
        with self.transaction() as db:
            for name in TABLES:
                if name == "errors":
                    db.execute("DELETE FROM errors WHERE source = ? AND stage LIKE 'extract:%'", (doc_id,))
                    continue
                cur = db.execute(f'DELETE FROM "{name}" WHERE doc_id = ?', (doc_id,))
                if name in FAMILY_TABLES:
                    removed += cur.rowcount
            # the article row first: search-index triggers on the other tables may read it
            for name in ("articles", *(n for n in TABLES if n != "articles")):
                if rows.get(name):
                    insert_rows(db, TABLES[name], rows[name])
            db.execute("INSERT OR REPLACE INTO article_facts (doc_id, facts_json) VALUES (?, ?)",
                       (doc_id, json.dumps(facts_record, ensure_ascii=False)))
            if links:
                self._note_links(db, doc_id, links, source)
        return ReplaceCounts(removed, sum(len(rows.get(f, ())) for f in FAMILY_TABLES))

    def stale_articles(self, version: str) -> Iterator[Row]:
        """Articles made by another pipeline version (or without a facts record), by id, fetched in pages
        (the caller writes between pages)."""
        last = ""
        while True:
            batch = self.db.execute(
                "SELECT doc_id, title, url, published, source, text FROM articles a WHERE doc_id > ? AND "
                "(pipeline_version IS NOT ? OR NOT EXISTS (SELECT 1 FROM article_facts f WHERE f.doc_id = a.doc_id)) "
                "ORDER BY doc_id LIMIT 200", (last, version)
            ).fetchall()
            if not batch:
                return
            for doc_id, title, url, published, source, text in batch:
                yield {"doc_id": doc_id, "title": title, "url": url, "published": published, "source": source,
                       "text": text}
            last = batch[-1][0]

    # -- runs ------------------------------------------------------------------
    def start_run(self, kind: str, pid: int, host: str, version: str, sources: list[str],
                  since: str | None = None, until: str | None = None) -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (kind, started, status, pid, host, pipeline_version, sources, since, until) "
                "VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                (kind, utc_now(), pid, host, version, json.dumps(sources, ensure_ascii=False), since, until))
            return int(cur.lastrowid or 0)

    def close_abandoned_runs(self) -> list[int]:
        """Runs still marked running: the lock is ours, so they were killed. Mark them ``killed``."""
        with self.transaction() as db:
            ids = [r[0] for r in db.execute("SELECT run_id FROM runs WHERE status = 'running'")]
            db.execute("UPDATE runs SET status = 'killed', message = 'the process ended without finishing "
                       "(killed or crashed); its committed articles are kept' WHERE status = 'running'")
        return ids

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], message: str | None = None) -> None:
        sets = ", ".join(f"{c} = ?" for c in RUN_COUNTERS)
        with self.transaction() as db:
            db.execute(f"UPDATE runs SET finished = ?, status = ?, message = ?, {sets} WHERE run_id = ?",
                       (utc_now(), status, message, *(int(counts.get(c, 0)) for c in RUN_COUNTERS), run_id))

    def runs(self, limit: int = 10) -> list[Row]:
        cur = self.db.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", (limit,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def last_completed_run(self, kind: str = "ingest") -> Row | None:
        cur = self.db.execute("SELECT * FROM runs WHERE kind = ? AND status IN ('ok', 'partial') "
                              "ORDER BY run_id DESC LIMIT 1", (kind,))
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else None

    # -- failures ----------------------------------------------------------------
    @staticmethod
    def _failure(row: tuple) -> Failure:
        kind, location, what, source, reason, attempts, first, last, quarantined, run_id = row
        return Failure(kind, location, what, source, reason, attempts, first, last, bool(quarantined), run_id)

    _FAILURE_COLS = ("kind, location, what, source, reason, attempts, first_seen, last_seen, quarantined, "
                     "last_run_id")

    def failure(self, kind: str, location: str) -> Failure | None:
        row = self.db.execute(f"SELECT {self._FAILURE_COLS} FROM failures WHERE kind = ? AND location = ?",
                              (kind, location)).fetchone()
        return self._failure(row) if row else None

    def failures(self, kind: str | None = None, quarantined: bool | None = None) -> list[Failure]:
        sql = f"SELECT {self._FAILURE_COLS} FROM failures WHERE 1 = 1"
        args: list[Any] = []
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        if quarantined is not None:
            sql += " AND quarantined = ?"
            args.append(int(quarantined))
        return [self._failure(r) for r in self.db.execute(sql + " ORDER BY last_seen DESC, kind, location", args)]

    def record_failure(self, kind: str, location: str, what: str, reason: str, source: str | None,
                       run_id: int, max_attempts: int) -> Failure:
        """One more failed attempt at ``(kind, location)``; quarantined once attempts reach ``max_attempts``."""
        now = utc_now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (kind, location, what, source, reason, attempts, first_seen, last_seen, "
                "quarantined, last_run_id) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
                "ON CONFLICT (kind, location) DO UPDATE SET what = excluded.what, source = excluded.source, "
                "reason = excluded.reason, attempts = attempts + 1, last_seen = excluded.last_seen, "
                "last_run_id = excluded.last_run_id, quarantined = (attempts + 1 >= ?)",
                (kind, location, what, source, reason, now, now, int(max_attempts <= 1), run_id, max_attempts))
        found = self.failure(kind, location)
        assert found is not None
        return found

    def touch_failure(self, kind: str, location: str, run_id: int) -> None:
        """A quarantined item seen again, not counted as an attempt."""
        with self.transaction() as db:
            db.execute("UPDATE failures SET last_seen = ?, last_run_id = ? WHERE kind = ? AND location = ?",
                       (utc_now(), run_id, kind, location))

    def resolve_failure(self, kind: str, location: str) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM failures WHERE kind = ? AND location = ?",
                              (kind, location)).rowcount > 0

    def resolve_unseen_failures(self, source: str, kinds: tuple[str, ...], run_id: int) -> list[str]:
        """Failures of ``source`` this run did not meet again: the source no longer holds them."""
        marks = ", ".join("?" * len(kinds))
        where = f"source = ? AND kind IN ({marks}) AND (last_run_id IS NOT ? )"
        with self.transaction() as db:
            gone = [r[0] for r in db.execute(f"SELECT location FROM failures WHERE {where}",
                                             (source, *kinds, run_id))]
            db.execute(f"DELETE FROM failures WHERE {where}", (source, *kinds, run_id))
        return gone

    def release_quarantine(self) -> int:
        with self.transaction() as db:
            return db.execute("UPDATE failures SET quarantined = 0, attempts = 0 WHERE quarantined = 1").rowcount

    # -- sources -----------------------------------------------------------------
    def update_source(self, source: str, kind: str, status: str, run_id: int, error: str | None,
                      counts: dict[str, int]) -> None:
        now = utc_now()
        ok = status in ("ok", "unchanged", "partial")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sources (source, kind, first_seen, last_attempt, last_success, last_status, last_error, "
                "last_run_id, articles_new, articles_updated, articles_unchanged, articles_failed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                "kind = excluded.kind, last_attempt = excluded.last_attempt, "
                "last_success = COALESCE(excluded.last_success, last_success), last_status = excluded.last_status, "
                "last_error = excluded.last_error, last_run_id = excluded.last_run_id, "
                "articles_new = excluded.articles_new, articles_updated = excluded.articles_updated, "
                "articles_unchanged = excluded.articles_unchanged, articles_failed = excluded.articles_failed",
                (source, kind, now, now, now if ok else None, status, error, run_id, counts.get("new", 0),
                 counts.get("updated", 0), counts.get("unchanged", 0), counts.get("failed", 0)))

    def sources(self) -> list[Row]:
        cur = self.db.execute("SELECT * FROM sources ORDER BY source")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    # -- counts --------------------------------------------------------------------
    def count(self, table: str) -> int:
        return int(self.db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


class SqliteValidators:
    """The fetch contract's ``Validators`` (ETag, Last-Modified per URL), kept in ``http_validators``.

    Written through at once: the fetcher only stores a response's validators after
    the job has committed everything that response produced (it asks for the next
    item only then), so a run killed half-way never leaves a validator that would
    hide an uncommitted article behind a 304.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        row = self.store.db.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?",
                                    (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.store.transaction() as db:
            if etag is None and last_modified is None:
                db.execute("DELETE FROM http_validators WHERE url = ?", (url,))
            else:
                db.execute("INSERT OR REPLACE INTO http_validators (url, etag, last_modified, updated) "
                           "VALUES (?, ?, ?, ?)", (url, etag, last_modified, utc_now()))

    def forget(self, url: str) -> None:
        """Drop a URL's validators (its article was never stored: fetch it in full next time)."""
        self.put(url, None, None)
