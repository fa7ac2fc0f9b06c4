"""What the web system does to budgets, independent of HTTP: check, save (optimistic locking,
audit), submit, approve, send back, publish (immutable version with hashes), reopen.

Every operation takes the expected ``version`` the person saw; if the budget changed since,
``ConflictError`` is raised and nothing is written. Every change writes audit entries in the
same transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deptbudget.model.budget import Budget as SourceBudget
from deptbudget.model.disclosure import Disclosure
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.schema import DEFAULT_TEMPLATE
from deptbudget.store.documents import (
    DocumentParts,
    diff_documents,
    dump_document,
    dump_parts,
    load_document,
    parse_document,
    share_unchanged,
)
from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_DEPT,
    ROLE_FINANCE,
    ROLE_PREPARER,
    AuditEntry,
    Budget,
    PublishedFile,
    PublishedVersion,
    Unit,
    User,
    utcnow,
)
from deptbudget.web import forms, times
from deptbudget.web import workflow as wf
from deptbudget.web.cache import LRUCache

MAX_AUDIT_CHANGES = 200  # per operation; beyond that one summary entry


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class ConflictError(ServiceError):
    status = 409


class Forbidden(ServiceError):
    status = 403


class Refused(ServiceError):
    """The operation is not possible in this state or with these findings."""

    status = 422

    def __init__(self, message: str, problems: list[Problem] | None = None,
                 findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.findings = findings or []


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A rule finding, as shown (``source_paths``: budget source places it concerns, if known)."""

    rule: str
    severity: str  # error | warning | note
    table: str = ""
    row: str = ""
    column: str = ""
    expected: str = ""
    actual: str = ""
    message: str = ""
    source_paths: tuple[str, ...] = ()


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)  # source errors (cannot compute)
    findings: list[Finding] = field(default_factory=list)
    budget: SourceBudget | None = None
    disclosure: Disclosure | None = None
    failure: str = ""  # the computation failed for another reason
    computed: bool = False  # the disclosure could be computed (``disclosure`` itself may not be kept)

    @property
    def previewable(self) -> bool:
        return self.disclosure is not None or self.computed

    def summary(self) -> dict[str, Any]:
        """What a page and a submission need of the result, as JSON-able data (no budget, no
        disclosure): what a background check sends back and stores."""
        return {"problems": [[p.file, p.place, p.message, p.line] for p in self.problems],
                "findings": [{**f.__dict__, "source_paths": list(f.source_paths)} for f in self.findings],
                "failure": self.failure, "computed": self.previewable}

    @classmethod
    def from_summary(cls, data: dict[str, Any]) -> CheckResult:
        return cls(problems=[Problem(*p) for p in data.get("problems", [])],
                   findings=[Finding(**{**f, "source_paths": tuple(f.get("source_paths", ()))})
                             for f in data.get("findings", [])],
                   failure=str(data.get("failure", "")), computed=bool(data.get("computed")))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.errors and not self.failure


def _rules_runner() -> Callable[..., Any] | None:
    try:
        from deptbudget.rules import run_rules  # type: ignore[attr-defined]
    except ImportError:
        return None
    return run_rules


def _cell_sources(disclosure: Disclosure, table: str, row: str, column: str) -> tuple[str, ...]:
    """Budget source paths behind a finding's table/row/column, found through the provenance
    (``Cell.sources``) of the disclosure: the cell, else its row, else the project of a per-project
    table (表15 "项目名 / 栏目")."""
    tables = [t for t in disclosure.tables if table in (t.id, f"表{t.number}", t.number, t.title)]
    instance, _, row_part = row.partition(" / ") if " / " in row else ("", "", row)
    if instance:
        named = [t for t in tables if any(c.text.strip() == instance.strip() for r in t.rows[:2]
                                          for c in r.cells.values())]
        tables = named or tables
    found: list[str] = []
    for t in tables:
        for r in t.rows:
            labels = {r.key} | {c.text.strip() for c in r.cells.values()}
            if row_part not in labels:
                continue
            keys = [k for k in r.cells if k == column or (t.column(k) and t.column(k).label == column)]
            for key in keys or list(r.cells):
                found.extend(r.cells[key].sources)
        if not found and instance:
            for r in t.rows[:1]:
                for c in r.cells.values():
                    found.extend(c.sources)
    return tuple(dict.fromkeys(found))[:3]


def _finding(raw: Any, disclosure: Disclosure) -> Finding:
    get = raw.get if isinstance(raw, dict) else (lambda k, d="": getattr(raw, k, d))
    severity = str(get("severity", "error") or "error")
    severity = getattr(severity, "value", severity)
    table, row, column = (str(get(k, "") or "") for k in ("table", "row", "column"))
    rule = get("rule", "")
    rule = getattr(rule, "id", rule)
    return Finding(rule=str(rule), severity=str(severity).lower(), table=table, row=row, column=column,
                   expected=str(get("expected", "") or ""), actual=str(get("actual", "") or ""),
                   message=str(get("message", "") or ""),
                   source_paths=_cell_sources(disclosure, table, row, column))


def run_rules(budget: SourceBudget, disclosure: Disclosure) -> list[Finding]:
    runner = _rules_runner()
    if runner is None:
        return []
    raw = runner(disclosure)
    return [_finding(item, disclosure) for item in raw]


CHECK_CACHE: LRUCache[tuple[str, str], CheckResult] = LRUCache(8)  # a Budget and a Disclosure each: a few MB
# Results without the Budget and the Disclosure (``CheckResult.summary``), as the background check
# sends them back: a few KB each, so many budgets' results are kept.
SUMMARY_CACHE: LRUCache[tuple[str, str], CheckResult] = LRUCache(1024)


# The SHA-256 of the sources in hand, by the text object (kept, so its id is not reused): a save asks
# for the digest of the same text half a dozen times (its document, its parts, its check).
_DIGESTS: LRUCache[int, tuple[str, str]] = LRUCache(64)


def source_key(text: str, fmt: str) -> tuple[str, str]:
    """What a check result is kept by: the format and the SHA-256 of the source text."""
    known = _DIGESTS.get(id(text))
    if known is not None and known[0] is text:
        return fmt, known[1]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _DIGESTS.put(id(text), (text, digest))
    return fmt, digest


def check_source(text: str, fmt: str = "yaml", filename: str = "预算源文件") -> CheckResult:
    """Load, compute and run the rules. Cached by content (the source is all it depends on)."""
    return CHECK_CACHE.get_or_make(source_key(text, fmt), lambda: _check(text, fmt, filename))


def check_summary(text: str, fmt: str, filename: str) -> dict[str, Any]:
    """The full check as JSON-able data: what the background check runs in its worker process."""
    return check_source(text, fmt, filename).summary()


def known_check(text: str, fmt: str) -> CheckResult | None:
    """The result of the check of this very source if one was made (here or in the background),
    else None: never computes."""
    key = source_key(text, fmt)
    found, result = CHECK_CACHE.lookup(key)
    if found:
        return result
    return SUMMARY_CACHE.get(key)


def remember_check(text: str, fmt: str, summary: dict[str, Any]) -> CheckResult:
    result = CheckResult.from_summary(summary)
    SUMMARY_CACHE.put(source_key(text, fmt), result)
    return result


def _check(text: str, fmt: str, filename: str) -> CheckResult:
    result = CheckResult()
    try:
        result.budget = parse_document(text, fmt, filename)
    except SourceError as exc:
        result.problems = list(exc.problems)
    if result.budget is not None:
        from deptbudget.compute.disclosure import compute_disclosure

        try:
            result.disclosure = compute_disclosure(result.budget)
        except Exception as exc:  # a template error or a bug must show, not crash the page
            result.failure = f"无法生成公开文件：{exc}"
        if result.disclosure is not None:
            try:
                result.findings = run_rules(result.budget, result.disclosure)
            except Exception as exc:
                result.failure = f"规则检查失败：{exc}"
    return result


def source_filename(budget: Budget) -> str:
    return f"{budget.unit.name}-{budget.fiscal_year}.{budget.source_format}"


def check_budget(budget: Budget) -> CheckResult:
    return check_source(budget.source, budget.source_format, source_filename(budget))


def current_check(budget: Budget) -> CheckResult:
    """The check of the budget's current source: the one made in the background after the last
    save when there is one, else made now (a submission needs a full, current check)."""
    return known_check(budget.source, budget.source_format) or check_budget(budget)


# --- audit --------------------------------------------------------------------------------------


def audit(session: Session, budget: Budget | None, user: User | None, action: str, what: str = "",
          old: str = "", new: str = "", comment: str = "") -> AuditEntry:
    entry = AuditEntry(budget_id=budget.id if budget is not None else None, at=utcnow(),
                       username=user.username if user else "system", role=user.role if user else "",
                       action=action, what=what[:300], old=old, new=new, comment=comment)
    session.add(entry)
    return entry


def audit_entries(session: Session, budget: Budget, limit: int = 500) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.budget_id == budget.id)
                                .order_by(AuditEntry.id.desc()).limit(limit)))


# --- saving -------------------------------------------------------------------------------------


def expect_version(current: int, expected: int | None, conflict: Callable[[], str]) -> None:
    """The version check of every form (optimistic locking): ``expected`` is the version the person
    saw (None: not given); when the record has changed since, ``ConflictError(conflict())``."""
    if expected is not None and expected != current:
        raise ConflictError(conflict())


def _expect(budget: Budget, expected_version: int | None) -> None:
    expect_version(budget.version, expected_version, lambda: (
        f"保存冲突：您打开之后，{budget.updated_by or '他人'} 已于 {times.stamp(budget.updated_at)} "
        f"修改了这份预算（您看到的是第 {expected_version} 版，现在是第 {budget.version} 版）。"
        "您的修改没有保存，也没有丢失：请对照最新内容后重新提交。"))


def _touch(budget: Budget, user: User) -> None:
    budget.updated_at = utcnow()
    budget.updated_by = user.username


def save_source(session: Session, budget: Budget, user: User, text: str, fmt: str, expected_version: int | None,
                action: str = "edit", comment: str = "", old_doc: Any = None, new_doc: Any = None) -> list[Any]:
    """Replace the working copy's source document; audit every changed field. Returns the changes.
    ``old_doc``/``new_doc``: the parsed documents when the caller has them already."""
    if not wf.can_edit(user, budget):
        raise Forbidden("只有本单位的填报人可以修改，且只能在“草稿”状态下修改。")
    _expect(budget, expected_version)
    if fmt not in ("yaml", "json"):
        raise Refused(f"不支持的源文件格式 {fmt}")
    if old_doc is None:
        try:
            old_doc = document_of(budget)
        except SourceError:
            old_doc = budget.source
    if new_doc is None:
        try:
            new_doc = load_document(text, fmt)
        except SourceError:
            new_doc = text
    if isinstance(old_doc, dict) and isinstance(new_doc, dict):
        changes = diff_documents(old_doc, new_doc)
    else:
        changes = [] if old_doc == new_doc else [_WholeChange(budget.source, text)]
    if not changes and budget.source_format == fmt:
        return []
    budget.source, budget.source_format = text, fmt
    if isinstance(new_doc, dict):  # the document of the text (a dump loads back as the same values)
        DOC_CACHE.put(source_key(text, fmt), new_doc)
    _touch(budget, user)
    for change in changes[:MAX_AUDIT_CHANGES]:
        audit(session, budget, user, action, change.path, change.old, change.new, comment)
    if len(changes) > MAX_AUDIT_CHANGES:
        audit(session, budget, user, action, "…", "", f"另有 {len(changes) - MAX_AUDIT_CHANGES} 处修改", comment)
    if not changes:
        audit(session, budget, user, action, "格式", "", fmt, comment)
    session.flush()
    return changes


@dataclass(frozen=True)
class _WholeChange:
    old: str
    new: str
    path: str = "(整个源文件)"


def save_document(session: Session, budget: Budget, user: User, data: dict[str, Any],
                  expected_version: int | None, action: str = "edit", comment: str = "",
                  old_doc: dict[str, Any] | None = None) -> list[Any]:
    """``save_source`` of the document written as the budget's format. A YAML source written here
    is kept by parts (``PARTS_CACHE``): the next save writes again only the parts it changed."""
    fmt = budget.source_format
    if old_doc is not None:
        data = share_unchanged(old_doc, data)
    if fmt != "yaml":
        return save_source(session, budget, user, dump_document(data, fmt), fmt, expected_version, action, comment,
                           old_doc=old_doc, new_doc=data)
    parts = dump_parts(data, PARTS_CACHE.get(source_key(budget.source, fmt)))
    text = parts.text
    changes = save_source(session, budget, user, text, fmt, expected_version, action, comment, old_doc=old_doc,
                          new_doc=data)
    if changes:
        PARTS_CACHE.put(source_key(text, fmt), parts)
    return changes


# Parsed source documents by source (format, SHA-256): a save, the form and the budget page of the
# same source parse it once (≈ 15 ms for the example). Shared: never change a document from here.
DOC_CACHE: LRUCache[tuple[str, str], dict[str, Any]] = LRUCache(64)
# The text of the YAML sources written by ``save_document``, by parts, by source (format, SHA-256);
# for a source the forms have not written yet, the parts of the document as they will write it
# (``prepare_parts``). Either way only texts of values are taken from it (``dump_parts``).
PARTS_CACHE: LRUCache[tuple[str, str], DocumentParts] = LRUCache(64)


def parts_wanted(text: str, fmt: str) -> bool:
    """Whether ``prepare_parts`` has anything to do: a YAML source whose parts are not kept yet."""
    return fmt == "yaml" and PARTS_CACHE.get(source_key(text, fmt)) is None


def prepare_parts(text: str, fmt: str) -> None:
    """The parts of a YAML source's document (``PARTS_CACHE``) made now, when its edit form is opened,
    so that its first save writes only what it changed instead of the whole document (≈ 11 ms for the
    example). A document the forms write differently (one written by hand: ``forms.as_written``) has
    the parts of the document as they will write it, so that the first save does not write again
    every part the forms' layout changes (≈ 13 ms more for the example). A source kept already, or
    one that does not parse, is left alone."""
    if not parts_wanted(text, fmt):
        return
    key = source_key(text, fmt)
    try:
        doc = DOC_CACHE.get_or_make(key, lambda: load_document(text, fmt))
    except SourceError:
        return
    parts = dump_parts(doc)
    try:
        parts = dump_parts(forms.as_written(doc), parts)
    except Exception:  # a document the forms cannot lay out (their page says so): its own parts
        pass
    PARTS_CACHE.put(key, parts)


def document_of(budget: Budget) -> dict[str, Any]:
    """The working copy as a document; a source with a syntax error cannot be edited by form
    (``SourceError``)."""
    text, fmt = budget.source, budget.source_format
    return DOC_CACHE.get_or_make(source_key(text, fmt), lambda: load_document(text, fmt))


# --- listing and creating -----------------------------------------------------------------------


def visible_budgets(db: Session, user: User) -> list[Budget]:
    """The budgets a person may see, newest year first."""
    query = select(Budget).join(Unit)
    if user.role == ROLE_PREPARER:
        query = query.where(Budget.unit_id == (user.unit_id or -1))
    elif user.role == ROLE_DEPT:
        query = query.where(Unit.department_id == (user.department_id or -1))
    elif user.role not in (ROLE_ADMIN, ROLE_FINANCE):
        return []
    return list(db.scalars(query.order_by(Budget.fiscal_year.desc(), Unit.code)))


def empty_source(unit: Unit, year: int) -> str:
    return dump_document({"fiscal_year": year, "template": DEFAULT_TEMPLATE,
                          "unit": {"name": unit.name, "agency_code": unit.code},
                          "income": {}, "basic": [], "projects": []})


def create_budget(session: Session, unit: Unit, year: int, user: User, source: str | None = None,
                  fmt: str = "yaml") -> Budget:
    if not wf.can_create(user) or (user.role == "preparer" and user.unit_id != unit.id):
        raise Forbidden("无权为该单位新建预算。")
    if not 1990 <= year <= 2100:
        raise Refused("预算年度应为四位年份。")
    exists = session.scalar(select(Budget).where(Budget.unit_id == unit.id, Budget.fiscal_year == year))
    if exists is not None:
        raise Refused(f"{unit.name} {year} 年的预算已存在。")
    budget = Budget(unit=unit, unit_id=unit.id, fiscal_year=year, source=source or empty_source(unit, year),
                    source_format=fmt, state=wf.DRAFT, step=0, updated_by=user.username, updated_at=utcnow())
    session.add(budget)
    session.flush()
    audit(session, budget, user, "create", "预算", "", f"{unit.name} {year} 年")
    return budget


# --- transitions --------------------------------------------------------------------------------


def _state_change(session: Session, budget: Budget, user: User, workflow: wf.Workflow, action: str,
                  comment: str, change: Callable[[], None]) -> None:
    old = workflow.label(budget)
    change()
    _touch(budget, user)
    audit(session, budget, user, action, "状态", old, workflow.label(budget), comment)
    session.flush()


def submit(session: Session, budget: Budget, user: User, expected_version: int | None, explanation: str = "",
           workflow: wf.Workflow | None = None) -> CheckResult:
    workflow = workflow or wf.load_workflow()
    if not wf.can_submit(user, budget):
        raise Forbidden("只有本单位的填报人可以在“草稿”状态下提交。")
    _expect(budget, expected_version)
    result = current_check(budget)
    if result.problems:
        raise Refused(f"预算源数据有 {len(result.problems)} 处错误，不能提交：请先改正。", problems=result.problems)
    if result.failure:
        raise Refused(result.failure)
    if result.errors:
        raise Refused(f"规则检查发现 {len(result.errors)} 个错误，不能提交：请先改正。", findings=result.errors)
    explanation = explanation.strip()
    if result.warnings and not explanation:
        raise Refused(f"规则检查发现 {len(result.warnings)} 个警告：提交前请填写书面说明。", findings=result.warnings)

    def change() -> None:
        budget.state, budget.step, budget.explanation = wf.REVIEW, 0, explanation

    _state_change(session, budget, user, workflow, "submit", explanation, change)
    return result


def approve(session: Session, budget: Budget, user: User, expected_version: int | None, comment: str = "",
            workflow: wf.Workflow | None = None) -> None:
    workflow = workflow or wf.load_workflow()
    step = workflow.current_step(budget)
    if step is None or not wf.can_decide(user, budget, workflow):
        raise Forbidden("当前不是您的审核步骤。")
    _expect(budget, expected_version)

    def change() -> None:
        if budget.step + 1 >= len(workflow.steps):
            budget.state = wf.APPROVED
        budget.step += 1

    _state_change(session, budget, user, workflow, "approve", f"{step.name}：{comment.strip()}".rstrip("："), change)


def send_back(session: Session, budget: Budget, user: User, expected_version: int | None, comment: str,
              workflow: wf.Workflow | None = None) -> None:
    workflow = workflow or wf.load_workflow()
    step = workflow.current_step(budget)
    if step is None or not wf.can_decide(user, budget, workflow):
        raise Forbidden("当前不是您的审核步骤。")
    _expect(budget, expected_version)
    if not comment.strip():
        raise Refused("退回时必须填写退回意见。")

    def change() -> None:
        budget.state, budget.step = wf.DRAFT, 0

    _state_change(session, budget, user, workflow, "return", f"{step.name}退回：{comment.strip()}", change)


def reopen(session: Session, budget: Budget, user: User, expected_version: int | None, reason: str,
           workflow: wf.Workflow | None = None) -> None:
    """A published budget back to 草稿 for a correction; the published versions stay as they are."""
    workflow = workflow or wf.load_workflow()
    if not wf.can_correct(user, budget, workflow):
        raise Forbidden("无权发起更正。")
    _expect(budget, expected_version)
    if not reason.strip():
        raise Refused("发起更正时必须填写更正原因。")

    def change() -> None:
        budget.state, budget.step, budget.explanation = wf.DRAFT, 0, ""

    _state_change(session, budget, user, workflow, "reopen", f"更正：{reason.strip()}", change)


# --- publishing ---------------------------------------------------------------------------------

MEDIA = {
    "html": ("index.html", "text/html; charset=utf-8"),
    "xlsx": ("tables.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("budget.pdf", "application/pdf"),
    "docx": ("budget.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "json": ("disclosure.json", "application/json"),
}


def render_outputs(disclosure: Disclosure) -> dict[str, bytes]:
    """Every published format that this installation can render."""
    from deptbudget.render.html import render_html
    from deptbudget.render.json_render import write_json
    from deptbudget.render.xlsx import write_xlsx

    try:
        from deptbudget.render.charts import chart_svgs

        charts = chart_svgs(disclosure)
    except ImportError:
        charts = []
    writers: dict[str, Callable[[Disclosure, Path], Any]] = {"xlsx": write_xlsx, "json": write_json}
    try:
        from deptbudget.render.pdf import write_pdf

        writers["pdf"] = write_pdf
    except ImportError:
        pass
    try:
        from deptbudget.render.docx_render import write_docx  # type: ignore[import-not-found]

        writers["docx"] = write_docx
    except ImportError:
        pass
    out = {"html": render_html(disclosure, charts).encode("utf-8")}
    with tempfile.TemporaryDirectory(prefix="deptbudget-publish-") as tmp:
        for fmt, writer in writers.items():
            target = Path(tmp) / MEDIA[fmt][0]
            writer(disclosure, target)
            out[fmt] = target.read_bytes()
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(source: str, disclosure_json: str, files: dict[str, str]) -> str:
    """The text whose SHA-256 is a version's content hash: one line per part, sorted by format."""
    lines = [f"source {sha256(source.encode('utf-8'))}", f"disclosure {sha256(disclosure_json.encode('utf-8'))}"]
    lines += [f"{fmt} {digest}" for fmt, digest in sorted(files.items())]
    return "\n".join(lines) + "\n"


def search_text(disclosure: Disclosure, budget: SourceBudget, department: str) -> str:
    parts = [disclosure.title, disclosure.unit_name, department]
    parts += [part.title + "\n" + part.text for part in disclosure.parts]
    parts += [f"{p.pro_code} {p.pro_name} {p.purpose}" for p in budget.projects]
    return "\n".join(parts)


def figures_json(disclosure: Disclosure) -> str:
    return json.dumps({k: {"value": f"{f.value:f}", "text": f.text, "unit": f.unit}
                       for k, f in disclosure.figures.items()}, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Publication:
    """What publishing a source makes, computed and rendered away from the database
    (``build_publication``, in a background worker process) and stored by ``store_publication``.
    ``outputs`` is empty when the source cannot be published; ``check`` says why."""

    source_sha256: str
    check: dict[str, Any]  # CheckResult.summary()
    title: str = ""
    disclosure_json: str = ""
    figures_json: str = ""
    search_text: str = ""
    outputs: dict[str, bytes] = field(default_factory=dict)


def build_publication(text: str, fmt: str, filename: str, department: str) -> Publication:
    """Check the source and, when it may be published, render every format."""
    from deptbudget.model.serialize import dumps

    result = check_source(text, fmt, filename)
    digest = source_key(text, fmt)[1]
    if not result.ok or result.disclosure is None or result.budget is None:
        return Publication(digest, result.summary())
    # the check is cached by content: the file name its disclosure records is the one of whoever checked first
    disclosure = dataclasses.replace(result.disclosure, meta={**result.disclosure.meta, "source": filename})
    return Publication(digest, result.summary(), title=disclosure.title, disclosure_json=dumps(disclosure),
                       figures_json=figures_json(disclosure),
                       search_text=search_text(disclosure, result.budget, department),
                       outputs=render_outputs(disclosure))


def publish_allowed(budget: Budget, user: User, expected_version: int | None, workflow: wf.Workflow) -> None:
    """Refuse (``Forbidden``, ``ConflictError``) a publication this person may not start now."""
    if budget.state == wf.PUBLISHED:  # e.g. the 公开 button clicked twice: the first click published it
        raise ConflictError("这份预算已经公开，不必再次公开（如果刚才点了两次“公开”，第一次已经完成）。"
                            "要修改已公开的预算，请使用“发起更正”。")
    if not wf.can_publish(user, budget, workflow):
        raise Forbidden("只有财政局可以公开已审核通过的预算。")
    _expect(budget, expected_version)


def store_publication(session: Session, budget: Budget, user: User, expected_version: int | None, note: str,
                      publication: Publication, workflow: wf.Workflow) -> PublishedVersion:
    """Write the version, its files, the state change and the audit entries (one transaction: the
    caller commits). Refused when the source it was made from is no longer the budget's."""
    publish_allowed(budget, user, expected_version, workflow)
    if publication.source_sha256 != source_key(budget.source, budget.source_format)[1]:
        raise ConflictError("公开期间预算源数据被修改，没有公开：请重新公开。")
    if not publication.outputs:
        check = CheckResult.from_summary(publication.check)
        raise Refused("预算数据有错误，不能公开。" + (check.failure or ""), problems=check.problems,
                      findings=check.errors)
    outputs = publication.outputs
    digests = {fmt: sha256(data) for fmt, data in outputs.items()}
    number = (session.scalar(select(func.max(PublishedVersion.number))
                             .where(PublishedVersion.budget_id == budget.id)) or 0) + 1
    version = PublishedVersion(
        budget_id=budget.id, unit_id=budget.unit_id, fiscal_year=budget.fiscal_year, number=number,
        title=publication.title, unit_name=budget.unit.name, department_name=budget.unit.department.name,
        published_at=utcnow(), published_by=user.username, note=note.strip(), source_format=budget.source_format,
        source=budget.source, disclosure_json=publication.disclosure_json, figures_json=publication.figures_json,
        search_text=publication.search_text,
        content_hash=sha256(manifest(budget.source, publication.disclosure_json, digests).encode("utf-8")),
    )
    session.add(version)
    session.flush()
    for fmt, data in outputs.items():
        filename, media = MEDIA[fmt]
        stem = f"{budget.fiscal_year}-{budget.unit.code}-v{number}"
        session.add(PublishedFile(version_id=version.id, format=fmt, filename=f"{stem}-{filename}",
                                  media_type=media, size=len(data), sha256=digests[fmt], content=data))

    def change() -> None:
        budget.state = wf.PUBLISHED

    _state_change(session, budget, user, workflow, "publish", note.strip() or f"第 {number} 版", change)
    audit(session, budget, user, "publish", f"公开版本 v{number}", "", version.content_hash, note.strip())
    return version


def publish(session: Session, budget: Budget, user: User, expected_version: int | None, note: str = "",
            workflow: wf.Workflow | None = None) -> PublishedVersion:
    """Publish at once, in this thread (the web system publishes as a background job: ``web.jobs``)."""
    workflow = workflow or wf.load_workflow()
    publish_allowed(budget, user, expected_version, workflow)
    publication = build_publication(budget.source, budget.source_format, source_filename(budget),
                                    budget.unit.department.name)
    return store_publication(session, budget, user, expected_version, note, publication, workflow)


def verify_version(session: Session, version: PublishedVersion) -> bool:
    """Recompute the content hash from the stored parts."""
    files = {f.format: sha256(f.content) for f in version.files}
    stored = {f.format: f.sha256 for f in version.files}
    if files != stored:
        return False
    return sha256(manifest(version.source, version.disclosure_json, files).encode("utf-8")) == version.content_hash
