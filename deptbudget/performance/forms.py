"""The printed forms as data: a grid of cells with row and column spans, built from evaluations
and monitoring results, rendered to HTML, XLSX and PDF by ``deptbudget.performance.render``.

- 项目支出绩效自评表 and 部门整体支出绩效自评表 (the Ministry of Finance self-evaluation forms:
  funds with 预算执行率, 年度总体目标, the indicator tree with 年度指标值 / 实际完成值 / 分值 / 得分 /
  偏差原因分析及改进措施, 总分 and grade);
- 绩效自评结果汇总表 (one line per project);
- 项目支出绩效运行监控表 and its summary (mid-year);
- the finance bureau's overview (绩效管理情况一览表).

Amounts are shown in 万元 to two decimals, each correctly rounded; where printed parts and their
printed total differ after rounding, the form carries the template's 尾差 note. Scores have two
decimals; percentages are kept as fractions (0.9371, shown 93.71%) for XLSX's % format.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from deptbudget.model.budget import Budget, ExpenditureKind, FundSource, Project
from deptbudget.model.money import format_amount, round_half_up, wan
from deptbudget.performance.monitoring import MidyearMonitoring, ProjectMonitoring
from deptbudget.performance.scoring import Evaluation, Outcome, SelfEvaluation
from deptbudget.performance.tree import EvalIndicator, IndicatorTree
from deptbudget.performance.workflow import OverviewRow

DASH = "—"


@dataclass
class FormCell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    kind: str = "value"  # head (label, shaded), value (text), number (right-aligned), total, flag
    number: Decimal | None = None  # numeric value behind ``text`` (for XLSX; a percentage as a fraction)
    fmt: str = ""  # amount (万元) / percent / score / count: the XLSX number format


@dataclass
class Form:
    key: str  # short id: sheet name, HTML anchor
    title: str
    rows: list[list[FormCell]]
    widths: list[float]  # relative column widths
    subtitle: str = ""
    meta_left: str = ""  # e.g. 填报单位：…
    meta_right: str = ""  # e.g. 金额单位：万元
    notes: list[str] = field(default_factory=list)
    landscape: bool = True

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def placed(self) -> list[tuple[int, int, FormCell]]:
        """(row, column, cell) of every cell, columns found the way HTML tables do (skipping
        slots taken by spans from above). Raises ValueError when a row does not fill the grid."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                out.append((r, c, cell))
                c += cell.colspan
            width = max([c] + [cc + 1 for (rr, cc) in taken if rr == r])
            if width != self.ncols:
                raise ValueError(f"{self.key}: 第 {r + 1} 行宽 {width} 列，应为 {self.ncols} 列")
        return out


def head(text: str, colspan: int = 1, rowspan: int = 1) -> FormCell:
    return FormCell(text, colspan, rowspan, "head")


def val(text: str, colspan: int = 1, rowspan: int = 1) -> FormCell:
    return FormCell(text, colspan, rowspan, "value")


def tree_rows(tree: IndicatorTree) -> Iterator[tuple[EvalIndicator, list[FormCell]]]:
    """Each indicator of an indicator tree, with the merged 一级 / 二级 cells that start on its row."""
    for dim in tree.dimensions:
        dim_first = True
        for node in dim.level2:
            l2_first = True
            for ind in node.indicators:
                row: list[FormCell] = []
                if dim_first:
                    row.append(val(dim.label, rowspan=len(dim.indicators)))
                    dim_first = False
                if l2_first:
                    row.append(val(node.name, rowspan=len(node.indicators)))
                    l2_first = False
                yield ind, row


def num(value: Decimal | None, colspan: int = 1, text: str | None = None, kind: str = "number",
        fmt: str = "amount") -> FormCell:
    shown = text if text is not None else (DASH if value is None else format_amount(value))
    return FormCell(shown, colspan, 1, kind, value, fmt)


def money(amount_yuan: Decimal | None) -> FormCell:
    return num(None if amount_yuan is None else wan(amount_yuan))


def pct(value: Decimal | None) -> FormCell:
    """A percentage given in percent (93.71): printed "93.71%", its number the fraction 0.9371."""
    if value is None:
        return num(None, text=DASH, fmt="percent")
    shown = round_half_up(value)
    return num(shown / 100, text=f"{shown}%", fmt="percent")


def score_cell(value: Decimal, kind: str = "number") -> FormCell:
    return num(value, kind=kind, text=f"{round_half_up(value):.2f}", fmt="score")


def count(value: int) -> FormCell:
    return num(Decimal(value), text=str(value), fmt="count")


def _numbered(lines: Sequence[str]) -> str:
    if len(lines) <= 1:
        return "".join(lines)
    return "\n".join(f"{k}. {line}" for k, line in enumerate(lines, 1))


# --- self-evaluation forms -------------------------------------------------------------------

SELFEVAL_WIDTHS = [6.0, 8.0, 11.0, 25.0, 11.0, 11.0, 7.0, 7.0, 24.0]


def _indicator_rows(ev: Evaluation) -> list[list[FormCell]]:
    rows: list[list[FormCell]] = []
    count = len(ev.indicators)
    first = [head("绩效指标", rowspan=count + 1), head("一级指标"), head("二级指标"), head("三级指标"),
             head("年度指标值"), head("实际完成值"), head("分值"), head("得分"), head("偏差原因分析及改进措施")]
    rows.append(first)
    by_index = {s.indicator.index: s for s in ev.indicators}
    for ind, row in tree_rows(ev.tree):
        s = by_index[ind.index]
        note = s.explanation
        if s.outcome is Outcome.MISSING:
            note = "未填报实际完成值" + (f"；{note}" if note else "")
        row += [val(ind.name), val(ind.target_text or DASH),
                FormCell(s.actual_text or DASH, kind="flag" if s.outcome is not Outcome.MET else "value"),
                score_cell(ind.points), score_cell(s.score), val(note)]
        rows.append(row)
    return rows


def _total_row(ev: Evaluation) -> list[FormCell]:
    return [head("总分", colspan=6), score_cell(ev.total_points, "total"), score_cell(ev.total, "total"),
            FormCell(f"评价等级：{ev.grade}", kind="total")]


def _execution_cells(ev: Evaluation) -> list[FormCell]:
    x = ev.execution
    return [money(ev.approved), money(x.budget), money(x.spent), score_cell(x.points), pct(x.percent),
            score_cell(x.score)]


def _fund_split(lines: Sequence, approved: bool = True) -> tuple[Decimal, Decimal, Decimal]:  # type: ignore[type-arg]
    fiscal = sum((line.amount for line in lines if line.fund_source.is_fiscal), Decimal(0))
    carry = sum((line.amount for line in lines if line.fund_source is FundSource.CARRYOVER), Decimal(0))
    other = sum((line.amount for line in lines), Decimal(0)) - fiscal - carry
    return fiscal, carry, other


SOURCE_LABELS = ("其中：当年财政拨款", "上年结转资金", "其他资金")


def spent_by_source(ev: Evaluation, approved: tuple[Decimal, Decimal, Decimal]) -> tuple[Decimal, ...] | None:
    """全年执行数 by source: as the actuals give it; else, when the whole budget is of one source and
    was not adjusted, all of it from that source; else unknown (``None``)."""
    entry = ev.entry
    if entry is not None and entry.spent_by_source is not None:
        return entry.spent_by_source
    spent = ev.execution.spent
    sources = [k for k, amount in enumerate(approved) if amount]
    if spent is None or len(sources) != 1 or (entry is not None and entry.budget is not None):
        return None
    return tuple(spent if k == sources[0] else Decimal(0) for k in range(len(approved)))


def project_selfeval_form(ev: Evaluation, project: Project, unit_name: str, fiscal_year: int,
                          tail_note: str = "") -> Form:
    approved = _fund_split(project.lines)
    adjusted = ev.entry is not None and ev.entry.budget is not None
    spent = spent_by_source(ev, approved)
    rows: list[list[FormCell]] = [
        [head("项目名称", 2), val(f"{ev.name}（{ev.code}）", 7)],
        [head("主管部门", 2), val(unit_name, 3), head("实施单位", 2), val(unit_name, 2)],
        [head("项目资金（万元）", 2, 5), head(""), head("年初预算数"), head("全年预算数"), head("全年执行数"),
         head("分值"), head("执行率"), head("得分")],
        [val("年度资金总额"), *_execution_cells(ev)],
    ]
    for k, (label, amount) in enumerate(zip(SOURCE_LABELS, approved, strict=True)):
        rows.append([val(label), money(amount), money(amount) if not adjusted else num(None),
                     money(spent[k]) if spent is not None else num(None), num(None), num(None), num(None)])
    rows += _selfeval_body_rows(ev)
    notes = _score_notes(ev)
    if spent is None and ev.execution.spent is not None:
        notes.append("全年执行数未按资金来源填报。")
    sums = [(ev.approved, approved)] + ([] if adjusted else [(ev.execution.budget, approved)])
    if ev.execution.spent is not None and spent is not None:
        sums.append((ev.execution.spent, spent))
    if tail_note and not foots(sums):
        notes.append(tail_note)
    return Form(key=ev.code, title="项目支出绩效自评表", subtitle=f"（{fiscal_year} 年度）", rows=rows,
                widths=SELFEVAL_WIDTHS, meta_left=f"填报单位：{unit_name}", meta_right="金额单位：万元",
                notes=notes)


def foots(sums: Sequence[tuple[Decimal, Sequence[Decimal]]]) -> bool:
    """Whether every (total, parts) in 元 still adds up once each figure is printed in 万元."""
    return all(wan(total) == sum((wan(part) for part in parts), Decimal(0)) for total, parts in sums)


def department_selfeval_form(ev: Evaluation, budget: Budget, tail_note: str = "",
                             projects: Sequence[Evaluation] = ()) -> Form:
    """部门整体支出绩效自评表; ``tail_note`` goes under it when its printed parts do not add up to its
    printed totals (基本 + 项目 = 总额; the project forms' amounts = 项目支出)."""
    basic = sum((line.amount for line in budget.lines if line.kind is ExpenditureKind.BASIC), Decimal(0))
    project = sum((line.amount for line in budget.lines if line.kind is ExpenditureKind.PROJECT), Decimal(0))
    entry = ev.entry
    basic_spent = entry.basic_spent if entry else None
    project_spent = None
    if basic_spent is not None and ev.execution.spent is not None:
        project_spent = ev.execution.spent - basic_spent
    rows: list[list[FormCell]] = [
        [head("部门（单位）名称", 2), val(ev.name, 7)],
        [head("年度资金（万元）", 2, 4), head(""), head("年初预算数"), head("全年预算数"), head("全年执行数"),
         head("分值"), head("执行率"), head("得分")],
        [val("年度资金总额"), *_execution_cells(ev)],
        [val("其中：基本支出"), money(basic), num(None), money(basic_spent), num(None), num(None), num(None)],
        [val("项目支出"), money(project), num(None), money(project_spent), num(None), num(None), num(None)],
    ]
    rows += _selfeval_body_rows(ev)
    sums = [(ev.approved, [basic, project]), (project, [p.approved for p in projects])]
    if basic_spent is not None and project_spent is not None and ev.execution.spent is not None:
        sums.append((ev.execution.spent, [basic_spent, project_spent]))
    notes = _score_notes(ev)
    if tail_note and not foots([s for s in sums if s[1]]):
        notes.append(tail_note)
    return Form(key="部门整体", title="部门整体支出绩效自评表", subtitle=f"（{budget.fiscal_year} 年度）", rows=rows,
                widths=SELFEVAL_WIDTHS, meta_left=f"填报单位：{ev.name}", meta_right="金额单位：万元",
                notes=notes)


def _selfeval_body_rows(ev: Evaluation) -> list[list[FormCell]]:
    """What both self-evaluation forms print below the funds: the execution explanation (when given),
    the overall goal against what was done, the indicators and the total."""
    rows: list[list[FormCell]] = []
    if ev.explanation:
        rows.append([head("预算执行偏差说明", 2), val(ev.explanation, 7)])
    rows += [
        [head("年度总体目标", 2, 2), head("预期目标", 4), head("实际完成情况", 3)],
        [val(_numbered(ev.goals), 4), val(ev.summary or DASH, 3)],
    ]
    rows += _indicator_rows(ev)
    rows.append(_total_row(ev))
    return rows


def _score_notes(ev: Evaluation) -> list[str]:
    parts = [f"预算执行率 {ev.execution.score:.2f}/{ev.execution.points:.2f}"]
    for dim in ev.tree.dimensions:
        parts.append(f"{dim.label} {ev.dimension_score(dim.key):.2f}/{ev.dimension_points(dim.key):.2f}")
    notes = ["得分构成：" + "，".join(parts) + "。"]
    if ev.missing:
        notes.append(f"未填报实际完成值的指标 {len(ev.missing)} 项，按 0 分计。")
    if ev.execution.missing:
        notes.append("未填报全年执行数，预算执行率按 0 分计。")
    return notes


SUMMARY_WIDTHS = [5.0, 14.0, 34.0, 12.0, 12.0, 9.0, 9.0, 7.0, 9.0]


def summary_form(se: SelfEvaluation) -> Form:
    rows: list[list[FormCell]] = [[head("序号"), head("项目编码"), head("项目名称"), head("年初预算数"),
                                   head("全年执行数"), head("执行率"), head("得分"), head("等级"),
                                   head("未达成指标")]]
    if se.department:
        ev = se.department
        rows.append([val(DASH), val(ev.code), val(ev.name), money(ev.approved), money(ev.execution.spent),
                     pct(ev.execution.percent), score_cell(ev.total), val(ev.grade),
                     count(len(ev.missed))])
    for k, ev in enumerate(se.projects, 1):
        rows.append([val(str(k)), val(ev.code), val(ev.name), money(ev.approved), money(ev.execution.spent),
                     pct(ev.execution.percent), score_cell(ev.total), val(ev.grade),
                     count(len(ev.missed))])
    grades: dict[str, int] = {}
    for ev in se.projects:
        grades[ev.grade] = grades.get(ev.grade, 0) + 1
    spread = "，".join(f"{g} {grades[g]} 个" for g in [b.name for b in se.rules.grades] if g in grades)
    return Form(key="汇总", title="绩效自评结果汇总表", subtitle=f"（{se.fiscal_year} 年度）", rows=rows,
                widths=SUMMARY_WIDTHS, meta_left=f"填报单位：{se.unit_name}", meta_right="金额单位：万元",
                notes=[f"项目 {len(se.projects)} 个：{spread}。"] if se.projects else [])


def tail_note_of(budget: Budget) -> str:
    """The 尾差 note of the budget's template (its default when the template cannot be read)."""
    from deptbudget.template import TemplateError, load_template
    from deptbudget.template.spec import TAIL_NOTE

    try:
        return load_template(budget.template).rounding.tail_note
    except TemplateError:
        return TAIL_NOTE


def selfeval_forms(se: SelfEvaluation, budget: Budget) -> list[Form]:
    """The whole self-evaluation report: summary, department form, one form per project."""
    note = tail_note_of(budget)
    forms = [summary_form(se)]
    if se.department:
        forms.append(department_selfeval_form(se.department, budget, note, se.projects))
    projects = {p.pro_code: p for p in budget.projects}
    forms += [project_selfeval_form(ev, projects[ev.code], se.unit_name, se.fiscal_year, note)
              for ev in se.projects]
    return forms


# --- mid-year monitoring forms ---------------------------------------------------------------

MIDYEAR_WIDTHS = [6.0, 8.0, 11.0, 23.0, 11.0, 11.0, 11.0, 9.0, 22.0]


def _reading_text(reading, unit: str | None) -> str:  # type: ignore[no-untyped-def]
    if reading.missing:
        return DASH
    if reading.grade is not None:
        return reading.grade
    value = round_half_up(reading.value, 2).normalize()
    text = format(value, "f")
    return f"{text}{unit}" if unit == "%" else (f"{text} {unit}" if unit else text)


def project_midyear_form(pm: ProjectMonitoring, unit_name: str, fiscal_year: int) -> Form:
    behind = "执行进度滞后" if pm.execution_behind else ("未填报" if pm.spent is None else "正常")
    rows: list[list[FormCell]] = [
        [head("项目名称", 2), val(f"{pm.name}（{pm.code}）", 7)],
        [head("主管部门", 2), val(unit_name, 3), head("监控截止日", 2), val(pm.report_date.isoformat(), 2)],
        [head("项目资金（万元）", 2, 2), head("全年预算数"), head("截至报告日执行数"), head("预算执行率"),
         head("时间进度"), head("执行偏差", 3)],
        [money(pm.budget), money(pm.spent), pct(pm.rate_percent), pct(pm.schedule_percent),
         FormCell(behind, 3, 1, "flag" if pm.execution_behind else "value")],
        [head("偏差原因", 2), val(pm.reason or DASH, 3), head("改进措施", 2), val(pm.action or DASH, 2)],
    ]
    count = len(pm.indicators)
    rows.append([head("绩效指标", rowspan=count + 1), head("一级指标"), head("二级指标"), head("三级指标"),
                 head("年度指标值"), head("截至报告日完成值"), head("全年预计完成值"), head("预计能否完成"),
                 head("偏差原因及改进措施")])
    by_index = {i.indicator.index: i for i in pm.indicators}
    for ind, row in tree_rows(pm.tree) if pm.tree else []:
        item = by_index[ind.index]
        expected = _reading_text(item.projected, ind.unit)
        if item.basis == "按时间进度推算":
            expected += "（推算）"
        verdict = DASH if item.projected.missing else ("否" if item.at_risk else "是")
        note = "；".join(x for x in (item.reason, item.action) if x)
        row += [val(ind.name), val(ind.target_text or DASH), val(_reading_text(item.to_date, ind.unit)),
                val(expected), FormCell(verdict, kind="flag" if item.at_risk else "value"), val(note)]
        rows.append(row)
    return Form(key=pm.code, title="项目支出绩效运行监控表", subtitle=f"（{fiscal_year} 年度，截至 "
                f"{pm.report_date.isoformat()}）", rows=rows, widths=MIDYEAR_WIDTHS,
                meta_left=f"填报单位：{unit_name}", meta_right="金额单位：万元")


MIDYEAR_SUMMARY_WIDTHS = [5.0, 14.0, 30.0, 11.0, 11.0, 9.0, 9.0, 30.0]


def midyear_summary_form(mm: MidyearMonitoring) -> Form:
    rows: list[list[FormCell]] = [[head("序号"), head("项目编码"), head("项目名称"), head("全年预算数"),
                                   head("执行数"), head("执行率"), head("时间进度"), head("偏差情况")]]
    for k, pm in enumerate(mm.projects, 1):
        flags = "；".join(pm.flags) or "正常"
        rows.append([val(str(k)), val(pm.code), val(pm.name), money(pm.budget), money(pm.spent),
                     pct(pm.rate_percent), pct(pm.schedule_percent),
                     FormCell(flags, kind="flag" if pm.flagged else "value")])
    return Form(key="汇总", title="绩效运行监控情况汇总表", subtitle=f"（{mm.fiscal_year} 年度，截至 "
                f"{mm.report_date.isoformat()}）", rows=rows, widths=MIDYEAR_SUMMARY_WIDTHS,
                meta_left=f"填报单位：{mm.unit_name}", meta_right="金额单位：万元",
                notes=[f"项目 {len(mm.projects)} 个，存在偏差 {len(mm.flagged)} 个。"])


def midyear_forms(mm: MidyearMonitoring) -> list[Form]:
    return [midyear_summary_form(mm)] + [project_midyear_form(p, mm.unit_name, mm.fiscal_year) for p in mm.projects]


# --- the finance bureau's overview -----------------------------------------------------------

OVERVIEW_WIDTHS = [18.0, 14.0, 28.0, 11.0, 9.0, 9.0, 9.0, 9.0, 8.0, 6.0, 12.0, 8.0]


def overview_form(rows: Sequence[OverviewRow], title: str = "预算绩效管理情况一览表") -> Form:
    grid: list[list[FormCell]] = [[head("单位"), head("项目编码"), head("项目名称"), head("年初预算数"),
                                   head("监控状态"), head("年中执行率"), head("自评状态"), head("执行率"),
                                   head("得分"), head("等级"), head("逾期"), head("重点评价")]]
    for r in rows:
        grid.append([val(r.unit), val(r.code), val(r.name), money(r.amount), val(r.midyear_status.label),
                     pct(r.midyear_rate), val(r.selfeval_status.label), pct(r.execution_rate),
                     num(r.score, text=DASH if r.score is None else f"{r.score:.2f}", fmt="score"),
                     val(r.grade or DASH),
                     FormCell("、".join(s.label for s in r.late) or "否", kind="flag" if r.late else "value"),
                     val("是" if r.key_evaluation else "")])
    return Form(key="一览", title=title, rows=grid, widths=OVERVIEW_WIDTHS, meta_right="金额单位：万元")
