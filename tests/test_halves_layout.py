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
