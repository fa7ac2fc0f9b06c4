"""The findings ledger: the error and warning findings of `check` on real documents that a person confirmed.

``ledger/<folder>.yaml`` (one file per locality folder of ``../shared/real-docs``) lists corpus documents
(paths under ``../shared/real-docs``) and, for each, the findings that are real problems of that document
with a one-line reason. A document listed with no findings is one a person read and found correct: `check`
must say nothing on it. Documents not listed have not been reviewed yet; they are not compared (the closing
notes of issue 12 say which remain).

The format of a file::

    documents:
      003_深圳/2026年深圳市审计局部门预算.pdf:
        findings:
          - {rule: SUM-ROW-COLUMNS, severity: error, table: 表3, row: "2010108", column: 合计,
             reason: "printed 合计 12.00 ≠ 基本支出 5.00 + 项目支出 6.00 (p.9)"}
      006_苏州/2026年苏州市审计局部门预算.pdf: {findings: []}     # reviewed, correct: check must be silent
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from deptbudget.rules import Finding, Severity

LEDGER = Path(__file__).with_name("ledger")
COUNTED = (Severity.ERROR, Severity.WARNING)


@dataclass(frozen=True)
class Key:
    """Where a finding is and what it says: rule, severity and the table / row / column it points at."""

    rule: str
    severity: str
    table: str
    row: str
    column: str

    def __str__(self) -> str:
        place = " | ".join(p for p in (self.table, self.row, self.column) if p)
        return f"{self.rule} {self.severity} {place}"


def key_of(finding: Finding) -> Key:
    severity = finding.severity.value if finding.severity else ""
    return Key(finding.rule, severity, finding.table or "", finding.row or "", finding.column or "")


@dataclass(frozen=True)
class Entry:
    key: Key
    reason: str


def load_ledger(folder: Path = LEDGER) -> dict[str, list[Entry]]:
    """document → its confirmed findings, from every ``*.yaml`` file of the ledger folder."""
    out: dict[str, list[Entry]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for name, entries in load_ledger_file(path).items():
            if name in out:
                raise ValueError(f"{path}: {name} is listed twice in the ledger")
            out[name] = entries
    return out


def load_ledger_file(path: Path) -> dict[str, list[Entry]]:
    """document → its confirmed findings. Every entry needs a reason; a document may be listed with none."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    documents = data.get("documents") or {}
    out: dict[str, list[Entry]] = {}
    for name, body in documents.items():
        entries = []
        for item in (body or {}).get("findings") or []:
            reason = str(item.get("reason") or "").strip()
            if not reason:
                raise ValueError(f"{path}: {name}: a ledger entry without a reason: {item}")
            entries.append(Entry(Key(str(item["rule"]), str(item["severity"]), str(item.get("table") or ""),
                                     str(item.get("row") or ""), str(item.get("column") or "")), reason))
        out[str(name)] = entries
    return out


@dataclass(frozen=True)
class Comparison:
    unconfirmed: list[Key]  # found by check, not in the ledger: a defect of the reader or a rule
    gone: list[Entry]  # in the ledger, no longer found

    @property
    def agrees(self) -> bool:
        return not self.unconfirmed and not self.gone


def compare(findings: list[Finding], confirmed: list[Entry]) -> Comparison:
    """The counted findings against the ledger, as multisets (two equal findings need two entries)."""
    remaining = [entry for entry in confirmed]
    unconfirmed = []
    for finding in findings:
        if finding.severity not in COUNTED:
            continue
        key = key_of(finding)
        match = next((entry for entry in remaining if entry.key == key), None)
        if match is None:
            unconfirmed.append(key)
        else:
            remaining.remove(match)
    return Comparison(unconfirmed, remaining)
