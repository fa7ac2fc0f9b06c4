"""Cut a document's lines into its pieces: title, table of contents, narrative parts, the 附表
contents list and one block per table. Nothing is dropped: a line that belongs to none of
them is kept in ``unassigned`` and page artefacts in ``skipped``, both for the import report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from deptbudget.importers.amounts import looks_like_amount
from deptbudget.importers.grid import unit_line
from deptbudget.importers.numbering import Numbered, chinese_number, split_number
from deptbudget.importers.part_tables import header_at, is_row, is_row_rest, join_rest
from deptbudget.importers.source import SourceLine, squash
from deptbudget.importers.titles import canonical_title, ends_like_table_title, split_subtitle
from deptbudget.model.narrative_parts import numbering_of, standard_part
from deptbudget.template.role_titles import role_by_title

_PART = re.compile(r"^第\s*([一二三四五六七八九十]+)\s*部分\s*(.*)$")
_HEADING_MARKER = re.compile(r"^[一二三四五六七八九十]+、")  # numbered as the narrative's headings are
_ITEM_MARKER = re.compile(r"^(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）])")  # 1. / （1）: an item of a list
_EMPTY_TABLE = re.compile(r"空表|无数据|本表无")  # the note of an empty table under its title
# A cover line naming whose budget it is: "预算单位：上海市财务会计综合管理事务中心" — kept for the front matter.
COVER_OWNER = re.compile(r"^(预算单位|预算部门|编制单位|编制部门|单位名称|部门名称)\s*[:：]\s*(\S.{1,60})$")
_MAX_CONTENTS_ENTRY = 40  # characters: a longer line is text, not an entry of a contents list
_MIN_CONTENTS_ENTRIES = 4
_SENTENCE_END = tuple("。；！？：:;!?")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|%)|\d\.\d\d\b")  # an amount: text, not a contents entry
_BARE_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")  # a number alone on a printed line of its own
_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+)$")
_SEPARATOR = re.compile(r"^[-—=_|+\s]+$")
_CAPTION = re.compile(r"^图\s*\d+\s*\S")
_YEAR_SUBTITLE = re.compile(r"^[（(]?\s*20\d\d\s*年度?\s*[)）]?$")
_TOC_MARKERS = {"目录", "报表目录"}
_TOC_LEADER = re.compile(r"(?:[.．·…]\s*){4,}\s*\d{1,3}\s*$")  # dot leaders and a page number
_CONTINUED = {"（续）", "续表", "（续表）", "续"}
_CONTENTS_MARKERS = {"附表", "附件", "附表目录", "附表清单", "部门预算附表", "表格部分"}
_NOT_HEADING = re.compile(r"[，。；,;]|[：:]\S|\d[\d,]*\.\d\d|\d\s*万?元")
# After a table, a heading ends it only when it reads as one (not a row label such as 一般公共预算).
_AFTER_TABLE_HEADING = re.compile(r"(?:说明|情况|解释)$")
# A numbered heading longer than this ends as a heading does (说明 / 情况 / 解释).
_LONG_HEADING = 20
# An unnumbered heading is short and ends as a part's name does (a paragraph's last line seldom does).
_UNNUMBERED_HEADING = re.compile(r"^.{0,26}(?:职能|职责|设置|构成|解释|说明|情况|概况)$")
# The entity's full name in front makes it longer ("上海市财务会计综合管理事务中心（上海市财政科学研究所）主要职能"):
# allowed for the names of the first parts, which a paragraph's last line does not end with.
_NAMED_HEADING = re.compile(r"^.{0,36}(?:主要职能|部门职责|单位职责|职能职责|机构设置)$")


@dataclass
class TitleLine:
    number: str | None
    title: str
    subtitle: str
    where: SourceLine
    continued: bool = False  # 续表: the rest of the previous table
    marker: str = ""  # the number as printed: 表一, 预算01表
    in_part: bool = False  # no title printed: a table inside a narrative part, titled by the heading above it
    by_unit_line: bool = False  # a title no template knows, taken for one by the unit line under it


@dataclass
class Block:
    """The lines of one table, after its title."""

    title: TitleLine
    lines: list[SourceLine] = field(default_factory=list)


@dataclass
class PartLines:
    number: int
    title: str
    where: SourceLine
    lines: list[SourceLine] = field(default_factory=list)


@dataclass
class Layout:
    title: SourceLine | None = None
    toc: list[SourceLine] = field(default_factory=list)
    parts: list[PartLines] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    front: list[SourceLine] = field(default_factory=list)  # before the parts: not yet understood
    skipped: list[tuple[SourceLine, str]] = field(default_factory=list)
    listed_empty: dict[str, str] = field(default_factory=dict)  # table number → why the contents call it 空表


def part_title(line: SourceLine) -> tuple[int, str] | None:
    match = _PART.match(line.text)
    if match is None or len(line.filled) > 2:
        return None
    number = chinese_number(match.group(1))
    return None if number is None else (number, line.text)


def heading_part(line: SourceLine) -> tuple[str, str] | None:
    """A heading that names a standard part without 第N部分 ("一、单位主要职能", "上海市审计局（单位）机构设置",
    "名词解释"): (its numbering, its text); None for any other line."""
    text = line.text.strip()
    if len(line.filled) > 1 or line.hints.get("role") not in (None, "heading", "paragraph", "part") \
            or _NOT_HEADING.search(text) or ends_like_table_title(text) or standard_part(text) is None:
        return None
    numbering = numbering_of(text)
    if numbering[:1].isdigit() or not numbering and not (_UNNUMBERED_HEADING.match(squash(text))
                                                         or _NAMED_HEADING.match(squash(text))):
        return None  # "1、负责…" is an item of a list
    if numbering and len(squash(text)) > _LONG_HEADING and not _AFTER_TABLE_HEADING.search(text):
        return None  # a line that the page's width cut: "（三）向市委审计委员会提出年度市级预算执行和其他财"
    return numbering, text


_BARE_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")  # in a narrative, a line of a number alone is its page's
_NUMERIC_CELL = re.compile(r"^[-－]?\d[\d,，]*(?:\.\d+)?$")


def _table_row(line: SourceLine) -> bool:
    """A line of three cells or more, or of two of which one is a number: a table's row, not a sentence."""
    filled = line.filled
    if len(filled) >= 3 or not any(ch.isalnum() for ch in line.text):
        return True  # three cells, or a line of punctuation alone (the ":" of a table's head)
    return len(filled) == 2 and any(_NUMERIC_CELL.match(cell.strip()) for _, cell in filled)


def artefact(line: SourceLine) -> str | None:
    """Why a line is a page artefact (page number, ruler), or None."""
    text = line.text
    if _PAGE_NUMBER.match(text) or (line.hints.get("role") == "paragraph" and _BARE_PAGE_NUMBER.match(text)):
        return "页码 (page number)"
    if _SEPARATOR.match(text) and any(ch in text for ch in "-—=_"):
        return "分隔线 (separator line)"
    if line.hints.get("role") == "cover" and not COVER_OWNER.match(text.strip()):
        return "封面 (cover page)"
    if _CAPTION.match(text) and len(line.filled) == 1:
        return "图表标题 (chart caption)"
    return None


def _next_filled(lines: list[SourceLine], i: int) -> int | None:
    for j in range(i, min(i + 4, len(lines))):
        if not lines[j].is_blank:
            return j
    return None


KnownTitle = Callable[[str], bool]
_MIN_RUNNING_PAGES = 3


def running_headers(lines: list[SourceLine], known: KnownTitle) -> set[int]:
    """Indexes of page headers: the same one-cell text first on at least three pages
    (``苏州市审计局 2026 年度部门预算公开``) — not a table title, which a continued table repeats, nor a table's number
    printed alone over its title (西安's ``表1`` at the top of each page of its 收支总表: without it the title, which
    no template may know, is no table title)."""
    firsts: dict[str, list[int]] = {}
    page = None
    for i, line in enumerate(lines):
        if line.is_blank or line.where.page is None or line.where.page == page:
            continue
        page = line.where.page
        numbered = split_number(line.text)
        if len(line.filled) == 1 and not ends_like_table_title(line.text) and (numbered is None or numbered.rest):
            firsts.setdefault(squash(line.text), []).append(i)
    return {i for text, found in firsts.items() if len(found) >= _MIN_RUNNING_PAGES and not known(text)
            for i in found}


def _unit_line_after(lines: list[SourceLine], i: int) -> bool:
    """Whether the next line is a table's unit line stating the unit (``编制单位：上海市审计局 | 单位：元``): the line
    above it is the table's title, un-numbered and known to no template (a locality no template describes). A
    name alone (``部门名称：西安市审计局（汇总）`` under ``2026年部门综合预算公开报表``) is a cover's, not a table's."""
    j = _next_filled(lines, i + 1)
    meta = unit_line(lines[j]) if j is not None else None
    return meta is not None and meta[1] is not None or j is not None and _first_ruled_row(lines[j])


def _number_then_unit_line(lines: list[SourceLine], i: int) -> tuple[Numbered, int] | None:
    """The table's number alone on the next line with the unit line under it (国家信访局's ``收入支出决算总表`` /
    ``公开01表`` / ``部门：国家信访局 | 金额单位：万元``): the number and the index after it; the line above is then
    the title, numbered after it."""
    j = _next_filled(lines, i + 1)
    numbered = split_number(lines[j].text) if j is not None and len(lines[j].filled) == 1 else None
    if j is None or numbered is None or numbered.rest or not _unit_line_after(lines, j):
        return None
    return numbered, j + 1


def _first_ruled_row(line: SourceLine) -> bool:
    """The first row of a ruled table (PDF, workbook), of several cells: the line above it, if it ends like a table
    title (广州's stand-alone ``部门整体预算绩效目标申报表`` over ``部门名称 | 广州市政务服务和数据管理局``), is
    the title."""
    return line.exact and line.where.row == 1 and len(line.filled) >= 2


def title_at(lines: list[SourceLine], i: int, known: KnownTitle) -> tuple[TitleLine, int] | None:
    """A table title starting at line ``i`` and the index after it (title, subtitle)."""
    line = lines[i]
    if len(line.filled) > 2 or line.hints.get("role") in ("part", "cover"):
        return None
    text = line.text
    numbered = split_number(text)
    end = i + 1
    if squash(text) in _CONTINUED or (numbered is not None and squash(numbered.rest) in _CONTINUED):
        return TitleLine(numbered.number if numbered else None, "", "", line, continued=True), end
    if numbered is not None and not numbered.rest:
        j = _next_filled(lines, i + 1)
        if j is None or split_number(lines[j].text):
            return None
        title_text, end = lines[j].text, j + 1
        k = _next_filled(lines, end)
        if not ends_like_table_title(title_text) and k is not None and len(lines[k].filled) == 1 \
                and ends_like_table_title(title_text + lines[k].text):  # a long title wrapped onto a second line
            title_text, end = title_text + lines[k].text, k + 1
        if not ends_like_table_title(title_text):
            return None
    elif numbered is not None and ends_like_table_title(numbered.rest):
        title_text = numbered.rest
    elif ends_like_table_title(text) and (known(text) or line.hints.get("role") == "table_title"):
        title_text, numbered = text, None
    elif ends_like_table_title(text) and _unit_line_after(lines, i):
        title, subtitle = split_subtitle(text)
        return TitleLine(None, title, subtitle, line, by_unit_line=True), i + 1
    elif ends_like_table_title(text) and (after := _number_then_unit_line(lines, i)) is not None:
        title, subtitle = split_subtitle(text)
        number, end = after
        return TitleLine(number.number, title, subtitle, line, marker=number.marker, by_unit_line=True), end
    else:
        return None
    title, subtitle = split_subtitle(title_text)
    continued = subtitle in ("(续)", "（续）") or squash(title) == "续表"
    if continued:
        subtitle = ""
    j = _next_filled(lines, end)
    if not subtitle and j is not None and _YEAR_SUBTITLE.match(lines[j].text):
        subtitle, end = lines[j].text, j + 1
    number = numbered.number if numbered else None
    return TitleLine(number, title, subtitle, line, continued, numbered.marker if numbered else ""), end


def contents_entry(line: SourceLine) -> tuple[int, str] | None:
    """``5. 项目支出预算表`` (text; a page number in a cell of its own dropped) or ``5 | 项目支出预算表 | …``
    (a contents table row)."""
    filled = line.filled
    if len(filled) >= 2 and filled[0][1].strip().isdigit():
        return int(filled[0][1]), filled[1][1].strip()
    text = line.text
    if len(filled) == 2 and _BARE_PAGE_NUMBER.match(filled[1][1]):  # a Word contents line: title ⇥ page
        text = filled[0][1]
    numbered = split_number(text)
    if numbered is None or not numbered.rest:
        return None
    return int(numbered.number), numbered.rest


def _is_contents_marker(line: SourceLine) -> bool:
    """``附表`` (alone or as a cell), or a numbered heading such as ``二、表格部分``."""
    numbered = split_number(line.text)
    text = numbered.rest if numbered is not None and numbered.rest else line.text
    if squash(text).rstrip(":：") in _CONTENTS_MARKERS:
        return True
    return len(line.filled) > 1 and any(squash(c) == "附表" for _, c in line.filled)


def _is_document_title(line: SourceLine) -> bool:
    if line.hints.get("role") == "title":
        return True
    return len(line.filled) == 1 and ("预算" in line.text or "决算" in line.text) and len(line.text) <= 60


class _Segmenter:
    def __init__(self, lines: list[SourceLine], known: KnownTitle) -> None:
        self.lines = lines
        self.known = known
        self.layout = Layout()
        self.state = "front"
        self.toc_last = 0
        self.contents_last = 0
        self.numbered_parts = False  # 第N部分 seen: parts start there only
        self.toc_heading_last = 0
        self.running = running_headers(lines, known)  # indexes of page headers, skipped
        self.part_table: tuple[int, list[int]] = (0, [])  # a table inside a part: its width, amount columns
        self.contents_before: tuple[str, int] = ("front", 0)  # at a contents marker: the state, the entries so far
        self.loose_last = -1  # the last row put in a block by ``_loose_row``
        self.in_part_block: Block | None = None  # a table a part prints under a title no template knows
        self.labels_last = -1  # the last row without figures that ``_loose_row`` left unassigned

    def run(self) -> Layout:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        self._listed_titles()
        return self.layout

    def _listed_titles(self) -> None:
        """Titles with nothing under them that are printed again later over a table (a 目录 that lists
        the tables as ``一、收支总体情况表`` …) are the contents list, not tables."""
        with_body: dict[str, Block] = {}  # canonical title → the next block printed with rows
        kept: list[Block] = []
        listed: list[Block] = []
        following: Block | None = None
        for block in reversed(self.layout.blocks):
            key = canonical_title(block.title.title)
            if not block.lines and not block.title.continued and key in with_body:
                listed.append(block)
                if with_body[key] is following:  # ``一、收支预算总表`` right over ``2026 年度收支预算总表``
                    _heading_over(block.title, following.title)
                continue
            if block.lines:
                with_body[key] = block
            kept.append(block)
            following = block
        if not listed:
            return
        self.layout.blocks = kept[::-1]
        listed.reverse()
        self.layout.toc.extend(block.title.where for block in listed)
        if not self.layout.contents:
            self.layout.contents = _first_run(listed)

    def step(self, i: int) -> int:
        line = self.lines[i]
        if line.is_blank:
            return i + 1
        reason = artefact(line) or ("页眉 (running header)" if i in self.running else None)
        if reason:
            self.layout.skipped.append((line, reason))
            return i + 1
        if self.state == "front" and not self.layout.parts and not self.layout.blocks and self._untitled_contents(i):
            self.state = "toc"  # a contents page without its 目录 heading: 第一部分 …, 一、… and nothing between
        if self.layout.title is None and self.state == "front" and not self.layout.front \
                and _is_document_title(line) and title_at(self.lines, i, self.known) is None:
            self.layout.title = line
            return i + 1
        if self.state == "contents":
            entry = contents_entry(line) if line.hints.get("role") != "table_title" else None
            repeat_allowed = len(line.filled) > 1  # a contents table lists a per-project table once per project
            if entry is not None and (entry[0] > self.contents_last or entry[0] == self.contents_last
                                      and repeat_allowed):
                self._contents_entry(*entry)
                return i + 1
            # a marker inside a part with no entry under it (``附件`` over an attached report): the part goes on
            listed = len(self.layout.contents) > self.contents_before[1]
            self.state = "part" if self.contents_before[0] == "part" and not listed else "after_contents"
        if self.state == "toc" and _TOC_LEADER.search(line.text):
            self.layout.toc.append(line)  # "三、政府性基金预算拨款支出情况……23": an entry, whatever it names
            numbering = numbering_of(_TOC_LEADER.sub("", line.text))
            number = chinese_number(re.sub(r"[^一二三四五六七八九十]", "", numbering)) if numbering else None
            self.toc_heading_last = max(self.toc_heading_last, number or 0)
            return i + 1
        found = title_at(self.lines, i, self.known)
        if found is not None and self.state == "toc" and self._in_toc(*found):
            return found[1]
        if found is not None and not self._item_naming_table(*found):
            return self._start_block(*found)
        part = part_title(line)
        if part is not None:
            return self._part(line, *part, i)
        heading = None if self.numbered_parts else heading_part(line)
        if heading is not None and (self.state != "table" or _AFTER_TABLE_HEADING.search(heading[1])):
            return self._heading_part(line, *heading, i)
        if squash(line.text) in _TOC_MARKERS:
            self.state = "toc"
            self.layout.toc.append(line)
            return i + 1
        if _is_contents_marker(line):
            self.contents_before = (self.state, len(self.layout.contents))
            self.state = "contents"
            if not self.layout.contents:
                self.contents_last = 0
            return i + 1
        if line.hints.get("role") == "break" or self._ends_table(line):
            self.state = "front"
        self._add(line, i)
        return i + 1

    def _untitled_contents(self, i: int) -> bool:
        """From line ``i``, at least four short numbered lines (第一部分 …, 一、…, （一）…) one after the other,
        with no sentence or figure between them, of which one is printed again later as a heading: the
        document opens on its contents without a 目录 heading."""
        entries: list[str] = []
        j = i
        while j < len(self.lines):
            line = self.lines[j]
            if line.is_blank or j in self.running or artefact(line):
                j += 1
                continue
            cells = [cell for _, cell in line.filled]
            if len(cells) == 2 and _BARE_PAGE_NUMBER.match(cells[1]):
                cells = cells[:1]  # a Word contents line: title ⇥ page
            text = _TOC_LEADER.sub("", cells[0] if cells else "").strip()
            if len(cells) != 1 or len(squash(text)) > _MAX_CONTENTS_ENTRY or text.endswith(_SENTENCE_END) \
                    or _FIGURE.search(text) or not _PART.match(text) and split_number(text) is None:
                break
            entries.append(squash(text))
            j += 1
        if len(entries) < _MIN_CONTENTS_ENTRIES:
            return False
        listed = set(entries)
        if len(listed) < len(entries):  # the body's first heading right after the list: one entry printed twice
            return True
        return any(squash(later.text) in listed for later in self.lines[j:] if len(later.filled) == 1)

    def _item_naming_table(self, title: TitleLine, end: int) -> bool:
        """In a narrative part, ``1.项目支出绩效目标表`` over a sentence (``本单位无项目支出绩效目标表。``): an item of
        the text that names a table, not the table."""
        if self.state != "part" or not _ITEM_MARKER.match(title.marker):
            return False
        j = _next_filled(self.lines, end)
        if j is None:
            return False
        after = self.lines[j]
        return len(after.filled) == 1 and after.text.strip().endswith("。") and not _EMPTY_TABLE.search(after.text)

    def _listed_table(self, title: str) -> bool:
        """An entry of the contents that names a table: a title a template knows, or one whose words name a table's
        role (``templates/_role_titles.yaml``: a locality no template describes lists its tables under its own
        names)."""
        return self.known(title) or role_by_title(title) is not None

    def _contents_entry(self, number: int, title: str) -> None:
        """One entry; a table listed once per project repeats its number: one entry, without the
        project's name in brackets."""
        contents = self.layout.contents
        title = re.sub(r"[（(]未附[)）]$", "", split_subtitle(title)[0])
        if number > self.contents_last or not contents:
            contents.append(f"{number}. {title}")
        else:
            contents[-1] = re.sub(r"[（(][^（()）]*[)）]$", "", contents[-1])
        self.contents_last = number

    def _listed_empty(self, line: SourceLine) -> None:
        """``表9 | …收支表 | 是 | 不涉及``: an entry of the contents whose 是否空表 says 是, with the reason."""
        if not _listed_entry(line):
            return
        numbered = split_number(line.filled[0][1])
        cells = [text.strip() for _, text in line.filled]
        if numbered is None or not numbered.number.isdigit():
            return
        if self._listed_table(cells[1]):
            self._contents_entry(int(numbered.number), cells[1])
        if squash(cells[2]) == "是":
            self.layout.listed_empty[numbered.number] = cells[3] if len(cells) > 3 else cells[2]

    def _ends_table(self, line: SourceLine) -> bool:
        """A heading at the top of a page after a table's last page (``其他相关情况说明``): what follows is
        no row of the table. Not the table's unit line repeated on the next page, and no line of figures."""
        if self.state != "table" or line.hints.get("role") != "heading" or not self.layout.blocks[-1].lines:
            return False
        last = self.layout.blocks[-1].lines[-1].where.page
        if line.where.page is None or last is None or line.where.page <= last:
            return False
        return unit_line(line) is None and not any(looks_like_amount(word) for word in line.text.split())

    def _in_toc(self, title: TitleLine, end: int) -> bool:
        """In the table of contents, a numbered title followed by another numbered heading (or a part) is
        an entry of the contents, not a table: ``五、单位预算表`` / ``1. 2026年预算单位财务收支预算总表`` /
        ``2. …``. A title the templates know is also listed as a 附表 entry."""
        if title.number is None or title.continued:
            return False
        j = _next_filled(self.lines, end)
        while j is not None and (j in self.running or artefact(self.lines[j])):  # a page number at the page's foot
            j = _next_filled(self.lines, j + 1)
        if j is None:
            return False
        after = self.lines[j]
        numbered = split_number(after.text)
        if part_title(after) is None and (numbered is None or len(after.filled) > 2 and not _listed_entry(after)
                                          or any(looks_like_amount(word) for word in numbered.rest.split())):
            return False
        self.layout.toc.append(title.where)
        if _HEADING_MARKER.match(title.marker):  # 一、收支总表 … 十三、…: the body's 一、… heading starts after them
            self.toc_heading_last = max(self.toc_heading_last, int(title.number) if title.number.isdigit() else 0)
        if self._listed_table(title.title) and title.number.isdigit():
            self._contents_entry(int(title.number), title.title)
        return True

    def _start_block(self, title: TitleLine, end: int) -> int:
        if title.continued and self.layout.blocks:
            self.state = "table"
            return end
        in_part = self.state == "part" or bool(self.layout.blocks) and self.layout.blocks[-1] is self.in_part_block
        self.layout.blocks.append(Block(title))
        self.in_part_block = self.layout.blocks[-1] if title.by_unit_line and in_part else None
        self.state = "table"
        return end

    def _part(self, line: SourceLine, number: int, title: str, i: int) -> int:
        if self.state == "toc" and number > self.toc_last:
            self.toc_last = number
            self.toc_heading_last = 0  # the contents number the headings of each part afresh: 一、二、…
            self.layout.toc.append(line)
            return i + 1
        self.layout.parts.append(PartLines(number, title, line))
        self.numbered_parts = True
        self.state = "part"
        return i + 1

    def _heading_part(self, line: SourceLine, numbering: str, title: str, i: int) -> int:
        """A part named by its heading alone. In a table of contents, numbered entries that count up are
        its lines; the body's headings start parts, numbered in the order they come."""
        number = chinese_number(re.sub(r"[^一二三四五六七八九十\d]", "", numbering)) if numbering else None
        if self.state == "toc" and number is not None and number > self.toc_heading_last:
            self.toc_heading_last = number
            self.layout.toc.append(line)
            return i + 1
        self.layout.parts.append(PartLines(len(self.layout.parts) + 1, title, line))
        self.state = "part"
        return i + 1

    def _part_table(self, line: SourceLine, i: int) -> bool:
        """A line of a table printed inside the part without a title (its header, a row, the rest of
        a row): kept in a block titled by the heading above it."""
        if self.state == "part_table":
            width, columns = self.part_table
            block = self.layout.blocks[-1]
            if [squash(cell) for cell in line.cells] == [squash(cell) for cell in block.lines[0].cells]:
                self.layout.skipped.append((line, "续页重复的表头 (header repeated on the next page)"))
                return True
            if is_row(line, width, columns) or is_row_rest(line, width, columns) and len(block.lines) == 1:
                block.lines.append(line)
                return True
            if is_row_rest(line, width, columns):
                block.lines[-1] = join_rest(block.lines[-1], line)
                return True
            self.state = "part"
        if self.state != "part":
            return False
        columns = header_at(self.lines, i, lambda later: artefact(later) is not None)
        if not columns:
            return False
        self.layout.blocks.append(Block(TitleLine(None, _heading_above(self.layout.parts[-1]), "", line, in_part=True),
                                        [line]))
        self.part_table = (len(line.cells), columns)
        self.state = "part_table"
        return True

    def _add(self, line: SourceLine, i: int) -> None:
        if self.state == "table" and self.layout.blocks[-1] is self.in_part_block and _prose(line):
            self.state = "part"  # the part goes on after its table (西安's 会议费明细表 in 第三部分)
        if self._part_table(line, i):
            return
        if self.state == "table":
            self.layout.blocks[-1].lines.append(line)
        elif self.state == "part" and _BARE_PAGE_NUMBER.match(line.text):
            self.layout.skipped.append((line, "页码 (page number)"))
        elif self.state == "part" and _table_row(line):
            self._loose_row(line, i)  # a row of a table whose title was not recognised: no narrative
        elif self.state == "part":
            self.layout.parts[-1].lines.append(line)
        elif self.state == "toc":
            self.layout.toc.append(line)
            self._listed_empty(line)
        else:
            self.layout.front.append(line)


    def _after(self, j: int, i: int) -> bool:
        """Whether line ``i`` follows line ``j`` with nothing between them but blank lines and page artefacts."""
        return 0 <= j < i and all(self.lines[k].is_blank or artefact(self.lines[k]) is not None or k in self.running
                                  for k in range(j + 1, i))

    def _loose_row(self, line: SourceLine, i: int) -> None:
        """A table's row in a part, under no title and no header that ``part_tables`` knows (西安's ``年度 |
        总收入支出 | 专项业务费 | 基本支出`` over a row per year; a self-evaluation form's indicator row
        ``成本指标 | … | ≤1638.67 万元 | 1032.99万元`` after its 资金 rows): a row with a figure is kept in a
        table titled by the heading above — with the rows right after it, and the line of labels right before
        it as its header — so that its amounts are read, never left among the lines that belong nowhere. A row
        without a figure stays there."""
        if not has_figure(line):
            self.layout.front.append(line)
            self.labels_last = i
            return
        block = self.layout.blocks[-1] if self.layout.blocks else None
        if block is not None and block.title.in_part and self._after(self.loose_last, i):
            block.lines.append(line)
            self.loose_last = i
            return
        lines = [line]
        if self._after(self.labels_last, i) and len(self.lines[self.labels_last].filled) >= _MIN_HEADER_CELLS:
            lines.insert(0, self.layout.front.pop())  # the labels line was the last one left unassigned
        title = TitleLine(None, _heading_above(self.layout.parts[-1]), "", lines[0], in_part=True)
        self.layout.blocks.append(Block(title, lines))
        self.loose_last = i


_FIGURE = re.compile(r"\d,\d{3}|\d\.\d{2}")  # thousands or two decimals: money, not a year, count or code
_MIN_HEADER_CELLS = 3


def has_figure(line: SourceLine) -> bool:
    """Whether a cell of the line is an amount with decimals or thousands (``1032.99万元``, ``4,048,577``)."""
    return any(looks_like_amount(text.lstrip("+≤≥<>＝= ")) and _FIGURE.search(text) for _, text in line.filled)


def _prose(line: SourceLine) -> bool:
    """A heading or paragraph of the narrative, as the document marks it: no line of a table."""
    return len(line.filled) == 1 and line.hints.get("role") in ("heading", "paragraph") and unit_line(line) is None \
        and not looks_like_amount(line.text)


def _heading_above(part: PartLines) -> str:
    """The last heading printed in the part so far, else the part's name without its 第N部分."""
    for line in reversed(part.lines):
        if line.hints.get("role") == "heading":
            return line.text.strip()
    match = _PART.match(part.title)
    return match.group(2).strip() if match is not None and match.group(2).strip() else part.title.strip()


def _listed_entry(line: SourceLine) -> bool:
    """A contents row with more cells than number and title: ``表9 | …收支表 | 是 | 不涉及`` (空表 and its
    reason), its second cell a table's title."""
    filled = line.filled
    return len(filled) > 2 and ends_like_table_title(filled[1][1].strip())


def _heading_over(heading: TitleLine, table: TitleLine) -> None:
    """A numbered heading printed right over a table's own title: the table takes the heading's number
    and title; its own title (``2026 年度收支预算总表``) is kept as the subtitle."""
    if table.number is None:
        table.number = heading.number
    if not table.subtitle and table.title != heading.title:
        table.title, table.subtitle = heading.title, table.title


def _first_run(listed: list[Block]) -> list[str]:
    """``n. title`` of the listed titles while their numbers rise (a contents list, then the headings)."""
    out: list[str] = []
    last = 0
    for block in listed:
        number = int(block.title.number) if block.title.number and block.title.number.isdigit() else None
        if number is None or number <= last:
            break
        out.append(f"{number}. {block.title.title}")
        last = number
    return out


def segment(lines: list[SourceLine], known: KnownTitle) -> Layout:
    return _Segmenter(lines, known).run()
