"""Self-evaluation speed: projects scored per second, and the full report (HTML + XLSX + PDF).

Run by hand (not in CI):  .venv/bin/python -m benchmarks.evaluate_speed [--departments 50]

Synthetic departments (``benchmarks.synthetic``) get random actuals for every indicator; the
seed (19 projects) is rendered with the sample actuals.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchmarks.synthetic import generate_budget
from deptbudget.performance.actuals import Actuals, EntityEntry, IndicatorEntry, load_actuals
from deptbudget.performance.forms import selfeval_forms
from deptbudget.performance.render import write_report
from deptbudget.performance.rules import load_rules
from deptbudget.performance.scoring import self_evaluate
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parent.parent


def random_actuals(budget, rng: random.Random) -> Actuals:  # type: ignore[no-untyped-def]
    grades = ["达成", "基本达成", "部分达成", "未达成"]
    projects = []
    for p in budget.projects:
        items = []
        for ind in p.indicators:
            if ind.value is None:
                value: object = rng.choice(grades)
            else:
                value = (ind.value * Decimal(rng.randint(60, 120)) / 100).quantize(Decimal("0.01"))
            items.append(IndicatorEntry(ind.name, actual=value, explanation="说明"))
        spent = (p.amount * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01"))
        projects.append(EntityEntry(p.pro_code, spent=spent, indicators=items))
    return Actuals(projects=projects)


def run(departments: int) -> None:
    rules = load_rules()
    rng = random.Random(7)
    budgets = [generate_budget(seed) for seed in range(departments)]
    pairs = [(b, random_actuals(b, rng)) for b in budgets]
    count = sum(len(b.projects) for b in budgets)
    started = time.perf_counter()
    for budget, actuals in pairs:
        self_evaluate(budget, actuals, rules)
    elapsed = time.perf_counter() - started
    print(f"scoring: {count} projects in {elapsed:.3f} s = {count / elapsed:,.0f} projects/s")

    seed = load_budget(ROOT / "examples" / "luohu-2020.yaml")
    se = self_evaluate(seed, load_actuals(ROOT / "examples" / "luohu-2020-actuals.yaml"), rules)
    forms = selfeval_forms(se, seed)
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("html", "xlsx", "pdf"):
            started = time.perf_counter()
            write_report(forms, folder, "selfeval", "绩效自评报告", [fmt])
            print(f"seed report {fmt:<4}: {time.perf_counter() - started:.3f} s ({len(forms)} forms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=50)
    run(parser.parse_args().departments)


if __name__ == "__main__":
    main()
