"""Web article identity: one canonical form per URL, and a readable, stable doc_id from it.

``canonical_url`` rules (each keeps the URL pointing at the same page):

* scheme and host in lower case, the host in IDNA (punycode) form, default
  ports (:80 for http, :443 for https) and user info dropped;
* the fragment (``#...``) dropped: it never reaches the server;
* tracking parameters dropped: ``utm_*``, ``fbclid``, ``gclid`` and the other
  click ids in ``_TRACKING``; the remaining parameters keep their order (some
  CMSs read them positionally, and the URL stays the one the publisher wrote);
* percent-encoding normalised (RFC 3986 6.2.2): Thai and other non-ASCII
  characters percent-encoded as UTF-8, escapes in upper case, escaped
  unreserved characters (``%41`` -> ``A``) decoded, so a Thai slug written
  either way gives one URL;
* an empty path becomes ``/``; an empty ``?`` goes.

``www.`` is kept (it can be another server); trailing slashes are kept.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "s_cid", "ncid", "cmpid", "rb_clickid",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters that may stand unescaped in a path / query (RFC 3986); '%' stays to keep existing escapes.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


def is_url(source: str) -> bool:
    """True for an absolute http(s) URL (a source to fetch), False for a path."""
    try:
        parts = urlsplit(source.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _escapes(text: str, safe: str) -> str:
    """Percent-encode what must be, upper-case escapes, decode escaped unreserved characters."""
    quoted = quote(text, safe=safe)

    def fix(m: re.Match[str]) -> str:
        char = chr(int(m[0][1:], 16))
        return char if char in _UNRESERVED else m[0].upper()

    return _ESCAPE.sub(fix, quoted)


def _tracking(piece: str) -> bool:
    key = unquote_plus(piece.split("=", 1)[0]).lower()
    return key.startswith(_TRACKING_PREFIXES) or key in _TRACKING


def _host(hostname: str) -> str:
    host = hostname.lower().rstrip(".")
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        host = host.encode("idna").decode("ascii")
    return host


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL (rules in the module docstring); ValueError when it is not one."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = _host(parts.hostname)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port  # ValueError for a port out of range: the URL is bad
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _escapes(parts.path or "/", _PATH_SAFE)
    # Filter the raw "k=v" pieces: decoding and re-encoding the others could change them.
    query = "&".join(piece for piece in parts.query.split("&") if piece and not _tracking(piece))
    query = _escapes(query, _QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


def same_site(a: str, b: str) -> bool:
    """Same host, ignoring case and a leading ``www.``."""
    def bare(url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host

    return bare(a) == bare(b) != ""


def url_doc_id(url: str) -> str:
    """``{host}-{12 hex}``: the host (without ``www.``) to read, a BLAKE2b of the canonical URL to be unique.

    Stable across runs and machines: it depends on the canonical URL only.
    """
    canonical = canonical_url(url)
    host = urlsplit(canonical).hostname or "web"
    if host.startswith("www."):
        host = host[4:]
    digest = hashlib.blake2b(canonical.encode("utf-8"), digest_size=6).hexdigest()
    return f"{host}-{digest}"
