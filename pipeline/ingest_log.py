"""Events of the scheduled job, as text lines or one JSON object per line.

The job reports through :class:`EventLog` (``log.event("article.new", doc_id=...)``),
which rides on :mod:`logging`; :func:`configure` puts a text or JSON formatter on
the root handler, so the warnings other khaosan modules log come out in the same
format and a log shipper never meets a line it cannot parse.

JSON lines: ``{"ts", "level", "event", "run_id", ...fields}``; records that are not
job events have ``"event": "log"``, ``"logger"`` and ``"message"``.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
_RESERVED = {"ts", "level", "event", "run_id"}


class EventLog:
    """Named events with fields; ``run_id`` is added once the run has one."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger("khaosan.ingest")
        self.run_id: int | None = None

    def event(self, name: str, level: int = logging.INFO, message: str = "", **fields: Any) -> None:
        if not self.logger.isEnabledFor(level):
            return
        text = message or " ".join(f"{k}={v}" for k, v in fields.items())
        self.logger.log(level, "%s %s", name, text,
                        extra={"khaosan_event": name, "khaosan_fields": fields, "khaosan_run": self.run_id,
                               "khaosan_message": message})

    def info(self, name: str, message: str = "", **fields: Any) -> None:
        self.event(name, logging.INFO, message, **fields)

    def warning(self, name: str, message: str = "", **fields: Any) -> None:
        self.event(name, logging.WARNING, message, **fields)

    def error(self, name: str, message: str = "", **fields: Any) -> None:
        self.event(name, logging.ERROR, message, **fields)

    def debug(self, name: str, message: str = "", **fields: Any) -> None:
        self.event(name, logging.DEBUG, message, **fields)


def _ts(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "khaosan_event", None)
        out: dict[str, Any] = {"ts": _ts(record), "level": record.levelname.lower()}
        if event is None:
            out.update(event="log", run_id=None, logger=record.name, message=record.getMessage())
        else:
            out.update(event=event, run_id=getattr(record, "khaosan_run", None))
            for k, v in getattr(record, "khaosan_fields", {}).items():
                out[f"{k}_" if k in _RESERVED else k] = v
            if getattr(record, "khaosan_message", ""):
                out["message"] = record.khaosan_message  # type: ignore[attr-defined]
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")


def configure(fmt: str = "text", level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """One stderr handler on the root logger, in ``fmt`` ("text" or "json")."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {fmt!r}")
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
