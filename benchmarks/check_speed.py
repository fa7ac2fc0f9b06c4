"""Departments checked per second: every rule over a batch of generated departments.

    .venv/bin/python -m benchmarks.check_speed [--departments 200] [--repeat 3] [--workers 1] [--modules all]

The batch is tests/fixtures/small.yaml, examples/luohu-2020.yaml and synthetic departments from
benchmarks/synthetic.py (``generate_budget(seed)``) when present; their Disclosures are computed first
(not timed). One ``Checker`` loads the catalog and the template settings once; the time is rule
checking only. With --workers N the batch is split over N processes (fork), each with its own Checker.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import statistics
import time
from collections import Counter
from pathlib import Path

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.rules import Checker, Rule, all_rules, run_rules
from deptbudget.rules.registry import TABLE_RULE_MODULES
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parent.parent

_BATCH: list[Disclosure] = []
_RULES: list[Rule] = []


def batch(departments: int) -> list[Disclosure]:
    out = [compute_disclosure(load_budget(ROOT / "tests" / "fixtures" / "small.yaml"))]
    example = ROOT / "examples" / "luohu-2020.yaml"
    if example.exists():
        out.append(compute_disclosure(load_budget(example)))
    try:
        from benchmarks.synthetic import generate_budget
    except ImportError:
        generate_budget = None
    seed = 0
    while len(out) < departments:
        if generate_budget is not None:
            out.append(compute_disclosure(generate_budget(seed)))
            seed += 1
        else:  # no generator: repeat the two real departments
            out.append(out[len(out) % 2])
    return out[:departments]


def _check_range(bounds: tuple[int, int]) -> int:
    checker = Checker()
    found = 0
    for disclosure in _BATCH[bounds[0]:bounds[1]]:
        found += len(run_rules(disclosure, checker.context(disclosure), _RULES))
    return found


def timed(workers: int) -> tuple[float, int]:
    """Seconds to check the whole batch, and the number of findings: CPU time of this process with one
    worker (steady on a shared machine), wall-clock time with several."""
    if workers <= 1:
        started = time.process_time()
        found = _check_range((0, len(_BATCH)))
        return time.process_time() - started, found
    started = time.perf_counter()
    step = -(-len(_BATCH) // workers)
    ranges = [(i, min(i + step, len(_BATCH))) for i in range(0, len(_BATCH), step)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        found = sum(pool.map(_check_range, ranges))
    return time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--modules", choices=("all", "check"), default="all",
                        help="all: every registered rule; check: the rule modules of issue 3 only (no text rules)")
    args = parser.parse_args()

    global _BATCH, _RULES
    started = time.perf_counter()
    _BATCH = batch(args.departments)
    rules = list(all_rules())
    _RULES = rules if args.modules == "all" else [r for r in rules if r.module in TABLE_RULE_MODULES]
    tables = sum(len(d.tables) for d in _BATCH)
    cells = sum(len(r.cells) for d in _BATCH for t in d.tables for r in t.rows)
    print(f"batch: {len(_BATCH)} departments, {tables} tables, {cells} cells "
          f"(computed in {time.perf_counter() - started:.1f} s); {len(_RULES)} rules")
    Checker().check(_BATCH[0])  # warm-up: catalog, template settings, regexes
    gc.freeze()  # the batch is long-lived input: keep the collector from walking it during the timing
    runs = [timed(args.workers) for _ in range(args.repeat)]
    best = min(seconds for seconds, _ in runs)
    rates = [len(_BATCH) / seconds for seconds, _ in runs]
    clock = "CPU time" if args.workers <= 1 else "wall-clock"
    print(f"checked {len(_BATCH)} departments × {args.repeat} with {args.workers} worker(s), {clock}: "
          f"best {len(_BATCH) / best:,.0f} departments/s ({best / len(_BATCH) * 1000:.2f} ms each), "
          f"median {statistics.median(rates):,.0f}/s; {runs[0][1]} findings per run")
    per_rule: Counter[str] = Counter()
    checker = Checker()
    for disclosure in _BATCH[: min(50, len(_BATCH))]:
        context = checker.context(disclosure)
        context.memo.clear()
        for item in _RULES:
            t0 = time.process_time()
            list(item.check(disclosure, context))
            per_rule[item.id] += time.process_time() - t0
    slowest = ", ".join(f"{k} {v / min(50, len(_BATCH)) * 1000:.2f} ms" for k, v in per_rule.most_common(6))
    print(f"slowest rules (first to build a shared index pays for it): {slowest}")


if __name__ == "__main__":
    main()
