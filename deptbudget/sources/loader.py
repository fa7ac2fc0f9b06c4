"""The loading pipeline, in the manner of beancount's loader:

    reader (YAML text · XLSX entry workbook · JSON/web document)
        → located source tree (``deptbudget.sources.tree``)
        → ``build_budget``   field by field (``deptbudget.sources.build``)
        → ``validate_budget`` checks across fields (``deptbudget.sources.validate``)
        → Budget            (then ``compute`` and the rules)

Every problem names the file, the place and, where the source has lines, the line; a source with
any problem raises ``SourceError`` carrying all of them.
"""

from __future__ import annotations

from deptbudget.model.budget import Budget
from deptbudget.sources.build import build_budget
from deptbudget.sources.errors import SourceError
from deptbudget.sources.tree import SourceTree
from deptbudget.sources.validate import validate_budget


def load_tree(tree: SourceTree) -> Budget:
    """A located source tree → a valid ``Budget``, or ``SourceError`` with every problem placed
    where the author sees it (file line, or sheet and cell)."""
    built = build_budget(tree)
    problems = built.problems
    if built.budget is not None and not problems:
        problems = validate_budget(built.budget, built.catalog)
    if problems or built.budget is None:
        raise SourceError(tree.locate(problems))
    return built.budget
