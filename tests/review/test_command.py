"""``deptbudget review FILE... -o DIR``: reports per document and for the batch, clear errors, nothing
half-written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from deptbudget.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "luohu-2020.yaml"
AS_PUBLISHED = ROOT / "tests" / "fixtures" / "luohu-2020-as-published.json"
SEED_TEXT = ROOT / "tests" / "fixtures" / "luohu-2020-seed.txt"


def summary(out: Path) -> list[dict[str, str]]:
    sheet = openpyxl.load_workbook(out / "review-summary.xlsx")["汇总"]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_batch_with_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "missing.pdf"
    status = main(["review", str(EXAMPLE), str(AS_PUBLISHED), str(missing), "-o", str(out),
                   "--approved", "2020-01-10", "--published", "2020-01-25"])
    captured = capsys.readouterr()
    assert status == 2
    assert f"错误：{missing}：文件不存在" in captured.err and "Traceback" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == [
        "luohu-2020-as-published.review.html", "luohu-2020-as-published.review.pdf",
        "luohu-2020-as-published.review.xlsx", "luohu-2020.review.html", "luohu-2020.review.pdf",
        "luohu-2020.review.xlsx", "review-summary.xlsx"]
    rows = summary(out)
    assert [r["文件"] for r in rows] == [str(EXAMPLE), str(AS_PUBLISHED), str(missing)]
    assert rows[0]["部门预算在财政部门批复后 20 日内向社会公开"] == "是"
    assert rows[0]["等级"].startswith("优") and rows[1]["表5 项目支出预算表"] == "否"
    assert rows[2]["状态"] == "无法读取：文件不存在"
    assert "得分" in captured.out


def test_published_text_is_imported(tmp_path: Path) -> None:
    assert main(["review", str(SEED_TEXT), "-o", str(tmp_path)]) == 0
    [row] = summary(tmp_path)
    assert row["单位"] == "罗湖区科技创新局" and row["部门预算在财政部门批复后 20 日内向社会公开"] == "未提供"
    assert row["名词解释（第八部分）"] == "否"


def test_dates_per_file(tmp_path: Path) -> None:
    dates = tmp_path / "dates.csv"
    dates.write_text(f"文件,批复日期,公开日期\n{EXAMPLE.name},2020年1月10日,2020/2/20\n", encoding="utf-8")
    assert main(["review", str(EXAMPLE), "-o", str(tmp_path / "o"), "--dates", str(dates)]) == 0
    [row] = summary(tmp_path / "o")
    assert row["部门预算在财政部门批复后 20 日内向社会公开"] == "否"


@pytest.mark.parametrize(("content", "suffix", "words"), [
    ("{not json", ".json", "不是有效的披露数据 JSON"),
    ('{"template": "x"}', ".json", "不是有效的披露数据 JSON"),
    ("unit: [broken", ".yaml", ""),
    ("这不是预算文件。\n", ".txt", ""),
])
def test_unreadable_inputs_say_why(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, suffix: str,
                                   words: str) -> None:
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(content, encoding="utf-8")
    assert main(["review", str(bad), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{bad}：") and words in err and "Traceback" not in err
    assert [r["状态"].startswith("无法读取") for r in summary(tmp_path / "o")] == [True]


@pytest.mark.parametrize("options", [["--approved", "2020-13-45"], ["--checklist", "nowhere"],
                                     ["--dates", "/nonexistent/dates.csv"]])
def test_bad_options_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]) -> None:
    out = tmp_path / "o"
    assert main(["review", str(EXAMPLE), "-o", str(out), *options]) == 2
    assert capsys.readouterr().err.startswith("错误：")
    assert not out.exists()


@pytest.mark.parametrize("content, words", [(b"\xff\xfe\x00garbage", "不是 UTF-8"),
                                            ("文件,批复日期\nx.yaml,2020-99-01\n".encode(), "第 2 行")])
def test_bad_dates_file_names_file_and_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                               words: str) -> None:
    dates = tmp_path / "dates.csv"
    dates.write_bytes(content)
    out = tmp_path / "o"
    assert main(["review", str(EXAMPLE), "-o", str(out), "--dates", str(dates)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：日期文件 {dates}") and words in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_template_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    assert main(["review", str(EXAMPLE), "-o", str(out), "--template", "nowhere"]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err
    assert not out.exists()


def test_a_writer_failure_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import deptbudget.review.html_report as html_report

    def broken(*args: object) -> None:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(html_report, "write_review_html", broken)
    out = tmp_path / "o"
    assert main(["review", str(EXAMPLE), str(AS_PUBLISHED), "-o", str(out)]) == 1
    assert "未写入任何文件" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_same_names_do_not_overwrite_each_other(tmp_path: Path) -> None:
    copy = tmp_path / "a" / "luohu-2020.yaml"
    copy.parent.mkdir()
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["review", str(EXAMPLE), str(copy), "-o", str(tmp_path / "o")]) == 0
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert {"luohu-2020.review.xlsx", "luohu-2020-2.review.xlsx"} <= names


def test_a_disclosure_published_in_two_files_is_reviewed_together(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from tests.real_docs import REAL_DOCS

    text = REAL_DOCS / "002_北京" / "2026年北京市审计局部门预算.pdf"
    tables = REAL_DOCS / "002_北京" / "审计局_附件2：北京市审计局2026年度部门预算报表.pdf"
    assert main(["review", str(text), "-o", str(tmp_path / "apart")]) == 0
    [alone] = summary(tmp_path / "apart")
    assert alone["部门收支总表"] == "未提供"  # the 说明 alone names its tables as an attachment: not judged
    assert "报表另文公开（附件：北京市审计局2026年度部门预算报表），未随本文件提供，未审查；请用 --together" \
        in capsys.readouterr().out
    assert main(["review", "--together", str(text), str(tables), "-o", str(tmp_path / "one")]) == 0
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        "2026年北京市审计局部门预算.review.html", "2026年北京市审计局部门预算.review.pdf",
        "2026年北京市审计局部门预算.review.xlsx", "review-summary.xlsx"]
    [row] = summary(tmp_path / "one")
    assert "--together" not in capsys.readouterr().out
    for item in ("主要职能（部门职责）", "部门收支总表", "一般公共预算“三公”经费支出表", "政府性基金预算支出表"):
        assert row[item] == "是", item
