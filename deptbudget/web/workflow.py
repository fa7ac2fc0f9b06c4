"""The review workflow, read from ``workflow.yaml`` (data, not code), and who may do what.

States of a budget (``store.models.Budget.state``):

- ``draft`` 草稿 — the only state in which the source can be edited;
- ``review`` — waiting for the decision of step ``Budget.step`` (0 → shown as 已提交, i > 0 →
  shown as the previous step's ``approved`` label, e.g. 主管部门审核通过);
- ``approved`` — every step approved (shown as the last step's label, 财政局审核通过);
- ``published`` 已公开.

Any review step may send the budget back (退回, comment required) to ``draft``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from deptbudget.store.models import ROLE_ADMIN, ROLE_DEPT, ROLE_FINANCE, ROLE_PREPARER, ROLES, Budget, User

DRAFT, REVIEW, APPROVED, PUBLISHED = "draft", "review", "approved", "published"
WORKFLOW_FILE = Path(__file__).with_name("workflow.yaml")


class WorkflowConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    key: str
    name: str  # 主管部门审核
    role: str  # dept | finance
    approved: str  # label of the state after this step approved


@dataclass(frozen=True)
class Workflow:
    steps: tuple[Step, ...]
    draft_label: str = "草稿"
    submitted_label: str = "已提交"
    published_label: str = "已公开"
    publish_role: str = ROLE_FINANCE
    correct_role: str = ROLE_FINANCE

    def label(self, budget: Budget) -> str:
        if budget.state == DRAFT:
            return self.draft_label
        if budget.state == PUBLISHED:
            return self.published_label
        if budget.state == APPROVED:
            return self.steps[-1].approved
        if budget.step <= 0:
            return self.submitted_label
        return self.steps[min(budget.step, len(self.steps)) - 1].approved

    def current_step(self, budget: Budget) -> Step | None:
        if budget.state == REVIEW and 0 <= budget.step < len(self.steps):
            return self.steps[budget.step]
        return None

    def labels(self) -> list[str]:
        """Every state label in order (for the progress bar)."""
        return [self.draft_label, self.submitted_label] + [s.approved for s in self.steps] + [self.published_label]

    def position(self, budget: Budget) -> int:
        """Index into ``labels()``."""
        if budget.state == DRAFT:
            return 0
        if budget.state == REVIEW:
            return 1 + budget.step
        if budget.state == APPROVED:
            return 1 + len(self.steps)
        return 2 + len(self.steps)


def parse_workflow(data: object, source: str = "workflow.yaml") -> Workflow:
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not data["steps"]:
        raise WorkflowConfigError(f"{source}: 需要非空的 steps 列表 (steps: a non-empty list)")
    steps = []
    for index, item in enumerate(data["steps"]):
        if not isinstance(item, dict):
            raise WorkflowConfigError(f"{source}: steps[{index}] 应为键值映射")
        role = str(item.get("role", ""))
        if role not in (ROLE_DEPT, ROLE_FINANCE):
            raise WorkflowConfigError(f"{source}: steps[{index}].role 应为 dept 或 finance，而不是 {role!r}")
        missing = [k for k in ("key", "name", "approved") if not item.get(k)]
        if missing:
            raise WorkflowConfigError(f"{source}: steps[{index}] 缺少 {', '.join(missing)}")
        steps.append(Step(str(item["key"]), str(item["name"]), role, str(item["approved"])))
    keys = [s.key for s in steps]
    if len(set(keys)) != len(keys):
        raise WorkflowConfigError(f"{source}: 步骤 key 重复 (duplicate step keys)")
    for key in ("publish_role", "correct_role"):
        if data.get(key, ROLE_FINANCE) not in (ROLE_FINANCE, ROLE_ADMIN):
            raise WorkflowConfigError(f"{source}: {key} 应为 finance 或 admin")
    return Workflow(
        steps=tuple(steps),
        draft_label=str(data.get("draft", "草稿")),
        submitted_label=str(data.get("submitted", "已提交")),
        published_label=str(data.get("published", "已公开")),
        publish_role=str(data.get("publish_role", ROLE_FINANCE)),
        correct_role=str(data.get("correct_role", ROLE_FINANCE)),
    )


@lru_cache(maxsize=8)
def _load(path: str) -> Workflow:
    text = Path(path).read_text(encoding="utf-8")
    return parse_workflow(yaml.safe_load(text), path)


def load_workflow(path: str | os.PathLike[str] | None = None) -> Workflow:
    return _load(str(path or os.environ.get("DEPTBUDGET_WORKFLOW") or WORKFLOW_FILE))


# --- permissions --------------------------------------------------------------------------------


def can_view(user: User | None, budget: Budget) -> bool:
    """The working copy (any state): a preparer sees only their unit's, a 主管部门 reviewer only
    its units', finance and administrators all."""
    if user is None or not user.active:
        return False
    if user.role in (ROLE_ADMIN, ROLE_FINANCE):
        return True
    if user.role == ROLE_DEPT:
        return user.department_id is not None and budget.unit.department_id == user.department_id
    if user.role == ROLE_PREPARER:
        return user.unit_id is not None and budget.unit_id == user.unit_id
    return False


def can_edit(user: User | None, budget: Budget) -> bool:
    return (user is not None and user.role == ROLE_PREPARER and can_view(user, budget)
            and budget.state == DRAFT)


def can_submit(user: User | None, budget: Budget) -> bool:
    return can_edit(user, budget)


def can_decide(user: User | None, budget: Budget, workflow: Workflow) -> bool:
    step = workflow.current_step(budget)
    return step is not None and user is not None and user.role == step.role and can_view(user, budget)


def can_publish(user: User | None, budget: Budget, workflow: Workflow) -> bool:
    return (user is not None and budget.state == APPROVED and user.role == workflow.publish_role
            and can_view(user, budget))


def can_correct(user: User | None, budget: Budget, workflow: Workflow) -> bool:
    return (user is not None and budget.state == PUBLISHED and user.role == workflow.correct_role
            and can_view(user, budget))


def can_create(user: User | None) -> bool:
    """Open a budget for a unit and year: the unit's preparer, finance or an administrator."""
    return user is not None and user.role in (ROLE_PREPARER, ROLE_FINANCE, ROLE_ADMIN)


def role_label(role: str) -> str:
    return ROLES.get(role, role)
