"""The standard parts of a budget narrative, loaded once from ``narrative-parts.yaml``.

Every family prints the same parts (主要职能, 机构设置, 收支预算总体情况, “三公”经费, 政府采购 …) under its
own headings and numbering. ``standard_part(heading)`` says which one a heading names (None when it names
none); the importer uses it to find the parts of a document without 第N部分, the figure extraction to know
which figures a section states, review to know which parts a document has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from deptbudget.model.keyed_yaml import keyed_entries

PARTS_FILE = "narrative-parts.yaml"
# The numbering in front of a heading: 第一部分 / 一、 / （一） / 1. / 1、 / 第1章, with what follows it.
_NUMBERING = re.compile(r"^\s*(?:第\s*[一二三四五六七八九十\d]+\s*(?:部分|章|节)\s*[:：、.．]?|"
                        r"[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|"
                        r"\d+\s*[、.．](?!\d))\s*")
# The longest line that can be a heading (a title with the entity's name and the year in front).
MAX_HEADING = 40


class PartsError(ValueError):
    """The parts file is malformed."""


@dataclass(frozen=True)
class StandardPart:
    key: str
    label: str
    names: tuple[str, ...]
    figures: tuple[int, ...] = ()  # the parts of the figures vocabulary whose figures it states
    scope: str = ""  # key prefix of its figures when they are a subset of the document's ("fiscal")

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(self.names))


@dataclass(frozen=True)
class PartsVocabulary:
    parts: tuple[StandardPart, ...]  # in match order

    def part(self, key: str) -> StandardPart:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)


def strip_numbering(heading: str) -> str:
    """The heading without its numbering: "第二部分：部门预算收支情况说明" → "部门预算收支情况说明"."""
    return _NUMBERING.sub("", heading.strip(), count=1).strip()


def numbering_of(heading: str) -> str:
    """The numbering in front of a heading ("一、", "（二）", "第三部分"), "" when there is none."""
    match = _NUMBERING.match(heading)
    return match.group().strip() if match else ""


def _entry(entry: Any) -> StandardPart:
    if not isinstance(entry, dict) or not entry.get("key") or not entry.get("names"):
        raise PartsError(f"{PARTS_FILE}: every part needs key and names: {entry!r}")
    names = entry["names"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise PartsError(f"{PARTS_FILE}: {entry['key']}: names must be a list of strings")
    for name in names:
        try:
            re.compile(name)
        except re.error as exc:
            raise PartsError(f"{PARTS_FILE}: {entry['key']}: bad pattern {name!r}: {exc}") from exc
    return StandardPart(str(entry["key"]), str(entry.get("label", entry["key"])), tuple(names),
                        tuple(int(n) for n in entry.get("figures", ())), str(entry.get("scope", "")))


def parse_parts(text: str) -> PartsVocabulary:
    return PartsVocabulary(keyed_entries(text, "parts", PARTS_FILE, PartsError, _entry))


@lru_cache(maxsize=1)
def parts_vocabulary() -> PartsVocabulary:
    """The shipped vocabulary (read once)."""
    text = resources.files("deptbudget.model").joinpath(PARTS_FILE).read_text(encoding="utf-8")
    return parse_parts(text)


@lru_cache(maxsize=4096)
def standard_part(heading: str) -> StandardPart | None:
    """The standard part a heading names, or None (a heading longer than a heading can be names none)."""
    text = re.sub(r"\s+", "", strip_numbering(heading))
    if not text or len(text) > MAX_HEADING:
        return None
    for part in parts_vocabulary().parts:
        if part.pattern.search(text):
            return part
    return None
