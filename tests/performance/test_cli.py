"""`deptbudget evaluate`: a summary and the reports on good actuals; on bad actuals, errors naming
file, place and problem, exit 1, and nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deptbudget.cli import main
from deptbudget.performance.actuals import load_actuals as _load
from deptbudget.performance.actuals import write_actuals_xlsx

from .conftest import ACTUALS, MIDYEAR, SEED


def test_evaluate_prints_summary_and_writes_reports(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["evaluate", str(SEED), "--actuals", str(ACTUALS), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["selfeval.html", "selfeval.pdf", "selfeval.xlsx"]
    text = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith(("LHKCJ", "部门整体"))}
    assert len(lines) == 20
    assert lines["LHKCJ2020-15"][-3:] == ["26.00%", "74.10", "中"]
    assert lines["LHKCJ2020-03"][-3:] == ["100.00%", "100.00", "优"]
    assert lines["部门整体"][-2:] == ["90.29", "优"]
    assert "项目 19 个：优 13，良 5，中 1" in text


def test_evaluate_without_output_only_prints(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", str(SEED), "--actuals", str(ACTUALS)]) == 0
    assert "74.10" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_evaluate_reads_xlsx_actuals(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from deptbudget.sources.yaml_source import load_budget

    book = tmp_path / "actuals.xlsx"
    write_actuals_xlsx(load_budget(SEED), book, _load(ACTUALS))
    assert main(["evaluate", str(SEED), "--actuals", str(book), "-o", str(tmp_path / "o"), "--formats", "html"]) == 0
    assert "74.10" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["selfeval.html"]


def test_midyear(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "mid"
    assert main(["evaluate", str(SEED), "--actuals", str(MIDYEAR), "--midyear", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "截至 2020-06-30" in text and "执行进度滞后（0.00% < 时间进度 49.73%）" in text
    assert sorted(p.name for p in out.iterdir()) == ["midyear.html", "midyear.pdf", "midyear.xlsx"]


def test_stage_must_match_the_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["evaluate", str(SEED), "--actuals", str(MIDYEAR), "-o", str(tmp_path / "o")]) == 1
    assert "请加 --midyear" in capsys.readouterr().err
    assert main(["evaluate", str(SEED), "--actuals", str(ACTUALS), "--midyear"]) == 1
    assert "请去掉 --midyear" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


SAMPLE = ACTUALS.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(k for k, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("change", "expected"), [
    # unknown project code
    (("  LHKCJ2020-19:", "  LHKCJ2020-99:"),
     ["projects.LHKCJ2020-99", "预算中没有项目编码 LHKCJ2020-99 (unknown project code)"]),
    # unknown indicator name
    (("      聘请人数: 6", "      聘用人数: 6"),
     ["projects.LHKCJ2020-18.indicators.聘用人数", "没有名为「聘用人数」的指标 (unknown indicator)"]),
    # a non-number for a quantitative indicator
    (("      检查单位数量: 312", "      检查单位数量: 三百多家"),
     ["projects.LHKCJ2020-19.indicators.检查单位数量", "定量指标的实际值应为数字，不是「三百多家」"]),
    # a number in another unit
    (('      接入全区商业停车场率: "85%"', '      接入全区商业停车场率: "85 个"'),
     ["projects.LHKCJ2020-03.indicators.接入全区商业停车场率", "单位与目标值（「%」）不一致"]),
    # a grade that does not exist
    (("      学习氛围: 达成", "      学习氛围: 很好"), ["projects.LHKCJ2020-14.indicators.学习氛围", "不是「很好」"]),
    # a missed target without an explanation
    (("      党建活动参与人数: 16", "      党建活动参与人数: 12"),
     ["projects.LHKCJ2020-14.indicators.党建活动参与人数", "未达成目标（目标 ≥15 人，实际 12 人）",
      "须说明偏差原因及改进措施"]),
    # money that is not money
    (('    spent: "77,000.00"', '    spent: "七万七"'), ["projects.LHKCJ2020-14.spent", "不是金额"]),
    # the wrong year
    (("fiscal_year: 2020", "fiscal_year: 2021"), ["fiscal_year", "年度 2021 与预算年度 2020 不一致"]),
])
def test_bad_actuals_are_refused_and_nothing_is_written(tmp_path: Path, capsys, change, expected) -> None:  # type: ignore[no-untyped-def]
    old, new = change
    assert old in SAMPLE
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["evaluate", str(SEED), "--actuals", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "未生成任何文件" in err and f"{bad}" in err
    for part in expected:
        assert part in err, err
    if new.strip() and new.split(":")[0].strip() != "fiscal_year":
        line = _line_of(bad.read_text(encoding="utf-8"), new.strip())
        assert f"{bad}:{line}:" in err, err
    assert not out.exists()


def test_every_problem_is_listed_at_once(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    text = (SAMPLE.replace("  LHKCJ2020-19:", "  LHKCJ2020-99:", 1)
            .replace("      聘请人数: 6", "      聘用人数: 6", 1)
            .replace("      学习氛围: 达成", "      学习氛围: 很好", 1))
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    assert main(["evaluate", str(SEED), "--actuals", str(bad)]) == 1
    assert "有 3 处问题" in capsys.readouterr().err


def test_missing_explanations_are_all_listed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # drop every explanation of project 13 (高交会): its four missed targets are listed
    lines = SAMPLE.splitlines()
    start = lines.index("  LHKCJ2020-13:                          # 高交会、创客周组展项目 600,000.00")
    end = lines.index("  LHKCJ2020-14:                          # 基层党组织党建工作经费 80,000.00")
    kept = lines[:start] + [line for line in lines[start:end] if "explanation:" not in line] + lines[end:]
    bad = tmp_path / "bad.yaml"
    bad.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert main(["evaluate", str(SEED), "--actuals", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "有 4 处问题" in err
    for name in ("每场科技活动吸引人数", "吸引参观访客人次", "与企业建立合作意向数", "企业订单及交易额"):
        assert f"指标「{name}」未达成目标" in err


def test_bad_xlsx_actuals_name_sheet_and_row(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from deptbudget.sources.yaml_source import load_budget

    book = tmp_path / "actuals.xlsx"
    write_actuals_xlsx(load_budget(SEED), book, _load(ACTUALS))
    wb = load_workbook(book)
    sheet = wb["指标"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value == "检查单位数量")
    sheet.cell(row, 6).value = "很多"
    wb["项目"].cell(2, 1).value = "XX-01"
    wb.save(book)
    assert main(["evaluate", str(SEED), "--actuals", str(book)]) == 1
    err = capsys.readouterr().err
    assert f"{book}: 工作表「指标」第 {row} 行: 指标「检查单位数量」：定量指标的实际值应为数字" in err
    assert f"{book}: 工作表「项目」第 2 行: 预算中没有项目编码 XX-01" in err


def test_missing_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["evaluate", str(SEED), "--actuals", str(tmp_path / "none.yaml")]) == 1
    assert "文件不存在" in capsys.readouterr().err
    garbage = tmp_path / "x.xlsx"
    garbage.write_text("not a workbook", encoding="utf-8")
    assert main(["evaluate", str(SEED), "--actuals", str(garbage)]) == 1
    assert "不是有效的 XLSX 文件" in capsys.readouterr().err


def test_command_line_entry_point(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "deptbudget.cli", "evaluate", str(SEED), "--actuals", str(ACTUALS)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_repeated_format_is_written_once(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["evaluate", str(SEED), "--actuals", str(ACTUALS), "-o", str(out), "--formats", "html,HTML"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["selfeval.html"]


@pytest.mark.parametrize("option, content, words", [
    ("--rules", b"\xff\xfe\x00 garbage", "不是 UTF-8"),
    ("--actuals", None, "是目录而不是文件"),
])
def test_evaluate_unreadable_rules_or_actuals(tmp_path: Path, capsys, option: str, content: bytes | None,  # type: ignore[no-untyped-def]
                                              words: str) -> None:
    bad = tmp_path / "bad.yaml"
    if content is None:
        bad.mkdir()
    else:
        bad.write_bytes(content)
    args = ["evaluate", str(SEED), "--actuals", str(ACTUALS), "-o", str(tmp_path / "out"), option, str(bad)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and words in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_evaluate_refuses_to_overwrite_its_own_actuals(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    actuals = tmp_path / "selfeval.html"  # an odd name, but YAML: the report would land on it
    actuals.write_bytes(ACTUALS.read_bytes())
    assert main(["evaluate", str(SEED), "--actuals", str(actuals), "-o", str(tmp_path), "--formats", "html"]) == 1
    assert "覆盖输入文件" in capsys.readouterr().err
    assert actuals.read_bytes() == ACTUALS.read_bytes()
