"""Amounts in 元: wherever a table says so (a title line, a card's unit line, a header's （元）)
every amount becomes 万元 exactly and the reading says so; a unit named 元宝山区 is no 元."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import fixture_projects

from jixiao.workbook import read_workbook, write_workbook


def _in_yuan(path: Path, find: str, replace: str) -> Path:
    """The workbook with each cell holding ``find`` rewritten with ``replace`` and every
    amount it holds (万元, two decimals) multiplied by 10,000, as a clerk in 元 fills it."""
    book = openpyxl.load_workbook(path)
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and find in cell.value:
                    cell.value = cell.value.replace(find, replace)
                    changed += 1
                elif isinstance(cell.value, int | float) and cell.number_format == "#,##0.00":
                    cell.value = round(cell.value * 10_000)
    assert changed
    out = path.with_name(f"yuan-{path.name}")
    book.save(out)
    return out


@pytest.mark.parametrize("layout", ["wide", "card"])
def test_a_table_stating_yuan_is_read_in_wan(layout: str, tmp_path: Path) -> None:
    projects = fixture_projects("003" if layout == "wide" else "001")
    source = write_workbook(tmp_path / f"{layout}.xlsx", projects, layout)  # type: ignore[arg-type]
    yuan = _in_yuan(source, "单位：万元", "单位：元")
    before, after = read_workbook(source), read_workbook(yuan)
    assert [p.amounts.total for p in after.projects] == [p.amounts.total for p in before.projects]
    assert any(p.amounts.total for p in after.projects)
    assert "layout.money_in_yuan" in {f.code for f in after.findings}
    assert "layout.money_in_yuan" not in {f.code for f in before.findings}


def test_a_unit_named_yuanbaoshan_is_not_a_currency(tmp_path: Path) -> None:
    projects = fixture_projects("003")[:1]
    source = write_workbook(tmp_path / "rows.xlsx", projects, "rows")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    sheet.insert_rows(1)
    sheet["A1"] = "预算单位：元宝山区人民检察院"
    book.save(tmp_path / "titled.xlsx")
    read = read_workbook(tmp_path / "titled.xlsx")
    assert read.projects[0].amounts.total == projects[0].amounts.total
    assert "layout.money_in_yuan" not in {f.code for f in read.findings}


def test_a_form_in_yuan_is_read_in_wan(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["项目名称", "社区服务"],
        ["金额单位：元"],
        ["年度资金总额", 1_030_700],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "服务人次", "≥100人次"],
    ):
        sheet.append(row)
    book.save(tmp_path / "form.xlsx")
    read = read_workbook(tmp_path / "form.xlsx")
    assert read.projects[0].amounts.total == Decimal("103.07")
    assert [f.code for f in read.findings] == ["layout.money_in_yuan"]
