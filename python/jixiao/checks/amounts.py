"""Amounts: 总计 = its sources, subtotals and 合计 = their parts, costs within the budget.

Amounts are 万元 with two decimals, each rounded on its own; a sum of n of them may
differ from the rounded total by up to n × 0.005. Such a difference is 尾差 (a warning);
anything larger is an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.checks import Context, at, check, project_at
from jixiao.findings import FindingSpec
from jixiao.model import Finding, Project, SourceLocation
from jixiao.values import parse_value
from jixiao.workbook import WorkbookRead

HALF_CENT = Decimal("0.005")
PARTS = ("fiscal", "special_account", "other")

SUM = FindingSpec(
    "amount.sum",
    "error",
    "{what} {total} 万元与{parts}之和 {sum} 万元相差 {difference} 万元",
    "核对金额，使{what}等于{parts}之和",
)
ROUNDING = FindingSpec(
    "amount.rounding",
    "warning",
    "尾差：{what} {total} 万元与{parts}之和 {sum} 万元相差 {difference} 万元（在四舍五入误差之内）",
    "通常由各数分别四舍五入造成；如需一致，调整其中一个金额",
)
COST_OVER = FindingSpec(
    "budget.cost_over",
    "error",
    "成本指标“{name}”的 {value} 超过项目预算 {budget} 万元",
    "成本上限不应超过项目预算数",
)
COST_SUM = FindingSpec(
    "budget.cost_sum",
    "warning",
    "各项成本指标上限合计 {sum} 万元，超过项目预算 {budget} 万元",
    "成本指标应是预算的分项；若其中一项是总额，其余分项之和不应再超过它",
)
WAN = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}


def _sum(values: Sequence[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _compare(
    where: SourceLocation | None,
    what: str,
    total: Decimal | None,
    parts: str,
    values: Sequence[Decimal | None],
    count: int,
) -> Finding | None:
    """A finding when a written total differs from the sum of its parts, else ``None``."""
    if total is None or all(v is None for v in values):
        return None
    computed = _sum(values)
    difference = abs(total - computed)
    if difference == 0:
        return None
    spec = ROUNDING if difference <= HALF_CENT * count else SUM
    return spec.at(
        where,
        what=what,
        total=f"{total:,.2f}",
        parts=parts,
        sum=f"{computed:,.2f}",
        difference=f"{difference:,.2f}",
    )


@check(SUM, ROUNDING)
def project_sources(project: Project, ctx: Context) -> Iterator[Finding]:
    amounts = project.amounts
    values = [getattr(amounts, f) for f in PARTS]
    what = f"项目“{project.name}”的总计"
    parts = "财政拨款、财政专户拨款和其他资金"
    finding = _compare(project_at(project, "total"), what, amounts.total, parts, values, len(PARTS))
    if finding is not None:
        yield finding


@check(SUM, ROUNDING, scope="workbook")
def subtotals(workbook: WorkbookRead, ctx: Context) -> Iterator[Finding]:
    units = [t for t in workbook.totals if not t.is_grand_total]
    by_unit: dict[str, list[Decimal | None]] = {}
    for project in workbook.projects:
        by_unit.setdefault(project.unit.name, []).append(project.amounts.total)
    for row in workbook.totals:
        if row.is_grand_total and units:
            members = [u.amounts.get("total") for u in units]
            what, parts = "合计", "各单位小计"
        elif row.is_grand_total:
            members = [p.amounts.total for p in workbook.projects]
            what, parts = "合计", "各项目总计"
        else:
            members = by_unit.get(row.label, [])
            what, parts = f"单位“{row.label}”小计", "本单位各项目总计"
        if not members:
            continue
        count = len(workbook.projects) if row.is_grand_total else len(members)
        finding = _compare(
            row.cells.get("total"), what, row.amounts.get("total"), parts, members, count
        )
        if finding is not None:
            yield finding


@check(COST_OVER, COST_SUM)
def costs_within_budget(project: Project, ctx: Context) -> Iterator[Finding]:
    """Cost ceilings are parts of the budget.

    Tables often list the whole budget as one cost line and then its breakdown (seed 000,
    系统性审判业务费: ≤258万元 total, then items summing to 254). A line equal to the budget
    that covers the others is read as that total, and the rest is compared with it.
    """
    budget = project.amounts.total
    if budget is None:
        return
    ceilings: list[Decimal] = []
    over = False
    for item in project.indicators:
        if item.raw is not None or not ("成本" in item.l2 or item.l1 == "成本指标"):
            continue
        value = parse_value(item.annual_value)
        if value.number is None or value.unit not in WAN or value.op in ("≥", ">"):
            continue
        amount = value.number * WAN[value.unit]
        if value.unit != "元" and amount > budget:
            over = True
            yield COST_OVER.at(
                at(item, "annual_value"),
                name=item.l3,
                value=item.annual_value,
                budget=f"{budget:,.2f}",
            )
        ceilings.append(amount)
    total = sum(ceilings, Decimal(0))
    largest = max(ceilings, default=Decimal(0))
    if largest == budget and total - largest <= largest:
        total = largest
    if total > budget and not over:  # one ceiling over the budget has been reported
        yield COST_SUM.at(
            project_at(project, "total"), sum=f"{total:,.2f}", budget=f"{budget:,.2f}"
        )
