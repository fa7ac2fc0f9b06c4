"""Actual values entered for performance management: year-end actuals (绩效自评) and mid-year values
(绩效运行监控), per project and for the department as a whole — the names callers use, and
``load_actuals``, which reads a file of either format.

The parts live in their own modules:

- ``actuals_model``: ``Stage``, ``IndicatorEntry``, ``EntityEntry``, ``Actuals`` (the data);
- ``interpret``: ``Reading``, ``interpret``, ``resolve``, ``check_actuals``, ``indicator_entries``;
- ``actuals_yaml``: ``parse_actuals_yaml`` (format: ``docs/performance.md``);
- ``actuals_xlsx``: ``parse_actuals_xlsx``, ``write_actuals_xlsx``;
- ``actuals_store``: ``actuals_to_dict`` / ``actuals_from_dict`` (JSON-ready dicts for the web store).

Every problem names the file, the place and what is wrong (``deptbudget.sources.errors.Problem``).
"""

from __future__ import annotations

from pathlib import Path

from deptbudget.performance.actuals_model import DEPARTMENT, Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.actuals_store import actuals_from_dict, actuals_to_dict
from deptbudget.performance.actuals_xlsx import (
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    INFO_SHEET,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    parse_actuals_xlsx,
    write_actuals_xlsx,
)
from deptbudget.performance.actuals_yaml import parse_actuals_yaml
from deptbudget.performance.interpret import MISSING, Reading, check_actuals, indicator_entries, interpret, resolve
from deptbudget.sources.errors import Problem, SourceError

__all__ = [
    "DEPARTMENT",
    "INDICATOR_COLUMNS",
    "INDICATOR_SHEET",
    "INFO_SHEET",
    "MISSING",
    "PROJECT_COLUMNS",
    "PROJECT_SHEET",
    "Actuals",
    "EntityEntry",
    "IndicatorEntry",
    "Reading",
    "Stage",
    "actuals_from_dict",
    "actuals_to_dict",
    "check_actuals",
    "indicator_entries",
    "interpret",
    "load_actuals",
    "parse_actuals_xlsx",
    "parse_actuals_yaml",
    "resolve",
    "write_actuals_xlsx",
]


def load_actuals(path: str | Path, source: str | None = None) -> Actuals:
    """Read an actuals file: ``.xlsx`` as a workbook, anything else as YAML. Problems (and the
    result's ``source``) name the file as ``source``, by default its path."""
    path = Path(path)
    file = source or str(path)
    if path.is_dir():
        raise SourceError([Problem(file, "文件", "是目录而不是文件 (a directory, not a file)")])
    if not path.is_file():
        raise SourceError([Problem(file, "文件", "文件不存在 (file not found)")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_actuals_xlsx(path, file)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(file, f"第 {exc.start} 字节", "不是 UTF-8 文本 (not UTF-8 text)")]) from None
    except OSError as exc:
        raise SourceError([Problem(file, "文件", f"无法读取 (cannot read): {exc.strerror}")]) from None
    return parse_actuals_yaml(text, file)
