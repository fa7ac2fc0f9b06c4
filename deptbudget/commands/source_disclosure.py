"""A YAML source → its disclosure, whichever kind it is: a budget source (部门预算) or a final-accounts source
(部门决算, which names the budget it closes). ``build``, ``check`` and ``review`` read sources through it."""

from __future__ import annotations

from pathlib import Path

from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Disclosure
from deptbudget.template import Template


def source_disclosure(path: str | Path, template: Template | None = None) -> Disclosure:
    """Raises ``SourceError`` (every problem of the source) or ``TemplateError``."""
    return read_source(path, template)[0]


def read_source(path: str | Path, template: Template | None = None) -> tuple[Disclosure, Budget | None]:
    """The disclosure and, for a budget source, the budget it was computed from (read once: ``build`` passes the
    budget on to the HTML, which names each amount's source lines); None for a final-accounts source."""
    from deptbudget.sources.final_source import is_final_source, load_final

    if is_final_source(path):
        from deptbudget.compute.final_disclosure import compute_final_disclosure

        return compute_final_disclosure(load_final(path), template), None
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.sources.yaml_source import load_budget

    budget = load_budget(str(path))
    return compute_disclosure(budget, template), budget
