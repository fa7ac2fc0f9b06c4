"""Columns of a final-accounts table read by phase: the header says which figures are the 年初预算数, the
全年预算数 (调整预算数, or the 预算数 of a 三公 决算表) and the 决算数, and the words under (or after) the
phase say which measure each column holds (合计, 基本支出, 公务接待费 …).

Localities print the same 决算 table with one, two or three phases side by side (年初预算数 | 全年预算数 |
决算数, each over 合计 · 基本支出 · 项目支出), in either nesting (phase over measure, or measure over phase).
A template table that says ``phases: true`` lists its measures once, as 决算数 columns (the plain keys
``total``, ``basic`` …, see ``model.final_accounts``); every printed column is then keyed by its phase and
its measure (``initial_total``, ``adjusted_basic``, ``total``), whatever the locality prints. A header that
names no budget phase (a 决算数 column alone) is read as before, by the template's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.importers.source import SourceLine, label_key
from deptbudget.model.disclosure import CellKind, Column, HeaderCell, Row
from deptbudget.model.final_accounts import Phase, phase_key, split_phase

# The words of a header cell that name a phase, at its start (``2024年决算数``, ``决算数合计``, ``年初预算``).
_PHASE_WORDS: tuple[tuple[Phase, re.Pattern[str]], ...] = (
    (Phase.INITIAL, re.compile(r"^(?:20\d\d年度?)?年初预算(?:数|金额)?")),
    (Phase.ADJUSTED, re.compile(r"^(?:20\d\d年度?)?(?:全年预算|调整(?:后的?)?预算|预算)(?:数|金额)?")),
    (Phase.ACTUAL, re.compile(r"^(?:20\d\d年度?)?(?:决算|实际(?:支出)?|执行)(?:数|金额)?")),
)
_SUBTOTAL = ("小计", "合计")


def split_phase_label(text: str) -> tuple[Phase | None, str]:
    """A header cell's text → the phase it names (None: none) and the rest (``决算数合计`` → 决算数, ``合计``).
    ``预算`` alone counts only as a whole word at the start (``一般公共预算财政拨款`` names no phase)."""
    key = label_key(text)
    if any(mark in key for mark in ("率", "%", "％", "比")) or key.startswith(("预算单位", "预算项目")):
        return None, key  # 执行率, 决算数为年初预算数的%, 比上年增减: a share or a change, not a phase of an amount
    for phase, pattern in _PHASE_WORDS:
        match = pattern.match(key)
        if match and match.group(0):
            return phase, key[match.end():]
    return None, key


# Header cells that say nothing of a column: the unit line (部门：… 金额单位：万元), the table's number (公开09表)
_META = re.compile(r"[:：]|^(?:公开|财决|决算)?\s*\d+\s*表$|^表\s*\d+$")


def _stacks(header: list[list[HeaderCell]], width: int) -> list[list[str]]:
    """The header texts above each printed column, top to bottom (the unit line and table number left out)."""
    stacks: list[list[str]] = [[] for _ in range(width)]
    for header_row in header:
        for cell in header_row:
            if _META.search(cell.text.strip()):
                continue
            for col in range(cell.col, min(cell.col + cell.colspan, width)):
                stacks[col].append(cell.text)
    return stacks


def _column_phase(stack: list[str]) -> tuple[Phase | None, str, bool]:
    """The phase a column's header names (its lowest cell that names one), its measure's label — the words left
    over, a 小计 with its group's name (``公务用车购置及运行维护费`` / ``小计``) — and whether the phase is printed
    lowest (no measure under it: a group above, such as 本年支出, may name none)."""
    phase: Phase | None = None
    words: list[str] = []
    lowest = False
    for text in stack:
        named, rest = split_phase_label(text)
        if named is not None:
            phase = named
        if rest:
            words.append(rest)
        lowest = named is not None and not rest
    if not words:
        return phase, "", lowest
    label = words[-1]
    if label in _SUBTOTAL and len(words) > 1:
        label = words[-2] + label
    return phase, label, lowest


def _base_label(column: Column) -> str:
    return split_phase_label(column.label)[1] or column.label


def _same(label: str, wanted: str) -> bool:
    return bool(label) and bool(wanted) and (label == wanted or label in wanted or wanted in label)


def _match(label: str, measures: list[Column], used: set[str]) -> Column | None:
    """The measure a printed label names: exactly, else partly (``购置费`` → ``公务用车购置费``), first unused;
    a column named by its phase alone holds the table's first measure (its 合计)."""
    if not label:
        return next((m for m in measures if m.key not in used), None) if not used else None
    free = [m for m in measures if m.key not in used]
    exact = next((m for m in free if label_key(_base_label(m)) == label), None)
    return exact or next((m for m in free if _same(label, label_key(_base_label(m)))), None)


@dataclass(frozen=True)
class PhasedRead:
    """How to read a table by phase: its columns, the printed column of each, and its body lines (the printed
    ones, or one line made of a table printed with its measures as rows: ``transposed``)."""

    columns: list[Column]
    positions: list[int | None]
    body: list[SourceLine]
    transposed: bool = False


def phased_read(columns: list[Column], header: list[list[HeaderCell]], body: list[SourceLine],
                extra: list[Column] | None = None, transpose: bool = False) -> PhasedRead | None:
    """``phased_columns``, or — where the phases head the columns and the measures name the rows (a 三公 table
    printed 项目 | 年初预算数 | 全年预算数 | 决算数 with a row per item) — the table turned into one row of a column
    per (phase, measure)), where ``transpose`` allows it (a table of one row: the 三公 table)."""
    found = phased_columns(columns, header, body, extra)
    if found is None:
        return None
    transposed = _transposed(found[0], found[1], columns, body, extra or []) if transpose else None
    return transposed or PhasedRead(found[0], found[1], body)


def _transposed(out: list[Column], positions: list[int | None], columns: list[Column], body: list[SourceLine],
                extra: list[Column]) -> PhasedRead | None:
    """Measures printed as rows: every phased column names its phase alone (so each took the first measure) and
    most rows are labelled with a measure of the template."""
    phased = [(c, p) for c, p in zip(out, positions, strict=True) if c.kind is CellKind.AMOUNT and p is not None]
    first = next((c for c in columns if c.kind is CellKind.AMOUNT and split_phase(c.key)[0] is Phase.ACTUAL), None)
    if first is None or len(phased) < 1 or any(split_phase(c.key)[1] != first.key for c, _ in phased):
        return None
    measures = [c for c in columns if c.kind is CellKind.AMOUNT and split_phase(c.key)[0] is Phase.ACTUAL] + extra
    label_at = min(p for _, p in phased)
    used: set[str] = set()
    cells: dict[str, str] = {}
    labelled = 0
    for line in body:
        texts = [text for index, text in line.filled if index < label_at]
        if not texts:
            continue
        measure = _match(label_key(texts[-1]), measures, used) if label_key(texts[-1]) else None
        if measure is None:
            continue
        labelled += 1
        used.add(measure.key)
        for column, position in phased:
            phase = split_phase(column.key)[0]
            cells[phase_key(measure.key, phase)] = line.cell(position)  # type: ignore[arg-type]
    if labelled < 2 or labelled * 2 < len([line for line in body if line.filled]):
        return None
    keys = list(cells)
    names = {c.key: c for c in columns}
    new = [names.get(key) or Column(key, f"{split_phase(key)[0].value}{_base_label(_measure(key, measures))}",
                                    CellKind.AMOUNT) for key in keys]
    line = SourceLine([cells[key] for key in keys], body[0].where, body[0].exact)
    return PhasedRead(new, list(range(len(keys))), [line], transposed=True)


def _measure(key: str, measures: list[Column]) -> Column:
    base = split_phase(key)[1]
    return next(m for m in measures if m.key == base)


def phased_columns(columns: list[Column], header: list[list[HeaderCell]], body: list[SourceLine],
                   extra: list[Column] | None = None) -> tuple[list[Column], list[int | None]] | None:
    """The columns of a ``phases: true`` template table as the document prints them: the template's text and
    code columns by label, and one amount column per printed (phase, measure). None when the header names no
    budget phase (年初预算数 / 全年预算数 / 预算数) or its measures are mostly not the template's: the table is then
    read by the template's columns as any other — unless the template lists budget columns (a 三公 决算表 printed
    with its 决算数 alone is then read as such, not by position into the budget's columns). A measure's column
    under no phase beside phased ones is its 决算数 (the phase a 决算 table prints without naming it)."""
    width = max([len(line.cells) for line in body] + [c.col + c.colspan for r in header for c in r] + [0])
    stacks = _stacks(header, width)
    read = [_column_phase(stack) for stack in stacks]
    named = [(phase, label) for phase, label, _ in read]
    budget_listed = any(c.kind is CellKind.AMOUNT and split_phase(c.key)[0] is not Phase.ACTUAL for c in columns)
    if not budget_listed and not any(phase in (Phase.INITIAL, Phase.ADJUSTED) for phase, _ in named):
        return None
    texts = [c for c in columns if c.kind is not CellKind.AMOUNT]
    measures = [c for c in columns if c.kind is CellKind.AMOUNT and split_phase(c.key)[0] is Phase.ACTUAL]
    measures += extra or []  # measures only some localities print (the 三公 table's 会议费, 培训费)
    measure_labels = {label_key(_base_label(m)) for m in measures}
    # a measure printed under no phase beside phased ones (合计 | 年初预算数 | 决算数 …) is no third phase: such a
    # column, named like a text column or nothing, stays a text column; one named like a measure is its 决算数
    named = [(Phase.ACTUAL if phase is None and label in measure_labels else phase, label) for phase, label in named]
    out: list[Column] = []
    positions: list[int | None] = []
    used: dict[Phase, set[str]] = {phase: set() for phase in Phase}
    text_used: set[str] = set()
    phased = 0
    for col, (phase, label) in enumerate(named):
        if phase is None:
            text = next((c for c in texts if c.key not in text_used and _same(label, label_key(c.label))), None)
            if text is not None:
                text_used.add(text.key)
                out.append(text)
                positions.append(col)
            continue
        phased += 1
        measure = _match(label, measures, used[phase])
        if measure is None and read[col][2]:  # 本年支出 over 年初预算数 | 决算数: the phase alone names the column
            measure = _match("", measures, used[phase])
        if measure is None:
            continue
        used[phase].add(measure.key)
        key = phase_key(measure.key, phase)
        listed = next((c for c in columns if c.key == key), None)  # the template's label where it lists the column
        out.append(listed or Column(key, f"{phase.value}{_base_label(measure)}", CellKind.AMOUNT))
        positions.append(col)
    if sum(len(keys) for keys in used.values()) * 2 < phased:
        return None
    for index, text in enumerate(texts):  # text columns the header does not name keep their place, if free
        if text.key not in text_used and index < width and index not in positions:
            out.insert(index, text)
            positions.insert(index, index)
    return out, positions


MEETINGS_TOTAL = "all_total"  # a 三公 table's 合计 that adds 会议费 and 培训费 to the three items
_THREE_ITEMS = ("overseas", "vehicles", "reception")
_MEETINGS = ("conference", "training")


def meetings_total(columns: list[Column], rows: list[Row]) -> list[Column]:
    """A 三公 table printing 会议费 and 培训费 beside the three items: where its 合计 is the sum of all five (and not
    of the three), it is no “三公”经费 total — keyed ``all_total`` (``initial_all_total`` …) in the columns returned
    and in ``rows`` (changed in place), so that the text's “三公”经费 and the three items' sum are not compared with
    it. A 合计 of the three keeps its key."""
    keys = {column.key for column in columns}
    out = list(columns)
    for phase in Phase:
        total = phase_key("total", phase)
        meetings = [phase_key(item, phase) for item in _MEETINGS if phase_key(item, phase) in keys]
        if total not in keys or not meetings:
            continue
        three = [phase_key(item, phase) for item in _THREE_ITEMS]
        printed = [row for row in rows if row.amount(total)]
        if not printed or not all(_is_sum(row, total, three + meetings) for row in printed) \
                or all(_is_sum(row, total, three) for row in printed):
            continue
        new = phase_key(MEETINGS_TOTAL, phase)
        out = [Column(new, f"{column.label}（含会议费、培训费）", column.kind) if column.key == total else column
               for column in out]
        for row in rows:
            if total in row.cells:
                row.cells[new] = row.cells.pop(total)
    return out


def _is_sum(row: Row, total: str, parts: list[str]) -> bool:
    values = [row.amount(key) or Decimal(0) for key in parts]
    return row.amount(total) == sum(values, Decimal(0))
