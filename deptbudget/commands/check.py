"""``deptbudget check PATH... [--json] [--template NAME]``: audit disclosures with every rule.

PATH is a budget source (``.yaml``/``.yml``: loaded and computed), a Disclosure JSON (``.json``)
or a published document read by ``deptbudget.importers.import_document`` when that importer is
installed. Catalogs and template settings are loaded once for all paths. With ``--together`` the
paths are one disclosure published in pieces (说明 + 报表), checked as one.

Exit status: 0 when no input has an error, 1 when any has, 2 when an input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from deptbudget.model.disclosure import Disclosure
from deptbudget.rules import Checker, Finding, Severity
from deptbudget.rules.registry import SettingsError, load_settings

SOURCE_RULE = "SRC-PROBLEM"
_TABLE_ORDER_TAIL = ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分", "第六部分", "第七部分", "第八部分",
                     "目录")
_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.NOTE: "\033[36m"}
_RESET = "\033[0m"


class Unreadable(Exception):
    """An input that cannot be read at all (exit status 2)."""


@dataclass
class Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the input could not be read

    @property
    def ok(self) -> bool:
        return self.error is None and not any(f.severity is Severity.ERROR for f in self.findings)

    def to_json(self) -> str:
        data: dict[str, Any] = {"path": self.path, "ok": self.ok,
                                "findings": [f.to_dict() for f in self.findings]}
        if self.error is not None:
            data["error"] = self.error
        return json.dumps(data, ensure_ascii=False)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="检查预算公开文件 (audit disclosures with the validation rules)",
        description="逐表逐格检查预算公开文件：预算源文件（YAML）、披露数据（JSON）或已公开的文件。"
                    "退出码：0 无错误，1 有错误，2 有文件无法读取。",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="预算源文件、披露 JSON 或公开文件")
    parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON (JSON Lines)")
    parser.add_argument("--template", default=None, help="按此模板检查（默认：文件自身的模板）")
    parser.add_argument("--together", action="store_true",
                        help="所有文件是同一份公开文件（如情况说明与报表分两个文件发布），合并检查 "
                             "(the files are one disclosure, e.g. narrative and tables published apart)")
    parser.set_defaults(run=run)


def _source_findings(problems: list[Any]) -> list[Finding]:
    return [Finding(f"预算源文件有误：{p.message}", None, p.place, None, None, None, Severity.ERROR, SOURCE_RULE)
            for p in problems]


class Loader:
    """Reads each kind of input into a Disclosure, loading templates once."""

    def __init__(self, template: str | None) -> None:
        self.template = template
        self._importer: Callable[[str], Any] | None | bool = False

    def importer(self) -> Callable[[str], Any] | None:
        if self._importer is False:
            try:
                from deptbudget.importers import import_document  # type: ignore[attr-defined]
            except ImportError:
                import_document = None
            self._importer = import_document
        return self._importer  # type: ignore[return-value]

    def load(self, path: Path) -> Disclosure | list[Finding]:
        if not path.exists():
            raise Unreadable(f"文件不存在：{path}")
        if path.is_dir():
            raise Unreadable(f"是目录而不是文件：{path}")
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            return self._source(path)
        if suffix == ".json":
            return self._json(path)
        importer = self.importer()
        if importer is None:
            raise Unreadable(f"不支持的格式：{suffix or '（无扩展名）'}"
                             "（可检查 .yaml/.yml 预算源文件或 .json 披露数据）")
        try:
            imported: Any = importer(str(path))
        except Exception as exc:  # an importer failure is a file that cannot be read, not a crash
            raise Unreadable(f"无法读取文件：{exc}") from exc
        return imported[0] if isinstance(imported, tuple) else imported  # (Disclosure, ImportReport)

    def _source(self, path: Path) -> Disclosure | list[Finding]:
        from deptbudget.commands.source_disclosure import source_disclosure
        from deptbudget.sources.errors import SourceError
        from deptbudget.template import TemplateError, load_template

        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Unreadable(f"不是 UTF-8 文本，无法作为预算源文件读取 (not UTF-8, byte {exc.start + 1})") from exc
        except OSError as exc:
            raise Unreadable(f"无法读取文件：{exc.strerror or exc}") from exc
        try:
            template = load_template(self.template) if self.template else None
            return source_disclosure(path, template)
        except SourceError as exc:
            return _source_findings(exc.problems)
        except TemplateError as exc:
            return [Finding(f"模板错误：{exc}", None, None, None, None, None, Severity.ERROR, SOURCE_RULE)]
        except OSError as exc:
            raise Unreadable(f"无法读取文件：{exc.strerror or exc}") from exc

    def _json(self, path: Path) -> Disclosure:
        from deptbudget.model.serialize import loads

        try:
            return loads(path.read_bytes())
        except OSError as exc:
            raise Unreadable(f"无法读取文件：{exc.strerror or exc}") from exc
        except ValueError as exc:  # JSON syntax or DisclosureFormatError
            raise Unreadable(f"不是有效的披露数据 JSON：{exc}") from exc


def _load_together(loader: Loader, paths: list[str]) -> Disclosure | list[Finding]:
    """The paths as one disclosure published in pieces (说明 + 报表)."""
    from deptbudget.importers.combine import combine_disclosures

    pieces = []
    for name in paths:
        loaded = loader.load(Path(name))
        if isinstance(loaded, list):  # a budget source with problems: its findings stand for the whole
            return loaded
        pieces.append(loaded)
    return combine_disclosures(pieces)


def check_paths(paths: list[str], template: str | None = None, together: bool = False) -> list[Result]:
    """Check every path (or, ``together``, all paths as one disclosure); catalogs and template
    settings are loaded once."""
    checker = Checker(template)
    loader = Loader(template)
    results = []
    for names in [paths] if together else [[name] for name in paths]:
        result = Result(" + ".join(names))
        try:
            loaded = _load_together(loader, names) if together else loader.load(Path(names[0]))
        except Unreadable as exc:
            result.error = str(exc)
        else:
            if isinstance(loaded, list):
                result.findings = loaded
            else:
                try:
                    result.findings = _without_overlaps(checker.check(loaded), template or loaded.template)
                except SettingsError as exc:  # a template we have no rules for
                    result.error = f"无法检查：{exc}"
        results.append(result)
    return results


def _without_overlaps(findings: list[Finding], template: str) -> list[Finding]:
    """One finding per problem: where a text rule and a table rule report the same place, the
    template's checklist data (``overlaps``) says which to keep — as ``deptbudget review`` does."""
    from deptbudget.review.checklist import available_checklists, load_checklist
    from deptbudget.review.engine import drop_overlaps

    if template not in available_checklists():
        return findings
    return drop_overlaps(findings, load_checklist(template))


def _table_key(table: str | None) -> tuple[int, int, str]:
    if table is None:
        return (2, 0, "")
    if table.startswith("表"):
        digits = "".join(ch for ch in table[1:] if ch.isdigit())
        return (0, int(digits) if digits else 0, table)
    if table in _TABLE_ORDER_TAIL:
        return (1, _TABLE_ORDER_TAIL.index(table), table)
    return (1, len(_TABLE_ORDER_TAIL), table)


def _counts(findings: list[Finding]) -> dict[Severity, int]:
    return {s: sum(1 for f in findings if f.severity is s) for s in Severity}


def print_human(result: Result, out: TextIO, colour: bool) -> None:
    def paint(text: str, severity: Severity) -> str:
        return f"{_COLOURS[severity]}{text}{_RESET}" if colour else text

    print(result.path, file=out)
    if result.error is not None:
        print(f"  {paint('无法读取', Severity.ERROR)}：{result.error}", file=out)
        return
    groups: dict[str | None, list[Finding]] = {}
    for finding in result.findings:
        groups.setdefault(finding.table, []).append(finding)
    for table in sorted(groups, key=_table_key):
        print(f"  {table or '文件'}", file=out)
        for f in sorted(groups[table], key=lambda f: -(f.severity.rank if f.severity else 0)):
            severity = f.severity or Severity.ERROR
            where = " / ".join(x for x in (f.row, f.column) if x)
            values = ""
            if f.expected is not None or f.actual is not None:
                values = f"（应为 {f.expected if f.expected is not None else '—'}，" \
                         f"实为 {f.actual if f.actual is not None else '—'}）"
            print(f"    {paint(f'[{severity.label}]', severity)} {f.rule} {where}：{f.message}{values}", file=out)
    counts = _counts(result.findings)
    verdict = "通过" if result.ok else "未通过"
    print(f"  {verdict}：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，"
          f"{counts[Severity.NOTE]} 个提示", file=out)


def exit_status(results: list[Result]) -> int:
    if any(r.error is not None for r in results):
        return 2
    return 0 if all(r.ok for r in results) else 1


def run(args: argparse.Namespace) -> int:
    if args.template:
        try:
            load_settings(args.template)
        except SettingsError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    results = check_paths(list(args.paths), args.template, getattr(args, "together", False))
    colour = sys.stdout.isatty()
    for result in results:
        if args.json:
            print(result.to_json())
        else:
            print_human(result, sys.stdout, colour)
    return exit_status(results)
