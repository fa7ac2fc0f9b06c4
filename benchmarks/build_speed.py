"""Build speed: departments per second for compute alone and for compute + HTML + XLSX + JSON;
then the PDF and DOCX of the example timed apart, against LibreOffice's DOCX → PDF conversion.

Run by hand (not in CI):  .venv/bin/python -m benchmarks.build_speed [--departments 200] [--repeat 20]

Baseline, measured in the same run: PyYAML's own parsing (libyaml) of the same sources (the least any
build must do). Results are printed as departments/s and as ratios to that baseline.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.synthetic import generate_source
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.render.html import write_html
from deptbudget.render.json_render import write_json
from deptbudget.render.xlsx import write_xlsx
from deptbudget.sources.yaml_source import parse_budget

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luohu-2020.yaml"


def _timed(label: str, count: int, work: Callable[[], None]) -> float:
    gc.collect()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    print(f"  {label:<42} {count / elapsed:10.1f} departments/s   ({elapsed:.3f} s)")
    return elapsed


def run(departments: int, repeat: int) -> None:
    sources = [generate_source(seed) for seed in range(departments)]
    example = EXAMPLE.read_text(encoding="utf-8")
    budgets = [parse_budget(text, f"synthetic-{i}.yaml") for i, text in enumerate(sources)]
    example_budget = parse_budget(example, str(EXAMPLE))
    print(f"deptbudget build speed — {departments} synthetic departments, example × {repeat}")

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    baseline = _timed("baseline: PyYAML (libyaml) load of the sources", departments,
                      lambda: [yaml.load(text, Loader=loader) for text in sources])
    load = _timed("load (parse + catalog checks)", departments,
                  lambda: [parse_budget(text, "s.yaml") for text in sources])
    compute = _timed("compute (Budget → Disclosure)", departments,
                     lambda: [compute_disclosure(b) for b in budgets])
    _timed("compute, the example", repeat, lambda: [compute_disclosure(example_budget) for _ in range(repeat)])

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def end_to_end(batch: list[str]) -> None:
            for text in batch:
                disclosure = compute_disclosure(parse_budget(text, "s.yaml"))
                write_html(disclosure, out / "index.html")
                write_xlsx(disclosure, out / "tables.xlsx")
                write_json(disclosure, out / "disclosure.json")

        full = _timed("end to end: load + compute + HTML + XLSX + JSON", departments, lambda: end_to_end(sources))
        _timed("end to end, the example", repeat, lambda: end_to_end([example] * repeat))
    print(f"ratios to baseline: load {load / baseline:.1f}×, compute {compute / baseline:.1f}×, "
          f"end to end {full / baseline:.1f}×  (aim: ≥ 50 departments/s end to end on one core)")
    pdf_and_docx(compute_disclosure(example_budget), repeat=max(1, min(repeat, 5)))


def pdf_and_docx(disclosure: Disclosure, repeat: int) -> None:
    """PDF and DOCX of the example, timed apart, and LibreOffice turning our DOCX into a PDF."""
    from benchmarks.pdf_docx_speed import libreoffice_time, median_time
    from deptbudget.render.docx_render import write_docx
    from deptbudget.render.pdf import write_pdf

    print(f"PDF and DOCX of the example (median of {repeat}, charts included)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pdf = median_time(lambda: write_pdf(disclosure, out / "budget.pdf"), repeat)
        docx = median_time(lambda: write_docx(disclosure, out / "budget.docx"), repeat)
        print(f"  {'write_pdf':<42} {pdf:10.3f} s")
        print(f"  {'write_docx':<42} {docx:10.3f} s")
        office = libreoffice_time(out / "budget.docx", out / "lo", out / "profile")
        if office is None:
            print("  LibreOffice not on PATH (Debian: libreoffice-writer-nogui): conversion not measured")
        else:
            print(f"  {'LibreOffice DOCX → PDF (how departments do it)':<42} {office:10.3f} s")
            print(f"  ratio: our PDF takes {pdf / office:.2f}× the LibreOffice conversion (aim < 1, and ≤ 2 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    run(args.departments, args.repeat)


if __name__ == "__main__":
    main()
