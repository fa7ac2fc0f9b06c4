"""docs/rules.md is generated from the registry (scripts/gen_rules_doc.py) and kept up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from deptbudget.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_rules_doc", ROOT / "scripts" / "gen_rules_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_page_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == _generator().render(), "run: python scripts/gen_rules_doc.py"


def test_page_lists_every_rule_with_an_example() -> None:
    page = _generator().render()
    for item in all_rules():
        assert f"| `{item.id}` | {item.severity.value} |" in page
    assert "表14 / 资金总额 / 资金总额：金额的千位分隔符位置错误：1,7144.13" in page


def test_check_mode_fails_on_a_stale_page(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    module = _generator()
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(module, "DOC", stale)
    assert module.main(["--check"]) == 1
    assert module.main([]) == 0
    assert module.main(["--check"]) == 0
