"""A budget's entry files, independent of HTTP: the XLSX entry template to download, and an
uploaded file (the template filled in, or a YAML / JSON budget source) checked against the budget
and saved as its working copy. Reading and checking a file (``read_upload``) needs only the
budget's ``UploadTarget``: the web system runs it as a background job in a worker process
(``jobs.JobRunner.start_upload``), ``read_upload_outcome`` giving the result as plain data."""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from deptbudget.sources import xlsx_template as xt
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import Budget, User
from deptbudget.web import services, upload_limits

DEEP = "文件的嵌套层次过深，无法读取。预算没有任何改动。"


class UploadRefused(Exception):
    """The file cannot be used at all (nothing is changed)."""

    def __init__(self, message: str, problems: list[Problem] | None = None, status: int = 422) -> None:
        self.message, self.problems, self.status = message, problems or [], status
        super().__init__(message)


@dataclass(frozen=True)
class UploadTarget:
    """What reading an upload needs to know of its budget (picklable: sent to a worker process)."""

    fiscal_year: int
    unit_code: str
    unit_name: str
    source_format: str

    @classmethod
    def of(cls, budget: Budget) -> UploadTarget:
        return cls(budget.fiscal_year, budget.unit.code, budget.unit.name, budget.source_format)


@dataclass(frozen=True)
class UploadRead:
    """An upload read and checked: the source to save and the problems placed at cells, or why it
    was refused (``refused``, with its problems and HTTP status)."""

    text: str = ""
    fmt: str = ""
    problems: list[Problem] = field(default_factory=list)
    refused: str = ""
    status: int = 422


def read_upload_outcome(target: UploadTarget, filename: str, data: bytes) -> UploadRead:
    """``read_upload`` with its refusal as data (what the upload job runs in its worker process)."""
    try:
        text, fmt, problems = read_upload(target, filename, data)
    except UploadRefused as exc:
        return UploadRead(problems=exc.problems, refused=exc.message, status=exc.status)
    except RecursionError:  # a document nested thousands deep
        return UploadRead(refused=DEEP)
    return UploadRead(text, fmt, problems)


def entry_template(budget: Budget) -> bytes:
    """The XLSX entry template of the budget, filled with its working copy."""
    try:
        doc: Any = load_document(budget.source, budget.source_format)
    except SourceError:
        doc = {"fiscal_year": budget.fiscal_year, "unit": {"name": budget.unit.name}}
    with tempfile.TemporaryDirectory(prefix="deptbudget-template-") as tmp:
        path = Path(tmp) / "template.xlsx"
        xt.write_entry_template(doc, budget.fiscal_year, path, unit_code=budget.unit.code)
        return path.read_bytes()


def read_upload(budget: UploadTarget, filename: str, data: bytes) -> tuple[str, str, list[Problem]]:
    """The uploaded file → (source text, format, problems placed at cells). Raises UploadRefused
    when the file cannot be used at all (nothing is changed then)."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            upload_limits.check_workbook(io.BytesIO(data))
        except upload_limits.WorkbookTooLarge as exc:
            raise UploadRefused(upload_limits.refusal(exc), status=413) from None
        with tempfile.TemporaryDirectory(prefix="deptbudget-upload-") as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            try:
                entry = xt.read_entry_document(path, filename)
            except SourceError as exc:
                raise UploadRefused("上传的文件无法使用，预算没有任何改动：", exc.problems) from None
        if entry.fiscal_year != budget.fiscal_year:
            raise UploadRefused(f"这是 {entry.meta.get('fiscal_year') or '未知'} 年的模板，而本预算是 "
                                f"{budget.fiscal_year} 年：请下载本预算的模板。预算没有任何改动。")
        if entry.unit_code != budget.unit_code:
            raise UploadRefused(f"这是单位 {entry.meta.get('unit_name') or entry.unit_code or '未知'}"
                                f"（{entry.unit_code or '无代码'}）的模板，而本预算属于 {budget.unit_name}"
                                f"（{budget.unit_code}）：请下载本预算的模板。预算没有任何改动。")
        doc = entry.data
        problems = list(entry.problems)
        fmt = budget.source_format
    elif suffix in (".yaml", ".yml", ".json"):
        fmt = "json" if suffix == ".json" else "yaml"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("文件不是 UTF-8 文本，预算没有任何改动。") from None
        try:
            doc = load_document(text, fmt, filename)
        except SourceError as exc:
            raise UploadRefused("源文件有语法错误，预算没有任何改动：", exc.problems) from None
        problems = []
        year = doc.get("fiscal_year")
        if year != budget.fiscal_year:
            raise UploadRefused(f"源文件的预算年度是 {year}，而本预算是 {budget.fiscal_year} 年。预算没有任何改动。")
        entry = None
    else:
        raise UploadRefused("不支持的文件类型：请上传本系统的 XLSX 录入模板（.xlsx），或 YAML / JSON 预算源文件。")
    unit = doc.get("unit") if isinstance(doc.get("unit"), dict) else {}
    name = str(unit.get("name") or "").strip()
    code = str(unit.get("agency_code") or "").strip()
    if name and name != budget.unit_name:
        raise UploadRefused(f"文件中的单位名称“{name}”与本预算的单位“{budget.unit_name}”不一致。预算没有任何改动。")
    if code and code != budget.unit_code:
        raise UploadRefused(f"文件中的单位代码 {code} 与本预算的单位代码 {budget.unit_code} 不一致。预算没有任何改动。")
    doc = xt.normalize_document(doc)
    doc.setdefault("unit", {}).setdefault("name", budget.unit_name)
    doc["unit"].setdefault("agency_code", budget.unit_code)
    text = dump_document(doc, fmt)
    check = services.check_source(text, fmt, filename)
    if entry is not None:
        problems += xt.locate_problems(entry, check.problems, filename)
    else:
        problems += check.problems
    return text, fmt, problems


def upload(db: Session, budget: Budget, user: User, filename: str, data: bytes,
           expected_version: int | None) -> tuple[list[Any], list[Problem]]:
    """Read the file and save it as the working copy (audited with the file's SHA-256). Returns the
    changes and the problems found. ``UploadRefused``, or the errors of ``services.save_source``."""
    try:
        text, fmt, problems = read_upload(UploadTarget.of(budget), filename, data)
        digest = hashlib.sha256(data).hexdigest()
        changes = services.save_source(db, budget, user, text, fmt, expected_version, action="upload",
                                       comment=f"上传 {filename}（SHA-256 {digest[:16]}…）")
    except RecursionError:  # a document nested thousands deep
        db.rollback()
        raise UploadRefused(DEEP) from None
    return changes, problems
