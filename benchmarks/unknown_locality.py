"""Amount recall of documents whose locality is unknown: each locality read without its own templates.

    .venv/bin/python -m benchmarks.unknown_locality ../shared/real-docs [FOLDER …] [--modes known,loo,none]
        [--json rows.json] [--missing] [--review] [--roles]

The held-back documents include localities that no template describes. This benchmark reads the corpus as
such a locality's documents would be read, with the same ``measure`` as ``benchmarks/corpus.py`` (import,
check, amount recall against the document's own text):

- ``known``: with every template (as ``benchmarks.corpus`` reads it); this pass also tells which templates
  each locality's documents are read with;
- ``loo`` (leave one locality out): each folder (one locality) read with the templates its own documents
  were read with in ``known`` withheld — its tables are recognised by other localities' templates when they
  fit, else read by the generic reader;
- ``none``: every template withheld — every table read by the generic reader.

A withheld template is taken out of the title index (``importers.titles.title_index``) for the whole import:
the segmenter does not know its titles and ``choose_template`` does not consider it. ``--missing`` lists,
per document of the last mode, the amounts printed that no cell or figure holds (with the page and the
line), to see what a reader dropped. ``--roles`` prints, per document read in ``loo`` or ``none``, the
table roles found as read with every template that it lacks, and those it has that the known reading has not
(the roles of a document of no template come from its table titles). ``--review`` also reviews each document as
read in that mode (the checklist of the template it is read with, else the 财预〔2016〕143号 minimum) and
prints its grade and the items it fails: a correct document of a new locality should be 优 or 良. Prints one
row per document and mode, then per mode the mean and the lowest recall, the documents under 99% and the
grades. Run by hand (≈ 1–2 CPU-s per document and mode).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from benchmarks.corpus import GOOD_RECALL, Row, measure
from deptbudget.commands.evaluate import _table
from deptbudget.importers import import_document
from deptbudget.importers.recall import (
    Document,
    amounts_in_text,
    disclosure_amounts,
    document_text,
    documents,
)
from deptbudget.importers.titles import title_index
from deptbudget.template import Role

MODES = ("known", "loo", "none")


@dataclass
class Measured:
    folder: str
    mode: str
    withheld: list[str]
    row: Row
    grade: str = ""  # with --review: 得分 and 等级, and the items failed
    failed: list[str] | None = None
    roles: list[str] | None = None  # with --roles: the table roles found, as read in this mode


def reviewed(document: Document) -> tuple[str, list[str]]:
    """``"93.3 优"`` and the ids of the checklist items the document fails, as read now."""
    from deptbudget.review.engine import Reviewer

    disclosure, _ = import_document(document.path)
    review = Reviewer().review(disclosure, source=str(document.path))
    return f"{review.score} {review.grade.grade}", [r.item.id for r in review.items if r.status == "fail"]


def roles_found(document: Document) -> list[str]:
    """The roles of the document's tables as read now: its template's, or for a document of no template those
    its table titles name (what the rules and review judge it by); ``other`` (no rule reads it) left out."""
    from deptbudget.review.structure import table_roles

    disclosure, _ = import_document(document.path)
    roles = table_roles(disclosure)
    return sorted({roles[t.id].value for t in disclosure.tables if t.id in roles and roles[t.id] is not Role.OTHER})


def role_differences(measured: list[Measured]) -> list[str]:
    """Per document read in ``loo`` or ``none``: the roles found as ``known`` reads it and not in that mode
    (``−``), and those found only in that mode (``+``)."""
    known = {m.row.file: set(m.roles) for m in measured if m.mode == "known" and m.roles is not None}
    out = []
    for m in measured:
        if m.mode == "known" or m.roles is None or m.row.file not in known:
            continue
        lost, gained = sorted(known[m.row.file] - set(m.roles)), sorted(set(m.roles) - known[m.row.file])
        if lost or gained:
            out.append(f"{m.mode} {m.folder}/{_short(m.row.file.split('/')[-1])}: "
                       + " ".join([*(f"−{r}" for r in lost), *(f"+{r}" for r in gained)]))
    return out


@contextmanager
def withheld(names: set[str]) -> Iterator[None]:
    """The templates ``names`` taken out of the title index while the block runs, then put back."""
    index = title_index().by_template
    saved = {name: index.pop(name) for name in list(index) if name in names}
    try:
        yield
    finally:
        index.update(saved)


def folder_of(document: Document, root: Path) -> str:
    return document.path.relative_to(root).parts[0] if document.path.parent != root else ""


def missing_amounts(document: Document) -> list[str]:
    """``p<page>: <amount> | <line>`` for every amount printed more often than the import found it."""
    disclosure, _ = import_document(document.path)
    text = document_text(document.path)
    found = disclosure_amounts(disclosure)
    short = Counter(amounts_in_text(text))
    short.subtract(found)
    out = []
    for page, page_text in enumerate(text.split("\f"), 1):
        for line in page_text.splitlines():
            for amount in amounts_in_text(line):
                if short[amount] > 0:
                    out.append(f"p{page}: {amount} | {' '.join(line.split())[:120]}")
                    short[amount] -= 1
    return out


def run(root: Path, folders: list[str], modes: list[str], show_missing: bool,
        review: bool = False, roles: bool = False) -> list[Measured]:
    docs = [d for d in documents(root) if not folders or folder_of(d, root) in folders]
    everything = set(title_index().by_template)
    own: dict[str, set[str]] = {}  # folder → the templates its documents are read with
    out: list[Measured] = []
    passes = [m for m in MODES if m in modes or m == "known" and "loo" in modes]
    for mode in passes:
        for index, document in enumerate(docs, 1):
            folder = folder_of(document, root)
            names = {"known": set(), "none": everything}.get(mode, own.get(folder, set()))
            with withheld(names):
                row = measure(document)
                lost = missing_amounts(document) if show_missing and mode == passes[-1] else []
                grade, failed = reviewed(document) if review and mode in modes else ("", None)
                found_roles = roles_found(document) if roles else None
            if mode == "known" and row.template and row.template != "unknown":
                own.setdefault(folder, set()).add(row.template)
            if mode in modes:
                out.append(Measured(folder, mode, sorted(names) if mode == "loo" else [], row, grade, failed,
                                    found_roles))
            print(f"[{mode} {index}/{len(docs)}] {folder} {document.path.name[:36]} {row.template or '—'} "
                  f"{_percent(row.recall)}", file=sys.stderr)
            for line in lost:
                print(f"    {line}", file=sys.stderr)
    return out


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


HEADER = ("地区 (folder)", "文件 (file)", "读法 (mode)", "模板 (template)", "召回 (recall)", "金额 (amounts)",
          "错误 (errors)", "警告 (warnings)", "审查 (review)", "备注 (note)")


def _short(name: str, width: int = 30) -> str:
    return name if len(name) <= width else name[: width // 2 - 1] + "…" + name[-(width // 2):]


def table_lines(measured: list[Measured]) -> list[list[str]]:
    return [[m.folder, _short(m.row.file.split("/")[-1]), m.mode, m.row.template or "—", _percent(m.row.recall),
             f"{m.row.matched_amounts}/{m.row.printed_amounts}", str(m.row.errors), str(m.row.warnings),
             " ".join([m.grade, *(m.failed or [])]), m.row.error or ""] for m in measured]


def summary_lines(measured: list[Measured]) -> list[str]:
    out = []
    for mode in MODES:
        rows = [m for m in measured if m.mode == mode and m.row.recall is not None]
        if not rows:
            continue
        recalls = [m.row.recall or 0.0 for m in rows]
        low = min(rows, key=lambda m: m.row.recall or 0.0)
        under = [f"{m.folder}/{_short(m.row.file.split('/')[-1], 20)} {_percent(m.row.recall)}"
                 for m in rows if (m.row.recall or 0.0) < GOOD_RECALL]
        unread = sum(1 for m in measured if m.mode == mode and not m.row.template)
        out.append(f"{mode}: 平均召回 (mean recall) {_percent(sum(recalls) / len(recalls))}，最低 (lowest) "
                   f"{_percent(low.row.recall)} ({low.folder})，≥ 99% {len(rows) - len(under)}/{len(rows)}，"
                   f"无法读取 (unreadable) {unread}")
        out.extend(f"    < 99%: {text}" for text in under)
        grades = Counter(m.grade.split()[-1] for m in measured if m.mode == mode and m.grade)
        if grades:
            out.append("    审查 (review): " + "，".join(f"{grade} {count}" for grade, count in sorted(grades.items())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, metavar="DIR")
    parser.add_argument("folders", nargs="*", metavar="FOLDER", help="only these locality folders of DIR")
    parser.add_argument("--modes", default="known,loo,none", help="comma-separated: known, loo, none")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the rows as JSON")
    parser.add_argument("--missing", action="store_true", help="list the amounts not found (last mode)")
    parser.add_argument("--review", action="store_true", help="also review each document and print its grade")
    parser.add_argument("--roles", action="store_true",
                        help="print the table roles each document lacks or adds against its known reading")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.root.is_dir() or not modes or any(m not in MODES for m in modes):
        print(f"错误：需要一个目录和读法 {', '.join(MODES)} (need a folder and modes from {', '.join(MODES)})",
              file=sys.stderr)
        return 2
    measured = run(args.root, args.folders, modes + (["known"] if args.roles and "known" not in modes else []),
                   args.missing, args.review, args.roles)
    if not measured:
        print(f"错误：{args.root} 中没有可导入的文件 (no documents)", file=sys.stderr)
        return 2
    print(_table(HEADER, table_lines(measured), right=(4, 5, 6, 7)))
    print()
    print("\n".join(summary_lines(measured)))
    if args.roles:
        differences = role_differences(measured)
        print(f"\n表的角色与 known 读法不同 (roles unlike the known reading): {len(differences)} 个文件")
        print("\n".join(f"    {line}" for line in differences))
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in measured], ensure_ascii=False, indent=1,
                                        default=lambda v: str(v) if isinstance(v, Decimal) else v) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
