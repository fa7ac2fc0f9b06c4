"""The XLSX entry template (预算录入模板): a workbook a preparer fills in and uploads.

``write_entry_template(budget_or_unit, year, path)`` writes the workbook for one unit and year —
empty, or filled from an existing budget — with the year's classification catalogs as drop-down
lists (data validation) on a hidden sheet. ``read_entry_template(path)`` reads it back into a
``Budget``, raising ``SourceError`` whose problems name the sheet and cell (``基本支出!B5``).

The workbook mirrors the YAML budget source (docs/budget-source.md): every sheet fills one part
of the same document, so the template and the YAML loader share every check. Key/value sheets
(单位信息, 文字说明) carry the document path of each row in a hidden column; table sheets have
one record per row. A hidden ``_meta`` sheet names the format, the fiscal year and the unit, so
that an upload for the wrong unit or year can be refused (see ``read_entry_document``).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from deptbudget.catalog import load_catalog
from deptbudget.model.budget import FUND_SOURCE_LABELS, Budget, FundSource, Unit
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.yaml_source import parse_budget

FORMAT = "deptbudget.entry-template"
FORMAT_VERSION = 1
META_SHEET = "_meta"
CODES_SHEET = "代码表"
MAX_ROWS = 2000  # rows of each table sheet that carry drop-downs and validation

LEVEL1 = ["产出指标", "效益指标", "满意度指标", "成本指标"]
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标"]
YES_NO = ["是", "否"]
TARGET_OWNER_DEPT = "部门整体"


class EntryTemplateError(SourceError):
    """The file is not a usable entry template (not XLSX, corrupt, another format, sheets missing).

    Unlike the content problems of a template (an unknown code in one cell), nothing of such a
    file can be used."""


# --- the layout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    label: str
    path: str  # document path, dotted: unit.staffing.actual
    kind: str = "text"  # text | lines | int | amount | bool | date


@dataclass(frozen=True)
class Column:
    label: str
    key: str  # key in the record (document mapping)
    kind: str = "text"  # text | lines | int | amount | bool | date | func | eco | gov_eco | fund | level1 | level2
    width: float = 14


@dataclass(frozen=True)
class TableSheet:
    name: str
    columns: tuple[Column, ...]
    note: str = ""


UNIT_FIELDS: tuple[Field, ...] = (
    Field("单位名称", "unit.name"),
    Field("单位代码", "unit.agency_code"),
    Field("主管部门代码", "unit.dept_code"),
    Field("财政区划代码", "unit.mof_div_code"),
    Field("单位负责人", "unit.head"),
    Field("填报人", "unit.preparer"),
    Field("联系电话", "unit.phone"),
    Field("编制类型", "unit.staffing.authorized_kind"),
    Field("编制数", "unit.staffing.authorized", "int"),
    Field("实有在编人数", "unit.staffing.actual", "int"),
    Field("退休人数", "unit.staffing.retired", "int"),
    Field("雇员人数", "unit.staffing.employees", "int"),
    Field("实有车辆", "unit.vehicles.total", "int"),
    Field("定编车辆", "unit.vehicles.authorized", "int"),
    Field("已实行公务用车改革", "unit.vehicles.reform_done", "bool"),
    Field("因公出国（境）费（元）", "three_public.overseas", "amount"),
    Field("公务接待费（元）", "three_public.reception", "amount"),
    Field("公务用车购置费（元）", "three_public.vehicle_purchase", "amount"),
    Field("公务用车运行维护费（元）", "three_public.vehicle_operation", "amount"),
    Field("机关运行经费（元，空白则自动计算）", "admin_operating", "amount"),
    Field("上年收入合计（元）", "last_year.income_total", "amount"),
    Field("上年支出合计（元）", "last_year.expenditure_total", "amount"),
    Field("上年因公出国（境）费（元）", "last_year.three_public.overseas", "amount"),
    Field("上年公务接待费（元）", "last_year.three_public.reception", "amount"),
    Field("上年公务用车购置费（元）", "last_year.three_public.vehicle_purchase", "amount"),
    Field("上年公务用车运行维护费（元）", "last_year.three_public.vehicle_operation", "amount"),
    Field("上年机关运行经费（元）", "last_year.admin_operating", "amount"),
    Field("资产统计日期", "assets.as_of", "date"),
    Field("领导干部用车", "assets.vehicles.leader", "int"),
    Field("一般公务用车", "assets.vehicles.general", "int"),
    Field("一般执法执勤用车", "assets.vehicles.law_enforcement", "int"),
    Field("特种专业技术用车", "assets.vehicles.special", "int"),
    Field("其他用车", "assets.vehicles.other", "int"),
    Field("单价50万元以上通用设备（台、套）", "assets.general_equipment_over_50", "int"),
    Field("单价100万元以上专用设备（台、套）", "assets.special_equipment_over_100", "int"),
    Field("拟购置一般公务用车", "assets.planned.vehicles.general", "int"),
    Field("拟购置单价50万元以上通用设备", "assets.planned.general_equipment_over_50", "int"),
    Field("拟购置单价100万元以上专用设备", "assets.planned.special_equipment_over_100", "int"),
)

TEXT_FIELDS: tuple[Field, ...] = (
    Field("主要职能", "unit.functions"),
    Field("职能概述（每行一条）", "unit.functions_detail", "lines"),
    Field("主要工作目标（每行一段）", "unit.work_goals", "lines"),
    Field("预算收支增减主要原因", "narrative.change_reason"),
    Field("人员经费说明", "narrative.personnel_note"),
    Field("公用经费说明", "narrative.operating_note"),
    Field("对个人和家庭的补助说明", "narrative.transfers_note"),
    Field("政府采购说明", "narrative.procurement_note"),
    Field("因公出国（境）费说明", "narrative.three_public.overseas"),
    Field("公务接待费说明", "narrative.three_public.reception"),
    Field("公务用车购置及运行维护费说明", "narrative.three_public.vehicles"),
    Field("机关运行经费增减原因", "narrative.admin_operating_reason"),
    Field("其他说明（每行一条）", "narrative.other_notes", "lines"),
    Field("绩效管理说明（空白则用模板标准文字）", "narrative.performance_note"),
    Field("部门整体绩效目标（每行一条）", "department_targets.goals", "lines"),
    Field("部门整体目标其他说明", "department_targets.other_notes"),
)

LINE_COLUMNS = (
    Column("功能分类科目（项）", "func", "func", 36),
    Column("经济分类科目（款）", "eco", "eco", 30),
    Column("资金来源", "fund", "fund", 20),
    Column("金额（元）", "amount", "amount", 16),
    Column("政府预算经济分类（款）", "gov_eco", "gov_eco", 30),
    Column("备注", "note", "text", 20),
)

SHEETS: dict[str, TableSheet] = {
    "income": TableSheet("收入", (
        Column("资金来源", "fund", "fund", 24), Column("金额（元）", "amount", "amount", 18),
    ), "每个资金来源一行；收入须与该来源的支出相等。"),
    "basic": TableSheet("基本支出", LINE_COLUMNS, "每行一个明细：功能分类“项”× 经济分类“款”× 资金来源。"),
    "projects": TableSheet("项目", (
        Column("项目编码", "code", "text", 16), Column("项目名称", "name", "text", 28),
        Column("项目分组", "group", "text", 18), Column("新增项目", "new", "bool", 10),
        Column("联系人", "contact", "text", 10), Column("联系电话", "phone", "text", 14),
        Column("开始日期", "start", "date", 12), Column("结束日期", "end", "date", 12),
        Column("用途", "purpose", "text", 24), Column("测算明细（文字）", "calculation", "text", 30),
        Column("工作时效", "timeliness", "text", 24), Column("项目绩效目标（每行一条）", "goals", "lines", 30),
        Column("纳入绩效管理", "performance_managed", "bool", 12),
        Column("上级专项转移支付", "superior_transfer", "bool", 12),
    ), "每个项目一行；项目的金额在“项目支出明细”中按科目填写。"),
    "project_lines": TableSheet("项目支出明细", (Column("项目编码", "project", "text", 16),) + LINE_COLUMNS,
                                "每行一个明细；项目编码须在“项目”表中。"),
    "calc_items": TableSheet("测算明细", (
        Column("项目编码", "project", "text", 16), Column("名称", "label", "text", 24),
        Column("数量", "quantity", "amount", 10), Column("单位", "unit", "text", 8),
        Column("单价（元）", "unit_price", "amount", 12), Column("金额（元）", "amount", "amount", 16),
    ), "可选：结构化的测算明细，合计应等于项目金额。"),
    "indicators": TableSheet("绩效指标", (
        Column("所属（项目编码或“部门整体”）", "owner", "text", 20), Column("一级指标", "level1", "level1", 14),
        Column("二级指标", "level2", "level2", 18), Column("指标内容", "name", "text", 30),
        Column("目标值", "target", "text", 16), Column("权重", "weight", "amount", 8),
        Column("指标组", "group", "text", 12),
    ), "目标值写法如：≥95%、约 350 家、≤10 天。"),
    "groups": TableSheet("项目分组", (
        Column("分组名称", "name", "text", 24), Column("说明（主要用于……）", "description", "text", 50),
    )),
    "procurement": TableSheet("政府采购", (
        Column("项目编码", "project", "text", 16), Column("采购项目", "name", "text", 28),
        Column("采购品目", "category", "text", 28), Column("金额（元）", "amount", "amount", 16),
        Column("一年采购指标（元）", "annual_amount", "amount", 16), Column("服务年限", "service_years", "int", 10),
        Column("需求时间", "demand_time", "text", 12), Column("备注", "note", "text", 20),
        Column("面向中小企业", "for_sme", "bool", 12), Column("面向小微企业", "for_micro", "bool", 12),
    )),
    "func_explanations": TableSheet("名词解释", (
        Column("功能分类科目", "code", "func_any", 36), Column("解释", "text", "text", 60),
    )),
    "acknowledged": TableSheet("已说明的警告", (
        Column("规则编号", "rule", "text", 24), Column("表", "table", "text", 10),
        Column("行（开头文字，如项目名称）", "row", "text", 36), Column("说明", "reason", "text", 60),
    ), "可选：对检查给出的警告作出说明；已说明的警告改为提示并附说明。错误不能以说明代替修改。"),
}
KV_SHEETS = {"单位信息": UNIT_FIELDS, "文字说明": TEXT_FIELDS}

FUND_BY_LABEL = {label: source for source, label in FUND_SOURCE_LABELS.items()}


# --- writing ------------------------------------------------------------------------------------


def _get(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value


def _document(budget_or_unit: Budget | Unit | Mapping[str, Any] | str, year: int) -> dict[str, Any]:
    if isinstance(budget_or_unit, Budget):
        from deptbudget.sources.yaml_writer import budget_to_source

        return budget_to_source(budget_or_unit)
    if isinstance(budget_or_unit, Unit):
        return {"fiscal_year": year, "unit": {"name": budget_or_unit.name,
                                              "agency_code": budget_or_unit.agency_code}}
    if isinstance(budget_or_unit, str):
        return {"fiscal_year": year, "unit": {"name": budget_or_unit}}
    return dict(budget_or_unit)


class _Codes:
    """The hidden 代码表: one column per list, and the validation formula of each."""

    def __init__(self, ws: Worksheet, year: int) -> None:
        catalog = load_catalog(year)
        self.lists: dict[str, list[str]] = {
            "func": [f"{e.code} {e.name}" for e in catalog.entries("exp_func") if len(e.code) == 7],
            "func_any": [f"{e.code} {e.name}" for e in catalog.entries("exp_func")],
            "eco": [f"{e.code} {e.name}" for e in catalog.entries("dep_bgt_eco") if len(e.code) == 5],
            "gov_eco": [f"{e.code} {e.name}" for e in catalog.entries("gov_bgt_eco") if len(e.code) == 5],
            "fund": list(FUND_SOURCE_LABELS.values()),
            "level1": LEVEL1,
            "level2": LEVEL2,
            "bool": YES_NO,
        }
        self.names: dict[str, str] = {}
        for col, (kind, values) in enumerate(self.lists.items(), start=1):
            ws.cell(1, col, kind)
            for row, value in enumerate(values, start=2):
                ws.cell(row, col, value)
            letter = get_column_letter(col)
            self.names[kind] = f"'{CODES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        self.labels = {code.split(" ", 1)[0]: code for kind in ("func_any", "eco", "gov_eco")
                       for code in self.lists[kind]}

    def label(self, kind: str, code: Any) -> Any:
        if kind in ("func", "func_any", "eco", "gov_eco") and code is not None:
            return self.labels.get(str(code), str(code))
        if kind == "fund" and code is not None:
            try:
                return FundSource(str(code)).label
            except ValueError:
                return str(code)
        return code


HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(kind: str, value: Any, codes: _Codes) -> Any:
    if value is None:
        return None
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "amount" and isinstance(value, (int, Decimal)):
        return Decimal(value)
    if kind == "date" and isinstance(value, dt.date):
        return value
    return codes.label(kind, value) if kind in ("func", "func_any", "eco", "gov_eco", "fund") else value


def _validation(ws: Worksheet, kind: str, ref: str, codes: _Codes) -> None:
    if kind in codes.names:
        dv = DataValidation(type="list", formula1=codes.names[kind], allow_blank=True, showErrorMessage=True,
                            errorTitle="请从列表中选择", error="请从下拉列表中选择（catalog value）")
    elif kind == "amount":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="金额", error="金额应为不小于 0 的数（元，两位小数）")
    elif kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="整数", error="应为不小于 0 的整数")
    elif kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                            showErrorMessage=True, errorTitle="日期", error="应为日期（YYYY-MM-DD）")
    else:
        return
    dv.add(ref)
    ws.add_data_validation(dv)


def _records(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document's lists, flattened into the rows of each table sheet."""
    income = doc.get("income") or {}
    out: dict[str, list[dict[str, Any]]] = {
        "income": [{"fund": k, "amount": v} for k, v in income.items()] if isinstance(income, Mapping) else [],
        "basic": list(doc.get("basic") or []),
        "projects": [], "project_lines": [], "calc_items": [], "indicators": [],
        "groups": list(doc.get("groups") or []),
        "procurement": list(doc.get("procurement") or []),
        "acknowledged": list(doc.get("acknowledged") or []),
        "func_explanations": [{"code": k, "text": v} for k, v in
                              ((doc.get("narrative") or {}).get("func_explanations") or {}).items()],
    }
    for project in doc.get("projects") or []:
        if not isinstance(project, Mapping):
            continue
        row = {k: v for k, v in project.items() if k not in PROJECT_NESTED}
        period = project.get("period")
        if isinstance(period, list) and len(period) == 2:
            row["start"], row["end"] = period
        calc = project.get("calculation")
        if isinstance(calc, Mapping):
            row["calculation"] = calc.get("text", "")
            for item in calc.get("items") or []:
                out["calc_items"].append({"project": project.get("code"), **item})
        out["projects"].append(row)
        lines = project.get("lines")
        if lines is None:
            lines = [{k: project.get(k) for k in ("func", "eco", "fund", "amount", "gov_eco", "note")}]
        for line in lines:
            out["project_lines"].append({"project": project.get("code"), **line})
        for ind in project.get("indicators") or []:
            out["indicators"].append({"owner": project.get("code"), **_indicator_record(ind)})
    for ind in (doc.get("department_targets") or {}).get("indicators") or []:
        out["indicators"].append({"owner": TARGET_OWNER_DEPT, **_indicator_record(ind)})
    return out


PROJECT_NESTED = frozenset({"lines", "indicators", "period", "func", "eco", "fund", "amount", "gov_eco", "note"})


def _indicator_record(ind: Any) -> dict[str, Any]:
    if isinstance(ind, list):
        values = list(ind) + [""] * (4 - len(ind))
        return dict(zip(("level1", "level2", "name", "target"), values[:4], strict=True))
    return dict(ind) if isinstance(ind, Mapping) else {}


def write_entry_template(budget_or_unit: Budget | Unit | Mapping[str, Any] | str, year: int,
                         path: str | Path, unit_code: str | None = None) -> Path:
    """Write the entry template for one unit and fiscal year.

    ``budget_or_unit``: a ``Budget`` (the template comes filled in), a ``Unit`` or a unit name
    (empty template), or a budget source document (mapping). ``unit_code`` (the web system's unit
    code) is recorded in the hidden ``_meta`` sheet so that uploads for another unit are refused."""
    doc = _document(budget_or_unit, year)
    unit = doc.get("unit") or {}
    wb = Workbook()
    guide = wb.active
    guide.title = "填报说明"
    codes_ws = wb.create_sheet(CODES_SHEET)
    codes = _Codes(codes_ws, year)
    codes_ws.sheet_state = "hidden"
    meta = wb.create_sheet(META_SHEET)
    meta_rows = [("format", FORMAT), ("version", FORMAT_VERSION), ("fiscal_year", year),
                 ("unit_code", unit_code or unit.get("agency_code") or ""), ("unit_name", unit.get("name") or ""),
                 ("template", doc.get("template") or "shenzhen-15")]
    for row, (key, value) in enumerate(meta_rows, start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, value)
    meta.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 110
    lines = [
        f"{year} 年部门预算录入模板 — {unit.get('name') or ''}",
        "",
        "填写说明：",
        "1. 金额一律以“元”为单位，最多两位小数；合计、小计均由系统计算，无需填写。",
        "2. 功能分类、经济分类、资金来源等请从下拉列表中选择（也可只填编码）。",
        "3. 基本支出、项目支出明细每行一个明细；项目信息在“项目”表，金额在“项目支出明细”表。",
        "4. 收入按资金来源填写，须与该来源的支出合计相等。",
        "5. 请勿修改表名、表头，也不要删除隐藏的表；填好后在网站的预算页面上传本文件。",
        "",
        "各表：" + "、".join(list(KV_SHEETS) + [s.name for s in SHEETS.values()]),
    ]
    for row, text in enumerate(lines, start=1):
        cell = guide.cell(row, 1, text)
        if row == 1:
            cell.font = Font(bold=True, size=14)

    for name, fields in KV_SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append(["项目", "填写内容", "字段（请勿修改）"])
        for cell in ws[1]:
            cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 80 if name == "文字说明" else 30
        ws.column_dimensions["C"].hidden = True
        for row, f in enumerate(fields, start=2):
            ws.cell(row, 1, f.label)
            value = _cell_value(f.kind, _get(doc, f.path), codes)
            cell = ws.cell(row, 2, value)
            cell.alignment = WRAP
            if f.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            ws.cell(row, 3, f.path)
            _validation(ws, f.kind, f"B{row}", codes)
        ws.freeze_panes = "B2"

    records = _records(doc)
    for key, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet.name)
        ws.append([c.label for c in sheet.columns])
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(1, col)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, Alignment(wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = column.width
            letter = get_column_letter(col)
            _validation(ws, column.kind, f"{letter}2:{letter}{MAX_ROWS}", codes)
        for row, record in enumerate(records[key], start=2):
            for col, column in enumerate(sheet.columns, start=1):
                value = _cell_value(column.kind, record.get(column.key), codes)
                cell = ws.cell(row, col, value)
                if column.kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                if column.kind in ("text", "lines"):
                    cell.alignment = WRAP
        ws.freeze_panes = "A2"
        if sheet.note:
            ws.cell(1, len(sheet.columns) + 2, sheet.note).font = Font(italic=True, color="666666")
    wb.move_sheet(CODES_SHEET, offset=len(wb.sheetnames))
    wb.move_sheet(META_SHEET, offset=len(wb.sheetnames))
    path = Path(path)
    wb.save(path)
    return path


# --- reading ------------------------------------------------------------------------------------


@dataclass
class EntryDocument:
    """A template read back: its meta data, the budget source document, and where each part of
    the document came from (document path → ``sheet!cell``), to locate problems."""

    meta: dict[str, str]
    data: dict[str, Any]
    places: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read at all

    @property
    def fiscal_year(self) -> int | None:
        try:
            return int(self.meta.get("fiscal_year", ""))
        except ValueError:
            return None

    @property
    def unit_code(self) -> str:
        return self.meta.get("unit_code", "")

    def place(self, doc_path: str) -> str:
        """The sheet and cell of a document path (its longest known prefix)."""
        probe = doc_path
        while probe:
            if probe in self.places:
                return self.places[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return doc_path


MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a workbook that unpacks to more is refused (zip bomb)


def _open(path: Path, filename: str):  # type: ignore[no-untyped-def]
    def fail(message: str) -> EntryTemplateError:
        return EntryTemplateError([Problem(filename, "文件", message)])

    if not zipfile.is_zipfile(path):
        raise fail("不是 XLSX 文件（无法作为 Excel 工作簿打开）(not an XLSX file)")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise fail("XLSX 文件解压后过大，已拒绝 (workbook too large when unpacked)")
            if "xl/workbook.xml" not in archive.namelist():
                raise fail("不是 XLSX 工作簿（缺少 xl/workbook.xml）(not an XLSX workbook)")
    except zipfile.BadZipFile:
        raise fail("XLSX 文件已损坏，无法读取 (corrupt XLSX)") from None
    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise fail(f"XLSX 文件已损坏，无法读取 (corrupt XLSX): {type(exc).__name__}") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(value: Any) -> str | None:
    text = _text(value)
    return text.split(" ", 1)[0].strip() or None if text else None


def _cents(amount: Decimal) -> Decimal:
    """Amounts with at most two decimals are written with exactly two (元.角分); others are kept
    as they are, for the loader to report."""
    cents = amount.quantize(Decimal("0.01")) if amount.adjusted() < 20 else amount
    return cents if cents == amount else amount


def read_value(kind: str, value: Any) -> Any:
    """A cell → the document value. Values that cannot be read are kept as text, so the loader
    reports them with the cell's place."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind in ("func", "func_any", "eco", "gov_eco"):
        return _code(value)
    if kind == "fund":
        text = _text(value)
        source = FUND_BY_LABEL.get(text)
        return source.value if source else text
    if kind == "amount":
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            return _cents(Decimal(repr(value)))
        if isinstance(value, (int, Decimal)):
            return _cents(Decimal(value))
        text = _text(value)
        try:
            amount = Decimal(text.replace(",", "").replace("，", ""))
        except ArithmeticError:
            return text
        return _cents(amount) if amount.is_finite() else text
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = _text(value)
        return int(text) if text.isdigit() else text
    if kind == "bool":
        text = _text(value).lower()
        if text in ("是", "true", "1", "y", "yes", "√"):
            return True
        if text in ("否", "false", "0", "n", "no", ""):
            return False
        return text
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "lines":
        return [line.strip() for line in _text(value).splitlines() if line.strip()]
    return _text(value)


def _table_rows(ws: Worksheet, sheet: TableSheet, problems: list[Problem], filename: str):  # type: ignore[no-untyped-def]
    header = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))] if ws.max_row else []
    index: dict[str, int] = {}
    for column in sheet.columns:
        if column.label in header:
            index[column.key] = header.index(column.label)
        else:
            problems.append(Problem(filename, f"{sheet.name}!第1行", f"缺少表头“{column.label}”(missing column)"))
    for row_number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = {key: row[i] if i < len(row) else None for key, i in index.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        record = {}
        for column in sheet.columns:
            if column.key in cells:
                value = read_value(column.kind, cells[column.key])
                if value is not None and value != []:
                    record[column.key] = value
        letters = {column.key: get_column_letter(index[column.key] + 1) for column in sheet.columns
                   if column.key in index}
        yield row_number, record, letters


def read_entry_document(path: str | Path, filename: str | None = None) -> EntryDocument:
    """Read the workbook into a budget source document. Raises ``EntryTemplateError`` when the
    file is not an entry template; content problems are left for the loader to find."""
    path = Path(path)
    filename = filename or path.name
    wb = _open(path, filename)
    if META_SHEET not in wb.sheetnames:
        raise EntryTemplateError([Problem(filename, "文件", "不是本系统的预算录入模板（缺少隐藏表 _meta）"
                                                          "(not a deptbudget entry template)")])
    meta = {_text(r[0]): _text(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True, max_col=2) if r[0]}
    if meta.get("format") != FORMAT:
        raise EntryTemplateError([Problem(filename, "_meta", "不是本系统的预算录入模板 (not an entry template)")])
    missing = [name for name in list(KV_SHEETS) + [s.name for s in SHEETS.values()] if name not in wb.sheetnames]
    if missing:
        raise EntryTemplateError([Problem(filename, "文件", f"模板缺少工作表：{'、'.join(missing)} (sheets missing)")])
    problems: list[Problem] = []
    entry = EntryDocument(meta=meta, data={}, problems=problems)
    doc = entry.data
    try:
        doc["fiscal_year"] = int(meta.get("fiscal_year", ""))
    except ValueError:
        doc["fiscal_year"] = meta.get("fiscal_year")
    doc["template"] = meta.get("template") or "shenzhen-15"
    entry.places["fiscal_year"] = f"{META_SHEET}!B3"

    for name, fields in KV_SHEETS.items():
        ws = wb[name]
        by_path = {f.path: f for f in fields}
        for row_number, row in enumerate(ws.iter_rows(min_row=2, max_col=3, values_only=True), start=2):
            f = by_path.get(_text(row[2]) if len(row) > 2 else "")
            if f is None:
                continue
            entry.places[f.path] = f"{name}!B{row_number}"
            value = read_value(f.kind, row[1])
            if value is not None and value != []:
                _set(doc, f.path, value)

    tables: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {
        key: list(_table_rows(wb[sheet.name], sheet, problems, filename)) for key, sheet in SHEETS.items()
    }
    if problems:
        raise EntryTemplateError(problems)
    _assemble(entry, tables, filename)
    return entry


Rows = dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]]


def _assemble(entry: EntryDocument, tables: Rows, filename: str) -> None:
    """Table-sheet records → the lists of the document (projects gather their lines, calculation
    items and indicators), recording the place of each record."""
    doc, problems = entry.data, entry.problems

    def locate(doc_path: str, sheet: str, row: int, letters: dict[str, str], keys: dict[str, str]) -> None:
        entry.places[doc_path] = f"{sheet}!A{row}"
        for key, letter in letters.items():
            entry.places[f"{doc_path}.{keys.get(key, key)}"] = f"{sheet}!{letter}{row}"

    income: dict[str, Any] = {}
    for row, record, letters in tables["income"]:
        fund = str(record.get("fund", f"第{row}行"))
        income[fund] = record.get("amount")
        entry.places[f"income.{fund}"] = f"{SHEETS['income'].name}!{letters.get('amount', 'B')}{row}"
    if income:
        doc["income"] = income
        entry.places["income"] = f"{SHEETS['income'].name}!A2"

    basic = []
    for row, record, letters in tables["basic"]:
        locate(f"basic[{len(basic)}]", SHEETS["basic"].name, row, letters, {})
        basic.append(record)
    if basic:
        doc["basic"] = basic

    projects: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for row, record, letters in tables["projects"]:
        place = f"projects[{len(projects)}]"
        locate(place, SHEETS["projects"].name, row, letters, {"start": "period", "end": "period"})
        start, end = record.pop("start", None), record.pop("end", None)
        if start is not None or end is not None:
            record["period"] = [start, end]
        record["lines"] = []
        projects.append(record)
        by_code.setdefault(str(record.get("code", "")), record)
        record["_place"] = place
    for row, record, letters in tables["project_lines"]:
        code = str(record.pop("project", ""))
        project = by_code.get(code)
        if project is None:
            problems.append(Problem(filename, f"{SHEETS['project_lines'].name}!A{row}",
                                    f"项目编码 {code or '(空)'} 不在“项目”表中 (no such project)"))
            continue
        locate(f"{project['_place']}.lines[{len(project['lines'])}]", SHEETS["project_lines"].name, row, letters, {})
        project["lines"].append(record)
    for row, record, letters in tables["calc_items"]:
        code = str(record.pop("project", ""))
        project = by_code.get(code)
        if project is None:
            problems.append(Problem(filename, f"{SHEETS['calc_items'].name}!A{row}",
                                    f"项目编码 {code or '(空)'} 不在“项目”表中 (no such project)"))
            continue
        calc = project.get("calculation")
        if not isinstance(calc, dict):
            calc = project["calculation"] = {"text": calc or ""}
        items = calc.setdefault("items", [])
        locate(f"{project['_place']}.calculation.items[{len(items)}]", SHEETS["calc_items"].name, row, letters, {})
        items.append(record)
    dept_indicators: list[dict[str, Any]] = []
    for row, record, letters in tables["indicators"]:
        owner = str(record.pop("owner", TARGET_OWNER_DEPT))
        if owner == TARGET_OWNER_DEPT:
            target_list, place = dept_indicators, "department_targets"
        elif owner in by_code:
            target_list, place = by_code[owner].setdefault("indicators", []), by_code[owner]["_place"]
        else:
            problems.append(Problem(filename, f"{SHEETS['indicators'].name}!A{row}",
                                    f"指标所属 {owner} 既不是项目编码也不是“部门整体” (no such project)"))
            continue
        locate(f"{place}.indicators[{len(target_list)}]", SHEETS["indicators"].name, row, letters, {})
        record.setdefault("level1", "")
        record.setdefault("level2", "")
        record.setdefault("name", "")
        target_list.append(record)
    for project in projects:
        project.pop("_place")
    if projects:
        doc["projects"] = projects
    if dept_indicators:
        doc.setdefault("department_targets", {})["indicators"] = dept_indicators

    for key in ("groups", "procurement", "acknowledged"):
        records = []
        for row, record, letters in tables[key]:
            locate(f"{key}[{len(records)}]", SHEETS[key].name, row, letters, {})
            records.append(record)
        if records:
            doc[key] = records
    explanations = {}
    for row, record, _letters in tables["func_explanations"]:
        code = str(record.get("code", ""))
        explanations[code] = record.get("text", "")
        entry.places[f"narrative.func_explanations.{code}"] = f"{SHEETS['func_explanations'].name}!A{row}"
    if explanations:
        doc.setdefault("narrative", {})["func_explanations"] = explanations


def kv_values(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The values of the key/value fields (单位信息, 文字说明) present in a document."""
    out = {}
    for fields in KV_SHEETS.values():
        for f in fields:
            value = _get(doc, f.path)
            if value is not None and value != [] and value != "":
                out[f.path] = value
    return out


def document_records(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The document's lists as the records of each table sheet (the inverse of assembling)."""
    return _records(doc)


def assemble_document(fiscal_year: Any, template: str, kv: Mapping[str, Any],
                      records: Mapping[str, list[dict[str, Any]]]) -> EntryDocument:
    """Build a budget source document from key/value fields and table records — the same way an
    uploaded template is read, so the web forms and the workbook agree. Places are given as
    ``sheet!row`` of the equivalent workbook."""
    entry = EntryDocument(meta={"fiscal_year": str(fiscal_year)}, data={"fiscal_year": fiscal_year,
                                                                       "template": template})
    for path, value in kv.items():
        if value is not None and value != []:
            _set(entry.data, path, value)
    rows: Rows = {}
    for key, sheet in SHEETS.items():
        letters = {c.key: get_column_letter(i) for i, c in enumerate(sheet.columns, start=1)}
        rows[key] = [(n, {k: v for k, v in dict(r).items() if v is not None and v != [] and v != ""}, letters)
                     for n, r in enumerate(records.get(key, []), start=2)]
    _assemble(entry, rows, "")
    return entry


def normalize_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A document in the shape the template and the web forms write (projects with ``lines``,
    indicators as mappings), so that later edits diff field by field."""
    entry = assemble_document(doc.get("fiscal_year"), str(doc.get("template") or "shenzhen-15"), kv_values(doc),
                              document_records(doc))
    return entry.data


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:f}"))


def document_yaml(data: Mapping[str, Any]) -> str:
    """A budget source document as YAML text (amounts as exact decimals)."""
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000)


def locate_problems(entry: EntryDocument, problems: list[Problem], filename: str) -> list[Problem]:
    """Problems found by the YAML loader in the document → the same problems placed at cells."""
    out = []
    for problem in problems:
        place = entry.place(problem.place)
        where = place if place == problem.place else f"{place}（{problem.place}）"
        out.append(Problem(filename, where, problem.message))
    return out


def read_entry_template(path: str | Path) -> Budget:
    """Read a filled-in entry template into a ``Budget``; every problem names sheet and cell."""
    path = Path(path)
    entry = read_entry_document(path)
    if entry.problems:
        raise SourceError(entry.problems)
    try:
        return parse_budget(document_yaml(entry.data), path.name)
    except SourceError as exc:
        raise SourceError(locate_problems(entry, exc.problems, path.name)) from None
