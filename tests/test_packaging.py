"""One distribution, one import name: no generic top-level modules, data files reachable, fast --help."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_only_khaosan_is_importable_from_outside(tmp_path):
    code = ("import importlib.util as u; import khaosan.pipeline, khaosan.corpus, khaosan.extractors, khaosan.outputs;"
            "print([m for m in ('pipeline','corpus','extractors','outputs') if u.find_spec(m)])")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_declared_packages_all_live_under_khaosan():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = conf["tool"]["setuptools"]["packages"]
    assert packages and all(p == "khaosan" or p.startswith("khaosan.") for p in packages)
    assert conf["project"]["scripts"]["khaosan"].startswith("khaosan.")


def test_data_files_are_package_resources():
    from importlib import resources

    data = resources.files("khaosan.extractors") / "data"
    assert any(p.name.endswith(".json") for layer in ("upstream", "curated") for p in (data / layer).iterdir())


def test_help_does_not_import_heavy_modules(tmp_path):
    code = ("import sys; sys.argv=['khaosan','--help'];\nfrom khaosan.pipeline import cli\n"
            "try:\n    cli.app()\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('pythainlp','pandas','pyarrow','spacy','nlpo3') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
