"""Blank workbooks clerks start from, generated from the layouts and the framework table.

The long and card templates carry 一级 → 二级 dependent dropdowns: a hidden sheet
lists the framework, a defined name per 一级 holds its 二级 names, and the 二级
cells validate against ``INDIRECT`` of the 一级 cell beside them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from jixiao import framework
from jixiao.files.write import write_sheets
from jixiao.grid import CellValue, a1, column_letter
from jixiao.layouts import card, halves, long, rows, terms, wide
from jixiao.layouts.headers import LONG_HEADERS
from jixiao.model import Amounts, Indicator, Project, Unit
from jixiao.output import ListValidation, OutputSheet

LISTS_SHEET = "指标体系"
L1_NAME = "一级指标列表"
TEMPLATE_ROWS = 1000  # rows of the long template that carry dropdowns
NAMES = {
    "wide": "宽表模板.xlsx",
    "long": "指标明细模板.xlsx",
    "card": "卡片模板.xlsx",
    "rows": "指标行模板.xlsx",
    "halves": "两栏卡片模板.xlsx",
    "terms": "长期年度申报表模板.xlsx",
}


def framework_sheet(profile: framework.Profile) -> OutputSheet:
    """The hidden list sheet: 一级 names in column A, each 一级's 二级 names in a column."""
    level1 = profile.level1
    height = 1 + max(len(level1), *(len(profile.children(e.code)) for e in level1))
    rows: list[list[CellValue]] = [[None] * (1 + len(level1)) for _ in range(height)]
    rows[0][0] = "一级指标"
    names = {L1_NAME: f"'{LISTS_SHEET}'!$A$2:${'A'}${1 + len(level1)}"}
    for index, entry in enumerate(level1):
        rows[1 + index][0] = entry.name
        col = 1 + index
        rows[0][col] = entry.name
        children = profile.children(entry.code)
        for offset, child in enumerate(children):
            rows[1 + offset][col] = child.name
        letter = column_letter(col)
        names[entry.name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${1 + len(children)}"
    return OutputSheet(name=LISTS_SHEET, rows=rows, defined_names=names, hidden=True, wrap=False)


def _dropdowns(l1_column: int, l2_column: int, first: int, last: int) -> list[ListValidation]:
    l1_cells = f"{a1(first, l1_column)}:{a1(last, l1_column)}"
    l2_cells = f"{a1(first, l2_column)}:{a1(last, l2_column)}"
    l1_anchor = f"${column_letter(l1_column)}{first + 1}"
    return [
        ListValidation(l1_cells, L1_NAME),
        ListValidation(l2_cells, f"INDIRECT({l1_anchor})"),
    ]


def long_template(profile: framework.Profile) -> list[OutputSheet]:
    indicators, projects = long.write([])
    l1_col, l2_col = LONG_HEADERS.index("一级指标"), LONG_HEADERS.index("二级指标")
    indicators.validations = _dropdowns(l1_col, l2_col, 1, TEMPLATE_ROWS - 1)
    return [indicators, projects, framework_sheet(profile)]


def skeleton(profile: framework.Profile) -> list[Indicator]:
    """One blank 三级 row under each standard 二级 of the profile, for the clerk to fill."""
    rows: list[Indicator] = []
    for l1 in profile.level1:
        for l2 in profile.children(l1.code):
            rows.append(Indicator(seq=len(rows) + 1, l1=l1.name, l2=l2.name))
    return rows


def card_template(profile: framework.Profile) -> list[OutputSheet]:
    blank = Project(
        unit=Unit(code="（单位编码）", name="（单位名称）"),
        code="（项目编码）",
        name="（项目名称）",
        amounts=Amounts(),
        goals=["1."],
        indicators=skeleton(profile),
    )
    sheet = card.write([blank])
    header = next(i for i, row in enumerate(sheet.rows) if row[0] == "一级指标")
    last = header + len(blank.indicators)
    sheet.validations = _dropdowns(0, 1, header + 1, last)
    # every row gets its own 一级 cell, so that the 二级 dropdown beside it has a list
    sheet.merges = [m for m in sheet.merges if not (m[1] == 0 and m[0] > header)]
    for row, item in zip(range(header + 1, last + 1), blank.indicators, strict=True):
        sheet.rows[row][0] = item.l1
    return [sheet, framework_sheet(profile)]


def rows_template(profile: framework.Profile) -> list[OutputSheet]:
    """Indicator rows with attributes: 一级/二级 dropdowns as in 指标明细, and 指标性质 and
    指标方向 chosen from their lists."""
    (sheet,) = rows.write([])
    header = sheet.rows[0]
    sheet.rows = [list(header)] + [[None] * len(header) for _ in range(TEMPLATE_ROWS - 1)]
    sheet.bordered_rows = (0, 200)
    column = {name: index for index, name in enumerate(header)}
    last = TEMPLATE_ROWS - 1
    sheet.validations = [
        *_dropdowns(column["一级指标"], column["二级指标"], 1, last),
        ListValidation(_cells(column["指标性质"], last), '"正向,反向,定性"'),
        ListValidation(_cells(column["指标方向"], last), '"大于等于,小于等于,等于,大于,小于"'),
    ]
    return [sheet, framework_sheet(profile)]


def _blank_project(profile: framework.Profile) -> Project:
    return Project(
        unit=Unit(name="（单位名称）"),
        name="（项目名称）",
        amounts=Amounts(),
        goals=["1."],
        indicators=skeleton(profile),
    )


def form_template(profile: framework.Profile, layout: str) -> list[OutputSheet]:
    """A blank 东莞 card or 长期/年度 form: one row under each standard 二级, each with its own
    一级 cell (not merged) and the 一级 → 二级 dropdowns, in every indicator block."""
    blank = _blank_project(profile)
    (sheet,) = halves.write([blank]) if layout == "halves" else terms.write([blank])
    count = len(blank.indicators)
    sheet.validations = []
    for header in sheet.header_rows:
        first, last = header + 1, header + count
        sheet.validations += _dropdowns(1, 2, first, last)
        sheet.merges = [m for m in sheet.merges if not (m[1] == 1 and first <= m[0] <= last)]
        for row, item in zip(range(first, last + 1), blank.indicators, strict=True):
            sheet.rows[row][1] = item.l1
    return [sheet, framework_sheet(profile)]


def _cells(col: int, last: int) -> str:
    return f"{a1(1, col)}:{a1(last, col)}"


def wide_template() -> list[OutputSheet]:
    sheet = wide.write([], department="（部门名称）")
    blank: list[CellValue] = [None] * len(sheet.rows[2])
    sheet.rows += [list(blank) for _ in range(20)]
    sheet.bordered_rows = (2, len(sheet.rows) - 1)
    return [sheet]


# A fixed creation time: the templates are committed, and a rebuild must give the same bytes.
TEMPLATES_CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def template_sheets(layout: str, profile: framework.Profile) -> list[OutputSheet]:
    """The sheets of the blank template of a layout (the framework's list sheet hidden)."""
    if layout == "wide":
        return wide_template()
    if layout == "card":
        return card_template(profile)
    if layout == "rows":
        return rows_template(profile)
    if layout in ("halves", "terms"):
        return form_template(profile, layout)
    return long_template(profile)


def build_templates(
    directory: str | os.PathLike[str], profile_name: str = framework.DEFAULT_PROFILE
) -> list[Path]:
    profile = framework.profile(profile_name)
    out = Path(directory)
    return [
        write_sheets(out / name, template_sheets(layout, profile), created=TEMPLATES_CREATED)
        for layout, name in NAMES.items()
    ]
