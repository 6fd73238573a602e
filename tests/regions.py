"""Workbooks laid out as other regions publish them, built from the region fixtures.

The fixtures (``tests/fixtures/region_*.json``) are what ``tools/region_fixtures.py`` reads
from the published excerpts; here each is put back into its table as printed (title rows,
merged cells, the 元 note, two header rows, Traditional headers) so that the readers meet
the layout, not our own rendering of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from conftest import FIXTURES
from openpyxl.worksheet.worksheet import Worksheet


def region(name: str) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((FIXTURES / f"region_{name}.json").read_text("utf-8"))
    return fixture


def indicator_count(name: str) -> int:
    return sum(len(p["indicators"]) for p in region(name)["projects"])


def _merge_runs(sheet: Worksheet, column: int, first: int, values: list[str]) -> None:
    """Write a column as a published table does: one merged cell per run of equal values."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            sheet.cell(row=first + start, column=column, value=values[start] or None)
            if i - start > 1:
                sheet.merge_cells(
                    start_row=first + start, end_row=first + i - 1, start_column=column, end_column=column
                )
            start = i


def _save(book: openpyxl.Workbook, path: Path) -> Path:
    for row in book.active.iter_rows():  # type: ignore[union-attr]
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # =100% is text in the published table, not a formula
    book.save(path)
    return path


ZHALAITE_FIRST_ROW = 4  # 表11 title, 单位:元, header, then the indicators


def zhalaite_book(path: Path) -> Path:
    """扎赉特旗人民检察院 表11: title, 单位:元, one row per indicator, project cells merged."""
    fixture = region("zhalaite")
    (project,) = fixture["projects"]
    items = project["indicators"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["表11 项目绩效目标表"])
    sheet.append(["单位:元"])
    sheet.append(fixture["header"])
    first, last = ZHALAITE_FIRST_ROW, ZHALAITE_FIRST_ROW + len(items) - 1
    head = [project["name"], f"{project['unit']['code']}-{project['unit']['name']}", project["category"],
            project["budget_as_printed"], project["goals"]]  # fmt: skip
    for column, value in enumerate(head, start=1):
        sheet.cell(row=first, column=column, value=value)
        sheet.merge_cells(start_row=first, end_row=last, start_column=column, end_column=column)
    _merge_runs(sheet, 6, first, [f"{i['l1']}({i['l1_score']}分)" for i in items])
    _merge_runs(sheet, 7, first, [i["l2"] for i in items])
    fields = ("l3", "nature", "direction", "target", "measure_unit", "score")
    for row, item in enumerate(items, start=first):
        for column, field in enumerate(fields, start=8):
            sheet.cell(row=row, column=column, value=item[field] or None)
    return _save(book, path)


def dongguan_rows() -> list[list[Any]]:
    """东莞展览馆's card, cell for cell (merged cells blank), the goals as the excerpt gives them."""
    fixture = region("dongguan")
    (project,) = fixture["projects"]
    header = fixture["header"]
    rows: list[list[Any]] = [
        ["东莞市财政项目支出绩效目标表"],
        [f"( {fixture['year']} 年度)"],
        [f"预算单位:{project['unit']['name']}"],
        ["项目 名称", project["name"], None, None, project["money_label"], project["total"]],
        ["总体目标", project["period_goal_label"], None, None, project["annual_goal_label"]],
        [None, project["goals"], None, None, project["goals"]],
        header,
    ]
    previous = ("", "")
    for item in project["indicators"]:
        l1 = item["l1"] if item["l1"] != previous[0] else None
        l2 = item["l2"] if (item["l1"], item["l2"]) != previous else None
        if item["period_value"] or item["annual_value"]:
            rows.append([None, l1, l2, item["l3"], item["period_value"], l2, item["l3"], item["annual_value"]])
        else:  # where the excerpt ends: the 三级 of the left half only
            rows.append([None, l1, l2, item["l3"]])
        previous = (item["l1"], item["l2"])
    return rows


def dongguan_book(path: Path, rows: list[list[Any]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows if rows is not None else dongguan_rows():
        sheet.append(row)
    return _save(book, path)


# 衡阳's two header rows: what each column says on the upper and the lower row (merged cells
# span the columns after them; the excerpt runs the cells of each row together).
HENGYANG_UPPER = ["單位編碼", "單位名稱", "資金總額", "按收入性質分", None, None, None, "按支出性質分", None,
                  "整體績效目標", "部門整體支出年度績效目標"]  # fmt: skip
HENGYANG_LOWER = [None, None, None, "一般公共預算", "政府性基金撥款", "財政專戶管理資金", "其他資金", "基本支出",
                  "項目支出", None, "一級指標", "二級指標", "三級指標", "指標值類型", "指標值", "計量單位", "指標解釋",
                  "評(扣)分標準", "備注"]  # fmt: skip


def hengyang_book(path: Path) -> Path:
    fixture = region("hengyang")
    (project,) = fixture["projects"]
    # the fixture's header rows are the two rows above, run together
    assert fixture["header_rows"][0] == "".join(h or "" for h in HENGYANG_UPPER)
    assert fixture["header_rows"][1] == "".join(h or "" for h in HENGYANG_LOWER)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HENGYANG_UPPER)
    sheet.append(HENGYANG_LOWER)
    for column in (1, 2, 3, 10):  # one header over two rows
        sheet.merge_cells(start_row=1, end_row=2, start_column=column, end_column=column)
    sheet.merge_cells("D1:G1")
    sheet.merge_cells("H1:I1")
    sheet.merge_cells("K1:S1")
    rows: list[tuple[str, str, dict[str, Any] | None]] = [
        (i["l1"], i["l2"], i) for i in project["indicators"]
    ]
    for empty in project["empty_l2"]:  # 社会成本指标 … without indicators, after 经济成本指标
        at = max(n for n, (l1, _, _) in enumerate(rows) if l1 == empty["l1"]) + 1
        rows.insert(at, (empty["l1"], empty["l2"], None))
    first = 3
    unit = project["unit"]
    for column, value in enumerate([unit["code"], unit["name"], project["total_as_printed"]], start=1):
        sheet.cell(row=first, column=column, value=value)
        sheet.merge_cells(start_row=first, end_row=first + len(rows) - 1, start_column=column, end_column=column)
    sheet.cell(row=first, column=10, value=project["goals"])
    _merge_runs(sheet, 11, first, [l1 for l1, _, _ in rows])
    _merge_runs(sheet, 12, first, [l2 for _, l2, _ in rows])
    fields = ("l3", None, "target", None, "explanation", "scoring", "remark")  # 指标值类型/计量单位 blank
    for row, (_, _, item) in enumerate(rows, start=first):
        for column, field in enumerate(fields, start=13):
            if item is not None and field is not None:
                sheet.cell(row=row, column=column, value=item[field])
    return _save(book, path)
