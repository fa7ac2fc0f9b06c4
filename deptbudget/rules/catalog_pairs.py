"""Code–name pairs printed in a document's classification tables, judged against the catalog of its fiscal
year — the measure of issue 13 (``benchmarks/catalog_pairs.py``) and its Done-when test
(``tests/rules/test_catalog_pairs.py``).

A pair is a classified row the CAT rules judge (``catalog_rules.coded_rows``: trees, project lines and the
columns whose meaning names their catalog) with a printed name. Its status is the ``catalog_rules.judge``
verdict: ``exact`` (the official name, numbering and bracket width aside), ``old_name`` (a name the code
carried before, renamed since), ``old_code`` (recoded since), ``unknown`` (no such code) or ``wrong``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from deptbudget.model.disclosure import Disclosure
from deptbudget.rules._common import is_two_sided, label
from deptbudget.rules.catalog_rules import coded_rows, finding_row, judge
from deptbudget.rules.registry import RuleContext

STATUSES = ("exact", "old_name", "old_code", "unknown", "wrong")
RESOLVED = ("exact", "old_name")  # the official name of the year, or a documented old name
LABELS = {"exact": "精确 exact", "old_name": "旧名称 old name", "old_code": "旧编码 old code",
          "unknown": "无此编码 unknown", "wrong": "名称不符 wrong"}


@dataclass(frozen=True)
class Pair:
    year: int
    doc: str
    page: str
    table: str  # as findings name it (表6)
    row: str  # as the CAT findings name the row (``303``, ``30101 / 50101``)
    kind: str
    code: str
    name: str
    status: str
    catalog_name: str  # the year's official name (the new code's, for an old code); "" when unknown

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED


def document_pairs(disclosure: Disclosure, ctx: RuleContext, doc: str) -> list[Pair]:
    """The judged pairs of one document (``ctx``: the checker's context of it; ``doc``: its name)."""
    catalog = ctx.catalog
    year = disclosure.fiscal_year
    out: list[Pair] = []
    for coded in coded_rows(disclosure, ctx):
        table, row, code, printed = coded.table, coded.row, coded.code, coded.name
        if not printed.strip():
            continue
        page = row.page if row.page is not None else table.page
        where = (doc, "" if page is None else str(page), label(table), finding_row(coded), coded.kind, code, printed)
        if catalog is None:
            out.append(Pair(year, *where, "unknown", ""))
            continue
        verdict = judge(catalog, coded.kind, code, printed, is_two_sided(table), coded.joined)
        official = verdict.official or verdict.successor
        out.append(Pair(year, *where, verdict.status, official.name if official else ""))
    return out


def exact_share(pairs: list[Pair]) -> float:
    """The share of pairs resolved exactly (1.0 for none)."""
    return sum(p.status == "exact" for p in pairs) / len(pairs) if pairs else 1.0


def table_lines(pairs: list[Pair], by_kind: bool = False) -> list[str]:
    """Tab-separated counts per fiscal year (``by_kind``: per year and catalog kind), then the total."""
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
