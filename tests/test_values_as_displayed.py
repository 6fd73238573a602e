"""A cell reads as the clerk sees it: a target typed as 95% is stored as 0.95 under a percent
format, and reads 95% in every layout, whichever program saved the file."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import fixture_projects, soffice

from jixiao.cli import main
from jixiao.files.number_formats import render
from jixiao.model import Amounts
from jixiao.workbook import read_workbook, write_workbook


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (0.95, "0%", "95%"),
        (1, "0%", "100%"),
        (0.955, "0.0%", "95.5%"),
        (1, "0.00%", "100.00%"),
        (44561, "#,##0", "44,561"),
        (5373.5, "#,##0.00", "5,373.50"),
        (0.125, '0.0%;[Red]-0.0%', "12.5%"),
        (1e308, "#,##0.00", "1e+308"),  # past the decimal context: shown as the number is
    ],
)
def test_a_number_under_its_format(value: float, code: str, shown: str) -> None:
    assert render(value, code) == shown


def _percent_rows(path: Path) -> Path:
    """An indicator-rows table whose 目标值 cells hold 0.95 under ``0%``, as Excel stores 95%."""
    projects = fixture_projects("003")[:1]
    source = write_workbook(path, projects, "rows")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    target, unit = header.index("目标值") + 1, header.index("计量单位") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, target).value = 0.95
        sheet.cell(row, target).number_format = "0%"
        sheet.cell(row, unit).value = "%"
    book.save(path)
    return path


def test_a_percent_formatted_target_reads_as_displayed_from_openpyxl(tmp_path: Path) -> None:
    read = read_workbook(_percent_rows(tmp_path / "rows.xlsx"))
    values = {i.annual_value for p in read.projects for i in p.indicators}
    assert values and all(v.endswith("95%") and "0.95" not in v for v in values)


def test_a_percent_formatted_target_reads_as_displayed_from_xlsxwriter(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    percent = book.add_format({"num_format": "0%"})
    sheet.write_row(0, 0, ["项目名称", "社区服务"])
    sheet.write_row(1, 0, ["一级指标", "二级指标", "三级指标", "指标性质", "指标值"])
    sheet.write_row(2, 0, ["满意度指标", "服务对象满意度指标", "居民满意度", "≥"])
    sheet.write_number(2, 4, 0.9, percent)
    book.close()
    (project,) = read_workbook(path).projects
    assert [i.annual_value for i in project.indicators] == ["≥90%"]


def test_a_percent_formatted_target_reads_as_displayed_from_libreoffice(tmp_path: Path) -> None:
    office = soffice()
    source = _percent_rows(tmp_path / "rows.xlsx")
    (tmp_path / "lo").mkdir()
    subprocess.run(
        [office, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    read = read_workbook(tmp_path / "lo" / "rows.xlsx")
    values = {i.annual_value for p in read.projects for i in p.indicators}
    assert values and all(v.endswith("95%") and "0.95" not in v for v in values)


def test_amounts_past_a_double_are_consolidated_not_a_traceback(tmp_path: Path, capsys) -> None:
    """Two totals of 1e308 sum past any number cell: the consolidation completes."""
    for name in ("甲", "乙"):
        project = fixture_projects("003")[0].model_copy(
            update={"name": name, "amounts": Amounts(total=Decimal("1e308"))}
        )
        write_workbook(tmp_path / f"{name}.xlsx", [project], "long")
    code = main(["consolidate", str(tmp_path / "甲.xlsx"), str(tmp_path / "乙.xlsx"),
                 "-o", str(tmp_path / "out.xlsx")])  # fmt: skip
    assert code in (0, 1) and "Traceback" not in capsys.readouterr().err
    assert {p.amounts.total for p in read_workbook(tmp_path / "out.xlsx").projects} == {
        Decimal("1e308")
    }


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ('yyyy"年"m"月"d"日"', "2021年12月31日"),
        ("yyyy/m/d", "2021/12/31"),
        ("yyyy-mm-dd", "2021-12-31"),
        ('m"月"d"日"', "12月31日"),
    ],
)
def test_a_date_target_reads_as_its_format_shows_it(code: str, shown: str, tmp_path: Path) -> None:
    """A 时效 target typed as a date: the clerk sees 2021年12月31日, not a serial or an ISO
    date (the readers gave 2021-12-31 under every format)."""
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目名称", "年终考核"])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append(["产出指标", "时效指标", "完成时间", datetime.datetime(2021, 12, 31)])
    sheet["D3"].number_format = code
    book.save(tmp_path / "date.xlsx")
    (project,) = read_workbook(tmp_path / "date.xlsx").projects
    assert [i.annual_value for i in project.indicators] == [shown]
