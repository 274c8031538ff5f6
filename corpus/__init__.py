"""Reading inputs (text, HTML, JSONL/CSV corpora) into :class:`Article` records.

``read_paths(paths, settings)`` is the entry point; readers are chosen by file
suffix from ``READERS`` (see :mod:`khaosan.corpus.readers`).
"""
from khaosan.corpus.article import Article, ReadError, join_text
from khaosan.corpus.readers import READERS, ReadStats, read_paths, register

__all__ = ["Article", "ReadError", "join_text", "READERS", "ReadStats", "read_paths", "register"]
