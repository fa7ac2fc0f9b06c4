"""Build time of the example in every format (what ``deptbudget build`` does): median CPU time of N runs
(process time, not wall time: the machine is shared, and CPU time is what the work costs).

Run by hand (not in CI), in one process so that imports and caches are warm after the first run:
    PYTHONPATH=$PWD .venv/bin/python benchmarks/example_build.py [--runs 5] [--source examples/luohu-2020.yaml]
Run it with PYTHONPATH set to another checkout to time that checkout the same way (before/after), e.g. the
commit before issue 16's work (``git archive 9871bbc | tar -x -C /tmp/before``). ``--whole`` also times the
``build`` command itself (reading the source, every format, moving the files into place), and
``--pdf-engine typst`` the Typst PDF instead of the default.

``--against DIR`` compares this checkout with another one (e.g. ``/tmp/before16``): each round runs this script
once for each checkout in a fresh process (``--whole``, the other checkout with its own example), alternately, and
prints the median of the rounds for both and the ratio this / other:
    PYTHONPATH=$PWD .venv/bin/python benchmarks/example_build.py --against /tmp/before16 [--rounds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from deptbudget.commands.build import _writers
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
BUILD = "build command"


def _writers_for(source: Path, engine: str) -> dict[str, tuple[str, Any]]:
    """The build's writers; the HTML's with the budget (its provenance words) where the checkout takes it."""
    try:
        writers = _writers(load_budget(source))  # type: ignore[call-arg]
    except TypeError:  # a checkout from before the HTML named source lines
        writers = _writers()
    if engine == "typst":
        from deptbudget.render.pdf_typst import write_pdf_typst

        writers["pdf"] = ("budget.pdf", write_pdf_typst)
    return writers


def run(source: Path, runs: int, engine: str = "reportlab") -> dict[str, float]:
    """Median seconds per step (load + compute, each format) and in total, over ``runs`` builds."""
    writers = _writers_for(source, engine)
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


def whole(source: Path, runs: int, engine: str = "reportlab") -> float:
    """Median CPU seconds of the ``build`` command itself (all formats), over ``runs`` warm builds."""
    from deptbudget.commands import build

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            args = argparse.Namespace(source=str(source), output=str(Path(tmp) / str(i)), formats=None,
                                      pdf_engine=engine)
            started = time.process_time()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                assert build.run(args) == 0
            times.append(time.process_time() - started)
    return statistics.median(times[1:])


def measure(source: Path, runs: int, engine: str = "reportlab", whole_build: bool = False) -> dict[str, float]:
    result = run(source, runs, engine)
    if whole_build:
        result[BUILD] = whole(source, runs, engine)
    return result


def _in_fresh_process(checkout: Path, runs: int, engine: str) -> dict[str, float]:
    """This script's measurement of ``checkout`` (its own package and example) in a new process."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, __file__, "--json", "--whole", "--runs", str(runs), "--pdf-engine", engine,
         "--source", str(checkout / "examples" / EXAMPLE.name)],
        env=env, cwd=checkout, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def against(other: Path, rounds: int, runs: int, engine: str) -> dict[str, tuple[float, float]]:
    """Step → (median seconds of this checkout, of ``other``) over ``rounds`` alternating fresh processes."""
    mine: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for _ in range(rounds):
        for checkout, into in ((other, theirs), (ROOT, mine)):
            for key, value in _in_fresh_process(checkout, runs, engine).items():
                into.setdefault(key, []).append(value)
    return {key: (statistics.median(mine[key]), statistics.median(theirs[key])) for key in mine if key in theirs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=EXAMPLE)
    parser.add_argument("--pdf-engine", choices=("reportlab", "typst"), default="reportlab")
    parser.add_argument("--whole", action="store_true", help="also time the build command as a whole")
    parser.add_argument("--against", type=Path, help="another checkout to compare with (e.g. /tmp/before16)")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: alternating rounds")
    parser.add_argument("--json", action="store_true", help="print the medians as JSON")
    args = parser.parse_args()
    if args.against is not None:
        result = against(args.against.resolve(), args.rounds, args.runs, args.pdf_engine)
        print(f"example build, all formats: median over {args.rounds} alternating rounds of the median CPU time of "
              f"{args.runs} warm runs")
        print(f"  {'':<16} {'this':>8}   {'other':>8}   this/other   (other: {args.against})")
        for key, (this, other) in result.items():
            print(f"  {key:<16} {this:8.3f} s {other:8.3f} s {this / other if other else float('nan'):8.2f}")
        return
    result = measure(args.source, args.runs, args.pdf_engine, args.whole)
    if args.json:
        print(json.dumps(result))
        return
    print(f"example build, all formats (median CPU time of {args.runs} warm runs)")
    for key, value in result.items():
        print(f"  {key:<16} {value:8.3f} s")


if __name__ == "__main__":
    main()
