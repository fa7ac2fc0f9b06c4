"""The portal's district view (/rollup): the published budgets' 类 summed, with the year before."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from deptbudget.model.serialize import loads
from deptbudget.review.structure import table_roles
from deptbudget.store.models import PublishedVersion
from deptbudget.template import Role
from deptbudget.web.routes_rollup import wan_text
from tests.web.conftest import Client, main_content
from tests.web.test_workflow import publish_through


def _printed_classes(world, role: Role = Role.GENERAL_BUDGET_EXPENDITURE,  # type: ignore[no-untyped-def]
                     column: str = "total") -> dict[str, Decimal]:
    """The 类 rows of every published table of the ``role`` (the 一般公共预算支出表 by default), summed (元); the
    code of a 收支总表 row is that of its expenditure side (``income=…;exp=CODE``)."""
    out: dict[str, Decimal] = {}
    with world.factory() as session:
        for version in session.scalars(select(PublishedVersion)):
            disclosure = loads(version.disclosure_json)
            roles = table_roles(disclosure)
            for table in disclosure.tables:
                if roles.get(table.id) is role:
                    for row in table.rows:
                        code = row.key.split("exp=")[-1]
                        if len(code) == 3 and code.isdigit() and row.cells[column].value:
                            out[code] = out.get(code, Decimal(0)) + row.cells[column].value * 10000
    return out


def test_the_district_view_sums_the_published_budgets(app, world) -> None:  # type: ignore[no-untyped-def]
    public = Client(app)
    assert "暂无已公开的预算" in public.get("/rollup").text
    publish_through(app, world, world.budgets["A001"])
    classes = _printed_classes(world)
    assert classes
    page = main_content(public.get("/rollup").text)
    assert "2020 年部门预算汇总" in page and "1 个单位" in page
    for code, amount in classes.items():
        assert f"<td>{code}</td>" in page and wan_text(amount) in page
    assert wan_text(sum(classes.values(), Decimal(0))) in page
    assert public.get("/rollup?year=20x").status_code == 400


def test_the_district_view_in_each_scope(app, world) -> None:  # type: ignore[no-untyped-def]
    """All funds (全部资金) beside 一般公共预算: the 部门支出总表's 类 by 功能分类, the 基本支出表's by 经济分类."""
    public = Client(app)
    publish_through(app, world, world.budgets["A001"])
    general = main_content(public.get("/rollup").text)
    assert "一般公共预算支出功能分类" in general and 'aria-current="page">一般公共预算支出功能分类' in general
    # the example's 支出总表 is by unit: its all-funds 功能分类 is the expenditure side of its 收支总表
    for scope, role, column, title in (("func_all", Role.SUMMARY, "exp_amount", "全部资金支出功能分类"),
                                       ("econ_all", Role.BASIC_EXPENDITURE, "total", "全部资金基本支出经济分类")):
        classes = _printed_classes(world, role, column)
        assert classes
        page = main_content(public.get(f"/rollup?year=2020&scope={scope}").text)
        assert f"2020 年部门预算汇总（{title}" in page and f'scope={scope}" style="font-weight:bold"' in page
        for code, amount in classes.items():
            assert f"<td>{code}</td>" in page and wan_text(amount) in page
        assert wan_text(sum(classes.values(), Decimal(0))) in page
        assert f"/rollup?year=2020&amp;scope={scope}" in page  # the year links keep the scope
    assert "<td>301</td>" not in general  # 经济分类 codes only in their scope
    bad = public.get("/rollup?scope=everything")
    assert bad.status_code == 400 and "汇总口径" in bad.text
