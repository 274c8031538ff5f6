"""A batch task with faults on cue, for tests/test_worker_faults.py.

A module of its own (not the test file) so that worker processes, which
unpickle the task by module name, can import it: forkserver children and Dask
workers get the tests folder on their path.  An article whose text holds one
of the cue words makes the task fail the way real workers fail.
"""
from __future__ import annotations

import os
import time

from khaosan.outputs.encode import encode_batch
from khaosan.pipeline.parallel import Failed

CRASH, RAISE, HANG = "ระเบิดโปรเซส", "ยกข้อผิดพลาด", "ค้างไม่ตอบ"


def faulty_encode_batch(pipeline, batch, formats):
    for item in batch:
        if isinstance(item, Failed):
            continue
        if CRASH in item.text:
            os._exit(7)  # as a segfault or the kernel's OOM killer would end it
        if RAISE in item.text:
            raise RuntimeError(f"cannot handle {item.doc_id}")
        if HANG in item.text:
            time.sleep(120)  # catastrophic backtracking, a deadlock...
    return encode_batch(pipeline, batch, formats)


def always_failing(pipeline, batch, formats):
    raise ValueError("a bug that every article meets")
