"""Thai full-text search over the dataset: FTS5 ``trigram`` indexes kept in sync by triggers.

SQLite's default FTS tokenizer splits on spaces and punctuation, and Thai is
written without spaces between words, so a search for ดีป้า finds nothing.  The
``trigram`` tokenizer indexes every run of three characters, which turns any
search of three or more characters into a substring search: Thai words and
phrases match wherever they occur.  (Shorter searches cannot use the index;
``khaosan serve`` falls back to ``LIKE`` for them, see ``terms_clause``.)

Every indexed table ``T`` gets a table ``T_fts`` whose rowid is ``T``'s rowid,
whose first columns repeat ``T``'s key (UNINDEXED, so install can check the two
still line up after a VACUUM) and whose other columns are ``T``'s text columns.

Why the FTS tables keep their own copy of the text instead of reading it from
``T`` (external content): the external-content ``'delete'`` command needs the
exact old values, and SQLite fires no delete trigger for the row an
``INSERT OR REPLACE`` pushes out (unless ``recursive_triggers`` is on), so an
external index goes stale or corrupt under the writers' INSERT OR REPLACE.
Deleting from an FTS table that holds its own content is keyed by rowid alone
and is idempotent, which makes every trigger below safe whatever the
statement: plain INSERT, REPLACE, OR IGNORE, UPSERT, UPDATE, DELETE.  A row
pushed out by REPLACE leaves an entry under a rowid no base row has; searches
join on the rowid, so it never matches, and a later row given that rowid
replaces it.

``install(db)`` is idempotent and cheap when nothing changed: it creates what is
missing, recreates an index whose definition changed, and rebuilds an index
that does not line up with its table (fresh after a bulk load, or rowids moved).
Bulk writers load without triggers and call ``install`` once at the end: one
rebuild is faster than a trigger per row.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Trigram never matches fewer than 3 characters (Unicode code points; Thai
# vowels and tone marks count as characters).
MIN_TRIGRAM = 3


@dataclass(frozen=True, slots=True)
class FtsSpec:
    """One base table's full-text index: which key columns line it up and which text it indexes."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.table}_fts"

    def create_sql(self) -> str:
        cols = [f'"{k}" UNINDEXED' for k in self.key] + [f'"{c}"' for c in self.columns]
        return (f'CREATE VIRTUAL TABLE "{self.name}" USING fts5({", ".join(cols)}, '
                "tokenize='trigram')")

    def _all(self, prefix: str) -> str:
        return ", ".join(f'{prefix}"{c}"' for c in (*self.key, *self.columns))

    def trigger_sql(self) -> dict[str, str]:
        """Triggers named ``T_fts_ai/_ad/_au``, each idempotent (see the module docstring)."""
        t, f = self.table, self.name
        insert_new = f'INSERT OR REPLACE INTO "{f}"(rowid, {self._all("")}) VALUES (new.rowid, {self._all("new.")});'
        delete_old = f'DELETE FROM "{f}" WHERE rowid = old.rowid;'
        return {
            f"{f}_ai": f'CREATE TRIGGER "{f}_ai" AFTER INSERT ON "{t}" BEGIN {insert_new} END',
            f"{f}_ad": f'CREATE TRIGGER "{f}_ad" AFTER DELETE ON "{t}" BEGIN {delete_old} END',
            f"{f}_au": f'CREATE TRIGGER "{f}_au" AFTER UPDATE ON "{t}" BEGIN {delete_old} {insert_new} END',
        }

    def append_sql(self) -> str:
        """Index the base rows past a rowid (``?``): a bulk load indexes each batch as it lands."""
        return (f'INSERT INTO "{self.name}"(rowid, {self._all("")}) '
                f'SELECT rowid, {self._all("")} FROM "{self.table}" WHERE rowid > ?')

    def rebuild_sql(self) -> list[str]:
        return [f'DELETE FROM "{self.name}"',
                f'INSERT INTO "{self.name}"(rowid, {self._all("")}) SELECT rowid, {self._all("")} FROM "{self.table}"']


# The text a reporter searches: article titles and bodies, and the names,
# aliases and wording of facts.
SPECS: dict[str, FtsSpec] = {s.table: s for s in (
    FtsSpec("articles", ("doc_id",), ("title", "text")),
    FtsSpec("persons", ("fact_id",), ("name", "aliases", "roles")),
    FtsSpec("roles", ("fact_id",), ("person", "role")),  # key check on fact_id alone: role is indexed text
    FtsSpec("orgs", ("fact_id",), ("name", "aliases")),
    FtsSpec("provinces", ("fact_id",), ("name",)),
    FtsSpec("programs", ("fact_id",), ("name", "aliases")),
    FtsSpec("figures", ("fact_id",), ("text", "about")),
    FtsSpec("dates", ("fact_id",), ("text",)),
)}

# Tables whose text is a slice of an article's text (offsets into articles.text):
# they need no index of their own, a row can only contain a term if its article
# does, so the articles index narrows them to a few articles and LIKE does the rest.
# (An index on sentences would cost as much as the articles' one: +60 MB on 2,000 articles.)
SLICES: dict[str, tuple[str, ...]] = {"sentences": ("text",), "mentions": ("text",)}

# Indexes earlier versions made and this one does not (install drops them).
OBSOLETE = ("sentences_fts",)


def _existing(db: sqlite3.Connection) -> dict[str, str]:
    return {name: sql or "" for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')")}


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def _lined_up(db: sqlite3.Connection, spec: FtsSpec) -> bool:
    """Same row count, and every FTS row's key equals its base row's key at the same rowid."""
    (n_base,) = db.execute(f'SELECT count(*) FROM "{spec.table}"').fetchone()
    (n_fts,) = db.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()
    if n_base != n_fts:
        return False
    if n_base == 0:
        return True
    same = " AND ".join(f'b."{k}" IS f."{k}"' for k in spec.key)
    (n_same,) = db.execute(f'SELECT count(*) FROM "{spec.name}" f JOIN "{spec.table}" b '
                           f'ON b.rowid = f.rowid AND {same}').fetchone()
    return n_same == n_base


def install(db: sqlite3.Connection, tables: Sequence[str] | None = None) -> list[str]:
    """Create or repair the full-text indexes and their triggers; return the tables whose index was rebuilt.

    Idempotent.  Tables of ``SPECS`` missing from the database are skipped
    (a partial dataset still gets search for what it has).  Runs in its own
    transaction (``with db``), so it commits whatever the connection had pending.
    Once installed, the triggers live in the file: any later writer, on any
    connection, keeps the index in step without calling this again.
    """
    present = _existing(db)
    rebuilt: list[str] = []
    with db:
        for name in OBSOLETE:
            if name in present:
                for n in ("ai", "ad", "au"):
                    db.execute(f'DROP TRIGGER IF EXISTS "{name}_{n}"')
                db.execute(f'DROP TABLE "{name}"')
        for spec in SPECS.values():
            if tables is not None and spec.table not in tables:
                continue
            if spec.table not in present:
                continue
            base_cols = {r[1] for r in db.execute(f'PRAGMA table_info("{spec.table}")')}
            missing = [c for c in (*spec.key, *spec.columns) if c not in base_cols]
            if missing:
                raise ValueError(f"search index for {spec.table!r}: the table has no column(s) {missing}")
            triggers = spec.trigger_sql()
            stale = spec.name in present and _normal(present[spec.name]) != _normal(spec.create_sql())
            stale |= any(n in present and _normal(present[n]) != _normal(sql) for n, sql in triggers.items())
            if stale:
                for n in triggers:
                    db.execute(f'DROP TRIGGER IF EXISTS "{n}"')
                db.execute(f'DROP TABLE IF EXISTS "{spec.name}"')
            if stale or spec.name not in present:
                db.execute(spec.create_sql())
            for n, sql in triggers.items():
                if stale or n not in present:
                    db.execute(sql)
            if not _lined_up(db, spec):
                for sql in spec.rebuild_sql():
                    db.execute(sql)
                rebuilt.append(spec.table)
    return rebuilt


def has_index(path: str | Path) -> bool:
    """True when the dataset file at ``path`` has the articles' search index."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone() is not None
    finally:
        db.close()


def build(path: str | Path) -> list[str]:
    """Build (or repair) the search index of the dataset file at ``path``; the tables indexed anew.

    ``khaosan extract`` leaves it out unless asked (``--search-index``): this is
    the one-off pass that ``khaosan serve`` runs on first start and ``khaosan
    index`` runs on demand.  Idempotent: a second call checks and returns [].
    """
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        rebuilt = install(db)
        db.execute("PRAGMA journal_mode=DELETE")  # back to one self-contained file for readers
        return rebuilt
    finally:
        db.close()


def drop(db: sqlite3.Connection) -> None:
    """Remove every index and trigger (for a bulk load that would rather rebuild once at the end)."""
    with db:
        for name in (*(s.name for s in SPECS.values()), *OBSOLETE):
            for n in ("ai", "ad", "au"):
                db.execute(f'DROP TRIGGER IF EXISTS "{name}_{n}"')
            db.execute(f'DROP TABLE IF EXISTS "{name}"')


def fts_phrase(term: str) -> str:
    """One search term as an FTS5 phrase: quoted, so Thai, digits and punctuation are taken literally."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """A LIKE pattern for a substring, with ``\\`` as the escape character."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def split_terms(query: str) -> list[str]:
    """Search terms: whitespace-separated words, or "quoted phrases" kept whole."""
    terms: list[str] = []
    parts = query.split('"')
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes
            if part.strip():
                terms.append(part.strip())
        else:
            terms.extend(part.split())
    return terms


def searchable(table: str) -> tuple[str, ...]:
    """The text columns a search looks in, or () when the table has no search."""
    if table in SPECS:
        return SPECS[table].columns
    return SLICES.get(table, ())


def terms_clause(table: str, terms: Sequence[str], columns: Sequence[str] | None = None,
                 alias: str = "", indexed: bool = True) -> tuple[str, dict[str, str]]:
    """SQL (with named parameters) selecting the rows of ``table`` that contain every term.

    Terms of three characters or more go through the trigram index; shorter ones
    (a two-character Thai word such as ปี) are matched with LIKE on the text
    columns, which scans the table but still answers.  ``columns`` restricts the
    search to some of the text columns.  ``indexed=False`` (a dataset written
    before the index existed) matches every term with LIKE.
    """
    prefix = f"{alias}." if alias else ""
    cols = tuple(columns) if columns else searchable(table)
    if not cols or not set(cols) <= set(searchable(table)):
        raise ValueError(f"{table!r} has no search on {sorted(set(cols) - set(searchable(table))) or 'any column'}")
    clauses: list[str] = []
    params: dict[str, str] = {}
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM] if indexed else []
    if long_terms and table in SPECS:
        spec = SPECS[table]
        scope = f"{{{' '.join(cols)}}} : " if columns else ""
        params["khaosan_fts"] = " AND ".join(scope + fts_phrase(t) for t in long_terms)
        clauses.append(f'{prefix}rowid IN (SELECT rowid FROM "{spec.name}" WHERE "{spec.name}" MATCH :khaosan_fts)')
    elif long_terms:  # a slice of articles: only rows of articles holding every term
        params["khaosan_fts"] = " AND ".join("{text} : " + fts_phrase(t) for t in long_terms)
        clauses.append(f'{prefix}doc_id IN (SELECT doc_id FROM articles_fts WHERE articles_fts MATCH :khaosan_fts)')
    like_terms = terms if table not in SPECS or not indexed else [t for t in terms if len(t) < MIN_TRIGRAM]
    for i, t in enumerate(like_terms):
        params[f"khaosan_like{i}"] = like_pattern(t)
        ors = " OR ".join(f'{prefix}"{c}" LIKE :khaosan_like{i} ESCAPE \'\\\'' for c in cols)
        clauses.append(f"({ors})")
    return " AND ".join(clauses) or "1", params
