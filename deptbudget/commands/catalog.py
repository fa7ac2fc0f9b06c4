"""``deptbudget catalog [--year YEAR] [--kind KIND] [--json] [QUERY...]``: the classification catalog
(政府收支分类科目) of a fiscal year; ``deptbudget catalog diff YEAR1 YEAR2``: what changed between two years.

Without QUERY every entry of the year (all kinds, or ``--kind``); a QUERY of digits matches a code
prefix, any other a part of a name (whitespace and bracket width ignored); an entry matching any QUERY
is listed. ``--json`` prints one object per line: ``year, kind, code, name, parent, level, source``
(``diff``: ``year, kind, action, code, name, old_code, old_name, source, note, direction``). The
default year is the latest shipped; a year outside the shipped ones is an error naming them (exit 2).
``diff`` lists the changes of each year from YEAR1 to YEAR2 — backwards when YEAR2 is before YEAR1,
each change then read in reverse (an ``added`` of 2021 is a ``removed`` from 2021 to 2020).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deptbudget.catalog import Catalog, CatalogEntry, Change

DIFF = "diff"


def register(subparsers: argparse._SubParsersAction) -> None:
    from deptbudget.catalog import KINDS

    parser = subparsers.add_parser(
        "catalog", help="政府收支分类科目：查询某年度科目、比较两年度变动 (classification catalogs by year)",
        description="列出或查询某一年度的政府收支分类科目（支出功能分类、部门预算/政府预算支出经济分类、收入分类）；"
                    "`deptbudget catalog diff 2020 2021` 列出两个年度之间的科目变动（新增、取消、更名、改编码）。",
    )
    parser.add_argument("--year", type=int, help="年度 (fiscal year; default: the latest shipped)")
    parser.add_argument("--kind", choices=list(KINDS), help="科目种类 (kind; default: all)")
    parser.add_argument("--json", action="store_true", help="每行一个 JSON 对象 (one JSON object per line)")
    parser.add_argument("query", nargs="*", metavar="QUERY",
                        help="编码前缀或名称的一部分；或 `diff YEAR1 YEAR2` (code prefix or part of a name)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deptbudget.catalog import CatalogError

    try:
        if args.query[:1] == [DIFF]:
            return _diff(args)
        return _list(args)
    except CatalogError as exc:
        print(f"错误 (error)：{exc}", file=sys.stderr)
        return 2


def _kinds(args: argparse.Namespace) -> list[str]:
    from deptbudget.catalog import KINDS

    return [args.kind] if args.kind else list(KINDS)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def matches(code: str, name: str, queries: Sequence[str]) -> bool:
    """A code prefix (digits) or a part of the name, in any QUERY; no QUERY matches everything."""
    if not queries:
        return True
    plain = _norm(name)
    return any(code.startswith(q) if q.isdigit() else _norm(q) in plain for q in queries)


def _list(args: argparse.Namespace) -> int:
    from deptbudget.catalog import KINDS, available_years, load_catalog
    from deptbudget.catalog.lookup import LEVEL_LABELS

    year = args.year if args.year is not None else available_years()[-1]
    catalog = load_catalog(year, exact=True)
    queries = [q.strip() for q in args.query if q.strip()]
    found = 0
    for kind in _kinds(args):
        entries = [e for e in catalog.entries(kind) if matches(e.code, e.name, queries)]
        ahead = _anticipated_codes(catalog, kind, queries)
        found += len(entries) + (0 if args.json else len(ahead))  # --json: this year's entries only
        if args.json:
            for e in entries:
                print(json.dumps({"year": year, "kind": kind, "code": e.code, "name": e.name, "parent": e.parent_code,
                                  "level": e.level, "source": e.source}, ensure_ascii=False))
            continue
        if not entries and not ahead:
            continue
        more = f"；另 {len(ahead)} 条以后年度新增、可能本年已用" if ahead else ""
        print(f"{year} 年{KINDS[kind][0]}（{kind}）：{len(entries)} 条{more}")
        for e in entries:
            later = "".join(f"（或“{a.name}”：以后年度的更名，可能本年已用）"
                            for a in catalog.anticipated(kind, e.code) if a.name != e.name)
            print(f"  {'  ' * (e.level - 1)}{e.code} {e.name} [{LEVEL_LABELS[e.level - 1]}]{later}")
        for a in ahead:
            label = LEVEL_LABELS[a.level - 1]
            print(f"  {'  ' * (a.level - 1)}{a.code} {a.name} [{label}]（以后年度新增，可能本年已用）")
    if not found and not args.json:
        print(f"{year} 年分类科目中没有符合 {' '.join(queries)} 的科目 (no entry matches)", file=sys.stderr)
    return 0 if found or not queries else 1


def _anticipated_codes(catalog: Catalog, kind: str, queries: Sequence[str]) -> list[CatalogEntry]:
    """Codes a later change adds that may already be in use this year (change_dates.csv), matching ``queries``."""
    codes = {code for (k, code) in catalog.anticipated_codes() if k == kind and catalog.find(kind, code) is None}
    return [a for code in sorted(codes) for a in catalog.anticipated(kind, code) if matches(a.code, a.name, queries)]


def _diff(args: argparse.Namespace) -> int:
    from deptbudget.catalog import changes_between

    words = args.query[1:]
    if len(words) != 2 or not all(w.isdigit() for w in words):
        print("错误 (error)：用法 deptbudget catalog diff YEAR1 YEAR2 (usage: catalog diff YEAR1 YEAR2)",
              file=sys.stderr)
        return 2
    start, end = int(words[0]), int(words[1])
    kinds = set(_kinds(args))
    changes = [c for c in changes_between(start, end) if c.kind in kinds]
    if args.json:
        for c in changes:
            print(json.dumps({"year": c.year, "kind": c.kind, "action": c.action, "code": c.code, "name": c.name,
                              "old_code": c.old_code, "old_name": c.old_name, "source": c.source, "note": c.note,
                              "earliest": c.earliest, "latest": c.latest,
                              "direction": "backward" if c.inverse else "forward"},
                             ensure_ascii=False))
        return 0
    way = "（逆向：撤销各年度变动）" if end < start else ""
    print(f"{start} → {end} 年分类科目变动{way}：{len(changes)} 条")
    _table(changes)
    return 0


def _table(changes: Iterable[Change]) -> None:
    from deptbudget.catalog.changes import ACTION_LABELS

    rows = [["年度", "种类", "变动", "编码", "名称", "原编码", "原名称", "来源"]]
    for c in changes:
        year = (f"{c.year}→{c.year - 1}" if c.inverse else str(c.year)) + c.dating()
        rows.append([year, c.kind, ACTION_LABELS[c.action], c.code, c.name, c.old_code, c.old_name, c.source])
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
