"""The tolerant reader: any 绩效目标表 read from what its cells say, not from who printed it.

Real tables differ in spelling and arrangement, not in structure: a form's labels
(项目名称, 实施单位, 年度资金总额, 年度目标 …) above an indicator table whose header names
its columns (一级/二级/三级, a value, perhaps an operator, a unit, a weight, a 自评表's
实际完成值 and 得分), or a table with one row per indicator whose project columns repeat.
So the reader

1. finds every header row in the sheet by its vocabulary (``headers.INDICATOR_ROLES``): a
   row naming a 三级 column and a value or a class column, with the row above or below when
   the header takes two rows (a spanning ``年度指标值`` over ``指标性质 | 指标值 | 度量单位``);
2. reads the rows under it as a reader sees them: merged and blank 一级/二级 cells carry
   down, the operator and unit kept in their own columns compose with the number
   (``≥`` ``95`` ``%`` -> ``≥95%``), and the table ends at a footer, a new header, a form's
   labels or blank rows;
3. finds the project around it: the form's labels between the previous table and this one
   (``FORM_LABELS``), or the table's own project columns.

The readers of the layouts jixiao writes (wide, long, card, rows, halves, terms) go first
(``registry``): they read those exact arrangements fast and keep every field they carry;
this reader takes every table none of them recognises.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.findings import FindingSpec
from jixiao.grid import Grid
from jixiao.layouts.base import MONEY_IN_YUAN, UNNAMED_PROJECT, SheetRead, split_lines
from jixiao.layouts.halves import UNPAIRED
from jixiao.layouts.headers import (
    AMOUNTS_IN_YUAN,
    ANNUAL_MARKS,
    DEPARTMENT_MARKS,
    FOOTER_MARKS,
    FOOTER_STARTS,
    FORM_LABELS,
    INDICATOR_ROLES,
    PERIOD_MARKS,
    VALUE_ROLES,
    WHOLE_UNIT,
    header_key,
)
from jixiao.model import Amounts, DepartmentGoal, Indicator, Project, Unit
from jixiao.values import parse_value

NAME = "table"

NO_CLASSES = FindingSpec(
    "layout.no_classes",
    "info",
    "工作表“{sheet}”第 {row} 行起的指标表没有{missing}列，这些指标的{missing}留空（未按文字猜测）",
    "如需按一级、二级指标汇总，请在表中补上这两列",
)
CLASS_FILLED_UP = FindingSpec(
    "layout.class_filled_up",
    "info",
    "“{l1}”写在其分组的中间（第 {row} 行），其上方同组的 {count} 行也按“{l1}”读取",
)
TOTAL_FROM_PARTS = FindingSpec(
    "layout.total_from_parts",
    "info",
    "年度资金总额为空或为 0，已按其中各项取 {total} 万元",
    "请在年度资金总额一栏填写合计",
)
AMOUNT_GUESSED = FindingSpec(
    "layout.amount_unit",
    "info",
    "金额“{text}”按 {amount} 万元读取{note}",
    "金额栏请只填数字（单位：万元）",
)
NAME_FROM_TITLE = FindingSpec(
    "layout.name_from_title",
    "info",
    "表中没有“项目名称”，项目名称取自标题：“{name}”",
    "请在表中写明项目名称",
)

# An operator as written in its own column (指标性质 = ``≥``, 指标方向 = ``大于等于``).
OPERATORS = {
    "大于等于": "≥",
    "小于等于": "≤",
    "等于": "=",
    "大于": ">",
    "小于": "<",
    "不低于": "≥",
    "不高于": "≤",
    "不少于": "≥",
    "不多于": "≤",
    "不超过": "≤",
    ">=": "≥",
    "<=": "≤",
}
_SYMBOLS = frozenset("≥≤=＝﹦><≧≦")
_BRACKETS = re.compile(r"（[^（）]*）")
_LABEL_SPLIT = re.compile(r"^([^:：]{2,16})[:：]\s*(.+)$", re.S)
_ENUMERATION = re.compile(r"^(?:其中|[（(]?[一二三四五六七八九十\d]+[)）、.．]|[:：、.．\s])+")
_TEXT_AMOUNT = re.compile(
    r"^\s*(?P<number>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)?\s*(?P<rest>.*)$", re.S
)
_TITLE_NAME = re.compile(
    r"^(?:附件\s*\d*\s*)?(?:\d{4}\s*年度?)?\s*(?P<name>.+?)(?:支出)?"
    r"(?:绩效(?:目标|评价|自评)|区域绩效)[^\n]*表"
)
_PRIOR_YEAR = re.compile(r"^\d{4}年.*实际|^上年")
_EXPECTED = re.compile(r"预期|计划|目标")
_SCORE_IN_NAME = re.compile(
    r"^(?P<name>.*?)\s*[（(]\s*(?P<score>\d+(?:\.\d+)?(?:\s*[-—~～]\s*\d+(?:\.\d+)?)?)\s*分?\s*[)）]\s*分?\s*$"
)
_CODED_UNIT = re.compile(r"^\s*(?P<code>\d{3,})\s*[-－—]\s*(?P<name>\S.*?)\s*$")
MAX_BLANK_ROWS = 2
_HEADER_UNIT = re.compile(r"（\s*([^（）\s]{1,4})\s*）$")
# Units a value column's header may name; anything else in its brackets is a note ((A), (必填))
MEASURE_UNITS = frozenset(
    [
        "%",
        "万元",
        "元",
        "亿元",
        "人",
        "人次",
        "个",
        "次",
        "天",
        "日",
        "年",
        "月",
        "亩",
        "万亩",
        "公顷",
        "公里",
        "千米",
        "米",
        "平方米",
        "立方米",
        "吨",
        "件",
        "户",
        "所",
        "家",
        "项",
        "篇",
        "场",
        "台",
        "套",
        "辆",
        "份",
        "册",
        "批",
        "批次",
        "课时",
        "小时",
        "座",
        "处",
        "株",
        "棵",
    ]
)
# Titles that name no project: a table titled 项目支出绩效目标表 has no project name in it
_GENERIC_NAMES = frozenset(("项目", "部门", "单位", "部门整体", "单位整体", "整体", "区域"))
# roles of a table's project columns (one row per indicator), not of its indicators
_PROJECT_ROLES = frozenset(("project_name", "project_code", "unit", "unit_code", "total", "goals"))


@lru_cache(maxsize=1 << 14)
def vocabulary_key(text: str) -> str:
    """A header or label as the vocabulary spells it (see ``headers``)."""
    key = header_key(text).lstrip("*＊").rstrip("：:")
    return _BRACKETS.sub("", key).lstrip("*＊").rstrip("：:")


def _term_of(text: str) -> str:
    """``period``/``annual`` when a header names its term (``指标值(长期)``), else ""."""
    key = header_key(text)
    if any(mark in key for mark in PERIOD_MARKS):
        return "period"
    if any(mark in key for mark in ANNUAL_MARKS):
        return "annual"
    return ""


@lru_cache(maxsize=1 << 14)  # every cell of a sheet is asked; header words recur
def role_of(text: str) -> str | None:
    """The role of a header cell, or None for a word the vocabulary does not know."""
    if not text:
        return None
    key = vocabulary_key(text)
    role = INDICATOR_ROLES.get(key)
    if role is None:
        bare = key.replace("年度", "").replace("长期", "").replace("中期", "")
        bare = bare.replace("实施周期", "").replace("当年", "")
        role = INDICATOR_ROLES.get(bare) if bare != key else None
        if role in ("value", "annual", "period"):
            return _term_of(text) or role
    if role == "value":
        return _term_of(text) or "value"
    return role


def _sub_role(text: str) -> str | None:
    """A cell of a header's second row under a spanning ``指标值``: which year it is."""
    role = role_of(text)
    if role is not None:
        return role
    key = vocabulary_key(text)
    if _PRIOR_YEAR.search(key):
        return "prior"
    if _EXPECTED.search(key):
        return "annual"
    return None


@dataclass
class Header:
    """An indicator table's header: the rows it takes and each column's role."""

    first: int  # first header row
    data: int  # first row below the header
    roles: dict[int, str] = field(default_factory=dict)  # column -> role
    halves: int | None = None  # column where a second (annual) half starts
    # a unit the value column's header names (``指标值（%）``), for bare numbers under it
    value_unit: str = ""
    project_columns: dict[int, str] = field(default_factory=dict)  # value column -> project

    def column(self, role: str) -> int | None:
        return next((c for c, r in self.roles.items() if r == role), None)


def _row_roles(grid: Grid, row: int) -> dict[int, str]:
    roles = {}
    for col, text in enumerate(grid.row_texts(row)):
        role = role_of(text)
        if role is not None:
            roles[col] = role
    return roles


def _is_header(roles: dict[int, str]) -> bool:
    found = set(roles.values())
    if "l3" not in found:
        return False
    return bool(found & {"l1", "l2", *VALUE_ROLES, "measure_unit", "nature", "weight"})


def _horizontal_merge(grid: Grid, row: int, col: int) -> tuple[int, int] | None:
    merge = grid.merge_from(row, col)
    if merge is not None and merge[3] > merge[1]:
        return merge[1], merge[3]
    return None


def find_headers(grid: Grid) -> list[Header]:
    headers: list[Header] = []
    row = 0
    while row < grid.n_rows:
        roles = _row_roles(grid, row)
        if not _is_header(roles):
            row += 1
            continue
        header = _header_at(grid, row, roles)
        headers.append(header)
        row = header.data
    return headers


def _header_at(grid: Grid, row: int, roles: dict[int, str]) -> Header:
    header = Header(first=row, data=row + 1, roles=dict(roles))
    texts = grid.row_texts(row)
    # the row above names columns this row leaves blank, or spans a term over several
    if row > 0:
        above = grid.row_texts(row - 1)
        above_roles = {
            c: r for c, r in _row_roles(grid, row - 1).items() if r not in _PROJECT_ROLES
        }
        if above_roles and not _is_header(above_roles):
            header.first = row - 1
            for col, role in above_roles.items():
                if col >= len(texts) or not texts[col]:
                    header.roles[col] = role
                span = _horizontal_merge(grid, row - 1, col)
                term = _term_of(above[col]) if role in VALUE_ROLES else ""
                if span and term:
                    for c in range(span[0], span[1] + 1):
                        if header.roles.get(c) == "value":
                            header.roles[c] = term
    # the row below splits a spanning header (指标值 over 2021年实际 | 预期2022年)
    below = grid.row_texts(row + 1)
    spans = [s for c in roles if (s := _horizontal_merge(grid, row, c))]
    filled = [c for c, t in enumerate(below) if t]
    if (
        spans
        and filled
        and all(any(a <= c <= b for a, b in spans) for c in filled)
        and not _is_header(_row_roles(grid, row + 1))
    ):
        header.data = row + 2
        for a, b in spans:
            parent = header.roles.get(a)
            subs = {c: _sub_role(below[c]) for c in range(a, b + 1) if c < len(below) and below[c]}
            if not subs:
                continue
            for c in range(a, b + 1):
                header.roles.pop(c, None)
            for c, sub in subs.items():
                if sub is not None:
                    header.roles[c] = sub if sub != "value" or parent is None else parent
    _bare_unit_columns(header, texts)
    _split_halves(header)
    _column_projects(grid, header, texts)
    header.value_unit = next(
        (
            unit
            for c, r in sorted(header.roles.items())
            if r in VALUE_ROLES and c < len(texts) and (unit := _unit_in_header(texts[c]))
        ),
        "",
    )
    return header


def _unit_in_header(text: str) -> str:
    """``指标值（%）`` -> ``%``: a unit in brackets after a value column's name."""
    match = _HEADER_UNIT.search(header_key(text))
    return match[1] if match and match[1] in MEASURE_UNITS else ""


def _bare_unit_columns(header: Header, texts: list[str]) -> None:
    """A column headed just ``单位``: the measure unit right after a value column, the
    budget unit of a project-column table elsewhere."""
    for col, text in enumerate(texts):
        if col in header.roles or vocabulary_key(text) != "单位":
            continue
        if header.roles.get(col - 1) in VALUE_ROLES:
            header.roles[col] = "measure_unit"
        elif "l3" in header.roles.values() and col < min(
            c for c, r in header.roles.items() if r in ("l1", "l2", "l3")
        ):
            header.roles[col] = "unit"


def _split_halves(header: Header) -> None:
    """Two halves side by side (``二级 三级 指标值 | 二级 三级 指标值``): the first is the
    实施周期 (中期, 长期) value, the second the 年度 one, unless their headers say otherwise."""
    l3_columns = sorted(c for c, r in header.roles.items() if r == "l3")
    if len(l3_columns) < 2:
        return
    second = l3_columns[1]
    start = second
    while start - 1 > l3_columns[0] and header.roles.get(start - 1) in ("l1", "l2"):
        start -= 1
    header.halves = start
    for col in sorted(header.roles):
        role = header.roles[col]
        if col >= start:
            header.roles[col] = {"value": "annual", "l1": "l1_b", "l2": "l2_b", "l3": "l3_b"}.get(
                role, role
            )
        elif role == "value":
            header.roles[col] = "period"


def _column_projects(grid: Grid, header: Header, texts: list[str]) -> None:
    """A table with one value column per project (安溪: a column per village) and no value
    column of its own: each named column right of 三级 is a project."""
    if any(r in VALUE_ROLES for r in header.roles.values()):
        return
    l3 = header.column("l3")
    if l3 is None:
        return
    for col in range(l3 + 1, len(texts)):
        if texts[col] and col not in header.roles:
            header.project_columns[col] = texts[col]


def detect(grid: Grid) -> list[Header] | None:
    headers = [h for h in find_headers(grid) if _has_rows(grid, h)]
    return headers or None


def _has_rows(grid: Grid, header: Header) -> bool:
    """A table has a row naming an indicator or giving a value: a header over notes or over
    a line like 两个版本没有差别 is none."""
    named = [c for c, r in header.roles.items() if r in ("l3", *VALUE_ROLES)]
    named += list(header.project_columns)
    for row in _table_rows(grid, header, stop=grid.n_rows):
        texts = grid.row_texts(row)
        if any(texts[c] for c in named if c < len(texts)):
            return True
    return False


def _is_footer(texts: list[str]) -> bool:
    first = next((t for t in texts if t), "")
    key = first.lstrip("*＊").replace(" ", "").replace("\u3000", "")
    return key.startswith(FOOTER_STARTS) or any(m in key for m in FOOTER_MARKS)


def _is_label_row(texts: list[str]) -> bool:
    """A row of a form's labels (项目名称, 实施单位 …): the next form has begun."""
    for text in texts:
        if not text:
            continue
        key = vocabulary_key(text)
        inline = _LABEL_SPLIT.match(text)
        if inline:
            key = vocabulary_key(inline[1])
        entry = FORM_LABELS.get(key)
        if entry and entry[0] in ("name", "unit", "code", "department"):
            return True
    return False


def _table_rows(grid: Grid, header: Header, stop: int) -> Iterator[int]:
    """The rows of a table, until a footer, a new header, a form's labels or blank rows."""
    used = set(header.roles) | set(header.project_columns)
    blank = 0
    for row in range(header.data, stop):
        texts = grid.row_texts(row)
        if not any(texts):
            blank += 1
            if blank >= MAX_BLANK_ROWS:
                return
            continue
        blank = 0
        if _is_footer(texts) or _is_header(_row_roles(grid, row)) or _is_label_row(texts):
            return
        if not any(texts[c] for c in used if c < len(texts)):
            continue
        yield row


def read(grid: Grid, headers: list[Header]) -> SheetRead:
    result = SheetRead(NAME)
    previous_end = 0
    for index, header in enumerate(headers):
        stop = headers[index + 1].first if index + 1 < len(headers) else grid.n_rows
        rows = list(_table_rows(grid, header, stop))
        form = _read_form(grid, previous_end, header.first)
        previous_end = (rows[-1] + 1) if rows else header.data
        _read_table(grid, header, rows, form, result)
    return result


# -- the form around a table -------------------------------------------------------------


@dataclass
class Form:
    """What a form's labels say about the project of the table below them."""

    values: dict[str, tuple[int, str, tuple[int, int]]] = field(default_factory=dict)
    # every amount part offered, with its label's column: a form with 中期 and 年度 amounts
    # side by side prints 其中:财政拨款 twice, and the 年度 one is under the 年度 total
    parts: dict[str, list[tuple[int, str, tuple[int, int], int]]] = field(default_factory=dict)
    title: str = ""
    department: bool = False
    yuan: bool = False

    def get(self, name: str) -> str:
        return self.values[name][1] if name in self.values else ""

    def cell(self, name: str) -> tuple[int, int] | None:
        return self.values[name][2] if name in self.values else None

    def offer(
        self, name: str, rank: int, text: str, cell: tuple[int, int], column: int = 0
    ) -> None:
        if not text:
            return
        if name in ("fiscal", "other"):
            self.parts.setdefault(name, []).append((rank, text, cell, column))
        elif name not in self.values or rank < self.values[name][0]:
            self.values[name] = (rank, text, cell)
            if name == "total":
                self.total_column = column

    total_column: int = 0

    def resolve_parts(self) -> None:
        """Each amount part from the label nearest the total's column (the same half)."""
        for name, offered in self.parts.items():
            best = min(offered, key=lambda o: (o[0], abs(o[3] - self.total_column)))
            self.values[name] = best[:3]


def _label(text: str) -> tuple[str, int, str] | None:
    """(field, rank, inline value) of a label cell, ``项目名称`` or ``预算单位: 某某``."""
    key = _ENUMERATION.sub("", vocabulary_key(text))
    entry = FORM_LABELS.get(key)
    if entry is not None:
        return entry[0], entry[1], ""
    inline = _LABEL_SPLIT.match(text)
    if inline:
        key = _ENUMERATION.sub("", vocabulary_key(inline[1]))
        entry = FORM_LABELS.get(key)
        if entry is not None:
            return entry[0], entry[1], inline[2].strip()
    return None


def _read_form(grid: Grid, start: int, end: int) -> Form:
    form = Form()
    for row in range(start, end):
        texts = grid.row_texts(row)
        for col, text in enumerate(texts):
            if not text:
                continue
            if AMOUNTS_IN_YUAN.search(text):
                form.yuan = True
            if not form.title and not _label(text) and _is_title(text, texts):
                form.title = text
            if any(mark in text for mark in DEPARTMENT_MARKS):
                form.department = True
            label = _label(text)
            if label is None or not label[0]:
                continue
            name, rank, inline = label
            if name in ("department", "department_code"):
                form.department = True  # 部门名称/部门编码: a unit's own form
            if inline:
                form.offer(name, rank, inline, (row, col))
                continue
            if name in ("total", "fiscal", "other"):
                found = _amount_right(grid, row, col)
                if found:
                    form.offer(name, rank, *found, column=col)
                continue
            value = _value_right(grid, row, col)
            if value is None and name == "goals":
                value = _value_below(grid, row, col)
            if value is not None:
                form.offer(name, rank, *value)
    form.resolve_parts()
    return form


def _is_title(text: str, texts: list[str]) -> bool:
    return sum(1 for t in texts if t) == 1 and ("表" in text[-4:] or "绩效目标" in text)


def _value_right(grid: Grid, row: int, col: int) -> tuple[str, tuple[int, int]] | None:
    texts = grid.row_texts(row)
    for c in range(col + 1, len(texts)):
        if texts[c]:
            if _label(texts[c]) is not None or role_of(texts[c]) is not None:
                return None
            return texts[c], (row, c)
    return None


def _value_below(grid: Grid, row: int, col: int) -> tuple[str, tuple[int, int]] | None:
    """A goal printed under its label (预期目标, 年度目标): the cells below it, as far as the
    row label to its left reaches (a merged ``年度总体目标`` over both rows)."""
    last = row + 1
    for _r0, c0, r1, _c1 in grid.merges_over(row):
        if c0 < col:
            last = max(last, r1)
    lines: list[str] = []
    first_cell = None
    for r in range(row + 1, min(last, grid.n_rows - 1) + 1):
        text = grid.text(r, col)
        if not text or _label(text) is not None or role_of(text) is not None:
            if lines:
                break
            continue
        lines.append(text)
        first_cell = first_cell or (r, col)
    if not lines or first_cell is None:
        return None
    return "\n".join(lines), first_cell


def _amount_right(grid: Grid, row: int, col: int) -> tuple[str, tuple[int, int]] | None:
    """The first amount right of an amount label: a number, or text like ``164万元``."""
    texts = grid.row_texts(row)
    for c in range(col + 1, len(texts)):
        value = grid.value(row, c)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return texts[c], (row, c)
        if texts[c]:
            if _TEXT_AMOUNT.match(texts[c]):
                return texts[c], (row, c)
            if _label(texts[c]) is not None:
                return None
    return None


# -- reading a table ---------------------------------------------------------------------


def _read_table(grid: Grid, header: Header, rows: list[int], form: Form, result: SheetRead) -> None:
    roles = header.roles
    columns = {role: col for col, role in sorted(roles.items(), reverse=True)}  # first wins
    has_project_column = "project_name" in columns or "unit" in columns
    department = form.department and "name" not in form.values and not has_project_column
    if header.project_columns:
        # a project column holds values on the table's rows; a named column without any is
        # not a project (a note column, an empty template's)
        header.project_columns = {
            col: name
            for col, name in header.project_columns.items()
            if any(grid.text(row, col) for row in rows)
        }
        projects = [
            _form_project(grid, form, header, result, name=name, with_amount=False)
            for name in header.project_columns.values()
        ]
        result.projects.extend(projects)
    elif department:
        projects = []
    elif not has_project_column:
        projects = [_form_project(grid, form, header, result)]
        result.projects.append(projects[0])
    else:
        projects = []
    indicators = _indicators(grid, header, columns, rows, result, form.get("name"))
    if department:
        goal = DepartmentGoal(
            goal=form.get("goals"),
            total=_form_amounts(grid, form, result).total if form.cell("total") else None,
            indicators=[item for _row, item, _p in indicators],
            source=grid.location(header.first, 0),
        )
        result.department_goals.append(goal)
        result.department = result.department or form.get("department")
        return
    if header.project_columns:
        for project, col in zip(projects, header.project_columns, strict=True):
            for row, item, _p in indicators:
                copy = dataclasses.replace(item, cells=dict(item.cells))
                text = grid.text(row, col)
                copy.annual_value = text
                copy.target = text
                copy.cells["annual_value"] = grid.location(row, col)
                copy.seq = len(project.indicators) + 1
                project.indicators.append(copy)
        return
    if projects:
        for _row, item, _p in indicators:
            item.seq = len(projects[0].indicators) + 1
            projects[0].indicators.append(item)
        return
    _rows_projects(grid, columns, indicators, result)


def _indicators(
    grid: Grid,
    header: Header,
    columns: dict[str, int],
    rows: list[int],
    result: SheetRead,
    project: str = "",
) -> list[tuple[int, Indicator, dict[str, str]]]:
    """The indicators of a table's rows, 一级/二级 carried down, with the project columns of
    each row (tables with one row per indicator)."""
    found: list[tuple[int, Indicator, dict[str, str]]] = []
    l1 = l1_score = l2 = ""
    l1_col, l2_col = columns.get("l1"), columns.get("l2")
    waiting: list[Indicator] = []  # rows above the first 一级 of the table
    for row in rows:
        texts = grid.row_texts(row)

        def text(role: str, texts: list[str] = texts) -> str:
            col = columns.get(role)
            return texts[col] if col is not None and col < len(texts) else ""

        if text("l1") and text("l1") != l1:
            if l1 and not text("l2"):
                l2 = ""  # a new 一级 starts its own 二级 (a first 一级 in the middle keeps it)
            l1, l1_score = _score_in_name(text("l1"))
            if waiting:
                for item in waiting:
                    item.l1, item.l1_score = l1, l1_score
                result.findings.append(
                    CLASS_FILLED_UP.at(
                        grid.location(row, l1_col or 0), l1=l1, row=row + 1, count=len(waiting)
                    )
                )
                waiting = []
        if text("l2"):
            l2 = _one_line(text("l2"))
        l3 = _one_line(text("l3"))
        values = {role: text(role) for role in (*VALUE_ROLES, "l3_b")}
        if not l3 and not any(values.values()) and not header.project_columns:
            continue  # a class printed with nothing under it
        if not l3 and header.project_columns:
            continue
        item = _indicator(grid, row, header, columns, texts, l1, l1_score, l2, l3)
        if l1_col is not None and not l1:
            waiting.append(item)
        project_fields = {
            role: text(role)
            for role in ("project_name", "project_code", "unit", "unit_code", "total", "goals")
        }
        found.append((row, item, project_fields))
        right = _one_line(text("l3_b"))
        if header.halves is not None and right and l3 and right != l3:
            item.annual_value = ""
            other = _indicator(grid, row, header, columns, texts, l1, l1_score, l2, right)
            other.period_value = ""
            other.l2 = _one_line(text("l2_b")) or l2
            result.findings.append(
                UNPAIRED.at(
                    grid.location(row, columns["l3_b"]),
                    project=project,
                    row=row + 1,
                    left=f"{l2}/{l3}",
                    right=f"{_one_line(text('l2_b')) or l2}/{right}",
                )
            )
            found.append((row, other, project_fields))
    missing = [name for name, col in (("一级", l1_col), ("二级", l2_col)) if col is None]
    if missing and found:
        result.findings.append(
            NO_CLASSES.at(
                grid.location(header.first, 0),
                sheet=grid.sheet,
                row=header.first + 1,
                missing="、".join(missing),
            )
        )
    return found


def _one_line(text: str) -> str:
    """A label wrapped inside its cell (``经济效益\\n指标\\n(选填)``) as one line."""
    return "".join(part.strip() for part in text.splitlines()) if "\n" in text else text


def _score_in_name(text: str) -> tuple[str, str]:
    """``产出指标(50分)`` -> (``产出指标(50分)`` as printed, ``50``): the weight is kept
    beside the name, which stays as the table prints it."""
    text = _one_line(text)
    match = _SCORE_IN_NAME.match(text)
    return (text, match["score"]) if match else (text, "")


def _indicator(
    grid: Grid,
    row: int,
    header: Header,
    columns: dict[str, int],
    texts: list[str],
    l1: str,
    l1_score: str,
    l2: str,
    l3: str,
) -> Indicator:
    def text(role: str) -> str:
        col = columns.get(role)
        return texts[col] if col is not None and col < len(texts) else ""

    nature, direction = text("nature"), text("direction")
    operator = _operator(direction) or _operator(nature)
    unit = text("measure_unit") or header.value_unit
    # a second plain value column (指标值 … 目标值) is read where the first is empty
    annual_raw = text("annual") or next(
        (
            texts[c]
            for c, r in sorted(header.roles.items())
            if r == "value" and c < len(texts) and texts[c]
        ),
        "",
    )
    period_raw = text("period")
    item = Indicator(
        l1=l1,
        l1_score=l1_score,
        l2=l2,
        l3=l3,
        nature="" if _operator(nature) else nature,
        direction=direction,
        target=annual_raw,
        measure_unit=unit,
        score=text("weight"),
        explanation=text("explanation"),
        scoring=text("scoring"),
        remark=text("remark"),
        basis=text("basis"),
        description=text("description"),
        actual=text("actual"),
        awarded=text("awarded"),
        deviation=text("deviation"),
        annual_value=compose(operator, annual_raw, unit),
        period_value=compose(operator, period_raw, unit),
        source=grid.location(row, columns.get("l3", 0)),
    )
    item.cells = {
        role: grid.location(row, col)
        for role, col in columns.items()
        if role not in ("project_name", "project_code", "unit", "unit_code", "total", "goals")
    }
    for role, name in (
        ("annual", "annual_value"),
        ("value", "annual_value"),
        ("period", "period_value"),
    ):
        if role in columns:
            item.cells.setdefault(name, grid.location(row, columns[role]))
    return item


def _operator(text: str) -> str:
    """The operator a cell writes (``≥``, ``﹦``, ``大于等于``), or "" for anything else."""
    text = text.strip()
    if text in OPERATORS:
        return OPERATORS[text]
    if text and all(ch in _SYMBOLS for ch in text) and len(text) <= 2:
        return text
    return ""


def compose(operator: str, value: str, unit: str) -> str:
    """The value as a clerk reads the row: ``≥`` ``95`` ``%`` -> ``≥95%``. A value that
    already says its operator or unit, or is words, is taken as written."""
    value = value.strip()
    if not value:
        return ""
    parsed = parse_value(value)
    if parsed.number is None:
        return value
    head = "" if parsed.op or value[0] in _SYMBOLS else operator
    unit = unit.strip()
    tail = "" if parsed.unit or not unit or parse_value(unit).number is not None else unit
    return f"{head}{value}{tail}"


def _form_project(
    grid: Grid,
    form: Form,
    header: Header,
    result: SheetRead,
    *,
    name: str | None = None,
    with_amount: bool = True,
) -> Project:
    unit_text = form.get("unit")
    project_name = name if name is not None else form.get("name")
    cells = {}
    for key in ("name", "unit", "code", "total", "fiscal", "other", "goals"):
        cell = form.cell(key)
        if cell is not None:
            cells[key] = grid.location(*cell)
    if name is None and not project_name and form.title and "name" not in form.values:
        match = _TITLE_NAME.match(form.title.replace("\n", ""))
        if match and match["name"].strip() not in _GENERIC_NAMES and len(match["name"]) > 2:
            project_name = match["name"].strip()
            result.findings.append(
                NAME_FROM_TITLE.at(grid.location(header.first, 0), name=project_name)
            )
    if not project_name:
        result.findings.append(
            UNNAMED_PROJECT.at(
                grid.location(*(form.cell("name") or (header.first, 0))),
                sheet=grid.sheet,
                row=header.data + 1,
            )
        )
    amounts = Amounts()
    if with_amount:
        amounts = _form_amounts(grid, form, result)
    coded = _CODED_UNIT.match(unit_text)  # 219001-某镇人民政府, as the 一体化 systems print it
    return Project(
        unit=Unit(code=coded["code"], name=coded["name"]) if coded else Unit(name=unit_text),
        code=form.get("code"),
        name=project_name,
        amounts=amounts,
        goals=split_lines(form.get("goals")),
        source=grid.location(*(form.cell("name") or (header.first, 0))),
        cells=cells,
    )


def _form_amounts(grid: Grid, form: Form, result: SheetRead) -> Amounts:
    if form.yuan:
        result.findings.append(MONEY_IN_YUAN.at(grid.location(0, 0), sheet=grid.sheet))
    parts: dict[str, Decimal | None] = {}
    for key in ("total", "fiscal", "other"):
        cell = form.cell(key)
        parts[key] = None
        if cell is not None:
            parts[key] = _amount(grid, cell, form.yuan, result, form.get(key))
    total = parts["total"]
    if not total and parts["fiscal"]:
        total = parts["fiscal"] + (parts["other"] or 0)
        where = form.cell("total") or form.cell("fiscal")
        assert where is not None
        result.findings.append(TOTAL_FROM_PARTS.at(grid.location(*where), total=_plain(total)))
    return Amounts(total=total, fiscal=parts["fiscal"], other=parts["other"])


def _amount(
    grid: Grid, cell: tuple[int, int], yuan: bool, result: SheetRead, text: str = ""
) -> Decimal | None:
    """The amount in a cell, or in ``text`` (its value after a label, ``年度资金总额：120万元``)."""
    value = grid.value(*cell)
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return amount / 10_000 if yuan else amount
    text = text or grid.text(*cell)
    match = _TEXT_AMOUNT.match(text)
    if not match:
        return None
    try:
        amount = Decimal(match["number"].replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    unit = match["unit"] or ""
    if unit == "元" or (not unit and yuan):
        amount = amount / 10_000
    rest = match["rest"].strip()
    if rest or unit not in ("", "万元"):  # 万, 元, or words after the number: say how it was read
        note = f"（其后的“{rest}”未计入）" if rest else ""
        result.findings.append(
            AMOUNT_GUESSED.at(grid.location(*cell), text=text, amount=_plain(amount), note=note)
        )
    return amount


def _plain(amount: Decimal) -> str:
    """An amount for a message: ``90``, ``0.0238``, never ``90.0`` or ``2.38E-2``."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rows_projects(
    grid: Grid,
    columns: dict[str, int],
    indicators: list[tuple[int, Indicator, dict[str, str]]],
    result: SheetRead,
) -> None:
    """Tables with one row per indicator and project columns: a project starts where its
    name (or unit) changes, and a name repeated on every row is one project."""
    current: Project | None = None
    key: tuple[str, str] | None = None
    for row, item, fields in indicators:
        name, unit = fields.get("project_name", ""), fields.get("unit", "")
        if name or unit:
            new_key = (
                name or (current.name if current else ""),
                unit or (current.unit.name if current else ""),
            )
            if new_key != key:
                key = new_key
                current = Project(
                    unit=Unit(code=fields.get("unit_code", ""), name=new_key[1]),
                    code=fields.get("project_code", ""),
                    name=new_key[0] or (WHOLE_UNIT if "project_name" not in columns else ""),
                    goals=split_lines(fields.get("goals", "")),
                    source=grid.location(row, columns.get("project_name", columns.get("unit", 0))),
                )
                if fields.get("total"):
                    total = _amount(grid, (row, columns["total"]), False, result)
                    current.amounts = Amounts(total=total)
                result.projects.append(current)
        if current is None:
            current = Project(source=grid.location(row, 0))
            result.projects.append(current)
        item.seq = len(current.indicators) + 1
        current.indicators.append(item)
