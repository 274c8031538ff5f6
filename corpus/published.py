"""Normalising a publication date from a corpus column or page metadata to ISO ``YYYY-MM-DD``.

Sources write dates many ways: ISO dates and datetimes (with or without a zone),
``24/08/2020`` (day first, the Thai convention), RFC 2822 (RSS feeds), epoch
seconds, and Thai dates (``24 ส.ค. 2563``) with Buddhist-era years.  The date is
taken as written: a datetime's zone is not converted, because the publisher's
local date is the one the article's relative expressions (วันนี้, เมื่อวาน) mean.
"""
from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_tz

# Thai month names, full and abbreviated (with and without dots), and English ones.
_MONTHS: dict[str, int] = {}
for _i, _names in enumerate((
        "มกราคม ม.ค. มค jan january", "กุมภาพันธ์ ก.พ. กพ feb february", "มีนาคม มี.ค. มีค mar march",
        "เมษายน เม.ย. เมย apr april", "พฤษภาคม พ.ค. พค may", "มิถุนายน มิ.ย. มิย jun june",
        "กรกฎาคม ก.ค. กค jul july", "สิงหาคม ส.ค. สค aug august", "กันยายน ก.ย. กย sep sept september",
        "ตุลาคม ต.ค. ตค oct october", "พฤศจิกายน พ.ย. พย nov november", "ธันวาคม ธ.ค. ธค dec december"), 1):
    for _n in _names.split():
        _MONTHS[_n] = _i

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_D_MONTH_Y = re.compile(r"(?<!\d)(\d{1,2})\s*([A-Za-z\u0e01-\u0e4e]+\.?(?:[A-Za-z\u0e01-\u0e4e]+\.?)?)\s*,?\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{4}|\d{2})(?!\d)")
_MONTH_D_Y = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")

# Buddhist-era years are Gregorian + 543; no Thai publication predates 2400 BE (1857).
_BE_OFFSET = 543
_BE_FROM = 2400


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:  # two-digit years in Thai sources are Buddhist-era 25xx
        year += 2500
    return year - _BE_OFFSET if year >= _BE_FROM else year


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_epoch(raw: str) -> str | None:
    seconds = float(raw)
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _month_name(name: str) -> int | None:
    key = name.lower()
    return _MONTHS.get(key) or _MONTHS.get(key.rstrip(".")) or _MONTHS.get(key.replace(".", ""))


def normalize_published(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date/datetime value, or None when it is not a recognisable date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _from_epoch(str(value))
    raw = str(value).strip().translate(_THAI_DIGITS)
    if not raw:
        return None
    if _ISO_DATE.fullmatch(raw):  # the common case in corpora: already ISO
        return _iso(_year(raw[:4]), int(raw[5:7]), int(raw[8:10]))
    if _EPOCH.match(raw):
        return _from_epoch(raw)
    if m := _YMD.search(raw):
        return _iso(_year(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.search(raw):
        return _iso(_year(m[3]), int(m[2]), int(m[1]))
    if m := _D_MONTH_Y.search(raw):
        month = _month_name(m[2])
        if month:
            return _iso(_year(m[3]), month, int(m[1]))
    if m := _MONTH_D_Y.search(raw):
        month = _month_name(m[1])
        if month:
            return _iso(_year(m[3]), month, int(m[2]))
    parsed = parsedate_tz(raw)  # RFC 2822, e.g. "Mon, 24 Aug 2020 10:00:00 +0700"
    if parsed and parsed[0]:
        return _iso(parsed[0], parsed[1], parsed[2])
    return None
