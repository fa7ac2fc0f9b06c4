"""Rule modules are listed, not discovered: ``RULE_MODULES`` names every module that defines rules."""

from __future__ import annotations

import re
from pathlib import Path

import deptbudget.rules
from deptbudget.rules import all_rules
from deptbudget.rules.registry import RULE_MODULES

PACKAGE = Path(deptbudget.rules.__file__).parent
# A module defines rules with @rule(...) or registers rows of the equalities table.
DEFINES_RULES = re.compile(r"^@rule\(|^register_equalities\(", re.MULTILINE)


def _modules_defining_rules() -> set[str]:
    return {path.stem for path in PACKAGE.glob("*.py") if DEFINES_RULES.search(path.read_text(encoding="utf-8"))}


def test_every_module_that_defines_rules_is_listed() -> None:
    missing = sorted(_modules_defining_rules() - set(RULE_MODULES))
    assert not missing, f"add to RULE_MODULES in deptbudget/rules/registry.py: {', '.join(missing)}"


def test_every_listed_module_defines_rules() -> None:
    assert len(RULE_MODULES) == len(set(RULE_MODULES))
    assert set(RULE_MODULES) <= _modules_defining_rules()
    assert {item.module for item in all_rules()} == set(RULE_MODULES)


def test_rules_run_in_the_listed_module_order() -> None:
    order = [RULE_MODULES.index(item.module) for item in all_rules()]
    assert order == sorted(order)
