"""Column headers of the layouts, as clerks see them: the one place they are spelled."""

from __future__ import annotations

from functools import lru_cache

from jixiao.framework import SIMPLIFIED

# Long layout (指标明细): one row per indicator, field name -> header.
LONG_COLUMNS: dict[str, str] = {
    "unit_code": "单位编码",
    "unit_name": "单位名称",
    "project_code": "项目编码",
    "project_name": "项目名称",
    "seq": "序号",
    "l1_code": "一级指标编码",
    "l1": "一级指标",
    "l2_code": "二级指标编码",
    "l2": "二级指标",
    "l3": "三级指标",
    "description": "绩效指标描述",
    "period_value": "实施周期指标值",
    "annual_value": "年度指标值",
    "basis": "指标值确定依据",
}
LONG_HEADERS = tuple(LONG_COLUMNS.values())
# Written after the 14 only when some indicator carries them (indicator-row tables do), so a
# long workbook keeps every attribute those tables hold.
ATTRIBUTE_COLUMNS: dict[str, str] = {
    "nature": "指标性质",
    "direction": "指标方向",
    "target": "目标值",
    "measure_unit": "计量单位",
    "score": "分值",
    "l1_score": "一级指标分值",
    "explanation": "指标解释",
    "scoring": "评（扣）分标准",
    "remark": "备注",
}
LONG_SHEET = "指标明细"

# Wide layout (Guangzhou): one row per project.
WIDE_HEADERS = (
    "项目名称（资金使用单位）",
    "总计",
    "财政拨款",
    "财政专户拨款",
    "其他资金",
    "绩效目标",
    "绩效指标",
)
WIDE_SHEET = "项目支出绩效目标表"
WIDE_TOTAL_ROW = "合计"

# Project sheet beside 指标明细 in long workbooks: what the 14 indicator columns cannot hold.
PROJECT_COLUMNS: dict[str, str] = {
    "unit_code": "单位编码",
    "unit_name": "单位名称",
    "project_code": "项目编码",
    "project_name": "项目名称",
    "total": "总计",
    "fiscal": "财政拨款",
    "special_account": "财政专户拨款",
    "other": "其他资金",
    "purpose": "资金用途",
    "goals": "绩效目标",
    "spending_plan": "资金支出计划（%）",
}
PROJECT_SHEET = "项目信息"

# Consolidated workbooks: the wide summary repeats 指标明细/项目信息, so readers that meet a
# 来源 sheet read the long sheets only.
SUMMARY_SHEET = "项目汇总"
SOURCES_SHEET = "来源"
STATISTICS_SHEET = "统计"

# Indicator rows with attributes (the 一体化 system's export, Inner Mongolia; Hunan's
# tables): one row per indicator, project columns filled on a project's first row only.
ROWS_COLUMNS: dict[str, str] = {
    "project_name": "项目名称",
    "unit": "项目单位",
    "category": "项目类别",
    "total": "预算数（万元）",
    "goals": "年度绩效目标",
    "l1": "一级指标",
    "l2": "二级指标",
    "l3": "三级指标",
    "nature": "指标性质",
    "direction": "指标方向",
    "target": "目标值",
    "measure_unit": "计量单位",
    "score": "分值",
    "explanation": "指标解释",
    "scoring": "评（扣）分标准",
    "remark": "备注",
}
# Other headers these tables use for the same fields (after ALIASES).
ROWS_MORE_COLUMNS: dict[str, str] = {
    "单位名称": "unit",
    "单位编码": "unit_code",
    "预算数": "total",
    "绩效目标": "goals",
    "整体绩效目标": "goals",
    "指标值": "target",
}
ROWS_SHEET = "绩效指标"
# A table of a whole unit's targets (部门整体, Hunan's 整体支出绩效目标表) has no 项目名称:
# each unit's indicators are read as one project of this name.
WHOLE_UNIT = "部门整体"
# The columns that tell these tables from 指标明细: at least one must be there.
ROWS_ATTRIBUTES = ("nature", "direction", "measure_unit", "score", "scoring")

# Forms with 长期绩效指标 and 年度绩效指标 blocks (Shaanxi's and Hunan's 申报表): the columns
# of each block, and the labels of the form (header -> field).
TERM_COLUMNS: dict[str, str] = {
    "一级指标": "l1",
    "二级指标": "l2",
    "三级指标": "l3",
    "指标值": "value",
    "备注": "remark",
}
TERM_LABELS: dict[str, str] = {
    "长期绩效指标": "long_term",
    "中长期绩效指标": "long_term",
    "项目总体绩效目标衡量指标": "long_term",  # 广西's export template
    "年度绩效指标": "annual",
    "项目年度绩效目标衡量指标": "annual",
    "项目名称": "name",
    "项目实施单位": "unit",
    "实施单位": "unit",
    "主管部门": "department",
    "年度资金总额": "total",
    "年度资金总额（万元）": "total",
    "中长期目标": "long_goal",
    "长期目标": "long_goal",
    "年度目标": "annual_goal",
}

# Cards (Tianjin, Tangshan): the indicator table's columns and the labels of a card.
CARD_COLUMNS: dict[str, str] = {
    "一级指标": "l1",
    "二级指标": "l2",
    "三级指标": "l3",
    "绩效指标描述": "description",
    "指标值": "annual_value",
    "年度指标值": "annual_value",
    "实施周期指标值": "period_value",
    "指标值确定依据": "basis",
}
CARD_LABELS: dict[str, str] = {
    "code": "项目编码",
    "name": "项目名称",
    "total": "预算数",
    "fiscal": "其中：财政资金",
    "other": "其他资金",
    "plan": "资金支出计划（%）",
    "goals": "绩效目标",
    "budget": "预算规模及资金用途",
}

# 东莞's card: the words its reader looks for (in cells that also hold a value, like
# 预算单位:东莞展览馆, so they are found inside the cell's text).
HALVES_PERIOD_VALUE = "实施周期指标值"
HALVES_ANNUAL_VALUE = "当年度指标值"
HALVES_LABELS: dict[str, str] = {
    "unit": "预算单位",
    "name": "项目名称",
    "total": "申请市财政预算资金",
    "period_goal": "实施周期总目标",
    "annual_goal": "年度目标",
}

# Spellings of one header across regions and systems -> the spelling the layouts above
# use. header_key applies it to whole headers, so every layout accepts every spelling.
ALIASES: dict[str, str] = {
    "指标名称": "三级指标",
    "指标内容": "三级指标",
    "指标描述": "绩效指标描述",
    "指标值类型": "指标性质",
    "度量单位": "计量单位",
    "权重": "分值",
    "评分标准": "评（扣）分标准",
    "扣分标准": "评（扣）分标准",
    "预算单位": "单位名称",
    "预算金额": "预算数",
    "预算金额（万元）": "预算数",
    "预算数（元）": "预算数",
    "预算金额（元）": "预算数",
    "资金总额": "预算数",
}
# the 14 long headers the long reader also accepts for annual_value
LONG_MORE_COLUMNS: dict[str, str] = {"指标值": "annual_value"}


def _normal(text: str) -> str:
    return "".join(text.split()).translate(SIMPLIFIED)


_ALIAS_KEYS = {_normal(spelling): _normal(word) for spelling, word in ALIASES.items()}


@lru_cache(maxsize=4096)  # detection asks it of the same header and label cells file after file
def header_key(text: str) -> str:
    """Headers compare without spaces or line breaks, in Simplified characters, full-width
    brackets and colons, and under the spelling of ALIASES."""
    key = _normal(text)
    return _ALIAS_KEYS.get(key, key)


def column_keys(*tables: dict[str, str]) -> dict[str, str]:
    """header_key -> field of header -> field tables (the first table naming a key wins)."""
    keys: dict[str, str] = {}
    for table in tables:
        for header, field in table.items():
            keys.setdefault(header_key(header), field)
    return keys


def match_columns(texts: list[str], keys: dict[str, str]) -> dict[str, int]:
    """Field -> column of a header row, first match wins; ``keys`` maps header_key -> field."""
    found: dict[str, int] = {}
    for col, text in enumerate(texts):
        field = keys.get(header_key(text))
        if field and field not in found:
            found[field] = col
    return found
