"""The seed document's narrative as ``Part``s, read from the seed text by this test helper alone
(independent of the importers), with the project names of its 表13 so that name rules have the
tables' spelling to compare with.

Sections: a line "一、…" without closing punctuation, or the first line of 第五/第六部分, is a heading;
every other line is a paragraph (a page break inside a sentence leaves two lines: the rules join them).
"""

from __future__ import annotations

import re
from pathlib import Path

from deptbudget.model.disclosure import Cell, Column, Disclosure, Part, Row, Section, Table

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "luohu-2020-seed.txt"
_PART = re.compile(r"^第([一二三四五六七八九十])部分\s*(.*)$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。：:，,]{2,30}$")
_DIGITS = "一二三四五六七八九十"
UNIT = "罗湖区科技创新局"


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_parts() -> list[Part]:
    lines = [line.strip() for line in seed_lines()]
    starts = [i for i, line in enumerate(lines) if _PART.match(line)]
    body = starts[8:]  # the first eight are the table of contents
    end = lines.index("附表：")
    parts: list[Part] = []
    for index, start in enumerate(body):
        stop = body[index + 1] if index + 1 < len(body) else end
        match = _PART.match(lines[start])
        assert match is not None
        number = _DIGITS.index(match.group(1)) + 1
        sections: list[Section] = [Section("")]
        content = [line for line in lines[start + 1:stop] if line]
        for position, line in enumerate(content):
            first_line_heading = position == 0 and number in (5, 6)
            if first_line_heading or _HEADING.match(line):
                sections.append(Section(line))
            else:
                sections[-1].paragraphs.append(line)
        parts.append(Part(number, lines[start], [s for s in sections if s.heading or s.paragraphs]))
    return parts


def seed_project_names() -> list[str]:
    """The project names of 表13 as printed (a name broken over two lines is joined)."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.replace(" ", "") == "表.13")
    stop = next(i for i, line in enumerate(lines) if line.replace(" ", "") == "表.14")
    names = []
    for line in lines[start:stop]:
        cells = line.split("\t")
        if cells[0] == UNIT and len(cells) > 2:
            names.append(cells[1].replace(" ", ""))
    return names


def seed_disclosure() -> Disclosure:
    """The seed's title, 8 parts and a 表13 with its project names."""
    rows = [Row(name, {"unit": Cell(UNIT), "name": Cell(name)}) for name in seed_project_names()]
    t13 = Table("T13", "13", "部门预算绩效管理项目情况表",
                [Column("unit", "实施单位"), Column("name", "项目名称")], rows=rows)
    return Disclosure("shenzhen-15", 2020, UNIT, "2020 年罗湖区科技创新局部门预算", parts=seed_parts(), tables=[t13])
