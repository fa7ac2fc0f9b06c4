"""The budget against its final accounts in the portal: the finance bureau publishes the 决算 of a published
budget (the worked example, examples/luohu-2020-final.yaml on examples/luohu-2020.yaml), the public budget page
then links to the comparison page, and every figure that page prints is compute.comparison's."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from deptbudget.commands.source_disclosure import source_disclosure
from deptbudget.compute.comparison import Comparison, compare
from deptbudget.model.serialize import dumps
from deptbudget.render.comparison import FUNCTION_HEADER, THREE_PUBLIC_HEADER, row_cells
from deptbudget.render.html import render_html
from deptbudget.sources.final_source import load_final
from deptbudget.store.models import (
    Budget,
    Department,
    ImmutableError,
    PublishedFile,
    PublishedFinal,
    PublishedVersion,
    Unit,
    utcnow,
)
from deptbudget.web import services
from tests.web.conftest import Client

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BUDGET = EXAMPLES / "luohu-2020.yaml"
FINAL = EXAMPLES / "luohu-2020-final.yaml"
CODE = "LH001"


class _Tables(HTMLParser):
    """The text of every cell of every table inside ``<div id="comparison">``, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._inside = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("id", "comparison") in attrs:
            self._inside = True
        elif self._inside and tag == "table":
            self.tables.append([])
        elif self._inside and tag == "tr":
            self.tables[-1].append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _publish_budget(world) -> int:  # type: ignore[no-untyped-def]
    """The example budget as a published version (with its HTML page), made directly in the database."""
    text = BUDGET.read_text(encoding="utf-8")
    disclosure = source_disclosure(BUDGET)
    with world.factory() as session, session.begin():
        dept = session.scalar(select(Department).where(Department.code == "D1"))
        unit = Unit(code=CODE, name=disclosure.unit_name, department_id=dept.id)
        session.add(unit)
        session.flush()
        budget = Budget(unit_id=unit.id, fiscal_year=2020, source=text, state="published")
        session.add(budget)
        session.flush()
        version = PublishedVersion(
            budget_id=budget.id, unit_id=unit.id, fiscal_year=2020, number=1, title=disclosure.title,
            unit_name=unit.name, department_name=dept.name, published_at=utcnow(), published_by="finance",
            source_format="yaml", source=text, disclosure_json=dumps(disclosure),
            figures_json=services.figures_json(disclosure), search_text=disclosure.title, content_hash="0" * 64)
        session.add(version)
        session.flush()
        page = render_html(disclosure).encode("utf-8")
        session.add(PublishedFile(version_id=version.id, format="html", filename="index.html",
                                  media_type="text/html; charset=utf-8", size=len(page), sha256="0" * 64,
                                  content=page))
        return budget.id


def _expected() -> Comparison:
    return compare(source_disclosure(BUDGET), source_disclosure(FINAL), load_final(FINAL))


def _upload(client: Client, budget_id: int, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(f"/work/budgets/{budget_id}/final-accounts", {"version": client.version(budget_id)},
                       files={"file": (name, data, "application/yaml")})


def test_published_final_accounts_compared_next_to_the_budget(app, world):  # type: ignore[no-untyped-def]
    budget_id = _publish_budget(world)
    anonymous = Client(app)
    assert "final-comparison" not in anonymous.get(f"/budgets/2020/{CODE}").text  # no 决算 yet: no link
    assert anonymous.get(f"/budgets/2020/{CODE}/comparison").status_code == 404

    finance = Client(app, "finance")
    assert f'action="/work/budgets/{budget_id}/final-accounts"' in finance.get(f"/work/budgets/{budget_id}").text
    response = _upload(finance, budget_id, FINAL.name, FINAL.read_bytes())
    assert response.status_code == 303, response.text[:2000]
    url = f"/budgets/2020/{CODE}/comparison"
    assert response.headers["location"] == url

    page = anonymous.get(f"/budgets/2020/{CODE}").text  # the public budget page links to the comparison
    assert f'href="/budgets/2020/{CODE}/comparison" id="final-comparison"' in page
    html = anonymous.get(url)
    assert html.status_code == 200
    functions, three_public = _tables(html.text)
    expected = _expected()
    assert tuple(functions[0]) == FUNCTION_HEADER and tuple(three_public[0]) == THREE_PUBLIC_HEADER
    assert [row for row in functions[1:]] == [row_cells(row, True) for row in expected.functions]
    assert [row for row in three_public[1:]] == [row_cells(row, False) for row in expected.three_public]
    # the comparison foots: the 合计 row is the sum of the 项 rows, and figures are not all blank
    total = expected.functions[-1]
    assert total.is_total and total.actual is not None and total.actual.value > 0
    assert total.actual.value == sum(r.actual.value for r in expected.functions[:-1] if r.actual is not None)
    assert any(row.reason for row in expected.functions) and any(row[-1] for row in functions[1:])

    with world.factory() as session:
        final = session.scalar(select(PublishedFinal))
        assert final.number == 1 and final.published_by == "finance"
        with pytest.raises(ImmutableError):  # like a published version
            final.title = "改"
            session.commit()
    with world.factory() as session, pytest.raises(DBAPIError):  # and the database refuses it too (trigger)
        session.execute(update(PublishedFinal.__table__).values(title="改"))


def test_final_accounts_refused(app, world):  # type: ignore[no-untyped-def]
    budget_id = _publish_budget(world)
    text = FINAL.read_text(encoding="utf-8")
    preparer = Client(app, "prep_a")  # not the finance bureau (and not this unit's preparer)
    assert _upload(preparer, budget_id, FINAL.name, FINAL.read_bytes()).status_code in (403, 404)
    finance = Client(app, "finance")
    bad = text.replace("fiscal_year: 2020", "fiscal_year: 2021", 1).encode("utf-8")
    response = _upload(finance, budget_id, FINAL.name, bad)
    assert response.status_code == 422 and "2021" in response.text
    unpublished = world.budgets["A001"]  # a draft: nothing published to close
    response = _upload(finance, unpublished, FINAL.name, FINAL.read_bytes())
    assert response.status_code == 422 and "尚未公开" in response.text
    with world.factory() as session:
        assert session.scalar(select(PublishedFinal)) is None
    assert Client(app).get(f"/budgets/2020/{CODE}/comparison").status_code == 404
