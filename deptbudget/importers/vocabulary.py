"""The importer's vocabulary (``vocabulary.yaml``): title aliases, form labels, indicator levels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from deptbudget.importers.source import label_key


@dataclass(frozen=True)
class FormVocabulary:
    fields: dict[str, str]  # label key → field key
    amounts: frozenset[str]
    groups: frozenset[str]  # label keys of group labels (read and dropped)
    labels: dict[str, str]  # column key → column label


@dataclass(frozen=True)
class IndicatorVocabulary:
    headings: frozenset[str]
    header_cells: frozenset[str]
    level1: tuple[str, ...]
    level2: dict[str, str]  # 二级 label key → its 一级
    text_rows: dict[str, str]  # 二级 label key → row key
    target_starts: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    title_rewrites: dict[str, str]
    title_noise: tuple[str, ...]
    title_aliases: dict[str, dict[str, tuple[str, ...]]]
    final_accounts_markers: tuple[str, ...]
    income_labels: dict[str, str]  # label key → income key
    forms: dict[str, FormVocabulary]
    indicators: IndicatorVocabulary
    preferred_classes: dict[str, tuple[str, ...]]


def _form(data: dict[str, Any]) -> FormVocabulary:
    fields = {label_key(label): key for key, labels in data["fields"].items() for label in labels}
    return FormVocabulary(fields=fields, amounts=frozenset(data.get("amounts", [])),
                          groups=frozenset(label_key(g) for g in data.get("groups", [])),
                          labels=dict(data["labels"]))


def _indicators(data: dict[str, Any]) -> IndicatorVocabulary:
    return IndicatorVocabulary(
        headings=frozenset(label_key(h) for h in data["heading"]),
        header_cells=frozenset(label_key(h) for h in data["header_cells"]),
        level1=tuple(data["level1"]),
        level2={label_key(k): v for k, v in data["level2"].items()},
        text_rows={label_key(k): v for k, v in data["text_rows"].items()},
        target_starts=tuple(str(s) for s in data["target_starts"]),
    )


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("deptbudget.importers").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Vocabulary(
        title_rewrites=dict(data.get("title_rewrites") or {}),
        title_noise=tuple(data["title_noise"]),
        title_aliases={name: {tid: tuple(v) for tid, v in tables.items()}
                       for name, tables in data["title_aliases"].items()},
        final_accounts_markers=tuple(data["final_accounts_markers"]),
        income_labels={label_key(label): key for key, labels in data["income_label_aliases"].items()
                       for label in labels},
        forms={builder: _form(form) for builder, form in data["forms"].items()},
        indicators=_indicators(data["indicators"]),
        preferred_classes={kind: tuple(str(c) for c in codes) for kind, codes in data["preferred_classes"].items()},
    )
