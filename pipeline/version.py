"""The pipeline version stamped on every row: package version + a digest of the rules.

Changing any rule or gazetteer data file changes the version, so a later run
(``khaosan reprocess``) can tell which rows were made by older rules.
"""
from __future__ import annotations

import hashlib
from functools import cache

from khaosan import __version__


@cache
def rules_digest() -> str:
    from khaosan.extractors.data import data_dir

    h = hashlib.sha256()
    root = data_dir()
    for path in sorted(root.rglob("*.json")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


@cache
def pipeline_version() -> str:
    return f"{__version__}+rules.{rules_digest()}"
