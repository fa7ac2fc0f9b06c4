"""The files of the 绩效 pages (issue 7): the entry workbook to download (``write_actuals_xlsx``), an
uploaded workbook or YAML file read as ``Actuals`` (refused when unreadable, of another type, or too
big once unpacked), and the reports and the finance bureau's overview written as HTML, XLSX or PDF
(the performance module's writers)."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

from deptbudget.performance import Actuals, Stage, load_actuals, write_actuals_xlsx
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.models import Budget
from deptbudget.web import services, upload_limits
from deptbudget.web.perf_targets import Targets
from deptbudget.web.perf_values import Checked, canonical

FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def entry_workbook(t: Targets, stage: Stage, actuals: Actuals | None) -> bytes:
    """The XLSX entry template of a stage, filled with the values entered so far."""
    with tempfile.TemporaryDirectory(prefix="deptbudget-actuals-") as tmp:
        path = Path(tmp) / "actuals.xlsx"
        write_actuals_xlsx(t.budget, path, actuals, stage)
        return path.read_bytes()


def read_upload(filename: str, content: bytes) -> Any:
    """The uploaded file → ``Actuals``; ``SourceError`` when it cannot be read."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".yaml", ".yml"):
        raise SourceError([Problem(filename, "文件", "不支持的文件类型：请上传本页下载的 XLSX 模板，或 YAML 文件。")])
    with tempfile.TemporaryDirectory(prefix="deptbudget-actuals-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        if suffix in (".xlsx", ".xlsm"):
            if not zipfile.is_zipfile(path):
                raise SourceError([Problem(filename, "文件", "不是有效的 XLSX 文件，或文件已损坏。")])
            try:
                with path.open("rb") as stream:
                    upload_limits.check_workbook(stream)
            except upload_limits.WorkbookTooLarge as exc:
                raise SourceError([Problem(filename, "文件", upload_limits.refusal(exc))]) from None
        try:
            return load_actuals(path, source=filename)
        except RecursionError:
            raise SourceError([Problem(filename, "文件", "文件的嵌套层次过深，无法读取。")]) from None


def write_forms(forms: list[Any], fmt: str, title: str) -> bytes:
    """Report forms (``performance.forms``) as one file of ``fmt`` (html, xlsx, pdf)."""
    from deptbudget.performance.render import write_html, write_pdf, write_xlsx

    with tempfile.TemporaryDirectory(prefix="deptbudget-perf-") as tmp:
        path = Path(tmp) / f"report.{fmt}"
        if fmt == "html":
            write_html(forms, path, title)
        elif fmt == "xlsx":
            write_xlsx(forms, path)
        else:
            write_pdf(forms, path, title)
        return path.read_bytes()


def uploaded_values(t: Targets, stage: Stage, filename: str, content: bytes) -> dict[str, Any]:
    """An uploaded file's values keyed as the forms key them; ``Refused`` (with the problems) when the
    file cannot be read or does not fit the budget — nothing is changed then."""
    try:
        actuals = read_upload(filename, content)
    except SourceError as exc:
        raise services.Refused("上传的文件无法使用，没有任何改动：", problems=exc.problems) from None
    data, problems = canonical(t, stage, actuals)
    if problems:
        raise services.Refused("上传的文件与本预算不符，没有任何改动：", problems=problems)
    return data


def stage_report(budget: Budget, t: Targets, checked: Checked, fmt: str) -> bytes:
    """The 绩效自评 or 绩效运行监控 report of a budget (``performance.forms``) as ``fmt``."""
    from deptbudget.performance.forms import midyear_forms, selfeval_forms

    if checked.evaluation is not None:
        forms = selfeval_forms(checked.evaluation, t.budget)
        title = f"{budget.fiscal_year} 年度{budget.unit.name}绩效自评报告"
    else:
        assert checked.monitoring is not None
        forms = midyear_forms(checked.monitoring)
        title = f"{budget.fiscal_year} 年度{budget.unit.name}绩效运行监控报告"
    return write_forms(forms, fmt, title)
