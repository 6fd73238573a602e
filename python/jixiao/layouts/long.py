"""Long rows (指标明细): one row per indicator, plus a 项目信息 sheet for project fields.

The 14 indicator columns cannot hold amounts, 资金用途, goals or the spending plan;
the 项目信息 sheet keeps them so that a long workbook converts back without loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from jixiao.bulk import paused_gc
from jixiao.grid import CellValue, Grid, cell_text
from jixiao.layouts.base import SheetRead, amount_value, raw_as_named, read_amount, split_lines
from jixiao.layouts.headers import (
    ATTRIBUTE_COLUMNS,
    LONG_COLUMNS,
    LONG_HEADERS,
    LONG_MORE_COLUMNS,
    LONG_SHEET,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    column_keys,
    header_key,
    match_columns,
)
from jixiao.model import Amounts, Indicator, PlanPoint, Project, RowCells, SourceLocation, Unit
from jixiao.output import EXCEL_ROWS, PRINTED_TABLE, OutputSheet

INDICATOR_FIELDS = (
    "seq",
    "l1_code",
    "l1",
    "l2_code",
    "l2",
    "l3",
    "description",
    "period_value",
    "annual_value",
    "basis",
)
_LONG_KEYS = column_keys(
    {h: f for f, h in LONG_COLUMNS.items()},
    LONG_MORE_COLUMNS,
    {h: f for f, h in ATTRIBUTE_COLUMNS.items()},
)
ALL_FIELDS = (*INDICATOR_FIELDS, *ATTRIBUTE_COLUMNS)
CATEGORY_HEADER = "项目类别"
_PROJECT_KEYS = {header_key(h): f for f, h in PROJECT_COLUMNS.items()} | {
    header_key(CATEGORY_HEADER): "category"
}
ProjectKey = tuple[str, str, str, str]


def _find_row(grid: Grid, keys: dict[str, str], required: set[str], scan: int = 30) -> int | None:
    for row in range(min(scan, grid.n_rows)):
        if required <= match_columns(grid.row_texts(row), keys).keys():
            return row
    return None


NAME = "long"


def find_header(grid: Grid) -> int | None:
    return _find_row(grid, _LONG_KEYS, {"l3", "project_name", "annual_value"})


detect = find_header


def find_project_header(grid: Grid) -> int | None:
    return _find_row(grid, _PROJECT_KEYS, {"project_name", "total", "purpose"})


def read(grid: Grid, header: int) -> SheetRead:
    """Indicator rows grouped into projects by unit and project code and name."""
    with paused_gc():  # an Indicator and its cells per row, none cyclic: see paused_gc
        return _read(grid, header)


def _read(grid: Grid, header: int) -> SheetRead:
    result = SheetRead("long")
    columns = match_columns(grid.row_texts(header), _LONG_KEYS)
    projects: dict[ProjectKey, Project] = {}
    fields = [(f, c) for f, c in columns.items() if f in ALL_FIELDS]
    merged = bool(grid.merged)  # a published table merges units, projects and classes down
    table = grid.columns_of(dict(fields))  # each row's cells, made when a finding asks
    l3_letter = table.letters["l3"]
    first_row = grid.origin[0] + 1
    absent = 1 << 30  # a column the table lacks: past every row's end, so ""
    a, b, c, d = (columns.get(f, absent) for f in ("unit_code", "unit_name", "project_code",
                                                  "project_name"))  # fmt: skip
    let_go = grid.let_go if not merged else None  # merged rows are read from above
    plain = not merged and not grid.formats  # the texts are the values as they are
    rows = grid.values
    for row in range(header + 1, grid.n_rows):
        if plain:  # row_texts without its cache, inline: a million rows pass once
            texts = [v.strip() if v.__class__ is str else "" if v is None else cell_text(v)
                     for v in rows[row]]  # fmt: skip
        else:
            texts = grid.filled_row_texts(row) if merged else grid.row_texts(row, keep=False)
        if let_go is not None:
            let_go(row)
        if not any(texts):
            continue
        width = len(texts)
        key = (texts[a] if a < width else "", texts[b] if b < width else "",
               texts[c] if c < width else "", texts[d] if d < width else "")  # fmt: skip
        project = projects.get(key)
        if project is None:
            project = Project(
                unit=Unit(code=key[0], name=key[1]),
                code=key[2],
                name=key[3],
                source=grid.location(row, columns["project_name"]),
            )
            projects[key] = project
        values = {f: texts[col] if col < width else "" for f, col in fields}
        get = values.get
        if not (get("l1") or get("l2") or get("l3") or get("annual_value") or get("period_value")):
            continue  # a project row without indicators
        seq = values.pop("seq", "")
        number = first_row + row
        project.indicators.append(
            Indicator(
                seq=int(seq) if seq.isdigit() else None,
                **values,
                source=SourceLocation(grid.file, grid.sheet, f"{l3_letter}{number}"),
                cells=RowCells(table, number),
            )
        )
    result.projects = list(projects.values())
    return result


def read_projects(grid: Grid, header: int, into: list[Project]) -> SheetRead:
    """Add the 项目信息 fields to the projects read from 指标明细 (matched by key)."""
    with paused_gc():
        return _read_projects(grid, header, into)


def _read_projects(grid: Grid, header: int, into: list[Project]) -> SheetRead:
    result = SheetRead("projects")
    columns = match_columns(grid.row_texts(header), _PROJECT_KEYS)
    by_key = {(p.unit.code, p.unit.name, p.code, p.name): p for p in into}
    table = grid.columns_of(columns)
    for row in range(header + 1, grid.n_rows):
        texts = grid.row_texts(row, keep=False)
        width = len(texts)
        text = {f: texts[c] if c < width else "" for f, c in columns.items()}
        key = (text.get("unit_code", ""), text.get("unit_name", ""), text.get("project_code", ""),
               text.get("project_name", ""))  # fmt: skip
        if not key[3]:
            continue
        project = by_key.get(key)
        if project is None:  # a project with no indicator rows
            project = Project(unit=Unit(code=key[0], name=key[1]), code=key[2], name=key[3])
            into.append(project)
            by_key[key] = project
        amounts = Amounts(
            **{
                f: read_amount(grid, row, columns.get(f), result.findings)
                for f in ("total", "fiscal", "special_account", "other")
            }
        )
        if project.cells:
            project.cells.update({f: grid.location(row, c) for f, c in columns.items()})
            cells = project.cells
        else:  # a row's cells made when asked for
            cells = RowCells(table, grid.origin[0] + 1 + row)
        _assign(
            project,
            amounts=amounts,
            purpose=text.get("purpose", ""),
            goals=split_lines(text.get("goals", "")),
            spending_plan=_read_plan(text.get("spending_plan", "")),
            category=text.get("category", ""),
            cells=cells,
        )
    return result


def _assign(project: Project, **fields: Any) -> None:
    """Set fields already of their types at once: pydantic's ``__setattr__`` per field was a
    sixth of reading 项目信息 (135,000 projects, six fields each). Not validated, as
    assignment never was."""
    project.__dict__.update(fields)
    project.__pydantic_fields_set__.update(fields)


def _read_plan(text: str) -> list[PlanPoint]:
    if not text:
        return []
    points = []
    for part in text.replace(";", "；").split("；"):
        label, _, value = part.replace(":", "：").partition("：")
        if label.strip():
            points.append(PlanPoint(label=label.strip(), value=value.strip()))
    return points


def _plan_text(plan: list[PlanPoint]) -> str:
    return "；".join(f"{p.label}：{p.value}" for p in plan)


def write(projects: Sequence[Project], *, max_rows: int = EXCEL_ROWS) -> list[OutputSheet]:
    """指标明细 (continued on 指标明细 (2), … past ``max_rows``, between projects) and 项目信息."""
    projects = raw_as_named(projects)  # what could not be read stays visible
    sheets: list[OutputSheet] = []
    items = [i for p in projects for i in p.indicators]
    # the attribute columns some indicator fills: most tables fill none, which one pass says
    any_attribute = any(map(any, map(attrgetter(*ATTRIBUTE_COLUMNS), items)))
    attributes = [f for f in ATTRIBUTE_COLUMNS if any_attribute and any(map(attrgetter(f), items))]
    header = [*LONG_HEADERS, *(ATTRIBUTE_COLUMNS[f] for f in attributes)]
    values_of = attrgetter(*INDICATOR_FIELDS, *attributes)  # one C call per indicator
    rows: list[list[CellValue]] = [list(header)]
    for project in projects:
        head: list[CellValue] = [project.unit.code, project.unit.name, project.code, project.name]
        lines = [[*head, *values_of(item)] for item in project.indicators]
        if not lines:
            lines = [head + [None] * (len(header) - 4)]
        if len(rows) + len(lines) > max_rows and len(rows) > 1:
            sheets.append(_indicator_sheet(rows, len(sheets)))  # full: go on in the next sheet
            rows = [list(header)]
        while len(rows) + len(lines) > max_rows:  # one project larger than a whole sheet
            room = max_rows - len(rows)
            rows.extend(lines[:room])
            lines = lines[room:]
            sheets.append(_indicator_sheet(rows, len(sheets)))
            rows = [list(header)]
        rows.extend(lines)
    sheets.append(_indicator_sheet(rows, len(sheets)))
    categories = any(p.category for p in projects)  # 项目类别, only where a table gave it
    info: list[list[CellValue]] = [
        [*PROJECT_COLUMNS.values(), *([CATEGORY_HEADER] if categories else [])]
    ]
    for project in projects:
        amounts = project.amounts
        info.append(
            [
                project.unit.code,
                project.unit.name,
                project.code,
                project.name,
                amount_value(amounts.total),
                amount_value(amounts.fiscal),
                amount_value(amounts.special_account),
                amount_value(amounts.other),
                project.purpose,
                "\n".join(project.goals),
                _plan_text(project.spending_plan),
                *([project.category] if categories else []),
            ]
        )
    project_sheet = OutputSheet(
        name=PROJECT_SHEET,
        rows=info,
        column_widths={0: 10, 1: 22, 2: 22, 3: 28, 8: 30, 9: 40, 10: 30},
        header_rows=[0],
        bordered_rows=(0, len(info) - 1),
        number_format_columns={c: "#,##0.00" for c in range(4, 8)},
        freeze="E2",
        **PRINTED_TABLE,
    )
    return [*sheets, project_sheet]


def _indicator_sheet(rows: list[list[CellValue]], number: int) -> OutputSheet:
    return OutputSheet(
        name=LONG_SHEET if number == 0 else f"{LONG_SHEET} ({number + 1})",
        rows=rows,
        column_widths={
            0: 10,
            1: 22,
            2: 22,
            3: 28,
            4: 6,
            5: 8,
            6: 12,
            7: 8,
            8: 16,
            9: 30,
            10: 30,
            11: 16,
            12: 16,
            13: 16,
        },
        header_rows=[0],
        bordered_rows=(0, len(rows) - 1),
        freeze="E2",
        autofilter=True,
        **PRINTED_TABLE,
    )
