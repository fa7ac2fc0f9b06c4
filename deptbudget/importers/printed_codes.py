"""A 收支总表 prints its 支出 side by name only; the codes the reader gives those names come from the
year's catalog, which may lack a 款 the document's year introduced (20140 信访事务 is a 项 2010308 in the
2020 catalog). The same document prints code and name side by side in its 功能分类 tables: where it does,
the name means the code printed beside it (the nearest under the row's printed parent when a name such as
行政运行 is printed under several)."""

from __future__ import annotations

from collections.abc import Iterable

from deptbudget.importers.codes import code_level, name_form, parent_code
from deptbudget.importers.report import TableReport
from deptbudget.model.disclosure import Row, Table

_KIND = "exp_func"


def printed_codes(tables: Iterable[Table]) -> dict[str, list[str]]:
    """Name → the 功能分类 codes the tables print beside it, in first-printed order."""
    out: dict[str, list[str]] = {}
    for table in tables:
        if table.column("code") is None or table.column("name") is None:
            continue
        for row in table.rows:
            code = row.cell("code").text.replace(" ", "")
            name = name_form(row.cell("name").text)
            if name and code_level(_KIND, code) is not None and code not in out.setdefault(name, []):
                out[name].append(code)
    return out


def _exp_code(row: Row) -> tuple[int, str] | None:
    for i, part in enumerate(row.key.split(";")):
        if part.startswith("exp="):
            return i, part[4:]
    return None


def recode_by_printed_codes(table: Table, printed: dict[str, list[str]], report: TableReport) -> None:
    """Give the 支出 names of a two-sided table the codes the document prints beside them elsewhere."""
    if not printed or table.column("exp_item") is None:
        return
    path: dict[int, str] = {}  # the current code at each level
    for row in table.rows:
        found = _exp_code(row)
        name = name_form(row.cell("exp_item").text)
        if found is None or not name:
            continue
        at, code = found
        candidates = printed.get(name, [])
        if code not in candidates:
            placed = [c for c in candidates if _under(c, path)]
            chosen = placed if len(placed) == 1 else candidates if len(candidates) == 1 else []
            if chosen:
                report.note(f"“{row.cell('exp_item').text}”按本文件所印科目编码识别为 {chosen[0]}（原按名称识别为 "
                            f"{code}）(code as printed elsewhere in the document)")
                code = chosen[0]
                parts = row.key.split(";")
                parts[at] = f"exp={code}"
                row.key = ";".join(parts)
                row.level = code_level(_KIND, code) or row.level
        if code_level(_KIND, code) is not None:
            path = {length: c for length, c in path.items() if length < len(code)}
            path[len(code)] = code


def _under(code: str, path: dict[int, str]) -> bool:
    """The code belongs under the current row of the level above it (a 类 belongs anywhere)."""
    parent = parent_code(_KIND, code)
    return parent is None or path.get(len(parent)) == parent
