"""Every data file under extractors/data/ is valid against its own JSON Schema.

Files are found by glob, so a gazetteer added later by anyone is checked too:
each ``{upstream,curated,generated}/*.json`` must name its schema in
``"$schema"`` (a path relative to the file), carry ``source``, ``license`` and
``entries``, and validate.  The province gazetteer has its own invariants
(77 provinces, unique ISO 3166-2:TH codes, coordinates inside Thailand).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
from jsonschema import Draft202012Validator  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "extractors" / "data"
LAYERS = ("upstream", "curated", "generated")
DATA_FILES = sorted(p for layer in LAYERS for p in (DATA / layer).glob("*.json"))
SCHEMA_FILES = sorted((DATA / "schema").glob("*.schema.json"))


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _rel(path: Path) -> str:
    return str(path.relative_to(DATA))


def test_there_are_data_files():
    assert DATA_FILES, "no data files found under extractors/data/"
    assert any(p.name == "provinces.json" for p in DATA_FILES)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=_rel)
def test_schema_is_valid_2020_12(path):
    schema = _load(path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
def test_data_file_matches_its_schema(path):
    doc = _load(path)
    for key in ("$schema", "source", "license", "entries"):
        assert key in doc, f"{_rel(path)}: missing {key!r}"
    assert isinstance(doc["source"], str) and doc["source"].strip(), f"{_rel(path)}: empty source"
    assert isinstance(doc["license"], str) and doc["license"].strip(), f"{_rel(path)}: empty license"
    assert isinstance(doc["entries"], list) and doc["entries"], f"{_rel(path)}: no entries"
    schema_path = (path.parent / doc["$schema"]).resolve()
    assert schema_path.parent == (DATA / "schema").resolve(), f"{_rel(path)}: schema outside data/schema/"
    assert schema_path.is_file(), f"{_rel(path)}: schema {doc['$schema']} not found"
    validator = Draft202012Validator(_load(schema_path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{_rel(path)}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:5])


def test_every_schema_is_used():
    used = {(p.parent / _load(p)["$schema"]).resolve() for p in DATA_FILES}
    unused = [_rel(s) for s in SCHEMA_FILES if s.resolve() not in used]
    assert not unused, f"schemas with no data file: {unused}"


def test_schema_rejects_a_broken_province_entry():
    """The schema itself must catch what the invariants below guard against."""
    schema = _load(DATA / "schema" / "provinces.schema.json")
    doc = _load(DATA / "upstream" / "provinces.json")
    bad = dict(doc, entries=[dict(doc["entries"][0], lat=1.0)] + doc["entries"][1:])
    assert list(Draft202012Validator(schema).iter_errors(bad))
    bad = dict(doc, entries=doc["entries"][:-1])
    assert list(Draft202012Validator(schema).iter_errors(bad))


# -- provinces invariants -------------------------------------------------------------

@pytest.fixture(scope="module")
def provinces() -> list[dict]:
    return _load(DATA / "upstream" / "provinces.json")["entries"]


def test_77_provinces_with_unique_names_and_iso_codes(provinces):
    assert len(provinces) == 77
    assert len({p["name"] for p in provinces}) == 77
    assert len({p["name_en"] for p in provinces}) == 77
    isos = [p["iso"] for p in provinces]
    assert len(set(isos)) == 77
    assert all(re.fullmatch(r"TH-[1-9]\d", iso) for iso in isos)


def test_known_iso_codes(provinces):
    by_name = {p["name"]: p["iso"] for p in provinces}
    assert by_name["กรุงเทพมหานคร"] == "TH-10"
    assert by_name["เชียงใหม่"] == "TH-50"
    assert by_name["บึงกาฬ"] == "TH-38"
    assert by_name["นครราชสีมา"] == "TH-30"
    assert by_name["ภูเก็ต"] == "TH-83"
    assert by_name["นราธิวาส"] == "TH-96"
    # ISO 3166-2:TH numbers the provinces in blocks by region: 10-27, 30-49, 50-58, 60-67, 70-77, 80-86, 90-96.
    numbers = {int(iso[3:]) for iso in by_name.values()}
    expected = (set(range(10, 28)) | set(range(30, 50)) | set(range(50, 59)) | set(range(60, 68))
                | set(range(70, 78)) | set(range(80, 87)) | set(range(90, 97)))
    assert numbers == expected


def test_coordinates_inside_thailand(provinces):
    for p in provinces:
        assert 5.5 <= p["lat"] <= 20.5, p
        assert 97.3 <= p["lon"] <= 105.7, p
    by_name = {p["name"]: p for p in provinces}
    # Sanity on geography, not just the bounding box: north above south, east right of west.
    assert by_name["เชียงราย"]["lat"] > by_name["กรุงเทพมหานคร"]["lat"] > by_name["นราธิวาส"]["lat"]
    assert by_name["อุบลราชธานี"]["lon"] > by_name["กรุงเทพมหานคร"]["lon"] > by_name["กาญจนบุรี"]["lon"]


def test_regions(provinces):
    counts: dict[str, int] = {}
    for p in provinces:
        counts[p["region"]] = counts.get(p["region"], 0) + 1
    # The six-region scheme: 9 north, 22 central (with Bangkok), 20 northeast, 5 west, 7 east, 14 south.
    assert counts == {"north": 9, "central": 22, "northeast": 20, "west": 5, "east": 7, "south": 14}


def test_aliases_name_known_provinces_and_do_not_collide(provinces):
    names = {p["name"] for p in provinces}
    aliases = _load(DATA / "curated" / "province_aliases.json")["entries"]
    surfaces = [a["surface"] for a in aliases]
    assert len(surfaces) == len(set(surfaces)), "duplicate alias surface"
    for a in aliases:
        if a["context"] == "block":
            # A blocker exists to hide a province form inside it; otherwise it is dead weight.
            assert a["province"] is None
            forms = names | {b["surface"] for b in aliases if b["context"] != "block"}
            assert any(f in a["surface"] for f in forms), f"blocker {a['surface']!r} holds no province form"
        else:
            assert a["province"] in names, a
            # An alias must not be another province's official name.
            assert a["surface"] not in names or a["surface"] == a["province"], a
    # The forms SCHEMA.md names explicitly.
    by_surface = {a["surface"]: a["province"] for a in aliases}
    for s in ("กรุงเทพฯ", "กทม.", "กรุงเทพ", "Bangkok"):
        assert by_surface[s] == "กรุงเทพมหานคร"
    assert by_surface["โคราช"] == "นครราชสีมา"
