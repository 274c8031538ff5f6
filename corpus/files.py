"""Opening input files: size limits, gzip by magic bytes, and the plain-word failures readers report."""
from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from khaosan.corpus.encoding import DecodeError, decode
from khaosan.pipeline.settings import Settings

GZIP_MAGIC = b"\x1f\x8b"
_COMPRESSED = (".gz",)


class ReadFailure(Exception):
    """A whole file cannot be read; ``str(e)`` is the reason in plain words."""


def stem(path: Path) -> str:
    """The file name without its format suffixes: ``all-63k.jsonl.gz`` -> ``all-63k``."""
    name = path.name
    if name.lower().endswith(_COMPRESSED):
        name = name[: name.rfind(".")]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def open_binary(path: Path) -> BinaryIO:
    """A buffered binary stream of the file's content, gunzipped when it starts with the gzip magic.

    The magic bytes decide, not the suffix: a ``.jsonl.gz`` that was never
    compressed still reads, and a gzip saved as ``.jsonl`` too.
    """
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == GZIP_MAGIC:
        return io.BufferedReader(_Read1(gzip.GzipFile(path, mode="rb")), buffer_size=1 << 16)
    return open(path, "rb", buffering=1 << 20)


class _Read1(io.RawIOBase):
    """A gzip stream read in whatever pieces are ready (``read1``).

    A plain ``read(n)`` on a truncated gzip raises before handing over the data it
    did decompress; ``read1`` hands it over first, so every complete row before the
    cut is read and the error comes after.  It is also ~25% faster for line reading.
    """

    def __init__(self, gz: gzip.GzipFile) -> None:
        self._gz = gz

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._gz.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gz.close()
        super().close()

def read_whole(path: Path, settings: Settings) -> bytes:
    """The bytes of a one-article file, refused when empty or larger than ``settings.max_file_bytes``."""
    size = path.stat().st_size
    if size == 0:
        raise ReadFailure("empty file")
    if size > settings.max_file_bytes:
        raise ReadFailure(f"file too large: {size:,} bytes (limit {settings.max_file_bytes:,}, max_file_bytes)")
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(GZIP_MAGIC):
        raise ReadFailure("gzip-compressed; only .jsonl.gz and .csv.gz corpus files may be compressed")
    return data


def read_text_file(path: Path, settings: Settings,
                   declared: Callable[[bytes], str | None] | None = None) -> tuple[str, str]:
    """(text, codec) of a one-article file; raises :class:`ReadFailure` with the reason.

    ``declared`` finds a charset the file declares about itself (an HTML meta tag).
    """
    data = read_whole(path, settings)
    try:
        return decode(data, declared(data) if declared else None)
    except DecodeError as e:
        raise ReadFailure(str(e)) from None
