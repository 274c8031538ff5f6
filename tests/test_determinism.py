"""Same input, same output, in any process: no result may depend on hash order (PYTHONHASHSEED)."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"

CODE = """
import json, sys
from khaosan.outputs.dataset import extract
sys.stdout.write(json.dumps(extract([sys.argv[1]]).facts, ensure_ascii=False, sort_keys=True))
"""


def _digest(seed: str) -> str:
    env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", CODE, str(SAMPLES)], capture_output=True, env=env, check=True)
    return hashlib.sha256(out.stdout).hexdigest()


def test_output_does_not_depend_on_hash_seed():
    digests = {_digest(seed) for seed in ("0", "1", "7", "42")}
    assert len(digests) == 1
