"""What a table is, read from its printed title (``templates/_role_titles.yaml``): for a document of a
locality that no template describes, whose tables have no spec and so no role of their own."""

from __future__ import annotations

import re
from functools import cache

from deptbudget.template.loader import read_data_file
from deptbudget.template.spec import Role, TemplateError

ROLE_TITLES_FILE = "_role_titles.yaml"
_NOISE = re.compile(r"[\s“”\"‘’'《》]|^\d{4}\s*年度?")


@cache
def role_patterns() -> tuple[tuple[Role, re.Pattern[str]], ...]:
    data = read_data_file(ROLE_TITLES_FILE) or {}
    out = []
    for index, entry in enumerate(data.get("roles") or []):
        where = f"{ROLE_TITLES_FILE}: roles[{index}]"
        try:
            out.append((Role(entry["role"]), re.compile(entry["pattern"])))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise TemplateError(f"{where}: 需要有效的 role 和 pattern (a known role and a regular expression): {exc}") \
                from None
    return tuple(out)


def role_by_title(title: str) -> Role | None:
    """The role the printed title names: "2026年预算单位一般公共预算支出功能分类预算表" is a
    general_budget_expenditure table."""
    text = _NOISE.sub("", title or "")
    return next((role for role, pattern in role_patterns() if pattern.search(text)), None)


@cache
def _published_within() -> tuple[tuple[Role, re.Pattern[str]], ...]:
    data = read_data_file(ROLE_TITLES_FILE) or {}
    out = []
    for role, patterns in (data.get("published_within") or {}).items():
        try:
            out.extend((Role(role), re.compile(pattern)) for pattern in patterns)
        except (TypeError, ValueError, re.error) as exc:
            raise TemplateError(f"{ROLE_TITLES_FILE}: published_within: {role}: 需要已知的表角色和正则表达式列表 "
                                f"(a known role and a list of regular expressions): {exc}") from None
    return tuple(out)


def roles_within(title: str) -> set[Role]:
    """The required roles whose content a table of this title publishes besides its own role
    (``published_within``: 一般公共预算支出表（按经济分类） holds the 一般公共预算基本支出表's 基本支出 by 经济分类)."""
    text = _NOISE.sub("", title or "")
    return {role for role, pattern in _published_within() if pattern.search(text)}


@cache
def minimum_required() -> tuple[Role, ...]:
    """The table roles a department of an unknown locality must publish (``minimum_required`` of the file)."""
    data = read_data_file(ROLE_TITLES_FILE) or {}
    try:
        return tuple(Role(role) for role in data.get("minimum_required") or [])
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"{ROLE_TITLES_FILE}: minimum_required: 需要已知的表角色列表 (a list of known roles): "
                            f"{exc}") from None
