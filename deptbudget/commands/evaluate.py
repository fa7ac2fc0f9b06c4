"""``deptbudget evaluate SOURCE --actuals FILE [-o DIR] [--midyear]``: batch self-evaluation (绩效自评)
or mid-year monitoring (绩效运行监控) from a YAML or XLSX file of actual values.

Prints a summary table; with ``-o`` writes the report (HTML, XLSX, PDF) into DIR. A bad actuals
file (unknown project code or indicator, a non-number for a quantitative indicator, a missed
target without an explanation, a deviation without reason and action) is reported with file,
place and problem; the command then exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from deptbudget.sources.errors import Problem, SourceError

FORMATS = ("html", "xlsx", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="绩效自评 / 绩效运行监控 (performance self-evaluation or mid-year monitoring)",
        description="读取预算源文件和实际完成值文件（YAML 或 XLSX），按财政部规则评分，输出汇总表，"
                    "并可写出项目支出绩效自评表、部门整体支出绩效自评表（HTML、XLSX、PDF）。",
    )
    parser.add_argument("source", help="预算源文件 (budget source, YAML)")
    parser.add_argument("--actuals", required=True, help="实际完成值文件 (actuals, YAML or XLSX)")
    parser.add_argument("-o", "--output", help="输出目录 (output directory); 省略则只打印汇总")
    parser.add_argument("--midyear", action="store_true", help="绩效运行监控（年中）而非年度自评 (mid-year monitoring)")
    parser.add_argument("--rules", help="绩效规则文件 (rules YAML); 默认按预算模板所属地区")
    parser.add_argument("--formats", default=",".join(FORMATS), help="输出格式 (default html,xlsx,pdf)")
    parser.set_defaults(run=run)


def _fail(problems: Sequence[Problem], what: str) -> int:
    print(f"错误：{what}有 {len(problems)} 处问题，未生成任何文件 ({len(problems)} problem(s); nothing written):",
          file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    from deptbudget.performance.actuals import load_actuals
    from deptbudget.performance.actuals_model import Stage
    from deptbudget.performance.interpret import check_actuals
    from deptbudget.performance.rules import RulesError, load_rules, load_rules_file, locality_of_template
    from deptbudget.performance.tree import TreeError, build_tree, project_tree
    from deptbudget.sources.yaml_source import load_budget

    # Each format once: a repeated one would be moved out of the staging folder twice.
    formats = list(dict.fromkeys(f.strip().lower() for f in args.formats.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"错误：未知格式 {', '.join(unknown) or '(空)'}；可选：{', '.join(FORMATS)} (unknown format)",
              file=sys.stderr)
        return 2
    try:
        budget = load_budget(args.source)
    except SourceError as exc:
        return _fail(exc.problems, "预算源文件")
    try:
        rules = load_rules_file(args.rules) if args.rules else load_rules(locality_of_template(budget.template))
    except RulesError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    try:
        actuals = load_actuals(args.actuals)
    except SourceError as exc:
        return _fail(exc.problems, "实际完成值文件")
    wanted = Stage.MIDYEAR if args.midyear else Stage.SELFEVAL
    if actuals.stage is not wanted:
        hint = "请加 --midyear" if actuals.stage is Stage.MIDYEAR else "请去掉 --midyear"
        return _fail([Problem(actuals.source, "stage", f"文件为{actuals.stage.label}（stage: {actuals.stage.value}），"
                                                       f"{hint} (stage does not match the command)")],
                     "实际完成值文件")
    try:
        trees = {p.pro_code: project_tree(p, rules) for p in budget.projects}
        dept_tree = build_tree(budget.department_targets.indicators, rules) \
            if budget.department_targets.indicators else None
    except TreeError as exc:
        return _fail([Problem(str(args.source), "indicators", p) for p in exc.problems], "绩效目标")
    problems = check_actuals(budget, actuals, trees, rules, dept_tree)
    if problems:
        return _fail(problems, "实际完成值文件")
    if args.midyear:
        return _run_midyear(args, budget, actuals, rules, formats)
    return _run_selfeval(args, budget, actuals, rules, formats)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    widths = [max(_width(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(_pad(str(h), widths[k], k in right) for k, h in enumerate(header)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(str(c), widths[k], k in right) for k, c in enumerate(row)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _run_selfeval(args, budget, actuals, rules, formats) -> int:  # type: ignore[no-untyped-def]
    from deptbudget.performance.forms import selfeval_forms
    from deptbudget.performance.scoring import self_evaluate

    se = self_evaluate(budget, actuals, rules)
    missing_explanations = se.explanation_problems()
    if missing_explanations:
        return _fail(missing_explanations, "实际完成值文件")
    rows = []
    for ev in se.evaluations:
        rate = "—" if ev.execution.percent is None else f"{ev.execution.percent}%"
        flags = []
        if ev.missing:
            flags.append(f"未填报 {len(ev.missing)} 项")
        if ev.execution.missing:
            flags.append("未填执行数")
        rows.append([ev.code, ev.name, rate, f"{ev.total:.2f}", ev.grade, "；".join(flags)])
    print(f"{se.unit_name} {se.fiscal_year} 年度绩效自评 (self-evaluation)")
    print(_table(["项目编码", "项目", "执行率", "得分", "等级", "提示"], rows, right=(2, 3)))
    counts = {}
    for ev in se.projects:
        counts[ev.grade] = counts.get(ev.grade, 0) + 1
    print("项目 " + str(len(se.projects)) + " 个：" + "，".join(f"{g} {n}" for g, n in counts.items()))
    if not args.output:
        return 0
    forms = selfeval_forms(se, budget)
    title = f"{se.fiscal_year} 年度{se.unit_name}绩效自评报告"
    return _write(forms, Path(args.output), "selfeval", title, formats, _inputs(args))


def _run_midyear(args, budget, actuals, rules, formats) -> int:  # type: ignore[no-untyped-def]
    from deptbudget.performance.forms import midyear_forms
    from deptbudget.performance.monitoring import monitor

    mm = monitor(budget, actuals, rules)
    problems = mm.problems()
    if problems:
        return _fail(problems, "实际完成值文件")
    rows = [[p.code, p.name, "—" if p.rate_percent is None else f"{p.rate_percent}%", f"{p.schedule_percent}%",
             "；".join(p.flags) or "正常"] for p in mm.projects]
    print(f"{mm.unit_name} {mm.fiscal_year} 年度绩效运行监控（截至 {mm.report_date}）(mid-year monitoring)")
    print(_table(["项目编码", "项目", "执行率", "时间进度", "偏差"], rows, right=(2, 3)))
    print(f"项目 {len(mm.projects)} 个，存在偏差 {len(mm.flagged)} 个")
    if not args.output:
        return 0
    title = f"{mm.fiscal_year} 年度{mm.unit_name}绩效运行监控报告"
    return _write(midyear_forms(mm), Path(args.output), "midyear", title, formats, _inputs(args))


def _inputs(args: argparse.Namespace) -> set[Path]:
    return {Path(p).resolve() for p in (args.source, args.actuals, args.rules) if p}


def _write(forms, output: Path, stem: str, title: str, formats: list[str],  # type: ignore[no-untyped-def]
           inputs: set[Path] = frozenset()) -> int:
    from deptbudget.performance.render import write_report

    clobbered = [f"{stem}.{fmt}" for fmt in formats if (output / f"{stem}.{fmt}").resolve() in inputs]
    if clobbered:
        print(f"错误：输出 {output / clobbered[0]} 会覆盖输入文件，未写入任何文件 "
              "(the output would overwrite an input; nothing written)", file=sys.stderr)
        return 1

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"错误：无法创建输出目录 {output}: {exc.strerror} (cannot create output directory)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix=".deptbudget-", dir=output) as staging:
        try:
            written = write_report(forms, staging, stem, title, formats)
        except Exception as exc:  # a renderer failure must not leave a partial result
            print(f"错误：生成报告失败，未写入任何文件 (rendering failed; nothing written): {exc}", file=sys.stderr)
            return 1
        for path in written:
            shutil.move(str(path), output / path.name)
    print(f"已生成：{output}/ ({', '.join(p.name for p in written)})")
    return 0
