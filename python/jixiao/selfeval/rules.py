"""The rules of the 自评: weights of the 一级 indicators, and how each score is worked out.

Sources (as published by the Ministry of Finance):
- 财预〔2020〕10号《项目支出绩效评价管理办法》: the 自评表 (附件), 预算执行率 weighted 10 and
  the indicators 90 — 产出 50, 效益 30, 服务对象满意度 10 — unless there is cause to change them.
- 财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》: with a 成本
  指标, 成本 20, 产出 40, 效益 20, 满意度 10; a project needing no 满意度 gives its weight to
  效益; within a 一级 the weights are shared equally unless set otherwise. Scoring: a 正向
  quantitative indicator met earns its full weight, else 实际/目标 × 权重; a 反向 one met earns
  it in full, else 目标/实际 × 权重; a qualitative one by grade — 达成 100–80 %, 部分达成
  80–60 %, 未达成 60–0 % of its weight. 预算执行率: 全年执行数 / 全年预算数 × 10, capped at 10.
- Sichuan's 一体化 自评表 (e.g. 青神县 2023) prints 预算执行情况（10分）and 绩效指标（90分）with
  the indicators' own 权重: the targets' own 分值 are used wherever they are given.
Scores have two decimals, rounded half up, as the forms print them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao import framework
from jixiao.values import PERCENT_UNITS, deadline, parse_value

EXECUTION_WEIGHT = Decimal(10)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# 一级 -> weight, with and without a 成本指标 (财预〔2021〕101号; 财预〔2020〕10号)
WITH_COST = {
    "成本指标": Decimal(20),
    "产出指标": Decimal(40),
    "效益指标": Decimal(20),
    "满意度指标": Decimal(10),
}
WITHOUT_COST = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
# Grades of a qualitative indicator: the share of its weight each allows (low, high].
GRADES = {"达成": (Decimal("0.8"), Decimal(1)), "部分达成": (Decimal("0.6"), Decimal("0.8")),
          "未达成": (Decimal(0), Decimal("0.6"))}  # fmt: skip
# Spellings met in published 自评表, longest first so that 部分达成 is not read as 达成.
GRADE_WORDS = (
    ("未达成", "未达成"), ("未完成", "未达成"), ("没有完成", "未达成"), ("未达到", "未达成"),
    ("部分达成", "部分达成"), ("基本达成", "部分达成"),
    ("部分完成", "部分达成"), ("基本完成", "部分达成"),
    ("达成", "达成"), ("已完成", "达成"), ("全部完成", "达成"), ("完成", "达成"),
    ("达到", "达成"), ("实现", "达成"),
)  # fmt: skip
LEVELS = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
_WAN = {"万元": Decimal(10_000), "元": Decimal(1), "亿元": Decimal(100_000_000)}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def level(total: Decimal) -> str:
    """优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 (the grades of 财预〔2020〕10号)."""
    return next(name for name, floor in LEVELS if total >= floor)


def class_weights(classes: Sequence[str], profile: str | None = None) -> dict[str, Decimal]:
    """The weight of each 一级 present (canonical names), summing to 90 with the 10 of 预算执行率.

    A 一级 absent from the project gives its weight to the others: 满意度 to 效益 (财预〔2021〕
    101号), any other in proportion to those present."""
    present = {framework.canonical_class(c, "")[0] for c in classes}
    table = dict(WITH_COST if "成本指标" in present else WITHOUT_COST)
    if "满意度指标" not in present and "效益指标" in present:
        table["效益指标"] += table.pop("满意度指标")
    kept = {name: weight for name, weight in table.items() if name in present}
    if not kept:
        return {}
    spare = sum(table.values()) - sum(kept.values())
    if spare:
        whole = sum(kept.values())
        kept = {name: weight + spare * weight / whole for name, weight in kept.items()}
    return kept


def indicator_weights(
    classes: Sequence[str], own: Sequence[str], profile: str | None = None
) -> list[Decimal]:
    """Each indicator's weight: its own 分值 where every indicator has one, else its 一级's
    weight shared equally among the indicators of that 一级 (two decimals; the last of each
    一级 takes the rounding so that the 一级 sums exactly)."""
    own_numbers = [_number(text) for text in own]
    if own and all(n is not None for n in own_numbers):
        return [n for n in own_numbers if n is not None]
    canonical = [framework.canonical_class(c, "")[0] for c in classes]
    weights = class_weights(canonical, profile)
    counts = {name: canonical.count(name) for name in set(canonical)}
    seen: dict[str, int] = {}
    shares: list[Decimal] = []
    for name in canonical:
        total, count = weights.get(name, Decimal(0)), counts[name]
        seen[name] = seen.get(name, 0) + 1
        share = rounded(total / count)
        if seen[name] == count:
            share = total - share * (count - 1)
        shares.append(rounded(share))
    return shares


def _number(text: str) -> Decimal | None:
    parsed = parse_value(str(text)) if text not in (None, "") else None
    return parsed.number if parsed is not None and parsed.op is None else None


@dataclass(frozen=True)
class Score:
    """An indicator's score by the rule: ``value`` (None where the rule cannot say), how it
    was reached, and the band a clerk's own score must lie in for a graded indicator."""

    value: Decimal | None
    how: str  # quantity, deadline, grade, missing, unreadable, unit
    met: bool | None = None
    band: tuple[Decimal, Decimal] | None = None
    grade: str = ""


def grade_of(text: str) -> str:
    for word, grade in GRADE_WORDS:
        if word in text:
            return grade
    return ""


def _in_unit(number: Decimal, unit: str, target_unit: str) -> Decimal | None:
    """``number`` of ``unit`` in ``target_unit``: 元 and 万元 convert; % and 百分比 are one."""
    if unit == target_unit or not unit:
        return number
    if unit in PERCENT_UNITS and target_unit in PERCENT_UNITS:
        return number
    if unit in _WAN and target_unit in _WAN:
        return number * _WAN[unit] / _WAN[target_unit]
    return None


def score(target: str, actual: str, weight: Decimal, given: Decimal | None = None,
          grade: str = "") -> Score:  # fmt: skip
    """The rule's score of one indicator (see the module's sources)."""
    if not actual.strip() and not grade:
        return Score(None, "missing")
    goal = parse_value(target)
    done = parse_value(actual)
    grade = grade or grade_of(actual)
    if goal.kind == "quantity" and done.kind == "quantity" and goal.number is not None \
            and done.number is not None and deadline(target) is None:  # fmt: skip
        value = _in_unit(done.number, done.unit, goal.unit)
        if value is None:
            return Score(None, "unit")
        return _quantity(goal.op or "=", goal.number, value, weight)
    wanted, reached = deadline(target), deadline(actual, loose=True)
    if wanted and reached and not grade:
        met = (reached[0] or wanted[0], *reached[1:]) <= (wanted[0] or reached[0], *wanted[1:])
        if met:
            return Score(weight, "deadline", True)
        return Score(None, "deadline", False)  # late: graded by the clerk
    if grade:
        low, high = GRADES[grade]
        band = (rounded(weight * low), rounded(weight * high))
        if given is not None:
            return Score(rounded(given), "grade", grade == "达成", band, grade)
        if grade == "达成":
            return Score(rounded(weight), "grade", True, band, grade)
        return Score(None, "grade", False, band, grade)
    return Score(None, "unreadable")


def _quantity(op: str, goal: Decimal, value: Decimal, weight: Decimal) -> Score:
    if op in ("≥", ">"):
        met = value >= goal if op == "≥" else value > goal
        share = Decimal(1) if met else (value / goal if goal else Decimal(0))
    elif op in ("≤", "<"):
        met = value <= goal if op == "≤" else value < goal
        share = Decimal(1) if met else (goal / value if value else Decimal(0))
    else:  # =: full when equal, else by the same ratio, the smaller over the larger
        met = value == goal
        low, high = sorted((value, goal))
        share = Decimal(1) if met else (low / high if high else Decimal(0))
    return Score(rounded(weight * max(Decimal(0), min(Decimal(1), share))), "quantity", met)


def execution(
    budget: Decimal | None, spent: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """(执行率 in percent, its score out of 10), capped at 10; None where not given."""
    if budget is None or spent is None or budget <= 0:
        return None, None
    rate = spent / budget * HUNDRED
    return rounded(rate), rounded(min(EXECUTION_WEIGHT, spent / budget * EXECUTION_WEIGHT))


_SCORE_IN_NAME = re.compile(r"[（(](\d+(?:\.\d+)?)分?[)）]")


def class_score_in_name(name: str) -> Decimal | None:
    """``产出指标(50分)`` -> 50: the weight a form prints beside a 一级."""
    match = _SCORE_IN_NAME.search(name)
    return Decimal(match.group(1)) if match else None
