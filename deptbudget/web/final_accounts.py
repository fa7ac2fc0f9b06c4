"""Published final accounts (部门决算) in the web system, independent of HTTP: a final-accounts source
(YAML, docs/final-accounts.md) uploaded by the finance bureau for a published budget is read against that
budget's published version (the budget it closes: its ``budget:`` file name is not read), checked, and stored as
``PublishedFinal``; the portal then shows the budget against its final accounts, computed by
``compute.comparison`` from the two published disclosures and the source."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deptbudget.compute.comparison import Comparison, ComparisonError, compare
from deptbudget.model.final_actuals import FinalAccounts
from deptbudget.model.serialize import dumps, loads
from deptbudget.rules import Severity, run_rules
from deptbudget.sources.errors import SourceError
from deptbudget.store.documents import parse_document
from deptbudget.store.models import Budget, PublishedFinal, PublishedVersion, User, utcnow
from deptbudget.template import TemplateError
from deptbudget.web import services
from deptbudget.web import workflow as wf

FINAL_SUFFIXES = (".yaml", ".yml")


def read_final(version: PublishedVersion, text: str, filename: str) -> FinalAccounts:
    """The final-accounts source read against the published budget version it closes (``SourceError``)."""
    from deptbudget.sources.final_source import parse_final

    budget = parse_document(version.source, version.source_format,
                            f"{version.unit_name}-{version.fiscal_year}.{version.source_format}")
    return parse_final(text, filename, budget=budget)


def publish_final(session: Session, budget: Budget, user: User, filename: str, data: bytes,
                  workflow: wf.Workflow) -> PublishedFinal:
    """Check the uploaded final accounts of a published budget and publish them (the caller commits).
    ``Forbidden`` for anyone but the role that publishes budgets; ``Refused`` with the problems or the error
    findings when they cannot be published."""
    if user.role != workflow.publish_role or not wf.can_view(user, budget):
        raise services.Forbidden("只有财政局可以公开部门决算。")
    version = session.scalar(select(PublishedVersion).where(PublishedVersion.budget_id == budget.id)
                             .order_by(PublishedVersion.number.desc()).limit(1))
    if version is None:
        raise services.Refused("这份预算尚未公开：先公开预算，再公开它的决算。")
    if Path(filename).suffix.lower() not in FINAL_SUFFIXES:
        raise services.Refused("请上传 YAML 格式的决算源文件（.yaml）。没有公开任何内容。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise services.Refused("文件不是 UTF-8 文本。没有公开任何内容。") from None
    from deptbudget.compute.final_disclosure import compute_final_disclosure

    try:
        accounts = read_final(version, text, filename)
        disclosure = compute_final_disclosure(accounts)
    except SourceError as exc:
        raise services.Refused("决算源文件有问题，没有公开：", problems=list(exc.problems)) from None
    except TemplateError as exc:
        raise services.Refused(f"无法生成决算公开文件：{exc}") from None
    errors = [f for f in run_rules(disclosure) if f.severity is Severity.ERROR]
    if errors:
        raise services.Refused("决算有错误，不能公开。", findings=errors)
    disclosure_json = dumps(disclosure)
    number = (session.scalar(select(func.max(PublishedFinal.number)).where(
        PublishedFinal.unit_id == budget.unit_id, PublishedFinal.fiscal_year == budget.fiscal_year)) or 0) + 1
    digest = hashlib.sha256(f"source {services.sha256(data)}\ndisclosure "
                            f"{services.sha256(disclosure_json.encode('utf-8'))}\n".encode()).hexdigest()
    final = PublishedFinal(unit_id=budget.unit_id, fiscal_year=budget.fiscal_year, number=number,
                           budget_version_id=version.id, title=disclosure.title, published_at=utcnow(),
                           published_by=user.username, source=text, disclosure_json=disclosure_json,
                           content_hash=digest)
    session.add(final)
    session.flush()
    services.audit(session, budget, user, "publish-final", f"公开决算 第 {number} 版（关闭预算第 {version.number} 版）",
                   "", digest, filename)
    return final


def comparison_of(session: Session, final: PublishedFinal) -> Comparison:
    """The budget version the final accounts close against them (``ComparisonError``, ``SourceError``)."""
    version = session.get(PublishedVersion, final.budget_version_id)
    assert version is not None
    accounts = read_final(version, final.source, f"{version.unit_name}-{final.fiscal_year}-决算.yaml")
    return compare(loads(version.disclosure_json), loads(final.disclosure_json), accounts)


__all__ = ["ComparisonError", "comparison_of", "publish_final", "read_final"]
