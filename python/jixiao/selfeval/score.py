"""Reading filled 自评表 (jixiao's own and other units' published ones) and scoring them.

Every score is worked out by the rules (``rules``) and set beside the one the form prints;
where they differ, or a form leaves out what the rules need, a ``selfeval.*`` finding names
the cell and says how to fix it. The report is data first (``ScoredProject.to_json``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import WorkbookError
from jixiao.files.paths import readable
from jixiao.files.read import read_sheets
from jixiao.findings import FindingSpec
from jixiao.grid import Grid, position
from jixiao.layouts.registry import read_grid
from jixiao.model import Amounts, Finding, Indicator, Project, SourceLocation, Unit
from jixiao.selfeval import rules
from jixiao.selfeval.form import (
    DETAIL_HEADERS,
    DETAIL_SHEET,
    Evaluation,
    _decimal,
    fund_blocks,
    has_own_weights,
    indicator_row,
    total_rows,
    weights_of,
)
from jixiao.selfeval.rules import class_weights
from jixiao.validate import finding_json

ACTUAL_MISSING = FindingSpec(
    "selfeval.actual_missing",
    "warning",
    "三级指标“{name}”没有填写实际完成值",
    "填写实际完成值，如 98%、480人次、11月完成；定性指标写“达成”“部分达成”或“未达成”",
)
NO_REASON = FindingSpec(
    "selfeval.no_reason",
    "warning",
    "三级指标“{name}”未完成目标（{target} → {actual}），没有写偏差原因",
    "在“偏差原因分析及改进措施”中说明未完成的原因和改进措施",
)
OVER_WEIGHT = FindingSpec(
    "selfeval.over_weight",
    "error",
    "三级指标“{name}”的得分 {given} 超过分值 {weight}",
    "得分不能超过分值；按完成情况重新计算",
)
BAND = FindingSpec(
    "selfeval.band",
    "error",
    "三级指标“{name}”评为“{grade}”，得分 {given} 不在 {low}–{high} 之间",
    "“{grade}”的得分应在分值的 {share} 之间；调整得分或等级",
)
SCORE_DIFFERS = FindingSpec(
    "selfeval.score_differs",
    "warning",
    "三级指标“{name}”表中得分 {given}，按规则应为 {expected}（{target} → {actual}）",
    "正向指标未达成按 实际/目标×分值，反向指标按 目标/实际×分值；核对后改正得分",
)
TOTAL = FindingSpec(
    "selfeval.total",
    "error",
    "项目“{project}”的总分 {given} 不等于各项得分之和 {expected}",
    "总分应为预算执行率得分与各指标得分之和",
)
EXECUTION_OVER = FindingSpec(
    "selfeval.execution_over",
    "warning",
    "项目“{project}”的预算执行率 {rate}% 超过 100%",
    "全年执行数不应超过全年预算数；核对两个数，执行率得分最多 10 分",
)
EXECUTION_DIFFERS = FindingSpec(
    "selfeval.execution_differs",
    "warning",
    "项目“{project}”的预算执行率得分表中为 {given}，按规则应为 {expected}",
    "预算执行率得分 = 全年执行数 ÷ 全年预算数 × 10，最多 10 分",
)
UNIT = FindingSpec(
    "selfeval.unit",
    "warning",
    "三级指标“{name}”的实际完成值“{actual}”与指标值“{target}”单位不同",
    "实际完成值用与指标值相同的单位（元与万元可以换算）",
)
UNSCORED = FindingSpec(
    "selfeval.unscored",
    "info",
    "三级指标“{name}”（{target} → {actual}）无法按规则计算得分，{why}",
    "定性或时间指标在实际完成值中写明“达成”“部分达成”或“未达成”，部分达成、未达成的请填写得分",
)
TARGET_CHANGED = FindingSpec(
    "selfeval.target_changed",
    "warning",
    "三级指标“{name}”的年度指标值“{value}”与批复的目标“{approved}”不同",
    "自评表中的年度指标值应与批复的绩效目标一致",
)
WEIGHTS_ASSUMED = FindingSpec(
    "selfeval.weights_assumed",
    "info",
    "项目“{project}”的表中没有每个指标的分值，按规则分配：{weights}",
    "如分值另有规定，请在“分值”一栏填写；表中得分与分值的核对只在表中写明分值时进行",
)
BUDGET_MISSING = FindingSpec(
    "selfeval.budget_missing",
    "warning",
    "项目“{project}”没有填写全年预算数或全年执行数",
    "在项目资金的“年度资金总额”一行填写全年预算数和全年执行数（万元）",
)
SPECS = (
    ACTUAL_MISSING,
    NO_REASON,
    OVER_WEIGHT,
    BAND,
    SCORE_DIFFERS,
    TOTAL,
    EXECUTION_OVER,
    EXECUTION_DIFFERS,
    UNIT,
    UNSCORED,
    TARGET_CHANGED,
    BUDGET_MISSING,
)


@dataclass
class ScoredIndicator:
    item: Indicator
    weight: Decimal
    rule: rules.Score
    given: Decimal | None

    @property
    def score(self) -> Decimal | None:
        """The score that counts: the rule's, else (graded, late) the clerk's own."""
        return self.rule.value if self.rule.value is not None else self.given


@dataclass
class ScoredProject:
    evaluation: Evaluation
    indicators: list[ScoredIndicator]
    rate: Decimal | None
    execution: Decimal | None
    file: str = ""

    @property
    def total(self) -> Decimal:
        parts = [i.score or Decimal(0) for i in self.indicators]
        return rules.rounded(sum(parts, self.execution or Decimal(0)))

    @property
    def level(self) -> str:
        return rules.level(self.total)

    def to_json(self) -> dict[str, Any]:
        project = self.evaluation.project
        return {
            "file": self.file,
            "unit": project.unit.name,
            "project": project.name,
            "budget": _plain(self.evaluation.budget),
            "spent": _plain(self.evaluation.spent),
            "rate": _plain(self.rate),
            "execution": _plain(self.execution),
            "total": _plain(self.total),
            "total_given": _plain(self.evaluation.total_given),
            "level": self.level,
            "indicators": [
                {
                    "l1": s.item.l1,
                    "l2": s.item.l2,
                    "l3": s.item.l3,
                    "target": s.item.annual_value or s.item.target,
                    "actual": s.item.actual,
                    "weight": _plain(s.weight),
                    "score": _plain(s.score),
                    "rule": _plain(s.rule.value),
                    "given": _plain(s.given),
                    "met": s.rule.met,
                    "how": s.rule.how,
                    "grade": s.rule.grade or None,
                    "reason": s.item.deviation or None,
                }
                for s in self.indicators
            ],
        }


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@dataclass
class Scoring:
    projects: list[ScoredProject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "projects": [p.to_json() for p in self.projects],
            "findings": [finding_json(f) for f in self.findings],
            "errors": sum(1 for f in self.findings if f.severity == "error"),
            "warnings": sum(1 for f in self.findings if f.severity == "warning"),
        }


# ---- reading --------------------------------------------------------------------------------


def read_evaluations(path: str | os.PathLike[str]) -> tuple[list[Evaluation], list[Finding]]:
    """The 自评 of every project in a workbook: from its 自评明细 where that is filled, else
    from its forms (jixiao's 自评表 or a published one, read by its header words)."""
    sheets = read_sheets(path)
    findings = list(sheets.findings)
    forms: list[Evaluation] = []
    details: list[Evaluation] = []
    for grid in sheets.grids:
        if _is_detail(grid):
            details.extend(_read_detail(grid))
            continue
        found = read_grid(grid)
        if found is None:
            continue
        findings.extend(found.findings)
        forms.extend(_from_form(grid, found.projects, found.department))
    filled = [e for e in details if any(i.actual for i in e.project.indicators)]
    chosen = details if filled else forms
    if not chosen:
        raise WorkbookError(
            f"{readable(Path(path).name)} 中没有识别出自评表（需要“三级指标…实际完成值”这样的表头）"
        )
    return chosen, findings


def _is_detail(grid: Grid) -> bool:
    if not grid.n_rows:
        return False
    header = [grid.text(0, c) for c in range(grid.n_cols)]
    return grid.sheet == DETAIL_SHEET and all(h in header for h in DETAIL_HEADERS[:3])


def _read_detail(grid: Grid) -> list[Evaluation]:
    header = {grid.text(0, c): c for c in range(grid.n_cols)}

    def cell(row: int, name: str) -> str:
        col = header.get(name)
        return grid.text(row, col) if col is not None else ""

    found: dict[tuple[str, str], Evaluation] = {}
    for row in range(1, grid.n_rows):
        key = (cell(row, "单位名称"), cell(row, "项目名称"))
        if not key[1] or not cell(row, "三级指标"):
            continue
        evaluation = found.get(key)
        if evaluation is None:
            project = Project(
                unit=Unit(name=key[0]),
                name=key[1],
                amounts=Amounts(total=_decimal(cell(row, "年初预算数"))),
                source=grid.location(row, header["项目名称"]),
            )
            evaluation = found[key] = Evaluation(project=project)
        for name, attribute in (("全年预算数", "budget"), ("全年执行数", "spent")):
            value = _decimal(cell(row, name))
            if value is not None and getattr(evaluation, attribute) is None:
                setattr(evaluation, attribute, value)
                evaluation.cells[attribute] = grid.location(row, header[name])
        cells = {
            field: grid.location(row, header[name])
            for name, field in (
                ("一级指标", "l1"),
                ("二级指标", "l2"),
                ("三级指标", "l3"),
                ("年度指标值", "annual_value"),
                ("实际完成值", "actual"),
                ("分值", "score"),
                ("得分", "awarded"),
                ("偏差原因分析及改进措施", "deviation"),
            )
            if name in header
        }
        item = Indicator(
            seq=len(evaluation.project.indicators) + 1,
            l1=cell(row, "一级指标"),
            l2=cell(row, "二级指标"),
            l3=cell(row, "三级指标"),
            annual_value=cell(row, "年度指标值"),
            actual=cell(row, "实际完成值"),
            score=cell(row, "分值"),
            awarded=cell(row, "得分"),
            deviation=cell(row, "偏差原因分析及改进措施"),
            source=grid.location(row, header["三级指标"]),
            cells=cells,
        )
        evaluation.project.indicators.append(item)
    return list(found.values())


def _from_form(grid: Grid, projects: Iterable[Project], department: str) -> list[Evaluation]:
    blocks = fund_blocks(grid)
    totals = total_rows(grid)
    found = []
    for project in projects:
        rows = [indicator_row(i) for i in project.indicators if indicator_row(i) >= 0]
        first, last = (min(rows), max(rows)) if rows else (-1, -1)
        evaluation = Evaluation(project=project, department=department)
        above = [b for b in blocks if b[0] < first]
        if above:
            values = above[-1][1]
            for key, attribute in (
                ("budget", "budget"),
                ("spent", "spent"),
                ("awarded", "execution_given"),
            ):
                if key in values:
                    setattr(evaluation, attribute, values[key][0])
                    evaluation.cells[attribute] = values[key][1]
            if project.amounts.total is None and "start" in values:
                project.amounts.total = values["start"][0]
        below = [row for row in totals if row > last]
        awarded = next(
            (i.cells["awarded"] for i in project.indicators if "awarded" in i.cells), None
        )
        if below and awarded is not None and below[0] < _next_start(blocks, last):
            column = position(awarded.cell)[1]
            evaluation.total_given = _decimal(grid.text(below[0], column))
            evaluation.cells["total"] = grid.location(below[0], column)
        found.append(evaluation)
    return found


def _next_start(blocks: list[tuple[int, Any]], after: int) -> int:
    return next((row for row, _ in blocks if row > after), 1 << 30)


# ---- scoring --------------------------------------------------------------------------------


def score_evaluation(
    evaluation: Evaluation, file: str = "", approved: dict[tuple[str, str], str] | None = None
) -> tuple[ScoredProject, list[Finding]]:
    project = evaluation.project
    findings: list[Finding] = []
    weights = weights_of(project)
    own = has_own_weights(project)
    if not own and project.indicators:
        shares = class_weights([i.l1 for i in project.indicators])
        text = "、".join(f"{name} {weight:.2f}" for name, weight in shares.items())
        findings.append(
            WEIGHTS_ASSUMED.at(
                project.source, project=project.name, weights=f"预算执行率 10、{text}"
            )
        )
    scored = []
    for item, weight in zip(project.indicators, weights, strict=True):
        target = item.annual_value or item.target
        given = _decimal(item.awarded)
        rule = rules.score(target, item.actual, weight, given)
        scored.append(ScoredIndicator(item, weight, rule, given))
        findings.extend(_indicator_findings(item, target, weight, rule, given, own))
        if approved is not None:
            wanted = approved.get((project.name, item.l3))
            if wanted is not None and "".join(wanted.split()) != "".join(target.split()):
                findings.append(
                    TARGET_CHANGED.at(
                        item.cells.get("annual_value") or item.source,
                        name=item.l3,
                        value=target,
                        approved=wanted,
                    )
                )
    rate, execution = rules.execution(evaluation.budget, evaluation.spent)
    where = evaluation.cells.get("budget") or project.source
    if evaluation.budget is None or evaluation.spent is None:
        findings.append(BUDGET_MISSING.at(where, project=project.name))
    elif rate is not None and rate > 100:
        findings.append(EXECUTION_OVER.at(where, project=project.name, rate=rate))
    given = evaluation.execution_given
    if given is not None and execution is not None and abs(given - execution) > rules.CENT:
        findings.append(
            EXECUTION_DIFFERS.at(
                evaluation.cells.get("execution_given") or where,
                project=project.name,
                given=given,
                expected=execution,
            )
        )
    result = ScoredProject(evaluation, scored, rate, execution, file)
    if evaluation.total_given is not None:
        printed = [s.given for s in scored if s.given is not None]
        parts = sum(printed, given if given is not None else (execution or Decimal(0)))
        if printed and abs(rules.rounded(parts) - evaluation.total_given) > rules.CENT:
            findings.append(
                TOTAL.at(
                    evaluation.cells.get("total") or project.source,
                    project=project.name,
                    given=evaluation.total_given,
                    expected=rules.rounded(parts),
                )
            )
    return result, findings


def _indicator_findings(
    item: Indicator,
    target: str,
    weight: Decimal,
    rule: rules.Score,
    given: Decimal | None,
    own: bool,
) -> list[Finding]:
    """``own``: the weights are the form's own; a clerk's score is held against them only then."""
    found = []
    actual_at = item.cells.get("actual") or item.source
    awarded_at = item.cells.get("awarded") or item.source
    details = {"name": item.l3, "target": target, "actual": item.actual}
    if rule.how == "missing":
        return [ACTUAL_MISSING.at(actual_at, name=item.l3)]
    checked = given if own else None  # a score held against a weight the form printed
    if checked is not None and checked > weight + rules.CENT:
        found.append(OVER_WEIGHT.at(awarded_at, name=item.l3, given=given, weight=weight))
    if rule.how == "unit":
        found.append(UNIT.at(actual_at, **details))
    if rule.how == "grade" and rule.band is not None and checked is not None:
        low, high = rule.band
        if not low - rules.CENT <= checked <= high + rules.CENT:
            share = {"达成": "80%–100%", "部分达成": "60%–80%", "未达成": "0–60%"}[rule.grade]
            found.append(
                BAND.at(
                    awarded_at,
                    name=item.l3,
                    grade=rule.grade,
                    given=given,
                    low=low,
                    high=high,
                    share=share,
                )
            )
    if (
        rule.how in ("quantity", "deadline")
        and rule.value is not None
        and checked is not None
        and abs(rule.value - checked) > rules.CENT
    ):
        found.append(SCORE_DIFFERS.at(awarded_at, expected=rule.value, given=given, **details))
    if rule.met is False and not item.deviation.strip():
        found.append(NO_REASON.at(item.cells.get("deviation") or item.source, **details))
    if rule.value is None and rule.how in ("unreadable", "deadline", "grade") and given is None:
        why = {
            "unreadable": "实际完成值中没有“达成”等评价",
            "deadline": "完成时间晚于目标",
            "grade": f"评为“{rule.grade}”但没有填写得分",
        }[rule.how]
        found.append(UNSCORED.at(awarded_at, why=why, **details))
    return found


def approved_targets(path: str | os.PathLike[str]) -> dict[tuple[str, str], str]:
    """(项目名称, 三级指标) -> 年度指标值 of the approved targets (any layout jixiao reads)."""
    from jixiao.workbook import read_workbook

    return {
        (p.name, i.l3): i.annual_value for p in read_workbook(path).projects for i in p.indicators
    }


def score_files(
    paths: Iterable[str | os.PathLike[str]],
    targets: str | os.PathLike[str] | None = None,
    progress: Any = None,
) -> Scoring:
    approved = approved_targets(targets) if targets is not None else None
    result = Scoring()
    for path in paths:
        name = str(path)
        try:
            evaluations, findings = read_evaluations(path)
        except WorkbookError as error:
            result.files.append({"path": name, "status": "failed", "error": str(error)})
            result.findings.append(
                Finding(
                    code="selfeval.unreadable",
                    severity="error",
                    message=str(error),
                    hint="确认文件是自评表，且未损坏、未加密",
                    location=SourceLocation(file=readable(name)),
                )
            )
            if progress:
                progress(path)
            continue
        result.findings.extend(findings)
        for evaluation in evaluations:
            scored, problems = score_evaluation(evaluation, name, approved)
            result.projects.append(scored)
            result.findings.extend(problems)
        result.files.append({"path": name, "status": "ok", "projects": len(evaluations)})
        if progress:
            progress(path)
    return result
