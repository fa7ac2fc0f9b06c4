"""Raw template data (YAML, ``extends`` already merged) → typed specs. Errors name the place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deptbudget.model.disclosure import CellKind
from deptbudget.template.header import HeaderSpec
from deptbudget.template.spec import (
    TAIL_NOTE,
    Builder,
    ColumnSpec,
    FooterRow,
    FooterSide,
    FormSpec,
    IncomeItem,
    IndicatorWords,
    Measure,
    NarrativePart,
    Required,
    Role,
    Rounding,
    RuleSpec,
    TableSpec,
    Template,
    TemplateError,
    Vocabulary,
)

_TABLE_KEYS = {"id", "number", "title", "builder", "printed_title", "aliases", "unit", "columns", "header", "lines",
               "layout", "landscape", "empty_note", "source", "income", "this_year", "footer", "role"}


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out


def column(data: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        key=data["key"],
        label=data["label"],
        kind=CellKind(data.get("kind", "amount")),
        filter=data.get("filter"),
        income=data.get("income"),
        procurement=data.get("procurement"),
    )


def _side(pair: Any, where: str) -> FooterSide:
    if not isinstance(pair, list) or len(pair) != 2:
        raise TemplateError(f"{where}: 应为 [标签, 口径] (expected [label, measure]): {pair!r}")
    return FooterSide(str(pair[0]), Measure.parse(str(pair[1])))


def footer_row(data: dict[str, Any], where: str) -> FooterRow:
    return FooterRow(_side(data["income"], f"{where}.income"), _side(data["expenditure"], f"{where}.expenditure"),
                     bool(data.get("total", False)))


def _income(data: dict[str, Any]) -> IncomeItem:
    return IncomeItem(str(data["key"]), str(data["label"]), str(data["income"]), int(data.get("level", 0)))


def table(data: dict[str, Any], vocabulary: Vocabulary) -> TableSpec:
    where = f"表 {data.get('id', '?')}"
    try:
        builder = Builder(data["builder"])
    except ValueError:
        known = ", ".join(b.value for b in Builder)
        raise TemplateError(f"{where}: 未知的构造方式 {data['builder']!r} (unknown builder); 可选: {known}") from None
    layout = data.get("layout", "grid")
    role = _role(data.get("role"), where) if data.get("role") is not None else None
    columns = tuple(column(c) for c in _flatten(data.get("columns") or []))
    if not columns and builder == "two_sided":
        columns = vocabulary.two_sided_columns
    elif not columns and layout == "form":
        columns = vocabulary.form_columns.get(builder, ())
    return TableSpec(
        id=str(data["id"]),
        number=str(data["number"]),
        title=data["title"],
        builder=builder,
        role=role,
        printed_title=data.get("printed_title", ""),
        aliases=tuple(str(a) for a in data.get("aliases") or []),
        unit=data.get("unit", ""),
        columns=columns,
        header=tuple(tuple(HeaderSpec.parse(cell) for cell in row) for row in data.get("header") or []),
        lines=dict(data.get("lines") or {}),
        layout=layout,
        landscape=bool(data.get("landscape", False)),
        empty_note=data.get("empty_note", ""),
        source=data.get("source", "lines"),
        income=tuple(_income(i) for i in data.get("income") or []),
        this_year=tuple(str(k) for k in data.get("this_year") or []),
        footer=tuple(footer_row(f, f"{where} footer[{i}]") for i, f in enumerate(data.get("footer") or [])),
        form=vocabulary.forms.get(builder) if layout == "form" else None,
        indicators=vocabulary.indicators if layout == "form" else None,
        options={k: v for k, v in data.items() if k not in _TABLE_KEYS},
    )


def _role(value: Any, where: str) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise TemplateError(f"{where}: 未知的表角色 {value!r} (unknown table role); 可选: {known}") from None


def required(data: Any, tables: tuple[TableSpec, ...], parts: tuple[NarrativePart, ...]) -> Required:
    """The ``required:`` section (table roles, part numbers); absent, every table with a role and every part."""
    if data is None:
        roles = tuple(dict.fromkeys(t.role for t in tables if t.role is not None and t.role is not Role.OTHER))
        return Required(roles, tuple(p.number for p in parts))
    if not isinstance(data, dict) or set(data) - {"tables", "parts"}:
        raise TemplateError(f"required 应为 {{tables: [角色], parts: [部分序号]}} (expected tables, parts): {data!r}")
    roles = tuple(_role(r, "required.tables") for r in data.get("tables") or [])
    try:
        numbers = tuple(int(n) for n in data.get("parts") or [])
    except (TypeError, ValueError):
        raise TemplateError(f"required.parts 应为部分序号 (part numbers): {data.get('parts')!r}") from None
    return Required(roles, numbers)


def decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise TemplateError(f"{where}: 请用字符串或整数写数值（不用浮点数）/ write numbers as strings or integers")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise TemplateError(f"{where}: 不是数值 (not a number): {value!r}") from None


def rules(template: str, data: dict[str, Any] | None) -> RuleSpec:
    data = dict(data or {})
    disabled = frozenset(str(x) for x in data.pop("disabled", None) or [])
    severity = {str(k): str(v) for k, v in (data.pop("severity", None) or {}).items()}
    rounding = data.pop("rounding", None) or {}
    half_step = decimal(rounding.get("half_step", "0.005"), f"{template}: rules.rounding.half_step")
    thresholds = {str(k): decimal(v, f"{template}: rules.thresholds.{k}")
                  for k, v in (data.pop("thresholds", None) or {}).items()}
    return RuleSpec(disabled, severity, half_step, thresholds, data)


def _form(data: dict[str, Any]) -> FormSpec:
    return FormSpec(fields={str(k): tuple(str(v) for v in labels) for k, labels in data["fields"].items()},
                    amounts=frozenset(data.get("amounts") or []), groups=tuple(data.get("groups") or []))


def vocabulary(data: dict[str, Any]) -> Vocabulary:
    ind = data["indicators"]
    return Vocabulary(
        two_sided_columns=tuple(column(c) for c in data["two_sided"]["columns"]),
        form_columns={b: tuple(column({"kind": "text", **c}) for c in f["columns"]) for b, f in data["forms"].items()},
        forms={b: _form(f) for b, f in data["forms"].items()},
        indicators=IndicatorWords(
            headings=tuple(ind["heading"]), header_cells=tuple(ind["header_cells"]), level1=tuple(ind["level1"]),
            level2={str(k): str(v) for k, v in ind["level2"].items()},
            text_rows={str(k): str(v) for k, v in ind["text_rows"].items()},
            target_starts=tuple(str(s) for s in ind["target_starts"]),
            period_headers=tuple(str(s) for s in ind.get("period_headers") or [])),
    )


ROUNDING_METHODS = ("correct", "largest_remainder")


def display_rounding(template: str, data: Any) -> Rounding:
    """The template's ``rounding:`` (method, tail_note); the defaults where absent."""
    data = data or {}
    if not isinstance(data, dict):
        raise TemplateError(f"{template}: rounding 应为映射 (must be a mapping)")
    method = str(data.get("method") or "correct")
    if method not in ROUNDING_METHODS:
        raise TemplateError(f"{template}: rounding.method 取值应为 (must be one of) {' / '.join(ROUNDING_METHODS)}，"
                            f"实际为 (got) {method!r}")
    return Rounding(method, str(data.get("tail_note") or TAIL_NOTE))


def parse_template(data: dict[str, Any], narrative: dict[str, Any], shared: dict[str, Any]) -> Template:
    words = vocabulary(shared)
    parts = tuple(NarrativePart(int(p["number"]), str(p["title"])) for p in narrative.get("parts", [])
                  if "number" in p)
    tables = tuple(table(t, words) for t in data["tables"])
    ids = [t.id for t in tables]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise TemplateError(f"表编号重复 (duplicate table ids): {', '.join(twice)}")
    return Template(
        name=data["name"],
        label=data.get("label", data["name"]),
        kind=data.get("kind", "部门预算"),
        title=data["title"],
        amount_unit=data.get("amount_unit", "万元"),
        fund_groups={k: tuple(v) for k, v in (data.get("fund_groups") or {}).items()},
        tables=tables,
        narrative=narrative,
        parts=parts,
        rules=rules(data["name"], data.get("rules")),
        vocabulary=words,
        checklist=str(data.get("checklist") or ""),
        extends=str(data.get("extends") or ""),
        required=required(data.get("required"), tables, parts),
        numbering=str(data.get("numbering") or ""),
        rounding=display_rounding(data["name"], data.get("rounding")),
        narrative_apart=bool(data.get("narrative_apart", False)),
    )
