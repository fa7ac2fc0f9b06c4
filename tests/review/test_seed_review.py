"""The seed's narrative reviewed: every real problem found, located and quoted, and nothing else.

The seed is read twice: by this suite's own helper (tests/review/seed_parts.py, the text as printed)
and as the importer saved it (tests/fixtures/luohu-2020-as-published.json). Problems in the seed's
narrative, each with the rule that finds it:

- 第七部分 机关运行经费 “增加 2.67 万元，增长 5.06%”: 2.67 ÷ (55.67 − 2.67) = 5.04% (TEXT-PCT-RECOMPUTE);
- 第七部分 “单位价值 100 以上专用设备”: the unit 万元 is missing (TEXT-AMOUNT-UNIT);
- 第八部分 名词解释 “其他技术与开发支出”: the 2020 name is 其他技术研究与开发支出 (TEXT-CATALOG-NAME);
- 第一部分 “大梧桐新兴业带”: 大梧桐新兴产业带 as 表13 spells it — found as a note (TEXT-TERM-TYPO): a one-character
  difference from a name in the tables is a strong hint, not proof, so a person confirms it;
- 第二/第三部分: 人员 + 公用 + 对个人和家庭 + 项目 = 17,144.14 ≠ 17,144.13 (rounding, a note: TEXT-SUM-PARTS);
- 第二/第三部分 use half-width “, : ( )” in Chinese text (a note: TEXT-PUNCT-WIDTH).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deptbudget.catalog import load_catalog
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.serialize import loads
from deptbudget.review.engine import Reviewer, load_rules
from deptbudget.rules.registry import Finding, RuleContext, RuleSettings, Severity, run_rules
from tests.review.seed_parts import seed_disclosure

AS_PUBLISHED = Path(__file__).resolve().parents[1] / "fixtures" / "luohu-2020-as-published.json"

# (rule, severity, table, row, words of the quoted sentence, expected)
EXPECTED = {
    ("TEXT-PCT-RECOMPUTE", Severity.ERROR, "第七部分", "一、机关运行经费 第1段", "增加2.67万元，增长5.06%", "5.04%"),
    ("TEXT-AMOUNT-UNIT", Severity.ERROR, "第七部分", "二、国有资产占有使用情况 第2段", "单位价值100以上专用设备",
     "100万元"),
    ("TEXT-CATALOG-NAME", Severity.ERROR, "第八部分", "九、支出功能分类 第3段", "其他技术与开发支出：指用于",
     "其他技术研究与开发支出"),
    ("TEXT-TERM-TYPO", Severity.NOTE, "第一部分", "三、2020年主要工作目标 第3段", "聚焦大梧桐新兴业带产业集聚",
     "大梧桐新兴产业带"),
    ("TEXT-SUM-PARTS", Severity.NOTE, "第二部分", "第2段", "项目支出16,425.30万元", "17,144.13"),
    ("TEXT-SUM-PARTS", Severity.NOTE, "第三部分", "第1段", "罗湖区科技创新局预算17,144.13万元", "17,144.13"),
    ("TEXT-PUNCT-WIDTH", Severity.NOTE, "第二部分", "第1段", "增长1.77%,其中:财政预算拨款", "全角标点"),
    ("TEXT-PUNCT-WIDTH", Severity.NOTE, "第三部分", "第1段", "罗湖区科技创新局预算17,144.13万元,包括", "全角标点"),
}


def text_findings(disclosure: Disclosure) -> list[Finding]:
    rules = [r for r in load_rules() if r.id.startswith("TEXT-")]
    return run_rules(disclosure, RuleContext(load_catalog(2020), RuleSettings("shenzhen-15")), rules)


def matches(found: list[Finding]) -> set[tuple[str, Severity | None, str | None, str | None, str, str | None]]:
    out = set()
    for f in found:
        words = next((e[4] for e in EXPECTED if e[0] == f.rule and e[2] == f.table and e[4] in (f.actual or "")),
                     f.actual or "")
        out.add((f.rule, f.severity, f.table, f.row, words, f.expected))
    return out


def test_seed_parts_read_by_the_helper() -> None:
    assert matches(text_findings(seed_disclosure())) == EXPECTED


@pytest.mark.skipif(not AS_PUBLISHED.exists(), reason="the importer's fixture of the seed is not there")
def test_seed_as_published_by_the_importer() -> None:
    assert matches(text_findings(loads(AS_PUBLISHED.read_bytes()))) == EXPECTED


def test_seed_checklist_places_each_problem_on_its_item_with_the_quote() -> None:
    review = Reviewer().review(loads(AS_PUBLISHED.read_bytes()), source=str(AS_PUBLISHED))
    by_item = {r.item.id: r for r in review.items}
    assert review.verdict(by_item["glossary"].status) == "否"
    assert review.verdict(by_item["other_notes"].status) == "否"
    assert review.verdict(by_item["T5"].status) == "否"  # 表5 is listed in the contents but missing
    assert review.verdict(by_item["T14"].status) == "否"  # 1,7144.13
    assert review.verdict(by_item["timeliness"].status) == "未提供"
    pct = next(f for f in by_item["other_notes"].findings if f.rule == "TEXT-PCT-RECOMPUTE")
    assert "增长5.06%" in (pct.actual or "")
    typo = next(f for f in by_item["functions"].findings if f.rule == "TEXT-TERM-TYPO")
    assert review.verdict(by_item["functions"].status) == "是" and "大梧桐新兴业带" in typo.message
    # the growth rate is reported once: NAR-GROWTH-RATE says the same thing at the same place
    assert not [f for f in review.findings if f.rule == "NAR-GROWTH-RATE"]
    assert review.grade.grade in ("中", "差")
