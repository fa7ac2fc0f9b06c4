"""Actuals workbooks: ``write_actuals_xlsx`` writes the template a unit fills in (every project and
indicator listed with its target, the values filled in where given) and ``parse_actuals_xlsx`` reads
it back.

Sheets: 说明 (``fiscal_year``, ``stage``, ``report_date``: key in column A, value in column B), 项目
(one row per project, 部门整体 for the department) and 指标 (one row per indicator). Columns are found
by their header, so their order may change. Problems name the sheet and row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from deptbudget.model.budget import Budget
from deptbudget.performance.actuals_model import DEPARTMENT, Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.actuals_reading import Collector
from deptbudget.performance.tree import TIMELINESS, normalize_name, project_indicators
from deptbudget.sources.errors import Problem, SourceError

PROJECT_SHEET = "项目"
INDICATOR_SHEET = "指标"
INFO_SHEET = "说明"
PROJECT_COLUMNS = {
    "项目编码": "code", "全年预算数（元）": "budget", "执行数（元）": "spent", "基本支出执行数（元）": "basic_spent",
    "实际完成情况": "summary", "预算执行偏差说明": "explanation", "偏差原因": "reason", "改进措施": "action",
}
INDICATOR_COLUMNS = {
    "项目编码": "code", "二级指标": "level2", "指标名称": "name", "实际完成值": "actual",
    "偏差原因分析及改进措施": "explanation", "截至报告日完成值": "to_date", "全年预计完成值": "expected",
    "偏差原因": "reason", "改进措施": "action",
}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_actuals_xlsx(path: Path, source: str | None = None) -> Actuals:
    """Read an actuals workbook (sheets 说明, 项目, 指标; see ``write_actuals_xlsx``). Problems name
    the file as ``source`` (default: the path)."""
    from openpyxl import load_workbook

    file = source or str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceError([Problem(file, "文件", f"不是有效的 XLSX 文件 (not a readable workbook): {exc}")]) from None
    c = Collector(file)
    try:
        info = _info(c, workbook[INFO_SHEET]) if INFO_SHEET in workbook.sheetnames else {}
        for sheet in (PROJECT_SHEET, INDICATOR_SHEET):
            if sheet not in workbook.sheetnames:
                c.add("文件", f"缺少工作表「{sheet}」(missing sheet)")
        if c.problems:
            raise SourceError(c.problems)
        entities = _projects(c, workbook[PROJECT_SHEET])
        items = _indicators(c, workbook[INDICATOR_SHEET], entities)
    finally:
        workbook.close()
    if c.problems:
        raise SourceError(c.problems)
    complete = {code: replace(entry, indicators=tuple(items.get(code, ()))) for code, entry in entities.items()}
    department = complete.pop(DEPARTMENT, None)
    return Actuals(**info, projects=tuple(complete.values()), department=department, source=file)


def _info(c: Collector, sheet: Any) -> dict[str, Any]:
    """The 说明 sheet's ``stage``, ``fiscal_year`` and ``report_date`` (a later row wins)."""
    info: dict[str, Any] = {}
    for row in sheet.iter_rows(values_only=True):
        key, value = (_cell_text(row[0]) if row else ""), (row[1] if len(row) > 1 else None)
        if key in ("fiscal_year", "年度") and value not in (None, ""):
            try:
                info["fiscal_year"] = int(_cell_text(value))
            except ValueError:
                c.add(f"工作表「{INFO_SHEET}」{key}", f"年度应为整数: {value!r}")
        elif key in ("stage", "阶段") and value:
            text = _cell_text(value)
            text = {"绩效自评": "selfeval", "绩效运行监控": "midyear"}.get(text, text)
            try:
                info["stage"] = Stage(text)
            except ValueError:
                c.add(f"工作表「{INFO_SHEET}」{key}", f"阶段应为 selfeval/midyear: {value!r}")
        elif key in ("report_date", "报告日期") and value:
            if isinstance(value, datetime):
                info["report_date"] = value.date()
            else:
                try:
                    info["report_date"] = date.fromisoformat(_cell_text(value))
                except ValueError:
                    c.add(f"工作表「{INFO_SHEET}」{key}", f"日期应为 YYYY-MM-DD: {value!r}")
    return info


def _projects(c: Collector, sheet: Any) -> dict[str, EntityEntry]:
    """The 项目 sheet's rows by code (without their indicators)."""
    entities: dict[str, EntityEntry] = {}
    for number, row in _rows(c, sheet, PROJECT_COLUMNS):
        place = f"工作表「{PROJECT_SHEET}」第 {number} 行"
        code = _cell_text(row.get("code"))
        if not code:
            continue
        if code in entities:
            c.add(place, f"项目编码 {code} 重复 (project given twice)")
            continue
        amounts = {key: c.money(row.get(key), f"{place} {_header(PROJECT_COLUMNS, key)}", None)
                   for key in ("spent", "budget", "basic_spent")}
        texts = {key: _cell_text(row.get(key)) for key in ("summary", "explanation", "reason", "action")}
        entities[code] = EntityEntry(code=code, **amounts, **texts, place=place)
    return entities


def _indicators(c: Collector, sheet: Any, entities: dict[str, EntityEntry]) -> dict[str, list[IndicatorEntry]]:
    """The 指标 sheet's rows by project code; a code the 项目 sheet lacks is added to ``entities``."""
    items: dict[str, list[IndicatorEntry]] = {}
    for number, row in _rows(c, sheet, INDICATOR_COLUMNS):
        place = f"工作表「{INDICATOR_SHEET}」第 {number} 行"
        code, name = _cell_text(row.get("code")), _cell_text(row.get("name"))
        if not code and not name:
            continue
        if not name:
            c.add(place, "缺少指标名称 (missing indicator name)")
            continue
        if code not in entities:
            entities[code] = EntityEntry(code=code, place=place)
        items.setdefault(code, []).append(IndicatorEntry(
            name=name, place=place, level2=_cell_text(row.get("level2")) or None,
            actual=_blank(row.get("actual")), to_date=_blank(row.get("to_date")), expected=_blank(row.get("expected")),
            explanation=_cell_text(row.get("explanation")), reason=_cell_text(row.get("reason")),
            action=_cell_text(row.get("action"))))
    return items


def _blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _header(columns: dict[str, str], key: str) -> str:
    return next(h for h, k in columns.items() if k == key)


def _rows(c: Collector, sheet: Any, columns: dict[str, str]):  # type: ignore[no-untyped-def]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    index = {columns[_cell_text(h)]: k for k, h in enumerate(header) if _cell_text(h) in columns}
    required = ("code", "name") if "name" in columns.values() else ("code",)
    for key in required:
        if key not in index:
            c.add(f"工作表「{sheet.title}」第 1 行", f"缺少列「{_header(columns, key)}」(missing column)")
            return
    for number, values in enumerate(rows, start=2):
        yield number, {key: values[k] if k < len(values) else None for key, k in index.items()}


def write_actuals_xlsx(budget: Budget, path: str | Path, actuals: Actuals | None = None,
                       stage: Stage | None = None) -> None:
    """An actuals workbook for ``budget``: every project and indicator listed with its target,
    and the entered values where ``actuals`` gives them (a blank template otherwise). Written via a
    temporary file and renamed into place."""
    import xlsxwriter

    from deptbudget.render.files import atomic_output

    stage = stage or (actuals.stage if actuals else Stage.SELFEVAL)
    with atomic_output(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})  # text is data
        bold = workbook.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1})
        info = workbook.add_worksheet(INFO_SHEET)
        info.set_column(0, 0, 16)
        info.set_column(1, 1, 60)
        info_rows = [("fiscal_year", budget.fiscal_year), ("stage", stage.value),
                     ("report_date", actuals.report_date.isoformat() if actuals and actuals.report_date else ""),
                     ("unit", budget.unit.name),
                     ("说明", "金额单位为元；定性指标填 达成/基本达成/部分达成/未达成；"
                              "部门整体的项目编码填「部门整体」")]
        for r, (key, value) in enumerate(info_rows):
            info.write(r, 0, key, bold)
            info.write(r, 1, value)
        entries = {e.code: e for e in (actuals.projects if actuals else [])}
        if actuals and actuals.department:
            entries[DEPARTMENT] = actuals.department
        midyear = stage is Stage.MIDYEAR
        p_head = ["项目编码", "项目名称", "全年预算数（元）", "执行数（元）"]
        p_head += ["偏差原因", "改进措施"] if midyear else ["实际完成情况", "预算执行偏差说明", "基本支出执行数（元）"]
        i_head = ["项目编码", "一级指标", "二级指标", "指标名称", "年度指标值"]
        i_head += (["截至报告日完成值", "全年预计完成值", "偏差原因", "改进措施"] if midyear
                   else ["实际完成值", "偏差原因分析及改进措施"])
        psheet, isheet = workbook.add_worksheet(PROJECT_SHEET), workbook.add_worksheet(INDICATOR_SHEET)
        psheet.write_row(0, 0, p_head, bold)
        isheet.write_row(0, 0, i_head, bold)
        psheet.set_column(0, 0, 16)
        psheet.set_column(1, 1, 36)
        psheet.set_column(2, len(p_head), 18)
        isheet.set_column(0, 0, 16)
        isheet.set_column(1, 2, 14)
        isheet.set_column(3, 3, 40)
        isheet.set_column(4, len(i_head), 18)
        owners = [(p.pro_code, p.pro_name, project_indicators(p)) for p in budget.projects]  # 工作时效 included
        owners.append((DEPARTMENT, budget.unit.name, budget.department_targets.indicators))
        prow = irow = 1
        for code, name, indicators in owners:
            entry = entries.get(code)
            by_name = {normalize_name(i.name): i for i in entry.indicators} if entry else {}
            values: list[Any] = [code, name, _money_text(entry.budget if entry else None),
                                 _money_text(entry.spent if entry else None)]
            if midyear:
                values += [entry.reason if entry else "", entry.action if entry else ""]
            else:
                values += [entry.summary if entry else "", entry.explanation if entry else "",
                           _money_text(entry.basic_spent if entry else None)]
            psheet.write_row(prow, 0, values)
            prow += 1
            for ind in indicators:
                item = by_name.get(normalize_name(ind.name))
                if item is None and ind.level2 == TIMELINESS[1]:  # named by its 二级 in the actuals
                    item = by_name.get(normalize_name(ind.level2))
                row: list[Any] = [code, ind.level1, ind.level2, ind.name, ind.target]
                if midyear:
                    row += [_value_text(item.to_date if item else None), _value_text(item.expected if item else None),
                            item.reason if item else "", item.action if item else ""]
                else:
                    row += [_value_text(item.actual if item else None), item.explanation if item else ""]
                isheet.write_row(irow, 0, row)
                irow += 1
        workbook.close()


def _money_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _value_text(value: Any) -> str:
    return "" if value is None else str(value)
