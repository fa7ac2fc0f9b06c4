"""`check` on the reviewed real documents says exactly what the findings ledger confirms (issue 12 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.commands.check import check_paths
from deptbudget.rules import Finding, Severity
from tests.corpus.ledger import LEDGER, Entry, Key, compare, load_ledger, load_ledger_file
from tests.real_docs import REAL_DOCS

_LEDGER = load_ledger()


def _finding(rule: str, severity: Severity, table: str = "表1", row: str = "合计") -> Finding:
    return Finding("m", table=table, row=row, column="合计", severity=severity, rule=rule)


def _entry(rule: str, severity: str = "error", table: str = "表1", row: str = "合计") -> Entry:
    return Entry(Key(rule, severity, table, row, "合计"), "reason")


def test_compare_accepts_exactly_the_confirmed_findings() -> None:
    findings = [_finding("SUM-ROW", Severity.ERROR), _finding("FMT", Severity.NOTE)]
    assert compare(findings, [_entry("SUM-ROW")]).agrees


def test_compare_reports_an_unconfirmed_finding_and_a_gone_entry() -> None:
    result = compare([_finding("SUM-ROW", Severity.ERROR, row="一、")], [_entry("SUM-ROW")])
    assert [str(k) for k in result.unconfirmed] == ["SUM-ROW error 表1 | 一、 | 合计"]
    assert [e.key.row for e in result.gone] == ["合计"]


def test_compare_counts_repeated_findings() -> None:
    twice = [_finding("SUM-ROW", Severity.WARNING)] * 2
    result = compare(twice, [_entry("SUM-ROW", "warning")])
    assert len(result.unconfirmed) == 1 and not result.gone


def test_a_ledger_entry_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("documents:\n  a.pdf:\n    findings:\n      - {rule: X, severity: error}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="without a reason"):
        load_ledger_file(path)


def test_a_document_listed_twice_is_refused(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("documents:\n  x.pdf: {findings: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        load_ledger(tmp_path)


def test_every_listed_document_exists() -> None:
    missing = [name for name in _LEDGER if not (REAL_DOCS / name).is_file()]
    assert not missing, f"{LEDGER} lists documents that are not in {REAL_DOCS}: {missing}"


@pytest.mark.parametrize("name", sorted(_LEDGER))
def test_check_finds_what_the_ledger_confirms(name: str) -> None:
    [result] = check_paths([str(REAL_DOCS / name)])
    assert result.error is None, result.error
    outcome = compare(result.findings, _LEDGER[name])
    lines = [f"not confirmed (fix the reader or the rule): {key}" for key in outcome.unconfirmed]
    lines += [f"confirmed but no longer found: {entry.key} — {entry.reason}" for entry in outcome.gone]
    assert outcome.agrees, f"{name}:\n" + "\n".join(lines)
