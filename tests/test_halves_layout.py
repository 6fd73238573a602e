"""The 东莞 card: 实施周期 and 当年度 halves side by side (东莞展览馆, 2022)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from regions import dongguan_book, dongguan_rows, region

from jixiao.workbook import read_workbook

def test_both_halves_are_read_and_paired(tmp_path: Path) -> None:
    fixture = region("dongguan")
    (expected,) = fixture["projects"]
    read = read_workbook(dongguan_book(tmp_path / "dongguan.xlsx"))
    assert read.sheets == [("Sheet", "halves")]
    (project,) = read.projects
    assert (project.name, project.unit.name) == (expected["name"], expected["unit"]["name"]) == ("物业管理费支出", "东莞展览馆")
    assert project.amounts.total == Decimal(expected["total"]) == Decimal("282.92")
    assert project.goals == [expected["goals"]] and project.purpose == expected["goals"]
    items = project.indicators
    assert len(items) == len(expected["indicators"]) == 4  # the excerpt ends in the 4th
    fields = ("l1", "l2", "l3", "period_value", "annual_value")
    for item, want in zip(items, expected["indicators"], strict=True):
        assert {f: getattr(item, f) for f in fields} == {f: want[f] for f in fields}
    assert items[0].annual_value == "建筑面积2.6万平方米,展示面积1万平方米"
    assert [f.code for f in read.findings] == []


def test_halves_that_do_not_pair_are_kept_and_reported(tmp_path: Path) -> None:
    rows = dongguan_rows()
    rows[9][6] = "物业管理任务达标率"  # the 当年度 half names another indicator
    read = read_workbook(dongguan_book(tmp_path / "dongguan.xlsx", rows))
    (finding,) = [f for f in read.findings if f.code == "layout.unpaired_halves"]
    assert finding.location is not None and finding.location.cell == "G10"
    assert len(read.projects[0].indicators) == 4


def test_an_indicator_named_like_a_label_does_not_end_its_block(tmp_path: Path) -> None:
    """预算单位满意度 on a row whose 一级/二级 are merged down starts with 预算单位, the label of
    the next block; it is an indicator, and so are the rows after it."""
    import openpyxl

    from jixiao.model import Indicator, Project
    from jixiao.workbook import write_workbook

    names = [("社会公众满意度", "≥90%"), ("预算单位满意度", "≥95%"), ("职工满意度", "≥85%")]
    project = Project(name="物业管理费")
    project.indicators = [
        Indicator(seq=k + 1, l1="满意度指标", l2="服务对象满意度指标", l3=n, period_value=v, annual_value=v)
        for k, (n, v) in enumerate(names)
    ]
    source = write_workbook(tmp_path / "halves.xlsx", [project], "halves")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows():
        if row[3].value in ("预算单位满意度", "职工满意度"):
            row[2].value = row[5].value = None  # 二级 merged down, as printed forms do
    book.save(tmp_path / "merged.xlsx")
    read = read_workbook(tmp_path / "merged.xlsx")
    assert [i.l3 for p in read.projects for i in p.indicators] == [n for n, _v in names]
