"""Read a budget source written in YAML (see docs/budget-source.md) into a ``Budget``.

Every problem is collected with its file, line and place; a source with any problem raises
``SourceError`` carrying all of them, so the author can fix them in one pass. The steps are in
``deptbudget.sources.loader``.
"""

from __future__ import annotations

from pathlib import Path

from deptbudget.model.budget import Budget
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.sources.loader import load_tree
from deptbudget.sources.tree import LocatedDict, LocatedList, construct_decimal, read_yaml, yaml_tree

__all__ = ["LocatedDict", "LocatedList", "construct_decimal", "load_budget", "parse_budget", "read_source_text",
           "read_yaml"]


def parse_budget(text: str, filename: str) -> Budget:
    return load_tree(yaml_tree(text, filename))


def load_budget(path: str | Path) -> Budget:
    return parse_budget(read_source_text(path), str(path))


def read_source_text(path: str | Path) -> str:
    """A source file's text; a missing, unreadable or non-UTF-8 file is a ``SourceError`` naming it."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([Problem(str(path), "文件", "文件不存在 (file not found)")]) from None
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(str(path), f"第 {exc.start} 字节",
                                   "不是 UTF-8 文本 (not UTF-8 text)")]) from None
    except OSError as exc:
        raise SourceError([Problem(str(path), "文件", f"无法读取 (cannot read): {exc.strerror}")]) from None
