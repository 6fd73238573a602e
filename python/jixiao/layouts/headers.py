"""Column headers of the layouts, as clerks see them: the one place they are spelled."""

from __future__ import annotations

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
ROWS_ALIASES: dict[str, str] = {
    "单位名称": "unit",
    "单位编码": "unit_code",
    "预算单位": "unit",
    "预算数": "total",
    "预算金额": "total",
    "预算金额（万元）": "total",
    "预算数（元）": "total",
    "预算金额（元）": "total",
    "绩效目标": "goals",
    "指标值类型": "nature",
    "指标值": "target",
    "度量单位": "measure_unit",
    "权重": "score",
    "评分标准": "scoring",
    "扣分标准": "scoring",
}
ROWS_SHEET = "绩效指标"
# A table of a whole unit's targets (部门整体, Hunan's 整体支出绩效目标表) has no 项目名称:
# each unit's indicators are read as one project of this name.
WHOLE_UNIT = "部门整体"
# The columns that tell these tables from 指标明细: at least one must be there.
ROWS_ATTRIBUTES = ("nature", "direction", "measure_unit", "score", "scoring")

# Header spellings seen in real sheets -> the field they mean (matched on header_key).
LONG_ALIASES: dict[str, str] = {
    "指标值": "annual_value",
    "指标名称": "l3",
    "指标描述": "description",
}


def header_key(text: str) -> str:
    """Headers compare without spaces, line breaks or the width of brackets and colons."""
    return (
        "".join(text.split())
        .replace("(", "（")
        .replace(")", "）")
        .replace(":", "：")
        .replace("％", "%")
    )


def match_columns(texts: list[str], keys: dict[str, str]) -> dict[str, int]:
    """Field -> column of a header row, first match wins; ``keys`` maps header_key -> field."""
    found: dict[str, int] = {}
    for col, text in enumerate(texts):
        field = keys.get(header_key(text))
        if field and field not in found:
            found[field] = col
    return found
