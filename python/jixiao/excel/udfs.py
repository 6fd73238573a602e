"""Cell functions: ``=JX_UNPACK(A2)`` spills indicator rows, ``=JX_PACK(B2:I9)`` packs them back.

Each is a plain function of values (testable without Excel) decorated for xlwings. The
column order of JX_UNPACK is the one JX_PACK reads, so one undoes the other exactly.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from jixiao import packed
from jixiao.grid import cell_text
from jixiao.layouts.headers import LONG_COLUMNS
from jixiao.validate import ORDER
from jixiao.values import parse_value

FIELDS = packed.FIELDS
HEADERS = [LONG_COLUMNS[f] for f in FIELDS]
OK = "OK"


@xw.func
def JX_UNPACK(text: Any) -> list[list[Any]]:
    """拆分打包的绩效指标字符串：每条指标一行（序号、编码、一级、二级、三级、两个指标值）。"""
    result = packed.parse(cell_text(text))
    rows: list[list[Any]] = [list(HEADERS)]
    for item in result.indicators:
        if item.raw is not None:
            rows.append([item.seq or "", "", "", "", "", item.raw, "", ""])
            continue
        rows.append([item.seq, *(getattr(item, f) for f in FIELDS[1:])])
    return rows


@xw.func
@xw.arg("rows", ndim=2)
def JX_PACK(rows: list[list[Any]]) -> str:
    """把指标行（JX_UNPACK 的列顺序，可含表头）合并为打包字符串。"""
    items = []
    for row in rows:
        texts = [cell_text(v) for v in row] + [""] * (len(FIELDS) - len(row))
        if texts[: len(HEADERS)] == HEADERS or not any(texts):
            continue
        seq, l1_code, l1, l2_code, l2, l3, period, annual = texts[: len(FIELDS)]
        items.append(
            packed.PackedItem(
                seq=int(float(seq)) if seq else None,
                l1_code=l1_code,
                l1=l1,
                l2_code=l2_code,
                l2=l2,
                l3=l3,
                period_value=period,
                annual_value=annual,
            )
        )
    try:
        return packed.render(items)
    except packed.RenderError as error:
        return f"错误：{error}"


@xw.func
def JX_CHECK(text: Any) -> str:
    """检查打包字符串的写法：返回第一个问题（含位置和改法），写法无误时返回 OK。

    只看写法（格式、编码、标点、比较符），不看指标是否齐全、指标值是否合理：
    那些请用“绩效目标”选项卡的“校验”。"""
    result = packed.parse(cell_text(text))
    if not result.findings:
        return OK
    ordered = sorted(result.findings, key=lambda f: (ORDER[f.severity], f.offset or 0))
    first = ordered[0]
    place = f"第 {first.offset + 1} 个字处：" if first.offset is not None else ""
    hint = f"（{first.hint}）" if first.hint else ""
    return f"{place}{first.message}{hint}"


@xw.func
def JX_VALUE(text: Any) -> list[list[Any]]:
    """分析指标值：比较符、数值、单位（如 ≥95% → ≥、95、%）；定性指标返回原文。"""
    value = parse_value(cell_text(text))
    if value.number is None:
        return [[value.op or "", value.text, ""]]
    number = float(value.number)
    return [[value.op or "", int(number) if number.is_integer() else number, value.unit]]
