"""The vocabulary of the figures a narrative states, loaded once from ``narrative-figures.yaml``.

One table for every reader and writer of those figures: the generated text takes their labels, the
figure extraction (``narrative_text``) and the quantity reading (``narrative_quantities``) their
patterns, the text and plausibility rules their labels and structure, the charts their labels and
the words of their table columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from deptbudget.model.budget import FUND_SOURCE_LABELS
from deptbudget.model.keyed_yaml import keyed_entries

VOCABULARY_FILE = "narrative-figures.yaml"
INCOME_PARTS = (2, 3)


class VocabularyError(ValueError):
    """The vocabulary file is malformed."""


@dataclass(frozen=True)
class NarrativeFigure:
    key: str
    label: str
    patterns: tuple[str, ...]
    unit: str = "万元"
    parts: tuple[int, ...] = ()
    change: str = ""
    children: tuple[str, ...] = ()
    column_words: tuple[str, ...] = ()
    statement_only: tuple[str, ...] = ()
    referent_only: tuple[str, ...] = ()
    final_only: bool = False  # stated in final accounts (部门决算) only: read where a 决算's text is read

    @property
    def change_stem(self) -> str:
        """What its change figures are keyed by: ``income`` for ``income.total`` (``income.change``)."""
        return self.change or self.key

    @property
    def item(self) -> str:
        """The key without its group: ``reception`` for ``three_public.reception`` (its column in 表12)."""
        return self.key.split(".", 1)[1]

    @property
    def statement_pattern(self) -> str:
        """The alternation that names the figure where a sentence states it."""
        return "|".join((*self.patterns, *self.statement_only))

    @property
    def referent_pattern(self) -> str:
        """The alternation that names the figure an amount refers to."""
        return "|".join((*self.patterns, *self.referent_only))


@dataclass(frozen=True)
class FundScope:
    """Words that narrow a figure to one fund (政府性基金): the figure is keyed ``<key>.<figure key>``."""

    key: str
    patterns: tuple[str, ...]
    narrows: tuple[str, ...]  # the figure groups it narrows (income, expenditure …)

    def narrows_figure(self, figure_key: str) -> bool:
        return figure_key.split(".", 1)[0] in self.narrows


@dataclass(frozen=True)
class FiguresVocabulary:
    figures: tuple[NarrativeFigure, ...]  # in match order
    funds: tuple[NarrativeFigure, ...]  # income.<fund source>, longest label first
    scopes: tuple[FundScope, ...] = ()
    final_figures: tuple[NarrativeFigure, ...] = ()  # ``final_only``: a 决算's alone (年初/年末结转和结余)

    @cached_property
    def scope_pattern(self) -> re.Pattern[str] | None:
        """One alternation of the scopes' words, group ``s<i>`` ↔ scope i; None without scopes."""
        if not self.scopes:
            return None
        return re.compile("|".join(f"(?P<s{i}>{'|'.join(s.patterns)})" for i, s in enumerate(self.scopes)))

    def funds_named(self, text: str) -> Iterator[re.Match[str]]:
        """Where ``text`` names a fund (one of the scopes)."""
        return self.scope_pattern.finditer(text) if self.scope_pattern is not None else iter(())

    def narrowing(self, clause: str, figure_key: str) -> str:
        """The scope that the words of ``clause`` before a figure narrow it to ("其中一般公共预算拨款" and
        procurement.total → general_budget); "" when none."""
        for match in self.funds_named(clause):
            scope = self.scopes[int(match.lastgroup[1:])] if match.lastgroup else None
            if scope is not None and scope.narrows_figure(figure_key):
                return scope.key
        return ""

    @cached_property
    def _by_key(self) -> dict[str, NarrativeFigure]:
        return {f.key: f for f in (*self.figures, *self.funds, *self.final_figures)}

    def figure(self, key: str) -> NarrativeFigure:
        return self._by_key[key]

    def label(self, key: str) -> str:
        return self._by_key[key].label

    def in_part(self, number: int, final: bool = False) -> tuple[NarrativeFigure, ...]:
        """The figures part ``number`` states (fund incomes last), in match order; ``final``: a 决算's, its own
        figures (``final_only``) first."""
        own = tuple(f for f in self.final_figures if number in f.parts) if final else ()
        found = tuple(f for f in self.figures if number in f.parts)
        return own + found + tuple(f for f in self.funds if number in f.parts)

    def aggregates(self) -> tuple[NarrativeFigure, ...]:
        """The figures that are the sum of others, in vocabulary order (parts before their whole)."""
        return tuple(f for f in self.figures if f.children)

    def children(self, key: str) -> tuple[NarrativeFigure, ...]:
        return tuple(self.figure(k) for k in self.figure(key).children)

    def leaves(self, key: str) -> tuple[NarrativeFigure, ...]:
        """The figures under ``key`` that have no parts of their own, in listing order."""
        out: list[NarrativeFigure] = []
        for child in self.children(key):
            out.extend(self.leaves(child.key) if child.children else (child,))
        return tuple(out)


def _strings(entry: dict[str, Any], name: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{VOCABULARY_FILE}: {entry.get('key')}: {name} must be a list of strings")
    return tuple(value)


def _figure(entry: dict[str, Any]) -> NarrativeFigure:
    if not isinstance(entry, dict) or not entry.get("key") or not entry.get("label") or not entry.get("patterns"):
        raise VocabularyError(f"{VOCABULARY_FILE}: every figure needs key, label and patterns: {entry!r}")
    return NarrativeFigure(
        key=str(entry["key"]),
        label=str(entry["label"]),
        patterns=_strings(entry, "patterns"),
        unit=str(entry.get("unit", "万元")),
        parts=tuple(int(p) for p in entry.get("parts", ())),
        change=str(entry.get("change", "")),
        children=_strings(entry, "children"),
        column_words=_strings(entry, "column_words"),
        statement_only=_strings(entry, "statement_only"),
        referent_only=_strings(entry, "referent_only"),
        final_only=bool(entry.get("final_only", False)),
    )


def _scope(entry: dict[str, Any]) -> FundScope:
    if not isinstance(entry, dict) or not entry.get("key") or not entry.get("patterns"):
        raise VocabularyError(f"{VOCABULARY_FILE}: every scope needs key and patterns: {entry!r}")
    return FundScope(str(entry["key"]), _strings(entry, "patterns"), _strings(entry, "narrows"))


def _fund_figures() -> tuple[NarrativeFigure, ...]:
    ordered = sorted(FUND_SOURCE_LABELS.items(), key=lambda item: -len(item[1]))
    return tuple(NarrativeFigure(f"income.{source.value}", label, (re.escape(label),), parts=INCOME_PARTS)
                 for source, label in ordered)


def parse_vocabulary(text: str) -> FiguresVocabulary:
    entries = keyed_entries(text, "figures", VOCABULARY_FILE, VocabularyError, _figure)
    figures = tuple(f for f in entries if not f.final_only)
    keys = [f.key for f in entries]
    unknown = sorted({c for f in entries for c in f.children} - set(keys))
    if unknown:
        raise VocabularyError(f"{VOCABULARY_FILE}: children that are not figures: {', '.join(unknown)}")
    data = yaml.safe_load(text)
    scopes = keyed_entries(text, "scopes", VOCABULARY_FILE, VocabularyError, _scope) \
        if isinstance(data, dict) and "scopes" in data else ()
    return FiguresVocabulary(figures, _fund_figures(), scopes, tuple(f for f in entries if f.final_only))


@lru_cache(maxsize=1)
def figures_vocabulary() -> FiguresVocabulary:
    """The shipped vocabulary (read once)."""
    text = resources.files("deptbudget.model").joinpath(VOCABULARY_FILE).read_text(encoding="utf-8")
    return parse_vocabulary(text)
