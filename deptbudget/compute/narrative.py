"""The narrative parts: the template's text filled with computed figures and the budget's texts."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import jinja2

from deptbudget.catalog import Catalog
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Figure, Part, Section
from deptbudget.model.figures_vocabulary import figures_vocabulary

_ENV = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


class NarrativeError(Exception):
    """A narrative template that refers to something the computation does not provide."""


def _compare(figures: dict[str, Figure], last_year: int) -> Any:
    def compare(key: str) -> str:
        change = figures[f"{key}.change"]
        pct = figures.get(f"{key}.change_pct")
        if change.value == 0:
            return f"与{last_year}年持平"
        up = change.value > 0
        text = f"比{last_year}年{'增加' if up else '减少'}{change.text}万元"
        if pct is not None:
            text += f"，{'增长' if up else '下降'}{pct.text}"
        return text

    return compare


def _change_words(figures: dict[str, Figure]) -> Any:
    def change_words(key: str, lead: str = "") -> str:
        change = figures[f"{key}.change"]
        if change.value == 0:
            return "与上年持平"
        return f"{lead}{'增加' if change.value > 0 else '减少'}{change.text}万元"

    return change_words


def _versus(figures: dict[str, Figure], last_year: int) -> Any:
    def versus(key: str) -> str:
        change = figures.get(f"{key}.change")
        if change is None or (change.value == 0 and figures[key].value == 0):
            return ""
        if change.value == 0:
            return "，与上年持平"
        return f"，比{last_year}年{'增加' if change.value > 0 else '减少'}{change.text}万元"

    return versus


def _parts_text(items: list[tuple[str, Figure]]) -> str:
    return "、".join(f"{label}{figure.text}万元" for label, figure in items if figure.value != Decimal(0))


def narrative_context(budget: Budget, figures: dict[str, Figure], catalog: Catalog) -> dict[str, Any]:
    f = {key: figure.text for key, figure in figures.items()}
    vocabulary = figures_vocabulary()
    income_parts = _parts_text([(vocabulary.label("income.fiscal"), figures["income.fiscal"])] + [
        (source.label, figures[f"income.{source.value}"]) for source in budget.income
        if not source.is_fiscal and f"income.{source.value}" in figures])
    # 基本支出 by its parts, then 项目支出
    spending = (*vocabulary.figure("expenditure.basic").children, "expenditure.project")
    spending_parts = _parts_text([(vocabulary.label(key), figures[key]) for key in spending])
    groups = [{"name": g.name, "amount": f[f"group.{g.name}"], "description": g.description}
              for g in budget.groups if figures[f"group.{g.name}"].value != 0]
    explanations = [{"name": catalog.name("exp_func", code) if catalog.find("exp_func", code) else code,
                     "text": text} for code, text in budget.narrative.func_explanations.items()]
    return {
        "year": budget.fiscal_year,
        "last_year": budget.fiscal_year - 1,
        "unit": budget.unit,
        "n": budget.narrative,
        "f": f,
        "fig": figures,
        "budget": budget,
        "assets": budget.assets,
        "groups": groups,
        "income_parts": income_parts,
        "spending_parts": spending_parts,
        "func_explanations": explanations,
        "compare": _compare(figures, budget.fiscal_year - 1),
        "change_words": _change_words(figures),
        "versus": _versus(figures, budget.fiscal_year - 1),
    }


@lru_cache(maxsize=1024)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def _render(source: str, context: dict[str, Any]) -> str:
    try:
        return _compile(source).render(context)
    except jinja2.TemplateError as exc:
        raise NarrativeError(f"叙述模板错误 (narrative template error) in {source[:40]!r}…: {exc}") from exc


def render_parts(narrative: dict[str, Any], context: dict[str, Any]) -> list[Part]:
    parts = []
    for part in narrative.get("parts", []):
        sections = []
        for section in part.get("sections", []):
            paragraphs: list[str] = []
            for source in section.get("paragraphs", []):
                for line in _render(str(source), context).split("\n"):
                    if line.strip():
                        paragraphs.append(line.strip())
            heading = _render(section.get("heading", ""), context).strip()
            if paragraphs:
                sections.append(Section(heading, paragraphs))
        parts.append(Part(int(part["number"]), _render(part["title"], context), sections))
    return parts
