"""Text rules on names: classification names in the narrative against the catalog of the year,
old names of renamed 类/款/项, and one-character slips in names the tables spell correctly.

Where the narrative names a classification: the 名词解释 list of 支出功能分类 / 经济分类 entries
(“其他技术与开发支出：指…”), a name tagged with its level (“卫生健康支出（类）”) and a name printed
after its code (“2060499 其他技术研究与开发支出”). Old names are the names the catalog of the year says its
codes carried in earlier years (``Catalog.former_names``: the renamed and recoded changes of the catalog
data) and are looked for anywhere in the narrative.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from deptbudget.catalog import Catalog
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_reading import Heading, Paragraph, headings, is_cjk, normalize, paragraphs, sentence_at
from deptbudget.rules.catalog_rules import changed_severity
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.rules.text_parse import text_finding

_GLOSSARY_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])?"
                            r"(?P<what>支出功能分类|支出经济分类|部门预算支出经济分类|政府预算支出经济分类)(?:科目)?[:：]?$")
_NUMBERED_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、)")
_ENTRY = re.compile(r"^(?:\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])?(?P<name>[^：:，,。]{2,30})[：:]")
_TAGGED = re.compile(r"(?P<run>[\u4e00-\u9fff]{2,40})[（(](?P<level>类|款|项)[)）]")
_CODED = re.compile(r"(?<!\d)(?P<code>\d{7}|\d{5}|\d{3})(?!\d)[“\"]?(?P<run>[\u4e00-\u9fff（）]{2,40})")
_LEVELS = {"类": 1, "款": 2, "项": 3}
_KIND_OF = {"支出功能分类": ("exp_func",), "支出经济分类": ("dep_bgt_eco", "gov_bgt_eco"),
            "部门预算支出经济分类": ("dep_bgt_eco",), "政府预算支出经济分类": ("gov_bgt_eco",)}
_COMPLETE_ENDINGS = ("支出", "事务", "管理", "机构")
_RENAME_MARKERS = ("原", "原称", "原名", "即原", "曾用名")
_NAME_COLUMNS = ("name", "project", "pro_name", "exp_item", "income_item")
_STEM_SUFFIXES = re.compile(r"(?:专项资金|工作经费|购买服务项目|建设项目|经费|资金|项目|补贴|工作)$")
_BRACKETS = re.compile(r"[（(][^）)]*[)）]")
MIN_TERM = 6


def _close(name: str, candidates: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return found[0] if found else None


def table_names(disclosure: Disclosure) -> set[str]:
    """Every name printed in a name column of the tables (forms: the project name only), normalised."""
    names: set[str] = set()
    for table in disclosure.tables:
        form = table.layout == "form"
        for row in table.rows:
            for key, cell in row.cells.items():
                if (not form and key in _NAME_COLUMNS) or (row.key == "pro_name" and key == "value"):
                    text = normalize(cell.text)
                    if text:
                        names.add(text)
    return names


def _names(disclosure: Disclosure, ctx: RuleContext) -> set[str]:
    return ctx.remember("text.table_names", lambda: table_names(disclosure))


def classification_names(disclosure: Disclosure) -> set[str]:
    """The names of classification rows in the tables: rows with a code, and the 支出 side of 收支总表."""
    names: set[str] = set()
    for table in disclosure.tables:
        for row in table.rows:
            code = row.cells.get("code")
            if code is not None and code.text.strip().isdigit() and "name" in row.cells:
                names.add(normalize(row.cells["name"].text))
            if "exp_item" in row.cells and "exp=" in row.key and row.key.split("exp=", 1)[1][:3].isdigit():
                names.add(normalize(row.cells["exp_item"].text))
    return names


@dataclass(frozen=True)
class Entry:
    paragraph: Paragraph
    name: str
    kinds: tuple[str, ...]


def glossary_entries(items: list[Paragraph]) -> Iterator[Entry]:
    """The classification entries of 名词解释: under a heading or a line naming the classification."""
    kinds: tuple[str, ...] | None = None
    section: tuple[int, int] | None = None
    for paragraph in items:
        if "名词解释" not in paragraph.part_title and paragraph.part != 8:
            continue
        place = (paragraph.part, paragraph.section)
        head = _GLOSSARY_HEAD.match(paragraph.heading)
        if head:
            kinds, section = _KIND_OF[head["what"]], place
        elif section != place:
            kinds = None
        line = _GLOSSARY_HEAD.match(paragraph.text)
        if line:
            kinds, section = _KIND_OF[line["what"]], place
            continue
        if kinds is not None and _NUMBERED_HEAD.match(paragraph.text) and not head:
            kinds = None
        entry = _ENTRY.match(paragraph.text)
        if kinds is not None and entry:
            yield Entry(paragraph, entry["name"], kinds)


@dataclass(frozen=True)
class OldName:
    """A name no code of the year carries any more: the code that carried it, its name now, the year it changed."""

    kind: str
    code: str
    name: str
    renamed_in: int


@lru_cache(maxsize=16)
def old_names(catalog: Catalog) -> dict[str, OldName]:
    """Old name → where it went, for the old 支出功能分类 names that are no longer any code's name.

    Only 功能分类 names: the narrative cites them as names (“卫生健康支出（类）”), while the old 经济分类
    names are words prose uses for other things (“基本建设支出中用于…”, “医疗费”); the tables, which say
    the kind, judge those (CAT-NAME). Nor an old name that holds the new one (“其他对个人和家庭的补助支出”
    of “其他对个人和家庭的补助”): a sentence listing expenditures reads the same either way."""
    out: dict[str, OldName] = {}
    kind = "exp_func"
    for entry in catalog.entries(kind):
        for former in reversed(catalog.former_names(kind, entry.code)):
            old = former.name
            if entry.name not in old and not catalog.code_for_name(kind, old):
                out.setdefault(old, OldName(kind, entry.code, entry.name, former.renamed_in))
    return out


@lru_cache(maxsize=16)
def _level_names(catalog: Catalog, kind: str, level: int) -> tuple[str, ...]:
    return tuple(e.name for e in catalog.entries(kind) if level == 0 or e.level == level)


def _official(catalog: Catalog, kinds: tuple[str, ...], name: str) -> bool:
    return any(catalog.code_for_name(kind, name) for kind in kinds)


def _glossary_findings(entry: Entry, catalog: Catalog, in_tables: set[str]) -> Iterator[Finding]:
    name = entry.name
    year = catalog.requested_year
    if _official(catalog, entry.kinds, name):
        if in_tables and name not in in_tables:
            yield text_finding(entry.paragraph, f"名词解释中的科目“{name}”未出现在本预算的表格中", "科目名称", None,
                               sentence_at(entry.paragraph.text, 0), Severity.WARNING)
        return
    if name in old_names(catalog):
        return  # TEXT-OLD-NAME reports it
    candidates = sorted(n for n in in_tables if _official(catalog, entry.kinds, n))
    best = _close(name, candidates, 0.75)
    if best is None:
        best = _close(name, [n for kind in entry.kinds for n in _level_names(catalog, kind, 0)], 0.75)
    label = "支出功能分类" if entry.kinds == ("exp_func",) else "支出经济分类"
    if best is not None:
        yield text_finding(entry.paragraph, f"“{name}”不是 {year} 年{label}科目名称，应为“{best}”", "科目名称", best,
                           sentence_at(entry.paragraph.text, 0))
    else:
        yield text_finding(entry.paragraph, f"“{name}”不是 {year} 年{label}科目名称", "科目名称", None,
                           sentence_at(entry.paragraph.text, 0), Severity.WARNING)


def _omits(short: str, long: str) -> bool:
    """``short`` is ``long`` with characters left out inside ("其他技术与开发支出" of "其他技术研究与开发支出")."""
    rest = iter(long)
    return short[:1] == long[:1] and short[-1:] == long[-1:] and all(char in rest for char in short)


def _tagged_findings(place: Paragraph | Heading, catalog: Catalog, in_tables: set[str]) -> Iterator[Finding]:
    # A catalog older than the document may not know a name it uses ("中等职业教育（项）", "专门学校教育（项）" in a
    # 2026 budget against the 2020 catalog): when the document's own tables use the name, the rule cannot tell.
    newer = catalog.requested_year > catalog.fiscal_year
    for match in _TAGGED.finditer(place.text):
        run, level = match["run"], _LEVELS[match["level"]]
        names = _level_names(catalog, "exp_func", level)
        suffixes = [run[i:] for i in range(len(run) - 1)]
        if any(s in names for s in suffixes) or any(s in old_names(catalog) for s in suffixes):
            continue
        if level == 1 and any(f"{s}支出" in names for s in suffixes):
            continue  # "公共安全（类）": the 类 named without its 支出
        if newer and any(s in in_tables for s in suffixes):
            continue
        best, printed = None, ""
        for suffix in suffixes:
            if len(suffix) >= 3:
                best, printed = _close(suffix, list(names), 0.8), suffix
                if best:
                    break
        if best is not None and newer and not (_omits(printed, best) or _omits(best, printed)):
            continue  # another word, not a slip: maybe the name of a later year the catalog does not know
        if best is not None:
            message = (f"“{match.group(0)}”中的科目名称不是 {catalog.requested_year} 年支出功能分类"
                       f"{match['level']}级名称，应为“{best}”")
            yield text_finding(place, message, "科目名称", best, sentence_at(place.text, match.start()))


def _coded_findings(place: Paragraph | Heading, catalog: Catalog) -> Iterator[Finding]:
    for match in _CODED.finditer(place.text):
        entry = catalog.find("exp_func", match["code"])
        if entry is None or match["run"].startswith(entry.name):
            continue
        printed = match["run"][:len(entry.name)]
        if difflib.SequenceMatcher(None, printed, entry.name).ratio() >= 0.6:
            yield text_finding(place, f"科目 {entry.code} 的名称应为“{entry.name}”，文中为“{match['run']}”", "科目名称",
                               entry.name, sentence_at(place.text, match.start()))


@rule("TEXT-CATALOG-NAME", "error", "accuracy",
      "说明中的科目名称（名词解释中的功能分类、带（类）（款）（项）或编码的名称）是当年分类科目的正式名称",
      Finding("“其他技术与开发支出”不是 2020 年支出功能分类科目名称，应为“其他技术研究与开发支出”", "第八部分",
              "九、支出功能分类 第3段", "科目名称", "其他技术研究与开发支出",
              "其他技术与开发支出：指用于其他技术与开发的支出。"))
def catalog_names(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    catalog = ctx.catalog
    if catalog is None:
        return
    items = paragraphs(disclosure, ctx)
    in_tables = ctx.remember("text.classification_names", lambda: classification_names(disclosure))
    for entry in glossary_entries(items):
        yield from _glossary_findings(entry, catalog, in_tables)
    places: list[Paragraph | Heading] = [*headings(disclosure, ctx), *items]
    for place in places:
        yield from _tagged_findings(place, catalog, in_tables)
        yield from _coded_findings(place, catalog)


def _old_name_hits(text: str, catalog: Catalog) -> Iterator[tuple[int, str]]:
    taken: list[tuple[int, int]] = []
    for old in sorted(old_names(catalog), key=len, reverse=True):
        if len(old) < 4:
            continue
        start = text.find(old)
        while start >= 0:
            end = start + len(old)
            following = text[end:end + 1]
            complete = not following or not is_cjk(following) or old.endswith(_COMPLETE_ENDINGS)
            marked = any(text[max(0, start - len(m)):start] == m for m in _RENAME_MARKERS)
            if complete and not marked and not any(a <= start < b for a, b in taken):
                taken.append((start, end))
                yield start, old
            start = text.find(old, end)


@rule("TEXT-OLD-NAME", "error", "accuracy",
      "说明中不使用已更名科目的旧名称（如“医疗卫生与计划生育支出”已更名为“卫生健康支出”）",
      Finding("科目“医疗卫生与计划生育支出”是旧名称（2019 年更名），2020 年的名称为“卫生健康支出”（210）", "第三部分",
              "第2段", "科目名称", "卫生健康支出", "医疗卫生与计划生育支出16.04万元，主要用于行政单位医疗。"))
def old_name(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    catalog = ctx.catalog
    if catalog is None:
        return
    places: list[Paragraph | Heading] = [*headings(disclosure, ctx), *paragraphs(disclosure, ctx)]
    for place in places:
        for start, old in _old_name_hits(place.text, catalog):
            gone = old_names(catalog)[old]
            message = (f"科目“{old}”是旧名称（{gone.renamed_in} 年更名），{catalog.requested_year} 年的名称为"
                       f"“{gone.name}”（{gone.code}）")
            yield text_finding(place, message, "科目名称", gone.name, sentence_at(place.text, start),
                               changed_severity(catalog, gone.renamed_in))


def terms(names: set[str]) -> set[str]:
    """Names and their stems, at least 6 characters: "大梧桐新兴产业带工作经费（国检大厦租金）" gives
    itself, "大梧桐新兴产业带工作经费" and "大梧桐新兴产业带"."""
    out: set[str] = set()
    for name in names:
        bare = _BRACKETS.sub("", name)
        for candidate in (name, bare, _STEM_SUFFIXES.sub("", bare)):
            if len(candidate) >= MIN_TERM and all(is_cjk(c) for c in candidate):
                out.add(candidate)
    return out


# Adding or dropping one of these is wording ("对个人和家庭补助" / "对个人和家庭的补助"), not a slip.
FUNCTION_CHARS = set("的等之和及与、地得了")


def one_edit(word: str, term: str) -> bool:
    """``word`` is ``term`` with exactly one character dropped, added or replaced (not a function word)."""
    if word == term or abs(len(word) - len(term)) > 1:
        return False
    if len(word) == len(term):
        return sum(a != b for a, b in zip(word, term, strict=True)) == 1
    short, long = (word, term) if len(word) < len(term) else (term, word)
    return any(long[:i] + long[i + 1:] == short and long[i] not in FUNCTION_CHARS for i in range(len(long)))


@dataclass(frozen=True)
class TermIndex:
    """Known terms by their first two and last two characters."""

    known: frozenset[str]
    heads: dict[str, list[str]]
    tails: dict[str, list[str]]


def term_index(known: set[str]) -> TermIndex:
    heads: dict[str, list[str]] = {}
    tails: dict[str, list[str]] = {}
    for term in sorted(known):
        heads.setdefault(term[:2], []).append(term)
        tails.setdefault(term[-2:], []).append(term)
    return TermIndex(frozenset(known), heads, tails)


def slips(text: str, index: TermIndex) -> Iterator[tuple[int, str, str]]:
    """(position, as printed, the known term) for one-character slips of a known term.

    One edit in a term of 6 or more characters leaves its first two or its last two characters intact,
    so only windows that start with a term's first two characters or end with its last two are tried.
    """
    seen: set[tuple[int, str]] = set()
    heads, tails = index.heads, index.tails
    last = len(text)
    for at in range(last - 1):
        pair = text[at:at + 2]
        head, tail = heads.get(pair), tails.get(pair)
        if head is None and tail is None:
            continue
        candidates: list[tuple[int, int, str]] = []
        for term in head or ():
            for size in (len(term) - 1, len(term), len(term) + 1):
                end = at + size
                if end <= last and text[end - 1] == term[-1]:
                    candidates.append((at, size, term))
        for term in tail or ():
            for size in (len(term) - 1, len(term), len(term) + 1):
                start = at + 2 - size
                if start >= 0 and text[start] == term[0]:
                    candidates.append((start, size, term))
        for start, size, term in candidates:
            word = text[start:start + size]
            if (start, word) in seen or not one_edit(word, term) or _overlaps_exact(text, term, start, size) \
                    or any(word in k for k in index.known):
                continue
            seen.add((start, word))
            yield start, word, term


def _overlaps_exact(text: str, term: str, start: int, size: int) -> bool:
    """Does an exact occurrence of ``term`` overlap text[start:start + size]?"""
    low = max(0, start - len(term) + 1)
    at = text.find(term, low, start + size + len(term) - 1)
    return at >= 0 and at < start + size


@rule("TEXT-TERM-TYPO", "note", "accuracy",
      "疑似错别字：说明中的词与表格中的项目名称仅差一字（如“大梧桐新兴业带”与“大梧桐新兴产业带”），提示人工确认",
      Finding("疑似错别字：“大梧桐新兴业带”与表中名称“大梧桐新兴产业带”仅差一字", "第一部分",
              "三、2020年主要工作目标 第3段", "用词", "大梧桐新兴产业带",
              "聚焦大梧桐新兴业带产业集聚，围绕红岗国际创新广场、梧桐AI生态小镇等重点项目建设，…。"))
def term_typo(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    index = ctx.remember("text.terms", lambda: term_index(terms(_names(disclosure, ctx))))
    if not index.known:
        return
    for paragraph in paragraphs(disclosure, ctx):
        for start, word, term in slips(paragraph.text, index):
            yield text_finding(paragraph, f"疑似错别字：“{word}”与表中名称“{term}”仅差一字", "用词", term,
                               sentence_at(paragraph.text, start))
