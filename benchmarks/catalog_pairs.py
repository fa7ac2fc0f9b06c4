"""Code–name pairs printed in real documents against the catalog of each document's fiscal year.

    .venv/bin/python -m benchmarks.catalog_pairs ../shared/real-docs [--json pairs.json] [--limit N]

Every document under DIR is imported as ``benchmarks.corpus`` does; every classified row of its tables
(the rows the CAT rules judge: classification trees and project lines, ``catalog_rules.coded_rows``)
with a printed name is one pair. Each pair is judged by ``catalog_rules.judge`` against the catalog of the
document's year: resolved exactly (the official name, numbering and bracket width aside), resolved as a
documented old name (a name the code carried before, renamed since), an old code (recoded since), an
unknown code, or a wrong name. Prints per fiscal year the counts and the share resolved exactly, then every
unresolved pair (document, page, table, row, code, printed name, catalog name). The extraction and the
verdicts are ``deptbudget.rules.catalog_pairs``; ``tests/rules/test_catalog_pairs.py`` runs them over the
corpus in the test suite (every unresolved pair in the findings ledger, ≥ 99% exact per year).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from benchmarks.corpus import _checker, documents
from deptbudget.importers import import_document
from deptbudget.importers.recall import one_line
from deptbudget.rules.catalog_pairs import Pair, table_lines
from deptbudget.rules.catalog_pairs import document_pairs as judged_pairs


def document_pairs(path: Path, name: str) -> list[Pair]:
    """The judged pairs of one document (raises what the import raises)."""
    disclosure, _ = import_document(path)
    return judged_pairs(disclosure, _checker().context(disclosure), name)


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
    unresolved = [p for p in pairs if not p.resolved]
    print(f"\n未解析的编码—名称对 (unresolved pairs): {len(unresolved)}")
    print("\t".join(["年度", "状态", "文件", "页", "表", "行", "编码", "印刷名称", "目录名称"]))
    for p in unresolved:
        print("\t".join([str(p.year), p.status, p.doc, p.page, p.table, p.row, p.code, p.name, p.catalog_name]))
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
