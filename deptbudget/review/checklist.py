"""The reviewer's checklist as data: ``deptbudget/templates/checklist-<name>.yaml``.

A checklist has groups (检查项目: 及时性, 内容规范性 …) of items (检查内容). Each item names the
structural checks that decide it (``checks``: a part or section present, a table present, the
title, the contents, the publication deadline …) and which findings belong to it (``findings``:
matchers on rule id, table, part, row, column). The verdict wording, the overlaps between rules
that report the same problem, the deadline and the score and grade scale are data too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from deptbudget.template import available_templates, load_template
from deptbudget.template.spec import Role

PACKAGE = "deptbudget.templates"
STRUCTURE_CHECKS = ("timeliness", "title", "contents", "part", "section", "table", "project_groups",
                    "detail", "empty_notes", "change_reasons", "text_layer", "manual")
MATCHER_FIELDS = ("rule", "table", "table_id", "table_title", "table_role", "part", "row", "column")
SEVERITIES = ("error", "warning", "note")
DEFAULT_CHECKLIST = "mof-9"  # 财预〔2016〕143号《地方预决算公开操作规程》: the minimum every locality publishes


class ChecklistError(ValueError):
    """A checklist file that cannot be used (message in Chinese, naming the file and the place)."""


@dataclass(frozen=True)
class Matcher:
    """Which findings belong to an item. Every field given must match; more fields = more specific."""

    rules: tuple[str, ...] = ()
    table: str | None = None  # a location as findings print it: 标题, 目录, 表7, 第三部分
    table_id: str | None = None  # a template table id, resolved to the document's label (T7 → 表7)
    table_title: str | None = None  # words of a table title, resolved to the document's label
    table_role: str | None = None  # a table role (template/spec.Role), resolved to the document's label
    part: int | str | None = None  # a part number or words of its title, resolved to 第N部分
    row: str | None = None  # words of the finding's row
    column: str | None = None  # words of the finding's column

    @property
    def specificity(self) -> int:
        return sum(1 for value in (self.rules, self.table, self.table_id, self.table_title, self.table_role,
                                   self.part, self.row, self.column) if value)


@dataclass(frozen=True)
class Check:
    """A structural check: ``kind`` one of STRUCTURE_CHECKS, with its arguments."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    id: str
    group: str
    content: str  # 检查内容 as printed
    points: Decimal
    checks: tuple[Check, ...] = ()
    matchers: tuple[Matcher, ...] = ()
    catch_all: bool = False  # findings no other item claims
    passed: str = ""  # wording when the item passes ("" → the verdict alone)
    rules: tuple[str, ...] = ()  # the rule ids that decide the item (shown in the report)


@dataclass(frozen=True)
class Grade:
    minimum: Decimal
    grade: str  # 优 / 良 / 中 / 差
    letter: str  # A / B / C / D


@dataclass(frozen=True)
class Scoring:
    deduct: dict[str, Decimal]  # severity → points off the item per finding
    grades: tuple[Grade, ...]  # highest minimum first

    def grade(self, score: Decimal) -> Grade:
        for grade in self.grades:
            if score >= grade.minimum:
                return grade
        return self.grades[-1]


@dataclass(frozen=True)
class Overlap:
    """Two rules reporting the same problem at the same place: keep one finding."""

    keep: str
    drop: str
    same: str  # paragraph (same table and paragraph) | part (same table)
    column: str | None = None  # only dropped findings with this column (a rule reporting several things)


@dataclass(frozen=True)
class Contradictions:
    """A 提示 of these rules whose figure differs from the table's (the narrative says 43.80, the table
    43.79) counts against its item as ``counts_as`` (a warning): a rounding note that contradicts a table
    is not harmless to a reader."""

    rules: tuple[str, ...]
    counts_as: str = "warning"
    mark: str = "说明与表格不一致"


@dataclass(frozen=True)
class Checklist:
    name: str
    title: str  # "{year}年{unit}{kind}公开情况检查表"
    templates: tuple[str, ...]
    basis: str  # 检查依据
    verdicts: dict[str, str]  # pass / fail / unknown → 是 / 否 / 未提供
    fail_on: frozenset[str]
    deadline_days: int
    deadline_basis: str
    items: tuple[Item, ...]
    scoring: Scoring
    overlaps: tuple[Overlap, ...] = ()
    contradictions: Contradictions | None = None

    def rule_ids(self) -> set[str]:
        """Every rule id the checklist names (items and overlaps)."""
        ids = {rule for item in self.items for m in item.matchers for rule in m.rules}
        ids |= {rule for item in self.items for rule in item.rules}
        ids |= set(self.contradictions.rules) if self.contradictions else set()
        return ids | {o.keep for o in self.overlaps} | {o.drop for o in self.overlaps}

    def groups(self) -> list[tuple[str, list[Item]]]:
        out: list[tuple[str, list[Item]]] = []
        for item in self.items:
            if not out or out[-1][0] != item.group:
                out.append((item.group, []))
            out[-1][1].append(item)
        return out


def _fail(name: str, where: str, message: str) -> ChecklistError:
    return ChecklistError(f"检查表 checklist-{name}.yaml {where}：{message}")


def _decimal(value: Any, name: str, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        raise _fail(name, where, f"应为整数或字符串形式的数值，而不是 {value!r}")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise _fail(name, where, f"不是数值：{value!r}") from None


def _matcher(data: Any, name: str, where: str) -> Matcher:
    if not isinstance(data, dict) or not data:
        raise _fail(name, where, "findings 的每一项应为非空的映射")
    unknown = set(data) - set(MATCHER_FIELDS)
    if unknown:
        raise _fail(name, where, f"未知字段 {', '.join(sorted(unknown))}（可用：{', '.join(MATCHER_FIELDS)}）")
    rules = tuple(_flatten(data.get("rule", ())))
    part = data.get("part")
    role = data.get("table_role")
    if role is not None and role not in {r.value for r in Role}:
        raise _fail(name, where, f"未知的表角色 {role!r}（可用：{', '.join(r.value for r in Role)}）")
    return Matcher(rules, data.get("table"), data.get("table_id"), data.get("table_title"), role,
                   part if isinstance(part, int) or part is None else str(part), data.get("row"), data.get("column"))


def _check(data: Any, name: str, where: str) -> Check:
    if isinstance(data, str):
        kind, args = data, {}
    elif isinstance(data, dict) and len(data) == 1:
        kind, raw = next(iter(data.items()))
        args = raw if isinstance(raw, dict) else {"value": raw}
    else:
        raise _fail(name, where, f"checks 的每一项应为检查名或 {{检查名: 参数}}，而不是 {data!r}")
    if kind not in STRUCTURE_CHECKS:
        raise _fail(name, where, f"未知的结构检查 {kind}（可用：{', '.join(STRUCTURE_CHECKS)}）")
    return Check(str(kind), dict(args))


def _flatten(values: Any) -> list[str]:
    """Rule lists may splice YAML anchors: [A, *common] gives [A, [B, C]]."""
    if isinstance(values, str):
        return [values]
    out: list[str] = []
    for value in values:
        out.extend(_flatten(value))
    return out


def _items(data: dict[str, Any], name: str) -> tuple[Item, ...]:
    items: list[Item] = []
    seen: set[str] = set()
    for g_index, group in enumerate(data.get("groups") or []):
        group_name = str(group.get("name", ""))
        for i_index, raw in enumerate(group.get("items") or []):
            where = f"groups[{g_index}].items[{i_index}]"
            item_id = str(raw.get("id", ""))
            if not item_id or item_id in seen:
                raise _fail(name, where, f"检查项 id 为空或重复：{item_id!r}")
            seen.add(item_id)
            if not raw.get("content"):
                raise _fail(name, where, "缺少检查内容（content）")
            checks = tuple(_check(c, name, f"{where}.checks") for c in raw.get("checks") or [])
            matchers = tuple(_matcher(m, name, f"{where}.findings") for m in raw.get("findings") or [])
            points = _decimal(raw.get("points", 0), name, f"{where}.points")
            items.append(Item(item_id, group_name, str(raw["content"]), points, checks, matchers,
                              bool(raw.get("catch_all", False)), str(raw.get("passed", "")),
                              tuple(dict.fromkeys(_flatten(raw.get("rules") or [])))))
    if not items:
        raise _fail(name, "groups", "没有任何检查项")
    if sum(1 for item in items if item.catch_all) != 1:
        raise _fail(name, "groups", "应恰有一个 catch_all 检查项（收纳其他检查项未涵盖的问题）")
    return tuple(items)


def _scoring(data: Any, name: str) -> Scoring:
    if not isinstance(data, dict):
        raise _fail(name, "scoring", "缺少评分规则")
    deduct = {str(k): _decimal(v, name, f"scoring.deduct.{k}") for k, v in (data.get("deduct") or {}).items()}
    if set(deduct) != set(SEVERITIES):
        raise _fail(name, "scoring.deduct", f"应给出 {', '.join(SEVERITIES)} 三级的扣分")
    grades = sorted((Grade(_decimal(g.get("min"), name, "scoring.grades"), str(g["grade"]), str(g.get("letter", "")))
                     for g in data.get("grades") or []), key=lambda g: g.minimum, reverse=True)
    if not grades or grades[-1].minimum != 0:
        raise _fail(name, "scoring.grades", "等级表应覆盖到 0 分")
    return Scoring(deduct, tuple(grades))


def parse_checklist(name: str, data: Any) -> Checklist:
    if not isinstance(data, dict):
        raise _fail(name, "", "文件内容应为映射")
    verdicts = {str(k): str(v) for k, v in (data.get("verdicts") or {}).items()}
    if not {"pass", "fail", "unknown"} <= set(verdicts):
        raise _fail(name, "verdicts", "应给出 pass、fail、unknown 三种结论的措辞")
    fail_on = frozenset(str(s) for s in data.get("fail_on") or ["error", "warning"])
    if not fail_on <= set(SEVERITIES):
        raise _fail(name, "fail_on", f"未知的严重程度：{', '.join(sorted(fail_on - set(SEVERITIES)))}")
    deadline = data.get("deadline") or {}
    overlaps = []
    for index, raw in enumerate(data.get("overlaps") or []):
        if raw.get("same") not in ("paragraph", "part"):
            raise _fail(name, f"overlaps[{index}]", "same 应为 paragraph 或 part")
        column = raw.get("column")
        overlaps.append(Overlap(str(raw["keep"]), str(raw["drop"]), str(raw["same"]),
                                None if column is None else str(column)))
    contradictions = None
    if data.get("contradictions"):
        raw = data["contradictions"]
        counts_as = str(raw.get("counts_as", "warning"))
        if counts_as not in SEVERITIES:
            raise _fail(name, "contradictions.counts_as", f"应为 {', '.join(SEVERITIES)} 之一")
        contradictions = Contradictions(tuple(_flatten(raw.get("rules") or ())), counts_as,
                                        str(raw.get("mark", "说明与表格不一致")))
    return Checklist(
        name=str(data.get("name", name)),
        title=str(data.get("title", "{year}年{unit}{kind}公开情况检查表")),
        templates=tuple(str(t) for t in data.get("templates") or []),
        basis=str(data.get("basis", "")),
        verdicts=verdicts,
        fail_on=fail_on,
        deadline_days=int(deadline.get("days", 20)),
        deadline_basis=str(deadline.get("basis", "")),
        items=_items(data, name),
        scoring=_scoring(data.get("scoring"), name),
        overlaps=tuple(overlaps),
        contradictions=contradictions,
    )


def available_checklists() -> list[str]:
    root = resources.files(PACKAGE)
    return sorted(p.name[len("checklist-"):-len(".yaml")] for p in root.iterdir()
                  if p.name.startswith("checklist-") and p.name.endswith(".yaml"))


@cache
def load_checklist(name: str) -> Checklist:
    try:
        text = resources.files(PACKAGE).joinpath(f"checklist-{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        known = "、".join(available_checklists()) or "无"
        raise ChecklistError(f"没有名为 {name} 的检查表（现有：{known}）") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChecklistError(f"检查表 checklist-{name}.yaml 不是有效的 YAML：{exc}") from None
    return parse_checklist(name, data)


def checklist_for(template: str) -> Checklist:
    """The checklist the template names (``checklist:``); else the one whose ``templates`` list
    ``template``; otherwise the 财预〔2016〕143号 minimum (``DEFAULT_CHECKLIST``)."""
    if template in available_templates():
        named = load_template(template).checklist
        if named:
            return load_checklist(named)
    for name in available_checklists():
        checklist = load_checklist(name)
        if template in checklist.templates:
            return checklist
    return load_checklist(DEFAULT_CHECKLIST)
