"""Actual values entered for performance management: year-end actuals (绩效自评) and mid-year
values (绩效运行监控), per project and for the department as a whole.

Plain data classes, so that the web system can store them (``actuals_to_dict`` /
``actuals_from_dict`` give JSON-ready dicts) and the CLI can read them from YAML or XLSX
(``load_actuals``). Values are kept as written; what a value means (a number, a grade) depends on
the indicator it belongs to and is decided by ``interpret``. Every problem names the file, the
place and what is wrong (``deptbudget.sources.errors.Problem``).

YAML format (see ``docs/performance.md``)::

    fiscal_year: 2020
    stage: selfeval                  # or midyear
    report_date: 2021-03-20          # 填报日 / 监控截止日 (midyear: the date the values are as of)
    department:
      spent: "160,000,000.00"        # 全年执行数 (元); or basic_spent: the 基本支出 part only
      summary: 实际完成情况 …
      indicators:
        高企培育企业数: 362
        辖区新型研发机构数量: 达成
    projects:
      LHKCJ2020-07:
        spent: "2,250,000.00"        # 元
        budget: "2,300,000.00"       # optional 全年预算数 (元); default the approved amount
        summary: 实际完成情况 …
        explanation: 预算执行偏差说明 …
        indicators:
          全年科普画廊科普挂图设计制作: 4
          科普读本错误率: {actual: "1.5%", explanation: 偏差原因分析及改进措施 …}
      # mid-year: spent to date, and per indicator {to_date, expected, reason, action}
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from deptbudget.model.budget import Budget
from deptbudget.model.money import MoneyError, parse_amount
from deptbudget.performance.rules import Rules
from deptbudget.performance.tree import EvalIndicator, IndicatorTree, normalize_name
from deptbudget.sources.errors import Problem, SourceError

DEPARTMENT = "部门整体"  # the code that stands for the department as a whole in XLSX files


class Stage(StrEnum):
    MIDYEAR = "midyear"  # 绩效运行监控
    SELFEVAL = "selfeval"  # 绩效自评

    @property
    def label(self) -> str:
        return {"midyear": "绩效运行监控", "selfeval": "绩效自评"}[self.value]


@dataclass
class IndicatorEntry:
    """One indicator's entered values. ``name`` is as written (``二级/名称`` when a name is used
    twice); ``level2`` may narrow the lookup."""

    name: str
    actual: Any = None  # 实际完成值 (year end)
    explanation: str = ""  # 偏差原因分析及改进措施
    to_date: Any = None  # 截至报告日完成值 (mid-year)
    expected: Any = None  # 全年预计完成值 (mid-year)
    reason: str = ""  # 偏差原因 (mid-year)
    action: str = ""  # 改进措施 (mid-year)
    level2: str | None = None
    place: str = ""
    line: int | None = None


@dataclass
class EntityEntry:
    """A project's (or the department's) entered values. Amounts in 元."""

    code: str  # pro_code, or DEPARTMENT
    spent: Decimal | None = None  # 全年执行数 / 截至报告日执行数
    budget: Decimal | None = None  # 全年预算数 (adjusted); default the approved amount
    basic_spent: Decimal | None = None  # department only: 基本支出执行数 (spent = basic + projects)
    summary: str = ""  # 实际完成情况
    explanation: str = ""  # 预算执行偏差说明
    reason: str = ""  # mid-year: 执行偏差原因
    action: str = ""  # mid-year: 改进措施
    indicators: list[IndicatorEntry] = field(default_factory=list)
    place: str = ""
    line: int | None = None


@dataclass
class Actuals:
    stage: Stage = Stage.SELFEVAL
    fiscal_year: int | None = None
    report_date: date | None = None
    projects: list[EntityEntry] = field(default_factory=list)
    department: EntityEntry | None = None
    source: str = "<actuals>"

    def project(self, code: str) -> EntityEntry | None:
        return next((p for p in self.projects if p.code == code), None)


# --- what a value means ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A value interpreted for its indicator: a number (quantitative) or a grade (定性), or missing."""

    value: Decimal | None = None
    grade: str | None = None
    text: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None and self.grade is None


MISSING = Reading()
_NUMBER_RE = re.compile(r"^(?:约|≈)?\s*(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*(?:左右)?$")


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def interpret(indicator: EvalIndicator, raw: Any, rules: Rules) -> Reading:
    """The meaning of a value entered for ``indicator``. Raises ``ValueError`` (message in Chinese)
    for a value that cannot be an actual of it: a non-number for a quantitative indicator, a
    number in another unit, an unknown grade."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return MISSING
    if isinstance(raw, bool):
        raise ValueError(f"不是有效的实际值 (not a valid actual): {raw!r}")
    if indicator.is_qualitative:
        text = str(raw).strip()
        if rules.grade_ratio(text) is None:
            raise ValueError(f"定性指标的实际完成情况应为 {'/'.join(rules.grade_names)} 之一，"
                             f"不是「{text}」(qualitative indicator: pick a grade)")
        return Reading(grade=text, text=text)
    if isinstance(raw, int | Decimal):
        return Reading(value=Decimal(raw), text=str(raw))
    if isinstance(raw, float):  # XLSX cells: shortest repr is what was typed
        return Reading(value=Decimal(repr(raw)), text=repr(raw))
    text = str(raw).strip()
    match = _NUMBER_RE.match(_fold(text).replace(",", ""))
    if not match:
        raise ValueError(f"定量指标的实际值应为数字，不是「{text}」(quantitative indicator: a number is needed)")
    unit = match["unit"]
    if unit and _fold(unit) != _fold(indicator.unit or ""):
        expected = f"「{indicator.unit}」" if indicator.unit else "无单位"
        raise ValueError(f"实际值「{text}」的单位与目标值（{expected}）不一致 (unit differs from the target's)")
    try:
        return Reading(value=Decimal(match["num"]), text=text)
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise ValueError(f"不是数字 (not a number): {text}") from None


def resolve(tree: IndicatorTree, entry: IndicatorEntry) -> EvalIndicator:
    """The tree's indicator an entry is for; ``LookupError`` when unknown or ambiguous."""
    if entry.level2:
        return tree.find(f"{entry.level2}/{entry.name}") if _ambiguous(tree, entry.name) else tree.find(entry.name)
    return tree.find(entry.name)


def _ambiguous(tree: IndicatorTree, name: str) -> bool:
    wanted = normalize_name(name)
    return sum(1 for i in tree.indicators if normalize_name(i.name) == wanted) > 1


# --- checking against the budget -------------------------------------------------------------


def check_actuals(budget: Budget, actuals: Actuals, trees: dict[str, IndicatorTree], rules: Rules,
                  department_tree: IndicatorTree | None = None) -> list[Problem]:
    """Problems of an actuals file against its budget: wrong year, unknown project code, unknown
    indicator, values that are not actuals of their indicator, entries given twice."""
    file = actuals.source
    problems: list[Problem] = []
    if actuals.fiscal_year is not None and actuals.fiscal_year != budget.fiscal_year:
        problems.append(Problem(file, "fiscal_year", f"年度 {actuals.fiscal_year} 与预算年度 {budget.fiscal_year} "
                                                     "不一致 (fiscal year differs from the budget's)"))
    seen: set[str] = set()
    for entry in actuals.projects:
        if entry.code in seen:
            problems.append(Problem(file, entry.place, f"项目编码 {entry.code} 重复 (project given twice)", entry.line))
            continue
        seen.add(entry.code)
        tree = trees.get(entry.code)
        if tree is None:
            problems.append(Problem(file, entry.place, f"预算中没有项目编码 {entry.code} (unknown project code)",
                                    entry.line))
            continue
        problems += _check_entity(file, entry, tree, actuals.stage, rules)
    if actuals.department is not None:
        if department_tree is None:
            problems.append(Problem(file, actuals.department.place, "预算没有部门整体绩效目标 (no 表14 targets)",
                                    actuals.department.line))
        else:
            problems += _check_entity(file, actuals.department, department_tree, actuals.stage, rules)
    return problems


def _check_entity(file: str, entry: EntityEntry, tree: IndicatorTree, stage: Stage, rules: Rules) -> list[Problem]:
    problems = []
    used: dict[int, str] = {}
    for item in entry.indicators:
        try:
            indicator = resolve(tree, item)
        except LookupError as exc:
            problems.append(Problem(file, item.place, str(exc), item.line))
            continue
        if indicator.index in used:
            problems.append(Problem(file, item.place, f"指标「{indicator.name}」重复填报 (indicator given twice; "
                                                      f"first at {used[indicator.index]})", item.line))
            continue
        used[indicator.index] = item.place
        fields = ("actual",) if stage is Stage.SELFEVAL else ("to_date", "expected")
        for name in fields:
            try:
                interpret(indicator, getattr(item, name), rules)
            except ValueError as exc:
                where = item.place if name == "actual" else f"{item.place}.{name}"
                problems.append(Problem(file, where, f"指标「{indicator.name}」：{exc}", item.line))
    return problems


def indicator_entries(tree: IndicatorTree, entry: EntityEntry | None) -> dict[int, IndicatorEntry]:
    """Entries by indicator index (entries that do not resolve are left out)."""
    out: dict[int, IndicatorEntry] = {}
    for item in entry.indicators if entry else []:
        try:
            out.setdefault(resolve(tree, item).index, item)
        except LookupError:
            continue
    return out


# --- reading YAML ----------------------------------------------------------------------------


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, place: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, place, message, line))

    def money(self, value: Any, place: str, line: int | None) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, float):
            value = Decimal(repr(value))
        try:
            amount = parse_amount(value)
        except MoneyError as exc:
            self.add(place, str(exc), line)
            return None
        if amount < 0:
            self.add(place, f"金额不能为负 (negative amount): {value}", line)
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.add(place, f"金额最多两位小数 (at most 2 decimals, 分): {value}", line)
            return None
        return amount

    def text(self, value: Any, place: str, line: int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.add(place, "应为文字 (text expected)", line)
            return ""
        return str(value).strip()


def _line(mapping: Any, key: str) -> int | None:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key) if lines else getattr(mapping, "line", None)


_ENTITY_KEYS = {"spent", "budget", "basic_spent", "summary", "explanation", "reason", "action", "indicators", "name"}
_INDICATOR_KEYS = {"actual", "explanation", "to_date", "expected", "reason", "action", "level2"}


def parse_actuals_yaml(text: str, filename: str) -> Actuals:
    """Read an actuals file written in YAML; ``SourceError`` with every problem found."""
    from deptbudget.sources.yaml_source import read_yaml

    data = read_yaml(text, filename)
    c = _Collector(filename)
    if not isinstance(data, dict):
        raise SourceError([Problem(filename, "文件", "应为映射：fiscal_year / stage / projects … (mapping expected)")])
    unknown = set(data) - {"fiscal_year", "stage", "report_date", "unit", "projects", "department"}
    for key in sorted(unknown):
        c.add(key, f"未知的键 {key} (unknown key)", _line(data, key))
    actuals = Actuals(source=filename)
    stage = data.get("stage", "selfeval")
    try:
        actuals.stage = Stage(str(stage))
    except ValueError:
        c.add("stage", f"stage 应为 selfeval 或 midyear，不是 {stage!r}", _line(data, "stage"))
    year = data.get("fiscal_year")
    if year is not None:
        if isinstance(year, int) and not isinstance(year, bool):
            actuals.fiscal_year = year
        else:
            c.add("fiscal_year", f"年度应为整数 (integer year): {year!r}", _line(data, "fiscal_year"))
    report = data.get("report_date")
    if report is not None:
        if isinstance(report, datetime):
            report = report.date()
        if isinstance(report, date):
            actuals.report_date = report
        else:
            try:
                actuals.report_date = date.fromisoformat(str(report))
            except ValueError:
                c.add("report_date", f"日期应为 YYYY-MM-DD: {report!r}", _line(data, "report_date"))
    projects = data.get("projects")
    if projects is None:
        projects = {}
    if not isinstance(projects, dict):
        c.add("projects", "projects 应为 项目编码 → 填报内容 的映射 (mapping by project code)", _line(data, "projects"))
        projects = {}
    for code, body in projects.items():
        entry = _entity(c, str(code), body, f"projects.{code}", _line(projects, code))
        if entry is not None:
            actuals.projects.append(entry)
    if data.get("department") is not None:
        actuals.department = _entity(c, DEPARTMENT, data["department"], "department", _line(data, "department"))
    if c.problems:
        raise SourceError(c.problems)
    return actuals


def _entity(c: _Collector, code: str, body: Any, place: str, line: int | None) -> EntityEntry | None:
    if not isinstance(body, dict):
        c.add(place, "应为映射：spent / indicators … (mapping expected)", line)
        return None
    for key in sorted(set(body) - _ENTITY_KEYS):
        c.add(f"{place}.{key}", f"未知的键 {key} (unknown key)", _line(body, key))
    entry = EntityEntry(code=code, place=place, line=line)
    entry.spent = c.money(body.get("spent"), f"{place}.spent", _line(body, "spent"))
    entry.budget = c.money(body.get("budget"), f"{place}.budget", _line(body, "budget"))
    entry.basic_spent = c.money(body.get("basic_spent"), f"{place}.basic_spent", _line(body, "basic_spent"))
    for key in ("summary", "explanation", "reason", "action"):
        setattr(entry, key, c.text(body.get(key), f"{place}.{key}", _line(body, key)))
    indicators = body.get("indicators") or {}
    if not isinstance(indicators, dict):
        c.add(f"{place}.indicators", "indicators 应为 指标名称 → 实际值 的映射 (mapping by indicator name)",
              _line(body, "indicators"))
        return entry
    for name, value in indicators.items():
        where, at = f"{place}.indicators.{name}", _line(indicators, name)
        item = IndicatorEntry(name=str(name), place=where, line=at)
        if isinstance(value, dict):
            for key in sorted(set(value) - _INDICATOR_KEYS):
                c.add(f"{where}.{key}", f"未知的键 {key} (unknown key)", _line(value, key))
            item.actual, item.to_date, item.expected = value.get("actual"), value.get("to_date"), value.get("expected")
            for key in ("explanation", "reason", "action"):
                setattr(item, key, c.text(value.get(key), f"{where}.{key}", _line(value, key)))
            item.level2 = c.text(value.get("level2"), f"{where}.level2", _line(value, "level2")) or None
        elif isinstance(value, list):
            c.add(where, "实际值应为数值、等级或映射 (value, grade or mapping expected)", at)
            continue
        else:
            item.actual = value
            item.to_date = value
        entry.indicators.append(item)
    return entry


# --- reading and writing XLSX ----------------------------------------------------------------

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


def parse_actuals_xlsx(path: Path) -> Actuals:
    """Read an actuals workbook (sheets 说明, 项目, 指标; see ``write_actuals_xlsx``)."""
    from openpyxl import load_workbook

    file = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SourceError([Problem(file, "文件", f"不是有效的 XLSX 文件 (not a readable workbook): {exc}")]) from None
    c = _Collector(file)
    actuals = Actuals(source=file)
    try:
        if INFO_SHEET in workbook.sheetnames:
            for row in workbook[INFO_SHEET].iter_rows(values_only=True):
                key, value = (_cell_text(row[0]) if row else ""), (row[1] if len(row) > 1 else None)
                if key in ("fiscal_year", "年度") and value not in (None, ""):
                    try:
                        actuals.fiscal_year = int(_cell_text(value))
                    except ValueError:
                        c.add(f"工作表「{INFO_SHEET}」{key}", f"年度应为整数: {value!r}")
                elif key in ("stage", "阶段") and value:
                    text = _cell_text(value)
                    text = {"绩效自评": "selfeval", "绩效运行监控": "midyear"}.get(text, text)
                    try:
                        actuals.stage = Stage(text)
                    except ValueError:
                        c.add(f"工作表「{INFO_SHEET}」{key}", f"阶段应为 selfeval/midyear: {value!r}")
                elif key in ("report_date", "报告日期") and value:
                    if isinstance(value, datetime):
                        actuals.report_date = value.date()
                    else:
                        try:
                            actuals.report_date = date.fromisoformat(_cell_text(value))
                        except ValueError:
                            c.add(f"工作表「{INFO_SHEET}」{key}", f"日期应为 YYYY-MM-DD: {value!r}")
        for sheet in (PROJECT_SHEET, INDICATOR_SHEET):
            if sheet not in workbook.sheetnames:
                c.add("文件", f"缺少工作表「{sheet}」(missing sheet)")
        if c.problems:
            raise SourceError(c.problems)
        entities: dict[str, EntityEntry] = {}
        for number, row in _rows(c, workbook[PROJECT_SHEET], PROJECT_COLUMNS):
            place = f"工作表「{PROJECT_SHEET}」第 {number} 行"
            code = _cell_text(row.get("code"))
            if not code:
                continue
            if code in entities:
                c.add(place, f"项目编码 {code} 重复 (project given twice)")
                continue
            entry = EntityEntry(code=code, place=place)
            for key in ("spent", "budget", "basic_spent"):
                setattr(entry, key, c.money(row.get(key), f"{place} {_header(PROJECT_COLUMNS, key)}", None))
            for key in ("summary", "explanation", "reason", "action"):
                setattr(entry, key, _cell_text(row.get(key)))
            entities[code] = entry
        for number, row in _rows(c, workbook[INDICATOR_SHEET], INDICATOR_COLUMNS):
            place = f"工作表「{INDICATOR_SHEET}」第 {number} 行"
            code, name = _cell_text(row.get("code")), _cell_text(row.get("name"))
            if not code and not name:
                continue
            if not name:
                c.add(place, "缺少指标名称 (missing indicator name)")
                continue
            entry = entities.get(code)
            if entry is None:
                entry = entities[code] = EntityEntry(code=code, place=place)
            item = IndicatorEntry(name=name, place=place, level2=_cell_text(row.get("level2")) or None,
                                  actual=_blank(row.get("actual")), to_date=_blank(row.get("to_date")),
                                  expected=_blank(row.get("expected")),
                                  explanation=_cell_text(row.get("explanation")),
                                  reason=_cell_text(row.get("reason")), action=_cell_text(row.get("action")))
            entry.indicators.append(item)
    finally:
        workbook.close()
    if c.problems:
        raise SourceError(c.problems)
    actuals.department = entities.pop(DEPARTMENT, None)
    actuals.projects = list(entities.values())
    return actuals


def _blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _header(columns: dict[str, str], key: str) -> str:
    return next(h for h, k in columns.items() if k == key)


def _rows(c: _Collector, sheet: Any, columns: dict[str, str]):  # type: ignore[no-untyped-def]
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


def load_actuals(path: str | Path) -> Actuals:
    """Read an actuals file: ``.xlsx`` as a workbook, anything else as YAML."""
    path = Path(path)
    if path.is_dir():
        raise SourceError([Problem(str(path), "文件", "是目录而不是文件 (a directory, not a file)")])
    if not path.is_file():
        raise SourceError([Problem(str(path), "文件", "文件不存在 (file not found)")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_actuals_xlsx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(str(path), f"第 {exc.start} 字节", "不是 UTF-8 文本 (not UTF-8 text)")]) from None
    except OSError as exc:
        raise SourceError([Problem(str(path), "文件", f"无法读取 (cannot read): {exc.strerror}")]) from None
    return parse_actuals_yaml(text, str(path))


def write_actuals_xlsx(budget: Budget, path: str | Path, actuals: Actuals | None = None,
                       stage: Stage | None = None) -> None:
    """An actuals workbook for ``budget``: every project and indicator listed with its target,
    and the entered values where ``actuals`` gives them (a blank template otherwise). Written via a
    temporary file and renamed into place."""
    import xlsxwriter

    from deptbudget.render.files import atomic_output

    stage = stage or (actuals.stage if actuals else Stage.SELFEVAL)
    with atomic_output(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp))
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
        owners = [(p.pro_code, p.pro_name, p.indicators) for p in budget.projects]
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


# --- dicts for storage (JSON-ready) ----------------------------------------------------------


def actuals_to_dict(actuals: Actuals) -> dict[str, Any]:
    """A JSON-ready dict (amounts and values as strings) that ``actuals_from_dict`` reads back."""

    def value(v: Any) -> Any:
        return None if v is None else str(v)

    def entity(e: EntityEntry) -> dict[str, Any]:
        out: dict[str, Any] = {k: str(getattr(e, k)) for k in ("spent", "budget", "basic_spent")
                               if getattr(e, k) is not None}
        out.update({k: getattr(e, k) for k in ("summary", "explanation", "reason", "action") if getattr(e, k)})
        out["indicators"] = {}
        for item in e.indicators:
            body = {k: value(getattr(item, k)) for k in ("actual", "to_date", "expected")
                    if getattr(item, k) is not None}
            body.update({k: getattr(item, k) for k in ("explanation", "reason", "action", "level2")
                         if getattr(item, k)})
            out["indicators"][item.name] = body
        return out

    data: dict[str, Any] = {"stage": actuals.stage.value}
    if actuals.fiscal_year is not None:
        data["fiscal_year"] = actuals.fiscal_year
    if actuals.report_date is not None:
        data["report_date"] = actuals.report_date.isoformat()
    if actuals.department is not None:
        data["department"] = entity(actuals.department)
    data["projects"] = {e.code: entity(e) for e in actuals.projects}
    return data


def actuals_from_dict(data: dict[str, Any], source: str = "<stored>") -> Actuals:
    """Actuals from a dict shaped like the YAML format (as stored by the web system)."""
    import yaml

    return parse_actuals_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source)
