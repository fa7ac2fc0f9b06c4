"""Table titles → template tables, and the template a document follows.

Two titles name the same table when their *canonical* forms are equal: the year prefix
(``2025年``), the unit's name, quotation marks, spaces and the noise words of the vocabulary
(部门 / 单位 / 预算 / 情况 …) removed. A title may also end with a known canonical title after an
unknown prefix (another unit's name); the longest such match wins. The template of a document is
the one that recognises the most distinct tables among its titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from deptbudget.importers.source import squash
from deptbudget.importers.vocabulary import vocabulary
from deptbudget.template import Template, load_template, loadable_templates

_YEAR_PREFIX = re.compile(r"^(?:20\d\d|二〇[一二三四五六七八九〇零]{2})年度?")
_SUBTITLE = re.compile(r"[（(]\s*(?:20\d\d\s*年度?|单位[:：].*?|续)\s*[)）]$")


def split_subtitle(title: str) -> tuple[str, str]:
    """``部门（单位）整体支出绩效目标申报表 (2020 年度)`` → (the title, ``(2020 年度)``)."""
    title = title.strip()
    match = _SUBTITLE.search(title)
    if match is None:
        return title, ""
    return title[: match.start()].rstrip(), match.group(0)


def canonical_title(title: str, unit_name: str = "") -> str:
    text = squash(split_subtitle(title)[0])
    text = _YEAR_PREFIX.sub("", text)
    if unit_name:
        unit = squash(unit_name)
        if text.startswith(unit):
            text = _YEAR_PREFIX.sub("", text[len(unit):])
    for old, new in vocabulary().title_rewrites.items():
        text = text.replace(old, new)
    for word in vocabulary().title_noise:
        text = text.replace(word, "")
    return text


def spec_titles(template: Template, table_id: str) -> list[str]:
    """Every name a template table goes by: title, printed title, aliases."""
    return list(template.table(table_id).names)


@dataclass(frozen=True)
class TitleIndex:
    """Canonical titles of every template's tables."""

    by_template: dict[str, dict[str, str]]  # template → canonical title → table id

    def match(self, template: str, title: str, unit_name: str = "") -> str | None:
        canon = canonical_title(title, unit_name)
        titles = self.by_template.get(template, {})
        if canon in titles:
            return titles[canon]
        suffixes = [c for c in titles if c and canon.endswith(c)]
        return titles[max(suffixes, key=len)] if suffixes else None

    def known(self, title: str, unit_name: str = "") -> bool:
        return any(self.match(name, title, unit_name) for name in self.by_template)


def disclosure_templates() -> list[Template]:
    """The templates that describe disclosure tables (other data files in the folder are skipped)."""
    return [template for template in loadable_templates() if template.tables]


@cache
def title_index() -> TitleIndex:
    by_template: dict[str, dict[str, str]] = {}
    for template in disclosure_templates():
        name = template.name
        titles: dict[str, str] = {}
        for spec in template.tables:
            for title in spec_titles(template, spec.id):
                titles.setdefault(canonical_title(title), spec.id)
        by_template[name] = titles
    return TitleIndex(by_template)


@dataclass(frozen=True)
class TemplateChoice:
    name: str | None  # None: no template recognises any table, or none fits well enough (``rejected``)
    matched: int  # distinct tables recognised
    scores: dict[str, int]
    rejected: str | None = None  # the best template when it did not fit: the document is read generically


# A template is a document's layout family only when the document has most of the tables that family must
# publish (its ``required:`` roles), or when every table of the document is one of the family's (a file that
# is one half of a disclosure, a stand-alone 绩效目标 file). A family that recognises a few titles of another
# locality's document would impose its columns on tables laid out otherwise: the generic reader, which names
# columns by their printed headers, reads such a document better (measured on the corpus, each locality read
# without its own template).
MIN_REQUIRED_FOUND = 0.8


def fits(name: str, titles: list[str], unit_name: str, distinctive: bool = True) -> bool:
    """Whether template ``name`` fits a document with these table titles (see MIN_REQUIRED_FOUND). That
    every title is one of the family's says so only when the titles are ``distinctive``: where the tables
    are numbered, mostly with the family's own numbers (two 绩效目标表 titles that many families print,
    numbered 12 and 13 where the family numbers them 15 and 14, tell no family)."""
    index = title_index()
    found = {index.match(name, title, unit_name) for title in titles}
    if None not in found and distinctive:
        return True
    template = load_template(name)
    required = {spec.id for spec in template.tables if spec.role in template.required.tables}
    return bool(required) and len(found & required) >= MIN_REQUIRED_FOUND * len(required)


def choose_template(titles: list[str], unit_name: str = "", numbers: list[str | None] | None = None,
                    markers: list[str] | None = None, kind: str = "部门预算") -> TemplateChoice:
    """The template recognising the most distinct tables; ties go to the one whose table numbers
    agree with the printed numbers, then to one whose ``numbering`` none of the printed ``markers``
    (``表一``, ``预算01表``) contradicts, then to a template that extends no other (a family's template
    wins by its own titles and numbers, not by what it inherits), then to the one with fewer tables. Only
    templates of the document's ``kind`` compete: a budget's (部门预算), or a final account's (部门决算)."""
    index = title_index()
    printed = numbers or [None] * len(titles)
    scores: dict[str, int] = {}
    agree: dict[str, int] = {}
    numbered: dict[str, int] = {}
    for name in index.by_template:
        if _kind(load_template(name).kind) != _kind(kind):
            continue
        matches = [(index.match(name, t, unit_name), n) for t, n in zip(titles, printed, strict=True)]
        scores[name] = len({m for m, _ in matches} - {None})
        template = load_template(name)
        agree[name] = sum(1 for m, n in matches if m is not None and n is not None and template.table(m).number == n)
        numbered[name] = sum(1 for m, n in matches if m is not None and n is not None)
    if not scores or max(scores.values()) == 0:
        return TemplateChoice(None, 0, scores)

    def foreign(template: Template) -> int:
        """Printed numbers in another style than the template's own (none when it declares none)."""
        if not template.numbering:
            return 0
        return sum(1 for m in markers or [] if m and not re.fullmatch(template.numbering, m))

    def rank(name: str) -> tuple[int, int, int, bool, int]:
        template = load_template(name)
        return scores[name], agree[name], -foreign(template), not template.extends, -len(template.tables)

    best = max(scores, key=rank)
    numbers_agree = agree[best] * 2 >= numbered[best]  # its own table numbers, where numbers are printed
    if not fits(best, titles, unit_name, distinctive=numbers_agree):
        return TemplateChoice(None, 0, scores, rejected=best)
    return TemplateChoice(best, scores[best], scores)


def _kind(kind: str) -> str:
    """决算 or 预算: a 单位预算 template reads budgets as a 部门预算 one does."""
    return "决算" if is_final_accounts(kind) else "预算"


def is_final_accounts(title: str) -> bool:
    return any(marker in title for marker in vocabulary().final_accounts_markers)


_QUALIFIER = re.compile(r"\s*[（(][^（()）]{1,20}[)）]$")


def ends_like_table_title(text: str) -> bool:
    """Ends with 表, or with 表 and a qualifier in brackets (``…支出明细表（按支出功能分类科目）``)."""
    title = split_subtitle(text)[0]
    return _QUALIFIER.sub("", title).endswith("表") and 3 <= len(squash(title)) <= 60
