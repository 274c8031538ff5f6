"""The output is identical, and in input order, whatever runs it: here, a process pool, or a Dask cluster."""
from __future__ import annotations

from pathlib import Path

import pytest

from khaosan.outputs.dataset import extract
from khaosan.pipeline.settings import Settings

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def local_facts():
    return extract([SAMPLES], settings=Settings(workers=1, batch_size=4)).facts


def test_process_pool_equals_local_run(local_facts):
    facts = extract([SAMPLES], settings=Settings(workers=2, batch_size=4)).facts
    assert [r["doc_id"] for r in facts] == [r["doc_id"] for r in local_facts]
    assert facts == local_facts


def test_dask_local_cluster_equals_local_run(local_facts):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        facts = extract([SAMPLES], settings=Settings(dask=cluster.scheduler_address, batch_size=3)).facts
        n_workers = len(cluster.workers)
    assert n_workers == 2
    assert facts == local_facts
