"""The filled checklist as one self-contained HTML page (inline CSS), the same content as the XLSX."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from deptbudget.render.files import write_text_atomic
from deptbudget.review.engine import ItemResult, Review
from deptbudget.review.structure import PASS
from deptbudget.review.wording import BLANK, counts_line, grade_scale, quotes
from deptbudget.rules.registry import Severity


@dataclass(frozen=True)
class _Row:
    result: ItemResult
    checks: list[str]  # messages of checks that did not pass (or the pass message of a decided deadline)
    passed: str


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("deptbudget.review", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("review.html.j2")


def _row(result: ItemResult) -> _Row:
    checks = [o.message for o in result.outcomes if o.message and (o.status != PASS or not result.findings)
              and not any(o.message in f.message for f in result.findings)]
    return _Row(result, checks, result.item.passed)


def render_review_html(review: Review) -> str:
    by_item = {r.item.id: r for r in review.items}
    groups = [(group, [_row(by_item[item.id]) for item in items]) for group, items in review.checklist.groups()]
    deductions = "；".join(f"{Severity(k).label} {v} 分" for k, v in review.checklist.scoring.deduct.items())
    return _template().render(review=review, d=review.disclosure, groups=groups, counts=counts_line(review),
                              quotes=quotes, scale=grade_scale(review), deductions=deductions,
                              blank=BLANK)


def write_review_html(review: Review, path: str | os.PathLike[str]) -> Path:
    return write_text_atomic(path, render_review_html(review))
