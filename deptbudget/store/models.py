"""Tables of the web system (SQLAlchemy 2 declarative). The schema is created by the Alembic
migrations in ``deptbudget/store/migrations``; ``Base.metadata`` only describes it.

- ``departments`` (主管部门) own ``units`` (预算单位);
- ``users`` have one role; a 主管部门审核 user belongs to a department, a 预算单位填报 user to a unit;
- ``budgets``: one per unit × fiscal year, holding the *source document* (YAML or JSON text) of the
  working copy and a ``version`` counter for optimistic locking;
- ``published_versions`` + ``published_files``: immutable once written (ORM events and database
  triggers refuse UPDATE and DELETE), with SHA-256 hashes;
- ``published_finals``: published final accounts (部门决算) of a unit and year, each closing a published budget
  version (the portal compares them); immutable like published versions;
- ``audit_entries``: who did what, when, old → new;
- ``sessions``: server-side login sessions (the cookie holds only a random id);
- ``login_failures``: failed logins per account and per address (login throttling, shared by workers);
- ``performance_reports``: a budget's 绩效运行监控 and 绩效自评 — the entered values (the
  performance module's ``Actuals`` as JSON) and the submission status, with a ``version`` counter;
- ``key_evaluations``: projects the finance bureau picked for 重点绩效评价;
- ``published_search``: the portal's small row per published budget (its newest version's names, year,
  total and searched text), so that lists and search never read the disclosure JSON; written whenever a
  version is inserted (``index_published_version``), searched through SQLite FTS5 (trigram) or
  PostgreSQL ``pg_trgm`` (``deptbudget.store.search``);
- ``checklist_marks``: a reviewer's confirmations, overrides and added findings on the checklist
  (公开情况检查表) of a submitted budget; ``checklist_records``: the final checklist stored with
  each review decision (immutable, like published versions);
- ``jobs``: background jobs of the web system (a budget's full check after a save, publishing): kind,
  state (queued → running → done | failed), progress, the message of a failure and the result as JSON,
  so a restart of the server does not lose what became of them.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    insert,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from deptbudget.store.bigrams import grams


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


# Roles. The keys are stored; the labels are shown.
ROLE_ADMIN = "admin"
ROLE_FINANCE = "finance"
ROLE_DEPT = "dept"
ROLE_PREPARER = "preparer"
ROLES = {
    ROLE_ADMIN: "系统管理员",
    ROLE_FINANCE: "财政局审核",
    ROLE_DEPT: "主管部门审核",
    ROLE_PREPARER: "预算单位填报",
}


class Department(Base):
    """主管部门."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    units: Mapped[list[Unit]] = relationship(back_populates="department", order_by="Unit.code")


class Unit(Base):
    """预算单位."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    department: Mapped[Department] = relationship(back_populates="units")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # set by an administrator's password reset: the next login must choose a new password
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, default=utcnow)
    department: Mapped[Department | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def label(self) -> str:
        return self.display_name or self.username


class LoginSession(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie value
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """Failed logins counted per account or address (``web/login_throttle.py``), kept in the database
    so that every worker process shares them. Times are seconds since the epoch."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # 账户 <name> | 地址 <address>
    count: Mapped[int] = mapped_column(Integer, default=0)
    last: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)


class Budget(Base):
    """The working copy of one unit's budget for one year."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("unit_id", "fiscal_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(8), default="yaml")  # yaml | json
    source: Mapped[str] = mapped_column(Text, default="")
    # workflow: draft | review (step = index of the step awaiting a decision) | approved | published
    state: Mapped[str] = mapped_column(String(16), default="draft")
    step: Mapped[int] = mapped_column(Integer, default=0)
    explanation: Mapped[str] = mapped_column(Text, default="")  # 对警告的书面说明 at submission
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    unit: Mapped[Unit] = relationship()

    __mapper_args__ = {"version_id_col": version}


class PublishedVersion(Base):
    """An immutable published disclosure. ``number`` counts 1, 2, … per budget (corrections)."""

    __tablename__ = "published_versions"
    __table_args__ = (UniqueConstraint("budget_id", "number"),
                      Index("ix_published_year_unit", "fiscal_year", "unit_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    unit_name: Mapped[str] = mapped_column(String(200))
    department_name: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")  # 更正说明 for a correction
    source_format: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text)
    disclosure_json: Mapped[str] = mapped_column(Text)
    figures_json: Mapped[str] = mapped_column(Text)  # {key: {"value": "…", "text": "…", "unit": "…"}}
    search_text: Mapped[str] = mapped_column(Text)  # title + unit + narrative + project names
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the manifest (see publish.py)
    unit: Mapped[Unit] = relationship()
    files: Mapped[list[PublishedFile]] = relationship(order_by="PublishedFile.format", lazy="selectin")


class PublishedSearch(Base):
    """The newest published version of one budget as the portal lists and searches it: a small row
    without the source or the disclosure JSON. Replaced whenever a version of the budget is inserted
    (publication, correction); the full-text index over ``search_text`` is SQLite FTS5's
    ``published_search_fts`` (trigram tokenizer, kept by triggers) or PostgreSQL's GIN ``pg_trgm``
    index (migration ``0003_search``)."""

    __tablename__ = "published_search"
    __table_args__ = (Index("ix_published_search_list", "fiscal_year", "department_name", "unit_name"),  # year DESC
                      Index("ix_published_search_department", "department_code", "department_name"))
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), primary_key=True, autoincrement=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("published_versions.id"))
    number: Mapped[int] = mapped_column(Integer)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    unit_code: Mapped[str] = mapped_column(String(64))
    department_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    unit_name: Mapped[str] = mapped_column(String(200))
    department_name: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime)
    expenditure_total: Mapped[str] = mapped_column(String(40), default="")  # the figure's text (万元)
    search_text: Mapped[str] = mapped_column(Text, deferred=True)
    # its one- and two-character words (``bigrams.grams``), indexed by FTS5 ``published_search_grams`` or a
    # GIN index on ``string_to_array`` (migration ``0006_grams``)
    search_grams: Mapped[str] = mapped_column(Text, deferred=True, server_default="")


def search_row(version: Any, unit_code: str, department_code: str) -> dict[str, Any]:
    """The ``published_search`` row of a published version (an ORM object or a result row)."""
    figures = json.loads(version.figures_json or "{}")
    return {"budget_id": version.budget_id, "version_id": version.id, "number": version.number,
            "fiscal_year": version.fiscal_year, "unit_id": version.unit_id, "unit_code": unit_code,
            "department_code": department_code, "title": version.title, "unit_name": version.unit_name,
            "department_name": version.department_name, "published_at": version.published_at,
            "expenditure_total": figures.get("expenditure.total", {}).get("text", "")[:40],
            "search_text": version.search_text}


def replace_search_row(connection: Any, row: dict[str, Any], with_grams: bool = True) -> None:
    """Make ``row`` its budget's search row (a newer version replaces the older one's), with the grams
    of its text (``with_grams``: False only for the migration that made the table, before the column)."""
    table = PublishedSearch.__table__
    if with_grams:
        row = dict(row, search_grams=grams(row["search_text"]))
    current = connection.execute(select(table.c.number).where(table.c.budget_id == row["budget_id"])).scalar()
    if current is not None and current > row["number"]:
        return
    connection.execute(delete(table).where(table.c.budget_id == row["budget_id"]))
    connection.execute(insert(table).values(**row))


def index_published_version(_mapper: Any, connection: Any, version: PublishedVersion) -> None:
    """After a version is inserted: its budget's search row (ORM event; bulk inserts call
    ``replace_search_row`` themselves)."""
    codes = connection.execute(select(Unit.__table__.c.code, Department.__table__.c.code)
                               .join(Department.__table__, Department.__table__.c.id == Unit.__table__.c.department_id)
                               .where(Unit.__table__.c.id == version.unit_id)).one()
    replace_search_row(connection, search_row(version, codes[0], codes[1]))


class PublishedFile(Base):
    __tablename__ = "published_files"
    __table_args__ = (UniqueConstraint("version_id", "format"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("published_versions.id"))
    format: Mapped[str] = mapped_column(String(8))  # html | xlsx | pdf | docx | json
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class PublishedFinal(Base):
    """Published final accounts (部门决算) of a unit and year: the final-accounts source (YAML) and its
    disclosure, closing the published budget version ``budget_version_id`` (its 年初预算数 are that version's).
    ``number`` counts 1, 2, … per unit and year (a correction is a new row). Immutable."""

    __tablename__ = "published_finals"
    __table_args__ = (UniqueConstraint("unit_id", "fiscal_year", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    budget_version_id: Mapped[int] = mapped_column(ForeignKey("published_versions.id"))
    title: Mapped[str] = mapped_column(String(300))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    disclosure_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the source and the disclosure JSON


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(32))  # edit | upload | submit | approve | return | publish | …
    what: Mapped[str] = mapped_column(String(300), default="")  # e.g. basic[2].amount, 状态
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")


class PerformanceReport(Base):
    """One stage (``midyear`` 绩效运行监控 / ``selfeval`` 绩效自评) of a budget's performance cycle:
    the values entered (``actuals_to_dict`` JSON) and the submission status
    (``deptbudget.performance.workflow.Status``)."""

    __tablename__ = "performance_reports"
    __table_args__ = (UniqueConstraint("budget_id", "stage"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # midyear | selfeval
    actuals_json: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")  # the last 退回 comment or 审核意见
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    budget: Mapped[Budget] = relationship()

    __mapper_args__ = {"version_id_col": version}


class KeyEvaluation(Base):
    """A project (or 部门整体) the finance bureau picked for 重点绩效评价."""

    __tablename__ = "key_evaluations"
    __table_args__ = (UniqueConstraint("budget_id", "project_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    project_code: Mapped[str] = mapped_column(String(64))
    project_name: Mapped[str] = mapped_column(String(300), default="")
    picked_by: Mapped[str] = mapped_column(String(64))
    picked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChecklistMark(Base):
    """A reviewer's action on one checklist item, in one review round (the n-th submission):
    ``confirm``, ``override`` (``verdict`` pass | fail | unknown, ``text`` the reason) or ``finding``
    (``severity``, ``text`` the problem, ``place`` where). Rows are only ever added."""

    __tablename__ = "checklist_marks"
    __table_args__ = (Index("ix_checklist_marks_budget_round", "budget_id", "round"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"))
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(64))  # the workflow step key
    item_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # confirm | override | finding
    verdict: Mapped[str] = mapped_column(String(16), default="")
    severity: Mapped[str] = mapped_column(String(16), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChecklistRecord(Base):
    """The final checklist of a review decision (approve / return): items as JSON, and the XLSX and
    HTML written by ``deptbudget.review``'s writers. Immutable."""

    __tablename__ = "checklist_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(64))
    step_name: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(16))  # approve | return
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    checklist: Mapped[str] = mapped_column(String(64))  # checklist name, e.g. shenzhen-15
    score: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str] = mapped_column(String(16))
    source_sha256: Mapped[str] = mapped_column(String(64))  # the budget source reviewed
    items_json: Mapped[str] = mapped_column(Text)
    xlsx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    html: Mapped[str] = mapped_column(Text, deferred=True)


class Job(Base):
    """A background job (``deptbudget.web.jobs``). ``source_sha256``: the budget source it worked on
    (a check's result is valid for that source only); ``params_json`` what it was asked (e.g. the
    version and note of a publication), ``result_json`` what it made (e.g. the version number)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_budget_kind", "budget_id", "kind"), Index("ix_jobs_state", "state"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # check | publish | upload
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id"), nullable=True)
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    progress: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text, default="")  # why it failed
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    result_json: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ImmutableError(RuntimeError):
    """A published version or file was to be changed or deleted."""


def _refuse(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    what = "已保存的审核检查表" if isinstance(target, ChecklistRecord) else "已公开的版本"
    raise ImmutableError(f"{what}不可修改或删除 ({type(target).__name__} is immutable)")


event.listen(PublishedVersion, "after_insert", index_published_version)
for _cls in (PublishedVersion, PublishedFile, PublishedFinal, ChecklistRecord):
    event.listen(_cls, "before_update", _refuse)
    event.listen(_cls, "before_delete", _refuse)
