"""Review speed: documents per second for the checklist review alone (every rule, placement, verdicts,
score) and with its reports (checklist XLSX + HTML per document, one summary XLSX per batch).

Run by hand (not in CI):  .venv/bin/python -m benchmarks.review_speed [--documents 200] [--repeat 20]

The batch is synthetic departments (benchmarks/synthetic.py) computed once beforehand; the text rules
alone are timed too, and our example and the seed as published are reviewed ``--repeat`` times each.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import generate_budget
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import loads
from deptbudget.review.engine import Reviewer
from deptbudget.review.html_report import write_review_html
from deptbudget.review.xlsx_report import SummaryRow, write_review_xlsx, write_summary_xlsx
from deptbudget.rules.registry import run_rules
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
SEED = ROOT / "tests" / "fixtures" / "luohu-2020-as-published.json"


def _timed(label: str, count: int, work: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    print(f"  {label:<46} {count / elapsed:10.1f} documents/s   ({elapsed:.3f} s)")
    return elapsed


def run(documents: int, repeat: int) -> None:
    batch = [compute_disclosure(generate_budget(seed)) for seed in range(documents)]
    example = compute_disclosure(load_budget(EXAMPLE))
    seed = loads(SEED.read_bytes()) if SEED.exists() else example
    reviewer = Reviewer()
    text_rules = [r for r in reviewer.rules if r.id.startswith("TEXT-")]
    print(f"deptbudget review speed — {documents} synthetic departments; example and seed × {repeat}")

    def text_only(items: list[Disclosure]) -> None:
        for d in items:
            run_rules(d, reviewer.context(d)[0], text_rules)

    _timed("text rules only (17 TEXT-* rules)", documents, lambda: text_only(batch))
    _timed("review (all rules, checklist, score)", documents, lambda: [reviewer.review(d) for d in batch])
    _timed("review, the example", repeat, lambda: [reviewer.review(example) for _ in range(repeat)])
    _timed("review, the seed as published", repeat, lambda: [reviewer.review(seed) for _ in range(repeat)])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def with_reports() -> None:
            rows = []
            for index, d in enumerate(batch):
                review = reviewer.review(d)
                write_review_xlsx(review, out / f"{index}.review.xlsx")
                write_review_html(review, out / f"{index}.review.html")
                rows.append(SummaryRow(str(index), review))
            write_summary_xlsx(rows, out / "review-summary.xlsx")

        _timed("review + XLSX + HTML + batch summary", documents, with_reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    run(args.documents, args.repeat)


if __name__ == "__main__":
    main()
