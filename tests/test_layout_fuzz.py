"""No arrangement of layout words in a sheet makes a reader raise: a sheet that is almost a
form of some region is read or refused, never a traceback that stops a consolidation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.grid import Grid
from jixiao.layouts.registry import READERS, read_grid

WORDS = [
    None, None, None, "", "长期绩效指标", "年度绩效指标", "项目总体绩效目标衡量指标", "一级指标", "二级指标",
    "三级指标", "指标内容", "指标值", "备注", "项目名称", "项目实施单位", "年度资金总额", "中长期目标", "年度目标",
    "实施周期指标值", "当年度指标值", "预算单位:某单位", "本年度申请市财政预算资金(万元)", "实施周期总目标",
    "总体目标", "绩效指标", "产出指标", "数量指标", "≥95%", "100%", "12.5", 12.5, 0, "1.某项目绩效目标表",
    "项目名称（资金使用单位）", "总计", "绩效目标", "单位名称", "指标性质", "目标值", "计量单位", "分值",
    "产出指标(50分)", "正向", "大于等于", "單位名稱", "一級指標", "指標值", "（2025年度）", "项目支出绩效目标申报表",
    "1-产出指标：11-数量指标：x；实施周期指标值：1；年度指标值：1。",
    # the tolerant reader's words: 自评表 columns, operators in their own column, footers
    "年初目标值", "实际完成值", "得分", "指标权重", "计算符号", "度量单位", "=", "≥", "合计", "经办人：",
    "三级指标(长期)", "指标值(年度)", "指标", "预算部门", "实施单位:某单位", "164万元", "预期目标",
    "年度总体目标", "2021年实际实现值", "预期2022年实现值", "部门整体绩效目标",
]  # fmt: skip
# The header rows of the layouts, to be shuffled: a header with its words in another order is
# the near miss a reader must refuse, not half-read (东莞's 三级指标 after 实施周期指标值 did).
HEADERS = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "二级指标", "三级指标", "当年度指标值"],
    ["长期绩效指标", "一级指标", "二级指标", "指标内容", "指标值", "备注"],
    ["项目名称", "项目单位", "一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "目标值", "计量单位", "分值"],
    ["单位名称", "项目名称", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"],
    ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"],
    ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
]  # fmt: skip
rows = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=9),
    st.sampled_from(HEADERS).flatmap(st.permutations),
    st.sampled_from(HEADERS),
)
grids = st.lists(rows, min_size=1, max_size=30)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids)
def test_no_sheet_of_layout_words_makes_a_reader_raise(values: list[list[object]]) -> None:
    grid = Grid(values=values, sheet="Sheet", file="fuzz.xlsx")  # type: ignore[arg-type]
    found = read_grid(grid)
    if found is not None:
        for project in found.projects:  # whatever was read names where it came from
            for item in project.indicators:
                assert item.source is None or item.source.file == "fuzz.xlsx"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids)
def test_every_reader_on_its_own_copes_with_what_it_detects(values: list[list[object]]) -> None:
    """Each reader, not only the first that claims the sheet, reads what its detect found."""
    grid = Grid(values=values, sheet="Sheet", file="fuzz.xlsx")  # type: ignore[arg-type]
    for layout in READERS:
        found = layout.detect(grid)
        if found is not None:
            layout.read(grid, found)
