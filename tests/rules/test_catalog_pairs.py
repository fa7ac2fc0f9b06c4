"""Issue 13's Done-when on the real documents: every code–name pair printed in the classification tables of
``../shared/real-docs`` resolves to its year's catalog exactly or as a documented old name, or is in the
findings ledger as the document's own misprint; and ≥ 99% of each year's pairs resolve exactly. The pairs
are those ``benchmarks/catalog_pairs.py`` measures (``deptbudget.rules.catalog_pairs``). The corpus part
imports every document once (a few CPU-minutes, like the ledger's corpus test)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pytest

from deptbudget.catalog import available_years
from deptbudget.importers.recall import documents
from deptbudget.model.disclosure import Disclosure
from deptbudget.rules import Checker
from deptbudget.rules.catalog_pairs import Pair, document_pairs, exact_share, table_lines
from tests.corpus.ledger import load_ledger
from tests.real_docs import REAL_DOCS, imported

from .test_catalog_rules import GOOD_ROWS, eco_table, yantai

# The rule a pair's status is reported by, when it is not resolved.
RULE_OF = {"wrong": "CAT-NAME", "old_code": "CAT-CODE", "unknown": "CAT-CODE"}


def pairs_of(disclosure: Disclosure, doc: str = "doc") -> list[Pair]:
    return document_pairs(disclosure, Checker().context(disclosure), doc)


def test_pairs_of_the_example_all_resolve_exactly(example: Disclosure) -> None:
    pairs = pairs_of(example)
    assert len(pairs) > 50 and {p.status for p in pairs} == {"exact"}
    assert {p.kind for p in pairs} == {"exp_func", "dep_bgt_eco"}


def test_each_status_and_the_row_a_finding_names() -> None:
    rows = [*GOOD_ROWS, ("30201", "办公费", "50202", "办公经费"), ("30299", "其他商品和服务支出", "50298", "其他"),
            ("303", "对个人和家庭补助", "509", "对个人和家庭的补助")]
    pairs = {(p.kind, p.code): p for p in pairs_of(yantai(eco_table(rows), year=2026))}
    assert pairs["gov_bgt_eco", "50202"].status == "wrong" and pairs["gov_bgt_eco", "50202"].row == "30201 / 50202"
    assert pairs["gov_bgt_eco", "50202"].catalog_name == "会议费"
    assert pairs["gov_bgt_eco", "50298"].status == "unknown" and pairs["gov_bgt_eco", "50298"].catalog_name == ""
    assert (pairs["dep_bgt_eco", "303"].status, pairs["dep_bgt_eco", "303"].row) == ("wrong", "303")
    assert pairs["dep_bgt_eco", "30101"].resolved and not pairs["dep_bgt_eco", "303"].resolved
    old = pairs_of(yantai(eco_table([("310", "资本性支出", "503", "机关资本性支出（一）")]), year=2026))
    assert [(p.code, p.status) for p in old if p.kind == "gov_bgt_eco"] == [("503", "old_name")]


def test_table_lines_per_year_and_total() -> None:
    pairs = [Pair(2020, "a", "1", "表1", "201", "exp_func", "201", "x", status, "x")
             for status in ("exact", "exact", "exact", "wrong")]
    pairs.append(Pair(2021, "b", "1", "表1", "201", "exp_func", "201", "x", "old_name", "y"))
    lines = [line.split("\t") for line in table_lines(pairs)]
    assert lines[1] == ["2020", "1", "4", "3", "0", "0", "0", "1", "75.00%"]
    assert lines[2] == ["2021", "1", "1", "0", "1", "0", "0", "0", "0.00%"]
    assert lines[-1][:3] == ["合计", "2", "5"] and exact_share(pairs) == 0.6


@lru_cache(maxsize=1)
def corpus_pairs() -> tuple[Pair, ...]:
    """Every judged pair of every document of the corpus (imported once for the tests below)."""
    checker = Checker()
    out: list[Pair] = []
    for doc in documents(REAL_DOCS):
        disclosure = imported(doc.path)
        out.extend(document_pairs(disclosure, checker.context(disclosure), doc.name))
    return tuple(out)


def in_ledger(pair: Pair, ledger: dict) -> bool:
    """The ledger confirms the finding this pair gives: same document, rule, table and row."""
    rule = RULE_OF[pair.status]
    return any(e.key.rule == rule and e.key.table == pair.table and e.key.row == pair.row
               for e in ledger.get(pair.doc, []))


def test_every_unresolved_pair_of_the_corpus_is_a_confirmed_misprint() -> None:
    ledger = load_ledger()
    pairs = corpus_pairs()
    assert len(pairs) > 5000  # the corpus was read: its 56 documents print some 6,000 pairs
    missing = [p for p in pairs if not p.resolved and not in_ledger(p, ledger)]
    lines = [f"{p.doc} p.{p.page} {p.table} {p.row}: {p.code} “{p.name}” ({p.status}; catalog: “{p.catalog_name}”)"
             for p in missing]
    assert not missing, "unresolved pairs not in the findings ledger:\n" + "\n".join(lines)


def test_at_least_99_percent_of_each_years_pairs_resolve_exactly() -> None:
    by_year: dict[int, list[Pair]] = defaultdict(list)
    for pair in corpus_pairs():
        by_year[pair.year].append(pair)
    assert set(by_year) <= set(available_years())
    low = {year: f"{exact_share(pairs):.2%}" for year, pairs in sorted(by_year.items()) if exact_share(pairs) < 0.99}
    assert not low, "\n".join(table_lines(list(corpus_pairs())))


@pytest.mark.parametrize("status", ["wrong", "unknown", "old_code"])
def test_in_ledger_needs_the_rule_table_and_row(status: str) -> None:
    from tests.corpus.ledger import Entry, Key

    pair = Pair(2026, "d.pdf", "3", "表6", "303", "dep_bgt_eco", "303", "x", status, "y")
    entry = Entry(Key(RULE_OF[status], "error", "表6", "303", "名称"), "p.3 misprint")
    assert in_ledger(pair, {"d.pdf": [entry]})
    assert not in_ledger(pair, {"d.pdf": [Entry(Key(RULE_OF[status], "error", "表5", "303", "名称"), "r")]})
    assert not in_ledger(pair, {"e.pdf": [entry]})
