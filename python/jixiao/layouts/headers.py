"""Column headers of the layouts, as clerks see them: the one place they are spelled."""

from __future__ import annotations

import re
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
    "actual": "实际完成值",
    "awarded": "得分",
    "deviation": "偏差原因分析及改进措施",
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
# The sheets of a comparison jixiao wrote (compare_workbook): no table of targets in it
COMPARISON_SHEETS = frozenset(("对比", "项目对比"))

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
    "预算部门": "单位名称",
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


# ---------------------------------------------------------------------------------------
# The vocabulary of the tolerant reader (layouts/tables.py): every spelling met in real
# tables of the same few things. Keys compare as ``vocabulary_key`` makes them: no spaces,
# Simplified characters, no leading ``*``, no trailing colon, bracketed notes such as
# ``(万元)``, ``(盖章)``, ``(A)`` or ``(必填)`` taken out (the terms they name are read first).

# Header words of an indicator table's columns -> role.
INDICATOR_ROLES: dict[str, str] = {
    **dict.fromkeys(("一级指标", "一级", "一级指标名称", "评价指标"), "l1"),
    **dict.fromkeys(("二级指标", "二级", "二级指标名称", "评价内容"), "l2"),
    **dict.fromkeys(
        ("三级指标", "三级", "三级指标名称", "指标名称", "指标内容", "指标", "绩效指标名称"),
        "l3",
    ),
    **dict.fromkeys(
        ("指标值", "目标值", "绩效目标值", "指标目标值", "指标值及单位", "目标值及单位"), "value"
    ),
    **dict.fromkeys(
        (
            "年度指标值",
            "年度目标值",
            "当年度指标值",
            "当年指标值",
            "年初目标值",
            "预期目标值",
            "本年度计划水平",
            "年度绩效指标值",
        ),
        "annual",
    ),
    **dict.fromkeys(
        ("实施周期指标值", "中期指标值", "长期指标值", "中长期指标值", "实施期指标值"), "period"
    ),
    **dict.fromkeys(("指标性质", "指标值类型", "指标类型", "指标属性"), "nature"),
    **dict.fromkeys(
        ("指标方向", "指标方向性", "计算符号", "运算符号", "符号", "比较符号", "指标值方向"),
        "direction",
    ),
    **dict.fromkeys(("计量单位", "度量单位", "指标单位", "指标值单位"), "measure_unit"),
    **dict.fromkeys(("分值", "权重", "指标权重", "权重分值", "标准分值", "指标分值"), "weight"),
    **dict.fromkeys(("得分", "自评得分", "实际得分", "评价得分"), "awarded"),
    **dict.fromkeys(
        (
            "实际完成值",
            "实际完成指标值",
            "完成值",
            "实际值",
            "全年实际完成值",
            "实际完成情况",
            "实际完成",
        ),
        "actual",
    ),
    **dict.fromkeys(
        (
            "偏差原因分析及改进措施",
            "未完成原因分析",
            "偏差原因分析",
            "偏差原因",
            "未完成原因",
            "原因分析",
        ),
        "deviation",
    ),
    **dict.fromkeys(("指标解释", "指标说明", "指标值说明", "指标内涵"), "explanation"),
    **dict.fromkeys(("评（扣）分标准", "评分标准", "扣分标准", "评分规则"), "scoring"),
    "备注": "remark",
    **dict.fromkeys(
        ("指标值确定依据", "指标标准或依据", "绩效标准", "指标值设定依据", "确定依据"), "basis"
    ),
    **dict.fromkeys(("绩效指标描述", "指标描述"), "description"),
    # project columns of tables with one row per indicator
    **dict.fromkeys(
        ("项目名称", "项目全称", "项目支出名称", "专项资金名称", "专项名称"), "project_name"
    ),
    **dict.fromkeys(("项目编码", "项目代码"), "project_code"),
    **dict.fromkeys(("单位名称", "项目单位", "预算单位", "实施单位", "预算部门"), "unit"),
    "单位编码": "unit_code",
    **dict.fromkeys(("预算数", "资金总额", "年度资金总额", "预算金额", "项目金额"), "total"),
    **dict.fromkeys(("年度绩效目标", "绩效目标", "整体绩效目标"), "goals"),
}
# The roles that hold an indicator's target value, and those naming it.
VALUE_ROLES = ("value", "annual", "period")
# Marks of a term inside a header (``三级指标(长期)``, ``指标值（年度）``).
PERIOD_MARKS = ("实施周期", "中长期", "长期", "中期", "实施期")
ANNUAL_MARKS = ("当年度", "年度", "当年")

# Labels of a printed form around its indicator table -> (field, rank): the lowest rank
# found wins (实施单位 before 预算单位; a 年度 goal before an overall one).
FORM_LABELS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(
        ("项目名称", "项目支出名称", "专项资金名称", "专项名称", "项目全称"), ("name", 0)
    ),
    **dict.fromkeys(("项目编码", "项目代码"), ("code", 0)),
    **dict.fromkeys(("实施单位", "具体实施单位", "项目实施单位"), ("unit", 0)),
    "预算单位": ("unit", 1),
    **dict.fromkeys(("申报单位", "项目单位", "单位名称", "单位信息"), ("unit", 2)),
    **dict.fromkeys(("预算部门", "主管部门名称"), ("unit", 3)),
    **dict.fromkeys(("主管部门", "主管部门及代码", "项目主管部门", "业务主管部门"), ("unit", 4)),
    **dict.fromkeys(("部门名称", "部门单位名称"), ("department", 0)),
    "部门": ("department", 1),  # 部门：某局, as jixiao's 部门整体 sheet writes it
    "部门编码": ("department_code", 0),
    **dict.fromkeys(
        (
            "年度资金总额",
            "当年年度预算",
            "年度预算数",
            "年度财政资金总额",
            "年度本级预算金额",
            "当年预算",
            "资金总额",
            "总额",
            "项目金额",
        ),
        ("total", 0),
    ),
    **dict.fromkeys(("预算数", "项目总预算", "预算金额", "项目资金"), ("total", 1)),
    **dict.fromkeys(("资金情况", "资金总额合计"), ("total", 2)),
    **dict.fromkeys(
        (
            "财政拨款",
            "财政资金",
            "本年财政拨款",
            "当年财政拨款",
            "财政拨款小计",
            "当年市级财政资金",
            "财政拨款数",
        ),
        ("fiscal", 0),
    ),
    **dict.fromkeys(("其他资金", "其它资金"), ("other", 0)),
    **dict.fromkeys(
        (
            "年度目标",
            "项目年度目标",
            "年度总体目标",
            "年度绩效目标",
            "年度主要目标和成果",
            "年度绩效总目标",
            "当年绩效目标",
        ),
        ("goals", 0),
    ),
    "预期目标": ("goals", 1),
    **dict.fromkeys(("总体目标", "项目总体目标", "整体目标", "绩效目标"), ("goals", 2)),
    # labels whose value is not kept, named so that they are not taken for a value
    **dict.fromkeys(
        (
            "实际完成情况",
            "年度目标完成情况",
            "目标实际完成情况",
            "中期目标",
            "实施周期目标",
            "中期资金总额",
            "项目属性",
            "项目期",
            "项目类别",
            "项目类型",
            "联系电话",
            "项目负责人",
            "金额单位",
            "全年预算数",
            "全年执行数",
            "年初预算数",
            "执行率",
            "资金来源",
        ),
        ("", 9),
    ),
}
# A row of a table that starts so is a footer: the table has ended.
FOOTER_STARTS = (
    "合计",
    "总计",
    "总分",
    "注：",
    "注:",
    "说明：",
    "说明:",
    "评价结论",
    "存在问题",
    "改进措施",
    "项目负责人",
    "财务负责人",
    "单位负责人",
    "经办人",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "联系人",
    "联系电话",
    "审核意见",
    "上报时间",
    "填报日期",
    "填报时间",
)
FOOTER_MARKS = ("盖章", "签字", "签章")
# Titles and labels that say a table is a unit's own (部门整体) targets, not a project's.
DEPARTMENT_MARKS = (
    "部门整体",
    "单位整体",
    "整体绩效目标",
    "整体支出绩效",
    "部门职能职责",
    "部门（单位）职责",
    "部门(单位)职责",
)

# A statement that a table's amounts are in 元: ``单位：元``, ``金额单位：元``, a
# header's ``（元）``. The 元 must end the word: ``预算单位：元宝山区人民检察院``
# (元宝山区, 元氏县, 元谋县) names a unit, not a currency.
AMOUNTS_IN_YUAN = re.compile(r"单位\s*[：:]\s*(?:人民币)?元(?![\u4e00-\u9fff])|[（(]\s*元\s*[)）]")
