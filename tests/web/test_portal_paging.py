"""The portal index and search results in pages: page N with its rows, links to the previous and
next pages in Chinese, other query parameters kept, page size capped; the index reads the search
table only."""

from __future__ import annotations

import re

from deptbudget.web import routes_public
from deptbudget.web.paging import MAX_PAGE_SIZE
from tests.web.conftest import Client
from tests.web.published import add_published


def _publish_many(world, count: int, year: int = 2021) -> None:  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        for n in range(count):
            add_published(session, f"P{n:03d}", f"测试单位{n:03d}", year, f"第 {n} 个单位的说明：社区服务。")


def _units(html: str) -> list[str]:
    return re.findall(r"测试单位(\d{3})</td>", html)


def test_portal_index_is_paged(app, world) -> None:  # type: ignore[no-untyped-def]
    size = routes_public.PORTAL_PAGE_SIZE
    _publish_many(world, size + 7)
    public = Client(app)
    first = public.get("/").text
    assert _units(first) == [f"{n:03d}" for n in range(size)]
    assert "第 1 页/共 2 页" in first and 'href="/?page=2"' in first and "下一页</a>" in first
    second = public.get("/?page=2").text
    assert _units(second) == [f"{n:03d}" for n in range(size, size + 7)]
    assert "第 2 页/共 2 页" in second and 'href="/" rel="prev">上一页</a>' in second
    assert _units(public.get("/?page=999").text) == _units(second)  # past the end: the last page
    assert _units(public.get("/?page=abc").text) == _units(first)
    by_year = public.get("/?year=2021&page=2").text
    assert 'href="/?year=2021" rel="prev"' in by_year  # the year filter stays in the links
    capped = public.get(f"/?size={MAX_PAGE_SIZE * 10}").text
    assert len(_units(capped)) == size + 7 and "每页" not in capped  # capped at 100: all fit on one page
    one_department = public.get("/?dept=D1").text
    assert '<option value="D1" selected>' in one_department and '<option value="D2">' not in one_department


def test_search_results_are_paged(app, world) -> None:  # type: ignore[no-untyped-def]
    size = routes_public.SEARCH_PAGE_SIZE
    _publish_many(world, size + 3)
    public = Client(app)
    first = public.get("/search?q=社区服务").text
    assert f"找到 {size + 3} 份" in first and "第 1 页/共 2 页" in first
    assert "/search?q=%E7%A4%BE%E5%8C%BA%E6%9C%8D%E5%8A%A1&amp;page=2" in first
    second = public.get("/search?q=社区服务&page=2").text
    assert "第 2 页/共 2 页" in second and second.count('class="card"') == 3
    assert "第 21–23 份" in second
    single = public.get("/search?q=测试单位007").text
    assert "找到 1 份" in single and "第 1 页" not in single  # one page: no pager


def test_audit_log_and_work_list_are_paged(app, world) -> None:  # type: ignore[no-untyped-def]
    from deptbudget.store.models import Budget, Unit
    from deptbudget.web import services

    a = world.budgets["A001"]
    with world.factory() as session, session.begin():
        budget = session.get(Budget, a)
        for n in range(60):
            services.audit(session, budget, None, "edit", f"测试字段{n:02d}", "1", "2")
        for n in range(55):
            unit = Unit(code=f"W{n:03d}", name=f"工作单位{n:03d}", department_id=1)
            session.add(unit)
            session.flush()
            session.add(Budget(unit_id=unit.id, fiscal_year=2021, source="", state="draft"))
    prep = Client(app, "prep_a")
    page = prep.get(f"/work/budgets/{a}").text
    assert "测试字段59" in page and "测试字段09" not in page  # newest first, 50 a page
    assert f'href="/work/budgets/{a}?log=2#audit" rel="next"' in page
    second = prep.get(f"/work/budgets/{a}?log=2").text
    assert "测试字段09" in second and "测试字段59" not in second and "第 2 页/共 2 页" in second
    work = Client(app, "finance").get("/work").text
    assert "全部预算（57）" in work and "第 1 页/共 2 页" in work and 'href="/work?page=2"' in work


def test_anonymous_pages_kept_until_publication(app, world) -> None:  # type: ignore[no-untyped-def]
    _publish_many(world, 3)
    public = Client(app)
    assert len(_units(public.get("/").text)) == 3
    with world.factory() as session, session.begin():
        add_published(session, "P900", "测试单位900", 2021, "后来公开的。")
    assert len(_units(public.get("/").text)) == 3  # the anonymous page is kept (30 s) …
    assert len(_units(Client(app, "finance").get("/").text)) == 4  # … a signed-in person's is not
    app.state.public_cache.published()  # what publishing does
    assert len(_units(public.get("/").text)) == 4
