"""The review: run every rule on a disclosure, give each finding to its checklist item, decide each
item (是 / 否 / 未提供), score the items and grade the document.

``Reviewer`` loads the rules, catalogs and checklists once for a batch of documents.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_reading import normalize, part_label
from deptbudget.review.checklist import Checklist, Grade, Item, Matcher, checklist_for, load_checklist
from deptbudget.review.pages import with_pages
from deptbudget.review.standard_checks import run_check
from deptbudget.review.structure import (
    FAIL,
    PASS,
    UNKNOWN,
    Dates,
    Outcome,
    Subject,
    find_tables,
    half_note,
    published_elsewhere,
)
from deptbudget.rules.completeness import tables_published_separately
from deptbudget.rules.registry import (
    Checker,
    Finding,
    Rule,
    RuleContext,
    RuleSettings,
    SettingsError,
    Severity,
    all_rules,
    run_rules,
)
from deptbudget.template import TemplateError, load_template

# The text rules (issue 8). Until they are listed in RULE_MODULES, the review imports them itself.
TEXT_RULE_MODULES = ("text_change", "text_amounts", "text_years", "text_names", "text_punct", "text_wording")
_PARAGRAPH = re.compile(r"第(\d+)段$")


def load_rules() -> tuple[Rule, ...]:
    """Every registered rule, the text rules included.

    The registry's own list (``all_rules()``, cached) is read first, so that importing the text rules
    here does not change what it lists for others (``deptbudget check``, docs/rules.md) until they are
    in ``RULE_MODULES``; the full list is then sorted afresh from the registry without touching that cache.
    """
    official = all_rules()
    for name in TEXT_RULE_MODULES:
        importlib.import_module(f"deptbudget.rules.{name}")
    if any(r.module in TEXT_RULE_MODULES for r in official):
        return official
    return all_rules.__wrapped__()  # type: ignore[attr-defined, no-any-return]


@dataclass
class ItemResult:
    item: Item
    status: str  # pass / fail / unknown
    outcomes: list[Outcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    score: Decimal | None = None  # None when the item could not be decided

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != PASS]


@dataclass(frozen=True)
class Signoff:
    """检查人, 复核人 and 日期 of a filled checklist; blank ones are printed as lines to sign on."""

    checker: str = ""
    reviewer: str = ""
    date: str = ""

    def fields(self) -> list[tuple[str, str]]:
        return [("检查人", self.checker), ("复核人", self.reviewer), ("日期", self.date)]


@dataclass
class Review:
    source: str
    disclosure: Disclosure
    checklist: Checklist
    dates: Dates
    items: list[ItemResult]
    findings: list[Finding]
    score: Decimal
    grade: Grade
    notes: list[str] = field(default_factory=list)  # about the review itself (rules that could not run)
    signoff: Signoff = field(default_factory=Signoff)

    @property
    def file_label(self) -> str:
        """The 文件 line: the name of the file the user gave (no folders), else the document's title."""
        if not self.source:
            return self.disclosure.title
        return PurePath(self.source).name or self.source

    @property
    def title(self) -> str:
        d = self.disclosure
        return self.checklist.title.format(year=d.fiscal_year, unit=d.unit_name, kind=d.kind)

    def verdict(self, status: str) -> str:
        return self.checklist.verdicts[status]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.items if r.status == FAIL)


def drop_overlaps(findings: list[Finding], checklist: Checklist) -> list[Finding]:
    """Without the findings a kept rule already reports at the same place (checklist ``overlaps``)."""
    dropped: set[int] = set()
    for overlap in checklist.overlaps:
        kept = [f for f in findings if f.rule == overlap.keep]
        if not kept:
            continue
        for index, finding in enumerate(findings):
            if finding.rule != overlap.drop or (overlap.column is not None and finding.column != overlap.column):
                continue
            if any(_same_place(finding, k, overlap.same) for k in kept):
                dropped.add(index)
    return [f for i, f in enumerate(findings) if i not in dropped]


def count_contradictions(findings: list[Finding], checklist: Checklist) -> list[Finding]:
    """A 提示 of the checklist's ``contradictions`` rules whose figure differs from the table's counts as
    ``counts_as`` (marked so in its message); other findings are kept as they are."""
    rules = checklist.contradictions
    if rules is None:
        return findings
    out = []
    for f in findings:
        differs = f.expected is not None and f.actual is not None and f.expected.strip() != f.actual.strip()
        if f.rule in rules.rules and f.severity is Severity.NOTE and differs:
            f = dataclasses.replace(f, severity=Severity(rules.counts_as),
                                    message=f"{f.message}（{rules.mark}，按{Severity(rules.counts_as).label}计）")
        out.append(f)
    return out


def _same_place(a: Finding, b: Finding, same: str) -> bool:
    if a.table != b.table:
        return False
    if same == "part":
        return True
    pa, pb = _PARAGRAPH.search(a.row or ""), _PARAGRAPH.search(b.row or "")
    return pa is not None and pb is not None and pa.group(1) == pb.group(1)


class Placement:
    """Which checklist item each finding belongs to, for one document."""

    def __init__(self, checklist: Checklist, disclosure: Disclosure) -> None:
        self.checklist = checklist
        self.disclosure = disclosure
        self._labels: dict[Matcher, frozenset[str] | None] = {}

    def labels(self, matcher: Matcher) -> frozenset[str] | None:
        """The locations a matcher's table_id / table_title / part stand for in this document."""
        if matcher not in self._labels:
            found: set[str] | None = None
            if matcher.table_id or matcher.table_title or matcher.table_role:
                found = {f"表{t.number or t.id.lstrip('T')}" for t in
                         find_tables(self.disclosure, matcher.table_id, matcher.table_title, matcher.table_role)}
                if matcher.table_id and matcher.table_id.startswith("T"):
                    found.add(f"表{matcher.table_id[1:]}")
            if matcher.part is not None:
                found = (found or set()) | self._part_labels(matcher.part)
            self._labels[matcher] = None if found is None else frozenset(found)
        return self._labels[matcher]

    def _part_labels(self, which: int | str) -> set[str]:
        if isinstance(which, int):
            part = self.disclosure.part(which)
            return {part_label(which, part.title if part else "")}
        return {part_label(p.number, p.title) for p in self.disclosure.parts if which in normalize(p.title)}

    def matches(self, matcher: Matcher, finding: Finding) -> bool:
        if matcher.rules and finding.rule not in matcher.rules:
            return False
        if matcher.table is not None and finding.table != matcher.table:
            return False
        labels = self.labels(matcher)
        if labels is not None and finding.table not in labels:
            return False
        if matcher.row is not None and matcher.row not in (finding.row or ""):
            return False
        return matcher.column is None or matcher.column in (finding.column or "")

    def item_for(self, finding: Finding) -> Item:
        best: tuple[int, Item] | None = None
        for item in self.checklist.items:
            for matcher in item.matchers:
                if self.matches(matcher, finding) and (best is None or matcher.specificity > best[0]):
                    best = (matcher.specificity, item)
        if best is not None:
            return best[1]
        return next(item for item in self.checklist.items if item.catch_all)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def decide(item: Item, outcomes: list[Outcome], findings: list[Finding], checklist: Checklist) -> ItemResult:
    failing = [f for f in findings if f.severity is not None and f.severity.value in checklist.fail_on]
    statuses = {o.status for o in outcomes}
    if FAIL in statuses or failing:
        status = FAIL
    elif UNKNOWN in statuses:
        status = UNKNOWN
    else:
        status = PASS
    score: Decimal | None
    if status == UNKNOWN:
        score = None
    elif FAIL in statuses:
        score = Decimal(0)
    else:
        lost = sum((checklist.scoring.deduct[f.severity.value] for f in findings if f.severity is not None),
                   Decimal(0))
        score = max(Decimal(0), item.points - lost)
    return ItemResult(item, status, outcomes, findings, score)


def total_score(results: Iterable[ItemResult]) -> Decimal:
    decided = [r for r in results if r.score is not None]
    points = sum((r.item.points for r in decided), Decimal(0))
    if points == 0:
        return Decimal(100)
    return _quantize(sum((r.score or Decimal(0) for r in decided), Decimal(0)) / points * 100)


def _narrative_apart(disclosure: Disclosure) -> bool:
    """Whether the document's locality publishes its 说明 and 报表 as two files (template data)."""
    try:
        return load_template(disclosure.template).narrative_apart
    except TemplateError:
        return False


class Reviewer:
    """Reviews documents against their checklist; rules, catalogs and checklists are loaded once."""

    def __init__(self, checklist: str | None = None, template: str | None = None) -> None:
        self.rules = load_rules()
        self.checker = Checker(template)
        self.template = template
        self.checklist_name = checklist
        if checklist is not None:
            load_checklist(checklist)  # fail early on an unknown name

    def checklist(self, disclosure: Disclosure) -> Checklist:
        if self.checklist_name is not None:
            return load_checklist(self.checklist_name)
        return checklist_for(self.template or disclosure.template)

    def context(self, disclosure: Disclosure) -> tuple[RuleContext, tuple[Rule, ...], list[str]]:
        """The rules' context, the rules that apply and notes for the report.

        Every rule applies to every template (rules find their tables by role; one whose tables a layout does
        not have says nothing). A template whose ``rules:`` section cannot be used gets the text rules only:
        they read the words, not the tables, and the report says why the table rules did not run.
        """
        try:
            return self.checker.context(disclosure), self.rules, []
        except SettingsError as exc:
            ctx = RuleContext(self.checker.catalog(disclosure.fiscal_year), RuleSettings(disclosure.template))
            text = tuple(r for r in self.rules if r.module in TEXT_RULE_MODULES)
            return ctx, text, [f"模板“{disclosure.template}”的规则设置无法使用（{exc}），"
                               "只运行了说明文字规则（TEXT-*），表格的勾稽规则未运行"]

    def review(self, disclosure: Disclosure, dates: Dates | None = None, source: str = "",
               signoff: Signoff | None = None) -> Review:
        dates = dates or Dates()
        checklist = self.checklist(disclosure)
        ctx, rules, notes = self.context(disclosure)
        findings = drop_overlaps(run_rules(disclosure, ctx, rules), checklist)
        findings = with_pages(count_contradictions(findings, checklist), disclosure, ctx)
        placement = Placement(checklist, disclosure)
        by_item: dict[str, list[Finding]] = {item.id: [] for item in checklist.items}
        for finding in findings:
            by_item[placement.item_for(finding).id].append(finding)
        elsewhere = published_elsewhere(disclosure, ctx, tables_published_separately(disclosure),
                                        re.split(r"[\\/]", source)[-1], _narrative_apart(disclosure))
        subject = Subject(disclosure, dates, checklist, ctx, elsewhere)
        results = [decide(item, [run_check(subject, check) for check in item.checks], by_item[item.id], checklist)
                   for item in checklist.items]
        score = total_score(results)
        notes = notes + ([elsewhere.message] if elsewhere is not None else half_note(disclosure))
        return Review(source, disclosure, checklist, dates, results, findings, score, checklist.scoring.grade(score),
                      notes, signoff or Signoff())
