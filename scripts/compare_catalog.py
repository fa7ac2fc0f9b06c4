"""Compare a published copy of a 政府收支分类科目 (a CSV or TSV of code and name) with the shipped catalog.

    python scripts/compare_catalog.py SOURCE --year YEAR [--kind KIND] [--prefix CODE ...] [--list]

SOURCE is a table with a header row: a code column (``code``, ``科目编码``, ``编码``), a name column
(``name``, ``科目名称``, ``名称``) and, optionally, ``kind`` (exp_func, dep_bgt_eco, gov_bgt_eco, income) and
``year`` columns; rows of another year than YEAR are skipped, rows without a kind are of ``--kind``
(default exp_func). Each row is judged against the shipped catalog of YEAR as a printed pair is
(``deptbudget.rules.catalog_rules.judge``: numbering, spaces and bracket width are no difference):

- agree      the code is in our catalog with that name
- old name   the name is one the code carried in an earlier year (renamed since, as our data says)
- differ     the code is in our catalog under another name
- recoded    our data has the code recoded by YEAR (to the code shown): SOURCE dates the change otherwise
- missing    the code is not in our catalog of YEAR: a candidate to add, with SOURCE as its evidence
- extra      our entries of the kind (under ``--prefix`` where given) that SOURCE does not have: only
             meaningful when SOURCE holds the whole catalog of that part

Prints per kind and level the counts, then with ``--list`` every row that is not agreed. Exit status 0;
a SOURCE that cannot be read is an error naming the file (exit 2).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from deptbudget.catalog import KINDS, CatalogError, load_catalog
from deptbudget.rules.catalog_rules import judge

CODE_HEADINGS = ("code", "科目编码", "编码")
NAME_HEADINGS = ("name", "科目名称", "名称")
LEVELS = {"exp_func": ("类", "款", "项"), "dep_bgt_eco": ("类", "款"), "gov_bgt_eco": ("类", "款"),
          "income": ("类", "款", "项", "目")}
VERDICTS = ("agree", "old name", "differ", "recoded", "missing", "extra")
WORDS = {"exact": "agree", "old_name": "old name", "wrong": "differ", "old_code": "recoded", "unknown": "missing"}


class SourceError(Exception):
    """The source table cannot be read."""


@dataclass(frozen=True)
class Row:
    kind: str
    code: str
    name: str
    line: int


@dataclass(frozen=True)
class Result:
    kind: str
    code: str
    verdict: str
    source_name: str
    our_name: str


def read_source(path: Path, year: int, default_kind: str) -> list[Row]:
    """The rows of SOURCE that are of ``year`` (all rows when it has no year column)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}：无法读取（须为 UTF-8 文本）/ cannot be read as UTF-8 text: {exc}") from None
    lines = text.splitlines()
    if not lines:
        raise SourceError(f"{path}：文件为空 / the file is empty")
    delimiter = "\t" if lines[0].count("\t") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]

    def column(names: tuple[str, ...], required: bool) -> int | None:
        found = next((header.index(n) for n in names if n in header), None)
        if found is None and required:
            raise SourceError(f"{path} 第 1 行：缺少列 {'/'.join(names)} / line 1: no column {'/'.join(names)}")
        return found

    code_at, name_at = column(CODE_HEADINGS, True), column(NAME_HEADINGS, True)
    kind_at, year_at = column(("kind",), False), column(("year", "年度"), False)
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if _cell(cells, year_at) not in ("", str(year)):
            continue
        kind = _cell(cells, kind_at) or default_kind
        if kind not in KINDS:
            raise SourceError(f"{path} 第 {reader.line_num} 行：未知种类 {kind} / line {reader.line_num}: "
                              f"unknown kind {kind!r}")
        if _cell(cells, code_at):
            rows.append(Row(kind, _cell(cells, code_at), _cell(cells, name_at), reader.line_num))
    return rows


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip() if at is not None and at < len(cells) else ""


def compare(rows: list[Row], year: int, prefixes: tuple[str, ...] = ()) -> list[Result]:
    """Every source row judged against our catalog of ``year``, then our entries the source lacks."""
    catalog = load_catalog(year, exact=True)
    results = []
    for row in rows:
        verdict = judge(catalog, row.kind, row.code, row.name)
        ours = verdict.official.name if verdict.official is not None else ""
        if verdict.successor is not None:
            ours = f"→ {verdict.successor.code} {verdict.successor.name}"
        results.append(Result(row.kind, row.code, WORDS[verdict.status], row.name, ours))
    given = {(row.kind, row.code) for row in rows}
    for kind in sorted({row.kind for row in rows}):
        for entry in catalog.entries(kind):
            if (kind, entry.code) not in given and (not prefixes or entry.code.startswith(prefixes)):
                results.append(Result(kind, entry.code, "extra", "", entry.name))
    return results


def summary(results: list[Result]) -> list[str]:
    """One line per kind and level: the count of each verdict."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for r in results:
        counts[(r.kind, KINDS[r.kind][1].index(len(r.code)), r.verdict)] += 1
    lines = ["种类\t级\t" + "\t".join(VERDICTS)]
    for kind, level in sorted({(k, lv) for k, lv, _ in counts}):
        lines.append(f"{kind}\t{LEVELS[kind][level]}\t" + "\t".join(str(counts[(kind, level, v)]) for v in VERDICTS))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--kind", choices=sorted(KINDS), default="exp_func", help="kind of rows without one")
    parser.add_argument("--prefix", nargs="*", default=[], help="count as extra only our codes under these")
    parser.add_argument("--list", action="store_true", help="list every row not agreed")
    args = parser.parse_args(argv)
    try:
        results = compare(read_source(args.source, args.year, args.kind), args.year, tuple(args.prefix))
    except (SourceError, CatalogError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(summary(results)))
    if args.list:
        print("\n种类\t编码\t结果\t来源名称\t本目录名称")
        for r in results:
            if r.verdict != "agree":
                print(f"{r.kind}\t{r.code}\t{r.verdict}\t{r.source_name}\t{r.our_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
