"""Text rules on wording and characters: template placeholders left in, the document calling itself
the wrong kind (a 单位预算 saying 部门预算, a budget speaking of its 决算), and characters outside
what a Chinese document uses (mojibake such as “锟斤拷” or “Ã”, U+FFFD, private-use glyphs,
Kangxi radicals where a font's mapping failed).

Placeholders and characters are looked for everywhere: the title, the contents, the narrative
and every table cell; kind wording in the title and the narrative.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from deptbudget.model.disclosure import INLINE_IMAGE, Disclosure, Table
from deptbudget.model.narrative_parts import standard_part
from deptbudget.model.narrative_reading import headings, is_cjk, normalize, paragraphs, sentence_at
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule

_LETTER = r"A-Za-zＡ-Ｚａ-ｚ"
_MEASURE = r"局|单位|部门|项目|年|月|日|万元|元|人|辆|个|家|项|次|委|办|区|市|县|镇|街道|号|科|处|股"
PLACEHOLDERS: tuple[tuple[str, str, Severity | None], ...] = (
    (rf"(?<![{_LETTER}])(?:[XＸ]{{2,}}|×{{2,}}|[xｘ]{{3,}})(?![{_LETTER}])", "占位符", None),
    (rf"(?<![{_LETTER}\d.])[XＸ×](?={_MEASURE})", "占位符", None),
    (r"某某|某单位|某部门|某项目", "占位符", None),
    (r"【\s*】|【[^】]{0,15}(?:填|名称|单位|部门|金额|数字|日期|XX|××|待)[^】]{0,15}】", "待填内容", None),
    (r"[（(](?:单位名称|部门名称|项目名称|单位全称|部门全称|单位简称|名称|金额|数字|日期)[)）]", "待填内容", None),
    (r"[（(](?:请?填写|请填|此处|待填|待补充)[^）)]{0,20}[)）]", "待填内容", None),
    (r"待填|待补充|待完善|TODO|TBD|FIXME", "待填内容", None),
    (r"待定", "待填内容", Severity.WARNING),
    (r"\{\{[^}]*\}\}|\{%[^%]*%\}|\$\{[^}]*\}", "模板代码", None),
    (r"_{3,}|＿{2,}", "空白横线", None),
    (r"(?:预算数为|预算数|为|增加|减少|增长|下降|共计|合计)(?:万元|%|％)", "缺少数字", None),
)
_PLACEHOLDER_RE = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _, _) in enumerate(PLACEHOLDERS)))


class LeadScanner:
    """``finditer``/``search`` of a slow alternation, tried only where one of its first characters stands."""

    def __init__(self, regex: re.Pattern[str], leads: str) -> None:
        self.regex = regex
        self.leads = re.compile(leads)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        position = 0
        while True:
            lead = self.leads.search(text, position)
            if lead is None:
                return
            match = self.regex.match(text, lead.start())
            if match is None:
                position = lead.start() + 1
                continue
            yield match
            position = max(match.end(), lead.start() + 1)

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


# every placeholder pattern starts with one of these
_PLACEHOLDER_SCAN = LeadScanner(_PLACEHOLDER_RE, r"[XＸ×xｘ某【（(待TF{$_＿预为增减下共合]")

MOJIBAKE = ("锟斤拷", "烫烫烫", "屯屯屯", "ï»¿", "â€", "Ã", "Â")
_LATIN1_OK = set("·°±×÷¥²³§¹¼½¾µ«»©®¢£")


@dataclass(frozen=True)
class Place:
    """Any text of the document, with where it is (for findings outside the narrative too)."""

    table: str
    row: str
    column: str | None
    text: str


def _table_label(table: Table) -> str:
    return f"表{table.number or table.id.lstrip('T')}"


def _row_label(table: Table, key: str, cells: dict[str, str]) -> str:
    for column in ("code", "name", "label", "unit", "income_item", "exp_item"):
        if cells.get(column):
            return cells[column]
    return key


def text_places(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Place]:
    """The title, the contents and the narrative (headings and paragraphs)."""
    if disclosure.title:
        yield Place("标题", "文件标题", None, normalize(disclosure.title))
    for index, entry in enumerate(disclosure.contents):
        yield Place("目录", f"第{index + 1}项", None, normalize(entry))
    for heading in headings(disclosure, ctx):
        yield Place(heading.part_label, heading.row, None, heading.text)
    for paragraph in paragraphs(disclosure, ctx):
        yield Place(paragraph.part_label, paragraph.row, None, paragraph.text)


@dataclass(frozen=True)
class TableText:
    """All the text of one table joined by newlines, to be searched at once; ``cells`` maps it back."""

    table: Table
    text: str
    starts: list[int]
    cells: list[tuple[str, str, str]]  # (row label, column key, cell text)


def _table_text(table: Table) -> TableText:
    pieces = [table.title]
    starts = [0]
    cells = [("表标题", "", table.title)]
    offset = len(table.title) + 1
    for row in table.rows:
        texts = {key: cell.text for key, cell in row.cells.items() if cell.text}
        row_label = _row_label(table, row.key, texts)
        for key, text in texts.items():
            pieces.append(text)
            starts.append(offset)
            cells.append((row_label, key, text))
            offset += len(text) + 1
    return TableText(table, "\n".join(pieces), starts, cells)


def places_matching(disclosure: Disclosure, ctx: RuleContext, regex: re.Pattern[str] | LeadScanner,
                    tables: bool = True) -> Iterator[Place]:
    """The places where ``regex`` finds something: each text of the narrative on its own, each table's text
    searched at once and only the cells with a match made into places."""
    texts: list[Place] = ctx.remember("text.places", lambda: list(text_places(disclosure, ctx)))
    for place in texts:
        if regex.search(place.text) is not None:
            yield place
    if not tables:
        return
    joined: list[TableText] = ctx.remember("text.tables", lambda: [_table_text(t) for t in disclosure.tables])
    for item in joined:
        seen: set[int] = set()
        label = _table_label(item.table)
        for match in regex.finditer(item.text):
            index = bisect_right(item.starts, match.start()) - 1
            if index in seen:
                continue
            seen.add(index)
            row_label, key, text = item.cells[index]
            column = item.table.column(key)
            yield Place(label, row_label, (column.label if column else key) or None, normalize(text))


def _quote(place: Place, position: int) -> str:
    if place.table.startswith("表") or place.table in ("标题", "目录"):
        text = place.text
        return text if len(text) <= 80 else text[max(0, position - 30):position + 50]
    return sentence_at(place.text, position)


@rule("TEXT-PLACEHOLDER", "error", "completeness",
      "没有遗留的模板占位符（XX局、××、【】、（单位名称）、待填、模板代码、只有单位没有数字的“万元”）",
      Finding("遗留占位符：“XX局”", "第一部分", "一、主要职能 第1段", "占位符", None,
              "XX局主要职责是贯彻执行国家、省、市…。"))
def placeholders(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for place in places_matching(disclosure, ctx, _PLACEHOLDER_SCAN):
        for match in _PLACEHOLDER_SCAN.finditer(place.text):
            _, what, severity = PLACEHOLDERS[int((match.lastgroup or "p0")[1:])]
            yield Finding(f"遗留{what}：“{match.group(0)}”", place.table, place.row, place.column or what, None,
                          _quote(place, match.start()), severity)


# --- document kind -----------------------------------------------------------------------------

_KIND_IN_TITLE = re.compile(r"(部门|单位)(预算|决算)")
_DEPT_WORDS = re.compile(r"本部门|部门(?:预算|决算)(?!支出经济分类|绩效|整体)")
_DEPT_OK_BEFORE = ("主管", "财政", "有关", "相关", "职能", "政府")
_FINAL_OK_BEFORE = ("上年", "去年", "以前", "往年", "历年", "竣工", "财务", "工程", "财政")
# "预决算管理业务" (both), "各部门预算执行情况、决算草案" (what an audit office audits): not the document's own kind.
_FINAL_OTHERS = re.compile(r"(?:预|执行情况[、和及与]?|执行和)$")
_BUDGET_SELF = re.compile(r"(?:部门|单位)预算(?:收入|支出|收支)")
_BUDGET_OK_BEFORE = ("年初", "调整")
_KIND_HINT = re.compile("部门|决算|预算")


def declared_kind(disclosure: Disclosure) -> tuple[str, str]:
    """(部门|单位, 预算|决算): what the title says the document is, else the disclosure's kind."""
    match = _KIND_IN_TITLE.search(normalize(disclosure.title)) or _KIND_IN_TITLE.search(disclosure.kind)
    if match:
        return match.group(1), match.group(2)
    return "部门", "预算"


# Parts that describe the department (its duties, its units, the terms): "审计决算草案" is its work there, not the
# document's wording about itself.
_ABOUT_PARTS = frozenset({"functions", "organisation", "overview", "glossary"})


def _about_the_department(disclosure: Disclosure, ctx: RuleContext) -> set[tuple[str, str]]:
    """(part label, row) of the paragraphs in a part or section that describes the department."""
    out: set[tuple[str, str]] = set()
    named_above: dict[tuple[int, int], str | None] = {}  # (part, section) → the part its heading or one above names
    for paragraph in paragraphs(disclosure, ctx):
        place = (paragraph.part, paragraph.section)
        if place not in named_above:
            named = standard_part(paragraph.heading) if paragraph.heading else None
            above = [key for (part, _), key in named_above.items() if part == paragraph.part and key is not None]
            part = standard_part(paragraph.part_title)
            # a sub-heading ("（三）向市委审计委员会提出…") names no part: the heading above it says what it is about
            named_above[place] = named.key if named else (above[-1] if above else part.key if part else None)
        if named_above[place] in _ABOUT_PARTS:
            out.add((paragraph.part_label, paragraph.row))
    return out


def _kind_problems(text: str, level: str, kind: str, year: int) -> Iterator[tuple[int, str, str]]:
    """(position, what was written, what it should be)."""
    if level == "单位":
        for match in _DEPT_WORDS.finditer(text):
            before = text[max(0, match.start() - 2):match.start()]
            if before not in _DEPT_OK_BEFORE:
                yield match.start(), match.group(0), match.group(0).replace("部门", "单位")
    if kind == "预算":
        for match in re.finditer("决算", text):
            before = text[max(0, match.start() - 8):match.start()]
            if not any(word in before for word in _FINAL_OK_BEFORE) and str(year - 1) not in before \
                    and not _FINAL_OTHERS.search(before):
                yield match.start(), text[max(0, match.start() - 2):match.end() + 2], "预算"
    else:
        for match in _BUDGET_SELF.finditer(text):
            before = text[max(0, match.start() - 2):match.start()]
            if before not in _BUDGET_OK_BEFORE:
                yield match.start(), match.group(0), match.group(0).replace("预算", "决算")


@rule("TEXT-KIND-WORDING", "error", "consistency",
      "用词与文件类型相符：单位预算不自称“部门预算”“本部门”，预算不称“决算”（上年决算等除外），决算不称“部门预算收入/支出”",
      Finding("本文件为单位预算，文中却写“部门预算”", "第二部分", "第1段", "文件类型", "单位预算",
              "2020年某中心部门预算收入1,200.00万元。"))
def kind_wording(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    level, kind = declared_kind(disclosure)
    own = f"{level}{kind}"
    about = _about_the_department(disclosure, ctx)
    for place in places_matching(disclosure, ctx, _KIND_HINT, tables=False):
        if place.table in ("标题", "目录") or (place.table, place.row) in about:
            continue
        for position, written, want in _kind_problems(place.text, level, kind, disclosure.fiscal_year):
            yield Finding(f"本文件为{own}，文中却写“{written}”", place.table, place.row, "文件类型", want,
                          _quote(place, position))


# --- characters --------------------------------------------------------------------------------

_ALLOWED_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E), (0x0370, 0x03FF), (0x02C0, 0x02FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x23FF),
    (0x2460, 0x27BF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3200, 0x33FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF00, 0xFFEF), (0x20000, 0x2F7FF), (0x2FA20, 0x2FFFF),
)
_RADICALS = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
# Everything outside the expected set, and "?" between two Chinese characters: the only places looked at.
_SUSPECT = re.compile("[^" + "".join(f"\\U{low:08X}-\\U{high:08X}" for low, high in _ALLOWED_RANGES)
                      + "\n\t" + re.escape("".join(sorted(_LATIN1_OK))) + "]"
                      + "|(?<=[\u4e00-\u9fff])\\?(?=[\u4e00-\u9fff])")
_CHARSET_HINT = re.compile(_SUSPECT.pattern + "|" + "|".join(MOJIBAKE))
MAX_PER_PLACE = 5


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def char_problem(text: str, index: int) -> tuple[str, Severity | None, str | None] | None:
    """(what is wrong, severity (None = error), the likely intended character) for one character."""
    char = text[index]
    code = ord(char)
    if char in "\n\t" or char in _LATIN1_OK or char == INLINE_IMAGE:  # a picture in the line: not the text's
        return None
    name = f"U+{code:04X}"
    if char == "\ufffd":
        return f"替换字符 {name}（“\ufffd”，原字符已丢失）", None, None
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return f"私用区字符 {name}（字体映射失败）", None, None
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"控制字符 {name}", None, None
    if 0xA0 <= code <= 0xFF:
        return f"乱码字符“{char}”（{name}）", None, None
    if _in(code, _RADICALS):
        normal = unicodedata.normalize("NFKC", char)
        return f"部首或兼容字符“{char}”（{name}），应为“{normal}”", Severity.WARNING, normal
    if char == "?" and 0 < index < len(text) - 1 and is_cjk(text[index - 1]) and is_cjk(text[index + 1]):
        return "汉字间的“?”（编码转换丢失的字符）", Severity.WARNING, None
    if not _in(code, _ALLOWED_RANGES):
        return f"意外字符“{char}”（{name}）", Severity.WARNING, None
    return None


@rule("TEXT-CHARSET", "error", "format",
      "没有乱码和异常字符：“锟斤拷”“Ã”等乱码、替换字符 U+FFFD、私用区字形、控制字符；部首/兼容字符与意外文字为警告",
      Finding("乱码：“锟斤拷”", "第三部分", "第2段", "字符", None,
              "（一）人员支出619.37万元，主要是锟斤拷在职人员工资福利支出。"))
def charset(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for place in places_matching(disclosure, ctx, _CHARSET_HINT):
        text = place.text
        reported: set[int] = set()
        for word in MOJIBAKE:
            at = text.find(word)
            if at >= 0:
                reported.update(range(at, at + len(word)))
                yield Finding(f"乱码：“{word}”", place.table, place.row, place.column or "字符", None,
                              _quote(place, at))
        count = 0
        for match in _SUSPECT.finditer(text):
            index = match.start()
            if index in reported:
                continue
            problem = char_problem(text, index)
            if problem is None:
                continue
            what, severity, normal = problem
            yield Finding(what, place.table, place.row, place.column or "字符", normal, _quote(place, index), severity)
            count += 1
            if count >= MAX_PER_PLACE:
                break
