"""The one settings object: environment overrides, and workers=0 meaning one per available core."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from khaosan.pipeline.settings import Settings, available_cores


def test_workers_zero_is_one_per_core_this_process_may_use():
    assert Settings(workers=0).workers == available_cores() >= 1
    if hasattr(os, "sched_getaffinity"):
        assert available_cores() == len(os.sched_getaffinity(0))
    assert Settings.from_env({"KHAOSAN_WORKERS": "0"}).workers == available_cores()
    assert Settings(workers=3).replace(workers=0).workers == available_cores()
    with pytest.raises(ValueError, match="workers must be 0"):
        Settings(workers=-1)


def test_where_extraction_runs_in_words():
    assert Settings().where() == "in-process"
    assert Settings(workers=3).where() == "3 worker processes"
    assert Settings(workers=2, dask="local").where() == "Dask LocalCluster of 2 workers"
    assert Settings(dask="tcp://10.0.0.5:8786").where() == "Dask tcp://10.0.0.5:8786"


def test_extract_takes_workers_from_the_environment_unless_the_flag_says_otherwise(tmp_path):
    """KHAOSAN_WORKERS is a default like every other KHAOSAN_* variable: --workers overrides it."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(f"ข่าว {i}\nนายสมชาย ใจดี เดินทางไปจังหวัดเชียงใหม่ เมื่อวันที่ {i + 1} มกราคม 2567\n",
                                      encoding="utf-8")
    env = {**os.environ, "KHAOSAN_WORKERS": "2"}

    def run(*extra: str) -> str:
        res = subprocess.run([sys.executable, "-m", "khaosan.pipeline.cli", "extract", str(src), "--out",
                              str(tmp_path / f"out{len(extra)}"), "--no-progress", *extra],
                             capture_output=True, text=True, timeout=300, env=env)
        assert res.returncode == 0, res.stderr
        return res.stdout

    from_env = run()
    assert "3 articles" in from_env and "(2 worker processes)" in from_env
    assert "(in-process)" in run("--workers", "1")
