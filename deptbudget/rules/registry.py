"""The rule registry: every rule with its id, severity, category and description; findings; running.

A rule is a plain function ``(disclosure, context) -> list[Finding]`` registered with ``@rule``.
It builds findings without its own id (``run_rules`` stamps it) and may lower a finding's
severity (a difference within rounding is a ``note``). Which rules apply, severities, tolerances
and thresholds come from the template's ``rules:`` section (``RuleSettings``), not from code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from deptbudget.catalog import Catalog, CatalogError, load_catalog
from deptbudget.model.budget import DEFAULT_TEMPLATE
from deptbudget.model.disclosure import Acknowledgement, Disclosure
from deptbudget.rules.pages import TablePages, finding_page, page_index, page_suffix
from deptbudget.template import (
    Required,
    Role,
    RuleSpec,
    TableSpec,
    Template,
    TemplateError,
    available_templates,
    load_template,
)
from deptbudget.template.parse import rules as parse_rules
from deptbudget.template.role_titles import minimum_required


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "note": 0}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


class Category(StrEnum):
    COMPLETENESS = "completeness"
    ACCURACY = "accuracy"
    CONSISTENCY = "consistency"
    FORMAT = "format"
    PLAUSIBILITY = "plausibility"

    @property
    def label(self) -> str:
        return {"completeness": "完整性", "accuracy": "准确性", "consistency": "一致性", "format": "格式",
                "plausibility": "合理性"}[self.value]


@dataclass(frozen=True)
class Finding:
    """One problem, located so that a person can go straight to the cell.

    ``table`` is "表7" (or "第三部分" for the narrative, "目录" for the contents), ``row`` a code or
    label, ``column`` the column label; ``expected`` and ``actual`` as displayed. ``rule`` and
    ``severity`` are filled in by ``run_rules`` when a rule leaves them empty.
    """

    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: str | None = None
    actual: str | None = None
    severity: Severity | None = None
    rule: str = ""

    def to_dict(self) -> dict[str, str | None]:
        return {"rule": self.rule, "severity": None if self.severity is None else self.severity.value,
                "table": self.table, "row": self.row, "column": self.column, "expected": self.expected,
                "actual": self.actual, "message": self.message}


Check = Callable[[Disclosure, "RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    category: Category
    description: str  # one line, Chinese
    check: Check
    example: Finding | None = None  # shown in docs/rules.md

    @property
    def module(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]


_REGISTRY: dict[str, Rule] = {}
CRASH = "规则执行出错，本条规则未能完成检查"
# Every module of deptbudget.rules that defines rules, in the order their rules run and are listed
# (tests/rules/test_rule_modules.py fails when a module with @rule is missing here): the rules over
# tables and figures, then the rules over the wording of the text.
TABLE_RULE_MODULES = ("footing", "cross_table", "narrative", "performance", "catalog_rules", "number_format",
                      "completeness", "plausibility", "final_accounts")
TEXT_RULE_MODULES = ("text_amounts", "text_change", "text_names", "text_punct", "text_wording", "text_years")
RULE_MODULES = TABLE_RULE_MODULES + TEXT_RULE_MODULES


def rule(rule_id: str, severity: str, category: str, description: str,
         example: Finding | None = None) -> Callable[[Check], Check]:
    """Register a rule function under a stable id."""

    def register(check: Check) -> Check:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].check.__qualname__ != check.__qualname__:
            raise ValueError(f"规则编号重复 (duplicate rule id): {rule_id}")
        _REGISTRY[rule_id] = Rule(rule_id, Severity(severity), Category(category), description, check, example)
        return check

    return register


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, in ``RULE_MODULES`` order then definition order."""
    for name in RULE_MODULES:
        importlib.import_module(f"deptbudget.rules.{name}")
    order = {name: index for index, name in enumerate(RULE_MODULES)}
    return tuple(sorted(_REGISTRY.values(), key=lambda r: order.get(r.module, len(order))))


def get_rule(rule_id: str) -> Rule:
    for item in all_rules():
        if item.id == rule_id:
            return item
    raise KeyError(rule_id)


# --- settings (template data) ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSettings:
    """The template's ``rules:`` section: what applies, severities, tolerances, thresholds; with the
    template's typed table specs and narrative part titles."""

    template: str = ""
    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    half_step: Decimal = Decimal("0.005")  # 万元: how far one rounded figure may be from its exact value
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, TableSpec] = field(default_factory=dict)  # the template's table specs by id
    part_titles: dict[int, str] = field(default_factory=dict)  # narrative part number → printed title
    required: Required = Required()  # what the locality must publish: table roles, part numbers
    # Table specs known by their titles only (a document of no known locality: the 财预〔2016〕143号
    # tables); the completeness rules give a table read by its title alone the role of the spec it names.
    titled: tuple[TableSpec, ...] = ()

    def role_of(self, table_id: str) -> Role | None:
        spec = self.tables.get(table_id)
        return spec.role if spec is not None else None

    def threshold(self, name: str, default: str) -> Decimal:
        return self.thresholds.get(name, Decimal(default))

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


class SettingsError(ValueError):
    """A template's ``rules:`` section that cannot be used."""


def _settings(template: str, spec: RuleSpec, tables: dict[str, TableSpec], part_titles: dict[int, str],
              required: Required | None = None) -> RuleSettings:
    known = {item.id for item in all_rules()}
    unknown = sorted((spec.disabled | set(spec.severity)) - known)
    if unknown:
        raise SettingsError(f"模板 {template} 的 rules 中有未知规则编号 (unknown rule ids): {', '.join(unknown)}")
    try:
        severity = {k: Severity(v) for k, v in spec.severity.items()}
    except ValueError as exc:
        raise SettingsError(f"模板 {template} 的 rules.severity: {exc}") from None
    return RuleSettings(template, spec.disabled, severity, spec.half_step, dict(spec.thresholds), dict(spec.options),
                        tables, part_titles, required or Required())


def settings_from_data(template: str, data: dict[str, Any] | None) -> RuleSettings:
    """Settings from a ``rules:`` section alone (no tables, no narrative parts)."""
    try:
        spec = parse_rules(template, data)
    except TemplateError as exc:
        raise SettingsError(str(exc)) from None
    return _settings(template, spec, {}, {})


def settings_for(template: Template) -> RuleSettings:
    """The rule settings of a loaded template, with its table specs and narrative part titles."""
    return _settings(template.name, template.rules, {spec.id: spec for spec in template.tables}, template.part_titles,
                     template.required)


UNKNOWN = "unknown"  # the importer's template name for a document no template matched
MINIMUM = "mof-9"  # the Ministry of Finance template: its rules and titles judge a document of no known locality
FINAL_MINIMUM = "mof-final-9"  # the same for final accounts (部门决算): the nine 决算 tables


@cache
def minimum_settings(kind: str = "部门预算") -> RuleSettings:
    """The settings for a document of no known locality: the rules of the Ministry of Finance template, its
    tables known by their titles (the document's own tables have no template spec), and the eight tables of
    财预〔2016〕143号 required (``templates/_role_titles.yaml``: ``minimum_required``). For a final accounts
    document (部门决算), the rules and the required list of the Ministry of Finance's 决算 template."""
    if "决算" in kind:
        final = load_settings(FINAL_MINIMUM)
        return replace(final, template=UNKNOWN, tables={}, part_titles={}, titled=tuple(final.tables.values()))
    base = load_settings(MINIMUM)
    required = replace(base.required, tables=minimum_required())
    return replace(base, template=UNKNOWN, tables={}, part_titles={}, titled=tuple(base.tables.values()),
                   required=required)


@cache
def load_settings(template: str) -> RuleSettings:
    """The settings of the shipped template ``template`` (``deptbudget/templates/<template>.yaml``)."""
    if template not in available_templates():
        raise SettingsError(f"找不到模板文件 {template}.yaml (template file not found)")
    try:
        loaded = load_template(template)
    except TemplateError as exc:
        raise SettingsError(str(exc)) from None
    return settings_for(loaded)


# --- context and running -----------------------------------------------------------------------


@dataclass
class RuleContext:
    """What rules read besides the disclosure: the year's catalog, the template's settings, and a
    per-document memo for derived facts (narrative mentions, table indexes)."""

    catalog: Catalog | None
    settings: RuleSettings
    memo: dict[str, Any] = field(default_factory=dict)

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def tolerance(self, addends: int) -> Decimal:
        """How far a sum of ``addends`` rounded figures may be from its rounded total (DESIGN.md, Money)."""
        return self.settings.half_step * max(addends, 1)


def settings_of(disclosure: Disclosure, template: str | None = None) -> RuleSettings:
    """The settings a disclosure is checked with: those of ``template`` or of its own template; for a document of
    no known locality, the 财预〔2016〕143号 minimum (``minimum_settings``). Raises ``SettingsError``."""
    name = template or disclosure.template or DEFAULT_TEMPLATE
    return minimum_settings(disclosure.kind) if name == UNKNOWN else load_settings(name)


class Checker:
    """Runs the rules over many disclosures, loading catalogs and template settings once."""

    def __init__(self, template: str | None = None) -> None:
        self.template = template
        self._catalogs: dict[int, Catalog | None] = {}

    def catalog(self, year: int) -> Catalog | None:
        if year not in self._catalogs:
            try:
                self._catalogs[year] = load_catalog(year)
            except CatalogError:
                self._catalogs[year] = None
        return self._catalogs[year]

    def context(self, disclosure: Disclosure) -> RuleContext:
        return RuleContext(self.catalog(disclosure.fiscal_year), settings_of(disclosure, self.template))

    def check(self, disclosure: Disclosure) -> list[Finding]:
        return run_rules(disclosure, self.context(disclosure))


def run_rules(disclosure: Disclosure, context: RuleContext | None = None,
              rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Every applicable rule over one disclosure; findings ordered by table, then rule."""
    context = context or Checker().context(disclosure)
    context.memo.clear()
    settings = context.settings
    findings: list[Finding] = []
    pages = page_index(disclosure)
    for item in rules if rules is not None else all_rules():
        if item.id in settings.disabled:
            continue
        default = settings.severity.get(item.id, item.severity)
        try:
            produced = list(item.check(disclosure, context))
        except Exception as exc:  # one faulty rule must not cost the other findings of a document
            produced = [Finding(f"{CRASH}：{type(exc).__name__}: {exc}", severity=Severity.ERROR)]
        for finding in produced:
            severity = default
            if finding.severity is not None and finding.severity.rank < default.rank:
                severity = finding.severity
            finding = replace(finding, rule=finding.rule or item.id, severity=severity)
            if item.id not in _NO_PAGE:
                finding = with_page(finding, pages)
            findings.append(acknowledge(finding, disclosure.acknowledged))
    return findings


_NO_PAGE = frozenset({"CMP-TABLE-MISSING", "CMP-CONTENTS"})  # a table not in the document has no page


def with_page(finding: Finding, pages: dict[str, TablePages]) -> Finding:
    """An imported document's finding with the page of its table and row at the end of its message."""
    page = finding_page(pages, finding.table, finding.row)
    if page is None or finding.message.endswith(page_suffix(page)):
        return finding
    return replace(finding, message=finding.message + page_suffix(page))


def acknowledge(finding: Finding, acknowledged: Iterable[Acknowledgement]) -> Finding:
    """A warning the department explained becomes a note carrying the reason; errors stay errors."""
    if finding.severity is not Severity.WARNING:
        return finding
    for ack in acknowledged:
        if ack.rule != finding.rule or (ack.table is not None and ack.table != finding.table):
            continue
        if ack.row is not None and not (finding.row or "").startswith(ack.row):
            continue
        return replace(finding, severity=Severity.NOTE, message=f"{finding.message}（已说明：{ack.reason}）")
    return finding


def worst(findings: Iterable[Finding]) -> Severity | None:
    ranked = [f.severity for f in findings if f.severity is not None]
    return max(ranked, key=lambda s: s.rank) if ranked else None
