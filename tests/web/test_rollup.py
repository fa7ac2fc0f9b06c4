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


def _printed_classes(world) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    """The 类 rows of every published 一般公共预算支出表, summed (元)."""
    out: dict[str, Decimal] = {}
    with world.factory() as session:
        for version in session.scalars(select(PublishedVersion)):
            disclosure = loads(version.disclosure_json)
            roles = table_roles(disclosure)
            for table in disclosure.tables:
                if roles.get(table.id) is Role.GENERAL_BUDGET_EXPENDITURE:
                    for row in table.rows:
                        if len(row.key) == 3 and row.key.isdigit() and row.cells["total"].value:
                            out[row.key] = out.get(row.key, Decimal(0)) + row.cells["total"].value * 10000
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
