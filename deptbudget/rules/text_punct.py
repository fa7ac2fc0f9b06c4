"""Text rules on punctuation: paired marks balanced, no doubled or clashing marks, no sentence that
stops short, and (a note) half-width marks in Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deptbudget.model.disclosure import Disclosure
from deptbudget.model.narrative_reading import Heading, Paragraph, headings, is_cjk, paragraphs, sentence_at
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.rules.text_parse import chart_residue, text_finding

OPENERS = {"“": "“”", "‘": "‘’", "（": "()", "(": "()", "《": "《》", "【": "【】", "「": "「」", "『": "『』",
           "〔": "〔〕", "[": "[]"}
CLOSERS = {"”": "“”", "’": "‘’", "）": "()", ")": "()", "》": "《》", "】": "【】", "」": "「」", "』": "『』",
           "〕": "〔〕", "]": "[]"}
_SHOW = {"“”": "“ ”", "‘’": "‘ ’", "()": "（ ）", "《》": "《 》", "【】": "【 】", "「」": "「 」", "『』": "『 』",
         "〔〕": "〔 〕", "[]": "[ ]"}
# "1）完成…", "a) …": a closing bracket used as an enumeration mark, not a pair.
_ENUM_CLOSE = re.compile(r"(?:^|[：:；;。，,\s])(?:\d{1,2}|[a-zA-Z]|[一二三四五六七八九十]{1,3})$")
_DOUBLED = re.compile(r"([。，、；：！？])\1+|[，、；：][。！？]|[。！？][，、；：]|[，、；：][，、；：]|"
                      r"[，,][，,]|[。.]。")
_LEAD_IN = re.compile(r"(?:主要原因是|原因主要是|原因是|原因为|主要是|主要为|主要用于|用于|主要包括|具体包括|"
                      r"包括|具体如下|如下|其中|主要有|分别为|分别是|具体为|(?<![行作认成因称视以])为|比上年|比\d{4}年)[：:，,]?[。；;]")
# "…详细情况见下表：", "共有2个，包括：" at the end of a section: a table follows (the units, the list), not text.
_TABLE_LEAD = re.compile(r"(?:下表|见表|如下|以下|包括|共有\d+个)[^，,。；;]{0,12}[：:]$")
_HALF_WIDTH = re.compile(r"(?<=[\u4e00-\u9fff）”])[,;:?!](?!\d)|[,;:?!](?=[\u4e00-\u9fff“（])|"
                         r"(?<=[\u4e00-\u9fff])\((?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\)(?=[\u4e00-\u9fff，。])")
_TERMINAL = "。！？!?…”’）)》】"


def _pair_problems(text: str) -> Iterator[tuple[int, str]]:
    """(position, message) for the first unmatched closing mark and each family left open."""
    stack: list[tuple[str, int]] = []
    reported: set[str] = set()
    for index, char in enumerate(text):
        if char in OPENERS:
            stack.append((OPENERS[char], index))
        elif char in CLOSERS:
            family = CLOSERS[char]
            if stack and stack[-1][0] == family:
                stack.pop()
            elif any(f == family for f, _ in stack):
                while stack and stack[-1][0] != family:
                    opened, at = stack.pop()
                    if opened not in reported:
                        reported.add(opened)
                        yield at, f"“{text[at]}”没有对应的闭合符号"
                stack.pop()
            elif family == "()" and _ENUM_CLOSE.search(text[:index]):
                continue
            elif family not in reported:
                reported.add(family)
                yield index, f"“{char}”没有对应的开启符号"
    for family, at in stack:
        if family not in reported:
            reported.add(family)
            yield at, f"“{text[at]}”没有对应的闭合符号"
    if text.count('"') % 2:
        yield text.index('"'), "半角引号“\"”不成对"


@rule("TEXT-PUNCT-PAIR", "error", "format", "成对标点完整：“ ” ‘ ’ （ ） 《 》 【 】 等有开有合",
      Finding("“”没有对应的开启符号：标点不成对", "第五部分", "第1段", "标点", "“ ”成对",
              "2020年三公”经费财政拨款预算12.65万元。"))
def punct_pairs(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    places: list[Paragraph | Heading] = [*headings(disclosure, ctx), *paragraphs(disclosure, ctx)]
    for place in places:
        if chart_residue(place.text):
            continue
        for at, problem in _pair_problems(place.text):
            family = OPENERS.get(place.text[at]) or CLOSERS.get(place.text[at]) or '""'
            yield text_finding(place, f"{problem}：标点不成对", "标点", f"{_SHOW.get(family, family)}成对",
                               sentence_at(place.text, at))


@rule("TEXT-PUNCT-DOUBLE", "warning", "format", "标点不重复、不叠用（“。。”“，，”“，。”“；。”等）",
      Finding("标点叠用：“，。”", "第三部分", "第2段", "标点", "。", "（一）人员支出619.37万元，。"))
def punct_double(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    places: list[Paragraph | Heading] = [*headings(disclosure, ctx), *paragraphs(disclosure, ctx)]
    for place in places:
        for match in _DOUBLED.finditer(place.text):
            yield text_finding(place, f"标点叠用：“{match.group(0)}”", "标点", match.group(0)[-1],
                               sentence_at(place.text, match.start()))


def _section_ends(items: list[Paragraph]) -> set[int]:
    """Indexes of the last paragraph of each section."""
    ends: set[int] = set()
    for index, paragraph in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        if following is None or (following.part, following.section) != (paragraph.part, paragraph.section):
            ends.add(index)
    return ends


@rule("TEXT-TRUNCATED", "error", "completeness",
      "句子完整：不以“主要原因是。”“用于。”之类的引导语收尾，段落不在“，”“：”处中断，段末有句末标点",
      Finding("句子不完整：“主要原因是。”后没有内容", "第二部分", "第4段", "句子", "说明具体原因",
              "预算收支增加主要原因是。"))
def truncated(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    items = paragraphs(disclosure, ctx)
    ends = _section_ends(items)
    for index, paragraph in enumerate(items):
        text = paragraph.text
        if not is_chinese_text(text):
            continue  # "220000", "8.287.87.6…": the numbers of a chart's axis, not a sentence
        for match in _LEAD_IN.finditer(text):
            yield text_finding(paragraph, f"句子不完整：“{match.group(0)}”后没有内容", "句子", "补全句子",
                               sentence_at(text, match.start()))
        last = text[-1]
        if index in ends and (last in "，,、：:" or last.isdigit()) and not _TABLE_LEAD.search(text):
            yield text_finding(paragraph, f"段落在“{last}”处中断，后面没有内容", "句子", "补全句子",
                               sentence_at(text, len(text) - 1))
        elif index in ends and last in "；;":
            yield text_finding(paragraph, "段落以“；”结尾，句子未完", "句子", "。", sentence_at(text, len(text) - 1),
                               Severity.WARNING)
        elif last not in _TERMINAL and last not in "：:；;，,、" and not last.isdigit() and _is_sentence(text):
            yield text_finding(paragraph, "段末缺少句末标点", "标点", "。", sentence_at(text, len(text) - 1),
                               Severity.NOTE)


def _is_sentence(text: str) -> bool:
    """A line long enough and with commas: a sentence, not a heading set as a paragraph."""
    return len(text) > 30 and ("，" in text or "," in text)


@rule("TEXT-PUNCT-WIDTH", "note", "format", "中文正文使用全角标点（不混用半角的 , : ; ( ) 等）",
      Finding("第二部分有 4 段在中文中使用半角标点（, : ( )）", "第二部分", "第1段", "标点", "全角标点",
              "2020年罗湖区科技创新局部门预算收入17,144.13万元,比2019年增加298.27万元,增长1.77%,其中:财政预算拨款17,144.13万元。"))
def punct_width(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    by_part: dict[str, list[tuple[Paragraph, list[str]]]] = {}
    for paragraph in paragraphs(disclosure, ctx):
        marks = [m.group(0) for m in _HALF_WIDTH.finditer(paragraph.text)]
        if marks:
            by_part.setdefault(paragraph.part_label, []).append((paragraph, marks))
    for label, found in by_part.items():
        first, marks = found[0]
        used = sorted({m for _, ms in found for m in ms}, key=", : ; ( ) ? !".split().index)
        at = first.text.find(marks[0])
        message = f"{label}有 {len(found)} 段在中文中使用半角标点（{' '.join(used)}）"
        yield text_finding(first, message, "标点", "全角标点", sentence_at(first.text, max(at, 0)))


def is_chinese_text(text: str) -> bool:
    return any(is_cjk(c) for c in text)
