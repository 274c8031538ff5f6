"""Every extractor, built-in or outside, listed in one place.

Built-ins are named here; outside packages add theirs through the
``khaosan.extractors`` entry-point group (``name = "module:Class"``) and are
treated exactly like built-ins.  The spaCy factories (``khaosan_<name>``) are
built from this registry too.
"""
from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from khaosan.extractors.base import Extractor

ENTRY_POINT_GROUP = "khaosan.extractors"

# Order matters only through ``requires``; this is also the order of facts.jsonl fields.
BUILTINS: dict[str, str] = {
    "persons": "khaosan.extractors.persons:PersonExtractor",
    "orgs": "khaosan.extractors.orgs:OrgExtractor",
    "provinces": "khaosan.extractors.provinces:ProvinceExtractor",
    "programs": "khaosan.extractors.programs:ProgramExtractor",
    "figures": "khaosan.extractors.figures:FigureExtractor",
    "dates": "khaosan.extractors.dates:DateExtractor",
}


def available() -> dict[str, str]:
    """Name → "module:Class" for the built-ins and every installed plugin."""
    found = dict(BUILTINS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep.value)
    return found


def load_class(name: str) -> type[Extractor]:
    try:
        target = available()[name]
    except KeyError:
        raise ValueError(f"unknown extractor {name!r}; available: {', '.join(available())}") from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def build(names: list[str] | None = None) -> list[Extractor]:
    """Instantiate extractors, ordered so that each comes after those it requires."""
    names = list(names or available())
    instances = {n: load_class(n)() for n in names}
    ordered: list[Extractor] = []
    visiting: set[str] = set()

    def visit(n: str) -> None:
        if any(e.name == n for e in ordered):
            return
        if n in visiting:
            raise ValueError(f"extractor dependency cycle through {n!r}")
        visiting.add(n)
        for dep in instances[n].requires:
            if dep in instances:
                visit(dep)
        visiting.discard(n)
        ordered.append(instances[n])

    for n in names:
        visit(n)
    return ordered
