"""Import + check every document of a folder and save what came out, to show a speed change changed nothing.

    PYTHONPATH=$PWD python scripts/import_snapshot.py ../shared/real-docs OUT     # write OUT/<n>.*.json
    python scripts/import_snapshot.py --compare BEFORE AFTER                       # exit 1 on any difference

Per document (numbered in the folder's order) it writes ``<n>.disclosure.json`` and ``<n>.import-report.json``
as ``deptbudget import`` does, and ``<n>.check.json``: the ``check --json`` record (the findings after
``check``'s overlap filter; or the error that stopped the import). ``times.tsv`` holds each document's pages and
CPU seconds of import + check (not compared). ``--compare`` diffs every file but ``times.tsv``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

TIMES = "times.tsv"


def snapshot(folder: Path, out: Path) -> int:
    from deptbudget.commands.check import _without_overlaps
    from deptbudget.importers import import_document
    from deptbudget.importers.recall import documents
    from deptbudget.model.serialize import dumps
    from deptbudget.rules import Checker

    out.mkdir(parents=True, exist_ok=True)
    checker = Checker()
    rows = []
    for number, document in enumerate(documents(folder), 1):
        stem = f"{number:03d}"
        started = time.process_time()
        record: dict[str, object] = {"path": document.name}
        pages = 0
        try:
            disclosure, report = import_document(document.path)
            findings = _without_overlaps(checker.check(disclosure), disclosure.template)
        except Exception as exc:  # a document that cannot be read is a result too
            record["error"] = f"{type(exc).__name__}: {exc}"
        else:
            pages = report.pages or 0
            record["findings"] = [f.to_dict() for f in findings]
            (out / f"{stem}.disclosure.json").write_text(dumps(disclosure, pretty=True) + "\n", encoding="utf-8")
            (out / f"{stem}.import-report.json").write_text(report.dumps() + "\n", encoding="utf-8")
        seconds = time.process_time() - started
        (out / f"{stem}.check.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        rows.append(f"{stem}\t{document.name}\t{pages}\t{seconds:.3f}")
        print(rows[-1], file=sys.stderr)
    (out / TIMES).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


def compare(before: Path, after: Path) -> int:
    names = {p.name for p in before.iterdir()} | {p.name for p in after.iterdir()}
    names.discard(TIMES)
    differ = [
        n
        for n in sorted(names)
        if not (before / n).exists()
        or not (after / n).exists()
        or (before / n).read_bytes() != (after / n).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args(argv)
    return compare(args.first, args.second) if args.compare else snapshot(args.first, args.second)


if __name__ == "__main__":
    sys.exit(main())
