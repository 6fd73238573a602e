"""The sheets of a scoring (``selfeval score -o``) and of a consolidation of 自评 (``selfeval
consolidate``): per project 总分 and 等级, per indicator the rule's score beside the form's,
per department the averages and the distribution, the unmet targets with their reasons,
each row naming the file and cell it came from."""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from jixiao.files.write import write_sheets
from jixiao.grid import CellValue
from jixiao.output import BarChart, OutputSheet
from jixiao.selfeval.form import INDICATOR_HEADERS as FORM_INDICATOR_HEADERS
from jixiao.selfeval.rules import LEVELS, rounded
from jixiao.selfeval.score import ScoredProject, Scoring
from jixiao.validate import REPORT_SHEET, WIDTHS, report_rows

PROJECT_HEADERS = (
    "单位名称",
    "项目名称",
    "全年预算数",
    "全年执行数",
    "执行率（%）",
    "执行率得分",
    "指标得分",
    "总分",
    "等级",
    "表中总分",
    "文件",
    "工作表",
    "单元格",
)
INDICATOR_HEADERS = (
    "单位名称",
    "项目名称",
    *FORM_INDICATOR_HEADERS[:6],  # 一级 … 分值, as the forms print them
    "规则得分",
    "表中得分",
    "计入得分",
    "是否完成",
    "偏差原因分析及改进措施",
    "文件",
    "单元格",
)
DEPARTMENT_HEADERS = ("单位名称", "项目数", "平均分", *(name for name, _ in LEVELS))
UNMET_HEADERS = (
    "单位名称",
    "项目名称",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "得分",
    "分值",
    "偏差原因分析及改进措施",
    "文件",
    "单元格",
)
MET = {True: "是", False: "否", None: ""}


def _number(value: Decimal | None) -> CellValue:
    return float(value) if value is not None else None


def department_of(project: ScoredProject) -> str:
    evaluation = project.evaluation
    return evaluation.project.unit.name or evaluation.department or Path(project.file).stem


def _where(project: ScoredProject) -> tuple[str, str]:
    source = project.evaluation.project.source
    return (source.sheet or "", source.cell or "") if source else ("", "")


def project_sheet(projects: Sequence[ScoredProject], name: str = "项目得分") -> OutputSheet:
    rows: list[list[CellValue]] = [list(PROJECT_HEADERS)]
    for scored in projects:
        evaluation = scored.evaluation
        indicators = sum((i.score or Decimal(0) for i in scored.indicators), Decimal(0))
        sheet, cell = _where(scored)
        rows.append(
            [
                department_of(scored),
                evaluation.project.name,
                _number(evaluation.budget),
                _number(evaluation.spent),
                _number(scored.rate),
                _number(scored.execution),
                _number(rounded(indicators)),
                _number(scored.total),
                scored.level,
                _number(evaluation.total_given),
                scored.file,
                sheet,
                cell,
            ]
        )
    return OutputSheet(
        name=name,
        rows=rows,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="C2",
        autofilter=True,
        number_format_columns={c: "0.00" for c in range(2, 10)},
        column_widths={0: 22, 1: 30, 10: 36, 11: 14},
    )


def indicator_sheet(projects: Sequence[ScoredProject]) -> OutputSheet:
    rows: list[list[CellValue]] = [list(INDICATOR_HEADERS)]
    for scored in projects:
        project = scored.evaluation.project
        for item in scored.indicators:
            source = item.item.source
            rows.append(
                [
                    department_of(scored),
                    project.name,
                    item.item.l1,
                    item.item.l2,
                    item.item.l3,
                    item.item.annual_value or item.item.target,
                    item.item.actual,
                    _number(item.weight),
                    _number(item.rule.value),
                    _number(item.given),
                    _number(item.score),
                    MET[item.rule.met],
                    item.item.deviation,
                    scored.file,
                    source.cell if source else "",
                ]
            )
    return OutputSheet(
        name="指标得分",
        rows=rows,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="F2",
        autofilter=True,
        number_format_columns={c: "0.00" for c in range(7, 11)},
        column_widths={0: 20, 1: 26, 4: 30, 5: 16, 6: 16, 12: 30, 13: 30},
    )


def department_sheet(projects: Sequence[ScoredProject]) -> OutputSheet:
    groups: dict[str, list[ScoredProject]] = {}
    for scored in projects:
        groups.setdefault(department_of(scored), []).append(scored)
    rows: list[list[CellValue]] = [list(DEPARTMENT_HEADERS)]
    for name, members in groups.items():
        average = rounded(sum((p.total for p in members), Decimal(0)) / len(members))
        counts = [sum(1 for p in members if p.level == level) for level, _ in LEVELS]
        rows.append([name, len(members), float(average), *counts])
    charts = (
        [BarChart("各单位自评平均分", 0, 2, 0, len(rows) - 1, f"A{len(rows) + 3}")]
        if len(rows) > 1
        else []
    )
    return OutputSheet(
        name="部门汇总",
        rows=rows,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        number_format_columns={2: "0.00"},
        column_widths={0: 24},
        charts=charts,
        wrap=False,
    )


def unmet_sheet(projects: Sequence[ScoredProject]) -> OutputSheet:
    rows: list[list[CellValue]] = [list(UNMET_HEADERS)]
    for scored in projects:
        for item in scored.indicators:
            if item.rule.met is not False:
                continue
            source = item.item.source
            rows.append(
                [
                    department_of(scored),
                    scored.evaluation.project.name,
                    item.item.l3,
                    item.item.annual_value or item.item.target,
                    item.item.actual,
                    _number(item.score),
                    _number(item.weight),
                    item.item.deviation,
                    scored.file,
                    source.cell if source else "",
                ]
            )
    return OutputSheet(
        name="未完成指标",
        rows=rows,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="D2",
        autofilter=True,
        number_format_columns={5: "0.00", 6: "0.00"},
        column_widths={0: 20, 1: 26, 2: 30, 3: 16, 4: 16, 7: 40, 8: 30},
    )


def findings_sheet(scoring: Scoring) -> OutputSheet:
    rows: list[list[CellValue]] = [list(r) for r in report_rows(scoring.findings)]
    return OutputSheet(
        name=REPORT_SHEET,
        rows=rows,
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        column_widths=dict(enumerate(WIDTHS)),
        freeze="A2",
        autofilter=True,
    )


def write_scoring(
    scoring: Scoring, output: str | os.PathLike[str], protect: Sequence[Path]
) -> Path:
    sheets = [
        project_sheet(scoring.projects, "自评得分"),
        indicator_sheet(scoring.projects),
        findings_sheet(scoring),
    ]
    return write_sheets(output, sheets, protect=protect)


def write_selfeval_consolidation(
    scoring: Scoring, output: str | os.PathLike[str], protect: Sequence[Path]
) -> Path:
    sheets = [
        project_sheet(scoring.projects),
        department_sheet(scoring.projects),
        unmet_sheet(scoring.projects),
        indicator_sheet(scoring.projects),
        findings_sheet(scoring),
    ]
    return write_sheets(output, sheets, protect=protect)
