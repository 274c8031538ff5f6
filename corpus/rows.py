"""Corpus files: one article per row of a JSONL or CSV file, optionally gzip-compressed.

Rows stream one at a time (a 600 MB ``.jsonl.gz`` reads in constant memory); a
bad row is a :class:`ReadError` naming ``file:line`` and the next rows still
read; a truncated gzip reports an error after the rows it did hold.  Column
names come from ``settings.columns`` (our field -> their column).
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from khaosan.corpus.article import Article, ReadError, join_text
from khaosan.corpus.encoding import DecodeError, check_text, detect
from khaosan.corpus.files import open_binary, stem
from khaosan.corpus.published import normalize_published
from khaosan.pipeline.settings import Settings

FIELDS = ("id", "url", "published", "title", "body")
DEFAULT_COLUMNS = {f: f for f in FIELDS}
_SAMPLE = 1 << 16
# A stream that stops early (cut download, disk full while compressing) ends in one of these.
_STREAM_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)
_UTF8 = ("utf-8", "utf-8-sig")
_CSV_DELIMITERS = (",", "\t", ";", "|")


def line_limit(settings: Settings) -> int:
    """Longest row read (bytes or characters): a capped article still fits even as \\uXXXX escapes."""
    return settings.max_article_chars * 8 + (1 << 20)


def _columns(settings: Settings) -> dict[str, str]:
    return {**DEFAULT_COLUMNS, **settings.columns}


def _text(value: Any) -> str | None:
    """A cell as text: None for missing/empty, str() for numbers, JSON for lists and objects."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def row_article(row: Mapping[str, Any], cols: Mapping[str, str], path: Path, line: int,
                settings: Settings) -> Article | ReadError:
    """The article of one row, or the reason it has none."""
    source = f"{path}:{line}"
    body = row.get(cols["body"])
    if not isinstance(body, str):
        if body is not None and not isinstance(body, (dict, list)):
            body = str(body)
        elif body is not None:
            return ReadError(source, f"column '{cols['body']}' is not text")
    if body is None or not body.strip():
        return ReadError(source, f"row has no body (column '{cols['body']}' missing or empty)")
    title = _text(row.get(cols["title"]))
    raw_published = row.get(cols["published"])
    published = normalize_published(raw_published)
    used = {cols[f] for f in FIELDS}
    meta = {k: v for k, val in row.items() if k not in used and (v := _text(val)) is not None}
    if published is None and _text(raw_published):
        meta["published_raw"] = _text(raw_published) or ""
    text = join_text(title, body)
    if len(text) > settings.max_article_chars:
        text = text[: settings.max_article_chars]
        meta["truncated"] = "max_article_chars"
    return Article(doc_id=_text(row.get(cols["id"])) or f"{stem(path)}-{line}", text=text, title=title,
                   url=_text(row.get(cols["url"])), published=published, source=source, meta=meta)


def _sample(stream: BinaryIO) -> bytes:
    return stream.peek(_SAMPLE)[:_SAMPLE]  # type: ignore[attr-defined]


def _lines(stream: Any, limit: int) -> Iterator[tuple[int, Any]]:
    """(line number, line) from a binary or text stream; ``None`` for a line over ``limit`` (skipped)."""
    readline = stream.readline
    number = 0
    while True:
        line = readline(limit)
        if not line:
            return
        number += 1
        if len(line) >= limit and line[-1:] not in ("\n", b"\n"):
            while (rest := readline(limit)) and rest[-1:] not in ("\n", b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def _stream_error(path: Path, line: int, e: BaseException) -> ReadError:
    what = "truncated or corrupt compressed file" if isinstance(e, (EOFError, gzip.BadGzipFile, zlib.error)) \
        else "read error"
    return ReadError(f"{path}:{line + 1}", f"{what} after line {line}: {e}")


def _sniff(stream: Any, path: Path, guess: bool) -> str | ReadError:
    """The codec of a corpus file from its first bytes, or why it cannot be read."""
    sample = _sample(stream)
    if not sample:
        return ReadError(str(path), "empty file")
    try:
        codec = detect(sample, complete=False, guess=guess)
        check_text(codecs.getincrementaldecoder(codec)("replace").decode(sample))
    except DecodeError as e:
        return ReadError(str(path), str(e))
    return codec


def read_jsonl(path: Path, settings: Settings) -> Iterator[Article | ReadError]:
    cols = _columns(settings)
    limit = line_limit(settings)
    line = 0
    try:
        with open_binary(path) as stream:
            codec = _sniff(stream, path, guess=False)
            if isinstance(codec, ReadError):
                yield codec
                return
            # JSON is UTF-8: parse bytes directly (fastest); other encodings go through a text layer.
            source: Any = stream if codec in _UTF8 else io.TextIOWrapper(stream, encoding=codec)
            for line, raw in _lines(source, limit):
                if raw is None:
                    yield ReadError(f"{path}:{line}", f"line longer than {limit:,} characters, skipped")
                    continue
                if line == 1 and isinstance(raw, bytes) and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                except UnicodeDecodeError as e:
                    yield ReadError(f"{path}:{line}", f"not valid UTF-8 ({e.reason} at byte {e.start})")
                    continue
                except ValueError as e:
                    yield ReadError(f"{path}:{line}", f"invalid JSON: {e}")
                    continue
                if not isinstance(row, dict):
                    yield ReadError(f"{path}:{line}", f"not a JSON object but {type(row).__name__}")
                    continue
                yield row_article(row, cols, path, line, settings)
    except UnicodeDecodeError as e:
        yield ReadError(f"{path}:{line + 1}", f"undecodable after line {line}: {e.reason}")
    except _STREAM_ERRORS as e:
        yield _stream_error(path, line, e)


def _delimiter(first_line: str, path: Path) -> str:
    """The separator the header row uses most (tab for .tsv)."""
    if ".tsv" in path.name.lower():
        return "\t"
    return max(_CSV_DELIMITERS, key=first_line.count) if any(d in first_line for d in _CSV_DELIMITERS) else ","


def read_csv(path: Path, settings: Settings) -> Iterator[Article | ReadError]:
    cols = _columns(settings)
    csv.field_size_limit(max(csv.field_size_limit(), line_limit(settings)))
    end = 0  # last physical line consumed
    try:
        with open_binary(path) as stream:
            codec = _sniff(stream, path, guess=True)
            if isinstance(codec, ReadError):
                yield codec
                return
            text = io.TextIOWrapper(stream, encoding=codec, newline="")
            first = codecs.getincrementaldecoder(codec)("replace").decode(_sample(stream)).lstrip("\ufeff")
            reader = csv.reader(text, delimiter=_delimiter(first.split("\n", 1)[0], path), strict=True)
            header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
            end = reader.line_num
            if cols["body"] not in header:
                yield ReadError(str(path), f"no '{cols['body']}' column (columns: {', '.join(header) or 'none'})")
                return
            while True:
                start = end + 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    end = reader.line_num
                    yield ReadError(f"{path}:{start}", f"broken CSV: {e}")
                    continue
                end = reader.line_num
                if not row or row == [""]:
                    continue
                if len(row) != len(header):
                    yield ReadError(f"{path}:{start}",
                                    f"broken CSV: {len(row)} fields where the header has {len(header)}")
                    continue
                yield row_article(dict(zip(header, row)), cols, path, start, settings)
    except UnicodeDecodeError as e:
        yield ReadError(f"{path}:{end + 1}", f"undecodable as {e.encoding} after line {end}: {e.reason}")
    except _STREAM_ERRORS as e:
        yield _stream_error(path, end, e)
