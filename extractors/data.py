"""Loading rules and gazetteers from the data files under ``extractors/data/``.

Layers are kept apart, as in dateparser and spaCy's pattern files:
``upstream/`` (taken from a named outside source, unchanged in substance),
``curated/`` (written and reviewed by us) and ``generated/`` (built by a script
from the other two; never edited by hand).  Each file is JSON with a
``"$schema"`` naming its schema in ``schema/``, a ``"source"`` and a
``"license"``, and its entries under ``"entries"``.  ``tests/test_data_files.py``
validates every file against its schema.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

LAYERS = ("upstream", "curated", "generated")


def data_dir() -> Path:
    return Path(str(resources.files("khaosan.extractors") / "data"))


@cache
def load(layer: str, name: str) -> dict[str, Any]:
    """One data file, e.g. ``load("curated", "orgs")`` reads ``data/curated/orgs.json``."""
    if layer not in LAYERS:
        raise ValueError(f"unknown data layer {layer!r}")
    path = data_dir() / layer / f"{name}.json"
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def entries(name: str) -> list[dict[str, Any]]:
    """The entries of ``name`` from every layer that has it, upstream first."""
    out: list[dict[str, Any]] = []
    for layer in LAYERS:
        if (data_dir() / layer / f"{name}.json").exists():
            out.extend(load(layer, name)["entries"])
    return out
