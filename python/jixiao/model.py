"""The data model every layout reads into and writes from.

Readers fill ``source``/``cells`` so that any later finding can name the exact
cell (``Sheet!F12``) a value came from; writers ignore them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, MutableMapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, TypeAdapter

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclasses.dataclass(slots=True, unsafe_hash=True)
class SourceLocation:
    """Where a value came from: file, sheet, cell, and a character offset inside the cell.

    A slotted dataclass rather than a model: a reader makes one per cell it reads (about
    eleven per indicator row), and as a model each cost ~450 bytes and ~0.1 µs more to
    build; pydantic still validates and serialises it as a field of the models. Never
    changed once made, but not ``frozen``: a frozen dataclass sets each field through
    ``object.__setattr__``, 1.35 µs a location against 0.38 µs (a tenth of reading a
    large consolidation); hashed by value as before.
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    offset: int | None = None

    def at_offset(self, offset: int | None) -> SourceLocation:
        # not dataclasses.replace: one per packed item, and replace costs 9 µs, this 0.3
        return SourceLocation(self.file, self.sheet, self.cell, offset)

    def describe(self) -> str:
        """Chinese description for messages, e.g. ``文件 a.xlsx，工作表 Sheet1，单元格 G6``."""
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.offset is not None:
            parts.append(f"第 {self.offset + 1} 个字符")
        return "，".join(parts)


class SheetColumns:
    """The columns of one table a reader reads, shared by every row's ``RowCells``: the
    file, the sheet and each field's column letters."""

    __slots__ = ("file", "letters", "sheet")

    def __init__(self, file: str | None, sheet: str | None, letters: dict[str, str]) -> None:
        self.file, self.sheet, self.letters = file, sheet, letters


class RowCells(MutableMapping[str, SourceLocation]):
    """Where each field of one row is, made when asked for: a reader that made a location
    per cell held eleven per indicator (2 KB each, most of the memory of reading a
    million-row sheet, and a third of its time); this holds the row's number and the
    table's shared columns (56 bytes), and any cell set later."""

    __slots__ = ("_columns", "_extra", "_row")

    def __init__(self, columns: SheetColumns, row: int) -> None:
        self._columns, self._row = columns, row  # row: 1-based, as Excel numbers it
        self._extra: dict[str, SourceLocation | None] | None = None

    def __getitem__(self, field: str) -> SourceLocation:
        extra = self._extra
        if extra is not None and field in extra:
            found = extra[field]
            if found is None:
                raise KeyError(field)
            return found
        columns = self._columns
        letter = columns.letters[field]  # KeyError where the table has no such column
        return SourceLocation(columns.file, columns.sheet, f"{letter}{self._row}")

    def __setitem__(self, field: str, where: SourceLocation) -> None:
        if self._extra is None:
            self._extra = {}
        self._extra[field] = where

    def __delitem__(self, field: str) -> None:
        if field not in self:
            raise KeyError(field)
        if self._extra is None:
            self._extra = {}
        self._extra[field] = None  # a tombstone over the shared columns

    def __iter__(self) -> Iterator[str]:
        extra = self._extra or {}
        yield from (f for f in self._columns.letters if extra.get(f, True) is not None)
        yield from (f for f, v in extra.items() if v is not None and f not in self._columns.letters)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, field: object) -> bool:
        extra = self._extra
        if extra is not None and field in extra:
            return extra[field] is not None
        return field in self._columns.letters

    def __repr__(self) -> str:
        return f"RowCells({dict(self)!r})"

    def __copy__(self) -> RowCells:
        copy = RowCells(self._columns, self._row)
        copy._extra = dict(self._extra) if self._extra is not None else None
        return copy

    def __deepcopy__(self, memo: dict[int, Any]) -> RowCells:
        return self.__copy__()  # the shared columns are never changed


def _cells_as_dict(cells: MutableMapping[str, SourceLocation]) -> dict[str, SourceLocation]:
    return dict(cells)


# Where each field of a row is: a dict, or a row's RowCells (serialised as a dict)
Cells = Annotated[
    MutableMapping[str, SourceLocation],
    PlainSerializer(_cells_as_dict, return_type=dict[str, SourceLocation]),
]


class Finding(BaseModel):
    """One problem or remark about the input, with a stable code and a Chinese message."""

    code: str
    severity: Severity
    message: str
    hint: str = ""
    location: SourceLocation | None = None
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def offset(self) -> int | None:
        return self.location.offset if self.location else None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclasses.dataclass(slots=True)
class Indicator:
    """One 三级 indicator row: its 一级/二级 classes, name, target values and basis.

    A slotted dataclass rather than a model, as ``SourceLocation`` is: a large consolidation
    holds one per indicator, and as a model each took 1,712 bytes (a ``__dict__`` and a
    fields-set) and 6 µs to build, against 280 bytes and 1.4 µs. pydantic validates and
    serialises it wherever it is a field of the models (``Project.model_validate`` of JSON);
    ``validate_indicator`` validates one alone.
    """

    seq: int | None = None
    l1_code: str = ""
    l1: str = ""
    l2_code: str = ""
    l2: str = ""
    l3: str = ""
    description: str = ""
    period_value: str = ""  # 实施周期指标值
    annual_value: str = ""  # 年度指标值 (the card layout's single 指标值)
    basis: str = ""  # 指标值确定依据
    # What indicator-row tables (the 一体化 system's export, Hunan's tables) carry beside
    # the value; "" where a layout has no such column.
    nature: str = ""  # 指标性质 (正向/反向/定性) or 指标值类型 (定量/定性)
    direction: str = ""  # 指标方向: 大于等于/小于等于/等于/大于/小于
    target: str = ""  # 目标值 / 指标值, the number or text alone
    measure_unit: str = ""  # 计量单位 / 度量单位
    score: str = ""  # 分值 / 权重 of this indicator
    l1_score: str = ""  # the weight its 一级 carries: 产出指标(50分) -> "50"
    explanation: str = ""  # 指标解释
    scoring: str = ""  # 评(扣)分标准
    remark: str = ""  # 备注
    # What a 自评表 carries beside the target (kept for self-evaluation; "" elsewhere)
    actual: str = ""  # 实际完成值
    awarded: str = ""  # 得分, the score given (分值 is ``score``)
    deviation: str = ""  # 偏差原因分析及改进措施
    raw: str | None = None  # verbatim text of an item that could not be parsed
    source: SourceLocation | None = None
    cells: Cells = dataclasses.field(default_factory=dict)


class Amounts(BaseModel):
    """Budget amounts in 万元; ``None`` where the table leaves the cell empty."""

    total: Decimal | None = None  # 总计 / 预算数
    fiscal: Decimal | None = None  # 财政拨款 / 其中：财政资金
    special_account: Decimal | None = None  # 财政专户拨款
    other: Decimal | None = None  # 其他资金


class PlanPoint(BaseModel):
    """One column of 资金支出计划（%）: a deadline (``3月底``) and its cumulative share."""

    label: str
    value: str
    source: SourceLocation | None = None


class Unit(BaseModel):
    """A budget unit (单位): code (``201101``) and name."""

    model_config = ConfigDict(frozen=True)

    code: str = ""
    name: str = ""


class Project(BaseModel):
    """One budget project with its amounts, goals and indicator tree."""

    unit: Unit = Field(default_factory=Unit)
    code: str = ""  # 项目编码
    name: str = ""
    category: str = ""  # 项目类别, e.g. 32-专项资金项目
    amounts: Amounts = Field(default_factory=Amounts)
    purpose: str = ""  # 资金用途
    goals: list[str] = Field(default_factory=list)  # 绩效目标, one entry per numbered line
    spending_plan: list[PlanPoint] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    source: SourceLocation | None = None
    cells: Cells = Field(default_factory=dict)
    packed: str | None = None  # the packed cell as read (wide layout), to report rewrites


class DepartmentGoal(BaseModel):
    """One 分项绩效目标 of a department's own (部门整体) targets: the task, its goal and the
    indicators written as prose (``绩效指标：案件审判满意度大于90%为优秀；…``)."""

    task: str = ""
    goal: str = ""
    total: Decimal | None = None  # the unit's own budget, where its table states one (万元)
    indicators: list[Indicator] = Field(default_factory=list)
    source: SourceLocation | None = None


def validate_indicator(data: Any) -> Indicator:
    """One Indicator from JSON-like data, validated as the models validate it."""
    return _indicator_adapter().validate_python(data)


@functools.cache
def _indicator_adapter() -> TypeAdapter[Indicator]:
    return TypeAdapter(Indicator)
