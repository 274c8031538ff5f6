"""``khaosan status DATASET``: the last runs, the sources, the open failures, and a health verdict.

For monitoring: with ``--max-age 2h`` the exit code is 1 when the last completed
ingest run (status ok or partial) finished longer ago than that, or never did;
a check that runs every few minutes then pages someone when the timer stopped
firing, the job keeps crashing, or the lock is stuck.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from khaosan.outputs.store import Store, parse_utc

STATUS_OK = 0
STATUS_STALE = 1  # no completed run within --max-age (or none at all)
STATUS_UNREADABLE = 2  # the dataset cannot be opened


def _ago(ts: str | None, now: datetime) -> str:
    if not ts:
        return "never"
    seconds = (now - parse_utc(ts)).total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.1f} days ago"


@dataclass(slots=True)
class StatusReport:
    db: str
    healthy: bool
    verdict: str
    articles: int = 0
    facts: int = 0
    stale_articles: int = 0
    version: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return STATUS_OK if self.healthy else STATUS_STALE

    def as_dict(self) -> dict[str, Any]:
        return {"db": self.db, "healthy": self.healthy, "verdict": self.verdict, "articles": self.articles,
                "facts": self.facts, "stale_articles": self.stale_articles, "pipeline_version": self.version,
                "runs": self.runs, "sources": self.sources, "failures": self.failures}

    def lines(self, now: datetime | None = None) -> list[str]:
        now = now or datetime.now(timezone.utc)
        out = [f"dataset {self.db}: {self.articles} articles, {self.facts} facts"]
        if self.stale_articles:
            out.append(f"  {self.stale_articles} articles were made by an older pipeline version than "
                       f"{self.version}: run khaosan reprocess")
        out.append("last runs:")
        for r in self.runs:
            out.append(
                f"  #{r['run_id']} {r['kind']:<9} {r['status']:<11} started {r['started']} "
                f"({_ago(r['started'], now)}), "
                + (f"finished {r['finished']}" if r["finished"] else "not finished")
                + f": {r['articles_new']} new, {r['articles_updated']} updated, "
                f"{r['articles_reprocessed']} reprocessed, {r['articles_unchanged']} unchanged, "
                f"{r['articles_failed']} failed; facts +{r['facts_added']} -{r['facts_removed']}; "
                f"{r['sources_failed']} sources failed"
                + (f" -- {r['message']}" if r["message"] else ""))
        if not self.runs:
            out.append("  none")
        if self.sources:
            out.append("sources:")
            for s in self.sources:
                line = (f"  {s['source']}: {s['last_status']}, last success {_ago(s['last_success'], now)}, "
                        f"last run {s['articles_new']} new, {s['articles_updated']} updated, "
                        f"{s['articles_unchanged']} unchanged, {s['articles_failed']} failed")
                if s["last_error"]:
                    line += f" -- {s['last_error']}"
                out.append(line)
        quarantined = sum(1 for f in self.failures if f["quarantined"])
        out.append(f"open failures: {len(self.failures)} ({quarantined} quarantined)")
        for f in self.failures[:50]:
            flag = "QUARANTINED " if f["quarantined"] else ""
            out.append(f"  {flag}{f['kind']} {f['location']}: {f['reason']} "
                       f"(attempts {f['attempts']}, first {f['first_seen']}, last {f['last_seen']})")
        if len(self.failures) > 50:
            out.append(f"  ... and {len(self.failures) - 50} more (khaosan status --json)")
        out.append(("OK: " if self.healthy else "STALE: ") + self.verdict)
        return out


def status(db_path: str | Path, max_age: float | None = None, n_runs: int = 5,
           now: datetime | None = None) -> StatusReport:
    """The dataset's state; raises StoreError when it cannot be opened."""
    from khaosan.outputs.schema import FAMILY_TABLES
    from khaosan.pipeline.version import pipeline_version

    now = now or datetime.now(timezone.utc)
    store = Store.open(db_path, create=False, readonly=True)
    try:
        db = store.db
        db.execute("BEGIN")
        version = pipeline_version()
        has_state = store.has_table("runs")
        report = StatusReport(db=str(db_path), healthy=True, verdict="", version=version)
        report.articles = store.count("articles")
        report.facts = sum(store.count(t) for t in FAMILY_TABLES if store.has_table(t))
        report.stale_articles = int(db.execute("SELECT count(*) FROM articles WHERE pipeline_version IS NOT ?",
                                               (version,)).fetchone()[0])
        last = None
        if has_state:
            report.runs = store.runs(n_runs)
            report.sources = store.sources()
            report.failures = [{"kind": f.kind, "location": f.location, "what": f.what, "source": f.source,
                                "reason": f.reason, "attempts": f.attempts, "first_seen": f.first_seen,
                                "last_seen": f.last_seen, "quarantined": f.quarantined}
                               for f in store.failures()]
            last = store.last_completed_run()
        db.execute("COMMIT")
    finally:
        store.close()
    if last is None:
        report.verdict = "no ingest run has completed on this dataset"
        report.healthy = max_age is None
        return report
    age = (now - parse_utc(last["finished"])).total_seconds()
    report.verdict = f"last completed ingest run #{last['run_id']} ({last['status']}) finished {_ago(last['finished'], now)}"
    if max_age is not None:
        report.healthy = age <= max_age
        report.verdict += f" ({'within' if report.healthy else 'older than'} --max-age {max_age / 3600:g} h)"
    return report
