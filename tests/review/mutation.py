"""Single-change mutations of a disclosure's narrative, for the mutation test.

Kinds: a percentage, an amount (万元), a year, a direction word, a classification name of 名词解释.
Each mutation changes one occurrence in one paragraph, by more than rounding can explain.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.model.disclosure import Disclosure

PCT = re.compile(r"(?<![\d.])(\d+\.\d+)(?=\s*[%％])")
AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})*\.\d{2})(?=\s*万元)(?!\s*万元\s*以上)")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?=\s*年)")
# a direction word that states a change: followed by its amount or rate, or naming its reason
DIRECTION = re.compile(r"(?:增加|减少|增长|下降|上升)(?=\s*\d|(?:的)?(?:主要)?原因)")
SWAP = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长", "上升": "下降"}
GLOSSARY_ENTRY = re.compile(r"^([^：:，。]{2,30})[：:]指")
KINDS = ("percentage", "amount", "year", "direction", "name")
OLD_NAMES = {"卫生健康支出": "医疗卫生与计划生育支出", "行政事业单位养老支出": "行政事业单位离退休"}


@dataclass(frozen=True)
class Mutation:
    kind: str  # percentage / amount / year / direction / name
    part: int
    section: int
    paragraph: int
    start: int
    end: int
    before: str
    after: str
    context: str


def _places(d: Disclosure, parts: range) -> Iterator[tuple[int, int, int, str]]:
    for part in d.parts:
        if part.number not in parts:
            continue
        for s, section in enumerate(part.sections):
            for p, text in enumerate(section.paragraphs):
                yield part.number, s, p, text


def _format_like(value: Decimal, like: str) -> str:
    return f"{value:,.2f}" if "," in like or value >= 1000 else f"{value:.2f}"


def _candidates(d: Disclosure, rng: random.Random) -> dict[str, list[Mutation]]:
    out: dict[str, list[Mutation]] = {kind: [] for kind in KINDS}

    def add(kind: str, place: tuple[int, int, int, str], match: re.Match[str], after: str) -> None:
        part, s, p, text = place
        out[kind].append(Mutation(kind, part, s, p, match.start(1) if match.groups() else match.start(),
                                  match.end(1) if match.groups() else match.end(),
                                  match.group(1) if match.groups() else match.group(0), after, text))

    for place in _places(d, range(2, 8)):
        text = place[3]
        for m in PCT.finditer(text):
            value = Decimal(m.group(1))
            delta = Decimal(rng.choice(["0.13", "0.5", "1.2", "3.7", "10"]))
            new = value + delta if rng.random() < 0.5 or value <= delta else value - delta
            add("percentage", place, m, f"{new:.2f}")
        for m in AMOUNT.finditer(text):
            value = Decimal(m.group(1).replace(",", ""))
            factor = Decimal(rng.choice(["0.5", "0.8", "0.9", "0.97", "1.03", "1.1", "1.25", "2"]))
            new = (value * factor).quantize(Decimal("0.01"))
            if new == value:
                new = value + Decimal("1.00")
            add("amount", place, m, _format_like(new, m.group(1)))
        for m in DIRECTION.finditer(text):
            add("direction", place, m, SWAP[m.group(0)])
    for place in _places(d, range(1, 8)):
        for m in YEAR.finditer(place[3]):
            add("year", place, m, str(int(m.group(1)) + rng.choice([-2, -1, 1, 2])))
    for place in _places(d, range(8, 9)):
        m = GLOSSARY_ENTRY.match(place[3])
        if m is None:
            continue
        name = m.group(1)
        if name[0] in "一二三四五六七八九十":
            continue
        if name in OLD_NAMES and rng.random() < 0.5:
            new = OLD_NAMES[name]
        else:
            i = rng.randrange(len(name))
            new = rng.choice([name[:i] + name[i + 1:], name[:i] + rng.choice("技术管理事务行政科学") + name[i + 1:]])
        if new != name:
            add("name", place, m, new)
    return out


def mutations(d: Disclosure, rng: random.Random, per_kind: int) -> list[Mutation]:
    """Up to ``per_kind`` mutations of each kind (sampled with replacement when there are fewer sites)."""
    chosen: list[Mutation] = []
    for found in _candidates(d, rng).values():
        if not found:
            continue
        for index in range(per_kind):
            site = found[index % len(found)] if index < len(found) else rng.choice(found)
            if index >= len(found):  # a new draw of the same site: a different change
                site = _redraw(site, rng)
            chosen.append(site)
    return chosen


def _redraw(m: Mutation, rng: random.Random) -> Mutation:
    if m.kind == "percentage":
        new = Decimal(m.before) + Decimal(rng.choice(["0.2", "0.8", "2.5", "6"])) * rng.choice([1, -1])
        if new < 0:
            new = Decimal(m.before) + Decimal("0.8")
        return Mutation(m.kind, m.part, m.section, m.paragraph, m.start, m.end, m.before, f"{new:.2f}", m.context)
    if m.kind == "amount":
        value = Decimal(m.before.replace(",", ""))
        new = (value * Decimal(rng.choice(["0.6", "0.95", "1.05", "1.5"]))).quantize(Decimal("0.01"))
        if new == value:
            new = value + Decimal("2.00")
        return Mutation(m.kind, m.part, m.section, m.paragraph, m.start, m.end, m.before, _format_like(new, m.before),
                        m.context)
    if m.kind == "year":
        return Mutation(m.kind, m.part, m.section, m.paragraph, m.start, m.end, m.before,
                        str(int(m.before) + rng.choice([-3, -1, 1, 3])), m.context)
    return m


def apply(d: Disclosure, m: Mutation) -> Disclosure:
    mutated = copy.deepcopy(d)
    part = mutated.part(m.part)
    assert part is not None
    paragraphs = part.sections[m.section].paragraphs
    text = paragraphs[m.paragraph]
    assert text[m.start:m.end] == m.before, (text[m.start:m.end], m)
    paragraphs[m.paragraph] = text[:m.start] + m.after + text[m.end:]
    return mutated
