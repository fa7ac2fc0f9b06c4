"""Print the error and warning findings of `check` on real documents as draft entries of the findings ledger.

    PYTHONPATH=. python scripts/ledger_draft.py ../shared/real-docs/003_深圳/2026年深圳市审计局部门预算.pdf

Every entry is printed with ``reason: "TODO …"`` and the finding's message: a person checks each against the
document, writes the reason (with the page) for a real problem and fixes the reader or the rule for a false one.
Only then does the entry go into tests/corpus/ledger/<folder>.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from deptbudget.commands.check import check_paths
from tests.corpus.ledger import COUNTED, key_of


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft(path: Path, root: Path) -> str:
    [result] = check_paths([str(path)])
    name = path.resolve().relative_to(root.resolve()).as_posix()
    if result.error:
        return f"  # {name}: {result.error}\n"
    findings = [f for f in result.findings if f.severity in COUNTED]
    if not findings:
        return f"  {name}: {{findings: []}}\n"
    lines = [f"  {name}:", "    findings:"]
    for finding in findings:
        key = key_of(finding)
        lines.append(f"      - {{rule: {key.rule}, severity: {key.severity}, table: {_quoted(key.table)}, "
                     f"row: {_quoted(key.row)}, column: {_quoted(key.column)},")
        lines.append(f"         reason: {_quoted('TODO ' + finding.message[:150])}}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for arg in argv:
        path = Path(arg)
        root = next((p for p in path.resolve().parents if (p / "MANIFEST.tsv").is_file()), path.resolve().parent)
        print(draft(path, root), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
