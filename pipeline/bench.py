"""``khaosan bench``: throughput of the pipeline next to its floors, on the same input.

Each measurement runs in a fresh process so that its wall time, CPU time and
peak memory (max RSS of the process and of its worker processes) are its own:

- ``read``: the readers alone;
- ``newmm``: PyThaiNLP newmm tokenization alone; ``nlpo3``: nlpo3 alone;
  ``spacy``: ``spacy.blank("th")`` alone;
- ``pipeline-1`` / ``pipeline-N``: khaosan end to end (read, extract, write every
  output) with 1 and N workers; the 1-worker run also reports a per-stage breakdown;
- ``parts-N``: the same with N workers writing the dataset themselves in parts
  (``--parts``), where the main process only reads, hands out parts and appends
  each part to the SQLite file: its CPU is what bounds a cluster run.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any


def _articles(corpus: Path, limit: int | None) -> Iterator:
    from khaosan.corpus.readers import read_paths
    from khaosan.corpus.article import Article
    from khaosan.pipeline.settings import Settings

    items = (a for a in read_paths([corpus], Settings()) if isinstance(a, Article))
    return islice(items, limit) if limit else items


def _texts(corpus: Path, limit: int | None) -> list[str]:
    return [a.text for a in _articles(corpus, limit)]


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _tokenize_floor(make: Callable[[], Callable[[str], Any]]) -> Callable[[Path, int | None, int], dict]:
    def run(corpus: Path, limit: int | None, workers: int) -> dict:
        texts = _texts(corpus, limit)
        fn = make()
        fn("เริ่ม")  # dictionary build happens on first call: not part of the throughput
        t0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            fn(t)
        return {"articles": len(texts), "chars": sum(map(len, texts)),
                "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}

    return run


def _newmm() -> Callable[[str], Any]:
    from pythainlp.tokenize import word_tokenize

    return lambda t: word_tokenize(t, engine="newmm")


def _nlpo3() -> Callable[[str], Any]:
    from pythainlp.tokenize import word_tokenize

    return lambda t: word_tokenize(t, engine="nlpo3")


def _spacy() -> Callable[[str], Any]:
    import spacy

    return spacy.blank("th")


def _read(corpus: Path, limit: int | None, workers: int) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    n = chars = 0
    for a in _articles(corpus, limit):
        n += 1
        chars += len(a.text)
    return {"articles": n, "chars": chars, "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def _pipeline(corpus: Path, limit: int | None, workers: int) -> dict:
    from khaosan.corpus.readers import read_paths
    from khaosan.outputs.dataset import write_stream
    from khaosan.outputs.writers import DatasetWriter
    from khaosan.pipeline.settings import Settings

    settings = Settings.from_env(workers=workers)
    stages: Counter[str] = Counter()

    def reading() -> Iterator:
        it = iter(read_paths([corpus], settings))
        n = 0
        while limit is None or n < limit:
            t = time.perf_counter()
            item = next(it, None)
            stages["read"] += time.perf_counter() - t
            if item is None:
                return
            n += 1
            yield item

    marks: list[tuple[float, int]] = []  # (seconds since start, characters written) after each batch

    with tempfile.TemporaryDirectory() as out:
        t0, c0 = time.perf_counter(), time.process_time()
        writer = DatasetWriter(Path(out), settings.formats, settings.batch_size, settings.search_index)
        summary = write_stream(reading(), settings, writer, timings=stages,
                               progress=lambda n, chars: marks.append((time.perf_counter() - t0, chars)))
        t = time.perf_counter()
        writer.close()
        stages["write"] += time.perf_counter() - t
        wall = time.perf_counter() - t0
        cpu = main_cpu = time.process_time() - c0
        if workers > 1:  # pool workers are not our children (forkserver): they report their own CPU
            cpu += summary.worker_cpu_seconds
    # The breakdown is the 1-worker run's: with workers, stage seconds overlap and would not add up to the wall time.
    # With workers, the main process reads, hands out batches and writes every output: its CPU
    # against the wall time says how close the one writer is to being the bottleneck.
    return {"articles": summary.articles, "chars": summary.characters, "wall": wall, "cpu": cpu,
            "worker_peak_mib": summary.worker_peak_mib, "stages": dict(stages) if workers <= 1 else {},
            "main_cpu": main_cpu if workers > 1 else None, "main_does": "read, hand out, write",
            "phases": _phases(marks, wall)}


#: Articles per part in the bench: enough parts for the phases on a 2,000-article corpus.
BENCH_PART_SIZE = 256


def _parts(corpus: Path, limit: int | None, workers: int) -> dict:
    from khaosan.corpus.readers import read_paths
    from khaosan.outputs.parts import write_parts
    from khaosan.pipeline.settings import Settings

    settings = Settings.from_env(workers=workers, parts=True, part_size=BENCH_PART_SIZE)
    items = read_paths([corpus], settings)
    marks: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory() as out:
        t0, c0 = time.perf_counter(), time.process_time()
        summary = write_parts(islice(items, limit) if limit else items, settings, Path(out),
                              progress=lambda n, chars: marks.append((time.perf_counter() - t0, chars)))
        wall = time.perf_counter() - t0
        main_cpu = time.process_time() - c0
    cpu = main_cpu + summary.worker_cpu_seconds if workers > 1 else main_cpu
    return {"articles": summary.articles, "chars": summary.characters, "wall": wall, "cpu": cpu,
            "worker_peak_mib": summary.worker_peak_mib, "main_cpu": main_cpu if workers > 1 else None,
            "main_does": "read, hand out parts, append them to SQLite", "phases": _phases(marks, wall)}


def _phases(marks: list[tuple[float, int]], wall: float) -> dict[str, float] | None:
    """Start-up (until the first batch is written), the steady rate between first and last batch, and the finish.

    A short run's speed-up from more workers is capped by the fixed start-up
    (loading the rules in every worker) and finish (building the SQLite indexes):
    the steady rate shows what the workers themselves gain.
    """
    if len(marks) < 3:
        return None
    (t_first, c_first), (t_last, c_last) = marks[0], marks[-1]
    return {"startup": t_first, "steady_chars_per_s": (c_last - c_first) / max(t_last - t_first, 1e-9),
            "finish": wall - t_last}


KINDS: dict[str, Callable[[Path, int | None, int], dict]] = {
    "read": _read, "newmm": _tokenize_floor(_newmm), "nlpo3": _tokenize_floor(_nlpo3),
    "spacy": _tokenize_floor(_spacy), "pipeline": _pipeline, "parts": _parts}


def measure_one(kind: str, corpus: Path, limit: int | None, workers: int) -> dict:
    result = KINDS[kind](corpus, limit, workers)
    result["peak_mib"] = max(_peak_mib(), result.pop("worker_peak_mib", 0.0))  # of any one process
    return result


def _worker_counts(kind: str, workers: int) -> list[int]:
    if kind == "pipeline":
        return [1, workers] if workers > 1 else [1]
    return [workers] if kind == "parts" else [1]


def _run_once(kind: str, corpus: Path, limit: int | None, w: int) -> dict:
    name = f"{kind}-{w}" if kind in ("pipeline", "parts") else kind
    cmd = [sys.executable, "-m", "khaosan.pipeline.bench", kind, str(corpus), str(limit or 0), str(w)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        return {"name": name, "error": res.stderr.strip().splitlines()[-1:]}
    return {**json.loads(res.stdout.strip().splitlines()[-1]), "name": name}


def _rate(r: dict) -> float:
    return r["chars"] / (r["wall"] or 1e-9)


def _median_run(runs: list[dict]) -> dict:
    """The run of median wall time, whole (its stages and phases belong together), and the spread of all runs."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r["wall"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    rates = [_rate(r) for r in runs]
    median["runs"], median["rate_range"] = len(runs), (min(rates), max(rates))
    return median


def run_bench(corpus: Path, limit: int | None, workers: int, kinds: list[str], repeat: int = 1) -> list[dict]:
    """Every measure ``repeat`` times, each in a fresh process; the median run of each, in the order asked.

    The measures run in rounds (all of them, then all again), so a slow minute on a
    shared machine slows one run of every measure rather than every run of one.
    """
    plan = [(kind, w) for kind in kinds for w in _worker_counts(kind, workers)]
    runs: dict[str, list[dict]] = {}
    for _ in range(max(1, repeat)):
        for kind, w in plan:
            r = _run_once(kind, corpus, limit, w)
            runs.setdefault(r["name"], []).append(r)
    return [_median_run(rs) for rs in runs.values()]


#: Issue 3's targets, measured here: one worker against newmm alone, two workers against one, memory.
TARGET_VS_NEWMM = 1.5
TARGET_TWO_WORKERS = 1.7
TARGET_PEAK_MIB = 1024


def _verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    return "met" if (value >= target if higher_is_better else value <= target) else "NOT met"


def format_targets(rows: list[dict], workers: int) -> list[str]:
    """Each target of issue 3 this run measured, with its value and whether it is met."""
    by = {r["name"]: r for r in rows if "error" not in r}
    newmm, one, many = by.get("newmm"), by.get("pipeline-1"), by.get(f"pipeline-{workers}")
    out: list[str] = []
    if newmm and one:
        ratio = _rate(one) / _rate(newmm)
        out.append(f"  1 worker end to end, every output, against newmm alone: {ratio:.2f}x "
                   f"(target {TARGET_VS_NEWMM:.2f}x): {_verdict(ratio, TARGET_VS_NEWMM)}")
        stages = one.get("stages") or {}
        if stages:
            # Where the one-worker run's time goes against the time the target allows: the
            # tokenizer, the outputs and the start-up alone show how much is left for the rules.
            budget = one["chars"] / (TARGET_VS_NEWMM * _rate(newmm))
            rules = sum(v for k, v in stages.items() if k.startswith("extract:") or k == "resolve")
            outputs = sum(stages.get(k, 0.0) for k in ("rows", "encode", "write"))
            text = sum(stages.get(k, 0.0) for k in ("read", "normalise", "tokenize", "sentences"))
            rest = one["wall"] - rules - outputs - text
            out.append(f"    time the target allows: {budget:.2f} s; taken: {one['wall']:.2f} s = rules {rules:.2f} "
                       f"+ outputs {outputs:.2f} + read/normalise/tokenize/sentences {text:.2f} "
                       f"+ start-up and the rest {rest:.2f}")
    if one and many and workers == 2:
        e2e = one["wall"] / (many["wall"] or 1e-9)
        line = f"  2 workers against 1, end to end: {e2e:.2f}x"
        if one.get("phases") and many.get("phases"):
            steady = many["phases"]["steady_chars_per_s"] / one["phases"]["steady_chars_per_s"]
            line += f", steady state: {steady:.2f}x"
        out.append(f"{line} (target {TARGET_TWO_WORKERS:.2f}x): end to end {_verdict(e2e, TARGET_TWO_WORKERS)}")
    runs = [r for r in by.values() if r["name"].startswith(("pipeline-", "parts-"))]
    if runs:
        peak = max(r["peak_mib"] for r in runs)
        out.append(f"  peak memory of any process: {peak:.0f} MiB (target {TARGET_PEAK_MIB} MiB): "
                   f"{_verdict(peak, TARGET_PEAK_MIB, higher_is_better=False)}")
    return ["", "targets (issue 3):", *out] if out else []


def format_rows(rows: list[dict], workers: int = 2) -> str:
    repeated = any(r.get("runs", 1) > 1 for r in rows)
    spread = f" {'Mchar/s of all runs':>20}" if repeated else ""
    out = [f"{'measure':<12} {'articles':>8} {'art/s':>8} {'Mchar/s':>8} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}{spread}"]
    for r in rows:
        if "error" in r:
            out.append(f"{r['name']:<12} failed: {r['error']}")
            continue
        wall = r["wall"] or 1e-9
        line = (f"{r['name']:<12} {r['articles']:>8} {r['articles'] / wall:>8.1f} {r['chars'] / wall / 1e6:>8.3f} "
                f"{r['wall']:>8.2f} {r['cpu']:>8.2f} {r['peak_mib']:>9.0f}")
        if repeated:
            lo, hi = r["rate_range"]
            span = f"{lo / 1e6:.3f}-{hi / 1e6:.3f} ({r['runs']})"
            line += f" {span:>20}"
        out.append(line)
    if repeated:
        out.append("(each row is the run of median wall time; the last column spans every run, their number in brackets)")
    for r in rows:
        if r.get("main_cpu") is not None:
            out.append(f"\n{r['name']}: main process ({r['main_does']}) {r['main_cpu']:.2f} s CPU "
                       f"= {100 * r['main_cpu'] / (r['wall'] or 1e-9):.0f} % of one core; "
                       f"workers {r['cpu'] - r['main_cpu']:.2f} s CPU")
    phased = [r for r in rows if r.get("phases")]
    if phased:
        out.append("\nphases: start-up (to the first batch written), steady rate (first to last batch), finish:")
        for r in phased:
            ph = r["phases"]
            out.append(f"  {r['name']:<12} start-up {ph['startup']:5.2f} s   steady {ph['steady_chars_per_s'] / 1e6:6.3f} "
                       f"Mchar/s   finish {ph['finish']:5.2f} s")
        base = next((r for r in phased if r["name"] == "pipeline-1"), None)
        for r in phased:
            if base is not None and r is not base:
                out.append(f"  steady-state speed-up of {r['name']} over pipeline-1: "
                           f"{r['phases']['steady_chars_per_s'] / base['phases']['steady_chars_per_s']:.2f}x "
                           f"(end to end {base['wall'] / (r['wall'] or 1e-9):.2f}x)")
    for r in rows:
        if r.get("stages"):
            total = sum(r["stages"].values()) or 1e-9
            out.append(f"\nper-stage breakdown ({r['name']}):")
            for stage, secs in sorted(r["stages"].items(), key=lambda kv: -kv[1]):
                out.append(f"  {stage:<22} {secs:8.2f} s  {100 * secs / total:5.1f} %")
    out.extend(format_targets(rows, workers))
    return "\n".join(out)


if __name__ == "__main__":
    kind, corpus, limit, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) or None, int(sys.argv[4])
    print(json.dumps(measure_one(kind, corpus, limit, workers)))
