"""Code–name pairs printed in real documents against the catalog of each document's fiscal year.

    .venv/bin/python -m benchmarks.catalog_pairs ../shared/real-docs [--json pairs.json] [--limit N]

Every document under DIR is imported as ``benchmarks.corpus`` does; every classified row of its tables
(the rows the CAT rules judge: classification trees and project lines, ``catalog_rules.coded_rows``)
with a printed name is one pair. Each pair is judged by ``catalog_rules.judge`` against the catalog of the
document's year: resolved exactly (the official name, numbering and bracket width aside), resolved as a
documented old name (a name the code carried before, renamed since), an old code (recoded since), an
unknown code, or a wrong name. Prints per fiscal year the counts and the share resolved exactly, then every
unresolved pair (document, page, table, code, printed name, catalog name). Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.corpus import _checker, documents
from deptbudget.importers import import_document
from deptbudget.importers.recall import one_line
from deptbudget.rules._common import is_two_sided, label
from deptbudget.rules.catalog_rules import coded_rows, judge

STATUSES = ("exact", "old_name", "old_code", "unknown", "wrong")
LABELS = {"exact": "精确 exact", "old_name": "旧名称 old name", "old_code": "旧编码 old code",
          "unknown": "无此编码 unknown", "wrong": "名称不符 wrong"}


@dataclass(frozen=True)
class Pair:
    year: int
    doc: str
    page: str
    table: str
    kind: str
    code: str
    name: str
    status: str
    catalog_name: str  # the year's official name (the new code's, for an old code); "" when unknown


def document_pairs(path: Path, name: str) -> list[Pair]:
    """The judged pairs of one document (raises what the import raises)."""
    disclosure, _ = import_document(path)
    checker = _checker()
    ctx = checker.context(disclosure)
    catalog = ctx.catalog
    year = disclosure.fiscal_year
    out: list[Pair] = []
    for table, kind, row, code, printed, _ in coded_rows(disclosure, ctx):
        if not printed.strip():
            continue
        page = row.page if row.page is not None else table.page
        where = (name, "" if page is None else str(page), label(table))
        if catalog is None:
            out.append(Pair(year, *where, kind, code, printed, "unknown", ""))
            continue
        verdict = judge(catalog, kind, code, printed, is_two_sided(table))
        official = verdict.official or verdict.successor
        out.append(Pair(year, *where, kind, code, printed, verdict.status, official.name if official else ""))
    return out


def table_lines(pairs: list[Pair], by_kind: bool = False) -> list[str]:
    """Counts per fiscal year (``by_kind``: per year and catalog kind), then the total."""
    groups: dict[tuple[str, ...], Counter[str]] = {}
    docs: dict[tuple[str, ...], set[str]] = {}
    for pair in pairs:
        key = (str(pair.year), pair.kind) if by_kind else (str(pair.year),)
        groups.setdefault(key, Counter())[pair.status] += 1
        docs.setdefault(key, set()).add(pair.doc)
    header = ["年度", *(["分类"] if by_kind else []), "文件", "对数", *(LABELS[s] for s in STATUSES), "精确率"]
    lines = ["\t".join(header)]
    total: Counter[str] = Counter()
    for key in sorted(groups):
        counts = groups[key]
        total.update(counts)
        lines.append("\t".join([*key, str(len(docs[key])), *_counts(counts)]))
    lines.append("\t".join(["合计", *([""] if by_kind else []), str(len({p.doc for p in pairs})), *_counts(total)]))
    return lines


def _counts(counts: Counter[str]) -> list[str]:
    n = sum(counts.values())
    share = f"{100 * counts['exact'] / n:.2f}%" if n else "-"
    return [str(n), *(str(counts[s]) for s in STATUSES), share]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="write every pair as JSON")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    args = parser.parse_args(argv)
    docs = documents(args.folder)[: args.limit] if args.limit else documents(args.folder)
    pairs: list[Pair] = []
    for i, doc in enumerate(docs, start=1):
        try:
            found = document_pairs(doc.path, doc.name)
        except Exception as exc:  # a document that cannot be read is a line on stderr, not a traceback
            print(f"[{i}/{len(docs)}] {doc.name}: 未读取 (skipped): {one_line(exc)}", file=sys.stderr)
            continue
        print(f"[{i}/{len(docs)}] {doc.name}: {len(found)} 对", file=sys.stderr)
        pairs.extend(found)
    print("\n".join(table_lines(pairs)))
    print()
    print("\n".join(table_lines(pairs, by_kind=True)))
    unresolved = [p for p in pairs if p.status not in ("exact", "old_name")]
    print(f"\n未解析的编码—名称对 (unresolved pairs): {len(unresolved)}")
    print("\t".join(["年度", "状态", "文件", "页", "表", "编码", "印刷名称", "目录名称"]))
    for p in unresolved:
        print("\t".join([str(p.year), p.status, p.doc, p.page, p.table, p.code, p.name, p.catalog_name]))
    old = [p for p in pairs if p.status == "old_name"]
    if old:
        print(f"\n旧名称 (documented old names): {len(old)}")
        for p in old:
            print("\t".join([str(p.year), p.doc, p.page, p.table, p.code, p.name, p.catalog_name]))
    if args.json:
        args.json.write_text(json.dumps([asdict(p) for p in pairs], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
