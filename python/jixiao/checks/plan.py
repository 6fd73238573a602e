"""资金支出计划（%）: cumulative shares never fall and end at 100%."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks import Context, check, project_at
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Project
from jixiao.values import parse_value

FALLS = FindingSpec(
    "plan.order",
    "error",
    "资金支出计划中“{label}”的 {value} 小于前一期的 {previous}",
    "支出计划是累计进度，后一期不应小于前一期",
)
NOT_FULL = FindingSpec(
    "plan.end",
    "error",
    "资金支出计划最后一期“{label}”为 {value}，不是 100%",
    "年底累计支出进度应为 100%",
)
NOT_PERCENT = FindingSpec(
    "plan.value",
    "error",
    "资金支出计划“{label}”的“{value}”不是百分比",
    "填写累计支出百分比，如 25%",
)


@check(FALLS, NOT_FULL, NOT_PERCENT)
def spending_plan(project: Project, ctx: Context) -> Iterator[Finding]:
    if not project.spending_plan:
        return
    fallback = project_at(project, "spending_plan") or project_at(project, "plan")
    previous = None
    for point in project.spending_plan:
        where = point.source or fallback
        value = parse_value(point.value)
        if value.number is None or not (value.is_percent or value.unit == ""):
            yield NOT_PERCENT.at(where, label=point.label, value=point.value)
            return
        if previous is not None and value.number < previous[1]:
            yield FALLS.at(where, label=point.label, value=point.value, previous=previous[0])
        previous = (point.value, value.number)
    last = project.spending_plan[-1]
    if previous is not None and previous[1] != 100:
        yield NOT_FULL.at(last.source or fallback, label=last.label, value=last.value)
