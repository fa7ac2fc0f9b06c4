"""The fields of a budget source: their names, kinds and labels.

One description shared by every reader and writer of a budget source: the YAML reader checks
keys against it, the XLSX entry workbook and the web forms lay out their sheets and sections
from it (see docs/budget-source.md for the meaning of each field).

Kinds of a field or column: text | lines | int | amount | bool | date, and for drop-down columns
func | func_any | eco | gov_eco | fund | level1 | level2.
"""

from __future__ import annotations

from dataclasses import dataclass

from deptbudget.model.budget import DEFAULT_TEMPLATE as DEFAULT_TEMPLATE  # re-exported: the sources name it here
from deptbudget.model.budget import FUND_SOURCE_LABELS
from deptbudget.model.figures_vocabulary import figures_vocabulary


def _figure(key: str) -> str:
    """The name of a 三公 figure as the narrative vocabulary gives it (one spelling everywhere)."""
    return figures_vocabulary().label(f"three_public.{key}")


# --- the keys of the YAML document --------------------------------------------------------------

TOP_KEYS = frozenset({"fiscal_year", "template", "unit", "income", "basic", "projects", "groups", "procurement",
                      "three_public", "admin_operating", "last_year", "assets", "narrative", "department_targets",
                      "acknowledged", "corrections"})
UNIT_KEYS = frozenset({"name", "agency_code", "dept_code", "mof_div_code", "head", "preparer", "phone", "functions",
                       "functions_detail", "staffing", "vehicles", "work_goals"})
LINE_KEYS = frozenset({"func", "eco", "gov_eco", "fund", "amount", "note"})
PROJECT_KEYS = LINE_KEYS | {"code", "name", "group", "lines", "new", "contact", "phone", "period", "goals", "purpose",
                            "calculation", "timeliness", "indicators", "performance_managed", "superior_transfer"}

# --- choices ------------------------------------------------------------------------------------

LEVEL1 = ["产出指标", "效益指标", "满意度指标", "成本指标"]
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标"]
YES_NO = ["是", "否"]
TARGET_OWNER_DEPT = "部门整体"


# --- the entry layout (XLSX sheets and web form sections) -----------------------------------


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
    Field(f"{_figure('overseas')}（元）", "three_public.overseas", "amount"),
    Field(f"{_figure('reception')}（元）", "three_public.reception", "amount"),
    Field(f"{_figure('vehicle_purchase')}（元）", "three_public.vehicle_purchase", "amount"),
    Field(f"{_figure('vehicle_operation')}（元）", "three_public.vehicle_operation", "amount"),
    Field("机关运行经费（元，空白则自动计算）", "admin_operating", "amount"),
    Field("上年收入合计（元）", "last_year.income_total", "amount"),
    Field("上年支出合计（元）", "last_year.expenditure_total", "amount"),
    Field(f"上年{_figure('overseas')}（元）", "last_year.three_public.overseas", "amount"),
    Field(f"上年{_figure('reception')}（元）", "last_year.three_public.reception", "amount"),
    Field(f"上年{_figure('vehicle_purchase')}（元）", "last_year.three_public.vehicle_purchase", "amount"),
    Field(f"上年{_figure('vehicle_operation')}（元）", "last_year.three_public.vehicle_operation", "amount"),
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
    Field(f"{_figure('overseas')}说明", "narrative.three_public.overseas"),
    Field(f"{_figure('reception')}说明", "narrative.three_public.reception"),
    Field(f"{_figure('vehicles')}说明", "narrative.three_public.vehicles"),
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
    "corrections": TableSheet("更正说明", (
        Column("位置", "where", "text", 30), Column("原公开文件", "printed", "text", 40),
        Column("更正为", "corrected", "text", 40), Column("理由", "reason", "text", 50),
    ), "可选：对部门原公开文件所作的更正，每项写明位置、原文、更正内容和理由；各格式的公开文件都印出更正说明。"),
}
KV_SHEETS = {"单位信息": UNIT_FIELDS, "文字说明": TEXT_FIELDS}

FUND_BY_LABEL = {label: source for source, label in FUND_SOURCE_LABELS.items()}
