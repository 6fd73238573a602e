"""``selfeval build``: one 自评表 per project and the 自评明细 sheet, from the targets.

Every annual target is carried over as approved (年度指标值, else the value of a layout that
has only one), with its weight by the rules; the clerk fills what the year brought.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from jixiao.files.write import write_sheets
from jixiao.model import Project
from jixiao.output import OutputSheet
from jixiao.selfeval.form import Evaluation, detail_sheet, form_sheet

_YEAR = re.compile(r"(20\d{2})\s*年")


def year_of(projects: Sequence[Project], title: str = "") -> str:
    """The year the targets are for, where a title or a goal says it (``2024年度…``)."""
    for text in (title, *(g for p in projects for g in p.goals[:1])):
        match = _YEAR.search(text or "")
        if match:
            return match.group(1)
    return ""


def chosen_year(projects: Sequence[Project], year: str | None = None) -> str:
    """The year asked for, else the targets', else last year (自评 is done the year after)."""
    return year or year_of(projects) or str(dt.date.today().year - 1)


def evaluation_sheets(
    projects: Sequence[Project], department: str = "", year: str = ""
) -> list[OutputSheet]:
    evaluations = [Evaluation(project=p, department=department, year=year) for p in projects]
    return [form_sheet(evaluations), detail_sheet(evaluations)]


def build_selfeval(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    year: str | None = None,
) -> tuple[Path, int, int]:
    """The 自评 workbook of ``source`` (any layout jixiao reads) at ``output``: (path,
    projects, indicators)."""
    from jixiao.workbook import read_workbook

    read = read_workbook(source)
    projects = [p for p in read.projects if p.indicators]
    if not projects:
        from jixiao.errors import WorkbookError
        from jixiao.files.paths import readable

        raise WorkbookError(
            f"{readable(Path(source).name)} 中没有带绩效指标的项目，无法生成自评表"
            "（部门整体目标不生成项目自评表）"
        )
    sheets = evaluation_sheets(projects, read.department, chosen_year(projects, year))
    path = write_sheets(output, sheets, protect=[source])
    return path, len(projects), sum(len(p.indicators) for p in projects)
