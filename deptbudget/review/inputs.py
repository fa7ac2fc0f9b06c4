"""Reading what ``deptbudget review`` is given: a budget source (YAML), a Disclosure JSON or a
published document (through ``deptbudget.importers.import_document``); and the dates that decide
timeliness. Every failure is an ``InputError`` with a one-line Chinese reason, never a traceback.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from deptbudget.model.disclosure import Disclosure
from deptbudget.review.structure import Dates

_DATE_KEYS = {"approved": ("approved", "approval_date", "批复日期"), "published": ("published", "publication_date",
                                                                                   "公开日期")}


class InputError(Exception):
    """An input that cannot be reviewed; the message says why."""


def load_documents(paths: list[Path]) -> Disclosure:
    """One disclosure from one file, or from the pieces it was published in (情况说明 + 报表)."""
    if len(paths) == 1:
        return load_document(paths[0])
    from deptbudget.importers.combine import combine_disclosures

    pieces = []
    for path in paths:
        try:
            pieces.append(load_document(path))
        except InputError as exc:
            raise InputError(f"{path}：{exc}") from exc
    return combine_disclosures(pieces)


def load_document(path: Path) -> Disclosure:
    if not path.exists():
        raise InputError("文件不存在")
    if path.is_dir():
        raise InputError("是目录而不是文件")
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return _budget(path)
        if suffix == ".json":
            return _json(path)
        return _published(path)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}") from exc
    except Exception as exc:  # a reader's failure is an unreadable input, not a crash
        raise InputError(f"无法读取（{type(exc).__name__}）：{exc}") from exc


def _budget(path: Path) -> Disclosure:
    from deptbudget.commands.source_disclosure import source_disclosure
    from deptbudget.sources.errors import SourceError
    from deptbudget.template import TemplateError

    try:
        return source_disclosure(path)
    except SourceError as exc:
        first = exc.problems[0] if exc.problems else ""
        raise InputError(f"预算源文件有 {len(exc.problems)} 处问题，无法生成公开文件（第一处：{first}）") from exc
    except TemplateError as exc:
        raise InputError(f"模板错误：{exc}") from exc


def _json(path: Path) -> Disclosure:
    from deptbudget.model.serialize import loads

    try:
        return loads(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise InputError("不是 UTF-8 编码的 JSON") from exc
    except ValueError as exc:  # JSON syntax or a malformed Disclosure (DisclosureFormatError)
        raise InputError(f"不是有效的披露数据 JSON：{exc}") from exc


def _published(path: Path) -> Disclosure:
    try:
        from deptbudget.importers import import_document
    except ImportError as exc:
        raise InputError(f"不支持的格式 {path.suffix or '（无扩展名）'}：导入功能不可用") from exc
    from deptbudget.importers.errors import DocumentError

    try:
        disclosure, _ = import_document(path)
    except DocumentError as exc:
        detail = f"：{exc.detail}" if exc.detail else ""
        raise InputError(f"{exc.reason_zh}{detail}") from exc
    return disclosure


def parse_date(text: str) -> date:
    """2020-01-15, 2020/1/15, 2020.1.15 or 2020年1月15日."""
    cleaned = text.strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    try:
        year, month, day = (int(x) for x in cleaned.split("-"))
        return date(year, month, day)
    except ValueError:
        raise InputError(f"日期格式不对：{text!r}（应为 2020-01-15）") from None


def dates_from_meta(disclosure: Disclosure) -> Dates:
    """Dates a disclosure carries in ``meta`` (approved / published), when it does."""
    found: dict[str, date | None] = {}
    for field, keys in _DATE_KEYS.items():
        value = next((disclosure.meta[k] for k in keys if disclosure.meta.get(k)), None)
        try:
            found[field] = parse_date(value) if value else None
        except InputError:
            found[field] = None
    return Dates(found["approved"], found["published"])


def read_dates_file(path: Path) -> dict[str, Dates]:
    """A CSV with columns 文件 (or file), 批复日期 (approved), 公开日期 (published); keyed by file name."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"无法读取日期文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"日期文件 {path} 第 {exc.start} 字节：不是 UTF-8 文本 (not UTF-8 text)") from None
    out: dict[str, Dates] = {}
    for line, row in enumerate(csv.DictReader(text.splitlines()), 2):
        name = (row.get("文件") or row.get("file") or "").strip()
        if not name:
            raise InputError(f"日期文件 {path} 第 {line} 行没有文件名（列名应为 文件、批复日期、公开日期）")
        approved = (row.get("批复日期") or row.get("approved") or "").strip()
        published = (row.get("公开日期") or row.get("published") or "").strip()
        try:
            out[name] = Dates(parse_date(approved) if approved else None,
                              parse_date(published) if published else None)
        except InputError as exc:
            raise InputError(f"日期文件 {path} 第 {line} 行：{exc}") from None
    return out


def merge_dates(*candidates: Dates) -> Dates:
    """The first known approval and publication date among the candidates."""
    approved = next((c.approved for c in candidates if c.approved is not None), None)
    published = next((c.published for c in candidates if c.published is not None), None)
    return Dates(approved, published)
