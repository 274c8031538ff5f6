"""The Datasette metadata shipped with khaosan (``metadata.yaml``), filed under the served database's name."""
from __future__ import annotations

import copy
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _load() -> dict[str, Any]:
    import yaml  # PyYAML comes with Datasette

    return yaml.safe_load((files("khaosan.outputs.web") / "metadata.yaml").read_text(encoding="utf-8"))


def canned_queries() -> dict[str, Any]:
    """The canned queries by name: title, description_html, sql."""
    return copy.deepcopy(_load()["database"]["queries"])


def build_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a dataset served as ``database``, with the plugin told which database it is."""
    meta = copy.deepcopy(_load())
    db_part = meta.pop("database")
    meta["databases"] = {database: db_part}
    # read_only: the plugin answers any request that is not a GET with 405 (khaosan serve writes nothing)
    meta.setdefault("plugins", {})["khaosan"] = {"database": database, "read_only": True}
    return meta
