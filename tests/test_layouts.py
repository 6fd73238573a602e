"""Every project of every seed, written in each layout as a real .xlsx and read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import SEED_COUNTS, SEED_NAMES, comparable, fixture_projects

from jixiao.options import LAYOUTS
from jixiao.workbook import read_workbook, write_workbook


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_fixture_counts(seed: str) -> None:
    assert len(fixture_projects(seed)) == SEED_COUNTS[seed]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", SEED_NAMES)
def test_round_trip_through_each_layout(seed: str, layout: str, tmp_path: Path) -> None:
    projects = fixture_projects(seed)
    path = write_workbook(tmp_path / f"{seed}-{layout}.xlsx", projects, layout)  # type: ignore[arg-type]
    read = read_workbook(path)
    assert [layout for _, layout in read.sheets][:1] == [layout]
    assert len(read.projects) == len(projects)
    errors = [f for f in read.findings if f.severity == "error"]
    assert errors == []
    for got, want in zip(read.projects, projects, strict=True):
        assert comparable(got, layout) == comparable(want, layout), want.name


def test_chain_wide_long_card_wide_keeps_seed_003(tmp_path: Path) -> None:
    projects = fixture_projects("003")
    for step, layout in enumerate(("wide", "long", "card", "wide")):
        path = write_workbook(tmp_path / f"{step}.xlsx", projects, layout)  # type: ignore[arg-type]
        projects = read_workbook(path).projects
    assert [comparable(p) for p in projects] == [comparable(p) for p in fixture_projects("003")]


def test_long_workbook_of_004_keeps_codes_plans_and_basis(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "004.xlsx", fixture_projects("004"), "long")
    first = read_workbook(path).projects[0]
    assert first.code == "13020023P00003910076Y"
    assert [(p.label, p.value) for p in first.spending_plan] == [
        ("3月底", "25%"), ("6月底", "50%"), ("10月底", "80%"), ("12月底", "100%")
    ]
    assert {i.basis for i in first.indicators} == {"年初工作计划"}


def test_every_layout_read_or_written_has_a_chinese_name() -> None:
    """The registry and the user's choices agree: what is written can be chosen by name, and
    what is read is named in reports."""
    from jixiao.layouts.registry import READERS, WRITERS
    from jixiao.options import LAYOUT_NAMES, LAYOUTS

    assert set(WRITERS) == set(LAYOUTS)
    assert [layout.NAME for layout in READERS] == [
        "wide", "rows", "terms", "long", "halves", "card", "table"
    ]  # the tolerant reader last: it takes what none of the exact layouts recognises
    assert {layout.NAME for layout in READERS} | set(LAYOUTS) <= set(LAYOUT_NAMES)


@pytest.mark.parametrize("layout", ["wide", "long", "card"])
@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seeds_through_indicator_rows_into_each_layout(seed: str, layout: str, tmp_path: Path) -> None:
    """seed → indicator rows → wide/long/card: what both layouts hold comes through whole."""
    projects = fixture_projects(seed)
    through_rows = read_workbook(write_workbook(tmp_path / "rows.xlsx", projects, "rows")).projects
    read = read_workbook(write_workbook(tmp_path / f"{layout}.xlsx", through_rows, layout))  # type: ignore[arg-type]
    assert len(read.projects) == SEED_COUNTS[seed]
    assert [comparable(p, "rows", layout) for p in read.projects] == [comparable(p, "rows", layout) for p in projects]


def test_a_wide_sheet_with_unit_and_code_columns_keeps_both(tmp_path: Path) -> None:
    """A common variant of the Guangzhou table names each project's 单位名称 and 项目编码 in
    columns of its own: two schools' same-named projects stay two, with their codes."""
    from jixiao.consolidate import consolidate

    first, second = fixture_projects("003")[:2]
    second = second.model_copy(update={"name": first.name})  # the same name in two units
    source = write_workbook(tmp_path / "wide.xlsx", [first, second], "wide")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    sheet.merged_cells.ranges = set()  # the columns move; merges are not what is tested
    sheet.insert_cols(1, 2)
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value and
                  str(sheet.cell(r, 3).value).startswith("项目名称"))  # fmt: skip
    sheet.cell(header, 1).value, sheet.cell(header, 2).value = "单位名称", "项目编码"
    filled = 0
    for r in range(header + 1, sheet.max_row + 1):
        if sheet.cell(r, 3).value == first.name:
            sheet.cell(r, 1).value = ["第一中学", "第二中学"][filled]
            sheet.cell(r, 2).value = ["440101-001", "440101-002"][filled]
            filled += 1
    assert filled == 2
    book.save(tmp_path / "with-units.xlsx")
    read = read_workbook(tmp_path / "with-units.xlsx")
    assert [(p.unit.name, p.code, p.name) for p in read.projects] == [
        ("第一中学", "440101-001", first.name), ("第二中学", "440101-002", first.name)
    ]  # fmt: skip
    assert len(consolidate([tmp_path / "with-units.xlsx"]).projects) == 2


@pytest.mark.parametrize("layout", ["long", "card", "rows", "halves", "terms"])
def test_text_that_could_not_be_read_stays_in_every_layout(layout: str, tmp_path: Path) -> None:
    """A packed cell saying 详见附件 is kept verbatim (and reported); every other layout shows
    it in the 三级 column, where it was an empty row that read back as nothing."""
    projects = fixture_projects("003")[:2]
    source = write_workbook(tmp_path / "wide.xlsx", projects, "wide")
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows():
        if row[0].value == projects[0].name:
            row[6].value = "详见附件"
    book.save(tmp_path / "attached.xlsx")
    read = read_workbook(tmp_path / "attached.xlsx")
    assert [i.raw for i in read.projects[0].indicators] == ["详见附件"]
    again = read_workbook(write_workbook(tmp_path / f"{layout}.xlsx", read.projects, layout))  # type: ignore[arg-type]
    assert [i.l3 for i in again.projects[0].indicators] == ["详见附件"]
    assert [len(p.indicators) for p in again.projects] == [1, len(projects[1].indicators)]


SIMPLE = "项称单编码资总计财拨专户绩标级实确据号划长当万预数类质释评准备门体务产满时报与经济会态环对护规权续响请内细额周"
TRADITIONAL = "項稱單編碼資總計財撥專戶績標級實確據號劃長當萬預數類質釋評準備門體務產滿時報與經濟會態環對護規權續響請內細額週"


@pytest.mark.parametrize("layout", ["terms", "halves", "card", "rows"])
def test_headers_in_traditional_characters_read_as_in_simplified(layout: str, tmp_path: Path) -> None:
    """A copy from a Traditional-script mirror: every cell holding a header word or label
    in Traditional characters reads as the Simplified workbook."""
    from jixiao.layouts import headers

    words = {
        s
        for v in vars(headers).values()
        for it in (v.items() if isinstance(v, dict) else v if isinstance(v, tuple | list) else [v])
        for s in (it if isinstance(it, tuple) else (it,))
        if isinstance(s, str) and len(s) >= 2 and any("\u4e00" <= c <= "\u9fff" for c in s)
    }
    table = str.maketrans(SIMPLE, TRADITIONAL)
    projects = fixture_projects("003")[:2]
    source = write_workbook(tmp_path / f"{layout}.xlsx", projects, layout)  # type: ignore[arg-type]
    book = openpyxl.load_workbook(source)
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(w in cell.value for w in words):
                    cell.value = cell.value.translate(table)
                    changed += 1
    assert changed
    book.save(tmp_path / "traditional.xlsx")
    before, after = read_workbook(source), read_workbook(tmp_path / "traditional.xlsx")
    assert after.sheets == before.sheets
    assert [(len(p.indicators), p.amounts.total) for p in after.projects] == [
        (len(p.indicators), p.amounts.total) for p in before.projects
    ]


def test_a_wide_table_too_long_for_its_cell_reads_back_as_one_project(tmp_path: Path) -> None:
    """pack writes a project of 600 indicators as a note in the wide cell and its rows on
    指标明细: read back, that is one project with its 600 indicators (it was two, 601), and
    fill on it completes."""
    from jixiao.fill import fill_workbook
    from jixiao.model import Indicator

    project = fixture_projects("003")[0]
    first = project.indicators[0]
    project.indicators = [  # ~600, as a very large project has: past one cell's 32,767
        Indicator(seq=k + 1, l1=first.l1, l2=first.l2, l3=f"{first.l3}（第{k + 1}项）",
                  period_value=first.period_value, annual_value=first.annual_value)
        for k in range(600)
    ]  # fmt: skip
    packed_path = write_workbook(tmp_path / "wide.xlsx", [project], "wide")
    read = read_workbook(packed_path)
    assert [(p.name, len(p.indicators)) for p in read.projects] == [
        (project.name, len(project.indicators))
    ]
    assert not [f for f in read.findings if f.code == "packed.syntax"]
    filled = fill_workbook(packed_path, tmp_path / "filled.xlsx")
    assert len(read_workbook(filled.output or "").projects) == 1
