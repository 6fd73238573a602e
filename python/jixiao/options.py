"""The choices a user makes (layouts, fill steps, conflict rules), with their Chinese names.

Kept apart from the modules that act on them so that the command line can offer them, and
answer ``--help`` or ``--version``, without loading any library.
"""

from __future__ import annotations

from typing import Literal

Layout = Literal["wide", "long", "card", "rows", "halves", "terms"]
LAYOUTS: tuple[Layout, ...] = ("wide", "long", "card", "rows", "halves", "terms")
LAYOUT_NAMES = {
    "wide": "宽表",
    "long": "指标明细",
    "card": "卡片",
    "rows": "指标行（一体化）",
    "halves": "卡片（实施周期与当年度并列）",
    "terms": "申报表（长期与年度绩效指标）",
    "projects": "项目信息",
    "department": "部门整体绩效目标",
    "table": "绩效目标表（按表头识别）",
}

OnConflict = Literal["keep-both", "first", "last"]
ON_CONFLICT: tuple[OnConflict, ...] = ("keep-both", "first", "last")

STEPS = ("codes", "normalize", "annual", "totals", "skeleton", "numbering")
STEP_NAMES = {
    "codes": "编码",
    "normalize": "规范化",
    "annual": "指标值",
    "totals": "合计",
    "skeleton": "指标框架",
    "numbering": "序号",
}
