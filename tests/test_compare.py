"""对比: a reviewer's comparison of two versions, on the published seed 003 and known edits."""

from __future__ import annotations

import dataclasses

import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT, fixture_projects

from jixiao.cli import main
from jixiao.compare import compare, direction, normalized_name
from jixiao.values import parse_value
from jixiao.workbook import read_workbook, write_workbook

PUBLISHED = ROOT / "samples" / "guangzhou-003-wide.xlsx"


def changes_of(old: Path, new: Path, tmp_path: Path) -> dict[str, Any]:
    out, report = tmp_path / "对比.xlsx", tmp_path / "对比.json"
    assert main(["compare", str(old), str(new), "-o", str(out), "--json", str(report)]) == 0
    data: dict[str, Any] = json.loads(report.read_text("utf-8"))
    return data


def test_seed_003_against_itself_has_no_changes(tmp_path: Path) -> None:
    data = changes_of(PUBLISHED, PUBLISHED, tmp_path)
    assert data["changes"] == [] and data["unchanged"] == 17 and data["findings"] == []
    rows = list(openpyxl.load_workbook(tmp_path / "对比.xlsx")["对比"].iter_rows(values_only=True))
    assert rows[1][0] == "两个版本没有差别"


def test_cards_against_the_same_data_as_wide_rows_has_no_changes(tmp_path: Path) -> None:
    projects = fixture_projects("000")
    cards = write_workbook(tmp_path / "cards.xlsx", projects, "card")
    wide = write_workbook(tmp_path / "wide.xlsx", projects, "wide")
    data = changes_of(cards, wide, tmp_path)
    assert data["changes"] == [] and data["unchanged"] == 20


def edited_copy(folder: Path) -> tuple[Path, dict[tuple[str, str, str], str]]:
    """Seed 003 as a long workbook with known edits; the expected (kind, project, what) → direction."""
    projects = fixture_projects("003")
    expected: dict[tuple[str, str, str], str] = {}
    quantitative = [
        (p, i) for p in projects for i in p.indicators
        if parse_value(i.annual_value).number and parse_value(i.annual_value).op in (None, "≥")
        and i.annual_value == i.period_value
    ]  # fmt: skip
    chosen = quantitative[::5][:7]  # spread over projects
    for number, (project, item) in enumerate(chosen):
        value = parse_value(item.annual_value)
        factor = Decimal("0.8") if number < 5 else Decimal("1.1")
        new_number = (value.number or Decimal(0)) * factor
        text = f"{value.op or ''}{new_number.normalize():f}{value.unit}{value.qualifier}"
        kind = ("loosened" if value.op == "≥" else "lowered") if number < 5 else ("tightened" if value.op == "≥" else "raised")
        expected[("value_changed", project.name, f"{item.l3}/年度指标值")] = kind
        item.annual_value = text
    removed_from, added_to = projects[1], projects[2]
    removed = removed_from.indicators.pop()
    expected[("indicator_removed", removed_from.name, removed.l3)] = ""
    new_item = dataclasses.replace(added_to.indicators[0], l3="诉讼服务线上办理率", annual_value="≥80%", period_value="≥80%")
    added_to.indicators.append(new_item)
    expected[("indicator_added", added_to.name, "诉讼服务线上办理率")] = ""
    renamed = next(p for p in projects if "2026年全国法院" in p.name)
    renamed.name = renamed.name.replace("2026年", "2027年")  # next year's edition
    expected[("project_renamed", renamed.name, "")] = ""
    money = projects[0]
    money.amounts.total = (money.amounts.total or Decimal(0)) + Decimal(10)
    expected[("amount_changed", money.name, "总计")] = "increased"
    coded = projects[3]
    coded.code = "44010023P000001"
    expected[("code_added", coded.name, "项目编码")] = ""
    return write_workbook(folder / "edited.xlsx", projects, "long"), expected


def test_known_edits_are_found_exactly_with_their_direction(tmp_path: Path) -> None:
    edited, expected = edited_copy(tmp_path)
    data = changes_of(PUBLISHED, edited, tmp_path)
    found = {}
    for change in data["changes"]:
        what = {"value_changed": f"{change['indicator']}/{change['field']}", "indicator_removed": change["indicator"],
                "indicator_added": change["indicator"], "project_renamed": "", "amount_changed": change["field"],
                "code_added": change["field"]}[change["kind"]]  # fmt: skip
        found[(change["kind"], change["project"], what)] = change["direction"]
    assert found == expected
    assert len(data["changes"]) == 5 + 2 + 1 + 1 + 1 + 1 + 1
    renamed = next(p for p in data["projects"] if p["old"] != p["new"] and p["old"] and p["new"])
    assert renamed["rule"] == "单位和名称（不计年份）"
    codes = sorted(f["code"] for f in data["findings"])
    assert "compare.indicator_removed" in codes
    book = openpyxl.load_workbook(tmp_path / "对比.xlsx")
    sheet = book["对比"]
    colors = {row[0].row: row[0].fill.fgColor.rgb for row in sheet.iter_rows(min_row=2)}
    directions = {row[0].row: row[9].value for row in sheet.iter_rows(min_row=2)}
    for row, label in directions.items():
        if label in ("降低", "放宽"):
            assert colors[row].endswith("FFC7CE"), label
        if label in ("提高", "收紧"):
            assert colors[row].endswith("C6EFCE"), label
    links = [c.value for c in sheet["N"][1:] if c.value]
    assert links and all(str(v).startswith('=HYPERLINK("') for v in links)
    # relative to the output, so they work when the folder is moved or e-mailed
    import re

    targets = {re.match(r'=HYPERLINK\("([^"#]+)#', str(v))[1] for v in links}  # type: ignore[index]
    assert all(not t.startswith(("file:", "/")) for t in targets)
    assert all((tmp_path / t).exists() for t in targets)
    summary = [r for r in book["项目对比"].iter_rows(values_only=True)]
    touched = {project for _, project, _ in expected}
    assert summary[-1][0] == f"未变化的项目：{17 - len(touched)} 个" and data["unchanged"] == 17 - len(touched)


def test_budget_up_with_a_target_lowered_is_flagged(tmp_path: Path) -> None:
    projects = fixture_projects("003")
    project = projects[0]
    project.amounts.total = (project.amounts.total or Decimal(0)) * 2
    item = next(i for i in project.indicators if i.annual_value.startswith("≥"))
    item.annual_value = "较好"  # and made qualitative
    result = compare(read_workbook(PUBLISHED).projects, projects)
    codes = sorted(f.code for f in result.findings)
    assert codes == ["compare.budget_up_target_down", "compare.quantitative_to_qualitative"]
    assert "预算增加" in result.findings[0].message or "预算增加" in result.findings[1].message


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [("≥95%", "≥90%", "loosened"), ("≥95%", "≥98%", "tightened"), ("≤80万元", "≤100万元", "loosened"),
     ("≤80万元", "≤60万元", "tightened"), ("100人次", "80人次", "lowered"), ("100人次", "120人次", "raised"),
     ("2023年12月31日", "2024年3月31日", "later"), ("11月底前", "12月底前", "later"), ("≥95%", "较好", "to_qualitative"),
     ("维持", "≥3次", "to_quantitative"), ("达标", "合格", "changed")],
)  # fmt: skip
def test_directions(old: str, new: str, moved: str) -> None:
    assert direction(old, new) == moved


def test_years_do_not_tell_projects_apart() -> None:
    assert normalized_name("2024年办案业务经费") == normalized_name("2025年办案业务经费")
    assert normalized_name("广州互联网法院2023-2024年信息化运维") == normalized_name("广州互联网法院2024-2025年信息化运维")
    assert normalized_name("司法救助-2023中央") == normalized_name("司法救助-2024中央")


def test_a_thousand_projects_compare_quickly() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_compare import thousand_projects

    old, new = thousand_projects()
    started = time.perf_counter()
    result = compare(old, new)
    assert len(result.matches) == 1000 and result.changes  # timing is the benchmark's job
    assert time.perf_counter() - started < 60


def test_a_folder_comparison_skips_what_is_no_table_and_names_it(tmp_path: Path, capsys) -> None:
    """A 说明.docx beside the departments, or the previous comparison written into the
    folder, is left out and named; the comparison of the rest goes on."""
    import docx

    folder = tmp_path / "dept"
    folder.mkdir()
    write_workbook(folder / "a.xlsx", fixture_projects("001")[:2], "long")
    assert main(["compare", str(folder), str(folder), "-o", str(folder / "对比.xlsx")]) == 0
    document = docx.Document()
    document.add_paragraph("报送说明：请查收。")
    document.save(str(folder / "说明.docx"))
    capsys.readouterr()
    assert main(["compare", str(folder), str(folder), "-o", str(tmp_path / "again.xlsx")]) == 0
    err = capsys.readouterr().err
    assert "说明.docx" in err and "对比.xlsx" in err and "已跳过" in err
    assert (tmp_path / "again.xlsx").exists()


def test_projects_without_a_unit_pair_with_their_unchanged_copy(tmp_path: Path) -> None:
    """Two departments' 办公经费 without unit rows, one file renamed between the folders:
    nothing changed, and the comparison says so (it paired the court with the procuratorate)."""
    import shutil

    from jixiao.model import Amounts, Unit

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    for name, total in (("a_法院", "100"), ("b_检察院", "200")):
        project = fixture_projects("001")[0].model_copy(
            update={"name": "办公经费", "unit": Unit(), "amounts": Amounts(total=Decimal(total))}
        )
        write_workbook(old / f"{name}.xlsx", [project], "long")
    shutil.copy(old / "a_法院.xlsx", new / "z_法院.xlsx")
    shutil.copy(old / "b_检察院.xlsx", new / "b_检察院.xlsx")
    assert main(["compare", str(old), str(new), "-o", str(tmp_path / "c.xlsx"),
                 "--json", str(tmp_path / "c.json")]) == 0  # fmt: skip
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["changes"] == []


def test_amount_changes_keep_their_cells_through_the_command(tmp_path: Path) -> None:
    """A budget change and the 审核提示 about it name their cells (the reading of each side
    dropped the project's cells, and only indicator rows kept their links)."""
    old, new = fixture_projects("003")[:1], fixture_projects("003")[:1]
    new[0].amounts.total = (new[0].amounts.total or Decimal(0)) + 50
    new[0].amounts.fiscal = (new[0].amounts.fiscal or Decimal(0)) + 50
    new[0].indicators[0].annual_value = "≥80%"  # the target lowered while the budget rises
    write_workbook(tmp_path / "old.xlsx", old, "wide")
    write_workbook(tmp_path / "new.xlsx", new, "wide")
    assert main(["compare", str(tmp_path / "old.xlsx"), str(tmp_path / "new.xlsx"),
                 "-o", str(tmp_path / "c.xlsx"), "--json", str(tmp_path / "c.json")]) == 0  # fmt: skip
    data = json.loads((tmp_path / "c.json").read_text("utf-8"))
    amounts = [c for c in data["changes"] if c["kind"] == "amount_changed"]
    assert amounts and all(c["old_where"] and c["new_where"] for c in amounts)
    flagged = [f for f in data["findings"] if f["code"] == "compare.budget_up_target_down"]
    assert flagged and all(f["location"] for f in flagged)


def test_one_edited_card_value_is_one_change(tmp_path: Path) -> None:
    """A card has one 指标值 cell, read as both 实施周期 and 年度: editing it was two changes."""
    projects = fixture_projects("001")
    old = write_workbook(tmp_path / "old.xlsx", projects, "card")
    book = openpyxl.load_workbook(old)
    sheet = book.active
    assert sheet is not None
    target = projects[0].indicators[0]
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == target.annual_value][:1]
    cell.value = "≥90%"
    book.save(tmp_path / "new.xlsx")
    data = changes_of(old, tmp_path / "new.xlsx", tmp_path)
    (change,) = data["changes"]
    assert (change["indicator"], change["field"], change["old"], change["new"]) == (
        target.l3, "指标值", target.annual_value, "≥90%")  # fmt: skip
    # wide rows whose two columns differ still report each column
    wide_old = write_workbook(tmp_path / "w-old.xlsx", projects, "wide")
    edited = fixture_projects("001")
    edited[0].indicators[0].annual_value = "≥90%"
    wide_new = write_workbook(tmp_path / "w-new.xlsx", edited, "wide")
    fields = [c["field"] for c in changes_of(wide_old, wide_new, tmp_path)["changes"]]
    assert fields == ["年度指标值"]
