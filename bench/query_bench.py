"""Time ``khaosan query`` filters on a dataset: seconds and facts for each typical question.

    .venv/bin/python bench/query_bench.py DATASET [--repeat 3]

Build a dataset first, e.g. ``khaosan extract ../shared/corpus/thaigov/sample-2000.jsonl --out /tmp/ds``.
Each line: best of N wall-clock seconds to read every hit with its evidence.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from khaosan.outputs.query import QueryFilters, open_dataset, query_facts

CASES: list[tuple[str, str, QueryFilters]] = [
    ("billion-baht figures", "figures", QueryFilters(unit="THB", min_value=1e9)),
    ("all figures", "figures", QueryFilters()),
    ("orgs by alias ดีป้า", "orgs", QueryFilters(org="ดีป้า")),
    ("figures, articles naming เชียงใหม่", "figures", QueryFilters(province="เชียงใหม่")),
    ("THB figures same sentence as เชียงใหม่", "figures",
     QueryFilters(province="เชียงใหม่", unit="THB", same_sentence=True)),
    ("persons with role รัฐมนตรี in 2020", "persons",
     QueryFilters(role="รัฐมนตรี", date_from="2020", date_to="2020")),
    ("dates named in 2564 (BE)", "dates", QueryFilters(date_from="2564", date_to="2564")),
    ("figures, search ผู้สูงอายุ", "figures", QueryFilters(search="ผู้สูงอายุ")),
    ("persons, articles naming ดีป้า", "persons", QueryFilters(org="ดีป้า")),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = open_dataset(args.dataset)
    n_articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(f"dataset {args.dataset}: {n_articles} articles")
    for label, family, filters in CASES:
        best, n = float("inf"), 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            n = sum(1 for _ in query_facts(db, family, filters))
            best = min(best, time.perf_counter() - t0)
        print(f"{label:<46} {n:>7} facts {best:8.3f} s")


if __name__ == "__main__":
    main()
