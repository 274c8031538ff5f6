"""Reading files and folders into articles: a registry of readers by file suffix.

``read_paths`` walks what it is given (folders recursively, in sorted order, so
every run sees the same sequence), picks each file's reader by its suffix and
streams ``Article`` s and ``ReadError`` s.  Nothing here raises for bad input:
a file that cannot be read is a ``ReadError`` and the next file is read.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from khaosan.corpus.article import Article, ReadError
from khaosan.corpus.html import read_html
from khaosan.corpus.rows import read_csv, read_jsonl
from khaosan.corpus.text import read_txt
from khaosan.pipeline.settings import Settings

log = logging.getLogger("khaosan")

Reader = Callable[[Path, Settings], Iterator[Article | ReadError]]

#: File suffix (lower case, compound suffixes included) -> reader.  Add a format with ``register``.
READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".ndjson.gz": read_jsonl,
    ".csv": read_csv,
    ".csv.gz": read_csv,
    ".tsv": read_csv,
    ".tsv.gz": read_csv,
}


def register(suffix: str, reader: Reader) -> None:
    """Read files ending in ``suffix`` (e.g. ``".xml"``) with ``reader``."""
    READERS[suffix.lower()] = reader


def reader_for(path: Path) -> Reader | None:
    """The reader of the longest registered suffix the file name ends with."""
    name = path.name.lower()
    dot = name.find(".", 1)  # a leading dot (hidden file) is not a suffix
    while dot != -1:
        reader = READERS.get(name[dot:])
        if reader is not None:
            return reader
        dot = name.find(".", dot + 1)
    return None


@dataclass(slots=True)
class ReadStats:
    """What a read saw: for the run summary and the log."""

    files: int = 0
    articles: int = 0
    errors: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # suffix -> files skipped in folders

    def summary(self) -> str:
        skipped = ", ".join(f"{n} {s or '(no suffix)'}" for s, n in sorted(self.skipped.items()))
        return (f"{self.files} files, {self.articles} articles, {self.errors} read errors"
                + (f", skipped {skipped}" if skipped else ""))


def _suffix(path: Path) -> str:
    return "".join(path.suffixes[-2:]).lower() if path.suffix.lower() == ".gz" else path.suffix.lower()


def walk(folder: Path, stats: ReadStats) -> Iterator[Path | ReadError]:
    """Files under ``folder`` in sorted order (depth first); hidden entries and unknown suffixes skipped.

    A sub-folder that cannot be listed is a ReadError; its siblings are still read.
    """
    seen: set[tuple[int, int]] = set()

    def visit(d: Path) -> Iterator[Path | ReadError]:
        try:
            st = d.stat()
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop
                return
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            yield ReadError(str(d), f"cannot read folder: {e.strerror or e}")
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            p = Path(e.path)
            if e.is_dir():
                yield from visit(p)
            elif e.is_file():
                if reader_for(p) is None:
                    stats.skipped[_suffix(p)] += 1
                    continue
                yield p

    yield from visit(folder)


def _read_file(path: Path, settings: Settings) -> Iterator[Article | ReadError]:
    reader = reader_for(path)
    if reader is None:
        yield ReadError(str(path), f"unknown file type '{_suffix(path) or path.name}' "
                                   f"(readable: {', '.join(sorted(READERS))})")
        return
    try:
        yield from reader(path, settings)
    except OSError as e:
        yield ReadError(str(path), f"cannot read: {e.strerror or e}")
    except Exception as e:  # a reader bug must not end the run; the file is reported
        log.exception("%s: reader failed", path)
        yield ReadError(str(path), f"reader failed: {type(e).__name__}: {e}")


def read_paths(paths: Iterable[str | Path], settings: Settings | None = None,
               stats: ReadStats | None = None) -> Iterator[Article | ReadError]:
    """Articles and read errors from files and folders, in a deterministic order, streaming."""
    settings = settings or Settings()
    stats = stats if stats is not None else ReadStats()
    if isinstance(paths, (str, Path)):  # one path, not an iterable of characters
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files: Iterable[Path | ReadError] = walk(path, stats)
        elif path.exists():
            files = [path]
        else:
            files = [ReadError(str(path), "no such file or folder")]
        for file in files:
            items = [file] if isinstance(file, ReadError) else _read_file(file, settings)
            if isinstance(file, Path):
                stats.files += 1
            for item in items:
                if isinstance(item, Article):
                    stats.articles += 1
                else:
                    stats.errors += 1
                yield item
    if stats.skipped:
        log.info("read: %s", stats.summary())
