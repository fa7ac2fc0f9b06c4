"""Build time of the example in every format (what ``deptbudget build`` does): median CPU time of N runs
(process time, not wall time: the machine is shared, and CPU time is what the work costs).

Run by hand (not in CI), in one process so that imports and caches are warm after the first run:
    PYTHONPATH=$PWD .venv/bin/python benchmarks/example_build.py [--runs 5] [--source examples/luohu-2020.yaml]
Run it with PYTHONPATH set to another checkout to time that checkout the same way (before/after).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from deptbudget.commands.build import _writers
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.sources.yaml_source import load_budget

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luohu-2020.yaml"


def run(source: Path, runs: int) -> dict[str, float]:
    """Median seconds per step (load + compute, each format) and in total, over ``runs`` builds."""
    writers = _writers()
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for _ in range(runs + 1):  # the first run warms imports, fonts and caches and is not counted
            row: dict[str, float] = {}
            started = time.process_time()
            disclosure = compute_disclosure(load_budget(source))
            row["load + compute"] = time.process_time() - started
            for fmt, (name, write) in writers.items():
                begun = time.process_time()
                write(disclosure, out / name)
                row[fmt] = time.process_time() - begun
            row["total"] = time.process_time() - started
            for key, value in row.items():
                times.setdefault(key, []).append(value)
    return {key: statistics.median(values[1:]) for key, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    result = run(args.source, args.runs)
    print(f"example build, all formats (median CPU time of {args.runs} warm runs)")
    for key, value in result.items():
        print(f"  {key:<16} {value:8.3f} s")


if __name__ == "__main__":
    main()
