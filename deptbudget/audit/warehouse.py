"""The findings warehouse: DuckDB over an audit's Parquet results (``documents`` and ``findings`` views).

Reads RESULTS/documents.parquet and RESULTS/findings.parquet, or — for a run still going or killed — the
parts under RESULTS/parts/. Every roll-up is a ``Section``: a title, a header and rows of plain values, the
same for the HTML and the XLSX report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from deptbudget.audit.results import DOCUMENTS, FINDINGS, PARTS

WORST = 50  # documents in the list of the worst
UNREADABLE = "无法读取"


class WarehouseError(Exception):
    """RESULTS is not the results folder of an audit; the message names it."""


@dataclass(frozen=True)
class Section:
    key: str  # sheet / anchor name
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    bar: int | None = None  # the column a bar chart is drawn for (HTML)


def _source(results: Path, name: str, kind: str) -> str:
    whole = results / name
    if whole.is_file():
        return str(whole)
    if list((results / PARTS).glob(f"{kind}-*.parquet")):
        return str(results / PARTS / f"{kind}-*.parquet")
    raise WarehouseError(f"{results}：不是审核结果目录，没有 {name} (not audit results: no {name})")


class Warehouse:
    def __init__(self, results: Path) -> None:
        if not results.is_dir():
            raise WarehouseError(f"{results}：目录不存在 (no such folder)")
        self.results = results
        self.db = duckdb.connect()
        for view, name, kind in (("documents", DOCUMENTS, "documents"), ("findings", FINDINGS, "findings")):
            source = _source(results, name, kind).replace("'", "''")
            try:
                self.db.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{source}', union_by_name = true)")
                self.db.execute(f"SELECT count(*) FROM {view}").fetchone()
            except duckdb.Error as exc:
                raise WarehouseError(f"{source}：无法读取 (cannot read): {exc}") from exc
        columns = {name for name, *_ in self.query("DESCRIBE findings")}
        if "file" not in columns:  # results written before findings named their file: each on its document
            self.db.execute("CREATE OR REPLACE VIEW findings AS SELECT *, path AS file FROM "
                            f"read_parquet('{_source(results, FINDINGS, 'findings').replace(chr(39), chr(39) * 2)}', "
                            "union_by_name = true)")

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, parameters or []).fetchall()

    def summary(self) -> Section:
        (documents, read, pages, score, recall, errors, warnings, seconds), = self.query(
            "SELECT count(*), count(template), coalesce(sum(pages), 0), round(avg(score), 1), round(avg(recall), 4), "
            "coalesce(sum(errors), 0), coalesce(sum(warnings), 0), coalesce(sum(seconds), 0) FROM documents")
        (findings,), = self.query("SELECT count(*) FROM findings")
        rows = [("文件 (documents)", documents), ("读入 (read)", read),
                (f"{UNREADABLE} (unreadable)", documents - read), ("页 (pages)", pages),
                ("问题 (findings)", findings), ("错误 (errors)", errors),
                ("警告 (warnings)", warnings), ("平均得分 (mean score)", score),
                ("平均金额召回 (mean recall)", recall), ("审核用时 秒 (worker seconds)", round(seconds, 1))]
        return Section("summary", "概况 (summary)", ("项目", "数值"), rows)

    def by_grade(self) -> Section:
        rows = self.query(
            f"SELECT coalesce(grade, '{UNREADABLE}') AS g, count(*) AS n, "
            "round(100.0 * count(*) / sum(count(*)) OVER (), 1), round(avg(score), 1), min(score), max(score) "
            "FROM documents GROUP BY g ORDER BY max(score) DESC NULLS LAST, g")
        return Section("grades", "按等级 (documents by grade)",
                       ("等级", "文件数", "占比 %", "平均得分", "最低", "最高"), rows, bar=1)

    def by_rule(self) -> Section:
        rows = self.query(
            "SELECT rule, severity, count(*) AS n, count(DISTINCT path) FROM findings "
            "GROUP BY rule, severity ORDER BY n DESC, rule")
        return Section("rules", "按规则 (findings by rule)", ("规则", "严重程度", "问题数", "涉及文件数"), rows, bar=2)

    def _by_document_column(self, column: str, key: str, title: str, label: str) -> Section:
        rows = self.query(
            f"SELECT coalesce(nullif(d.{column}, ''), '—') AS k, count(*) AS n, count(d.template), "
            "coalesce(sum(f.n), 0), coalesce(sum(d.errors), 0), coalesce(sum(d.warnings), 0), round(avg(d.score), 1) "
            "FROM documents d LEFT JOIN (SELECT path, count(*) AS n FROM findings GROUP BY path) f USING (path) "
            "GROUP BY k ORDER BY k")
        return Section(key, title, (label, "文件数", "读入", "问题数", "错误", "警告", "平均得分"), rows, bar=3)

    def by_locality(self) -> Section:
        return self._by_document_column("locality", "localities", "按地区 (by locality)", "地区")

    def by_year(self) -> Section:
        return self._by_document_column("year", "years", "按年度 (by year)", "年度")

    def by_entity(self) -> Section:
        return self._by_document_column("entity", "entities", "按部门 (by department)", "部门")

    def worst(self, limit: int = WORST) -> Section:
        rows = self.query(
            "SELECT path, entity, locality, year, grade, score, errors, warnings, recall FROM documents "
            "WHERE template IS NOT NULL ORDER BY score ASC, errors DESC, warnings DESC, path LIMIT ?", [limit])
        return Section("worst", f"得分最低的 {limit} 个文件 (the worst documents)",
                       ("文件", "部门", "地区", "年度", "等级", "得分", "错误", "警告", "金额召回"), rows)

    def unreadable(self) -> Section:
        rows = self.query("SELECT path, entity, locality, year, error FROM documents WHERE template IS NULL "
                          "ORDER BY path")
        return Section("unreadable", f"{UNREADABLE}的文件 (unreadable documents)",
                       ("文件", "部门", "地区", "年度", "原因"), rows)

    def findings(self, limit: int | None = None) -> Section:
        """Every finding (the first ``limit``), worst severity first, with the file and page it is on (for a
        disclosure read from two files, the 报表's for a finding on one of its tables)."""
        sql = ("SELECT coalesce(f.file, f.path), d.entity, f.page, f.rule, f.severity, f.\"table\", f.\"row\", "
               "f.\"column\", f.expected, f.actual, f.message FROM findings f LEFT JOIN documents d USING (path) "
               "ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
               "f.path, f.file, f.page, f.rule")
        rows = self.query(sql + (f" LIMIT {int(limit)}" if limit is not None else ""))
        return Section("findings", "问题清单 (findings)", ("文件", "部门", "页", "规则", "严重程度", "表", "行", "列",
                                                        "应为", "实为", "说明"), rows)

    def count_findings(self) -> int:
        return int(self.query("SELECT count(*) FROM findings")[0][0])

    def sections(self) -> list[Section]:
        return [self.summary(), self.by_grade(), self.by_rule(), self.by_locality(), self.by_year(),
                self.by_entity(), self.worst(), self.unreadable()]
