"""The package's import graph (issue 11): no cycle and no private name imported across modules.

Every module of ``deptbudget/`` is parsed with ``ast`` (nothing is imported); an edge is any import of
another ``deptbudget`` module — at module level or inside a function (a lazy import hides a cycle, it
does not remove it), but not under ``if TYPE_CHECKING:``. A private name is one that starts with a
single underscore: ``from deptbudget.x import _name``, or ``module._name`` on an imported module.

The web layer (``deptbudget/web``) must be clean. Elsewhere, what is found today is listed in
``KNOWN_CYCLES`` / ``KNOWN_PRIVATE`` (other parts of issue 11 remove them); anything new fails.
Run ``python tests/test_imports.py`` to print the whole report.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "deptbudget"
WEB = "deptbudget.web"

# Found outside deptbudget/web when this test was written; shrink these lists, never grow them.
KNOWN_CYCLES: set[frozenset[str]] = set()
KNOWN_PRIVATE: set[tuple[str, str]] = set()  # (importing module, "module._name")


@dataclass(frozen=True)
class Import:
    importer: str  # module that imports
    target: str  # module imported
    line: int
    names: tuple[str, ...] = ()  # names taken from it (``from target import a, b``)


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its __init__)."""
    out: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and _type_checking(node):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` is or lies in."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, known: dict[str, Path], package: str) -> tuple[list[Import], list[str]]:
    """(imports of package modules, private attribute uses ``line: module._name``) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    aliases: dict[str, str] = {}  # local name → module it stands for
    nodes = _runtime_nodes(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != package:
                    continue
                target = _resolve(alias.name, known)
                if target is not None:
                    found.append(Import(module, target, node.lineno))
                    if alias.asname:
                        aliases[alias.asname] = target
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != package:
                continue
            names: list[str] = []
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:  # ``from package import module``
                    found.append(Import(module, submodule, node.lineno))
                    aliases[alias.asname or alias.name] = submodule
                else:
                    names.append(alias.name)
            target = _resolve(source, known)
            if names and target is not None:
                found.append(Import(module, target, node.lineno, tuple(names)))
    private = [f"{node.lineno}: {aliases[node.value.id]}.{node.attr}" for node in nodes
               if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
               and _is_private(node.attr) and aliases[node.value.id] != module]
    return [i for i in found if i.target != module], private


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@dataclass
class Report:
    graph: dict[str, set[str]]
    private: list[tuple[str, str, str]]  # (importer, "module._name", where)

    def cycles(self) -> list[list[str]]:
        """The strongly connected components with more than one module (Tarjan), each sorted."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        out: list[list[str]] = []

        def visit(node: str) -> None:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
            for succ in sorted(self.graph.get(node, ())):
                if succ not in index:
                    visit(succ)
                    low[node] = min(low[node], low[succ])
                elif succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))

        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
        for node in sorted(self.graph):
            if node not in index:
                visit(node)
        return sorted(out)


def import_report(root: Path = ROOT, package: str = PACKAGE) -> Report:
    known = modules(root, package)
    graph: dict[str, set[str]] = {name: set() for name in known}
    private: list[tuple[str, str, str]] = []
    for name, path in known.items():
        found, attributes = imports_of(name, path, known, package)
        rel = path.relative_to(root)
        for imp in found:
            graph[name].add(imp.target)
            private += [(name, f"{imp.target}.{n}", f"{rel}:{imp.line}") for n in imp.names if _is_private(n)]
        for item in attributes:
            line, _, what = item.partition(": ")
            private.append((name, what, f"{rel}:{line}"))
    return Report(graph, private)


@lru_cache(maxsize=1)
def package_report() -> Report:
    return import_report()


def _in(prefix: str, module: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


# --- the checker itself, on a small package -------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_checker_finds_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n",
                      "pkg/b.py": "def f():\n    from pkg.c import g\n", "pkg/c.py": "import pkg.a\n",
                      "pkg/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"})
    assert import_report(tmp_path, "pkg").cycles() == [["pkg.a", "pkg.b", "pkg.c"]]


def test_checker_ignores_imports_for_type_checking_only(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n",
                      "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n"})
    assert import_report(tmp_path, "pkg").cycles() == []


def test_checker_finds_private_names(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "",
                      "pkg/sub/a.py": "_hidden = 1\nshown = 2\n",
                      "pkg/b.py": "from pkg.sub.a import _hidden, shown\nfrom pkg.sub import a as m\nx = m._hidden\n",
                      "pkg/sub/c.py": "from .a import _hidden\nfrom . import a\ny = a.__name__\n"})
    found = sorted((importer, what) for importer, what, _ in import_report(tmp_path, "pkg").private)
    assert found == [("pkg.b", "pkg.sub.a._hidden"), ("pkg.b", "pkg.sub.a._hidden"),
                     ("pkg.sub.c", "pkg.sub.a._hidden")]


# --- the package --------------------------------------------------------------------------------


def test_web_layer_has_no_import_cycle() -> None:
    report = package_report()
    web = Report({m: {t for t in targets if _in(WEB, t)} for m, targets in report.graph.items() if _in(WEB, m)}, [])
    assert web.cycles() == []
    assert [c for c in report.cycles() if any(_in(WEB, m) for m in c)] == []


def test_web_layer_imports_no_private_name() -> None:
    found = [item for item in package_report().private if _in(WEB, item[0]) or _in(WEB, item[1])]
    assert found == []


def test_no_route_module_imports_the_app() -> None:
    report = package_report()
    assert sorted(m for m, targets in report.graph.items() if f"{WEB}.app" in targets
                  and _in(WEB, m)) == []


def test_no_new_cycle_or_private_import_elsewhere() -> None:
    report = package_report()
    cycles = {frozenset(c) for c in report.cycles()} - KNOWN_CYCLES
    private = {(importer, what) for importer, what, _ in report.private} - KNOWN_PRIVATE
    assert (sorted(sorted(c) for c in cycles), sorted(private)) == ([], [])


if __name__ == "__main__":
    result = import_report()
    print("import cycles:")
    for cycle in result.cycles():
        print("  " + " ↔ ".join(cycle))
    print("private names used across modules:")
    for importer, what, where in sorted(result.private, key=lambda item: item[2]):
        print(f"  {where}: {importer} uses {what}")
