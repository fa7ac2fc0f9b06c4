"""`deptbudget import/check --together`: a disclosure published as two files (情况说明 + 报表) is read
and checked as one; without the option each file stays its own result, named as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deptbudget.cli import main

NARRATIVE = """\
2026年测试局部门预算
第一部分 2026年度部门预算情况说明
一、部门情况说明
测试局负责测试工作。
二、收入预算情况说明
2026年度收入预算1,000.00万元。
"""

TABLES = """\
测试局2026年度部门预算报表
预算01表 收支总表
金额单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1,000.00\t一、社会保障和就业支出\t1,000.00
本年收入合计\t1,000.00\t本年支出合计\t1,000.00
上年结转结余\t\t年终结转结余\t
收入总计\t1,000.00\t支出总计\t1,000.00
预算05表 一般公共预算支出表
金额单位：万元
科目编码\t科目名称\t合计\t基本支出小计\t人员经费\t公用经费\t项目支出总数\t扣除基建项目后预算数
2080505\t机关事业单位基本养老保险缴费支出\t1,000.00\t1,000.00\t1,000.00\t\t\t
合   计\t\t1,000.00\t1,000.00\t1,000.00\t\t\t
预算07表 政府性基金预算支出表
金额单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
合    计\t\t\t\t
"""


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    narrative, tables = tmp_path / "测试局_附件1.txt", tmp_path / "测试局_附件2.txt"
    narrative.write_text(NARRATIVE, encoding="utf-8")
    tables.write_text(TABLES, encoding="utf-8")
    return [str(narrative), str(tables)]


def test_import_together_writes_one_disclosure(files: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["import", "--together", *files, "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["测试局_附件1.disclosure.json", "测试局_附件1.import-report.json"]
    data = json.loads((out / "测试局_附件1.disclosure.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in data["tables"]] == ["T1", "T5", "T8"]  # the tables of 附件2 (预算07表 is T8)
    assert data["parts"] and data["template"] == "beijing-13"  # the narrative of 附件1
    report = json.loads((out / "测试局_附件1.import-report.json").read_text(encoding="utf-8"))
    assert report["source"] == " + ".join(files)


def test_import_without_together_keeps_one_result_per_file(files: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["import", *files, "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".disclosure.json")) == [
        "测试局_附件1.disclosure.json", "测试局_附件2.disclosure.json"]


def test_check_together_is_one_result(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--json", "--together", *files])
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert result["path"] == " + ".join(files) and "error" not in result
    missing = {f["table"] for f in result["findings"] if f["rule"] == "CMP-TABLE-MISSING"}
    assert missing and not missing & {"表1", "表5", "表7"}  # labelled as the document numbers them (预算07表)


def test_check_together_unreadable_piece(files: list[str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", "--together", files[0], str(tmp_path / "missing.pdf")]) == 2
    assert "error" in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("text", "tables"), [
    ("2026年北京市审计局部门预算.pdf", "审计局_附件2：北京市审计局2026年度部门预算报表.pdf"),
    ("2026年北京市信访办公室部门预算.pdf", "政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf"),
    ("气象局_2026年部门预算.pdf", "气象局_附件2：北京市气象局2026年度部门预算报表.pdf"),
])
def test_a_real_disclosure_in_two_files_checks_clean_together(text: str, tables: str) -> None:
    """北京 publishes 附件1 情况说明 and 附件2 报表 apart; read together, the text's figures (32852.05万元) agree
    with the tables' (32,852.048900, 万元 to the yuan) and nothing is missing: check is silent."""
    from deptbudget.commands.check import check_paths
    from deptbudget.rules import Severity
    from tests.real_docs import REAL_DOCS

    [result] = check_paths([str(REAL_DOCS / "002_北京" / text), str(REAL_DOCS / "002_北京" / tables)], together=True)
    assert result.error is None
    counted = [f"{f.rule} {f.table} {f.row} {f.message[:60]}" for f in result.findings
               if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert counted == []
