"""Who may see a page, as FastAPI dependencies.

- ``LoginDep``: a signed-in person; an anonymous visitor is sent to the login page (GET) or refused
  with 403 (POST).
- ``require_role(...)``: a signed-in person with one of the roles, else 403.
- ``BudgetDep``: the budget of the path's ``budget_id``, which the person may see; anyone who may
  not gets 404 (its existence is not revealed).

What a person may *do* with a budget depends on its state and is checked by the handler or the
service (403).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import Depends

from deptbudget.store.models import Budget
from deptbudget.web import auth
from deptbudget.web import workflow as wf
from deptbudget.web.context import Ctx, CtxDep, LoginRedirect, PageError

LOGIN_FIRST = "请先登录。"


def check_login(ctx: Ctx) -> Ctx:
    """A signed-in person — who has no new password to choose first (``auth.password_change_due``:
    reset by an administrator, or a privileged account's password too old): they are sent to the
    password page (GET) or refused (POST) until they have."""
    if ctx.user is None:
        if ctx.request.method == "GET":
            raise LoginRedirect(f"/login?next={quote(str(ctx.request.url.path))}")
        raise PageError(403, LOGIN_FIRST)
    due = auth.password_change_due(ctx.user)
    if due:
        if ctx.request.method == "GET":
            raise LoginRedirect("/account/password")
        raise PageError(403, due)
    return ctx


async def require_login(ctx: Ctx = CtxDep) -> Ctx:
    """``check_login`` as a dependency, on the event loop: it reads only the person that ``get_ctx``
    loaded, so no thread of the pool is taken for it."""
    return check_login(ctx)


LoginDep = Depends(require_login)


def require_role(*roles: str, refusal: str, anonymous_get: str | None = None) -> Callable[..., Ctx]:
    """A dependency: the signed-in person has one of ``roles`` (else 403 ``refusal``). An anonymous
    GET is sent to the login page, or refused with ``anonymous_get`` when that is given."""

    def dependency(ctx: Ctx = CtxDep) -> Ctx:
        if ctx.user is None and anonymous_get is not None and ctx.request.method == "GET":
            raise PageError(403, anonymous_get)
        check_login(ctx)
        assert ctx.user is not None
        if ctx.user.role not in roles:
            raise PageError(403, refusal)
        return ctx

    return dependency


def viewable_budget(budget_id: int, ctx: Ctx = LoginDep) -> Budget:
    budget = ctx.db.get(Budget, budget_id)
    if budget is None or not wf.can_view(ctx.user, budget):
        raise PageError(404, "找不到该预算，或您无权查看。")
    return budget


BudgetDep = Depends(viewable_budget)
