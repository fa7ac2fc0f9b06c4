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
def minimum_required() -> tuple[Role, ...]:
    """The table roles a department of an unknown locality must publish (``minimum_required`` of the file)."""
    data = read_data_file(ROLE_TITLES_FILE) or {}
    try:
        return tuple(Role(role) for role in data.get("minimum_required") or [])
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"{ROLE_TITLES_FILE}: minimum_required: 需要已知的表角色列表 (a list of known roles): "
                            f"{exc}") from None
