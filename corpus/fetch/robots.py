"""robots.txt rules for one host, read the way RFC 9309 says.

* 2xx: the file's rules apply (parsed by Protego: ``*`` and ``$`` wildcards and
  the longest-match precedence the RFC requires, which ``urllib.robotparser``
  lacks).  Only the first 512 KiB are read (the RFC asks for at least 500 KiB).
* 4xx (404, 403, 410...): "unavailable": everything is allowed.
* 5xx, 429, timeouts, connection failures, after the usual retries:
  "unreachable": the whole host is treated as disallowed for this run (the
  RFC's complete disallow), and the pages fail with a *retryable* error so a
  later run tries again.
* More than 5 redirects (or a loop) for robots.txt: unavailable, allowed.

Rules are fetched once per host per run (the :class:`Fetcher` caches them).
"""
from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

#: RFC 9309 2.5: parse at least 500 KiB.
MAX_ROBOTS_BYTES = 512 * 1024
#: RFC 9309 2.3.1.2: follow at least five consecutive redirects.
MAX_ROBOTS_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one host's robots.txt allows; exactly one of the three states."""

    parser: Protego | None = None  # a parsed file
    unreachable: str | None = None  # why robots.txt could not be read: disallow everything

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def parse(cls, body: bytes) -> RobotsRules:
        # robots.txt is UTF-8 by the RFC; a stray byte must not cost the whole file.
        return cls(parser=Protego.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")))

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay else None
