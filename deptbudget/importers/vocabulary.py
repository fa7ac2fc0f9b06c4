"""The importer's generic words (``vocabulary.yaml``): title rewrites and noise, final-accounts
markers, income-label aliases, preferred classes; and the label-key lookups of a template's forms
(the form words themselves are template data, ``deptbudget/templates/_shared.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from deptbudget.importers.source import label_key
from deptbudget.template import FormSpec, IndicatorWords


@dataclass(frozen=True)
class FormVocabulary:
    fields: dict[str, str]  # label key → field key
    amounts: frozenset[str]
    groups: frozenset[str]  # label keys of group labels (read and dropped)


@dataclass(frozen=True)
class IndicatorVocabulary:
    headings: frozenset[str]
    header_cells: frozenset[str]
    level1: tuple[str, ...]
    level2: dict[str, str]  # 二级 label key → its 一级
    text_rows: dict[str, str]  # 二级 label key → row key
    target_starts: tuple[str, ...]
    period_headers: frozenset[str]  # label keys of a 实施周期 value column printed before the year's


@dataclass(frozen=True)
class Vocabulary:
    title_rewrites: dict[str, str]
    title_noise: tuple[str, ...]
    final_accounts_markers: tuple[str, ...]
    income_labels: dict[str, str]  # label key → income key
    preferred_classes: dict[str, tuple[str, ...]]


def form_vocabulary(form: FormSpec) -> FormVocabulary:
    fields = {label_key(label): key for key, labels in form.fields.items() for label in labels}
    return FormVocabulary(fields=fields, amounts=form.amounts, groups=frozenset(label_key(g) for g in form.groups))


def indicator_vocabulary(words: IndicatorWords) -> IndicatorVocabulary:
    return IndicatorVocabulary(
        headings=frozenset(label_key(h) for h in words.headings),
        header_cells=frozenset(label_key(h) for h in words.header_cells),
        level1=words.level1,
        level2={label_key(k): v for k, v in words.level2.items()},
        text_rows={label_key(k): v for k, v in words.text_rows.items()},
        target_starts=words.target_starts,
        period_headers=frozenset(label_key(h) for h in words.period_headers),
    )


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("deptbudget.importers").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Vocabulary(
        title_rewrites=dict(data.get("title_rewrites") or {}),
        title_noise=tuple(data["title_noise"]),
        final_accounts_markers=tuple(data["final_accounts_markers"]),
        income_labels={label_key(label): key for key, labels in data["income_label_aliases"].items()
                       for label in labels},
        preferred_classes={kind: tuple(str(c) for c in codes) for kind, codes in data["preferred_classes"].items()},
    )
