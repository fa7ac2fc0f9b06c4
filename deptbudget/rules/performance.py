"""Performance target tables (表14, 表15): 测算明细 arithmetic, indicator completeness, measurable targets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from deptbudget.model.disclosure import Disclosure, Row, RowKind, Table
from deptbudget.model.targets import QUALITATIVE, parse_target
from deptbudget.rules._common import (
    CENT,
    ZERO,
    field_amount,
    fmt,
    is_t15,
    label,
    per_table,
    role_of,
    row_text,
    t15_tables,
    t15_where,
)
from deptbudget.rules.registry import Finding, RuleContext, Severity, rule
from deptbudget.template import Role

_WAN = Decimal(10000)
# Money in a 测算明细: 万元, 万 (before punctuation; "30 万m²" is an area) or 元 (not 元/家次, a unit price).
_MONEY_RE = re.compile(r"(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?P<unit>万元|万(?=[,，;；。:：、)）]|$)|元(?![/／]))")
_TOTAL_RE = re.compile(r"(?:合计|共计|总计)[为是:：]?约?(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?P<unit>万元|万|元)")
_EQUALS_RE = re.compile(r"[=＝]")
_TOKEN_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)|(?P<op>[*×xX+＋\-－/÷])|(?P<other>.)", re.S)
_CLAUSE_SPLIT = re.compile(r"[，,；;。:：、\n]")
_ENUM_RE = re.compile(r"(?:^|(?<=[。；;，,\s]))(?P<open>[(（]?)(?P<n>\d{1,2})(?P<close>[)）、]|[.．](?!\d))")
_RATE_RE = re.compile(r"每|单价|月租金|月均|元/|/月|/年")
_MULTIPLIER_RE = re.compile(r"[*×]\s*(?P<n>\d+(?:\.\d+)?)")
_WS = re.compile(r"\s+")
_OPS = {"*": "*", "×": "*", "x": "*", "X": "*", "+": "+", "＋": "+", "-": "-", "－": "-", "/": "/", "÷": "/"}


def _wan(number: str, unit: str) -> Decimal:
    value = Decimal(number.replace(",", "").replace("，", ""))
    return value / _WAN if unit == "元" else value


def _evaluate(tokens: list[tuple[str, str]]) -> Decimal | None:
    """Sum of products of (number, operator) tokens, e.g. 487969*2+502608*10."""
    if not tokens or tokens[0][0] != "num":
        return None
    terms: list[Decimal] = []
    sign, term = Decimal(1), Decimal(tokens[0][1])
    index = 1
    try:
        while index + 1 < len(tokens):
            op, number = tokens[index][1], Decimal(tokens[index + 1][1])
            if op == "*":
                term *= number
            elif op == "/":
                term /= number
            else:
                terms.append(sign * term)
                sign, term = (Decimal(1) if op == "+" else Decimal(-1)), number
            index += 2
    except (DivisionByZero, InvalidOperation):
        return None
    terms.append(sign * term)
    return sum(terms, ZERO)


def _expression(text: str) -> tuple[list[tuple[str, str]], bool]:
    """Numbers and operators of the clause before "=": unit words between them are skipped."""
    clause = _CLAUSE_SPLIT.split(text)[-1]
    clause = _ENUM_RE.sub("", clause)
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN_RE.finditer(clause):
        if match["num"]:
            if tokens and tokens[-1][0] == "num":
                tokens = []  # two numbers with no operator: a new expression starts
            tokens.append(("num", match["num"]))
        elif match["op"] and tokens and tokens[-1][0] == "num":
            tokens.append(("op", _OPS[match["op"]]))
    while tokens and tokens[-1][0] == "op":
        tokens.pop()
    return tokens, any(kind == "op" for kind, _ in tokens)


@dataclass(frozen=True)
class Equation:
    text: str  # as written, whitespace removed
    left: Decimal
    right: Decimal
    right_unit: str
    has_sum: bool


def equations(text: str) -> list[Equation]:
    """Every "a*b+c=d" of a 测算明细 (whitespace removed)."""
    out = []
    for match in _EQUALS_RE.finditer(text):
        tokens, has_op = _expression(text[:match.start()])
        after = _MONEY_RE.match(text, match.end()) or re.match(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>)", text[match.end():])
        if not has_op or after is None:
            continue
        left = _evaluate(tokens)
        if left is None:
            continue
        shown = "".join(value for _, value in tokens)
        out.append(Equation(f"{shown}={after['num']}{after['unit']}", left,
                            Decimal(after["num"].replace(",", "")), after["unit"], "+" in shown or "-" in shown))
    return out


def _items(raw: str) -> list[str]:
    """Top-level numbered items ("1、" "2." or "(1)" — the style of item 1, numbered 1, 2, 3 …)."""
    found = list(_ENUM_RE.finditer(raw))
    first = next((m for m in found if m["n"] == "1"), None)
    if first is None:
        return []
    style = (first["open"], first["close"])
    starts, expected = [], 1
    for match in found:
        if (match["open"], match["close"]) == style and int(match["n"]) == expected and (
                not starts or match.start() > starts[-1]):
            starts.append(match.start())
            expected += 1
    if len(starts) < 2:
        return []
    return [raw[a:b] for a, b in zip(starts, [*starts[1:], len(raw)], strict=True)]


def _principal(item: str) -> Decimal | None:
    """The amount an item stands for: the result of its equation, else its first amount that is no unit price."""
    text = _WS.sub("", item)
    for eq in equations(text):
        return eq.right / _WAN if eq.right_unit == "元" else eq.right
    for clause in _CLAUSE_SPLIT.split(text):
        value = _clause_amount(clause)
        if value is not None:
            return value
    return None


def _clause_amount(clause: str) -> Decimal | None:
    money = [m for m in _MONEY_RE.finditer(clause)]
    if not money:
        return None
    if _RATE_RE.search(clause):
        multiplier = _MULTIPLIER_RE.search(clause)
        if multiplier is None:
            return None  # a unit price or a monthly rate, not a part of the total
        return Decimal(multiplier["n"]) * _wan(money[-1]["num"], money[-1]["unit"])
    return _wan(money[0]["num"], money[0]["unit"])


@dataclass(frozen=True)
class CalcReading:
    total: Decimal | None  # 万元
    how: str  # 合计 / 算式 / 分项
    components: tuple[Decimal, ...]
    mentioned: tuple[Decimal, ...]  # every amount written (万元)


def read_calculation(raw: str) -> CalcReading:
    """What a 测算明细 says the project costs, and how it says it."""
    text = _WS.sub("", raw)
    mentioned = tuple(_wan(m["num"], m["unit"]) for m in _MONEY_RE.finditer(text))
    items = _items(raw)
    if items:
        components = [v for v in (_principal(item) for item in items) if v is not None]
        if items and _TOTAL_RE.search(_WS.sub("", items[-1])):
            last = _TOTAL_RE.split(_WS.sub("", items[-1]))[0]
            value = _principal(last)
            components = components[:-1] + ([value] if value is not None else [])
    else:
        without_total = _TOTAL_RE.sub("", text)
        components = [v for v in (_clause_amount(c) for c in _CLAUSE_SPLIT.split(without_total)) if v is not None]
    totals = list(_TOTAL_RE.finditer(text))
    if totals:
        return CalcReading(_wan(totals[-1]["num"], totals[-1]["unit"]), "合计", tuple(components), mentioned)
    sums = [eq for eq in equations(text) if eq.has_sum]
    if sums:
        eq = sums[-1]
        return CalcReading(eq.right / _WAN if eq.right_unit == "元" else eq.right, "算式", tuple(components), mentioned)
    if components:
        return CalcReading(sum(components, ZERO), "分项", tuple(components), mentioned)
    return CalcReading(None, "", (), mentioned)


def _calculation(table: Table) -> str:
    row = table.row("calculation")
    if row is None:
        for candidate in table.rows:
            if "测算" in row_text(candidate, "level2"):
                row = candidate
                break
    return row_text(row, "name") if row is not None else ""


def _reading(table: Table, ctx: RuleContext) -> CalcReading:
    return per_table(ctx, "calc", table, lambda t: read_calculation(_calculation(t)))


def _rounds_to(value: Decimal, amount: Decimal) -> bool:
    return value.quantize(CENT) == amount or abs(value - amount) < Decimal("0.005")


@rule("PERF-CALC-ARITH", "error", "accuracy", "测算明细中的算式自身算得对（a×b+c×d = e）",
      Finding("测算明细的算式算错：300*450=135500", "表15", "安全生产监督管理经费（专项资金） / 测算明细", "指标内容",
              "135000", "135500"))
def calc_arithmetic(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in t15_tables(disclosure, ctx):
        for eq in equations(_WS.sub("", _calculation(table))):
            step = Decimal(1).scaleb(eq.right.as_tuple().exponent) / 2 if isinstance(
                eq.right.as_tuple().exponent, int) else Decimal("0.5")
            candidates = [eq.left] + ([eq.left / _WAN] if eq.right_unit in ("万元", "万") else [])
            if not any(abs(c - eq.right) <= step for c in candidates):
                yield Finding(f"测算明细的算式算错：{eq.text}", label(table), t15_where(table, "测算明细"), "指标内容",
                              _raw(eq.left), _raw(eq.right))


def _raw(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _plain(value: Decimal) -> str:
    """An amount in 万元 with at least two decimals, more when the text gives more (600.2018)."""
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{value:,.{places}f}"


@rule("PERF-CALC-TOTAL", "error", "accuracy", "测算明细算出的金额（合计、总算式或各分项之和）= 该项目资金总额",
      Finding("测算明细算出的金额与资金总额不一致（算式：487969*2+502608*10=6002018元）", "表15",
              "大梧桐新兴产业带工作经费（国检大厦租金） / 测算明细", "资金总额（万元）", "600.30", "600.2018"))
def calc_total(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in t15_tables(disclosure, ctx):
        amount = field_amount(table, "total")
        text = _calculation(table)
        if amount is None or not text.strip():
            continue
        reading = _reading(table, ctx)
        if reading.total is None or _rounds_to(reading.total, amount):
            continue
        if reading.how == "分项" and any(_rounds_to(v, amount) for v in reading.mentioned):
            continue  # the text names the project's amount itself (e.g. "即我区预算为150万元")
        if reading.how == "合计":
            detail = "所述合计"
        elif reading.how == "算式":
            detail = "算式：" + [e.text for e in equations(_WS.sub("", text)) if e.has_sum][-1]
        else:
            detail = "各分项之和 " + " + ".join(_plain(c) for c in reading.components) + " 万元"
        yield Finding(f"测算明细算出的金额与资金总额不一致（{detail}）", label(table), t15_where(table, "测算明细"),
                      "资金总额（万元）", fmt(amount), _plain(reading.total))


@rule("PERF-CALC-SUM", "error", "accuracy", "测算明细各分项之和 = 其所述合计",
      Finding("测算明细各分项之和与所述合计不一致", "表15", "预算准备金 / 测算明细", "指标内容", "81", "80"))
def calc_sum(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in t15_tables(disclosure, ctx):
        reading = _reading(table, ctx)
        if reading.how != "合计" or len(reading.components) < 2 or reading.total is None:
            continue
        parts = sum(reading.components, ZERO)
        if not _rounds_to(parts, reading.total.quantize(CENT)):
            yield Finding(f"测算明细各分项之和与所述合计不一致（{' + '.join(_plain(c) for c in reading.components)}）",
                          label(table), t15_where(table, "测算明细"), "指标内容", _plain(reading.total), _plain(parts))


# --- indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    row: Row
    level1: str
    level2: str
    name: str
    target: str


def indicator_rows(table: Table) -> list[IndicatorRow]:
    """The indicator rows of a target form, merged 一级/二级 cells carried down."""
    out: list[IndicatorRow] = []
    level1 = level2 = ""
    started = False
    for row in table.rows:
        if row.kind is RowKind.HEADING or row.key == "indicators":
            started = True
            continue
        if row.kind is RowKind.FIELD or not started and "level1" not in row.cells:
            continue
        level1 = row_text(row, "level1") or level1
        level2 = row_text(row, "level2") or level2
        if row.key in ("calculation", "timeliness") or "测算" in level2 or "投入" in level1:
            continue
        out.append(IndicatorRow(row, level1, level2, row_text(row, "name"), row_text(row, "target")))
    return out


def _target_tables(disclosure: Disclosure, ctx: RuleContext) -> list[Table]:
    """The 绩效目标表: the department's and one per project."""
    return [t for t in disclosure.tables if role_of(t, ctx) in (Role.DEPARTMENT_TARGETS, Role.PROJECT_TARGETS)]


def _where(table: Table, what: str, ctx: RuleContext) -> str:
    return t15_where(table, what) if is_t15(table, ctx) else what


def _is_satisfaction(item: IndicatorRow, ctx: RuleContext) -> bool:
    names = ctx.settings.option("satisfaction", ["服务对象满意度指标", "满意度指标"])
    return item.level2 in names or "满意度" in item.level1


def _filled(item: IndicatorRow) -> bool:
    return bool(item.name or item.target)


def _missing(disclosure: Disclosure, ctx: RuleContext, test: str, what: str) -> Iterator[Finding]:
    for table in _target_tables(disclosure, ctx):
        items = [i for i in per_table(ctx, 'indicators', table, indicator_rows) if _filled(i)]
        if not items and role_of(table, ctx) is Role.DEPARTMENT_TARGETS:
            continue
        kinds = {
            "output": lambda i: "产出" in i.level1,
            "outcome": lambda i: "效益" in i.level1 and not _is_satisfaction(i, ctx),
            "satisfaction": lambda i: _is_satisfaction(i, ctx),
        }
        if not any(kinds[test](i) for i in items):
            yield Finding(f"没有{what}", label(table), _where(table, "年度绩效指标", ctx), what, f"至少 1 个{what}",
                          "无")


@rule("PERF-OUTPUT", "error", "completeness", "每张绩效目标表有产出指标",
      Finding("没有产出指标", "表15", "某项目 / 年度绩效指标", "产出指标",
              "至少 1 个产出指标", "无"))
def output_indicators(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    yield from _missing(disclosure, ctx, "output", "产出指标")


@rule("PERF-OUTCOME", "warning", "completeness", "每张绩效目标表有效益指标（经济、社会、生态效益或可持续影响）",
      Finding("没有效益指标", "表15",
              "菁英人才各项综合服务补贴 / 年度绩效指标",
              "效益指标", "至少 1 个效益指标", "无"))
def outcome_indicators(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    yield from _missing(disclosure, ctx, "outcome", "效益指标")


@rule("PERF-SATISFACTION", "warning", "completeness", "每张绩效目标表有满意度指标（深圳表式中为效益指标下的服务对象满"
                                                      "意度指标）",
      Finding("没有满意度指标", "表15", "预算准备金 / 年度绩效指标", "满意度指标",
              "至少 1 个满意度指标", "无"))
def satisfaction_indicators(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    yield from _missing(disclosure, ctx, "satisfaction", "满意度指标")


_RANGE_RE = re.compile(r"^\s*(?:约)?\d+(?:\.\d+)?\s*[-~～至到]\s*\d+(?:\.\d+)?\s*(?P<unit>[^\d\s，,。；;]+)\s*$")
_EACH_RE = re.compile(r"^\s*(?:每(?:人|年|月|季度|次|家|场)|全年|年均|累计)\s*")
_NAME_UNIT_RE = re.compile(r"[（(](?P<unit>[^（）()\d\s]{1,4})[)）]\s*$")  # 举措数量（条）: the unit in the name
_TAIL_TARGET_RE = re.compile(
    r"(?P<t>(?:≥|≤|>=|<=|>|<|=|约|不少于|不低于|不高于|不超过|大于等于|小于等于)?\s*\d+(?:\.\d+)?\s*[^\d\s，,。；;]{0,4})$")


def measurable(target: str, name: str = "") -> tuple[bool, str]:
    """Whether a target is a value with a unit (and a direction, ≥ ≤ = 约 …); why not, in Chinese. The unit may
    be printed in the indicator's name (举措数量（条） ≥20); a target of several values (立项数量≥400个；终验数量≥400个)
    is measurable when each of them is."""
    pieces = [p.strip(" 。") for p in re.split(r"[；;]", target) if p.strip(" 。")]
    if len(pieces) > 1:
        whys = [_measurable_piece(p, name, named=True)[1] for p in pieces]
        return next(((False, why) for why in whys if why), (True, ""))
    return _measurable_piece(target, name, named=False)


def _measurable_piece(target: str, name: str, named: bool) -> tuple[bool, str]:
    text = _EACH_RE.sub("", target.replace("％", "%")).strip()
    if _RANGE_RE.match(text):
        return True, ""
    parsed = parse_target(text)
    if named and parsed.value is None and (tail := _TAIL_TARGET_RE.search(text)):
        parsed = parse_target(tail["t"])  # 项目立项数量≥400个: the value after its own name
    if parsed.direction == QUALITATIVE or parsed.value is None:
        return False, "目标值不是可衡量的数值"
    if not parsed.unit and not _NAME_UNIT_RE.search(name):
        return False, "目标值缺少计量单位"
    return True, ""


@rule("PERF-TARGET-MEASURABLE", "warning", "completeness", "定量指标（数量、质量、时效、成本）有可衡量的目标值：数值、"
                                                           "计量单位和方向（≥、≤、约 …）",
      Finding("质量指标的目标值不是可衡量的数值：党建活动质量", "表15", "基层党组织党建工作经费 / 党建活动质量",
              "目标值",
              "数值 + 单位", "有所提升"))
def measurable_targets(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    kinds = set(ctx.settings.option("measurable_level2", ["数量指标", "质量指标", "时效指标", "成本指标"]))
    for table in _target_tables(disclosure, ctx):
        for item in per_table(ctx, "indicators", table, indicator_rows):
            if item.level2 not in kinds or not _filled(item):
                continue
            target = item.target
            if not target:
                tail = _TAIL_TARGET_RE.search(item.name)
                target = tail["t"] if tail else item.name
            ok, why = measurable(target, item.name)
            if not ok:
                yield Finding(f"{item.level2}的{why}：{item.name}", label(table), _where(table,
                                                                                         item.name or item.level2, ctx),
                              "目标值", "数值 + 单位", target or "（空）", Severity.WARNING)


@rule("PERF-GOALS", "warning", "completeness", "每个项目填写了绩效目标",
      Finding("项目绩效目标未填写", "表15", "某项目 / 项目绩效目标", "项目绩效目标", "绩效目标",
              "（空）"))
def goals(disclosure: Disclosure, ctx: RuleContext) -> Iterator[Finding]:
    for table in t15_tables(disclosure, ctx):
        row = table.row("goals")
        if row is not None and not row_text(row, "value"):
            yield Finding("项目绩效目标未填写", label(table), t15_where(table, "项目绩效目标"), "项目绩效目标",
                          "绩效目标", "（空）")
