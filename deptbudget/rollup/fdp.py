"""The roll-ups' lines as a Fiscal Data Package (Frictionless Data, fiscal profile 0.3) for open-data portals.

DIR/datapackage.json describes one CSV resource, ``budget.csv``: a row per department (administrative
classification: locality › department), fiscal year, phase (approved budget / executed final accounts) and
either a 功能分类 项 with 基本 / 项目 (measure ``functional-amount``) or a 经济分类 款 of 一般公共预算基本支出
(measure ``economic-amount``), each row filling one of the two measures — so each sums without counting twice.
Amounts are in 元 (CNY, factor 1), written as the exact decimals of the lines (two places, never a float); the
model maps the columns to the dimensions: functional and economic classification (类 › 款 › 项 as parent
attributes), administrative classification, date, phase and expenditure type.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from deptbudget.rollup.lines import ECON, FUNC
from deptbudget.rollup.warehouse import ALL, Filter, Rollups

PACKAGE = "datapackage.json"
RESOURCE = "budget.csv"
PHASES = {"approved": "预算", "executed": "决算"}

# (field, Table Schema type, title)
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("year", "integer", "预算年度"), ("phase", "string", "阶段"), ("phase_label", "string", "阶段名称"),
    ("locality", "string", "地区"), ("department", "string", "部门（单位）"),
    ("func_class_code", "string", "功能分类 类 编码"), ("func_class_name", "string", "功能分类 类 名称"),
    ("func_section_code", "string", "功能分类 款 编码"), ("func_section_name", "string", "功能分类 款 名称"),
    ("func_item_code", "string", "功能分类 项 编码"), ("func_item_name", "string", "功能分类 项 名称"),
    ("expenditure_type", "string", "支出类型（基本支出 / 项目支出）"),
    ("econ_class_code", "string", "经济分类 类 编码"), ("econ_class_name", "string", "经济分类 类 名称"),
    ("econ_item_code", "string", "经济分类 款 编码"), ("econ_item_name", "string", "经济分类 款 名称"),
    ("functional_amount", "number", "一般公共预算支出（元）"),
    ("economic_amount", "number", "一般公共预算基本支出（元）"),
)


def _attributes(*pairs: tuple[str, str | None, str | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, source, extra in pairs:
        attribute: dict[str, Any] = {"source": source}
        if extra and extra.startswith("label:"):
            attribute["labelfor"] = extra.removeprefix("label:")
        elif extra:
            attribute["parent"] = extra
        out[name] = attribute
    return out


def descriptor(name: str, title: str) -> dict[str, Any]:
    """The datapackage.json of the package: resource, its Table Schema and the fiscal model."""
    measures = {
        "functional-amount": {"source": "functional_amount", "currency": "CNY", "factor": 1, "unit": "元",
                              "direction": "expenditure", "title": "一般公共预算支出（按功能分类）"},
        "economic-amount": {"source": "economic_amount", "currency": "CNY", "factor": 1, "unit": "元",
                            "direction": "expenditure", "title": "一般公共预算基本支出（按经济分类）"},
    }
    dimensions = {
        "functional-classification": {
            "dimensionType": "classification", "classificationType": "functional",
            "attributes": _attributes(("class", "func_class_code", None),
                                      ("class_label", "func_class_name", "label:class"),
                                      ("section", "func_section_code", "class"),
                                      ("section_label", "func_section_name", "label:section"),
                                      ("code", "func_item_code", "section"), ("label", "func_item_name", "label:code")),
            "primaryKey": ["code"]},
        "economic-classification": {
            "dimensionType": "classification", "classificationType": "economic",
            "attributes": _attributes(("class", "econ_class_code", None),
                                      ("class_label", "econ_class_name", "label:class"),
                                      ("code", "econ_item_code", "class"), ("label", "econ_item_name", "label:code")),
            "primaryKey": ["code"]},
        "administrative-classification": {
            "dimensionType": "classification", "classificationType": "administrative",
            "attributes": _attributes(("locality", "locality", None), ("department", "department", "locality")),
            "primaryKey": ["locality", "department"]},
        "date": {"dimensionType": "datetime", "attributes": _attributes(("year", "year", None)),
                 "primaryKey": ["year"]},
        "phase": {"dimensionType": "other", "attributes": _attributes(("phase", "phase", None),
                                                                      ("label", "phase_label", "label:phase")),
                  "primaryKey": ["phase"]},
        "expenditure-type": {"dimensionType": "other", "attributes": _attributes(("type", "expenditure_type", None)),
                             "primaryKey": ["type"]},
    }
    return {
        "name": name, "title": title, "profile": "fiscal-data-package", "profiles": {"fiscal": "*", "tabular": "*"},
        "countryCode": "CN", "granularity": "aggregated",
        "resources": [{"name": "budget", "path": RESOURCE, "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "profile": "tabular-data-resource",
                       "schema": {"fields": [{"name": f, "type": t, "title": label} for f, t, label in FIELDS]}}],
        "model": {"measures": measures, "dimensions": dimensions},
    }


_NAMES = ("CREATE OR REPLACE TEMP TABLE code_names AS SELECT measure, code, min(name) AS name FROM cube "
          "GROUP BY ALL")


def _rows_sql(where: str, target: str) -> str:
    """COPY of the package's rows, from the roll-ups' ``measured`` view (see ``Rollups``), into ``target``."""
    phase = "CASE WHEN m.kind LIKE '%决算%' THEN 'executed' ELSE 'approved' END"
    func = (f"SELECT CAST(m.year AS INTEGER) AS year, {phase} AS phase, m.locality, m.entity AS department, "
            "left(m.code, 3) AS func_class_code, c1.name AS func_class_name, left(m.code, 5) AS func_section_code, "
            "c2.name AS func_section_name, m.code AS func_item_code, m.name AS func_item_name, "
            "CASE m.col WHEN 'basic' THEN '基本支出' WHEN 'project' THEN '项目支出' ELSE '' END AS expenditure_type, "
            "NULL AS econ_class_code, NULL AS econ_class_name, NULL AS econ_item_code, NULL AS econ_item_name, "
            "m.amount AS functional_amount, NULL AS economic_amount FROM measured m "
            f"LEFT JOIN code_names c1 ON c1.measure = '{FUNC}' AND c1.code = left(m.code, 3) "
            f"LEFT JOIN code_names c2 ON c2.measure = '{FUNC}' AND c2.code = left(m.code, 5) "
            f"WHERE m.measure = '{FUNC}' AND m.level = 3 AND (m.col IN ('basic', 'project') OR (m.col = 'total' AND "
            f"NOT EXISTS (SELECT 1 FROM measured x WHERE x.path = m.path AND x.measure = '{FUNC}' AND x.level = 3 "
            "AND x.code = m.code AND x.col IN ('basic', 'project'))))")
    econ = (f"SELECT CAST(m.year AS INTEGER), {phase}, m.locality, m.entity, NULL, NULL, NULL, NULL, NULL, NULL, "
            "'基本支出', left(m.code, 3), c1.name, m.code, m.name, NULL, m.amount FROM measured m "
            f"LEFT JOIN code_names c1 ON c1.measure = '{ECON}' AND c1.code = left(m.code, 3) "
            f"WHERE m.measure = '{ECON}' AND m.level = 2 AND m.col = 'total'")
    body = (f"SELECT *, CASE phase WHEN 'approved' THEN '{PHASES['approved']}' ELSE '{PHASES['executed']}' END "
            f"AS phase_label FROM ({func} UNION ALL {econ}) WHERE try_cast(year AS INTEGER) IS NOT NULL AND {where}")
    columns = ", ".join(f for f, _, _ in FIELDS)
    quoted = target.replace("'", "''")
    return f"COPY (SELECT {columns} FROM ({body}) ORDER BY ALL) TO '{quoted}' (HEADER, DELIMITER ',')"


def write_package(rollups: Rollups, output: Path, scope: Filter = ALL, name: str = "deptbudget-rollup",
                  title: str = "部门预算汇总") -> Path:
    """DIR/datapackage.json and DIR/budget.csv (created; written into a staging folder, then moved)."""
    where, values = scope.where()
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".deptbudget-fdp-", dir=output) as staging:
        stage = Path(staging)
        rollups.db.execute(_NAMES)
        rollups.db.execute(_rows_sql(where, str(stage / RESOURCE)), values)
        (stage / PACKAGE).write_text(json.dumps(descriptor(name, title), ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
        for file in (RESOURCE, PACKAGE):
            shutil.move(str(stage / file), output / file)
    return output / PACKAGE
