"""Prose indicators of the 部门整体绩效目标 section (seed 004), read into indicator rows.

``绩效指标：案件审判满意度大于90%为优秀；平均审理天数小于100为优秀；…`` lists indicators
as sentences: the name runs up to the first comparison word or number, the rest is the
target value. A sentence with neither is kept whole as the name and reported.
"""

from __future__ import annotations

import re

from jixiao.findings import FindingSpec
from jixiao.grid import CellValue, Grid
from jixiao.model import DepartmentGoal, Finding, Indicator, SourceLocation
from jixiao.output import OutputSheet
from jixiao.values import OPERATORS

PREFIX = re.compile(r"^\s*绩效指标\s*[：:]\s*")
_CUT = re.compile(
    "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True)) + r"|\d|[０-９]"
)
_SENTENCE = re.compile(r"[^；;]+")
NO_VALUE = FindingSpec(
    "prose.no_value",
    "warning",
    "绩效指标“{text}”中找不到指标值（比较词或数字）",
    "写成“指标名称+指标值”，如“案件结案率大于85%为优”",
)


def parse_indicators(
    text: str, location: SourceLocation | None = None
) -> tuple[list[Indicator], list[Finding]]:
    prefix = PREFIX.match(text)
    indicators: list[Indicator] = []
    findings: list[Finding] = []
    for part in _SENTENCE.finditer(text, prefix.end() if prefix else 0):
        sentence = part.group().strip().rstrip("。").strip()
        if not sentence:
            continue
        here = location.at_offset(part.start()) if location else None
        cut = _CUT.search(sentence)
        if cut is None or cut.start() == 0:
            findings.append(NO_VALUE.at(here, text=sentence))
            name, value = sentence, ""
        else:
            name, value = sentence[: cut.start()].strip(), sentence[cut.start() :].strip()
        indicators.append(
            Indicator(seq=len(indicators) + 1, l3=name, annual_value=value, source=here)
        )
    return indicators, findings


_TASK = re.compile(r"^\s*(\d+)\s*[.、．]\s*(?P<task>.+)")
_GOAL = re.compile(r"^\s*绩效目标\s*[：:]\s*(?P<goal>.+)")
SECTION = "部门整体"


def read_department(grid: Grid) -> tuple[list[DepartmentGoal], list[Finding]]:
    """The 分项绩效目标 of a 部门整体 section kept as lines of text (one cell per line, in a
    sheet or a Word document): ``1. 任务`` / ``绩效目标：…`` / ``绩效指标：…``."""
    goals: list[DepartmentGoal] = []
    findings: list[Finding] = []
    for row in range(grid.n_rows):
        for col, text in enumerate(grid.row_texts(row)):
            if not text:
                continue
            task, goal = _TASK.match(text), _GOAL.match(text)
            if task:
                goals.append(
                    DepartmentGoal(task=task["task"].strip(), source=grid.location(row, col))
                )
            elif goal and goals:
                goals[-1].goal = goal["goal"].strip()
            elif PREFIX.match(text):
                if not goals:
                    goals.append(DepartmentGoal(source=grid.location(row, col)))
                found, problems = parse_indicators(text, grid.location(row, col))
                goals[-1].indicators.extend(found)
                findings.extend(problems)
    return [g for g in goals if g.indicators], findings


def has_department_section(grid: Grid) -> bool:
    return any(
        SECTION in text or PREFIX.match(text)
        for row in range(min(grid.n_rows, 200))
        for text in grid.row_texts(row)
    )


def render_department(goals: list[DepartmentGoal]) -> list[str]:
    """The section's lines as published, which ``read_department`` reads back."""
    lines = []
    for number, goal in enumerate(goals, start=1):
        lines.append(f"{number}. {goal.task}" if goal.task else f"{number}.")
        if goal.goal:
            lines.append(f"绩效目标：{goal.goal}")
        sentences = "；".join(f"{i.l3}{i.annual_value}" for i in goal.indicators)
        lines.append(f"绩效指标：{sentences}。")
    return lines


# A department's goals read from a table (一级/二级/三级 with values) are written back as a
# table under the goal's line, which the tolerant reader reads back whole; prose goals (seed
# 004's sentences) stay prose. (field, header) of the columns, written where some row fills them
TABLE_COLUMNS = (
    ("l1", "一级指标"),
    ("l2", "二级指标"),
    ("l3", "三级指标"),
    ("annual_value", "指标值"),
    ("measure_unit", "计量单位"),
    ("score", "分值"),
    ("explanation", "指标解释"),
    ("scoring", "评（扣）分标准"),
    ("remark", "备注"),
)


def _structured(goal: DepartmentGoal) -> bool:
    return any(i.l1 or i.l2 for i in goal.indicators)


def _goal_table(goal: DepartmentGoal) -> list[list[CellValue]]:
    used = [
        (f, h)
        for f, h in TABLE_COLUMNS
        if f in ("l1", "l2", "l3", "annual_value") or any(getattr(i, f) for i in goal.indicators)
    ]
    rows: list[list[CellValue]] = [[h for _, h in used]]
    rows += [[getattr(i, f) or None for f, _ in used] for i in goal.indicators]
    return rows


def department_sheet(departments: list[tuple[str, list[DepartmentGoal]]]) -> OutputSheet:
    """部门整体: each department's 分项绩效目标 as published: prose one line per cell, goals
    read from a table as a table."""
    rows: list[list[CellValue]] = [["部门整体绩效目标"]]
    headers: list[int] = []
    for name, goals in departments:
        if name:
            rows.append([f"部门：{name}"])
        prose = [g for g in goals if not _structured(g)]
        rows.extend([line] for line in render_department(prose))
        for goal in goals:
            if not _structured(goal):
                continue
            if goal.total is not None:
                rows.append(["年度资金总额（万元）：", float(goal.total)])
            rows.append([f"年度绩效目标：{goal.goal}" if goal.goal else "年度绩效目标："])
            headers.append(len(rows))
            rows.extend(_goal_table(goal))
            rows.append([None])
    widths: dict[int, float] = (
        {0: 120.0} if not headers else dict.fromkeys(range(len(TABLE_COLUMNS)), 24.0)
    )
    return OutputSheet(
        name=SECTION, rows=rows, column_widths=widths, title_rows=[0], header_rows=headers
    )
