"""Structural checks of the checklist: is the part, section, table, title, contents there; was the
document published in time. Each returns a ``Outcome``: passed, failed or unknown, with its wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from deptbudget.model.disclosure import TABLES_CONTENTS, UNTITLED, Disclosure, Table
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_quantities import paragraph_quantities
from deptbudget.model.narrative_reading import normalize, part_label
from deptbudget.review.checklist import Check, Checklist
from deptbudget.rules.completeness import absent_tables
from deptbudget.rules.registry import RuleContext, SettingsError, settings_of
from deptbudget.template import available_templates, load_template
from deptbudget.template.role_titles import minimum_required, role_by_title, roles_within
from deptbudget.template.spec import Role

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
_TITLE_CLEAN = re.compile(r"[\s“”\"《》]")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_GROUPS_LEAD = re.compile(r"(?:具体包括|包括|具体如下|如下|主要有)[:：]$")
_PURPOSE = re.compile(r"用于|主要是|包括|为")
_ENUMERATED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


@dataclass(frozen=True)
class Dates:
    """批复日期 and 公开日期 of a document, when known."""

    approved: date | None = None
    published: date | None = None


@dataclass(frozen=True)
class Outcome:
    status: str  # pass / fail / unknown
    message: str = ""


@dataclass(frozen=True)
class Elsewhere:
    """What of the disclosure another file publishes (北京's 说明 and 报表 apart; a 绩效目标表 file on its own): the
    checks of that part say 未提供 with ``message`` instead of failing."""

    kinds: frozenset[str]
    message: str
    # judged from what the file is made of (``tables_file``), not from its words: the file does not say so itself
    inferred: bool = False


@dataclass(frozen=True)
class Subject:
    disclosure: Disclosure
    dates: Dates
    checklist: Checklist
    ctx: RuleContext | None = None  # the rules' memo: the narrative is parsed once
    elsewhere: Elsewhere | None = None


def _title_key(text: str) -> str:
    return _TITLE_CLEAN.sub("", text).replace("(", "（").replace(")", "）")


def table_roles(disclosure: Disclosure) -> dict[str, Role]:
    """table id → role, from the document's template; for a document of no known locality, from the words
    of each table's printed title (``templates/_role_titles.yaml``)."""
    if disclosure.template not in available_templates():
        by_title = {t.id: role_by_title(t.title) for t in disclosure.tables}
        return {table_id: role for table_id, role in by_title.items() if role is not None}
    return {spec.id: spec.role for spec in load_template(disclosure.template).tables if spec.role is not None}


def find_tables(disclosure: Disclosure, table_id: str | None = None, title: str | None = None,
                role: str | None = None) -> list[Table]:
    """Tables by template id, else by role (what the document's template says the table is, whatever the
    locality numbers or titles it), else by title: ``title`` is a regular expression matched against the whole
    printed title (quotes, spaces, a leading year and the unit name left out): "部门收支总表|收支预算总表"."""
    if table_id:
        found = disclosure.tables_by_id(table_id)
        if found:
            return found
    if role:
        roles = table_roles(disclosure)
        found = [t for t in disclosure.tables if roles.get(t.id) is Role(role)]
        if found:
            return found
    if title:
        pattern = re.compile(_title_key(title))
        return [t for t in disclosure.tables
                if any(pattern.fullmatch(key) for key in _title_variants(_bare_title(t.title, disclosure.unit_name)))]
    return []


_OWNER = re.compile(r"^(?:预算单位|预算部门|部门|单位)")
_CLASSIFICATION = re.compile(r"[（(]按?(?:支出)?(?:功能|部门预算经济|政府预算经济|经济)(?:科目)?分类[)）]|"
                             r"(?:功能|部门预算经济|政府预算经济|经济)(?:科目)?分类")


def _title_variants(key: str) -> list[str]:
    """A bare title, and the same without its owner (预算单位 / 部门 / 单位) and its classification words
    (功能分类, 部门预算经济分类): "预算单位一般公共预算支出功能分类预算表" is a 一般公共预算支出表."""
    out = [key]
    plain = _CLASSIFICATION.sub("", _OWNER.sub("", key))
    plain = re.sub(r"支出预算表$", "支出表", plain)
    for variant in (_OWNER.sub("", key), plain):
        if variant and variant not in out:
            out.append(variant)
    return out


def _bare_title(title: str, unit_name: str) -> str:
    key = _YEAR_PREFIX.sub("", _title_key(title))
    if unit_name and key.startswith(_title_key(unit_name)):
        key = key[len(_title_key(unit_name)):]
    return key


def _table_name(args: dict[str, Any]) -> str:
    table_id, title = args.get("id"), args.get("title")
    if table_id and str(table_id).startswith("T"):
        return f"表{str(table_id)[1:]}" + (f" {title}" if title else "")
    return str(title or table_id).split("|")[0]


def check_timeliness(subject: Subject, args: dict[str, Any]) -> Outcome:
    dates, days = subject.dates, subject.checklist.deadline_days
    basis = subject.checklist.deadline_basis
    if dates.approved is None or dates.published is None:
        missing = "、".join(w for w, d in (("批复日期", dates.approved), ("公开日期", dates.published)) if d is None)
        return Outcome(UNKNOWN, f"未提供{missing}，无法判断是否在批复后 {days} 日内公开（{basis}）")
    elapsed = (dates.published - dates.approved).days
    shown = f"批复 {dates.approved.isoformat()}，公开 {dates.published.isoformat()}"
    if elapsed < 0:
        return Outcome(FAIL, f"公开日期早于批复日期（{shown}），请核实日期")
    if elapsed > days:
        return Outcome(FAIL, f"批复后第 {elapsed} 日才公开，超过 {days} 日的期限（{shown}；{basis}）")
    return Outcome(PASS, f"批复后第 {elapsed} 日公开（{shown}）")


_COVER_OWNER_KEYS = ("预算单位", "预算部门", "编制单位", "编制部门", "单位名称", "部门名称")


def _cover_owner(disclosure: Disclosure) -> str:
    """The unit named on the cover under the title ("预算单位：…"), as the importer kept it in ``meta``."""
    return "".join(normalize(disclosure.meta.get(f"info.{key}", "")) for key in _COVER_OWNER_KEYS)


def check_title(subject: Subject, args: dict[str, Any]) -> Outcome:
    d = subject.disclosure
    title = normalize(d.title)
    if not title:
        return Outcome(FAIL, "没有封面标题")
    missing = [what for what, ok in (
        (f"预算年度 {d.fiscal_year}", str(d.fiscal_year) in title),
        (f"单位名称“{d.unit_name}”", not d.unit_name or normalize(d.unit_name) in title + _cover_owner(d)),
        ("“预算”或“决算”", "预算" in title or "决算" in title),
    ) if not ok]
    if missing:
        return Outcome(FAIL, f"封面标题“{title}”缺少{'、'.join(missing)}")
    return Outcome(PASS)


def check_contents(subject: Subject, args: dict[str, Any]) -> Outcome:
    if subject.disclosure.contents:
        return Outcome(PASS)
    if subject.disclosure.template not in available_templates():  # as CMP-CONTENTS: a note, not a failure
        return Outcome(UNKNOWN, "没有目录（附表清单）；地区未知，财预〔2016〕143号未规定目录，不评分")
    return Outcome(FAIL, "没有目录（附表清单）")


def _part(disclosure: Disclosure, which: Any) -> Any:
    if isinstance(which, int):
        return disclosure.part(which)
    words = str(which)
    return next((p for p in disclosure.parts if words in normalize(p.title)), None)


def check_part(subject: Subject, args: dict[str, Any]) -> Outcome:
    which = args.get("value", args.get("part"))
    part = _part(subject.disclosure, which)
    label = part_label(which, "") if isinstance(which, int) else f"“{which}”部分"
    if part is None:
        return Outcome(FAIL, f"缺少{label}")
    if not normalize(part.text):
        return Outcome(FAIL, f"{label}没有内容")
    return Outcome(PASS)


def _standard_keys(args: dict[str, Any]) -> set[str]:
    value = args.get("standard") or ()
    return {value} if isinstance(value, str) else {str(v) for v in value}


def _names(heading: str, pattern: re.Pattern[str] | None, standard: set[str]) -> bool:
    """Whether a part title or section heading is the one looked for: its words, or the standard part
    (``narrative-parts.yaml``) it names under its local name."""
    if not heading:
        return False
    if pattern is not None and pattern.search(heading):
        return True
    named = standard_part(heading) if standard else None
    return named is not None and named.key in standard


def check_section(subject: Subject, args: dict[str, Any]) -> Outcome:
    """A section (or a part) whose heading matches ``heading`` (a regular expression) or names one of the
    ``standard`` parts, with content. An empty one (a heading of the contents) fails only when no other has
    content."""
    words = str(args.get("heading", ""))
    pattern = re.compile(words) if words else None
    standard = _standard_keys(args)
    which = args.get("part")
    parts = [_part(subject.disclosure, which)] if which is not None else list(subject.disclosure.parts)
    empty: str | None = None
    for part in parts:
        if part is None:
            continue
        if which is None and _names(normalize(part.title), pattern, standard):
            if normalize(part.text):
                return Outcome(PASS)
            empty = empty or f"“{normalize(part.title)}”没有内容"
        for section in part.sections:
            if _names(normalize(section.heading), pattern, standard):
                if any(normalize(p) for p in section.paragraphs):
                    return Outcome(PASS)
                empty = empty or f"“{normalize(section.heading)}”一节没有内容"
    published_as_table = _published_as_table(subject, args.get("or_table"))
    if published_as_table is not None:
        return published_as_table
    if empty is not None:
        return Outcome(FAIL, empty)
    where = part_label(which, "") if isinstance(which, int) else "说明"
    wanted = words.replace("|", "”或“") or "、".join(sorted(standard))
    return Outcome(FAIL, f"{where}中没有“{wanted}”的内容")


def _published_as_table(subject: Subject, titles: Any) -> Outcome | None:
    """The content of a section published as a table instead (``or_table``: a title pattern, 项目支出绩效目标表 for
    the 绩效目标 of the projects): the table with rows passes; listed in the contents of a 说明 whose tables another
    file publishes, it is 未提供."""
    if not titles:
        return None
    if any(t.rows for t in find_tables(subject.disclosure, title=str(titles))):
        return Outcome(PASS, "以表格公开")
    pattern = re.compile(str(titles))
    elsewhere = subject.elsewhere
    listed = any(pattern.search(entry) for entry in subject.disclosure.contents)
    if elsewhere is not None and "table" in elsewhere.kinds and listed:
        return Outcome(UNKNOWN, elsewhere.message)
    return None


def check_table(subject: Subject, args: dict[str, Any]) -> Outcome:
    tables = find_tables(subject.disclosure, args.get("id"), args.get("title"), args.get("role"))
    if tables:
        return Outcome(PASS)
    role = args.get("role")
    template = subject.disclosure.template
    if role and template in available_templates() and Role(role) not in load_template(template).required.tables:
        return Outcome(PASS, f"本地区公开模板（{template}）不单列此表")
    if role and template not in available_templates() and Role(role) not in minimum_required():
        return Outcome(PASS, "地区未知：财预〔2016〕143号所列八张表不含此表")
    within = [t for t in subject.disclosure.tables if role and t.rows and Role(role) in roles_within(t.title)]
    if within:  # 深圳's 一般公共预算支出表（按经济分类） has the 基本支出 by 经济分类 款
        return Outcome(PASS, f"其内容在“{within[0].title}”中公开")
    return Outcome(FAIL, f"缺少{_table_name(args)}")


def check_project_groups(subject: Subject, args: dict[str, Any]) -> Outcome:
    """第三部分（四）: 项目支出 stated and explained group by group, each with its amount and use."""
    items = [(p, qs) for p, qs in paragraph_quantities(subject.disclosure, subject.ctx) if p.part == 3]
    for index, (paragraph, qs) in enumerate(items):
        figures = [q for q in qs if q.role == "current" and not q.threshold]
        if not figures or figures[0].key != "expenditure.project":
            continue  # the paragraph about 项目支出 starts with it: "（四）项目支出 X 万元，…"
        if figures[0].value == 0:
            return Outcome(PASS)
        if not _GROUPS_LEAD.search(paragraph.text):
            if _PURPOSE.search(paragraph.text[figures[0].end:]):
                return Outcome(PASS)
            return Outcome(FAIL, "第三部分只给出项目支出总额，未按项目类别说明金额和用途")
        groups = []
        for following, fqs in items[index + 1:]:
            if following.section != paragraph.section or not fqs or fqs[0].start > 40 \
                    or _ENUMERATED.match(following.text):
                break
            groups.append(following)
        if not groups:
            return Outcome(FAIL, "第三部分只给出项目支出总额，未按项目类别说明金额和用途")
        vague = [g.text[:12] for g in groups if not _PURPOSE.search(g.text)]
        if vague:
            return Outcome(FAIL, f"以下项目类别未说明用途：{'；'.join(vague)}")
        return Outcome(PASS)
    return Outcome(FAIL, "第三部分没有说明项目支出")


CHECKS: dict[str, Callable[[Subject, dict[str, Any]], Outcome]] = {
    "timeliness": check_timeliness,
    "title": check_title,
    "contents": check_contents,
    "part": check_part,
    "section": check_section,
    "table": check_table,
    "project_groups": check_project_groups,
}


_NARRATIVE_CHECKS = frozenset({"title", "contents", "part", "section", "project_groups", "change_reasons"})
_TABLE_CHECKS = frozenset({"table", "detail", "empty_notes"})
_TARGET_ROLES = frozenset({Role.PROJECT_TARGETS, Role.DEPARTMENT_TARGETS, Role.PERFORMANCE_PROJECTS})


def _table_role(table: Table, ctx: RuleContext | None) -> Role | None:
    return (ctx.settings.role_of(table.id) if ctx is not None else None) or role_by_title(table.title)


def _has_text(disclosure: Disclosure) -> bool:
    """Paragraphs of narrative, not only a heading read off a table page (整体绩效目标 over a table)."""
    return any(p.strip() for part in disclosure.parts for section in part.sections for p in section.paragraphs)


_TABLES_HALF = re.compile(r"附件\s*[2二]|报表|[预决]算表(?:$|\.)")  # …部门预算报表, …部门预算表(.pdf)
_NARRATIVE_PART = re.compile(r"^第\s*[一二三四五六七八九十\d]+\s*部分(?!.*表)")  # 第一部分 部门概况, not …预算报表
_TABLES_HALF_NOTE = "说明部分（封面、目录、情况说明）另文公开，未随本文件提供，未审查；请用 --together 与之一并审查"


def tables_file(disclosure: Disclosure, ctx: RuleContext | None) -> bool:
    """Whether a file of tables without narrative text is, by what it is made of, the 报表 of a disclosure
    published as two files: it prints no title of its own (it starts with its first table — no cover, no title
    page; ``UNTITLED``), no part heading of a 说明 (第一部分 部门概况), and every table its locality requires (its
    template's, else the 财预〔2016〕143号 minimum). A document that has a cover of its own, or lacks a required
    table, is judged as a whole: its missing 说明 fails."""
    if not disclosure.meta.get(UNTITLED) or any(_NARRATIVE_PART.match(normalize(p.title)) for p in disclosure.parts):
        return False
    if ctx is None:
        try:
            ctx = RuleContext(None, settings_of(disclosure))
        except SettingsError:
            return False
    return bool(ctx.settings.required.tables) and not absent_tables(disclosure, ctx)


def published_elsewhere(disclosure: Disclosure, ctx: RuleContext | None, attachment: str | None,
                        name: str = "", narrative_apart: bool = False) -> Elsewhere | None:
    """The part of the disclosure this file leaves to another: the 说明 of a file of tables only that says it is the
    报表 (北京's 附件2：…部门预算报表, in its title or file ``name``), whose contents list tables only
    (``TABLES_CONTENTS``), or that is one by what it is made of (``tables_file``: no title of its own, every required
    table) — these two ``inferred``, the tables of a 说明 that names them as its attachment
    (``attachment``), everything but the targets of a stand-alone 绩效目标表 file. Any other file of tables without
    a 说明 is judged whole (its missing 说明 fails), unless its locality publishes the two apart
    (``narrative_apart``, from its template)."""
    tables = [t for t in disclosure.tables if t.rows]
    if tables and not _has_text(disclosure):
        if {_table_role(t, ctx) for t in tables} <= _TARGET_ROLES:
            return Elsewhere(_NARRATIVE_CHECKS | _TABLE_CHECKS,
                             "本文件是单独公开的绩效目标表，部门预算的说明和各表另文公开，未随本文件提供，未审查")
        if narrative_apart or _TABLES_HALF.search(disclosure.title or "") or _TABLES_HALF.search(name):
            return Elsewhere(_NARRATIVE_CHECKS, f"本文件是报表部分，{_TABLES_HALF_NOTE}")
        if disclosure.meta.get(TABLES_CONTENTS):
            return Elsewhere(_NARRATIVE_CHECKS, f"本文件的目录只列表格，没有说明文字，是报表部分；{_TABLES_HALF_NOTE}",
                             inferred=True)
        if tables_file(disclosure, ctx):
            return Elsewhere(_NARRATIVE_CHECKS, "本文件没有封面标题和说明文字，要求公开的各表俱全，是报表部分；"
                                                f"{_TABLES_HALF_NOTE}", inferred=True)
        return None
    if not tables and attachment:
        return Elsewhere(_TABLE_CHECKS, f"报表另文公开（{attachment}），未随本文件提供，未审查；"
                                               "请用 --together 与之一并审查")
    return None


def half_note(disclosure: Disclosure) -> list[str]:
    """A file that is one half of a disclosure published in two (情况说明 + 报表) where nothing says the other half is
    published elsewhere (``published_elsewhere`` is None): say how to review both."""
    tables = any(t.rows for t in disclosure.tables)  # a title with nothing under it is no table
    text = _has_text(disclosure)
    if tables == text:
        return []
    half, other = ("报表", "说明") if tables else ("说明", "报表")
    return [f"本文件只有{half}部分，没有{other}部分；如{other}另文公开，请用 --together 与之一并审查"]


def run_check(subject: Subject, check: Check) -> Outcome:
    return CHECKS[check.kind](subject, check.args)
