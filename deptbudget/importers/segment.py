"""Cut a document's lines into its pieces: title, table of contents, narrative parts, the 附表
contents list and one block per table. Nothing is dropped: a line that belongs to none of
them is kept in ``unassigned`` and page artefacts in ``skipped``, both for the import report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from deptbudget.importers.numbering import chinese_number, split_number
from deptbudget.importers.source import SourceLine, squash
from deptbudget.importers.titles import ends_like_table_title, split_subtitle

_PART = re.compile(r"^第\s*([一二三四五六七八九十]+)\s*部分\s*(.*)$")
_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+)$")
_SEPARATOR = re.compile(r"^[-—=_|+\s]+$")
_CAPTION = re.compile(r"^图\s*\d+\s*\S")
_YEAR_SUBTITLE = re.compile(r"^[（(]?\s*20\d\d\s*年度?\s*[)）]?$")
_TOC_MARKERS = {"目录"}
_CONTINUED = {"（续）", "续表", "（续表）", "续"}
_CONTENTS_MARKERS = {"附表", "附件", "附表目录", "附表清单", "部门预算附表"}


@dataclass
class TitleLine:
    number: str | None
    title: str
    subtitle: str
    where: SourceLine
    continued: bool = False  # 续表: the rest of the previous table


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


def part_title(line: SourceLine) -> tuple[int, str] | None:
    match = _PART.match(line.text)
    if match is None or len(line.filled) > 2:
        return None
    number = chinese_number(match.group(1))
    return None if number is None else (number, line.text)


def artefact(line: SourceLine) -> str | None:
    """Why a line is a page artefact (page number, ruler), or None."""
    text = line.text
    if _PAGE_NUMBER.match(text):
        return "页码 (page number)"
    if _SEPARATOR.match(text) and any(ch in text for ch in "-—=_"):
        return "分隔线 (separator line)"
    if line.hints.get("role") == "cover":
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
    return TitleLine(number, title, subtitle, line, continued), end


def contents_entry(line: SourceLine) -> tuple[int, str] | None:
    """``5. 项目支出预算表`` (text) or ``5 | 项目支出预算表 | …`` (a contents table row)."""
    filled = line.filled
    if len(filled) >= 2 and filled[0][1].strip().isdigit():
        return int(filled[0][1]), filled[1][1].strip()
    numbered = split_number(line.text)
    if numbered is None or not numbered.rest:
        return None
    return int(numbered.number), numbered.rest


def _is_contents_marker(line: SourceLine) -> bool:
    if squash(line.text).rstrip(":") in _CONTENTS_MARKERS:
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

    def run(self) -> Layout:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        return self.layout

    def step(self, i: int) -> int:
        line = self.lines[i]
        if line.is_blank:
            return i + 1
        reason = artefact(line)
        if reason:
            self.layout.skipped.append((line, reason))
            return i + 1
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
            self.state = "after_contents"
        found = title_at(self.lines, i, self.known)
        if found is not None:
            return self._start_block(*found)
        part = part_title(line)
        if part is not None:
            return self._part(line, *part, i)
        if squash(line.text) in _TOC_MARKERS:
            self.state = "toc"
            self.layout.toc.append(line)
            return i + 1
        if _is_contents_marker(line):
            self.state = "contents"
            if not self.layout.contents:
                self.contents_last = 0
            return i + 1
        if line.hints.get("role") == "break":
            self.state = "front"
        self._add(line)
        return i + 1

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

    def _start_block(self, title: TitleLine, end: int) -> int:
        if title.continued and self.layout.blocks:
            self.state = "table"
            return end
        self.layout.blocks.append(Block(title))
        self.state = "table"
        return end

    def _part(self, line: SourceLine, number: int, title: str, i: int) -> int:
        if self.state == "toc" and number > self.toc_last:
            self.toc_last = number
            self.layout.toc.append(line)
            return i + 1
        self.layout.parts.append(PartLines(number, title, line))
        self.state = "part"
        return i + 1

    def _add(self, line: SourceLine) -> None:
        if self.state == "table":
            self.layout.blocks[-1].lines.append(line)
        elif self.state == "part":
            self.layout.parts[-1].lines.append(line)
        elif self.state == "toc":
            self.layout.toc.append(line)
        else:
            self.layout.front.append(line)


def segment(lines: list[SourceLine], known: KnownTitle) -> Layout:
    return _Segmenter(lines, known).run()
