"""A YAML source → its disclosure, whichever kind it is: a budget source (部门预算) or a final-accounts source
(部门决算, which names the budget it closes). ``build``, ``check`` and ``review`` read sources through it."""

from __future__ import annotations

from pathlib import Path

from deptbudget.model.disclosure import Disclosure
from deptbudget.template import Template


def source_disclosure(path: str | Path, template: Template | None = None) -> Disclosure:
    """Raises ``SourceError`` (every problem of the source) or ``TemplateError``."""
    from deptbudget.sources.final_source import is_final_source, load_final

    if is_final_source(path):
        from deptbudget.compute.final_disclosure import compute_final_disclosure

        return compute_final_disclosure(load_final(path), template)
    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.sources.yaml_source import load_budget

    return compute_disclosure(load_budget(str(path)), template)
