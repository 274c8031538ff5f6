"""``khaosan.toml``: the sources and settings of the scheduled job, checked before anything runs.

::

    [ingest]
    db = "/var/lib/khaosan/khaosan.sqlite"   # relative paths are relative to this file
    sources = ["inbox/", "dumps/2024.jsonl.gz", "https://example.org/rss.xml"]
    since = "2024-01-01"                     # or "7d", "48h": that long before the run
    until = "2024-12-31"
    max_attempts = 5                         # failed attempts before an item is quarantined
    quarantine_retry = "24h"                 # quarantined sources and pages are tried again after this
    log_format = "json"                      # or "text"

    [fetch]                                  # khaosan.corpus.fetch.http.FetchSettings fields
    user_agent = "khaosan/0.1 (+https://newsroom.example/contact)"
    per_host_interval = 2.0

    [pipeline]                               # khaosan.pipeline.settings.Settings fields
    workers = 1

Every mistake is a :class:`ConfigError` naming the file, the key and what is wrong;
the CLI turns it into exit code 2 before the dataset is touched.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from khaosan.pipeline.settings import Settings

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_QUARANTINE_RETRY = 24 * 3600.0
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.I)


class ConfigError(Exception):
    """A bad configuration file, option or argument; ``str(e)`` says where and why."""


def parse_duration(value: str | int | float, what: str = "duration") -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"2h"``, ``"7d"``, ``"1w"``."""
    if isinstance(value, bool):
        raise ConfigError(f"{what}: expected a duration like 2h, got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ConfigError(f"{what}: must not be negative, got {value}")
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ConfigError(f"{what}: expected a duration like 90s, 15m, 2h, 7d or 1w, got {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def parse_when(value: str | date | datetime, what: str, now: datetime | None = None) -> datetime:
    """An aware datetime from an ISO date/datetime (UTC when no offset) or a duration back from now."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):  # TOML dates arrive as date objects
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    text = str(value).strip()
    if _DURATION.match(text):
        return (now or datetime.now(timezone.utc)) - timedelta(seconds=parse_duration(text, what))
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{what}: expected a date (2024-01-31), a date and time (2024-01-31T08:00+07:00) "
                          f"or a duration back from now (7d, 48h), got {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class IngestConfig:
    """Everything one ingest run needs besides the dataset's own state."""

    db: Path | None = None
    sources: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    quarantine_retry: float = DEFAULT_QUARANTINE_RETRY  # seconds
    log_format: str = "text"
    settings: Settings = field(default_factory=Settings.from_env)
    fetch: dict[str, Any] = field(default_factory=dict)  # FetchSettings overrides

    def replace(self, **changes: Any) -> IngestConfig:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def check(self) -> IngestConfig:
        """The checks that need the merged config (file + command line)."""
        if self.db is None:
            raise ConfigError("no dataset: give --db DATASET.sqlite or [ingest] db in the config file")
        if not self.sources:
            raise ConfigError("no sources: give SOURCE arguments or [ingest] sources in the config file")
        if self.max_attempts < 1:
            raise ConfigError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since ({self.since.isoformat()}) is after until ({self.until.isoformat()})")
        if self.log_format not in ("text", "json"):
            raise ConfigError(f"log_format must be text or json, got {self.log_format!r}")
        fetch_settings(self.fetch)  # fail now, not at the first URL
        return self


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch_settings(overrides: dict[str, Any]) -> Any:
    """``FetchSettings`` with the config's overrides, checked field by field."""
    try:
        from khaosan.corpus.fetch.http import FetchSettings
    except ImportError:
        if overrides:
            raise ConfigError("[fetch] settings given, but this khaosan has no fetch module "
                              "(khaosan.corpus.fetch)") from None
        return None
    try:
        return FetchSettings.from_mapping(overrides)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"[fetch] {e}") from None


def _checked(section: str, values: dict[str, Any], cls: type) -> dict[str, Any]:
    """``values`` for the dataclass ``cls``: unknown keys and wrong types refused."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        f = fields.get(key)
        if f is None:
            raise ConfigError(f"[{section}] {key}: unknown setting (known: {', '.join(sorted(fields))})")
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)  # type: ignore[misc]
        out[key] = _coerce(section, key, value, default)
    return out


def _coerce(section: str, key: str, value: Any, default: Any) -> Any:
    where = f"[{section}] {key}"
    if default is None or isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected text, got {value!r}")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected a whole number, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of text, got {value!r}")
        return tuple(value)
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"{where}: expected a table of text values, got {value!r}")
        return {**default, **value}
    return value


_INGEST_KEYS = {"db", "sources", "since", "until", "max_attempts", "quarantine_retry", "log_format"}


def load_config(path: str | Path, settings: Settings | None = None) -> IngestConfig:
    """Read and check ``khaosan.toml``; relative paths are taken from the file's folder."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    unknown = set(raw) - {"ingest", "fetch", "pipeline"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(sorted(unknown))} "
                          "(known: ingest, fetch, pipeline)")
    base = path.resolve().parent

    def local(p: str) -> str:
        return p if is_url(p) or Path(p).is_absolute() else str(base / p)

    ing = raw.get("ingest", {})
    for section in ("ingest", "fetch", "pipeline"):
        if not isinstance(raw.get(section, {}), dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
    bad = set(ing) - _INGEST_KEYS
    if bad:
        raise ConfigError(f"{path}: [ingest] {', '.join(sorted(bad))}: unknown setting "
                          f"(known: {', '.join(sorted(_INGEST_KEYS))})")
    try:
        values: dict[str, Any] = {}
        if "db" in ing:
            if not isinstance(ing["db"], str) or not ing["db"]:
                raise ConfigError("[ingest] db: expected a file path")
            values["db"] = Path(local(ing["db"]))
        if "sources" in ing:
            srcs = ing["sources"]
            if not isinstance(srcs, list) or not all(isinstance(s, str) and s for s in srcs):
                raise ConfigError("[ingest] sources: expected a list of paths and URLs")
            values["sources"] = tuple(local(s) for s in srcs)
        for key in ("since", "until"):
            if key in ing:
                values[key] = parse_when(ing[key], f"[ingest] {key}")
        if "max_attempts" in ing:
            values["max_attempts"] = _coerce("ingest", "max_attempts", ing["max_attempts"], 1)
        if "quarantine_retry" in ing:
            values["quarantine_retry"] = parse_duration(ing["quarantine_retry"], "[ingest] quarantine_retry")
        if "log_format" in ing:
            values["log_format"] = _coerce("ingest", "log_format", ing["log_format"], "")
        base_settings = settings or Settings.from_env()
        pipeline = _checked("pipeline", raw.get("pipeline", {}), Settings)
        values["settings"] = base_settings.replace(**pipeline)
        values["fetch"] = dict(raw.get("fetch", {}))
        config = IngestConfig(**values)
        fetch_settings(config.fetch)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
    return config
