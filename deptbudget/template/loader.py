"""Template data files → typed ``Template``s, loaded once.

A template is ``deptbudget/templates/<name>.yaml`` (or a file in another folder, for a locality
not shipped). It may ``extends:`` another template: its top-level keys replace the parent's,
``rules:`` merges key by key, and ``tables:`` merges by table id (a table listed with an existing
id changes only the keys it gives; a new id is added at the end, or after the table named by
``after:``); ``drop_tables:`` removes tables of the parent (and their roles from the inherited
``required:``). A table keeps the parent's ``role`` unless it gives its own. Keys starting with ``_``
hold YAML anchors and are ignored.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from deptbudget.template.parse import parse_template
from deptbudget.template.spec import Template, TemplateError

PACKAGE = "deptbudget.templates"
SHARED = "_shared.yaml"


def _is_template_file(name: str) -> bool:
    return (name.endswith(".yaml") and ".narrative" not in name and not name.startswith("checklist-")
            and not name.startswith("_"))


def available_templates() -> list[str]:
    """The shipped templates (``deptbudget/templates/<name>.yaml``)."""
    return sorted(f.name[:-5] for f in resources.files(PACKAGE).iterdir() if _is_template_file(f.name))


def read_data_file(name: str, folder: Path | None = None) -> Any:
    """A YAML data file from ``folder`` (when given and present there) or from the templates package."""
    try:
        if folder is not None and (folder / name).is_file():
            text = (folder / name).read_text(encoding="utf-8")
        else:
            text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"找不到模板文件 {name} (template file not found)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(f"模板文件 {name} 不是有效的 YAML (not valid YAML): {exc}") from None


def _merge_tables(parent: list[dict[str, Any]], child: list[dict[str, Any]], drop: list[str],
                  name: str) -> list[dict[str, Any]]:
    tables = [dict(t) for t in parent if t.get("id") not in set(drop)]
    for table in child:
        if not isinstance(table, dict) or "id" not in table:
            raise TemplateError(f"模板文件 {name}.yaml: tables 中的每张表都要有 id (every table needs an id)")
        index = next((i for i, t in enumerate(tables) if t.get("id") == table["id"]), None)
        entry = {k: v for k, v in table.items() if k != "after"}
        if index is not None:
            tables[index] = {**tables[index], **entry}
            continue
        after = table.get("after")
        at = next((i + 1 for i, t in enumerate(tables) if t.get("id") == after), len(tables))
        tables.insert(at, entry)
    return tables


def _without_dropped(parent: dict[str, Any], tables: list[dict[str, Any]], dropped: list[str]) -> dict[str, Any]:
    """The parent's ``required:`` less the roles of the tables a child drops (a table the locality does
    not publish is not required of it); a role another of the child's tables still has stays required."""
    gone = {t.get("role") for t in parent.get("tables") or [] if t.get("id") in set(dropped)}
    kept = {t.get("role") for t in tables}
    required = dict(parent["required"])
    required["tables"] = [r for r in required.get("tables") or [] if r not in gone - kept]
    return required


def merge(parent: dict[str, Any], child: dict[str, Any], name: str) -> dict[str, Any]:
    """A child template's data laid over its parent's (see the module docstring)."""
    out = {k: v for k, v in parent.items() if not k.startswith("_")}
    for key, value in child.items():
        if key.startswith("_") or key in ("extends", "drop_tables"):
            continue
        if key == "tables":
            continue
        if key == "rules" and isinstance(value, dict):
            out["rules"] = {**(out.get("rules") or {}), **value}
        else:
            out[key] = value
    dropped = [str(t) for t in child.get("drop_tables") or []]
    out["tables"] = _merge_tables(parent.get("tables") or [], child.get("tables") or [], dropped, name)
    if "required" not in child and isinstance(parent.get("required"), dict):
        out["required"] = _without_dropped(parent, out["tables"], dropped)
    out["extends"] = child["extends"]
    return out


def template_data(name: str, folder: Path | None = None, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The raw data of one template with what it extends merged in."""
    if name in seen:
        raise TemplateError(f"模板 {name} 循环继承 (extends cycle): {' → '.join((*seen, name))}")
    data = read_data_file(f"{name}.yaml", folder)
    if not isinstance(data, dict):
        raise TemplateError(f"模板文件 {name}.yaml 格式错误 (malformed template): 应为键值表 (expected a mapping)")
    parent = data.get("extends")
    if not parent:
        return data
    return merge(template_data(str(parent), folder, (*seen, name)), data, name)


def _build(name: str, folder: Path | None) -> Template:
    data = template_data(name, folder)
    try:
        narrative = read_data_file(data["narrative"], folder) if data.get("narrative") else {"parts": []}
        shared = read_data_file(data.get("vocabulary") or SHARED, folder)
        return parse_template(data, narrative or {"parts": []}, shared)
    except TemplateError as exc:
        raise TemplateError(f"模板文件 {name}.yaml 格式错误 (malformed template): {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"缺少 {exc}" if isinstance(exc, KeyError) else str(exc)
        raise TemplateError(f"模板文件 {name}.yaml 格式错误 (malformed template): {what}") from exc


@cache
def load_template(name: str) -> Template:
    """The shipped template ``name`` (cached)."""
    if name not in available_templates():
        raise TemplateError(f"未知模板 {name!r} (unknown template); 可选: {', '.join(available_templates())}")
    return _build(name, None)


def loadable_templates() -> list[Template]:
    """Every shipped template that loads (a data file in the folder that is no template is left out)."""
    out = []
    for name in available_templates():
        try:
            out.append(load_template(name))
        except TemplateError:
            continue
    return out


def templates_of_kind(kind: str) -> list[str]:
    """The shipped templates of documents of ``kind``: budgets (部门预算, 单位预算) or final accounts (部门决算), told
    apart by the word 决算."""
    final = "决算" in kind
    return [template.name for template in loadable_templates() if ("决算" in template.kind) is final]


def load_template_file(path: str | Path) -> Template:
    """A template that is not shipped (a locality being added): ``path`` names its YAML file; what
    it extends is looked up beside it first, then among the shipped templates."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"找不到模板文件 {path} (template file not found)")
    return _build(path.stem, path.parent)
