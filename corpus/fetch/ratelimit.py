"""The per-host rate limit: at least ``interval`` seconds between the starts of two requests to one host.

Clock and sleep are injected so tests can check the schedule without waiting.
A host's robots.txt may ask for a longer ``Crawl-delay``; :meth:`slow_down`
raises that host's interval (never lowers it below the configured one).
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit


def host_key(url: str) -> str:
    """The host a rate limit applies to: lower-case ``host[:port]``."""
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


class HostRateLimiter:
    def __init__(self, interval: float, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        self._next: dict[str, float] = {}
        self._intervals: dict[str, float] = {}
        #: Seconds spent waiting for hosts, for the run's statistics.
        self.waited = 0.0

    def interval_for(self, host: str) -> float:
        return self._intervals.get(host, self.interval)

    def slow_down(self, host: str, seconds: float) -> None:
        """Use a longer interval for ``host`` (its robots.txt Crawl-delay)."""
        current = self.interval_for(host)
        if seconds > current:
            self._intervals[host] = seconds
            if host in self._next:  # the slot booked by the robots.txt request itself moves too
                self._next[host] += seconds - current

    def wait(self, host: str) -> None:
        """Block until ``host`` may be asked again, then book the next slot."""
        now = self._clock()
        ready = self._next.get(host)
        if ready is not None and now < ready:
            self._sleep(ready - now)
            self.waited += ready - now
            # A fake sleep may not move the clock: the slot starts at ``ready`` either way.
            now = max(self._clock(), ready)
        self._next[host] = now + self.interval_for(host)
