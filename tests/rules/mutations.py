"""Single random changes to a Disclosure, for the mutation test (tests/rules/test_mutations.py).

Each mutator changes one thing the way a person preparing or typesetting a document could get it
wrong, and returns a description of the change (None when the document offers nothing to change).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Cell, CellKind, Disclosure, Row, Table
from deptbudget.model.narrative_text import find_mentions

_FIGURE_RE = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?=\s*(?:万元|%))")
_FILLER = "的之和与及其他经费项目专款补助"


@dataclass(frozen=True)
class Mutation:
    kind: str
    description: str


def _fmt(value: Decimal, like: str) -> str:
    places = len(like.split(".")[1]) if "." in like else (2 if like == "" else 0)
    text = f"{value:,.{places}f}" if "," in like or like == "" else f"{value:.{places}f}"
    return text


def _amount_cells(d: Disclosure) -> list[tuple[Table, Row, str, Cell]]:
    return [(t, r, k, c) for t in d.tables for r in t.rows for k, c in r.cells.items()
            if c.kind == CellKind.AMOUNT and c.value is not None]


def change_amount(d: Disclosure, rng: random.Random) -> str | None:
    """An amount changed by more than rounding could explain (≥ 0.20 万元)."""
    cells = _amount_cells(d)
    table, row, key, cell = rng.choice(cells)
    old = cell.value or Decimal(0)
    delta = Decimal(rng.randint(20, 999)) / 100 if rng.random() < 0.5 else Decimal(rng.randint(10, 5000))
    new = old - delta if rng.random() < 0.5 and old - delta >= 0 else old + delta
    cell.value = new
    cell.text = _fmt(new, cell.text)
    return f"{table.id}{'/' + table.instance if table.instance else ''} {row.key}.{key}: {old} → {new}"


def _code_rows(d: Disclosure) -> list[tuple[Table, Row, str]]:
    out = []
    for table in d.tables:
        for row in table.rows:
            if table.id in ("T1", "T6"):
                code = row.key.rsplit("exp=", 1)[-1]
            elif table.id == "T4":
                code = row.key
            elif table.id in ("T5", "T7", "T8", "T9", "T10"):
                code = row.cells["code"].text if "code" in row.cells else ""
            else:
                continue
            if code.isdigit():
                out.append((table, row, code))
    return out


def _set_code(table: Table, row: Row, old: str, new: str) -> None:
    if table.id in ("T1", "T6"):
        row.key = row.key.rsplit("exp=", 1)[0] + f"exp={new}"
    elif table.id in ("T4", "T7", "T8", "T9"):
        row.key = new
    else:
        row.key = row.key.replace(f":{old}", f":{new}")
    if "code" in row.cells:
        row.cells["code"].text = new


def swap_code(d: Disclosure, rng: random.Random) -> str | None:
    """A code replaced by another code of the same level, or two codes swapped within a table."""
    rows = _code_rows(d)
    table, row, code = rng.choice(rows)
    same = [(t, r, c) for t, r, c in rows if t is table and len(c) == len(code) and c != code]
    if same and rng.random() < 0.5:
        _, other_row, other = rng.choice(same)
        _set_code(table, row, code, other)
        _set_code(table, other_row, other, code)
        return f"{table.id} swapped {code} ↔ {other}"
    kind = "dep_bgt_eco" if table.id == "T4" else "exp_func"
    choices = [e.code for e in load_catalog(d.fiscal_year).entries(kind) if len(e.code) == len(code) and e.code != code]
    new = rng.choice(choices)
    _set_code(table, row, code, new)
    return f"{table.id} {code} → {new}"


def drop_row(d: Disclosure, rng: random.Random) -> str | None:
    """A row of a table left out."""
    rows = [(t, r) for t in d.tables if t.layout == "grid" for r in t.rows]
    table, row = rng.choice(rows)
    table.rows.remove(row)
    return f"{table.id} dropped {row.key}"


_NAME_COLUMNS = {"T1": ("exp_item", "income_item"), "T6": ("exp_item", "income_item"), "T4": ("name",),
                 "T7": ("name", "unit"), "T8": ("unit",), "T9": ("unit",), "T5": ("name", "func_name"),
                 "T2": ("unit",), "T3": ("unit",), "T12": ("unit",), "T13": ("name", "unit")}


def _name_cells(d: Disclosure) -> list[tuple[Table, Row, str]]:
    out = []
    for table in d.tables:
        if table.id in ("T14", "T15"):
            out += [(table, row, "value") for row in table.rows if row.key in ("unit", "pro_name")]
            continue
        for column in _NAME_COLUMNS.get(table.id, ()):
            out += [(table, row, column) for row in table.rows if row.cells.get(column) and row.cells[column].text]
    return out


def alter_name(d: Disclosure, rng: random.Random) -> str | None:
    """A classification, project or unit name misspelt: a character added, dropped or replaced."""
    table, row, column = rng.choice(_name_cells(d))
    cell = row.cells[column]
    old = cell.text
    at = rng.randrange(len(old))
    how = rng.choice(("add", "drop", "replace")) if len(old) > 1 else "add"
    char = rng.choice([c for c in _FILLER if c != old[at]])
    if how == "add":
        new = old[:at] + char + old[at:]
    elif how == "drop":
        new = old[:at] + old[at + 1:]
    else:
        new = old[:at] + char + old[at + 1:]
    cell.text = new
    return f"{table.id}{'/' + table.instance if table.instance else ''} {row.key}.{column}: {old} → {new}"


def change_text_figure(d: Disclosure, rng: random.Random) -> str | None:
    """A figure stated in the narrative changed in its paragraph (an amount or a growth rate)."""
    before = [(m.key, m.value) for m in find_mentions(d.parts)]
    places = []
    for part in d.parts:
        for section in part.sections:
            for index, paragraph in enumerate(section.paragraphs):
                for match in _FIGURE_RE.finditer(paragraph):
                    places.append((part, section, index, match))
    for _ in range(50):
        part, section, index, match = rng.choice(places)
        text = section.paragraphs[index]
        old = match["num"]
        value = Decimal(old.replace(",", ""))
        delta = Decimal(rng.randint(1, 99)) / (100 if "." in old else 1) * (1 + rng.randint(0, 20))
        new_value = value + delta if rng.random() < 0.5 or value - delta < 0 else value - delta
        new = _fmt(new_value, old)
        section.paragraphs[index] = text[:match.start()] + new + text[match.end():]
        if [(m.key, m.value) for m in find_mentions(d.parts)] != before:
            return f"第{part.number}部分 paragraph {index}: {old} → {new}"
        section.paragraphs[index] = text  # not a figure the narrative states (e.g. "单价50万元以上"): retry
    return None


MUTATORS: dict[str, Callable[[Disclosure, random.Random], str | None]] = {
    "amount": change_amount,
    "code": swap_code,
    "row": drop_row,
    "name": alter_name,
    "narrative": change_text_figure,
}
