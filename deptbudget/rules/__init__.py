"""Validation rules: one small function per rule, each with a stable id (docs/rules.md)."""

from deptbudget.rules.registry import (
    Category,
    Checker,
    Finding,
    Rule,
    RuleContext,
    RuleSettings,
    Severity,
    all_rules,
    load_settings,
    run_rules,
    worst,
)

__all__ = [
    "Category",
    "Checker",
    "Finding",
    "Rule",
    "RuleContext",
    "RuleSettings",
    "Severity",
    "all_rules",
    "load_settings",
    "run_rules",
    "worst",
]
