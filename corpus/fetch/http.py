"""One polite, bounded HTTP GET: the only way khaosan talks to the network.

Every request a run makes goes through one :class:`Fetcher`, which

* names khaosan in its User-Agent,
* asks robots.txt first (once per host per run, RFC 9309; see :mod:`.robots`),
* waits ``per_host_interval`` seconds between two requests to the same host
  (longer when robots.txt asks for a ``Crawl-delay``, up to ``max_crawl_delay``),
* times out on connect (``connect_timeout``), on each read (``read_timeout``)
  and on the whole response (``total_timeout``),
* retries timeouts, dropped connections, 5xx, 408 and 429 with exponential
  backoff (``backoff`` * 2^n seconds, at most ``max_backoff``), honouring a
  ``Retry-After`` up to ``max_retry_after`` (a longer one gives up at once, retryable),
  and never retries other 4xx,
* sends ``If-None-Match``/``If-Modified-Since`` from the :class:`Validators`
  it was given, so an unchanged feed costs one 304,
* streams the body and stops at ``max_bytes`` (checked on the decompressed
  bytes, so a gzip bomb is stopped too),
* follows at most ``max_redirects`` redirects itself, naming a loop as a loop.

Failures raise :class:`FetchError` with a one-line reason a person on call can
act on, and whether a later run may succeed (``retryable``).
"""
from __future__ import annotations

import dataclasses
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from khaosan import __version__
from khaosan.corpus.encoding import DecodeError, canonical as canonical_codec, decode, looks_thai
from khaosan.corpus.fetch.ratelimit import HostRateLimiter, host_key
from khaosan.corpus.fetch.robots import MAX_ROBOTS_BYTES, MAX_ROBOTS_REDIRECTS, RobotsRules

log = logging.getLogger("khaosan.fetch")

MiB = 1024 * 1024
PROJECT_URL = "https://github.com/khaosan/khaosan"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Worth asking again: the server is overloaded or asked us to slow down.
_RETRY_STATUSES = frozenset({408, 429})
# Code pages servers claim by default; Thai bytes labelled with one are still Thai.
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859-1", "ascii"})
# Conditional-request memory also keeps, per page, the feed/sitemap date last
# processed (see sources.py); those entries live under this prefix.
ENTRY_KEY = "khaosan:entry:"
# What a feed reader and a browser accept: some servers pick the representation by it.
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,"
           "text/xml;q=0.9,*/*;q=0.8")


def default_user_agent() -> str:
    return f"khaosan/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Every knob of the network side, with its default.  Times are seconds."""

    #: Sent with every request.  A custom value that does not name khaosan gets
    #: ``khaosan/<version>`` appended: site owners must be able to tell who we are.
    user_agent: str = field(default_factory=default_user_agent)
    connect_timeout: float = 10.0
    #: Longest wait for the next bytes of a response.
    read_timeout: float = 30.0
    #: Longest time for a whole response (a server dripping bytes cannot hold a run).
    total_timeout: float = 120.0
    #: Retries after the first attempt (so 3 means up to 4 requests).
    retries: int = 3
    #: First retry waits this long, then twice as long each time ...
    backoff: float = 1.0
    #: ... but never longer than this.
    max_backoff: float = 60.0
    #: A Retry-After up to this long is honoured; a longer one fails the request (retryable).
    max_retry_after: float = 120.0
    #: Minimum time between the starts of two requests to one host.
    per_host_interval: float = 1.0
    #: A robots.txt Crawl-delay is honoured up to this long.
    max_crawl_delay: float = 30.0
    #: Largest response body accepted (after decompression).
    max_bytes: int = 10 * MiB
    max_redirects: int = 5
    respect_robots: bool = True
    #: A feed item whose page fails is still taken from the feed's own content when
    #: that content has at least this many characters of text.
    feed_fallback_chars: int = 200
    #: Article pages fetched per feed/sitemap per run (0: no limit).  A first run over
    #: a large sitemap then spreads over several runs instead of holding the lock for days.
    max_pages_per_source: int = 0

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("user_agent", "respect_robots"):
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"fetch setting {f.name} must be a number >= 0, not {value!r}")
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"fetch setting {name} must be > 0")
        if not isinstance(self.user_agent, str) or not self.user_agent.strip():
            raise ValueError("fetch setting user_agent must be a non-empty string")
        if "khaosan" not in self.user_agent.lower():
            object.__setattr__(self, "user_agent", f"{self.user_agent.strip()} khaosan/{__version__}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> FetchSettings:
        """Settings from a config table (``[fetch]`` in khaosan.toml); unknown keys and bad types raise ValueError."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"unknown fetch setting(s): {', '.join(unknown)} (known: {', '.join(known)})")
        defaults = cls()
        typed: dict[str, Any] = {}
        for name, value in values.items():
            kind = type(getattr(defaults, name))
            if kind is bool:
                if not isinstance(value, bool):
                    raise ValueError(f"fetch setting {name} must be true or false, not {value!r}")
            elif kind in (int, float):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"fetch setting {name} must be a number, not {value!r}")
                if kind is int and value != int(value):
                    raise ValueError(f"fetch setting {name} must be a whole number, not {value!r}")
                value = kind(value)
            elif not isinstance(value, str):
                raise ValueError(f"fetch setting {name} must be a string, not {value!r}")
            typed[name] = value
        return cls(**typed)


class Validators(Protocol):
    """Conditional-request memory (ETag, Last-Modified per URL), kept across runs by the job."""

    def get(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


class MemoryValidators:
    """Validators in a dict: for tests and one-off runs."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[str | None, str | None]] = {}

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        return self.data.get(url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.data[url] = (etag, last_modified)


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` is one human line, ``retryable`` says if a later run may succeed."""

    def __init__(self, url: str, reason: str, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retryable = retryable
        self.status = status


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """(text, codec): the header's charset, else the page's ``<meta charset>``, else detection.

    UTF-8 that decodes always wins (a wrong label is more common than Thai bytes
    that happen to be valid UTF-8), and a Western code page declared by a
    server default does not turn Thai TIS-620 bytes into mojibake.
    """
    from khaosan.corpus.html import declared_charset

    declared = header_charset or declared_charset(body)
    codec = canonical_codec(declared)
    if codec in _WESTERN:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            try:
                thai = body.decode("cp874")
            except UnicodeDecodeError:
                thai = None
            if thai is not None and looks_thai(thai):
                return thai, "cp874"
    return decode(body, declared)


@dataclass(slots=True)
class Response:
    """A successful (2xx) or not-modified (304) response."""

    url: str  # final URL, after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    not_modified: bool = False
    requested_url: str = ""  # the URL asked for: the key of its validators
    redirects: tuple[str, ...] = ()  # the URLs redirected through, in order

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def decoded(self) -> tuple[str, str]:
        """(text, codec used); raises :class:`FetchError` for bytes that are not text."""
        try:
            return decode_body(self.body, self.charset)
        except DecodeError as e:
            raise FetchError(self.url, str(e)) from None

    def text(self) -> str:
        return self.decoded()[0]


@dataclass(slots=True)
class FetchStats:
    """What a run cost the sites it visited; the job logs it at the end."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    bytes: int = 0
    robots_fetched: int = 0
    robots_disallowed: int = 0
    failures: int = 0
    waited_seconds: float = 0.0


@dataclass(slots=True)
class _Raw:
    url: str
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes


class _Abort(Exception):
    """A response the fetcher refuses without retrying (size cap, bad encoding)."""


class _TotalTimeout(Exception):
    pass


def _seconds(x: float) -> str:
    return f"{x:g} s"


def size_text(n: int) -> str:
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n:,} bytes"


def _attempts_text(n: int) -> str:
    return f"{n} attempt" if n == 1 else f"{n} attempts"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def check_url(url: str) -> str:
    """The URL without its fragment; FetchError for anything but an absolute http(s) URL."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not an http(s) URL")
    return url


class Fetcher:
    """All the requests of one run.  Not thread-safe: one per run, used from one thread."""

    def __init__(self, settings: FetchSettings | None = None, validators: Validators | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or FetchSettings()
        #: None: no conditional requests at all.
        self.validators = validators
        self.stats = FetchStats()
        self._sleep = sleep
        self._clock = clock
        self._limiter = HostRateLimiter(self.settings.per_host_interval, sleep, clock)
        self._robots: dict[str, RobotsRules] = {}
        s = self.settings
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept": _ACCEPT, "Accept-Language": "th, en;q=0.5"},
            timeout=httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout,
                                  pool=s.connect_timeout),
            follow_redirects=False, transport=transport)

    # -- public -----------------------------------------------------------

    def get(self, url: str, conditional: bool = True, remember: bool = True) -> Response:
        """GET ``url``: a 2xx :class:`Response`, or one with ``not_modified`` after a 304.

        ``conditional`` sends the stored validators; ``remember`` stores the new
        ones at once.  Callers that must not trust a 304 before their own work is
        committed pass ``remember=False`` and call :meth:`remember` afterwards.
        """
        try:
            response = self._get(check_url(url), conditional)
        except FetchError:
            self.stats.failures += 1
            raise
        if remember and not response.not_modified:
            self.remember(response)
        return response

    def remember(self, response: Response) -> None:
        """Store a response's ETag/Last-Modified for the next conditional request to its URL."""
        if self.validators is None or response.not_modified:
            return
        key = response.requested_url or response.url
        etag, modified = response.etag, response.last_modified
        if etag or modified or self.validators.get(key) is not None:
            self.validators.put(key, etag, modified)

    def seen_entry(self, url: str) -> str | None:
        """The feed/sitemap date (ISO, UTC) recorded when ``url`` was last processed, if any."""
        if self.validators is None:
            return None
        stored = self.validators.get(ENTRY_KEY + url)
        return stored[1] if stored else None

    def remember_entry(self, url: str, when: str | None) -> None:
        if self.validators is not None and when:
            self.validators.put(ENTRY_KEY + url, None, when)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- redirects, robots -------------------------------------------------

    def _get(self, url: str, conditional: bool) -> Response:
        stored = self.validators.get(url) if conditional and self.validators is not None else None
        headers: dict[str, str] = {}
        if stored:
            etag, modified = stored
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        hops = [url]
        current = url
        while True:
            self._check_robots(current, url)
            raw = self._attempts(current, headers, self.settings.max_bytes, truncate=False, origin=url)
            if raw.status in _REDIRECTS:
                current = self._next_hop(url, hops, raw, self.settings.max_redirects)
                continue
            if raw.status == 304:
                if not headers:
                    raise FetchError(url, "HTTP 304 Not Modified to a request that was not conditional", status=304)
                self.stats.not_modified += 1
                return Response(current, 304, raw.headers, b"", True, url, tuple(hops[1:]))
            if 200 <= raw.status < 300:
                return Response(current, raw.status, raw.headers, raw.body, False, url, tuple(hops[1:]))
            phrase = f" {raw.reason}" if raw.reason else ""
            where = f" at {current}" if current != url else ""
            raise FetchError(url, f"HTTP {raw.status}{phrase}{where}", retryable=False, status=raw.status)

    def _next_hop(self, url: str, hops: list[str], raw: _Raw, limit: int) -> str:
        location = raw.headers.get("location", "").strip()
        if not location:
            raise FetchError(url, f"HTTP {raw.status} redirect without a Location header", status=raw.status)
        target = urldefrag(urljoin(raw.url, location))[0]
        if target in hops:
            chain = " → ".join([*hops[hops.index(target):], target])
            raise FetchError(url, f"redirect loop ({chain})")
        if len(hops) > limit:
            raise FetchError(url, f"too many redirects ({len(hops)} > {limit})")
        try:
            check_url(target)
        except FetchError:
            raise FetchError(url, f"redirect to a non-http(s) URL: {target}") from None
        hops.append(target)
        return target

    def _check_robots(self, url: str, origin: str) -> None:
        if not self.settings.respect_robots:
            return
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        rules = self._robots.get(site)
        if rules is None:
            rules = self._robots[site] = self._fetch_robots(site)
        if rules.allows(url, self.settings.user_agent):
            return
        self.stats.robots_disallowed += 1
        where = f" ({url})" if url != origin else ""
        if rules.unreachable is not None:
            raise FetchError(origin, f"robots.txt unreachable ({rules.unreachable}): host treated as disallowed"
                                     f" for this run (RFC 9309){where}", retryable=True)
        raise FetchError(origin, f"disallowed by robots.txt{where}")

    def _fetch_robots(self, site: str) -> RobotsRules:
        """One host's rules (RFC 9309 status handling: see :mod:`.robots`)."""
        self.stats.robots_fetched += 1
        url = f"{site}/robots.txt"
        hops = [url]
        current = url
        try:
            while True:
                raw = self._attempts(current, {}, MAX_ROBOTS_BYTES, truncate=True, origin=url)
                if raw.status not in _REDIRECTS:
                    break
                current = self._next_hop(url, hops, raw, MAX_ROBOTS_REDIRECTS)
        except FetchError as e:
            if e.retryable:  # 5xx/429/timeouts after retries: unreachable
                log.warning("robots.txt of %s unreachable (%s): treating the host as disallowed", site, e.reason)
                return RobotsRules(unreachable=e.reason)
            log.info("robots.txt of %s unavailable (%s): everything allowed", site, e.reason)
            return RobotsRules.allow_all()
        if 200 <= raw.status < 300:
            rules = RobotsRules.parse(raw.body)
            delay = rules.crawl_delay(self.settings.user_agent)
            if delay:
                seconds = min(delay, self.settings.max_crawl_delay)
                log.info("robots.txt of %s asks a crawl delay of %s: waiting %s between requests",
                         site, _seconds(delay), _seconds(max(seconds, self.settings.per_host_interval)))
                self._limiter.slow_down(host_key(site), seconds)
            return rules
        return RobotsRules.allow_all()  # 4xx (and odd statuses): unavailable, allowed

    # -- one URL, with retries ------------------------------------------------

    def _attempts(self, url: str, headers: Mapping[str, str], cap: int, truncate: bool, origin: str) -> _Raw:
        s = self.settings
        attempts = s.retries + 1
        host = host_key(url)
        for attempt in range(1, attempts + 1):
            self._wait(host)
            retry_after: float | None = None
            status: int | None = None
            try:
                raw = self._once(url, headers, cap, truncate)
            except httpx.TimeoutException as e:
                failure = self._timeout_reason(e)
            except _TotalTimeout:
                failure = f"timed out (total {_seconds(s.total_timeout)})"
            except _Abort as e:
                raise FetchError(origin, str(e)) from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
                raise FetchError(origin, f"bad URL: {e}") from None
            except httpx.DecodingError as e:
                raise FetchError(origin, f"undecodable response body ({e})") from None
            except httpx.TransportError as e:
                failure = f"connection failed: {e or type(e).__name__}"
            else:
                if not (raw.status >= 500 or raw.status in _RETRY_STATUSES):
                    return raw
                status = raw.status
                failure = f"HTTP {status}"
                retry_after = retry_after_seconds(raw.headers.get("retry-after"))
            where = f" at {url}" if url != origin else ""
            if attempt == attempts:
                raise FetchError(origin, f"{failure}{where} after {_attempts_text(attempts)}", retryable=True,
                                 status=status)
            delay = min(s.backoff * 2 ** (attempt - 1), s.max_backoff)
            if retry_after is not None:
                if retry_after > s.max_retry_after:
                    raise FetchError(origin, f"{failure}{where}, Retry-After {_seconds(round(retry_after))} is over"
                                             f" the {_seconds(s.max_retry_after)} cap", retryable=True)
                delay = max(delay, retry_after)
            self.stats.retries += 1
            log.warning("GET %s: %s; retry %d/%d in %s", url, failure, attempt, s.retries, _seconds(delay))
            self._sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _wait(self, host: str) -> None:
        before = self._limiter.waited
        self._limiter.wait(host)
        self.stats.waited_seconds += self._limiter.waited - before

    def _timeout_reason(self, e: httpx.TimeoutException) -> str:
        s = self.settings
        if isinstance(e, httpx.ConnectTimeout):
            return f"timed out (connect {_seconds(s.connect_timeout)})"
        if isinstance(e, httpx.ReadTimeout):
            return f"timed out (read {_seconds(s.read_timeout)})"
        if isinstance(e, httpx.WriteTimeout):
            return f"timed out (write {_seconds(s.read_timeout)})"
        return f"timed out (waiting for a connection, {_seconds(s.connect_timeout)})"

    def _once(self, url: str, headers: Mapping[str, str], cap: int, truncate: bool) -> _Raw:
        deadline = self._clock() + self.settings.total_timeout
        request = self._client.build_request("GET", url, headers=dict(headers))
        response = self._client.send(request, stream=True)
        self.stats.requests += 1
        try:
            if not 200 <= response.status_code < 300:
                return _Raw(url, response.status_code, response.reason_phrase, response.headers, b"")
            declared = response.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > cap:
                raise _Abort(f"response over {size_text(cap)} cap (Content-Length {int(declared):,} bytes)")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                self.stats.bytes += len(chunk)
                if total > cap:
                    if not truncate:
                        raise _Abort(f"response over {size_text(cap)} cap")
                    chunks.append(chunk[: len(chunk) - (total - cap)])
                    break
                chunks.append(chunk)
                if self._clock() > deadline:
                    raise _TotalTimeout
            return _Raw(url, response.status_code, response.reason_phrase, response.headers, b"".join(chunks))
        finally:
            response.close()
