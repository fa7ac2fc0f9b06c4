"""The standard parts of a narrative under their local names and numbering (narrative-parts.yaml)."""

from __future__ import annotations

import pytest

from deptbudget.model.narrative_parts import (
    PartsError,
    numbering_of,
    parse_parts,
    parts_vocabulary,
    standard_part,
    strip_numbering,
)


@pytest.mark.parametrize(("heading", "key"), [
    ("一、主要职能", "functions"),
    ("（一）本部门职责情况", "functions"),
    ("上海市审计局（单位）主要职能", "functions"),
    ("上海市审计局（单位）机构设置", "organisation"),
    ("三、预算单位构成", "organisation"),
    ("第二部分：部门预算收支情况说明", "income_expenditure"),
    ("二、收入预算情况说明", "income_expenditure"),
    ("2026年单位预算编制说明", "income_expenditure"),
    ("六、财政拨款收支情况说明", "fiscal"),
    ("七、一般公共预算拨款支出明细情况说明", "general_budget"),
    ("四、财政拨款“三公”经费预算情况说明", "three_public"),  # 三公 before 财政拨款
    ("十、“三公”经费及会议费、培训费情况说明", "three_public"),
    ("二、机关运行经费预算", "admin_operating"),
    ("（一）政府采购预算说明", "procurement"),
    ("五、国有资产占有使用情况", "assets"),
    ("四、绩效目标设置情况", "performance"),
    ("第四部分：专业名词解释", "glossary"),
    ("六、专业性名词解释", "glossary"),
    ("其他相关情况说明", "other"),
])
def test_local_names_name_their_standard_part(heading: str, key: str) -> None:
    found = standard_part(heading)
    assert found is not None and found.key == key


@pytest.mark.parametrize("heading", ["附件：北京市审计局 2026 年度部门预算报表", "单位：万元", "合计",
                                     "2026年北京市信访办公室部门预算"])
def test_other_lines_name_no_part(heading: str) -> None:
    assert standard_part(heading) is None


def test_a_sentence_is_too_long_to_be_a_heading() -> None:
    sentence = "主要职能包括贯彻执行有关审计工作的法律法规规章和方针政策并组织实施全市审计工作的各项任务"
    assert standard_part("一、" + sentence) is None


@pytest.mark.parametrize(("heading", "numbering", "rest"), [
    ("第一部分 部门概况", "第一部分", "部门概况"),
    ("第二部分：部门预算收支情况说明", "第二部分：", "部门预算收支情况说明"),
    ("十一、国有资产占有使用及资产购置情况说明", "十一、", "国有资产占有使用及资产购置情况说明"),
    ("（三）绩效目标设置情况", "（三）", "绩效目标设置情况"),
    ("2. 公务接待费", "2.", "公务接待费"),
    ("名词解释", "", "名词解释"),
])
def test_numbering_in_any_style(heading: str, numbering: str, rest: str) -> None:
    assert numbering_of(heading) == numbering
    assert strip_numbering(heading) == rest


def test_figures_and_scopes_of_the_shipped_parts() -> None:
    vocabulary = parts_vocabulary()
    assert vocabulary.part("three_public").figures == (5,)
    assert vocabulary.part("fiscal").scope == "fiscal"
    assert vocabulary.part("income_expenditure").scope == ""
    assert vocabulary.part("functions").figures == ()


@pytest.mark.parametrize("text", [
    "parts: {}",
    "parts:\n  - {key: a}",
    "parts:\n  - {key: a, names: ['(']}",
    "parts:\n  - {key: a, names: [x]}\n  - {key: a, names: [y]}",
])
def test_a_malformed_file_is_refused(text: str) -> None:
    with pytest.raises(PartsError):
        parse_parts(text)
