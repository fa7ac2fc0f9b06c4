"""Form tables (绩效目标表): label/value fields, then the indicator rows.

Cells are recognised by what they say, not where they sit, because text laid out from a PDF
shifts them between columns: a field label from the vocabulary takes the next cell as its
value; in the indicator part a cell is a 一级指标, a 二级指标 or content (name, then target).
A 二级 printed without its 一级 takes the 一级 it belongs to (数量指标 → 产出指标) unless the
current 一级 is already that one (``（产出指标一）``). A line with one fragment and no level
continues the row above (a wrapped indicator, or the next line of 测算明细). Level cells are
filled in on every row, as a reader of the printed form understands them. A form whose header prints a
value column for the whole 实施周期 before the year's (实施周期指标值 | 年度指标值) gives each row both: the
year's value is the target, the period's the extra column ``period_target``. Amounts printed as a
row under one or two header lines (预算支出总额 | 财政拨款 合计 基本支出 项目支出 | 其他资金 …) are fields named
by their column's labels, the upper line's label spanning to the right (财政拨款 + 基本支出). A list printed
inside a form under its own header with a money column (年度重点工作任务: 名称 | 主要实施内容 | 拟投入的资金（万元）
| 期望达到的目标) is read as rows of named extra columns, the money column as ``amount``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from deptbudget.importers.amounts import amount_cell, looks_like_amount
from deptbudget.importers.cells import RowSink, row
from deptbudget.importers.report import TableReport
from deptbudget.importers.source import SourceLine, join_lines, label_key, squash, unwrap
from deptbudget.importers.vocabulary import FormVocabulary, IndicatorVocabulary, form_vocabulary, indicator_vocabulary
from deptbudget.model.disclosure import Cell, CellKind, Column, Row, RowKind
from deptbudget.template import TableSpec, TemplateError

_LEVEL1_GROUP = re.compile(r"^[（(]?\s*(产出|效益|满意度|投入|成本)指标\s*[一二三四五六七八九十\d]*\s*[)）]?$")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_ITEM = re.compile(r"^(?:目标\s*\d{1,2}\s*[:：.、]|\d{1,2}\s*[.、．](?!\d))")
_ITEM_BREAK = re.compile(r"(?<!目标)\s+(?=目标\s*\d{1,2}\s*[:：.、]|\d{1,2}\s*[.、．](?!\d))")
PERIOD_TARGET = Column("period_target", "实施周期指标值", CellKind.TEXT)
_MONEY_HEADER = re.compile(r"万元|资金|金额")
_TRAILING_TARGET = re.compile(r"^(?P<name>.*?[^\d\s.,，])\s*(?P<target>\d[\d.,]*\s*(?:%|‰|[^\s\d]{1,3})?)$")


def split_numbered(text: str) -> list[str]:
    """``1. 促进… 2. 服务…`` → its numbered items, when the text starts with the first."""
    if not _ITEM.match(text):
        return [text]
    return [item for item in _ITEM_BREAK.split(text) if item.strip()]


def clean_text(text: str, exact: bool) -> str:
    """Form text as read: ``<p>…</p>`` paragraphs and numbered items laid out on one line
    become lines; wrap spaces go (non-exact)."""
    if exact:
        return text.strip()
    paragraphs = _PARAGRAPH.findall(text) or split_numbered(text.strip())
    return "\n".join(unwrap(p) for p in paragraphs if p.strip())


@cache
def _target_start(starts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in starts))


def split_name_target(text: str, starts: tuple[str, ...]) -> tuple[str, str]:
    """``高企培育企业数约 350 家`` → (``高企培育企业数``, ``约 350 家``): where a form prints both
    in one 具体指标 cell; the target starts at the first of ``starts`` (regular expressions), else
    at a trailing number with its unit."""
    match = _target_start(starts).search(text)
    if match is not None and match.start() > 0:
        return text[: match.start()].strip(" ,，"), text[match.start():].strip()
    trailing = _TRAILING_TARGET.match(text)
    if trailing is not None:
        return trailing.group("name").strip(), trailing.group("target").strip()
    return text, ""


def _base_level1(text: str) -> str:
    return re.sub(r"[（）()\s一二三四五六七八九十\d]", "", text)


@dataclass
class _IndicatorLine:
    level1: str | None = None
    level2: str | None = None
    contents: list[str] = field(default_factory=list)


_TABLE_ROW_CELLS = 3  # a line of this many cells or more, none a field's label, is a row of a table in the form


class FormReader:
    def __init__(self, spec: TableSpec, report: TableReport) -> None:
        if spec.form is None or spec.indicators is None:
            raise TemplateError(f"表 {spec.id} 不是表单 (not a form table)")
        self.form: FormVocabulary = form_vocabulary(spec.form)
        self.ind: IndicatorVocabulary = indicator_vocabulary(spec.indicators)
        self.report = report
        self.sink = RowSink(report)
        self.indicators = False
        self.combined = False  # one 具体指标 column holds name and target
        self.period = False  # a 实施周期 value column precedes the year's
        self.extra: dict[str, Column] = {}  # columns of lists read inside the form (key → column)
        self.level1 = ""
        self.level2 = ""
        self.count = 0
        self.last: Row | None = None
        self.split = 0

    # --- fields ---

    def is_field(self, text: str) -> bool:
        key = label_key(text)
        return key in self.form.fields or key in self.form.groups

    def _label_prefix(self, text: str) -> tuple[str, str] | None:
        """A label and its value printed as one piece of text (``部门（单位）职能概述 1. 贯彻…``)."""
        for label in sorted(self.form.fields, key=len, reverse=True):
            key = label_key(text[: len(label) + 4])
            if key.startswith(label) and len(label) >= 4:
                cut = len(label)
                while cut < len(text) and label_key(text[:cut]) != label:
                    cut += 1
                return text[:cut], text[cut:].strip()
        return None

    def read_fields(self, line: SourceLine) -> None:
        # a bare unit (``（万元）``, the rest of a group label ``资金金额`` wrapped onto the line) is no cell of data
        texts = [t for _, t in line.filled if label_key(t)]
        if len(texts) >= _TABLE_ROW_CELLS and not self.is_field(texts[0]):
            self._table_row(line)
            return
        if len(texts) == 1 and label_key(texts[0]) not in self.form.fields:
            split = self._label_prefix(texts[0])
            texts = list(split) if split else texts
        i = 0
        while i < len(texts):
            key = label_key(texts[i])
            if key in self.form.groups:
                i += 1
                continue
            if key not in self.form.fields:
                self._continue_field(texts[i], line)
                i += 1
                continue
            has_value = i + 1 < len(texts) and not self.is_field(texts[i + 1])
            value = texts[i + 1] if has_value else ""
            self._field(self.form.fields[key], texts[i], value, line)
            i += 2 if has_value else 1

    def _field(self, key: str, label: str, value: str, line: SourceLine) -> None:
        label_cell = Cell(text=label.strip() if line.exact else unwrap(label), kind=CellKind.TEXT)
        if key in self.form.amounts:
            value_cell = amount_cell(value)
        else:
            value_cell = Cell(text=clean_text(value, line.exact), kind=CellKind.TEXT)
        self.last = self.sink.add(row(key, {"label": label_cell, "value": value_cell}, RowKind.FIELD), line)

    def _table_row(self, line: SourceLine) -> None:
        """A row of a table printed inside the form (``年度主要任务 | 任务名称 | 主要内容 | 预算金额``): no
        field's value goes on in it, nor in the lines after it."""
        self.report.skip(line.text, "表单中的表格行 (a table row inside the form)", line.where)
        self.last = None

    def _continue_field(self, text: str, line: SourceLine) -> None:
        last = self.last
        if last is None or last.kind is not RowKind.FIELD or last.cells["value"].kind is CellKind.AMOUNT:
            self.report.skip(text, "表单中无法归属的文字 (form text with no label)", line.where)
            return
        value = last.cells["value"]
        value.text = join_lines(value.text, clean_text(text, line.exact))
        self.report.note("多行字段值已合并 (multi-line field value joined)", line.where)

    # --- amounts printed under header lines ---

    def _is_amount_row(self, line: SourceLine) -> bool:
        filled = line.filled
        return len(filled) >= 2 and all(looks_like_amount(t) for _, t in filled)

    def _is_header(self, line: SourceLine) -> bool:
        filled = line.filled
        return (not line.is_blank and not any(looks_like_amount(t) for _, t in filled)
                and label_key(filled[0][1]) not in self.form.fields)

    def amount_grids(self, lines: list[SourceLine]) -> dict[int, tuple[list[SourceLine], SourceLine, int]]:
        """Index of a grid's first header line → (header lines, amount line, index after the grid)."""
        found: dict[int, tuple[list[SourceLine], SourceLine, int]] = {}
        for i, line in enumerate(lines):
            if not self._is_amount_row(line):
                continue
            start = i
            while start > 0 and i - start < 2 and self._is_header(lines[start - 1]):
                start -= 1
            header = lines[start:i]
            columns = {j for h in header for j, _ in h.filled}
            if header and all(j in columns or any(c < j for c in columns) for j, _ in line.filled):
                found[start] = (header, line, i + 1)
        return found

    def read_amount_grid(self, header: list[SourceLine], amounts: SourceLine) -> None:
        for j, text in amounts.filled:
            words: list[str] = []
            for depth, line in enumerate(header):
                exact = line.cells[j].strip() if j < len(line.cells) else ""
                spanning = next((t for c, t in reversed(line.filled) if c <= j), "") if depth < len(header) - 1 \
                    else exact
                word = exact or spanning
                if word and label_key(word) not in self.form.groups:
                    words.append(word.strip())
            label = "".join(words)
            key = self.form.fields.get(label_key(label))
            if key is None:
                key = f"field:{label_key(label)}"
                self.report.note(f"表单金额栏目不在词表中，按栏目名保留 (form amount kept under its label): {label}",
                                 amounts.where)
            cells = {"label": Cell(text=label, kind=CellKind.TEXT), "value": amount_cell(text)}
            self.last = self.sink.add(row(key, cells, RowKind.FIELD), amounts)

    # --- a list inside the form ---

    def _list_header(self, lines: list[SourceLine], index: int) -> int | None:
        """The money column of a list header at ``index`` (labels only, one of them a money label, the next line
        an amount there), else None."""
        line = lines[index]
        # a group label (预算金额（万元）) may head the money column; a field's label is no list header
        texts = [t for _, t in line.filled]
        if len(texts) < 3 or any(label_key(t) in self.form.fields or looks_like_amount(t) for t in texts):
            return None
        following = next((x for x in lines[index + 1:] if not x.is_blank), None)
        sub = self._sub_header(lines, index)
        if sub is not None:
            following = next((x for x in lines[sub + 1:] if not x.is_blank), None)
        for j, text in line.filled:
            if _MONEY_HEADER.search(text) and following is not None and j < len(following.cells) \
                    and looks_like_amount(following.cells[j]):
                return j
        return None

    def read_list(self, lines: list[SourceLine], index: int, money: int) -> int:
        """The list's rows from the line after its header; the index of the first line after the list."""
        header = lines[index]
        sub = self._sub_header(lines, index)
        after = index if sub is None else sub
        body_start = next((i for i in range(after + 1, len(lines)) if not lines[i].is_blank), len(lines))
        below = dict(lines[sub].filled) if sub is not None else {}
        columns = {j for j, _ in lines[body_start].filled} | {money} | set(below)
        group = next((t for j, t in header.filled if j not in columns), "")
        keys: dict[int, Column] = {}
        for j, text in header.filled:
            if j in columns:
                key = "amount" if j == money else f"c{j}"
                kind = CellKind.AMOUNT if j == money else CellKind.TEXT
                printed = " ".join(t.strip() for t in (text, below.get(j, "")) if t.strip())
                keys[j] = self.extra.setdefault(key, Column(key, printed, kind))
        for j, text in sorted(below.items()):  # the money header's parts (总额 | 财政拨款 | 其他资金)
            if j not in keys:
                kind = CellKind.AMOUNT if j > money else CellKind.TEXT
                keys[j] = self.extra.setdefault(f"c{j}", Column(f"c{j}", text.strip(), kind))
        name = squash(group) or "list"
        count = 0
        i = body_start
        while i < len(lines):
            line = lines[i]
            if line.is_blank:
                i += 1
                continue
            filled = line.filled
            if self.is_field(filled[0][1]) or self.is_heading(line):
                break
            texts = self._list_cells(line, keys, group)
            if texts is None:
                break
            if count and self.last is not None and not any(looks_like_amount(t) for t in texts if t):
                self._continue_list_row(self.last, keys, texts)  # a name or content wrapped onto a line of its own
                i += 1
                continue
            cells = {c.key: (amount_cell(text) if c.kind is CellKind.AMOUNT
                             else Cell(text=clean_text(text, line.exact), kind=CellKind.TEXT))
                     for c, text in zip(keys.values(), texts, strict=True)}
            self.last = self.sink.add(row(f"{name}[{count}]", cells), line)
            count += 1
            i += 1
        return i

    def _sub_header(self, lines: list[SourceLine], index: int) -> int | None:
        """The index of the line under a list header that divides its money column (总额 | 财政拨款 | 其他资金, the
        words of a form's amount fields): labels only, none left of the header's money label, followed by an amount
        line."""
        following = [i for i in range(index + 1, len(lines)) if not lines[i].is_blank][:2]
        if len(following) < 2:
            return None
        sub, body = (lines[i] for i in following)
        money = [j for j, t in lines[index].filled if _MONEY_HEADER.search(t)]
        if not money or any(looks_like_amount(t) for _, t in sub.filled) or min(j for j, _ in sub.filled) < money[0]:
            return None
        found = any(j < len(body.cells) and looks_like_amount(body.cells[j]) for j, _ in sub.filled)
        return following[0] if found else None

    @staticmethod
    def _continue_list_row(last: Row, keys: dict[int, Column], texts: list[str]) -> None:
        for column, text in zip(keys.values(), texts, strict=True):
            cell = last.cells.get(column.key)
            if text.strip() and cell is not None and cell.kind is CellKind.TEXT:
                cell.text = join_lines(cell.text, text.strip())

    @staticmethod
    def _list_cells(line: SourceLine, keys: dict[int, Column], group: str) -> list[str] | None:
        """The line's texts for the list's columns: by position, or — on a page that lays the list out again
        (its group label repeated, columns shifted) — in order, the amounts where the money column is."""
        if all(j in keys for j, _ in line.filled):
            return [line.cells[j] if j < len(line.cells) else "" for j in keys]
        texts = [t for _, t in line.filled if squash(t) != squash(group)]
        money = [c.kind is CellKind.AMOUNT for c in keys.values()]
        if len(texts) == len(keys) and [looks_like_amount(t) for t in texts] == money:
            return texts
        return None

    # --- indicators ---

    def is_heading(self, line: SourceLine) -> bool:
        """The 绩效指标 cell, or the indicator columns' header line (一级指标 | 二级指标 | …) where the
        绩效指标 cell is printed lower, in the middle of the rows it spans."""
        texts = [label_key(t) for _, t in line.filled]
        return bool(texts) and (texts[0] in self.ind.headings or
                                (len(texts) >= 3 and all(t in self.ind.header_cells for t in texts)))

    def _indicator_header(self, line: SourceLine) -> bool:
        """The indicators' header row (``一级指标 | 二级指标 | 三级指标 | 指标值``) with no heading above it."""
        keys = [label_key(t) for _, t in line.filled]
        return len(keys) > 1 and all(key in self.ind.header_cells for key in keys[:2])

    def heading(self, line: SourceLine) -> None:
        self.indicators = True
        texts = [t for _, t in line.filled]
        self.combined = any(label_key(t).startswith("具体指标") for t in texts)
        label = Cell(text=texts[0].strip(), kind=CellKind.TEXT)
        self.sink.add(row("indicators", {"label": label}, RowKind.HEADING), line)

    def classify(self, line: SourceLine) -> _IndicatorLine:
        out = _IndicatorLine()
        for _, text in line.filled:
            key = label_key(text)
            if not out.contents and out.level1 is None and out.level2 is None and _LEVEL1_GROUP.match(squash(text)):
                out.level1 = text.strip()
            elif not out.contents and out.level2 is None and key in self.ind.level2:
                out.level2 = text.strip()
            elif not out.contents and (key in self.ind.header_cells or key in self.ind.period_headers
                                       or key in self.ind.headings):
                continue  # a header cell, or 绩效指标 printed in the middle of the rows it spans
            else:
                out.contents.append(text.strip() if line.exact else unwrap(text))
        return out

    def read_indicator(self, line: SourceLine) -> None:
        parsed = self.classify(line)
        if parsed.level1 is None and parsed.level2 is None:
            if not parsed.contents:
                return
            if len(parsed.contents) == 1 and self._continue_indicator(parsed.contents[0], line):
                return
        self._set_levels(parsed)
        text_row = self.ind.text_rows.get(label_key(self.level2)) if self.level2 else None
        if text_row is not None:
            name = "\n".join(clean_text(c, line.exact) for c in parsed.contents)
            self._indicator(text_row, name, "", line)
        elif parsed.contents:
            contents, period = parsed.contents, None
            if self.period and len(contents) >= 3:  # name …, 实施周期指标值, 年度指标值
                contents, period = contents[:-2] + contents[-1:], contents[-2]
            name, target = self._name_target(contents, line)
            self._indicator(f"indicator[{self.count}]", name, target, line, period)
            self.count += 1
        elif parsed.level2 is not None:
            self._indicator(f"{_base_level1(self.level1)}/{squash(self.level2)}", "", "", line)

    def _set_levels(self, parsed: _IndicatorLine) -> None:
        if parsed.level1 is not None:
            self.level1 = parsed.level1
        if parsed.level2 is not None:
            self.level2 = parsed.level2
            belongs = self.ind.level2.get(label_key(parsed.level2))
            if parsed.level1 is None and belongs and _base_level1(self.level1) != belongs:
                self.level1 = belongs

    def _name_target(self, contents: list[str], line: SourceLine) -> tuple[str, str]:
        if len(contents) == 1 and self.combined:
            self.split += 1
            return split_name_target(contents[0], self.ind.target_starts)
        if len(contents) > 2:
            self.report.note(f"指标行多出的文字并入目标值 (extra text joined to the target): {contents[2:]}",
                             line.where)
        return contents[0], " ".join(contents[1:])

    def _indicator(self, key: str, name: str, target: str, line: SourceLine, period: str | None = None) -> None:
        cells = {"level1": Cell(text=self.level1, kind=CellKind.TEXT),
                 "level2": Cell(text=self.level2, kind=CellKind.TEXT),
                 "name": Cell(text=name, kind=CellKind.TEXT), "target": Cell(text=target, kind=CellKind.TEXT)}
        if self.period:
            cells[PERIOD_TARGET.key] = Cell(text=period or "", kind=CellKind.TEXT)
        self.last = self.sink.add(row(key, cells), line)

    def _continue_indicator(self, text: str, line: SourceLine) -> bool:
        last = self.last
        if last is None or last.kind is not RowKind.DATA:
            return False
        name = last.cells["name"]
        if last.key in self.ind.text_rows.values():
            name.text = join_lines(name.text, clean_text(text, line.exact))
        else:
            name.text = unwrap(f"{name.text} {text}") if not line.exact else f"{name.text}\n{text}"
        self.report.note(f"续行并入上一指标 (continuation joined to the row above): {text}", line.where)
        return True

    # --- the form ---

    def read(self, lines: list[SourceLine]) -> list[Row]:
        grids = self.amount_grids(lines)
        skip_to = 0
        for index, line in enumerate(lines):
            if index < skip_to or line.is_blank:
                continue
            if not self.indicators and index in grids:
                header, amounts, skip_to = grids[index]
                self.read_amount_grid(header, amounts)
                continue
            money = None if self.indicators else self._list_header(lines, index)
            if money is not None:
                skip_to = self.read_list(lines, index, money)
                continue
            if any(label_key(text) in self.ind.period_headers for _, text in line.filled):
                self.period = True
            if not self.indicators and (self.is_heading(line) or self._indicator_header(line)):
                self.heading(line)
            elif self.indicators and label_key(line.filled[0][1]) not in self.form.fields:
                self.read_indicator(line)
            else:
                self.read_fields(line)
        if self.split:
            self.report.note(f"{self.split} 行“具体指标”按文字拆分为指标内容与指标值 (name and target split "
                             "from one printed cell)")
        return self.sink.rows


def form_rows(spec: TableSpec, lines: list[SourceLine], report: TableReport) -> list[Row]:
    return FormReader(spec, report).read(lines)


def read_form(spec: TableSpec, lines: list[SourceLine], report: TableReport) -> tuple[list[Row], list[Column]]:
    """The form's rows and the extra columns its rows hold beyond the template's (kept, named as printed)."""
    reader = FormReader(spec, report)
    rows = reader.read(lines)
    extra = list(reader.extra.values())
    if reader.period:
        extra.append(PERIOD_TARGET)
    return rows, extra
