"""Table roles and the locality's required list: template data, validated when the template loads and
inherited through ``extends``."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.template import Role, TemplateError, available_templates, load_template, load_template_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "templates"
MOF_NINE = {Role.SUMMARY, Role.INCOME, Role.EXPENDITURE, Role.FISCAL_SUMMARY, Role.GENERAL_BUDGET_EXPENDITURE,
            Role.GENERAL_BUDGET_BASIC, Role.THREE_PUBLIC, Role.GOV_FUND, Role.STATE_CAPITAL}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_table_has_a_role_and_roles_are_unique_per_template() -> None:
    for name in available_templates():
        roles = [spec.role for spec in load_template(name).tables]
        assert None not in roles, name
        read = [role for role in roles if role is not Role.OTHER]  # "other": tables no rule reads, any number
        assert len(set(read)) == len(read), name


def test_the_same_table_has_the_same_role_under_both_numberings() -> None:
    shenzhen, mof = load_template("shenzhen-15"), load_template("mof-9")
    assert shenzhen.table("T6").role is mof.table("T4").role is Role.FISCAL_SUMMARY
    assert shenzhen.table("T7").role is mof.table("T5").role is Role.GENERAL_BUDGET_EXPENDITURE
    assert shenzhen.table("T12").role is mof.table("T7").role is Role.THREE_PUBLIC
    assert mof.by_role(Role.GENERAL_BUDGET_BASIC) is mof.table("T6")
    assert shenzhen.by_role(Role.GENERAL_BUDGET_BASIC) is None


def test_required_lists() -> None:
    assert set(load_template("mof-9").required.tables) == MOF_NINE
    assert load_template("mof-9").required.parts == ()
    shenzhen = load_template("shenzhen-15")
    assert set(shenzhen.required.tables) == {spec.role for spec in shenzhen.tables}
    assert shenzhen.required.parts == tuple(range(1, 9))


def test_an_unknown_role_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad-role", "extends: mof-9\nname: bad-role\ntables:\n  - {id: T2, role: revenue}\n")
    with pytest.raises(TemplateError, match="bad-role.yaml.*revenue"):
        load_template_file(path)
    path = _write(tmp_path, "bad-required", "extends: mof-9\nname: bad-required\nrequired: {tables: [T1]}\n")
    with pytest.raises(TemplateError, match="bad-required.yaml.*T1"):
        load_template_file(path)
    path = _write(tmp_path, "bad-key", "extends: mof-9\nname: bad-key\nrequired: {tabels: [summary]}\n")
    with pytest.raises(TemplateError, match="required"):
        load_template_file(path)


def test_roles_and_required_come_through_extends(tmp_path: Path) -> None:
    """A family template inherits each table's role; a table it drops is no longer required of it; a new
    table gives its own role."""
    template = load_template_file(FIXTURES / "example-locality.yaml")  # shenzhen-15 less 表10, 表11
    assert template.table("T3").role is Role.EXPENDITURE  # retitled, role inherited
    assert template.table("T16").role is None  # a new table without a role: no rule reads it
    assert Role.TRANSFERS not in template.required.tables and Role.PROCUREMENT not in template.required.tables
    assert Role.PROJECTS in template.required.tables

    path = _write(tmp_path, "family", "extends: mof-9\nname: family\ndrop_tables: [T9]\ntables:\n"
                  "  - {id: T5, title: 一般公共预算财政拨款支出表}\n"
                  "  - {id: T10, number: '10', title: 机关运行经费表, builder: func_tree, role: other}\n")
    family = load_template_file(path)
    assert family.table("T5").role is Role.GENERAL_BUDGET_EXPENDITURE
    assert family.table("T10").role is Role.OTHER
    assert set(family.required.tables) == MOF_NINE - {Role.STATE_CAPITAL}

    own = _write(tmp_path, "own", "extends: mof-9\nname: own\ndrop_tables: [T9]\n"
                 "required: {tables: [summary, state_capital], parts: [1]}\n")
    assert load_template_file(own).required.tables == (Role.SUMMARY, Role.STATE_CAPITAL)
    assert load_template_file(own).required.parts == (1,)


def test_without_a_required_section_every_table_with_a_role_is_required(tmp_path: Path) -> None:
    path = _write(tmp_path, "plain", "name: plain\ntitle: x\ntables:\n"
                  "  - {id: A, number: '1', title: 收支总表, builder: two_sided, role: summary}\n"
                  "  - {id: B, number: '2', title: 其他表, builder: func_tree, role: other}\n"
                  "  - {id: C, number: '3', title: 无角色表, builder: func_tree}\n")
    assert load_template_file(path).required.tables == (Role.SUMMARY,)
